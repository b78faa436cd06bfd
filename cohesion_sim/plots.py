"""Figures of one run (matplotlib): spending by ally, cohesion and the vacuum, compliance.

One spending-by-ally chart for everyone: the CLI's PNG files, the notebooks and the app's
downloads call :func:`spending_by_ally`; the app's live SVG draws the rows of
:func:`spending_rows` with the same colours (:mod:`cohesion_sim.palette`).

Nothing here switches matplotlib's backend: notebooks show figures inline, and
:func:`write_figures` draws on :class:`matplotlib.figure.Figure` objects, which need no display.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .compliance import CLASSES, TWO_PERCENT, compliance_class
from .palette import COMPLIANCE_COLOURS, GRID, INK, MUTED, STATUS_COLOURS, STATUS_DASH, STATUS_RING_WIDTH


def spending_rows(allies: pd.DataFrame, guideline: float | None = None, tolerance: float = 0.5) -> pd.DataFrame:
    """One year's allies sorted by spending, with ``compliance``, ``below_2pct``, ``fill`` and ``ring`` columns.

    ``allies`` needs iso3, spending and status; ``armed``, ``path``, ``exempt``, ``compliance`` and
    ``start_spending`` are used when present (without ``path``, the guideline in force is the yardstick).
    """
    rows = allies.copy()
    if "armed" not in rows:
        rows["armed"] = rows["compliance"] != "no armed forces" if "compliance" in rows else rows["spending"] > 0
    if "compliance" not in rows:
        path = rows["path"] if "path" in rows else pd.Series(guideline if guideline is not None else np.nan, index=rows.index)
        exempt = rows["exempt"] if "exempt" in rows else pd.Series(False, index=rows.index)
        rows["compliance"] = [
            compliance_class(s, None if not np.isfinite(p) else p, bool(a), bool(e), tolerance)
            for s, p, a, e in zip(rows["spending"], path.astype(float), rows["armed"], exempt)
        ]
    rows["below_2pct"] = rows["armed"].astype(bool) & (rows["spending"] < TWO_PERCENT)
    rows["fill"] = rows["compliance"].map(COMPLIANCE_COLOURS)
    rows["ring"] = rows["status"].map(STATUS_COLOURS)
    return rows.sort_values(["spending", "iso3"]).reset_index(drop=True)


def _final_year(agents: pd.DataFrame, model_table: pd.DataFrame | None):
    """(allies of the final year with start_spending, guideline, year, start year) from the CLI's tables."""
    final_year = int(agents["year"].max())
    first_year = int(agents["year"].min())
    final = agents[agents["year"] == final_year].copy()
    start = agents[agents["year"] == first_year].set_index("iso3")["spending"]
    final["start_spending"] = final["iso3"].map(start)
    guideline = None
    if model_table is not None:
        value = model_table["guideline"].iloc[-1]
        guideline = float(value) if value is not None and pd.notna(value) else None
    return final, guideline, final_year, first_year


