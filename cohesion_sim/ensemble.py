"""Ensembles: N runs of a scenario on the batch engine, each with its own posterior draw and its own seed.

Parameter uncertainty (which constants are right) enters through the posterior: run ``r``
takes a draw resampled by weight from it (the shipped default unless told otherwise);
budget noise and policy noise enter through the run's own seed. Both come from one root seed
through numpy's ``SeedSequence``: draw indices from ``spawn_key=(0,)``, run ``r``'s engine seed
from ``spawn_key=(1, r)``. The same root seed gives the same numbers on any executor.

No I/O beyond reading the posterior, no plotting: the CLI and :mod:`cohesion_sim.fan_charts`
write the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .engine import SUMMIT_NAMES, run_batch
from .reporters import AGENT_REPORTERS, MODEL_REPORTERS
from .scenario import Scenario
from .scenario_files import ScenarioError, load_scenario

STATUS_NAMES = {0: "aligned", 1: "hedging", 2: "disengaged"}


@dataclass
class Ensemble:
    """``model``: run, year and every model reporter; ``agents``: run, year, iso3 and every agent reporter;
    ``runs``: run, seed and the constants each run used."""

    model: pd.DataFrame
    agents: pd.DataFrame
    runs: pd.DataFrame


def run_seed(root: int, run: int) -> int:
    """Engine seed of run ``run`` (a non-negative 63-bit integer)."""
    state = np.random.SeedSequence(root, spawn_key=(1, run)).generate_state(1, dtype=np.uint64)[0]
    return int(state >> np.uint64(1))


def plan_runs(scenario: Scenario, runs: int, posterior, seed: int) -> tuple[list[Scenario], list[int], pd.DataFrame]:
    """The scenario and seed of every run, and a table of what each run used."""
    if runs < 1:
        raise ScenarioError(f"--runs must be at least 1, got {runs}")
    if seed < 0:
        raise ScenarioError(f"--seed must be a non-negative integer, got {seed}")
    seeds = [run_seed(seed, r) for r in range(runs)]
    table = pd.DataFrame({"run": np.arange(runs), "seed": np.array(seeds, dtype=np.int64)})
    if posterior is None:
        return [scenario] * runs, seeds, table
    draws = posterior.sample(runs, np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,))))
    base = scenario.model_dump()
    scenarios = []
    for _, row in draws.iterrows():
        values = {name: (int(round(v)) if isinstance(base[name], int) else float(v)) for name, v in row.items()}
        try:
            scenarios.append(Scenario.model_validate({**base, **values}))
        except Exception as exc:  # noqa: BLE001 - a draw that breaks a scenario rule is the posterior's fault
            raise ScenarioError(f"{posterior.source}: a draw is not a valid scenario: {exc}".splitlines()[0]) from None
    for name in posterior.names:
        table[name] = draws[name].to_numpy()
    return scenarios, seeds, table


def _run_chunk(scenarios: Sequence[Scenario], seeds: Sequence[int], with_blocs: bool):
    result = run_batch(list(scenarios), list(seeds), yearly=True, agents=True, with_blocs=with_blocs)
    return result.years, result.iso3, result.yearly, result.agents


def run_ensemble(scenario: str | Scenario = "baseline", runs: int = 100, *, posterior="default", seed: int = 0,
                 executor: Executor | None = None, chunk_size: int = 100, with_blocs: bool = True,
                 progress: bool = False, **overrides) -> Ensemble:  # fmt: skip
    """Run ``runs`` copies of ``scenario``, each with a posterior draw (``posterior``: "default", "none", a
    :class:`~cohesion_sim.calibration.posterior.Posterior`, a file or a calibration folder) and its own seed.

    ``executor`` (any ``concurrent.futures.Executor``) runs chunks of ``chunk_size`` runs; default: this process.
    """
    from .calibration.posterior import load_posterior

    base = load_scenario(scenario, **overrides)
    scenarios, seeds, table = plan_runs(base, runs, load_posterior(posterior), seed)
    starts = list(range(0, runs, chunk_size))
    if executor is None:
        from .sweeps.backends import SerialExecutor

        executor = SerialExecutor()
    futures = [executor.submit(_run_chunk, scenarios[s : s + chunk_size], seeds[s : s + chunk_size], with_blocs)
               for s in starts]  # fmt: skip
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(futures, desc="ensemble", unit="chunk")
    else:
        iterator = futures
    parts = [future.result() for future in iterator]
    years, iso3 = parts[0][0], parts[0][1]
    yearly = {name: np.concatenate([p[2][name] for p in parts]) for name in parts[0][2]}
    agents = {name: np.concatenate([p[3][name] for p in parts]) for name in parts[0][3]}
    return Ensemble(model=_model_frame(yearly, years), agents=_agent_frame(agents, years, iso3), runs=table)


def _model_frame(yearly: dict[str, np.ndarray], years: np.ndarray) -> pd.DataFrame:
    n_runs, n_years = yearly["year"].shape
    frame = pd.DataFrame({"run": np.repeat(np.arange(n_runs), n_years), "year": np.tile(years, n_runs)})
    for name in MODEL_REPORTERS:
        if name == "year":
            continue
        values = yearly[name].reshape(-1)
        if name == "summit":
            values = pd.Categorical([SUMMIT_NAMES[int(v)] for v in values], categories=list(SUMMIT_NAMES.values()))
        elif MODEL_REPORTERS[name].kind == "int":
            values = values.astype(np.int64)
        frame[name] = values
    return frame


def _agent_frame(agents: dict[str, np.ndarray], years: np.ndarray, iso3: Sequence[str]) -> pd.DataFrame:
    n_runs, n_years, n = agents["spending"].shape
    frame = pd.DataFrame({
        "run": np.repeat(np.arange(n_runs), n_years * n),
        "year": np.tile(np.repeat(years, n), n_runs),
        "iso3": pd.Categorical(np.tile(np.asarray(iso3), n_runs * n_years), categories=list(iso3)),
    })  # fmt: skip
    for name in AGENT_REPORTERS:
        if name == "iso3":
            continue
        values = agents[name].reshape(-1)
        if name == "status":
            values = pd.Categorical([STATUS_NAMES[int(v)] for v in values], categories=list(STATUS_NAMES.values()))
        elif name == "meets_guideline":
            values = values.astype(bool)
        frame[name] = values
    return frame


__all__ = ["Ensemble", "plan_runs", "run_ensemble", "run_seed"]
