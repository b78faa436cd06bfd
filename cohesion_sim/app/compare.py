"""Compare mode: any two settings (scenario and levers) run to the end with the same seed, side by side."""

from __future__ import annotations

from html import escape

import solara

from ..scenario_files import ScenarioError
from .charts import SERIES, SERIES_BY_TITLE
from .state import DECISION_RULES, Frame, Settings, defaults_for, run_settings, scenario_label, scenario_names
from .views import Card, Grid, MapView, SeriesView, SummitLog, TimeSeriesView

DEFAULT_PAIR = ("committed_us", "abrupt_withdrawal")

#: (label, metrics column, format) in the final-year table
FINAL_ROWS = (
    ("US vacuum", "vacuum", "{:.2f}"),
    ("Cohesion", "cohesion", "{:.2f}"),
    ("Allies on track (own path)", "on_track", "{:.0f}"),
    ("Allies behind / far behind", None, None),
    ("Allies at 2% or more", "at_2pct_members", "{:.0f}"),
    ("Mean spending, % of GDP", "mean_spending", "{:.2f}"),
    ("European share of spending", "european_share", "{:.0%}"),
    ("Tension with the US", "us_tension", "{:.2f}"),
    ("Hedging allies", "hedging", "{:.0f}"),
    ("Disengaged allies", "disengaged", "{:.0f}"),
)


def describe_settings(settings: Settings) -> str:
    """One line naming the scenario and every lever, for the table and the chart legend."""
    rule = DECISION_RULES[settings.decision_rule]
    text = (f"{scenario_label(settings.scenario)}: coordination {settings.coordination:g}, partnerships "
            f"{settings.partnerships:g}, {rule}")  # fmt: skip
    if settings.guideline_custom:
        text += f", guideline {settings.guideline:g}%"
    if settings.stance_custom:
        text += f", US {settings.us_level:.2f} from {settings.us_year}"
    return text


def final_table(left: tuple[str, Frame], right: tuple[str, Frame]) -> str:
    """HTML table of both runs' final-year numbers."""
    (a_name, a), (b_name, b) = left, right
    guideline = "<tr><th>Guideline in force</th>" + "".join(
        f"<td>{frame.guideline:g}%</td>" if frame.guideline is not None else "<td>none</td>" for frame in (a, b)
    ) + "</tr>"
    rows = [guideline]
    for label, key, fmt in FINAL_ROWS:
        if key is None:
            cells = "".join(f"<td>{int(f.metrics['behind'])} / {int(f.metrics['far_behind'])}</td>" for f in (a, b))
        else:
            cells = "".join(f"<td>{fmt.format(f.metrics[key])}</td>" for f in (a, b))
        rows.append(f"<tr><th>{escape(label)}</th>{cells}</tr>")
    head = f"<tr><th>In {a.year}</th><td class='cs-a'>{escape(a_name)}</td><td class='cs-b'>{escape(b_name)}</td></tr>"
    return f"<table class='cs-compare-table'>{head}{''.join(rows)}</table>"


def default_pair(names: list[str]) -> tuple[str, str]:
    if all(n in names for n in DEFAULT_PAIR):
        return DEFAULT_PAIR
    return (names[0], names[min(1, len(names) - 1)])


