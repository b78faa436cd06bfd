"""The alliance map as SVG: allies at their capitals, the US off the western edge.

Fill shows where an ally stands against its own path to the guideline (on track, behind, far
behind), a white dot marks spending below 2% of GDP, size shows GDP, red lines tensions on an
absolute scale, and a thick ring marks a hedging (purple) or disengaged (black, dashed) ally.
Drawn for about 540 pixels across, so its text is 16 px or more on a 1280x720 projector.
"""

from __future__ import annotations

import numpy as np

from ..compliance import CLASSES
from .palette import (
    ASPECT, ATLANTIC_EDGE, COMPLIANCE_COLOURS, INK, MAP_EAST, MAP_NORTH, MAP_SOUTH, MAP_WEST, MUTED, STATUS_COLOURS,
    STATUS_DASH, STATUS_RING_WIDTH, TENSION_COLOUR, TENSION_FULL, TENSION_SHOWN, US_COLOUR, US_X, bubble_area, map_x,
    tension_share,
)  # fmt: skip
from .state import Frame
from .svg import svg, tag, text

WIDTH = 540.0
SCALE = WIDTH / (MAP_EAST - MAP_WEST)  # pixels per map unit
MAP_HEIGHT = (MAP_NORTH - MAP_SOUTH) * ASPECT * SCALE
FONT = 16
LEGEND_ROW = 26.0


def project(x: float, lat: float) -> tuple[float, float]:
    """Pixel position of map x (see :func:`map_x`) and latitude."""
    return (x - MAP_WEST) * SCALE, (MAP_NORTH - lat) * ASPECT * SCALE


def radius(gdp: float) -> float:
    return float(np.sqrt(bubble_area(gdp)) * 0.5)


def _box(x: float, y: float, label: str, anchor: str) -> tuple[float, float, float, float]:
    width = 0.64 * FONT * len(label) + 2
    left = x - width / 2 if anchor == "middle" else (x - width if anchor == "end" else x)
    return left, y - FONT * 0.8, left + width, y + FONT * 0.2


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(points: list[tuple[str, float, float, float]], keep: set[str]) -> dict[str, tuple[float, float, str]]:
    """Greedy label placement: below, above, right or left of each bubble, skipping a label that would collide.

    ``points`` are (label, x, y, r), most important first; labels in ``keep`` are always placed.
    Skipped allies still show their numbers on hover and when clicked.
    """
    taken: list[tuple[float, float, float, float]] = [(x - r, y - r, x + r, y + r) for _, x, y, r in points]
    placed: dict[str, tuple[float, float, str]] = {}
    for label, x, y, r in points:
        options = [(x, y + r + FONT, "middle"), (x, y - r - 3, "middle"), (x + r + 3, y + FONT * 0.35, "start"),
                   (x - r - 3, y + FONT * 0.35, "end")]  # fmt: skip
        for lx, ly, anchor in options:
            box = _box(lx, ly, label, anchor)
            inside = 0 <= box[0] and box[2] <= WIDTH and box[1] >= 0 and box[3] <= MAP_HEIGHT
            own = (x - r, y - r, x + r, y + r)
            if inside and not any(_overlaps(box, t) for t in taken if t != own):
                placed[label] = (lx, ly, anchor)
                taken.append(box)
                break
        else:
            if label in keep:
                lx, ly, anchor = options[0]
                placed[label] = (lx, ly, anchor)
                taken.append(_box(lx, ly, label, anchor))
    return placed


