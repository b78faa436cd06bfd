"""Defence spending: spill-in, security demand, guideline pull and budget inertia.

Olson & Zeckhauser (1966) and the joint-product model (Murdoch & Sandler 1984; Sandler &
Hartley 2001) give demand; the burden-sharing literature gives the guideline pull (allies
bunch just above an agreed figure) and inertia (budgets rarely rise by more than about a
point of GDP a year).
"""

from __future__ import annotations

import numpy as np


def allied_provision(
    own_gdp, commitment, tension_row, budgets, counts, reliability, vacuum, us_budget, us_share_for_europe,
    partner_budget=0.0, partner_ties=0.0, partner_share=0.0,
):  # fmt: skip
    """S_i = [sum_j c_j (1 - T_ij) M_j + r_i (1 - v) phi_US M_US] / GDP_i: the defence others provide i (Olson-Zeckhauser).

    ``counts`` masks the allies whose budgets spill in (every ally but i and the US); the
    partners' budgets add ``partner_share * ties``. Units: multiples of i's own GDP.
    """
    european = np.sum(commitment * (1.0 - tension_row) * budgets * counts, axis=-1)
    american = reliability * (1.0 - vacuum) * us_share_for_europe * us_budget
    partners = partner_share * partner_ties * partner_budget
    return (european + american + partners) / own_gdp


def security_demand(
    threat, fear, provision, private_demand, threat_weight, fear_weight, publicness, free_riding_weight,
    spending_floor, pillar_boost=0.0,
):  # fmt: skip
    """s_need = private + b_theta theta + b_A A - publicness * lambda * ln(1 + S) + pillar, floored (joint product).

    Demand rises with threat (Walt) and abandonment fear (Snyder) and falls with the public
    part of others' provision (Olson-Zeckhauser free riding; Sandler's publicness scales it).
    """
    demand = (
        private_demand
        + threat_weight * threat
        + fear_weight * fear
        - publicness * free_riding_weight * np.log1p(provision)
        + pillar_boost
    )
    return np.maximum(demand, spending_floor)


def private_demand_at_rest(
    spending, threat, fear, provision, threat_weight, fear_weight, publicness, free_riding_weight
):  # fmt: skip
    """The private (ally-specific) demand that makes observed spending a rest point of security_demand."""
    return spending - threat_weight * threat - fear_weight * fear + publicness * free_riding_weight * np.log1p(provision)


def deadline_nearness(year, adopted, deadline):
    """Share of the way from adoption to deadline, in [0, 1]; 1 at and after the deadline."""
    span = np.maximum(deadline - adopted, 1)
    return np.clip((year - adopted) / span, 0.0, 1.0)


def guideline_path(start_level, guideline, adopted, deadline, year):
    """A straight line from the ally's level at adoption to the guideline at the deadline, never above it."""
    nearness = deadline_nearness(year, adopted, deadline)
    return np.minimum(guideline, start_level + nearness * (guideline - start_level))


def pull_strength(
    commitment, pressure, conformity, nearness, exempt, pull_max, from_commitment, from_pressure, from_conformity,
    from_deadline, exemption_relief,
):  # fmt: skip
    """mu_i in [0, pull_max): grows with commitment, US pressure, peers' compliance and the deadline; exemptions cut it.

    Conformity and the deadline create bunching just above the guideline (burden-sharing
    literature on the 2% guideline, e.g. 13 of 23 compliant allies at 2.00-2.25% in 2024).
    """
    total = from_commitment + from_pressure + from_conformity + from_deadline
    drive = (
        from_commitment * commitment + from_pressure * pressure + from_conformity * conformity + from_deadline * nearness
    ) / np.maximum(total, 1e-12)
    return pull_max * drive * (1.0 - exemption_relief * exempt)


def guideline_pull(need, path, strength):
    """s* = s_need + mu * max(0, path - s_need): an ally below its path is pulled part way toward it."""
    return need + strength * np.maximum(0.0, path - need)


def budget_inertia(spending, target, noise, adjustment_speed, max_rise, max_cut):
    """Spending closes part of the gap to its target plus domestic noise, within fiscal limits up and down."""
    change = np.clip(adjustment_speed * (target - spending) + noise, -max_cut, max_rise)
    return np.maximum(spending + change, 0.0)


def guideline_shortfall(spending, path_start, armed, exempt, year, guideline, adopted, deadline):
    """Points of GDP an ally is below its path to the guideline in force (0 if none, exempt or unarmed)."""
    has = np.isfinite(guideline)
    path = guideline_path(
        path_start, np.where(has, guideline, 0.0), np.where(has, adopted, 0), np.where(has, deadline, 0), year
    )
    return np.where(has, np.maximum(0.0, path - spending), 0.0) * armed * (1.0 - exempt)


def on_track_share(shortfall, armed, tolerance):
    """Reciprocity: how far allies with armed forces keep to their path; an ally counts fully on its path, not at all ``tolerance`` points below it."""
    armed = np.asarray(armed, dtype=float)
    on_track = np.clip(1.0 - shortfall / tolerance, 0.0, 1.0)
    return np.sum(on_track * armed, axis=-1) / np.sum(armed, axis=-1)
