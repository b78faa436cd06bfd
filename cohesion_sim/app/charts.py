"""Time series and spending bars as SVG (see :mod:`cohesion_sim.app.svg` for why SVG).

Each chart is drawn at about the pixel size it is shown at on a 1280x720 projector, so its
text is 16 px or more there; it scales up on larger screens. Series names and meanings come
from :mod:`cohesion_sim.reporters`.
"""

from __future__ import annotations

import math
import numpy as np

from ..plots import spending_rows
from ..reporters import describe
from .events import Mark, dated_marks
from .palette import (
    BAND_ALPHA, COMPLIANCE_COLOURS, EVENT_COLOURS, GRID, INK, MUTED, RUN_COLOURS, STATUS_DASH, STATUS_RING_WIDTH,
)  # fmt: skip
from .state import Frame
from .svg import svg, tag, text

FONT = 16
#: Charts a student can pick: column -> (title, y range, tick step, format). "compliance" is the stacked path chart.
SERIES: dict[str, tuple[str, tuple[float, float], float, str]] = {
    "vacuum": ("US security vacuum", (0.0, 1.0), 0.25, "{:.2f}"),
    "cohesion": ("Alliance cohesion", (0.0, 1.0), 0.25, "{:.2f}"),
    "compliance": ("Allies against their own path", (0.0, 30.0), 10.0, "{:.0f}"),
    "mean_spending": ("Mean defence spending", (0.0, 6.0), 2.0, "{:.2f}%"),
    "european_share": ("Europe's share of spending", (0.0, 1.0), 0.25, "{:.0%}"),
    "us_tension": ("Tension with the US", (0.0, 0.5), 0.1, "{:.2f}"),
    "european_tension": ("Tension among Europeans", (0.0, 0.5), 0.1, "{:.2f}"),
    "hedging": ("Allies hedging", (0.0, 31.0), 10.0, "{:.0f}"),
}
#: Chart titles as the series menus show them, and back.
SERIES_BY_TITLE = {title: column for column, (title, *_rest) in SERIES.items()}
SMALL_MULTIPLES = ("vacuum", "cohesion", "compliance", "mean_spending", "european_share", "us_tension")


#: What a chart shows, in a student's words (the registry's technical description is the fallback).
MEANINGS = {
    "vacuum": "0 = a full, credible US guarantee; 1 = the US has left Europe.",
    "cohesion": "0 = fragmented, 1 = united: committed allies with little tension between them.",
    "compliance": "European allies and Canada against their own path to the guideline; dashed: at 2% of GDP.",
    "mean_spending": "Mean defence spending of allies with armed forces, % of GDP.",
    "european_share": "Europe's and Canada's share of all allied defence spending.",
    "us_tension": "Mean tension between the US and the other allies, on the same scale in every run.",
    "european_tension": "Mean tension among European allies and Canada, on the same scale in every run.",
    "hedging": "Allies hedging toward a European pillar.",
}


def meaning(column: str) -> str:
    """What a series means: a student's sentence, else the reporter registry's description."""
    return MEANINGS.get(column) or describe(column).description


def _fmt(value: float, step: float) -> str:
    return f"{value:.0f}" if step >= 1 else f"{value:.2f}".rstrip("0").rstrip(".")


def year_ticks(first: int, last: int, most: int = 5) -> list[int]:
    """Evenly spaced years from ``first``; the last one moved to ``last`` so both ends are labelled."""
    every = max(1, math.ceil((last - first) / (most - 1)))
    ticks = list(range(first, last + 1, every))
    if ticks[-1] != last:
        if last - ticks[-1] >= every or len(ticks) == 1:
            ticks.append(last)
        else:
            ticks[-1] = last
    return ticks


def _clean(values) -> list[float | None]:
    out = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            f = float("nan")
        out.append(None if math.isnan(f) else f)
    return out


