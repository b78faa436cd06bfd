"""What the download buttons hand out: the run as CSV and the figures as PNG (pure functions)."""

from __future__ import annotations

import re

import pandas as pd

from .state import Frame, Settings

FIGURES = {
    "map": "alliance map",
    "time_series": "time series",
    "spending": "spending by ally",
}


def file_stem(settings: Settings, frame: Frame) -> str:
    """``cohesion_abrupt_withdrawal_seed42_2029``: scenario, seed and year, safe for any file system."""
    scenario = re.sub(r"[^A-Za-z0-9_-]+", "_", settings.scenario)
    return f"cohesion_{scenario}_seed{settings.seed}_{frame.year}"


def csv_text(table: pd.DataFrame) -> str:
    return table.to_csv(index=False, float_format="%.6g")


def figure_png(kind: str, frame: Frame) -> bytes:
    """The figure ``kind`` (a key of FIGURES) as PNG; matplotlib is imported only when asked."""
    from . import figures

    if kind == "map":
        fig = figures.alliance_map(frame)
    elif kind == "time_series":
        fig = figures.time_series([(frame.title, frame)])
    elif kind == "spending":
        fig = figures.spending_bars(frame)
    else:
        raise ValueError(f"unknown figure '{kind}'; choose from {', '.join(FIGURES)}")
    return figures.png_bytes(fig, dpi=110)
