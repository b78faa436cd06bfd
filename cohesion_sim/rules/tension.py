"""Bilateral tension T[i, j]: decay, grievance, divergence, US pressure, disputes, rivalry, side-taking, coordination."""

from __future__ import annotations

import numpy as np

from .arrays import PairEntries, UsPairs, add_term, any_nonzero


def stance_imbalance(tension, weight):
    """How differently i and j stand toward third parties: sqrt(sum_k g_k (T_ik - T_jk)^2), g the third parties' weight.

    Structural balance (Heider 1946; Cartwright & Harary 1956): two allies who take opposite
    sides on a third (one quarrels with the US, the other stays close) come into tension
    themselves, the more so the more that third party weighs (``weight``: GDP shares summing
    to 1, shape S or (N,)). Computed with one matrix product; the k = i, j terms are removed.
    """
    t = np.asarray(tension, dtype=float)
    g = np.asarray(weight, dtype=float)
    # -2 g_k T_ik: the factor -2 (exact in binary) rides on the weights, not on the N x N products
    tg = t * (-2.0 * g)[..., None, :]
    buffer = np.multiply(tg, t)
    square = np.sum(buffer, axis=-1) * -0.5  # sum_k g_k T_ik^2, the -2 undone exactly
    gram = tg @ np.swapaxes(t, -1, -2)  # -2 sum_k g_k T_ik T_jk
    # sum over all k of g_k (T_ik - T_jk)^2, minus the k = i and k = j terms (T_ii = T_jj = 0); in place
    gram += square[..., :, None]
    gram += square[..., None, :]
    ends = np.add(g[..., :, None], g[..., None, :], out=buffer if buffer.shape == gram.shape else None)
    ends *= t
    ends *= t
    gram -= ends
    np.maximum(gram, 0.0, out=gram)
    return np.sqrt(gram, out=gram)


def tension_row_update(
    *, tension_row, threat, spending, others_spending, armed_pair, divergence, pressure, shortfall_pair, disputes,
    rivalry, imbalance, friction, coordination_pair, decay, grievance_weight, divergence_weight, pressure_weight,
    rivalry_weight, balance_weight, friction_weight, coordination_effect,
):  # fmt: skip
    """T_ij decays by delta, rises with grievance, divergence, US pressure x shortfall, disputes, rivalry and side-taking; coordination pulls it down.

    Grievance: the higher spender, weighted by its own threat, resents the lower one (burden
    sharing). ``shortfall_pair`` is the ally's shortfall against the guideline on US-ally
    pairs and 0 elsewhere. ``rivalry`` is a standing rivalry (data), ``imbalance`` the
    structural-balance term (:func:`stance_imbalance`), ``friction`` US pressure on US-hedger
    pairs (the US has treated an autonomous European pillar as a rival since Albright's 1998
    "three Ds": no decoupling, duplication or discrimination). Coordination and intelligence
    sharing remove a share of tension.

    Terms are full arrays, or, for the (R, N, N) rows of the batch engine, sparse: the shortfall
    and friction as :class:`UsPairs`, the rivalry as :class:`PairEntries` (same sums, added in the
    same order, without building mostly-zero matrices).
    """
    threat, spending, pressure = np.asarray(threat), np.asarray(spending), np.asarray(pressure)
    # accumulated in place: the batch engine calls this on (R, N, N) arrays every year
    raised = (1.0 - decay) * np.asarray(tension_row, dtype=float)
    grievance = spending[..., None] - others_spending
    np.maximum(grievance, 0.0, out=grievance)
    grievance *= grievance_weight * threat[..., None]
    grievance *= armed_pair
    raised += grievance
    scratch = grievance if grievance.shape == raised.shape else np.empty_like(raised)
    for weight, term in ((divergence_weight, divergence), (balance_weight, imbalance), (rivalry_weight, rivalry),
                         (friction_weight, friction)):
        if np.any(weight) and any_nonzero(term):
            add_term(raised, weight, term, scratch)
    if any_nonzero(shortfall_pair):
        add_term(raised, pressure_weight * pressure[..., None], shortfall_pair, scratch)
    if np.any(disputes):
        raised += disputes
    full = np.shape(coordination_pair) == raised.shape  # a full pair matrix: its product can reuse the scratch array
    kept = np.multiply(coordination_effect, coordination_pair, out=scratch if full else None)
    raised *= np.subtract(1.0, kept, out=kept if full else None)
    return raised


def symmetrize_tension(rows):
    """The matrix each ally wrote row by row, made symmetric (mean of both views), clipped to [0, 1], zero diagonal."""
    rows = np.asarray(rows, dtype=float)
    symmetric = rows + np.swapaxes(rows, -1, -2)
    symmetric *= 0.5
    np.clip(symmetric, 0.0, 1.0, out=symmetric)
    n = symmetric.shape[-1]
    symmetric[..., np.arange(n), np.arange(n)] = 0.0
    return symmetric


def pair_coordination(coordination, hedging, pillar_coordination, ties=0.0, partner_intelligence=0.0):
    """Coordination on each pair (``coordination`` broadcast against the pair axes): the scenario's level, plus the pillar's between two hedgers, plus shared partner intelligence.

    Two allies both tied to the same non-NATO partners share their intelligence and industrial
    programmes (NATO 2024 Washington Summit Declaration on the Indo-Pacific partners and Ukraine).
    """
    hedging = np.asarray(hedging, dtype=float)
    pair, fresh = np.asarray(coordination, dtype=float), False
    # each added term is a fresh array the level is added into (in place: the engine's pairs are (R, N, N))
    if np.any(hedging) and np.any(pillar_coordination):
        pair, fresh = _plus(pillar_coordination * hedging[..., :, None] * hedging[..., None, :], pair), True
    if np.any(ties) and np.any(partner_intelligence):
        ties = np.asarray(ties, dtype=float) * np.ones_like(hedging)
        shared = np.minimum(ties[..., :, None], ties[..., None, :])
        shared *= partner_intelligence
        pair, fresh = _plus(shared, pair), True
    return np.clip(pair, 0.0, 1.0, out=pair if fresh else None)


def _plus(fresh: np.ndarray, other) -> np.ndarray:
    """other + fresh, written into ``fresh`` when it has the shape of the sum."""
    other = np.asarray(other)
    if fresh.shape == np.broadcast_shapes(fresh.shape, other.shape):
        fresh += other
        return fresh
    return other + fresh


def tension_rest_point(additions, coordination_pair, decay, coordination_effect):
    """T* under steady inputs: solving T = [(1 - delta) T + a](1 - kappa c) gives a f / (1 - (1 - delta) f), f = 1 - kappa c."""
    keep = 1.0 - coordination_effect * coordination_pair
    return additions * keep / np.maximum(1.0 - (1.0 - decay) * keep, 1e-12)
