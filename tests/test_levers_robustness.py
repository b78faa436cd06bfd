"""Robustness statistics and scenario discovery on hand-made tables with known answers."""

import numpy as np
import pandas as pd
import pytest

from cohesion_sim.levers.discover import discover_failures, plain_language
from cohesion_sim.levers.outcomes import outcome
from cohesion_sim.levers.report import lever_effects, markdown_table
from cohesion_sim.levers.robustness import best_fails, regret, robustness_table, satisficing, worst_tenth
from cohesion_sim.sweeps.discovery import prim

# cohesion of 3 packages (rows) in 4 futures (columns)
COHESION = np.array([
    [0.60, 0.40, 0.55, 0.30],
    [0.50, 0.50, 0.45, 0.35],
    [0.70, 0.20, 0.40, 0.20],
])  # fmt: skip


def test_regret_is_the_shortfall_against_the_best_package_of_each_future():
    expected = np.array([
        [0.10, 0.10, 0.00, 0.05],
        [0.20, 0.00, 0.10, 0.00],
        [0.00, 0.30, 0.15, 0.15],
    ])  # fmt: skip
    assert regret(COHESION) == pytest.approx(expected)
    # lower is better (e.g. disengaged allies): the best is the smallest value
    assert regret(np.array([[1.0, 0.0], [3.0, 2.0]]), sign=-1.0) == pytest.approx(np.array([[0, 0], [2.0, 2.0]]))


def test_satisficing_counts_futures_at_or_above_the_threshold():
    assert satisficing(COHESION, 0.5) == pytest.approx([2 / 4, 2 / 4, 1 / 4])
    assert satisficing(np.array([[0.0, 1.0, 2.0, 3.0]]), 1.0, sign=-1.0) == pytest.approx([0.5])
    assert best_fails(COHESION, 0.5).tolist() == [False, False, False, True]


def test_worst_tenth_uses_the_bad_side_of_each_outcome():
    values = np.arange(11.0)  # percentiles are exact on 0..10
    assert worst_tenth(values, outcome("cohesion")) == pytest.approx(1.0)
    assert worst_tenth(values, outcome("disengaged")) == pytest.approx(9.0)


def _means(matrices):
    packages, futures = np.meshgrid(range(3), range(4), indexing="ij")
    frame = pd.DataFrame({"package": packages.ravel(), "future": futures.ravel()})
    for name, matrix in matrices.items():
        frame[name] = matrix.ravel()
    return frame


def test_robustness_table_ranks_by_satisficing_then_regret():
    disengaged = np.array([[0, 1, 0, 2], [0, 0, 0, 1], [5, 5, 5, 5]], dtype=float)
    table = robustness_table(_means({"cohesion": COHESION, "disengaged": disengaged}), ["a", "b", "c"], 4, 0.5)
    assert table["package"].tolist() == ["a", "b", "c"]  # a and b tie on satisficing; a has the lower p90 regret
    row = table.set_index("package").loc["a"]
    assert row["satisficing"] == pytest.approx(0.5)
    assert row["regret_mean"] == pytest.approx(0.0625) and row["regret_max"] == pytest.approx(0.10)
    assert row["regret_p90"] == pytest.approx(np.percentile([0.10, 0.10, 0.0, 0.05], 90))
    assert row["cohesion_median"] == pytest.approx(0.475)
    assert row["cohesion_p10"] == pytest.approx(np.percentile([0.6, 0.4, 0.55, 0.3], 10))
    assert row["disengaged_p90"] == pytest.approx(np.percentile([0, 1, 0, 2], 90))
    assert table.set_index("package").loc["b", "best_in"] == pytest.approx(0.5)
    assert table["rank"].tolist() == [1, 2, 3]


def test_lever_effects_average_over_pairs_that_differ_by_one_lever():
    # packages: none, coord, qmv, coord+qmv; two futures
    cohesion = np.array([[0.2, 0.4], [0.3, 0.5], [0.5, 0.4], [0.6, 0.7]])
    effects = lever_effects({"cohesion": cohesion}, [(), ("coord",), ("qmv",), ("coord", "qmv")]).set_index("lever")
    assert effects.loc["coord", "pairs"] == 2 and effects.loc["coord", "cohesion_change"] == pytest.approx(0.15)
    assert effects.loc["qmv", "cohesion_change"] == pytest.approx(0.2)
    assert effects.loc["qmv", "helps_share"] == pytest.approx(3 / 4)


