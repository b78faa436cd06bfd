"""The alliance map as SVG: allies at their capitals, the US off the western edge.

Colour shows spending against the guideline, size shows GDP, red lines the strongest
tensions, and a thick ring marks a hedging (purple) or disengaged (black) ally. No map tiles.
"""

from __future__ import annotations

import numpy as np

from .palette import (
    ASPECT, ATLANTIC_EDGE, GAP_RANGE, MAP_EAST, MAP_NORTH, MAP_SOUTH, MAP_WEST, NO_FORCES, STATUS_RING,
    TENSION_COLOUR, US_COLOUR, US_X, bubble_area, gap_colour, map_x,
)  # fmt: skip
from .state import Frame
from .svg import svg, tag, text

WIDTH = 900.0
SCALE = WIDTH / (MAP_EAST - MAP_WEST)  # pixels per map unit
MAP_HEIGHT = (MAP_NORTH - MAP_SOUTH) * ASPECT * SCALE
LEGEND_HEIGHT = 84.0


#: Where a label goes when "below the bubble" would collide with a neighbour's (crowded capitals).
LABEL_SIDE = {
    "FIN": "above", "EST": "right", "LVA": "right", "LTU": "right", "NLD": "above", "BEL": "left", "LUX": "right",
    "GBR": "left", "SVK": "above", "HUN": "right", "SVN": "left", "HRV": "below", "MNE": "left", "ALB": "left",
    "MKD": "below", "BGR": "right", "CZE": "left", "DEU": "left", "ROU": "right",
}  # fmt: skip


def label_position(iso3: str, x: float, y: float, r: float) -> tuple[float, float, str]:
    """(x, y, text-anchor) of an ally's label next to its bubble."""
    side = LABEL_SIDE.get(iso3, "below")
    if side == "above":
        return x, y - r - 5, "middle"
    if side == "left":
        return x - r - 4, y + 5, "end"
    if side == "right":
        return x + r + 4, y + 5, "start"
    return x, y + r + 14, "middle"


def project(x: float, lat: float) -> tuple[float, float]:
    """Pixel position of map x (see :func:`map_x`) and latitude."""
    return (x - MAP_WEST) * SCALE, (MAP_NORTH - lat) * ASPECT * SCALE


def radius(gdp: float) -> float:
    return float(np.sqrt(bubble_area(gdp)) * 0.62)


