"""The year, written once: MODEL.md's schedule over the state of R runs (:class:`~cohesion_sim.state.AllianceState`).

:func:`advance_year` is the only place the year happens. The batch engine calls it for many
runs, :class:`~cohesion_sim.model.AllianceModel` for one. In order:

1. :func:`us_stance` and :func:`environment`: the US updates the vacuum (schedule plus erratic
   deviation) and pressure; threat levels follow the scenario, and priorities follow them;
2. :func:`decide`: every ally decides from last year's snapshot (:func:`rules.decide_member`),
   the US's tension row included;
3. :func:`apply_decisions`: all decisions at once; budget plans enter the lag pipeline; tension
   made symmetric; GDP grows;
4. :func:`hold_summit`: the year's agenda item is voted on where a summit is due;
5. measurement is :func:`cohesion_sim.measurement.measure`, called by whoever keeps the outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .alliance import all_priorities, conformity, divergence_and_agenda
from .rules import (
    ALIGNED,
    DISENGAGED,
    HEDGING,
    AllianceView,
    AllyState,
    Decision,
    UsPairs,
    YearContext,
    decide_member,
    erratic_change,
    exemption_tension,
    failure_tension,
    guideline_shortfall,
    keeping_pace,
    perceived_threat,
    pillar_share,
    stance_imbalance,
    review_exemptions,
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
    voters: np.ndarray
    yes: np.ndarray
    passed: np.ndarray
    exempted: np.ndarray
    qualified_majority: np.ndarray


@dataclass(frozen=True)
class YearInputs:
    """What the allies see this year besides the snapshot: the world, priorities and the US-ally shortfalls."""

    context: YearContext
    priorities: np.ndarray  # (R, N, 4)
    divergence: np.ndarray  # (R, N, N)
    shortfall_pairs: UsPairs  # (R, N, N), nonzero on US-ally pairs only
    member: np.ndarray  # (N,)
    erratic: np.ndarray  # (R,)


def advance_year(state: AllianceState, runs: Runs) -> SummitVotes | None:
    """Advance every run one year in place (MODEL.md's schedule); returns the summit votes, if any summit was due."""
    year = state.year + 1
    t = runs.t(year)
    snapshot = _snapshot(state, runs, year)
    erratic = us_stance(state, runs, t)
    environment(state, runs, t)
    inputs = year_inputs(state, runs, year, erratic)
    decision = decide(state, runs, snapshot, inputs, t)
    apply_decisions(state, runs, decision)
    state.year = year
    state.summit = np.full(runs.count, NO_SUMMIT)
    due = runs.paths.summit_due[:, t]
    return hold_summit(state, runs, t, due) if due.any() else None


def _snapshot(state: AllianceState, runs: Runs, year: int) -> AllianceView:
    """Last year's state of every ally, as every ally sees it when deciding."""
    a = runs.alliance
    member = runs.members_in(year)
    hedging = (state.status == HEDGING).astype(float)
    return AllianceView(
        spending=state.spending[:, None, :], european=state.european[:, None, :],
        budgets=(state.spending / 100.0 * state.gdp)[:, None, :], threat=state.threat[:, None, :], armed=a.armed,
        member=member, hedging=hedging[:, None, :], partner_ties=state.partner_ties[:, None, :], us_mask=a.us_mask,
        pillar=pillar_share(hedging, state.gdp, member * (1.0 - a.us_mask))[:, None],
    )  # fmt: skip


def us_stance(state: AllianceState, runs: Runs, t: int) -> np.ndarray:
    """The vacuum follows its schedule plus an erratic, mean-reverting deviation; pressure follows its schedule.

    Returns how erratic this year's move was (:func:`rules.erratic_change`).
    """
    state.deviation = vacuum_deviation(state.deviation, runs.draws.us_shocks[:, t - 1], runs.volatility, runs.reversion)
    state.previous_vacuum = state.vacuum
    state.vacuum = vacuum_level(runs.paths.vacuum[:, t], state.deviation)
    erratic = erratic_change(state.vacuum, state.previous_vacuum, state.last_change)
    state.last_change = state.vacuum - state.previous_vacuum
    state.pressure = runs.paths.pressure[:, t]
    return erratic


def environment(state: AllianceState, runs: Runs, t: int) -> None:
    """Threat levels tau_k(t) follow the scenario's schedules and shocks."""
    state.tau = runs.paths.tau[:, t]


def shortfall_pairs(shortfalls: np.ndarray, us: int) -> UsPairs:
    """Each ally's shortfall on its pair with the US (column ``us``), in both rows of the pair, 0 elsewhere: an (R, N, N) term as (R, N)."""
    return UsPairs(us, column=shortfalls, row=shortfalls)


def year_inputs(state: AllianceState, runs: Runs, year: int, erratic: np.ndarray) -> YearInputs:
    """This year's world as the allies see it: priorities follow threat levels and the US pivot; guideline standing."""
    a, p = runs.alliance, runs.params
    member = runs.members_in(year)  # votes, counts and guideline pull from the accession year on
    bound = a.armed * member * (1.0 - a.us_mask)  # armed members other than the US
    priorities = all_priorities(a, state.tau, p.run("us_pivot"), state.vacuum, runs.exposure)  # (R, N, 4)
    divergence, agenda = divergence_and_agenda(priorities, a.us_mask, state.vacuum)  # (R, N, N), (R, 4)
    level, adopted, deadline = state.level[:, None], state.adopted[:, None], state.deadline[:, None]
    shortfall = guideline_shortfall(spending=state.spending, path_start=state.path_start, armed=a.armed * member, exempt=state.exempt, year=year, guideline=level,
                                    adopted=adopted, deadline=deadline) * (1.0 - a.us_mask)  # fmt: skip
    us_budget = state.spending[:, runs.us] / 100.0 * state.gdp[:, runs.us]
    context = YearContext(
        year=year, vacuum=state.vacuum[:, None], erratic=erratic[:, None], pressure=state.pressure[:, None],
        threat_levels=state.tau[:, None, :], guideline=level, adopted=adopted, deadline=deadline,
        conformity=conformity(state.spending, bound, state.level)[:, None],
        reciprocity=keeping_pace(state.spending, state.previous_spending, level, bound, p.reciprocity_tolerance)[:, None],
        agenda=agenda[:, None, :], us_budget=us_budget[:, None],
    )  # fmt: skip
    return YearInputs(context=context, priorities=priorities, divergence=divergence,
                      shortfall_pairs=shortfall_pairs(shortfall, runs.us), member=member, erratic=erratic)  # fmt: skip


def decide(state: AllianceState, runs: Runs, view: AllianceView, inputs: YearInputs, t: int) -> Decision:
    """Every ally's decision from last year's snapshot, the US's tension row included (one call of the rules)."""
    a = runs.alliance
    params = runs.params.with_levers({name: path[:, t] for name, path in runs.paths.levers.items()})
    own = AllyState(
        spending=state.spending, previous_spending=state.previous_spending, transatlantic=state.transatlantic,
        european=state.european, reliability=state.reliability, status=state.status, partner_ties=state.partner_ties,
        gdp=state.gdp, armed=a.armed, member=np.broadcast_to(inputs.member, state.spending.shape),
        private_demand=state.private_demand, max_rise=runs.max_rise, space=runs.space,
        hedge_threshold=runs.draws.hedge_threshold, plans=state.plans, exempt=state.exempt,
        path_start=state.path_start, exposure=runs.exposure, priorities=inputs.priorities,
        rivalry_threat=runs.rivalry_threat, tension_row=state.tension, self_mask=np.eye(runs.n),
        divergence_row=inputs.divergence,
        imbalance_row=stance_imbalance(state.tension, state.gdp / state.gdp.sum(axis=1, keepdims=True)),
        rivalry_row=runs.rivalry, shortfall_row=inputs.shortfall_pairs, dispute_row=runs.disputes_in(state.year + 1),
    )  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        return decide_member(own, view, inputs.context, params, runs.draws.budget_shocks[:, t - 1])


def apply_decisions(state: AllianceState, runs: Runs, decision: Decision) -> None:
    """All decisions take effect at once; plans enter the lag pipeline; tension made symmetric; GDP grows."""
    others = runs.alliance.us_mask == 0  # the US keeps its own state; its commitments follow the vacuum
    us_commitment = 1.0 - state.vacuum[:, None]
    # the US perceives the threat levels through its own exposure (no rival ally, no hedging)
    state.threat = np.where(others, decision.threat, perceived_threat(runs.exposure, state.tau[:, None, :]))
    state.reliability = np.where(others, decision.reliability, 1.0)
    state.previous_spending = state.spending
    state.spending = np.where(others, decision.spending, state.spending)
    # budget lags: this year's decision joins the pipeline; outlays execute it from next year
    planned = np.where(others, decision.target, state.spending)[:, :, None]
    state.plans = np.concatenate([planned, state.plans[:, :, :2]], axis=2)
    state.transatlantic = np.where(others, decision.transatlantic, us_commitment)
    state.european = np.where(others, decision.european, us_commitment)
    state.status = np.where(others, decision.status, ALIGNED).astype(float)
    state.partner_ties = np.where(others, decision.partner_ties, 0.0)
    growth = 1.0 + runs.params.gdp_growth
    state.gdp = state.gdp * growth
    state.partner_gdp = state.partner_gdp * growth
    state.tension = symmetrize_tension(decision.tension_row)


def hold_summit(state: AllianceState, runs: Runs, t: int, due: np.ndarray) -> SummitVotes:
    """Vote on the year's agenda item where a summit is due; only substantive items have consequences (costly signals)."""
    p, a = runs.params, runs.alliance
    member = runs.members_in(state.year)
    level = runs.paths.item_level[:, t]
    is_guideline = np.isfinite(level)
    # a review reaffirms the guideline in force (if any): allies vote on its level
    is_review = runs.paths.review[:, t] & np.isfinite(state.level)
    level = np.where(is_review, state.level, level)
    binding = is_guideline | is_review  # items that concern the US (burden sharing)
    substantive = runs.paths.substantive[:, t] & due & (is_review | ~runs.paths.review[:, t])  # no review without a guideline
    spending, gdp = state.spending, state.gdp
    item_level = np.where(binding[:, None] & (a.armed > 0), np.where(binding, level, 0.0)[:, None], spending)
    disengaged = (state.status == DISENGAGED) & (a.us_mask == 0)
    voting = state.commitment
    voting[:, runs.us] = us_voting_commitment(state.vacuum, state.pressure, binding)
    yes = supports_item(commitment=voting, spending=spending, item_level=item_level, disengaged=disengaged, support_threshold=p.support_threshold, support_slope=p.support_slope)
    # voters: members; the US only on items that concern it (a guideline or its review), never a veto on European items
    voters = member[None, :] * np.where(binding[:, None], 1.0, 1.0 - a.us_mask[None, :]) > 0
    qualified_majority = runs.paths.qualified_majority[:, t]
    passed, exempted = summit_decision(
        yes=yes, voters=voters, gdp=gdp, qualified_majority=qualified_majority,
        allow_exemptions=runs.allow_exemptions & binding, max_exemptions=p.run("max_exemptions"),
        member_share=p.run("qmv_member_share"), gdp_share=p.run("qmv_gdp_share"), weight_cap=p.run("qmv_weight_cap"),
    )  # fmt: skip
    passed = passed & due
    failed = ~passed & due
    exempted = exempted & substantive[:, None]
    # a substantive item that passes binds its supporters; one that fails sets holdouts against supporters
    # (tension that decays); a symbolic declaration changes nothing
    mask = ((1.0 - a.us_mask) * member)[None, :]
    state.transatlantic = summit_commitment(state.transatlantic, yes, passed & substantive, mask, p.pass_boost)
    state.european = summit_commitment(state.european, yes, passed & substantive, mask, p.pass_boost)
    if (failed & substantive).any():
        state.tension = failure_tension(state.tension, yes, failed & substantive, voters, p.run("fail_cost"))
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
    is_review_due = is_review & due
    if is_review_due.any():
        reviewed = review_exemptions(yes, voters, passed, failed, exempted, a.us_mask)
        state.exempt = np.where(is_review_due[:, None], reviewed, state.exempt)
    outcome = np.where(passed, np.where(has_exemptions, PASSED_WITH_EXEMPTIONS, PASSED), FAILED)
    state.summit = np.where(due, outcome, NO_SUMMIT)
    state.summits_held = state.summits_held + due
    state.summits_failed = state.summits_failed + failed
    return SummitVotes(due=due, is_guideline=is_guideline, voters=voters, yes=yes, passed=passed, exempted=exempted,
                       qualified_majority=qualified_majority)  # fmt: skip
