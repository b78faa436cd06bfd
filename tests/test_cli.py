"""The command line end to end: files written, summary printed, bad input gives one line and exit 2."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from cohesion_sim.cli import main


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "cohesion_sim", *args], capture_output=True, text=True, timeout=300)


def test_run_writes_every_output(tmp_path):
    out = tmp_path / "res"
    result = run_cli("run", "--seed", "3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "cohesion" in result.stdout and "allies at/above 2%" in result.stdout
    for name in ("model.csv", "agents.csv", "events.json", "summary.json", "spending_by_ally.png",
                 "cohesion_and_vacuum.png", "allies_meeting_guideline.png"):  # fmt: skip
        assert (out / name).stat().st_size > 0, name
    model = pd.read_csv(out / "model.csv")
    agents = pd.read_csv(out / "agents.csv")
    assert model["year"].tolist() == list(range(2024, 2036))
    assert agents.groupby("iso3")["year"].min().eq(2024).all() and len(agents) == 31 * 12
    assert agents[(agents.year == 2024) & (agents.iso3 == "POL")]["spending"].iloc[0] == pytest.approx(4.12)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 3 and summary["final_year"] == 2035
    assert summary["resolved_scenario"]["start_year"] == 2024 and "version" in summary
    assert summary["metrics"]["cohesion"] == pytest.approx(model["cohesion"].iloc[-1])
    events = json.loads((out / "events.json").read_text())
    assert events[0]["year"] == 2025 and "votes" in events[0]
    with open(out / "spending_by_ally.png", "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def test_run_is_reproducible_and_options_apply(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", "volatile_us", "--seed", "5", "--out", str(a), "--quiet"]) == 0
    assert main(["run", "volatile_us", "--seed", "5", "--out", str(b), "--quiet"]) == 0
    assert (a / "model.csv").read_text() == (b / "model.csv").read_text()
    c = tmp_path / "c"
    assert main(["run", "hindcast_2014", "--years", "3", "--set", "coordination=0.6", "--out", str(c),
                 "--format", "parquet", "--quiet"]) == 0  # fmt: skip
    model = pd.read_parquet(c / "model.parquet")
    assert model["year"].tolist() == [2014, 2015, 2016, 2017]
    assert json.loads((c / "summary.json").read_text())["resolved_scenario"]["coordination"] == 0.6


def test_run_accepts_a_scenario_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("extends: baseline\ntitle: Mine\ndescription: a test\nend_year: 2026\n")
    result = run_cli("run", str(path), "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert "Mine" in result.stdout


@pytest.mark.parametrize(
    "args, expected",
    [
        (["run", "basline"], "did you mean 'baseline'"),
        (["run", "--set", "coordination=7"], "allowed 0 to 1"),
        (["run", "--set", "coordinaton=0.5"], "did you mean 'coordination'"),
        (["run", "--set", "nonsense"], "expected key=value"),
        (["run", "--years", "0"], "--years must be at least 1"),
        (["scenarios", "show", "nope"], "unknown scenario 'nope'"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(args, expected, tmp_path):
    result = run_cli(*args, "--out", str(tmp_path)) if args[0] == "run" else run_cli(*args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_scenarios_lists_and_shows(capsys):
    assert main(["scenarios"]) == 0
    listing = capsys.readouterr().out
    assert "hindcast_2014" in listing and "Trump-proofing" in listing
    assert main(["scenarios", "show", "trump_proofing"]) == 0
    shown = capsys.readouterr().out
    assert "decision_rule: qualified_majority" in shown and "coordination: 0.7" in shown


def test_help_and_version():
    result = run_cli("--help")
    assert result.returncode == 0 and "run" in result.stdout and "scenarios" in result.stdout
    assert run_cli("--version").stdout.startswith("cohesion-sim ")


def test_unwritable_output_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_cli("run", "--out", str(blocker / "sub"))
    assert result.returncode == 2 and "cannot read or write" in result.stderr and "Traceback" not in result.stderr


def test_the_same_set_key_twice_is_an_error_not_a_silent_last_wins(tmp_path, capsys):
    assert main(["run", "--set", "coordination=0.3", "--set", "coordination=0.8", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--set coordination is given twice" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_the_summary_says_when_the_constants_contradict_the_start(tmp_path, capsys):
    """Constants that put allies below the exit level at the start are named; the default start has none."""
    common = ["run", "baseline", "--years", "2", "--force"]
    assert main([*common, "--out", str(tmp_path / "a")]) == 0
    assert "start below exit_commitment" not in capsys.readouterr().out
    broken = ["--set", "commitment_bias=0", "--set", "exit_commitment=0.4", "--set", "commitment_from_tension=5"]
    assert main([*common, "--out", str(tmp_path / "b"), *broken]) == 0
    out = capsys.readouterr().out
    assert "allies start below exit_commitment (BEL, CAN," in out and "the start contradicts the data" in out
