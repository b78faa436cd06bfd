"""``cohesion-sim``: run scenarios, list them, and (with extras) sweep, analyze, validate and serve the app.

Subcommands other than ``run`` and ``scenarios`` live in their own packages, each with a
light ``cli.py`` exposing ``register(subparsers)``; heavy imports happen only when a
subcommand runs, so start-up stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from .scenario_files import DEFAULT_SCENARIO, ScenarioError, parse_override

#: Optional subcommand modules: each has ``register(subparsers)``.
PLUGINS = (
    "cohesion_sim.sweeps.cli", "cohesion_sim.app.cli", "cohesion_sim.validation.cli", "cohesion_sim.offline_assets",
    "cohesion_sim.calibration.cli",
    "cohesion_sim.levers.cli",
)  # fmt: skip


class CliError(Exception):
    """A usage problem: printed as one line, exit status 2."""


def _overrides(pairs: list[str]) -> dict:
    """``--set`` pairs as a mapping; the same key twice is an error (one value would be dropped silently)."""
    overrides: dict = {}
    for pair in pairs or []:
        key, value = parse_override(pair)
        if key in overrides:
            raise CliError(f"--set {key} is given twice ({overrides[key]!r:.40} and {value!r:.40}); give it once")
        overrides[key] = value
    return overrides


def cmd_run(args) -> int:
    from .outputs import agent_table, earlier_results, model_table, staged_output, write_results

    out = _check_run_folder(args.out, args.force)
    if args.format == "parquet":
        from .extras import require

        require("pyarrow", purpose="--format parquet")  # before the run, not after it
    from .model import AllianceModel
    from .plots import write_figures

    overrides = _overrides(args.set)
    if args.years is not None:
        if args.years < 1:
            raise CliError(f"--years must be at least 1, got {args.years}")
        from .scenario_files import load_scenario

        start = load_scenario(args.scenario, **overrides).start_year
        overrides["end_year"] = start + args.years
    model = AllianceModel(args.scenario, rng=args.seed, **overrides)
    model.run()
    if earlier_results(out) and not args.force:  # another run wrote there while this one ran
        raise CliError(f"--out {out}: another run wrote its results there meanwhile; add --force to replace them")
    with staged_output(out) as stage:  # a failure below leaves the previous results untouched
        paths = write_results(model, stage, args.format)
        from .compliance import ally_positions

        paths.update(write_figures(model_table(model), agent_table(model), stage, positions=ally_positions(model)))
    names = sorted(path.name for path in paths.values())
    if not args.quiet:
        print(format_summary(model))
        print(f"\nwrote {len(names)} files to {out}/: " + ", ".join(names))
    return 0


def _check_run_folder(value: str, force: bool) -> Path:
    """The ``--out`` folder, refused before the run if writing there would lose something."""
    from .outputs import earlier_results

    if not value.strip():
        raise CliError("--out is empty; give a folder for the results, e.g. --out results")
    out = Path(value)
    if out.exists() and not out.is_dir():
        raise CliError(f"--out {out}: is a file, not a folder; give a folder for the results")
    if (out / "manifest.json").exists():
        raise CliError(f"--out {out}: holds a sweep (manifest.json); write this run to another folder")
    earlier = earlier_results(out)
    if earlier and not force:
        shown = ", ".join(earlier[:3]) + (", ..." if len(earlier) > 3 else "")
        raise CliError(f"--out {out}: holds an earlier run's results ({shown}); add --force to replace them, "
                       "or choose another folder")  # fmt: skip
    return out


def format_summary(model) -> str:
    """A compact table of the run's first and last year."""
    table = model.datacollector.get_model_vars_dataframe()
    first, last = table.iloc[0], table.iloc[-1]
    rows = [
        ("US vacuum", "vacuum", "{:.2f}"),
        ("cohesion", "cohesion", "{:.3f}"),
        ("connectivity", "connectivity", "{:.3f}"),
        ("blocs", "blocs", "{:d}"),
        ("allies at/above 2%", "allies_at_2pct", "{:d}"),
        ("allies at/above guideline", "allies_at_guideline", "{:d}"),
        ("mean spending, % GDP", "mean_spending", "{:.2f}"),
        ("GDP-weighted spending", "gdp_weighted_spending", "{:.2f}"),
        ("European share of spending", "european_share", "{:.2f}"),
        ("declaration gap, points", "declaration_gap", "{:.2f}"),
        ("hedging / disengaged", None, None),
        ("tension with the US", "us_tension", "{:.3f}"),
        ("tension among Europeans", "european_tension", "{:.3f}"),
    ]
    y0, y1 = int(first["year"]), int(last["year"])
    lines = [f"{model.params.title}  (seed {model.seed})", f"{'':28s}{y0:>10d}{y1:>10d}"]
    for label, key, fmt in rows:
        if key is None:
            a = f"{int(first['hedging'])}/{int(first['disengaged'])}"
            b = f"{int(last['hedging'])}/{int(last['disengaged'])}"
        else:
            a, b = fmt.format(_cast(first[key], fmt)), fmt.format(_cast(last[key], fmt))
        lines.append(f"{label:28s}{a:>10s}{b:>10s}")
    guideline = last["guideline"]
    lines.append(f"{'guideline in force':28s}{_fmt_guideline(first['guideline']):>10s}{_fmt_guideline(guideline):>10s}")
    below = model.start_below_exit
    if below:
        lines.append(f"note: {len(below)} allies start below exit_commitment ({', '.join(below[:8])}"
                     f"{', ...' if len(below) > 8 else ''}): with these constants the start contradicts the data (every "
                     "ally was engaged in the start year), so they disengage at once, whatever the scenario")  # fmt: skip
    passed = sum(e["outcome"].startswith("passed") for e in model.events)
    lines.append(f"summits: {len(model.events)} held, {passed} passed, {len(model.events) - passed} failed")
    from .app.summit_log import summit_sentence  # the one summit sentence, shared with the app

    for event in model.events:
        if event["kind"] == "guideline" or event["outcome"] != "passed":
            lines.append(f"  {summit_sentence(event)}")
    return "\n".join(lines)


