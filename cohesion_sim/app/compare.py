"""Compare mode: the same seed under two scenarios, side by side."""

from __future__ import annotations

from html import escape

import solara

from ..scenario_files import ScenarioError
from .state import Frame, run_scenario, scenario_label, scenario_names
from .views import Card, Grid, MapView, SummitLog, TimeSeriesView

DEFAULT_PAIR = ("committed_us", "abrupt_withdrawal")

#: (label, metrics column, format) in the final-year table
FINAL_ROWS = (
    ("US vacuum", "vacuum", "{:.2f}"),
    ("Cohesion", "cohesion", "{:.2f}"),
    ("Allies meeting the guideline", "allies_at_guideline", "{:.0f}"),
    ("Allies at 2% or more", "allies_at_2pct", "{:.0f}"),
    ("Mean spending, % of GDP", "mean_spending", "{:.2f}"),
    ("European share of spending", "european_share", "{:.0%}"),
    ("Hedging allies", "hedging", "{:.0f}"),
    ("Disengaged allies", "disengaged", "{:.0f}"),
)


def final_table(left: tuple[str, Frame], right: tuple[str, Frame]) -> str:
    """HTML table of both runs' final-year numbers."""
    (a_name, a), (b_name, b) = left, right
    guideline = "<tr><th>Guideline in force</th>" + "".join(
        f"<td>{frame.guideline:g}%</td>" if frame.guideline is not None else "<td>none</td>" for frame in (a, b)
    ) + "</tr>"
    rows = guideline + "".join(
        f"<tr><th>{escape(label)}</th><td>{fmt.format(a.metrics[key])}</td><td>{fmt.format(b.metrics[key])}</td></tr>"
        for label, key, fmt in FINAL_ROWS
    )
    head = f"<tr><th>In {a.year}</th><td class='cs-a'>{escape(a_name)}</td><td class='cs-b'>{escape(b_name)}</td></tr>"
    return f"<table class='cs-compare-table'>{head}{rows}</table>"


def default_pair(names: list[str]) -> tuple[str, str]:
    if all(n in names for n in DEFAULT_PAIR):
        return DEFAULT_PAIR
    return (names[0], names[min(1, len(names) - 1)])


@solara.component
def CompareView(seed: int):
    names = scenario_names()
    labels = {scenario_label(n): n for n in names}
    first, second = default_pair(names)
    left = solara.use_reactive(first)
    right = solara.use_reactive(second)

    def both_runs():
        try:
            return run_scenario(left.value, seed), run_scenario(right.value, seed), None
        except ScenarioError as exc:
            return None, None, str(exc)

    a, b, error = solara.use_memo(both_runs, [left.value, right.value, seed])
    solara.HTML(tag="p", classes=["cs-intro"], unsafe_innerHTML=(
        f"Two scenarios, each with its own settings, run to the end with the same seed ({seed}), so any "
        "difference comes from the scenario and not from luck. Change the seed in the sidebar."))  # fmt: skip
    with Grid("1fr 1fr"):
        with solara.Div(classes=["cs-pick-a"]):
            solara.Select("First scenario", values=list(labels), value=scenario_label(left.value),
                          on_value=lambda label: left.set(labels[label]))  # fmt: skip
        with solara.Div(classes=["cs-pick-b"]):
            solara.Select("Second scenario", values=list(labels), value=scenario_label(right.value),
                          on_value=lambda label: right.set(labels[label]))  # fmt: skip
    if error:
        solara.Error(error)
        return
    a_label, b_label = scenario_label(left.value), scenario_label(right.value)
    with solara.Div(attributes={"data-testid": "compare-view"}):
        with Grid():
            with Card("Over time"):
                TimeSeriesView([(a_label, a), (b_label, b)], testid="compare-series")
            with Card("Where they end up"):
                solara.HTML(tag="div", unsafe_innerHTML=final_table((a_label, a), (b_label, b)),
                            attributes={"data-testid": "compare-table"})  # fmt: skip
        with Grid("1fr 1fr"):
            for label, frame, side in ((a_label, a, "a"), (b_label, b, "b")):
                with Card(f"{label}, {frame.year}", subtitle=frame.title):
                    MapView(frame, testid=f"compare-map-{side}")
                    SummitLog(frame.events, testid=f"compare-log-{side}")
