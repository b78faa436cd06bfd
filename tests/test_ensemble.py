"""Ensembles: posterior draws and seeds per run, same seed same numbers, serial = processes, tables, CLI."""

import numpy as np
import pandas as pd
import pytest

from cohesion_sim.calibration.posterior import Posterior, load_posterior
from cohesion_sim.cli import main
from cohesion_sim.ensemble import run_ensemble
from cohesion_sim.reporters import AGENT_REPORTERS, MODEL_REPORTERS
from cohesion_sim.scenario_files import load_scenario


def tiny_posterior():
    draws = pd.DataFrame({"threat_weight": [2.0, 4.0, 6.0], "adjustment_speed": [0.3, 0.6, 0.9],
                          "weight": [0.2, 0.3, 0.5]})  # fmt: skip
    return Posterior(draws=draws, names=("threat_weight", "adjustment_speed"))


def test_tables_hold_every_reporter_and_each_run_its_draw():
    result = run_ensemble("baseline", 12, posterior=tiny_posterior(), seed=3, end_year=2028, with_blocs=False)
    assert list(result.model.columns) == ["run", *MODEL_REPORTERS]
    assert list(result.agents.columns) == ["run", "year", *AGENT_REPORTERS]
    assert len(result.model) == 12 * 5 and len(result.agents) == 12 * 5 * 32
    assert set(result.agents.status.unique()) <= {"aligned", "hedging", "disengaged"}
    assert set(result.model.summit.unique()) <= {"none", "passed", "passed with exemptions", "failed"}
    assert result.runs.seed.nunique() == 12
    assert set(result.runs.threat_weight) <= {2.0, 4.0, 6.0} and result.runs.threat_weight.nunique() > 1
    # the draw reaches the run: spending paths differ by more than noise across draws
    final = result.agents[(result.agents.year == 2028)].groupby("run").spending.mean()
    assert final.std() > 0


def test_same_seed_same_numbers_other_seed_other_numbers():
    a = run_ensemble("baseline", 6, posterior="default", seed=11, end_year=2027, with_blocs=False)
    b = run_ensemble("baseline", 6, posterior="default", seed=11, end_year=2027, with_blocs=False)
    c = run_ensemble("baseline", 6, posterior="default", seed=12, end_year=2027, with_blocs=False)
    pd.testing.assert_frame_equal(a.model, b.model)
    pd.testing.assert_frame_equal(a.agents, b.agents)
    assert not np.allclose(a.agents.spending, c.agents.spending)


def test_serial_and_processes_give_identical_tables():
    from cohesion_sim.sweeps.backends import make_executor

    serial = run_ensemble("abrupt_withdrawal", 8, posterior="default", seed=5, end_year=2029, chunk_size=3)
    with make_executor("processes", 2) as pool:
        parallel = run_ensemble("abrupt_withdrawal", 8, posterior="default", seed=5, end_year=2029, chunk_size=3,
                                executor=pool)  # fmt: skip
    pd.testing.assert_frame_equal(serial.model, parallel.model)
    pd.testing.assert_frame_equal(serial.agents, parallel.agents)


def test_no_posterior_uses_the_scenario_constants_and_equals_the_engine():
    from cohesion_sim.engine import run_batch
    from cohesion_sim.ensemble import run_seed

    result = run_ensemble("baseline", 3, posterior="none", seed=2, end_year=2027)
    assert list(result.runs.columns) == ["run", "seed"]
    scenario = load_scenario("baseline", end_year=2027)
    direct = run_batch([scenario] * 3, [run_seed(2, r) for r in range(3)], agents=True, with_blocs=False)
    assert np.allclose(result.agents.spending.to_numpy(), direct.agents["spending"].reshape(-1))


def test_default_posterior_is_the_shipped_file():
    posterior = load_posterior("default")
    assert posterior.source.endswith("posterior_default.csv") and len(posterior.draws) >= 100


def test_ensemble_cli_writes_tables_and_fan_charts(tmp_path):
    out = tmp_path / "ens"
    assert main(["ensemble", "baseline", "--runs", "5", "--seed", "1", "--out", str(out), "--quiet",
                 "--set", "end_year=2027"]) == 0  # fmt: skip
    for name in ("model.parquet", "agents.parquet", "runs.parquet", "fan_headline.png", "fan_spending.png"):
        assert (out / name).is_file(), name
    model = pd.read_parquet(out / "model.parquet")
    assert model.run.nunique() == 5 and model.year.max() == 2027
    assert main(["ensemble", "baseline", "--runs", "3", "--out", str(tmp_path / "csv"), "--format", "csv", "--quiet",
                 "--no-plots", "--posterior", "none", "--set", "end_year=2026"]) == 0  # fmt: skip
    assert (tmp_path / "csv" / "agents.csv").is_file()


@pytest.mark.parametrize("args, words", [
    (["--runs", "0"], ["--runs"]),
    (["--posterior", "missing.csv"], ["missing.csv", "not found"]),
    (["--seed", "-1"], ["--seed"]),
])  # fmt: skip
def test_ensemble_bad_input_exits_2_with_one_line(tmp_path, capsys, args, words):
    assert main(["ensemble", "baseline", "--out", str(tmp_path / "o"), "--quiet", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    for word in words:
        assert word in err
