"""The app's figures as PNG for download (matplotlib Figure objects: no pyplot, no backend switch).

The page shows the SVG views (map_view, charts); these draw the same content with the same
palette (:mod:`cohesion_sim.palette`) and projection, with titles, so a saved file stands on its
own. The spending chart is the CLI's own :func:`cohesion_sim.plots.spending_by_ally`.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..compliance import CLASSES
from ..plots import spending_by_ally
from .charts import SERIES, SMALL_MULTIPLES
from .palette import (
    ATLANTIC_EDGE, COMPLIANCE_COLOURS, INK, MAP_EAST, MAP_NORTH, MAP_SOUTH, MAP_WEST, RUN_COLOURS, STATUS_COLOURS,
    STATUS_RING_WIDTH, TENSION_COLOUR, US_COLOUR, US_X, bubble_area, map_x, tension_share,
)  # fmt: skip
from .state import Frame

FONT = {"font.size": 13, "axes.titlesize": 15, "axes.labelsize": 13, "legend.fontsize": 11}


def alliance_map(frame: Frame, title: str | None = None, width: float = 9.0, height: float = 6.6) -> Figure:
    """Allies at their capitals; fill = against own path, white dot = below 2%, ring = status, lines = tension."""
    with matplotlib.rc_context(FONT):
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.add_subplot()
        allies = frame.allies
        xs = {row.iso3: (map_x(row.lon), row.lat) for row in allies.itertuples()}
        xs["USA"] = (US_X, frame.us["lat"])
        ax.axvspan(ATLANTIC_EDGE - 3.5, ATLANTIC_EDGE - 1.0, color="#e6f0fb", zorder=0)
        ax.text(ATLANTIC_EDGE - 2.25, 34.0, "Atlantic\n(not to scale)", ha="center", va="bottom", fontsize=9)
        for a, b, value in frame.edges:
            share = tension_share(value)
            (x0, y0), (x1, y1) = xs[a], xs[b]
            ax.plot([x0, x1], [y0, y1], color=TENSION_COLOUR, lw=0.8 + 5 * share, alpha=0.25 + 0.5 * share, zorder=1)
        x = np.array([xs[c][0] for c in allies["iso3"]])
        ax.scatter(x, allies["lat"], s=bubble_area(allies["gdp"]), c=allies["compliance"].map(COMPLIANCE_COLOURS),
                   edgecolors=allies["status"].map(STATUS_COLOURS),
                   linewidths=allies["status"].map(STATUS_RING_WIDTH) * 0.8, zorder=3)  # fmt: skip
        below = allies["below_2pct"].to_numpy(dtype=bool)
        ax.scatter(x[below], allies["lat"][below], s=14, color="white", edgecolors=INK, linewidths=0.6, zorder=4)
        for row in allies.itertuples():
            ax.annotate(row.iso3, xs[row.iso3], xytext=(0, -9 - np.sqrt(bubble_area(row.gdp)) / 2.4),
                        textcoords="offset points", ha="center", va="top", fontsize=9, zorder=5)  # fmt: skip
        ux, uy = xs["USA"]
        ax.scatter([ux], [uy], s=bubble_area(frame.us["gdp"]), color=US_COLOUR, edgecolors="white", zorder=3)
        ax.text(ux, uy, "USA", ha="center", va="center", color="white", fontweight="bold", fontsize=12, zorder=4)
        ax.text(ux, uy - 3.6, f"US vacuum\n{frame.us['vacuum']:.2f}", ha="center", va="top", fontsize=11)
        guideline = f"{frame.guideline:g}%" if frame.guideline is not None else "2%"
        handles = [Patch(color=COMPLIANCE_COLOURS[c], label=c) for c in CLASSES if (allies["compliance"] == c).any()]
        handles += [Line2D([], [], marker="o", ls="", ms=7, mfc="white", mec=INK, label="below 2%"),
                    Line2D([], [], marker="o", ls="", ms=11, mfc="white", mec=STATUS_COLOURS["hedging"], mew=3,
                           label="hedging"),
                    Line2D([], [], color=TENSION_COLOUR, lw=4, alpha=0.7, label="tension 0.3+")]  # fmt: skip
        ax.legend(handles=handles, loc="upper left", framealpha=0.92, fontsize=9,
                  title=f"against own path to {guideline}", title_fontsize=9)  # fmt: skip
        ax.set_xlim(MAP_WEST, MAP_EAST)
        ax.set_ylim(MAP_SOUTH, MAP_NORTH)
        ax.set_aspect(1.0 / np.cos(np.radians(50)))
        ax.set_xticks([])
        ax.set_yticks([])
        short = frame.title.split(":")[0]
        ax.set_title(title or f"{short}: the alliance in {frame.year} (bubble size = GDP)", loc="left")
        return fig


def time_series(runs: list[tuple[str, Frame]], width: float = 12.0, height: float = 6.6) -> Figure:
    """The small multiples of the page, one line per run."""
    with matplotlib.rc_context(FONT):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(2, 3, sharex=True).ravel()
        first = runs[0][1]
        for ax, column in zip(axes, SMALL_MULTIPLES):
            title, (low, high), _, _ = SERIES[column]
            for k, (label, frame) in enumerate(runs):
                history = frame.history
                values = history["on_track"] if column == "compliance" and "on_track" in history else (
                    history.get(column))
                if values is None:
                    continue
                ax.plot(history["year"], values, marker="o", ms=3, lw=2, color=RUN_COLOURS[k % 2], label=label)
            ax.set_title(title if column != "compliance" else "Allies on track (own path)", fontsize=12, loc="left")
            ax.set_ylim(low, high)
            ax.set_xlim(first.start_year - 0.5, first.end_year + 0.5)
            ax.grid(alpha=0.3)
        if len(runs) > 1:
            fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=len(runs), fontsize=10)
        return fig


def spending_bars(frame: Frame, width: float = 13.0, height: float = 4.8) -> Figure:
    """This year's spending per ally: the CLI's chart (:func:`cohesion_sim.plots.spending_by_ally`)."""
    with matplotlib.rc_context(FONT):
        fig = Figure(figsize=(width, height), layout="constrained")
        spending_by_ally(frame.allies, ax=fig.add_subplot(), year=frame.year, guideline=frame.guideline,
                         start_year=frame.start_year)  # fmt: skip
        return fig


def png_bytes(fig: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
