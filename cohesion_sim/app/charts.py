"""Time series and spending bars as SVG (see :mod:`cohesion_sim.app.svg` for why SVG)."""

from __future__ import annotations

import math

from .palette import RUN_COLOURS, STATUS_COLOURS
from .state import Frame
from .svg import svg, tag, text

#: (column, title, what the axis means, y range, tick step)
TIME_SERIES = (
    ("vacuum", "US security vacuum", "0 = full US guarantee, 1 = gone", (0.0, 1.0), 0.25),
    ("cohesion", "Alliance cohesion", "0 = fragmented, 1 = united", (0.0, 1.0), 0.25),
    ("allies_at_guideline", "Allies meeting the guideline", "number of allies", (0.0, 32.0), 8.0),
    ("european_share", "European share of spending", "share of allied budgets", (0.0, 1.0), 0.25),
)
INK, GRID, MUTED = "#2d3748", "#e2e8f0", "#718096"


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


def _panel(left: float, top: float, width: float, height: float, spec, runs: list[tuple[str, Frame]]) -> list[str]:
    column, title, meaning, (low, high), step = spec
    first = runs[0][1]
    years = (first.start_year, first.end_year)
    plot_left, plot_top = left + 44, top + 52
    plot_w, plot_h = width - 76, height - 90

    def px(year: float) -> float:
        return plot_left + (year - years[0]) / max(1, years[1] - years[0]) * plot_w

    def py(value: float) -> float:
        return plot_top + (1 - (value - low) / (high - low)) * plot_h

    parts = [text(left + 4, top + 20, title, font_size=19, font_weight="bold", fill=INK),
             text(left + 4, top + 38, meaning, font_size=14, fill=MUTED)]  # fmt: skip
    value = low
    while value <= high + 1e-9:
        y = py(value)
        parts.append(tag("line", x1=plot_left, y1=y, x2=plot_left + plot_w, y2=y, stroke=GRID))
        parts.append(text(plot_left - 6, y + 4, _fmt(value, step), font_size=14, fill=MUTED, text_anchor="end"))
        value += step
    for year in year_ticks(*years):
        parts.append(text(px(year), plot_top + plot_h + 18, str(year), font_size=14, fill=MUTED,
                          text_anchor="middle"))  # fmt: skip
    if len(runs) == 1:
        x = px(first.year)
        parts.append(tag("line", x1=x, y1=plot_top, x2=x, y2=plot_top + plot_h, stroke="#a0aec0",
                         stroke_dasharray="3 3"))  # fmt: skip
    for k, (label, frame) in enumerate(runs):
        colour = RUN_COLOURS[k % len(RUN_COLOURS)]
        history = frame.history
        points = [
            (px(year), py(min(high, max(low, float(v)))))
            for year, v in zip(history["year"], history[column])
            if v is not None and not (isinstance(v, float) and math.isnan(v))
        ]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(tag("polyline", points=path, fill="none", stroke=colour, stroke_width=3,
                         stroke_linejoin="round", data_series=column, data_run=label))  # fmt: skip
        last_x, last_y = points[-1]
        parts.append(tag("circle", cx=last_x, cy=last_y, r=5, fill=colour))
        if len(runs) == 1:
            latest = _fmt(float(history[column].iloc[-1]), step if step >= 1 else 0.01)
            parts.append(text(last_x + 8, last_y - 8, latest,
                              font_size=18, font_weight="bold", fill=colour))  # fmt: skip
    return parts


