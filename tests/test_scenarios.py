"""Scenario files: every built-in one is valid and described; every kind of error is clear and located."""

import textwrap

import pytest

from cohesion_sim import ScenarioError, available_scenarios, load_scenario
from cohesion_sim.scenario_files import SCENARIO_DIR, scenario_to_yaml


@pytest.mark.parametrize("name", available_scenarios())
def test_builtin_scenarios_have_title_and_description(name):
    scenario = load_scenario(name)
    assert scenario.title and scenario.title != "Custom scenario"
    assert len(scenario.description.split()) >= 25, "a student needs a real description"


def test_extends_keeps_the_parent_and_replaces_schedules_of_another_kind():
    base, drift = load_scenario("baseline"), load_scenario("gradual_drift")
    assert drift.agenda == base.agenda and drift.guideline == base.guideline
    assert drift.vacuum.path.kind == "ramp" and drift.vacuum.at(2033) == pytest.approx(0.75)
    assert load_scenario("trump_proofing").vacuum == load_scenario("volatile_us").vacuum


def test_hindcast_and_baseline_follow_model_md():
    hindcast = load_scenario("hindcast_2014")
    assert (hindcast.start_year, hindcast.end_year, hindcast.resolved_data_year) == (2014, 2024, 2014)
    assert (hindcast.guideline.level, hindcast.guideline.deadline) == (2.0, 2024)
    assert any(s.year == 2022 and s.direction == "east" and s.size >= 0.3 for s in hindcast.shocks)
    assert hindcast.pressure.at(2018) > hindcast.pressure.at(2015)
    baseline = load_scenario("baseline")
    assert baseline.start_year == 2024 and baseline.vacuum.at(2030) == pytest.approx(0.3)
    assert any(i.level == 3.5 and i.deadline == 2035 for i in baseline.agenda)
    assert load_scenario("abrupt_withdrawal").vacuum.at(2027) == pytest.approx(0.85)
    assert load_scenario("fractured").allow_exemptions is False


def test_show_round_trips(tmp_path):
    text = scenario_to_yaml(load_scenario("fractured"))
    path = tmp_path / "resolved.yaml"
    path.write_text(text)
    assert load_scenario(path) == load_scenario("fractured").model_copy(update={})


def write(tmp_path, body, name="s.yaml", described=True):
    """A scenario file; by default with its own title and description, so the error under test is the only one."""
    path = tmp_path / name
    header = "title: Test\ndescription: A test scenario.\n" if described else ""
    path.write_text(header + textwrap.dedent(body))
    return path


def error_for(path, **overrides):
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, **overrides)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_unknown_key_suggests_the_right_one(tmp_path):
    message = error_for(write(tmp_path, "extends: baseline\ncoordinaton: 0.5\n"))
    assert str(tmp_path / "s.yaml") in message
    assert "unknown field 'coordinaton'; did you mean 'coordination'?" in message


def test_a_removed_field_says_why_it_went(tmp_path):
    message = error_for(write(tmp_path, "extends: baseline\nsummit_interval: 2\n"))
    assert str(tmp_path / "s.yaml") in message
    assert "field 'summit_interval' was removed: summits meet in the years of the agenda's items" in message
    assert message.endswith("remove it")


def test_nested_unknown_key(tmp_path):
    message = error_for(write(tmp_path, "threat: {east: 0.5, nort: 0.2}\n"))
    assert "unknown field 'threat.nort'" in message


def test_out_of_range_names_the_allowed_range(tmp_path):
    assert "field 'coordination.level': 1.5 is out of range; allowed 0 to 1" in error_for(write(tmp_path, "coordination: 1.5\n"))
    message = error_for(write(tmp_path, "vacuum: {kind: ramp, from_value: 0.2, to_value: 1.4, from_year: 2025, to_year: 2030}\n"))
    assert "vacuum.path" in message and "to_value" in message and "allowed 0 to 1" in message
    assert "allowed 0 to 0.5" in error_for(write(tmp_path, "vacuum: {kind: constant, level: 0.3, volatility: 0.9}\n"))


def test_wrong_type(tmp_path):
    message = error_for(write(tmp_path, "coordination: lots\n"))
    assert "field 'coordination'" in message and "lots" in message
    assert "decision_rule" in error_for(write(tmp_path, "decision_rule: majority\n"))
    assert "schedule kind 'wiggle' is unknown" in error_for(write(tmp_path, "pressure: {kind: wiggle}\n"))


