"""The 2014-2024 hindcast over many seeds, compared with the observed 2024 figures."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..dataset import load_allies
from ..model import AllianceModel

#: The eight allies below 2% of GDP in 2024 (NATO, June 2024 estimates).
OBSERVED_LAGGARDS_2024 = ("HRV", "PRT", "ITA", "CAN", "BEL", "LUX", "SVN", "ESP")
FRONTLINE = ("POL", "EST", "LVA", "LTU")


@dataclass
class HindcastResult:
    """Per-ally spending at the end year across seeds, and the calibration targets' numbers."""

    seeds: list[int]
    end_year: int
    spending: pd.DataFrame  # index seed, columns iso3 (allies with armed forces, the US included)
    counts: pd.Series  # allies at or above 2% at the end year, per seed
    start_count: int
    observed: pd.Series = field(default_factory=pd.Series)  # iso3 -> observed 2024 spending

    def per_ally(self) -> pd.DataFrame:
        """Observed against the simulated median and 90% interval, sorted by observed spending."""
        table = pd.DataFrame(
            {
                "observed": self.observed,
                "median": self.spending.median(),
                "p05": self.spending.quantile(0.05),
                "p95": self.spending.quantile(0.95),
            }
        )
        table["inside_90"] = (table["observed"] >= table["p05"]) & (table["observed"] <= table["p95"])
        return table.sort_values("observed")

    def laggards_below(self) -> pd.Series:
        return (self.spending[list(OBSERVED_LAGGARDS_2024)] < 2.0).sum(axis=1)

    def top8_by_median(self) -> list[str]:
        return list(self.spending.median().sort_values(ascending=False).index[:8])

    def targets(self) -> dict[str, tuple[bool, str]]:
        """MODEL.md's calibration targets: name -> (met, numbers)."""
        count = float(np.median(self.counts))
        below = float(np.median(self.laggards_below()))
        top8 = self.top8_by_median()
        return {
            "2014 count is 3 (data)": (self.start_count == 3, f"{self.start_count}"),
            "2024 count between 20 and 25 (observed 23)": (
                20 <= count <= 25,
                f"median {count:g}, range {self.counts.min()}-{self.counts.max()}",
            ),
            "at least 5 of 8 observed laggards below 2%": (below >= 5, f"median {below:g} of 8"),
            "Poland and the Baltic states in the top 8": (
                set(FRONTLINE) <= set(top8),
                "top 8 by median: " + ", ".join(top8),
            ),
        }


def run_hindcast(seeds=range(20), scenario="hindcast_2014", progress: bool = False, **overrides) -> HindcastResult:
    """Run the hindcast once per seed and collect end-year spending of every ally with armed forces."""
    seeds = list(seeds)
    rows, counts, start_count = {}, {}, None
    iterator = seeds
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(seeds, desc="hindcast", unit="run")
    end_year = None
    for seed in iterator:
        model = AllianceModel(scenario, rng=seed, **overrides)
        if start_count is None:
            start_count = int(model.metrics["allies_at_2pct"])
        model.run()
        end_year = model.year
        values = {m.iso3: m.spending for m in model.members if m.has_armed_forces}
        values[model.us.iso3] = model.us.spending
        rows[seed] = values
        counts[seed] = int(model.metrics["allies_at_2pct"])
    observed = pd.Series({a.iso3: a.spending[2024] for a in load_allies() if a.has_armed_forces})
    return HindcastResult(
        seeds=seeds,
        end_year=end_year,
        spending=pd.DataFrame.from_dict(rows, orient="index"),
        counts=pd.Series(counts),
        start_count=start_count,
        observed=observed,
    )
