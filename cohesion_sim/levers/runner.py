"""Running every package in every future on the batch engine, resumably, into a sweep-style folder.

The folder has the sweep layout (:mod:`cohesion_sim.sweeps.storage`): ``manifest.json``,
``design.parquet`` (here: the futures table) and one Parquet part per chunk under ``runs/``.
A chunk is a block of futures with every package and replicate in it, so a finished chunk
holds complete comparisons. Run ``(future f, package p, replicate k)`` has index
``(f * P + p) * K + k`` and seed ``SeedSequence(seed, spawn_key=(f, k))``: every package meets
the same noise in the same future (common random numbers), so regret compares like with like.
"""

from __future__ import annotations

import contextlib
import sys
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..sweeps.backends import drive_chunks
from ..sweeps.seeds import run_seed
from ..sweeps.storage import FORMAT_VERSION, SweepStore, describe_inputs, package_versions
from .futures import FACTORS, future_overrides, sample_futures
from .outcomes import OUTCOME_NAMES, needs_agents, outcome_values
from .packages import Package, build_packages
from .spec import (
    ANALYSIS_ONLY, LeversSpec, base_scenario, load_levers_spec, load_posterior, posterior_digest, posterior_file,
    spec_hash,
)  # fmt: skip


def result_inputs(spec: LeversSpec, base) -> dict[str, dict]:
    """Checksums of everything the runs depend on (the sweep manifest's ``inputs``), the posterior file included."""
    from .. import __version__
    from ..dataset import DATA_DIR

    files = {f"data cohesion_sim/data/{path.name}": path for path in sorted(DATA_DIR.glob("*.csv"))}
    if base.data_file:
        files["data_file"] = Path(base.data_file).resolve()
    posterior = posterior_file(spec.posterior)
    if posterior is not None:
        files["posterior"] = posterior
    runs = {k: v for k, v in spec.to_json().items() if k not in ANALYSIS_ONLY}
    return describe_inputs(runs, base.model_dump(mode="json"), files, __version__)


def dated_levers_supported(base) -> bool:
    """Whether this model accepts levers as dated schedules (``coordination: {kind: step, ...}``)."""
    from ..scenario_files import ScenarioError, load_scenario

    step = {"kind": "step", "before": 0.2, "level": 0.7, "year": base.start_year + 1}
    try:
        load_scenario(base, coordination=step)
    except ScenarioError:
        return False
    return True


@dataclass
class LeversTask:
    """What a worker needs to run one chunk (small and picklable)."""

    chunk: int
    base: dict[str, Any]
    packages: list[dict[str, Any]]  # overrides of each package
    futures: dict[int, dict[str, Any]]  # future -> overrides
    replicates: int
    seed: int


