"""Running sweeps: Parquet parts, manifest, resume after a real kill and after Ctrl-C, backends, re-runs in Mesa."""

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import yaml

from cohesion_sim import load_results, run_sweep
from cohesion_sim.cli import main
from cohesion_sim.sweeps.runner import plan_sweep, rerun
from cohesion_sim.sweeps.storage import SweepDirectoryError

IDS = ["run", "point", "replicate", "seed"]


def write_spec(folder, name="spec.yaml", samples=30, replicates=3, chunk_size=20, yearly=False, seed=11):
    spec = {
        "title": "test sweep",
        "base": "baseline",
        "parameters": {"coordination": {"range": [0.0, 1.0]}, "vacuum.path.level": {"range": [0.1, 0.9]},
                       "decision_rule": {"values": ["consensus", "qualified_majority"]}},  # fmt: skip
        "design": {"method": "lhs", "samples": samples},
        "replicates": replicates,
        "seed": seed,
        "outputs": {"yearly": yearly},
        "chunk_size": chunk_size,
    }
    path = folder / name
    path.write_text(yaml.safe_dump(spec))
    return path


def test_sweep_writes_parts_manifest_and_identifiers(tmp_path):
    spec = write_spec(tmp_path, yearly=True)
    summary = run_sweep(spec, tmp_path / "out", progress=False)
    assert summary.runs_done == 90 and summary.chunks_done == 5
    parts = sorted((tmp_path / "out" / "runs").glob("*.parquet"))
    assert len(parts) == 5 and not list((tmp_path / "out").rglob("*.tmp"))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["seed_root"] == 11 and manifest["n_runs"] == 90 and manifest["spec"]["title"] == "test sweep"
    assert {"numpy", "mesa", "pyarrow", "cohesion-sim"} <= set(manifest["versions"])
    results = load_results(tmp_path / "out")
    assert list(results.columns[:4]) == IDS and len(results) == 90 and results.attrs["complete"]
    assert results["run"].tolist() == list(range(90))
    assert (results["run"] == results["point"] * 3 + results["replicate"]).all()
    assert {"coordination", "vacuum.path.level", "decision_rule", "cohesion", "blocs", "summit"} <= set(results.columns)
    through_duckdb = load_results(tmp_path / "out", engine="duckdb")
    assert np.allclose(through_duckdb["cohesion"], results["cohesion"]) and (through_duckdb["seed"] == results["seed"]).all()
    yearly = load_results(tmp_path / "out", yearly=True)
    assert len(yearly) == 90 * 12
    final = yearly[yearly["year"] == 2035].reset_index(drop=True)
    assert np.allclose(final["cohesion"], results["cohesion"], rtol=0, atol=1e-12)


def test_any_run_reruns_alone_in_the_mesa_model(tmp_path):
    spec = write_spec(tmp_path, samples=6, replicates=2)
    run_sweep(spec, tmp_path / "out", progress=False)
    results = load_results(tmp_path / "out")
    for point, replicate in [(0, 0), (4, 1)]:
        row = results[(results.point == point) & (results.replicate == replicate)].iloc[0]
        model = rerun(tmp_path / "out", point, replicate)
        assert model.seed == row.seed
        start = model.params.start_year
        assert model.params.coordination.at(start) == row.coordination
        assert model.params.decision_rule.at(start) == row.decision_rule
        for name in ("cohesion", "connectivity", "mean_spending", "us_tension", "declaration_gap"):
            assert abs(model.metrics[name] - row[name]) <= 1e-9
        assert model.metrics["blocs"] == row.blocs and model.metrics["summit"] == row.summit


def test_a_different_spec_is_refused_never_mixed(tmp_path):
    run_sweep(write_spec(tmp_path), tmp_path / "out", progress=False)
    other = write_spec(tmp_path, name="other.yaml", seed=12)
    with pytest.raises(SweepDirectoryError, match="holds results of a different sweep"):
        run_sweep(other, tmp_path / "out", resume=True, progress=False)
    assert main(["sweep", str(other), "--out", str(tmp_path / "out"), "--resume", "--quiet"]) == 2
    with pytest.raises(SweepDirectoryError, match="add --resume"):
        run_sweep(write_spec(tmp_path), tmp_path / "out", progress=False)
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "notes.txt").write_text("mine")
    with pytest.raises(SweepDirectoryError, match="not empty and is not a sweep folder"):
        run_sweep(write_spec(tmp_path), tmp_path / "stuff", progress=False)
    again = run_sweep(write_spec(tmp_path), tmp_path / "out", resume=True, progress=False)
    assert again.runs_done == 0 and again.chunks_skipped == 5