def test_impossible_schedules_and_years(tmp_path):
    assert "end_year" in error_for(write(tmp_path, "start_year: 2030\nend_year: 2025\n"))
    assert "to_year 2025 is not after from_year 2030" in error_for(
        write(tmp_path, "vacuum: {kind: ramp, from_value: 0.2, to_value: 0.4, from_year: 2030, to_year: 2025}\n")
    )
    assert "agenda[0].year" in error_for(write(tmp_path, "agenda: [{year: 2020, level: 3, deadline: 2030}]\n"))
    assert "needs both 'level' and 'deadline'" in error_for(write(tmp_path, "agenda: [{year: 2026, level: 3}]\n"))
    assert "deadline 2020 is before" in error_for(write(tmp_path, "guideline: {level: 2, adopted: 2024, deadline: 2020}\n"))
    assert "field 'trust_loss': 0.2 is below trust_gain 0.3" in error_for(write(tmp_path, "trust_gain: 0.3\ntrust_loss: 0.2\n"))


def test_malformed_yaml_names_line_and_column(tmp_path):
    message = error_for(write(tmp_path, "coordination: [0.5\n"))
    assert "YAML syntax error at line" in message and "s.yaml" in message
    assert "must be a mapping" in error_for(write(tmp_path, "- just\n- a list\n", described=False))


def test_unknown_scenario_and_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="unknown scenario 'basline'; did you mean 'baseline'"):
        load_scenario("basline")
    with pytest.raises(ScenarioError, match="not found"):
        load_scenario(tmp_path / "missing.yaml")


def test_circular_and_broken_extends(tmp_path):
    write(tmp_path, "extends: b.yaml\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\n", "b.yaml")
    assert "circular extends" in error_for(tmp_path / "a.yaml")
    assert "field 'extends'" in error_for(write(tmp_path, "extends: nonexistent\n"))


def test_overrides_are_validated_like_files():
    with pytest.raises(ScenarioError, match="with overrides .*allowed 0 to 1"):
        load_scenario("baseline", publicness=3)
    with pytest.raises(ScenarioError, match="unknown field 'vacuum.volitility'"):
        load_scenario("baseline", **{"vacuum.volitility": 0.1})


def test_safe_load_only(tmp_path):
    message = error_for(write(tmp_path, "title: !!python/object/apply:os.system ['echo hacked']\n", described=False))
    assert "YAML syntax error" in message


def test_scenario_dir_is_the_repository_folder():
    assert (SCENARIO_DIR / "baseline.yaml").is_file()


def test_schedule_errors_are_readable(tmp_path):
    assert "field 'threat.east.values[2025]': 2 is out of range" in error_for(
        write(tmp_path, "threat: {east: {kind: values, values: {2025: 2}}}\n")
    )
    assert "a schedule needs 'kind'" in error_for(write(tmp_path, "pressure: {level: 0.5}\n"))
    assert "nan is out of range" in error_for(write(tmp_path, "coordination: .nan\n"))
    assert "field 'shocks[0].direction'" in error_for(write(tmp_path, "shocks: [{year: 2025, direction: north, size: 0.2}]\n"))


def test_trust_must_be_lost_faster_than_regained():
    with pytest.raises(ScenarioError, match="trust_loss.*must be at least trust_gain"):
        load_scenario("baseline", trust_gain=0.35, trust_loss=0.2)


def test_a_variant_inherits_title_and_description_and_a_standalone_file_needs_them(tmp_path):
    assert "the file is empty" in error_for(write(tmp_path, "", described=False))
    variant = load_scenario(write(tmp_path, "extends: baseline\ncoordination: 0.5\n", name="coord.yaml", described=False))
    parent = load_scenario("baseline")
    assert variant.title == f"{parent.title} (variant: coord)"
    assert "changes: coordination" in variant.description and parent.description.strip() in variant.description
    message = error_for(write(tmp_path, "coordination: 0.5\n", described=False))
    assert "field 'title': required in a scenario that extends no other" in message


def test_non_utf8_files_are_one_line_errors(tmp_path):
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"title: \xff\xfe\n")
    assert "not UTF-8 text" in error_for(path)


def test_data_file_is_relative_to_the_scenario_and_errors_name_both(tmp_path):
    from cohesion_sim.dataset import ALLIES_CSV

    (tmp_path / "mine.csv").write_text(ALLIES_CSV.read_text())
    ok = write(tmp_path, "extends: baseline\ndata_file: mine.csv\n", name="ok.yaml")
    assert load_scenario(ok).data_file == str((tmp_path / "mine.csv").resolve())
    bad = write(tmp_path, "extends: baseline\ndata_file: nowhere.csv\n", name="bad.yaml")
    message = error_for(bad)
    assert str(bad) in message and "field 'data_file'" in message and "not found" in message
    disputes = write(tmp_path, "extends: baseline\ndisputes: [{year: 2025, pair: [USA, XYZ], size: 0.2}]\n", name="d.yaml")
    message = error_for(disputes)
    assert str(disputes) in message and "disputes[0].pair" in message and "XYZ" in message
