"""Array helpers the rules share (no mechanism of their own): short sums, and sparse pair terms for the engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

Array = Any  # a float or a numpy array


def sum_last(values):
    """``np.sum(values, axis=-1)`` over a short last axis, the same additions in the same order, as whole-array adds.

    numpy adds fewer than 8 float entries one after the other, left to right, in an inner loop it
    calls once per entry of the other axes; on the engine's (R, N, 3) and (R, N, 4) arrays that
    per-call overhead is most of the cost. Adding the strided columns left to right gives the same
    bits. Longer axes (pairwise summation) and other dtypes go to ``np.sum``.
    """
    values = np.asarray(values)
    if values.ndim == 0 or not 2 <= values.shape[-1] < 8 or values.dtype.kind != "f":
        return np.sum(values, axis=-1)
    total = values[..., 0] + values[..., 1]
    for k in range(2, values.shape[-1]):
        total += values[..., k]
    return total


def norm_last(values):
    """``np.linalg.norm(values, axis=-1)`` of real values over a short last axis: sqrt of :func:`sum_last` of squares."""
    values = np.asarray(values, dtype=float)
    return np.sqrt(sum_last(values * values))


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


def any_nonzero(term) -> bool:
    """Whether a full or sparse term is nonzero anywhere."""
    return term.any() if isinstance(term, (UsPairs, PairEntries)) else bool(np.any(term))


def add_term(raised: np.ndarray, weight, term, scratch: np.ndarray) -> None:
    """raised += weight * term in place; a full term's product goes through ``scratch``, sparse terms add their pairs."""
    if isinstance(term, (UsPairs, PairEntries)):
        term.add_to(raised, weight)
    else:
        raised += np.multiply(weight, term, out=scratch)
