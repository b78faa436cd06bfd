"""The sidebar: every control with one line of help in a student's words."""

from __future__ import annotations

from typing import Callable

import solara

from .state import DECISION_RULES, Settings, defaults_for, describe_path, scenario_label, scenario_names
from .state import scenario as cached_scenario

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
    "buttons": "Play runs a year every second. Step runs one year. Reset goes back to the start.",
}


@solara.component
def Help(key: str):
    solara.HTML(tag="div", unsafe_innerHTML=HELP[key], classes=["cs-help"], attributes={"data-testid": f"help-{key}"})


@solara.component
def Labelled(label: str, shown: str):
    solara.HTML(tag="div", classes=["cs-label"], unsafe_innerHTML=f"{label}: <b>{shown}</b>")


@solara.component
def Slider(label: str, key: str, value, low, high, step, on_value, shown: str | None = None, whole: bool = False):
    """A slider under a label that shows the value, then its help line."""
    Labelled(label, shown if shown is not None else f"{value:g}")
    if whole:
        solara.SliderInt("", value=value, min=low, max=high, step=step, on_value=on_value, thumb_label=False)
    else:
        solara.SliderFloat("", value=value, min=low, max=high, step=step, on_value=on_value, thumb_label=False)
    Help(key)


@solara.component
def Section(title: str):
    solara.HTML(tag="div", unsafe_innerHTML=title, classes=["cs-section"])


@solara.component
def RunButtons(on_play: Callable[[], None], on_step: Callable[[], None], on_reset: Callable[[], None],
               playing: bool, finished: bool, broken: bool):  # fmt: skip
    with solara.Div(classes=["cs-controls-row"]):
        with solara.Row(classes=["cs-buttons"], gap="8px"):
            solara.Button("Pause" if playing else "Play", icon_name="mdi-pause" if playing else "mdi-play",
                          on_click=on_play, color="primary", disabled=broken or (finished and not playing),
                          classes=["cs-play"])  # fmt: skip
            solara.Button("Step", icon_name="mdi-skip-next", on_click=on_step,
                          disabled=broken or playing or finished, outlined=True, classes=["cs-step"])  # fmt: skip
            solara.Button("Reset", icon_name="mdi-restore", on_click=on_reset, disabled=playing, outlined=True,
                          classes=["cs-reset"])  # fmt: skip
        Help("buttons")


@solara.component
def Controls(settings: solara.Reactive[Settings]):
    """Scenario, US stance, guideline, decision rule, coordination, partnerships and seed."""
    current = settings.value
    names = scenario_names()
    labels = {scenario_label(n): n for n in names}
    scenario = cached_scenario(current.scenario)
    first, last = scenario.start_year + 1, scenario.end_year

    def pick(label: str):
        settings.set(defaults_for(labels[label], seed=current.seed))

    def change(**values):
        settings.set(current.replace(**values))

    Section("Scenario")
    solara.Select("Scenario", values=list(labels), value=scenario_label(current.scenario), on_value=pick)
    Help("scenario")
    solara.HTML(tag="div", unsafe_innerHTML=scenario.description.strip(), classes=["cs-description"],
                attributes={"data-testid": "scenario-description"})  # fmt: skip

    Section("US stance")
    if not current.stance_custom:
        solara.HTML(tag="div", classes=["cs-note"],
                    unsafe_innerHTML=f"In this scenario the US vacuum {describe_path(scenario)}. "
                    "Moving a slider replaces that with one change in the year you pick.")  # fmt: skip
    Slider("Level (the vacuum)", "us_level", current.us_level, 0.0, 1.0, 0.05,
           lambda v: change(us_level=round(v, 2)), shown=f"{current.us_level:.2f}")  # fmt: skip
    Slider("Year of change", "us_year", min(max(current.us_year, first), last), first, last, 1,
           lambda v: change(us_year=int(v)), shown=str(current.us_year), whole=True)  # fmt: skip
    Slider("Volatility", "volatility", current.volatility, 0.0, 0.5, 0.01,
           lambda v: change(volatility=round(v, 2)), shown=f"{current.volatility:.2f}")  # fmt: skip

    Section("Allies")
    Slider("Guideline", "guideline", current.guideline, 1.0, 6.0, 0.1,
           lambda v: change(guideline=round(v, 1)), shown=f"{current.guideline:g}% of GDP")  # fmt: skip
    rule_labels = {label: rule for rule, label in DECISION_RULES.items()}
    Labelled("Decision rule", DECISION_RULES[current.decision_rule])
    solara.ToggleButtonsSingle(DECISION_RULES[current.decision_rule], values=list(rule_labels),
                               on_value=lambda label: change(decision_rule=rule_labels[label]), dense=True,
                               classes=["cs-rule"])  # fmt: skip
    Help("decision_rule")
    Slider("Coordination", "coordination", current.coordination, 0.0, 1.0, 0.05,
           lambda v: change(coordination=round(v, 2)), shown=f"{current.coordination:.2f}")  # fmt: skip
    Slider("Partnerships", "partnerships", current.partnerships, 0.0, 1.0, 0.05,
           lambda v: change(partnerships=round(v, 2)), shown=f"{current.partnerships:.2f}")  # fmt: skip
    solara.InputInt("Seed", value=current.seed, on_value=lambda v: change(seed=v), continuous_update=False)
    Help("seed")
