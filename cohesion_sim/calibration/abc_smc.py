"""``run_calibration``: ABC-SMC (pyabc) of a spec's constants on the batch engine, resumable per generation.

The output folder holds pyabc's SQLite history (``abc.db``: every finished generation, the
checkpoint a resumed run continues from), ``manifest.json`` (spec, data checksums, library
versions, seed, budget used), the posterior draws (``posterior.parquet`` and ``posterior.csv``:
the last generation's weighted particles) and, unless ``plots=False``, the marginal,
pairwise and posterior predictive figures (:mod:`.plots`).
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..scenario_files import ScenarioError
from .posterior import Posterior
from .spec import CalibrationSpec, base_scenario, load_calibration_spec, priors, spec_hash
from .statistics import data_checksums, distance, observed, observed_statistics

DB_NAME = "abc.db"
#: Smallest batch, in chunks. Fixed, not the worker count: batches set the runs' seeds, so the posterior
#: must not depend on how many workers simulate them.
BATCH_CHUNKS = 2
MANIFEST = "manifest.json"


class CalibrationDirectoryError(ScenarioError):
    """The output folder holds another calibration, or --resume has nothing to resume."""


@dataclass
class CalibrationSummary:
    out: Path
    generations: int
    simulations: int
    seconds: float
    epsilon: float
    resumed_from: int  # generations that were already done

    @property
    def sims_per_second(self) -> float:
        return self.simulations / self.seconds if self.seconds > 0 else float("nan")


def library_versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {"cohesion-sim": __version__}
    for name in ("pyabc", "numpy", "pandas", "scipy", "pyarrow", "mesa"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            pass
    return out


def _quiet_pyabc() -> None:
    names = ("ABC", "pyabc", "History", "Epsilon", "Distance", "Acceptor", "Sampler", "Transition", "Population")
    for name in names + tuple(f"ABC.{part}" for part in names[2:]):
        logging.getLogger(name).setLevel(logging.WARNING)


def _engine_order(base) -> tuple[str, ...]:
    """The engine's ally order (iso3) for the base scenario's data."""
    from ..engine import run_batch

    return tuple(run_batch([base], [0], with_blocs=False).iso3)


def run_calibration(spec=None, out: str | Path = "results/calibration", *, quick: bool = False, resume: bool = False,
                    backend: str = "serial", workers: int | None = None, scheduler: str | None = None,
                    executor=None, seed: int | None = None, progress: bool = True, plots: bool = True,
                    observed_stats: dict[str, np.ndarray] | None = None) -> CalibrationSummary:  # fmt: skip
    """Calibrate the constants ``spec`` names; see the module docstring for what lands in ``out``.

    ``executor`` (any ``concurrent.futures.Executor``) overrides ``backend``/``workers``/``scheduler``.
    ``quick`` uses the spec's small ``quick`` budget; ``seed`` overrides the spec's seed.
    ``observed_stats`` replaces the data's statistics (name -> vector), e.g. statistics simulated from
    known constants for a synthetic-truth check.
    """
    import pyabc

    from ..sweeps.backends import make_executor
    from .sampler import BatchSampler, EngineModel
    from .simulate import simulate_many

    spec: CalibrationSpec = load_calibration_spec(spec)
    if seed is not None:
        if seed < 0:
            raise ScenarioError(f"--seed must be a non-negative integer, got {seed}")
        spec = spec.model_copy(update={"seed": int(seed)})
    budget = spec.quick if quick else spec.budget
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CalibrationDirectoryError(f"--out {out}: is a file, not a folder")
    db = out / DB_NAME
    manifest_path = out / MANIFEST
    fingerprint = spec_hash(spec)
    if db.exists() and not resume:
        raise CalibrationDirectoryError(
            f"--out {out}: already holds a calibration ({DB_NAME}); add --resume to continue it "
            "or choose another folder"
        )
    if resume and db.exists():
        old = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
        if old.get("spec_hash") != fingerprint or old.get("quick") != quick:
            raise CalibrationDirectoryError(
                f"--out {out}: holds a calibration of another spec, seed or budget (spec hash "
                f"{old.get('spec_hash')}, quick {old.get('quick')}); resume it with the same arguments"
            )
    elif resume and out.is_dir() and any(out.iterdir()):
        raise CalibrationDirectoryError(f"--out {out}: --resume, but the folder holds no calibration ({DB_NAME})")
    out.mkdir(parents=True, exist_ok=True)
    _quiet_pyabc()

    base = base_scenario(spec)
    names = spec.names
    bounds = priors(spec)
    weights = {name: w for name, w in spec.statistics.items() if w > 0}
    iso3 = _engine_order(base)
    obs = observed(iso3)
    source = observed_statistics(obs) if observed_stats is None else observed_stats
    x_0 = {name: np.asarray(source[name], dtype=float) for name in weights}

    manifest = {
        "kind": "cohesion_sim calibration",
        "spec": spec.to_json(),
        "spec_hash": fingerprint,
        "base_scenario": base.model_dump(mode="json"),
        "quick": quick,
        "budget": budget.model_dump(),
        "seed": spec.seed,
        "priors": {name: list(b) for name, b in bounds.items()},
        "data": data_checksums() if observed_stats is None else "synthetic statistics given by the caller",
        "libraries": library_versions(),
        "status": "running",
    }
    if manifest_path.exists() and resume:
        previous = json.loads(manifest_path.read_text())
        manifest["history"] = previous.get("history", [])
    else:
        manifest["history"] = []
    _write_json(manifest_path, manifest)

    prior = pyabc.Distribution(**{name: pyabc.RV("uniform", low, high - low) for name, (low, high) in bounds.items()})
    model = EngineModel(names)

    def abc_distance(x, x0):
        return distance({k: x[k] for k in x0}, x0, weights)

    started = time.perf_counter()
    with _executor(executor, backend, workers, scheduler) as pool:
        n_workers = getattr(pool, "_max_workers", None) or workers or 1

        def simulate(thetas, seeds):
            stats = simulate_many(pool, base, names, thetas, seeds, spec.chunk_size)
            return {name: stats[name] for name in weights}

        sampler = BatchSampler(simulate, model, bounds=np.array([bounds[n] for n in names]), seed=spec.seed,
                               min_batch=spec.chunk_size * BATCH_CHUNKS, progress=progress)  # fmt: skip
        abc = pyabc.ABCSMC(model, prior, abc_distance, population_size=budget.population, sampler=sampler,
                           eps=pyabc.MedianEpsilon())  # fmt: skip
        url = f"sqlite:///{db.resolve()}"
        if resume and db.exists():
            history = abc.load(url, 1)
            done = history.max_t + 1
            if history.n_populations and done > 0:
                last = history.get_all_populations().iloc[-1]
                sampler.acceptance_rate = max(budget.population / max(float(last["samples"]), 1.0), 1e-4)
        else:
            abc.new(url, x_0, meta_info={"spec_hash": fingerprint, "seed": spec.seed})
            done = 0
        remaining = budget.generations - done
        if remaining > 0:
            previous_sims = abc.history.total_nr_simulations
            history = abc.run(
                minimum_epsilon=0.0,
                max_nr_populations=remaining,
                min_acceptance_rate=budget.min_acceptance,
                max_total_nr_simulations=budget.max_simulations,
            )
        else:
            history = abc.history
            previous_sims = history.total_nr_simulations
    seconds = time.perf_counter() - started

    populations = history.get_all_populations()
    populations = populations[populations.t >= 0]
    posterior = posterior_from_history(history, names)
    posterior.to_frame().to_parquet(out / "posterior.parquet", index=False)
    posterior.to_frame().to_csv(out / "posterior.csv", index=False, float_format="%.6g")
    new_sims = int(history.total_nr_simulations - previous_sims)
    manifest["history"].append(
        {"generations_before": int(done), "generations_after": int(history.max_t + 1), "simulations": new_sims,
         "seconds": round(seconds, 2), "workers": int(n_workers),
         "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    )  # fmt: skip
    manifest.update(
        status="done",
        generations=int(history.max_t + 1),
        simulations=int(history.total_nr_simulations),
        epsilon=[float(e) for e in populations.epsilon],
        simulations_per_generation=[int(s) for s in populations.samples],
        posterior_particles=len(posterior.draws),
    )
    _write_json(manifest_path, manifest)
    if plots and observed_stats is None:
        from .plots import write_calibration_figures

        write_calibration_figures(posterior, bounds, base, out, seed=spec.seed, executor=None)
    return CalibrationSummary(out=out, generations=int(history.max_t + 1), simulations=new_sims, seconds=seconds,
                              epsilon=float(populations.epsilon.iloc[-1]), resumed_from=int(done))  # fmt: skip


def posterior_from_history(history, names) -> Posterior:
    """The last generation's particles (parameters, normalised weight, distance) as a :class:`Posterior`."""
    particles = history.get_population(t=history.max_t).particles
    table = pd.DataFrame([{name: float(p.parameter[name]) for name in names} for p in particles])
    weights = np.array([p.weight for p in particles], dtype=float)
    table["weight"] = weights / weights.sum()
    table["distance"] = [float(p.distance) for p in particles]
    table["generation"] = int(history.max_t)
    return Posterior(draws=table, names=tuple(names))


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str))
    os.replace(tmp, path)


class _executor:
    """The caller's executor, or one made for a backend (closed on exit)."""

    def __init__(self, executor, backend, workers, scheduler):
        self.given, self.args, self.context = executor, (backend, workers, scheduler), None

    def __enter__(self):
        if self.given is not None:
            return self.given
        from ..sweeps.backends import make_executor

        self.context = make_executor(*self.args)
        return self.context.__enter__()

    def __exit__(self, *exc):
        if self.context is not None:
            return self.context.__exit__(*exc)
        return False


__all__ = ["CalibrationDirectoryError", "CalibrationSummary", "posterior_from_history", "run_calibration"]
