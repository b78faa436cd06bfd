"""What is fixed for a batch of R runs: the allies, each run's parameters, yearly paths and random draws.

:func:`prepare_runs` turns one validated scenario per run into arrays with a leading run axis.
The year function (:mod:`cohesion_sim.year`) reads them; nothing here changes once a run starts.

Shape convention (the one way parameters reach the rules):

* a parameter the rules apply per ally has shape (R, 1) and broadcasts against (R, N) state;
* a parameter the rules apply per pair of allies (``PAIR_PARAMETERS``) has shape (R, 1, 1) and
  broadcasts against (R, N, N) tension rows;
* a value for the whole alliance (a summit rule, the vacuum) has shape (R,): ``params.run(name)``.

The Mesa model is the case R = 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from .alliance import (
    Alliance, build_alliance, dispute_matrices, start_tension, start_tension_key, starting_guideline, starting_state,
)  # fmt: skip
from .rules import PairEntries, lag_weights
from .scenario import Scenario
from .schedules import threat_levels

#: Parameters the rules apply per pair of allies (on tension rows): shape (R, 1, 1).
PAIR_PARAMETERS = frozenset(
    {
        "coordination", "pillar_coordination", "partner_intelligence", "tension_decay",
        "grievance_tension", "divergence_tension", "pressure_tension", "coordination_effect", "rivalry_tension",
        "balance_tension", "pillar_friction",
    }
)  # fmt: skip
#: Levers: scenario schedules evaluated each year (dated interventions), shaped like any other parameter.
LEVERS = ("coordination", "pillar_coordination", "partnerships")


def _shaped(name: str, values: np.ndarray) -> np.ndarray:
    return values[:, None, None] if name in PAIR_PARAMETERS else values[:, None]


def distinct_scenarios(scenarios: Sequence[Scenario]) -> tuple[list[Scenario], np.ndarray]:
    """The distinct scenario objects, and each run's position among them: set-up work is done once per object."""
    position: dict[int, int] = {}
    distinct: list[Scenario] = []
    for s in scenarios:
        if id(s) not in position:
            position[id(s)] = len(distinct)
            distinct.append(s)
    return distinct, np.array([position[id(s)] for s in scenarios], dtype=np.intp)


