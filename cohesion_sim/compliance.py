"""Where each ally stands against its own adopted path to the guideline, and against 2% of GDP.

When allies adopt a new guideline (the 3.5% Hague pledge), each ally's path starts from its
spending that year and reaches the guideline at the deadline (MODEL.md, guideline pull). Counting
allies "at the guideline" then falls off a cliff overnight, an accounting change; counting allies
on their path does not. The path is :func:`cohesion_sim.rules.spending.guideline_path`, the same
rule the model's shortfall and reciprocity use.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .rules.spending import guideline_path

ON_TRACK, BEHIND, FAR_BEHIND, EXEMPTED, NO_FORCES = "on track", "behind", "far behind", "exempted", "no armed forces"
CLASSES = (ON_TRACK, BEHIND, FAR_BEHIND, EXEMPTED, NO_FORCES)
TWO_PERCENT = 2.0


def compliance_class(spending: float, path: float | None, armed: bool, exempt: bool, tolerance: float) -> str:
    """On track at or above the path, far behind ``tolerance`` points or more below it, else behind."""
    if not armed:
        return NO_FORCES
    if path is None or not np.isfinite(path):
        path = TWO_PERCENT  # no guideline in force: 2% is the yardstick
    if exempt:
        return EXEMPTED
    shortfall = path - spending
    if shortfall <= 1e-9:
        return ON_TRACK
    return BEHIND if shortfall < tolerance else FAR_BEHIND


def ally_positions(model: Any) -> pd.DataFrame:
    """Per ally: iso3, path (this year's point on its path; NaN without a guideline), exempt, compliance, below_2pct."""
    level = getattr(model, "guideline_level", None)
    tolerance = float(getattr(model.params, "reciprocity_tolerance", 0.5))
    rows = []
    for member in model.members:
        armed = bool(member.has_armed_forces)
        exempt = bool(getattr(member, "exempt", False))
        if level is None:
            path = float("nan")
        else:
            start = float(getattr(member, "path_start", member.spending))
            path = float(guideline_path(start, level, model.guideline_adopted, model.guideline_deadline, model.year))
            if model.year >= model.guideline_deadline:  # a guideline re-anchored to its deadline year is due in full
                path = float(level)
        rows.append({
            "iso3": member.iso3, "path": path, "exempt": exempt,
            "compliance": compliance_class(member.spending, None if level is None else path, armed, exempt, tolerance),
            "below_2pct": armed and member.spending < TWO_PERCENT,
        })  # fmt: skip
    return pd.DataFrame(rows)


def counts(positions: pd.DataFrame) -> dict[str, int]:
    """How many allies are in each class, plus ``armed`` and ``at_2pct`` (allies with armed forces at or above 2%)."""
    armed = positions["compliance"] != NO_FORCES
    out = {name: int((positions["compliance"] == name).sum()) for name in CLASSES}
    out["armed"] = int(armed.sum())
    out["at_2pct"] = int((armed & ~positions["below_2pct"]).sum())
    return out


__all__ = ["CLASSES", "TWO_PERCENT", "ally_positions", "compliance_class", "counts"]
