"""The sweep spec: a YAML file saying what to vary, how to sample it, how often, and what to keep.

A spec is validated like a scenario: every problem is one :class:`SweepSpecError` (a
:class:`~cohesion_sim.scenario_files.ScenarioError`) naming the file and the field. The
parameters are checked against the base scenario at once: each is set to its lowest and
highest value and the scenario is validated, so a typo or an out-of-range bound fails
before any run starts. See ``docs/sweeps.md`` for the reference.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, FiniteFloat, PrivateAttr, Tag, ValidationError, model_validator

from ..reporters import FINAL_METRICS
from ..safe_yaml import YamlLimitError, check_shape, quote
from ..scenario import Scenario
from ..scenario_files import ScenarioError, load_scenario, read_yaml_file, retired_hint

#: Final-year outputs a spec may ask for (the registry in cohesion_sim.reporters).
METRICS = FINAL_METRICS
#: Scenario fields every run of one batch must share (they set the years simulated and the data).
FIXED_FIELDS = ("start_year", "end_year", "data_year", "data_file", "title", "description", "seed")
#: Most values one ``values:`` list may hold (each is checked against the base scenario).
MAX_VALUES = 1000


class SweepSpecError(ScenarioError):
    """A sweep spec is invalid; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(_Strict):
    """Uniform between two bounds: ``{range: [low, high]}``; ``integer: true`` rounds to whole numbers."""

    range: tuple[FiniteFloat, FiniteFloat]
    integer: bool = False

    @model_validator(mode="after")
    def _ordered(self):
        if not self.range[0] < self.range[1]:
            raise ValueError(f"range [{self.range[0]:g}, {self.range[1]:g}] must have low < high")
        return self


class Choice(_Strict):
    """A list of values, equally likely: ``{values: [consensus, qualified_majority]}``."""

    values: list[Any] = Field(min_length=1, max_length=MAX_VALUES)


class Distribution(_Strict):
    """A probability distribution: uniform, normal (truncated with low/high), triangular or loguniform."""

    distribution: Literal["uniform", "normal", "triangular", "loguniform"]
    low: FiniteFloat | None = None
    high: FiniteFloat | None = None
    mean: FiniteFloat | None = None
    sd: FiniteFloat | None = Field(default=None, gt=0)
    mode: FiniteFloat | None = None

    @model_validator(mode="after")
    def _parameters(self):
        need = {
            "uniform": ("low", "high"),
            "loguniform": ("low", "high"),
            "triangular": ("low", "mode", "high"),
            "normal": ("mean", "sd"),
        }[self.distribution]
        missing = [name for name in need if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.distribution} distribution needs {', '.join(need)}; missing {', '.join(missing)}")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low {self.low:g} must be below high {self.high:g}")
        if self.distribution == "loguniform" and self.low <= 0:
            raise ValueError("a loguniform distribution needs low > 0")
        if self.distribution == "triangular" and not self.low <= self.mode <= self.high:
            raise ValueError(f"mode {self.mode:g} must lie between low and high")
        return self


def _parameter_kind(value) -> str | None:
    """Which shape a parameter entry has, from its keys."""
    if isinstance(value, BaseModel):
        return {Range: "range", Choice: "values", Distribution: "distribution"}.get(type(value))
    if isinstance(value, dict):
        for key in ("range", "values", "distribution"):
            if key in value:
                return key
    return None


Parameter = Annotated[
    Union[Annotated[Range, Tag("range")], Annotated[Choice, Tag("values")], Annotated[Distribution, Tag("distribution")]],
    Discriminator(
        _parameter_kind,
        custom_error_type="parameter_kind",
        custom_error_message="give {range: [low, high]}, {values: [...]} or "
        "{distribution: normal|uniform|triangular|loguniform, ...}",
    ),
]


class Design(_Strict):
    """How points are sampled.

    * ``grid``: full factorial; ``levels`` values per range or distribution, every listed value.
    * ``lhs``: ``samples`` points, Latin hypercube (scipy.stats.qmc).
    * ``sobol``: Saltelli/Sobol sampling (SALib) with base size ``samples`` (a power of 2);
      N (d + 2) points, or N (2d + 2) with ``second_order``.
    * ``morris``: ``samples`` trajectories on a ``levels``-level grid (SALib), N (d + 1) points.
    """

    method: Literal["grid", "lhs", "sobol", "morris"]
    samples: int | None = Field(default=None, ge=1, le=10_000_000)
    levels: int | None = Field(default=None, ge=2, le=1000)
    second_order: bool = False

    @model_validator(mode="after")
    def _sizes(self):
        if self.method in ("lhs", "sobol", "morris") and self.samples is None:
            raise ValueError(f"design '{self.method}' needs 'samples'")
        if self.method == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"sobol needs 'samples' to be a power of 2 (e.g. 256, 512, 1024), got {self.samples}")
        if self.method == "grid" and self.samples is not None:
            raise ValueError("a grid has no 'samples'; set 'levels' (values per range) instead")
        if self.method == "morris" and self.levels is not None and self.levels % 2:
            raise ValueError(f"morris needs an even number of 'levels' (e.g. 4 or 6), got {self.levels}")
        return self


