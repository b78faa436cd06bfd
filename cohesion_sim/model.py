"""AllianceModel: NATO's members under a shifting US security stance, one step a year.

Schedule of a year (synchronous; MODEL.md):
1. the US updates the vacuum and pressure; the environment updates threat levels;
2. every ally decides from last year's snapshot;
3. all decisions are applied at once and the tension matrix is made symmetric;
4. the summit votes, if one is due;
5. metrics are collected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mesa
import numpy as np

from .agents import MemberState, Partner, UnitedStates
from .alliance import build_alliance, dispute_matrices, starting_guideline, starting_state, year_context
from .dataset import DataError, load_allies, load_partners
from .metrics import blocs, state_metrics
from .rules import (
    DISENGAGED,
    HEDGING,
    AllianceView,
    perceived_threat,
    exemption_tension,
    summit_commitment,
    summit_decision,
    supports_item,
    us_voting_commitment,
    symmetrize_tension,
)
from .scenario import Scenario
from .scenario_files import ScenarioError, load_scenario
from .schedules import DIRECTIONS, threat_levels

MODEL_REPORTERS = (
    "year", "vacuum", "pressure", "tau_east", "tau_south", "tau_hybrid", "guideline", "cohesion", "connectivity",
    "blocs", "allies_at_2pct", "allies_at_guideline", "mean_spending", "gdp_weighted_spending", "european_share",
    "declaration_gap", "hedging", "disengaged", "us_tension", "european_tension", "summit",
)  # fmt: skip
AGENT_REPORTERS = (
    "iso3", "spending", "commitment", "us_reliability", "threat", "tension_with_us", "mean_tension", "status",
    "meets_guideline",
)  # fmt: skip


class AllianceModel(mesa.Model):
    """The alliance under a scenario.

    Args:
        scenario: a built-in name (``"baseline"``), a path to a YAML file, or a
            :class:`~cohesion_sim.scenario.Scenario`.
        rng: the random seed (default: the scenario's ``seed``). Same seed, same numbers.
        **overrides: any scenario field by name (``coordination=0.8``), a dotted path into
            a group (``**{"vacuum.volatility": 0.2}``), or a number for a schedule
            (``vacuum=0.8`` means a constant vacuum).

    ``model.params`` is the validated scenario (``model.scenario`` is Mesa's own object).
    """

    def __init__(self, scenario: str | Path | Scenario | None = "baseline", rng: int | None = None, **overrides: Any):
        params = load_scenario(scenario, **overrides)
        if rng is None:
            rng = params.seed
        if isinstance(rng, (int, np.integer)) and rng < 0:
            raise ScenarioError(f"rng: seed must be a non-negative integer, got {rng}")
        super().__init__(rng=rng)
        self.params = params
        self.seed = rng
        self.data_year = params.resolved_data_year
        try:
            allies = load_allies(params.data_file)
        except DataError as exc:
            raise ScenarioError(f"field 'data_file': {exc}") from None
        self.alliance = build_alliance(params, self.data_year, allies)
        a = self.alliance
        self.n_allies, self.us_index = a.n, a.us_index
        self.identity = np.eye(a.n)
        self.disputes_by_year = dispute_matrices(self.alliance, self.params.disputes)

        # random draws, in a fixed order the batch engine repeats: fiscal space first
        max_rise = self.rng.uniform(params.max_rise_low, params.max_rise_high, size=a.n)

        start = starting_state(a, params)
        self.year = params.start_year
        self.tension = start.tension
        self.tension_rows = start.tension.copy()
        self.events: list[dict[str, Any]] = []
        self.summit_outcome = "none"

        self.members: list[MemberState] = []
        for i, ally in enumerate(allies):
            if i == a.us_index:
                self.us = UnitedStates(self, ally, i, a.exposure[i], a.priorities[i], float(a.spending[i]))
                self.us.threat = float(start.threat[i])
                continue
            member = MemberState(self, ally, i, a.exposure[i], a.priorities[i], float(max_rise[i]))
            member.commitment = float(start.commitment[i])
            member.us_reliability = float(start.reliability[i])
            member.threat = float(start.threat[i])
            member.status_code = int(start.status[i])
            member.private_demand = float(start.private_demand[i])
            self.members.append(member)
        self.partners = [Partner(self, p) for p in load_partners()] if params.partnerships > 0 else []

        self.guideline_level, self.guideline_adopted, self.guideline_deadline = (
            None if not np.isfinite(v) else v for v in starting_guideline(params)
        )
        self.datacollector = mesa.DataCollector(
            model_reporters={name: _reporter(name) for name in MODEL_REPORTERS},
            agenttype_reporters={MemberState: {name: name for name in AGENT_REPORTERS}},
        )
        self.metrics = self.measure()
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ state as arrays
    def _by_index(self, attribute: str, us_value: float) -> np.ndarray:
        values = np.empty(self.n_allies)
        for member in self.members:
            values[member.index] = getattr(member, attribute)
        values[self.us_index] = us_value
        return values

    @property
    def spending(self) -> np.ndarray:
        return self._by_index("spending", self.us.spending)

    @property
    def commitment(self) -> np.ndarray:
        return self._by_index("commitment", self.us.commitment)

    @property
    def gdp(self) -> np.ndarray:
        return self._by_index("gdp", self.us.gdp)

    @property
    def status_codes(self) -> np.ndarray:
        return self._by_index("status_code", 0)

    def _guideline_arrays(self):
        if self.guideline_level is None:
            return np.nan, np.nan, np.nan
        return self.guideline_level, self.guideline_adopted, self.guideline_deadline

    # ------------------------------------------------------------------------- the year
    def step(self) -> None:
        p = self.params
        year = self.year + 1
        self.view = self._snapshot()
        # draws for this year, in a fixed order: the US's erratic shock, then one budget shock per ally
        us_shock = float(self.rng.standard_normal())
        self.budget_shocks = self.rng.standard_normal(self.n_allies)

        # 1. the US and the environment
        self.us.update_stance(year, us_shock)
        tau = np.array(threat_levels(p.threat, p.shocks, year))
        self.us.threat = float(perceived_threat(self.us.exposure, tau))
        self.disputes_this_year = self.disputes_by_year.get(year, np.zeros((self.n_allies, self.n_allies)))
        level, adopted, deadline = self._guideline_arrays()
        self.context, self.shortfalls = year_context(
            year, self.us.vacuum, self.us.previous_vacuum, self.us.pressure, tau, level, adopted, deadline,
            self.view.spending, self._path_starts(), self._exempt(), self.us.budget,
            sum(partner.budget for partner in self.partners), self.view.armed, self.alliance.us_mask,
            self.alliance.us_focus, self.alliance.european_priorities, p.reciprocity_tolerance,
        )  # fmt: skip

        # 2-3. decide from the snapshot, then act all at once
        deciders = [*self.members, self.us, *self.partners]
        for agent in deciders:
            agent.decide()
        for agent in deciders:
            agent.act()
        self.tension = symmetrize_tension(self.tension_rows)
        self.year = year

        # 4. summit
        self.summit_outcome = self.hold_summit(year) if p.summit_due(year) else "none"

        # 5. metrics
        self.metrics = self.measure()
        self.datacollector.collect(self)
        if year >= p.end_year:
            self.running = False

    def _snapshot(self) -> AllianceView:
        status = self.status_codes
        return AllianceView(
            spending=self.spending,
            commitment=self.commitment,
            budgets=self._by_index("budget", self.us.budget),
            threat=self._by_index("threat", self.us.threat),
            armed=self.alliance.armed,
            hedging=(status == HEDGING).astype(float),
            us_mask=self.alliance.us_mask,
        )

    def _path_starts(self) -> np.ndarray:
        return self._by_index("path_start", self.us.spending)

    def _exempt(self) -> np.ndarray:
        return self._by_index("exempt", 0.0)

    # ----------------------------------------------------------------------- the summit
    def hold_summit(self, year: int) -> str:
        """Vote on the year's agenda item (or a unity declaration); record it; feed the outcome back."""
        p = self.params
        item = p.agenda_for(year)
        spending, commitment, gdp = self.spending, self.commitment, self.gdp
        armed = self.alliance.armed
        level = item.level if item is not None and item.item == "guideline" else None
        item_level = np.where(armed > 0, level, spending) if level is not None else spending
        disengaged = self.status_codes == DISENGAGED
        voting = commitment.copy()
        voting[self.us_index] = us_voting_commitment(self.us.vacuum, self.us.pressure, level is not None)
        yes = supports_item(voting, spending, item_level, disengaged, p.support_threshold, p.support_slope)
        # exemptions are from a guideline; a unity declaration under consensus needs everyone
        passed, exempted = summit_decision(
            yes, gdp, p.decision_rule == "qualified_majority", p.allow_exemptions and level is not None, p.max_exemptions,
            p.qmv_member_share, p.qmv_gdp_share, p.qmv_weight_cap,
        )  # fmt: skip
        passed = bool(passed)
        exempt_codes = [self.alliance.iso3[i] for i in np.flatnonzero(exempted)]
        updated = summit_commitment(commitment, yes, passed, 1.0 - self.alliance.us_mask, p.pass_boost, p.fail_cost)
        for member in self.members:
            member.commitment = float(updated[member.index])
        if exempt_codes:
            self.tension = exemption_tension(self.tension, exempted, p.exemption_tension)
        if passed and level is not None:
            self.guideline_level, self.guideline_adopted, self.guideline_deadline = level, year, item.deadline
            for member in self.members:
                member.path_start = member.spending
                member.exempt = bool(exempted[member.index])
        outcome = ("passed with exemptions" if exempt_codes else "passed") if passed else "failed"
        self.events.append(
            {
                "year": year,
                "item": item.label if item is not None else "unity declaration",
                "kind": item.item if item is not None else "unity",
                "level": level,
                "deadline": item.deadline if item is not None else None,
                "decision_rule": p.decision_rule,
                "votes": {code: bool(v) for code, v in zip(self.alliance.iso3, yes)},
                "yes": int(np.sum(yes)),
                "no": int(np.sum(~yes)),
                "outcome": outcome,
                "exemptions": exempt_codes,
                "holdouts": [code for code, v in zip(self.alliance.iso3, yes) if not v],
            }
        )
        return outcome

    # ----------------------------------------------------------------------- reporting
    def measure(self) -> dict[str, Any]:
        """Every model reporter for the current state, computed in one pass (shared with the batch engine)."""
        a = self.alliance
        level, adopted, deadline = self._guideline_arrays()
        tau = threat_levels(self.params.threat, self.params.shocks, self.year)
        state = state_metrics(
            self.spending, self.commitment, self.gdp, self.status_codes, self.tension, self._path_starts(),
            self._exempt(), level, adopted, deadline, self.year, a.armed, a.us_mask, a.is_europe,
        )  # fmt: skip
        return {
            "year": self.year,
            "vacuum": self.us.vacuum,
            "pressure": self.us.pressure,
            **{f"tau_{k}": float(v) for k, v in zip(DIRECTIONS, tau)},
            "guideline": level if np.isfinite(level) else None,
            "cohesion": float(state["cohesion"]),
            "connectivity": float(state["connectivity"]),
            "blocs": blocs(state["weights"]),
            **{name: int(state[name]) for name in ("allies_at_2pct", "allies_at_guideline")},
            **{name: float(state[name]) for name in ("mean_spending", "gdp_weighted_spending", "european_share")},
            "declaration_gap": float(state["declaration_gap"]),
            "hedging": int(state["hedging"]),
            "disengaged": int(state["disengaged"]),
            "us_tension": float(state["us_tension"]),
            "european_tension": float(state["european_tension"]),
            "summit": self.summit_outcome,
        }

    def run(self) -> AllianceModel:
        """Step to the scenario's end year; returns the model for chaining."""
        while self.running:
            self.step()
        return self


def _reporter(name: str):
    def report(model: AllianceModel):
        return model.metrics[name]

    report.__name__ = name
    return report