@solara.component
def SideEditor(title: str, side: str, value: solara.Reactive[Settings], explore: Settings):
    """A scenario and its levers for one side of the comparison."""
    names = scenario_names()
    labels = {scenario_label(n): n for n in names}
    current = value.value
    rule_labels = {label: rule for rule, label in DECISION_RULES.items()}
    with solara.Div(classes=["cs-side", f"cs-pick-{side}"], attributes={"data-testid": f"side-{side}"}):
        solara.HTML(tag="div", classes=["cs-section"], unsafe_innerHTML=escape(title))
        solara.Select(f"{title} scenario", values=list(labels), value=scenario_label(current.scenario),
                      on_value=lambda label: value.set(defaults_for(labels[label], seed=current.seed)))  # fmt: skip
        with solara.Row(gap="12px", style={"flex-wrap": "wrap", "align-items": "center"}):
            with solara.Div(style={"min-width": "200px", "flex": "1"}):
                solara.SliderFloat(f"Coordination {current.coordination:.2f}", value=current.coordination, min=0,
                                   max=1, step=0.05, on_value=lambda v: value.set(current.replace(coordination=round(v, 2))))
            with solara.Div(style={"min-width": "200px", "flex": "1"}):
                solara.SliderFloat(f"Partnerships {current.partnerships:.2f}", value=current.partnerships, min=0,
                                   max=1, step=0.05, on_value=lambda v: value.set(current.replace(partnerships=round(v, 2))))
        with solara.Row(gap="12px", style={"flex-wrap": "wrap", "align-items": "center"}):
            with solara.Div(style={"min-width": "200px", "flex": "1"}):
                solara.SliderFloat(f"Guideline {current.guideline:g}%", value=current.guideline, min=1, max=6, step=0.1,
                                   on_value=lambda v: value.set(current.replace(guideline=round(v, 1))))
            with solara.Div(style={"min-width": "200px", "flex": "1"}):
                solara.SliderFloat(f"US vacuum {current.us_level:.2f} from {current.us_year}", value=current.us_level,
                                   min=0, max=1, step=0.05,
                                   on_value=lambda v: value.set(current.replace(us_level=round(v, 2))))  # fmt: skip
        solara.ToggleButtonsSingle(DECISION_RULES[current.decision_rule], values=list(rule_labels),
                                   on_value=lambda label: value.set(current.replace(decision_rule=rule_labels[label])),
                                   dense=True, classes=["cs-rule"])  # fmt: skip
        solara.Button("Use the Explore settings", text=True, on_click=lambda: value.set(explore.replace(interventions=())),
                      classes=[f"cs-copy-{side}"])  # fmt: skip


@solara.component
def CompareView(explore: Settings):
    names = scenario_names()
    first, second = default_pair(names)
    seed = explore.seed if explore.seed is not None and explore.seed >= 0 else 42
    left = solara.use_reactive(defaults_for(first, seed=seed))
    right = solara.use_reactive(defaults_for(second, seed=seed))
    column = solara.use_reactive(SERIES["cohesion"][0])  # the menu shows chart titles
    a_settings = left.value.replace(seed=seed) if left.value.seed != seed else left.value
    b_settings = right.value.replace(seed=seed) if right.value.seed != seed else right.value

    def both_runs():
        try:
            return run_settings(a_settings), run_settings(b_settings), None
        except ScenarioError as exc:
            return None, None, str(exc)

    a, b, error = solara.use_memo(both_runs, [a_settings, b_settings])
    solara.HTML(tag="p", classes=["cs-intro"], unsafe_innerHTML=escape(
        f"Two settings, each a scenario with its own levers, run to the end with the same seed ({seed}), so any "
        "difference comes from the settings and not from luck. Change the seed in the sidebar."))  # fmt: skip
    with Grid("minmax(0, 1fr) minmax(0, 1fr)"):
        SideEditor("First", "a", left, explore)
        SideEditor("Second", "b", right, explore)
    if error:
        solara.Error(error)
        return
    a_label, b_label = describe_settings(a_settings), describe_settings(b_settings)
    with solara.Div(attributes={"data-testid": "compare-view"}):
        with Grid("minmax(0, 1fr) minmax(0, 1fr)"):
            with Card("Over time"):
                with solara.Div(classes=["cs-series-pick"]):
                    solara.Select("Series", values=list(SERIES_BY_TITLE), value=column, dense=True)
                SeriesView([(a_label, a), (b_label, b)], SERIES_BY_TITLE[column.value], testid="compare-main")
            with Card("Where they end up"):
                solara.HTML(tag="div", unsafe_innerHTML=final_table((a_label, a), (b_label, b)),
                            attributes={"data-testid": "compare-table"})  # fmt: skip
        with Card("All series"):
            TimeSeriesView([(a_label, a), (b_label, b)], testid="compare-series")
        with Grid("minmax(0, 1fr) minmax(0, 1fr)"):
            for label, frame, side in ((a_label, a, "a"), (b_label, b, "b")):
                with Card(f"{scenario_label((a_settings, b_settings)[side == 'b'].scenario)}, {frame.year}",
                          subtitle=label):  # fmt: skip
                    MapView(frame, testid=f"compare-map-{side}")
                    SummitLog(frame.events, testid=f"compare-log-{side}")
