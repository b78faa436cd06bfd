"""The year, written once: MODEL.md's schedule over the state of R runs (:class:`~cohesion_sim.state.AllianceState`).

:func:`advance_year` is the only place the year happens. The batch engine calls it for many
runs, :class:`~cohesion_sim.model.AllianceModel` for one. In order:

1. :func:`us_stance` and :func:`environment`: the US updates the vacuum (schedule plus erratic
   deviation) and pressure; the threat levels follow the scenario;
2. :func:`decide`: every ally decides from last year's snapshot (:func:`rules.decide_member`),
   the US's tension row included;
3. :func:`apply_decisions`: all decisions at once; tension made symmetric; GDP grows;
4. :func:`hold_summit`: the year's agenda item is voted on where a summit is due;
5. measurement is :func:`cohesion_sim.measurement.measure`, called by whoever keeps the outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .alliance import year_context
from .rules import (
    ALIGNED,
    DISENGAGED,
    HEDGING,
    AllianceView,
    AllyState,
    Decision,
    decide_member,
    exemption_tension,
    summit_commitment,
    summit_decision,
    supports_item,
    symmetrize_tension,
    us_voting_commitment,
    vacuum_deviation,
    vacuum_level,
)
from .runs import Runs
from .state import FAILED, NO_SUMMIT, PASSED, PASSED_WITH_EXEMPTIONS, AllianceState


@dataclass(frozen=True)
class SummitVotes:
    """What the summits of one year decided, per run (shape (R,) or (R, N))."""

    due: np.ndarray
    is_guideline: np.ndarray
    yes: np.ndarray
    passed: np.ndarray
    exempted: np.ndarray
    qualified_majority: np.ndarray


def advance_year(state: AllianceState, runs: Runs) -> SummitVotes | None:
    """Advance every run one year in place (MODEL.md's schedule); returns the summit votes, if any summit was due."""
    year = state.year + 1
    t = runs.t(year)
    snapshot = _snapshot(state, runs)
    us_stance(state, runs, t)
    environment(state, runs, t)
    decision = decide(state, runs, snapshot, year, t)
    apply_decisions(state, runs, decision)
    state.year = year
    state.summit = np.full(runs.count, NO_SUMMIT)
    due = runs.paths.summit_due[:, t]
    return hold_summit(state, runs, t, due) if due.any() else None


def _snapshot(state: AllianceState, runs: Runs) -> AllianceView:
    """Last year's state of every ally, as every ally sees it when deciding."""
    return AllianceView(
        spending=state.spending.copy()[:, None, :],
        commitment=state.commitment.copy()[:, None, :],
        budgets=(state.spending / 100.0 * state.gdp)[:, None, :],
        threat=state.threat.copy()[:, None, :],
        armed=runs.alliance.armed,
        hedging=(state.status == HEDGING).astype(float)[:, None, :],
        us_mask=runs.alliance.us_mask,
    )


def us_stance(state: AllianceState, runs: Runs, t: int) -> None:
    """The vacuum follows its schedule plus an erratic, mean-reverting deviation; pressure follows its schedule."""
    state.deviation = vacuum_deviation(state.deviation, runs.draws.us_shocks[:, t - 1], runs.volatility, runs.reversion)
    state.previous_vacuum = state.vacuum
    state.vacuum = vacuum_level(runs.paths.vacuum[:, t], state.deviation)
    state.pressure = runs.paths.pressure[:, t]


def environment(state: AllianceState, runs: Runs, t: int) -> None:
    """Threat levels tau_k(t) follow the scenario's schedules and shocks."""
    state.tau = runs.paths.tau[:, t]


def partner_budget(state: AllianceState, runs: Runs, partnerships: np.ndarray) -> np.ndarray:
    """Partners' combined defence budget (US$ bn) in the runs whose partnerships lever is on, else 0."""
    budgets = runs.partner_spending / 100.0 * state.partner_gdp
    total = np.zeros(runs.count)
    for k in range(budgets.shape[1]):  # summed partner by partner, as a person would add them
        total = total + budgets[:, k]
    return np.where(partnerships > 0, total, 0.0)


def shortfall_pairs(shortfalls: np.ndarray, us_mask: np.ndarray) -> np.ndarray:
    """Each ally's shortfall on its pair with the US, in both rows of the pair, 0 elsewhere: shape (R, N, N)."""
    return us_mask[None, :] * shortfalls[..., :, None] + us_mask[:, None] * shortfalls[..., None, :]


def decide(state: AllianceState, runs: Runs, view: AllianceView, year: int, t: int) -> Decision:
    """Every ally's decision from last year's snapshot, the US's tension row included (one call of the rules)."""
    a = runs.alliance
    levers = {name: path[:, t] for name, path in runs.paths.levers.items()}
    params = runs.params.with_levers(levers)
    spending = view.spending[:, 0, :]
    context, shortfalls = year_context(
        year, state.vacuum, state.previous_vacuum, state.pressure, state.tau, state.level, state.adopted,
        state.deadline, spending, state.path_start, state.exempt, view.budgets[:, 0, runs.us],
        partner_budget(state, runs, levers["partnerships"]), a.armed, a.us_mask, runs.us_focus,
        runs.european_priorities, params.reciprocity_tolerance,
    )  # fmt: skip
    own = AllyState(
        spending=state.spending, commitment=state.commitment, reliability=state.reliability, status=state.status,
        partner_ties=state.partner_ties, gdp=state.gdp, armed=a.armed, private_demand=state.private_demand,
        max_rise=runs.draws.max_rise, exempt=state.exempt, path_start=state.path_start, exposure=runs.exposure,
        priorities=runs.priorities, tension_row=state.tension, self_mask=np.eye(runs.n),
        divergence_row=runs.divergence, dispute_row=runs.disputes_in(year),
        shortfall_pairs=shortfall_pairs(shortfalls, a.us_mask),
    )  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        return decide_member(own, view, context, params, runs.draws.budget_shocks[:, t - 1])


def apply_decisions(state: AllianceState, runs: Runs, decision: Decision) -> None:
    """All decisions take effect at once; the tension matrix is made symmetric; GDP grows. The US keeps its own state."""
    member = runs.alliance.us_mask == 0
    state.threat = np.asarray(decision.threat, dtype=float)
    state.reliability = np.where(member, decision.reliability, state.reliability)
    state.spending = np.where(member, decision.spending, state.spending)
    commitment = np.where(member, decision.commitment, state.commitment)
    commitment[:, runs.us] = 1.0 - state.vacuum
    state.commitment = commitment
    state.status = np.where(member, decision.status, ALIGNED).astype(float)
    state.partner_ties = np.where(member, decision.partner_ties, 0.0)
    growth = 1.0 + runs.params.gdp_growth
    state.gdp = state.gdp * growth
    state.partner_gdp = state.partner_gdp * growth
    state.tension = symmetrize_tension(decision.tension_row)


def hold_summit(state: AllianceState, runs: Runs, t: int, due: np.ndarray) -> SummitVotes:
    """Vote on the year's agenda item where a summit is due; passing, failing and exemptions feed back (MODEL.md)."""
    p, a = runs.params, runs.alliance
    level = runs.paths.item_level[:, t]
    is_guideline = np.isfinite(level)
    spending, gdp = state.spending, state.gdp
    item_level = np.where(is_guideline[:, None] & (a.armed > 0), np.where(is_guideline, level, 0.0)[:, None], spending)
    disengaged = (state.status == DISENGAGED) & (a.us_mask == 0)
    voting = state.commitment.copy()
    voting[:, runs.us] = us_voting_commitment(state.vacuum, state.pressure, is_guideline)
    yes = supports_item(voting, spending, item_level, disengaged, p.support_threshold, p.support_slope)
    qualified_majority = runs.paths.qualified_majority[:, t]
    passed, exempted = summit_decision(
        yes, gdp, qualified_majority, runs.allow_exemptions & is_guideline, p.run("max_exemptions"),
        p.run("qmv_member_share"), p.run("qmv_gdp_share"), p.run("qmv_weight_cap"),
    )  # fmt: skip
    passed = passed & due
    exempted = exempted & due[:, None]
    members = (1.0 - a.us_mask) * due[:, None]  # where no summit was due, commitment stays
    state.commitment = summit_commitment(state.commitment, yes, passed, members, p.pass_boost, p.fail_cost)
    has_exemptions = exempted.any(axis=1)
    if has_exemptions.any():
        state.tension = exemption_tension(state.tension, exempted, p.run("exemption_tension"))
    adopt = passed & is_guideline
    if adopt.any():
        state.level = np.where(adopt, level, state.level)
        state.adopted = np.where(adopt, state.year, state.adopted)
        state.deadline = np.where(adopt, runs.paths.item_deadline[:, t], state.deadline)
        state.path_start = np.where(adopt[:, None], spending, state.path_start)
        state.exempt = np.where(adopt[:, None], exempted * (1.0 - a.us_mask), state.exempt)
    outcome = np.where(passed, np.where(has_exemptions, PASSED_WITH_EXEMPTIONS, PASSED), FAILED)
    state.summit = np.where(due, outcome, NO_SUMMIT)
    state.summits_held = state.summits_held + due
    state.summits_failed = state.summits_failed + (~passed & due)
    return SummitVotes(due=due, is_guideline=is_guideline, yes=yes, passed=passed, exempted=exempted,
                       qualified_majority=qualified_majority)  # fmt: skip
