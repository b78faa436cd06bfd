"""Robustness of each package over the futures: percentiles, satisficing and regret (Lempert et al., RDM).

Everything here is a pure function on a package x future table (replicates already averaged),
so it can be checked on a hand-made table:

* the median and the worst-tenth percentile of each outcome over futures (10th where higher is
  better, 90th where lower is better);
* satisficing: the share of futures where the package keeps cohesion at or above a threshold;
* regret: in each future, how far the package falls short of the best package in that future
  (``max_p sign*x[p, f] - sign*x[p, f]``, never negative); its mean, 90th percentile and maximum.

Packages are ranked by satisficing share (most robust first), then by 90th-percentile regret.
"""

from __future__ import annotations

import numpy as np

from .outcomes import OUTCOMES, PRIMARY, Outcome


def future_means(runs, outcomes=None):
    """Mean of each outcome over replicates: one row per (package, future)."""
    names = [o.name for o in (outcomes or OUTCOMES) if o.name in runs]
    return runs.groupby(["package", "future"], sort=True)[names].mean().reset_index()


def outcome_matrix(means, name: str, n_packages: int, n_futures: int) -> np.ndarray:
    """The (packages, futures) array of one outcome; NaN where a cell has no runs."""
    matrix = np.full((n_packages, n_futures), np.nan)
    matrix[means["package"].to_numpy(), means["future"].to_numpy()] = means[name].to_numpy(dtype=float)
    return matrix


def regret(matrix: np.ndarray, sign: float = 1.0) -> np.ndarray:
    """Regret of each package in each future against the best package there (same shape, >= 0)."""
    good = sign * np.asarray(matrix, dtype=float)
    return np.nanmax(good, axis=0, keepdims=True) - good


def satisficing(matrix: np.ndarray, threshold: float, sign: float = 1.0) -> np.ndarray:
    """Share of futures where each package meets the threshold (at or above it; at or below if lower is better)."""
    good = sign * np.asarray(matrix, dtype=float) >= sign * threshold
    return good.mean(axis=1)


def best_fails(matrix: np.ndarray, threshold: float, sign: float = 1.0) -> np.ndarray:
    """Futures where even the best package misses the threshold (boolean, one per future)."""
    good = sign * np.asarray(matrix, dtype=float)
    return np.nanmax(good, axis=0) < sign * threshold


def worst_tenth(values: np.ndarray, outcome: Outcome, axis: int = -1) -> np.ndarray:
    """The outcome's value in the worst tenth of futures: the 10th percentile, or the 90th where lower is better."""
    return np.nanpercentile(values, outcome.worst_percentile, axis=axis)


def robustness_table(means, packages, n_futures: int, threshold: float, outcomes=None):
    """One row per package: rank, satisficing share, regret statistics, and median / worst tenth of each outcome.

    Args:
        means: :func:`future_means` output.
        packages: the package names, in package-index order.
        threshold: the cohesion (primary outcome) a package must keep.
    """
    import pandas as pd

    outcomes = [o for o in (outcomes or OUTCOMES) if o.name in means]
    primary = outcome_matrix(means, PRIMARY.name, len(packages), n_futures)
    covered = ~np.isnan(primary).all(axis=0)  # futures with runs (a partial folder has fewer)
    primary = primary[:, covered]
    lost = regret(primary, PRIMARY.sign)
    table = pd.DataFrame({
        "package": list(packages),
        "satisficing": satisficing(primary, threshold, PRIMARY.sign),
        "regret_mean": lost.mean(axis=1),
        "regret_p90": np.percentile(lost, 90, axis=1),
        "regret_max": lost.max(axis=1),
        "best_in": (lost <= 1e-12).mean(axis=1),
    })  # fmt: skip
    for item in outcomes:
        matrix = outcome_matrix(means, item.name, len(packages), n_futures)[:, covered]
        table[f"{item.name}_median"] = np.median(matrix, axis=1)
        table[f"{item.name}_p{item.worst_percentile}"] = worst_tenth(matrix, item, axis=1)
    table = table.sort_values(["satisficing", "regret_p90"], ascending=[False, True], kind="stable")
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table.reset_index(drop=True)


#: Future clusters for the heatmap: how far the US withdraws, and how erratically.
VACUUM_BANDS = ((0.0, 0.4, "US stays (vacuum < 0.4)"), (0.4, 0.7, "partial withdrawal (0.4-0.7)"),
                (0.7, 1.01, "near-withdrawal (>= 0.7)"))  # fmt: skip
VOLATILITY_CUT = 0.1


def future_clusters(futures) -> list[str]:
    """A plain-language cluster for each future: vacuum band x steady/erratic (volatility below/above 0.1)."""
    labels = []
    for level, sigma in zip(futures["vacuum_level"], futures["volatility"]):
        band = next(name for low, high, name in VACUUM_BANDS if low <= level < high)
        labels.append(f"{band}, {'erratic' if sigma >= VOLATILITY_CUT else 'steady'}")
    return labels


def cluster_order() -> list[str]:
    return [f"{band}, {pace}" for _, _, band in VACUUM_BANDS for pace in ("steady", "erratic")]


__all__ = ["best_fails", "cluster_order", "future_clusters", "future_means", "outcome_matrix", "regret",
           "robustness_table", "satisficing", "worst_tenth"]  # fmt: skip