class Outputs(_Strict):
    """What each run keeps: final-year metrics (default: all), and optionally yearly trajectories."""

    metrics: list[str] | None = None
    yearly: bool = False

    @model_validator(mode="after")
    def _known(self):
        for name in self.metrics or ():
            if name not in METRICS:
                hint = difflib.get_close_matches(name, METRICS, n=1)
                suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
                raise ValueError(f"unknown metric '{name}'{suggestion} Known: {', '.join(METRICS)}")
        return self

    @property
    def final_metrics(self) -> tuple[str, ...]:
        return tuple(self.metrics) if self.metrics else METRICS


class SweepSpec(_Strict):
    """A whole sweep: base scenario, parameters, design, replicates, seed root, outputs, chunk size."""

    title: str = "Sweep"
    description: str = ""
    base: str = "baseline"
    set: dict[str, Any] = Field(default_factory=dict)
    parameters: dict[str, Parameter] = Field(min_length=1)
    design: Design
    replicates: int = Field(default=1, ge=1, le=10_000)
    seed: int = Field(default=0, ge=0)
    common_random_numbers: bool = False
    outputs: Outputs = Field(default_factory=Outputs)
    chunk_size: int = Field(default=250, ge=1, le=100_000)
    _source: str = PrivateAttr(default="<sweep spec>")  # the file it was read from, for error messages

    @model_validator(mode="after")
    def _design_fits_parameters(self):
        for name, parameter in self.parameters.items():
            if name.split(".")[0] in FIXED_FIELDS:
                raise ValueError(f"parameter '{name}' cannot vary in a sweep; set it under 'set' or in the base scenario")
            if self.design.method == "grid" and not isinstance(parameter, Choice) and self.design.levels is None:
                raise ValueError(f"a grid needs 'design.levels' to sample the range or distribution of '{name}'")
        return self

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.parameters)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# ---------------------------------------------------------------------------- loading
def _describe(error: dict) -> str:
    loc = list(error["loc"])
    if len(loc) >= 3 and loc[0] == "parameters" and loc[2] in ("range", "values", "distribution"):
        del loc[2]  # the shape's tag, not a field (unless it is the field itself, which follows)
    field = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx", {})
    message = error["msg"].removeprefix("Value error, ")
    if not field:
        return message
    if kind == "extra_forbidden":
        return f"unknown field '{field}'"
    if kind == "missing":
        return f"field '{field}': required but missing"
    if kind == "too_short" and field == "parameters":
        return "field 'parameters': name at least one scenario field to vary"
    if kind == "literal_error":
        return f"field '{field}': {quote(value)} is not allowed; {message.replace('Input should be', 'use')}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(ctx.values()), None)
        sign = {"greater_than_equal": ">=", "less_than_equal": "<=", "greater_than": ">", "less_than": "<"}[kind]
        return f"field '{field}': {quote(value)} is out of range; allowed {sign} {bound}"
    if kind == "too_long" and field.endswith(".values"):
        return f"field '{field}': more than {MAX_VALUES} values; use a range or a distribution instead"
    return f"field '{field}': {message}" + ("" if isinstance(value, (dict, list)) else f" (got {quote(value)})")


def spec_from_dict(data: dict[str, Any], source: str = "<sweep spec>") -> SweepSpec:
    """Validate a mapping into a :class:`SweepSpec` and check its parameters against the base scenario.

    Every value is checked here, before any run: its type against the scenario field (a
    string among numbers, a boolean among integers, a schedule among numbers are refused),
    and its extreme values against the field's allowed range.
    """
    try:
        check_shape(data, "the sweep spec")
    except YamlLimitError as exc:
        raise SweepSpecError(f"{source}: {exc}") from None
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(error) for error in exc.errors()]
        shown = list(dict.fromkeys(problems))
        more = f"; and {len(shown) - 20} more" if len(shown) > 20 else ""
        raise SweepSpecError(f"{source}: " + "; ".join(shown[:20]) + more) from None
    spec._source = str(source)
    check_against_base(spec, source)
    return spec


def load_spec(spec: str | Path | dict | SweepSpec) -> SweepSpec:
    """A validated :class:`SweepSpec` from a YAML path, a mapping or a spec object.

    A relative ``base:`` path in a file is resolved against the file's folder. The file is
    read with the same limits as a scenario (size, nesting, aliases, duplicate keys).
    """
    if isinstance(spec, SweepSpec):
        return spec
    if isinstance(spec, dict):
        return spec_from_dict(spec)
    path = Path(spec)
    if not path.is_file():
        raise SweepSpecError(f"{path}: sweep spec file not found")
    try:
        data = read_yaml_file(path, "sweep spec")
    except ScenarioError as exc:
        raise SweepSpecError(str(exc)) from None
    base = data.get("base")
    if isinstance(base, str) and base.endswith((".yaml", ".yml")) and not Path(base).is_absolute():
        data["base"] = str((path.parent / base).resolve())
    return spec_from_dict(data, str(path))