def panel(left: float, top: float, width: float, height: float, column: str, runs: list[tuple[str, Frame]],
          bands: list[dict[str, np.ndarray] | None] | None = None, marks: list[Mark] | None = None,
          end_labels: bool = True) -> list[str]:  # fmt: skip
    """One chart: the runs' lines, optional ensemble bands (50% and 90%) and dated marks."""
    title, (low, high), step, fmt = SERIES[column]
    first = runs[0][1]
    years = (first.start_year, first.end_year)
    plot_left, plot_top = left + 46, top + 30
    plot_w, plot_h = width - 46 - 62, height - 30 - 30
    if column == "compliance":
        high = max(high, float(first.allies["armed"].sum()))

    def px(year: float) -> float:
        return plot_left + (year - years[0]) / max(1, years[1] - years[0]) * plot_w

    def py(value: float) -> float:
        return plot_top + (1 - (min(high, max(low, value)) - low) / (high - low)) * plot_h

    parts = [text(left + 4, top + 18, title, font_size=FONT + 2, font_weight="bold", fill=INK)]
    value = low
    while value <= high + 1e-9:
        y = py(value)
        parts.append(tag("line", x1=plot_left, y1=y, x2=plot_left + plot_w, y2=y, stroke=GRID))
        label = f"{value:.0%}" if fmt == "{:.0%}" else _fmt(value, step)
        parts.append(text(plot_left - 5, y + 5, label, font_size=FONT, fill=MUTED, text_anchor="end"))
        value += step
    for year in year_ticks(*years, most=4):
        parts.append(text(px(year), plot_top + plot_h + 20, str(year), font_size=FONT, fill=MUTED, text_anchor="middle"))
    if column == "compliance":
        parts += _compliance_areas(runs, px, py, plot_top, plot_h)
    for mark in _merge_same_year(marks or []):
        colour = EVENT_COLOURS.get(mark.kind, MUTED)
        x = px(mark.year)
        if mark.until is not None:
            parts.append(tag("rect", x=x, y=plot_top, width=max(2.0, px(mark.until) - x), height=plot_h, fill=colour,
                             fill_opacity=0.10, data_mark=mark.kind))  # fmt: skip
        else:
            parts.append(tag("line", x1=x, y1=plot_top, x2=x, y2=plot_top + plot_h, stroke=colour, stroke_width=1.5,
                             stroke_dasharray="5 4", data_mark=mark.kind))  # fmt: skip
        tx, ty = x + 4, plot_top + 4
        parts.append(text(tx, ty, mark.label, font_size=FONT - 1 if FONT > 16 else FONT, fill=colour,
                          transform=f"rotate(90 {tx:.1f} {ty:.1f})", paint_order="stroke", stroke="#ffffff",
                          stroke_width=3, data_mark_label=mark.kind))  # fmt: skip
    for k, (label, frame) in enumerate(runs):
        colour = RUN_COLOURS[k % len(RUN_COLOURS)]
        band = (bands or [None] * len(runs))[k] if bands else None
        if band is not None and column in band:
            parts += _bands(band[column], band["years"], colour, px, py, column)
        if column == "compliance":
            if len(runs) == 1:
                continue
            values = _clean(frame.history["on_track"] + frame.history["behind"]) if "on_track" in frame.history else []
        else:
            values = _clean(frame.history[column])
        points = [(px(y), py(v)) for y, v in zip(frame.history["year"], values) if v is not None]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(tag("polyline", points=path, fill="none", stroke=colour, stroke_width=3.5, stroke_linejoin="round",
                         data_series=column, data_run=label))  # fmt: skip
        last_x, last_y = points[-1]
        parts.append(tag("circle", cx=last_x, cy=last_y, r=5, fill=colour))
        if end_labels:
            latest = fmt.format(values[-1]) if values[-1] is not None else ""
            parts.append(text(last_x + 7, last_y + 6 + (k * 18 if len(runs) > 1 else 0), latest, font_size=FONT,
                              font_weight="bold", fill=colour, paint_order="stroke", stroke="#ffffff", stroke_width=3,
                              data_end_label=column))  # fmt: skip
    if len(runs) == 1 and first.year < first.end_year:
        x = px(first.year)
        parts.append(tag("line", x1=x, y1=plot_top, x2=x, y2=plot_top + plot_h, stroke="#a0aec0", stroke_dasharray="2 3"))
    return parts


