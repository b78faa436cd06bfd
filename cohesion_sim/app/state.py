"""What one browser session is running: its settings, its model, and immutable frames to draw.

Pure Python, no Solara: the page keeps one :class:`SessionRun` per browser session and draws
:class:`Frame` snapshots, so the views never read a model that another thread is stepping.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..model import AllianceModel
from ..outputs import agent_table, model_table
from ..scenario import Scenario
from ..scenario_files import DEFAULT_SCENARIO, ScenarioError, available_scenarios, load_scenario
from ..schedules import Constant, Ramp, Step, Values

#: How many of the strongest tensions the map draws.
MAP_EDGES = 12

DECISION_RULES = {"consensus": "consensus", "qualified_majority": "qualified majority"}


@dataclass(frozen=True)
class Settings:
    """Everything a student can set. ``stance_custom`` / ``guideline_custom`` say whether the
    US stance or the guideline were moved away from the scenario's own values."""

    scenario: str = DEFAULT_SCENARIO
    us_level: float = 0.3
    us_year: int = 2025
    volatility: float = 0.0
    stance_custom: bool = False
    guideline: float = 3.5
    guideline_custom: bool = False
    decision_rule: str = "consensus"
    coordination: float = 0.2
    partnerships: float = 0.0
    seed: int = 42

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes``; moving a US-stance or guideline control marks it custom."""
        if {"us_level", "us_year", "volatility"} & changes.keys():
            changes.setdefault("stance_custom", True)
        if "guideline" in changes:
            changes.setdefault("guideline_custom", True)
        return dataclasses.replace(self, **changes)


@functools.lru_cache(maxsize=64)
def scenario(name: str) -> Scenario:
    """The built-in scenario ``name``, read once per server (Scenario objects are immutable)."""
    return load_scenario(name)


def scenario_names() -> list[str]:
    """Built-in scenarios, baseline first."""
    names = available_scenarios()
    return sorted(names, key=lambda n: (n != DEFAULT_SCENARIO, n))


def scenario_title(name: str) -> str:
    try:
        return scenario(name).title
    except ScenarioError:
        return name


def scenario_label(name: str) -> str:
    """A short name for menus: the title up to its colon ("Abrupt withdrawal")."""
    return scenario_title(name).split(":")[0].strip()


def proposed_guideline(scenario: Scenario) -> float:
    """The guideline the scenario's summits vote on, else the one in force, else 2%."""
    for item in scenario.agenda:
        if item.item == "guideline" and item.level is not None:
            return float(item.level)
    return float(scenario.guideline.level) if scenario.guideline is not None else 2.0


def stance_of(scenario: Scenario) -> tuple[float, int, float]:
    """(level after the change, year of change, volatility) that best describe the scenario's US path."""
    path = scenario.vacuum.path
    if isinstance(path, Step):
        level, year = path.level, path.year
    elif isinstance(path, Ramp):
        level, year = path.to_value, path.to_year
    elif isinstance(path, Values):
        year = max(path.values)
        level = path.values[year]
    else:
        assert isinstance(path, Constant)
        level, year = path.level, scenario.start_year + 1
    year = min(max(int(year), scenario.start_year + 1), scenario.end_year)
    return float(level), year, float(scenario.vacuum.volatility)


def describe_path(scenario: Scenario) -> str:
    """The scenario's own US path in a few words, e.g. "rises from 0.30 to 0.85 in 2027"."""
    path = scenario.vacuum.path
    if isinstance(path, Step):
        return f"jumps from {path.before:.2f} to {path.level:.2f} in {path.year}"
    if isinstance(path, Ramp):
        verb = "rises" if path.to_value > path.from_value else "falls"
        return f"{verb} from {path.from_value:.2f} to {path.to_value:.2f} over {path.from_year}-{path.to_year}"
    if isinstance(path, Values):
        return "follows " + ", ".join(f"{v:.2f} from {y}" for y, v in sorted(path.values.items()))
    return f"stays at {path.level:.2f}"


def defaults_for(name: str, seed: int | None = None) -> Settings:
    """The controls' starting values for scenario ``name`` (raises ScenarioError if unknown)."""
    own = scenario(name)
    level, year, volatility = stance_of(own)
    return Settings(
        scenario=name,
        us_level=round(level, 2),
        us_year=year,
        volatility=round(volatility, 2),
        guideline=round(proposed_guideline(own), 1),
        decision_rule=own.decision_rule.at(own.start_year),
        coordination=round(own.coordination.at(own.start_year), 2),
        partnerships=round(own.partnerships.at(own.start_year), 2),
        seed=own.seed if seed is None else seed,
    )


def overrides_for(settings: Settings) -> dict[str, Any]:
    """Keyword overrides for :class:`AllianceModel` that turn the scenario into ``settings``."""
    own = scenario(settings.scenario)
    overrides: dict[str, Any] = {
        "decision_rule": settings.decision_rule,
        "coordination": settings.coordination,
        "partnerships": settings.partnerships,
    }
    if settings.stance_custom:
        overrides["vacuum"] = {
            "kind": "step",
            "before": own.vacuum.at(own.start_year),
            "level": settings.us_level,
            "year": settings.us_year,
            "volatility": settings.volatility,
        }
    if settings.guideline_custom:
        votes = [item for item in own.agenda if item.item == "guideline"]
        if votes:
            overrides["agenda"] = [
                {**item.model_dump(), "level": settings.guideline} if item.item == "guideline" else item.model_dump()
                for item in own.agenda
            ]
        elif own.guideline is not None:
            overrides["guideline"] = {**own.guideline.model_dump(), "level": settings.guideline}
        else:
            end = own.end_year
            overrides["guideline"] = {"level": settings.guideline, "adopted": own.start_year, "deadline": end}
    return overrides


