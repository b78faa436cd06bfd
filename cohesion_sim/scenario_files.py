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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .safe_yaml import MAX_FILE_BYTES, YamlLimitError, check_shape, load_yaml, one_line, quote
from .scenario import ConsistencyError, Scenario

#: Built-in scenarios: the repository's top-level ``scenarios/`` folder, reached through the package's
#: ``scenarios`` link (a wheel carries the files themselves). ``COHESION_SIM_SCENARIOS`` overrides it.
SCENARIO_DIR = Path(os.environ.get("COHESION_SIM_SCENARIOS", Path(__file__).resolve().parent / "scenarios"))
DEFAULT_SCENARIO = "baseline"
#: Longest ``extends:`` chain followed (a variant of a variant of ... the baseline).
MAX_EXTENDS = 32
#: Most dotted parts in an override key (``vacuum.path.level`` has 3).
MAX_OVERRIDE_PARTS = 8
#: Most problems one error message lists (then "and N more").
MAX_PROBLEMS_SHOWN = 20
#: Longest error message (characters); anything longer is cut.


from .errors import ScenarioError  # noqa: E402  (defined beside the core, which raises it too)


# ---------------------------------------------------------------------------- finding files
def available_scenarios() -> list[str]:
    """Names of the built-in scenarios."""
    if not SCENARIO_DIR.is_dir():
        return []
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def scenario_path(name_or_path: str | Path) -> Path:
    """Resolve a built-in scenario name or a path to a YAML file."""
    if "\x00" in str(name_or_path):
        raise ScenarioError(f"{quote(str(name_or_path))}: a scenario name or path cannot hold a NUL character")
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
        f"unknown scenario {quote(str(name_or_path))}{suggestion} Available: {', '.join(names) or '(none found)'}; "
        "or give a path to a .yaml file"
    )


def read_yaml_file(path: Path, what: str = "scenario") -> dict[str, Any]:
    """The mapping in a YAML file, read with :func:`~cohesion_sim.safe_yaml.load_yaml` (size, depth, alias and duplicate-key limits)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(f"{path}: {size:,} bytes is larger than the {MAX_FILE_BYTES:,} a {what} file may have")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8 YAML") from None
    try:
        data = load_yaml(text)
    except YamlLimitError as exc:
        raise ScenarioError(f"{path}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"{path}: YAML syntax error{where}: {problem}") from None
    if data is None:
        needs = "at least a title and a description, or extends: and one field" if what == "scenario" else "its fields"
        raise ScenarioError(f"{path}: the file is empty; a {what} needs {needs}")
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a {what} file must be a mapping of field: value, got {type(data).__name__}")
    bad_keys = [key for key in data if not isinstance(key, str)]
    if bad_keys:
        raise ScenarioError(f"{path}: field names must be text, got {quote(bad_keys[0])}")
    return data


_read_yaml = read_yaml_file  # the name older callers use


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class _Layer:
    """One file of an ``extends:`` chain, as read."""

    path: Path
    data: dict[str, Any]


@dataclass
class ScenarioSource:
    """A scenario file read with its ``extends:`` chain: the merged mapping and what went wrong on the way.

    ``problems`` are the chain's own (a missing or broken parent, a cycle, a chain too long,
    a file without a title that extends nothing); field problems come later, from validation.
    """

    path: Path
    data: dict[str, Any]
    own_keys: set[str]
    parents_ok: bool
    problems: list[str] = field(default_factory=list)


def _parent_reference(layer: _Layer, parent: str) -> str:
    if parent.endswith((".yaml", ".yml")) and not Path(parent).is_absolute():
        return str(layer.path.parent / parent)  # relative to the file that names it
    return parent


def read_scenario_source(name_or_path: str | Path) -> ScenarioSource:
    """Read a scenario file and follow its ``extends:`` chain (iteratively, at most :data:`MAX_EXTENDS` files).

    A variant that extends another file may leave out ``title`` and ``description``: it
    inherits them, marked as a variant (``"<parent title> (variant: <file stem>)"``).
    """
    path = scenario_path(name_or_path)
    chain = [_Layer(path, read_yaml_file(path))]
    seen = [path.resolve()]
    problems: list[str] = []
    parents_ok = True
    while "extends" in chain[-1].data:
        layer = chain[-1]
        parent = layer.data["extends"]
        where = "" if layer is chain[0] else f"{layer.path}: "
        if not isinstance(parent, str) or not parent.strip():
            problems.append(f"field 'extends': {where}must be a scenario name or a path, got {quote(parent)}")
            parents_ok = False
            break
        if len(chain) > MAX_EXTENDS:
            problems.append(f"field 'extends': a chain of more than {MAX_EXTENDS} files (reached {layer.path.name}); "
                            "merge some of them into one file")  # fmt: skip
            parents_ok = False
            break
        try:
            parent_path = scenario_path(_parent_reference(layer, parent))
            if parent_path.resolve() in seen:
                names = " -> ".join(p.name for p in (*seen, parent_path.resolve()))
                raise ScenarioError(f"circular extends ({names})")
            parent_data = read_yaml_file(parent_path)
        except ScenarioError as exc:
            problems.append(f"field 'extends': {where}{exc}")
            parents_ok = False
            break
        seen.append(parent_path.resolve())
        chain.append(_Layer(parent_path, parent_data))
    if not parents_ok:
        chain = chain[:1]  # a broken chain: judge the file on its own fields
    own = chain[0].data
    if "extends" not in own:
        missing = [key for key in ("title", "description") if _is_blank(own.get(key))]
        if missing:
            problems.append(f"field '{missing[0]}': required in a scenario that extends no other (plain language "
                            "for students); a file with extends: inherits them")  # fmt: skip
    merged: dict[str, Any] = {}
    for layer in reversed(chain):
        data = dict(layer.data)
        data.pop("extends", None)
        if isinstance(data.get("data_file"), str) and not Path(data["data_file"]).is_absolute():
            data["data_file"] = str((layer.path.parent / data["data_file"]).resolve())  # relative to its file
        if merged:
            _mark_variant(data, merged, layer.path)
            merged = deep_merge(merged, data)
            if {"start_year", "end_year"} & set(data):
                _drop_events_after_end(merged, keep=set(data))  # a shorter variant leaves its parent's later events out
        else:
            merged = data
    return ScenarioSource(path, merged, set(own) - {"extends"}, parents_ok, problems)


def _mark_variant(data: dict[str, Any], parent: dict[str, Any], path: Path) -> None:
    """Give a variant without its own title or description its parent's, marked as a variant."""
    parent_title = parent.get("title") if isinstance(parent.get("title"), str) else "Custom scenario"
    if _is_blank(data.get("title")):
        data["title"] = f"{parent_title} (variant: {path.stem})"
    if _is_blank(data.get("description")):
        changed = ", ".join(sorted(k for k in data if k not in ("title", "description", "extends"))) or "nothing"
        parent_text = parent.get("description") if isinstance(parent.get("description"), str) else ""
        data["description"] = (f"A variant of '{parent_title}' ({path.name}) that changes: {changed}. "
                               f"{parent_text}").strip()  # fmt: skip


