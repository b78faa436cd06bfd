"""A posterior over behavioural constants: weighted draws, loading, resampling and a summary against the priors.

The package ships one (``data/posterior_default.csv``, made by ``cohesion-sim calibrate``;
``data/SOURCES.md`` says how) and ensembles use it unless told otherwise. A posterior file is
a table with one column per scenario field, a ``weight`` column and optionally ``distance``
and ``generation``; CSV or Parquet, or a calibration folder holding ``posterior.parquet``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..dataset import DATA_DIR
from ..scenario import Scenario
from ..scenario_files import ScenarioError

DEFAULT_POSTERIOR = DATA_DIR / "posterior_default.csv"
#: Calibrated on the 2014-2019 panel only (the out-of-sample check forecasts 2024 from it).
PANEL_ONLY_POSTERIOR = DATA_DIR / "posterior_2014_2019.csv"
#: Columns that describe a draw rather than set a constant (ABC-SMC and MCMC bookkeeping).
META_COLUMNS = ("weight", "distance", "generation", "draw", "chain", "iteration", "log_likelihood", "log_posterior")


class PosteriorError(ScenarioError):
    """A posterior file is missing or malformed; the message names the file and the column."""


@dataclass
class Posterior:
    """Weighted draws of constants: ``draws`` has one column per constant plus ``weight`` (summing to 1)."""

    draws: pd.DataFrame
    names: tuple[str, ...]
    source: str = "<memory>"

    def to_frame(self) -> pd.DataFrame:
        return self.draws.copy()

    def sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        """``n`` parameter sets resampled by weight (with replacement)."""
        weights = self.draws["weight"].to_numpy(dtype=float)
        index = rng.choice(len(self.draws), size=n, replace=True, p=weights / weights.sum())
        return self.draws.iloc[index][list(self.names)].reset_index(drop=True)

    def quantiles(self, q) -> pd.DataFrame:
        """Weighted quantiles of each constant: rows ``q``, columns the constants."""
        weights = self.draws["weight"].to_numpy(dtype=float)
        out = {}
        for name in self.names:
            values = self.draws[name].to_numpy(dtype=float)
            order = np.argsort(values)
            cumulative = np.cumsum(weights[order]) / weights.sum()
            out[name] = np.interp(q, cumulative - weights[order] / (2 * weights.sum()), values[order])
        return pd.DataFrame(out, index=list(q))

    def summary(self, priors: dict[str, tuple[float, float]] | None = None) -> pd.DataFrame:
        """Per constant: weighted median and 90% interval, the prior range, and how much the data narrowed it.

        ``narrowing`` is 1 - (posterior 90% width) / (prior 90% width); near 0 means the data
        say little about the constant (it stays at its prior), near 1 that they pin it down.
        """
        q = self.quantiles([0.05, 0.5, 0.95])
        rows = []
        for name in self.names:
            row = {"constant": name, "median": q.loc[0.5, name], "p05": q.loc[0.05, name], "p95": q.loc[0.95, name]}
            if priors and name in priors:
                low, high = priors[name]
                row.update(prior_low=low, prior_high=high)
                row["narrowing"] = 1 - (row["p95"] - row["p05"]) / (0.9 * (high - low))
            rows.append(row)
        return pd.DataFrame(rows).set_index("constant")


def _read_table(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix == ".csv":
        return pd.read_csv(path)
    raise PosteriorError(f"{path}: a posterior is a .csv or .parquet file (or a calibration folder)")


def load_posterior(source: str | Path | Posterior | None = "default") -> Posterior | None:
    """The posterior to use: ``"default"`` (shipped), ``"panel_only"`` (shipped, fitted on 2014-2019),
    ``"none"``/None (the scenario's own constants), a calibration folder or a file.

    A file is CSV or Parquet with one column per constant (a numeric scenario field) and one row
    per draw; a ``weight`` column weights the draws (equal weights without one), and bookkeeping
    columns (:data:`META_COLUMNS`) are ignored. The one posterior loader: ensembles, the app's
    bands, ``validate --uncertainty`` and ``levers`` all read posteriors through it.
    """
    if isinstance(source, Posterior):
        return source
    if source is None or str(source).lower() == "none":
        return None
    if str(source) == "default":
        path = DEFAULT_POSTERIOR
    elif str(source) == "panel_only":
        path = PANEL_ONLY_POSTERIOR
    else:
        path = Path(source)
        if path.is_dir():
            path = path / "posterior.parquet" if (path / "posterior.parquet").is_file() else path / "posterior.csv"
    if not path.is_file():
        raise PosteriorError(f"{path}: posterior file not found")
    try:
        table = _read_table(path)
    except PosteriorError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parse problem is the file's fault
        raise PosteriorError(f"{path}: cannot read the posterior ({type(exc).__name__}: {exc})") from None
    if "weight" not in table.columns:
        table = table.assign(weight=1.0)  # a file of draws (an MCMC chain, say): each draw counts the same
    names = tuple(c for c in table.columns if c not in META_COLUMNS)
    if not names or table.empty:
        raise PosteriorError(f"{path}: no constants or no draws; expected a column per scenario field and rows")
    for name in names:
        info = Scenario.model_fields.get(name)
        default = info.default if info is not None else None
        if info is None or isinstance(default, bool) or not isinstance(default, (int, float)):
            what = "a lever or a schedule, not a constant" if info is not None else "not a scenario field"
            raise PosteriorError(f"{path}: column '{name}' is {what}; a posterior draws numeric constants")
    numeric = table[[*names, "weight"]].apply(pd.to_numeric, errors="coerce")
    bad = numeric.columns[~np.isfinite(numeric.to_numpy(dtype=float)).all(axis=0)]
    if len(bad):
        raise PosteriorError(f"{path}: column '{bad[0]}' has empty or non-numeric values")
    if (numeric["weight"] < 0).any() or numeric["weight"].sum() <= 0:
        raise PosteriorError(f"{path}: column 'weight' must be >= 0 with a positive sum")
    table[[*names, "weight"]] = numeric
    table["weight"] = table["weight"] / table["weight"].sum()
    return Posterior(draws=table, names=names, source=str(path))


__all__ = ["DEFAULT_POSTERIOR", "PANEL_ONLY_POSTERIOR", "Posterior", "PosteriorError", "load_posterior"]
