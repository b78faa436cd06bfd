"""What one browser session is running: its settings, its model, and immutable frames to draw.

Pure Python, no Solara: the page keeps one :class:`SessionRun` per browser session and draws
:class:`Frame` snapshots, so the views never read a model that another thread is stepping.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import tempfile
import threading
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..compliance import ally_positions, counts
from ..model import AllianceModel
from ..outputs import agent_table, model_table
from ..scenario import Scenario
from ..scenario_files import DEFAULT_SCENARIO, ScenarioError, available_scenarios, load_scenario
from ..schedules import Constant, Ramp, Step, Values

from .summit_log import DECISION_RULES

#: How many of the strongest tensions the map draws.
MAP_EDGES = 12


#: Fields a student can change mid-run; the change applies from the next year (a dated intervention).
LEVERS = ("coordination", "partnerships", "decision_rule", "us_level")


@dataclass(frozen=True)
class Intervention:
    """From ``year`` on, ``field`` takes ``value`` (a lever changed during a run)."""

    year: int
    field: str
    value: Any

    def describe(self) -> str:
        shown = DECISION_RULES.get(self.value, self.value) if self.field == "decision_rule" else f"{self.value:g}"
        name = {"us_level": "US vacuum", "decision_rule": "decision rule"}.get(self.field, self.field)
        return f"{name} {shown} from {self.year}"


@dataclass(frozen=True)
class Settings:
    """Everything a student can set. ``stance_custom`` / ``guideline_custom`` say whether the
    US stance or the guideline were moved away from the scenario's own values; ``interventions``
    are levers changed during a run; ``custom`` holds the YAML text of a loaded scenario file
    (then ``scenario`` is that file's name)."""

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
    interventions: tuple[Intervention, ...] = ()
    custom: str | None = None

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes``; moving a US-stance or guideline control marks it custom."""
        if {"us_level", "us_year", "volatility"} & changes.keys():
            changes.setdefault("stance_custom", True)
        if "guideline" in changes:
            changes.setdefault("guideline_custom", True)
        return dataclasses.replace(self, **changes)

    def intervene(self, year: int, **changes: Any) -> Settings:
        """These settings with levers changed from ``year`` on (earlier changes to the same lever in or after
        ``year`` are dropped)."""
        kept = [i for i in self.interventions if not (i.field in changes and i.year >= year)]
        added = [Intervention(int(year), field, value) for field, value in changes.items()]
        return dataclasses.replace(self, interventions=tuple(sorted(kept + added, key=lambda i: (i.year, i.field))))

    def lever(self, field: str, year: int) -> Any:
        """The value of lever ``field`` in ``year``, interventions included."""
        value = getattr(self, field)
        for item in self.interventions:
            if item.field == field and item.year <= year:
                value = item.value
        return value


@functools.lru_cache(maxsize=64)
def scenario(name: str) -> Scenario:
    """The built-in scenario ``name``, read once per server (Scenario objects are immutable)."""
    return load_scenario(name)


@functools.lru_cache(maxsize=32)
def scenario_from_text(name: str, text: str) -> Scenario:
    """A scenario from YAML text (an uploaded file), read with the project's validated loader.

    The text is written to a private temporary file so ``extends:`` and every check work exactly
    as for a file on disk; errors are one line naming the file (``name``) and the field.
    """
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(name).name) or "scenario.yaml"
    if not safe.endswith((".yaml", ".yml")):
        safe += ".yaml"
    with tempfile.TemporaryDirectory(prefix="cohesion-app-") as folder:
        path = Path(folder) / safe
        path.write_text(text, encoding="utf-8")
        try:
            return load_scenario(path)
        except ScenarioError as exc:
            raise ScenarioError(str(exc).replace(str(path), safe)) from None


def base_scenario(settings: Settings) -> Scenario:
    """The scenario the settings start from: a built-in one, or the loaded file."""
    if settings.custom is not None:
        return scenario_from_text(settings.scenario, settings.custom)
    return scenario(settings.scenario)


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


def _lever_value(value: Any) -> float:
    """The starting number of a lever that may already be a schedule (after the levers-as-schedules change)."""
    return float(value.at(0)) if hasattr(value, "at") else float(value)


def _rule_value(value: Any) -> str:
    return value if isinstance(value, str) else str(getattr(value, "before", value))


def settings_for(own: Scenario, name: str, seed: int | None = None, custom: str | None = None) -> Settings:
    """The controls' starting values for scenario ``own`` called ``name``."""
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
        custom=custom,
    )


