"""Alliance-level outputs: cohesion, connectivity, blocs, compliance and burden shares.

Pure functions on arrays with any leading shape (the last axis is the allies), so the Mesa
model and the batch engine report with the same code.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

#: Louvain's tie-breaking seed: fixed, so the bloc count is a function of the state alone.
LOUVAIN_SEED = 0
#: A partition counts as blocs only if its modularity is at least this; else the alliance is one bloc.
MIN_MODULARITY = 0.05


def alliance_weights(commitment, tension):
    """w_ij = sqrt(c_i c_j)(1 - T_ij): how strongly each pair holds together, zero diagonal."""
    c = np.asarray(commitment, dtype=float)
    weights = np.sqrt(c[..., :, None] * c[..., None, :]) * (1.0 - np.asarray(tension))
    n = weights.shape[-1]
    weights[..., np.arange(n), np.arange(n)] = 0.0
    return weights


def cohesion(weights):
    """Mean of w_ij over all pairs i < j, in [0, 1]."""
    n = weights.shape[-1]
    return np.sum(weights, axis=(-1, -2)) / (n * (n - 1))


def connectivity(weights):
    """Algebraic connectivity (Fiedler value) of the weighted graph divided by N; 1 for a complete graph of unit weights."""
    n = weights.shape[-1]
    laplacian = -weights.copy()
    laplacian[..., np.arange(n), np.arange(n)] = np.sum(weights, axis=-1)
    return np.linalg.eigvalsh(laplacian)[..., 1] / n


def blocs(weights, seed: int = LOUVAIN_SEED, min_modularity: float = MIN_MODULARITY) -> int:
    """Number of communities found by seeded Louvain on one weight matrix (1 if the best split is not modular)."""
    graph = nx.from_numpy_array(np.asarray(weights))
    if graph.size(weight="weight") <= 0:
        return graph.number_of_nodes()
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    if len(communities) > 1 and nx.community.modularity(graph, communities, weight="weight") < min_modularity:
        return 1
    return len(communities)


def count_at_or_above(spending, armed, level):
    """Allies with armed forces at or above a level (NaN level: 0)."""
    if level is None or not np.all(np.isfinite(level)):
        return np.zeros(np.shape(spending)[:-1], dtype=int)
    return np.sum((np.asarray(spending) >= np.asarray(level)[..., None]) & (np.asarray(armed) > 0), axis=-1)


def mean_over(values, mask):
    """Mean of values where mask is set, along the allies axis."""
    mask = np.asarray(mask, dtype=float)
    return np.sum(values * mask, axis=-1) / np.maximum(np.sum(mask, axis=-1), 1e-12)


def gdp_weighted(spending, gdp, mask):
    """Alliance spending as a share of GDP: sum of budgets over sum of GDP, where mask is set."""
    mask = np.asarray(mask, dtype=float)
    return np.sum(spending * gdp * mask, axis=-1) / np.maximum(np.sum(gdp * mask, axis=-1), 1e-12)


def mean_pair_tension(tension, mask_a, mask_b):
    """Mean tension over pairs (i in a, j in b, i != j)."""
    a = np.asarray(mask_a, dtype=float)
    b = np.asarray(mask_b, dtype=float)
    pairs = a[..., :, None] * b[..., None, :]
    n = pairs.shape[-1]
    pairs[..., np.arange(n), np.arange(n)] = 0.0
    return np.sum(tension * pairs, axis=(-1, -2)) / np.maximum(np.sum(pairs, axis=(-1, -2)), 1e-12)
