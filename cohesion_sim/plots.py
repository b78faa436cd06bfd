"""Figures of one run (matplotlib, no display needed): spending, cohesion, compliance."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; the app draws its own figures
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

STATUS_COLOURS = {"aligned": "#2b6cb0", "hedging": "#dd6b20", "disengaged": "#c53030"}


def spending_by_ally(agents: pd.DataFrame, model_table: pd.DataFrame, ax=None):
    """Final-year spending per ally, sorted, coloured by status, against the guideline and 2%."""
    final_year = agents["year"].max()
    final = agents[agents["year"] == final_year].sort_values("spending")
    ax = ax or plt.subplots(figsize=(11, 4.5))[1]
    colours = [STATUS_COLOURS.get(s, "grey") for s in final["status"]]
    ax.bar(final["iso3"], final["spending"], color=colours)
    start = agents[agents["year"] == agents["year"].min()].set_index("iso3")["spending"]
    ax.scatter(final["iso3"], start.reindex(final["iso3"]).to_numpy(), marker="_", s=120, color="black", zorder=3,
               label=f"{agents['year'].min()} level")  # fmt: skip
    guideline = model_table["guideline"].iloc[-1]
    ax.axhline(2.0, color="grey", lw=1, ls=":", label="2% of GDP")
    if guideline is not None and pd.notna(guideline):
        ax.axhline(guideline, color="black", lw=1.2, ls="--", label=f"guideline {guideline:g}%")
    handles, _ = ax.get_legend_handles_labels()
    handles += [Patch(color=colour, label=status) for status, colour in STATUS_COLOURS.items()]
    ax.set_ylabel("core defence, % of GDP")
    ax.set_title(f"Defence spending by ally, {final_year} (bars coloured by status)")
    ax.tick_params(axis="x", rotation=90, labelsize=8)
    ax.legend(handles=handles, ncol=3, fontsize=8, loc="upper left")
    return ax


def cohesion_and_vacuum(model_table: pd.DataFrame, ax=None):
    """Cohesion and connectivity against the US vacuum over time."""
    ax = ax or plt.subplots(figsize=(8, 4))[1]
    ax.plot(model_table["year"], model_table["cohesion"], marker="o", label="cohesion")
    ax.plot(model_table["year"], model_table["connectivity"], marker=".", label="connectivity")
    ax.plot(model_table["year"], model_table["vacuum"], color="#c53030", ls="--", label="US vacuum")
    ax.set_ylim(0, 1)
    ax.set_xlabel("year")
    ax.set_title("Alliance cohesion and the US security vacuum")
    ax.legend(fontsize=8)
    return ax


def allies_meeting_guideline(model_table: pd.DataFrame, ax=None):
    """Allies at or above 2% and at or above the guideline in force, each year."""
    ax = ax or plt.subplots(figsize=(8, 4))[1]
    ax.step(model_table["year"], model_table["allies_at_2pct"], where="mid", label="at or above 2%")
    ax.step(model_table["year"], model_table["allies_at_guideline"], where="mid", label="at or above the guideline")
    ax.set_ylabel("allies (with armed forces, US included)")
    ax.set_xlabel("year")
    ax.set_title("Allies meeting the guideline")
    ax.legend(fontsize=8)
    return ax


def write_figures(model_table: pd.DataFrame, agents: pd.DataFrame, out: Path) -> dict[str, Path]:
    """Save the three standard figures as PNG into ``out``."""
    figures = {
        "spending_by_ally": lambda ax: spending_by_ally(agents, model_table, ax),
        "cohesion_and_vacuum": lambda ax: cohesion_and_vacuum(model_table, ax),
        "allies_meeting_guideline": lambda ax: allies_meeting_guideline(model_table, ax),
    }
    paths = {}
    for name, draw in figures.items():
        fig, ax = plt.subplots(figsize=(11, 4.5) if name == "spending_by_ally" else (8, 4))
        draw(ax)
        fig.tight_layout()
        paths[name] = out / f"{name}.png"
        fig.savefig(paths[name], dpi=110)
        plt.close(fig)
    return paths