@dataclass
class LeversPlan:
    """A validated spec with its base scenario, packages, futures table, sizes and manifest."""

    spec: LeversSpec
    base: Any
    packages: list[Package]
    futures: Any  # DataFrame
    posterior: Any
    dated: bool
    manifest: dict[str, Any]

    @property
    def n_futures(self) -> int:
        return len(self.futures)

    @property
    def runs_per_future(self) -> int:
        return len(self.packages) * self.spec.replicates

    @property
    def n_runs(self) -> int:
        return self.n_futures * self.runs_per_future

    @property
    def n_chunks(self) -> int:
        return -(-self.n_futures // self.spec.chunk_futures)

    def chunk_futures(self, chunk: int) -> range:
        size = self.spec.chunk_futures
        return range(chunk * size, min((chunk + 1) * size, self.n_futures))

    def task(self, chunk: int) -> LeversTask:
        rows = self.futures.set_index("future")
        futures = {f: future_overrides(rows.loc[f].to_dict(), self.base, self.posterior)
                   for f in self.chunk_futures(chunk)}  # fmt: skip
        return LeversTask(chunk=chunk, base=self.base.model_dump(mode="json"),
                          packages=[p.overrides for p in self.packages], futures=futures,
                          replicates=self.spec.replicates, seed=self.spec.seed)  # fmt: skip


def plan_levers(spec: str | Path | dict | LeversSpec | None = None, *, futures: int | None = None,
                replicates: int | None = None, seed: int | None = None,
                posterior: str | None = None) -> LeversPlan:  # fmt: skip
    """Validate the spec (with any command-line overrides) and lay out packages, futures and chunks."""
    spec = load_levers_spec(spec, posterior)
    changes = {k: v for k, v in (("futures", futures), ("replicates", replicates), ("seed", seed)) if v is not None}
    if changes:
        from .spec import spec_from_dict

        spec = spec_from_dict({**spec.to_json(), **changes}, "<levers spec with command-line options>")
    base = base_scenario(spec)
    dated = dated_levers_supported(base)
    packages = build_packages(base, on_levels=spec.levers.model_dump(), start_year=spec.start_year, dated=dated,
                              extra=spec.packages)  # fmt: skip
    post = load_posterior(spec.posterior, base)
    table = sample_futures(spec.ranges, spec.futures, seed=spec.seed, method=spec.design, posterior=post)
    plan = LeversPlan(spec, base, packages, table, post, dated, {})
    lever_years = spec.start_year if spec.start_year and spec.start_year > base.start_year else base.start_year
    plan.manifest = {
        "format": FORMAT_VERSION,  # the sweep folder layout (cohesion_sim.sweeps.storage)
        "kind": "levers",
        "spec": spec.to_json(),
        "spec_hash": spec_hash(spec, dated),
        "seed_root": spec.seed,
        "parameters": [*FACTORS, *(["posterior_draw"] if post is not None else [])],
        "design": {"method": spec.design, "futures": plan.n_futures},
        "seeding": "numpy SeedSequence(seed_root, spawn_key=(future, replicate)) -> 63-bit int; "
        "the same seed for every package in a future (common random numbers)",
        "run_index": "(future * n_packages + package) * replicates + replicate",
        "base_scenario": base.model_dump(mode="json"),
        "packages": [p.to_json() for p in packages],
        "levers_from": lever_years if dated else base.start_year,
        "dated_levers": dated,
        "outcomes": list(OUTCOME_NAMES),
        "posterior": None if post is None else {"source": spec.posterior, "path": post.source,
                                                "sha256": posterior_digest(spec.posterior)},
        "n_futures": plan.n_futures,
        "n_packages": len(packages),
        "replicates": spec.replicates,
        "n_runs": plan.n_runs,
        "n_chunks": plan.n_chunks,
        "versions": package_versions(),
        "inputs": result_inputs(spec, base),
    }
    return plan


# ---------------------------------------------------------------------------- one chunk (in a worker)
def combine(package_scenario, future_scenario, fields) -> Any:
    """The package's scenario with the future's (validated) values of ``fields`` copied in.

    Both inputs were validated by ``load_scenario``; a lever field and a future field never
    overlap, so the copy (which skips validation for speed) is the scenario ``load_scenario``
    would give for both sets of overrides (``tests/test_levers_runs.py`` checks it).
    """
    return package_scenario.model_copy(update={name: getattr(future_scenario, name) for name in fields})


def _run_engine(scenarios, seeds):
    """Run the batch; returns (BatchResult, final per-ally spending (R, N) or None).

    Keeping the agent reporters every year costs about half the run time (the engine then
    measures every year, blocs included), and the outcomes need only the final year's per-ally
    spending: it is read from the engine's state when the engine exposes it, and from the
    agent reporters otherwise.
    """
    from ..engine import run_batch

    if not needs_agents():
        return run_batch(scenarios, seeds, with_blocs=True), None
    try:
        from ..engine import BatchEngine

        engine = BatchEngine(scenarios, seeds, with_blocs=True)
        result = engine.run()
        spending = getattr(engine, "spending", None)  # the engine's state: on the engine, or in engine.state
        if spending is None:
            spending = getattr(getattr(engine, "state", None), "spending", None)
        if isinstance(spending, np.ndarray) and spending.shape == (len(seeds), len(result.iso3)):
            return result, spending
    except ImportError:
        pass
    return run_batch(scenarios, seeds, agents=True, with_blocs=True), None


def run_levers_chunk(task: LeversTask):
    """Run one chunk (its futures x every package x replicates) on the engine; returns the runs table."""
    import pandas as pd

    from ..dataset import load_allies
    from ..scenario_files import load_scenario, validate_scenario

    base = validate_scenario(task.base, "<levers base scenario>")
    by_package = [load_scenario(base, **overrides) if overrides else base for overrides in task.packages]
    n_packages, k_count = len(task.packages), task.replicates
    scenarios, seeds, index = [], [], {"run": [], "future": [], "package": [], "replicate": [], "seed": []}
    for future, overrides in task.futures.items():
        future_scenario = load_scenario(base, **overrides)
        for p, package_scenario in enumerate(by_package):
            scenario = combine(package_scenario, future_scenario, overrides)
            for k in range(k_count):
                seed = run_seed(task.seed, future, k)
                scenarios.append(scenario)
                seeds.append(seed)
                for name, value in (("run", (future * n_packages + p) * k_count + k), ("future", future),
                                    ("package", p), ("replicate", k), ("seed", seed)):  # fmt: skip
                    index[name].append(value)
    result, final_spending = _run_engine(scenarios, seeds)
    armed = {ally.iso3: ally.has_armed_forces for ally in load_allies(base.data_file)}
    values = outcome_values(result, armed=np.array([armed[c] for c in result.iso3]), us_index=result.iso3.index("USA"),
                            final_spending=final_spending)  # fmt: skip
    table = pd.DataFrame({name: np.asarray(column, dtype=np.int64) for name, column in index.items()})
    for name in OUTCOME_NAMES:
        table[name] = values[name]
    table["min_cohesion"] = np.asarray(result.final["min_cohesion"], dtype=float)
    return table


# ---------------------------------------------------------------------------- the whole analysis
@dataclass
class LeversRun:
    """What :func:`run_levers` did."""

    out: Path
    n_runs: int
    runs_done: int
    chunks_done: int
    chunks_skipped: int
    seconds: float

    @property
    def runs_per_second(self) -> float:
        return self.runs_done / self.seconds if self.seconds > 0 else float("nan")


def run_levers(spec: str | Path | dict | LeversSpec | None = None, out: str | Path = "levers", *,
               executor: Executor | None = None, resume: bool = False, backend: str = "serial",
               workers: int | None = None, scheduler: str | None = None, progress: bool = True,
               futures: int | None = None, replicates: int | None = None, seed: int | None = None,
               posterior: str | None = None) -> LeversRun:  # fmt: skip
    """Run every package in every future into the folder ``out`` (resumable); see :func:`evaluate_levers`."""
    from ..sweeps.backends import default_workers, make_executor

    plan = plan_levers(spec, futures=futures, replicates=replicates, seed=seed, posterior=posterior)
    store = SweepStore(out)
    store.check(plan.manifest, resume)  # refusals before anything is written or started
    start = time.perf_counter()
    with contextlib.ExitStack() as stack:
        stack.enter_context(store.lock())  # one writer per folder
        finished = store.prepare(plan.manifest, resume)
        stack.callback(store.clean_temporary)
        store.write_design(plan.futures)
        pending = [c for c in range(plan.n_chunks) if c not in finished]
        done = sum(len(plan.chunk_futures(c)) for c in finished) * plan.runs_per_future
        if executor is None:
            executor = stack.enter_context(make_executor(backend, workers, scheduler))
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=plan.n_runs, initial=done, unit="run", desc="lever packages", file=sys.stderr,
                       dynamic_ncols=True, smoothing=0.1)  # fmt: skip
            stack.callback(bar.close)
        parallel = workers or getattr(executor, "_max_workers", None) or default_workers()
        written = _drive(executor, plan, store, pending, bar, 2 * parallel)
        store.finalize()
    return LeversRun(store.root, plan.n_runs, written, len(pending), len(finished), time.perf_counter() - start)