def spending_by_ally(agents: pd.DataFrame, model_table: pd.DataFrame | None = None, ax=None, *,
                     year: int | None = None, guideline: float | None = None, start_year: int | None = None,
                     title: str | None = None):  # fmt: skip
    """Spending per ally, sorted, filled by compliance against its own path, ringed by status.

    ``agents`` is either the CLI's ally table (every year; the final year is drawn, ticks mark the
    first) with ``model_table`` for the guideline, or one year's allies (the app) with ``year``,
    ``guideline`` and ``start_year`` given. A white dot marks an ally below 2% of GDP.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if "year" in agents and agents["year"].nunique() > 1:
        agents, guideline, year, start_year = _final_year(agents, model_table)
    elif guideline is None and model_table is not None:
        value = model_table["guideline"].iloc[-1]
        guideline = float(value) if value is not None and pd.notna(value) else None
    rows = spending_rows(agents, guideline)
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.subplots(figsize=(13, 4.8), layout="constrained")[1]
    x = np.arange(len(rows))
    widths = rows["status"].map(STATUS_RING_WIDTH).to_numpy() * 0.6
    ax.bar(x, rows["spending"], color=rows["fill"], edgecolor=rows["ring"], linewidth=widths, zorder=2)
    for k, row in rows.iterrows():
        if STATUS_DASH[row["status"]]:
            ax.bar(k, row["spending"], fill=False, edgecolor=row["ring"], linewidth=2.4, linestyle="--", zorder=3)
    below = rows["below_2pct"].to_numpy()
    ax.scatter(x[below], rows["spending"][below] / 2, s=28, color="white", edgecolors=INK, linewidths=0.8, zorder=4)
    handles = []
    if "start_spending" in rows and rows["start_spending"].notna().any():
        ax.scatter(x, rows["start_spending"], marker="_", s=260, lw=2.5, color=INK, zorder=5)
        handles.append(Line2D([], [], marker="_", ls="", ms=14, mew=2.5, color=INK, label=f"level in {start_year}"))
    ax.axhline(TWO_PERCENT, color=MUTED, lw=1.4, ls=":", zorder=1)
    handles.append(Line2D([], [], color=MUTED, lw=1.4, ls=":", label="2% of GDP"))
    if guideline is not None:
        ax.axhline(guideline, color=INK, lw=2, ls="--", zorder=4)
        handles.append(Line2D([], [], color=INK, lw=2, ls="--", label=f"guideline {guideline:g}%"))
    shown = [c for c in CLASSES if (rows["compliance"] == c).any()]
    handles += [Patch(color=COMPLIANCE_COLOURS[c], label=c) for c in shown]
    handles.append(Line2D([], [], marker="o", ls="", ms=7, mfc="white", mec=INK, label="below 2%"))
    for status in ("hedging", "disengaged"):
        if (rows["status"] == status).any():
            handles.append(Patch(fill=False, edgecolor=STATUS_COLOURS[status], lw=2.4,
                                 ls="--" if STATUS_DASH[status] else "-", label=status))  # fmt: skip
    top = max(6.0, float(rows["spending"].max()) + 0.8, (guideline or 0) + 0.8)
    ax.set_ylim(0, top)
    ax.set_xlim(-0.7, len(rows) - 0.3)
    ax.set_xticks(x, rows["iso3"], rotation=90, fontsize=11)
    ax.set_ylabel("core defence, % of GDP", fontsize=12)
    ax.set_title(title or f"Defence spending by ally, {year}: fill = against its own path to the guideline",
                 loc="left", fontsize=13)  # fmt: skip
    ax.grid(axis="y", color=GRID, zorder=0)
    ax.legend(handles=handles, ncol=5, fontsize=10, loc="upper left", framealpha=0.92)
    return ax


def cohesion_and_vacuum(model_table: pd.DataFrame, ax=None):
    """Cohesion and connectivity against the US vacuum over time."""
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.subplots(figsize=(8, 4))[1]
    ax.plot(model_table["year"], model_table["cohesion"], marker="o", color="#2166ac", label="cohesion")
    ax.plot(model_table["year"], model_table["connectivity"], marker=".", color="#4a5568", label="connectivity")
    ax.plot(model_table["year"], model_table["vacuum"], color="#b35806", ls="--", label="US vacuum")
    ax.set_ylim(0, 1)
    ax.set_xlabel("year")
    ax.set_title("Alliance cohesion and the US security vacuum")
    ax.legend(fontsize=9)
    return ax


def allies_meeting_guideline(model_table: pd.DataFrame, ax=None):
    """Allies at or above 2% and at or above the guideline in force each year; a line marks each new guideline."""
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.subplots(figsize=(8, 4))[1]
    ax.step(model_table["year"], model_table["allies_at_2pct"], where="mid", color="#2166ac", label="at or above 2%")
    ax.step(model_table["year"], model_table["allies_at_guideline"], where="mid", color="#b35806",
            label="at or above the guideline in force")  # fmt: skip
    guideline = pd.to_numeric(model_table["guideline"], errors="coerce")
    changed = guideline.ne(guideline.shift()) & guideline.shift().notna() & guideline.notna()
    for year, level in zip(model_table["year"][changed], guideline[changed]):
        ax.axvline(year - 0.5, color=INK, lw=1.2, ls="--")
        ax.text(year - 0.4, ax.get_ylim()[1] * 0.97, f"new guideline {level:g}%:\ncounted against it from here",
                va="top", fontsize=8)  # fmt: skip
    ax.set_ylabel("allies (with armed forces, US included)")
    ax.set_xlabel("year")
    ax.set_title("Allies meeting the guideline")
    ax.legend(fontsize=9, loc="lower left")
    return ax


def write_figures(model_table: pd.DataFrame, agents: pd.DataFrame, out: Path,
                  positions: pd.DataFrame | None = None) -> dict[str, Path]:  # fmt: skip
    """Save the three standard figures as PNG into ``out`` (no display, no backend switch).

    ``positions`` (from :func:`cohesion_sim.compliance.ally_positions`) gives each ally's path
    and compliance in the final year; without it the guideline in force is the yardstick.
    """
    from matplotlib.figure import Figure

    if positions is not None:
        columns = [c for c in ("iso3", "path", "exempt", "compliance") if c in positions]
        final = agents["year"] == agents["year"].max()
        agents = agents.merge(positions[columns].assign(year=agents["year"].max()), on=["iso3", "year"], how="left")
        agents.loc[~final.to_numpy(), [c for c in columns if c != "iso3"]] = np.nan
    figures = {
        "spending_by_ally": ((13, 4.8), lambda ax: spending_by_ally(agents, model_table, ax)),
        "cohesion_and_vacuum": ((8, 4), lambda ax: cohesion_and_vacuum(model_table, ax)),
        "allies_meeting_guideline": ((8, 4), lambda ax: allies_meeting_guideline(model_table, ax)),
    }  # fmt: skip
    paths = {}
    for name, (size, draw) in figures.items():
        fig = Figure(figsize=size, layout="constrained")
        draw(fig.add_subplot())
        paths[name] = out / f"{name}.png"
        fig.savefig(paths[name], dpi=110)
    return paths
