"""Analysing a finished sweep: sensitivity indices, summary plots and scenario discovery.

* Sobol designs: first-order and total indices (S1, ST) with confidence intervals (SALib).
* Morris designs: elementary effects (mu*, sigma) with confidence intervals (SALib).
* Grids and Latin hypercubes: rank correlations of every parameter with every metric, and a
  heatmap of a metric over the two parameters that matter most.
* Every design: scenario discovery (:mod:`.discovery`) for fragmentation and failed summits.

Replicates of a point are averaged before the indices are computed. Tables are printed and
written as CSV under ``DIR/analysis/``; figures as PNG next to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

#: Metrics analysed by default (those present in the results are used).
DEFAULT_METRICS = ("cohesion", "connectivity", "mean_spending", "european_share", "disengaged", "summits_failed")
#: Outcomes scenario discovery looks for, as (name, description, test on the runs table).
OUTCOMES = {
    "fragmentation": "two or more blocs, or at least one disengaged ally, in the final year",
    "failed_summits": "at least one summit failed",
}


@dataclass
class Analysis:
    """What :func:`analyze` found and wrote."""

    method: str
    tables: dict[str, object] = field(default_factory=dict)  # name -> DataFrame
    files: list[Path] = field(default_factory=list)
    text: str = ""


def _outcome(frame, name):
    if name == "fragmentation":
        parts = []
        if "blocs" in frame:
            parts.append(frame["blocs"].to_numpy() >= 2)
        if "disengaged" in frame:
            parts.append(frame["disengaged"].to_numpy() >= 1)
        return np.logical_or.reduce(parts) if parts else None
    if name == "failed_summits" and "summits_failed" in frame:
        return frame["summits_failed"].to_numpy() >= 1
    return None


def point_means(frame, names, metrics):
    """One row per point: parameter values and the mean of each metric over replicates."""
    grouped = frame.groupby("point", sort=True)
    means = grouped[list(metrics)].mean()
    first = grouped[list(names)].first()
    return first.join(means).reset_index()


def analyze(directory: str | Path, method: str | None = None, metrics=None, plots: bool = True) -> Analysis:
    """Analyse the sweep in ``directory``; ``method`` defaults to the design's (sobol, morris or summary)."""
    from .storage import SweepDirectoryError, load_results

    results = load_results(directory)
    manifest = results.attrs["manifest"]
    if results.empty:
        raise SweepDirectoryError(f"{directory}: no finished chunks yet; run the sweep first")
    design = manifest["design"]["method"]
    method = method or (design if design in ("sobol", "morris") else "summary")
    if method in ("sobol", "morris") and method != design:
        raise SweepDirectoryError(
            f"{directory}: --method {method} needs a {method} design, but this sweep used '{design}'"
        )
    names = manifest["parameters"]
    chosen = manifest["spec"]["outputs"].get("metrics")  # the spec's own list, if it gave one
    if metrics:
        unknown = [m for m in metrics if m not in results.columns or m == "summit"]
        if unknown:
            import difflib

            available = [c for c in results.columns if c in DEFAULT_METRICS or c in (chosen or ())]
            hint = difflib.get_close_matches(unknown[0], available, n=1)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
            raise SweepDirectoryError(
                f"{directory}: --metric '{unknown[0]}' is not among this sweep's outputs{suggestion} "
                f"Available: {', '.join(available)}"
            )
    metrics = [m for m in (metrics or chosen or DEFAULT_METRICS) if m in results.columns and m != "summit"]
    varying = [m for m in metrics if results[m].nunique() > 1]
    out = Path(directory) / "analysis"
    out.mkdir(exist_ok=True)
    report = Analysis(method)
    lines = [f"{manifest['spec']['title']}: {len(results)} runs, {manifest['n_points']} points, design {design}"]
    if not results.attrs["complete"]:
        lines.append(f"warning: the sweep is incomplete ({len(results)} of {manifest['n_runs']} runs)")
    if method in ("sobol", "morris"):
        if not results.attrs["complete"]:
            raise SweepDirectoryError(f"{directory}: {method} indices need every run; finish the sweep with --resume")
        means = point_means(results, names, varying)
        table = _sobol(manifest, means, varying) if method == "sobol" else _morris(manifest, directory, means, varying)
        report.tables[method] = table
        path = out / f"{method}.csv"
        table.to_csv(path, index=False)
        report.files.append(path)
        lines += ["", f"{method} indices (95% confidence intervals), replicates averaged per point:",
                  table.to_string(index=False, float_format=lambda v: f"{v:.3f}")]  # fmt: skip
        if plots:
            report.files.append(_index_plot(table, method, out / f"{method}.png"))
    else:
        table = _correlations(results, names, varying)
        report.tables["correlations"] = table
        path = out / "correlations.csv"
        table.to_csv(path, index=False)
        report.files.append(path)
        lines += ["", "Spearman rank correlation of each parameter with each metric:",
                  table.to_string(index=False, float_format=lambda v: f"{v:+.2f}")]  # fmt: skip
        if plots and varying:
            metric = "cohesion" if "cohesion" in varying else varying[0]
            report.files.append(_heatmap(results, names, table, metric, out / f"heatmap_{metric}.png"))
    lines += ["", "Scenario discovery (PRIM box peeling; see docs/sweeps.md):"]
    rows = []
    for outcome, description in OUTCOMES.items():
        interesting = _outcome(results, outcome)
        if interesting is None:
            continue
        share = float(np.mean(interesting))
        if share == 0 or share == 1:
            lines.append(f"  {outcome} ({description}): in {share:.0%} of runs; nothing to discover")
            continue
        from .discovery import prim

        box, _ = prim(results, names, interesting)
        lines.append(
            f"  {outcome} ({description}): {share:.0%} of runs. Box: {box.describe()}; "
            f"coverage {box.coverage:.0%}, density {box.density:.0%}, mass {box.mass:.0%}"
        )
        for name in names:
            limits = box.limits[name]
            low, high = (limits[0], limits[-1]) if limits else (None, None)
            rows.append({"outcome": outcome, "parameter": name, "low": low, "high": high,
                         "values": ", ".join(map(str, limits)) if any(isinstance(v, str) for v in limits) else "",
                         "restricted": name in box.restricted, "coverage": box.coverage, "density": box.density,
                         "mass": box.mass, "base_rate": share})  # fmt: skip
    if rows:
        import pandas as pd

        table = pd.DataFrame(rows)
        report.tables["discovery"] = table
        path = out / "discovery.csv"
        table.to_csv(path, index=False)
        report.files.append(path)
    lines += ["", "wrote " + ", ".join(str(p) for p in report.files)]
    report.text = "\n".join(lines)
    return report


