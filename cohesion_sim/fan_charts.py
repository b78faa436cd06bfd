"""Fan charts of an ensemble (matplotlib, files only): median, 50% and 90% bands over the runs, per year."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure
import numpy as np
import pandas as pd

from .reporters import HEADLINE, describe

BLUE = "#2b6cb0"


def fan(ax, years: np.ndarray, values: np.ndarray, colour: str = BLUE) -> None:
    """Draw one fan from ``values`` (runs, years): median line, 50% and 90% bands."""
    q = np.nanquantile(np.asarray(values, dtype=float), [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    ax.fill_between(years, q[0], q[4], color=colour, alpha=0.18, lw=0, label="90%")
    ax.fill_between(years, q[1], q[3], color=colour, alpha=0.38, lw=0, label="50%")
    ax.plot(years, q[2], color=colour, lw=1.8, label="median")


def _runs_by_years(table: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    wide = table.pivot(index="run", columns="year", values=column).astype(float)
    return wide.columns.to_numpy(), wide.to_numpy()


def headline_fans(model: pd.DataFrame, metrics=HEADLINE):
    """One fan chart per headline metric (those with numbers in every year)."""
    metrics = [m for m in metrics if m in model and model[m].notna().all()]
    cols = 4
    rows = int(np.ceil(len(metrics) / cols))
    fig = Figure(figsize=(3.4 * cols, 2.5 * rows))
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True)
    for ax, metric in zip(axes.flat, metrics):
        fan(ax, *_runs_by_years(model, metric))
        reporter = describe(metric)
        ax.set_title(metric + (f" ({reporter.unit})" if reporter.unit else ""), fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(metrics):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7, loc="best")
    runs = model["run"].nunique()
    fig.suptitle(f"Headline metrics over {runs} runs: median, 50% and 90% bands", fontsize=11)
    fig.subplots_adjust(left=0.05, right=0.98, bottom=0.06, top=0.91, wspace=0.25, hspace=0.35)
    return fig


def spending_fans(agents: pd.DataFrame):
    """Spending per ally: one small fan chart per ally, the 2% line for reference."""
    allies = list(agents["iso3"].cat.categories) if hasattr(agents["iso3"], "cat") else sorted(agents["iso3"].unique())
    cols = 8
    rows = int(np.ceil(len(allies) / cols))
    fig = Figure(figsize=(2.0 * cols, 1.6 * rows))
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True)
    ordered = agents.sort_values(["run", "year", "iso3"])
    years = np.sort(agents["year"].unique())
    runs = agents["run"].nunique()
    # (runs, years, allies): one reshape instead of a pivot per ally
    spending = ordered["spending"].to_numpy(dtype=float).reshape(runs, len(years), -1)
    codes = list(ordered["iso3"].iloc[: spending.shape[2]])
    for ax, code in zip(axes.flat, allies):
        fan(ax, years, spending[:, :, codes.index(code)])
        ax.axhline(2.0, color="grey", lw=0.8, ls=":")
        ax.set_title(code, fontsize=8, pad=2)
        ax.tick_params(labelsize=6)
    for ax in list(axes.flat)[len(allies):]:
        ax.axis("off")
    fig.suptitle("Core defence spending per ally, % of GDP: median, 50% and 90% bands (dotted: 2%)", fontsize=11)
    fig.subplots_adjust(left=0.03, right=0.99, bottom=0.05, top=0.9, wspace=0.3, hspace=0.45)
    return fig


def write_fan_charts(model: pd.DataFrame, agents: pd.DataFrame, out: str | Path) -> dict[str, Path]:
    """Write fan_headline.png and fan_spending.png into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, fig in (("fan_headline", headline_fans(model)), ("fan_spending", spending_fans(agents))):
        paths[name] = out / f"{name}.png"
        fig.savefig(paths[name], dpi=100)
    return paths


__all__ = ["fan", "headline_fans", "spending_fans", "write_fan_charts"]