def defaults_for(name: str, seed: int | None = None) -> Settings:
    """The controls' starting values for built-in scenario ``name`` (raises ScenarioError if unknown)."""
    return settings_for(scenario(name), name, seed)


def settings_from_text(name: str, text: str, seed: int | None = None) -> Settings:
    """The controls' starting values for a loaded scenario file (raises ScenarioError, one line)."""
    return settings_for(scenario_from_text(name, text), name, seed, custom=text)


def own_path_until(own: Scenario, year: int, level: float) -> dict[str, Any]:
    """The scenario's own US path up to ``year`` (year by year), then ``level``: a values schedule."""
    values = {y: float(own.vacuum.at(y)) for y in range(own.start_year, year)}
    values[int(year)] = float(level)
    return {"kind": "values", "values": values}


@functools.lru_cache(maxsize=1)
def levers_take_schedules() -> bool:
    """True once scenario fields such as ``coordination`` accept a dated schedule (levers as schedules)."""
    try:
        load_scenario(DEFAULT_SCENARIO, coordination={"kind": "values", "values": {2024: 0.2, 2027: 0.5}},
                      decision_rule={"before": "consensus", "after": "qualified_majority", "year": 2027})  # fmt: skip
        return True
    except (ScenarioError, TypeError, ValueError):
        return False


def lever_schedule(start_year: int, base: float, changes: list[Intervention]) -> dict[str, Any]:
    """A lever's dated schedule: ``base`` from the start, then each intervention from its year."""
    values = {int(start_year): float(base)}
    for item in changes:
        values[int(item.year)] = float(item.value)
    return {"kind": "values", "values": values}


def rule_schedule(base: str, changes: list[Intervention]) -> str | dict[str, Any]:
    """The decision rule as a dated switch (the last change wins; a switch back to ``base`` is no switch)."""
    if not changes or changes[-1].value == base:
        return base
    last = changes[-1]
    return {"before": base, "after": last.value, "year": int(last.year)}


def overrides_for(settings: Settings, with_interventions: bool = True) -> dict[str, Any]:
    """Keyword overrides for :class:`AllianceModel` that turn the scenario into ``settings``.

    Interventions become dated schedules when the model accepts them; otherwise (before the
    levers-as-schedules change) :class:`SessionRun` applies them in their year.
    """
    own = base_scenario(settings)
    overrides: dict[str, Any] = {
        "decision_rule": settings.decision_rule,
        "coordination": settings.coordination,
        "partnerships": settings.partnerships,
    }
    if settings.stance_custom:
        overrides["vacuum"] = {**own_path_until(own, settings.us_year, settings.us_level),
                               "volatility": settings.volatility}  # fmt: skip
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
    if not (with_interventions and settings.interventions):
        return overrides
    us = [i for i in settings.interventions if i.field == "us_level"]
    if us:  # the US path so far (the scenario's own, or the custom one), then the new level
        so_far = load_scenario(own, **{k: v for k, v in overrides.items() if k == "vacuum"})
        path = own_path_until(so_far, us[0].year, us[0].value)
        for item in us[1:]:
            path["values"].update({y: path["values"].get(y, _at(path, y)) for y in range(min(path["values"]), item.year)})
            path["values"][int(item.year)] = float(item.value)
        overrides["vacuum"] = {**path, "volatility": so_far.vacuum.volatility, "reversion": so_far.vacuum.reversion}
    if levers_take_schedules():
        for field in ("coordination", "partnerships"):
            changes = [i for i in settings.interventions if i.field == field]
            if changes:
                overrides[field] = lever_schedule(own.start_year, getattr(settings, field), changes)
        rules = [i for i in settings.interventions if i.field == "decision_rule"]
        if rules:
            overrides["decision_rule"] = rule_schedule(settings.decision_rule, rules)
    return overrides


def _at(path: dict[str, Any], year: int) -> float:
    listed = [y for y in sorted(path["values"]) if y <= year]
    return path["values"][listed[-1] if listed else min(path["values"])]


def start_warning(codes: list[str]) -> str:
    """One sentence when the constants put allies below the exit level at the start (a start the data contradict)."""
    shown = ", ".join(codes[:8]) + (", ..." if len(codes) > 8 else "")
    return (f"With these constants {len(codes)} allies ({shown}) start below the commitment at which an ally leaves, "
            "so they disengage at once whatever the US does; in the start year every ally was engaged.")