def _sobol(manifest, means, metrics):
    import pandas as pd
    from SALib.analyze import sobol

    problem = manifest["design"]["problem"]
    second = manifest["spec"]["design"].get("second_order", False)
    rows = []
    for metric in metrics:
        y = means[metric].to_numpy(dtype=float)
        result = sobol.analyze(problem, y, calc_second_order=second, conf_level=0.95, seed=manifest["seed_root"])
        for k, name in enumerate(problem["names"]):
            rows.append({"metric": metric, "parameter": name, "S1": result["S1"][k], "S1_conf": result["S1_conf"][k],
                         "ST": result["ST"][k], "ST_conf": result["ST_conf"][k]})  # fmt: skip
    return pd.DataFrame(rows)


def _morris(manifest, directory, means, metrics):
    import pandas as pd
    import pyarrow.parquet as pq
    from SALib.analyze import morris

    problem = manifest["design"]["problem"]
    design = pq.read_table(Path(directory) / "design.parquet").to_pandas().sort_values("point")
    x = design[[f"unit:{n}" for n in problem["names"]]].to_numpy(dtype=float)
    levels = manifest["spec"]["design"].get("levels") or 4
    rows = []
    for metric in metrics:
        y = means[metric].to_numpy(dtype=float)
        result = morris.analyze(problem, x, y, num_levels=levels, conf_level=0.95, seed=manifest["seed_root"])
        for k, name in enumerate(problem["names"]):
            rows.append({"metric": metric, "parameter": name, "mu": result["mu"][k], "mu_star": result["mu_star"][k],
                         "mu_star_conf": result["mu_star_conf"][k], "sigma": result["sigma"][k]})  # fmt: skip
    return pd.DataFrame(rows)


