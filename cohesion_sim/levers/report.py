"""Reading a finished levers folder: the ranked table, lever effects, scenario discovery, figures and report.

Writes under ``DIR/report/``: ``ranked.csv`` and ``ranked.md`` (one row per package),
``lever_effects.csv``, ``discovery.csv``, ``heatmap.png`` (packages x future clusters),
``regret.png`` and ``report.md`` (what the analysis supports and what it does not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .discover import Discovery, discover_failures
from .outcomes import OUTCOMES, PRIMARY
from .packages import LEVERS, NO_LEVER
from .robustness import (
    best_fails, cluster_order, future_clusters, future_means, outcome_matrix, robustness_table,
)  # fmt: skip


@dataclass
class LeversReport:
    """What :func:`analyze_levers` found and wrote."""

    table: object  # ranked DataFrame
    effects: object  # lever effects DataFrame
    clusters: object  # packages x clusters DataFrame (median cohesion)
    discovery: Discovery
    threshold: float
    files: list[Path] = field(default_factory=list)
    text: str = ""
    complete: bool = True
    run: object = None  # the LeversRun when evaluate_levers ran it


def lever_effects(matrices: dict[str, np.ndarray], package_levers: list[tuple[str, ...]]):
    """Mean change in each outcome from switching one lever on, over every pair of packages that differ by it.

    ``matrices[name]`` is (packages, futures); ``package_levers[p]`` the lever keys of package p.
    Also the share of (pair, future) cases where the lever improves cohesion.
    """
    import pandas as pd

    index = {frozenset(levers): p for p, levers in enumerate(package_levers) if levers or p == 0}
    rows = []
    for lever in LEVERS:
        pairs = [(p, index[frozenset((*levers, lever.key))]) for levers, p in index.items()
                 if lever.key not in levers and frozenset((*levers, lever.key)) in index]  # fmt: skip
        if not pairs:
            continue
        off, on = [p for p, _ in pairs], [q for _, q in pairs]
        row = {"lever": lever.key, "label": lever.label, "pairs": len(pairs)}
        for item in OUTCOMES:
            if item.name in matrices:
                row[f"{item.name}_change"] = float(np.nanmean(matrices[item.name][on] - matrices[item.name][off]))
        gain = PRIMARY.sign * (matrices[PRIMARY.name][on] - matrices[PRIMARY.name][off])
        row["helps_share"] = float(np.mean(gain > 1e-9))
        rows.append(row)
    return pd.DataFrame(rows)


def markdown_table(frame, formats: dict[str, str] | None = None) -> str:
    """A DataFrame as a GitHub Markdown table (no extra dependency)."""
    formats = formats or {}
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    from pandas.api.types import is_numeric_dtype

    rule = "|" + "|".join("---:" if is_numeric_dtype(frame[c]) else "---" for c in frame.columns) + "|"
    lines = [header, rule]
    for _, row in frame.iterrows():
        cells = []
        for column in frame.columns:
            value = row[column]
            fmt = formats.get(column)
            cells.append(fmt.format(value) if fmt and value == value else str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


#: Columns of the headline table (README, report, notebook), with their formats.
HEADLINE_COLUMNS = {
    "rank": "{:d}", "package": None, "satisficing": "{:.0%}", "regret_p90": "{:.3f}", "regret_max": "{:.3f}",
    "cohesion_median": "{:.3f}", "cohesion_p10": "{:.3f}", "european_spending_median": "{:.2f}",
    "declaration_gap_median": "{:.2f}", "disengaged_p90": "{:.1f}",
}  # fmt: skip


def headline(table):
    """The ranked table's headline columns, formatted as Markdown."""
    columns = [c for c in HEADLINE_COLUMNS if c in table.columns]
    return markdown_table(table[columns], {c: f for c, f in HEADLINE_COLUMNS.items() if f})