def alliance_map_svg(frame: Frame, selected: str | None = None) -> str:
    allies = frame.allies
    where = {row.iso3: project(map_x(row.lon), row.lat) for row in allies.itertuples()}
    where["USA"] = project(US_X, frame.us["lat"])
    body = [tag("rect", x=0, y=0, width=WIDTH, height=MAP_HEIGHT, fill="#fbfdff", stroke="#cbd5e0")]

    # the Atlantic, squeezed
    x0, _ = project(ATLANTIC_EDGE - 3.5, 0)
    x1, _ = project(ATLANTIC_EDGE - 1.0, 0)
    body.append(tag("rect", x=x0, y=0, width=x1 - x0, height=MAP_HEIGHT, fill="#e6f0fb"))
    cx, cy = (x0 + x1) / 2 + 5, MAP_HEIGHT - 8
    body.append(text(cx, cy, "Atlantic, not to scale", font_size=FONT, fill=MUTED,
                     transform=f"rotate(-90 {cx:.1f} {cy:.1f})"))  # fmt: skip

    lines = []
    for a, b, value in frame.edges:
        if value < TENSION_SHOWN:
            continue
        (ax, ay), (bx, by) = where[a], where[b]
        share = tension_share(value)
        lines.append(
            tag("line", tag("title", f"tension {a}-{b}: {value:.2f}"), x1=ax, y1=ay, x2=bx, y2=by,
                stroke=TENSION_COLOUR, stroke_width=1.0 + 7.0 * share, stroke_opacity=0.25 + 0.5 * share,
                stroke_linecap="round", data_tension=f"{value:.3f}")  # fmt: skip
        )
    body.append(f'<g data-layer="tensions">{"".join(lines)}</g>')

    bubbles, points = [], []
    for row in allies.sort_values("gdp", ascending=False).itertuples():  # small allies drawn on top
        x, y = where[row.iso3]
        r = radius(row.gdp)
        fill = COMPLIANCE_COLOURS[row.compliance]
        path = "" if not np.isfinite(row.path) else f", path {row.path:.2f}%"
        tip = (f"{row.name}: {row.spending:.2f}% of GDP ({row.compliance}{path}), {row.status}. Click for why."
               if row.armed else f"{row.name}: no armed forces, {row.status}. Click for why.")  # fmt: skip
        ring = STATUS_COLOURS[row.status]
        parts = [tag("title", tip),
                 tag("circle", cx=x, cy=y, r=r, fill=fill, stroke=ring, stroke_width=STATUS_RING_WIDTH[row.status],
                     stroke_dasharray=STATUS_DASH[row.status])]  # fmt: skip
        if row.below_2pct:
            parts.append(tag("circle", cx=x, cy=y, r=max(2.5, r * 0.32), fill="#ffffff", stroke=INK, stroke_width=0.8,
                             data_below="2pct"))  # fmt: skip
        if row.iso3 == selected:
            parts.append(tag("circle", cx=x, cy=y, r=r + 6, fill="none", stroke="#d69e2e", stroke_width=4,
                             data_selected="true"))  # fmt: skip
        bubbles.append(f'<g data-iso3="{row.iso3}" data-status="{row.status}" data-compliance="{row.compliance}" '
                       f'style="cursor:pointer">{"".join(parts)}</g>')  # fmt: skip
        points.append((row.iso3, x, y, r))
    body.append(f'<g data-layer="allies">{"".join(bubbles)}</g>')

    keep = {selected} if selected else set()
    keep |= set(allies.loc[allies["status"] != "aligned", "iso3"])
    order = sorted(points, key=lambda p: (p[0] not in keep, -p[3]))
    labels = []
    for code, (lx, ly, anchor) in place_labels(order, keep).items():
        status = allies.loc[allies["iso3"] == code, "status"].iloc[0]
        colour = STATUS_COLOURS[status] if status != "aligned" else INK
        labels.append(text(lx, ly, code, font_size=FONT, text_anchor=anchor, font_weight="bold" if status != "aligned"
                           else "normal", fill=colour, paint_order="stroke", stroke="#ffffff", stroke_width=3,
                           data_label=code))  # fmt: skip

    ux, uy = where["USA"]
    ur = radius(frame.us["gdp"])
    body.append(
        '<g data-iso3="USA">'
        + tag("title", f"United States: security vacuum {frame.us['vacuum']:.2f} (0 = full guarantee, 1 = gone)")
        + tag("circle", cx=ux, cy=uy, r=ur, fill=US_COLOUR, stroke="#ffffff", stroke_width=2)
        + text(ux, uy + 6, "USA", font_size=17, font_weight="bold", fill="#ffffff", text_anchor="middle")
        + "</g>"
    )
    body.append(text(ux, uy + ur + 20, "US vacuum", font_size=FONT, text_anchor="middle", fill=INK))
    body.append(text(ux, uy + ur + 44, f"{frame.us['vacuum']:.2f}", font_size=24, font_weight="bold",
                     text_anchor="middle", fill=INK, data_testid="map-vacuum"))  # fmt: skip
    body.append(f'<g data-layer="labels">{"".join(labels)}</g>')
    legend, height = map_legend(frame, MAP_HEIGHT + 6)
    body.append(legend)
    return svg(WIDTH, MAP_HEIGHT + height, body, f"Map of the alliance in {frame.year}")


def map_legend(frame: Frame, top: float) -> tuple[str, float]:
    """The legend under the map (colours, dot, rings, tension scale); returns (svg, height)."""
    guideline = f"{frame.guideline:g}%" if frame.guideline is not None else "2%"
    shown = [c for c in CLASSES if c in set(frame.allies["compliance"]) or c in ("on track", "behind", "far behind")]
    parts, x, y = [], 8.0, top + 16
    parts.append(text(x, y + 5, f"Against own path to {guideline}:", font_size=FONT, fill=INK, font_weight="bold"))
    x = 8.0
    y += LEGEND_ROW
    for name in shown:
        width = 30 + 0.56 * FONT * len(name)
        if x + width > WIDTH:
            x, y = 8.0, y + LEGEND_ROW
        parts.append(tag("circle", cx=x + 8, cy=y, r=8, fill=COMPLIANCE_COLOURS[name], stroke=MUTED, stroke_width=1,
                         data_legend=name))  # fmt: skip
        parts.append(text(x + 21, y + 5, name, font_size=FONT, fill=INK))
        x += width
    x, y = 8.0, y + LEGEND_ROW
    parts.append(tag("circle", cx=x + 8, cy=y, r=8, fill="#a0aec0", stroke=MUTED))
    parts.append(tag("circle", cx=x + 8, cy=y, r=3.2, fill="#ffffff", stroke=INK, stroke_width=0.8))
    parts.append(text(x + 21, y + 5, "below 2%", font_size=FONT, fill=INK))
    x += 110
    for status in ("hedging", "disengaged"):
        parts.append(tag("circle", cx=x + 8, cy=y, r=8, fill="#ffffff", stroke=STATUS_COLOURS[status],
                         stroke_width=STATUS_RING_WIDTH[status], stroke_dasharray=STATUS_DASH[status]))  # fmt: skip
        parts.append(text(x + 22, y + 5, status, font_size=FONT, fill=INK))
        x += 118
    parts.append(tag("line", x1=x, y1=y, x2=x + 26, y2=y, stroke=TENSION_COLOUR, stroke_width=8, stroke_opacity=0.75,
                     stroke_linecap="round"))  # fmt: skip
    parts.append(text(x + 32, y + 5, f"tension {TENSION_FULL:g}+", font_size=FONT, fill=INK))
    return f'<g data-layer="legend">{"".join(parts)}</g>', y - top + 16
