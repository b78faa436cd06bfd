"""``cohesion-sim validate``: the behavioural signatures S1-S8 on the batch engine; ``--mechanisms``: the one-at-a-time sweep."""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate", help="run the behavioural signatures S1-S8 (exit 1 if one fails); --mechanisms: sweep every constant"
    )
    parser.add_argument("--only", default="", help="comma-separated signatures to run, e.g. S1,S8 (default: all)")
    parser.add_argument(
        "--mechanisms", action="store_true",
        help="sweep every behavioural constant over its range in every built-in scenario (and, if still, where its "
        "condition holds); flag inert constants and collapsed runs",
    )  # fmt: skip
    parser.add_argument("--points", type=int, default=5, help="values per constant in --mechanisms (default 5)")
    parser.add_argument("--seeds", type=int, default=10, help="seeds per value in --mechanisms (default 10)")
    parser.add_argument("--uncertainty", action="store_true",
                        help="instead: posterior 2024 intervals, their coverage, the out-of-sample forecast")
    parser.add_argument("--runs", type=int, default=200, help="runs per ensemble with --uncertainty (default 200)")
    parser.add_argument("--out", default="results/validation", help="folder for --uncertainty's figure and CSV")
    parser.set_defaults(func=run)


def run(args) -> int:
    from ..cli import CliError
    from .mechanisms import mechanism_sweep
    from .signatures import SIGNATURES

    if args.uncertainty:
        from .uncertainty import format_uncertainty, run_uncertainty, write_uncertainty

        if args.runs < 2:
            raise CliError(f"--runs must be at least 2, got {args.runs}")
        report = run_uncertainty(runs=args.runs)
        print(format_uncertainty(report))
        print("wrote " + ", ".join(str(p) for p in write_uncertainty(report, Path(args.out)).values()))
        return 0
    if args.mechanisms:
        if args.points < 2 or args.seeds < 2:
            raise CliError("--points and --seeds must be at least 2")
        effects = mechanism_sweep(points=args.points, seeds=args.seeds, progress=True)
        for effect in effects:
            print(effect.line())
        inert = [e.name for e in effects if e.inert]
        dormant = [e.name for e in effects if e.dormant]
        collapsed = sum(e.collapsed_runs for e in effects)
        print(f"\n{len(inert)} inert constant(s): {', '.join(inert) or 'none'}; {len(dormant)} dormant (still in every "
              f"built-in scenario, acting where their condition holds): {', '.join(dormant) or 'none'}; "
              f"{collapsed} run(s) ended in collapse")
        return 1 if inert or collapsed else 0
    names = [n.strip().upper() for n in args.only.split(",") if n.strip()] or list(SIGNATURES)
    unknown = [n for n in names if n not in SIGNATURES]
    if unknown:
        raise CliError(f"--only: unknown signature(s) {', '.join(unknown)}; choose from {', '.join(SIGNATURES)}")
    results = []
    for name in names:
        result = SIGNATURES[name]()
        print(result.line(), flush=True)
        results.append(result)
    return 0 if all(r.passed for r in results) else 1