def time_series_svg(runs: list[tuple[str, Frame]]) -> str:
    """Four small charts (vacuum, cohesion, allies meeting the guideline, European share); a line per run."""
    width, height = 560.0, 600.0
    half_w, half_h = width / 2, (height - (30 if len(runs) > 1 else 0)) / 2
    body: list[str] = []
    for k, spec in enumerate(TIME_SERIES):
        body += _panel((k % 2) * half_w, (k // 2) * half_h, half_w, half_h, spec, runs)
    if len(runs) > 1:
        x = 20.0
        for k, (label, _) in enumerate(runs):
            colour = RUN_COLOURS[k % len(RUN_COLOURS)]
            body.append(tag("line", x1=x, y1=height - 12, x2=x + 28, y2=height - 12, stroke=colour, stroke_width=4))
            body.append(text(x + 36, height - 7, label, font_size=16, fill=INK))
            x += 280
    return svg(width, height, body, "Time series: vacuum, cohesion, allies meeting the guideline, European share")


def spending_bars_svg(frame: Frame) -> str:
    """This year's spending by ally, sorted, coloured by status, with the guideline and 2% lines."""
    width, height = 1200.0, 330.0
    left, top, plot_w, plot_h = 56.0, 40.0, width - 70.0, height - 100.0
    allies = frame.allies.sort_values(["spending", "iso3"])
    top_value = max(6.0, math.ceil(float(allies["spending"].max()) + 0.5), math.ceil((frame.guideline or 0) + 0.5))

    def py(value: float) -> float:
        return top + (1 - value / top_value) * plot_h

    body = []
    for value in range(0, int(top_value) + 1):
        y = py(value)
        body.append(tag("line", x1=left, y1=y, x2=left + plot_w, y2=y, stroke=GRID))
        body.append(text(left - 8, y + 4, f"{value}%", font_size=13, fill=MUTED, text_anchor="end"))
    slot = plot_w / max(1, len(allies))
    bars, ticks = [], []
    for k, row in enumerate(allies.itertuples()):
        x = left + k * slot + slot * 0.12
        y = py(row.spending)
        tip = f"{row.name}: {row.spending:.2f}% of GDP, {row.status}"
        bars.append(
            f'<g data-iso3="{row.iso3}">' + tag("title", tip)
            + tag("rect", x=x, y=y, width=slot * 0.76, height=max(0.0, py(0) - y), fill=STATUS_COLOURS[row.status])
            + "</g>"
        )  # fmt: skip
        start = getattr(row, "start_spending", None)
        if start is not None and not math.isnan(start):
            sy = py(start)
            bars.append(tag("line", x1=x - 2, y1=sy, x2=x + slot * 0.76 + 2, y2=sy, stroke="#1a202c", stroke_width=3))
        cx, cy = x + slot * 0.38, py(0) + 10
        ticks.append(text(cx, cy, row.iso3, font_size=13, fill=INK, text_anchor="end",
                          transform=f"rotate(-60 {cx:.1f} {cy:.1f})", dominant_baseline="middle"))  # fmt: skip
    body.append(f'<g data-layer="bars">{"".join(bars)}</g>')
    body += ticks
    y2 = py(2.0)
    body.append(tag("line", x1=left, y1=y2, x2=left + plot_w, y2=y2, stroke=MUTED, stroke_width=1.5,
                    stroke_dasharray="2 4"))  # fmt: skip
    if frame.guideline is not None:
        yg = py(frame.guideline)
        body.append(tag("line", x1=left, y1=yg, x2=left + plot_w, y2=yg, stroke="#1a202c", stroke_width=2.5,
                        stroke_dasharray="10 6", data_testid="guideline-line"))  # fmt: skip
        body.append(text(left + 8, yg - 7, f"guideline {frame.guideline:g}%", font_size=15, font_weight="bold",
                         fill="#1a202c", paint_order="stroke", stroke="#ffffff", stroke_width=4))  # fmt: skip
    # legend
    x = left
    for status, colour in STATUS_COLOURS.items():
        body.append(tag("rect", x=x, y=8, width=16, height=16, fill=colour))
        body.append(text(x + 22, 21, status, font_size=14, fill=INK))
        x += 125
    body.append(tag("line", x1=x, y1=16, x2=x + 22, y2=16, stroke="#1a202c", stroke_width=3))
    body.append(text(x + 28, 21, f"level in {frame.start_year}", font_size=14, fill=INK))
    x += 150
    body.append(tag("line", x1=x, y1=16, x2=x + 26, y2=16, stroke=MUTED, stroke_width=1.5, stroke_dasharray="2 4"))
    body.append(text(x + 32, 21, "2% of GDP", font_size=14, fill=INK))
    return svg(width, height, body, f"Defence spending by ally in {frame.year}")
