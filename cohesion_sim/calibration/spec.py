"""The calibration spec: which constants to fit, their priors, the data to fit them to, and the budget.

A spec is YAML, validated like a sweep spec: every problem is one :class:`CalibrationSpecError`
naming the file and the field. Each constant is named by its scenario field; its prior is
uniform over the field's documented range (the ``ge``/``le`` bounds in
:mod:`cohesion_sim.scenario`) unless the spec narrows it with ``{range: [low, high]}``.
Built-in specs live in ``scenarios/calibration/`` (``default`` is what ``cohesion-sim calibrate``
runs). See ``docs/calibration.md``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..scenario import Scenario
from ..scenario_files import SCENARIO_DIR, ScenarioError, _read_yaml, load_scenario, retired_hint
from .statistics import STATISTICS, YEARS_NEEDED

SPEC_DIR = SCENARIO_DIR / "calibration"
#: The spec ``cohesion-sim calibrate`` runs when none is named.
DEFAULT_SPEC = "default"
#: Scenario fields a calibration cannot vary: they fix the simulated years and the data.
FIXED_FIELDS = ("start_year", "end_year", "data_year", "data_file", "title", "description", "seed")


class CalibrationSpecError(ScenarioError):
    """A calibration spec is invalid; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Prior(_Strict):
    """A uniform prior: ``{range: [low, high]}``, inside the field's documented range; empty means that whole range."""

    range: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _ordered(self):
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"range [{self.range[0]:g}, {self.range[1]:g}] must have low < high")
        return self


class Budget(_Strict):
    """How much ABC-SMC may simulate: particles per generation, generations, and stopping rules."""

    population: int = Field(default=500, ge=10, le=100_000)
    generations: int = Field(default=8, ge=1, le=100)
    max_simulations: int = Field(default=200_000, ge=10)
    min_acceptance: float = Field(default=0.01, ge=0, le=1)


class CalibrationSpec(_Strict):
    """A whole calibration: base scenario, constants and priors, statistics and weights, budget, seed."""

    title: str = "Calibration"
    description: str = ""
    base: str = "hindcast_2014"
    set: dict[str, Any] = Field(default_factory=dict)
    parameters: dict[str, Prior] = Field(min_length=1)
    statistics: dict[str, float] = Field(default_factory=lambda: {name: 1.0 for name in STATISTICS}, min_length=1)
    budget: Budget = Field(default_factory=Budget)
    quick: Budget = Field(default_factory=lambda: Budget(population=100, generations=3, max_simulations=3000))
    seed: int = Field(default=0, ge=0)
    chunk_size: int = Field(default=250, ge=1, le=100_000)

    @field_validator("parameters", mode="before")
    @classmethod
    def _names_or_mapping(cls, value):
        # a plain list of names means "each over its documented range"; an empty entry too
        if isinstance(value, list):
            if not all(isinstance(name, str) for name in value):
                raise ValueError("a list of parameters must hold scenario field names")
            return {name: {} for name in value}
        if isinstance(value, dict):
            return {name: ({} if prior is None else prior) for name, prior in value.items()}
        return value

    @model_validator(mode="after")
    def _known_statistics(self):
        for name, weight in self.statistics.items():
            if name not in STATISTICS:
                hint = difflib.get_close_matches(name, STATISTICS, n=1)
                suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
                raise ValueError(f"statistics: unknown statistic '{name}'{suggestion} Known: {', '.join(STATISTICS)}")
            if not weight >= 0:
                raise ValueError(f"statistics.{name}: weight {weight} must be >= 0")
        if not any(weight > 0 for weight in self.statistics.values()):
            raise ValueError("statistics: at least one statistic needs a positive weight")
        for name in self.parameters:
            if name in FIXED_FIELDS:
                raise ValueError(f"parameters.{name}: cannot be calibrated; it fixes the simulated years or the data")
        return self

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.parameters)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def documented_range(name: str) -> tuple[float, float] | None:
    """The ``ge``/``le`` bounds of a numeric Scenario field, or None if it has none (or is not numeric)."""
    info = Scenario.model_fields.get(name)
    if info is None:
        return None
    low = high = None
    for item in info.metadata:
        low = getattr(item, "ge", low) if getattr(item, "ge", None) is not None else low
        high = getattr(item, "le", high) if getattr(item, "le", None) is not None else high
    if low is None or high is None:
        return None
    return float(low), float(high)


def priors(spec: CalibrationSpec) -> dict[str, tuple[float, float]]:
    """Each constant's uniform prior bounds: the spec's range, else the documented range."""
    out = {}
    for name, prior in spec.parameters.items():
        out[name] = tuple(prior.range) if prior.range is not None else documented_range(name)
    return out


def base_scenario(spec: CalibrationSpec) -> Scenario:
    """The base scenario with the spec's fixed ``set:`` overrides applied."""
    return load_scenario(spec.base, **spec.set)


