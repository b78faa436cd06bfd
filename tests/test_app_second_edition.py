"""The classroom app, second edition: compliance, bands, why, interventions, share, events (no browser)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import yaml

from cohesion_sim.app import charts, ensemble, map_view, share, state, why
from cohesion_sim.app.events import dated_marks
from cohesion_sim.compliance import compliance_class
from cohesion_sim.model import AllianceModel
from cohesion_sim.palette import COMPLIANCE_COLOURS, STATUS_COLOURS
from cohesion_sim.scenario_files import ScenarioError

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def baseline_run():
    run = state.SessionRun(state.defaults_for("baseline"))
    run.run_to_end()
    return run


# ------------------------------------------------------------------------- item 1: colour
def test_compliance_classes_against_own_path():
    assert compliance_class(2.5, 2.4, True, False, 0.5) == "on track"
    assert compliance_class(2.2, 2.4, True, False, 0.5) == "behind"
    assert compliance_class(1.8, 2.4, True, False, 0.5) == "far behind"
    assert compliance_class(1.0, 2.4, True, True, 0.5) == "exempted"
    assert compliance_class(0.0, 2.4, False, False, 0.5) == "no armed forces"
    assert compliance_class(1.9, None, True, False, 0.5) == "behind"  # no guideline: 2% is the yardstick


def test_adopting_a_pledge_is_not_a_cliff(baseline_run):
    """The Hague pledge passes in 2025: counting 'at the guideline' falls from 23 to 1; against their own path
    most allies start on it, so the map does not turn to 'far behind' overnight."""
    history = baseline_run.frame.history.set_index("year")
    assert history.loc[2024, "allies_at_guideline"] > 20 and history.loc[2025, "allies_at_guideline"] <= 2
    assert history.loc[2025, "on_track"] >= 25
    assert history.loc[2025, "far_behind"] <= 2
    marks = dated_marks(baseline_run.frame.events, baseline_run.frame.params)
    assert any(m.kind == "pledge" and m.year == 2025 and "3.5% pledge" in m.label for m in marks)


def test_palette_is_colour_blind_safe_and_shared():
    from cohesion_sim import plots
    from cohesion_sim.app import palette

    assert palette.COMPLIANCE_COLOURS is COMPLIANCE_COLOURS and palette.STATUS_COLOURS is STATUS_COLOURS

    def lightness(hex_colour: str) -> float:
        r, g, b = (int(hex_colour[k:k + 2], 16) / 255 for k in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    # on track (blue) vs behind/far behind (oranges): apart in hue for red-green colour blindness,
    # and the three compliance fills apart in lightness so they survive greyscale too
    levels = sorted(lightness(COMPLIANCE_COLOURS[c]) for c in ("on track", "behind", "far behind"))
    assert min(b - a for a, b in zip(levels, levels[1:])) > 0.08
    assert "RdYlGn" not in open(plots.__file__).read() and "RdYlGn" not in open(palette.__file__).read()


def test_map_fills_by_compliance_with_a_legend(baseline_run):
    frame = baseline_run.frame
    root = ET.fromstring(map_view.alliance_map_svg(frame, selected="POL"))
    allies = {g.get("data-iso3"): g for g in root.iter(f"{NS}g") if g.get("data-compliance")}
    for row in frame.allies.itertuples():
        circle = allies[row.iso3].find(f"{NS}circle")
        assert circle.get("fill") == COMPLIANCE_COLOURS[row.compliance]
        assert (allies[row.iso3].find(f"{NS}circle[@data-below]") is not None) == bool(row.below_2pct)
    assert allies["POL"].find(f"{NS}circle[@data-selected]") is not None
    legend = next(g for g in root.iter(f"{NS}g") if g.get("data-layer") == "legend")
    assert {c.get("data-legend") for c in legend.iter(f"{NS}circle") if c.get("data-legend")} >= {
        "on track", "behind", "far behind"}
    # text is 16 px or more in the map's own units (drawn at about its viewBox width on a 1280x720 screen)
    sizes = [float(t.get("font-size")) for t in root.iter(f"{NS}text")]
    assert min(sizes) >= 16


def test_one_spending_chart_for_cli_and_app(tmp_path, baseline_run):
    from matplotlib.figure import Figure

    from cohesion_sim import plots
    from cohesion_sim.compliance import ally_positions
    from cohesion_sim.outputs import agent_table, model_table

    model = baseline_run.model
    paths = plots.write_figures(model_table(model), agent_table(model), tmp_path, positions=ally_positions(model))
    assert paths["spending_by_ally"].read_bytes()[:4] == b"\x89PNG"
    ax = Figure().add_subplot()
    plots.spending_by_ally(baseline_run.frame.allies, ax=ax, year=2035, guideline=3.5, start_year=2024)
    fills = {tuple(np.round(p.get_facecolor()[:3], 3)) for p in ax.patches if p.get_fill()}
    from matplotlib.colors import to_rgb

    expected = {tuple(np.round(to_rgb(COMPLIANCE_COLOURS[c]), 3)) for c in set(baseline_run.frame.allies["compliance"])}
    assert expected <= fills
    svg = charts.spending_bars_svg(baseline_run.frame)
    for colour in {COMPLIANCE_COLOURS[c] for c in baseline_run.frame.allies["compliance"]}:
        assert colour in svg


def test_no_backend_switch_at_import():
    import pathlib

    import cohesion_sim

    root = pathlib.Path(cohesion_sim.__file__).parent
    mine = [root / "plots.py", *sorted((root / "app").glob("*.py"))]  # the notebooks' figures and the app
    offenders = [str(p) for p in mine if re.search(r"matplotlib\.use\(", p.read_text())]
    assert offenders == []


def test_summit_sentence_is_one_function_shared_with_the_cli():
    from cohesion_sim import cli

    model = AllianceModel("baseline", rng=1).run()
    text = cli.format_summary(model)
    from cohesion_sim.app.summit_log import summit_sentence

    hague = next(e for e in model.events if e["kind"] == "guideline")
    assert summit_sentence(hague) in text


# ------------------------------------------------------------------- item 3: why an ally changed
def test_why_uses_the_models_own_decision_and_lists_terms():
    run = state.SessionRun(state.defaults_for("abrupt_withdrawal"))
    assert run.why("POL") is None  # nothing has happened yet
    for _ in range(4):
        run.step()
    answer = run.why("POL")
    assert answer.checked  # the recomputed decision equals what the model did
    names = [t.name for t in answer.spending_terms]
    assert {"threat", "abandonment fear", "free riding", "guideline pull", "fiscal limit", "lag"} <= set(names)
    assert answer.spending_after == pytest.approx(run.model.members[[m.iso3 for m in run.model.members].index("POL")].spending)
    assert any(abs(t.part) > 1e-3 for t in answer.spending_terms)
    assert {"trust in the US", "reciprocity", "tension"} <= {t.name for t in answer.commitment_terms}
    # budgets lag: this year's threat moves this year's plan, which later outlays execute
    plan = {t.name: t.part for t in answer.plan_terms}
    assert {"threat", "abandonment fear", "free riding", "guideline pull"} <= set(plan) and "lag" not in plan
    assert plan["threat"] > 0.1 and plan["free riding"] < 0
    assert answer.plan_after == pytest.approx(answer.plan_before, abs=2.0) and answer.plan_after > 0
    html = why.why_html(answer)
    assert "Poland" in html and "data-term='threat'" in html and "data-testid='why-plan'" in html
    labels = [label for label, _ in answer.state]
    assert {"spending", "trust in the US", "perceived threat", "status", "fiscal space"} <= set(labels)


def test_why_term_switched_off_changes_nothing_when_weight_is_zero():
    model = AllianceModel("baseline", rng=1, fear_weight=0.0, commitment_from_threat=0.0)
    before = state.state_before(model)
    model.step()
    answer = why.explain(model, before, "DEU")
    assert answer.checked
    fear = next(t for t in answer.spending_terms if t.name == "abandonment fear")
    threat = next(t for t in answer.commitment_terms if t.name == "threat")
    assert fear.part == pytest.approx(0.0, abs=1e-12) and threat.part == pytest.approx(0.0, abs=1e-12)


# ------------------------------------------------------------------------- item 4: bands
def test_bands_come_from_an_engine_ensemble_and_the_sentence_says_how_sure():
    settings = state.defaults_for("volatile_us", seed=7)
    bands = ensemble.bands_for(settings, runs=40)
    years = list(bands["years"])
    assert years[0] == 2024 and years[-1] == 2035
    low, q25, mid, q75, high = bands["cohesion"]
    assert np.all(low <= q25) and np.all(q25 <= mid) and np.all(mid <= q75) and np.all(q75 <= high)
    assert np.any(high - low > 0.01)  # the seeds do differ
    frame = state.SessionRun(settings).run_to_end()
    sentence = ensemble.chance_sentence(frame, bands, 7)
    assert "9 runs out of 10" in sentence and "seed 7" in sentence
    svg = charts.series_chart_svg([("run", frame)], "cohesion", [bands])
    assert 'data-band="cohesion-90"' in svg and 'data-band="cohesion-50"' in svg


# --------------------------------------------------------------- item 6: events, absolute tension
def test_dated_marks_cover_pressure_shocks_disputes_and_levers():
    hindcast = state.SessionRun(state.defaults_for("hindcast_2014")).run_to_end()
    marks = dated_marks(hindcast.events, hindcast.params)
    kinds = {(m.kind, m.year) for m in marks}
    assert ("pressure", 2017) in kinds and ("shock", 2022) in kinds
    pressure = next(m for m in marks if m.kind == "pressure")
    assert pressure.until == 2020
    settings = state.defaults_for("baseline").intervene(2028, coordination=0.8)
    frame = state.SessionRun(settings).run_to_end()
    assert any(m.kind == "lever" and m.year == 2028 for m in charts.marks_for(frame))
    svg = charts.series_chart_svg([("run", frame)], "cohesion", marks=charts.marks_for(frame))
    assert 'data-mark="lever"' in svg and 'data-mark="pledge"' in svg


def test_map_tension_lines_use_an_absolute_scale(baseline_run):
    frame = baseline_run.frame
    root = ET.fromstring(map_view.alliance_map_svg(frame))
    widths = {float(line.get("data-tension")): float(line.get("stroke-width"))
              for line in root.iter(f"{NS}line") if line.get("data-tension")}
    from cohesion_sim.app.palette import tension_share

    for value, width in widths.items():
        assert width == pytest.approx(1.0 + 7.0 * tension_share(value), abs=0.06)


# ---------------------------------------------------------------------- item 7: intervene mid-run
def test_intervention_keeps_the_years_before_and_changes_the_years_after():
    plain = state.SessionRun(state.defaults_for("abrupt_withdrawal"))
    plain.run_to_end()
    changed = state.defaults_for("abrupt_withdrawal").intervene(2028, coordination=1.0, partnerships=0.8)
    run = state.SessionRun(changed, advance_to=2027)
    assert run.year == 2027
    run.run_to_end()
    before, after = plain.frame.history.set_index("year"), run.frame.history.set_index("year")
    cols = ["cohesion", "mean_spending", "vacuum"]
    assert np.allclose(before.loc[:2027, cols].to_numpy(float), after.loc[:2027, cols].to_numpy(float))
    assert not np.allclose(before.loc[2029:, "cohesion"].to_numpy(float), after.loc[2029:, "cohesion"].to_numpy(float))


def test_us_intervention_keeps_the_scenarios_path_until_its_year():
    settings = state.defaults_for("committed_us").intervene(2030, us_level=0.9)
    overrides = state.overrides_for(settings)
    own = state.scenario("committed_us")
    path = overrides["vacuum"]["values"]
    assert [path[y] for y in range(2024, 2030)] == pytest.approx([own.vacuum.at(y) for y in range(2024, 2030)])
    assert path[2030] == 0.9


# ------------------------------------------------------------------------ item 8: share and keep
def test_url_round_trip_and_bad_links():
    settings = (state.defaults_for("volatile_us", seed=3).replace(coordination=0.6, guideline=3.0)
                .intervene(2027, decision_rule="qualified_majority"))  # fmt: skip
    query = share.settings_query(settings)
    back, error = share.settings_from_query(query)
    assert error is None and back == settings
    for bad in ("scenario=../../etc/passwd", "scenario=baseline&seed=-1x", "scenario=baseline&from=2027:seed:3"):
        settings_, error = share.settings_from_query(bad)
        assert settings_ is None and error and "\n" not in error
    assert share.settings_from_query("") == (None, None)


def test_saved_yaml_loads_back_through_the_validated_loader():
    settings = state.defaults_for("trump_proofing", seed=5).replace(coordination=0.9)
    text = share.settings_yaml(settings)
    data = yaml.safe_load(text)
    assert data["coordination"] == 0.9 and data["seed"] == 5
    loaded = state.settings_from_text("my_class.yaml", text)
    assert loaded.coordination == 0.9 and loaded.custom == text
    original = state.SessionRun(settings).run_to_end().history
    again = state.SessionRun(loaded).run_to_end().history
    assert np.allclose(original["cohesion"].to_numpy(float), again["cohesion"].to_numpy(float))
    with pytest.raises(ScenarioError, match=r"my_bad\.yaml.*coordination"):
        state.settings_from_text("my_bad.yaml", "title: Mine\ndescription: Mine.\ncoordination: 7\n")
    with pytest.raises(ScenarioError):
        state.settings_from_text("x.yaml", "!!python/object/apply:os.system ['echo hi']\n")


def test_scenario_text_is_escaped_in_the_page():
    import inspect

    from cohesion_sim.app import controls

    source = inspect.getsource(controls.Controls)
    assert "unsafe_innerHTML=escape(scenario.description" in source


def test_spending_rows_never_mark_an_ally_without_armed_forces_below_two_percent():
    import pandas as pd

    from cohesion_sim.plots import spending_rows

    table = pd.DataFrame({"iso3": ["ISL", "BEL"], "spending": [0.0, 1.3], "status": ["aligned", "aligned"],
                          "compliance": ["no armed forces", "far behind"]})  # fmt: skip
    rows = spending_rows(table).set_index("iso3")
    assert not rows.loc["ISL", "below_2pct"] and rows.loc["BEL", "below_2pct"]


def test_spending_chart_draws_hedging_and_disengaged_allies():
    import pandas as pd
    from matplotlib.figure import Figure

    from cohesion_sim.plots import spending_by_ally

    table = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "spending": [1.0, 2.5, 3.0],
                          "status": ["disengaged", "hedging", "aligned"]})  # fmt: skip
    ax = Figure().add_subplot()
    spending_by_ally(table, ax=ax, year=2030, guideline=3.5, start_year=2024)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "disengaged" in labels and "hedging" in labels
