"""Validation with uncertainty: per-ally 2024 intervals from posterior ensembles, their coverage, and a forecast.

Three ensembles of the 2014-2024 hindcast, each run with its own posterior draw and seed:

* **in sample**: the default posterior (fitted to the 2014-2019 panel *and* the 2024 levels);
  how many of the 31 observed 2024 levels fall inside the 90% interval (goal: at least 80%),
  and how wide the intervals are (mean width of the 90% interval, points of GDP);
* **out of sample**: the posterior fitted to 2014-2019 only; its 2024 forecast against the
  observed 2024 levels and count at 2%, which it never saw;
* **budget noise only**: the scenario's own constants with no parameter uncertainty, for comparison;
* **with discrepancy**: the first two again, with the structural error the model still makes added to each
  run's 2024 level (:mod:`cohesion_sim.calibration.discrepancy`, estimated from each ensemble's own
  2015-2019 residuals only). The goal is checked on the model's intervals and on these.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..calibration.predictive import Predictive, run_predictive

COVERAGE_GOAL = 0.80


@dataclass
class UncertaintyReport:
    in_sample: Predictive
    out_of_sample: Predictive
    noise_only: Predictive
    runs: int

    @cached_property
    def in_sample_discrepancy(self) -> Predictive:
        return self.in_sample.with_discrepancy()

    @cached_property
    def out_of_sample_discrepancy(self) -> Predictive:
        return self.out_of_sample.with_discrepancy()

    def rows(self) -> list[tuple[str, Predictive]]:
        return [("in sample (default posterior)", self.in_sample),
                ("out of sample (fitted on 2014-2019 only)", self.out_of_sample),
                ("budget noise only (no posterior)", self.noise_only),
                ("in sample + discrepancy", self.in_sample_discrepancy),
                ("out of sample + discrepancy", self.out_of_sample_discrepancy)]  # fmt: skip


def run_uncertainty(runs: int = 200, seed: int = 0, posterior="default", panel_posterior="panel_only",
                    executor=None) -> UncertaintyReport:  # fmt: skip
    """Run the three hindcast ensembles (``runs`` each)."""
    return UncertaintyReport(
        in_sample=run_predictive(posterior, runs=runs, seed=seed, executor=executor),
        out_of_sample=run_predictive(panel_posterior, runs=runs, seed=seed, executor=executor),
        noise_only=run_predictive(None, runs=runs, seed=seed, executor=executor),
        runs=runs,
    )


def format_uncertainty(report: UncertaintyReport) -> str:
    """A plain-text table: coverage, width and error of each ensemble, and the forecast count at 2%."""
    lines = [f"2024 per ally with uncertainty ({report.runs} runs each; observed: 31 allies with armed forces)",
             f"{'ensemble':44s}{'in 90%':>9s}{'cover90':>9s}{'cover50':>9s}{'width90':>9s}{'MAE':>7s}"
             f"{'count 2024 [90%]':>20s}"]  # fmt: skip
    observed_count = int(report.in_sample.observed_counts[2024])
    for label, pred in report.rows():
        cov = pred.coverage()
        counts = pred.counts[2024]
        band = f"{counts.median():.0f} [{counts.quantile(0.05):.0f}-{counts.quantile(0.95):.0f}]"
        lines.append(f"{label:44s}{cov['inside_90']:>5d}/{cov['allies']:<3d}{cov['coverage_90']:>9.0%}"
                     f"{cov['coverage_50']:>9.0%}{cov['mean_width_90']:>9.2f}{cov['mean_abs_error']:>7.2f}"
                     f"{band:>20s}")  # fmt: skip
    for label, pred in (("model only", report.in_sample), ("with discrepancy", report.in_sample_discrepancy)):
        cov = pred.coverage()
        met = "met" if cov["coverage_90"] >= COVERAGE_GOAL else "NOT met"
        lines.append(f"goal: >= {COVERAGE_GOAL:.0%} of observed 2024 levels inside the in-sample 90% interval, "
                     f"{label}: {met} ({cov['coverage_90']:.0%})")  # fmt: skip
    lines.append(f"observed count at 2% in 2024: {observed_count}")
    for label, pred in (("in sample", report.in_sample_discrepancy), ("out of sample", report.out_of_sample_discrepancy)):
        d = pred.discrepancy
        spread = ", ".join(f"{h}y {sd:.2f}" for h, sd in d.by_horizon.items())
        lines.append(f"discrepancy ({label}): robust residual s.d. 2015-2019 by horizon {spread}; "
                     f"s = {d.per_sqrt_year:.3f} per sqrt(year), s.d. {d.at(2024):.2f} at 2024")  # fmt: skip
    out = report.out_of_sample.intervals()
    missed = out[~out.inside_90]
    if len(missed):
        worst = (missed["median"] - missed.observed).abs().sort_values(ascending=False).index[:5]
        misses = ", ".join(f"{c} ({missed.observed[c]:.2f} vs {missed['median'][c]:.2f})" for c in worst)
        lines.append(f"out of sample, largest misses outside the 90% forecast (observed vs median): {misses}")
    return "\n".join(lines)


def write_uncertainty(report: UncertaintyReport, out: str | Path) -> dict[str, Path]:
    """uncertainty_2024.csv (every ally, every ensemble) and the predictive check figures of the first two."""
    import pandas as pd

    from ..calibration.plots import predictive_check

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ensembles = {"in_sample": report.in_sample, "out_of_sample": report.out_of_sample, "noise_only": report.noise_only,
                 "in_sample_discrepancy": report.in_sample_discrepancy,
                 "out_of_sample_discrepancy": report.out_of_sample_discrepancy}
    tables = {key: pred.intervals() for key, pred in ensembles.items()}
    table = pd.concat(tables, names=["ensemble", "iso3"])
    paths = {"table": out / "uncertainty_2024.csv"}
    table.to_csv(paths["table"], float_format="%.4f")
    titles = {"in_sample": "In sample: default posterior", "out_of_sample": "Out of sample: fitted on 2014-2019 only"}
    for key, title in titles.items():
        pred = ensembles[key]
        fig = predictive_check(pred, title=title)
        paths[key] = out / f"uncertainty_{key}.png"
        fig.savefig(paths[key], dpi=100)
    return paths


__all__ = ["COVERAGE_GOAL", "UncertaintyReport", "format_uncertainty", "run_uncertainty", "write_uncertainty"]
