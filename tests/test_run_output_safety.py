"""`cohesion-sim run` never loses results silently: refuses to overwrite without --force, and a failed run changes nothing."""

import json

import pytest
from sweep_helpers import cli, one_line_error

from cohesion_sim.outputs import RUN_FILES


def snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.fixture
def earlier(tmp_path):
    out = tmp_path / "res"
    result = cli("run", "--years", "2", "--seed", "1", "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def test_a_second_run_into_the_same_folder_is_refused_without_force(earlier):
    before = snapshot(earlier)
    one_line_error(cli("run", "--years", "2", "--seed", "2", "--out", str(earlier)), "holds an earlier run's results",
                   "--force")  # fmt: skip
    assert snapshot(earlier) == before


def test_force_replaces_the_earlier_run_and_keeps_other_files(earlier):
    (earlier / "notes.txt").write_text("mine")
    (earlier / "abrupt").mkdir()
    assert cli("run", "--years", "3", "--seed", "2", "--out", str(earlier), "--format", "parquet", "--force",
               "--quiet").returncode == 0  # fmt: skip
    assert json.loads((earlier / "summary.json").read_text())["seed"] == 2
    assert (earlier / "model.parquet").exists() and not (earlier / "model.csv").exists()  # no stale other format
    assert not (earlier / "agents.csv").exists() and (earlier / "notes.txt").read_text() == "mine"
    assert (earlier / "abrupt").is_dir()
    assert not [p for p in earlier.iterdir() if p.name.startswith(".")]  # no temporary folder left
    assert {p.name for p in earlier.iterdir()} - {"notes.txt", "abrupt"} <= set(RUN_FILES)


def test_make_run_twice_works(earlier):
    for seed in ("4", "5"):  # what `make run` does: --force on its own results/ folder
        assert cli("run", "--years", "2", "--seed", seed, "--out", str(earlier), "--force", "--quiet").returncode == 0
    assert json.loads((earlier / "summary.json").read_text())["seed"] == 5


def test_a_run_that_fails_while_writing_leaves_the_earlier_results_untouched(earlier, monkeypatch):
    import cohesion_sim.plots

    before = snapshot(earlier)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device", str(earlier / "spending_by_ally.png"))

    monkeypatch.setattr(cohesion_sim.plots, "write_figures", broken)
    one_line_error(cli("run", "--years", "2", "--seed", "9", "--out", str(earlier), "--force"), "No space left")
    assert snapshot(earlier) == before  # no temporary folder, no new table beside the old ones


def test_a_new_folder_appears_whole_or_not_at_all(tmp_path, monkeypatch):
    import cohesion_sim.plots

    monkeypatch.setattr(cohesion_sim.plots, "write_figures", lambda *a, **k: 1 / 0)
    out = tmp_path / "new" / "res"
    with pytest.raises(ZeroDivisionError):
        cli("run", "--years", "1", "--out", str(out))
    assert not out.exists() and list((tmp_path / "new").iterdir()) == []


@pytest.mark.parametrize("value, expected", [("", "--out is empty"), ("  ", "--out is empty")])
def test_an_empty_out_is_refused(value, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    one_line_error(cli("run", "--out", value), expected)
    assert list(tmp_path.iterdir()) == []


def test_files_that_are_not_a_run_are_never_replaced(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.txt").write_text("chapter 1")
    assert cli("run", "--years", "1", "--out", str(out), "--quiet").returncode == 0
    assert (out / "thesis.txt").read_text() == "chapter 1" and (out / "summary.json").exists()
