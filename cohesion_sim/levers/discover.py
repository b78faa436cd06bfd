"""Scenario discovery on the futures where even the best package fails, said in plain language.

PRIM (:func:`cohesion_sim.sweeps.discovery.prim`) finds a box of future factors where such
failures concentrate; :func:`plain_language` turns it into a sentence such as "when the US
vacuum reaches at least 0.70 by 2029 with volatility above 0.10".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .futures import FACTORS


@dataclass
class Discovery:
    """What scenario discovery found."""

    share: float  # of futures where even the best package fails
    n_futures: int
    box: object | None  # cohesion_sim.sweeps.discovery.Box, or None if there is nothing to discover
    sentence: str


def _number(value: float) -> str:
    return f"{value:.2f}"


#: How each factor reads in a sentence: (at least, at most, both).
PHRASES = {
    "vacuum_level": ("the US vacuum reaches at least {low}", "the US vacuum stays at or below {high}",
                     "the US vacuum ends between {low} and {high}"),
    "vacuum_year": ("no earlier than {low}", "by {high}", "between {low} and {high}"),
    "volatility": ("with volatility above {low}", "with volatility below {high}",
                   "with volatility between {low} and {high}"),
    "pressure": ("with US burden-sharing pressure above {low}", "with US pressure below {high}",
                 "with US pressure between {low} and {high}"),
    "east_threat": ("the eastern threat rises to at least {low}", "the eastern threat falls to {high} or less",
                    "the eastern threat ends between {low} and {high}"),
    "south_threat": ("the southern threat rises to at least {low}", "the southern threat falls to {high} or less",
                     "the southern threat ends between {low} and {high}"),
    "posterior_draw": ("for some parameter draws", "for some parameter draws", "for some parameter draws"),
}  # fmt: skip


def plain_language(box) -> str:
    """A PRIM box over the future factors as one sentence ("when ... "), factors in :data:`FACTORS` order."""
    if box is None or not box.restricted:
        return "no particular kind of US behaviour stands out"
    bounds: dict[str, dict] = {}
    for name, op, value in box.conditions():
        bounds.setdefault(name, {})[op] = value
    us, others = [], []
    for name in [*FACTORS, "posterior_draw"]:
        if name not in bounds:
            continue
        found = bounds[name]
        target = us if name in ("vacuum_level", "vacuum_year", "vacuum_shape", "volatility") else others
        if name == "vacuum_shape":
            shapes = found["in"]
            if len(shapes) == 1:
                target.append("abruptly (a step)" if shapes[0] == "step" else "gradually (a ramp)")
            continue
        fmt = (lambda v: str(int(round(v)))) if name == "vacuum_year" else _number
        at_least, at_most, between = PHRASES[name]
        if ">=" in found and "<=" in found:
            target.append(between.format(low=fmt(found[">="]), high=fmt(found["<="])))
        elif ">=" in found:
            target.append(at_least.format(low=fmt(found[">="])))
        else:
            target.append(at_most.format(high=fmt(found["<="])))
    if us and not us[0].startswith("the US vacuum"):
        us.insert(0, "the US stance moves" if "vacuum_year" not in bounds and "vacuum_shape" not in bounds
                  else "the US vacuum changes")  # fmt: skip
    clauses = [" ".join(us)] if us else []
    return "when " + ", and ".join(clauses + others)


def discover_failures(futures, fails: np.ndarray, *, min_coverage: float = 0.5) -> Discovery:
    """PRIM over the futures table's factors for the boolean ``fails`` (one per future row)."""
    from ..sweeps.discovery import prim

    fails = np.asarray(fails, dtype=bool)
    share = float(fails.mean()) if len(fails) else 0.0
    if share == 0.0:
        return Discovery(share, len(fails), None, "in no sampled future does even the best package fail")
    if share == 1.0:
        return Discovery(share, len(fails), None, "even the best package fails in every sampled future")
    names = [name for name in (*FACTORS, "posterior_draw") if name in futures]
    box, _ = prim(futures.reset_index(drop=True), names, fails, min_coverage=min_coverage)
    return Discovery(share, len(fails), box, plain_language(box))


__all__ = ["Discovery", "PHRASES", "discover_failures", "plain_language"]
