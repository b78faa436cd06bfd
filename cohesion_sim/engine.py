"""The batch engine: R runs advanced together by the one year function (:func:`cohesion_sim.year.advance_year`).

It adds nothing to the model: it prepares R runs (:func:`cohesion_sim.runs.prepare_runs`),
starts them (:func:`cohesion_sim.state.initial_state`), advances them a year at a time and
keeps what :mod:`cohesion_sim.measurement` reports. Every run has its own scenario and seed;
its random numbers come from its own ``numpy.random.default_rng(seed)``, so a run of the
engine equals ``AllianceModel(scenario, rng=seed)`` run alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .dataset import DataError, load_allies, load_partners
from .errors import ScenarioError, check_seed
from .measurement import agent_values, current_cohesion, measure
from .reporters import AGENT_REPORTERS, FINAL_METRICS, SUMMIT_OUTCOMES
from .runs import prepare_runs
from .scenario import Scenario
from .state import initial_state
from .year import advance_year

#: The summit outcome as the engine codes it, and back.
SUMMIT_CODES = {name: code for code, name in enumerate(SUMMIT_OUTCOMES)}
SUMMIT_NAMES = dict(enumerate(SUMMIT_OUTCOMES))
#: Agent reporters the engine keeps per ally (``iso3`` is :attr:`BatchResult.iso3`).
AGENT_OUTPUTS = tuple(name for name in AGENT_REPORTERS if name != "iso3")


@dataclass
class BatchResult:
    """Outputs of R runs: ``final[name]`` has shape (R,), ``yearly[name]`` (R, years), ``agents[name]`` (R, years, N)."""

    years: np.ndarray
    final: dict[str, np.ndarray]
    yearly: dict[str, np.ndarray] = field(default_factory=dict)
    agents: dict[str, np.ndarray] = field(default_factory=dict)
    iso3: tuple[str, ...] = ()


class BatchEngine:
    """R runs advanced together; all runs share the start year, end year and allies data.

    Args:
        scenarios: one validated :class:`Scenario` per run (pass the same object for replicates:
            set-up work is cached per object).
        seeds: one non-negative integer seed per run.
        yearly: keep every model reporter every year (else only the final year's).
        agents: keep the agent reporters every year.
        with_blocs: compute the Louvain bloc count (a per-run networkx call: the slowest output);
            in the final year only unless ``yearly``.
    """

    def __init__(self, scenarios: Sequence[Scenario], seeds: Sequence[int], *, yearly: bool = False,
                 agents: bool = False, with_blocs: bool = True):  # fmt: skip
        if len(scenarios) != len(seeds):
            raise ValueError(f"{len(scenarios)} scenarios but {len(seeds)} seeds")
        if not scenarios:
            raise ValueError("no runs")
        self.seeds = [check_seed(seed) for seed in seeds]
        self.keep_yearly, self.keep_agents, self.with_blocs = yearly, agents, with_blocs
        try:
            allies = load_allies(scenarios[0].data_file)
        except DataError as exc:
            raise ScenarioError(f"field 'data_file': {exc}") from None
        generators = [np.random.default_rng(seed) for seed in self.seeds]
        self.runs = prepare_runs(scenarios, generators, allies, load_partners())
        self.state = initial_state(self.runs)
        self.iso3 = self.runs.alliance.iso3
        self.min_cohesion = np.full(self.runs.count, np.inf)
        self.yearly: dict[str, list] = {}
        self.agents: dict[str, list] = {}
        self.metrics: dict[str, np.ndarray] = {}

    def step(self) -> None:
        """One year for every run."""
        advance_year(self.state, self.runs)
        self._observe()

    def _observe(self) -> None:
        final = self.state.year >= self.runs.end_year
        keep = self.keep_yearly or self.keep_agents
        if not (keep or final):
            self.min_cohesion = np.minimum(self.min_cohesion, current_cohesion(self.state, self.runs))
            return
        self.metrics = measure(self.state, self.runs, with_blocs=self.with_blocs)
        self.min_cohesion = np.minimum(self.min_cohesion, self.metrics["cohesion"])
        if keep:
            for name, value in self.metrics.items():
                self.yearly.setdefault(name, []).append(value)
        if self.keep_agents:
            for name, value in agent_values(self.state, self.runs).items():
                self.agents.setdefault(name, []).append(value)

    def run(self) -> BatchResult:
        """Measure the start year, step to the end year, and collect the outputs."""
        self._observe()
        while self.state.year < self.runs.end_year:
            self.step()
        state = self.state
        summaries = {"summits_held": state.summits_held, "summits_failed": state.summits_failed,
                     "min_cohesion": self.min_cohesion}  # fmt: skip
        final = {name: np.asarray(summaries[name] if name in summaries else self.metrics[name]) for name in FINAL_METRICS}
        years = np.arange(self.runs.start_year, self.runs.end_year + 1)
        yearly = {name: np.stack(values, axis=1) for name, values in self.yearly.items()}
        agents = {name: np.stack(values, axis=1) for name, values in self.agents.items()}
        return BatchResult(years=years, final=final, yearly=yearly, agents=agents, iso3=self.iso3)


def run_batch(scenarios: Sequence[Scenario], seeds: Sequence[int], *, yearly: bool = False, agents: bool = False,
              with_blocs: bool = True) -> BatchResult:  # fmt: skip
    """Run R scenarios with their seeds on the batch engine; see :class:`BatchEngine`."""
    return BatchEngine(scenarios, seeds, yearly=yearly, agents=agents, with_blocs=with_blocs).run()


__all__ = ["AGENT_OUTPUTS", "FINAL_METRICS", "SUMMIT_CODES", "SUMMIT_NAMES", "BatchEngine", "BatchResult", "run_batch"]
