"""Yearly paths for scenario-driven quantities: the US vacuum, US pressure, threat levels and the levers.

A schedule is one of four shapes (constant, step, ramp, explicit yearly values); a plain
number means a constant. The vacuum also carries a volatility: the US's erratic policy is a
mean-reverting random walk around its schedule (see
:func:`cohesion_sim.rules.us_policy.vacuum_deviation`). The levers (coordination, the
European pillar, partnerships) are schedules too, so a lever can be a dated intervention
(``{kind: step, before: 0.2, level: 0.7, year: 2027}``); the decision rule is a
:class:`DecisionRule` (``{before: consensus, after: qualified_majority, year: 2027}``).
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_serializer, model_validator

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Year = Annotated[int, Field(ge=1900, le=2200)]


class _Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def at(self, year: int) -> float:  # pragma: no cover - overridden
        raise NotImplementedError


class Constant(_Schedule):
    """The same level every year."""

    kind: Literal["constant"] = "constant"
    level: Unit

    def at(self, year: int) -> float:
        return self.level

    @model_serializer(mode="wrap")
    def _as_written(self, handler, info):
        # files and JSON get the plain number it can be given as (``coordination: 0.7``)
        return self.level if info.mode_is_json() else handler(self)


class Step(_Schedule):
    """``before`` until ``year``, then ``level`` from ``year`` on."""

    kind: Literal["step"] = "step"
    before: Unit
    level: Unit
    year: Year

    def at(self, year: int) -> float:
        return self.level if year >= self.year else self.before


class Ramp(_Schedule):
    """A straight line from ``from_value`` in ``from_year`` to ``to_value`` in ``to_year``, flat outside."""

    kind: Literal["ramp"] = "ramp"
    from_value: Unit
    to_value: Unit
    from_year: Year
    to_year: Year

    @model_validator(mode="after")
    def _years_in_order(self):
        if self.to_year <= self.from_year:
            raise ValueError(
                f"ramp must end after it starts: to_year {self.to_year} is not after from_year {self.from_year}"
            )
        return self

    def at(self, year: int) -> float:
        share = min(1.0, max(0.0, (year - self.from_year) / (self.to_year - self.from_year)))
        return self.from_value + share * (self.to_value - self.from_value)


class Values(_Schedule):
    """Explicit levels by year; each holds until the next listed year (the first also before it)."""

    kind: Literal["values"] = "values"
    values: dict[Year, Unit] = Field(min_length=1)

    def at(self, year: int) -> float:
        years = sorted(self.values)
        level = self.values[years[0]]
        for listed in years:
            if listed <= year:
                level = self.values[listed]
        return level


def _number_means_constant(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"kind": "constant", "level": value}
    return value


Schedule = Annotated[
    Union[Constant, Step, Ramp, Values],
    Field(discriminator="kind"),
    BeforeValidator(_number_means_constant),
]


RuleName = Literal["consensus", "qualified_majority"]


class DecisionRule(BaseModel):
    """The summit decision rule: ``before`` until ``year``, then ``after`` from ``year`` on; a plain name is constant."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    before: RuleName = "consensus"
    after: RuleName | None = None
    year: Year | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value):
        if isinstance(value, str):
            return {"before": value}
        return value

    @model_validator(mode="after")
    def _dated_needs_both(self):
        if (self.after is None) != (self.year is None):
            raise ValueError("a dated decision rule needs both 'after' and 'year' (or neither, for a constant rule)")
        return self

    def at(self, year: int) -> str:
        return self.after if self.year is not None and year >= self.year else self.before

    @model_serializer
    def _as_written(self):
        if self.year is None:
            return self.before
        return {"before": self.before, "after": self.after, "year": self.year}


class VacuumSchedule(BaseModel):
    """The US security vacuum: a schedule plus erratic deviations around it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Schedule = Field(default=Constant(level=0.3), description="the announced/structural level of withdrawal")
    volatility: float = Field(
        default=0.0, ge=0.0, le=0.5, description="yearly s.d. of erratic deviations from the path (sigma)"
    )
    reversion: float = Field(
        default=0.5, ge=0.0, le=1.0, description="share of last year's deviation that fades each year"
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value):
        # `vacuum: 0.3` and `vacuum: {kind: ramp, ...}` are both accepted.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return {"path": {"kind": "constant", "level": value}}
        if isinstance(value, dict) and "kind" in value:
            value = dict(value)
            extra = {k: value.pop(k) for k in ("volatility", "reversion") if k in value}
            return {"path": value, **extra}
        return value

    def at(self, year: int) -> float:
        return self.path.at(year)


class ThreatLevels(BaseModel):
    """Scenario levels tau_k(t) for each strategic direction."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    east: Schedule = Field(default=Constant(level=0.7), description="Russia and Belarus")
    south: Schedule = Field(default=Constant(level=0.3), description="Middle East, North Africa, terrorism")
    hybrid: Schedule = Field(default=Constant(level=0.4), description="cyber, drones, sabotage")

    def at(self, year: int) -> dict[str, float]:
        return {"east": self.east.at(year), "south": self.south.at(year), "hybrid": self.hybrid.at(year)}


DIRECTIONS = ("east", "south", "hybrid")


class Shock(BaseModel):
    """A dated jump in one direction's threat level, fading by ``persistence`` each later year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: Year
    direction: Literal["east", "south", "hybrid"]
    size: float = Field(ge=-1.0, le=1.0)
    persistence: float = Field(default=1.0, ge=0.0, le=1.0, description="share left after each further year")

    def at(self, year: int) -> float:
        if year < self.year:
            return 0.0
        return self.size * self.persistence ** (year - self.year)


def threat_levels(levels: ThreatLevels, shocks: tuple[Shock, ...] | list[Shock], year: int) -> list[float]:
    """tau_k(year) for east, south, hybrid: the schedules plus any shocks, clipped to [0, 1]."""
    tau = levels.at(year)
    for shock in shocks:
        tau[shock.direction] += shock.at(year)
    return [min(1.0, max(0.0, tau[k])) for k in DIRECTIONS]