def read_scenario_dict(name_or_path: str | Path) -> tuple[dict[str, Any], Path]:
    """The raw, merged mapping of a scenario file with its ``extends:`` chain applied.

    Raises :class:`ScenarioError` for a broken chain; field problems are for :func:`validate_scenario`.
    """
    source = read_scenario_source(name_or_path)
    if source.problems:
        raise ScenarioError(f"{source.path}: " + "; ".join(source.problems))
    return source.data, source.path


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
    """``{"vacuum.volatility": 0.2}`` -> ``{"vacuum": {"volatility": 0.2}}``.

    A key that sets a whole group and another that sets a field inside it (``vacuum=0.8`` and
    ``vacuum.volatility=0.2``) conflict, in either order: one of them would be lost.
    """
    keys = list(overrides)
    for key in keys:
        parts = key.split(".")
        if any(not part.strip() for part in parts):
            raise ScenarioError(f"override {quote(key)}: a field name is empty; use names such as vacuum.volatility")
        if len(parts) > MAX_OVERRIDE_PARTS:
            raise ScenarioError(f"override {quote(key)}: more than {MAX_OVERRIDE_PARTS} levels; no field is that deep")
        for cut in range(1, len(parts)):
            group = ".".join(parts[:cut])
            if group in overrides:
                raise ScenarioError(
                    f"overrides '{group}' and {quote(key)} conflict: '{group}' replaces the whole group, so "
                    f"{quote(key)} would be lost; set fields one by one ({group}.<field>=...) or give '{group}' "
                    "as one mapping"
                )
    nested: dict[str, Any] = {}
    for key, value in overrides.items():
        parts = key.split(".")
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return nested


def parse_override(text: str) -> tuple[str, Any]:
    """``"coordination=0.8"`` -> ``("coordination", 0.8)``; the value is read as YAML (with the file limits)."""
    if "=" not in text:
        raise ScenarioError(f"--set {quote(text)}: expected key=value, e.g. --set coordination=0.8")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key:
        raise ScenarioError(f"--set {quote(text)}: the key before '=' is empty")
    try:
        value = load_yaml(raw) if raw.strip() else ""
    except YamlLimitError as exc:
        raise ScenarioError(f"--set {quote(key)}: {exc}") from None
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


