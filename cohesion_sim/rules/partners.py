"""Partnerships with non-NATO democracies (Ukraine, Japan, Australia, South Korea, New Zealand).

As the debate means them (NATO 2024 Washington Summit Declaration: the Indo-Pacific partners
and Ukraine in capability, intelligence and defence-industrial cooperation): ties widen an
ally's defence-industrial capacity (it can raise outlays faster) and, between two allies tied
to the same partners, add intelligence sharing (see :func:`~cohesion_sim.rules.tension.pair_coordination`).
They neither provide security nor relieve abandonment fear.
"""

from __future__ import annotations

import numpy as np


def partner_ties_update(ties, investment, hedging, tie_rate, tie_decay):
    """Ties grow with the scenario's investment (twice as fast for hedgers) toward 1 and fade by a decay rate."""
    growth = tie_rate * investment * (1.0 + np.asarray(hedging, dtype=float)) * (1.0 - ties)
    return np.clip(ties + growth - tie_decay * ties, 0.0, 1.0)


def industrial_capacity(max_rise, ties, partner_capacity):
    """Largest yearly rise with partners' industrial cooperation: max_rise (1 + k ties) (co-production eases bottlenecks)."""
    return max_rise * (1.0 + partner_capacity * np.asarray(ties))
