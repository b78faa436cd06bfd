"""The batch engine: R runs of the alliance advanced at once on arrays of shape (R, N) and (R, N, N).

Model 2.0 (issue 9) lives here first: the year in :meth:`BatchEngine.step` composes the rule
functions (:func:`~cohesion_sim.rules.decide_member` and friends), the start comes from
:mod:`cohesion_sim.alliance` (observed conditions, ally effects) and reporting from
:func:`~cohesion_sim.metrics.state_metrics`. The Mesa model has not been ported yet, so the old
engine-equals-model guarantee does not hold on this branch.

State the year needs (R runs, N allies; the US is one column, ``us_index``):

- fixed per run: ``exposure`` (R, N, 3), ``gdp`` (R, N, grows), ``space`` (R, N) fiscal space from debt,
  ``max_rise`` (R, N), ``rivalry`` (R, N, N), ``rivalry_threat`` (R, N), ``private_demand`` (R, N),
  ``hedge_threshold`` (R, N) (drawn from each run's rng after the yearly shocks), ``accession`` (N,);
- dynamic: ``spending``, ``previous_spending``, ``transatlantic``, ``european`` (two commitments),
  ``reliability``, ``threat``, ``status``, ``partner_ties``, ``exempt``, ``path_start`` (all (R, N)),
  ``plans`` (R, N, 3) budget targets decided 1-3 years ago, ``tension`` (R, N, N);
- per run: ``vacuum``, ``previous_vacuum``, ``last_change`` (for erratic moves), ``deviation``,
  ``pressure``, guideline ``level``/``adopted``/``deadline`` (all (R,)).

Per-run parameters reach the rules as arrays that broadcast against the ally axis: shape
(R, 1) for values the rules use per ally, (R, 1, 1) for values they use per pair of allies.
Schedules (vacuum path, pressure, threat levels, summits) are evaluated per run once at set-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .alliance import (
    all_priorities,
    build_alliance,
    conformity,
    dispute_matrices,
    divergence_and_agenda,
    starting_guideline,
    starting_state,
)
from .dataset import DataError, load_allies, load_partners
from .metrics import blocs, pair_weights, state_metrics, sub_cohesion
from .rules import (
    ALIGNED,
    DISENGAGED,
    HEDGING,
    AllianceView,
    AllyState,
    YearContext,
    decide_member,
    erratic_change,
    exemption_tension,
    failure_tension,
    guideline_shortfall,
    keeping_pace,
    overall_commitment,
    lag_weights,
    perceived_threat,
    pillar_share,
    stance_imbalance,
    summit_commitment,
    summit_decision,
    supports_item,
    symmetrize_tension,
    us_voting_commitment,
    vacuum_deviation,
    vacuum_level,
)
from .scenario import Scenario
from .scenario_files import ScenarioError
from .schedules import DIRECTIONS, threat_levels

#: Scenario parameters the rules use per pair of allies (on tension rows), so they get shape (R, 1, 1).
PAIR_PARAMETERS = frozenset(
    {
        "peer_threat_bandwidth", "coordination", "pillar_coordination", "partner_intelligence", "tension_decay",
        "grievance_tension", "divergence_tension", "pressure_tension", "coordination_effect", "rivalry_tension",
        "balance_tension", "pillar_friction",
    }
)  # fmt: skip

#: Model reporters, as in :data:`cohesion_sim.model.MODEL_REPORTERS`; the summit outcome is coded.
SUMMIT_CODES = {"none": 0, "passed": 1, "passed with exemptions": 2, "failed": 3}
SUMMIT_NAMES = {code: name for name, code in SUMMIT_CODES.items()}
#: Final-year outputs the engine can report per run.
FINAL_METRICS = (
    "vacuum", "pressure", "tau_east", "tau_south", "tau_hybrid", "guideline", "cohesion", "cohesion_europe",
    "connectivity", "connectivity_europe", "blocs", "modularity", "allies_at_2pct", "allies_at_guideline",
    "mean_spending", "gdp_weighted_spending", "european_spending", "european_effort", "european_share",
    "declaration_gap", "hedging", "disengaged", "us_tension", "european_tension", "summit", "summits_held",
    "summits_failed", "min_cohesion",
)  # fmt: skip
AGENT_OUTPUTS = (
    "spending", "commitment", "transatlantic_commitment", "european_commitment", "us_reliability", "threat",
    "tension_with_us", "mean_tension", "status", "meets_guideline", "member",
)  # fmt: skip


class RunParameters:
    """A scenario's numeric fields for R runs, shaped so the rules broadcast them per run.

    ``p.coordination`` is an array of shape (R, 1, 1) (a per-pair parameter); most others have
    shape (R, 1); ``p.run("name")`` gives shape (R,).
    """

    def __init__(self, scenarios: Sequence[Scenario]):
        self._flat: dict[str, np.ndarray] = {}
        for name, info in Scenario.model_fields.items():
            value = getattr(scenarios[0], name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            values = np.array([getattr(s, name) for s in scenarios], dtype=float)
            self._flat[name] = values
            setattr(self, name, values[:, None, None] if name in PAIR_PARAMETERS else values[:, None])
        # derived: weights of decisions taken 1, 2, 3 years ago in this year's outlays, shape (R, 1, 3)
        self.lag_weights = lag_weights(self._flat["budget_lag"])[:, None, :]

    def run(self, name: str) -> np.ndarray:
        return self._flat[name]


@dataclass
class BatchResult:
    """Outputs of R runs: ``final[name]`` has shape (R,), ``yearly[name]`` (R, years), ``agents[name]`` (R, years, N)."""

    years: np.ndarray
    final: dict[str, np.ndarray]
    yearly: dict[str, np.ndarray] = field(default_factory=dict)
    agents: dict[str, np.ndarray] = field(default_factory=dict)
    iso3: tuple[str, ...] = ()


@dataclass
class _Schedules:
    """One run's scenario-driven paths, evaluated for every year from the start year."""

    vacuum_path: np.ndarray
    pressure: np.ndarray
    tau: np.ndarray  # (years, 3)
    summit_due: np.ndarray  # bool
    item_level: np.ndarray  # NaN unless a guideline item is on the agenda
    item_deadline: np.ndarray
    substantive: np.ndarray  # bool: a guideline item (a unity declaration is symbolic)