def base_scenario(spec: SweepSpec) -> Scenario:
    """The base scenario with the spec's fixed ``set:`` overrides applied."""
    return load_scenario(spec.base, **spec.set)


def check_against_base(spec: SweepSpec, source: str) -> None:
    """Every parameter names a scenario field, its values have the field's type and its extreme values validate."""
    from .design import parameter_extremes

    try:
        base = base_scenario(spec)
    except ScenarioError as exc:
        where = "set" if spec.set and "override" in str(exc) else "base"
        raise SweepSpecError(f"{source}: field '{where}': {exc}") from None
    base_dict = base.model_dump()
    for name, parameter in spec.parameters.items():
        if _lookup(base_dict, name) is _MISSING:
            top = name.split(".")[0]
            hint = difflib.get_close_matches(top[:100], list(base_dict), n=1)
            suggestion = retired_hint(name, f"; did you mean '{hint[0]}'?" if hint and hint[0] != top else "")
            where = f" ('{top}' has fields {', '.join(base_dict[top])})" if isinstance(base_dict.get(top), dict) else ""
            raise SweepSpecError(f"{source}: field 'parameters.{quote(name)[1:-1]}': no such scenario field{suggestion}{where}")
        problem = value_type_problem(name, parameter, _lookup(base_dict, name))
        if problem:
            raise SweepSpecError(f"{source}: {problem}")
        tried = set()
        for value in parameter_extremes(parameter, _lookup(base_dict, name)):
            key = json.dumps(value, sort_keys=True, default=str)
            if key in tried:
                continue
            tried.add(key)
            try:
                load_scenario(base, **{name: value})
            except ScenarioError as exc:
                detail = str(exc).split(": ", 1)[-1]
                raise SweepSpecError(
                    f"{source}: field 'parameters.{name}': value {quote(value)} is invalid: {detail}"
                ) from None


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, (list, tuple)):
        return "list"
    return type(value).__name__


def _allowed_kinds(base) -> tuple[set[str], str]:
    """The kinds of value a field with this base value takes, and how to say it."""
    kind = _kind(base)
    if kind == "boolean":
        return {"boolean"}, "true or false"
    if kind == "integer":
        return {"integer"}, "whole numbers"
    if kind == "number":
        return {"integer", "number"}, "numbers"
    if kind == "text":
        return {"text"}, "text"
    if kind == "mapping":
        return {"integer", "number", "mapping"}, "mappings (or, for a schedule, numbers: constant schedules)"
    if kind == "list":
        return {"list"}, "lists"
    return {"integer", "number", "text", "boolean", "mapping", "list", "null"}, "any value"


def value_type_problem(name: str, parameter, base) -> str | None:
    """Why a parameter's values cannot fill the field ``name`` (whose base value is ``base``), or None.

    All values of one parameter must have one type, the field's: a column of results holds
    one type, and a string among numbers would fail when results are written, after the runs.
    """
    allowed, said = _allowed_kinds(base)
    if not isinstance(parameter, Choice):
        if _kind(base) in ("boolean", "text", "list"):
            shape = "range" if isinstance(parameter, Range) else "distribution"
            return (f"field 'parameters.{name}.{shape}': '{name}' takes {said}, not numbers; "
                    f"list them instead, e.g. values: [...]")  # fmt: skip
        return None
    kinds = [_kind(value) for value in parameter.values]
    for k, (value, kind) in enumerate(zip(parameter.values, kinds)):
        if kind not in allowed and kind != "null":  # null: validated against the field below
            return (f"field 'parameters.{name}.values[{k}]': {quote(value)} is {_a(kind)}, but '{name}' takes {said}; "
                    "all values of one parameter must have the field's type")  # fmt: skip
    families = {"number" if kind == "integer" and "number" in allowed else kind for kind in kinds} - {"null"}
    if len(families) > 1:
        first = kinds[0] if kinds[0] != "null" else next(kind for kind in kinds if kind != "null")
        k = next(i for i, kind in enumerate(kinds) if kind not in ("null", first)
                 and not ({kind, first} <= {"integer", "number"} and "number" in allowed))  # fmt: skip
        return (f"field 'parameters.{name}.values[{k}]': {quote(parameter.values[k])} is {_a(kinds[k])} among "
                f"{first} values; all values of one parameter must have one type")  # fmt: skip
    return None


def _a(kind: str) -> str:
    return {"integer": "an integer", "null": "null", "text": "text"}.get(kind, f"a {kind}")


_MISSING = object()


def _lookup(data: dict, dotted: str):
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def base_value(spec: SweepSpec, name: str):
    """The base scenario's value of a parameter (tells integers from floats)."""
    return _lookup(base_scenario(spec).model_dump(), name)


def spec_hash(spec: SweepSpec) -> str:
    """Fingerprint of what the results depend on: the spec and the fully resolved base scenario."""
    payload = {"spec": spec.to_json(), "base": base_scenario(spec).model_dump(mode="json")}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


__all__ = ["METRICS", "Choice", "Design", "Distribution", "Outputs", "Range", "SweepSpec", "SweepSpecError",
           "base_scenario", "load_spec", "spec_from_dict", "spec_hash"]  # fmt: skip
