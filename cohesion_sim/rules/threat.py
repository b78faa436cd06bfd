"""Threat perception: exposure to each strategic direction and the threat it implies.

Walt (1987), *The Origins of Alliances*: threat grows with proximity and capability, so an
ally's exposure to the east decays with distance and is larger with a land border.
"""

from __future__ import annotations

import numpy as np


def east_exposure(km_to_threat, land_border, distance_km, border_bonus):
    """Eastern exposure decays exponentially with distance to Moscow/Minsk and rises with a land border (Walt 1987)."""
    km = np.asarray(km_to_threat, dtype=float)
    return np.clip(np.exp(-km / distance_km) + border_bonus * np.asarray(land_border, dtype=float), 0.0, 1.0)


def south_exposure(mediterranean_coast, black_sea_coast, per_coast):
    """Southern exposure grows with each Mediterranean or Black Sea coastline (Walt 1987, proximity)."""
    coasts = np.asarray(mediterranean_coast, dtype=float) + np.asarray(black_sea_coast, dtype=float)
    return np.clip(per_coast * coasts, 0.0, 1.0)


def perceived_threat(exposure, threat_levels):
    """theta_i = clip(sum_k e_ik tau_k, 0, 1): exposure-weighted threat levels (Walt 1987, balance of threat)."""
    return np.clip(np.sum(np.asarray(exposure) * np.asarray(threat_levels), axis=-1), 0.0, 1.0)


def abandonment_fear(threat, reliability, vacuum, partner_ties=0.0, partner_relief=0.0):
    """A_i = theta_i (1 - r_i (1 - v)), eased by partner ties: fear of being left alone (Snyder 1984)."""
    fear = threat * (1.0 - reliability * (1.0 - vacuum))
    return fear * (1.0 - partner_relief * partner_ties)
