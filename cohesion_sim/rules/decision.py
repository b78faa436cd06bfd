"""One ally's yearly decision: the rules composed in the order MODEL.md gives.

This is the only place the rules are put together. The batch engine calls it with every run and
ally at once: own values have shape S = (R, N), rows S + (N,) = (R, N, N), and year-wide values
have shape (R, 1) so they broadcast against S. A single run is the case R = 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .arrays import UsPairs
from .commitment import (
    burden_grievance,
    commitment_update,
    overall_commitment,
    european_target,
    priority_divergence,
    transatlantic_target,
)
from .partners import partner_ties_update
from .reliability import perceived_reliability
from .spending import (
    allied_provision,
    budget_inertia,
    bunching,
    deadline_nearness,
    deterrence_coverage,
    guideline_path,
    guideline_pull,
    guideline_shortfall,
    lagged_target,
    pull_strength,
    security_demand,
)
from .status import DISENGAGED, HEDGING, hedging_drive, next_status
from .tension import pair_coordination, tension_row_update
from .threat import abandonment_fear, perceived_threat

Array = Any  # a float or a numpy array


@dataclass
class AllyState:
    """An ally's own state last year (shape S) and its rows (shape S + (N,))."""

    spending: Array
    previous_spending: Array  # two years ago (reciprocity is read from the change)
    transatlantic: Array  # commitment to the transatlantic bond, c_atl
    european: Array  # commitment to European allies (and Canada), c_eu
    reliability: Array
    status: Array
    partner_ties: Array
    gdp: Array
    armed: Array  # 1.0 with armed forces, 0.0 without (Iceland)
    member: Array  # 1.0 from the accession year on
    private_demand: Array  # the ally effect (alliance.starting_state)
    max_rise: Array  # from fiscal space (debt data)
    space: Array  # fiscal space in [0, 1] (debt data)
    hedge_threshold: Array  # the ally's own hedging threshold (drawn once per run)
    plans: Array  # S + (3,): budget targets decided 1, 2 and 3 years ago
    exempt: Array  # 1.0 if exempted from the guideline in force
    path_start: Array  # spending when the guideline in force was adopted
    exposure: Array  # S + (3,): east, south, hybrid
    priorities: Array  # S + (4,): this year's priorities (threat.current_priorities; the US's: us_priorities)
    rivalry_threat: Array  # threat from a rival ally (data)
    tension_row: Array  # S + (N,)
    self_mask: Array  # S + (N,): 1 at the ally's own column
    divergence_row: Array  # S + (N,): priority divergence to each ally this year
    imbalance_row: Array  # S + (N,): structural-balance term (tension.stance_imbalance)
    rivalry_row: Array  # S + (N,): standing rivalries (data)
    shortfall_row: Array  # S + (N,): shortfall against the guideline on US-ally pairs, 0 elsewhere
    dispute_row: Array  # S + (N,): this year's dispute tension with each ally


@dataclass
class AllianceView:
    """Last year's state of every ally (shape V + (N,), V broadcastable to S)."""

    spending: Array
    european: Array  # commitment to European allies (weights their spill-in)
    budgets: Array  # US$ bn
    threat: Array
    armed: Array
    member: Array
    hedging: Array  # 1.0 for hedging allies
    partner_ties: Array
    us_mask: Array  # 1.0 at the US column
    pillar: Array  # GDP share of members hedging (status.pillar_share), shape V


@dataclass
class YearContext:
    """This year's world (shape W broadcastable to S); guideline fields are NaN when none is in force."""

    year: Array
    vacuum: Array
    erratic: Array  # unpredictable part of the change in v (reliability.erratic_change)
    pressure: Array
    threat_levels: Array  # W + (3,)
    guideline: Array
    adopted: Array
    deadline: Array
    conformity: Array  # share of bound allies at or above the guideline last year
    reciprocity: Array  # share of bound allies keeping pace (spending.keeping_pace)
    agenda: Array  # W + (4,): the alliance agenda's priorities
    us_budget: Array