def check_seed(seed: Any) -> int:
    if seed is None or isinstance(seed, bool) or int(seed) != seed or int(seed) < 0:
        raise ScenarioError(f"seed: must be a whole number 0 or more, got {seed}")
    return int(seed)


def resolved_scenario(settings: Settings) -> Scenario:
    """The validated scenario these settings run (interventions included where the model takes schedules)."""
    return load_scenario(base_scenario(settings), **overrides_for(settings))


def build_model(settings: Settings) -> AllianceModel:
    """A fresh model at the start year; raises ScenarioError with a one-line message."""
    seed = check_seed(settings.seed)
    return AllianceModel(resolved_scenario(settings), rng=seed)


def pending_interventions(settings: Settings) -> list[Intervention]:
    """Interventions the model cannot take as schedules yet: :class:`SessionRun` applies them in their year."""
    if levers_take_schedules():
        return []
    return [i for i in settings.interventions if i.field in ("coordination", "partnerships", "decision_rule")]


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
    allies: pd.DataFrame  # iso3, name, lat, lon, gdp, spending, status, meets_guideline, path, compliance, ...
    us: dict[str, float]  # lat, lon, gdp, spending, vacuum
    edges: list[tuple[str, str, float]]  # strongest tensions, strongest first
    history: pd.DataFrame  # model_table so far, with on_track / at_2pct_members / armed_members columns
    events: list[dict[str, Any]] = field(default_factory=list)
    params: Scenario | None = None
    interventions: tuple[Intervention, ...] = ()

    @property
    def metrics(self) -> dict[str, Any]:
        return self.history.iloc[-1].to_dict()


def strongest_tensions(tension: np.ndarray, codes: list[str], count: int = MAP_EDGES) -> list[tuple[str, str, float]]:
    """The ``count`` largest off-diagonal tensions as (code, code, value), strongest first."""
    upper = np.triu_indices(len(codes), k=1)
    values = tension[upper]
    order = np.argsort(values)[::-1][:count]
    return [(codes[upper[0][k]], codes[upper[1][k]], float(values[k])) for k in order if values[k] > 0]


def compliance_row(model: AllianceModel) -> tuple[pd.DataFrame, dict[str, int]]:
    positions = ally_positions(model)
    return positions, counts(positions)


def frame_of(model: AllianceModel, start_spending: dict[str, float] | None = None,
             compliance_history: list[dict[str, int]] | None = None,
             interventions: tuple[Intervention, ...] = ()) -> Frame:  # fmt: skip
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
                "commitment": m.commitment, "us_reliability": m.us_reliability, "threat": m.threat,
            }  # fmt: skip
            for m in model.members
        ]
    )
    positions, _ = compliance_row(model)
    allies = allies.merge(positions, on="iso3", how="left")
    if start_spending is not None:
        allies["start_spending"] = allies["iso3"].map(start_spending)
    history = model_table(model).copy()
    if compliance_history is not None and len(compliance_history) == len(history):
        for key, column in (("on track", "on_track"), ("behind", "behind"), ("far behind", "far_behind"),
                            ("exempted", "exempted"), ("at_2pct", "at_2pct_members"), ("armed", "armed_members")):
            history[column] = [row[key] for row in compliance_history]
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
        history=history,
        events=[dict(e) for e in model.events],
        params=model.params,
        interventions=interventions,
    )


def state_before(model: AllianceModel) -> Any:
    """The alliance's state before the next year (a copy), from which "why" recomputes the year's decisions."""
    import copy

    return copy.deepcopy(model.state) if hasattr(model, "state") else None


