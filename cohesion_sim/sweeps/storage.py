"""A sweep's folder: ``manifest.json``, ``parts.jsonl``, ``design.parquet`` and one Parquet part per chunk.

::

    DIR/manifest.json            the spec, its hash, the seed root, versions, sizes, and the sha256 of every
                                 input that shapes the results (spec, base scenario, data files, package version)
    DIR/parts.jsonl              one line per finished chunk: the sha256 and row count of its parts
                                 (folded into manifest.json as "parts" when the sweep completes)
    DIR/design.parquet           one row per point: parameter values and unit-cube coordinates
    DIR/runs/part-000012.parquet final-year outputs of chunk 12 (one row per run)
    DIR/yearly/part-000012.parquet  yearly trajectories of chunk 12 (if the spec asks for them)
    DIR/sweep.lock               while a sweep writes the folder: its pid (a second writer is refused)

Results are verified, not assumed: a chunk counts as finished only when ``parts.jsonl`` lists it
and its files still have the recorded checksums. Resume recomputes a damaged or missing part,
refuses a folder whose inputs changed (naming the input), and :func:`load_results` reads only the
listed, verified parts; any other file under ``runs/`` or ``yearly/`` is reported, never read.
A part is written to ``*.tmp`` and renamed with ``os.replace``, so it is whole or absent; its
line in ``parts.jsonl`` is appended after it. A killed sweep loses at most the chunks in flight.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import re
import socket
import sys
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from ..scenario_files import ScenarioError

MANIFEST = "manifest.json"
PARTS_LOG = "parts.jsonl"
LOCK = "sweep.lock"
FORMAT_VERSION = 2
KINDS = ("runs", "yearly")
_PART_NAME = re.compile(r"part-(\d{6})\.parquet")
_REQUIRED = {"format": int, "spec": dict, "spec_hash": str, "n_chunks": int, "n_runs": int, "inputs": dict,
             "seed_root": int, "parameters": list, "design": dict}  # fmt: skip


class SweepDirectoryError(ScenarioError):
    """The output folder holds something else (another sweep, other files) or is incomplete or damaged."""


class SweepLockedError(SweepDirectoryError):
    """Another process is writing this sweep folder."""


class ChangedInputError(SweepDirectoryError):
    """An input that shapes the results (spec, base scenario, data file, package version) changed."""


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("cohesion-sim", "numpy", "pandas", "scipy", "mesa", "networkx", "pyarrow", "duckdb", "SALib",
                 "dask", "distributed", "pydantic"):  # fmt: skip
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return versions


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """The file's sha256, or None if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def sha256_json(value: Any) -> str:
    return sha256_bytes(json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode())


def describe_inputs(spec: dict, base: dict, data_files: dict[str, Path], version: str) -> dict[str, dict]:
    """The manifest's ``inputs``: name -> {sha256 (or value), path}; every input that shapes the results.

    ``data_files`` maps a name (``data cohesion_sim/data/nato_allies.csv``, ``data_file``) to a path.
    """
    inputs: dict[str, dict] = {
        "spec": {"sha256": sha256_json(spec)},
        "base scenario": {"sha256": sha256_json(base)},
        "cohesion-sim version": {"value": version},
    }
    for name, path in sorted(data_files.items()):
        inputs[name] = {"path": str(path), "sha256": sha256_file(path) or "unreadable"}
    return inputs


def changed_inputs(recorded: dict[str, dict], current: dict[str, dict]) -> list[str]:
    """Descriptions of the inputs that differ between two ``inputs`` records (empty if none)."""
    changes = []
    for name in sorted(set(recorded) | set(current)):
        old, new = recorded.get(name), current.get(name)
        if old is not None and new is not None and (old.get("sha256"), old.get("value")) == (
            new.get("sha256"), new.get("value")
        ):  # the same content, wherever the file now lies (a moved venv)
            continue
        if old is None or new is None:
            changes.append(f"input '{name}' {'is new' if old is None else 'is no longer used'}")
        elif "value" in old or "value" in new:
            changes.append(f"input '{name}' changed ({old.get('value')} -> {new.get('value')})")
        else:
            where = f" ({new.get('path')})" if new.get("path") else ""
            changes.append(f"input '{name}'{where} changed (sha256 {str(old.get('sha256'))[:12]}... -> "
                           f"{str(new.get('sha256'))[:12]}...)")  # fmt: skip
    return changes


