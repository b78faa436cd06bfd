"""Array helpers the rules share (no mechanism of their own)."""

from __future__ import annotations

import numpy as np


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
