"""Figures of a calibration: posterior marginals, pairwise scatter, and the posterior predictive check (PNG)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure
import numpy as np

from .posterior import Posterior
from .predictive import Predictive

BLUE, GREY, RED = "#2b6cb0", "#a0aec0", "#c53030"


def marginals(posterior: Posterior, priors: dict[str, tuple[float, float]]):
    """One weighted histogram per constant over its prior range (the flat prior drawn as a grey line)."""
    names = posterior.names
    cols = min(4, len(names))
    rows = int(np.ceil(len(names) / cols))
    fig = Figure(figsize=(3.2 * cols, 2.4 * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    weights = posterior.draws["weight"].to_numpy()
    for ax, name in zip(axes.flat, names):
        low, high = priors.get(name, (posterior.draws[name].min(), posterior.draws[name].max()))
        ax.hist(posterior.draws[name], bins=20, range=(low, high), weights=weights, density=True, color=BLUE, alpha=0.8)
        ax.axhline(1 / (high - low), color=GREY, lw=1.5, label="prior")
        ax.set_title(name, fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    fig.suptitle("Posterior marginals (blue) against the uniform prior (grey)", fontsize=11)
    fig.tight_layout()
    return fig


def pairs(posterior: Posterior, priors: dict[str, tuple[float, float]]):
    """Pairwise scatter of the draws (point size by weight), each axis over its prior range."""
    names = posterior.names
    d = len(names)
    fig = Figure(figsize=(1.6 * d + 1, 1.6 * d + 1))
    axes = fig.subplots(d, d, squeeze=False)
    weights = posterior.draws["weight"].to_numpy()
    sizes = 2 + 30 * weights / weights.max()
    for i, row in enumerate(names):
        for j, col in enumerate(names):
            ax = axes[i, j]
            if j > i:
                ax.axis("off")
                continue
            if i == j:
                ax.hist(posterior.draws[col], bins=15, range=priors.get(col), weights=weights, color=BLUE)
            else:
                ax.scatter(posterior.draws[col], posterior.draws[row], s=sizes, color=BLUE, alpha=0.4, lw=0)
                if row in priors:
                    ax.set_ylim(*priors[row])
            if col in priors:
                ax.set_xlim(*priors[col])
            # ticks are costly with d^2 axes: each axis shows its prior range through its limits only
            ax.set_xticks([])
            ax.set_yticks([])
            if i == d - 1:
                ax.set_xlabel(col, fontsize=7, rotation=30, ha="right")
            if j == 0 and i > 0:
                ax.set_ylabel(row, fontsize=7, rotation=0, ha="right")
    fig.suptitle("Posterior draws, pairwise (each axis spans the constant's prior range)", fontsize=11)
    fig.subplots_adjust(left=0.16, bottom=0.14, right=0.98, top=0.94, wspace=0.05, hspace=0.05)
    return fig


def predictive_check(predictive: Predictive, title: str = "Posterior predictive check"):
    """Left: allies at or above 2% per year (median, 50% and 90% bands, observed dots). Right: 2024 per ally."""
    fig = Figure(figsize=(14, 4.8))
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 2.2]})
    counts = predictive.counts
    years = counts.columns.to_numpy()
    q = counts.quantile([0.05, 0.25, 0.5, 0.75, 0.95])
    left.fill_between(years, q.loc[0.05], q.loc[0.95], color=BLUE, alpha=0.18, label="90% band")
    left.fill_between(years, q.loc[0.25], q.loc[0.75], color=BLUE, alpha=0.35, label="50% band")
    left.plot(years, q.loc[0.5], color=BLUE, lw=2, label="median")
    obs = predictive.observed_counts
    left.scatter(obs.index, obs.to_numpy(), color=RED, zorder=4, label="observed")
    left.set_xlabel("year")
    left.set_ylabel("allies at or above 2% of GDP")
    left.legend(fontsize=8, loc="upper left")
    left.set_title("Allies at or above 2%", fontsize=10)

    table = predictive.intervals()
    x = np.arange(len(table))
    right.vlines(x, table.p05, table.p95, color=BLUE, alpha=0.35, lw=6, label="90% interval")
    right.vlines(x, table.p25, table.p75, color=BLUE, alpha=0.9, lw=6, label="50% interval")
    right.scatter(x, table["median"], marker="_", color="white", s=60, zorder=3)
    colours = np.where(table.inside_90, RED, "black")
    right.scatter(x, table.observed, color=colours, zorder=4, s=22, label="observed (black: outside the 90%)")
    right.axhline(2.0, color=GREY, ls=":", lw=1)
    right.set_xticks(x, table.index, rotation=90, fontsize=7)
    right.set_ylabel("core defence 2024, % of GDP")
    cov = predictive.coverage()
    right.set_title(f"2024 by ally: {cov['inside_90']} of {cov['allies']} observed inside the 90% interval "
                    f"(mean width {cov['mean_width_90']:.2f} points)", fontsize=10)  # fmt: skip
    right.legend(fontsize=8, loc="upper left")
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def write_calibration_figures(posterior: Posterior, priors, base, out: Path, *, seed: int = 0, runs: int = 200,
                              executor=None) -> dict[str, Path]:  # fmt: skip
    """Write marginals.png, pairs.png, predictive_check.png and predictive_2024.csv into ``out``."""
    from .predictive import run_predictive

    out = Path(out)
    paths = {}
    for name, fig in (("marginals", marginals(posterior, priors)), ("pairs", pairs(posterior, priors))):
        paths[name] = out / f"{name}.png"
        fig.savefig(paths[name], dpi=110)
    predictive = run_predictive(posterior, runs=runs, seed=seed, scenario=base, executor=executor)
    fig = predictive_check(predictive)
    paths["predictive_check"] = out / "predictive_check.png"
    fig.savefig(paths["predictive_check"], dpi=110)
    paths["predictive_2024"] = out / "predictive_2024.csv"
    predictive.intervals().to_csv(paths["predictive_2024"], float_format="%.4f")
    return paths


__all__ = ["marginals", "pairs", "predictive_check", "write_calibration_figures"]
