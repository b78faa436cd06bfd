"""A pyabc sampler that proposes particles in batches and simulates each batch on the batch engine.

Why pyabc (and not ELFI): both implement ABC-SMC, but on Python 3.12 here ELFI 0.8.8 pins
matplotlib < 3.9 (it would downgrade the project's plotting) and pulls GPy; pyabc 0.13 installs
cleanly. pyabc's own samplers evaluate one particle per model call, so this sampler does the
batching: it draws many proposals with pyabc's own proposal function, simulates them all in
chunks of one :func:`cohesion_sim.engine.run_batch` call each on any ``concurrent.futures``
executor (serial, process pool, Dask), and then lets pyabc judge each particle (distance,
acceptance, importance weight) in proposal order. Everything else (adaptive thresholds,
transition kernels, the per-generation SQLite history that makes runs resumable) is pyabc's.

pyabc draws from numpy's global generator; the sampler reseeds it at the start of every
generation from the calibration seed and the generation index, so a generation's draws do
not depend on whether the run was resumed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pyabc
from pyabc.inference_util import evaluate_proposal
from pyabc.inference_util.inference_util import _simulate_one_from_prior
from pyabc.population import Particle
from pyabc.sampler import Sampler


class EngineModel(pyabc.Model):
    """The pyabc model: hands pyabc the statistics the sampler simulated for a parameter set in advance."""

    def __init__(self, names: Sequence[str]):
        super().__init__(name="cohesion_sim")
        self.names = tuple(names)
        self.pending: dict[tuple, dict] = {}

    def key(self, pars) -> tuple:
        return tuple(float(pars[name]) for name in self.names)

    def sample(self, pars):
        return self.pending.pop(self.key(pars))


def generation_seed(seed: int, t: int) -> int:
    """The seed of generation ``t`` (t = -1 is pyabc's calibration sample from the prior)."""
    return int(np.random.SeedSequence(seed, spawn_key=(t + 1,)).generate_state(1)[0])


def run_seeds(seed: int, t: int, batch: int, size: int) -> list[int]:
    """Engine seeds for one batch of a generation: independent streams by (generation, batch)."""
    state = np.random.SeedSequence(seed, spawn_key=(t + 1, batch + 1)).generate_state(size, dtype=np.uint64)
    return [int(s >> np.uint64(1)) for s in state]


class BatchSampler(Sampler):
    """Propose a batch, simulate it on the engine, accept in order until the population is full.

    Args:
        simulate: ``simulate(thetas (B, d), seeds) -> statistics name -> (B, k)``.
        model: the :class:`EngineModel` registered with pyabc.
        bounds: (d, 2) array, each constant's uniform prior (low, high) in ``model.names`` order.
        seed: the calibration seed.
        min_batch: smallest batch (a multiple of the chunk size keeps every worker busy).
        progress: show a tqdm bar per generation.
    """

    def __init__(self, simulate: Callable, model: EngineModel, *, bounds: np.ndarray, seed: int, min_batch: int = 250,
                 progress: bool = True):  # fmt: skip
        super().__init__()
        self.bounds = np.asarray(bounds, dtype=float)  # (d, 2): each constant's uniform prior
        self.simulate, self.model, self.seed = simulate, model, seed
        self.min_batch, self.progress = min_batch, progress
        self.acceptance_rate = 0.5  # a first guess; then each generation's observed rate
        self.simulations = 0  # model runs over the whole calibration (also the surplus of the last batch)
        self.on_generation: Callable[[int, int], None] | None = None

    def _batch_size(self, missing: int) -> int:
        size = math.ceil(missing / max(self.acceptance_rate, 0.002) * 1.15)
        size = min(max(size, self.min_batch), 50 * self.min_batch)
        return math.ceil(size / self.min_batch) * self.min_batch

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None):
        np.random.seed(generation_seed(self.seed, t) % 2**32)
        keywords = simulate_one.keywords
        from_prior = simulate_one.func is _simulate_one_from_prior
        sample = self._create_empty_sample()
        evaluations = batch = 0
        bar = None
        if self.progress:
            from tqdm.auto import tqdm

            label = "prior sample" if from_prior else f"generation {t}"
            bar = tqdm(total=n, desc=label, unit="particle", leave=False)
        try:
            while sample.n_accepted < n and evaluations < max_eval:
                missing = n - sample.n_accepted
                size = missing if (from_prior or all_accepted) else self._batch_size(missing)
                thetas = self._propose(keywords, size, from_prior or t == 0)
                proposals = [(0, pyabc.Parameter(dict(zip(self.model.names, map(float, row))))) for row in thetas]
                stats = self.simulate(thetas, run_seeds(self.seed, t, batch, size))
                self.simulations += size
                evaluations += size
                batch += 1
                for k, (m, theta) in enumerate(proposals):
                    self.model.pending[self.model.key(theta)] = {name: values[k] for name, values in stats.items()}
                    particle = self._evaluate(keywords, t, m, theta, from_prior)
                    sample.append(particle)
                    if particle.accepted and bar is not None:
                        bar.update(1)
                    if sample.n_accepted >= n:
                        break
                self.model.pending.clear()
                if bar is not None:
                    bar.set_postfix(simulations=evaluations)
        finally:
            if bar is not None:
                bar.close()
        if not from_prior:
            self.acceptance_rate = max(sample.n_accepted / max(evaluations, 1), 1e-4)
        self.nr_evaluations_ = evaluations
        if sample.n_accepted < n:
            sample.ok = False
        return sample

    def _propose(self, keywords: dict, size: int, from_prior: bool) -> np.ndarray:
        """``size`` proposals (size, d): from the prior (pyabc's generation 0 and calibration sample), or from
        pyabc's fitted transition kernel kept inside
        the prior's support (what pyabc's ``generate_valid_proposal`` does one at a time, vectorised; the
        priors are uniform boxes, so positive prior density means inside the box)."""
        names = self.model.names
        if from_prior:
            prior = keywords["parameter_priors"][0]
            return np.array([[prior.rvs()[name] for name in names] for _ in range(size)])
        transition = keywords["transitions"][0]
        low, high = self.bounds[:, 0], self.bounds[:, 1]
        accepted: list[np.ndarray] = []
        count = 0
        for _ in range(1000):
            candidates = transition.rvs(size=max(2 * (size - count), 16))[list(names)].to_numpy(dtype=float)
            inside = candidates[((candidates >= low) & (candidates <= high)).all(axis=1)]
            accepted.append(inside)
            count += len(inside)
            if count >= size:
                break
        else:
            raise RuntimeError("the transition kernel proposes almost nothing inside the prior; check the priors")
        return np.concatenate(accepted)[:size]

    def _evaluate(self, keywords: dict, t: int, m: int, theta, from_prior: bool) -> Particle:
        if from_prior:  # as pyabc's _simulate_one_from_prior: everything accepted, distance set later
            result = keywords["models"][m].summary_statistics(0, theta, keywords["summary_statistics"])
            return Particle(m=m, parameter=theta, weight=1.0, sum_stat=result.sum_stat, distance=np.inf,
                            accepted=True, proposal_id=0, preliminary=False)  # fmt: skip
        return evaluate_proposal(
            m, theta, t=t, models=keywords["models"], summary_statistics=keywords["summary_statistics"],
            distance_function=keywords["distance_function"], eps=keywords["eps"], acceptor=keywords["acceptor"],
            x_0=keywords["x_0"], weight_function=keywords["weight_function"], proposal_id=keywords["proposal_id"],
        )  # fmt: skip


__all__ = ["BatchSampler", "EngineModel", "generation_seed", "run_seeds"]
