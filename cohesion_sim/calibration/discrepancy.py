"""Model discrepancy: the structural error a calibrated model still makes, estimated from in-sample residuals.

Parameter uncertainty and budget noise do not cover what the model leaves out (an election, a
procurement spike, a government that falls). Following Kennedy and O'Hagan (2001), predictive
intervals add a discrepancy term estimated from data the model was fitted to: the residuals of
the 2014-2019 panel (observed minus the ensemble median, per ally) at horizons of 1 to 5 years.
Their robust spread grows roughly like a random walk, so the term is ``s * sqrt(h)`` with ``s``
fitted by least squares, and at 2024 (h = 10 from 2014) each run's level gets an independent
normal draw of that size. The model's own runs are not changed: this is how far to trust them.
Nothing after 2019 enters the estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .statistics import GUIDELINE, PANEL_YEARS

START = 2014


@dataclass(frozen=True)
class Discrepancy:
    """The fitted random-walk scale (points of GDP per square-root year) and the robust residual spread by horizon."""

    per_sqrt_year: float
    by_horizon: dict[int, float]  # horizon (years after 2014) -> robust s.d. of the per-ally residuals

    def at(self, year: int) -> float:
        """Standard deviation of the discrepancy ``year - 2014`` years into the hindcast."""
        return self.per_sqrt_year * np.sqrt(max(year - START, 0))


def robust_sd(values: np.ndarray) -> float:
    """1.4826 x the median absolute deviation (one procurement spike does not set the spread)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return float(1.4826 * np.median(np.abs(values - np.median(values))))


def estimate_discrepancy(panel_median: np.ndarray, panel_observed: np.ndarray) -> Discrepancy:
    """Fit ``s`` in sd(h) = s sqrt(h) to the robust spread of observed minus simulated median, 2015-2019.

    ``panel_median`` and ``panel_observed`` are (5, N): the simulated median and the observed level of each
    ally in 2015..2019 (NaN where there is no figure).
    """
    by_horizon = {year - START: robust_sd(panel_observed[k] - panel_median[k]) for k, year in enumerate(PANEL_YEARS)}
    h = np.array(list(by_horizon), dtype=float)
    sd = np.array(list(by_horizon.values()))
    return Discrepancy(per_sqrt_year=float(np.sum(sd * np.sqrt(h)) / np.sum(h)), by_horizon=by_horizon)


def add_discrepancy(predictive, discrepancy: Discrepancy, seed: int = 0):
    """The same predictive with an independent discrepancy draw added to each run's 2024 level (seeded)."""
    rng = np.random.default_rng(seed)
    levels = predictive.levels_2024
    noisy = levels + rng.normal(0.0, discrepancy.at(2024), size=levels.shape)
    counts = predictive.counts.copy()
    counts[2024] = (noisy >= GUIDELINE).sum(axis=1).to_numpy(dtype=float)  # every ally here is an armed member
    return replace(predictive, levels_2024=noisy, counts=counts, discrepancy=discrepancy)


__all__ = ["Discrepancy", "add_discrepancy", "estimate_discrepancy", "robust_sd"]
