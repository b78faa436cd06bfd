"""Reading scenarios: YAML files, ``extends:``, keyword overrides, and errors a person can act on.

Every error is a :class:`ScenarioError` whose message names the file and the field and says
what is allowed, e.g. ``scenarios/x.yaml: field 'vacuum.path.level': 1.5 is out of range;
allowed 0 to 1``.
"""

from __future__ import annotations

import copy
import difflib
import os
import re
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .scenario import Scenario

#: Built-in scenarios: the repository's top-level ``scenarios/`` folder, reached through the package's
#: ``scenarios`` link (a wheel carries the files themselves). ``COHESION_SIM_SCENARIOS`` overrides it.
SCENARIO_DIR = Path(os.environ.get("COHESION_SIM_SCENARIOS", Path(__file__).resolve().parent / "scenarios"))
DEFAULT_SCENARIO = "baseline"


from .errors import ScenarioError  # noqa: E402  (defined beside the core, which raises it too)


# ---------------------------------------------------------------------------- finding files
def available_scenarios() -> list[str]:
    """Names of the built-in scenarios."""
    if not SCENARIO_DIR.is_dir():
        return []
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def scenario_path(name_or_path: str | Path) -> Path:
    """Resolve a built-in scenario name or a path to a YAML file."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.is_file():
            raise ScenarioError(f"{candidate}: scenario file not found")
        return candidate
    path = SCENARIO_DIR / f"{name_or_path}.yaml"
    if path.is_file():
        return path
    names = available_scenarios()
    hint = difflib.get_close_matches(str(name_or_path), names, n=1)
    suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
    raise ScenarioError(
        f"unknown scenario '{name_or_path}'{suggestion} Available: {', '.join(names) or '(none found)'}; "
        "or give a path to a .yaml file"
    )


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8 YAML") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"{path}: YAML syntax error{where}: {problem}") from None
    if data is None:
        raise ScenarioError(f"{path}: the file is empty; a scenario needs at least a title and a description")
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a scenario file must be a mapping of field: value, got {type(data).__name__}")
    return data


def read_scenario_dict(name_or_path: str | Path, _seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], Path]:
    """The raw, merged mapping of a scenario file with its ``extends:`` chain applied."""
    path = scenario_path(name_or_path)
    resolved = path.resolve()
    if resolved in _seen:
        chain = " -> ".join(p.name for p in (*_seen, resolved))
        raise ScenarioError(f"{path}: field 'extends': circular extends ({chain})")
    data = _read_yaml(path)
    missing = [key for key in ("title", "description") if not str(data.get(key) or "").strip()]
    if missing and not _seen:
        raise ScenarioError(
            f"{path}: field '{missing[0]}': every scenario file needs its own title and description "
            "(plain language for students), even when it extends another"
        )
    if isinstance(data.get("data_file"), str) and not Path(data["data_file"]).is_absolute():
        data["data_file"] = str((path.parent / data["data_file"]).resolve())  # relative to the scenario file
    parent = data.pop("extends", None)
    if parent is None:
        return data, path
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: field 'extends': must be a scenario name or a path, got {parent!r}")
    parent_ref = parent
    if parent.endswith((".yaml", ".yml")) and not Path(parent).is_absolute():
        parent_ref = str(path.parent / parent)
    try:
        base, _ = read_scenario_dict(parent_ref, (*_seen, resolved))
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: field 'extends': {exc}") from None
    return deep_merge(base, data), path


# ---------------------------------------------------------------------------- merging
def deep_merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """``update`` over ``base``: mappings merge key by key, everything else is replaced."""
    merged = copy.deepcopy(base)
    for key, value in update.items():
        old = merged.get(key)
        # a schedule of another kind replaces the old one instead of mixing fields of both
        same_kind = not (isinstance(value, dict) and isinstance(old, dict) and "kind" in value and value.get("kind") != old.get("kind"))
        if isinstance(value, dict) and isinstance(old, dict) and same_kind:
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def nest_overrides(overrides: dict[str, Any]) -> dict[str, Any]:
    """``{"vacuum.volatility": 0.2}`` -> ``{"vacuum": {"volatility": 0.2}}``."""
    nested: dict[str, Any] = {}
    for key, value in overrides.items():
        parts = key.split(".")
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ScenarioError(f"override '{key}': '{part}' is set both as a value and as a group")
        node[parts[-1]] = value
    return nested


def parse_override(text: str) -> tuple[str, Any]:
    """``"coordination=0.8"`` -> ``("coordination", 0.8)``; the value is read as YAML (safe_load)."""
    if "=" not in text:
        raise ScenarioError(f"--set '{text}': expected key=value, e.g. --set coordination=0.8")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key:
        raise ScenarioError(f"--set '{text}': the key before '=' is empty")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return key, value


# ---------------------------------------------------------------------------- validation
def _all_field_names(model: type[BaseModel], seen=None) -> set[str]:
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for field in model.model_fields.values():
        for sub in _models_in(field.annotation):
            names |= _all_field_names(sub, seen)
    return names


def _models_in(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for arg in typing.get_args(annotation):
        found += _models_in(arg)
    return found


def _field_bounds(loc: tuple) -> tuple[Any, Any] | None:
    """(ge, le) of the field at a pydantic error location, walking nested models and unions."""
    candidates: list[Any] = [Scenario]
    bounds = None
    for part in loc:
        if isinstance(part, int):
            continue
        next_candidates = []
        for model in candidates:
            for sub in _models_in(model) if not isinstance(model, type) else [model]:
                if part in sub.model_fields:
                    info = sub.model_fields[part]
                    ge = le = None
                    for meta in info.metadata:
                        ge = getattr(meta, "ge", ge)
                        le = getattr(meta, "le", le)
                    for arg in typing.get_args(info.annotation):
                        for meta in getattr(arg, "__metadata__", ()):
                            ge = getattr(meta, "ge", ge)
                            le = getattr(meta, "le", le)
                    bounds = (ge, le)
                    next_candidates.append(info.annotation)
        if not next_candidates:
            # a discriminator tag such as 'ramp' in ('vacuum', 'path', 'ramp', 'to_value'): keep the unions
            continue
        candidates = next_candidates
    return bounds


_SCHEDULE_TAGS = {"constant", "step", "ramp", "values"}


def _field_label(loc: tuple) -> str:
    """('vacuum', 'path', 'ramp', 'to_value') -> 'vacuum.path.to_value'; list indices as [k]."""
    shown: list[str] = []
    for k, part in enumerate(loc):
        is_tag = part in _SCHEDULE_TAGS and k + 1 < len(loc) and loc[k + 1] != part
        if is_tag:
            continue  # pydantic's discriminator tag, not a field the user wrote
        shown.append(f"[{part}]" if isinstance(part, int) else str(part))
    return ".".join(shown).replace(".[", "[") or "(top level)"


def _allowed(loc: tuple, ctx: dict) -> str:
    low, high = _field_bounds(loc) or (None, None)
    if low is None and high is None:
        low, high = ctx.get("ge", ctx.get("gt")), ctx.get("le", ctx.get("lt"))
    if low is not None and high is not None:
        return f"allowed {low:g} to {high:g}"
    return f"allowed >= {low:g}" if low is not None else f"allowed <= {high:g}"


def _describe(error: dict) -> str:
    """One readable sentence for one pydantic error; never raises."""
    loc = tuple(error["loc"])
    field = _field_label(loc)
    try:
        return _describe_kind(error, loc, field)
    except Exception:  # a message must never turn into a traceback
        return f"field '{field}': {error.get('msg', 'invalid value')}"


def _describe_kind(error: dict, loc: tuple, field: str) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        names = _all_field_names(Scenario) | {"extends"}
        hint = difflib.get_close_matches(str(loc[-1]), sorted(names), n=1, cutoff=0.6)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
        return f"unknown field '{field}'{suggestion}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"field '{field}': {value!r} is out of range; {_allowed(loc, error.get('ctx', {}))}"
    if kind == "literal_error":
        return f"field '{field}': {value!r} is not allowed; {error['msg'].replace('Input should be', 'use')}"
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag")
        return f"field '{field}': schedule kind {tag!r} is unknown; use constant, step, ramp or values"
    if kind == "union_tag_not_found":
        return f"field '{field}': a schedule needs 'kind' (constant, step, ramp or values) or a plain number"
    if kind == "missing":
        return f"field '{field}': required but missing"
    message = error["msg"].removeprefix("Value error, ")
    named = re.match(r"^([A-Za-z_][\w.\[\]]*): (.*)$", message)
    if named and (not loc or kind == "value_error"):
        prefix = f"{field}." if loc else ""
        return f"field '{prefix}{named.group(1)}': {named.group(2)}"
    return f"field '{field}': {message} (got {value!r})" if not isinstance(value, dict) else f"field '{field}': {message}"


def validate_scenario(data: dict[str, Any], source: str | Path = "<scenario>") -> Scenario:
    """Validate a raw mapping into a :class:`Scenario`, raising one :class:`ScenarioError` listing every problem.

    Fields that refer to the data (``data_file``, the allies named in ``disputes``) are checked
    against it here, so their errors name the scenario file too.
    """
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(err) for err in exc.errors()]
        raise ScenarioError(f"{source}: " + "; ".join(dict.fromkeys(problems))) from None
    _check_against_data(scenario, source)
    return scenario


def _check_against_data(scenario: Scenario, source) -> None:
    from .dataset import DataError, load_allies

    try:
        codes = {ally.iso3 for ally in load_allies(scenario.data_file)}
    except DataError as exc:
        raise ScenarioError(f"{source}: field 'data_file': {exc}") from None
    for k, dispute in enumerate(scenario.disputes):
        unknown = [code for code in dispute.pair if code.upper() not in codes]
        if unknown:
            raise ScenarioError(
                f"{source}: field 'disputes[{k}].pair': {', '.join(unknown)} is not an ally in the data; "
                f"use iso3 codes such as {', '.join(sorted(codes)[:5])}"
            )


def load_scenario(scenario: str | Path | Scenario | None = None, **overrides) -> Scenario:
    """A validated :class:`Scenario` from a name, a path or an object, with keyword overrides applied.

    Overrides use field names (``coordination=0.8``) or dotted paths into groups
    (``**{"vacuum.volatility": 0.2}``). A plain number for a schedule (``vacuum=0.8``) means
    a constant schedule.
    """
    if isinstance(scenario, Scenario):
        data, source = scenario.model_dump(), "<scenario object>"
    else:
        data, path = read_scenario_dict(scenario if scenario is not None else DEFAULT_SCENARIO)
        source = str(path)
    if not overrides:
        return validate_scenario(data, source)
    base = validate_scenario(data, source).model_dump()
    names = ", ".join(sorted(overrides))
    return validate_scenario(deep_merge(base, nest_overrides(overrides)), f"{source} with overrides ({names})")


def scenario_to_yaml(scenario: Scenario) -> str:
    """The fully resolved scenario as YAML (what ``cohesion-sim scenarios show`` prints)."""
    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
