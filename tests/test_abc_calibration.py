"""Calibration (ABC-SMC on the batch engine): statistics, synthetic truth, CLI, resume after a kill, posterior files."""

import json
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
import yaml

pytest.importorskip("pyabc")

from cohesion_sim.calibration.abc_smc import run_calibration  # noqa: E402
from cohesion_sim.calibration.posterior import PosteriorError, load_posterior  # noqa: E402
from cohesion_sim.calibration.spec import CalibrationSpecError, load_calibration_spec, priors  # noqa: E402
from cohesion_sim.calibration.statistics import observed, observed_statistics, summarize  # noqa: E402
from cohesion_sim.cli import main  # noqa: E402
from cohesion_sim.engine import run_batch  # noqa: E402
from cohesion_sim.scenario_files import load_scenario  # noqa: E402

TRUTH = {"adjustment_speed": 0.5, "budget_noise": 0.12}


def small_spec(**update):
    """A fast spec: two constants, 2014-2019 only, the panel statistics."""
    spec = {
        "title": "test calibration",
        "base": "hindcast_2014",
        "set": {"end_year": 2019},
        "parameters": {"adjustment_speed": {"range": [0.3, 0.95]}, "budget_noise": {"range": [0.0, 0.2]}},
        "statistics": {"panel_levels": 1.0, "panel_steps": 1.0, "panel_counts": 1.0},
        "budget": {"population": 80, "generations": 3, "max_simulations": 5000, "min_acceptance": 0.0},
        "quick": {"population": 40, "generations": 3, "max_simulations": 2000, "min_acceptance": 0.0},
        "seed": 5,
        "chunk_size": 100,
    }
    spec.update(update)
    return spec


def test_observed_statistics_match_the_data():
    base = load_scenario("hindcast_2014")
    result = run_batch([base], [0], agents=True, with_blocs=False)
    stats = observed_statistics(observed(tuple(result.iso3)))
    assert stats["count_2024"].tolist() == [23.0]  # NATO June 2024 estimates
    assert stats["panel_counts"].tolist() == [5.0, 5.0, 4.0, 6.0, 7.0]
    assert stats["levels_2024"].shape == (31,) and stats["panel_levels"].shape == (155,)
    simulated = summarize(result.agents["spending"], result.years, observed(tuple(result.iso3)))
    assert {name: value.shape[1] for name, value in simulated.items()} == {k: v.size for k, v in stats.items()}


def test_default_spec_priors_are_the_documented_ranges():
    spec = load_calibration_spec("default")
    bounds = priors(spec)
    from cohesion_sim.scenario import Scenario

    for name in spec.names:
        meta = Scenario.model_fields[name].metadata
        low = next(m.ge for m in meta if getattr(m, "ge", None) is not None)
        high = next(m.le for m in meta if getattr(m, "le", None) is not None)
        assert bounds[name] == (low, high), name
    assert len(spec.names) >= 8


def test_synthetic_truth_lies_in_the_posterior_90_interval(tmp_path):
    """Statistics simulated from known constants; a tiny ABC-SMC recovers them within its 90% interval."""
    spec = load_calibration_spec(small_spec())
    base = load_scenario("hindcast_2014", end_year=2019, **TRUTH)
    result = run_batch([base], [123], agents=True, with_blocs=False)
    truth_stats = {k: v[0] for k, v in summarize(result.agents["spending"], result.years,
                                                  observed(tuple(result.iso3))).items()}  # fmt: skip
    run_calibration(spec, tmp_path / "cal", progress=False, observed_stats=truth_stats)
    posterior = load_posterior(tmp_path / "cal")
    table = posterior.summary(priors(spec))
    for name, value in TRUTH.items():
        assert table.loc[name, "p05"] <= value <= table.loc[name, "p95"], table
    # and the data narrowed the noise constant (not just "the prior contains the truth")
    assert table.loc["budget_noise", "narrowing"] > 0.3, table


def test_quick_cli_run_writes_posterior_manifest_and_figures(tmp_path, capsys):
    spec_file = tmp_path / "spec.yaml"
    spec_file.write_text(yaml.safe_dump(small_spec()))
    out = tmp_path / "out"
    assert main(["calibrate", str(spec_file), "--quick", "--out", str(out), "--quiet"]) == 0
    for name in ("posterior.parquet", "posterior.csv", "manifest.json", "abc.db", "marginals.png", "pairs.png",
                 "predictive_check.png", "predictive_2024.csv"):  # fmt: skip
        assert (out / name).is_file(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "done" and manifest["generations"] == 3 and manifest["seed"] == 5
    assert set(manifest["data"]) == {"nato_spending_2014_2019.csv", "nato_allies.csv"}
    assert "pyabc" in manifest["libraries"] and manifest["spec"]["parameters"]["budget_noise"]["range"] == [0.0, 0.2]
    draws = pd.read_parquet(out / "posterior.parquet")
    assert len(draws) == 40 and abs(draws.weight.sum() - 1) < 1e-9
    assert draws.adjustment_speed.between(0.3, 0.95).all()
    # a finished folder is not overwritten by accident
    assert main(["calibrate", str(spec_file), "--quick", "--out", str(out), "--quiet"]) == 2
    assert "--resume" in capsys.readouterr().err


def test_same_seed_same_posterior(tmp_path):
    spec = load_calibration_spec(small_spec(quick={"population": 30, "generations": 2, "max_simulations": 1000}))
    a = run_calibration(spec, tmp_path / "a", quick=True, progress=False, plots=False)
    b = run_calibration(spec, tmp_path / "b", quick=True, progress=False, plots=False)
    assert a.simulations == b.simulations
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "a/posterior.csv"), pd.read_csv(tmp_path / "b/posterior.csv"))