def _correlations(results, names, metrics):
    import pandas as pd

    rows = []
    for name in names:
        column = results[name]
        ranks = column.rank() if column.dtype.kind in "fiub" else column.astype("category").cat.codes.rank()
        row = {"parameter": name}
        for metric in metrics:
            row[metric] = float(np.corrcoef(ranks, results[metric].rank())[0, 1]) if ranks.nunique() > 1 else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def _figure(**kwargs):
    """A matplotlib Figure for a file: no pyplot state, no backend switch (notebooks keep inline figures)."""
    from matplotlib.figure import Figure

    return Figure(**kwargs)


def _index_plot(table, method, path: Path) -> Path:
    metrics = list(dict.fromkeys(table["metric"]))
    fig = _figure(figsize=(8, 2.2 * len(metrics) + 0.5))
    axes = fig.subplots(len(metrics), 1, squeeze=False)
    for ax, metric in zip(axes[:, 0], metrics):
        part = table[table["metric"] == metric]
        x = np.arange(len(part))
        if method == "sobol":
            ax.bar(x - 0.2, part["S1"], 0.4, yerr=part["S1_conf"], capsize=2, label="first order S1")
            ax.bar(x + 0.2, part["ST"], 0.4, yerr=part["ST_conf"], capsize=2, label="total ST")
        else:
            ax.bar(x, part["mu_star"], 0.6, yerr=part["mu_star_conf"], capsize=2, label="mu*")
        ax.set_xticks(x, part["parameter"], fontsize=8)
        ax.set_title(metric, fontsize=10)
        ax.axhline(0, color="black", linewidth=0.5)
    axes[0, 0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


def _heatmap(results, names, correlations, metric, path: Path) -> Path:
    """Mean of ``metric`` over the two parameters most rank-correlated with it (binned for continuous ones)."""
    import pandas as pd

    ranked = correlations.assign(strength=correlations[metric].abs()).sort_values("strength", ascending=False)
    pair = list(ranked["parameter"][:2]) if len(names) >= 2 else [names[0], names[0]]
    binned = {}
    for name in pair:
        column = results[name]
        if column.dtype.kind in "fiu" and column.nunique() > 12:
            binned[name] = pd.cut(column, 8).apply(lambda interval: round(interval.mid, 3))
        else:
            binned[name] = column
    table = pd.DataFrame({"x": binned[pair[0]], "y": binned[pair[1]], "v": results[metric]})
    grid = table.pivot_table(index="y", columns="x", values="v", aggfunc="mean", observed=True)
    fig = _figure(figsize=(7, 5.5))
    ax = fig.subplots()
    image = ax.imshow(grid.to_numpy(dtype=float), origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(grid.columns)), [f"{v:.3g}" if isinstance(v, float) else str(v) for v in grid.columns],
                  rotation=45, fontsize=8)  # fmt: skip
    ax.set_yticks(range(len(grid.index)), [f"{v:.3g}" if isinstance(v, float) else str(v) for v in grid.index], fontsize=8)
    ax.set_xlabel(pair[0])
    ax.set_ylabel(pair[1])
    ax.set_title(f"mean final {metric}")
    fig.colorbar(image, ax=ax)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


__all__ = ["Analysis", "analyze", "point_means"]
