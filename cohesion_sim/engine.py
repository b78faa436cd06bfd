"""The batch engine: R runs of the alliance advanced at once on arrays of shape (R, N).

It repeats :class:`~cohesion_sim.model.AllianceModel`'s year (MODEL.md's schedule) with the
same rule functions (:func:`~cohesion_sim.rules.decide_member` and friends), the same
initialization (:mod:`cohesion_sim.alliance`) and the same reporting
(:func:`~cohesion_sim.metrics.state_metrics`), so there is no second copy of the model's logic.
Only the bookkeeping differs: instead of 32 agents holding floats, the engine holds arrays
with one row per run.

Every run has its own scenario and seed. Its random numbers come from its own
``numpy.random.default_rng(seed)`` in the model's order (fiscal space at initialization, then
each year the US shock followed by one budget shock per ally), so a run of the engine equals
``AllianceModel(scenario, rng=seed)`` run alone (``tests/test_engine.py`` checks to 1e-9).

Per-run parameters reach the rules as arrays that broadcast against the ally axis: shape
(R, 1) for values the rules use per ally, (R, 1, 1) for values they use per pair of allies.
Schedules (vacuum path, pressure, threat levels, summits) are evaluated per run in a small
Python loop once at set-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .alliance import build_alliance, dispute_matrices, starting_guideline, starting_state, year_context
from .dataset import DataError, load_allies, load_partners
from .metrics import alliance_weights, blocs, cohesion, state_metrics
from .rules import (
    ALIGNED,
    DISENGAGED,
    HEDGING,
    AllianceView,
    AllyState,
    decide_member,
    perceived_threat,
    exemption_tension,
    summit_commitment,
    summit_decision,
    supports_item,
    us_voting_commitment,
    symmetrize_tension,
    tension_row_update,
    vacuum_deviation,
    vacuum_level,
)
from .scenario import Scenario
from .scenario_files import ScenarioError
from .schedules import DIRECTIONS, threat_levels

#: Scenario parameters the rules use per pair of allies (on tension rows), so they get shape (R, 1, 1).
PAIR_PARAMETERS = frozenset(
    {
        "peer_threat_bandwidth", "coordination", "pillar_coordination", "tension_decay", "grievance_tension",
        "divergence_tension", "pressure_tension", "coordination_effect",
    }
)  # fmt: skip

#: Model reporters, as in :data:`cohesion_sim.model.MODEL_REPORTERS`; the summit outcome is coded.
SUMMIT_CODES = {"none": 0, "passed": 1, "passed with exemptions": 2, "failed": 3}
SUMMIT_NAMES = {code: name for name, code in SUMMIT_CODES.items()}
#: Final-year outputs the engine can report per run.
FINAL_METRICS = (
    "vacuum", "pressure", "tau_east", "tau_south", "tau_hybrid", "guideline", "cohesion", "connectivity", "blocs",
    "allies_at_2pct", "allies_at_guideline", "mean_spending", "gdp_weighted_spending", "european_share",
    "declaration_gap", "hedging", "disengaged", "us_tension", "european_tension", "summit", "summits_held",
    "summits_failed", "min_cohesion",
)  # fmt: skip
AGENT_OUTPUTS = (
    "spending", "commitment", "us_reliability", "threat", "tension_with_us", "mean_tension", "status",
    "meets_guideline",
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
                       s.us_pivot, s.us_spending)  # fmt: skip
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
        self.exposure = np.stack([a.exposure for a in alliance])
        self.priorities = np.stack([a.priorities for a in alliance])
        self.divergence = np.stack([a.divergence for a in alliance])
        self.us_focus = np.stack([a.us_focus for a in alliance])
        self.european_priorities = np.stack([a.european_priorities for a in alliance])
        self.gdp = np.stack([a.gdp for a in alliance])
        self.spending = np.stack([a.spending for a in alliance])
        start = [setup.start for setup in setups]
        self.commitment = np.stack([st.commitment for st in start])
        self.reliability = np.stack([st.reliability for st in start])
        self.threat = np.stack([st.threat for st in start])
        self.tension = np.stack([st.tension for st in start])
        self.status = np.stack([st.status for st in start]).astype(float)
        self.private_demand = np.stack([st.private_demand for st in start])
        schedules = [setup.schedules for setup in setups]
        self.vacuum_path = np.stack([sc.vacuum_path for sc in schedules])
        self.pressure_path = np.stack([sc.pressure for sc in schedules])
        self.tau_path = np.stack([sc.tau for sc in schedules])
        self.summit_due = np.stack([sc.summit_due for sc in schedules])
        self.item_level = np.stack([sc.item_level for sc in schedules])
        self.item_deadline = np.stack([sc.item_deadline for sc in schedules])
        self.disputes = [setup.disputes for setup in setups]
        self.dispute_years = sorted({year for d in self.disputes for year in d})
        guideline = np.array([setup.guideline for setup in setups], dtype=float)
        self.level, self.adopted, self.deadline = guideline[:, 0], guideline[:, 1], guideline[:, 2]

        # random numbers: each run's own stream, in the model's order
        years = self.end_year - self.start_year
        self.max_rise = np.empty((r_count, self.n))
        self.shocks = np.empty((r_count, years, self.n + 1))
        low, high = self.p.run("max_rise_low"), self.p.run("max_rise_high")
        for r, seed in enumerate(self.seeds):
            rng = np.random.default_rng(seed)
            self.max_rise[r] = rng.uniform(low[r], high[r], size=self.n)
            # one standard_normal() then standard_normal(N) per year draws the same numbers as this
            self.shocks[r] = rng.standard_normal(years * (self.n + 1)).reshape(years, self.n + 1)

        self.partnerships = self.p.run("partnerships") > 0
        partners = load_partners() if self.partnerships.any() else ()
        self.partner_gdp = np.tile([q.gdp for q in partners], (r_count, 1)) if partners else np.zeros((r_count, 0))
        self.partner_spending = np.array([q.spending for q in partners])
        self.partner_ties = np.zeros((r_count, self.n))
        self.exempt = np.zeros((r_count, self.n))
        self.path_start = self.spending.copy()
        self.deviation = np.zeros(r_count)
        self.volatility = np.array([s.vacuum.volatility for s in runs])
        self.reversion = np.array([s.vacuum.reversion for s in runs])
        self.vacuum = np.array([s.reference_vacuum for s in runs])
        self.previous_vacuum = self.vacuum.copy()
        self.pressure = self.pressure_path[:, 0].copy()
        self.year = self.start_year
        self.t = 0
        self.summit = np.zeros(r_count, dtype=int)
        self.summits_held = np.zeros(r_count, dtype=int)
        self.summits_failed = np.zeros(r_count, dtype=int)
        self.min_cohesion = np.full(r_count, np.inf)
        self.yearly: dict[str, list] = {}
        self.agents: dict[str, list] = {}

    # ---------------------------------------------------------------------------- helpers
    def _commitment_with_us(self) -> np.ndarray:
        """Every ally's commitment; the US's is the complement of the vacuum."""
        commitment = self.commitment.copy()
        commitment[:, self.us] = 1.0 - self.vacuum
        return commitment

    def _partner_budget(self) -> np.ndarray:
        if self.partner_gdp.shape[1] == 0:
            return np.zeros(len(self.seeds))
        budgets = self.partner_spending / 100.0 * self.partner_gdp
        total = np.zeros(len(self.seeds))
        for k in range(budgets.shape[1]):  # the model's sum(), in the same order
            total = total + budgets[:, k]
        return np.where(self.partnerships, total, 0.0)

    def _exempt_with_us(self) -> np.ndarray:
        exempt = self.exempt.copy()
        exempt[:, self.us] = 0.0
        return exempt

    # ---------------------------------------------------------------------------- the year
    def step(self) -> None:
        """One year for every run (AllianceModel.step)."""
        p, n, us = self.p, self.n, self.us
        year, t = self.year + 1, self.t + 1
        commitment = self._commitment_with_us()
        status = self.status.copy()
        status[:, us] = ALIGNED
        budgets = self.spending / 100.0 * self.gdp
        view_spending = self.spending.copy()
        view_threat = self.threat.copy()
        hedging = (status == HEDGING).astype(float)
        us_shock, budget_shocks = self.shocks[:, t - 1, 0], self.shocks[:, t - 1, 1:]

        # 1. the US and the environment
        self.deviation = vacuum_deviation(self.deviation, us_shock, self.volatility, self.reversion)
        self.previous_vacuum = self.vacuum
        self.vacuum = vacuum_level(self.vacuum_path[:, t], self.deviation)
        self.pressure = self.pressure_path[:, t]
        tau = self.tau_path[:, t]
        us_threat = perceived_threat(self.exposure[:, us], tau)
        disputes = self._disputes(year)
        path_start = self.path_start
        exempt = self._exempt_with_us()
        context, shortfalls = year_context(
            year, self.vacuum, self.previous_vacuum, self.pressure, tau, self.level, self.adopted, self.deadline,
            view_spending, path_start, exempt, budgets[:, us], self._partner_budget(), self.armed, self.us_mask,
            self.us_focus, self.european_priorities, p.reciprocity_tolerance,
        )  # fmt: skip
        view = AllianceView(
            spending=view_spending[:, None, :],
            commitment=commitment[:, None, :],
            budgets=budgets[:, None, :],
            threat=view_threat[:, None, :],
            armed=self.armed,
            hedging=hedging[:, None, :],
            us_mask=self.us_mask,
        )
        own = AllyState(
            spending=self.spending, commitment=self.commitment, reliability=self.reliability, status=status,
            partner_ties=self.partner_ties, gdp=self.gdp, armed=self.armed, private_demand=self.private_demand,
            max_rise=self.max_rise, exempt=exempt, path_start=path_start, exposure=self.exposure,
            priorities=self.priorities, tension_row=self.tension, self_mask=self.identity,
            divergence_row=self.divergence, dispute_row=disputes,
        )  # fmt: skip

        # 2. decide: every ally at once (the US's row of the result is not used), then the US's tension row
        with np.errstate(divide="ignore", invalid="ignore"):
            decision = decide_member(own, view, context, p, budget_shocks)
        us_row = tension_row_update(
            self.tension[:, us], us_threat, self.spending[:, us], view_spending, self.armed * (1.0 - self.identity[us]),
            self.divergence[:, us], self.pressure, shortfalls, disputes[:, us] if np.ndim(disputes) else 0.0,
            np.broadcast_to(p.run("coordination")[:, None], (len(self.seeds), n)),
            *(p.run(name)[:, None] for name in ("tension_decay", "grievance_tension", "divergence_tension",
                                                "pressure_tension", "coordination_effect")),
        ) * (1.0 - self.identity[us])  # fmt: skip

        # 3. act: all at once
        member = self.members > 0
        self.threat = np.where(member, decision.threat, self.threat)
        self.threat[:, us] = us_threat
        self.reliability = np.where(member, decision.reliability, self.reliability)
        self.spending = np.where(member, decision.spending, self.spending)
        self.commitment = np.where(member, decision.commitment, self.commitment)
        self.status = np.where(member, decision.status, ALIGNED).astype(float)
        self.partner_ties = np.where(member, decision.partner_ties, 0.0)
        rows = np.array(decision.tension_row, dtype=float)
        rows[:, us] = us_row
        growth = 1.0 + p.gdp_growth
        self.gdp = self.gdp * growth
        self.partner_gdp = self.partner_gdp * growth
        self.tension = symmetrize_tension(rows)
        self.year, self.t = year, t

        # 4. summit
        self.summit = np.zeros(len(self.seeds), dtype=int)
        due = self.summit_due[:, t]
        if due.any():
            self._hold_summit(year, t, due)

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

    def _hold_summit(self, year: int, t: int, due: np.ndarray) -> None:
        """Vote on each run's agenda item (AllianceModel.hold_summit), where a summit is due."""
        p = self.p
        level = self.item_level[:, t]
        is_guideline = np.isfinite(level)
        commitment = self._commitment_with_us()
        spending, gdp = self.spending, self.gdp
        item_level = np.where(is_guideline[:, None] & (self.armed > 0), np.where(is_guideline, level, 0.0)[:, None], spending)
        disengaged = (self.status == DISENGAGED) & (self.members > 0)
        voting = commitment.copy()
        voting[:, self.us] = us_voting_commitment(self.vacuum, self.pressure, is_guideline)
        yes = supports_item(voting, spending, item_level, disengaged, p.support_threshold, p.support_slope)
        passed, exempted = summit_decision(
            yes, gdp, np.array([s.decision_rule == "qualified_majority" for s in self.scenarios]),
            np.array([s.allow_exemptions for s in self.scenarios]) & is_guideline, p.run("max_exemptions"),
            p.run("qmv_member_share"), p.run("qmv_gdp_share"), p.run("qmv_weight_cap"),
        )  # fmt: skip
        passed = passed & due
        failed = ~passed & due
        exempted = exempted & due[:, None]
        # members where no summit was due keep their commitment: mask them out of the update
        self.commitment = summit_commitment(
            self.commitment, yes, passed, self.members * due[:, None], p.pass_boost, p.fail_cost
        )
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
    def _state_metrics(self) -> dict[str, np.ndarray]:
        status = self.status.copy()
        status[:, self.us] = ALIGNED
        return state_metrics(
            self.spending, self._commitment_with_us(), self.gdp, status, self.tension, self.path_start,
            self._exempt_with_us(), self.level, self.adopted, self.deadline, self.year, self.armed, self.us_mask,
            self.is_europe,
        )  # fmt: skip

    def _track_minima(self) -> None:
        weights = alliance_weights(self._commitment_with_us(), self.tension)
        self.min_cohesion = np.minimum(self.min_cohesion, cohesion(weights))

    def _measure(self) -> dict[str, np.ndarray]:
        state = self._state_metrics()
        final = self.year >= self.end_year
        weights = state.pop("weights")
        if self.with_blocs and (self.keep_yearly or self.keep_agents or final):
            state["blocs"] = np.array([blocs(w) for w in weights])
        else:
            state["blocs"] = np.full(len(self.seeds), -1)
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
                "commitment": self.commitment,
                "us_reliability": self.reliability,
                "threat": self.threat,
                "tension_with_us": self.tension[:, :, self.us],
                "mean_tension": self.tension.sum(axis=-1) / (self.n - 1),
                "status": self.status,
                "meets_guideline": (self.armed > 0) & np.isfinite(level) & (self.spending >= np.nan_to_num(level, nan=np.inf)),
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
