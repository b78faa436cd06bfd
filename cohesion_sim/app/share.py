"""Share and keep: settings to and from the page's URL, and settings as a scenario YAML file.

The URL carries every control (a link reopens the same run at its first year); a loaded
scenario file cannot travel in a URL, so its link names the file and says so. YAML is written
with ``yaml.safe_dump`` and read back with the project's validated loader.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode

import yaml

from ..scenario_files import ScenarioError, load_scenario
from .state import DECISION_RULES, LEVERS, Intervention, Settings, base_scenario, defaults_for, overrides_for, scenario_names


def settings_query(settings: Settings) -> str:
    """The URL query for ``settings``: only what differs from the scenario's own values, plus the seed."""
    query: dict[str, Any] = {"scenario": settings.scenario, "seed": settings.seed}
    try:
        own = defaults_for(settings.scenario) if settings.custom is None else None
    except ScenarioError:
        own = None
    for field in ("decision_rule", "coordination", "partnerships"):
        if own is None or getattr(settings, field) != getattr(own, field):
            query[field] = getattr(settings, field)
    if settings.stance_custom:
        query["us"] = f"{settings.us_level:g},{settings.us_year},{settings.volatility:g}"
    if settings.guideline_custom:
        query["guideline"] = f"{settings.guideline:g}"
    if settings.interventions:
        query["from"] = ";".join(f"{i.year}:{i.field}:{i.value}" for i in settings.interventions)
    return urlencode(query)


def settings_from_query(search: str | None) -> tuple[Settings | None, str | None]:
    """(settings, None) from a URL query, (None, one-line reason) if it does not work, (None, None) if empty."""
    if not search:
        return None, None
    values = {key: items[-1] for key, items in parse_qs(search.lstrip("?")).items()}
    if "scenario" not in values:
        return None, None
    try:
        if values["scenario"] not in scenario_names():  # a link never reads a file on the server
            raise ValueError(f"scenario: {values['scenario']!r} is not a built-in scenario")
        settings = defaults_for(values["scenario"])
        changes: dict[str, Any] = {}
        if "seed" in values:
            changes["seed"] = int(values["seed"])
        for field in ("coordination", "partnerships"):
            if field in values:
                changes[field] = float(values[field])
        if "decision_rule" in values:
            if values["decision_rule"] not in DECISION_RULES:
                raise ValueError(f"decision_rule: use {' or '.join(DECISION_RULES)}")
            changes["decision_rule"] = values["decision_rule"]
        settings = settings.replace(**changes)
        if "us" in values:
            level, year, volatility = values["us"].split(",")
            settings = settings.replace(us_level=float(level), us_year=int(year), volatility=float(volatility))
        if "guideline" in values:
            settings = settings.replace(guideline=float(values["guideline"]))
        if values.get("from"):
            for item in values["from"].split(";"):
                year, field, value = item.split(":", 2)
                if field not in LEVERS:
                    raise ValueError(f"from: {field} cannot change during a run; use one of {', '.join(LEVERS)}")
                settings = settings.intervene(int(year), **{field: value if field == "decision_rule" else float(value)})
        return settings, None
    except (ScenarioError, ValueError) as exc:
        return None, f"the link's settings do not work ({str(exc).splitlines()[0]}); showing the baseline instead"


def settings_yaml(settings: Settings) -> str:
    """The current settings as a scenario file: the full, validated scenario, written with yaml.safe_dump."""
    scenario = load_scenario(base_scenario(settings), **overrides_for(settings))
    data = scenario.model_dump(mode="json", exclude_none=True)
    data["seed"] = settings.seed
    note = {"title": f"{scenario.title} (saved from the app)"}
    if settings.interventions:
        note["description"] = (scenario.description.strip() + " Changed during the run: "
                               + "; ".join(i.describe() for i in settings.interventions) + ".")  # fmt: skip
    data.update(note)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


__all__ = ["settings_from_query", "settings_query", "settings_yaml", "Intervention"]
