"""Two commitments (Snyder 1984): to the transatlantic bond and to European allies."""

from __future__ import annotations

import numpy as np

from .arrays import norm_last, sum_last


def priority_divergence(priorities_a, priorities_b):
    """1 - cosine similarity of two priority vectors, in [0, 1] for non-negative priorities."""
    a = np.asarray(priorities_a, dtype=float)
    b = np.asarray(priorities_b, dtype=float)
    norms = norm_last(a) * norm_last(b)
    cosine = sum_last(a * b) / np.maximum(norms, 1e-12)
    return np.clip(1.0 - cosine, 0.0, 1.0)


def divergence_matrix(priorities):
    """Pairwise priority divergence 1 - cos(p_i, p_j) for priorities of shape S + (N, K), as one matrix product (S + (N, N))."""
    p = np.asarray(priorities, dtype=float)
    unit = p / np.maximum(norm_last(p)[..., None], 1e-12)
    divergence = unit @ np.swapaxes(unit, -1, -2)
    np.subtract(1.0, divergence, out=divergence)
    return np.clip(divergence, 0.0, 1.0, out=divergence)


def alliance_agenda(us_focus, european_priorities, vacuum):
    """The agenda leans to the US focus in proportion to 1 - v, else to the European mean priorities (Snyder 1984)."""
    vacuum = np.asarray(vacuum, dtype=float)[..., None]
    return (1.0 - vacuum) * us_focus + vacuum * european_priorities


#: Threat difference within which allies count as peers. Fixed, not a scenario constant: outcomes do not move
#: beyond seed noise anywhere over 0.05-0.5 (the mechanism sweep, issue 9), so the choice is not a lever.
PEER_THREAT_BANDWIDTH = 0.15


def burden_grievance(*, spending, threat, peer_spending, peer_threat, peer_mask, bandwidth=PEER_THREAT_BANDWIDTH):
    """How far i spends above peers of similar threat (threat-similarity-weighted mean), in points of GDP."""
    # exp(-((theta_i - theta_j) / bandwidth)^2) * mask, computed in place (the engine's pairs are (R, N, N))
    similarity = np.subtract(np.asarray(threat)[..., None], peer_threat)
    similarity /= bandwidth
    np.square(similarity, out=similarity)
    np.negative(similarity, out=similarity)
    np.exp(similarity, out=similarity)
    similarity *= peer_mask
    weight = np.sum(similarity, axis=-1)
    similarity *= peer_spending
    peer_mean = np.sum(similarity, axis=-1) / np.maximum(weight, 1e-12)
    return np.where(weight > 0, np.maximum(0.0, spending - peer_mean), 0.0)


def _logistic(drive):
    return 1.0 / (1.0 + np.exp(-drive))


def transatlantic_target(
    *, reliability, threat, reciprocity, us_tension, entrapment, grievance, bias, from_reliability, from_threat,
    from_reciprocity, from_tension, from_entrapment, from_grievance,
):  # fmt: skip
    """c_atl* = logistic(trust in the US, threat, reciprocity up; tension with the US, entrapment, grievance down).

    Snyder (1984): the bond to the patron rests on trust in its guarantee and erodes with fear of
    entrapment (being dragged into the patron's priorities) and with bilateral friction.
    """
    drive = (
        bias + from_reliability * (reliability - 0.5) + from_threat * (threat - 0.5)
        + from_reciprocity * (reciprocity - 0.5) - from_tension * us_tension - from_entrapment * entrapment
        - from_grievance * grievance
    )  # fmt: skip
    return _logistic(drive)


def european_target(
    *, fear, threat, reciprocity, european_tension, pillar, grievance, bias, from_fear, from_threat, from_reciprocity,
    from_tension, from_pillar, from_grievance,
):  # fmt: skip
    """c_eu* = logistic(abandonment fear, threat, reciprocity and the European pillar up; tension among Europeans, grievance down).

    Snyder (1984): fear of abandonment by the patron drives allies closer to each other; for an
    ally that has joined the European pillar, ``pillar`` is the pillar's GDP share (0 for the
    others): the bond is worth more the larger the pillar it is part of.
    """
    drive = (
        bias + from_fear * (fear - 0.25) + from_threat * (threat - 0.5) + from_reciprocity * (reciprocity - 0.5)
        + from_pillar * pillar - from_tension * european_tension - from_grievance * grievance
    )  # fmt: skip
    return _logistic(drive)


def commitment_update(commitment, target, speed):
    """c moves part way toward its target each year."""
    return np.clip(commitment + speed * (target - commitment), 0.0, 1.0)


def overall_commitment(transatlantic, european):
    """An ally's commitment to the alliance as a whole (votes, pull, exit): the geometric mean of its two commitments.

    The alliance stands on both legs (Snyder 1984): an ally bound to its European neighbours but
    with no faith left in the transatlantic bond (or the reverse) is only half in, so the two
    combine like complements rather than substitutes.
    """
    return np.sqrt(np.asarray(transatlantic) * np.asarray(european))
