"""The classroom app's pure logic: settings, frames, summit sentences, SVG views, downloads (no browser)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from cohesion_sim.app import charts, downloads, map_view, state, summit_log
from cohesion_sim.model import AllianceModel
from cohesion_sim.scenario_files import load_scenario


# ------------------------------------------------------------------------------ settings
def test_scenario_names_start_with_baseline_and_have_short_labels():
    names = state.scenario_names()
    assert names[0] == "baseline"
    assert {"committed_us", "abrupt_withdrawal"} <= set(names)
    assert state.scenario_label("abrupt_withdrawal") == "Abrupt withdrawal"


def test_defaults_describe_the_scenarios_own_us_path():
    abrupt = state.defaults_for("abrupt_withdrawal")
    assert (abrupt.us_level, abrupt.us_year, abrupt.volatility) == (0.85, 2027, 0.03)
    assert not abrupt.stance_custom and not abrupt.guideline_custom
    assert abrupt.guideline == 3.5  # the Hague pledge on the agenda
    trump = state.defaults_for("trump_proofing")
    assert trump.decision_rule == "qualified_majority" and trump.coordination == 0.7 and trump.partnerships == 0.6
    assert "jumps from 0.30 to 0.85 in 2027" == state.describe_path(load_scenario("abrupt_withdrawal"))
    assert state.describe_path(load_scenario("committed_us")).startswith("falls from 0.30 to 0.10")


def test_untouched_controls_keep_the_scenario_and_reproduce_the_cli_run():
    settings = state.defaults_for("gradual_drift", seed=7)
    assert "vacuum" not in state.overrides_for(settings) and "agenda" not in state.overrides_for(settings)
    app_run = state.SessionRun(settings).run_to_end()
    cli_run = AllianceModel("gradual_drift", rng=7).run()
    expected = cli_run.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    pd.testing.assert_frame_equal(app_run.history[list(expected.columns)], expected)


def test_moving_a_stance_control_keeps_the_scenarios_path_until_the_year_of_change():
    settings = state.defaults_for("baseline").replace(us_level=0.9, us_year=2028)
    assert settings.stance_custom
    vacuum = state.overrides_for(settings)["vacuum"]
    assert vacuum == {"kind": "values", "values": {2024: 0.3, 2025: 0.3, 2026: 0.3, 2027: 0.3, 2028: 0.9},
                      "volatility": 0.01}
    committed = state.defaults_for("committed_us").replace(us_level=0.9, us_year=2030)
    own = load_scenario("committed_us")
    values = state.overrides_for(committed)["vacuum"]["values"]
    assert [values[y] for y in range(2024, 2030)] == pytest.approx([own.vacuum.at(y) for y in range(2024, 2030)])
    frame = state.SessionRun(settings).run_to_end()
    by_year = dict(zip(frame.history["year"], frame.history["vacuum"]))
    assert by_year[2027] < 0.45 and by_year[2028] > 0.75


def test_guideline_control_changes_the_pledge_on_the_agenda():
    settings = state.defaults_for("baseline").replace(guideline=5.0)
    agenda = state.overrides_for(settings)["agenda"]
    assert [item["level"] for item in agenda if item["item"] == "guideline"] == [5.0]
    frame = state.SessionRun(settings).run_to_end()
    assert frame.events[0]["item"].startswith("5% guideline")


def test_guideline_without_a_vote_changes_the_guideline_in_force():
    settings = state.defaults_for("hindcast_2014").replace(guideline=2.5)
    assert state.overrides_for(settings)["guideline"]["level"] == 2.5
    assert state.SessionRun(settings).frame.guideline == 2.5


def test_invalid_settings_give_one_line_not_a_traceback():
    run = state.SessionRun(state.defaults_for("baseline").replace(seed=-3))
    assert run.model is None and run.frame is None and run.finished
    assert run.error == "seed: must be a whole number 0 or more, got -3"
    assert run.step() is None
    bad = state.SessionRun(state.defaults_for("baseline").replace(us_level=1.5))
    assert bad.error and "\n" not in bad.error and "1.5" in bad.error


def test_stepping_a_session_run_moves_one_year_and_stops_at_the_end():
    run = state.SessionRun(state.defaults_for("baseline"))
    first = run.frame
    assert first.year == 2024 and len(first.history) == 1 and first.events == []
    second = run.step()
    assert second.year == 2025 and second is not first and first.year == 2024  # frames are snapshots
    last = run.run_to_end()
    assert last.year == 2035 and run.finished and not last.running
    assert run.step() is last
    model_table, ally_table = run.tables()
    assert len(model_table) == 12 and set(ally_table["year"]) == set(range(2024, 2036))


def test_frame_holds_the_map_data():
    frame = state.SessionRun(state.defaults_for("fractured")).run_to_end()
    assert len(frame.allies) == 31 and "USA" not in set(frame.allies["iso3"])
    assert {"lat", "lon", "gdp", "spending", "status", "start_spending"} <= set(frame.allies.columns)
    assert 0 < len(frame.edges) <= state.MAP_EDGES
    values = [v for _, _, v in frame.edges]
    assert values == sorted(values, reverse=True)
    assert all(a != b for a, b, _ in frame.edges)


def test_strongest_tensions_reads_the_upper_triangle():
    import numpy as np

    tension = np.array([[0, 0.1, 0.5], [0.1, 0, 0.2], [0.5, 0.2, 0]])
    assert state.strongest_tensions(tension, ["A", "B", "C"], count=2) == [("A", "C", 0.5), ("B", "C", 0.2)]


def test_headline_numbers_are_readable():
    frame = state.SessionRun(state.defaults_for("baseline")).frame
    labels = [label for label, _, _ in state.headline(frame)]
    assert labels == ["US vacuum", "Cohesion", "Mean spending", "Europe's share", "Hedging / out", "Blocs", "At 2%",
                      "On track · behind · far behind their path"]
    values = dict((label, value) for label, value, _ in state.headline(frame))
    assert values["US vacuum"] == "0.30"
    assert values["At 2%"] == "22 of 30"  # European allies and Canada; Iceland has no armed forces
    assert re.fullmatch(r"\d+%", values["Europe's share"])


# ---------------------------------------------------------------------------- summit log
EVENT = {
    "year": 2027, "item": "3.5% guideline by 2035", "kind": "guideline", "level": 3.5, "deadline": 2035,
    "decision_rule": "consensus", "yes": 30, "no": 2, "outcome": "failed", "exemptions": [],
    "holdouts": ["ESP", "BEL"],
}  # fmt: skip


def test_failed_summit_names_the_holdouts():
    sentence = "2027 summit: 3.5% guideline by 2035 failed under consensus; holdouts ESP, BEL"
    assert summit_log.summit_sentence(EVENT) == sentence
    reason = "30 for, 2 against. Under consensus every ally must agree, so 2 holdouts blocked it."
    assert summit_log.summit_reason(EVENT) == reason


def test_passed_with_exemptions_and_qualified_majority():
    event = {**EVENT, "outcome": "passed with exemptions", "exemptions": ["ESP"], "yes": 31, "no": 1}
    expected = "2027 summit: 3.5% guideline by 2035 passed under consensus; exempted ESP"
    assert summit_log.summit_sentence(event) == expected
    assert "ESP was exempted" in summit_log.summit_reason(event)
    qmv = {**EVENT, "decision_rule": "qualified_majority", "outcome": "passed", "holdouts": ["HUN"], "yes": 31, "no": 1}
    assert summit_log.summit_sentence(qmv) == "2027 summit: 3.5% guideline by 2035 passed under qualified majority"
    assert summit_log.summit_reason(qmv).endswith("A qualified majority was enough.")
    failed_qmv = {**qmv, "outcome": "failed", "yes": 10, "no": 22}
    assert "qualified majority" in summit_log.summit_reason(failed_qmv)


def test_long_holdout_lists_are_shortened_and_log_is_newest_first():
    many = {**EVENT, "holdouts": [f"A{k:02d}" for k in range(9)]}
    assert summit_log.summit_sentence(many).endswith("A05 and 3 more")
    events = state.SessionRun(state.defaults_for("baseline")).run_to_end().events
    rows = summit_log.summit_log(events, newest_first=False)
    assert rows[0][0].startswith("2025 summit: 3.5% guideline by 2035")
    assert all(isinstance(passed, bool) for _, _, passed in rows)
    assert summit_log.summit_log(events)[0] == rows[-1]


def test_routine_unanimous_summits_are_grouped():
    unity = {**EVENT, "item": "unity declaration", "kind": "unity", "outcome": "passed", "holdouts": [], "no": 0}
    events = [{**EVENT, "year": 2025}] + [{**unity, "year": y} for y in (2026, 2027, 2028)]
    events += [{**unity, "year": 2029, "outcome": "failed", "holdouts": ["USA"]}, {**unity, "year": 2030}]
    sentences = [row[0] for row in summit_log.summit_log(events, newest_first=False)]
    assert sentences == [
        "2025 summit: 3.5% guideline by 2035 failed under consensus; holdouts ESP, BEL",
        "2026–2028 summits: unity declaration passed under consensus, 3 times",
        "2029 summit: unity declaration failed under consensus; holdouts USA",
        "2030 summit: unity declaration passed under consensus",
    ]


# ------------------------------------------------------------------------------ SVG views
@pytest.fixture(scope="module")
def frames():
    run = state.SessionRun(state.defaults_for("abrupt_withdrawal"))
    start = run.frame
    for _ in range(5):
        run.step()
    return start, run.frame


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # well-formed XML, or this raises


def test_map_svg_draws_every_ally_the_us_and_tensions(frames):
    _, frame = frames
    root = _parse(map_view.alliance_map_svg(frame))
    ns = "{http://www.w3.org/2000/svg}"
    allies = [g for g in root.iter(f"{ns}g") if g.get("data-iso3")]
    assert {g.get("data-iso3") for g in allies} == set(frame.allies["iso3"]) | {"USA"}
    statuses = {g.get("data-iso3"): g.get("data-status") for g in allies if g.get("data-status")}
    assert statuses == dict(zip(frame.allies["iso3"], frame.allies["status"]))
    tensions = next(g for g in root.iter(f"{ns}g") if g.get("data-layer") == "tensions")
    assert len(list(tensions)) == len(frame.edges)
    # the US sits west of every ally
    us_x = float(next(g for g in allies if g.get("data-iso3") == "USA").find(f"{ns}circle").get("cx"))
    ally_x = [float(g.find(f"{ns}circle").get("cx")) for g in allies if g.get("data-iso3") != "USA"]
    assert us_x < min(ally_x)


def test_map_rings_mark_hedging_and_disengaged(frames):
    _, frame = frames
    root = _parse(map_view.alliance_map_svg(frame))
    ns = "{http://www.w3.org/2000/svg}"
    for g in root.iter(f"{ns}g"):
        if g.get("data-status") in ("hedging", "disengaged"):
            assert float(g.find(f"{ns}circle").get("stroke-width")) > 3


def test_map_projection_keeps_europe_true_and_squeezes_the_atlantic():
    from cohesion_sim.app.palette import map_x, tension_share

    assert map_x(10.0) == 10.0 and map_x(-9.0) == -9.0
    assert -45 < map_x(-75.7) < -28
    # tension lines are on an absolute scale: the same value draws the same line in any run
    assert tension_share(0.0) == 0.0 and tension_share(0.3) == tension_share(0.9) == 1.0 and 0 < tension_share(0.2) < 1


def test_time_series_svg_one_line_per_series_and_run(frames):
    start, frame = frames
    root = _parse(charts.time_series_svg([("now", frame)]))
    lines = [p.get("data-series") for p in root.iter("{http://www.w3.org/2000/svg}polyline")]
    # one run: every chart has its line; the compliance chart shows areas plus the at-2% line
    assert sorted(lines) == sorted([c for c in charts.SMALL_MULTIPLES if c != "compliance"] + ["at_2pct_members"])
    both = _parse(charts.time_series_svg([("a", frame), ("b", start)]))
    assert len(list(both.iter("{http://www.w3.org/2000/svg}polyline"))) == 2 * len(charts.SMALL_MULTIPLES)


def test_spending_svg_has_a_bar_per_ally_and_the_guideline_line(frames):
    _, frame = frames
    markup = charts.spending_bars_svg(frame)
    root = _parse(markup)
    bars = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-iso3")]
    assert len(bars) == len(frame.allies)
    assert 'data-testid="guideline-line"' in markup and f"guideline {frame.guideline:g}%" in markup


def test_year_ticks_are_even_and_uncrowded():
    assert charts.year_ticks(2024, 2035) == [2024, 2027, 2030, 2035]
    assert charts.year_ticks(2024, 2036) == [2024, 2027, 2030, 2033, 2036]
    assert charts.year_ticks(2014, 2024) == [2014, 2017, 2020, 2024]
    assert charts.year_ticks(2024, 2025) == [2024, 2025]


def test_views_render_svg(frames):
    _, frame = frames
    for svg in (map_view.alliance_map_svg(frame), charts.time_series_svg([("x", frame)]), charts.spending_bars_svg(frame)):
        assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")


# ------------------------------------------------------------------------------ downloads
def test_downloads_name_files_and_make_csv_and_png(frames):
    _, frame = frames
    settings = state.defaults_for("abrupt_withdrawal", seed=9)
    assert downloads.file_stem(settings, frame) == "cohesion_abrupt_withdrawal_seed9_2029"
    table = frame.history
    text = downloads.csv_text(table)
    assert text.splitlines()[0].startswith("year,vacuum") and len(text.splitlines()) == len(table) + 1
    for kind in downloads.FIGURES:
        png = downloads.figure_png(kind, frame)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    with pytest.raises(ValueError, match="unknown figure"):
        downloads.figure_png("pie", frame)