def analyze_levers(directory: str | Path, plots: bool = True, threshold: float | None = None) -> LeversReport:
    """Analyse the levers folder ``directory``; ``threshold`` defaults to the spec's cohesion threshold."""
    import pandas as pd

    from ..sweeps.storage import SweepDirectoryError, load_results
    from . import figures

    directory = Path(directory)
    runs = load_results(directory)
    manifest = runs.attrs["manifest"]
    if manifest.get("kind") != "levers":
        raise SweepDirectoryError(f"{directory}: not a levers folder (made by 'cohesion-sim levers')")
    if runs.empty:
        raise SweepDirectoryError(f"{directory}: no finished chunks yet; run 'cohesion-sim levers' first")
    spec = manifest["spec"]
    threshold = spec["threshold"] if threshold is None else threshold
    packages = [p["name"] for p in manifest["packages"]]
    package_levers = [tuple(p["levers"]) for p in manifest["packages"]]
    futures = pd.read_parquet(directory / "design.parquet").sort_values("future").reset_index(drop=True)
    means = future_means(runs)
    n_futures = len(futures)
    table = robustness_table(means, packages, n_futures, threshold)
    matrices = {o.name: outcome_matrix(means, o.name, len(packages), n_futures) for o in OUTCOMES if o.name in means}
    covered = ~np.isnan(matrices[PRIMARY.name]).all(axis=0)
    matrices = {name: m[:, covered] for name, m in matrices.items()}
    done = futures[covered].reset_index(drop=True)
    effects = lever_effects(matrices, package_levers)
    fails = best_fails(matrices[PRIMARY.name], threshold, PRIMARY.sign)
    discovery = discover_failures(done, fails)

    done = done.assign(cluster=future_clusters(done))
    order = [c for c in cluster_order() if c in set(done["cluster"])]
    primary = pd.DataFrame(matrices[PRIMARY.name].T, columns=packages)
    primary["cluster"] = done["cluster"].to_numpy()
    clusters = primary.groupby("cluster")[packages].median().T.loc[table["package"], order]
    counts = done["cluster"].value_counts()
    clusters.columns = [f"{c} [{counts[c]}]" for c in order]

    out = directory / "report"
    out.mkdir(exist_ok=True)
    report = LeversReport(table, effects, clusters, discovery, threshold, complete=bool(runs.attrs["complete"]))
    for name, frame in (("ranked", table), ("lever_effects", effects)):
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False)
        report.files.append(path)
    (out / "ranked.md").write_text(headline(table) + "\n", encoding="utf-8")
    report.files.append(out / "ranked.md")
    report.files.append(_discovery_csv(discovery, out / "discovery.csv"))
    if plots:
        report.files.append(figures.heatmap(clusters, out / "heatmap.png", threshold=threshold,
                                            title=f"Median final cohesion by package and kind of future "
                                            f"(bold: at or above {threshold:g}; [futures in cluster])"))  # fmt: skip
        report.files.append(figures.regret_bars(table, out / "regret.png"))
    report.text = write_report(report, manifest, n_done=int(covered.sum()), matrices=matrices)
    (out / "report.md").write_text(report.text, encoding="utf-8")
    report.files.append(out / "report.md")
    return report


def _discovery_csv(discovery: Discovery, path: Path) -> Path:
    import pandas as pd

    rows = []
    if discovery.box is not None:
        for name, op, value in discovery.box.conditions():
            rows.append({"factor": name, "condition": op, "value": ", ".join(value) if op == "in" else value})
    frame = pd.DataFrame(rows, columns=["factor", "condition", "value"])
    box = discovery.box
    frame.attrs = {}
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"# share of futures where the best package fails: {discovery.share:.4f}\n")
        if box is not None:
            handle.write(f"# coverage {box.coverage:.4f}, density {box.density:.4f}, mass {box.mass:.4f}\n")
        frame.to_csv(handle, index=False)
    return path


def winner_under_other_thresholds(matrix: np.ndarray, packages: list[str], best: str, threshold: float) -> str:
    """A sentence: does the top package stay on top when the cohesion threshold moves by 0.05 either way?

    ``matrix`` is the primary outcome, (packages, futures) in ``packages`` order.
    """
    from .robustness import regret, satisficing

    tiebreak = np.percentile(regret(matrix, PRIMARY.sign), 90, axis=1)
    found = []
    for other in (round(threshold - 0.05, 4), round(threshold + 0.05, 4)):
        shares = satisficing(matrix, other, PRIMARY.sign)
        top = min(range(len(packages)), key=lambda p: (-shares[p], tiebreak[p]))
        found.append((other, packages[top], shares[top]))
    if all(name == best for _, name, _ in found):
        return (f"- {best} stays on top with a threshold of {found[0][0]:g} or {found[1][0]:g} "
                f"(it holds in {found[0][2]:.0%} and {found[1][2]:.0%} of futures).")  # fmt: skip
    parts = [f"with {other:g} the top package is {name} ({share:.0%})" for other, name, share in found]
    return "- The winner depends on the threshold: " + "; ".join(parts) + "."


