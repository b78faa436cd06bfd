"""Dated events to mark on the time series: pledges, failed votes, US pressure, shocks, disputes, levers.

Read from the run's summit log and its validated scenario, so a mark is never drawn for
something the run did not contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..schedules import Ramp, Step, Values

#: Pressure at or above this counts as a "US pressure" period.
PRESSURE_HIGH = 0.7


@dataclass(frozen=True)
class Mark:
    year: float  # a span starts here
    label: str
    kind: str  # pledge, summit, pressure, shock, dispute, lever, us
    until: float | None = None  # end of a span (pressure periods)


def _pressure_spans(params: Any) -> list[Mark]:
    years = range(params.start_year, params.end_year + 1)
    high = [y for y in years if params.pressure.at(y) >= PRESSURE_HIGH]
    spans, start, last = [], None, None
    for y in high:
        if start is None:
            start = y
        elif y != last + 1:
            spans.append(Mark(start, "US pressure", "pressure", last))
            start = y
        last = y
    if start is not None:
        spans.append(Mark(start, "US pressure", "pressure", last))
    return spans


def _us_changes(params: Any) -> list[Mark]:
    path = params.vacuum.path
    if isinstance(path, Step):
        return [Mark(path.year, f"US to {path.level:.2f}", "us")]
    if isinstance(path, Ramp):
        return [Mark(path.from_year, "US shift starts", "us"), Mark(path.to_year, f"US at {path.to_value:.2f}", "us")]
    if isinstance(path, Values) and len(path.values) <= 4:
        return [Mark(y, f"US to {v:.2f}", "us") for y, v in sorted(path.values.items())[1:]]
    return []


def dated_marks(events: list[dict[str, Any]], params: Any, interventions=()) -> list[Mark]:
    """Every dated event of a run, oldest first."""
    marks: list[Mark] = []
    for event in events:
        if event.get("kind") == "guideline" and str(event["outcome"]).startswith("passed"):
            marks.append(Mark(event["year"], f"{event['level']:g}% pledge adopted", "pledge"))
        elif event["outcome"] == "failed":
            marks.append(Mark(event["year"], "summit vote failed", "summit"))
    if params is not None:
        marks += _pressure_spans(params)
        marks += [Mark(s.year, f"{s.direction} shock", "shock") for s in params.shocks]
        marks += [Mark(d.year, f"dispute {d.pair[0]}-{d.pair[1]}", "dispute") for d in params.disputes]
        marks += _us_changes(params)
    marks += [Mark(i.year, i.describe().rsplit(" from ", 1)[0], "lever") for i in interventions]
    return sorted(marks, key=lambda m: (m.year, m.kind))
