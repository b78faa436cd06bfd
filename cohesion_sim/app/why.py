"""Why an ally changed this year: its state, and this year's change split into the model's terms.

Nothing here repeats the model's math. The ally's decision is recomputed with the model's own
:func:`cohesion_sim.rules.decide_member` from the state it started the year with, and checked
against what the model did. Each term's part is then what the same function gives with that
one mechanism switched off (its weight set to zero, or the limit lifted): "without abandonment
fear, spending would have risen 0.12 points less". Terms overlap, so their parts need not add up
to the change; the table says so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..rules import decide_member

#: Spending terms: (name, in words, parameter changes that switch it off, own-state changes).
SPENDING_TERMS: tuple[tuple[str, str, dict[str, Any], dict[str, Any]], ...] = (
    ("threat", "perceived threat raises the budget it wants", {"threat_weight": 0.0}, {}),
    ("abandonment fear", "fear that the US will not come raises it", {"fear_weight": 0.0}, {}),
    ("free riding", "what allies and the US provide lowers it", {"free_riding_weight": 0.0}, {}),
    ("guideline pull", "the adopted pledge pulls it toward its path", {"pull_max": 0.0}, {}),
    ("European pillar", "a hedging ally invests in a European pillar", {"pillar_boost": 0.0}, {}),
    ("fiscal limit", "fiscal space caps a year's rise or cut", {"max_cut": 1e9}, {"max_rise": 1e9}),
    ("lag", "budgets close only part of the gap in a year", {"adjustment_speed": 1.0}, {}),
    ("budget noise", "domestic politics, up or down", {"budget_noise": 0.0}, {}),
)
#: Commitment terms (the summit's effect is reported separately).
COMMITMENT_TERMS: tuple[tuple[str, str, dict[str, Any], dict[str, Any]], ...] = (
    ("trust in the US", "trust above one half raises commitment", {"commitment_from_reliability": 0.0}, {}),
    ("threat", "threat above one half raises it", {"commitment_from_threat": 0.0}, {}),
    ("reciprocity", "allies keeping their pledges raise it", {"commitment_from_reciprocity": 0.0}, {}),
    ("tension", "tension with allies lowers it", {"commitment_from_tension": 0.0}, {}),
    ("entrapment", "an agenda far from its priorities lowers it", {"commitment_from_entrapment": 0.0}, {}),
    ("burden grievance", "paying more than similar allies lowers it", {"commitment_from_grievance": 0.0}, {}),
    ("lag", "commitment closes only part of the gap in a year", {"commitment_speed": 1.0}, {}),
)


class _Changed:
    """The scenario's parameters with a few replaced (read-only, attribute access like the Scenario)."""

    def __init__(self, params: Any, changes: dict[str, Any]):
        self._params, self._changes = params, changes

    def __getattr__(self, name: str) -> Any:
        changes = self.__dict__["_changes"]
        return changes[name] if name in changes else getattr(self.__dict__["_params"], name)


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
    summit_effect: float
    checked: bool  # the recomputed decision matched the model's


def _inputs(model: Any, before: dict[str, Any], member: Any):
    """The decision's inputs as they were at the start of the model's last year."""
    own = member.own_state()
    values = before["members"][member.iso3]
    changes = {key: values[key] for key in values if hasattr(own, key)}
    own = dataclasses.replace(own, tension_row=before["tension"][member.index], **changes)
    return own, model.view, model.context, model.params, model.budget_shocks[member.index]


def _parts(terms, own, view, world, params, shock, base, field: str, start: float) -> list[Term]:
    full = float(getattr(base, field)) - start
    out = []
    for name, meaning, param_changes, own_changes in terms:
        if not all(hasattr(params, key) for key in param_changes) or not all(hasattr(own, k) for k in own_changes):
            continue  # a term this version of the model does not have
        changed = _Changed(params, param_changes)
        alt_own = dataclasses.replace(own, **own_changes) if own_changes else own
        without = float(getattr(decide_member(alt_own, view, world, changed, shock), field)) - start
        out.append(Term(name, meaning, full - without))
    return out


def explain(model: Any, before: dict[str, Any], iso3: str) -> Why | None:
    """Why ally ``iso3`` moved in the model's last year; None if it is not an ally or the inputs are gone."""
    member = next((m for m in model.members if m.iso3 == iso3), None)
    if member is None or iso3 not in before.get("members", {}):
        return None
    try:
        own, view, world, params, shock = _inputs(model, before, member)
        decision = decide_member(own, view, world, params, shock)
    except (AttributeError, KeyError, TypeError):  # the model's internals moved: show the state only
        decision, own = None, None
    start_spending = float(before["members"][iso3]["spending"])
    start_commitment = float(before["members"][iso3]["commitment"])
    checked = decision is not None and abs(float(decision.spending) - member.spending) < 1e-9
    spending_terms = commitment_terms = []
    summit = 0.0
    saw: list[tuple[str, str]] = []
    if checked:
        spending_terms = _parts(SPENDING_TERMS, own, view, world, params, shock, decision, "spending", start_spending)
        commitment_terms = _parts(COMMITMENT_TERMS, own, view, world, params, shock, decision, "commitment",
                                  start_commitment)  # fmt: skip
        summit = member.commitment - float(decision.commitment)
        saw = [
            ("perceived threat", f"{float(decision.threat):.2f}"),
            ("trust in the US", f"{float(decision.reliability):.2f}"),
            ("abandonment fear", f"{float(decision.fear):.2f}"),
            ("what others provide", f"{float(decision.provision):.2f} x own GDP"),
            ("budget it wants (need)", f"{float(decision.need):.2f}% of GDP"),
            ("target after the pledge's pull", f"{float(decision.target):.2f}% of GDP"),
        ]
    fiscal = getattr(member, "max_rise", np.nan)
    state = [
        ("spending", f"{member.spending:.2f}% of GDP"),
        ("commitment to the alliance", f"{member.commitment:.2f}"),
        ("trust in the US", f"{member.us_reliability:.2f}"),
        ("perceived threat", f"{member.threat:.2f}"),
        ("status", member.status),
        ("fiscal space", f"can raise spending by up to {fiscal:.2f} points a year" if np.isfinite(fiscal) else "n/a"),
    ]
    for extra, label in (("pledge_commitment", "commitment to the pledge"), ("fiscal_space", "fiscal space left")):
        if hasattr(member, extra):  # Model 2.0 state, shown once the model has it
            state.insert(2, (label, f"{float(getattr(member, extra)):.2f}"))
    return Why(
        iso3=iso3, name=member.name, year=int(model.year), state=state, saw=saw, spending_before=start_spending,
        spending_after=float(member.spending), commitment_before=start_commitment,
        commitment_after=float(member.commitment), spending_terms=spending_terms, commitment_terms=commitment_terms,
        summit_effect=summit, checked=checked,
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
    parts.append(
        f"<div class='cs-why-head'>Spending: {why.spending_before:.2f}% → {why.spending_after:.2f}% ({ds:+.2f} points)."
        " Each row: how much more (+) or less (−) it moved than it would have without that term.</div>"
        f"<table class='cs-why-terms' data-testid='why-spending'>{bars(why.spending_terms, '', scale_s)}</table>"
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
