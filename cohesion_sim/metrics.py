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
    laplacian = np.negative(weights)
    laplacian[..., np.arange(n), np.arange(n)] = np.sum(weights, axis=-1)
    return np.linalg.eigvalsh(laplacian)[..., 1] / n


def blocs(weights, seed: int = LOUVAIN_SEED, min_modularity: float = MIN_MODULARITY, engaged=None) -> tuple[int, float]:
    """(number of communities, modularity) of seeded Louvain on the graph of *engaged* allies (one run).

    ``engaged`` masks the nodes that take part (members that are not disengaged); disengaged allies
    are counted apart (the ``disengaged`` reporter), never as blocs of their own. One bloc, with
    modularity 0, if the best split is not modular or fewer than two engaged allies are linked.
    """
    weights = np.asarray(weights, dtype=float)
    if engaged is not None:
        keep = np.flatnonzero(np.asarray(engaged) > 0)
        weights = weights[np.ix_(keep, keep)]
    if weights.shape[-1] < 2 or np.sum(weights) <= 0:
        return 1, 0.0
    if modularity_bound(weights) < min_modularity - 1e-9:
        return 1, 0.0  # no partition reaches min_modularity, so Louvain's answer would be 1 anyway
    graph = _weighted_graph(weights)
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    quality = nx.community.modularity(graph, communities, weight="weight") if len(communities) > 1 else 0.0
    if len(communities) > 1 and quality < min_modularity:
        return 1, 0.0
    return len(communities), float(quality)


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


def pair_weights(*, transatlantic, european, vacuum, tension, us_mask, member):
    """w_ij = sqrt(c_i c_j)(1 - T_ij) with the commitment each pair rests on (Snyder's two commitments).

    Between two allies other than the US: their commitments to European allies (and Canada);
    on a pair with the US: the ally's transatlantic commitment and the US's 1 - v. Pairs with a
    non-member are 0. Shapes: R + (N,) for commitments, R for ``vacuum``, (N,) masks.
    """
    us = int(np.flatnonzero(np.asarray(us_mask) > 0)[0])
    # sqrt(c_i c_j) = sqrt(c_i) sqrt(c_j): one outer product of square roots instead of N^2 square roots
    ce = np.sqrt(np.array(european, dtype=float))
    ca = np.sqrt(np.array(transatlantic, dtype=float))
    ce[..., us] = ca[..., us] = np.sqrt(1.0 - np.asarray(vacuum))
    member = np.asarray(member, dtype=float)
    ce *= member
    ca *= member
    weights = ce[..., :, None] * ce[..., None, :]
    weights[..., us, :] = ca * ca[..., us, None]
    weights[..., :, us] = ca * ca[..., us, None]
    weights *= 1.0 - np.asarray(tension)
    n = weights.shape[-1]
    weights[..., np.arange(n), np.arange(n)] = 0.0
    return weights


def sub_cohesion(weights, mask):
    """Mean of w_ij over pairs of allies in ``mask`` ((N,) mask shared by all runs)."""
    mask = np.asarray(mask) > 0
    if mask.all():
        return cohesion(weights)
    keep = np.flatnonzero(mask)
    return cohesion(weights[..., keep[:, None], keep[None, :]]) if len(keep) > 1 else np.zeros(weights.shape[:-2])


def sub_connectivity(weights, mask):
    """Normalised algebraic connectivity of the graph restricted to ``mask`` ((N,) mask shared by all runs)."""
    keep = np.flatnonzero(np.asarray(mask) > 0)
    return connectivity(weights[..., keep[:, None], keep[None, :]]) if len(keep) > 2 else np.zeros(weights.shape[:-2])


def state_metrics(
    *, spending, transatlantic, european, vacuum, gdp, status, tension, path_start, exempt, level, adopted, deadline,
    year, armed, us_mask, is_europe, member, us_europe_budget,
):  # fmt: skip
    """Every model reporter computed from the state alone (not blocs), for R runs at once.

    Ally arrays have shape R + (N,), the tension matrix R + (N, N); ``level``, ``adopted``,
    ``deadline``, ``vacuum`` and ``us_europe_budget`` (the US defence effort for Europe, US$ bn)
    have shape R; ``member`` (N,) marks this year's members. Returns arrays of shape R.
    """
    from .rules import DISENGAGED, HEDGING, guideline_path

    member = np.asarray(member, dtype=float)
    others = (1.0 - us_mask) * member
    weights = pair_weights(transatlantic=transatlantic, european=european, vacuum=vacuum, tension=tension, us_mask=us_mask, member=member)
    level = np.asarray(level, dtype=float)
    has_guideline = np.isfinite(level)
    path = guideline_path(
        path_start, np.where(has_guideline, level, 0.0)[..., None], np.where(has_guideline, adopted, 0)[..., None],
        np.where(has_guideline, deadline, 0)[..., None], year,
    )  # fmt: skip
    bound = armed * others * (1.0 - exempt)
    gap = np.where(has_guideline, mean_over(np.maximum(0.0, path - spending), bound), 0.0)
    budgets = spending / 100.0 * gdp
    effort = np.sum(budgets * others, axis=-1)
    return {
        "weights": weights,
        "cohesion": sub_cohesion(weights, member),
        "cohesion_europe": sub_cohesion(weights, others),
        "connectivity": sub_connectivity(weights, member),
        "connectivity_europe": sub_connectivity(weights, others),
        "allies_at_2pct": count_at_or_above(spending, armed * member, 2.0),
        "allies_at_guideline": count_at_or_above(spending, armed * member, level),
        "mean_spending": mean_over(spending, armed * others),
        "gdp_weighted_spending": gdp_weighted(spending, gdp, armed * others),
        "european_spending": mean_over(spending, armed * others * is_europe),
        "european_effort": effort,
        "european_share": effort / np.maximum(effort + us_europe_budget, 1e-12),
        "declaration_gap": gap,
        "hedging": np.sum((status == HEDGING) * others, axis=-1),
        "disengaged": np.sum((status == DISENGAGED) * others, axis=-1),
        "us_tension": mean_pair_tension(tension, us_mask, others),
        "european_tension": mean_pair_tension(tension, is_europe * member, is_europe * member),
    }
