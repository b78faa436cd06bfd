"""A sweep's folder: ``manifest.json``, ``design.parquet`` and one Parquet part per chunk.

::

    DIR/manifest.json            the spec, its hash, the seed root, package versions, sizes
    DIR/design.parquet           one row per point: parameter values and unit-cube coordinates
    DIR/runs/part-000012.parquet final-year outputs of chunk 12 (one row per run)
    DIR/yearly/part-000012.parquet  yearly trajectories of chunk 12 (if the spec asks for them)

A part is written to ``*.tmp`` and renamed with ``os.replace``, so it is either whole or
absent; the ``runs`` part is written last and marks its chunk finished. A killed sweep loses
at most the chunks in flight, and a re-run with ``resume`` skips the finished ones.
"""

from __future__ import annotations

import json
import os
import platform
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from ..scenario_files import ScenarioError

MANIFEST = "manifest.json"
FORMAT_VERSION = 1


class SweepDirectoryError(ScenarioError):
    """The output folder holds something else (another sweep, other files) or is incomplete."""


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("cohesion-sim", "numpy", "pandas", "scipy", "mesa", "networkx", "pyarrow", "duckdb", "SALib",
                 "dask", "distributed", "pydantic"):  # fmt: skip
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return versions


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def write_parquet(frame, path: Path) -> None:
    """Write a DataFrame as one Parquet file, atomically (``*.tmp`` then ``os.replace``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)
    os.replace(tmp, path)


class SweepStore:
    """The files of one sweep folder."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def part_path(self, chunk: int, kind: str = "runs") -> Path:
        return self.root / kind / f"part-{chunk:06d}.parquet"

    def finished_chunks(self) -> set[int]:
        folder = self.root / "runs"
        if not folder.is_dir():
            return set()
        return {int(p.stem.split("-")[1]) for p in folder.glob("part-*.parquet")}

    def read_manifest(self) -> dict[str, Any]:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SweepDirectoryError(f"{self.root}: not a sweep folder (no {MANIFEST})") from None
        except (OSError, json.JSONDecodeError) as exc:
            raise SweepDirectoryError(f"{self.root}/{MANIFEST}: cannot read it ({exc})") from None

    def clean_temporary(self) -> None:
        """Remove half-written files left by a killed sweep."""
        for path in self.root.rglob("*.tmp"):
            path.unlink(missing_ok=True)

    def prepare(self, manifest: dict[str, Any], resume: bool) -> set[int]:
        """Make the folder ready for this sweep; return the chunks already finished.

        A folder holding another spec's results is refused (never mixed in); a folder with
        this spec's finished chunks needs ``resume``.
        """
        if self.manifest_path.exists():
            old = self.read_manifest()
            if old.get("spec_hash") != manifest["spec_hash"]:
                raise SweepDirectoryError(
                    f"{self.root} holds results of a different sweep ('{old.get('spec', {}).get('title', '?')}', "
                    f"spec hash {old.get('spec_hash')}; this spec's is {manifest['spec_hash']}: the spec or its base "
                    "scenario changed). Results are never mixed: choose another --out folder, or delete this one"
                )
            self.clean_temporary()
            finished = self.finished_chunks()
            if finished and not resume:
                raise SweepDirectoryError(
                    f"{self.root} already holds {len(finished)} of {old.get('n_chunks')} chunks of this sweep; "
                    "add --resume (resume=True) to finish it, or choose another --out folder"
                )
            return finished
        if self.root.exists() and any(self.root.iterdir()):
            raise SweepDirectoryError(f"{self.root} is not empty and is not a sweep folder; choose another --out folder")
        self.root.mkdir(parents=True, exist_ok=True)
        manifest = {**manifest, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        _atomic_write_bytes(self.manifest_path, (json.dumps(manifest, indent=2, default=str) + "\n").encode())
        return set()

    def write_design(self, frame) -> None:
        path = self.root / "design.parquet"
        if not path.exists():
            write_parquet(frame, path)

    def write_chunk(self, chunk: int, runs, yearly=None) -> None:
        """Write one chunk's parts; the ``runs`` part last, as it marks the chunk finished."""
        if yearly is not None:
            write_parquet(yearly, self.part_path(chunk, "yearly"))
        write_parquet(runs, self.part_path(chunk, "runs"))


def load_results(directory: str | Path, yearly: bool = False, engine: str = "pyarrow"):
    """A sweep's results as one pandas DataFrame, sorted by run.

    Columns: ``run``, ``point``, ``replicate``, ``seed``, one per varied parameter, and the
    outputs (final-year metrics; with ``yearly=True`` the yearly trajectories, one row per run
    and year). ``engine="duckdb"`` reads through DuckDB instead of pyarrow. ``df.attrs`` holds
    the manifest and whether the sweep is complete.
    """
    store = SweepStore(directory)
    manifest = store.read_manifest()
    kind = "yearly" if yearly else "runs"
    files = sorted((store.root / kind).glob("part-*.parquet"))
    if yearly and not files and not manifest["spec"]["outputs"]["yearly"]:
        raise SweepDirectoryError(f"{store.root}: this sweep kept no yearly trajectories (outputs.yearly is false)")
    order = ["run", "year"] if yearly else ["run"]
    if not files:
        import pandas as pd

        frame = pd.DataFrame()
    elif engine == "duckdb":
        import duckdb

        frame = duckdb.execute(
            f"SELECT * FROM read_parquet(?) ORDER BY {', '.join(order)}", [[str(f) for f in files]]
        ).df()
    else:
        import pyarrow.parquet as pq

        frame = pq.read_table(files).to_pandas().sort_values(order).reset_index(drop=True)
    frame.attrs["manifest"] = manifest
    frame.attrs["complete"] = len(store.finished_chunks()) == manifest["n_chunks"]
    return frame


__all__ = ["SweepDirectoryError", "SweepStore", "load_results", "package_versions", "write_parquet"]