#: Fields of earlier versions that were removed because they moved nothing, and why (a clearer error than "unknown").
RETIRED_FIELDS = {
    "summit_interval": "summits meet in the years of the agenda's items; yearly symbolic declarations changed nothing "
    "(docs/ODD.md, 7.11)",
    "peer_threat_bandwidth": "outcomes did not move with it anywhere over 0.05-0.5, so it is fixed at 0.15 "
    "(rules.commitment.PEER_THREAT_BANDWIDTH)",
    "max_rise_high": "outcomes did not move with it over 0.5-1.5, even under a sudden threat, so the largest yearly rise "
    "with full fiscal space is fixed at 1.0 point (Poland 2022-23; rules.spending.MAX_RISE_FULL_SPACE)",
    "partner_tie_decay": "outcomes did not move with it anywhere over 0-0.2, so it is fixed at 0.05 (rules.partners.TIE_DECAY)",
}


def retired_hint(name: str, suggestion: str) -> str:
    """The end of an unknown-field message: why the field went, if it is a retired one, else ``suggestion``."""
    return f": it was removed ({RETIRED_FIELDS[name]})" if name in RETIRED_FIELDS else suggestion

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
    shown = quote(value)
    if kind == "extra_forbidden":
        if len(loc) == 1 and loc[0] in RETIRED_FIELDS:
            return f"field '{field}' was removed: {RETIRED_FIELDS[loc[0]]}; remove it"
        names = _all_field_names(Scenario) | {"extends"}
        hint = difflib.get_close_matches(str(loc[-1])[:100], sorted(names), n=1, cutoff=0.6)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
        return f"unknown field '{field}'{suggestion}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"field '{field}': {shown} is out of range; {_allowed(loc, error.get('ctx', {}))}"
    if kind == "literal_error":
        return f"field '{field}': {shown} is not allowed; {error['msg'].replace('Input should be', 'use')}"
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag")
        return f"field '{field}': schedule kind {quote(tag)} is unknown; use constant, step, ramp or values"
    if kind == "union_tag_not_found":
        return f"field '{field}': a schedule needs 'kind' (constant, step, ramp or values) or a plain number"
    if kind == "missing":
        return f"field '{field}': required but missing"
    message = error["msg"].removeprefix("Value error, ")
    named = re.match(r"^([A-Za-z_][\w.\[\]]*): (.*)$", message)
    if named and (not loc or kind == "value_error"):
        prefix = f"{field}." if loc else ""
        return f"field '{prefix}{named.group(1)}': {named.group(2)}"
    return f"field '{field}': {message} (got {shown})" if not isinstance(value, dict) else f"field '{field}': {message}"


def _field_problems(data: dict[str, Any]) -> tuple[list[str], set[str], Scenario | None]:
    """Problems of single fields, the top-level keys holding them, and the scenario if every field is valid."""
    try:
        return [], set(), Scenario.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
    problems, bad_keys = [], set()
    for error in errors:
        if isinstance(error.get("ctx", {}).get("error"), ConsistencyError):
            continue  # only raised once every field is valid: handled by the caller
        problems.append(_describe(error))
        if error["loc"]:
            bad_keys.add(str(error["loc"][0]))
    return problems, bad_keys, None


def _consistency(data: dict[str, Any]) -> tuple[list[tuple[tuple[str, ...], str]], Scenario | None]:
    try:
        return [], Scenario.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            found = error.get("ctx", {}).get("error")
            if isinstance(found, ConsistencyError):
                return found.problems, None
        return [], None


def scenario_problems(
    data: dict[str, Any], *, own_keys: set[str] | None = None, parents_ok: bool = True
) -> tuple[list[str], Scenario | None]:
    """Every problem of a raw mapping at once, and the :class:`Scenario` if there is none.

    Field problems (typos, types, ranges) are listed first; then the checks across fields
    (end year before start year, an agenda item after the end...) on the fields that are
    valid, so one bad value neither hides another nor causes a false alarm. With a broken
    ``extends:`` chain (``parents_ok=False``) cross-field checks are made only among the
    file's ``own_keys``.
    """
    problems, bad_keys, scenario = _field_problems(data)
    if scenario is not None:
        return problems, scenario
    valid_part = {key: value for key, value in data.items() if key not in bad_keys}
    cross, partial = _consistency(valid_part)
    for fields, message in cross:
        if bad_keys.intersection(fields):
            continue
        if not parents_ok and not set(fields) <= (own_keys or set()):
            continue
        problems.append(_named(message))
    if not problems:  # only cross-field problems outside the file's own fields: still say what they are
        problems = [_named(message) for _, message in cross] or ["the scenario is invalid"]
    return problems, None


