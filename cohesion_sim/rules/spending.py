"""Defence spending: spill-in, security demand, fiscal space, guideline pull, budget lags and inertia.

Olson & Zeckhauser (1966) and the joint-product model (Murdoch & Sandler 1984; Sandler &
Hartley 2001) give demand; the burden-sharing literature gives the guideline pull (allies
bunch just above an agreed figure), the role of fiscal condition (Alozious 2022) and inertia
(budgets rarely rise by more than about a point of GDP a year, and reach outlays with lags).
"""

from __future__ import annotations

import numpy as np

from .arrays import sum_last


def allied_provision(
    *, own_gdp, commitment, tension_row, budgets, counts, reliability, vacuum, us_budget, us_share_for_europe,
):  # fmt: skip
    """S_i = [sum_j c_j (1 - T_ij) M_j + r_i (1 - v) phi_US M_US] / GDP_i: the defence others provide i (Olson-Zeckhauser).

    ``counts`` masks the allies whose budgets spill in (every member but i and the US);
    ``commitment`` is each ally's commitment to its European allies. Units: multiples of i's own GDP.
    """
    spill = np.subtract(1.0, tension_row)  # c_j (1 - T_ij) M_j on each counted pair, in place
    np.multiply(commitment, spill, out=spill)
    spill *= budgets
    spill *= counts
    european = np.sum(spill, axis=-1)
    american = reliability * (1.0 - vacuum) * us_share_for_europe * us_budget
    return (european + american) / own_gdp


def deterrence_coverage(provision, half_coverage):
    """Share of i's deterrence need that others' spill-in already covers, S / (S + H) (Murdoch & Sandler 1984).

    ``half_coverage`` H is the spill-in (in multiples of own GDP) that covers half of it: small
    allies next to large budgets are almost fully covered, large allies much less (Olson &
    Zeckhauser's "exploitation of the great by the small").
    """
    provision = np.maximum(np.asarray(provision, dtype=float), 0.0)
    return provision / (provision + half_coverage)


def security_demand(
    *, threat, fear, coverage, private_demand, threat_weight, fear_weight, publicness, spending_floor, pillar=0.0
):  # fmt: skip
    """s_need = private + (b_theta theta + b_A A)(1 - publicness (1 - theta) coverage) + pillar, floored (joint product).

    The deterrence need rises with threat (Walt 1987) and abandonment fear (Snyder 1984); its
    public part is crowded out by the share others cover (Olson & Zeckhauser 1966). The public
    share is ``publicness`` times (1 - theta): the more exposed an ally, the more its forces are
    border defence, an ally-specific benefit others' budgets do not supply (Murdoch & Sandler
    1984's joint products). The private part (``private_demand``, the ally effect) is not crowded out.
    """
    deterrence = threat_weight * threat + fear_weight * fear
    demand = private_demand + deterrence * (1.0 - publicness * (1.0 - threat) * coverage) + pillar
    return np.maximum(demand, spending_floor)


def private_demand_at_rest(*, spending, threat, fear, coverage, threat_weight, fear_weight, publicness):
    """The ally effect: the private demand that makes observed spending a rest point of security_demand."""
    return spending - (threat_weight * threat + fear_weight * fear) * (1.0 - publicness * (1.0 - threat) * coverage)


def fiscal_space(debt, debt_limit, debt_reference=60.0):
    """Fiscal space in [0, 1] from government debt: 1 at or below the EU's 60% rule, 0 at ``debt_limit`` (Alozious 2022)."""
    span = np.maximum(np.asarray(debt_limit, dtype=float) - debt_reference, 1e-9)
    return np.clip((debt_limit - np.asarray(debt, dtype=float)) / span, 0.0, 1.0)


#: Largest yearly rise with full fiscal space, points of GDP (Poland 2022-23 was about +1.0). Fixed, not a scenario
#: constant: over 0.5-1.5 it moved no output materially even under a sudden threat with the US gone (at most 0.001
#: of the European share; the mechanism sweep, issue 9): lags and adjustment speed keep rises below it.
MAX_RISE_FULL_SPACE = 1.0


def fiscal_max_rise(space, max_rise_low, max_rise_high=MAX_RISE_FULL_SPACE):
    """Largest yearly rise, points of GDP: from ``max_rise_low`` with no fiscal space to ``max_rise_high`` with full space."""
    return max_rise_low + (max_rise_high - max_rise_low) * space


def lag_weights(mean_lag):
    """Weights of decisions taken 1, 2 and 3 years ago in this year's outlays, with the given mean lag in [1, 3].

    Procurement and budget cycles (Hartley & Sandler 1995; NATO's annual reporting): a decision
    reaches outlays over one to three years. Returns an array of shape ``mean_lag.shape + (3,)``.
    """
    m = np.clip(np.asarray(mean_lag, dtype=float), 1.0, 3.0)
    first = np.where(m <= 2.0, 2.0 - m, 0.0)
    third = np.where(m > 2.0, m - 2.0, 0.0)
    return np.stack([first, 1.0 - first - third, third], axis=-1)