def build_model(settings: Settings) -> AllianceModel:
    """A fresh model at the start year; raises ScenarioError with a one-line message."""
    if settings.seed is None or int(settings.seed) < 0:
        raise ScenarioError(f"seed: must be a whole number 0 or more, got {settings.seed}")
    return AllianceModel(settings.scenario, rng=int(settings.seed), **overrides_for(settings))


# ------------------------------------------------------------------------------- frames
@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one frame per drawn year
class Frame:
    """Everything the views draw, copied out of the model at one year."""

    title: str
    description: str
    year: int
    start_year: int
    end_year: int
    running: bool
    guideline: float | None
    allies: pd.DataFrame  # iso3, name, lat, lon, gdp, spending, status, meets_guideline
    us: dict[str, float]  # lat, lon, gdp, spending, vacuum
    edges: list[tuple[str, str, float]]  # strongest tensions, strongest first
    history: pd.DataFrame  # model_table so far
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def metrics(self) -> dict[str, Any]:
        return self.history.iloc[-1].to_dict()


def strongest_tensions(tension: np.ndarray, codes: list[str], count: int = MAP_EDGES) -> list[tuple[str, str, float]]:
    """The ``count`` largest off-diagonal tensions as (code, code, value), strongest first."""
    upper = np.triu_indices(len(codes), k=1)
    values = tension[upper]
    order = np.argsort(values)[::-1][:count]
    return [(codes[upper[0][k]], codes[upper[1][k]], float(values[k])) for k in order if values[k] > 0]


def frame_of(model: AllianceModel, start_spending: dict[str, float] | None = None) -> Frame:
    """Copy what the views need out of ``model``; ``start_spending`` marks each ally's first-year level."""
    codes = [""] * model.n_allies
    for member in model.members:
        codes[member.index] = member.iso3
    codes[model.us_index] = "USA"
    allies = pd.DataFrame(
        [
            {
                "iso3": m.iso3, "name": m.name, "lat": m.lat, "lon": m.lon, "gdp": m.gdp, "spending": m.spending,
                "status": m.status, "meets_guideline": m.meets_guideline, "armed": bool(m.has_armed_forces),
            }  # fmt: skip
            for m in model.members
        ]
    )
    if start_spending is not None:
        allies["start_spending"] = allies["iso3"].map(start_spending)
    us = model.us
    return Frame(
        title=model.params.title,
        description=model.params.description.strip(),
        year=int(model.year),
        start_year=model.params.start_year,
        end_year=model.params.end_year,
        running=bool(model.running),
        guideline=model.guideline_level,
        allies=allies,
        us={"lat": us.lat, "lon": us.lon, "gdp": us.gdp, "spending": us.spending, "vacuum": us.vacuum},
        edges=strongest_tensions(model.tension, codes),
        history=model_table(model).copy(),
        events=[dict(e) for e in model.events],
    )


class SessionRun:
    """One session's run: a model plus the lock that keeps stepping and reading apart.

    ``error`` holds a one-line message when the settings are invalid (then ``model`` is None).
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.lock = threading.Lock()
        self.error: str | None = None
        self.model: AllianceModel | None = None
        try:
            self.model = build_model(settings)
        except ScenarioError as exc:
            self.error = str(exc)
        self.start_spending = {m.iso3: m.spending for m in self.model.members} if self.model is not None else {}
        self._frame = frame_of(self.model, self.start_spending) if self.model is not None else None

    @property
    def frame(self) -> Frame | None:
        return self._frame

    @property
    def finished(self) -> bool:
        return self.model is None or not self.model.running

    def step(self) -> Frame | None:
        """Advance one year (no-op at the end); returns the new frame."""
        with self.lock:
            if self.model is not None and self.model.running:
                self.model.step()
                self._frame = frame_of(self.model, self.start_spending)
            return self._frame

    def run_to_end(self) -> Frame | None:
        with self.lock:
            if self.model is not None:
                self.model.run()
                self._frame = frame_of(self.model, self.start_spending)
            return self._frame

    def tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(model table, ally table) of the run so far."""
        with self.lock:
            if self.model is None:
                return pd.DataFrame(), pd.DataFrame()
            return model_table(self.model).copy(), agent_table(self.model)


def run_scenario(name: str, seed: int) -> Frame:
    """A whole run of scenario ``name`` with its own settings and ``seed``; its last frame."""
    run = SessionRun(defaults_for(name, seed=seed))
    if run.error:
        raise ScenarioError(run.error)
    return run.run_to_end()


def headline(frame: Frame) -> list[tuple[str, str, str]]:
    """(label, value, help) of the numbers shown in big type above the views."""
    m = frame.metrics
    armed = int(frame.allies["armed"].sum()) + 1  # the US too
    guideline = f"{frame.guideline:g}%" if frame.guideline is not None else "none"
    return [
        ("US vacuum", f"{m['vacuum']:.2f}", "0 = full US guarantee, 1 = the US is gone"),
        ("Cohesion", f"{m['cohesion']:.2f}", "0 = fragmented, 1 = fully united"),
        ("Meeting the guideline", f"{int(m['allies_at_guideline'])} of {armed}",
         f"allies with armed forces at or above {guideline}"),  # fmt: skip
        ("European share", f"{m['european_share']:.0%}", "of all allied defence spending"),
        ("Hedging / disengaged", f"{int(m['hedging'])} / {int(m['disengaged'])}", "allies no longer relying on the US"),
    ]