def _start_sweep(spec, out, *extra):
    return subprocess.Popen(
        [sys.executable, "-m", "cohesion_sim", "sweep", str(spec), "--out", str(out), "--quiet", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _wait_for_parts(out, count, process, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if len(list((out / "runs").glob("*.parquet"))) >= count if (out / "runs").is_dir() else False:
            return
        if process.poll() is not None:
            pytest.fail(f"the sweep ended before it could be interrupted: {process.stderr.read()}")
        time.sleep(0.01)
    pytest.fail("no parts appeared")


@pytest.mark.slow
def test_resume_after_a_real_kill_equals_an_uninterrupted_run(tmp_path):
    spec = write_spec(tmp_path, samples=1000, replicates=2, chunk_size=40)  # 50 chunks
    killed = tmp_path / "killed"
    process = _start_sweep(spec, killed)
    _wait_for_parts(killed, 3, process)
    process.kill()  # SIGKILL: no clean-up at all
    process.wait()
    finished = len(list((killed / "runs").glob("*.parquet")))
    assert 3 <= finished < 50
    assert main(["sweep", str(spec), "--out", str(killed), "--resume", "--quiet"]) == 0
    assert not list(killed.rglob("*.tmp"))
    resumed = load_results(killed)
    whole = tmp_path / "whole"
    run_sweep(spec, whole, progress=False)
    uninterrupted = load_results(whole)
    assert len(resumed) == 2000 and not resumed.duplicated(["point", "replicate"]).any()
    assert resumed.equals(uninterrupted)


@pytest.mark.slow
def test_ctrl_c_leaves_a_clean_resumable_folder(tmp_path):
    spec = write_spec(tmp_path, samples=1000, replicates=2, chunk_size=40)
    out = tmp_path / "out"
    process = _start_sweep(spec, out, "--backend", "processes", "--workers", "2")
    _wait_for_parts(out, 2, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "--resume" in stderr and "Traceback" not in stderr
    assert not list(out.rglob("*.tmp"))
    assert run_sweep(spec, out, resume=True, progress=False).chunks_skipped >= 2
    assert len(load_results(out)) == 2000 and load_results(out).attrs["complete"]


@pytest.mark.slow
def test_serial_processes_and_dask_give_identical_results(tmp_path):
    spec = write_spec(tmp_path, samples=40, replicates=2, chunk_size=16, yearly=True)
    frames = {}
    for backend in ("serial", "processes", "dask"):
        run_sweep(spec, tmp_path / backend, backend=backend, workers=2, progress=False)
        frames[backend] = (load_results(tmp_path / backend), load_results(tmp_path / backend, yearly=True))
    for backend in ("processes", "dask"):
        assert frames[backend][0].equals(frames["serial"][0])
        assert frames[backend][1].equals(frames["serial"][1])


def test_any_executor_works(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    spec = write_spec(tmp_path, samples=8, replicates=2, chunk_size=5)
    with ThreadPoolExecutor(2) as pool:
        run_sweep(spec, tmp_path / "threads", executor=pool, progress=False)
    run_sweep(spec, tmp_path / "serial", progress=False)
    assert load_results(tmp_path / "threads").equals(load_results(tmp_path / "serial"))


def test_cli_sweep_and_analyze(tmp_path, capsys):
    spec = write_spec(tmp_path, samples=20, replicates=2)
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out")]) == 0
    assert "40 runs in" in capsys.readouterr().out
    assert main(["analyze", str(tmp_path / "out")]) == 0
    text = capsys.readouterr().out
    assert "Spearman rank correlation" in text and "Scenario discovery" in text
    assert (tmp_path / "out" / "analysis" / "correlations.csv").is_file()
    assert list((tmp_path / "out" / "analysis").glob("heatmap_*.png"))
    assert main(["analyze", str(tmp_path / "out"), "--method", "sobol"]) == 2
    assert "needs a sobol design" in capsys.readouterr().err
    assert main(["sweep", str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "x")]) == 2
    assert "sweep spec file not found" in capsys.readouterr().err
    assert main(["sweep", str(spec), "--out", str(tmp_path / "y"), "--backend", "serial", "--scheduler", "tcp://x:1"]) == 2


def test_plan_counts_chunks():
    plan = plan_sweep({"base": "baseline", "parameters": {"coordination": {"range": [0, 1]}},
                       "design": {"method": "lhs", "samples": 10}, "replicates": 3, "chunk_size": 7})  # fmt: skip
    assert plan.n_runs == 30 and plan.n_chunks == 5 and len(plan.chunk_runs(4)) == 2


def test_importing_the_package_stays_light():
    code = ("import sys, cohesion_sim; heavy = [m for m in ('mesa', 'SALib', 'duckdb', 'dask') if m in sys.modules]; "
            "assert not heavy, heavy; assert callable(cohesion_sim.run_sweep) and callable(cohesion_sim.load_results); "
            "assert cohesion_sim.AllianceModel.__name__ == 'AllianceModel'")  # fmt: skip
    subprocess.run([sys.executable, "-c", code], check=True)
