"""The US stance: the security vacuum as a schedule plus erratic, mean-reverting deviations."""

from __future__ import annotations

import numpy as np


def vacuum_deviation(previous_deviation, shock, volatility, reversion):
    """x_t = (1 - reversion) x_{t-1} + sigma * eps_t: erratic policy as a mean-reverting random walk (AR(1))."""
    return (1.0 - reversion) * previous_deviation + volatility * shock


def vacuum_level(path_level, deviation):
    """v_t = clip(path(t) + x_t, 0, 1): the announced path plus this year's erratic deviation."""
    return np.clip(path_level + deviation, 0.0, 1.0)
