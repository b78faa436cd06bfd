"""Component tests of the classroom app: Solara renders the page in-process (no browser)."""

from __future__ import annotations

import pytest

solara = pytest.importorskip("solara")
import ipyvuetify as v  # noqa: E402
from solara.widgets import HTML  # noqa: E402

from cohesion_sim.app import state  # noqa: E402
from cohesion_sim.app.compare import CompareView, final_table  # noqa: E402
from cohesion_sim.app.controls import HELP, Controls  # noqa: E402
from cohesion_sim.app.page import Page  # noqa: E402


class _Clickable:
    """A clickable SVG view (Vue template) read like an HTML element."""

    def __init__(self, widget):
        self.widget = widget

    @property
    def unsafe_innerHTML(self):
        return self.widget.markup


def by_testid(rc, testid: str):
    found = [w for w in rc.find(HTML).widgets if (w.attributes or {}).get("data-testid") == testid]
    found += [_Clickable(w) for w in rc.find(v.VuetifyTemplate).widgets if getattr(w, "testid", None) == testid]
    assert len(found) == 1, f"{len(found)} elements with data-testid={testid!r}"
    return found[0]


def button(rc, label: str):
    found = [w for w in rc.find(v.Btn).widgets if label in w.children]
    assert len(found) == 1, f"{len(found)} buttons labelled {label!r}"
    return found[0]


def year_of(rc) -> int:
    return int(by_testid(rc, "year").unsafe_innerHTML.split()[-1])


def test_page_renders_every_view():
    _, rc = solara.render(Page(), handle_error=False)
    assert year_of(rc) == 2024
    for testid in ("map", "time-series", "main-series", "spending-bars", "summit-log", "stat-us-vacuum", "stat-blocs",
                   "why"):
        by_testid(rc, testid)
    assert "<svg" in by_testid(rc, "map").unsafe_innerHTML
    assert "No summit yet" in by_testid(rc, "summit-log").unsafe_innerHTML


def test_step_advances_the_year_and_redraws_the_charts():
    _, rc = solara.render(Page(), handle_error=False)
    before = by_testid(rc, "time-series").unsafe_innerHTML
    button(rc, "Step").click()
    assert year_of(rc) == 2025
    assert by_testid(rc, "time-series").unsafe_innerHTML != before
    assert "2025 summit: 3.5% guideline by 2035" in by_testid(rc, "summit-log").unsafe_innerHTML
    button(rc, "Reset").click()
    assert year_of(rc) == 2024


def test_two_sessions_do_not_share_a_model():
    _, first = solara.render(Page(), handle_error=False)
    _, second = solara.render(Page(), handle_error=False)
    button(first, "Step").click()
    button(first, "Step").click()
    assert (year_of(first), year_of(second)) == (2026, 2024)


def test_step_is_disabled_at_the_end():
    _, rc = solara.render(Page(), handle_error=False)
    for _ in range(11):
        button(rc, "Step").click()
    assert year_of(rc) == 2035
    assert button(rc, "Step").disabled and button(rc, "Play").disabled


def test_play_runs_years_until_paused():
    import time

    _, rc = solara.render(Page(), handle_error=False)
    button(rc, "Play").click()
    deadline = time.monotonic() + 10
    while year_of(rc) < 2026 and time.monotonic() < deadline:
        time.sleep(0.05)
    button(rc, "Pause").click()
    reached = year_of(rc)
    assert reached >= 2026
    time.sleep(1.5)
    assert year_of(rc) == reached


def test_downloads_offer_csv_and_png():
    _, rc = solara.render(Page(), handle_error=False)
    labels = [w.children[-1] for w in rc.find(v.Btn).widgets if w.children and "(" in str(w.children[-1])]
    assert sorted(labels) == sorted(["Save settings (YAML)", "Run by year (CSV)", "Allies by year (CSV)",
                                     "Alliance map (PNG)", "Time series (PNG)", "Spending by ally (PNG)"])


