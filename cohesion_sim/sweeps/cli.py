"""``cohesion-sim sweep`` and ``cohesion-sim analyze``: light on purpose, heavy imports inside the commands."""

from __future__ import annotations

import sys


def register(subparsers) -> None:
    sweep = subparsers.add_parser(
        "sweep", help="run a parameter sweep (grid, lhs, sobol, morris) into a resumable Parquet folder",
        description="Run the sweep described by SPEC (YAML) on the batch engine. Results go to DIR as one "
        "Parquet part per chunk plus manifest.json; with --resume a re-run skips finished chunks.",
    )  # fmt: skip
    sweep.add_argument("spec", metavar="SPEC", help="sweep spec file (.yaml); see scenarios/sweeps/")
    sweep.add_argument("--out", required=True, metavar="DIR", help="results folder")
    sweep.add_argument("--backend", choices=("serial", "processes", "dask"), default="serial",
                       help="where chunks run (default: serial, this process)")  # fmt: skip
    sweep.add_argument("--workers", type=int, default=None, help="worker processes (default: the number of cores)")
    sweep.add_argument("--scheduler", metavar="ADDRESS", default=None,
                       help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")  # fmt: skip
    sweep.add_argument("--resume", action="store_true", help="finish a sweep whose folder already holds chunks")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    sweep.add_argument("--max-runs", type=int, default=None, metavar="N",
                       help="refuse a spec with more runs than N before anything runs (default: 1,000,000)")  # fmt: skip
    sweep.set_defaults(func=cmd_sweep)

    analyze = subparsers.add_parser(
        "analyze", help="sensitivity indices, summary plots and scenario discovery for a sweep folder",
        description="Analyse the sweep in DIR: Sobol or Morris indices with confidence intervals (table, CSV, "
        "bar plot), or for grids and Latin hypercubes rank correlations and a heatmap; then scenario "
        "discovery (PRIM) for fragmentation and failed summits. Files go to DIR/analysis/.",
    )  # fmt: skip
    analyze.add_argument("directory", metavar="DIR", help="sweep results folder")
    analyze.add_argument("--method", choices=("sobol", "morris", "summary"), default=None,
                         help="default: the sweep's design (sobol, morris) or summary (grid, lhs)")  # fmt: skip
    analyze.add_argument("--metric", action="append", metavar="NAME", help="metric to analyse (repeatable)")
    analyze.add_argument("--no-plots", action="store_true", help="tables only")
    analyze.set_defaults(func=cmd_analyze)


def cmd_sweep(args) -> int:
    from concurrent.futures import BrokenExecutor

    from ..cli import CliError
    from .runner import run_sweep
    from .storage import SweepStore

    if args.workers is not None and args.workers < 1:
        raise CliError(f"--workers must be at least 1, got {args.workers}")
    if args.max_runs is not None and args.max_runs < 1:
        raise CliError(f"--max-runs must be at least 1, got {args.max_runs}")
    limit = {} if args.max_runs is None else {"max_runs": args.max_runs}
    try:
        summary = run_sweep(args.spec, args.out, resume=args.resume, backend=args.backend, workers=args.workers,
                            scheduler=args.scheduler, progress=not args.quiet, **limit)  # fmt: skip
    except ValueError as exc:
        if type(exc) is ValueError:  # backend misuse; ScenarioError subclasses pass through
            raise CliError(str(exc)) from None
        raise
    except BrokenExecutor:  # a worker was killed (the OOM killer, a stray kill): one line, not a traceback
        done = len(SweepStore(args.out).finished_chunks())
        print(f"cohesion-sim: error: a worker process died (killed, or out of memory?); {args.out} holds {done} "
              f"finished chunks and is clean. Continue with: cohesion-sim sweep {args.spec} --out {args.out} "
              "--resume", file=sys.stderr)  # fmt: skip
        return 1
    except KeyboardInterrupt as exc:
        from .runner import SweepTerminated

        store = SweepStore(args.out)
        done = len(store.finished_chunks())
        how = "terminated (SIGTERM)" if isinstance(exc, SweepTerminated) else "interrupted"
        print(f"\ncohesion-sim: {how}; {args.out} holds {done} finished chunks and is clean. "
              f"Continue with: cohesion-sim sweep {args.spec} --out {args.out} --resume", file=sys.stderr)  # fmt: skip
        return 143 if isinstance(exc, SweepTerminated) else 130
    if not args.quiet:
        print(f"{summary.runs_done} runs in {summary.seconds:.1f} s ({summary.runs_per_second:.0f} runs/s); "
              f"{summary.chunks_skipped} chunks were already done. Results: {summary.out}/  "
              f"(cohesion-sim analyze {summary.out})")  # fmt: skip
    return 0


def cmd_analyze(args) -> int:
    from ..extras import require
    from .analyze import analyze

    require("pyarrow", "SALib", "scipy", purpose="cohesion-sim analyze")  # before DIR/analysis/ is written

    report = analyze(args.directory, method=args.method, metrics=args.metric, plots=not args.no_plots)
    print(report.text)
    return 0
