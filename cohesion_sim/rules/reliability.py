"""How far an ally trusts the US guarantee (Snyder 1984, the alliance security dilemma)."""

from __future__ import annotations

import numpy as np


def perceived_reliability(reliability, vacuum, previous_vacuum, tension_with_us, trust_gain, trust_loss, volatility_cost):
    """r moves toward (1 - v)(1 - T_i,US), faster down than up, and every change in v costs trust (Snyder 1984).

    Unpredictability hurts beyond the level: ``volatility_cost * |v_t - v_{t-1}|`` is lost each year.
    """
    target = (1.0 - vacuum) * (1.0 - tension_with_us)
    rate = np.where(target < reliability, trust_loss, trust_gain)
    updated = reliability + rate * (target - reliability) - volatility_cost * np.abs(vacuum - previous_vacuum)
    return np.clip(updated, 0.0, 1.0)


def reliability_rest_point(vacuum, tension_with_us):
    """The trust an ally settles at under a steady vacuum: (1 - v)(1 - T_i,US)."""
    return (1.0 - vacuum) * (1.0 - tension_with_us)
