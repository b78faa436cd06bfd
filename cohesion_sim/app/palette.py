"""The map projection and scales of the live SVG views; the colours are the package's one palette.

Colours come from :mod:`cohesion_sim.palette` (shared with the CLI's figures); this module adds
the map projection (allies at their capitals, the Atlantic squeezed) and size scales.
"""

from __future__ import annotations

import numpy as np

from ..palette import (  # noqa: F401 - re-exported for the views
    BAND_ALPHA, BELOW_TWO_MARK, COMPLIANCE_COLOURS, COMPLIANCE_HELP, EVENT_COLOURS, GRID, INK, MUTED, RUN_COLOURS,
    STATUS_COLOURS, STATUS_DASH, STATUS_RING_WIDTH, TENSION_COLOUR, US_COLOUR,
)  # fmt: skip

NO_FORCES = COMPLIANCE_COLOURS["no armed forces"]
#: Tension drawn on the map on an absolute scale: lines from ``TENSION_SHOWN``, full width at ``TENSION_FULL``.
TENSION_SHOWN, TENSION_FULL = 0.08, 0.3

# West of this longitude the Atlantic is squeezed so Canada and the US fit beside Europe.
ATLANTIC_EDGE = -28.0
ATLANTIC_SQUEEZE = 0.25
US_X = -43.0
MAP_WEST, MAP_EAST, MAP_SOUTH, MAP_NORTH = US_X - 7.5, 46.0, 31.0, 68.0
#: Map x units per degree of latitude: an equirectangular map true at 50 degrees north.
ASPECT = 1.0 / np.cos(np.radians(50.0))


def map_x(lon: float) -> float:
    """Map x of a longitude: true east of the Atlantic edge, squeezed west of it."""
    return lon if lon >= ATLANTIC_EDGE else ATLANTIC_EDGE + (lon - ATLANTIC_EDGE) * ATLANTIC_SQUEEZE


def bubble_area(gdp) -> np.ndarray:
    """Marker area (points^2) growing with the square root of GDP, so small allies stay visible."""
    return 30.0 + 12.0 * np.sqrt(np.asarray(gdp, dtype=float))


def tension_share(value: float) -> float:
    """Where a tension sits on the map's absolute scale, 0 (faint) to 1 (strongest drawn)."""
    return float(min(1.0, max(0.0, (value - TENSION_SHOWN) / (TENSION_FULL - TENSION_SHOWN))))