def _merge_same_year(marks: list[Mark]) -> list[Mark]:
    """Point marks in the same year become one line with one label ("US to 0.85 · summit vote failed")."""
    spans = [m for m in marks if m.until is not None]
    points: dict[float, Mark] = {}
    for mark in (m for m in marks if m.until is None):
        if mark.year in points:
            first = points[mark.year]
            points[mark.year] = Mark(mark.year, f"{first.label} · {mark.label}", first.kind)
        else:
            points[mark.year] = mark
    return spans + list(points.values())


def _bands(band: np.ndarray, years: np.ndarray, colour: str, px, py, column: str) -> list[str]:
    """Shaded 90% and 50% bands; ``band`` holds the 5th, 25th, 50th, 75th and 95th percentiles by year."""
    parts = []
    for (lo, hi), level in (((0, 4), 90), ((1, 3), 50)):
        upper = [f"{px(y):.1f},{py(v):.1f}" for y, v in zip(years, band[hi])]
        lower = [f"{px(y):.1f},{py(v):.1f}" for y, v in zip(years[::-1], band[lo][::-1])]
        parts.append(tag("polygon", points=" ".join(upper + lower), fill=colour, fill_opacity=BAND_ALPHA[level],
                         stroke="none", data_band=f"{column}-{level}"))  # fmt: skip
    return parts


def _compliance_areas(runs, px, py, plot_top, plot_h) -> list[str]:
    """Stacked areas: on track (bottom), behind, far behind; a line for allies at 2%."""
    if len(runs) != 1 or "on_track" not in runs[0][1].history:
        return []
    history = runs[0][1].history
    years = list(history["year"])
    parts, base = [], np.zeros(len(years))
    for column, name in (("on_track", "on track"), ("behind", "behind"), ("far_behind", "far behind")):
        top = base + history[column].to_numpy(dtype=float)
        upper = [f"{px(y):.1f},{py(v):.1f}" for y, v in zip(years, top)]
        lower = [f"{px(y):.1f},{py(v):.1f}" for y, v in zip(years[::-1], base[::-1])]
        if len(years) == 1:
            x = px(years[0])
            parts.append(tag("line", x1=x, y1=py(base[0]), x2=x, y2=py(top[0]), stroke=COMPLIANCE_COLOURS[name],
                             stroke_width=8))  # fmt: skip
        else:
            parts.append(tag("polygon", points=" ".join(upper + lower), fill=COMPLIANCE_COLOURS[name], fill_opacity=0.9,
                             stroke="#ffffff", stroke_width=0.5, data_area=name))  # fmt: skip
        base = top
    at2 = history["at_2pct_members"].to_numpy(dtype=float)
    points = " ".join(f"{px(y):.1f},{py(v):.1f}" for y, v in zip(years, at2))
    parts.append(tag("polyline", points=points, fill="none", stroke=INK, stroke_width=3, stroke_dasharray="7 4",
                     data_series="at_2pct_members"))  # fmt: skip
    return parts


