"""Speed of this checkout against an earlier revision, measured side by side in one run.

    python benchmarks/bench_versions.py [--against REV] [--rounds 3] [--runs 500]

Checks REV out into a temporary git worktree and times, alternately in fresh processes, the batch
engine (an 11-year baseline, ``with_blocs=False``) and the Mesa model (one baseline run) in both
trees; prints runs/s and the ratio now/before. Default REV: ``ddbc9aa``, the last commit before the
year was written once (issue 8). Ratios, not absolute numbers, are the result: machines are shared.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = r"""
import json, sys, time
from cohesion_sim.engine import run_batch
from cohesion_sim.scenario_files import load_scenario
from cohesion_sim import AllianceModel
runs = int(sys.argv[1])
s = load_scenario("baseline")
run_batch([s] * 50, list(range(50)), with_blocs=False)  # warm-up
t = time.perf_counter(); run_batch([s] * runs, list(range(runs)), with_blocs=False); engine = time.perf_counter() - t
AllianceModel("baseline", rng=0).run()
t = time.perf_counter()
for seed in range(5):
    AllianceModel("baseline", rng=seed).run()
mesa = (time.perf_counter() - t) / 5
print(json.dumps({"engine_runs_per_s": runs / engine, "mesa_run_s": mesa}))
"""


def measure(tree: Path, runs: int) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(runs)], cwd=tree, capture_output=True, text=True,
                         env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}, check=True)  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="ddbc9aa")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(before), args.against], cwd=ROOT, check=True)
        try:
            now, then = [], []
            for _ in range(args.rounds):  # alternate, so load changes hit both alike
                now.append(measure(ROOT, args.runs))
                then.append(measure(before, args.runs))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT, check=False)
    best = lambda rows, key, f: f(r[key] for r in rows)  # noqa: E731
    engine_now, engine_then = best(now, "engine_runs_per_s", max), best(then, "engine_runs_per_s", max)
    mesa_now, mesa_then = best(now, "mesa_run_s", min), best(then, "mesa_run_s", min)
    print(f"against {args.against}, best of {args.rounds} alternating rounds")
    print(f"engine, 11-year baseline, no blocs: now {engine_now:,.0f} runs/s, before {engine_then:,.0f} runs/s, "
          f"ratio now/before {engine_now / engine_then:.2f}")
    print(f"Mesa model, one baseline run:        now {mesa_now * 1000:.0f} ms, before {mesa_then * 1000:.0f} ms, "
          f"speed-up {mesa_then / mesa_now:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