def _schedules(p: Scenario) -> _Schedules:
    years = range(p.start_year, p.end_year + 1)
    items = [p.agenda_for(y) for y in years]
    guideline_items = [item if item is not None and item.item == "guideline" else None for item in items]
    return _Schedules(
        vacuum_path=np.array([p.vacuum.at(y) for y in years]),
        pressure=np.array([p.pressure.at(y) for y in years]),
        tau=np.array([threat_levels(p.threat, p.shocks, y) for y in years]),
        summit_due=np.array([p.summit_due(y) for y in years]),
        item_level=np.array([item.level if item else np.nan for item in guideline_items]),
        item_deadline=np.array([item.deadline if item else np.nan for item in guideline_items]),
        substantive=np.array([item is not None for item in guideline_items]),
    )


@dataclass
class _RunSetup:
    """Everything fixed at a run's start, shared by the runs of one scenario object."""

    alliance: Any
    start: Any
    schedules: _Schedules
    disputes: dict[int, np.ndarray]
    guideline: tuple[float, float, float]


class BatchEngine:
    """R runs advanced together; all runs share the start year, end year and allies data.

    Args:
        scenarios: one validated :class:`Scenario` per run (pass the same object for replicates:
            set-up work is cached per object).
        seeds: one non-negative integer seed per run.
        yearly: keep every model reporter every year (else only the final year's).
        agents: keep the agent reporters every year (the equivalence test uses this).
        with_blocs: compute the Louvain bloc count (a per-run networkx call: the slowest output);
            in the final year only unless ``yearly``.
    """

    def __init__(self, scenarios: Sequence[Scenario], seeds: Sequence[int], *, yearly: bool = False,
                 agents: bool = False, with_blocs: bool = True):  # fmt: skip
        if len(scenarios) != len(seeds):
            raise ValueError(f"{len(scenarios)} scenarios but {len(seeds)} seeds")
        if not scenarios:
            raise ValueError("no runs")
        first = scenarios[0]
        frame = (first.start_year, first.end_year, first.resolved_data_year, first.data_file)
        for s in scenarios:
            if (s.start_year, s.end_year, s.resolved_data_year, s.data_file) != frame:
                raise ValueError("all runs of a batch must share start_year, end_year, data_year and data_file")
        self.scenarios = list(scenarios)
        self.seeds = [int(seed) for seed in seeds]
        if any(seed < 0 for seed in self.seeds):
            raise ScenarioError("rng: seed must be a non-negative integer")
        self.keep_yearly, self.keep_agents, self.with_blocs = yearly, agents, with_blocs
        self.start_year, self.end_year = first.start_year, first.end_year
        self.data_year = first.resolved_data_year
        try:
            allies = load_allies(first.data_file)
        except DataError as exc:
            raise ScenarioError(f"field 'data_file': {exc}") from None
        self._setup(allies)

    # ---------------------------------------------------------------------------- set-up
    def _setup(self, allies) -> None:
        runs = self.scenarios
        r_count = len(runs)
        alliances: dict[tuple, Any] = {}
        by_object: dict[int, _RunSetup] = {}
        setups: list[_RunSetup] = []
        for s in runs:
            if id(s) not in by_object:
                key = (s.east_distance_km, s.east_border_bonus, s.south_coast_exposure, s.hybrid_exposure,
                       s.us_spending, s.debt_limit, s.max_rise_low, s.max_rise_high, s.rivalry_threat)  # fmt: skip
                if key not in alliances:
                    alliances[key] = build_alliance(s, self.data_year, allies)
                alliance = alliances[key]
                by_object[id(s)] = _RunSetup(alliance, starting_state(alliance, s), _schedules(s),
                                             dispute_matrices(alliance, s.disputes), starting_guideline(s))  # fmt: skip
            setups.append(by_object[id(s)])
        first = setups[0].alliance
        self.n, self.us = first.n, first.us_index
        self.iso3 = first.iso3
        self.armed, self.us_mask, self.is_europe = first.armed, first.us_mask, first.is_europe
        self.members = 1.0 - first.us_mask
        self.identity = np.eye(self.n)
        self.p = RunParameters(runs)

        alliance = [setup.alliance for setup in setups]
        self.alliance = first
        self.accession = first.accession
        # ---- fixed per run, shape (R, N) / (R, N, 3) / (R, N, N)
        self.exposure = np.stack([a.exposure for a in alliance])
        self.gdp = np.stack([a.gdp for a in alliance])
        self.spending = np.stack([a.spending for a in alliance])
        self.space = np.stack([a.space for a in alliance])  # fiscal space from debt data
        self.max_rise = np.stack([a.max_rise for a in alliance])  # largest yearly rise from fiscal space
        self.rivalry = np.stack([a.rivalry for a in alliance])  # standing rivalries (data)
        self.rivalry_threat = np.stack([a.rivalry_threat for a in alliance])
        start = [setup.start for setup in setups]
        # ---- dynamic state, shape (R, N) unless noted
        self.transatlantic = np.stack([st.transatlantic for st in start])  # commitment to the transatlantic bond
        self.european = np.stack([st.european for st in start])  # commitment to European allies and Canada
        self.reliability = np.stack([st.reliability for st in start])
        self.threat = np.stack([st.threat for st in start])
        self.tension = np.stack([st.tension for st in start])  # (R, N, N)
        self.status = np.stack([st.status for st in start]).astype(float)
        self.private_demand = np.stack([st.private_demand for st in start])
        self.previous_spending = self.spending.copy()  # last year's spending, for reciprocity (keeping pace)
        self.plans = np.repeat(self.spending[:, :, None], 3, axis=2)  # (R, N, 3): targets decided 1-3 years ago
        schedules = [setup.schedules for setup in setups]
        self.vacuum_path = np.stack([sc.vacuum_path for sc in schedules])
        self.pressure_path = np.stack([sc.pressure for sc in schedules])
        self.tau_path = np.stack([sc.tau for sc in schedules])
        self.summit_due = np.stack([sc.summit_due for sc in schedules])
        self.item_level = np.stack([sc.item_level for sc in schedules])
        self.item_deadline = np.stack([sc.item_deadline for sc in schedules])
        self.substantive = np.stack([sc.substantive for sc in schedules])
        self.disputes = [setup.disputes for setup in setups]
        self.dispute_years = sorted({year for d in self.disputes for year in d})
        guideline = np.array([setup.guideline for setup in setups], dtype=float)
        self.level, self.adopted, self.deadline = guideline[:, 0], guideline[:, 1], guideline[:, 2]

        # random numbers: each run's own stream: yearly shocks (US + one per ally), then hedging thresholds
        years = self.end_year - self.start_year
        self.shocks = np.empty((r_count, years, self.n + 1))
        self.hedge_threshold = np.empty((r_count, self.n))
        mean, spread = self.p.run("hedge_threshold"), self.p.run("hedge_spread")
        for r, seed in enumerate(self.seeds):
            rng = np.random.default_rng(seed)
            self.shocks[r] = rng.standard_normal(years * (self.n + 1)).reshape(years, self.n + 1)
            self.hedge_threshold[r] = mean[r] + spread[r] * rng.standard_normal(self.n)

        self.partner_ties = np.zeros((r_count, self.n))
        self.exempt = np.zeros((r_count, self.n))
        self.path_start = self.spending.copy()
        self.deviation = np.zeros(r_count)
        self.volatility = np.array([s.vacuum.volatility for s in runs])
        self.reversion = np.array([s.vacuum.reversion for s in runs])
        self.vacuum = np.array([s.reference_vacuum for s in runs])
        self.previous_vacuum = self.vacuum.copy()
        self.last_change = np.zeros(r_count)  # last year's change in v (erratic_change reads reversals)
        self.pressure = np.array([setup.start.pressure for setup in setups], dtype=float)
        self.year = self.start_year
        self.t = 0
        self.summit = np.zeros(r_count, dtype=int)
        self.summits_held = np.zeros(r_count, dtype=int)
        self.summits_failed = np.zeros(r_count, dtype=int)
        self.min_cohesion = np.full(r_count, np.inf)
        self.yearly: dict[str, list] = {}
        self.agents: dict[str, list] = {}

    # ---------------------------------------------------------------------------- helpers
    def _member(self, year) -> np.ndarray:
        """(N,) 1.0 for allies that are members in ``year`` (accession year or later)."""
        return (self.accession <= year).astype(float)

    def _us_budget(self) -> np.ndarray:
        """US defence budget, US$ bn, shape (R,)."""
        return self.spending[:, self.us] / 100.0 * self.gdp[:, self.us]

    def _exempt_with_us(self) -> np.ndarray:
        exempt = self.exempt.copy()
        exempt[:, self.us] = 0.0
        return exempt

    # ---------------------------------------------------------------------------- the year
    def step(self) -> None:
        """One year for every run (MODEL.md's schedule)."""
        p, n, us = self.p, self.n, self.us
        r_count = len(self.seeds)
        year, t = self.year + 1, self.t + 1
        member = self._member(year)  # (N,) accession masks: votes, counts, guideline pull from accession on
        bound = self.armed * member * (1.0 - self.us_mask)  # armed members other than the US
        status = self.status.copy()
        status[:, us] = ALIGNED
        budgets = self.spending / 100.0 * self.gdp
        hedging = (status == HEDGING).astype(float)
        us_shock, budget_shocks = self.shocks[:, t - 1, 0], self.shocks[:, t - 1, 1:]

        # 1. the US and the environment
        self.deviation = vacuum_deviation(self.deviation, us_shock, self.volatility, self.reversion)
        self.previous_vacuum = self.vacuum
        self.vacuum = vacuum_level(self.vacuum_path[:, t], self.deviation)
        erratic = erratic_change(self.vacuum, self.previous_vacuum, self.last_change)
        self.last_change = self.vacuum - self.previous_vacuum
        self.pressure = self.pressure_path[:, t]
        tau = self.tau_path[:, t]
        # priorities follow this year's threat levels and the US pivot (which grows with v)
        priorities = all_priorities(self.alliance, tau, p.run("us_pivot"), self.vacuum)  # (R, N, 4)
        divergence, agenda = divergence_and_agenda(priorities, self.us_mask, self.vacuum)  # (R, N, N), (R, 4)
        disputes = self._disputes(year)
        exempt = self._exempt_with_us()
        level, adopted, deadline = self.level[:, None], self.adopted[:, None], self.deadline[:, None]
        shortfall = guideline_shortfall(self.spending, self.path_start, self.armed * member, exempt, year, level,
                                        adopted, deadline) * (1.0 - self.us_mask)  # fmt: skip
        # shortfall on US-ally pairs (both directions), 0 elsewhere: US pressure x shortfall builds US-ally tension
        shortfall_pairs = self.us_mask[None, None, :] * shortfall[:, :, None] + self.us_mask[None, :, None] * shortfall[:, None, :]
        context = YearContext(
            year=year, vacuum=self.vacuum[:, None], erratic=erratic[:, None], pressure=self.pressure[:, None],
            threat_levels=tau[:, None, :], guideline=level, adopted=adopted, deadline=deadline,
            conformity=conformity(self.spending, bound, self.level)[:, None],
            reciprocity=keeping_pace(self.spending, self.previous_spending, level, bound, p.reciprocity_tolerance)[:, None],
            agenda=agenda[:, None, :], us_budget=self._us_budget()[:, None],
        )  # fmt: skip
        view = AllianceView(
            spending=self.spending[:, None, :], european=self.european[:, None, :], budgets=budgets[:, None, :],
            threat=self.threat[:, None, :], armed=self.armed, member=member, hedging=hedging[:, None, :],
            partner_ties=self.partner_ties[:, None, :], us_mask=self.us_mask,
            pillar=pillar_share(hedging, self.gdp, member * (1.0 - self.us_mask))[:, None],
        )  # fmt: skip
        own = AllyState(
            spending=self.spending, previous_spending=self.previous_spending, transatlantic=self.transatlantic,
            european=self.european, reliability=self.reliability, status=status, partner_ties=self.partner_ties,
            gdp=self.gdp, armed=self.armed, member=np.broadcast_to(member, (r_count, n)),
            private_demand=self.private_demand, max_rise=self.max_rise, space=self.space,
            hedge_threshold=self.hedge_threshold, plans=self.plans, exempt=exempt, path_start=self.path_start,
            exposure=self.exposure, priorities=priorities, rivalry_threat=self.rivalry_threat,
            tension_row=self.tension, self_mask=self.identity, divergence_row=divergence,
            imbalance_row=stance_imbalance(self.tension, self.gdp / self.gdp.sum(axis=1, keepdims=True)), rivalry_row=self.rivalry, shortfall_row=shortfall_pairs,
            dispute_row=disputes,
        )  # fmt: skip

        # 2. decide: every ally at once, the US's tension row included (its other outputs are not used)
        with np.errstate(divide="ignore", invalid="ignore"):
            decision = decide_member(own, view, context, p, budget_shocks)

        # 3. act: all at once
        others = self.members > 0
        self.threat = np.where(others, decision.threat, perceived_threat(self.exposure, tau[:, None, :]))
        self.reliability = np.where(others, decision.reliability, 1.0)
        self.previous_spending = self.spending
        self.spending = np.where(others, decision.spending, self.spending)
        # budget lags: this year's decision joins the pipeline; outlays execute it from next year
        self.plans = np.concatenate([np.where(others, decision.target, self.spending)[:, :, None], self.plans[:, :, :2]],
                                    axis=2)  # fmt: skip
        self.transatlantic = np.where(others, decision.transatlantic, 1.0 - self.vacuum[:, None])
        self.european = np.where(others, decision.european, 1.0 - self.vacuum[:, None])
        self.status = np.where(others, decision.status, ALIGNED).astype(float)
        self.partner_ties = np.where(others, decision.partner_ties, 0.0)
        growth = 1.0 + p.gdp_growth
        self.gdp = self.gdp * growth
        self.tension = symmetrize_tension(decision.tension_row)
        self.year, self.t = year, t

        # 4. summit
        self.summit = np.zeros(r_count, dtype=int)
        due = self.summit_due[:, t]
        if due.any():
            self._hold_summit(year, t, due, member)

        # 5. metrics
        if self.keep_yearly or self.keep_agents or year >= self.end_year:
            self._measure()
        else:
            self._track_minima()

    def _disputes(self, year: int):
        if year not in self.dispute_years:
            return 0.0
        zeros = np.zeros((self.n, self.n))
        return np.stack([d.get(year, zeros) for d in self.disputes])

    def _hold_summit(self, year: int, t: int, due: np.ndarray, member: np.ndarray) -> None:
        """Vote on each run's agenda item where a summit is due; only substantive items have consequences."""
        p = self.p
        level = self.item_level[:, t]
        is_guideline = np.isfinite(level)
        substantive = self.substantive[:, t] & due
        commitment = overall_commitment(self.transatlantic, self.european)
        spending, gdp = self.spending, self.gdp
        item_level = np.where(is_guideline[:, None] & (self.armed > 0), np.where(is_guideline, level, 0.0)[:, None], spending)
        disengaged = (self.status == DISENGAGED) & (self.members > 0)
        commitment[:, self.us] = us_voting_commitment(self.vacuum, self.pressure, is_guideline)
        yes = supports_item(commitment, spending, item_level, disengaged, p.support_threshold, p.support_slope)
        # voters: members; the US only on items that concern it (a guideline), never a veto on European items
        voters = member[None, :] * np.where(is_guideline[:, None], 1.0, 1.0 - self.us_mask[None, :]) > 0
        passed, exempted = summit_decision(
            yes=yes, voters=voters, gdp=gdp, qualified_majority=np.array([s.decision_rule == "qualified_majority"
                                                                          for s in self.scenarios]),
            allow_exemptions=np.array([s.allow_exemptions for s in self.scenarios]) & is_guideline,
            max_exemptions=p.run("max_exemptions"), member_share=p.run("qmv_member_share"),
            gdp_share=p.run("qmv_gdp_share"), weight_cap=p.run("qmv_weight_cap"),
        )  # fmt: skip
        passed = passed & due
        failed = ~passed & due
        exempted = exempted & substantive[:, None]
        # costly signals: a substantive item that passes binds its supporters; one that fails sets holdouts
        # against supporters (tension that decays); a symbolic declaration changes nothing
        mask = (self.members * member)[None, :]
        self.transatlantic = summit_commitment(self.transatlantic, yes, passed & substantive, mask, p.pass_boost)
        self.european = summit_commitment(self.european, yes, passed & substantive, mask, p.pass_boost)
        if (failed & substantive).any():
            self.tension = failure_tension(self.tension, yes, failed & substantive, voters, p.run("fail_cost"))
        has_exemptions = exempted.any(axis=1)
        if has_exemptions.any():
            self.tension = exemption_tension(self.tension, exempted, p.run("exemption_tension"))
        adopt = passed & is_guideline
        if adopt.any():
            self.level = np.where(adopt, level, self.level)
            self.adopted = np.where(adopt, year, self.adopted)
            self.deadline = np.where(adopt, self.item_deadline[:, t], self.deadline)
            self.path_start = np.where(adopt[:, None], spending, self.path_start)
            self.exempt = np.where(adopt[:, None], exempted.astype(float), self.exempt)
        outcome = np.where(passed, np.where(has_exemptions, SUMMIT_CODES["passed with exemptions"], SUMMIT_CODES["passed"]),
                           SUMMIT_CODES["failed"])  # fmt: skip
        self.summit = np.where(due, outcome, SUMMIT_CODES["none"])
        self.summits_held += due
        self.summits_failed += failed

    # ---------------------------------------------------------------------------- reporting
    def _us_europe_budget(self) -> np.ndarray:
        """The US defence effort for European security, phi_US (1 - v) M_US (US$ bn): it shrinks with the vacuum."""
        return self.p.run("us_share_for_europe") * (1.0 - self.vacuum) * self._us_budget()

    def _state_metrics(self) -> dict[str, np.ndarray]:
        status = self.status.copy()
        status[:, self.us] = ALIGNED
        return state_metrics(
            spending=self.spending, transatlantic=self.transatlantic, european=self.european, vacuum=self.vacuum,
            gdp=self.gdp, status=status, tension=self.tension, path_start=self.path_start,
            exempt=self._exempt_with_us(), level=self.level, adopted=self.adopted, deadline=self.deadline,
            year=self.year, armed=self.armed, us_mask=self.us_mask, is_europe=self.is_europe,
            member=self._member(self.year), us_europe_budget=self._us_europe_budget(),
        )  # fmt: skip

    def _track_minima(self) -> None:
        member = self._member(self.year)
        weights = pair_weights(self.transatlantic, self.european, self.vacuum, self.tension, self.us_mask, member)
        self.min_cohesion = np.minimum(self.min_cohesion, sub_cohesion(weights, member))

    def _measure(self) -> dict[str, np.ndarray]:
        state = self._state_metrics()
        final = self.year >= self.end_year
        weights = state.pop("weights")
        if self.with_blocs and (self.keep_yearly or self.keep_agents or final):
            member = self._member(self.year)
            engaged = (self.status != DISENGAGED) * member[None, :]
            found = [blocs(w, engaged=e) for w, e in zip(weights, engaged)]
            state["blocs"] = np.array([b for b, _ in found])
            state["modularity"] = np.array([q for _, q in found])
        else:
            state["blocs"] = np.full(len(self.seeds), -1)
            state["modularity"] = np.full(len(self.seeds), np.nan)
        t = self.t
        state.update(
            year=np.full(len(self.seeds), self.year),
            vacuum=self.vacuum.copy(),
            pressure=np.asarray(self.pressure, dtype=float).copy(),
            **{f"tau_{k}": self.tau_path[:, t, j] for j, k in enumerate(DIRECTIONS)},
            guideline=self.level.copy(),
            summit=self.summit.copy(),
        )
        self.min_cohesion = np.minimum(self.min_cohesion, state["cohesion"])
        self.metrics = state
        if self.keep_yearly or self.keep_agents:
            for name, value in state.items():
                self.yearly.setdefault(name, []).append(value)
        if self.keep_agents:
            level = self.level[:, None]
            values = {
                "spending": self.spending,
                "commitment": overall_commitment(self.transatlantic, self.european),
                "transatlantic_commitment": self.transatlantic,
                "european_commitment": self.european,
                "us_reliability": self.reliability,
                "threat": self.threat,
                "tension_with_us": self.tension[:, :, self.us],
                "mean_tension": self.tension.sum(axis=-1) / (self.n - 1),
                "status": self.status,
                "meets_guideline": (self.armed > 0) & np.isfinite(level) & (self.spending >= np.nan_to_num(level, nan=np.inf)),
                "member": np.broadcast_to(self._member(self.year), self.spending.shape),
            }
            for name, value in values.items():
                self.agents.setdefault(name, []).append(np.array(value))
        return state

    # ---------------------------------------------------------------------------- running
    def run(self) -> BatchResult:
        """Measure the start year, step to the end year, and collect the outputs."""
        if self.keep_yearly or self.keep_agents:
            self._measure()
        else:
            self._track_minima()
        while self.year < self.end_year:
            self.step()
        final = {name: np.asarray(self.metrics[name]) for name in FINAL_METRICS if name in self.metrics}
        final.update(summits_held=self.summits_held, summits_failed=self.summits_failed,
                     min_cohesion=self.min_cohesion)
        years = np.arange(self.start_year, self.end_year + 1)
        yearly = {name: np.stack(values, axis=1) for name, values in self.yearly.items()}
        agents = {name: np.stack(values, axis=1) for name, values in self.agents.items()}
        return BatchResult(years=years, final=final, yearly=yearly, agents=agents, iso3=self.iso3)


def run_batch(scenarios: Sequence[Scenario], seeds: Sequence[int], *, yearly: bool = False, agents: bool = False,
              with_blocs: bool = True) -> BatchResult:  # fmt: skip
    """Run R scenarios with their seeds on the batch engine; see :class:`BatchEngine`."""
    return BatchEngine(scenarios, seeds, yearly=yearly, agents=agents, with_blocs=with_blocs).run()


__all__ = ["AGENT_OUTPUTS", "FINAL_METRICS", "SUMMIT_CODES", "SUMMIT_NAMES", "BatchEngine", "BatchResult", "run_batch"]
