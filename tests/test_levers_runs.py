"""Levers analysis end to end: the CLI's quick run, resume without duplicates, same seed same numbers, bad specs."""

import json

import numpy as np
import pytest
import yaml

from cohesion_sim.cli import main
from cohesion_sim.engine import run_batch
from cohesion_sim.levers import evaluate_levers
from cohesion_sim.levers.runner import _run_engine, plan_levers, run_levers_chunk
from cohesion_sim.scenario_files import load_scenario
from cohesion_sim.sweeps.storage import load_results

SMALL = {"futures": 6, "replicates": 2, "chunk_futures": 2, "seed": 3}


def small_spec(folder, **changes):
    path = folder / "levers.yaml"
    path.write_text(yaml.safe_dump({**SMALL, **changes}))
    return path


def test_cli_quick_run_writes_the_table_figures_and_report(tmp_path, capsys):
    spec = small_spec(tmp_path, packages={"all_in": {"coordination": 1.0, "decision_rule": "qualified_majority"}})
    assert main(["levers", str(spec), "--out", str(tmp_path / "out"), "--backend", "serial", "--quiet"]) == 0
    report = tmp_path / "out" / "report"
    for name in ("ranked.csv", "ranked.md", "lever_effects.csv", "discovery.csv", "heatmap.png", "regret.png", "report.md"):
        assert (report / name).is_file(), name
    runs = load_results(tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["n_packages"] == 17 and manifest["n_runs"] == 6 * 17 * 2 == len(runs)
    assert runs["run"].tolist() == list(range(len(runs)))
    assert ((runs["future"] * 17 + runs["package"]) * 2 + runs["replicate"] == runs["run"]).all()
    # common random numbers: every package meets the same seed in the same future and replicate
    assert (runs.groupby(["future", "replicate"])["seed"].nunique() == 1).all()
    ranked = (report / "ranked.md").read_text()
    assert ranked.startswith("| rank | package | satisficing |") and "all_in" in ranked
    text = (report / "report.md").read_text()
    assert "What the analysis supports" in text and "What it does not support" in text


def test_resume_finishes_without_duplicates_and_matches_a_fresh_run(tmp_path):
    spec = small_spec(tmp_path)
    fresh = evaluate_levers(spec, tmp_path / "fresh", progress=False, plots=False)
    assert fresh.run.chunks_done == 3
    out = tmp_path / "resumed"
    evaluate_levers(spec, out, progress=False, plots=False)
    (out / "runs" / "part-000001.parquet").unlink()  # as if killed before chunk 1 was written
    (out / "runs" / "part-000002.parquet").rename(out / "runs" / "part-000002.parquet.tmp")  # half-written
    assert main(["levers", str(spec), "--out", str(out), "--backend", "serial", "--quiet"]) == 2  # needs --resume
    assert main(["levers", str(spec), "--out", str(out), "--backend", "serial", "--quiet", "--resume"]) == 0
    runs, again = load_results(out), load_results(tmp_path / "fresh")
    assert not runs["run"].duplicated().any() and len(runs) == len(again) == 6 * 16 * 2
    assert not list(out.rglob("*.tmp"))
    assert np.array_equal(runs["cohesion"].to_numpy(), again["cohesion"].to_numpy())
    assert np.array_equal(runs["european_spending"].to_numpy(), again["european_spending"].to_numpy())


def test_a_changed_spec_never_mixes_into_an_old_folder_but_a_new_threshold_reanalyses(tmp_path, capsys):
    out = tmp_path / "out"
    first = evaluate_levers(small_spec(tmp_path), out, progress=False, plots=False)
    changed = small_spec(tmp_path, ranges={"volatility": [0.0, 0.1]})
    assert main(["levers", str(changed), "--out", str(out), "--resume", "--quiet"]) == 2
    assert "different sweep" in capsys.readouterr().err
    # the threshold changes only the analysis: the finished folder is re-analysed, nothing re-runs
    again = evaluate_levers(small_spec(tmp_path), out, progress=False, plots=False, resume=True, threshold=0.3)
    assert again.run.runs_done == 0 and again.threshold == 0.3
    assert (again.table["satisficing"].to_numpy() >= first.table.set_index("package").loc[again.table["package"],
            "satisficing"].to_numpy()).all()  # fmt: skip


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"futures": 0}, "field 'futures': 0 is out of range"),
        ({"treshold": 0.5}, "unknown field 'treshold'"),
        ({"ranges": {"vacuum_level": [0.9, 0.1]}}, "ranges"),
        ({"ranges": {"vacuum_year": [2020, 2030]}}, "field 'ranges.vacuum_year'"),
        ({"packages": {"bad": {"coordination": 3}}}, "field 'packages.bad'"),
        ({"base": "no_such_scenario"}, "unknown scenario 'no_such_scenario'"),
        ({"packages": {"p": {"vacuum": 0.1}}}, "field 'packages.p.vacuum': a package cannot set it"),
        ({"levers": {"decision_rule": "unanimity"}}, "field 'levers.decision_rule'"),
    ],
)
def test_bad_spec_is_one_line_and_exit_2(tmp_path, capsys, body, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(body))
    assert main(["levers", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cohesion-sim: error: ") and str(path) in err and expected in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_bad_command_line_values_exit_2(tmp_path, capsys):
    assert main(["levers", "--out", str(tmp_path / "o"), "--futures", "0"]) == 2
    assert "--futures must be at least 1" in capsys.readouterr().err
    assert main(["levers", "--out", str(tmp_path / "o"), "--threshold", "1.5"]) == 2
    assert "--threshold must be between 0 and 1" in capsys.readouterr().err
    assert main(["levers", str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "o")]) == 2
    assert "levers spec file not found" in capsys.readouterr().err
    assert main(["levers", "--out", str(tmp_path / "o"), "--posterior", str(tmp_path / "none.parquet")]) == 2
    assert "field 'posterior'" in capsys.readouterr().err


def test_posterior_draws_become_part_of_the_futures(tmp_path):
    import pandas as pd

    path = tmp_path / "posterior.parquet"
    pd.DataFrame({"draw": [0, 1, 2], "trust_loss": [0.3, 0.5, 0.7], "fear_weight": [1.0, 2.0, 3.0]}).to_parquet(path)
    plan = plan_levers({**SMALL}, posterior=str(path))
    assert "posterior_draw" in plan.futures and plan.futures["posterior_draw"].between(0, 2).all()
    overrides = plan.task(0).futures[0]
    draw = int(plan.futures.loc[0, "posterior_draw"])
    assert overrides["trust_loss"] == [0.3, 0.5, 0.7][draw] and overrides["fear_weight"] == [1.0, 2.0, 3.0][draw]
    lever = tmp_path / "lever.parquet"
    pd.DataFrame({"coordination": [0.5]}).to_parquet(lever)
    with pytest.raises(ValueError, match="column 'coordination' is a lever"):
        plan_levers({**SMALL}, posterior=str(lever))


def test_engine_state_spending_equals_the_agent_reporters():
    scenarios = [load_scenario("baseline", coordination=c) for c in (0.1, 0.9)]
    result, spending = _run_engine(scenarios, [1, 2])
    assert spending is not None
    reported = run_batch(scenarios, [1, 2], agents=True).agents["spending"][:, -1, :]
    assert np.allclose(spending, reported, rtol=0, atol=1e-12)
    assert result.iso3[spending.argmax(axis=1)[0]] != "ISL"


def test_chunk_outcomes_are_the_engines(tmp_path):
    plan = plan_levers({**SMALL, "futures": 2, "chunk_futures": 2, "replicates": 1})
    assert plan.posterior is not None and "posterior_draw" in plan.futures  # the shipped posterior by default
    table = run_levers_chunk(plan.task(0))
    assert len(table) == 2 * 16
    row = table.iloc[5]  # a mixed-dtype row holds the 63-bit seed as a float: read it from its column
    seed = int(table["seed"].iloc[5])
    from cohesion_sim.levers.futures import future_overrides

    overrides = {**plan.packages[int(row["package"])].overrides,
                 **future_overrides(plan.futures.iloc[int(row["future"])].to_dict(), plan.base, plan.posterior)}  # fmt: skip
    alone = run_batch([load_scenario(plan.base, **overrides)], [seed])
    assert alone.final["cohesion"][0] == pytest.approx(row["cohesion"], abs=1e-12)
    assert alone.final["declaration_gap"][0] == pytest.approx(row["declaration_gap"], abs=1e-12)


def test_posterior_none_holds_the_constants_and_named_posteriors_are_weighted(tmp_path):
    import pandas as pd

    plan = plan_levers({**SMALL, "posterior": "none"})
    assert plan.posterior is None and "posterior_draw" not in plan.futures
    assert plan.manifest["posterior"] is None
    # a weighted CSV: the draw with all the weight is the only one the futures take
    path = tmp_path / "draws.csv"
    pd.DataFrame({"trust_loss": [0.3, 0.5, 0.7], "weight": [0.0, 1.0, 0.0]}).to_csv(path, index=False)
    plan = plan_levers({**SMALL, "futures": 20}, posterior=str(path))
    assert set(plan.futures["posterior_draw"]) == {1}
    assert plan.manifest["posterior"]["sha256"] and plan.manifest["posterior"]["path"].endswith("draws.csv")
    shipped = plan_levers({**SMALL}).manifest["posterior"]
    assert shipped["source"] == "default" and shipped["path"].endswith("posterior_default.csv")