def test_controls_pick_a_scenario_and_show_its_description():
    settings = solara.reactive(state.defaults_for("baseline"))
    _, rc = solara.render(Controls(settings, 2024, settings.set), handle_error=False)
    assert "Hague pledge" in by_testid(rc, "scenario-description").unsafe_innerHTML
    for key in HELP:
        if key not in ("buttons", "us_level", "us_year", "volatility") and key != "intervene" or key == "intervene":
            by_testid(rc, f"help-{key}")
    rc.find(v.Select, label="Scenario").widget.v_model = "Abrupt withdrawal"
    assert settings.value.scenario == "abrupt_withdrawal" and settings.value.us_level == 0.85
    assert "abruptly withdraws" in by_testid(rc, "scenario-description").unsafe_innerHTML


def test_controls_decision_rule_and_seed():
    settings = solara.reactive(state.defaults_for("baseline"))
    _, rc = solara.render(Controls(settings, 2024, settings.set), handle_error=False)
    rc.find(v.BtnToggle).widget.v_model = 1
    assert settings.value.decision_rule == "qualified_majority"
    seed = rc.find(v.TextField, label="Seed").widget
    seed.v_model = "7"
    seed.fire_event("focusout")
    assert settings.value.seed == 7


def test_every_help_line_is_one_short_sentence_or_two():
    for key, line in HELP.items():
        assert "\n" not in line and len(line) < 110, key


def test_bad_settings_show_a_message_not_a_traceback(monkeypatch):
    bad = state.defaults_for("baseline").replace(seed=-1)
    monkeypatch.setattr("cohesion_sim.app.page.first_settings", lambda: bad)
    _, rc = solara.render(Page(), handle_error=False)
    rc.find(v.Alert).assert_not_empty()
    text = str(rc.find(v.Alert).widget.children)
    assert "seed: must be a whole number 0 or more, got -1" in text and "Traceback" not in text


def test_compare_view_runs_any_two_settings_with_one_seed():
    from cohesion_sim.app.compare import describe_settings

    _, rc = solara.render(CompareView(state.defaults_for("baseline", seed=5)), handle_error=False)
    table = by_testid(rc, "compare-table").unsafe_innerHTML
    assert "Committed US" in table and "Abrupt withdrawal" in table
    for testid in ("compare-series", "compare-map-a", "compare-map-b", "compare-log-a", "compare-log-b"):
        by_testid(rc, testid)
    a_settings, b_settings = state.defaults_for("committed_us", seed=5), state.defaults_for("abrupt_withdrawal", seed=5)
    a, b = state.run_settings(a_settings), state.run_settings(b_settings)
    assert table == final_table((describe_settings(a_settings), a), (describe_settings(b_settings), b))
    rc.find(v.Select, label="Second scenario").widget.v_model = "Fractured"
    assert "Fractured" in by_testid(rc, "compare-table").unsafe_innerHTML
    # a lever, not only the scenario: coordination on the second side
    slider = [w for w in rc.find(v.Slider).widgets if str(w.label).startswith("Coordination")][1]
    slider.v_model = 0.9
    assert "coordination 0.9" in by_testid(rc, "compare-table").unsafe_innerHTML


def test_constants_that_break_the_start_get_a_warning_and_the_default_none(monkeypatch):
    _, rc = solara.render(Page(), handle_error=False)
    assert "start below the commitment" not in " ".join(str(a.children) for a in rc.find(v.Alert).widgets)
    text = "extends: baseline\ncommitment_bias: 0\nexit_commitment: 0.4\ncommitment_from_tension: 5\n"
    broken = state.settings_from_text("mine.yaml", text)
    monkeypatch.setattr("cohesion_sim.app.page.first_settings", lambda: broken)
    _, rc = solara.render(Page(), handle_error=False)
    alerts = " ".join(str(a.children) for a in rc.find(v.Alert).widgets)
    assert "allies (BEL, CAN," in alerts and "start below the commitment at which an ally leaves" in alerts
