"""AllianceModel: NATO's members under a shifting US security stance, one step a year.

The model is the batch engine's year at R = 1: it holds one run's
:class:`~cohesion_sim.state.AllianceState`, advances it with
:func:`cohesion_sim.year.advance_year` (MODEL.md's schedule, written once), and offers the
state through Mesa agents (``MemberState``, ``UnitedStates``, ``Partner``) whose attributes
read their own column. Scenario and data files are read by the io layer
(:mod:`cohesion_sim.scenario_files`, :mod:`cohesion_sim.dataset`) in the constructor only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mesa
import numpy as np

from .agents import MemberState, Partner, UnitedStates
from .dataset import DataError, load_alliance_data
from .errors import ScenarioError, check_seed
from .measurement import measure
from .reporters import AGENT_REPORTERS, MODEL_REPORTERS, SUMMIT_OUTCOMES
from .rules import below_exit
from .runs import prepare_runs
from .scenario import Scenario
from .scenario_files import load_scenario
from .state import initial_state
from .year import SummitVotes, advance_year


class AllianceModel(mesa.Model):
    """The alliance under a scenario.

    Args:
        scenario: a built-in name (``"baseline"``), a path to a YAML file, or a
            :class:`~cohesion_sim.scenario.Scenario`.
        rng: the random seed (default: the scenario's ``seed``). Same seed, same numbers.
        **overrides: any scenario field by name (``coordination=0.8``), a dotted path into
            a group (``**{"vacuum.volatility": 0.2}``), or a number for a schedule
            (``vacuum=0.8`` means a constant vacuum).

    ``model.params`` is the validated scenario (``model.scenario`` is Mesa's own object);
    ``model.state`` the shared state (one run), ``model.runs`` its fixed inputs.
    """

    def __init__(self, scenario: str | Path | Scenario | None = "baseline", rng: int | None = None, **overrides: Any):
        params = load_scenario(scenario, **overrides)
        seed = check_seed(params.seed if rng is None else rng)
        super().__init__(rng=seed)
        self.params = params
        self.seed = seed
        self.data_year = params.resolved_data_year
        try:
            data = load_alliance_data(params.data_file)
        except DataError as exc:
            raise ScenarioError(f"field 'data_file': {exc}") from None
        self.runs = prepare_runs([params], [self.rng], data)
        self.state = initial_state(self.runs)
        self.alliance = self.runs.alliance
        self.n_allies, self.us_index = self.alliance.n, self.alliance.us_index
        self.events: list[dict[str, Any]] = []
        # members whose start the constants put below the exit level: a start the data contradict (ODD, limitations)
        allies = self.runs.members_in(params.start_year) * (self.alliance.us_mask == 0)
        below = below_exit(self.state.commitment[0], params.exit_commitment, allies)
        self.start_below_exit: list[str] = sorted(np.asarray(self.alliance.iso3)[below].tolist())

        self.members: list[MemberState] = []
        for i, ally in enumerate(data.allies):
            if i == self.us_index:
                self.us = UnitedStates(self, ally, i)
            else:
                self.members.append(MemberState(self, ally, i))
        self.partners = [Partner(self, q, k) for k, q in enumerate(data.partners[: self.runs.partner_gdp.shape[1]])]

        self.datacollector = mesa.DataCollector(
            model_reporters={name: _reporter(name) for name in MODEL_REPORTERS},
            agenttype_reporters={MemberState: {name: name for name in AGENT_REPORTERS}},
        )
        self.metrics = self.measure()
        self.datacollector.collect(self)

    # ------------------------------------------------------------------ the shared state, run 0
    @property
    def year(self) -> int:
        return self.state.year

    @property
    def tension(self) -> np.ndarray:
        """The tension matrix (N, N), the US included; the model owns it, each agent its row."""
        return self.state.tension[0]

    @property
    def spending(self) -> np.ndarray:
        return self.state.spending[0]

    @property
    def commitment(self) -> np.ndarray:
        return self.state.commitment[0]

    @property
    def gdp(self) -> np.ndarray:
        return self.state.gdp[0]

    @property
    def status_codes(self) -> np.ndarray:
        return self.state.status[0]

    @property
    def guideline_level(self) -> float | None:
        level = float(self.state.level[0])
        return level if np.isfinite(level) else None

    @property
    def guideline_adopted(self) -> int | None:
        return int(self.state.adopted[0]) if self.guideline_level is not None else None

    @property
    def guideline_deadline(self) -> int | None:
        return int(self.state.deadline[0]) if self.guideline_level is not None else None

    @property
    def summit_outcome(self) -> str:
        return SUMMIT_OUTCOMES[int(self.state.summit[0])]

    # ------------------------------------------------------------------------- the year
    def step(self) -> None:
        """One year (:func:`cohesion_sim.year.advance_year`), the summit log, then data collection."""
        if self.state.year >= self.runs.end_year:
            self.running = False
            return
        votes = advance_year(self.state, self.runs)
        if votes is not None and votes.due[0]:
            self.events.append(self._summit_event(votes))
        self.metrics = self.measure()
        self.datacollector.collect(self)
        if self.state.year >= self.runs.end_year:
            self.running = False

    def _summit_event(self, votes: SummitVotes) -> dict[str, Any]:
        """The summit log entry of this year's vote (run 0)."""
        year = self.state.year
        item = self.params.agenda_for(year)
        level = item.level if item is not None and item.item == "guideline" else None
        iso3 = self.alliance.iso3
        yes, exempted = votes.yes[0], votes.exempted[0]
        return {
            "year": year,
            "item": item.label if item is not None else "unity declaration",
            "kind": item.item if item is not None else "unity",
            "level": level,
            "deadline": item.deadline if item is not None else None,
            "decision_rule": self.params.decision_rule.at(year),
            "votes": {code: bool(v) for code, v in zip(iso3, yes)},
            "yes": int(np.sum(yes)),
            "no": int(np.sum(~yes)),
            "outcome": self.summit_outcome,
            "exemptions": [iso3[i] for i in np.flatnonzero(exempted)],
            "holdouts": [code for code, v in zip(iso3, yes) if not v],
        }

    # ----------------------------------------------------------------------- reporting
    def measure(self) -> dict[str, Any]:
        """Every model reporter for the current state (:func:`cohesion_sim.measurement.measure`, run 0)."""
        values = measure(self.state, self.runs)
        return {name: _plain(MODEL_REPORTERS[name].kind, values[name][0]) for name in MODEL_REPORTERS}

    def run(self) -> AllianceModel:
        """Step to the scenario's end year; returns the model for chaining."""
        while self.running:
            self.step()
        return self


def _plain(kind: str, value) -> Any:
    """A reporter's value as a Python scalar: ints, floats, None for no guideline, the summit's name."""
    if kind == "text":
        return SUMMIT_OUTCOMES[int(value)]
    if kind == "int":
        return int(value)
    value = float(value)
    return value if np.isfinite(value) else None


def _reporter(name: str):
    def report(model: AllianceModel):
        return model.metrics[name]

    report.__name__ = name
    return report