class SessionRun:
    """One session's run: a model plus the lock that keeps stepping and reading apart.

    ``error`` holds a one-line message when the settings are invalid (then ``model`` is None).
    ``advance_to`` replays the run (same seed, same draws) up to that year: an intervention made
    in year Y leaves every year up to Y exactly as it was, and the run goes on from there.
    """

    def __init__(self, settings: Settings, advance_to: int | None = None):
        self.settings = settings
        self.lock = threading.Lock()
        self.error: str | None = None
        self.model: AllianceModel | None = None
        self.compliance: list[dict[str, int]] = []
        self.before: dict[str, Any] | None = None  # the allies' state before the last step
        self._pending = pending_interventions(settings)
        try:
            self.model = build_model(settings)
        except ScenarioError as exc:
            self.error = str(exc)
        except (ValueError, TypeError) as exc:  # a value the controls should not allow: still one line
            self.error = str(exc).splitlines()[0]
        self.start_spending = {m.iso3: m.spending for m in self.model.members} if self.model is not None else {}
        self._frame = None
        if self.model is not None:
            self.compliance.append(compliance_row(self.model)[1])
            while advance_to is not None and self.model.running and self.model.year < advance_to:
                self._advance()
            self._frame = self._make_frame()

    def _make_frame(self) -> Frame:
        return frame_of(self.model, self.start_spending, self.compliance, self.settings.interventions)

    def _advance(self) -> None:
        model = self.model
        due = [i for i in self._pending if i.year == model.year + 1]
        if due:  # levers the model cannot take as schedules yet: the validated scenario, changed from this year
            model.params = load_scenario(model.params, **{i.field: i.value for i in due})
        self.before = state_before(model)
        model.step()
        self.compliance.append(compliance_row(model)[1])

    @property
    def frame(self) -> Frame | None:
        return self._frame

    @property
    def year(self) -> int | None:
        return None if self.model is None else int(self.model.year)

    @property
    def finished(self) -> bool:
        return self.model is None or not self.model.running

    def step(self) -> Frame | None:
        """Advance one year (no-op at the end); returns the new frame."""
        with self.lock:
            if self.model is not None and self.model.running:
                self._advance()
                self._frame = self._make_frame()
            return self._frame

    def run_to_end(self) -> Frame | None:
        with self.lock:
            if self.model is not None:
                while self.model.running:
                    self._advance()
                self._frame = self._make_frame()
            return self._frame

    def tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(model table, ally table) of the run so far."""
        with self.lock:
            if self.model is None:
                return pd.DataFrame(), pd.DataFrame()
            return model_table(self.model).copy(), agent_table(self.model)

    def why(self, iso3: str):
        """Why ally ``iso3`` changed in the last year (see :mod:`cohesion_sim.app.why`); None before the first step."""
        from .why import explain

        with self.lock:
            if self.model is None or self.before is None:
                return None
            return explain(self.model, self.before, iso3)


def run_settings(settings: Settings) -> Frame:
    """A whole run with ``settings``; its last frame (raises ScenarioError)."""
    run = SessionRun(settings)
    if run.error:
        raise ScenarioError(run.error)
    return run.run_to_end()


def run_scenario(name: str, seed: int) -> Frame:
    """A whole run of scenario ``name`` with its own settings and ``seed``; its last frame."""
    return run_settings(defaults_for(name, seed=seed))


def headline(frame: Frame) -> list[tuple[str, str, str]]:
    """(label, value, help) of the numbers shown in big type above the views."""
    m = frame.metrics
    guideline = f"{frame.guideline:g}%" if frame.guideline is not None else "2%"
    armed = int(m["armed_members"]) if "armed_members" in m else None
    return [
        ("US vacuum", f"{m['vacuum']:.2f}", "0 = full US guarantee, 1 = the US is gone"),
        ("Cohesion", f"{m['cohesion']:.2f}", "0 = fragmented, 1 = fully united"),
        ("Mean spending", f"{m['mean_spending']:.2f}%", "mean defence spending of allies with armed forces, % of GDP"),
        ("Europe's share", f"{m['european_share']:.0%}", "Europe's and Canada's share of allied defence spending"),
        ("Hedging / out", f"{int(m['hedging'])} / {int(m['disengaged'])}", "allies hedging / disengaged"),
        ("Blocs", f"{int(m['blocs'])}", "camps among engaged allies (1 = one alliance)"),
        *_compliance_stats(m, armed, guideline),
    ]


def _compliance_stats(m: dict[str, Any], armed: int | None, guideline: str) -> list[tuple[str, str, str]]:
    if armed is None:  # a frame without compliance history: the model's own counts (US included)
        return [("At guideline / 2%", f"{int(m['allies_at_guideline'])} / {int(m['allies_at_2pct'])}",
                 "allies with armed forces at or above the guideline in force / 2% of GDP")]  # fmt: skip
    path = f"{int(m['on_track'])} · {int(m['behind'])} · {int(m['far_behind'])}"
    return [
        ("At 2%", f"{int(m['at_2pct_members'])} of {armed}", "European allies and Canada at or above 2% of GDP"),
        ("On track · behind · far behind their path", path, f"of {armed} European allies and Canada with armed forces: against their own "
         f"path to the {guideline} guideline (exempted allies not counted)"),  # fmt: skip
    ]
