"""How far an ally trusts the US guarantee (Snyder 1984, the alliance security dilemma)."""

from __future__ import annotations

import numpy as np


def erratic_change(vacuum, previous_vacuum, previous_change):
    """The part of this year's change in v that reads as unpredictability: any move away, or a reversal of last year's move.

    A steady move toward reassurance is good news, not noise; a swing back after a move away is.
    """
    change = np.asarray(vacuum) - previous_vacuum
    erratic = (change > 0) | (change * previous_change < 0)
    return np.abs(change) * erratic


def perceived_reliability(
    *, reliability, vacuum, erratic, tension_with_us, trust_gain, trust_loss, volatility_cost
):  # fmt: skip
    """r moves toward (1 - v)(1 - T_i,US), faster down than up, and erratic changes in v cost trust (Snyder 1984).

    Unpredictability hurts beyond the level: ``volatility_cost * erratic`` is lost each year.
    """
    target = (1.0 - vacuum) * (1.0 - tension_with_us)
    rate = np.where(target < reliability, trust_loss, trust_gain)
    updated = reliability + rate * (target - reliability) - volatility_cost * erratic
    return np.clip(updated, 0.0, 1.0)


def reliability_rest_point(vacuum, tension_with_us):
    """The trust an ally settles at under a steady vacuum: (1 - v)(1 - T_i,US)."""
    return (1.0 - vacuum) * (1.0 - tension_with_us)