def _drive(executor: Executor, plan: LeversPlan, store: SweepStore, pending: list[int], bar, limit: int) -> int:
    """Run the pending chunks; the parent writes each as it lands."""

    def write(chunk: int, runs) -> int:
        store.write_chunk(chunk, runs)
        return len(runs)

    return drive_chunks(executor, run_levers_chunk, plan.task, pending, write, bar, limit)


def evaluate_levers(spec: str | Path | dict | LeversSpec | None = None, out: str | Path = "levers", *,
                    plots: bool = True, **options):  # fmt: skip
    """Run the analysis (or finish it with ``resume=True``) and write its report; returns a :class:`LeversReport`.

    Args:
        spec: a YAML path, a mapping, a :class:`LeversSpec`, or None for the default analysis
            (16 packages x 500 futures x 2 replicates on the baseline scenario).
        out: the results folder.
        plots: draw the heatmap and the regret bars.
        options: ``threshold`` (the cohesion a package must keep; analysis only, so a finished folder
            can be re-analysed with another), and what :func:`run_levers` takes (``resume``, ``backend``,
            ``workers``, ``futures``, ``replicates``, ``seed``, ``posterior``, ``progress``, ``executor``...).
    """
    from .report import analyze_levers

    spec = load_levers_spec(spec, options.get("posterior"))
    if options.get("threshold") is not None:
        spec = spec.model_copy(update={"threshold": options.pop("threshold")})
    options.pop("threshold", None)
    run = run_levers(spec, out, **options)
    report = analyze_levers(out, plots=plots, threshold=spec.threshold)
    report.run = run
    return report


__all__ = ["LeversPlan", "LeversRun", "LeversTask", "combine", "dated_levers_supported", "evaluate_levers",
           "plan_levers", "run_levers", "run_levers_chunk"]  # fmt: skip
