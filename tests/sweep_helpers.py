"""Small sweep specs and subprocess helpers shared by the sweep integrity, lock and kill tests."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml


def write_spec(folder: Path, name: str = "spec.yaml", samples: int = 8, replicates: int = 2, chunk_size: int = 4,
               yearly: bool = False, seed: int = 11, **extra) -> Path:  # fmt: skip
    """A Latin-hypercube spec over two levers and the decision rule (``samples * replicates`` runs)."""
    spec = {
        "title": "integrity sweep",
        "base": "baseline",
        "parameters": {"coordination": {"range": [0.0, 1.0]}, "vacuum.path.level": {"range": [0.1, 0.9]},
                       "decision_rule": {"values": ["consensus", "qualified_majority"]}},  # fmt: skip
        "design": {"method": "lhs", "samples": samples},
        "replicates": replicates,
        "seed": seed,
        "outputs": {"yearly": yearly},
        "chunk_size": chunk_size,
        **extra,
    }
    path = folder / name
    path.write_text(yaml.safe_dump(spec))
    return path


def cli(*args: str) -> subprocess.CompletedProcess:
    """``cohesion-sim ARGS`` in this process (fast), its output captured; an escaping exception fails the test."""
    import contextlib
    import io

    from cohesion_sim.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(["cohesion-sim", *args], code, out.getvalue(), err.getvalue())


def start_sweep(spec: Path, out: Path, *extra: str, new_session: bool = False) -> subprocess.Popen:
    """``cohesion-sim sweep`` in a subprocess (``new_session``: its own process group, as under Slurm)."""
    return subprocess.Popen(
        [sys.executable, "-m", "cohesion_sim", "sweep", str(spec), "--out", str(out), "--quiet", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=new_session,
    )  # fmt: skip


def wait_for_parts(out: Path, count: int, process: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until ``count`` chunks are listed as finished (bounded), failing if the sweep ends first."""
    deadline = time.time() + timeout
    log = out / "parts.jsonl"
    while time.time() < deadline:
        if log.exists() and len(log.read_text().splitlines()) >= count:
            return
        if process.poll() is not None:
            pytest.fail(f"the sweep ended before it could be interrupted: {process.stderr.read()}")
        time.sleep(0.02)
    process.kill()
    pytest.fail("no parts appeared")


def one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    """Exit 2, one line on stderr holding every fragment, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