def test_prim_finds_a_planted_failure_region_and_says_it_plainly():
    rng = np.random.default_rng(5)
    n = 1500
    futures = pd.DataFrame({
        "vacuum_level": rng.uniform(0.1, 0.9, n), "vacuum_year": rng.integers(2026, 2034, n),
        "vacuum_shape": rng.choice(["step", "ramp"], n), "volatility": rng.uniform(0, 0.3, n),
        "pressure": rng.uniform(0.2, 0.9, n), "east_threat": rng.uniform(0.5, 1, n), "south_threat": rng.uniform(0.2, 0.6, n),
    })  # fmt: skip
    fails = ((futures.vacuum_level > 0.7) & (futures.volatility > 0.1)).to_numpy()
    found = discover_failures(futures, fails)
    box = found.box
    assert found.share == pytest.approx(fails.mean())
    assert set(box.restricted) == {"vacuum_level", "volatility"}
    conditions = {(name, op): value for name, op, value in box.conditions()}
    assert set(conditions) == {("vacuum_level", ">="), ("volatility", ">=")}  # open at the top: one-sided
    assert conditions["vacuum_level", ">="] == pytest.approx(0.7, abs=0.03)
    assert conditions["volatility", ">="] == pytest.approx(0.1, abs=0.015)
    assert box.density > 0.9 and box.coverage > 0.85
    assert found.sentence.startswith("when the US vacuum reaches at least 0.7") and "with volatility above 0.1" in found.sentence


def test_plain_language_of_a_timing_box_and_of_nothing_to_find():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"vacuum_year": rng.integers(2026, 2034, 800), "vacuum_shape": rng.choice(["step", "ramp"], 800)})
    fails = ((frame.vacuum_year <= 2028) & (frame.vacuum_shape == "step")).to_numpy()
    box, _ = prim(frame, ["vacuum_year", "vacuum_shape"], fails)
    assert plain_language(box) == "when the US vacuum changes by 2028 abruptly (a step)"
    assert discover_failures(frame, np.zeros(800, dtype=bool)).box is None
    assert "every sampled future" in discover_failures(frame, np.ones(800, dtype=bool)).sentence


def test_prim_agrees_with_ema_workbench_on_the_planted_box():
    prim_module = pytest.importorskip("ema_workbench.analysis.prim", reason="ema-workbench (the discovery extra) not installed")
    rng = np.random.default_rng(2)
    x = pd.DataFrame({"a": rng.uniform(size=1000), "b": rng.uniform(size=1000), "c": rng.uniform(size=1000)})
    y = ((x.a > 0.6) & (x.b < 0.5)).to_numpy()
    ours, _ = prim(x, ["a", "b", "c"], y)
    theirs = prim_module.Prim(x, y, peel_alpha=0.05, mass_min=0.05).find_box()
    # EMA 3.0 no longer chooses a box: take the densest one on its trajectory that still covers half the cases
    trajectory = theirs.peeling_trajectory
    k = int(trajectory[trajectory["coverage"] >= 0.5]["density"].idxmax())
    limits = theirs.box_lims[k]
    assert ours.limits["a"][0] == pytest.approx(float(limits["a"].iloc[0]), abs=0.03)
    assert ours.limits["b"][1] == pytest.approx(float(limits["b"].iloc[1]), abs=0.03)
    assert ours.density >= trajectory["density"][k] - 0.02


def test_markdown_table_aligns_numbers_right():
    text = markdown_table(pd.DataFrame({"package": ["a"], "share": [0.5]}), {"share": "{:.0%}"})
    assert text.splitlines() == ["| package | share |", "|---|---:|", "| a | 50% |"]


def test_the_winner_is_checked_under_nearby_thresholds():
    from cohesion_sim.levers.report import winner_under_other_thresholds

    # a holds at 0.45 and 0.55 in more futures than b; c only at 0.45
    matrix = np.array([[0.56, 0.56, 0.40], [0.52, 0.52, 0.52], [0.46, 0.46, 0.46]])
    sentence = winner_under_other_thresholds(matrix, ["a", "b", "c"], "b", 0.5)
    assert sentence.startswith("- The winner depends on the threshold")
    assert "with 0.45 the top package is b (100%)" in sentence and "with 0.55 the top package is a (67%)" in sentence
    steady = winner_under_other_thresholds(np.array([[0.6, 0.6], [0.3, 0.3]]), ["a", "b"], "a", 0.5)
    assert steady == "- a stays on top with a threshold of 0.45 or 0.55 (it holds in 100% and 100% of futures)."
