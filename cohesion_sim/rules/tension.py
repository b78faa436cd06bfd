"""Bilateral tension T[i, j]: decay, grievance, divergence, US pressure, disputes, rivalry, side-taking, coordination."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

Array = Any  # a float or a numpy array


@dataclass(frozen=True)
class UsPairs:
    """A term that is nonzero only on the pairs with the US, kept as two vectors instead of a mostly-zero matrix.

    For the rows of every ally at once (shape S' + (N, N)): ``column[..., i]`` is the term on ally
    i's pair with the US in i's row, ``row[..., j]`` the term on the US's pair with j in the US's
    row (both shape S' + (N,)). :meth:`dense` is the matrix it stands for.
    """

    us: int
    column: Array
    row: Array

    def any(self) -> bool:
        """Whether the term is nonzero anywhere."""
        return bool(np.any(self.column) or np.any(self.row))

    def dense(self) -> np.ndarray:
        """The term as a full S' + (N, N) matrix: the column and the row, 0 elsewhere."""
        column, row = np.asarray(self.column, dtype=float), np.asarray(self.row, dtype=float)
        n = column.shape[-1]
        matrix = np.zeros(np.broadcast_shapes(column.shape, row.shape) + (n,))
        matrix[..., :, self.us] += column
        matrix[..., self.us, :] += row
        return matrix

    def add_to(self, rows: np.ndarray, weight) -> None:
        """rows += weight * term in place, touching only the US's row and column (``weight`` broadcasts against rows)."""
        rows[..., :, self.us] += _pair_slice(weight, -1, self.us) * self.column
        rows[..., self.us, :] += _pair_slice(weight, -2, self.us) * self.row


@dataclass(frozen=True)
class PairEntries:
    """A term that is nonzero on a few pairs only (the standing rivalries), kept as those pairs' values.

    ``values[..., k]`` is the term at row ``rows[k]``, column ``cols[k]`` of rows of shape
    S' + (N, N) (``values`` has shape S' + (K,)). :meth:`from_dense` finds the pairs of a matrix;
    :meth:`dense` is the matrix it stands for.
    """

    rows: np.ndarray  # (K,)
    cols: np.ndarray  # (K,)
    values: Array  # S' + (K,)
    n: int

    @classmethod
    def from_dense(cls, matrix) -> PairEntries:
        """The pairs that are nonzero in any of the matrices (shape S' + (N, N)), with their values."""
        matrix = np.asarray(matrix, dtype=float)
        rows, cols = np.nonzero(np.any(matrix != 0, axis=tuple(range(matrix.ndim - 2))))
        return cls(rows, cols, matrix[..., rows, cols], matrix.shape[-1])

    def any(self) -> bool:
        """Whether the term is nonzero anywhere."""
        return bool(np.any(self.values))

    def dense(self) -> np.ndarray:
        """The term as a full S' + (N, N) matrix."""
        matrix = np.zeros(np.shape(self.values)[:-1] + (self.n, self.n))
        matrix[..., self.rows, self.cols] = self.values
        return matrix

    def add_to(self, rows: np.ndarray, weight) -> None:
        """rows += weight * term, in place, touching only the term's pairs (``weight`` broadcasts against rows)."""
        rows[..., self.rows, self.cols] += _at_pairs(weight, self.rows, self.cols, self.n) * self.values


def _at_pairs(values, rows: np.ndarray, cols: np.ndarray, n: int):
    """``values`` (broadcastable against S' + (N, N)) at the pairs (rows[k], cols[k]), broadcastable against S' + (K,)."""
    values = np.asarray(values)
    return np.broadcast_to(values, values.shape[:-2] + (n, n))[..., rows, cols]


def _pair_slice(values, axis: int, index: int):
    """``values`` (broadcastable against S' + (N, N)) at ``index`` of pair axis ``axis``, broadcastable against the slice."""
    values = np.asarray(values)
    if values.ndim < -axis:
        return values
    at = index if values.shape[axis] > 1 else 0
    return values[..., at] if axis == -1 else values[..., at, :]


def _any(term) -> bool:
    """Whether a full or sparse term is nonzero anywhere."""
    return term.any() if isinstance(term, (UsPairs, PairEntries)) else bool(np.any(term))


def _add_term(raised: np.ndarray, weight, term, scratch: np.ndarray) -> None:
    """raised += weight * term in place; a full term's product goes through ``scratch``, sparse terms add their pairs."""
    if isinstance(term, (UsPairs, PairEntries)):
        term.add_to(raised, weight)
    else:
        raised += np.multiply(weight, term, out=scratch)


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
        if np.any(weight) and _any(term):
            _add_term(raised, weight, term, scratch)
    if _any(shortfall_pair):
        _add_term(raised, pressure_weight * pressure[..., None], shortfall_pair, scratch)
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
