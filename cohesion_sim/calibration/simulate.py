"""Simulate many parameter sets at once on the batch engine, in chunks an executor can run anywhere.

A chunk is a plain function call (:func:`simulate_chunk`) on picklable arguments, so the same
code runs in this process, in a process pool or on Dask workers. Within a chunk all runs go
through one :func:`cohesion_sim.engine.run_batch` call: ABC never makes one model run per particle.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor

import numpy as np
from pydantic import ValidationError

from ..engine import run_batch
from ..scenario import Scenario
from .statistics import observed, summarize


def scenarios_for(base: Scenario, names: Sequence[str], thetas: np.ndarray) -> list[Scenario | None]:
    """One validated scenario per parameter row; None where a row breaks a scenario rule (trust_loss < trust_gain)."""
    data = base.model_dump()
    out: list[Scenario | None] = []
    for row in np.atleast_2d(thetas):
        values = {name: float(value) for name, value in zip(names, row)}
        for name in names:
            if isinstance(data[name], int) and not isinstance(data[name], bool):
                values[name] = int(round(values[name]))
        try:
            out.append(Scenario.model_validate({**data, **values}))
        except ValidationError:
            out.append(None)
    return out


def simulate_chunk(base: Scenario, names: Sequence[str], thetas: np.ndarray,
                   seeds: Sequence[int]) -> dict[str, np.ndarray]:  # fmt: skip
    """Summary statistics of one run per parameter row (name -> (k, width)); NaN rows for invalid parameter sets."""
    scenarios = scenarios_for(base, names, thetas)
    valid = [k for k, s in enumerate(scenarios) if s is not None]
    stats: dict[str, np.ndarray] = {}
    if valid:
        result = run_batch([scenarios[k] for k in valid], [int(seeds[k]) for k in valid], yearly=False, agents=True,
                           with_blocs=False)  # fmt: skip
        values = summarize(result.agents["spending"], result.years, observed(tuple(result.iso3)))
        for name, array in values.items():
            full = np.full((len(scenarios), array.shape[1]), np.nan)
            full[valid] = array
            stats[name] = full
    else:  # every row invalid: shapes from one run of the base
        probe = simulate_chunk(base, [], np.zeros((1, 0)), [0])
        stats = {name: np.full((len(scenarios), array.shape[1]), np.nan) for name, array in probe.items()}
    return stats


def simulate_many(executor: Executor, base: Scenario, names: Sequence[str], thetas: np.ndarray, seeds: Sequence[int],
                  chunk_size: int = 250) -> dict[str, np.ndarray]:  # fmt: skip
    """:func:`simulate_chunk` over all rows, in chunks on ``executor``; results in row order."""
    thetas = np.atleast_2d(np.asarray(thetas, dtype=float))
    starts = range(0, len(thetas), chunk_size)
    futures = [
        executor.submit(simulate_chunk, base, tuple(names), thetas[s : s + chunk_size], list(seeds[s : s + chunk_size]))
        for s in starts
    ]
    parts = [future.result() for future in futures]
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


__all__ = ["scenarios_for", "simulate_chunk", "simulate_many"]
