"""``cohesion-sim levers``: light on purpose, heavy imports inside the command."""

from __future__ import annotations

import sys


def register(subparsers) -> None:
    levers = subparsers.add_parser(
        "levers", help="which lever packages keep the alliance together however the US behaves (robustness analysis)",
        description="Run every package of levers (coordination, qualified majority voting, a European pillar, "
        "partnerships, and their combinations) in many sampled futures of US behaviour and threat, then rank "
        "the packages by robustness (satisficing, regret), find where even the best one fails (PRIM), and "
        "write a ranked table, figures and a plain-language report to DIR/report/. Resumable.",
    )  # fmt: skip
    levers.add_argument("spec", metavar="SPEC", nargs="?", default=None,
                        help="levers spec (.yaml); default: 16 packages x 500 futures on the baseline")  # fmt: skip
    levers.add_argument("--out", required=True, metavar="DIR", help="results folder")
    levers.add_argument("--futures", type=int, default=None, metavar="N", help="number of futures (default 500)")
    levers.add_argument("--replicates", type=int, default=None, metavar="K",
                        help="runs per package and future (default 2)")  # fmt: skip
    levers.add_argument("--seed", type=int, default=None, metavar="S",
                        help="seed of the futures design and runs (default 0)")  # fmt: skip
    levers.add_argument("--threshold", type=float, default=None, metavar="C",
                        help="cohesion a package must keep to hold in a future (default 0.7, about the 2024 start); analysis only")
    levers.add_argument("--posterior", default=None, metavar="FILE",
                        help="parameter draws the futures sample: default (the shipped posterior), panel_only, none "
                             "(the base scenario's constants), a calibration folder, or a CSV/Parquet file")
    levers.add_argument("--backend", choices=("serial", "processes", "dask"), default="processes",
                        help="where chunks run (default: processes)")  # fmt: skip
    levers.add_argument("--workers", type=int, default=None, help="worker processes (default: the number of cores)")
    levers.add_argument("--resume", action="store_true", help="finish an analysis whose folder already holds chunks")
    levers.add_argument("--no-plots", action="store_true", help="tables and report only")
    levers.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    levers.set_defaults(func=cmd_levers)


def cmd_levers(args) -> int:
    from ..cli import CliError
    from ..sweeps.storage import SweepStore

    for name in ("futures", "replicates", "workers"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise CliError(f"--{name} must be at least 1, got {value}")
    if args.threshold is not None and not 0 <= args.threshold <= 1:
        raise CliError(f"--threshold must be between 0 and 1, got {args.threshold}")
    if args.seed is not None and args.seed < 0:
        raise CliError(f"--seed must be a non-negative integer, got {args.seed}")
    from .runner import evaluate_levers

    try:
        report = evaluate_levers(args.spec, args.out, plots=not args.no_plots, resume=args.resume,
                                 backend=args.backend, workers=args.workers, progress=not args.quiet,
                                 futures=args.futures, replicates=args.replicates, seed=args.seed,
                                 posterior=args.posterior, threshold=args.threshold)  # fmt: skip
    except ValueError as exc:
        if type(exc) is ValueError:  # backend misuse; ScenarioError subclasses pass through
            raise CliError(str(exc)) from None
        raise
    except KeyboardInterrupt:
        done = len(SweepStore(args.out).finished_chunks())
        again = ["cohesion-sim levers", args.spec or "", f"--out {args.out}"]
        again += [f"--{name} {getattr(args, name)}" for name in ("futures", "replicates", "seed", "posterior")
                  if getattr(args, name) is not None]  # fmt: skip
        print(f"\ncohesion-sim: interrupted; {args.out} holds {done} finished chunks and is clean. "
              f"Continue with: {' '.join(a for a in again if a)} --resume", file=sys.stderr)  # fmt: skip
        return 130
    if not args.quiet:
        run = report.run
        print(report.text)
        print(f"{run.runs_done} runs in {run.seconds:.1f} s ({run.runs_per_second:.0f} runs/s); "
              f"{run.chunks_skipped} chunks were already done. Report: {args.out}/report/")  # fmt: skip
    return 0
