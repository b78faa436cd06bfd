"""Threat perception and strategic priorities.

Walt (1987), *The Origins of Alliances*: threat grows with proximity and capability, so an
ally's exposure to the east decays with distance and is larger with a land border; a rival
inside the alliance (Greece-Turkey) is a threat of its own.
"""

from __future__ import annotations

import numpy as np

from .arrays import sum_last


def east_exposure(km_to_threat, land_border, distance_km, border_bonus):
    """Eastern exposure decays exponentially with distance to Moscow/Minsk and rises with a land border (Walt 1987)."""
    km = np.asarray(km_to_threat, dtype=float)
    return np.clip(np.exp(-km / distance_km) + border_bonus * np.asarray(land_border, dtype=float), 0.0, 1.0)


def south_exposure(mediterranean_coast, black_sea_coast, per_coast):
    """Southern exposure grows with each Mediterranean or Black Sea coastline (Walt 1987, proximity)."""
    coasts = np.asarray(mediterranean_coast, dtype=float) + np.asarray(black_sea_coast, dtype=float)
    return np.clip(per_coast * coasts, 0.0, 1.0)


def perceived_threat(exposure, threat_levels, rivalry=0.0):
    """theta_i = clip(sum_k e_ik tau_k + rivalry_i, 0, 1): exposure-weighted threat levels plus a rival ally (Walt 1987)."""
    return np.clip(sum_last(np.asarray(exposure) * np.asarray(threat_levels)) + rivalry, 0.0, 1.0)


def abandonment_fear(threat, reliability, vacuum):
    """A_i = theta_i (1 - r_i (1 - v)): fear of being left alone with the threat (Snyder 1984)."""
    return threat * (1.0 - reliability * (1.0 - vacuum))


def current_priorities(exposure, threat_levels):
    """An ally's priorities this year: its exposure to each direction times that direction's threat, plus 0 for other theatres.

    Priorities follow events (Walt 1987): when the east flares up, eastern allies' priorities move
    east and away from southern ones. Shape ``exposure.shape[:-1] + (4,)``.
    """
    weighted = np.asarray(exposure) * np.asarray(threat_levels)
    return np.concatenate([weighted, np.zeros(weighted.shape[:-1] + (1,))], axis=-1)


def us_priorities(threat_levels, us_pivot, vacuum):
    """The US's priorities: a share pi = pivot + (1 - pivot) v on other theatres, the rest on Europe's directions by threat.

    A US that withdraws from Europe turns to the Indo-Pacific and the Middle East (the pivot), so
    entrapment divergence grows with the vacuum (Snyder 1984). ``threat_levels`` has shape W + (3,).
    """
    tau = np.asarray(threat_levels, dtype=float)
    pivot = np.clip(us_pivot + (1.0 - us_pivot) * np.asarray(vacuum, dtype=float), 0.0, 1.0)[..., None]
    europe = tau / np.maximum(np.sum(tau, axis=-1, keepdims=True), 1e-12)
    return np.concatenate([(1.0 - pivot) * europe, pivot], axis=-1)