def _finished_generations(db):
    try:
        with sqlite3.connect(db) as con:
            return con.execute("select count(*) from populations where t >= 0").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_killed_run_resumes_without_recomputing_finished_generations(tmp_path):
    spec_file = tmp_path / "spec.yaml"
    spec_file.write_text(yaml.safe_dump(small_spec(quick={"population": 40, "generations": 4, "max_simulations": 4000,
                                                          "min_acceptance": 0.0})))  # fmt: skip
    out = tmp_path / "out"
    command = [sys.executable, "-m", "cohesion_sim", "calibrate", str(spec_file), "--quick", "--out", str(out),
               "--quiet", "--no-plots"]  # fmt: skip
    process = subprocess.Popen(command)
    deadline = time.time() + 120
    while _finished_generations(out / "abc.db") < 1 and process.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = _finished_generations(out / "abc.db")
    if done >= 4:
        pytest.skip("the run finished before it could be killed")
    with sqlite3.connect(out / "abc.db") as con:
        before = con.execute("select t, epsilon, nr_samples from populations where t >= 0 order by t").fetchall()
    assert main(["calibrate", str(spec_file), "--quick", "--out", str(out), "--resume", "--quiet", "--no-plots"]) == 0
    with sqlite3.connect(out / "abc.db") as con:
        after = con.execute("select t, epsilon, nr_samples from populations where t >= 0 order by t").fetchall()
    assert after[: len(before)] == before  # finished generations kept as they were, not recomputed
    assert len(after) == 4
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["history"][-1]["generations_before"] == len(before)
    assert manifest["history"][-1]["simulations"] == sum(s for _, _, s in after[len(before):])


def test_resume_of_a_finished_run_simulates_nothing(tmp_path):
    spec = load_calibration_spec(small_spec(quick={"population": 30, "generations": 2, "max_simulations": 1000}))
    run_calibration(spec, tmp_path / "c", quick=True, progress=False, plots=False)
    again = run_calibration(spec, tmp_path / "c", quick=True, resume=True, progress=False, plots=False)
    assert again.simulations == 0 and again.resumed_from == 2


@pytest.mark.parametrize(
    "change, words",
    [
        ({"parameters": {"trust_gian": {}}}, ["parameters.trust_gian", "trust_gain"]),
        ({"parameters": {"threat_weight": {"range": [1, 20]}}}, ["parameters.threat_weight", "[0.5, 6]"]),
        ({"parameters": ["decision_rule"]}, ["decision_rule", "numeric"]),
        ({"statistics": {"levels_2024": 1.0}}, ["statistics", "2024"]),
        ({"statistics": {"panel_level": 1.0}}, ["panel_levels"]),
        ({"budget": {"population": 0}}, ["budget.population"]),
    ],
)
def test_bad_spec_exits_2_with_one_line(tmp_path, capsys, change, words):
    spec_file = tmp_path / "bad.yaml"
    spec_file.write_text(yaml.safe_dump(small_spec(**change)))
    assert main(["calibrate", str(spec_file), "--quick", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert str(spec_file) in err
    for word in words:
        assert word in err


def test_unknown_spec_name_and_bad_posterior_file(tmp_path, capsys):
    assert main(["calibrate", "no_such_spec", "--quick", "--out", str(tmp_path / "o")]) == 2
    assert "default" in capsys.readouterr().err
    bad = tmp_path / "posterior.csv"
    bad.write_text("threat_weight,weight\n1.0,-1\n")
    with pytest.raises(PosteriorError, match="'weight' must be >= 0"):
        load_posterior(bad)
    bad.write_text("threat_weight,coordination,weight\n1.0,0.5,1\n")
    with pytest.raises(PosteriorError, match="'coordination' is a lever"):
        load_posterior(bad)
    # a file of draws without weights (an MCMC chain, say): every draw counts the same; bookkeeping is ignored
    bad.write_text("draw,chain,threat_weight\n0,0,1.0\n1,0,2.0\n2,1,4.0\n")
    chain = load_posterior(bad)
    assert chain.names == ("threat_weight",) and np.allclose(chain.draws["weight"], 1 / 3)
    bad.write_text("no_such_constant,weight\n1.0,1\n")
    with pytest.raises(PosteriorError, match="no_such_constant"):
        load_posterior(bad)


def test_shipped_posteriors_load_inside_their_priors():
    for name, spec_name in (("default", "default"), ("panel_only", "panel_2014_2019")):
        posterior = load_posterior(name)
        bounds = priors(load_calibration_spec(spec_name))
        assert set(posterior.names) == set(bounds)
        for constant, (low, high) in bounds.items():
            assert posterior.draws[constant].between(low, high).all()
        assert np.isclose(posterior.draws.weight.sum(), 1.0)


def test_serial_and_processes_give_the_same_posterior(tmp_path):
    from cohesion_sim.sweeps.backends import make_executor

    spec = load_calibration_spec(small_spec(quick={"population": 30, "generations": 2, "max_simulations": 1000}))
    run_calibration(spec, tmp_path / "serial", quick=True, progress=False, plots=False)
    with make_executor("processes", 2) as pool:
        run_calibration(spec, tmp_path / "pool", quick=True, progress=False, plots=False, executor=pool)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "serial/posterior.csv"),
                                  pd.read_csv(tmp_path / "pool/posterior.csv"))  # fmt: skip