@dataclass
class Decision:
    """What an ally will apply this year."""

    threat: Array
    reliability: Array
    fear: Array
    provision: Array
    need: Array
    target: Array
    spending: Array
    transatlantic: Array
    european: Array
    tension_row: Array
    status: Array
    partner_ties: Array


def decide_member(own: AllyState, view: AllianceView, world: YearContext, p, budget_shock) -> Decision:
    """Perceive threat, update trust, weigh provision, set demand and budget, two commitments, tension and status."""
    threat = perceived_threat(own.exposure, world.threat_levels, own.rivalry_threat)
    us = int(np.flatnonzero(np.asarray(view.us_mask) > 0)[0])
    tension_with_us = own.tension_row[..., us]
    reliability = perceived_reliability(
        reliability=own.reliability, vacuum=world.vacuum, erratic=world.erratic, tension_with_us=tension_with_us,
        trust_gain=p.trust_gain, trust_loss=p.trust_loss, volatility_cost=p.volatility_cost,
    )  # fmt: skip
    fear = abandonment_fear(threat, reliability, world.vacuum)
    counts = (1.0 - own.self_mask) * (1.0 - view.us_mask) * view.member
    provision = allied_provision(
        own_gdp=own.gdp, commitment=view.european, tension_row=own.tension_row, budgets=view.budgets, counts=counts, reliability=reliability, vacuum=world.vacuum, us_budget=world.us_budget,
        us_share_for_europe=p.us_share_for_europe,
    )  # fmt: skip
    hedging = np.asarray(own.status == HEDGING, dtype=float)
    following = own.armed * (own.status != DISENGAGED) * own.member
    need = security_demand(
        threat=threat, fear=fear, coverage=deterrence_coverage(provision, p.half_coverage),
        private_demand=own.private_demand, threat_weight=p.threat_weight, fear_weight=p.fear_weight,
        publicness=p.publicness, spending_floor=p.spending_floor, pillar=p.pillar_boost * hedging,
    )  # fmt: skip

    # guideline pull toward the path (aimed a margin above the guideline), if one is in force
    has_guideline = np.isfinite(world.guideline)
    level = np.where(has_guideline, world.guideline, 0.0)
    adopted = np.where(has_guideline, world.adopted, 0)
    deadline = np.where(has_guideline, world.deadline, 0)
    nearness = deadline_nearness(world.year, adopted, deadline)
    # allies plan for the year the budget will be spent: the path one mean budget lag ahead
    path = guideline_path(own.path_start, level + p.compliance_margin, adopted, deadline, world.year + p.budget_lag)
    commitment = overall_commitment(own.transatlantic, own.european)
    strength = pull_strength(
        commitment=commitment, pressure=world.pressure, conformity=world.conformity, nearness=nearness,
        exempt=own.exempt, space=own.space, pull_max=p.pull_max, from_commitment=p.pull_from_commitment,
        from_pressure=p.pull_from_pressure, from_conformity=p.pull_from_conformity,
        from_deadline=p.pull_from_deadline, exemption_relief=p.exemption_relief, fiscal_pull=p.fiscal_pull,
    ) * has_guideline * following  # fmt: skip
    target = guideline_pull(need, path, strength)
    ahead = deadline_nearness(world.year + p.budget_lag, adopted, deadline)
    target = bunching(target=target, need=need, guideline=level, aim=level + 0.5 * p.compliance_margin, reach=p.bunching_reach, nearness=ahead**2,
                      bound=has_guideline * following * (1.0 - own.exempt))  # fmt: skip
    # budget lags: this year's outlays execute the decisions of the last three years (lag_weights)
    outlay_target = lagged_target(own.plans, p.lag_weights)
    spending = budget_inertia(
        spending=own.spending, target=outlay_target, noise=p.budget_noise * budget_shock, adjustment_speed=p.adjustment_speed, max_rise=own.max_rise, max_cut=p.max_cut
    ) * own.armed

    # two commitments
    entrapment = priority_divergence(own.priorities, world.agenda)
    peers = (1.0 - own.self_mask) * view.armed * view.member
    grievance = burden_grievance(spending=own.spending, threat=threat, peer_spending=view.spending, peer_threat=view.threat, peer_mask=peers) * own.armed
    europeans = (1.0 - own.self_mask) * (1.0 - view.us_mask) * view.member
    european_tension = np.sum(own.tension_row * europeans, axis=-1) / np.maximum(np.sum(europeans, axis=-1), 1.0)
    transatlantic = commitment_update(own.transatlantic, transatlantic_target(
        reliability=reliability, threat=threat, reciprocity=world.reciprocity, us_tension=tension_with_us,
        entrapment=entrapment, grievance=grievance, bias=p.commitment_bias,
        from_reliability=p.commitment_from_reliability, from_threat=p.commitment_from_threat,
        from_reciprocity=p.commitment_from_reciprocity, from_tension=p.commitment_from_tension,
        from_entrapment=p.commitment_from_entrapment, from_grievance=p.commitment_from_grievance,
    ), p.commitment_speed)  # fmt: skip
    european = commitment_update(own.european, european_target(
        fear=fear, threat=threat, reciprocity=world.reciprocity, european_tension=european_tension,
        pillar=view.pillar * hedging, grievance=grievance, bias=p.commitment_bias, from_fear=p.commitment_from_fear,
        from_threat=p.commitment_from_threat, from_reciprocity=p.commitment_from_reciprocity,
        from_tension=p.commitment_from_tension, from_pillar=p.commitment_from_pillar,
        from_grievance=p.commitment_from_grievance,
    ), p.commitment_speed)  # fmt: skip

    # tension row
    # US-hedger friction, on both sides of the pair (the US row reads the hedgers' column)
    pressure = np.asarray(world.pressure)
    us_row = np.broadcast_to(pressure[..., None] * view.hedging, np.shape(own.tension_row))[..., us, :]
    friction = UsPairs(us, column=pressure * hedging, row=us_row)
    coordination_row = pair_coordination(
        p.coordination, hedging, p.pillar_coordination, own.partner_ties, p.partner_intelligence
    )
    tension_row = tension_row_update(
        tension_row=own.tension_row, threat=np.asarray(threat), spending=np.asarray(own.spending * own.armed),
        others_spending=view.spending, armed_pair=own.armed[..., None] * view.armed * (1.0 - own.self_mask),
        divergence=own.divergence_row, pressure=np.asarray(world.pressure), shortfall_pair=own.shortfall_row,
        disputes=own.dispute_row, rivalry=own.rivalry_row, imbalance=own.imbalance_row, friction=friction,
        coordination_pair=coordination_row, decay=p.tension_decay, grievance_weight=p.grievance_tension,
        divergence_weight=p.divergence_tension, pressure_weight=p.pressure_tension, rivalry_weight=p.rivalry_tension,
        balance_weight=p.balance_tension, friction_weight=p.pillar_friction, coordination_effect=p.coordination_effect,
    )  # fmt: skip
    tension_row *= 1.0 - own.self_mask

    drive = hedging_drive(
        reliability=reliability, threat=threat, pillar=view.pillar + np.reshape(p.pillar_coordination, np.shape(view.pillar)),
        threat_weight=p.hedge_threat_weight,
        complementarity=p.pillar_complementarity,
    )  # fmt: skip
    status = next_status(
        status=own.status, drive=drive, threshold=own.hedge_threshold, commitment=overall_commitment(transatlantic, european),
        margin=p.status_margin, exit_commitment=p.exit_commitment,
    )  # fmt: skip
    ties = partner_ties_update(own.partner_ties, p.partnerships, hedging, p.partner_tie_rate)
    return Decision(
        threat=threat, reliability=reliability, fear=fear, provision=provision, need=need, target=target,
        spending=spending, transatlantic=transatlantic, european=european, tension_row=tension_row, status=status,
        partner_ties=ties,
    )  # fmt: skip
