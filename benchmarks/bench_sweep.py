"""Sweep throughput: mesa.batch_run against the batch engine on one core and the process backend on 2 workers.

The design is the same for all three: the baseline scenario with the US vacuum and the
coordination level on a grid, replicated with different seeds. mesa.batch_run is slow, so it
runs a slice of the design (``--mesa-runs``); throughput is compared in runs per second.

    python benchmarks/bench_sweep.py [--runs N] [--mesa-runs M] [--big]

The process backend's time includes starting the pool; with 2 workers that costs about a
second, so small ``--runs`` understate its throughput.

``--big`` also runs a 100,000-run sweep on the process backend (2 workers) and reports its
time and the peak resident memory of the whole process tree. The last line printed is
``ratio_engine_vs_mesa=<x>``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from pathlib import Path

VACUUM = [0.1, 0.3, 0.5, 0.7, 0.9]
COORDINATION = [0.0, 0.25, 0.5, 0.75, 1.0]


def spec(runs: int, chunk_size: int = 250) -> dict:
    """A grid of vacuum x coordination (25 points) with enough replicates for ``runs`` runs."""
    return {
        "title": "bench: vacuum x coordination",
        "base": "baseline",
        "parameters": {"vacuum": {"values": VACUUM}, "coordination": {"values": COORDINATION}},
        "design": {"method": "grid"},
        "replicates": max(1, runs // (len(VACUUM) * len(COORDINATION))),
        "seed": 2026,
        "chunk_size": chunk_size,
    }


def bench_mesa(runs: int) -> float:
    import mesa

    from cohesion_sim.model import AllianceModel

    seeds = list(range(max(1, runs // (len(VACUUM) * len(COORDINATION)))))
    start = time.perf_counter()
    results = mesa.batch_run(
        AllianceModel, parameters={"scenario": "baseline", "vacuum": VACUUM, "coordination": COORDINATION},
        number_processes=1, data_collection_period=-1, max_steps=1000, display_progress=False, rng=seeds,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    runs = len({row["RunId"] for row in results})  # batch_run returns one row per agent and run
    return runs / seconds, runs, seconds


def bench_sweep(runs: int, backend: str, workers: int | None = None, chunk_size: int = 250):
    from cohesion_sim.sweeps import run_sweep

    out = Path(tempfile.mkdtemp(prefix="bench_sweep_"))
    try:
        start = time.perf_counter()
        summary = run_sweep(spec(runs, chunk_size), out / "results", backend=backend, workers=workers, progress=False)
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return summary.runs_done / seconds, summary.runs_done, seconds


class PeakMemory:
    """Samples the resident memory of this process and all its children every 0.2 s (needs psutil)."""

    def __init__(self):
        try:
            import psutil
        except ImportError:  # fall back to the kernel's own peaks: this process plus the largest child
            psutil = None
        self.process = psutil.Process() if psutil else None
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        import psutil

        while not self._stop.is_set():
            total = 0
            for proc in [self.process, *self.process.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def __enter__(self):
        if self.process is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self.process is not None:
            self._stop.set()
            self._thread.join()
        else:
            import resource

            kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            self.peak = kib * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20000, help="runs for the engine and the process backend")
    parser.add_argument("--mesa-runs", type=int, default=100, help="runs for mesa.batch_run (slow)")
    parser.add_argument("--big", action="store_true", help="also run a 100,000-run sweep on 2 workers")
    args = parser.parse_args()

    mesa_rate, mesa_runs, mesa_seconds = bench_mesa(args.mesa_runs)
    print(f"mesa.batch_run (1 process):     {mesa_runs:7d} runs in {mesa_seconds:7.1f} s = {mesa_rate:8.1f} runs/s")
    engine_rate, engine_runs, engine_seconds = bench_sweep(args.runs, "serial")
    print(f"batch engine (serial, 1 core):  {engine_runs:7d} runs in {engine_seconds:7.1f} s = {engine_rate:8.1f} runs/s")
    pool_rate, pool_runs, pool_seconds = bench_sweep(args.runs, "processes", workers=2)
    print(f"process backend (2 workers):    {pool_runs:7d} runs in {pool_seconds:7.1f} s = {pool_rate:8.1f} runs/s"
          "  (includes pool start-up)")  # fmt: skip
    if args.big:
        with PeakMemory() as memory:
            big_rate, big_runs, big_seconds = bench_sweep(100_000, "processes", workers=2, chunk_size=1000)
        print(f"100,000-run sweep (2 workers):  {big_runs:7d} runs in {big_seconds:7.1f} s = {big_rate:8.1f} runs/s; "
              f"peak RSS of the process tree {memory.peak / 2**20:.0f} MiB")  # fmt: skip
    print(f"ratio_2_workers_vs_1={pool_rate / engine_rate:.2f}")
    print(f"ratio_engine_vs_mesa={engine_rate / mesa_rate:.1f}")


if __name__ == "__main__":
    main()