def write_report(report: LeversReport, manifest: dict, *, n_done: int, matrices: dict) -> str:
    """The plain-language report (Markdown): setup, headline table, lever effects, failures, limits."""
    table, effects, discovery, threshold = report.table, report.effects, report.discovery, report.threshold
    spec = manifest["spec"]
    best = table.iloc[0]
    none = table[table["package"] == NO_LEVER]
    share = float(best["satisficing"])
    # the largest binomial standard error (a share of one half): a share of 100% is not known to +-0
    standard_error = (0.25 / max(n_done, 1)) ** 0.5
    lines = [f"# {spec['title']}", ""]
    levers_from = manifest["levers_from"]
    when = (f"from {levers_from}" if manifest["dated_levers"] else
            f"from the start ({levers_from}): this model version has no dated levers yet")  # fmt: skip
    lines += [
        f"{len(table)} packages of levers, each switched on {when}, were run in {n_done} futures "
        f"(US stances and threat paths sampled by a {spec['design']} design, seed {spec['seed']}) with "
        f"{spec['replicates']} replicate(s) each, on the base scenario '{spec['base']}'. "
        f"A package *holds* in a future when final cohesion stays at or above {threshold:g}.",
        "",
    ]
    if not report.complete:
        lines += [f"**The run is incomplete**: {n_done} of {manifest['n_futures']} futures are done "
                  "(finish it with --resume).", ""]  # fmt: skip
    lines += ["## Ranking", "", headline(table), "",
              "*satisficing*: share of futures where the package holds. *regret*: cohesion lost against the best "
              "package in the same future (90th percentile and maximum over futures). `_p10`/`_p90`: the value "
              "in the worst tenth of futures.", ""]  # fmt: skip
    lines += ["## What the analysis supports", ""]
    lines.append(f"- The most robust package is **{best['package']}**: it holds in {best['satisficing']:.0%} of "
                 f"futures, against {none['satisficing'].iloc[0]:.0%} with no lever." if len(none) else
                 f"- The most robust package is **{best['package']}** ({best['satisficing']:.0%} of futures).")  # fmt: skip
    if len(effects):
        ranked = effects.sort_values(f"{PRIMARY.name}_change", ascending=False)
        changes = [c for c in effects.columns if c.endswith("_change")]
        for _, row in ranked.iterrows():
            spend = row.get("european_spending_change", np.nan)
            if all(abs(row[c]) < 1e-12 for c in changes if np.isfinite(row[c])):
                lines.append(
                    f"- Switching on {row['label']} changes no outcome in any future. A lever acts only through "
                    "its mechanism; if that mechanism has nothing to act on after the lever starts, the lever is "
                    "idle (majority voting, for one, acts only on substantive summit votes: see the base "
                    "scenario's agenda)."
                )  # fmt: skip
                continue
            lines.append(
                f"- Switching on {row['label']} changes final cohesion by {row[f'{PRIMARY.name}_change']:+.3f} on "
                f"average (it helps in {row['helps_share']:.0%} of package-future cases) and European spending by "
                f"{spend:+.2f} points of GDP."
            )  # fmt: skip
    lines.append(f"- Its regret: it loses at most {best['regret_max']:.3f} cohesion (90th percentile "
                 f"{best['regret_p90']:.3f}) against the best package of the same future.")  # fmt: skip
    names = [p["name"] for p in manifest["packages"]]
    lines.append(winner_under_other_thresholds(matrices[PRIMARY.name], names, best["package"], threshold))
    lines += ["", "## Where even the best package fails", ""]
    if discovery.box is None:
        lines.append(f"- {discovery.sentence[0].upper()}{discovery.sentence[1:]} "
                     f"({discovery.share:.0%} of {discovery.n_futures} futures).")  # fmt: skip
    else:
        box = discovery.box
        lines.append(f"- In {discovery.share:.0%} of futures no package keeps cohesion at {threshold:g}. "
                     f"These failures concentrate **{discovery.sentence}**: {box.coverage:.0%} of the failing "
                     f"futures lie there, and {box.density:.0%} of the futures there fail (against "
                     f"{discovery.share:.0%} overall; "
                     f"PRIM: {box.describe()}).")  # fmt: skip
    lines += ["", "## What it does not support", "",
              "- A forecast. Futures are spread evenly over the ranges in the spec; the shares above count "
              "sampled futures, not probabilities of what the US will do.",
              "- Claims beyond the model. The levers act only through the model's mechanisms (coordination "
              "lowers tension, majority voting changes which summit items pass, the pillar links hedgers, "
              "partners add intelligence sharing); none of these effect sizes is estimated from data.",
              f"- Fine distinctions. With {n_done} futures a satisficing share has a sampling error of up to "
              f"+-{100 * standard_error:.1f} points (binomial), and each future has {spec['replicates']} replicate(s); "
              "compare packages by large gaps and by regret, not by a point or two.",
              ]  # fmt: skip
    if not manifest.get("posterior"):
        lines.append("- Parameter uncertainty. Behavioural constants are held at the base scenario's values "
                     "(`--posterior none`), so only the US stance and the threat path vary.")  # fmt: skip
    lines.append("- Stability across model versions: the numbers change whenever the model's rules change.")
    lines += ["", "Figures: `heatmap.png` (median cohesion by package and kind of future), `regret.png`.", ""]
    return "\n".join(lines)


__all__ = ["HEADLINE_COLUMNS", "LeversReport", "analyze_levers", "headline", "lever_effects", "markdown_table",
           "write_report"]  # fmt: skip
