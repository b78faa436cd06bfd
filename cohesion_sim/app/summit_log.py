"""The summit log in plain language: one sentence per summit, plus why it turned out that way.

:func:`summit_sentence` is the one summit sentence: the app's log and the CLI's summary
(``cohesion-sim run``) both print it. Pure Python, imports nothing from the model.
"""

from __future__ import annotations

from typing import Any

DECISION_RULES = {"consensus": "consensus", "qualified_majority": "qualified majority"}

#: Holdouts named in a sentence before it says "and N more".
MAX_NAMED = 6


def _codes(codes: list[str]) -> str:
    if len(codes) <= MAX_NAMED:
        return ", ".join(codes)
    return ", ".join(codes[:MAX_NAMED]) + f" and {len(codes) - MAX_NAMED} more"


def rule_name(rule: str) -> str:
    return DECISION_RULES.get(rule, rule.replace("_", " "))


def summit_sentence(event: dict[str, Any]) -> str:
    """E.g. ``"2027 summit: 3.5% guideline by 2035 failed under consensus; holdouts ESP, BEL"``."""
    outcome = "passed" if event["outcome"].startswith("passed") else "failed"
    text = f"{event['year']} summit: {event['item']} {outcome} under {rule_name(event['decision_rule'])}"
    if event.get("exemptions"):
        text += f"; exempted {_codes(event['exemptions'])}"
    if outcome == "failed" and event.get("holdouts"):
        text += f"; holdouts {_codes(event['holdouts'])}"
    return text


def summit_reason(event: dict[str, Any]) -> str:
    """Why the vote came out as it did, for a student who has not read the model."""
    yes, no = event.get("yes", 0), event.get("no", 0)
    tally = f"{yes} for, {no} against."
    rule = event["decision_rule"]
    if event["outcome"] == "failed":
        if rule == "consensus":
            many = "holdout" if no == 1 else "holdouts"
            return f"{tally} Under consensus every ally must agree, so {no} {many} blocked it."
        return f"{tally} Too few allies, or too little of the alliance's economy, backed it for a qualified majority."
    if event.get("exemptions"):
        who = event["exemptions"][0] if len(event["exemptions"]) == 1 else "The holdouts"
        verb = "was" if len(event["exemptions"]) == 1 else "were"
        return f"{tally} {who} {verb} exempted, so the rest could agree."
    if no == 0:
        return f"{tally} Every ally agreed."
    return f"{tally} A qualified majority was enough." if rule == "qualified_majority" else tally


def _routine(event: dict[str, Any]) -> bool:
    return event["outcome"] == "passed" and not event.get("holdouts") and not event.get("exemptions")


def summit_log(events: list[dict[str, Any]], newest_first: bool = True) -> list[tuple[str, str, bool]]:
    """(sentence, reason, passed) for every summit; back-to-back unanimous votes on the same item are one row."""
    groups: list[list[dict[str, Any]]] = []
    for event in events:
        last = groups[-1][-1] if groups else None
        if last is not None and _routine(event) and _routine(last) and event["item"] == last["item"] \
                and event["decision_rule"] == last["decision_rule"]:  # fmt: skip
            groups[-1].append(event)
        else:
            groups.append([event])
    rows = []
    for group in groups:
        if len(group) == 1:
            rows.append((summit_sentence(group[0]), summit_reason(group[0]), group[0]["outcome"].startswith("passed")))
        else:
            first, last = group[0], group[-1]
            sentence = (f"{first['year']}–{last['year']} summits: {first['item']} passed under "
                        f"{rule_name(first['decision_rule'])}, {len(group)} times")  # fmt: skip
            rows.append((sentence, "Every ally agreed each time.", True))
    return rows[::-1] if newest_first else rows
