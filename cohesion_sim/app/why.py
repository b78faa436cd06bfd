"""Why an ally changed this year: its state, and this year's change split into the model's terms.

Nothing here repeats the model's math. The ally's decision is recomputed with the model's own
year functions (:func:`cohesion_sim.year.decide`, which calls :func:`cohesion_sim.rules.decide_member`)
from the state the alliance started the year with, and checked against what the model did. Each term's part is then what the same function gives with that
one mechanism switched off (its weight set to zero, or the limit lifted): "without abandonment
fear, spending would have risen 0.12 points less". Terms overlap, so their parts need not add up
to the change; the table says so.

Budgets lag (Model 2.0): this year's outlays execute the plans of the last one to three years, so
this year's threat, fear or pledge cannot move this year's outlay; they move this year's *plan*,
which later outlays execute. The panel therefore splits two things: the plan decided this year
(:data:`PLAN_TERMS`, each term's part in points of GDP of the plan) and this year's outlay
(:data:`OUTLAY_TERMS`: executing earlier plans, the yearly adjustment, the fiscal limit, noise).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Spending terms: (name, in words, parameter changes that switch it off, run-input changes).
SPENDING_TERMS: tuple[tuple[str, str, dict[str, Any], dict[str, Any]], ...] = (
    ("threat", "perceived threat raises the budget it wants", {"threat_weight": 0.0}, {}),
    ("abandonment fear", "fear that the US will not come raises it", {"fear_weight": 0.0}, {}),
    ("free riding", "what allies and the US provide lowers it", {"publicness": 0.0}, {}),
    ("guideline pull", "the adopted pledge pulls it toward its path", {"pull_max": 0.0}, {}),
    ("European pillar", "a hedging ally invests in a European pillar", {"pillar_boost": 0.0}, {}),
    ("fiscal limit", "fiscal space (debt) caps a year's rise or cut", {"max_cut": 1e9, "fiscal_pull": 0.0},
     {"max_rise": 1e9}),
    ("lag", "budgets close only part of the gap in a year", {"adjustment_speed": 1.0}, {}),
    ("budget noise", "domestic politics, up or down", {"budget_noise": 0.0}, {}),
)
#: Terms that shape this year's plan (the budget decided now, executed over the next one to three years).
PLAN_TERMS = tuple(term for term in SPENDING_TERMS if term[0] not in ("lag", "budget noise"))
#: Terms that can move this year's outlay (this year's plan reaches outlays only from next year).
OUTLAY_TERMS = ("fiscal limit", "lag", "budget noise")
#: Commitment terms (the summit's effect is reported separately).
COMMITMENT_TERMS: tuple[tuple[str, str, dict[str, Any], dict[str, Any]], ...] = (
    ("trust in the US", "trust above one half raises commitment", {"commitment_from_reliability": 0.0}, {}),
    ("threat", "threat above one half raises it", {"commitment_from_threat": 0.0}, {}),
    ("abandonment fear", "fear of abandonment moves it", {"commitment_from_fear": 0.0}, {}),
    ("reciprocity", "allies keeping their pledges raise it", {"commitment_from_reciprocity": 0.0}, {}),
    ("tension", "tension with allies lowers it", {"commitment_from_tension": 0.0}, {}),
    ("entrapment", "an agenda far from its priorities lowers it", {"commitment_from_entrapment": 0.0}, {}),
    ("burden grievance", "paying more than similar allies lowers it", {"commitment_from_grievance": 0.0}, {}),
    ("European pillar", "a European pillar moves it", {"commitment_from_pillar": 0.0}, {}),
    ("lag", "commitment closes only part of the gap in a year", {"commitment_speed": 1.0}, {}),
)


class _Changed:
    """The runs' parameters with a few replaced: ``with_levers`` returns the year's parameters with the changes."""

    def __init__(self, params: Any, changes: dict[str, Any]):
        self._params, self._changes = params, changes

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_params"], name)

    def with_levers(self, levers):
        year = self.__dict__["_params"].with_levers(levers)
        for name, value in self.__dict__["_changes"].items():
            setattr(year, name, np.full_like(np.asarray(getattr(year, name), dtype=float), value))
        return year


@dataclass
class Term:
    name: str
    meaning: str
    part: float  # change with the term minus change without it


@dataclass
class Why:
    iso3: str
    name: str
    year: int
    state: list[tuple[str, str]]  # (label, value)
    saw: list[tuple[str, str]]  # what the decision rule computed: threat, fear, provision, need, target
    spending_before: float
    spending_after: float
    commitment_before: float
    commitment_after: float
    spending_terms: list[Term]
    commitment_terms: list[Term]
    plan_before: float  # the plan decided last year (% of GDP)
    plan_after: float  # the plan decided this year
    plan_terms: list[Term]  # each term's part in this year's plan (plan with it minus plan without it)
    summit_effect: float
    checked: bool  # the recomputed decision matched the model's


def _decide(before: Any, runs: Any) -> Any:
    """The year's decisions of every ally, recomputed from the state before the year (the model's own functions)."""
    from .. import year as yearly

    state = copy.deepcopy(before)
    year = state.year + 1
    t = runs.t(year)
    snapshot = yearly._snapshot(state, runs, year)
    erratic = yearly.us_stance(state, runs, t)
    yearly.environment(state, runs, t)
    inputs = yearly.year_inputs(state, runs, year, erratic)
    return yearly.decide(state, runs, snapshot, inputs, t)


def _commitment(decision: Any, i: int) -> float:
    return float(np.sqrt(decision.transatlantic[0, i] * decision.european[0, i]))


def _parts(terms, before, runs, base, i: int, field: str, start: float) -> list[Term]:
    def value(decision):
        if field == "plan":
            return float(decision.target[0, i])
        return float(decision.spending[0, i]) if field == "spending" else _commitment(decision, i)

    full = value(base) - start
    out = []
    for name, meaning, param_changes, run_changes in terms:
        if not all(hasattr(runs.params, key) for key in param_changes if key != "fiscal_pull") \
                or not all(hasattr(runs, key) for key in run_changes):  # fmt: skip
            continue  # a term this version of the model does not have
        params = {k: v for k, v in param_changes.items() if hasattr(runs.params, k)}
        changed = dataclasses.replace(runs, params=_Changed(runs.params, params),
                                      **{k: np.full_like(getattr(runs, k), v) for k, v in run_changes.items()})
        out.append(Term(name, meaning, full - (value(_decide(before, changed)) - start)))
    return out


def explain(model: Any, before: Any, iso3: str) -> Why | None:
    """Why ally ``iso3`` moved in the model's last year; None if it is not an ally or the inputs are gone."""
    member = next((m for m in model.members if m.iso3 == iso3), None)
    if member is None or before is None:
        return None
    i = member.index
    runs = model.runs
    start_spending = float(before.spending[0, i])
    start_commitment = float(np.sqrt(before.transatlantic[0, i] * before.european[0, i]))
    try:
        with np.errstate(all="ignore"):
            decision = _decide(before, runs)
    except (AttributeError, KeyError, TypeError, ValueError):  # the model's internals moved: show the state only
        decision = None
    checked = decision is not None and abs(float(decision.spending[0, i]) - member.spending) < 1e-9
    spending_terms: list[Term] = []
    commitment_terms: list[Term] = []
    plan_terms: list[Term] = []
    plans = getattr(before, "plans", None)
    plan_before = float(plans[0, i, 0]) if plans is not None else float("nan")
    plan_after = float("nan")
    summit = 0.0
    saw: list[tuple[str, str]] = []
    if checked:
        with np.errstate(all="ignore"):
            spending_terms = _parts(SPENDING_TERMS, before, runs, decision, i, "spending", start_spending)
            commitment_terms = _parts(COMMITMENT_TERMS, before, runs, decision, i, "commitment", start_commitment)
            plan_terms = _parts(PLAN_TERMS, before, runs, decision, i, "plan", 0.0)
        plan_after = float(decision.target[0, i])
        summit = member.commitment - _commitment(decision, i)
        saw = [
            ("perceived threat", f"{float(decision.threat[0, i]):.2f}"),
            ("trust in the US", f"{float(decision.reliability[0, i]):.2f}"),
            ("abandonment fear", f"{float(decision.fear[0, i]):.2f}"),
            ("what others provide", f"{float(decision.provision[0, i]):.2f} x own GDP"),
            ("budget it wants (need)", f"{float(decision.need[0, i]):.2f}% of GDP"),
            ("target after the pledge's pull", f"{float(decision.target[0, i]):.2f}% of GDP"),
        ]
    state = [("spending", f"{member.spending:.2f}% of GDP"),
             ("commitment to the alliance", f"{member.commitment:.2f}")]  # fmt: skip
    for attr, label in (("transatlantic_commitment", "commitment to the US link"),
                        ("european_commitment", "commitment to European allies")):  # fmt: skip
        if hasattr(member, attr):
            state.append((label, f"{float(getattr(member, attr)):.2f}"))
    state += [("trust in the US", f"{member.us_reliability:.2f}"), ("perceived threat", f"{member.threat:.2f}"),
              ("status", member.status)]  # fmt: skip
    fiscal = float(getattr(member, "max_rise", np.nan))
    space = getattr(member, "fiscal_space", None)
    shown = f"can raise spending by up to {fiscal:.2f} points a year" if np.isfinite(fiscal) else "n/a"
    if space is not None:
        shown += f" (fiscal space {float(space):.2f} of 1)"
    state.append(("fiscal space", shown))
    return Why(
        iso3=iso3, name=member.name, year=int(model.year), state=state, saw=saw, spending_before=start_spending,
        spending_after=float(member.spending), commitment_before=start_commitment,
        commitment_after=float(member.commitment), spending_terms=spending_terms, commitment_terms=commitment_terms,
        summit_effect=summit, checked=checked, plan_before=plan_before, plan_after=plan_after, plan_terms=plan_terms,
    )  # fmt: skip


