"""Summary statistics of the spending data, and the weighted distance between simulated and observed ones.

Every statistic is a vector computed the same way from the observed figures and from a
simulated hindcast (spending per ally and year). Its distance term is the root mean
square difference over its entries divided by a fixed scale (what counts as a "unit" of
misfit), squared and weighted by the spec; the ABC distance is the square root of the
weighted mean of those terms. ``docs/calibration.md`` documents each statistic, its scale
and its default weight (:data:`STATISTICS`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..dataset import DATA_DIR, load_allies

PANEL_CSV = DATA_DIR / "nato_spending_2014_2019.csv"
PANEL_YEARS = (2015, 2016, 2017, 2018, 2019)  # 2014 is the start: it comes from the data in every run
GUIDELINE = 2.0


@dataclass(frozen=True)
class Statistic:
    """One summary statistic: what it is, its scale (one unit of misfit) and the years it needs."""

    description: str
    scale: float
    years: tuple[int, ...]


#: Every summary statistic, by name. Weights default to 1 (the spec can change them).
STATISTICS: dict[str, Statistic] = {
    "panel_levels": Statistic(
        "spending of each ally in each year 2015-2019 (% of GDP; 31 allies x 5 years)", 0.25, PANEL_YEARS
    ),
    "panel_steps": Statistic(
        "robust spread (1.4826 x median absolute deviation) of the year-on-year changes 2014-2019, pooled over "
        "allies (points of GDP); robust so one-off procurement spikes (Bulgaria 2019) do not set the noise", 0.05,
        PANEL_YEARS,
    ),
    "panel_counts": Statistic(
        "allies at or above 2% in each year 2015-2019 (members with armed forces)", 2.0, PANEL_YEARS
    ),
    "levels_2024": Statistic("spending of each ally in 2024 (% of GDP; 31 allies)", 0.4, (2024,)),
    "count_2024": Statistic("allies at or above 2% in 2024", 2.0, (2024,)),
}
YEARS_NEEDED = {name: stat.years for name, stat in STATISTICS.items()}


@dataclass(frozen=True)
class Observed:
    """The data the statistics are computed from, in the engine's ally order (``iso3``)."""

    iso3: tuple[str, ...]
    panel: np.ndarray  # (6, N): 2014-2019, NaN where no figure (Iceland)
    levels_2024: np.ndarray  # (N,), NaN where no armed forces
    accession: np.ndarray  # (N,)
    armed: np.ndarray  # (N,) bool


def data_files() -> dict[str, Path]:
    """The data files the statistics read."""
    return {"panel": PANEL_CSV, "allies": DATA_DIR / "nato_allies.csv"}


def data_checksums() -> dict[str, str]:
    """SHA-256 of each data file, for the manifest."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in data_files().values()}


@lru_cache(maxsize=4)
def observed(iso3: tuple[str, ...]) -> Observed:
    """The observed panel and 2024 levels for allies in ``iso3`` order."""
    import csv

    allies = {ally.iso3: ally for ally in load_allies()}
    years = (2014, *PANEL_YEARS)
    panel = np.full((len(years), len(iso3)), np.nan)
    column = {code: k for k, code in enumerate(iso3)}
    with PANEL_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            year, code = int(row["year"]), row["iso3"].strip().upper()
            if year in years and code in column:
                panel[years.index(year), column[code]] = float(row["defence_pct_gdp"])
    armed = np.array([allies[code].has_armed_forces for code in iso3])
    levels = np.array([allies[code].spending[2024] if allies[code].has_armed_forces else np.nan for code in iso3])
    accession = np.array([allies[code].accession_year for code in iso3])
    return Observed(iso3=tuple(iso3), panel=panel, levels_2024=levels, accession=accession, armed=armed)


def _counts(spending: np.ndarray, years, obs: Observed) -> np.ndarray:
    """Members with armed forces at or above 2% per year: spending (..., years, N) -> (..., years)."""
    members = (obs.accession[None, :] <= np.asarray(years)[:, None]) & obs.armed[None, :]
    return ((spending >= GUIDELINE) & members).sum(axis=-1).astype(float)


def summarize(spending: np.ndarray, years, obs: Observed) -> dict[str, np.ndarray]:
    """Every statistic of R simulated runs: spending (R, years, N) -> name -> (R, k)."""
    years = list(int(y) for y in years)
    out: dict[str, np.ndarray] = {}
    has_panel = all(y in years for y in (2014, *PANEL_YEARS))
    if has_panel:
        index = [years.index(y) for y in (2014, *PANEL_YEARS)]
        panel = spending[:, index, :]  # (R, 6, N)
        observed_cells = np.isfinite(obs.panel[1:])
        out["panel_levels"] = panel[:, 1:, :][:, observed_cells]
        steps = np.diff(panel, axis=1)[:, np.isfinite(np.diff(obs.panel, axis=0))]
        centre = np.median(steps, axis=1, keepdims=True)
        out["panel_steps"] = 1.4826 * np.median(np.abs(steps - centre), axis=1, keepdims=True)
        out["panel_counts"] = _counts(panel[:, 1:, :], PANEL_YEARS, obs)
    if 2024 in years:
        final = spending[:, years.index(2024), :]
        out["levels_2024"] = final[:, np.isfinite(obs.levels_2024)]
        out["count_2024"] = _counts(final[:, None, :], (2024,), obs)
    return out


def observed_statistics(obs: Observed) -> dict[str, np.ndarray]:
    """The same statistics computed from the data (each a vector)."""
    spending = np.full((1, 11, len(obs.iso3)), np.nan)
    spending[0, :6] = obs.panel
    spending[0, 10] = obs.levels_2024
    stats = summarize(spending, range(2014, 2025), obs)
    return {name: value[0] for name, value in stats.items()}


def distance_terms(simulated: dict[str, np.ndarray], observed_stats: dict[str, np.ndarray],
                   weights: dict[str, float]) -> dict[str, np.ndarray]:  # fmt: skip
    """Each weighted statistic's misfit, (RMSE / scale)^2, for arrays (R, k) or vectors (k,)."""
    terms = {}
    for name, weight in weights.items():
        if weight <= 0:
            continue
        diff = np.asarray(simulated[name], dtype=float) - observed_stats[name]
        terms[name] = np.mean(diff**2, axis=-1) / STATISTICS[name].scale ** 2
    return terms


def distance(simulated: dict[str, np.ndarray], observed_stats: dict[str, np.ndarray], weights: dict[str, float]):
    """The ABC distance: sqrt(sum_g w_g (RMSE_g / scale_g)^2 / sum_g w_g); +inf where a statistic is not finite."""
    terms = distance_terms(simulated, observed_stats, weights)
    total = sum(weights[name] * term for name, term in terms.items()) / sum(weights[name] for name in terms)
    value = np.sqrt(total)
    if np.ndim(value):
        return np.where(np.isfinite(value), value, np.inf)
    return float(value) if np.isfinite(value) else np.inf


__all__ = ["STATISTICS", "Observed", "Statistic", "data_checksums", "distance", "distance_terms", "observed",
           "observed_statistics", "summarize"]  # fmt: skip
