"""Running a sweep: plan the points and seeds, send chunks to an executor, write each chunk as it lands.

The parent process is the only writer: workers get a small :class:`ChunkTask` (the base
scenario, the chunk's points and seeds) and return DataFrames; the parent writes them
atomically (:mod:`.storage`) and moves the progress bar. Same spec, same numbers, whatever
the backend and the number of workers.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .backends import drive_chunks
from .design import DEFAULT_MAX_RUNS, PointDesign, build_design
from .seeds import run_seeds
from .spec import SweepSpec, base_scenario, load_spec, spec_hash
from .storage import SweepStore, describe_inputs, package_versions


class SweepTerminated(KeyboardInterrupt):
    """The sweep got SIGTERM (``timeout``, Slurm, Docker): it stops like after Ctrl+C, its folder clean."""


@dataclass
class ChunkTask:
    """Everything a worker needs to run one chunk (small and picklable)."""

    chunk: int
    base: dict[str, Any]  # the resolved base scenario
    names: tuple[str, ...]
    runs: list[int]  # global run index: point * replicates + replicate
    points: list[int]  # point of each run
    replicates: list[int]
    seeds: list[int]
    overrides: dict[int, dict[str, Any]]  # point -> parameter values
    metrics: tuple[str, ...]
    yearly: bool


@dataclass
class SweepPlan:
    """A validated spec with its base scenario, design, sizes and manifest."""

    spec: SweepSpec
    design: PointDesign
    base: Any
    n_runs: int
    n_chunks: int
    manifest: dict[str, Any]

    def chunk_runs(self, chunk: int) -> range:
        size = self.spec.chunk_size
        return range(chunk * size, min((chunk + 1) * size, self.n_runs))

    def task(self, chunk: int) -> ChunkTask:
        runs = np.arange(self.chunk_runs(chunk).start, self.chunk_runs(chunk).stop)
        points, replicates = runs // self.spec.replicates, runs % self.spec.replicates
        seeds = run_seeds(self.spec.seed, points, replicates, self.spec.common_random_numbers)
        return ChunkTask(
            chunk=chunk,
            runs=runs.tolist(),
            base=self.base.model_dump(mode="json"),
            names=self.design.names,
            points=points.tolist(),
            replicates=replicates.tolist(),
            seeds=seeds.tolist(),
            overrides={int(p): self.design.point(int(p)) for p in np.unique(points)},
            metrics=self.spec.outputs.final_metrics,
            yearly=self.spec.outputs.yearly,
        )

    def design_frame(self):
        import pandas as pd

        frame = pd.DataFrame({"point": np.arange(self.design.n_points)})
        for k, name in enumerate(self.design.names):
            frame[name] = self.design.values[name]
            frame[f"unit:{name}"] = self.design.unit[:, k]
        return frame


def plan_sweep(spec: str | Path | dict | SweepSpec, *, max_runs: int | None = None) -> SweepPlan:
    """Validate the spec and lay out its points, runs and chunks (nothing runs yet); refuse more than ``max_runs`` runs."""
    spec = load_spec(spec)
    design = build_design(spec, max_runs=max_runs)
    base = base_scenario(spec)
    n_runs = design.n_points * spec.replicates
    n_chunks = -(-n_runs // spec.chunk_size)
    manifest = {
        "format": 2,
        "spec": spec.to_json(),
        "spec_hash": spec_hash(spec),
        "seed_root": spec.seed,
        "seeding": "numpy SeedSequence(seed_root, spawn_key=(point, replicate)) -> 63-bit int"
        + (" ; common random numbers: spawn_key=(replicate,)" if spec.common_random_numbers else ""),
        "base_scenario": base.model_dump(mode="json"),
        "parameters": list(design.names),
        "design": {"method": spec.design.method, "points": design.n_points, "problem": design.problem},
        "replicates": spec.replicates,
        "n_points": design.n_points,
        "n_runs": n_runs,
        "chunk_size": spec.chunk_size,
        "n_chunks": n_chunks,
        "versions": package_versions(),
        "inputs": result_inputs(spec, base),
    }
    return SweepPlan(spec, design, base, n_runs, n_chunks, manifest)


def result_inputs(spec: SweepSpec, base) -> dict[str, dict]:
    """Checksums of everything the results depend on: spec, base scenario, data files' contents, version."""
    from .. import __version__
    from ..dataset import DATA_DIR

    files = {f"data cohesion_sim/data/{path.name}": path for path in sorted(DATA_DIR.glob("*.csv"))}
    if base.data_file:  # the scenario's own allies table
        files["data_file"] = Path(base.data_file).resolve()
    return describe_inputs(spec.to_json(), base.model_dump(mode="json"), files, __version__)


