"""The alliance-level measures can tell a united alliance from a split one."""

import numpy as np
import pytest

from cohesion_sim.metrics import alliance_weights, blocs, cohesion, connectivity


def camps(n=32, across=0.6, within=0.05):
    tension = np.full((n, n), within)
    half = n // 2
    tension[:half, half:] = tension[half:, :half] = across
    np.fill_diagonal(tension, 0.0)
    return alliance_weights(np.full(n, 0.8), tension)


def test_united_alliance_is_one_bloc_and_fully_connected():
    united = alliance_weights(np.ones(32), np.zeros((32, 32)))
    assert blocs(united) == (1, 0.0)
    assert connectivity(united) == pytest.approx(1.0)
    assert cohesion(united) == pytest.approx(1.0)


def test_two_camps_are_detected():
    split = camps()
    count, modularity = blocs(split)
    assert count == 2 and modularity > 0.03
    assert connectivity(split) < connectivity(camps(across=0.05))
    assert cohesion(split) < cohesion(camps(across=0.05))


def test_noise_alone_is_not_a_split():
    rng = np.random.default_rng(0)
    tension = rng.uniform(0.0, 0.1, (32, 32))
    tension = (tension + tension.T) / 2
    np.fill_diagonal(tension, 0)
    assert blocs(alliance_weights(rng.uniform(0.6, 0.9, 32), tension))[0] == 1


def test_an_isolated_ally_lowers_connectivity_toward_zero():
    tension = np.zeros((32, 32))
    tension[0, 1:] = tension[1:, 0] = 1.0
    assert connectivity(alliance_weights(np.ones(32), tension)) == pytest.approx(0.0, abs=1e-9)


def test_disengaged_allies_are_not_blocs_and_a_collapse_is_not_32_blocs():
    """Issue 9, item 12: blocs are counted among engaged allies only."""
    split = camps()
    engaged = np.ones(32)
    engaged[:16] = 0.0  # one camp has disengaged: the rest is one bloc
    assert blocs(split, engaged=engaged)[0] == 1
    collapse = alliance_weights(np.zeros(32), np.zeros((32, 32)))
    assert blocs(collapse)[0] == 1 and blocs(collapse, engaged=np.zeros(32))[0] == 1


def test_pair_weights_use_each_pairs_commitment():
    from cohesion_sim.metrics import pair_weights

    us = np.zeros(4)
    us[3] = 1.0
    w = pair_weights(np.array([0.25, 0.25, 0.25, 0.0]), np.array([1.0, 1.0, 0.64, 0.0]), 0.75, np.zeros((4, 4)), us,
                     np.array([1.0, 1.0, 1.0, 0.0]))  # the third ally is not yet a member: no weight
    assert w[0, 1] == pytest.approx(1.0)  # two Europeans: their European commitments
    assert w[0, 3] == pytest.approx(np.sqrt(0.25 * 0.25) * 0.0)  # the US is no member here
    w = pair_weights(np.array([0.25, 0.25, 0.25, 0.0]), np.array([1.0, 1.0, 0.64, 0.0]), 0.75, np.zeros((4, 4)), us,
                     np.ones(4))  # fmt: skip
    assert w[0, 3] == pytest.approx(np.sqrt(0.25 * 0.25))  # with the US: transatlantic commitment and 1 - v
    assert w[0, 2] == pytest.approx(0.8)
