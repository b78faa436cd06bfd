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
#: Near-uniform cohesion graphs give at most about 0.015 in our runs; a clear two-camp split gives 0.04-0.2.
MIN_MODULARITY = 0.03


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
    weights = np.asarray(weights, dtype=float)
    total = np.sum(weights)
    if total <= 0:
        return weights.shape[-1]
    if modularity_bound(weights) < min_modularity - 1e-9:
        return 1  # no partition reaches min_modularity, so Louvain's answer would be 1 anyway
    graph = _weighted_graph(weights)
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    if len(communities) > 1 and nx.community.modularity(graph, communities, weight="weight") < min_modularity:
        return 1
    return len(communities)


def modularity_bound(weights):
    """An upper bound on the modularity of any partition: n * lambda_max(B) / 2m, B the modularity matrix.

    For a partition with indicator matrix S, Q = tr(S^T B S) / 2m, and the columns of S are
    orthogonal with squared norms summing to n. A cohesive alliance has a small bound, which
    spares :func:`blocs` its Louvain search (the slowest output of a run).
    """
    degree = np.sum(weights, axis=-1)
    two_m = np.sum(degree, axis=-1)
    modularity_matrix = weights - degree[..., :, None] * degree[..., None, :] / two_m[..., None, None]
    return weights.shape[-1] * np.linalg.eigvalsh(modularity_matrix)[..., -1] / two_m


def _weighted_graph(weights) -> nx.Graph:
    """The graph ``nx.from_numpy_array`` builds (same nodes, edges, weights and adjacency order), faster."""
    n = weights.shape[-1]
    rows, cols = np.triu_indices(n, k=1)
    values = weights[rows, cols]
    keep = values != 0
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(zip(rows[keep].tolist(), cols[keep].tolist(), values[keep].tolist()))
    return graph


def count_at_or_above(spending, armed, level):
    """Allies with armed forces at or above a level (NaN level: 0; per run when ``level`` has shape R)."""
    level = np.asarray(np.nan if level is None else level, dtype=float)
    finite = np.isfinite(level)
    at_or_above = np.asarray(spending) >= np.where(finite, level, np.inf)[..., None]
    return np.where(finite, np.sum(at_or_above & (np.asarray(armed) > 0), axis=-1), 0)


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


def state_metrics(spending, commitment, gdp, status, tension, path_start, exempt, level, adopted, deadline, year,
                  armed, us_mask, is_europe):  # fmt: skip
    """Every model reporter computed from the state alone (not blocs), for one run or R runs at once.

    Ally arrays have shape R + (N,), the tension matrix R + (N, N); ``level``, ``adopted`` and
    ``deadline`` (the guideline in force, NaN if none) have shape R. Returns arrays of shape R.
    The Mesa model and the batch engine both report through this function.
    """
    from .rules import DISENGAGED, HEDGING, guideline_path

    members = 1.0 - us_mask
    weights = alliance_weights(commitment, tension)
    level = np.asarray(level, dtype=float)
    has_guideline = np.isfinite(level)
    path = guideline_path(
        path_start, np.where(has_guideline, level, 0.0)[..., None], np.where(has_guideline, adopted, 0)[..., None],
        np.where(has_guideline, deadline, 0)[..., None], year,
    )  # fmt: skip
    bound = armed * members * (1.0 - exempt)
    gap = np.where(has_guideline, mean_over(np.maximum(0.0, path - spending), bound), 0.0)
    budgets = spending * gdp
    return {
        "weights": weights,
        "cohesion": cohesion(weights),
        "connectivity": connectivity(weights),
        "allies_at_2pct": count_at_or_above(spending, armed, 2.0),
        "allies_at_guideline": count_at_or_above(spending, armed, level),
        "mean_spending": mean_over(spending, armed * members),
        "gdp_weighted_spending": gdp_weighted(spending, gdp, armed * members),
        "european_share": np.sum(budgets * is_europe, axis=-1) / np.sum(budgets, axis=-1),
        "declaration_gap": gap,
        "hedging": np.sum(status == HEDGING, axis=-1),
        "disengaged": np.sum(status == DISENGAGED, axis=-1),
        "us_tension": mean_pair_tension(tension, us_mask, members),
        "european_tension": mean_pair_tension(tension, is_europe, is_europe),
    }