def why_html(why: Why) -> str:
    """The explanation as an HTML block (every value escaped)."""
    from html import escape

    def rows(items):
        return "".join(f"<tr><th>{escape(a)}</th><td>{escape(b)}</td></tr>" for a, b in items)

    def bars(terms: list[Term], unit: str, scale: float) -> str:
        out = []
        for term in terms:
            width = min(100.0, abs(term.part) / scale * 100) if scale > 0 else 0
            side = "cs-up" if term.part >= 0 else "cs-down"
            out.append(
                f"<tr data-term='{escape(term.name)}'><th title='{escape(term.meaning)}'>{escape(term.name)}"
                f"<div class='cs-term-help'>{escape(term.meaning)}</div></th>"
                f"<td class='cs-term-value'>{term.part:+.2f}{unit}</td>"
                f"<td class='cs-term-bar'><span class='{side}' style='width:{width:.0f}%'></span></td></tr>"
            )
        return "".join(out)

    parts = [f"<h4>{escape(why.name)} ({escape(why.iso3)}) in {why.year}</h4>",
             f"<table class='cs-why-state'>{rows(why.state)}</table>"]  # fmt: skip
    if not why.checked:
        parts.append("<p class='cs-why-note'>The breakdown needs this year's inputs; press Step once more.</p>")
        return "".join(parts)
    ds = why.spending_after - why.spending_before
    dc = why.commitment_after - why.commitment_before
    scale_s = max([abs(t.part) for t in why.spending_terms] + [abs(ds), 1e-6])
    scale_c = max([abs(t.part) for t in why.commitment_terms] + [abs(dc), 1e-6])
    parts.append(f"<div class='cs-why-head'>What it saw this year</div><table class='cs-why-state'>{rows(why.saw)}</table>")
    if why.plan_terms:
        scale_p = max([abs(t.part) for t in why.plan_terms] + [1e-6])
        last = f" (last year's plan {why.plan_before:.2f}%)" if np.isfinite(why.plan_before) else ""
        parts.append(
            f"<div class='cs-why-head'>This year's plan: {why.plan_after:.2f}% of GDP{last}. Budgets take one to "
            "three years to reach it. Each row: how many points higher (+) or lower (−) the plan is than it would "
            "be without that term.</div>"
            f"<table class='cs-why-terms' data-testid='why-plan'>{bars(why.plan_terms, '', scale_p)}</table>"
        )
    outlay = [t for t in why.spending_terms if t.name in OUTLAY_TERMS or abs(t.part) >= 5e-4]
    parts.append(
        f"<div class='cs-why-head'>Spending this year: {why.spending_before:.2f}% → {why.spending_after:.2f}% "
        f"({ds:+.2f} points), executing the plans of the last three years. Each row: how much more (+) or less "
        "(−) it moved than it would have without that term.</div>"
        f"<table class='cs-why-terms' data-testid='why-spending'>{bars(outlay, '', scale_s)}</table>"
    )
    summit = f" The summit's outcome moved it {why.summit_effect:+.3f}." if abs(why.summit_effect) > 5e-4 else ""
    parts.append(
        f"<div class='cs-why-head'>Commitment: {why.commitment_before:.2f} → {why.commitment_after:.2f} "
        f"({dc:+.3f}).{summit}</div>"
        f"<table class='cs-why-terms' data-testid='why-commitment'>{bars(why.commitment_terms, '', scale_c)}</table>"
    )
    parts.append("<p class='cs-why-note'>Computed with the model's own decision rule, once with everything and once "
                 "with each term switched off. Terms interact, so the rows need not add up to the change.</p>")  # fmt: skip
    return "".join(parts)
