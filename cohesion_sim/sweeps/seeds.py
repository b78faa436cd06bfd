"""Seeds: one root, one independent stream per run, through numpy's SeedSequence.

Run (point p, replicate k) gets ``SeedSequence(root, spawn_key=(p, k))``; with common random
numbers, ``spawn_key=(k,)``, so every point's replicate k sees the same noise. The result is
a plain non-negative integer (63 bits): ``AllianceModel(scenario, rng=seed)`` re-runs the run
alone in the Mesa model.
"""

from __future__ import annotations

import numpy as np


def run_seed(root: int, point: int, replicate: int, common_random_numbers: bool = False) -> int:
    """The seed of one run."""
    key = (replicate,) if common_random_numbers else (point, replicate)
    state = np.random.SeedSequence(root, spawn_key=key).generate_state(1, dtype=np.uint64)[0]
    return int(state >> np.uint64(1))


def run_seeds(root: int, points, replicates, common_random_numbers: bool = False) -> np.ndarray:
    """Seeds of many runs (int64 array), one per (point, replicate) pair."""
    return np.array(
        [run_seed(root, int(p), int(k), common_random_numbers) for p, k in zip(points, replicates)], dtype=np.int64
    )


__all__ = ["run_seed", "run_seeds"]
