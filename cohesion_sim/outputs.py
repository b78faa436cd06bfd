"""Results of a run as tables and files: model.csv, agents.csv, events.json, summary.json.

Results are never lost silently: :func:`staged_output` writes a run into a temporary folder
beside its destination and moves the files into place only when every one was written, so a
run that fails leaves the previous results untouched; :func:`earlier_results` tells the CLI
whether a folder already holds a run's files (it then refuses unless ``--force``).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .agents import MemberState
from .reporters import HEADLINE


#: Every file a run may write into its folder (tables in either format, logs, figures of plots.write_figures).
RUN_FILES = (
    "model.csv", "model.parquet", "agents.csv", "agents.parquet", "events.json", "summary.json",
    "spending_by_ally.png", "cohesion_and_vacuum.png", "allies_meeting_guideline.png",
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
    """Write the tables, the event log and the summary into ``out``; returns the paths written.

    Writes into ``out`` directly; the CLI wraps it in :func:`staged_output` so that a failure
    never leaves a mix of old and new files.
    """
    if fmt == "parquet":
        from .extras import require

        require("pyarrow", purpose="--format parquet")  # before any file is written
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    tables = {"model": model_table(model), "agents": agent_table(model)}
    for name, table in tables.items():
        path = out / f"{name}.{fmt}"
        if fmt == "parquet":
            table.to_parquet(path, index=False)
        else:
            table.to_csv(path, index=False)
        paths[name] = path
    paths["events"] = out / "events.json"
    paths["events"].write_text(json.dumps(model.events, indent=2))
    paths["summary"] = out / "summary.json"
    paths["summary"].write_text(json.dumps(summary(model), indent=2))
    return paths


def earlier_results(out: Path) -> list[str]:
    """Names of a run's files (:data:`RUN_FILES`) that ``out`` already holds."""
    return [name for name in RUN_FILES if (out / name).exists()] if out.is_dir() else []


@contextlib.contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """A temporary folder to write a run into; its files replace ``out``'s only if the block succeeds.

    A new ``out`` is created by renaming the whole temporary folder (atomic). Into an existing
    ``out`` each file is moved with ``os.replace`` (atomic per file), and a previous run's files
    this run did not write (say ``model.csv`` after a Parquet run) are removed; other files in
    ``out`` are left alone. If the block raises, ``out`` is untouched and the temporary folder removed.
    """
    out = Path(out)
    fresh = not out.exists()
    if fresh:
        out.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    else:
        stage = Path(tempfile.mkdtemp(prefix=".cohesion-sim-tmp-", dir=out))
    try:
        yield stage
        if fresh:
            try:
                os.rename(stage, out)
                return
            except OSError:  # out appeared meanwhile: move the files in one by one
                out.mkdir(parents=True, exist_ok=True)
        written = {p.name for p in stage.iterdir()}
        for name in sorted(written):
            os.replace(stage / name, out / name)
        for name in RUN_FILES:
            if name not in written:
                (out / name).unlink(missing_ok=True)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
