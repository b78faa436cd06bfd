"""Every output the model reports, named once: the model, engine, tables, sweeps, CLI and app read this.

A :class:`Reporter` says what a number is in the user's language (``description``), its unit
and, where it has one, its range. ``MODEL_REPORTERS`` are yearly alliance-wide values,
``AGENT_REPORTERS`` yearly per-ally values, ``RUN_SUMMARIES`` values over a whole run that
only the batch engine keeps (sweeps ask for them by name).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reporter:
    name: str
    description: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    kind: str = "float"  # float, int, text or bool


def _table(*rows: Reporter) -> dict[str, Reporter]:
    return {row.name: row for row in rows}


MODEL_REPORTERS: dict[str, Reporter] = _table(
    Reporter("year", "calendar year", "year", kind="int"),
    Reporter("vacuum", "US security vacuum: 0 is a full, credible guarantee, 1 complete withdrawal", "", 0, 1),
    Reporter("pressure", "how hard the US presses laggards on burden sharing", "", 0, 1),
    Reporter("tau_east", "threat level from the east (Russia)", "", 0, 1),
    Reporter("tau_south", "threat level from the south (Middle East, North Africa, terrorism)", "", 0, 1),
    Reporter("tau_hybrid", "hybrid threat level (cyber, drones)", "", 0, 1),
    Reporter("guideline", "spending guideline in force (empty if none)", "% of GDP"),
    Reporter("cohesion", "alliance cohesion: mean over pairs of members of sqrt(c_i c_j)(1 - T_ij)", "", 0, 1),
    Reporter("cohesion_europe", "cohesion among the European allies and Canada", "", 0, 1),
    Reporter("connectivity", "algebraic connectivity of the cohesion graph over N (near 0 when it splits)", "", 0, 1),
    Reporter("connectivity_europe", "algebraic connectivity among the European allies and Canada", "", 0, 1),
    Reporter("blocs", "number of camps among engaged allies (seeded Louvain)", "blocs", kind="int"),
    Reporter("modularity", "modularity of the camps' partition (0 when one bloc)", "", -0.5, 1),
    Reporter("allies_at_2pct", "allies with armed forces at or above 2% of GDP (US included)", "allies", kind="int"),
    Reporter("allies_at_guideline", "allies at or above the guideline in force", "allies", kind="int"),
    Reporter("mean_spending", "mean defence spending of allies with armed forces", "% of GDP"),
    Reporter("gdp_weighted_spending", "alliance defence budget over alliance GDP", "% of GDP"),
    Reporter("european_spending", "mean defence spending of the European allies with armed forces", "% of GDP"),
    Reporter("european_effort", "defence budgets of the European allies and Canada", "US$ bn"),
    Reporter("european_share", "Europe's and Canada's share of the defence effort for European security "
             "(the US counts with phi_US (1 - v) of its budget)", "share", 0, 1),
    Reporter("declaration_gap", "mean shortfall of allies against their adopted guideline path", "points of GDP"),
    Reporter("hedging", "allies hedging toward a European pillar", "allies", kind="int"),
    Reporter("disengaged", "allies that have disengaged from the alliance", "allies", kind="int"),
    Reporter("us_tension", "mean tension between the US and the other allies", "", 0, 1),
    Reporter("european_tension", "mean tension among European allies and Canada", "", 0, 1),
    Reporter("summit", "this year's summit outcome: none, passed, passed with exemptions or failed", kind="text"),
)

AGENT_REPORTERS: dict[str, Reporter] = _table(
    Reporter("iso3", "ISO 3166 alpha-3 code of the ally", kind="text"),
    Reporter("spending", "core defence spending", "% of GDP"),
    Reporter("commitment", "willingness to carry alliance decisions and Article 5 duties (geometric mean of the two)", "", 0, 1),
    Reporter("transatlantic_commitment", "commitment to the transatlantic bond", "", 0, 1),
    Reporter("european_commitment", "commitment to the European allies and Canada", "", 0, 1),
    Reporter("us_reliability", "trust in the US guarantee", "", 0, 1),
    Reporter("threat", "perceived threat", "", 0, 1),
    Reporter("tension_with_us", "tension with the United States", "", 0, 1),
    Reporter("mean_tension", "mean tension with the other allies", "", 0, 1),
    Reporter("status", "aligned, hedging or disengaged", kind="text"),
    Reporter("meets_guideline", "at or above the guideline in force", kind="bool"),
    Reporter("member", "a member this year (from its accession year)", kind="bool"),
)

RUN_SUMMARIES: dict[str, Reporter] = _table(
    Reporter("summits_held", "summits held over the run", "summits", kind="int"),
    Reporter("summits_failed", "summits whose item failed over the run", "summits", kind="int"),
    Reporter("min_cohesion", "lowest cohesion in any year of the run", "", 0, 1),
)

#: The summit outcome as the engine codes it (sweep tables store the code).
SUMMIT_OUTCOMES = ("none", "passed", "passed with exemptions", "failed")

#: What a sweep or the engine can report for the final year of each run.
FINAL_METRICS: tuple[str, ...] = (*(name for name in MODEL_REPORTERS if name != "year"), *RUN_SUMMARIES)

#: Headline outputs: the run summary, the CLI's table and the default sweep outputs.
HEADLINE: tuple[str, ...] = (
    "cohesion", "connectivity", "blocs", "allies_at_2pct", "allies_at_guideline", "guideline", "mean_spending",
    "gdp_weighted_spending", "european_share", "declaration_gap", "hedging", "disengaged", "us_tension",
    "european_tension", "vacuum",
)  # fmt: skip


def describe(name: str) -> Reporter:
    """The reporter called ``name`` (model, agent or run summary); KeyError naming the known ones if none."""
    for table in (MODEL_REPORTERS, AGENT_REPORTERS, RUN_SUMMARIES):
        if name in table:
            return table[name]
    known = ", ".join([*MODEL_REPORTERS, *AGENT_REPORTERS, *RUN_SUMMARIES])
    raise KeyError(f"unknown output {name!r}; known: {known}")


__all__ = [
    "AGENT_REPORTERS", "FINAL_METRICS", "HEADLINE", "MODEL_REPORTERS", "RUN_SUMMARIES", "SUMMIT_OUTCOMES", "Reporter",
    "describe",
]  # fmt: skip
