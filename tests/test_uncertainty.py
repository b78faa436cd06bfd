"""Validation with uncertainty: posterior ensembles' 2024 intervals, coverage, width, and the out-of-sample forecast."""

import numpy as np

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
