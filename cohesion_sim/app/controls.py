"""The sidebar: every control with one line of help in a student's words.

During a run (after the first Step), moving a lever (coordination, partnerships, decision
rule, US level) is a dated intervention: it applies from the next year and the run goes on.
Before the first Step, the controls set the run from its start.
"""

from __future__ import annotations

from html import escape
from typing import Callable

import solara

from .state import DECISION_RULES, Settings, base_scenario, defaults_for, describe_path, scenario_label, scenario_names

HELP = {
    "scenario": "A ready-made story about the US and its allies. Pick one to start from.",
    "us_level": "How far the US steps back from defending Europe: 0 = full guarantee, 1 = gone.",
    "us_year": "The year the US moves to that level.",
    "volatility": "How erratic the US is from year to year: 0 = steady, 0.5 = wild swings.",
    "guideline": "The defence-spending target, in % of GDP, that allies vote on at the summit.",
    "decision_rule": "Consensus: one ally can block a vote. Qualified majority: most allies, with most of the GDP.",
    "coordination": "How much allies plan and share intelligence together; it calms disputes.",
    "partnerships": "How much allies invest in ties with democracies outside NATO, like Japan or Ukraine.",
    "seed": "The roll of the dice. Same seed, same run; change it to see another possible future.",
    "buttons": "Play runs years at the chosen speed. Step runs one year. Run to end finishes the run. Reset goes back.",
    "intervene": "After the first Step, a lever you move applies from next year and the run goes on.",
}


@solara.component
def Help(key: str):
    solara.HTML(tag="div", unsafe_innerHTML=escape(HELP[key]), classes=["cs-help"],
                attributes={"data-testid": f"help-{key}"})  # fmt: skip


@solara.component
def Labelled(label: str, shown: str):
    solara.HTML(tag="div", classes=["cs-label"], unsafe_innerHTML=f"{escape(label)}: <b>{escape(shown)}</b>")


@solara.component
def Slider(label: str, key: str, value, low, high, step, on_value, shown: str | None = None, whole: bool = False):
    """A slider under a label that shows the value, then its help line."""
    Labelled(label, shown if shown is not None else f"{value:g}")
    with solara.Div(attributes={"data-testid": f"slider-{key}"}):
        if whole:
            solara.SliderInt("", value=value, min=low, max=high, step=step, on_value=on_value, thumb_label=False)
        else:
            solara.SliderFloat("", value=value, min=low, max=high, step=step, on_value=on_value, thumb_label=False)
    Help(key)


@solara.component
def Section(title: str):
    solara.HTML(tag="div", unsafe_innerHTML=escape(title), classes=["cs-section"])


SPEEDS = {"slow: 1 year / 2 s": 2.0, "1 year a second": 1.0, "fast: 3 years / s": 0.33}


@solara.component
def RunButtons(on_play: Callable[[], None], on_step: Callable[[], None], on_reset: Callable[[], None],
               on_end: Callable[[], None], playing: bool, finished: bool, broken: bool,
               speed: solara.Reactive[str], year: int | None = None,
               presenting: solara.Reactive[bool] | None = None):  # fmt: skip
    with solara.Div(classes=["cs-controls-row"]):
        if year is not None:
            solara.HTML(tag="div", classes=["cs-year"], attributes={"data-testid": "year"},
                        unsafe_innerHTML=f"<span class='cs-year-label'>Year</span> {int(year)}")  # fmt: skip
        with solara.Row(classes=["cs-buttons"], gap="6px"):
            solara.Button("Pause" if playing else "Play", icon_name="mdi-pause" if playing else "mdi-play",
                          on_click=on_play, color="primary", disabled=broken or (finished and not playing),
                          classes=["cs-play"])  # fmt: skip
            solara.Button("Step", icon_name="mdi-skip-next", on_click=on_step,
                          disabled=broken or playing or finished, outlined=True, classes=["cs-step"])  # fmt: skip
            solara.Button("Run to end", icon_name="mdi-skip-forward", on_click=on_end,
                          disabled=broken or playing or finished, outlined=True, classes=["cs-end"])  # fmt: skip
            solara.Button("Reset", icon_name="mdi-restore", on_click=on_reset, disabled=playing, outlined=True,
                          classes=["cs-reset"])  # fmt: skip
        with solara.Div(classes=["cs-speed"], attributes={"data-testid": "speed"}):
            solara.Select("Speed", values=list(SPEEDS), value=speed, dense=True)
        if presenting is not None:
            solara.Button("Exit presentation" if presenting.value else "Presentation",
                          icon_name="mdi-presentation", text=True, classes=["cs-present-toggle"],
                          on_click=lambda: presenting.set(not presenting.value))  # fmt: skip