def recheck_data_inputs(recorded: dict[str, dict]) -> list[str]:
    """Re-hash the data files a manifest lists; descriptions of those that changed since."""
    current = {name: {**entry, "sha256": sha256_file(Path(entry["path"])) or "unreadable"}
               for name, entry in recorded.items() if isinstance(entry, dict) and entry.get("path")}  # fmt: skip
    return changed_inputs({name: recorded[name] for name in current}, current)


def _note(message: str) -> None:
    print(f"cohesion-sim: note: {message}", file=sys.stderr, flush=True)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def parquet_bytes(frame) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
    return sink.getvalue().to_pybytes()


def write_parquet(frame, path: Path) -> str:
    """Write a DataFrame as one Parquet file, atomically (``*.tmp`` then ``os.replace``); returns its sha256."""
    data = parquet_bytes(frame)
    _atomic_write_bytes(path, data)
    return sha256_bytes(data)


# ---------------------------------------------------------------------------- the lock
def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


@contextlib.contextmanager
def _exclusive(path: Path, root: Path) -> Iterator[None]:
    """Hold ``path`` as a lock file with this process's pid; :class:`SweepLockedError` if another holds it.

    POSIX: ``flock`` (the kernel releases it when the holder dies, even by SIGKILL); a lock file
    left by a dead holder whose orphaned workers still hold it is waited for a few seconds.
    Elsewhere: an ``O_EXCL`` lock file.
    """
    stamp = f"{os.getpid()} {socket.gethostname()} {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n"
    try:
        import fcntl
    except ImportError:  # Windows
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR)
        except FileExistsError:
            raise SweepLockedError(_locked_message(root, path.read_text(errors="replace"), stale_hint=True)) from None
        os.write(fd, stamp.encode())
        try:
            yield
        finally:
            os.close(fd)
            path.unlink(missing_ok=True)
        return
    deadline = time.monotonic() + 5
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace")
            os.close(fd)
            fields = holder.split()
            dead_here = (len(fields) >= 2 and fields[0].isdigit() and fields[1] == socket.gethostname()
                         and not _pid_alive(int(fields[0])))  # fmt: skip
            if dead_here and time.monotonic() < deadline:  # its workers are exiting (they watch their parent)
                time.sleep(0.1)
                continue
            raise SweepLockedError(_locked_message(root, holder)) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if not same:  # the previous holder removed the file while this process opened it
            os.close(fd)
            continue
        os.ftruncate(fd, 0)
        os.pwrite(fd, stamp.encode(), 0)
        break
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


def _locked_message(root: Path, holder: str, stale_hint: bool = False) -> str:
    fields = holder.split()
    who = f"pid {fields[0]} on {fields[1]}, since {fields[2]}" if len(fields) >= 3 else "another process"
    hint = f"; if no sweep is running, delete {root / LOCK}" if stale_hint else ""
    return (f"{root} is being written by another sweep ({who}); two sweeps never write one folder: "
            f"wait for it, or stop it and add --resume{hint}")  # fmt: skip


