"""The levers spec: base scenario, lever levels and start year, named packages, futures, replicates, threshold.

Every field has a default, so ``cohesion-sim levers --out DIR`` needs no file. A YAML spec
changes what it names; every problem is one :class:`LeversSpecError` naming the file and the
field. See ``docs/levers.md`` and ``scenarios/sweeps/levers.yaml``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..scenario_files import SCENARIO_DIR, ScenarioError, _read_yaml, load_scenario
from .packages import LEVERS, ON_LEVELS

LEVER_FIELDS = tuple(lever.field for lever in LEVERS)
#: Scenario fields every future sets, and fields every run shares: packages cannot set them.
FUTURE_FIELDS = ("vacuum", "pressure", "threat")
FIXED_FIELDS = ("start_year", "end_year", "data_year", "data_file")
#: Spec fields that change only the analysis, not the runs: a finished folder can be re-analysed with new values.
ANALYSIS_ONLY = ("title", "description", "threshold")


class LeversSpecError(ScenarioError):
    """A levers spec is invalid; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Interval = tuple[float, float]


class FutureRanges(_Strict):
    """The range each factor of a future is sampled over (see :mod:`.futures`)."""

    vacuum_level: Interval = (0.1, 0.9)
    vacuum_year: tuple[int, int] = (2026, 2033)
    shapes: list[Literal["step", "ramp"]] = Field(default_factory=lambda: ["step", "ramp"], min_length=1)
    volatility: Interval = (0.0, 0.3)
    pressure: Interval = (0.2, 0.9)
    east_threat: Interval = (0.5, 1.0)
    south_threat: Interval = (0.2, 0.6)

    @model_validator(mode="after")
    def _ordered(self):
        for name in ("vacuum_level", "vacuum_year", "volatility", "pressure", "east_threat", "south_threat"):
            low, high = getattr(self, name)
            if low > high:
                raise ValueError(f"{name}: [{low:g}, {high:g}] must have low <= high")
            if name != "vacuum_year" and not (0 <= low and high <= (0.5 if name == "volatility" else 1)):
                allowed = "0 to 0.5" if name == "volatility" else "0 to 1"
                raise ValueError(f"{name}: [{low:g}, {high:g}] is out of range; allowed {allowed}")
        return self


class LeverLevels(_Strict):
    """The level each lever is switched on to (off levers keep the base scenario's value)."""

    coordination: float = Field(ON_LEVELS["coordination"], ge=0, le=1)
    decision_rule: Literal["qualified_majority", "consensus"] = ON_LEVELS["decision_rule"]
    pillar_coordination: float = Field(ON_LEVELS["pillar_coordination"], ge=0, le=1)
    partnerships: float = Field(ON_LEVELS["partnerships"], ge=0, le=1)


class LeversSpec(_Strict):
    """A whole robustness analysis."""

    title: str = "Which levers make the alliance robust to US unpredictability"
    description: str = ""
    base: str = "baseline"
    set: dict[str, Any] = Field(default_factory=dict)
    levers: LeverLevels = Field(default_factory=LeverLevels)
    start_year: int | None = Field(2026, ge=1900, le=2200, description="year the levers take effect")
    packages: dict[str, dict[str, Any]] = Field(default_factory=dict, description="extra named packages")
    futures: int = Field(500, ge=2, le=1_000_000)
    design: Literal["lhs", "random"] = "lhs"
    ranges: FutureRanges = Field(default_factory=FutureRanges)
    posterior: str | None = Field("default", description="parameter draws: default (shipped), panel_only, none, or a file")
    replicates: int = Field(2, ge=1, le=1000)
    seed: int = Field(0, ge=0)
    # 0.7: about the baseline's 2024 cohesion (0.69), so a package "holds" when the alliance ends the run at least
    # as cohesive as it started. Model 2.0 has no absorbing collapse, so the earlier 0.5 was met in every future.
    threshold: float = Field(0.7, ge=0, le=1, description="cohesion a package must keep in a future (satisficing)")
    chunk_futures: int = Field(16, ge=1, le=100_000, description="futures per chunk (each chunk runs every package)")

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _describe(error: dict) -> str:
    field = ".".join(str(p) for p in error["loc"])
    kind, value = error["type"], error.get("input")
    message = error["msg"].removeprefix("Value error, ")
    if not field:
        return message
    if kind == "extra_forbidden":
        return f"unknown field '{field}'"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = next(iter(error.get("ctx", {}).values()), None)
        return f"field '{field}': {value!r} is out of range; allowed {'>=' if 'greater' in kind else '<='} {bound}"
    if kind == "literal_error":
        return f"field '{field}': {value!r} is not allowed; {message.replace('Input should be', 'use')}"
    return f"field '{field}': {message}" + ("" if isinstance(value, (dict, list)) else f" (got {value!r})")


def spec_from_dict(data: dict[str, Any], source: str = "<levers spec>", posterior: str | None = None) -> LeversSpec:
    """Validate a mapping into a :class:`LeversSpec` and check it against its base scenario."""
    if posterior is not None:
        data = {**data, "posterior": posterior}
    try:
        spec = LeversSpec.model_validate(data)
    except ValidationError as exc:
        raise LeversSpecError(f"{source}: " + "; ".join(dict.fromkeys(_describe(e) for e in exc.errors()))) from None
    check_spec(spec, source)
    return spec


