"""The app's figures as PNG for download (matplotlib, no pyplot), drawn from a Frame.

The page itself shows the SVG views (map_view, charts); these draw the same content with
the same colours and projection, with titles, so a saved file stands on its own.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib.colors import TwoSlopeNorm  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from .palette import (  # noqa: E402
    ATLANTIC_EDGE, GAP_RANGE, NO_FORCES, RUN_COLOURS, STATUS_COLOURS, TENSION_COLOUR, US_COLOUR, US_X, bubble_area,
    map_x,
)  # fmt: skip
from .state import Frame  # noqa: E402

FONT = {"font.size": 13, "axes.titlesize": 15, "axes.labelsize": 13, "legend.fontsize": 11}
COMPARE_COLOURS = RUN_COLOURS


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(FONT):
        return Figure(figsize=(width, height), layout="constrained")


def alliance_map(frame: Frame, title: str | None = None, width: float = 9.0, height: float = 6.4) -> Figure:
    """Allies at their capitals; colour = spending against the guideline, size = GDP, lines = tensions."""
    with matplotlib.rc_context(FONT):
        fig = _figure(width, height)
        ax = fig.add_subplot()
        allies = frame.allies
        guideline = frame.guideline if frame.guideline is not None else 2.0
        xs = {row.iso3: (map_x(row.lon), row.lat) for row in allies.itertuples()}
        xs["USA"] = (US_X, frame.us["lat"])

        # the Atlantic, not to scale
        ax.axvspan(ATLANTIC_EDGE - 3.5, ATLANTIC_EDGE - 1.0, color="#ebf4ff", zorder=0)
        ax.text(ATLANTIC_EDGE - 2.25, 34.0, "Atlantic\n(not to scale)", ha="center", va="bottom", fontsize=9,
                color="#4a5568")  # fmt: skip

        strongest = frame.edges[0][2] if frame.edges else 1.0
        for a, b, value in frame.edges:
            (x0, y0), (x1, y1) = xs[a], xs[b]
            share = value / strongest if strongest > 0 else 0.0
            ax.plot([x0, x1], [y0, y1], color=TENSION_COLOUR, lw=1.0 + 4.0 * share, alpha=0.25 + 0.45 * share,
                    zorder=1, solid_capstyle="round")  # fmt: skip

        armed = allies["armed"].to_numpy()
        gap = (allies["spending"] - guideline).to_numpy()
        norm = TwoSlopeNorm(vmin=-GAP_RANGE, vcenter=0.0, vmax=GAP_RANGE)
        edge_colours = ["#4a5568" if s == "aligned" else STATUS_COLOURS[s] for s in allies["status"]]
        edge_widths = [0.8 if s == "aligned" else 4.0 for s in allies["status"]]
        x = np.array([xs[c][0] for c in allies["iso3"]])
        if (~armed).any():  # Iceland has no armed forces: no spending to colour
            ax.scatter(x[~armed], allies["lat"][~armed], s=bubble_area(allies["gdp"][~armed]), color=NO_FORCES,
                       edgecolors=np.array(edge_colours)[~armed], linewidths=np.array(edge_widths)[~armed], zorder=3)
        points = ax.scatter(
            x[armed], allies["lat"][armed], s=bubble_area(allies["gdp"][armed]),
            c=np.clip(gap[armed], -GAP_RANGE, GAP_RANGE), cmap="RdYlGn", norm=norm,
            edgecolors=np.array(edge_colours)[armed], linewidths=np.array(edge_widths)[armed], zorder=3,
        )  # fmt: skip
        for row in allies.itertuples():
            style = {"fontweight": "bold", "color": STATUS_COLOURS[row.status]} if row.status != "aligned" else {}
            ax.annotate(row.iso3, xs[row.iso3], xytext=(0, -11 - np.sqrt(bubble_area(row.gdp)) / 2.4),
                        textcoords="offset points", ha="center", va="top", fontsize=9, zorder=4, **style)  # fmt: skip

        ux, uy = xs["USA"]
        ax.scatter([ux], [uy], s=bubble_area(frame.us["gdp"]), color=US_COLOUR, edgecolors="white", lw=1.5, zorder=3)
        ax.text(ux, uy, "USA", ha="center", va="center", color="white", fontweight="bold", fontsize=12, zorder=4)
        ax.text(ux, uy - 3.6, f"US vacuum\n{frame.us['vacuum']:.2f}", ha="center", va="top", fontsize=11, zorder=4)

        bar = fig.colorbar(points, ax=ax, orientation="horizontal", fraction=0.045, pad=0.02, aspect=40)
        bar.set_label(f"spending minus the {guideline:g}% guideline, points of GDP")
        bar.ax.tick_params(labelsize=10)
        legend = [
            Line2D([], [], marker="o", ls="", ms=11, mfc="white", mec="#4a5568", mew=1, label="aligned"),
            Line2D([], [], marker="o", ls="", ms=11, mfc="white", mec=STATUS_COLOURS["hedging"], mew=3.5,
                   label="hedging"),  # fmt: skip
            Line2D([], [], marker="o", ls="", ms=11, mfc="white", mec=STATUS_COLOURS["disengaged"], mew=3.5,
                   label="disengaged"),  # fmt: skip
            Line2D([], [], color=TENSION_COLOUR, lw=3, alpha=0.6, label="strong tension"),
        ]
        ax.legend(handles=legend, loc="upper left", framealpha=0.9, fontsize=10)
        ax.set_xlim(US_X - 5.5, 46)
        ax.set_ylim(31, 68)
        ax.set_aspect(1.0 / np.cos(np.radians(50)))
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color("#cbd5e0")
        short = frame.title.split(":")[0]
        ax.set_title(title or f"{short}: the alliance in {frame.year} (bubble size = GDP)", loc="left")
        return fig


TIME_SERIES = (
    ("vacuum", "US security vacuum", "0 = full US guarantee, 1 = gone", (0.0, 1.0)),
    ("cohesion", "Alliance cohesion", "0 = fragmented, 1 = united", (0.0, 1.0)),
    ("allies_at_guideline", "Allies meeting the guideline", "allies (of 32)", (0, 32)),
    ("european_share", "European share of spending", "share of allied budgets", (0.0, 1.0)),
)


def time_series(runs: list[tuple[str, Frame]], width: float = 6.6, height: float = 6.4) -> Figure:
    """Vacuum, cohesion, allies meeting the guideline and the European share; one line per run."""
    with matplotlib.rc_context(FONT):
        fig = _figure(width, height)
        axes = fig.subplots(2, 2, sharex=True).ravel()
        first = runs[0][1]
        for ax, (column, title, ylabel, ylim) in zip(axes, TIME_SERIES):
            for k, (label, frame) in enumerate(runs):
                history = frame.history
                colour = COMPARE_COLOURS[k % len(COMPARE_COLOURS)]
                ax.plot(history["year"], history[column], marker="o", ms=4, lw=2.2, color=colour, label=label)
            ax.set_title(title, fontsize=13, loc="left")
            ax.set_ylabel(ylabel, fontsize=10)
            ax.set_ylim(*ylim)
            ax.set_xlim(first.start_year - 0.5, first.end_year + 0.5)
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=10)
            if len(runs) == 1:
                ax.axvline(first.year, color="#a0aec0", lw=1, ls=":")
        for ax in axes[2:]:
            ax.set_xlabel("year", fontsize=11)
        if len(runs) > 1:
            fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=len(runs), fontsize=11)
        return fig


def spending_bars(frame: Frame, width: float = 15.0, height: float = 4.4) -> Figure:
    """This year's spending per ally, sorted, coloured by status, with the guideline and 2% lines."""
    with matplotlib.rc_context(FONT):
        fig = _figure(width, height)
        ax = fig.add_subplot()
        allies = frame.allies.sort_values("spending")
        colours = [STATUS_COLOURS[s] for s in allies["status"]]
        ax.bar(allies["iso3"], allies["spending"], color=colours, zorder=2)
        if "start_spending" in allies:
            ax.scatter(allies["iso3"], allies["start_spending"], marker="_", s=220, lw=2.5, color="#1a202c",
                       zorder=3, label=f"{frame.start_year} level")  # fmt: skip
        ax.axhline(2.0, color="#718096", lw=1.2, ls=":", label="2% of GDP", zorder=1)
        if frame.guideline is not None:
            ax.axhline(frame.guideline, color="#1a202c", lw=2, ls="--", label=f"guideline {frame.guideline:g}%",
                       zorder=4)  # fmt: skip
        top = max(6.0, float(allies["spending"].max()) + 0.5, (frame.guideline or 0) + 0.5)
        ax.set_ylim(0, top)
        ax.set_ylabel("defence, % of GDP")
        ax.set_title(f"Defence spending by ally, {frame.year}", loc="left")
        ax.tick_params(axis="x", rotation=90, labelsize=11)
        ax.grid(axis="y", alpha=0.3, zorder=0)
        handles, _ = ax.get_legend_handles_labels()
        handles += [Patch(color=colour, label=status) for status, colour in STATUS_COLOURS.items()]
        ax.legend(handles=handles, ncol=6, loc="upper left", fontsize=11, framealpha=0.9)
        return fig


def png_bytes(fig: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
