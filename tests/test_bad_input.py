"""Bad scenario files, sweep specs and overrides: one line naming the file and every problem, exit 2, nothing written.

Each file in ``tests/bad_input/`` is one case, named by what it tests; its ``# expect:`` lines
are fragments the error must contain. Cases too large to keep as files (deep nesting, a chain
of 1,200 ``extends``) are generated here.
"""

from pathlib import Path

import pytest

from cohesion_sim.cli import main
from cohesion_sim.safe_yaml import MAX_DEPTH, check_shape, load_yaml, quote, YamlLimitError
from cohesion_sim.scenario_files import ScenarioError, load_scenario, nest_overrides
from cohesion_sim.sweeps.runner import run_sweep
from cohesion_sim.sweeps.spec import SweepSpecError, load_spec

CASES = Path(__file__).resolve().parent / "bad_input"


def expected(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    fragments = [line.split("# expect:", 1)[1].strip() for line in lines if line.startswith("# expect:")]
    assert fragments, f"{path.name} has no '# expect:' line"
    return fragments


def assert_one_line_error(message: str, path: Path | str) -> None:
    assert "\n" not in message and "\r" not in message and "Traceback" not in message
    assert message.isprintable(), repr(message)
    assert str(path) in message


def cli_error(capsys, args: list[str]) -> str:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith("\n") and captured.err.count("\n") == 1, captured.err
    assert "Traceback" not in captured.err
    return captured.err


@pytest.mark.parametrize("path", sorted((CASES / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_scenario_files(path, tmp_path, capsys):
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert_one_line_error(message, path)
    for fragment in expected(path):
        assert fragment in message, f"{fragment!r} not in {message!r}"
    out = tmp_path / "out"
    err = cli_error(capsys, ["run", str(path), "--out", str(out), "--quiet"])
    assert str(path) in err and not out.exists()


@pytest.mark.parametrize("path", sorted((CASES / "sweeps").glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_sweep_specs_are_refused_before_anything_is_written(path, tmp_path, capsys):
    with pytest.raises(SweepSpecError) as info:
        run_sweep(path, tmp_path / "by_api", progress=False)
    message = str(info.value)
    assert_one_line_error(message, path)
    for fragment in expected(path):
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert not (tmp_path / "by_api").exists()
    out = tmp_path / "by_cli"
    err = cli_error(capsys, ["sweep", str(path), "--out", str(out), "--quiet"])
    assert str(path) in err and not out.exists()


# ---------------------------------------------------------------------------- variants
def test_a_variant_may_omit_title_and_description(tmp_path):
    path = tmp_path / "stronger_pillar.yaml"
    path.write_text("extends: baseline\npillar_coordination: 0.6\n")
    scenario, parent = load_scenario(path), load_scenario("baseline")
    assert scenario.title == f"{parent.title} (variant: stronger_pillar)"
    assert scenario.description.startswith(f"A variant of '{parent.title}' (stronger_pillar.yaml) that changes: pillar_coordination.")
    assert scenario.pillar_coordination.at(scenario.start_year) == 0.6


def test_a_variant_of_a_variant_is_marked_twice_and_keeps_its_own_words(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: baseline\ncoordination: 0.5\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\npublicness: 0.6\n")
    (tmp_path / "c.yaml").write_text("extends: b.yaml\ntitle: Mine\ndescription: my words\n")
    parent = load_scenario("baseline").title
    assert load_scenario(tmp_path / "b.yaml").title == f"{parent} (variant: a) (variant: b)"
    own = load_scenario(tmp_path / "c.yaml")
    assert (own.title, own.description, own.coordination.at(own.start_year), own.publicness) == ("Mine", "my words", 0.5, 0.6)


def test_a_shorter_variant_leaves_out_its_parents_later_events(tmp_path):
    path = tmp_path / "short.yaml"
    path.write_text("extends: baseline\nend_year: 2027\n")
    scenario = load_scenario(path)
    assert [item.year for item in scenario.agenda] == [2025]  # the 2029 unity summit is after the end
    assert [item.year for item in load_scenario("baseline", end_year=2026).agenda] == [2025]
    with pytest.raises(ScenarioError, match=r"agenda\[0\].year': 2029 is after end_year 2026"):
        load_scenario("baseline", end_year=2026, agenda=[{"year": 2029, "item": "unity"}])


# ---------------------------------------------------------------------------- limits
def test_deep_nesting_in_a_file_and_in_set_is_one_line(tmp_path, capsys):
    for opener, closer in (("[", "]"), ("{a: ", "}")):
        path = tmp_path / "deep.yaml"
        path.write_text("extends: baseline\ncoordination: " + opener * 400 + "1" + closer * 400 + "\n")
        message = cli_error(capsys, ["run", str(path), "--out", str(tmp_path / "o")])
        assert f"nested more than {MAX_DEPTH} levels deep" in message and str(path) in message
        value = opener * 300 + "1" + closer * 300
        message = cli_error(capsys, ["run", "--set", f"coordination={value}", "--out", str(tmp_path / "o")])
        assert "--set 'coordination': nested more than" in message
    assert not (tmp_path / "o").exists()


def test_an_extends_chain_of_1200_files_is_refused_without_recursion(tmp_path, capsys):
    for k in range(1200):
        (tmp_path / f"c{k}.yaml").write_text(f"extends: c{k + 1}.yaml\n" if k < 1199 else "extends: baseline\n")
    message = cli_error(capsys, ["run", str(tmp_path / "c0.yaml"), "--out", str(tmp_path / "o")])
    assert "field 'extends': a chain of more than 32 files" in message
    (tmp_path / "c20.yaml").write_text("extends: baseline\n")  # now 21 files: fine
    assert load_scenario(tmp_path / "c0.yaml").title.endswith("(variant: c1) (variant: c0)")


def test_a_cycle_through_three_files(tmp_path):
    for name, parent in (("a", "b"), ("b", "c"), ("c", "a")):
        (tmp_path / f"{name}.yaml").write_text(f"extends: {parent}.yaml\n")
    with pytest.raises(ScenarioError, match=r"circular extends \(a.yaml -> b.yaml -> c.yaml -> a.yaml\)"):
        load_scenario(tmp_path / "a.yaml")


def test_a_broken_grandparent_is_named(tmp_path):
    (tmp_path / "grand.yaml").write_text("coordination: [unclosed\n")
    (tmp_path / "parent.yaml").write_text("extends: grand.yaml\n")
    (tmp_path / "child.yaml").write_text("extends: parent.yaml\npublicness: 5\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "child.yaml")
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'child.yaml'}: field 'extends': {tmp_path / 'parent.yaml'}: ")
    assert "grand.yaml: YAML syntax error" in message and "field 'publicness': 5 is out of range" in message


def test_file_size_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("extends: baseline\n" + "# padding\n" * 120_000)
    with pytest.raises(ScenarioError, match=r"big.yaml: 1,200,018 bytes is larger than the 1,000,000"):
        load_scenario(path)


def test_alias_bomb_in_set_and_duplicate_keys_in_set(tmp_path, capsys):
    bomb = "[" + ",".join("&a%d [%s]" % (k, ",".join([f"*a{k - 1}" if k else "1"] * 10)) for k in range(7)) + "]"
    message = cli_error(capsys, ["run", "--set", f"agenda={bomb}", "--out", str(tmp_path / "o")])
    assert "--set 'agenda': more than 100,000 values once its aliases" in message
    message = cli_error(capsys, ["run", "--set", "vacuum={level: 0.3, level: 0.5}", "--out", str(tmp_path / "o")])
    assert "a duplicate key: 'level' appears twice" in message
    assert not (tmp_path / "o").exists()


def test_python_data_gets_the_same_limits():
    deep = 1.0
    for _ in range(200):
        deep = [deep]
    with pytest.raises(ScenarioError, match="nested more than 50 levels"):
        load_scenario("baseline", agenda=deep)
    shared = [1.0] * 10
    for _ in range(6):
        shared = [shared] * 10  # 10^7 values by reference, like an alias bomb
    with pytest.raises(YamlLimitError, match="more than 100,000 values"):
        check_shape(shared)


def test_merge_keys_are_not_duplicates():
    assert load_yaml("base: &b {x: 1, y: 2}\nmine:\n  <<: *b\n  y: 3\n")["mine"] == {"x": 1, "y": 3}


def test_messages_quote_a_short_prefix_and_escape_control_characters(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text("extends: baseline\ndecision_rule: '" + "x" * 5000 + "'\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert len(message) < len(str(path)) + 300 and "x" * 61 not in message
    assert quote("\x1b[31m" + "y" * 100).startswith("'\\x1b[31m") and len(quote("y" * 100)) == 60


# ---------------------------------------------------------------------------- overrides
@pytest.mark.parametrize("order", [("vacuum.volatility", "vacuum"), ("vacuum", "vacuum.volatility")])
def test_a_group_and_a_field_inside_it_conflict_in_either_order(order, capsys, tmp_path):
    values = {"vacuum": "0.8", "vacuum.volatility": "0.2"}
    args = ["run"]
    for key in order:
        args += ["--set", f"{key}={values[key]}"]
    message = cli_error(capsys, args + ["--out", str(tmp_path / "o")])
    assert "overrides 'vacuum' and 'vacuum.volatility' conflict" in message
    with pytest.raises(ScenarioError, match="conflict"):
        nest_overrides({order[0]: 0.1, order[1]: 0.2})


def test_fields_one_by_one_or_one_mapping_keep_the_volatility():
    one_by_one = load_scenario("baseline", **{"vacuum.path.level": 0.8, "vacuum.volatility": 0.2})
    as_mapping = load_scenario("baseline", vacuum={"kind": "constant", "level": 0.8, "volatility": 0.2})
    assert one_by_one.vacuum == as_mapping.vacuum
    assert (one_by_one.vacuum.at(2030), one_by_one.vacuum.volatility) == (0.8, 0.2)


# ---------------------------------------------------------------------------- data files through a scenario
def test_an_unreadable_data_file_names_the_scenario_and_the_field(tmp_path, capsys):
    (tmp_path / "latin1.csv").write_bytes("country,iso3\nC\xf4te,CIV\n".encode("latin-1"))
    (tmp_path / "folder.csv").mkdir()
    for data, problem in (("latin1.csv", "not UTF-8 text"), ("folder.csv", "is a folder"), ("none.csv", "not found")):
        path = tmp_path / f"uses_{data}.yaml"
        path.write_text(f"extends: baseline\ndata_file: {data}\n")
        message = cli_error(capsys, ["run", str(path), "--out", str(tmp_path / "o")])
        assert str(path) in message and "field 'data_file'" in message and data in message and problem in message


def test_a_sweep_size_limit_can_be_raised_but_memory_still_bounds_it(tmp_path, monkeypatch):
    from cohesion_sim.sweeps import design

    small = {"base": "baseline", "parameters": {"coordination": {"range": [0, 1]}}, "design": {"method": "lhs", "samples": 11}}
    with pytest.raises(SweepSpecError, match=r"field 'design': 11 runs .*; more than the 10 runs allowed"):
        run_sweep(small, tmp_path / "o", progress=False, max_runs=10)
    assert not (tmp_path / "o").exists()
    assert design.check_design_size(load_spec(small), max_runs=11).runs == 11
    morris = load_spec(CASES / "sweeps" / "huge_morris.yaml")
    monkeypatch.setattr(design, "_machine_memory", lambda: 2_000_000_000)
    with pytest.raises(SweepSpecError, match=r"about 12.0 GB of memory for the design; more than half of this machine's 2.0 GB"):
        design.check_design_size(morris, max_runs=None)


def test_max_runs_flag(tmp_path, capsys):
    spec = tmp_path / "eleven.yaml"
    spec.write_text("base: baseline\nparameters:\n  coordination: {range: [0, 1]}\ndesign: {method: lhs, samples: 11}\n")
    message = cli_error(capsys, ["sweep", str(spec), "--out", str(tmp_path / "o"), "--max-runs", "10"])
    assert "11 runs" in message and "more than the 10 runs allowed" in message and str(spec) in message
    assert "--max-runs must be at least 1" in cli_error(capsys, ["sweep", str(spec), "--out", str(tmp_path / "o"),
                                                                 "--max-runs", "0"])  # fmt: skip
    assert not (tmp_path / "o").exists()