# ---------------------------------------------------------------------------- one chunk (in a worker)
def run_chunk(task: ChunkTask):
    """Run one chunk on the batch engine; returns (runs table, yearly table or None)."""
    import pandas as pd

    from ..engine import SUMMIT_NAMES, BatchEngine
    from ..scenario_files import load_scenario, validate_scenario

    base = validate_scenario(task.base, "<sweep base scenario>")
    scenarios = {p: load_scenario(base, **values) for p, values in task.overrides.items()}
    runs = [scenarios[p] for p in task.points]
    # runs that simulate different years cannot share a batch: group them
    frames: dict[tuple, list[int]] = {}
    for k, s in enumerate(runs):
        frames.setdefault((s.start_year, s.end_year, s.resolved_data_year, s.data_file), []).append(k)
    n = len(runs)
    columns: dict[str, Any] = {
        "run": np.array(task.runs, dtype=np.int64),
        "point": np.array(task.points, dtype=np.int64),
        "replicate": np.array(task.replicates, dtype=np.int32),
        "seed": np.array(task.seeds, dtype=np.int64),
    }
    for name in task.names:
        columns[name] = [task.overrides[p][name] for p in task.points]
    outputs: dict[str, np.ndarray] = {}
    yearly_frames = []
    for indices in frames.values():
        engine = BatchEngine([runs[k] for k in indices], [task.seeds[k] for k in indices], yearly=task.yearly,
                             with_blocs="blocs" in task.metrics or task.yearly)  # fmt: skip
        result = engine.run()
        for name in task.metrics:
            values = result.final[name]
            outputs.setdefault(name, np.empty(n, dtype=values.dtype))[indices] = values
        if task.yearly:
            years = result.years
            frame = {"run": np.repeat([task.runs[k] for k in indices], len(years)).astype(np.int64),
                     "point": np.repeat([task.points[k] for k in indices], len(years)),
                     "replicate": np.repeat([task.replicates[k] for k in indices], len(years)),
                     "seed": np.repeat([task.seeds[k] for k in indices], len(years)).astype(np.int64)}  # fmt: skip
            for name, values in result.yearly.items():
                frame[name] = values.reshape(-1)
            yearly_frames.append(pd.DataFrame(frame))
    table = pd.DataFrame(columns)
    for name in task.metrics:
        values = outputs[name]
        table[name] = [SUMMIT_NAMES[int(v)] for v in values] if name == "summit" else values
    yearly = None
    if task.yearly:
        yearly = pd.concat(yearly_frames, ignore_index=True)
        yearly["summit"] = [SUMMIT_NAMES[int(v)] for v in yearly["summit"]]
        yearly["year"] = yearly["year"].astype(np.int32)
    return table, yearly


# ---------------------------------------------------------------------------- the whole sweep
@dataclass
class SweepSummary:
    """What :func:`run_sweep` did."""

    out: Path
    n_runs: int
    runs_done: int
    chunks_done: int
    chunks_skipped: int
    seconds: float

    @property
    def runs_per_second(self) -> float:
        return self.runs_done / self.seconds if self.seconds > 0 else float("nan")


