"""Validation with uncertainty: posterior ensembles' 2024 intervals, coverage, width, and the out-of-sample forecast."""

import dataclasses

import numpy as np
import pytest

from cohesion_sim.calibration.predictive import run_predictive
from cohesion_sim.validation.uncertainty import format_uncertainty, run_uncertainty, write_uncertainty


def test_predictive_intervals_cover_every_ally_and_count_consistently():
    pred = run_predictive("default", runs=40, seed=1)
    table = pred.intervals()
    assert len(table) == 31 and table.observed.notna().all()
    assert (table.p05 <= table.p25).all() and (table.p25 <= table["median"]).all() and (table.p75 <= table.p95).all()
    cov = pred.coverage()
    assert cov["inside_90"] == int(((table.observed >= table.p05) & (table.observed <= table.p95)).sum())
    assert np.isclose(cov["mean_width_90"], (table.p95 - table.p05).mean())
    assert pred.observed_counts[2014] == 3 and pred.observed_counts[2024] == 23
    assert (pred.counts[2014] == 3).all()  # every run starts from the 2014 data
    assert list(pred.counts.columns) == list(range(2014, 2025))


def test_posterior_widens_intervals_beyond_budget_noise(tmp_path):
    report = run_uncertainty(runs=40, seed=2)
    with_posterior = report.in_sample.coverage()
    noise_only = report.noise_only.coverage()
    assert with_posterior["mean_width_90"] > noise_only["mean_width_90"]
    text = format_uncertainty(report)
    assert "out of sample" in text and "goal" in text
    paths = write_uncertainty(report, tmp_path)
    assert all(path.is_file() for path in paths.values())


def test_discrepancy_recovers_a_known_random_walk_scale():
    from cohesion_sim.calibration.discrepancy import estimate_discrepancy

    rng = np.random.default_rng(7)
    scale, allies = 0.09, 4000
    walk = np.cumsum(rng.normal(0.0, scale, size=(5, allies)), axis=0)  # residuals after 1..5 years
    median = rng.uniform(1.0, 3.0, size=(5, allies))
    fitted = estimate_discrepancy(median, median + walk)
    assert abs(fitted.per_sqrt_year - scale) < 0.1 * scale
    assert fitted.at(2024) == pytest.approx(fitted.per_sqrt_year * np.sqrt(10))
    none = estimate_discrepancy(median, median.copy())
    assert none.per_sqrt_year == 0.0 and none.at(2024) == 0.0


def test_discrepancy_widens_intervals_only_from_panel_residuals_and_is_seeded():
    pred = run_predictive("default", runs=60, seed=3)
    wider, again = pred.with_discrepancy(seed=5), pred.with_discrepancy(seed=5)
    assert np.array_equal(wider.levels_2024.to_numpy(), again.levels_2024.to_numpy())
    assert wider.discrepancy.per_sqrt_year > 0
    assert wider.coverage()["mean_width_90"] > pred.coverage()["mean_width_90"]
    assert (wider.counts[2019] == pred.counts[2019]).all()  # only 2024 gets the discrepancy
    # the estimate never reads 2024: moving the observed 2024 levels leaves it unchanged
    moved = dataclasses.replace(pred, observed_2024=pred.observed_2024 + 1.0)
    assert moved.with_discrepancy().discrepancy == pred.with_discrepancy().discrepancy
