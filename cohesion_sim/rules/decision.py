"""The allies' yearly decision: the rules composed in the order MODEL.md gives.

This is the only place the rules are put together. :func:`cohesion_sim.year.decide` calls it
with every run and ally at once: own values have shape ``S = (R, N)``, rows ``S + (N,)``, and
year-wide values broadcast against ``S``. The US's row is computed with the others (its
tension row is the US's view of each ally); its other outputs are not applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .commitment import burden_grievance, commitment_target, commitment_update, priority_divergence
from .partners import partner_ties_update
from .reliability import perceived_reliability
from .spending import (
    allied_provision,
    budget_inertia,
    deadline_nearness,
    guideline_path,
    guideline_pull,
    pull_strength,
    security_demand,
)
from .status import DISENGAGED, HEDGING, next_status
from .tension import tension_row_update
from .threat import abandonment_fear, perceived_threat

Array = Any  # a float or a numpy array


@dataclass
class AllyState:
    """An ally's own state last year (shape S) and its rows (shape S + (N,))."""

    spending: Array
    commitment: Array
    reliability: Array
    status: Array
    partner_ties: Array
    gdp: Array
    armed: Array  # 1.0 with armed forces, 0.0 without (Iceland)
    private_demand: Array
    max_rise: Array
    exempt: Array  # 1.0 if exempted from the guideline in force
    path_start: Array  # spending when the guideline in force was adopted
    exposure: Array  # S + (3,): east, south, hybrid
    priorities: Array  # S + (4,): east, south, hybrid, other theatres
    tension_row: Array  # S + (N,)
    self_mask: Array  # S + (N,): 1 at the ally's own column
    divergence_row: Array  # S + (N,): priority divergence to each ally
    dispute_row: Array  # S + (N,): this year's dispute tension with each ally
    shortfall_pairs: Array  # S + (N,): on US-ally pairs, the ally's shortfall against its guideline path; 0 elsewhere


@dataclass
class AllianceView:
    """Last year's state of every ally (shape V + (N,), V broadcastable to S)."""

    spending: Array
    commitment: Array
    budgets: Array  # US$ bn
    threat: Array
    armed: Array
    hedging: Array  # 1.0 for hedging allies
    us_mask: Array  # 1.0 at the US column


@dataclass
class YearContext:
    """This year's world (shape W broadcastable to S); guideline fields are NaN when none is in force."""

    year: Array
    vacuum: Array
    previous_vacuum: Array
    pressure: Array
    threat_levels: Array  # W + (3,)
    guideline: Array
    adopted: Array
    deadline: Array
    conformity: Array  # share of armed allies at or above the guideline last year
    reciprocity: Array  # share of armed allies on track (not below their path) last year
    agenda: Array  # W + (4,): the alliance agenda's priorities
    us_budget: Array
    partner_budget: Array


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
    commitment: Array
    tension_row: Array
    status: Array
    partner_ties: Array


def decide_member(own: AllyState, view: AllianceView, world: YearContext, p, budget_shock) -> Decision:
    """Perceive threat, update trust, weigh provision, set demand and budget, commitment, tension and status."""
    threat = perceived_threat(own.exposure, world.threat_levels)
    tension_with_us = np.sum(own.tension_row * view.us_mask, axis=-1)
    reliability = perceived_reliability(
        own.reliability, world.vacuum, world.previous_vacuum, tension_with_us, p.trust_gain, p.trust_loss, p.volatility_cost
    )
    relief = np.where(np.asarray(p.partnerships) > 0, p.partner_relief, 0.0)  # per run in the batch engine
    fear = abandonment_fear(threat, reliability, world.vacuum, own.partner_ties, relief)
    counts = (1.0 - own.self_mask) * (1.0 - view.us_mask)
    provision = allied_provision(
        own.gdp, view.commitment, own.tension_row, view.budgets, counts, reliability, world.vacuum, world.us_budget,
        p.us_share_for_europe, world.partner_budget, own.partner_ties, p.partner_share,
    )  # fmt: skip
    hedging = np.asarray(own.status == HEDGING, dtype=float)
    following = own.armed * (own.status != DISENGAGED)
    need = security_demand(
        threat, fear, provision, own.private_demand, p.threat_weight, p.fear_weight, p.publicness,
        p.free_riding_weight, p.spending_floor, p.pillar_boost * hedging,
    )  # fmt: skip

    # guideline pull toward the path (aimed a margin above the guideline), if one is in force
    has_guideline = np.isfinite(world.guideline)
    level = np.where(has_guideline, world.guideline, 0.0)
    adopted = np.where(has_guideline, world.adopted, 0)
    deadline = np.where(has_guideline, world.deadline, 0)
    nearness = deadline_nearness(world.year, adopted, deadline)
    path = guideline_path(own.path_start, level + p.compliance_margin, adopted, deadline, world.year)
    strength = pull_strength(
        own.commitment, world.pressure, world.conformity, nearness, own.exempt, p.pull_max, p.pull_from_commitment,
        p.pull_from_pressure, p.pull_from_conformity, p.pull_from_deadline, p.exemption_relief,
    ) * has_guideline * following  # fmt: skip
    target = guideline_pull(need, path, strength)
    spending = budget_inertia(
        own.spending, target, p.budget_noise * budget_shock, p.adjustment_speed, own.max_rise, p.max_cut
    ) * own.armed

    # commitment
    entrapment = priority_divergence(own.priorities, world.agenda)
    peers = (1.0 - own.self_mask) * view.armed
    grievance = burden_grievance(own.spending, threat, view.spending, view.threat, peers, p.peer_threat_bandwidth) * own.armed
    n = np.shape(own.tension_row)[-1]
    mean_tension = np.sum(own.tension_row, axis=-1) / (n - 1)
    target_commitment = commitment_target(
        reliability, threat, world.reciprocity, mean_tension, entrapment, grievance, p.commitment_bias,
        p.commitment_from_reliability, p.commitment_from_threat, p.commitment_from_reciprocity,
        p.commitment_from_tension, p.commitment_from_entrapment, p.commitment_from_grievance,
    )  # fmt: skip
    commitment = commitment_update(own.commitment, target_commitment, p.commitment_speed)

    # tension row
    coordination_row = np.clip(p.coordination + p.pillar_coordination * hedging[..., None] * view.hedging, 0.0, 1.0)
    tension_row = tension_row_update(
        own.tension_row, np.asarray(threat), np.asarray(own.spending * own.armed), view.spending,
        own.armed * view.armed * (1.0 - own.self_mask), own.divergence_row, np.asarray(world.pressure),
        own.shortfall_pairs, own.dispute_row, coordination_row,
        p.tension_decay, p.grievance_tension, p.divergence_tension, p.pressure_tension, p.coordination_effect,
    ) * (1.0 - own.self_mask)  # fmt: skip

    status = next_status(
        own.status, reliability, threat, commitment, p.hedge_reliability, p.hedge_threat, p.status_margin,
        p.exit_commitment,
    )  # fmt: skip
    ties = partner_ties_update(own.partner_ties, p.partnerships, hedging, p.partner_tie_rate, p.partner_tie_decay)
    return Decision(
        threat=threat, reliability=reliability, fear=fear, provision=provision, need=need, target=target,
        spending=spending, commitment=commitment, tension_row=tension_row, status=status, partner_ties=ties,
    )  # fmt: skip
