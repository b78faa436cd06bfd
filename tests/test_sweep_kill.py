"""Killing a sweep (SIGTERM, Ctrl+C, SIGKILL of the parent) leaves no process running, and resume stays exact."""

import os
import signal

import psutil
import pytest
from sweep_helpers import start_sweep, wait_for_parts, write_spec

from cohesion_sim import load_results, run_sweep

SIZE = {"samples": 400, "replicates": 2, "chunk_size": 20}  # 800 runs in 40 chunks


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("whole")
    run_sweep(write_spec(folder, **SIZE), folder / "out", progress=False)
    return load_results(folder / "out")


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGTERM", "SIGTERM to the group", "SIGINT", "SIGKILL"])
def test_a_killed_sweep_leaves_no_worker_and_resumes_exactly(tmp_path, how, uninterrupted):
    spec = write_spec(tmp_path, **SIZE)
    out = tmp_path / "out"
    process = start_sweep(spec, out, "--backend", "processes", "--workers", "2", new_session=True)
    wait_for_parts(out, 2, process)
    workers = psutil.Process(process.pid).children(recursive=True)
    assert workers, "the pool's workers should be running"
    if how == "SIGTERM to the group":  # what Slurm and `kill -- -PGID` do: the workers get it too
        os.killpg(process.pid, signal.SIGTERM)
        how = "SIGTERM"
    else:
        process.send_signal(getattr(signal, how))
    _, stderr = process.communicate(timeout=60)
    if how == "SIGKILL":
        assert process.returncode == -signal.SIGKILL
    else:
        word, code = ("terminated (SIGTERM)", 143) if how == "SIGTERM" else ("interrupted", 130)
        assert process.returncode == code, stderr
        assert word in stderr and "--resume" in stderr and "Traceback" not in stderr
        assert len(stderr.strip().splitlines()) == 1
        assert not (out / "sweep.lock").exists() and not list(out.rglob("*.tmp"))
    _, alive = psutil.wait_procs(workers, timeout=10)  # the watchdog ends orphans within about half a second
    assert not alive, f"workers still running after {how}: {[p.pid for p in alive]}"
    summary = run_sweep(spec, out, resume=True, progress=False)
    assert summary.chunks_skipped >= 2 and summary.chunks_done + summary.chunks_skipped == 40
    resumed = load_results(out)
    assert not resumed.duplicated(["point", "replicate"]).any() and resumed.attrs["complete"]
    assert resumed.equals(uninterrupted)


@pytest.mark.slow
def test_a_worker_killed_alone_ends_the_sweep_in_one_line_and_resume_is_exact(tmp_path, uninterrupted):
    spec = write_spec(tmp_path, **SIZE)
    out = tmp_path / "out"
    process = start_sweep(spec, out, "--backend", "processes", "--workers", "2")
    wait_for_parts(out, 2, process)
    workers = psutil.Process(process.pid).children(recursive=True)
    workers[0].kill()  # what the out-of-memory killer does
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1 and "a worker process died" in stderr and "--resume" in stderr
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive
    run_sweep(spec, out, resume=True, progress=False)
    assert load_results(out).equals(uninterrupted)