def chart_legend(left: float, top: float, runs, column: str | None, with_bands: bool, width: float) -> tuple[list[str], float]:
    """Legend rows under a chart; returns (parts, height)."""
    parts, x, y = [], left + 4, top + 14
    items: list[tuple[str, str]] = []  # (kind, label)
    if column == "compliance" and len(runs) == 1:
        items += [("area:on track", "on track"), ("area:behind", "behind"), ("area:far behind", "far behind"),
                  ("dash", "at 2%")]  # fmt: skip
    if len(runs) > 1:
        items += [(f"run:{k}", label) for k, (label, _) in enumerate(runs)]
    if with_bands:
        items += [("band:90", "9 runs in 10"), ("band:50", "half of runs")]
    most = max(8, int((width - 40) / (0.55 * FONT)))
    items = [(kind, label if len(label) <= most else label[: most - 1] + "…") for kind, label in items]
    for kind, label in items:
        width_ = 34 + 0.55 * FONT * len(label)
        if x + width_ > left + width:
            x, y = left + 4, y + 24
        if kind.startswith("area:"):
            parts.append(tag("rect", x=x, y=y - 8, width=22, height=14, fill=COMPLIANCE_COLOURS[kind[5:]]))
        elif kind == "dash":
            parts.append(tag("line", x1=x, y1=y, x2=x + 22, y2=y, stroke=INK, stroke_width=3, stroke_dasharray="7 4"))
        elif kind.startswith("run:"):
            colour = RUN_COLOURS[int(kind[4:]) % len(RUN_COLOURS)]
            parts.append(tag("line", x1=x, y1=y, x2=x + 22, y2=y, stroke=colour, stroke_width=4))
        else:
            level = int(kind[5:])
            parts.append(tag("rect", x=x, y=y - 8, width=22, height=14, fill=RUN_COLOURS[0], fill_opacity=BAND_ALPHA[level]))
        parts.append(text(x + 28, y + 5, label, font_size=FONT, fill=INK))
        x += width_
    return parts, (y - top + 14) if items else 0.0


def series_chart_svg(runs: list[tuple[str, Frame]], column: str, bands=None, marks: list[Mark] | None = None,
                     width: float = 370.0, height: float = 215.0) -> str:  # fmt: skip
    """One larger chart (the first screen's time series)."""
    body = panel(0, 0, width, height, column, runs, bands, marks)
    banded = bool(bands and any(b is not None and column in b for b in bands))
    legend, extra = chart_legend(0, height, runs, column, banded, width)
    body += legend
    return svg(width, height + extra, body, f"{SERIES[column][0]} over time")