def load_levers_spec(spec: str | Path | dict | LeversSpec | None = None, posterior: str | None = None) -> LeversSpec:
    """A validated spec from a YAML path, a mapping, a spec object, or None (every default)."""
    if isinstance(spec, LeversSpec):
        return spec if posterior is None else spec_from_dict(spec.to_json(), posterior=posterior)
    if spec is None:
        return spec_from_dict({}, posterior=posterior)
    if isinstance(spec, dict):
        return spec_from_dict(spec, posterior=posterior)
    path = Path(spec)
    builtin = SCENARIO_DIR / "levers" / f"{spec}.yaml"
    if not path.is_file() and not path.suffix and builtin.is_file():
        path = builtin  # a built-in spec by name, e.g. "default"
    if not path.is_file():
        names = sorted(p.stem for p in (SCENARIO_DIR / "levers").glob("*.yaml"))
        raise LeversSpecError(f"{path}: levers spec file not found (built-in specs: {', '.join(names) or 'none'})")
    try:
        data = _read_yaml(path)
    except ScenarioError as exc:
        raise LeversSpecError(str(exc)) from None
    for key in ("base", "posterior"):  # a relative file or folder is read beside the spec
        value = data.get(key)
        if isinstance(value, str) and not Path(value).is_absolute() and (path.parent / value).exists():
            data[key] = str((path.parent / value).resolve())
    return spec_from_dict(data, str(path), posterior)


def base_scenario(spec: LeversSpec):
    return load_scenario(spec.base, **spec.set)


def check_spec(spec: LeversSpec, source: str) -> None:
    """The base scenario loads, the years fit it, and each named package and the posterior validate."""
    try:
        base = base_scenario(spec)
    except ScenarioError as exc:
        raise LeversSpecError(f"{source}: field '{'set' if spec.set else 'base'}': {exc}") from None
    low, high = spec.ranges.vacuum_year
    if low <= base.start_year or high > base.end_year:
        raise LeversSpecError(
            f"{source}: field 'ranges.vacuum_year': [{low}, {high}] must lie after the base scenario's start year "
            f"{base.start_year} and no later than its end year {base.end_year}"
        )
    if spec.start_year is not None and spec.start_year > base.end_year:
        raise LeversSpecError(f"{source}: field 'start_year': {spec.start_year} is after the end year {base.end_year}")
    for name, overrides in spec.packages.items():
        if not overrides:
            raise LeversSpecError(f"{source}: field 'packages.{name}': name at least one scenario field to set")
        for key in overrides:
            top = key.split(".")[0]
            if top in FUTURE_FIELDS or top in FIXED_FIELDS:
                why = "the futures set the US stance and the threat" if top in FUTURE_FIELDS else "every run shares it"
                raise LeversSpecError(f"{source}: field 'packages.{name}.{key}': a package cannot set it ({why}); "
                                      "set it under 'set' or in the base scenario")  # fmt: skip
        try:
            load_scenario(base, **overrides)
        except ScenarioError as exc:
            raise LeversSpecError(f"{source}: field 'packages.{name}': {str(exc).split(': ', 1)[-1]}") from None
    load_posterior(spec.posterior, base, source)


def load_posterior(source: str | Path | None, base=None, where: str = "<levers spec>"):
    """The parameter draws futures sample from, read by the one posterior loader
    (:func:`cohesion_sim.calibration.posterior.load_posterior`: ``default``, ``panel_only``, ``none``,
    a calibration folder, a CSV or Parquet file), or None for ``none``.

    A column that fixes the simulated years or the data, or that is a lever, is an error:
    the futures vary what the world does, the packages what the allies choose.
    """
    from ..calibration.posterior import PosteriorError
    from ..calibration.posterior import load_posterior as read_posterior

    try:
        posterior = read_posterior(source)
    except PosteriorError as exc:
        raise LeversSpecError(f"{where}: field 'posterior': {exc}") from None
    if posterior is None:
        return None
    fixed = [c for c in posterior.names if c in FIXED_FIELDS]
    if fixed:
        raise LeversSpecError(f"{where}: field 'posterior': {posterior.source}: column '{fixed[0]}' cannot vary between runs")
    levers = [c for c in posterior.names if c in LEVER_FIELDS]
    if levers:
        raise LeversSpecError(
            f"{where}: field 'posterior': {posterior.source}: column '{levers[0]}' is a lever, not an uncertainty"
        )
    if base is not None:
        first = posterior.draws.iloc[0]
        try:
            load_scenario(base, **{c: first[c].item() for c in posterior.names})
        except ScenarioError as exc:
            raise LeversSpecError(f"{where}: field 'posterior': {posterior.source}: {str(exc).split(': ', 1)[-1]}") from None
    return posterior


def posterior_file(source: str | None) -> Path | None:
    """The file behind a posterior source (``default`` is the shipped CSV), or None for no posterior."""
    from ..calibration.posterior import load_posterior as read_posterior

    posterior = read_posterior(source)
    return None if posterior is None else Path(posterior.source).resolve()


def posterior_digest(source: str | None) -> str | None:
    path = posterior_file(source)
    return None if path is None else hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def spec_hash(spec: LeversSpec, dated: bool) -> str:
    """Fingerprint of what the runs depend on: the spec less :data:`ANALYSIS_ONLY`, the base scenario, the posterior."""
    runs = {k: v for k, v in spec.to_json().items() if k not in ANALYSIS_ONLY}
    payload = {"spec": runs, "base": base_scenario(spec).model_dump(mode="json"), "dated": dated,
               "posterior": posterior_digest(spec.posterior)}  # fmt: skip
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:16]


__all__ = ["FutureRanges", "LeverLevels", "LeversSpec", "LeversSpecError", "base_scenario", "load_levers_spec",
           "load_posterior", "spec_from_dict", "spec_hash"]  # fmt: skip
