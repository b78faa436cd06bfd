"""Results of a run as tables and files: model.csv, agents.csv, events.json, summary.json."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from .agents import MemberState

HEADLINE = (
    "cohesion", "connectivity", "blocs", "allies_at_2pct", "allies_at_guideline", "guideline", "mean_spending",
    "gdp_weighted_spending", "european_share", "declaration_gap", "hedging", "disengaged", "us_tension",
    "european_tension", "vacuum",
)  # fmt: skip


def model_table(model) -> pd.DataFrame:
    """One row per year (the start year first) with every model reporter."""
    table = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    return table


def agent_table(model) -> pd.DataFrame:
    """One row per ally and year: ``year``, ``iso3`` and the agent reporters."""
    raw = model.datacollector.get_agenttype_vars_dataframe(MemberState).reset_index()
    raw["year"] = (model.params.start_year + raw["Step"]).astype(int)
    columns = ["year", "iso3", *[c for c in raw.columns if c not in ("Step", "AgentID", "year", "iso3")]]
    return raw[columns].sort_values(["year", "iso3"]).reset_index(drop=True)


def summary(model) -> dict[str, Any]:
    """Final-year headline metrics plus what is needed to reproduce the run."""
    from . import __version__

    final = {key: _plain(model.metrics[key]) for key in HEADLINE}
    passed = sum(e["outcome"].startswith("passed") for e in model.events)
    return {
        "scenario": model.params.title,
        "final_year": model.year,
        "seed": int(model.seed),
        "version": __version__,
        "metrics": final,
        "summits": {"held": len(model.events), "passed": passed, "failed": len(model.events) - passed},
        "resolved_scenario": model.params.model_dump(mode="json"),
    }


def _plain(value):
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def write_results(model, out: Path, fmt: str = "csv") -> dict[str, Path]:
    """Write the tables, the event log and the summary into ``out``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    tables = {"model": model_table(model), "agents": agent_table(model)}
    for name, table in tables.items():
        for stale in (out / f"{name}.csv", out / f"{name}.parquet"):
            stale.unlink(missing_ok=True)  # a previous run's table in the other format would mislead
        if fmt == "parquet":
            try:
                path = out / f"{name}.parquet"
                table.to_parquet(path, index=False)
            except ImportError:
                raise SystemExit("--format parquet needs pyarrow: pip install 'cohesion-sim[sweep]'") from None
        else:
            path = out / f"{name}.csv"
            table.to_csv(path, index=False)
        paths[name] = path
    paths["events"] = out / "events.json"
    paths["events"].write_text(json.dumps(model.events, indent=2))
    paths["summary"] = out / "summary.json"
    paths["summary"].write_text(json.dumps(summary(model), indent=2))
    return paths
