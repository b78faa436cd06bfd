"""Posterior predictive hindcast: 2014-2024 runs with posterior draws, against the observed figures.

Used by the calibration's predictive check figure and by ``validate --uncertainty``. No plotting here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..scenario_files import load_scenario
from .statistics import PANEL_YEARS, _counts, observed

HINDCAST = "hindcast_2014"


@dataclass
class Predictive:
    """Simulated yearly counts at 2% (runs x years) and 2024 spending (runs x allies), and the observed ones."""

    counts: pd.DataFrame
    levels_2024: pd.DataFrame
    observed_counts: pd.Series  # year -> count (2014-2019 and 2024)
    observed_2024: pd.Series  # iso3 -> % of GDP (allies with armed forces)
    panel_median: np.ndarray  # (5, N): simulated median per ally, 2015-2019 (for the discrepancy)
    panel_observed: np.ndarray  # (5, N): observed, 2015-2019 (NaN where no figure)
    discrepancy: Any = None  # a discrepancy.Discrepancy once one is added to the 2024 levels

    def with_discrepancy(self, seed: int = 0) -> "Predictive":
        """These runs with the structural discrepancy estimated from their own 2015-2019 residuals added (2024)."""
        from .discrepancy import add_discrepancy, estimate_discrepancy

        return add_discrepancy(self, estimate_discrepancy(self.panel_median, self.panel_observed), seed=seed)

    def intervals(self) -> pd.DataFrame:
        """Per ally: observed 2024 level, simulated median, 50% and 90% intervals, inside_90 and width_90."""
        q = self.levels_2024.quantile([0.05, 0.25, 0.5, 0.75, 0.95])
        table = pd.DataFrame({
            "observed": self.observed_2024, "p05": q.loc[0.05], "p25": q.loc[0.25], "median": q.loc[0.5],
            "p75": q.loc[0.75], "p95": q.loc[0.95],
        })  # fmt: skip
        table["inside_50"] = (table.observed >= table.p25) & (table.observed <= table.p75)
        table["inside_90"] = (table.observed >= table.p05) & (table.observed <= table.p95)
        table["width_90"] = table.p95 - table.p05
        return table.sort_values("observed")

    def coverage(self) -> dict[str, float]:
        """Share of observed 2024 levels inside the 50% and 90% intervals, mean 90% width, median absolute error."""
        table = self.intervals()
        return {
            "allies": int(len(table)),
            "inside_90": int(table.inside_90.sum()),
            "coverage_90": float(table.inside_90.mean()),
            "coverage_50": float(table.inside_50.mean()),
            "mean_width_90": float(table.width_90.mean()),
            "median_abs_error": float((table["median"] - table.observed).abs().median()),
            "mean_abs_error": float((table["median"] - table.observed).abs().mean()),
        }


def run_predictive(posterior, runs: int = 200, seed: int = 0, scenario=HINDCAST, executor=None,
                   **overrides) -> Predictive:  # fmt: skip
    """Run the 2014-2024 hindcast ``runs`` times with posterior draws (``posterior`` as in run_ensemble)."""
    from ..ensemble import run_ensemble

    base = load_scenario(scenario, **{"end_year": 2024, **overrides})
    ensemble = run_ensemble(base, runs, posterior=posterior, seed=seed, executor=executor, with_blocs=False)
    agents = ensemble.agents
    iso3 = tuple(agents["iso3"].cat.categories)
    obs = observed(iso3)
    years = np.sort(agents["year"].unique())
    spending = agents["spending"].to_numpy().reshape(runs, len(years), len(iso3))
    counts = pd.DataFrame(_counts(spending, years, obs), columns=years)
    armed = [code for code, is_armed in zip(iso3, obs.armed) if is_armed]
    final = pd.DataFrame(spending[:, list(years).index(2024), :], columns=list(iso3))[armed]
    observed_years = (2014, *PANEL_YEARS)
    observed_counts = pd.Series(_counts(obs.panel, observed_years, obs), index=observed_years)
    observed_counts[2024] = _counts(obs.levels_2024[None, :], (2024,), obs)[0]
    observed_2024 = pd.Series(obs.levels_2024, index=list(iso3))[armed]
    panel_median = np.median(spending[:, [list(years).index(y) for y in PANEL_YEARS], :], axis=0)
    return Predictive(counts=counts, levels_2024=final, observed_counts=observed_counts, observed_2024=observed_2024,
                      panel_median=panel_median, panel_observed=obs.panel[1:])  # fmt: skip


__all__ = ["HINDCAST", "Predictive", "run_predictive"]