@solara.component
def Controls(settings: solara.Reactive[Settings], year: int, on_intervene: Callable[[Settings], None]):
    """Scenario, US stance, guideline, decision rule, coordination, partnerships and seed.

    ``year`` is the run's current year: after the start, levers become dated interventions.
    """
    current = settings.value
    names = scenario_names()
    labels = {scenario_label(n): n for n in names}
    if current.custom is not None:
        labels[f"File: {current.scenario}"] = current.scenario
    scenario = base_scenario(current)
    first, last = scenario.start_year + 1, scenario.end_year
    mid_run = year > scenario.start_year
    next_year = year + 1

    def pick(label: str):
        name = labels[label]
        if name == current.scenario and current.custom is not None:
            return
        settings.set(defaults_for(name, seed=current.seed))

    def change(**values):
        settings.set(current.replace(**values))

    def lever(**values):
        """A lever: from the start before the first Step, from next year during a run."""
        if mid_run:
            on_intervene(current.intervene(next_year, **values))
        else:
            change(**values)

    Section("Scenario")
    scenario_label_now = f"File: {current.scenario}" if current.custom is not None else scenario_label(current.scenario)
    solara.Select("Scenario", values=list(labels), value=scenario_label_now, on_value=pick)
    Help("scenario")
    solara.HTML(tag="div", unsafe_innerHTML=escape(scenario.description.strip()), classes=["cs-description"],
                attributes={"data-testid": "scenario-description"})  # fmt: skip

    if mid_run and year >= scenario.end_year:
        solara.HTML(tag="div", classes=["cs-note"], attributes={"data-testid": "midrun-note"},
                    unsafe_innerHTML="The run has ended. Press Reset to run it again with these settings.")
    elif mid_run:
        solara.HTML(tag="div", classes=["cs-note", "cs-midrun"], attributes={"data-testid": "midrun-note"},
                    unsafe_innerHTML=f"The run is in {year}. A lever you move now applies from {next_year}; "
                    "the years so far stay as they were.")  # fmt: skip
    if current.interventions:
        items = "".join(f"<li>{escape(i.describe())}</li>" for i in current.interventions)
        solara.HTML(tag="div", classes=["cs-note"], attributes={"data-testid": "interventions"},
                    unsafe_innerHTML=f"Changed during the run:<ul>{items}</ul>")  # fmt: skip
        solara.Button("Clear the changes", on_click=lambda: settings.set(current.replace(interventions=())),
                      text=True, classes=["cs-clear"])  # fmt: skip

    Section("US stance")
    us_now = current.lever("us_level", year) if mid_run else current.us_level
    if mid_run:
        Slider("US vacuum from next year", "us_level", us_now, 0.0, 1.0, 0.05,
               lambda v: lever(us_level=round(v, 2)), shown=f"{us_now:.2f}")  # fmt: skip
    else:
        if not current.stance_custom:
            solara.HTML(tag="div", classes=["cs-note"], attributes={"data-testid": "us-path-note"},
                        unsafe_innerHTML=escape(f"In this scenario the US vacuum {describe_path(scenario)}. Moving a "
                        "slider keeps that path until the year you pick, then sets the level you pick."))  # fmt: skip
        else:
            solara.HTML(tag="div", classes=["cs-note", "cs-changed"], attributes={"data-testid": "us-path-note"},
                        unsafe_innerHTML=escape(f"Now: the scenario's own path until {current.us_year}, then "
                        f"{current.us_level:.2f} with volatility {current.volatility:.2f}. (Its own path "
                        f"{describe_path(scenario)}.)"))  # fmt: skip
            solara.Button("Keep the scenario's path", on_click=lambda: settings.set(
                defaults_for(current.scenario, seed=current.seed).replace(
                    guideline=current.guideline, guideline_custom=current.guideline_custom,
                    coordination=current.coordination, partnerships=current.partnerships,
                    decision_rule=current.decision_rule)) if current.custom is None else None,
                text=True, classes=["cs-keep-path"])  # fmt: skip
        Slider("Level (the vacuum)", "us_level", current.us_level, 0.0, 1.0, 0.05,
               lambda v: change(us_level=round(v, 2)), shown=f"{current.us_level:.2f}")  # fmt: skip
        Slider("Year of change", "us_year", min(max(current.us_year, first), last), first, last, 1,
               lambda v: change(us_year=int(v)), shown=str(current.us_year), whole=True)  # fmt: skip
        Slider("Volatility", "volatility", current.volatility, 0.0, 0.5, 0.01,
               lambda v: change(volatility=round(v, 2)), shown=f"{current.volatility:.2f}")  # fmt: skip

    Section("Allies")
    if not mid_run:
        Slider("Guideline", "guideline", current.guideline, 1.0, 6.0, 0.1,
               lambda v: change(guideline=round(v, 1)), shown=f"{current.guideline:g}% of GDP")  # fmt: skip
    rule_now = current.lever("decision_rule", year) if mid_run else current.decision_rule
    rule_labels = {label: rule for rule, label in DECISION_RULES.items()}
    Labelled("Decision rule", DECISION_RULES[rule_now])
    solara.ToggleButtonsSingle(DECISION_RULES[rule_now], values=list(rule_labels),
                               on_value=lambda label: lever(decision_rule=rule_labels[label]), dense=True,
                               classes=["cs-rule"])  # fmt: skip
    Help("decision_rule")
    coordination = current.lever("coordination", year) if mid_run else current.coordination
    partnerships = current.lever("partnerships", year) if mid_run else current.partnerships
    Slider("Coordination", "coordination", coordination, 0.0, 1.0, 0.05,
           lambda v: lever(coordination=round(v, 2)), shown=f"{coordination:.2f}")  # fmt: skip
    Slider("Partnerships", "partnerships", partnerships, 0.0, 1.0, 0.05,
           lambda v: lever(partnerships=round(v, 2)), shown=f"{partnerships:.2f}")  # fmt: skip
    Help("intervene")
    solara.InputInt("Seed", value=current.seed, on_value=lambda v: change(seed=v), continuous_update=False)
    Help("seed")
