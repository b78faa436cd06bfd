"""Median time of one full baseline run (all reporters) and of one step, measured side by side.

    python benchmarks/bench_run.py [--repeats 15] [--scenario baseline]

Also times a run without data collection, so the ratio shows what reporting costs.
"""

from __future__ import annotations

import argparse
import statistics
import time

from cohesion_sim import AllianceModel


def time_run(scenario: str, seed: int, collect: bool = True) -> tuple[float, list[float]]:
    model = AllianceModel(scenario, rng=seed)
    if not collect:
        model.datacollector.collect = lambda _model: None
    steps = []
    start = time.perf_counter()
    while model.running:
        t0 = time.perf_counter()
        model.step()
        steps.append(time.perf_counter() - t0)
    return time.perf_counter() - start, steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--scenario", default="baseline")
    args = parser.parse_args()
    time_run(args.scenario, 0)  # warm-up: imports, caches
    construct, runs, steps, bare = [], [], [], []
    for seed in range(args.repeats):
        t0 = time.perf_counter()
        AllianceModel(args.scenario, rng=seed)
        construct.append(time.perf_counter() - t0)
        total, per_step = time_run(args.scenario, seed)
        runs.append(total)
        steps += per_step
        bare.append(time_run(args.scenario, seed, collect=False)[0])
    ms = lambda xs: 1000 * statistics.median(xs)  # noqa: E731
    print(f"scenario={args.scenario} repeats={args.repeats} steps_per_run={len(steps) // args.repeats}")
    print(f"construct_ms={ms(construct):.1f}")
    print(f"run_ms={ms(runs):.1f}  (median, all reporters)")
    print(f"run_without_collection_ms={ms(bare):.1f}")
    print(f"step_ms={ms(steps):.2f}")
    print(f"ratio_collection_overhead={statistics.median(runs) / statistics.median(bare):.2f}")


if __name__ == "__main__":
    main()
