"""Colours, scales and the map projection shared by the live SVG views and the PNG figures."""

from __future__ import annotations

import numpy as np

#: Status colours stay clear of the red-yellow-green spending scale, so rings and fills never blur.
STATUS_COLOURS = {"aligned": "#2b6cb0", "hedging": "#805ad5", "disengaged": "#1a202c"}
STATUS_RING = {"aligned": "#4a5568", "hedging": STATUS_COLOURS["hedging"], "disengaged": STATUS_COLOURS["disengaged"]}
US_COLOUR = "#4a5568"
TENSION_COLOUR = "#9b2c2c"
NO_FORCES = "#e2e8f0"
RUN_COLOURS = ("#2b6cb0", "#dd6b20")  # compare mode: first and second scenario

#: Spending colour scale: points of GDP below (red) or above (green) the guideline.
GAP_RANGE = 2.0
GAP_CMAP = "RdYlGn"

# West of this longitude the Atlantic is squeezed so Canada and the US fit beside Europe.
ATLANTIC_EDGE = -28.0
ATLANTIC_SQUEEZE = 0.25
US_X = -44.0
MAP_WEST, MAP_EAST, MAP_SOUTH, MAP_NORTH = US_X - 5.5, 46.0, 31.0, 68.0
#: Map x units per degree of latitude: an equirectangular map true at 50 degrees north.
ASPECT = 1.0 / np.cos(np.radians(50.0))


def map_x(lon: float) -> float:
    """Map x of a longitude: true east of the Atlantic edge, squeezed west of it."""
    return lon if lon >= ATLANTIC_EDGE else ATLANTIC_EDGE + (lon - ATLANTIC_EDGE) * ATLANTIC_SQUEEZE


def bubble_area(gdp) -> np.ndarray:
    """Marker area (points^2) growing with the square root of GDP, so small allies stay visible."""
    return 30.0 + 12.0 * np.sqrt(np.asarray(gdp, dtype=float))


def gap_colour(gap: float) -> str:
    """Hex colour of spending minus the guideline on the red (below) to green (above) scale."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    share = (min(GAP_RANGE, max(-GAP_RANGE, gap)) + GAP_RANGE) / (2 * GAP_RANGE)
    return to_hex(colormaps[GAP_CMAP](share))
