"""``cohesion-sim validate``: the hindcast and the theory checks, as a report and a figure."""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("validate", help="run the 2014-2024 hindcast and the theory checks; print a report")
    parser.add_argument("--seeds", type=int, default=20, help="hindcast seeds (default 20; MODEL.md asks for >= 20)")
    parser.add_argument("--theory-seeds", type=int, default=5, help="seeds per theory check (default 5)")
    parser.add_argument("--out", default="results/validation", help="folder for the figure and CSV")
    parser.add_argument("--uncertainty", action="store_true",
                        help="also: posterior 2024 intervals, their coverage, the out-of-sample forecast")
    parser.add_argument("--runs", type=int, default=200, help="runs per ensemble with --uncertainty (default 200)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from ..cli import CliError
    from .hindcast import run_hindcast
    from .report import format_report, validation_figure
    from .theory import run_theory_checks

    if args.seeds < 1 or args.theory_seeds < 1:
        raise CliError("--seeds and --theory-seeds must be at least 1")
    if args.uncertainty and args.runs < 2:
        raise CliError(f"--runs must be at least 2, got {args.runs}")
    hindcast = run_hindcast(range(args.seeds), progress=True)
    checks = run_theory_checks(range(args.theory_seeds))
    print(format_report(hindcast, checks))
    out = Path(args.out)
    figure = validation_figure(hindcast, out / "hindcast_2024.png")
    hindcast.per_ally().to_csv(out / "hindcast_2024.csv")
    print(f"\nwrote {figure} and {out / 'hindcast_2024.csv'}")
    if args.uncertainty:
        from .uncertainty import format_uncertainty, run_uncertainty, write_uncertainty

        report = run_uncertainty(runs=args.runs)
        print("\n" + format_uncertainty(report))
        print("wrote " + ", ".join(str(p) for p in write_uncertainty(report, out).values()))
    targets_met = all(met for met, _ in hindcast.targets().values())
    return 0 if targets_met and all(c.passed for c in checks) else 1