class RunParameters:
    """A scenario's numeric fields for R runs, shaped by the module's convention (``p.coordination`` etc.)."""

    def __init__(self, scenarios: Sequence[Scenario]):
        self._flat: dict[str, np.ndarray] = {}
        distinct, position = distinct_scenarios(scenarios)
        for name in Scenario.model_fields:
            value = getattr(scenarios[0], name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            values = np.array([getattr(s, name) for s in distinct], dtype=float)[position]
            self._flat[name] = values
            setattr(self, name, _shaped(name, values))
        # derived: weights of the decisions taken 1, 2, 3 years ago in this year's outlays, shape (R, 1, 3)
        self.lag_weights = lag_weights(self._flat["budget_lag"])[:, None, :]

    def run(self, name: str) -> np.ndarray:
        """A parameter with shape (R,)."""
        return self._flat[name]

    def with_levers(self, levers: dict[str, np.ndarray]) -> SimpleNamespace:
        """These parameters with this year's lever levels (each of shape (R,)) added in the same convention."""
        year = SimpleNamespace(**vars(self))
        year.run = self.run
        for name, values in levers.items():
            setattr(year, name, _shaped(name, values))
        return year


@dataclass(frozen=True)
class YearlyPaths:
    """Each run's scenario-driven paths, one column per year from the start year (shape (R, years))."""

    vacuum: np.ndarray
    pressure: np.ndarray
    tau: np.ndarray  # (R, years, 3)
    summit_due: np.ndarray  # bool
    item_level: np.ndarray  # NaN unless a guideline item is on the agenda
    item_deadline: np.ndarray
    review: np.ndarray  # bool: a review of the guideline in force is on the agenda
    substantive: np.ndarray  # bool: a guideline or a review (a unity declaration is symbolic)
    qualified_majority: np.ndarray  # bool: the decision rule in force
    levers: dict[str, np.ndarray]  # coordination, pillar_coordination, partnerships


def yearly_paths(scenarios: Sequence[Scenario]) -> YearlyPaths:
    """Evaluate every run's schedules for every year of the run (a small Python loop, once at set-up)."""

    def one(p: Scenario) -> dict[str, list]:
        years = range(p.start_year, p.end_year + 1)
        items = [p.agenda_for(y) for y in years]
        guideline = [item if item is not None and item.item == "guideline" else None for item in items]
        return {
            "vacuum": [p.vacuum.at(y) for y in years],
            "pressure": [p.pressure.at(y) for y in years],
            "tau": [threat_levels(p.threat, p.shocks, y) for y in years],
            "summit_due": [p.summit_due(y) for y in years],
            "item_level": [item.level if item else np.nan for item in guideline],
            "item_deadline": [item.deadline if item else np.nan for item in guideline],
            "review": [item is not None and item.item == "review" for item in items],
            "substantive": [item is not None and item.item in ("guideline", "review") for item in items],
            "qualified_majority": [p.decision_rule.at(y) == "qualified_majority" for y in years],
            **{lever: [getattr(p, lever).at(y) for y in years] for lever in LEVERS},
        }

    distinct, position = distinct_scenarios(scenarios)  # runs that share a scenario object share its paths
    rows = [one(s) for s in distinct]
    stacked = {key: np.array([row[key] for row in rows])[position] for key in rows[0]}
    return YearlyPaths(
        vacuum=stacked["vacuum"].astype(float),
        pressure=stacked["pressure"].astype(float),
        tau=stacked["tau"].astype(float),
        summit_due=stacked["summit_due"].astype(bool),
        item_level=stacked["item_level"].astype(float),
        item_deadline=stacked["item_deadline"].astype(float),
        review=stacked["review"].astype(bool),
        substantive=stacked["substantive"].astype(bool),
        qualified_majority=stacked["qualified_majority"].astype(bool),
        levers={lever: stacked[lever].astype(float) for lever in LEVERS},
    )


@dataclass(frozen=True)
class RandomDraws:
    """Every random number of R runs, drawn in one place at set-up from each run's own generator.

    Per run, in this order: each simulated year the US's erratic shock followed by one budget
    shock per ally; then one hedging threshold per ally (heterogeneous thresholds).
    """

    us_shocks: np.ndarray  # (R, years - 1)
    budget_shocks: np.ndarray  # (R, years - 1, N)
    hedge_threshold: np.ndarray  # (R, N)

    @classmethod
    def draw(cls, generators: Sequence[np.random.Generator], n: int, simulated_years: int, params: RunParameters):
        mean, spread = params.run("hedge_threshold"), params.run("hedge_spread")
        shocks = np.empty((len(generators), simulated_years, n + 1))
        threshold = np.empty((len(generators), n))
        for r, rng in enumerate(generators):
            shocks[r] = rng.standard_normal(simulated_years * (n + 1)).reshape(simulated_years, n + 1)
            threshold[r] = mean[r] + spread[r] * rng.standard_normal(n)
        return cls(us_shocks=shocks[:, :, 0], budget_shocks=shocks[:, :, 1:], hedge_threshold=threshold)


@dataclass(frozen=True)
class Runs:
    """The fixed inputs of R runs that share start year, end year and allies (see the module docstring)."""

    scenarios: tuple[Scenario, ...]
    alliance: Alliance  # the first run's structure (iso3, armed, masks are the same for every run)
    params: RunParameters
    paths: YearlyPaths
    draws: RandomDraws
    exposure: np.ndarray  # (R, N, 3)
    space: np.ndarray  # (R, N) fiscal space from debt, in [0, 1]
    max_rise: np.ndarray  # (R, N) largest yearly rise fiscal space allows
    rivalry: PairEntries  # (R, N, N) standing rivalries (data), kept as the few pairs that have one
    rivalry_threat: np.ndarray  # (R, N) threat from a rival ally
    disputes: tuple[dict[int, np.ndarray], ...]  # per run {year: (N, N)}
    starts: tuple  # per run StartingState
    guidelines: np.ndarray  # (R, 3): level, adopted, deadline at the start (NaN if none)
    partner_gdp: np.ndarray  # (R, P)
    partner_spending: np.ndarray  # (P,)
    volatility: np.ndarray  # (R,)
    reversion: np.ndarray  # (R,)
    allow_exemptions: np.ndarray  # (R,) bool
    start_year: int
    end_year: int

    @property
    def count(self) -> int:
        return len(self.scenarios)

    @property
    def n(self) -> int:
        return self.alliance.n

    @property
    def us(self) -> int:
        return self.alliance.us_index

    def members_in(self, year: int) -> np.ndarray:
        """(N,) 1.0 for allies that are members in ``year`` (accession year or later)."""
        return self.alliance.members_in(year)

    def t(self, year: int) -> int:
        """Column of ``year`` in the yearly paths."""
        return year - self.start_year

    def disputes_in(self, year: int):
        """This year's dispute tension, shape (R, N, N), or 0.0 when no run has a dispute this year."""
        if not any(self.disputes) or not any(year in d for d in self.disputes):  # the first test is C-fast
            return 0.0
        zeros = np.zeros((self.n, self.n))
        return np.stack([d.get(year, zeros) for d in self.disputes])


def prepare_runs(scenarios: Sequence[Scenario], generators: Sequence[np.random.Generator], data) -> Runs:
    """The fixed inputs of R runs; ``data`` (allies, partners, debt, rivalries) comes from the io layer
    (:func:`cohesion_sim.dataset.load_alliance_data`).

    All runs must share start year, end year, data year and data file. Set-up work is cached per
    scenario object, so replicates of one scenario should pass the same object.
    """
    if not scenarios:
        raise ValueError("no runs")
    if len(scenarios) != len(generators):
        raise ValueError(f"{len(scenarios)} scenarios but {len(generators)} random generators")
    first = scenarios[0]
    frame = (first.start_year, first.end_year, first.resolved_data_year, first.data_file)
    for s in scenarios:
        if (s.start_year, s.end_year, s.resolved_data_year, s.data_file) != frame:
            raise ValueError("all runs of a batch must share start_year, end_year, data_year and data_file")
    data_year = first.resolved_data_year
    structures: dict[tuple, Alliance] = {}
    tensions: dict[tuple, np.ndarray] = {}  # the start's tension rest point, shared by runs that agree on its inputs
    distinct, position = distinct_scenarios(scenarios)  # set-up once per scenario object
    per_object: list[tuple] = []
    for s in distinct:
        key = (s.east_distance_km, s.east_border_bonus, s.south_coast_exposure, s.hybrid_exposure, s.us_spending,
               s.debt_limit, s.max_rise_low, s.rivalry_threat)  # fmt: skip
        if key not in structures:
            structures[key] = build_alliance(s, data_year, data.allies, data.debt, data.rivalries)
        alliance = structures[key]
        tension_key = (key, start_tension_key(s))
        if tension_key not in tensions:
            tensions[tension_key] = start_tension(alliance, s)
        start = starting_state(alliance, s, tensions[tension_key])
        per_object.append((alliance, start, dispute_matrices(alliance, s.disputes), starting_guideline(s)))
    setups = [per_object[k] for k in position]
    structure = [setup[0] for setup in setups]
    params = RunParameters(scenarios)
    count = len(scenarios)
    enabled = any(s.partnerships.at(y) > 0 for s in distinct for y in range(s.start_year, s.end_year + 1))
    partners = tuple(data.partners) if enabled else ()
    return Runs(
        scenarios=tuple(scenarios),
        alliance=structure[0],
        params=params,
        paths=yearly_paths(scenarios),
        draws=RandomDraws.draw(generators, structure[0].n, first.end_year - first.start_year, params),
        exposure=np.stack([a.exposure for a in structure]),
        space=np.stack([a.space for a in structure]),
        max_rise=np.stack([a.max_rise for a in structure]),
        rivalry=PairEntries.from_dense(np.stack([a.rivalry for a in structure])),
        rivalry_threat=np.stack([a.rivalry_threat for a in structure]),
        disputes=tuple(setup[2] for setup in setups),
        starts=tuple(setup[1] for setup in setups),
        guidelines=np.array([setup[3] for setup in setups], dtype=float),
        partner_gdp=np.tile([q.gdp for q in partners], (count, 1)) if partners else np.zeros((count, 0)),
        partner_spending=np.array([q.spending for q in partners], dtype=float),
        volatility=np.array([s.vacuum.volatility for s in scenarios]),
        reversion=np.array([s.vacuum.reversion for s in scenarios]),
        allow_exemptions=np.array([s.allow_exemptions for s in scenarios]),
        start_year=first.start_year,
        end_year=first.end_year,
    )
