"""Ties to non-NATO democracies (Ukraine, Japan, Australia, South Korea, New Zealand)."""

from __future__ import annotations

import numpy as np


def partner_ties_update(ties, investment, hedging, tie_rate, tie_decay):
    """Ties grow with the scenario's investment (twice as fast for hedgers) toward 1 and fade by a decay rate."""
    growth = tie_rate * investment * (1.0 + np.asarray(hedging, dtype=float)) * (1.0 - ties)
    return np.clip(ties + growth - tie_decay * ties, 0.0, 1.0)