# ---------------------------------------------------------------------------- the folder
class SweepStore:
    """The files of one sweep folder."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    @property
    def log_path(self) -> Path:
        return self.root / PARTS_LOG

    def part_path(self, chunk: int, kind: str = "runs") -> Path:
        return self.root / kind / f"part-{chunk:06d}.parquet"

    # ---- reading
    def read_manifest(self) -> dict[str, Any]:
        """The manifest, checked for shape; a one-line :class:`SweepDirectoryError` if it is missing or malformed."""
        where = f"{self.root}/{MANIFEST}"
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SweepDirectoryError(f"{self.root}: not a sweep folder (no {MANIFEST})") from None
        except json.JSONDecodeError as exc:
            raise SweepDirectoryError(f"{where}: not valid JSON ({exc.msg} at line {exc.lineno}); "
                                      "the file was edited or damaged") from None  # fmt: skip
        except (OSError, UnicodeDecodeError) as exc:
            raise SweepDirectoryError(f"{where}: cannot read it ({getattr(exc, 'strerror', None) or exc})") from None
        if not isinstance(manifest, dict):
            raise SweepDirectoryError(f"{where}: not a sweep manifest (a JSON {type(manifest).__name__}, "
                                      "expected an object); the file was edited or damaged")  # fmt: skip
        version = manifest.get("format")
        if isinstance(version, int) and version != FORMAT_VERSION:
            newer = "a newer" if version > FORMAT_VERSION else "an older"
            raise SweepDirectoryError(f"{where}: written by {newer} cohesion-sim (sweep format {version}, this one "
                                      f"reads {FORMAT_VERSION}); run the sweep into a new folder")  # fmt: skip
        for key, kind in _REQUIRED.items():
            if not isinstance(manifest.get(key), kind) or isinstance(manifest.get(key), bool):
                problem = "missing" if key not in manifest else f"not a {kind.__name__}"
                raise SweepDirectoryError(f"{where}: not a sweep manifest (field '{key}' is {problem}); "
                                          "the file was edited or damaged")  # fmt: skip
        return manifest

    def parts(self, manifest: dict[str, Any] | None = None) -> dict[int, dict]:
        """Chunk -> its parts' record (sha256 per kind, rows), from the manifest and ``parts.jsonl``.

        Lines that do not parse (a line torn by a kill) are skipped: their chunk is simply not finished.
        """
        manifest = manifest if manifest is not None else self.read_manifest()
        n_chunks = manifest["n_chunks"]
        listed: dict[int, dict] = {}
        entries = list((manifest.get("parts") or {}).values()) if isinstance(manifest.get("parts"), dict) else []
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            lines = []
        for line in lines:
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        for entry in entries:
            if (isinstance(entry, dict) and isinstance(entry.get("chunk"), int) and 0 <= entry["chunk"] < n_chunks
                    and isinstance(entry.get("runs"), str)):  # fmt: skip
                listed[entry["chunk"]] = entry
        return listed

    def finished_chunks(self) -> set[int]:
        """The chunks ``parts.jsonl`` lists (not re-verified; see :meth:`verify`)."""
        if not self.manifest_path.exists():
            return set()
        return set(self.parts())

    def part_ok(self, chunk: int, entry: dict, kind: str) -> bool:
        expected = entry.get(kind)
        return expected is not None and sha256_file(self.part_path(chunk, kind)) == expected

    def verify(self, listed: dict[int, dict], kinds: tuple[str, ...] = KINDS) -> tuple[set[int], list[int]]:
        """(chunks whose parts match their checksums, chunks with a damaged or missing part)."""
        good, damaged = set(), []
        for chunk, entry in sorted(listed.items()):
            wanted = [kind for kind in kinds if kind == "runs" or kind in entry]
            if all(self.part_ok(chunk, entry, kind) for kind in wanted):
                good.add(chunk)
            else:
                damaged.append(chunk)
        return good, damaged

    def unlisted_files(self, listed: set[int], kinds: tuple[str, ...] = KINDS, n_chunks: int | None = None) -> list[str]:
        """Files under ``runs/`` and ``yearly/`` that are not a listed chunk's part (never read).

        With ``n_chunks``, parts of this sweep's unfinished chunks (left by a kill just before their
        line was written; they are recomputed and replaced) are not counted.
        """
        found = []
        for kind in kinds:
            folder = self.root / kind
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                match = _PART_NAME.fullmatch(path.name)
                chunk = int(match.group(1)) if match else None
                if chunk is not None and chunk in listed:
                    continue
                if chunk is not None and n_chunks is not None and chunk < n_chunks:
                    continue
                if path.name.endswith(".tmp"):
                    continue
                found.append(f"{kind}/{path.name}")
        return found

    # ---- checks before a sweep starts
    def check(self, manifest: dict[str, Any], resume: bool) -> None:
        """Refuse, before anything is written, a folder this sweep must not write into."""
        if self.root.exists() and not self.root.is_dir():
            raise SweepDirectoryError(f"{self.root} is a file, not a folder; choose another --out folder")
        if self.manifest_path.exists():
            old = self.read_manifest()
            if old["spec_hash"] != manifest["spec_hash"]:
                raise SweepDirectoryError(
                    f"{self.root} holds results of a different sweep ('{old['spec'].get('title', '?')}', "
                    f"spec hash {old['spec_hash']}; this spec's is {manifest['spec_hash']}: the spec or its base "
                    "scenario changed). Results are never mixed: choose another --out folder, or delete this one"
                )
            changes = changed_inputs(old["inputs"], manifest["inputs"])
            if changes:
                raise ChangedInputError(
                    f"{self.root}: {changes[0]}{f' (and {len(changes) - 1} more)' if len(changes) > 1 else ''} "
                    "since this sweep started; results are never mixed: restore it, or run into a new --out folder"
                )
            listed = self.parts(old)
            if listed and not resume:
                raise SweepDirectoryError(
                    f"{self.root} already holds {len(listed)} of {old['n_chunks']} chunks of this sweep; "
                    "add --resume (resume=True) to finish it, or choose another --out folder"
                )
            return
        if self.root.is_dir() and any(p.name != LOCK for p in self.root.iterdir()):
            raise SweepDirectoryError(f"{self.root} is not empty and is not a sweep folder; choose another --out folder")

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder's lock (created if needed); a folder this call created and left empty is removed."""
        created = not self.root.exists()
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            with _exclusive(self.root / LOCK, self.root):
                yield
        finally:
            if created:
                with contextlib.suppress(OSError):
                    self.root.rmdir()  # only if empty: the sweep was refused before writing anything

    def prepare(self, manifest: dict[str, Any], resume: bool) -> set[int]:
        """Under the lock: make the folder ready; return the chunks already finished and verified.

        A damaged or missing part is deleted (its chunk recomputed); files that are not this sweep's
        parts are reported and left alone.
        """
        self.check(manifest, resume)
        if not self.manifest_path.exists():
            fresh = {**manifest, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            _atomic_write_bytes(self.manifest_path, (json.dumps(fresh, indent=2, default=str) + "\n").encode())
            return set()
        old = self.read_manifest()
        self.clean_temporary()
        self._repair_log()
        listed = self.parts(old)
        finished, damaged = self.verify(listed)
        for chunk in damaged:
            for kind in KINDS:
                self.part_path(chunk, kind).unlink(missing_ok=True)
        if damaged:
            names = ", ".join(f"part-{c:06d}" for c in damaged[:5]) + (", ..." if len(damaged) > 5 else "")
            _note(f"{self.root}: {len(damaged)} finished chunks have a damaged or missing part ({names}); "
                  "recomputing them")  # fmt: skip
        stray = self.unlisted_files(finished, n_chunks=old["n_chunks"])
        if stray:
            _note(f"{self.root}: {len(stray)} files are not parts of this sweep and were not read: "
                  + ", ".join(stray[:5]) + (", ..." if len(stray) > 5 else ""))  # fmt: skip
        return finished

    def _repair_log(self) -> None:
        """Drop a torn last line of ``parts.jsonl`` (a kill during its write) so appends start on a new line."""
        try:
            data = self.log_path.read_bytes()
        except FileNotFoundError:
            return
        if data and not data.endswith(b"\n"):
            _atomic_write_bytes(self.log_path, data[: data.rfind(b"\n") + 1])

    def clean_temporary(self) -> None:
        """Remove half-written files left by a killed sweep."""
        for folder in (self.root, *(self.root / kind for kind in KINDS)):
            if folder.is_dir():
                for path in folder.glob("*.tmp"):
                    path.unlink(missing_ok=True)

    # ---- writing
    def write_design(self, frame) -> None:
        path = self.root / "design.parquet"
        if not path.exists():
            write_parquet(frame, path)

    def write_chunk(self, chunk: int, runs, yearly=None) -> None:
        """Write one chunk's parts, then its line in ``parts.jsonl`` (which marks it finished)."""
        entry: dict[str, Any] = {"chunk": chunk, "rows": len(runs)}
        if yearly is not None:
            entry["yearly"] = write_parquet(yearly, self.part_path(chunk, "yearly"))
            entry["yearly_rows"] = len(yearly)
        entry["runs"] = write_parquet(runs, self.part_path(chunk, "runs"))
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry, separators=(",", ":")) + "\n")
            log.flush()
            os.fsync(log.fileno())

    def finalize(self) -> bool:
        """If every chunk is finished, fold the parts' checksums into manifest.json; returns whether complete."""
        manifest = self.read_manifest()
        listed = self.parts(manifest)
        if len(listed) != manifest["n_chunks"]:
            return False
        manifest["parts"] = {str(chunk): listed[chunk] for chunk in sorted(listed)}
        manifest["completed"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        _atomic_write_bytes(self.manifest_path, (json.dumps(manifest, indent=2, default=str) + "\n").encode())
        return True


def load_results(directory: str | Path, yearly: bool = False, engine: str = "pyarrow"):
    """A sweep's results as one pandas DataFrame, sorted by run.

    Columns: ``run``, ``point``, ``replicate``, ``seed``, one per varied parameter, and the
    outputs (final-year metrics; with ``yearly=True`` the yearly trajectories, one row per run
    and year). ``engine="duckdb"`` reads through DuckDB instead of pyarrow. Only the parts the
    manifest lists are read, each checked against its sha256 (a damaged one is an error that says
    to resume the sweep); other files are reported on stderr and in ``df.attrs["unlisted_files"]``.
    ``df.attrs`` also holds the manifest and whether the sweep is complete.
    """
    from ..extras import require

    require("pyarrow", *(("duckdb",) if engine == "duckdb" else ()), purpose="reading a sweep")
    store = SweepStore(directory)
    manifest = store.read_manifest()
    kind = "yearly" if yearly else "runs"
    if yearly and not manifest["spec"].get("outputs", {}).get("yearly"):
        raise SweepDirectoryError(f"{store.root}: this sweep kept no yearly trajectories (outputs.yearly is false)")
    listed = store.parts(manifest)
    files = []
    for chunk in sorted(listed):
        path = store.part_path(chunk, kind)
        if not store.part_ok(chunk, listed[chunk], kind):
            raise SweepDirectoryError(
                f"{path}: damaged or missing (its sha256 differs from the one recorded when it was written); "
                f"recompute it: cohesion-sim sweep SPEC --out {store.root} --resume"
            )
        files.append(path)
    unlisted = store.unlisted_files(set(listed), kinds=(kind,))
    if unlisted:
        _note(f"{store.root}: {len(unlisted)} files are not listed in the manifest and were not read: "
              + ", ".join(unlisted[:5]) + (", ..." if len(unlisted) > 5 else ""))  # fmt: skip
    changed = recheck_data_inputs(manifest["inputs"])
    if changed:
        _note(f"{store.root}: {changed[0]} since these results were computed")
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
    frame.attrs["complete"] = len(listed) == manifest["n_chunks"]
    frame.attrs["unlisted_files"] = unlisted
    return frame


__all__ = ["ChangedInputError", "SweepDirectoryError", "SweepLockedError", "SweepStore", "load_results",
           "package_versions", "write_parquet"]  # fmt: skip
