"""Futures: an ensemble of US stances, threat paths and (if given) parameter draws, sampled by a seeded design.

Each future is one point of a Latin hypercube (or plain Monte Carlo) over the factors below,
mapped to scenario overrides:

* ``vacuum_level``: the security vacuum the US moves to (0 a full guarantee, 1 withdrawal);
* ``vacuum_year``: the year it gets there;
* ``vacuum_shape``: ``step`` (an abrupt jump in that year) or ``ramp`` (a steady drift from the
  start year to that year);
* ``volatility``: the yearly s.d. of erratic swings around that path (unpredictability);
* ``pressure``: how hard the US presses laggards on burden sharing;
* ``east_threat`` and ``south_threat``: the threat level each direction drifts to by the end year;
* ``posterior_draw``: a row of the posterior file, whose columns are scenario parameters.

Same seed, same futures.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Continuous factors (low, high come from the spec's ``ranges``).
CONTINUOUS = ("vacuum_level", "volatility", "pressure", "east_threat", "south_threat")
#: Every factor in design order; ``posterior_draw`` is appended when a posterior is used.
FACTORS = ("vacuum_level", "vacuum_year", "vacuum_shape", "volatility", "pressure", "east_threat", "south_threat")
SHAPES = ("step", "ramp")


def unit_design(n: int, d: int, *, seed: int, method: str = "lhs") -> np.ndarray:
    """``n`` points in the unit cube of dimension ``d``: a Latin hypercube (scipy.stats.qmc) or uniform draws."""
    rng = np.random.default_rng(seed)
    if method == "lhs":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=d, seed=rng).random(n)
    if method == "random":
        return rng.uniform(size=(n, d))
    raise ValueError(f"unknown design '{method}'; use lhs or random")


def sample_futures(ranges, n: int, *, seed: int, method: str = "lhs", posterior=None):
    """The futures table: one row per future with each factor's value and its unit-cube coordinate.

    Args:
        ranges: an object with ``vacuum_level``, ``vacuum_year``, ``shapes``, ``volatility``,
            ``pressure``, ``east_threat``, ``south_threat`` (:class:`~cohesion_sim.levers.spec.FutureRanges`).
        n: number of futures.
        posterior: a :class:`~cohesion_sim.calibration.posterior.Posterior` (weighted draws), or None.
    """
    import pandas as pd

    names = list(FACTORS) + (["posterior_draw"] if posterior is not None else [])
    unit = unit_design(n, len(names), seed=seed, method=method)
    frame = pd.DataFrame({"future": np.arange(n)})
    for k, name in enumerate(names):
        u = unit[:, k]
        if name in CONTINUOUS:
            low, high = getattr(ranges, name)
            frame[name] = low + u * (high - low)
        elif name == "vacuum_year":
            low, high = ranges.vacuum_year
            frame[name] = np.minimum(low + np.floor(u * (high - low + 1)), high).astype(int)
        elif name == "vacuum_shape":
            shapes = list(ranges.shapes)
            frame[name] = [shapes[i] for i in np.minimum((u * len(shapes)).astype(int), len(shapes) - 1)]
        else:  # a draw by the inverse of the posterior's weight distribution: weighted and still stratified
            cumulative = np.cumsum(posterior.draws["weight"].to_numpy(dtype=float))
            frame[name] = np.minimum(np.searchsorted(cumulative / cumulative[-1], u, side="right"), len(posterior.draws) - 1)
    for k, name in enumerate(names):
        frame[f"unit:{name}"] = unit[:, k]
    return frame


def future_overrides(row: dict[str, Any], base, posterior=None) -> dict[str, Any]:
    """Scenario overrides of one future (a row of :func:`sample_futures` as a mapping)."""
    start, end = base.start_year, base.end_year
    v0 = float(base.vacuum.at(start))
    level, year = float(row["vacuum_level"]), int(row["vacuum_year"])
    extra = {"volatility": float(row["volatility"]), "reversion": float(base.vacuum.reversion)}
    if row["vacuum_shape"] == "step":
        vacuum = {"kind": "step", "before": v0, "level": level, "year": year, **extra}
    else:
        vacuum = {"kind": "ramp", "from_value": v0, "to_value": level, "from_year": start,
                  "to_year": max(year, start + 1), **extra}  # fmt: skip
    threat = {}
    for direction in ("east", "south"):
        now = float(getattr(base.threat, direction).at(start))
        threat[direction] = {"kind": "ramp", "from_value": now, "to_value": float(row[f"{direction}_threat"]),
                             "from_year": start, "to_year": end}  # fmt: skip
    overrides: dict[str, Any] = {"vacuum": vacuum, "pressure": float(row["pressure"]), "threat": threat}
    if posterior is not None and "posterior_draw" in row:
        draw = posterior.draws.iloc[int(row["posterior_draw"])]
        for name in posterior.names:
            value = draw[name]
            overrides[name] = value.item() if hasattr(value, "item") else value
    return overrides


__all__ = ["CONTINUOUS", "FACTORS", "SHAPES", "future_overrides", "sample_futures", "unit_design"]
