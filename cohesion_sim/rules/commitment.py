"""Commitment to the alliance: reciprocity, trust and threat against tension, entrapment and grievance."""

from __future__ import annotations

import numpy as np


def priority_divergence(priorities_a, priorities_b):
    """1 - cosine similarity of two priority vectors, in [0, 1] for non-negative priorities."""
    a = np.asarray(priorities_a, dtype=float)
    b = np.asarray(priorities_b, dtype=float)
    norms = np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1)
    cosine = np.sum(a * b, axis=-1) / np.maximum(norms, 1e-12)
    return np.clip(1.0 - cosine, 0.0, 1.0)


def alliance_agenda(us_focus, european_priorities, vacuum):
    """The agenda leans to the US focus in proportion to 1 - v, else to the European mean priorities (Snyder 1984)."""
    vacuum = np.asarray(vacuum, dtype=float)[..., None]
    return (1.0 - vacuum) * us_focus + vacuum * european_priorities


def burden_grievance(spending, threat, peer_spending, peer_threat, peer_mask, bandwidth):
    """How far i spends above peers of similar threat (threat-similarity-weighted mean), in points of GDP."""
    similarity = np.exp(-(((np.asarray(threat)[..., None] - peer_threat) / bandwidth) ** 2)) * peer_mask
    weight = np.sum(similarity, axis=-1)
    peer_mean = np.sum(similarity * peer_spending, axis=-1) / np.maximum(weight, 1e-12)
    return np.where(weight > 0, np.maximum(0.0, spending - peer_mean), 0.0)


def commitment_target(
    reliability, threat, reciprocity, mean_tension, entrapment, grievance, bias, from_reliability, from_threat,
    from_reciprocity, from_tension, from_entrapment, from_grievance,
):  # fmt: skip
    """c* = logistic(trust, threat and reciprocity up; tension, entrapment and grievance down).

    Reciprocity is how far allies keep to their paths to the guideline (see
    :func:`~cohesion_sim.rules.spending.on_track_share`; free-riding resentment in reverse);
    entrapment is Snyder's (1984) fear of being dragged along.
    """
    drive = (
        bias
        + from_reliability * (reliability - 0.5)
        + from_threat * (threat - 0.5)
        + from_reciprocity * (reciprocity - 0.5)
        - from_tension * mean_tension
        - from_entrapment * entrapment
        - from_grievance * grievance
    )
    return 1.0 / (1.0 + np.exp(-drive))


def commitment_update(commitment, target, speed):
    """c moves part way toward its target each year."""
    return np.clip(commitment + speed * (target - commitment), 0.0, 1.0)
