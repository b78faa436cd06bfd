"""One writer per sweep folder, and a sweep refused at the start leaves nothing behind."""

import json
import socket
import time

import pytest
from sweep_helpers import cli, one_line_error, start_sweep, write_spec

from cohesion_sim import load_results, run_sweep
from cohesion_sim.sweeps.storage import SweepLockedError, SweepStore


def listing(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else None


def test_a_second_writer_gets_one_line_and_changes_nothing(tmp_path):
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    run_sweep(spec, out, progress=False)
    (out / "runs" / "part-000001.parquet").unlink()
    before = listing(out)
    with SweepStore(out).lock():  # another sweep is writing this folder
        holder = (out / "sweep.lock").read_text().split()
        assert holder[0] == str(__import__("os").getpid()) and holder[1] == socket.gethostname()
        with pytest.raises(SweepLockedError):
            run_sweep(spec, out, resume=True, progress=False)
        one_line_error(cli("sweep", str(spec), "--out", str(out), "--resume"), "is being written by another sweep",
                       f"pid {holder[0]}")  # fmt: skip
        assert listing(out) == sorted([*before, "sweep.lock"])  # the holder's lock only
    assert not (out / "sweep.lock").exists()
    assert run_sweep(spec, out, resume=True, progress=False).chunks_done == 1  # the lock was released


def test_a_lock_left_by_a_killed_sweep_does_not_block(tmp_path):
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "sweep.lock").write_text("999999999 somewhere 2026-01-01T00:00:00Z\n")  # its holder is gone: no flock
    run_sweep(spec, out, progress=False)
    assert load_results(out).attrs["complete"] and not (out / "sweep.lock").exists()


@pytest.mark.slow
def test_two_sweeps_started_at_once_never_do_the_work_twice(tmp_path):
    spec = write_spec(tmp_path, samples=60, replicates=2, chunk_size=10)  # 12 chunks
    out = tmp_path / "out"
    first, second = start_sweep(spec, out, "--resume"), start_sweep(spec, out, "--resume")
    results = [p.communicate(timeout=300) for p in (first, second)]
    codes = sorted(p.returncode for p in (first, second))
    assert codes in ([0, 0], [0, 2]), results
    for process, (_, stderr) in zip((first, second), results):
        if process.returncode == 2:
            assert "is being written by another sweep" in stderr and len(stderr.strip().splitlines()) == 1
    lines = [json.loads(line)["chunk"] for line in (out / "parts.jsonl").read_text().splitlines()]
    assert sorted(lines) == list(range(12))  # each chunk computed once
    loaded = load_results(out)
    assert len(loaded) == 120 and loaded.attrs["complete"] and not loaded.duplicated(["point", "replicate"]).any()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    "case",
    ["bad spec", "not empty", "other sweep", "unreachable scheduler", "locked", "missing pyarrow"],
)
def test_a_sweep_refused_at_the_start_leaves_nothing_behind(tmp_path, case, monkeypatch):
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    args = ["sweep", str(spec), "--out", str(out)]
    expected = {"bad spec": "unknown field", "not empty": "not empty and is not a sweep folder",
                "other sweep": "holds results of a different sweep", "unreachable scheduler": "no Dask scheduler",
                "locked": "being written by another sweep", "missing pyarrow": 'pip install "cohesion-sim[sweep]"'}  # fmt: skip
    if case == "bad spec":
        spec.write_text(spec.read_text() + "replicats: 3\n")
    elif case == "not empty":
        out.mkdir()
        (out / "notes.txt").write_text("mine")
    elif case == "other sweep":
        run_sweep(write_spec(tmp_path, name="other.yaml", seed=99), out, progress=False)
    elif case == "unreachable scheduler":
        args += ["--backend", "dask", "--scheduler", f"tcp://127.0.0.1:{free_port()}"]
    elif case == "missing pyarrow":
        monkeypatch.setitem(__import__("sys").modules, "pyarrow", None)
    before = listing(out)
    start = time.monotonic()
    if case == "locked":
        with SweepStore(out).lock():
            result = cli(*args)
        before = None  # the lock's holder made the folder; it removes it when it leaves
    else:
        result = cli(*args)
    one_line_error(result, expected[case])
    assert time.monotonic() - start < 30
    assert listing(out) == before