def lagged_target(plans, weights):
    """The target this year's budget executes: decisions of the last three years weighted by lag (``plans`` S + (3,))."""
    return sum_last(plans * weights)


def deadline_nearness(year, adopted, deadline):
    """Share of the way from adoption to deadline, in [0, 1]; 1 at and after the deadline."""
    span = np.maximum(deadline - adopted, 1)
    return np.clip((year - adopted) / span, 0.0, 1.0)


def guideline_path(start_level, guideline, adopted, deadline, year):
    """A straight line from the ally's level at adoption to the guideline at the deadline, never above it."""
    nearness = deadline_nearness(year, adopted, deadline)
    return np.minimum(guideline, start_level + nearness * (guideline - start_level))


def pull_strength(
    *, commitment, pressure, conformity, nearness, exempt, space, pull_max, from_commitment, from_pressure,
    from_conformity, from_deadline, exemption_relief, fiscal_pull,
):  # fmt: skip
    """mu_i in [0, pull_max): grows with commitment, US pressure, peers' compliance and the deadline; exemptions and debt cut it.

    Conformity and the deadline create bunching just above the guideline (burden-sharing
    literature on the 2% guideline, e.g. 13 of 23 compliant allies at 2.00-2.25% in 2024);
    ``fiscal_pull`` is the share of the pull an ally with no fiscal space loses (fiscal
    condition predicts the laggards, Alozious 2022).
    """
    total = from_commitment + from_pressure + from_conformity + from_deadline
    drive = (
        from_commitment * commitment + from_pressure * pressure + from_conformity * conformity + from_deadline * nearness
    ) / np.maximum(total, 1e-12)
    return pull_max * drive * (1.0 - exemption_relief * exempt) * (1.0 - fiscal_pull * (1.0 - space))


def guideline_pull(need, path, strength):
    """s* = s_need + mu * max(0, path - s_need): an ally below its path is pulled part way toward it."""
    return need + strength * np.maximum(0.0, path - need)


def bunching(*, target, need, guideline, aim, reach, nearness, bound):
    """An ally whose own demand falls short of the guideline by less than ``reach * nearness`` aims just above it.

    Being counted as compliant is a discrete, public reward, so allies whose own security need
    already puts them near the line jump it as the deadline nears, and bunch just above (13 of
    the 23 allies at or above 2% in 2024 sat at 2.00-2.25%); allies whose need is far below (the
    distant, indebted laggards) do not. ``aim`` is the guideline plus half the compliance margin;
    ``bound`` masks allies held to the guideline.
    """
    short = guideline - need
    jump = (np.asarray(bound) > 0) & (target < guideline) & (short <= reach * nearness)
    return np.where(jump, np.maximum(target, aim), target)


def budget_inertia(*, spending, target, noise, adjustment_speed, max_rise, max_cut):
    """Spending closes part of the gap to its target plus domestic noise, within fiscal limits up and down."""
    change = np.clip(adjustment_speed * (target - spending) + noise, -max_cut, max_rise)
    return np.maximum(spending + change, 0.0)


def guideline_shortfall(*, spending, path_start, armed, exempt, year, guideline, adopted, deadline):
    """Points of GDP an ally is below its path to the guideline in force (0 if none, exempt or unarmed)."""
    has = np.isfinite(guideline)
    path = guideline_path(
        path_start, np.where(has, guideline, 0.0), np.where(has, adopted, 0), np.where(has, deadline, 0), year
    )
    return np.where(has, np.maximum(0.0, path - spending), 0.0) * armed * (1.0 - exempt)


def keeping_pace(spending, previous_spending, guideline, bound, tolerance):
    """Reciprocity: the share of bound allies keeping the pledge, in Wales's words "halt any decline, move towards".

    An ally at or above the guideline counts fully; below it, it counts 1/2 if its budget held
    still and fully if it rose by ``tolerance / 2`` points (0 if it fell as much). Measured
    against the pledge's direction, not its ambition, so adopting a higher guideline does not by
    itself make allies look like defectors. With no guideline in force it is 0.5 (neutral).
    """
    guideline = np.asarray(guideline, dtype=float)
    has = np.isfinite(guideline)
    at_level = np.asarray(spending) >= np.where(has, guideline, np.inf)
    pace = np.clip(0.5 + (np.asarray(spending) - previous_spending) / tolerance, 0.0, 1.0)
    keeping = np.where(at_level, 1.0, pace)
    bound = np.asarray(bound, dtype=float)
    share = np.sum(keeping * bound, axis=-1) / np.maximum(np.sum(bound, axis=-1), 1e-12)
    return np.where(np.all(has, axis=-1) if has.ndim else has, share, 0.5)