def run_sweep(spec: str | Path | dict | SweepSpec, out: str | Path, executor: Executor | None = None, *,
              resume: bool = False, backend: str = "serial", workers: int | None = None,
              scheduler: str | None = None, progress: bool = True, max_in_flight: int | None = None,
              max_runs: int | None = DEFAULT_MAX_RUNS) -> SweepSummary:  # fmt: skip
    """Run a sweep into the folder ``out``; returns a :class:`SweepSummary`.

    Args:
        spec: a YAML path, a mapping or a :class:`~cohesion_sim.sweeps.spec.SweepSpec`.
        out: the results folder (created; refused if it holds another sweep).
        executor: any ``concurrent.futures.Executor`` (a process pool, ``client.get_executor()``
            of a Dask client...). If None, one is made from ``backend``/``workers``/``scheduler``.
        resume: continue a sweep whose folder already holds finished chunks.
        progress: show a progress bar (runs/s and ETA) on stderr.
        max_in_flight: chunks submitted but not yet written (default: 2 per worker; for a Dask cluster
            that is still scaling up, pass it explicitly).
        max_runs: refuse a spec with more runs than this before anything is sampled or written (None: no limit).
    """
    from ..extras import require
    from .backends import make_executor

    require("pyarrow", "scipy", "SALib", purpose="a sweep")  # before anything is written
    if executor is None and backend == "dask":
        require("dask", "distributed", purpose="--backend dask")
    plan = plan_sweep(spec, max_runs=max_runs)
    store = SweepStore(out)
    store.check(plan.manifest, resume)  # refusals before anything is written or started
    start = time.perf_counter()
    with contextlib.ExitStack() as stack:
        stack.enter_context(_terminate_as_interrupt())
        if executor is None:
            executor = stack.enter_context(make_executor(backend, workers, scheduler))
        stack.enter_context(store.lock())  # one writer per folder
        finished = store.prepare(plan.manifest, resume)
        stack.callback(store.clean_temporary)
        store.write_design(plan.design_frame())
        pending = [c for c in range(plan.n_chunks) if c not in finished]
        done_runs = sum(len(plan.chunk_runs(c)) for c in finished)
        bar = _progress_bar(plan, done_runs, progress)  # after the workers start: no thread is forked
        if bar is not None:
            stack.callback(bar.close)
        written = _drive(executor, plan, store, pending, bar, max_in_flight or 2 * _parallelism(executor, workers))
        store.finalize()
    seconds = time.perf_counter() - start
    return SweepSummary(
        out=store.root, n_runs=plan.n_runs, runs_done=written, chunks_done=len(pending), chunks_skipped=len(finished),
        seconds=seconds,
    )  # fmt: skip


@contextlib.contextmanager
def _terminate_as_interrupt():
    """While a sweep runs, SIGTERM stops it like Ctrl+C: workers stopped, folder clean, resumable."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def _raise(signum, frame):
        raise SweepTerminated()

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _parallelism(executor: Executor, workers: int | None) -> int:
    """How many chunks the executor runs at once (a guess for executors that do not say)."""
    from .backends import default_workers

    if workers:
        return workers
    if getattr(executor, "_max_workers", None):  # process and thread pools
        return int(executor._max_workers)
    client = getattr(executor, "_client", None)  # a Dask client's executor
    if client is not None:
        try:
            return max(2, sum(client.nthreads().values()))
        except Exception:  # noqa: BLE001 - a guess only
            pass
    return max(2, default_workers())


def _progress_bar(plan: SweepPlan, done_runs: int, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=plan.n_runs, initial=done_runs, unit="run", desc=plan.spec.title[:30], file=sys.stderr,
                dynamic_ncols=True, smoothing=0.1)  # fmt: skip


def _drive(executor: Executor, plan: SweepPlan, store: SweepStore, pending: list[int], bar, limit: int) -> int:
    """Run the pending chunks; the parent writes each (runs and yearly rows) as it completes."""

    def write(chunk: int, result) -> int:
        runs, yearly = result
        store.write_chunk(chunk, runs, yearly)
        return len(runs)

    return drive_chunks(executor, run_chunk, plan.task, pending, write, bar, limit)


def rerun(directory: str | Path, point: int, replicate: int = 0):
    """Re-run one run of a sweep alone in the Mesa model, from its recorded seed; returns the run model."""
    from ..model import AllianceModel
    from ..scenario_files import validate_scenario
    from .seeds import run_seed

    manifest = SweepStore(directory).read_manifest()
    plan = plan_sweep(manifest["spec"])
    seed = run_seed(manifest["seed_root"], point, replicate, plan.spec.common_random_numbers)
    base = validate_scenario(manifest["base_scenario"], f"{directory}/manifest.json")
    return AllianceModel(base, rng=seed, **plan.design.point(point)).run()


__all__ = ["ChunkTask", "SweepPlan", "SweepSummary", "SweepTerminated", "plan_sweep", "rerun", "run_chunk", "run_sweep"]
