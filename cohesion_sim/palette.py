"""One palette for every figure: the CLI's PNG files, the app's live SVG views and its downloads.

Colour-blind safe: compliance runs from blue (on track) to light and dark orange (behind, far
behind), a blue-orange axis that red-green colour blindness keeps apart, with the two orange
shades also apart in lightness. Status is never a fill: it is a ring (hedging purple, thick;
disengaged black, dashed), so it cannot blur with compliance.
"""

from __future__ import annotations

#: Fill of an ally by where it stands against its own adopted path to the guideline.
COMPLIANCE_COLOURS = {
    "on track": "#2166ac",  # dark blue
    "behind": "#fdb863",  # light orange
    "far behind": "#7f3b08",  # dark brown-orange
    "exempted": "#b2abd2",  # light purple-grey
    "no armed forces": "#e2e8f0",  # light grey
}
COMPLIANCE_HELP = {
    "on track": "at or above its path to the guideline",
    "behind": "below its path, by less than the tolerance",
    "far behind": "below its path by the tolerance or more",
    "exempted": "exempted from the guideline at the summit",
    "no armed forces": "no armed forces, so no spending to count (Iceland)",
}
#: Ring of an ally by status (the fill shows compliance).
STATUS_COLOURS = {"aligned": "#4a5568", "hedging": "#6a3d9a", "disengaged": "#1a202c"}
STATUS_RING_WIDTH = {"aligned": 1.2, "hedging": 4.5, "disengaged": 4.5}
STATUS_DASH = {"aligned": None, "hedging": None, "disengaged": "4 3"}
#: Below 2% of GDP: a white dot in the middle of the bubble or bar.
BELOW_TWO_MARK = "#ffffff"

US_COLOUR = "#4a5568"
TENSION_COLOUR = "#9b2c2c"
#: Compare mode, first and second run (blue and orange: colour-blind safe).
RUN_COLOURS = ("#2166ac", "#e66101")
INK, MUTED, GRID = "#1a202c", "#4a5568", "#e2e8f0"
#: Ensemble bands behind a run's line: 90% (light) and 50% (darker).
BAND_ALPHA = {90: 0.16, 50: 0.32}
EVENT_COLOURS = {
    "pledge": "#1a202c", "summit": "#4a5568", "pressure": "#b35806", "shock": "#9b2c2c", "dispute": "#6a3d9a",
    "lever": "#2166ac",
}  # fmt: skip

__all__ = [
    "BAND_ALPHA", "BELOW_TWO_MARK", "COMPLIANCE_COLOURS", "COMPLIANCE_HELP", "EVENT_COLOURS", "GRID", "INK", "MUTED",
    "RUN_COLOURS", "STATUS_COLOURS", "STATUS_DASH", "STATUS_RING_WIDTH", "TENSION_COLOUR", "US_COLOUR",
]  # fmt: skip
