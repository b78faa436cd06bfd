"""Calibration throughput: particles simulated per second on 1 and 2 workers, side by side, and the default's time.

Part 1 simulates the same prior draws of the default spec (hindcast 2014-2024, one engine run
per particle, in chunks of 250) on the process backend with 1 and with 2 workers, and prints
simulations per second and the speed-up. ``--scaled`` runs the default calibration's first
four generations (full population, 2 workers, pyabc's bookkeeping included) and estimates the
full default's time as the simulations the shipped default used (``DEFAULT_SIMULATIONS``)
over that end-to-end rate. ``--full`` runs the whole default and reports its time.

    python benchmarks/bench_calibrate.py [--particles N] [--scaled | --full]

On a shared machine wall-clock rates fall with the load; the script prints the load average
next to the numbers. The last line printed is ``speedup_2_vs_1=<x>``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time

#: Engine runs of the calibration that made the shipped default posterior (cohesion_sim/data/SOURCES.md).
DEFAULT_SIMULATIONS = 58_400


def simulate_rate(workers: int, thetas, names, seeds, base, chunk_size: int = 250) -> tuple[float, float]:
    """(simulations per second, seconds) for simulating every row on ``workers`` processes (pool start excluded)."""
    from cohesion_sim.calibration.simulate import simulate_many
    from cohesion_sim.sweeps.backends import make_executor

    with make_executor("processes", workers) as pool:
        simulate_many(pool, base, names, thetas[: chunk_size * workers], seeds[: chunk_size * workers], chunk_size)
        started = time.perf_counter()
        simulate_many(pool, base, names, thetas, seeds, chunk_size)
        seconds = time.perf_counter() - started
    return len(thetas) / seconds, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--particles", type=int, default=4000, help="particles per measurement (default 4000)")
    parser.add_argument("--scaled", action="store_true", help="also run the default's first 4 generations; estimate")
    parser.add_argument("--full", action="store_true", help="also run the whole default calibration on 2 workers")
    args = parser.parse_args()

    import numpy as np

    from cohesion_sim.calibration.spec import base_scenario, load_calibration_spec, priors

    spec = load_calibration_spec("default")
    base, names, bounds = base_scenario(spec), spec.names, priors(spec)
    rng = np.random.default_rng(0)
    thetas = np.column_stack([rng.uniform(*bounds[name], size=args.particles) for name in names])
    seeds = list(range(args.particles))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {args.particles} particles, "
          f"{len(names)} constants, hindcast {base.start_year}-{base.end_year}")  # fmt: skip
    rate1, sec1 = simulate_rate(1, thetas, names, seeds, base)
    rate2, sec2 = simulate_rate(2, thetas, names, seeds, base)
    print(f"{'workers':>8s}{'seconds':>10s}{'sims/s':>10s}")
    print(f"{1:>8d}{sec1:>10.1f}{rate1:>10.0f}")
    print(f"{2:>8d}{sec2:>10.1f}{rate2:>10.0f}")

    if args.scaled or args.full:
        from cohesion_sim.calibration.abc_smc import run_calibration

        run = spec
        if not args.full:
            run = spec.model_copy(update={"budget": spec.budget.model_copy(update={"generations": 4})})
        out = tempfile.mkdtemp(prefix="bench_calibrate_")
        try:
            wall0 = time.perf_counter()
            summary = run_calibration(run, out, backend="processes", workers=2, progress=False, plots=False)
            wall = time.perf_counter() - wall0
        finally:
            shutil.rmtree(out, ignore_errors=True)
        rate = summary.simulations / wall
        label = "full default" if args.full else "default, first 4 generations"
        print(f"{label}: {summary.simulations} simulations in {wall:.0f} s on 2 workers ({rate:.0f} sims/s end to end)")
        if not args.full:
            print(f"estimate for the full default ({DEFAULT_SIMULATIONS} simulations): "
                  f"{DEFAULT_SIMULATIONS / rate / 60:.1f} min")  # fmt: skip
    print(f"speedup_2_vs_1={rate2 / rate1:.2f}")


if __name__ == "__main__":
    main()
