"""``cohesion-sim calibrate`` and ``cohesion-sim ensemble``: light on purpose, heavy imports inside the commands."""

from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    calibrate = subparsers.add_parser(
        "calibrate", help="fit behavioural constants to the spending data (ABC-SMC); write the posterior",
        description="Approximate Bayesian computation (sequential Monte Carlo, pyabc) of the constants SPEC names, "
        "against the 2014-2019 spending panel and the 2024 levels, simulated in batches on the batch engine. "
        "Writes DIR/posterior.parquet (+ .csv), manifest.json, marginals.png, pairs.png and predictive_check.png. "
        "Each finished generation is kept in DIR/abc.db; --resume continues a stopped run. "
        "Needs the [calibrate] extra.",
    )  # fmt: skip
    calibrate.add_argument("spec", metavar="SPEC", nargs="?", default="default",
                           help="built-in spec name (default, panel_2014_2019) or a .yaml path")  # fmt: skip
    calibrate.add_argument("--out", required=True, metavar="DIR", help="results folder")
    calibrate.add_argument("--quick", action="store_true", help="the spec's small budget (under a minute)")
    calibrate.add_argument("--backend", choices=("serial", "processes", "dask"), default="serial",
                           help="where batches run (default: serial, this process)")  # fmt: skip
    calibrate.add_argument("--workers", type=int, default=None, help="worker processes (default: the number of cores)")
    calibrate.add_argument("--scheduler", metavar="ADDRESS", default=None,
                           help="Dask scheduler address (default: a local cluster)")  # fmt: skip
    calibrate.add_argument("--resume", action="store_true", help="continue the calibration in DIR")
    calibrate.add_argument("--seed", type=int, default=None, help="random seed (default: the spec's seed)")
    calibrate.add_argument("--no-plots", action="store_true", help="skip the figures")
    calibrate.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    calibrate.set_defaults(func=cmd_calibrate)

    ensemble = subparsers.add_parser(
        "ensemble", help="N runs of a scenario, each with a posterior draw and its own seed; fan charts",
        description="Run SCENARIO N times on the batch engine. Each run takes a draw from the posterior (the "
        "shipped default unless --posterior says otherwise) and its own seed. Writes model.parquet (run, year, "
        "every model reporter), agents.parquet (run, year, iso3, every agent reporter), runs.parquet (the "
        "constants and seed of each run) and fan charts (median, 50%% and 90%% bands).",
    )  # fmt: skip
    ensemble.add_argument("scenario", metavar="SCENARIO", help="built-in name or path to a .yaml file")
    ensemble.add_argument("--runs", type=int, default=200, help="number of runs (default 200)")
    ensemble.add_argument("--posterior", default="default", metavar="FILE|none",
                          help="posterior: 'default' (shipped), 'none' (the scenario's own constants), a .csv/.parquet "
                          "file or a calibration folder")  # fmt: skip
    ensemble.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    ensemble.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a scenario field (repeatable)")
    ensemble.add_argument("--out", required=True, metavar="DIR", help="output folder")
    ensemble.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="table format")
    ensemble.add_argument("--backend", choices=("serial", "processes", "dask"), default="serial",
                          help="where chunks of runs go (default: serial)")  # fmt: skip
    ensemble.add_argument("--workers", type=int, default=None, help="worker processes (default: the number of cores)")
    ensemble.add_argument("--no-plots", action="store_true", help="tables only")
    ensemble.add_argument("--quiet", action="store_true", help="print nothing on success")
    ensemble.set_defaults(func=cmd_ensemble)


def _check_workers(workers) -> None:
    from ..cli import CliError

    if workers is not None and workers < 1:
        raise CliError(f"--workers must be at least 1, got {workers}")


def cmd_calibrate(args) -> int:
    from ..cli import CliError

    _check_workers(args.workers)
    if args.seed is not None and args.seed < 0:
        raise CliError(f"--seed must be a non-negative integer, got {args.seed}")
    try:
        import pyabc  # noqa: F401
    except ImportError:
        raise CliError("calibrate needs pyabc: pip install 'cohesion-sim[calibrate]'") from None
    from .abc_smc import run_calibration

    try:
        summary = run_calibration(args.spec, args.out, quick=args.quick, resume=args.resume, backend=args.backend,
                                  workers=args.workers, scheduler=args.scheduler, seed=args.seed,
                                  progress=not args.quiet, plots=not args.no_plots)  # fmt: skip
    except ValueError as exc:
        if type(exc) is ValueError:  # backend misuse; ScenarioError subclasses pass through
            raise CliError(str(exc)) from None
        raise
    except KeyboardInterrupt:
        print(f"\ncohesion-sim: interrupted; finished generations are kept in {args.out}/abc.db. Continue with: "
              f"cohesion-sim calibrate {args.spec} --out {args.out} --resume" + (" --quick" if args.quick else ""),
              file=sys.stderr)  # fmt: skip
        return 130
    if not args.quiet:
        from .posterior import load_posterior
        from .spec import load_calibration_spec, priors

        spec = load_calibration_spec(args.spec)
        table = load_posterior(summary.out).summary(priors(spec))
        print(table.to_string(float_format=lambda v: f"{v:.3g}"))
        rate = f" ({summary.sims_per_second:.0f} simulations/s)" if summary.simulations else ""
        print(f"\n{summary.generations} generations ({summary.resumed_from} were already done), "
              f"{summary.simulations} simulations in {summary.seconds:.1f} s{rate}, final epsilon "
              f"{summary.epsilon:.3f}. Results: {summary.out}/")  # fmt: skip
    return 0


def cmd_ensemble(args) -> int:
    from ..cli import CliError, _overrides
    from ..ensemble import run_ensemble
    from ..sweeps.backends import make_executor

    _check_workers(args.workers)
    if args.runs < 1:
        raise CliError(f"--runs must be at least 1, got {args.runs}")
    if args.seed < 0:
        raise CliError(f"--seed must be a non-negative integer, got {args.seed}")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"--out {out}: is a file, not a folder; give a folder for the results")
    if args.format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise CliError("--format parquet needs pyarrow: pip install 'cohesion-sim[sweep]', or use --format csv") \
                from None
    with make_executor(args.backend, args.workers) as executor:
        result = run_ensemble(args.scenario, args.runs, posterior=args.posterior, seed=args.seed, executor=executor,
                              progress=not args.quiet, **_overrides(args.set))  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in (("model", result.model), ("agents", result.agents), ("runs", result.runs)):
        path = out / f"{name}.{args.format}"
        if args.format == "parquet":
            table.to_parquet(path, index=False)
        else:
            table.to_csv(path, index=False)
        written.append(path)
    if not args.no_plots:
        from ..fan_charts import write_fan_charts

        written += list(write_fan_charts(result.model, result.agents, out).values())
    if not args.quiet:
        final = result.model[result.model.year == result.model.year.max()]
        q = final[["cohesion", "allies_at_2pct", "mean_spending"]].quantile([0.05, 0.5, 0.95])
        print(f"{args.runs} runs of {args.scenario} (posterior: {args.posterior}, seed {args.seed}); "
              f"final year {int(final.year.iloc[0])}, median [90% interval]:")  # fmt: skip
        for column in q.columns:
            print(f"  {column:16s} {q.loc[0.5, column]:.3g} [{q.loc[0.05, column]:.3g}, {q.loc[0.95, column]:.3g}]")
        print(f"wrote {len(written)} files to {out}/: " + ", ".join(p.name for p in written))
    return 0
