"""Lever packages: every combination of the four debated levers, each switched on from a start year.

A lever is a scenario field with an "on" level: coordination and intelligence sharing
(``coordination``), qualified majority voting (``decision_rule``), a European pillar
(``pillar_coordination``) and partnerships with non-NATO democracies (``partnerships``). A
lever that is off keeps the base scenario's value. A lever switched on from a year after the
start is a dated intervention: a step schedule ``{kind: step, before: <base>, level: <on>,
year: Y}`` (``{before: consensus, after: qualified_majority, year: Y}`` for the decision rule),
so two packages are identical before Y. Where the model has no dated levers yet, the on level
holds from the start and the manifest says so.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Lever:
    key: str  # short name used in package names
    field: str  # the scenario field it sets
    label: str  # plain language


#: The debated levers, in the order package names list them.
LEVERS: tuple[Lever, ...] = (
    Lever("coord", "coordination", "more coordination and intelligence sharing"),
    Lever("qmv", "decision_rule", "qualified majority voting instead of consensus"),
    Lever("pillar", "pillar_coordination", "a European pillar among hedging allies"),
    Lever("partners", "partnerships", "partnerships with non-NATO democracies"),
)
#: Default "on" levels: the trump_proofing scenario's.
ON_LEVELS: dict[str, Any] = {
    "coordination": 0.7,
    "decision_rule": "qualified_majority",
    "pillar_coordination": 0.5,
    "partnerships": 0.6,
}
NO_LEVER = "none"


@dataclass(frozen=True)
class Package:
    """A set of levers (or a named package from the spec) as scenario overrides."""

    name: str
    levers: tuple[str, ...]
    overrides: dict[str, Any] = field(default_factory=dict)
    label: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "levers": list(self.levers), "overrides": self.overrides, "label": self.label}


def level_before(value: Any, year: int) -> Any:
    """A field's value in ``year`` from a plain value or a schedule object (anything with ``at(year)``)."""
    if hasattr(value, "at"):
        return value.at(year)
    if isinstance(value, dict) and "level" in value and value.get("kind", "constant") == "constant":
        return value["level"]
    return value


def lever_override(field_name: str, *, before: Any, level: Any, year: int | None, dated: bool) -> Any:
    """The override that switches one lever on: the level itself, or a step from ``year`` if ``dated``."""
    if year is None or not dated:
        return level
    if field_name == "decision_rule":
        return {"before": before, "after": level, "year": year}
    return {"kind": "step", "before": before, "level": level, "year": year}


def package_name(keys: tuple[str, ...]) -> str:
    return "+".join(keys) if keys else NO_LEVER


def build_packages(base, *, on_levels: dict[str, Any] | None = None, start_year: int | None = None,
                   dated: bool = True, extra: dict[str, dict[str, Any]] | None = None) -> list[Package]:  # fmt: skip
    """Every combination of :data:`LEVERS` (2^4 = 16, from no lever to all four), then the spec's own packages.

    Args:
        base: the base :class:`~cohesion_sim.scenario.Scenario` (off levers keep its values).
        on_levels: the "on" level of each lever's field (default :data:`ON_LEVELS`).
        start_year: the year the levers take effect; None or a year not after the base's start
            year means from the start (a plain value).
        dated: whether the model accepts dated levers (step schedules); if not, levers hold from the start.
        extra: named packages of the spec, ``{name: {field: value, ...}}`` (overrides as given).
    """
    levels = {**ON_LEVELS, **(on_levels or {})}
    year = start_year if start_year is not None and start_year > base.start_year else None
    packages = []
    for size in range(len(LEVERS) + 1):
        for combo in itertools.combinations(LEVERS, size):
            overrides = {}
            for lever in combo:
                before = level_before(getattr(base, lever.field), (year or base.start_year) - 1)
                overrides[lever.field] = lever_override(lever.field, before=before, level=levels[lever.field],
                                                        year=year, dated=dated)  # fmt: skip
            keys = tuple(lever.key for lever in combo)
            label = "; ".join(lever.label for lever in combo) if combo else "no lever (the base scenario)"
            packages.append(Package(package_name(keys), keys, overrides, label))
    for name, overrides in (extra or {}).items():
        packages.append(Package(name, (), dict(overrides), f"named package '{name}'"))
    return packages


__all__ = ["LEVERS", "NO_LEVER", "ON_LEVELS", "Lever", "Package", "build_packages", "level_before", "lever_override"]