def _cast(value, fmt):
    return int(value) if fmt.endswith("d}") else float(value)


def _fmt_guideline(value) -> str:
    try:
        return "none" if value is None or value != value else f"{float(value):g}%"
    except TypeError:
        return "none"


def cmd_scenarios(args) -> int:
    from .scenario_files import available_scenarios, load_scenario, scenario_to_yaml

    if args.action == "show":
        if not args.name:
            raise CliError("usage: cohesion-sim scenarios show NAME")
        print(scenario_to_yaml(load_scenario(args.name)), end="")
        return 0
    if args.action not in (None, "list"):
        raise CliError(f"unknown action '{args.action}'; use 'cohesion-sim scenarios' or 'scenarios show NAME'")
    names = available_scenarios()
    width = max(len(n) for n in names) if names else 0
    for name in names:
        print(f"{name:{width}s}  {load_scenario(name).title}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cohesion-sim", description="Agent-based simulation of NATO's cohesion under a shifting US stance."
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"cohesion-sim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="run one scenario; write results and figures")
    run.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, help="built-in name or path to a .yaml file")
    run.add_argument("--seed", type=int, default=None, help="random seed (default: the scenario's seed)")
    run.add_argument("--years", type=int, default=None, help="simulate this many years after the start year")
    run.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a scenario field (repeatable)")
    run.add_argument("--out", default="results", help="output folder (default: results)")
    run.add_argument("--force", action="store_true",
                     help="replace an earlier run's results in --out (refused without it)")  # fmt: skip
    run.add_argument("--format", choices=("csv", "parquet"), default="csv", help="table format (default: csv)")
    run.add_argument("--quiet", action="store_true", help="print nothing on success")
    run.set_defaults(func=cmd_run)

    scen = sub.add_parser("scenarios", help="list scenarios, or 'scenarios show NAME' for all parameters")
    scen.add_argument("action", nargs="?", help="'show' to print one scenario's resolved parameters")
    scen.add_argument("name", nargs="?", help="scenario name or path")
    scen.set_defaults(func=cmd_scenarios)

    for module_name in PLUGINS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # that part of the package is not there
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except (ScenarioError, CliError) as exc:
        print(f"cohesion-sim: error: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:  # an optional dependency (an extra) is missing
        from .extras import MissingExtraError, message_for

        message = str(exc) if isinstance(exc, MissingExtraError) else message_for(exc)
        if message is None:
            raise
        print(f"cohesion-sim: error: {message}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"cohesion-sim: error: cannot read or write{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cohesion-sim: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
