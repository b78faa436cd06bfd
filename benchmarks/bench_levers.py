"""Levers analysis throughput: the default analysis (16 packages x 500 futures x 2 replicates) on 1 and 2 workers.

Both columns run the same analysis on the process backend, from an empty folder, and time
everything ``evaluate_levers`` does: planning, starting the pool, the runs, writing the Parquet
parts and the analysis with its figures (``--no-report`` leaves the analysis out).

    python benchmarks/bench_levers.py [--futures N] [--replicates K] [--no-report]

The last line printed is ``ratio_2_vs_1_workers=<x>``. The issue's target: the default analysis
in under 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path


def bench(workers: int, futures: int, replicates: int, report: bool) -> tuple[float, int]:
    from cohesion_sim.levers.runner import evaluate_levers, run_levers

    out = Path(tempfile.mkdtemp(prefix="bench_levers_"))
    try:
        start = time.perf_counter()
        options = dict(backend="processes", workers=workers, progress=False, futures=futures, replicates=replicates)
        if report:
            runs = evaluate_levers(None, out / "levers", **options).run.runs_done
        else:
            runs = run_levers(None, out / "levers", **options).runs_done
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return seconds, runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--futures", type=int, default=500)
    parser.add_argument("--replicates", type=int, default=2)
    parser.add_argument("--no-report", action="store_true", help="time the runs only, not the analysis")
    args = parser.parse_args()
    results = {w: bench(w, args.futures, args.replicates, not args.no_report) for w in (1, 2)}
    runs = results[1][1]
    print(f"levers analysis: 16 packages x {args.futures} futures x {args.replicates} replicates = {runs} runs"
          f"{'' if args.no_report else ', analysis and figures included'}")  # fmt: skip
    print(f"{'':18s}{'1 worker':>12s}{'2 workers':>12s}")
    print(f"{'seconds':18s}{results[1][0]:12.1f}{results[2][0]:12.1f}")
    print(f"{'runs/s':18s}{runs / results[1][0]:12.0f}{runs / results[2][0]:12.0f}")
    print(f"ratio_2_vs_1_workers={results[1][0] / results[2][0]:.2f}")


if __name__ == "__main__":
    main()
