"""Bilateral tension T[i, j]: decay, grievance, divergence, US pressure, disputes, coordination."""

from __future__ import annotations

import numpy as np


def tension_row_update(
    tension_row, threat, spending, others_spending, armed_pair, divergence, pressure, shortfall_pair, disputes,
    coordination_pair, decay, grievance_weight, divergence_weight, pressure_weight, coordination_effect,
):  # fmt: skip
    """T_ij decays by delta, rises with grievance, divergence, US pressure x shortfall and disputes, and coordination pulls it down.

    Grievance: the higher spender, weighted by its own threat, resents the lower one (burden
    sharing). ``shortfall_pair`` is the ally's shortfall against the guideline on US-ally
    pairs and 0 elsewhere. Coordination and intelligence sharing remove a share of tension.
    """
    threat, spending, pressure = np.asarray(threat), np.asarray(spending), np.asarray(pressure)
    grievance = threat[..., None] * np.maximum(0.0, spending[..., None] - others_spending) * armed_pair
    raised = (
        (1.0 - decay) * tension_row
        + grievance_weight * grievance
        + divergence_weight * divergence
        + pressure_weight * pressure[..., None] * shortfall_pair
        + disputes
    )
    return raised * (1.0 - coordination_effect * coordination_pair)


def symmetrize_tension(rows):
    """The matrix each ally wrote row by row, made symmetric (mean of both views), clipped to [0, 1], zero diagonal."""
    rows = np.asarray(rows, dtype=float)
    symmetric = np.clip(0.5 * (rows + np.swapaxes(rows, -1, -2)), 0.0, 1.0)
    n = symmetric.shape[-1]
    symmetric[..., np.arange(n), np.arange(n)] = 0.0
    return symmetric


def pair_coordination(coordination, hedging, pillar_coordination):
    """Coordination on each pair: the scenario's level, plus the European pillar's between two hedgers."""
    hedging = np.asarray(hedging, dtype=float)
    both = hedging[..., :, None] * hedging[..., None, :]
    return np.clip(np.asarray(coordination)[..., None, None] + pillar_coordination * both, 0.0, 1.0)


def tension_rest_point(additions, coordination_pair, decay, coordination_effect):
    """T* under steady inputs: solving T = [(1 - delta) T + a](1 - kappa c) gives a f / (1 - (1 - delta) f), f = 1 - kappa c."""
    keep = 1.0 - coordination_effect * coordination_pair
    return additions * keep / np.maximum(1.0 - (1.0 - decay) * keep, 1e-12)
