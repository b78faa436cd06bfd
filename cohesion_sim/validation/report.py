"""The validation report: a printed table and a figure of simulated against observed 2024 spending."""

from __future__ import annotations

from pathlib import Path

from .hindcast import OBSERVED_LAGGARDS_2024, HindcastResult
from .theory import CheckResult


def format_report(hindcast: HindcastResult, checks: list[CheckResult]) -> str:
    table = hindcast.per_ally()
    lines = [
        f"Hindcast 2014-{hindcast.end_year}, {len(hindcast.seeds)} seeds: spending in {hindcast.end_year}, % of GDP",
        f"{'ally':6s}{'observed':>10s}{'median':>9s}{'90% interval':>16s}",
    ]
    for iso3, row in table.iterrows():
        flag = "" if row["inside_90"] else "  outside"
        mark = " *" if iso3 in OBSERVED_LAGGARDS_2024 else ""
        lines.append(
            f"{iso3 + mark:6s}{row['observed']:>10.2f}{row['median']:>9.2f}   [{row['p05']:.2f}, {row['p95']:.2f}]{flag}"
        )
    inside = table["inside_90"].mean()
    lines.append(f"(* observed below 2% in 2024; {inside:.0%} of observed values inside the simulated 90% interval)")
    lines.append("")
    observed_count = int((hindcast.observed >= 2.0).sum())
    lines.append(
        f"Allies at or above 2%: observed {observed_count}, simulated median {hindcast.counts.median():g} "
        f"(range {hindcast.counts.min()}-{hindcast.counts.max()})"
    )
    lines.append("Calibration targets:")
    for name, (met, numbers) in hindcast.targets().items():
        lines.append(f"  {'PASS' if met else 'FAIL'}  {name}: {numbers}")
    lines.append("Theory checks:")
    lines += [f"  {check.line()}" for check in checks]
    return "\n".join(lines)


def validation_figure(hindcast: HindcastResult, path: Path) -> Path:
    """Simulated (median, 90% interval) against observed 2024 spending per ally, with the 2% line."""
    from matplotlib.figure import Figure

    table = hindcast.per_ally()
    fig = Figure(figsize=(12, 4.8))
    ax = fig.subplots()
    x = range(len(table))
    ax.errorbar(x, table["median"], yerr=[table["median"] - table["p05"], table["p95"] - table["median"]],
                fmt="o", color="#2b6cb0", ecolor="#90cdf4", capsize=3, label="simulated median, 90% interval")  # fmt: skip
    ax.scatter(x, table["observed"], marker="D", color="#c53030", zorder=3, label="observed 2024")
    ax.axhline(2.0, color="grey", ls=":", lw=1, label="2% guideline")
    ax.set_xticks(list(x), table.index, rotation=90, fontsize=8)
    ax.set_ylabel("core defence, % of GDP")
    ax.set_title(f"Hindcast 2014-{hindcast.end_year}: simulated against observed ({len(hindcast.seeds)} seeds)")
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    return path