def time_series_svg(runs: list[tuple[str, Frame]], bands=None, marks: list[Mark] | None = None,
                    columns: tuple[str, ...] = SMALL_MULTIPLES, per_row: int = 3) -> str:  # fmt: skip
    """Small multiples: one chart per column, a line per run, bands and marks where given."""
    width, height = 380.0, 300.0
    rows = math.ceil(len(columns) / per_row)
    body: list[str] = []
    for k, column in enumerate(columns):
        body += panel((k % per_row) * width, (k // per_row) * height, width, height - 10, column, runs, bands, marks)
    legend, extra = chart_legend(0, rows * height, runs, None, bool(bands and any(b is not None for b in bands)),
                                 per_row * width)  # fmt: skip
    body += legend
    return svg(per_row * width, rows * height + extra, body, "Time series: " + ", ".join(SERIES[c][0] for c in columns))


def marks_for(frame: Frame) -> list[Mark]:
    return dated_marks(frame.events, frame.params, frame.interventions)


def spending_bars_svg(frame: Frame, selected: str | None = None) -> str:
    """This year's spending by ally (:func:`cohesion_sim.plots.spending_rows`: the CLI chart's rows and colours)."""
    rows = spending_rows(frame.allies, frame.guideline)
    width, height = 1000.0, 360.0
    left, top, plot_w, plot_h = 50.0, 56.0, width - 60.0, height - 56.0 - 62.0
    top_value = max(6.0, math.ceil(float(rows["spending"].max()) + 0.5), math.ceil((frame.guideline or 0) + 0.5))

    def py(value: float) -> float:
        return top + (1 - value / top_value) * plot_h

    body = []
    for value in range(0, int(top_value) + 1):
        y = py(value)
        body.append(tag("line", x1=left, y1=y, x2=left + plot_w, y2=y, stroke=GRID))
        body.append(text(left - 6, y + 5, f"{value}%", font_size=FONT, fill=MUTED, text_anchor="end"))
    slot = plot_w / max(1, len(rows))
    bars, ticks = [], []
    for k, row in rows.iterrows():
        x = left + k * slot + slot * 0.1
        y = py(row["spending"])
        w = slot * 0.8
        tip = f"{row['name']}: {row['spending']:.2f}% of GDP, {row['compliance']}, {row['status']}. Click for why."
        parts = [tag("title", tip),
                 tag("rect", x=x, y=y, width=w, height=max(0.0, py(0) - y), fill=row["fill"], stroke=row["ring"],
                     stroke_width=STATUS_RING_WIDTH[row["status"]] * 0.7, stroke_dasharray=STATUS_DASH[row["status"]])]
        if row["below_2pct"]:
            parts.append(tag("circle", cx=x + w / 2, cy=py(0) - 8, r=4, fill="#ffffff", stroke=INK, stroke_width=0.8))
        start = row.get("start_spending")
        if start is not None and not (isinstance(start, float) and math.isnan(start)):
            sy = py(start)
            parts.append(tag("line", x1=x - 2, y1=sy, x2=x + w + 2, y2=sy, stroke=INK, stroke_width=3))
        if row["iso3"] == selected:
            parts.append(tag("rect", x=x - 3, y=y - 3, width=w + 6, height=max(0.0, py(0) - y) + 6, fill="none",
                             stroke="#d69e2e", stroke_width=3, data_selected="true"))  # fmt: skip
        bars.append(f'<g data-iso3="{row["iso3"]}" style="cursor:pointer">{"".join(parts)}</g>')
        cx, cy = x + w / 2, py(0) + 8
        ticks.append(text(cx, cy, row["iso3"], font_size=FONT, fill=INK, text_anchor="end",
                          transform=f"rotate(-90 {cx:.1f} {cy:.1f})", dominant_baseline="middle"))  # fmt: skip
    body.append(f'<g data-layer="bars">{"".join(bars)}</g>')
    body += ticks
    y2 = py(2.0)
    body.append(tag("line", x1=left, y1=y2, x2=left + plot_w, y2=y2, stroke=MUTED, stroke_width=2, stroke_dasharray="2 4"))
    if frame.guideline is not None:
        yg = py(frame.guideline)
        body.append(tag("line", x1=left, y1=yg, x2=left + plot_w, y2=yg, stroke=INK, stroke_width=2.5,
                        stroke_dasharray="10 6", data_testid="guideline-line"))  # fmt: skip
        body.append(text(left + 8, yg - 7, f"guideline {frame.guideline:g}%", font_size=FONT, font_weight="bold",
                         fill=INK, paint_order="stroke", stroke="#ffffff", stroke_width=4))  # fmt: skip
    # legend: the same colours as the map
    x, y = left, 18.0
    for name in ("on track", "behind", "far behind", "exempted"):
        body.append(tag("rect", x=x, y=y - 12, width=18, height=18, fill=COMPLIANCE_COLOURS[name]))
        body.append(text(x + 24, y + 3, name, font_size=FONT, fill=INK))
        x += 34 + 0.56 * FONT * len(name) + 12
    body.append(tag("circle", cx=x + 8, cy=y - 3, r=5, fill="#ffffff", stroke=INK))
    body.append(text(x + 20, y + 3, "below 2%", font_size=FONT, fill=INK))
    x += 112
    body.append(tag("line", x1=x, y1=y - 3, x2=x + 22, y2=y - 3, stroke=INK, stroke_width=3))
    body.append(text(x + 28, y + 3, f"level in {frame.start_year}", font_size=FONT, fill=INK))
    x += 150
    body.append(tag("line", x1=x, y1=y - 3, x2=x + 26, y2=y - 3, stroke=MUTED, stroke_width=2, stroke_dasharray="2 4"))
    body.append(text(x + 32, y + 3, "2%", font_size=FONT, fill=INK))
    y = 40.0
    body.append(text(left, y + 3, "Ring: hedging (purple) or disengaged (black, dashed). Fill: against own path.",
                     font_size=FONT, fill=MUTED))  # fmt: skip
    return svg(width, height, body, f"Defence spending by ally in {frame.year}")


__all__ = ["SERIES", "SMALL_MULTIPLES", "marks_for", "meaning", "series_chart_svg", "spending_bars_svg",
           "time_series_svg", "year_ticks"]  # fmt: skip
