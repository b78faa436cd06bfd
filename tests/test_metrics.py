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
    assert blocs(united) == 1
    assert connectivity(united) == pytest.approx(1.0)
    assert cohesion(united) == pytest.approx(1.0)


def test_two_camps_are_detected():
    split = camps()
    assert blocs(split) == 2
    assert connectivity(split) < connectivity(camps(across=0.05))
    assert cohesion(split) < cohesion(camps(across=0.05))


def test_noise_alone_is_not_a_split():
    rng = np.random.default_rng(0)
    tension = rng.uniform(0.0, 0.1, (32, 32))
    tension = (tension + tension.T) / 2
    np.fill_diagonal(tension, 0)
    assert blocs(alliance_weights(rng.uniform(0.6, 0.9, 32), tension)) == 1


def test_an_isolated_ally_lowers_connectivity_toward_zero():
    tension = np.zeros((32, 32))
    tension[0, 1:] = tension[1:, 0] = 1.0
    assert connectivity(alliance_weights(np.ones(32), tension)) == pytest.approx(0.0, abs=1e-9)