def _describe(error: dict) -> str:
    loc = [str(p) for p in error["loc"]]
    field = ".".join(loc)
    message = error["msg"].removeprefix("Value error, ")
    if not field:
        return message
    if error["type"] == "extra_forbidden":
        return f"unknown field '{field}'"
    if error["type"] == "missing":
        return f"field '{field}': required but missing"
    if error["type"] == "too_short" and field == "parameters":
        return "field 'parameters': name at least one scenario field to calibrate"
    return f"field '{field}': {message}"


def check_against_base(spec: CalibrationSpec, source: str) -> None:
    """Each parameter is a numeric scenario field with a prior inside its documented range; the years cover the
    statistics."""
    try:
        base = base_scenario(spec)
    except ScenarioError as exc:
        where = "set" if spec.set and "override" in str(exc) else "base"
        raise CalibrationSpecError(f"{source}: field '{where}': {exc}") from None
    fields = Scenario.model_fields
    for name, prior in spec.parameters.items():
        if name not in fields:
            hint = difflib.get_close_matches(name, list(fields), n=1)
            suggestion = retired_hint(name, f"; did you mean '{hint[0]}'?" if hint else "")
            raise CalibrationSpecError(f"{source}: field 'parameters.{name}': no such scenario field{suggestion}")
        value = getattr(base, name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CalibrationSpecError(
                f"{source}: field 'parameters.{name}': not a numeric constant (it is {type(value).__name__}); "
                "calibrate numeric fields only"
            )
        documented = documented_range(name)
        if documented is None and prior.range is None:
            raise CalibrationSpecError(
                f"{source}: field 'parameters.{name}': has no documented range; give {{range: [low, high]}}"
            )
        if prior.range is not None and documented is not None:
            low, high = prior.range
            if low < documented[0] or high > documented[1]:
                raise CalibrationSpecError(
                    f"{source}: field 'parameters.{name}': range [{low:g}, {high:g}] leaves the documented range "
                    f"[{documented[0]:g}, {documented[1]:g}]"
                )
    missing = [
        f"{name} needs year {year}" for name in spec.statistics if spec.statistics[name] > 0
        for year in YEARS_NEEDED[name] if not base.start_year <= year <= base.end_year
    ]  # fmt: skip
    if missing:
        raise CalibrationSpecError(
            f"{source}: field 'statistics': the base scenario simulates {base.start_year}-{base.end_year}, but "
            + "; ".join(missing)
        )
    if base.start_year != 2014 or base.resolved_data_year != 2014:
        raise CalibrationSpecError(
            f"{source}: field 'base': calibration starts from the 2014 data (start_year 2014, data_year 2014); "
            f"'{spec.base}' starts in {base.start_year} from {base.resolved_data_year} data"
        )


def spec_from_dict(data: dict[str, Any], source: str = "<calibration spec>") -> CalibrationSpec:
    """Validate a mapping into a :class:`CalibrationSpec` and check it against its base scenario."""
    try:
        spec = CalibrationSpec.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(error) for error in exc.errors()]
        raise CalibrationSpecError(f"{source}: " + "; ".join(dict.fromkeys(problems))) from None
    check_against_base(spec, source)
    return spec


def spec_path(name_or_path: str | Path) -> Path:
    """A built-in spec name (``default``) or a path to a YAML file."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return candidate
    builtin = SPEC_DIR / f"{name_or_path}.yaml"
    if builtin.is_file():
        return builtin
    known = ", ".join(sorted(p.stem for p in SPEC_DIR.glob("*.yaml")))
    raise CalibrationSpecError(
        f"{name_or_path}: no such calibration spec; built-in specs: {known}, or give a .yaml path"
    )


def load_calibration_spec(spec: str | Path | dict | CalibrationSpec | None = None) -> CalibrationSpec:
    """A validated :class:`CalibrationSpec` from a built-in name, a YAML path, a mapping or a spec object."""
    if isinstance(spec, CalibrationSpec):
        return spec
    if isinstance(spec, dict):
        return spec_from_dict(spec)
    path = spec_path(spec if spec is not None else DEFAULT_SPEC)
    if not path.is_file():
        raise CalibrationSpecError(f"{path}: calibration spec file not found")
    try:
        data = _read_yaml(path)
    except ScenarioError as exc:
        raise CalibrationSpecError(str(exc).replace("a scenario", "a calibration spec")) from None
    base = data.get("base")
    if isinstance(base, str) and base.endswith((".yaml", ".yml")) and not Path(base).is_absolute():
        data["base"] = str((path.parent / base).resolve())
    return spec_from_dict(data, str(path))


def spec_hash(spec: CalibrationSpec) -> str:
    """Fingerprint of what a calibration depends on: the spec and the fully resolved base scenario."""
    payload = {"spec": spec.to_json(), "base": base_scenario(spec).model_dump(mode="json")}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


__all__ = [
    "DEFAULT_SPEC", "Budget", "CalibrationSpec", "CalibrationSpecError", "Prior", "base_scenario",
    "documented_range", "load_calibration_spec", "priors", "spec_hash",
]  # fmt: skip