def _named(message: str) -> str:
    named = re.match(r"^([A-Za-z_][\w.\[\]]*): (.*)$", message)
    return f"field '{named.group(1)}': {named.group(2)}" if named else message


def _raise(source, problems: list[str]) -> None:
    problems = list(dict.fromkeys(problems))
    shown = problems[:MAX_PROBLEMS_SHOWN]
    more = f"; and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
    raise ScenarioError(f"{source}: " + "; ".join(shown) + more)


def validate_scenario(data: dict[str, Any], source: str | Path = "<scenario>") -> Scenario:
    """Validate a raw mapping into a :class:`Scenario`, raising one :class:`ScenarioError` listing every problem.

    Fields that refer to the data (``data_file``, the allies named in ``disputes``) are checked
    against it here, so their errors name the scenario file too.
    """
    try:
        check_shape(data, "the scenario")
    except YamlLimitError as exc:
        raise ScenarioError(f"{source}: {exc}") from None
    return _validate(data, source)


def _validate(data: dict[str, Any], source) -> Scenario:
    problems, scenario = scenario_problems(data)
    if scenario is None:
        _raise(source, problems)
    data_problems = _data_problems(scenario)
    if data_problems:
        _raise(source, data_problems)
    return scenario


def _data_problems(scenario: Scenario) -> list[str]:
    """The data file is readable and sound, and every ally named in ``disputes`` is in it."""
    from .dataset import DataError, load_allies

    try:
        codes = {ally.iso3 for ally in load_allies(scenario.data_file)}
    except DataError as exc:
        return [f"field 'data_file': {exc}"]
    problems = []
    for k, dispute in enumerate(scenario.disputes):
        unknown = [code for code in dispute.pair if code.upper() not in codes]
        if unknown:
            problems.append(
                f"field 'disputes[{k}].pair': {', '.join(quote(c) for c in unknown)} is not an ally in the data; "
                f"use iso3 codes such as {', '.join(sorted(codes)[:5])}"
            )
    return problems


def load_scenario(scenario: str | Path | Scenario | None = None, **overrides) -> Scenario:
    """A validated :class:`Scenario` from a name, a path or an object, with keyword overrides applied.

    Overrides use field names (``coordination=0.8``) or dotted paths into groups
    (``**{"vacuum.volatility": 0.2}``). A plain number for a schedule (``vacuum=0.8``) means
    a constant schedule. Every problem of a file is reported at once, each with its field.
    """
    if isinstance(scenario, Scenario):
        base = scenario
        source = "<scenario object>"
        if not overrides:
            problems = _data_problems(base)
            if problems:
                _raise(source, problems)
    else:
        read = read_scenario_source(scenario if scenario is not None else DEFAULT_SCENARIO)
        source = str(read.path)
        problems, base = scenario_problems(read.data, own_keys=read.own_keys, parents_ok=read.parents_ok)
        problems = read.problems + problems
        if base is not None and not problems:
            problems = _data_problems(base)
        if problems:
            _raise(source, problems)
    if not overrides:
        return base
    names = ", ".join(sorted(overrides))
    where = f"{source} with overrides ({names if len(names) <= 200 else names[:197] + '...'})"
    try:
        check_shape(overrides, "the overrides")
    except YamlLimitError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    merged = deep_merge(base.model_dump(), nest_overrides(overrides))
    if {"start_year", "end_year"} & set(overrides):
        _drop_events_after_end(merged, keep=set(overrides))
    return _validate(merged, where)  # a validated base and overrides whose shape was checked above


def _drop_events_after_end(data: dict[str, Any], keep: set[str]) -> None:
    """A run shortened by a variant or an override (``--years 3``) leaves out inherited events dated after its end.

    Only events inherited from the parent or the base: events dated after the end by the
    same file or the same overrides that set it are errors.
    """
    end = data.get("end_year")
    if not isinstance(end, int):
        return
    for name in ("agenda", "disputes", "shocks"):
        items = data.get(name)
        if name in keep or not isinstance(items, (list, tuple)):
            continue
        data[name] = [item for item in items if not (isinstance(item, dict) and isinstance(item.get("year"), int)
                                                     and item["year"] > end)]  # fmt: skip


def scenario_to_yaml(scenario: Scenario) -> str:
    """The fully resolved scenario as YAML (what ``cohesion-sim scenarios show`` prints)."""
    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
