"""The batch engine's shortcuts give the same bits as the plain array code they replace."""

from __future__ import annotations

import numpy as np

from cohesion_sim import rules as R
from cohesion_sim.rules.arrays import norm_last, sum_last


def test_sparse_tension_terms_add_the_same_bits_as_their_dense_matrices():
    rng = np.random.default_rng(0)
    runs, n, us = 7, 6, 2
    base = dict(tension_row=rng.random((runs, n, n)), threat=rng.random((runs, n)), spending=3 * rng.random((runs, n)),
                others_spending=3 * rng.random((runs, 1, n)), armed_pair=1.0 - np.eye(n),
                divergence=rng.random((runs, n, n)), pressure=rng.random((runs, 1)), disputes=0.0,
                imbalance=rng.random((runs, n, n)), coordination_pair=rng.random((runs, n, n)))  # fmt: skip
    names = ("decay", "grievance_weight", "divergence_weight", "pressure_weight", "rivalry_weight", "balance_weight",
             "friction_weight", "coordination_effect")  # fmt: skip
    column, row, shortfall = rng.random((runs, n)), rng.random((runs, n)), rng.random((runs, n))
    column[:, us] = row[:, us] = shortfall[:, us] = 0.0
    rivalry = np.zeros((runs, n, n))
    rivalry[:, 1, 4] = rivalry[:, 4, 1] = rng.random(runs)
    friction, shortfall_pair = R.UsPairs(us, column=column, row=row), R.UsPairs(us, column=shortfall, row=shortfall)
    off_diagonal = ~np.eye(n, dtype=bool)
    for weights in ({name: rng.random((runs, 1, 1)) for name in names}, {name: rng.random() for name in names}):
        sparse = R.tension_row_update(**base, **weights, friction=friction, shortfall_pair=shortfall_pair,
                                      rivalry=R.PairEntries.from_dense(rivalry))  # fmt: skip
        dense = R.tension_row_update(**base, **weights, friction=friction.dense(),
                                     shortfall_pair=shortfall_pair.dense(), rivalry=rivalry)  # fmt: skip
        assert np.array_equal(sparse[:, off_diagonal], dense[:, off_diagonal])
    assert np.array_equal(R.PairEntries.from_dense(rivalry).dense(), rivalry)


def test_short_sums_and_norms_match_numpy_bit_for_bit():
    rng = np.random.default_rng(1)
    for k in (2, 3, 4, 7):
        values = rng.standard_normal((50, 40, k)) * 10.0 ** rng.integers(-6, 6, (50, 40, k))
        assert np.array_equal(sum_last(values), np.sum(values, axis=-1))
        assert np.array_equal(norm_last(values), np.linalg.norm(values, axis=-1))
    long = rng.standard_normal((5, 32))
    assert np.array_equal(sum_last(long), np.sum(long, axis=-1))