def alliance_map_svg(frame: Frame) -> str:
    guideline = frame.guideline if frame.guideline is not None else 2.0
    allies = frame.allies
    where = {row.iso3: project(map_x(row.lon), row.lat) for row in allies.itertuples()}
    where["USA"] = project(US_X, frame.us["lat"])
    body = [tag("rect", x=0, y=0, width=WIDTH, height=MAP_HEIGHT, fill="#fbfdff", stroke="#cbd5e0")]

    # the Atlantic, squeezed
    x0, _ = project(ATLANTIC_EDGE - 3.5, 0)
    x1, _ = project(ATLANTIC_EDGE - 1.0, 0)
    body.append(tag("rect", x=x0, y=0, width=x1 - x0, height=MAP_HEIGHT, fill="#e6f0fb"))
    cx, cy = (x0 + x1) / 2 + 4, MAP_HEIGHT - 12
    body.append(text(cx, cy, "Atlantic (not to scale)", font_size=14, fill="#4a5568",
                     transform=f"rotate(-90 {cx:.1f} {cy:.1f})"))  # fmt: skip
    for lat in (40, 50, 60):
        _, y = project(0, lat)
        body.append(tag("line", x1=0, y1=y, x2=WIDTH, y2=y, stroke="#edf2f7", stroke_width=1))
        body.append(text(WIDTH - 6, y - 4, f"{lat}°N", font_size=13, fill="#a0aec0", text_anchor="end"))

    strongest = frame.edges[0][2] if frame.edges else 1.0
    lines = []
    for a, b, value in frame.edges:
        (ax, ay), (bx, by) = where[a], where[b]
        share = value / strongest if strongest > 0 else 0.0
        lines.append(
            tag("line", tag("title", f"tension {a}-{b}: {value:.2f}"), x1=ax, y1=ay, x2=bx, y2=by,
                stroke=TENSION_COLOUR, stroke_width=1.5 + 5.0 * share, stroke_opacity=0.25 + 0.45 * share,
                stroke_linecap="round")  # fmt: skip
        )
    body.append(f'<g data-layer="tensions">{"".join(lines)}</g>')

    bubbles, labels = [], []
    for row in allies.sort_values("gdp", ascending=False).itertuples():  # small allies drawn on top
        x, y = where[row.iso3]
        r = radius(row.gdp)
        fill = gap_colour(row.spending - guideline) if row.armed else NO_FORCES
        ring = STATUS_RING[row.status]
        width = 1.2 if row.status == "aligned" else 4.5
        dash = "4 3" if row.status == "disengaged" else None
        tip = (
            f"{row.name}: {row.spending:.2f}% of GDP ({row.spending - guideline:+.2f} against the {guideline:g}% "
            f"guideline), {row.status}" if row.armed else f"{row.name}: no armed forces, {row.status}"
        )
        bubbles.append(
            f'<g data-iso3="{row.iso3}" data-status="{row.status}">'
            + tag("title", tip)
            + tag("circle", cx=x, cy=y, r=r, fill=fill, stroke=ring, stroke_width=width, stroke_dasharray=dash)
            + "</g>"
        )
        weight = "bold" if row.status != "aligned" else "normal"
        colour = STATUS_RING[row.status] if row.status != "aligned" else "#2d3748"
        lx, ly, anchor = label_position(row.iso3, x, y, r)
        labels.append(text(lx, ly, row.iso3, font_size=15, text_anchor=anchor, font_weight=weight,
                           fill=colour, paint_order="stroke", stroke="#ffffff", stroke_width=3))  # fmt: skip
    body.append(f'<g data-layer="allies">{"".join(bubbles)}</g>')

    ux, uy = where["USA"]
    ur = radius(frame.us["gdp"])
    body.append(
        '<g data-iso3="USA">'
        + tag("title", f"United States: security vacuum {frame.us['vacuum']:.2f} (0 = full guarantee, 1 = gone)")
        + tag("circle", cx=ux, cy=uy, r=ur, fill=US_COLOUR, stroke="#ffffff", stroke_width=2)
        + text(ux, uy + 6, "USA", font_size=17, font_weight="bold", fill="#ffffff", text_anchor="middle")
        + "</g>"
    )
    body.append(text(ux, uy + ur + 22, "US vacuum", font_size=16, text_anchor="middle", fill="#2d3748"))
    body.append(text(ux, uy + ur + 46, f"{frame.us['vacuum']:.2f}", font_size=24, font_weight="bold",
                     text_anchor="middle", fill="#2d3748", data_testid="map-vacuum"))  # fmt: skip
    body.append(f'<g data-layer="labels">{"".join(labels)}</g>')
    body.append(_legend(guideline, MAP_HEIGHT + 8))
    return svg(WIDTH, MAP_HEIGHT + LEGEND_HEIGHT, body, f"Map of the alliance in {frame.year}")


def _legend(guideline: float, top: float) -> str:
    parts = []
    stops = "".join(
        tag("stop", offset=f"{k * 10}%", stop_color=gap_colour(-GAP_RANGE + k * GAP_RANGE / 5)) for k in range(11)
    )
    parts.append(f'<defs><linearGradient id="gap-scale">{stops}</linearGradient></defs>')
    left, width = 20.0, 360.0
    parts.append(tag("rect", x=left, y=top + 4, width=width, height=14, fill="url(#gap-scale)", stroke="#a0aec0"))
    for value, anchor in ((-GAP_RANGE, "start"), (0.0, "middle"), (GAP_RANGE, "end")):
        x = left + (value + GAP_RANGE) / (2 * GAP_RANGE) * width
        label = "at guideline" if value == 0 else f"{value:+g} points"
        parts.append(text(x, top + 34, label, font_size=15, text_anchor=anchor, fill="#2d3748"))
    parts.append(text(left, top + 62, f"Colour: spending against the {guideline:g}% guideline. Size: GDP.",
                      font_size=16, fill="#2d3748"))  # fmt: skip
    x = 430.0
    for status in ("aligned", "hedging", "disengaged"):
        width_ = 1.2 if status == "aligned" else 4.5
        dash = "4 3" if status == "disengaged" else None
        parts.append(tag("circle", cx=x, cy=top + 20, r=9, fill="#ffffff", stroke=STATUS_RING[status],
                         stroke_width=width_, stroke_dasharray=dash))  # fmt: skip
        parts.append(text(x + 15, top + 25, status, font_size=16, fill="#2d3748"))
        x += 110
    parts.append(tag("line", x1=x, y1=top + 20, x2=x + 30, y2=top + 20, stroke=TENSION_COLOUR, stroke_width=5,
                     stroke_opacity=0.6, stroke_linecap="round"))  # fmt: skip
    parts.append(text(x + 38, top + 25, "strong tension", font_size=16, fill="#2d3748"))
    return f'<g data-layer="legend">{"".join(parts)}</g>'
