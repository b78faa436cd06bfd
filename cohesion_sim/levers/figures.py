"""The two figures of a levers analysis: package x future-cluster heatmap and regret bars (PNG, no display)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure


def heatmap(grid, path: Path, *, title: str, threshold: float | None = None) -> Path:
    """``grid``: a DataFrame, packages as rows (ranked) and future clusters as columns; cells annotated."""
    values = grid.to_numpy(dtype=float)
    fig = Figure(figsize=(1.6 * len(grid.columns) + 3.5, 0.38 * len(grid.index) + 2.2))
    ax = fig.subplots()
    image = ax.imshow(values, aspect="auto", cmap="RdYlGn", vmin=np.nanmin(values), vmax=np.nanmax(values))
    ax.set_xticks(range(len(grid.columns)), [c.replace(", ", ",\n").replace(" (", "\n(") for c in grid.columns],
                  fontsize=7)  # fmt: skip
    ax.set_yticks(range(len(grid.index)), grid.index, fontsize=8)
    for (i, j), value in np.ndenumerate(values):
        if np.isfinite(value):
            weight = "bold" if threshold is not None and value >= threshold else "normal"
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7, fontweight=weight)
    ax.set_title(title, fontsize=10)
    fig.colorbar(image, ax=ax, fraction=0.03)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def regret_bars(table, path: Path) -> Path:
    """Mean, 90th-percentile and maximum regret (cohesion lost against the best package) per package."""
    fig = Figure(figsize=(8, 0.32 * len(table) + 1.8))
    ax = fig.subplots()
    y = np.arange(len(table))[::-1]
    ax.barh(y + 0.27, table["regret_max"], 0.27, color="#c53030", label="maximum")
    ax.barh(y, table["regret_p90"], 0.27, color="#dd6b20", label="90th percentile")
    ax.barh(y - 0.27, table["regret_mean"], 0.27, color="#2b6cb0", label="mean")
    ax.set_yticks(y, table["package"], fontsize=8)
    ax.set_xlabel("regret: cohesion lost against the best package in the same future")
    ax.set_title("Regret of each package over the futures (ranked, most robust on top)", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


__all__ = ["heatmap", "regret_bars"]
