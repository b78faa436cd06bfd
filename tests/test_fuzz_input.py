"""Fuzz: random malformed scenario files and sweep specs through the command line.

A seeded generator (same cases every run; change SEED to explore) starts from a valid file
and applies one to three changes, each of which alone makes the file invalid: a typo, an
out-of-range or mistyped value, crossed years, an event after the end, a missing parent,
broken YAML, deep nesting, an alias bomb, a duplicate key, bytes that are not UTF-8, a file
too large, a huge design, values of mixed types. Every case must give exit status 2, exactly
one line on stderr naming the file, no traceback, and no file or folder written.
Most cases call ``cli.main`` in-process; a few go through a real subprocess.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from cohesion_sim.cli import main
from cohesion_sim.scenario import Scenario
from cohesion_sim.sweeps.spec import FIXED_FIELDS

SEED = 20261125
N_SCENARIOS = 120
N_SPECS = 50
ROOT = Path(__file__).resolve().parent.parent

#: Number fields with both bounds: (name, low, high).
BOUNDED = sorted(
    (name, low, high)
    for name, field in Scenario.model_fields.items()
    for low, high in [(getattr(next((m for m in field.metadata if hasattr(m, "ge")), None), "ge", None),
                       getattr(next((m for m in field.metadata if hasattr(m, "le")), None), "le", None))]
    if low is not None and high is not None and field.annotation in (float, int, float | None)
)  # fmt: skip
SCENARIO_BASES = ("extends: baseline\n", "title: Fuzz\ndescription: A generated scenario.\n")
SPEC_BASE = "base: baseline\nparameters:\n  coordination: {range: [0, 1]}\ndesign: {method: lhs, samples: 4}\n"


def _word(rng: random.Random, n: int = 6) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz_") for _ in range(n))


def _nasty_text(rng: random.Random) -> str:
    alphabet = "abc xyz\t\n\x07\x1b[31m\u200b\u2028é€😀'\"\\:{}[]#&*!|>%@`"
    return "x" + "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 200)))


# ---------------------------------------------------------------------------- changes that break a file
def out_of_range(rng):
    name, low, high = rng.choice(BOUNDED)
    value = high + rng.choice([0.01, 1, 7.5, 1e6, 1e300]) if rng.random() < 0.5 else low - rng.choice([0.01, 1, 1e9])
    return f"{name}: {rng.choice([repr(value), f'{value:e}'])}\n"


def wrong_type(rng):
    name, _, _ = rng.choice(BOUNDED)
    return f"{name}: {json.dumps(_nasty_text(rng))}\n"


def unknown_field(rng):
    return f"zz_{_word(rng)}: {rng.choice(['1', 'true', 'text', '[1, 2]'])}\n"


def crossed_years(rng):
    start = rng.randint(2026, 2060)
    return f"start_year: {start}\nend_year: {rng.randint(2015, start)}\n"


def event_after_end(rng):
    year = rng.randint(2036, 2200)
    return rng.choice([
        f"agenda: [{{year: {year}, item: unity}}]\n",
        f"disputes: [{{year: {year}, pair: [USA, CAN], size: 0.1}}]\n",
        f"shocks: [{{year: {year}, direction: east, size: 0.1}}]\n",
    ])  # fmt: skip


def missing_parent(rng):
    return f"extends: zz_missing_{_word(rng)}\n"


def bad_schedule(rng):
    return rng.choice([
        "vacuum: {kind: wiggle, level: 0.3}\n",
        "pressure: {level: 0.5}\n",
        "threat: {east: {kind: ramp, from_value: 0.2, to_value: 0.4, from_year: 2030, to_year: 2025}}\n",
    ])  # fmt: skip


FIELD_CHANGES = (out_of_range, wrong_type, unknown_field, crossed_years, event_after_end, missing_parent, bad_schedule)


def deep_nesting(rng, base):
    depth = rng.randint(51, 700)
    opener, closer = rng.choice([("[", "]"), ("{a: ", "}")])
    return base + f"coordination: {opener * depth}1{closer * depth}\n"


def alias_bomb(rng, base):
    fan, levels = rng.randint(8, 12), rng.randint(6, 8)
    lines = [f"a0: &a0 [{', '.join(['1'] * fan)}]"]
    lines += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * fan)}]" for k in range(1, levels)]
    return base + "\n".join(lines) + f"\nagenda: [{', '.join([f'*a{levels - 1}'] * fan)}]\n"


def broken_yaml(rng, base):
    return base + rng.choice(["coordination: [0.5\n", "coordination: 'unclosed\n", "\tpublicness: 0.5\n",
                              "a: b: c\n", "- listed\n", "coordination: !!python/object/apply:os.system ['true']\n",
                              "coordination: 0.5\x00\n", "? [a]\n: b\n"])  # fmt: skip


def duplicate_key(rng, base):
    name, low, high = rng.choice(BOUNDED)
    return base + f"{name}: {low}\n{name}: {high}\n"


def not_a_mapping(rng, base):
    return rng.choice(["- a\n- b\n", "42\n", "just some text\n", "# only a comment\n", "", "null\n", "[]\n"])


def not_utf8(rng, base):
    return base.encode() + b"title: \xff\xfe" + bytes(rng.randrange(256) for _ in range(rng.randint(0, 100)))


def too_large(rng, base):
    return base + "# padding\n" * rng.randint(100_001, 120_000)


FILE_CHANGES = (deep_nesting, alias_bomb, broken_yaml, duplicate_key, not_a_mapping, not_utf8, too_large)


def scenario_case(rng: random.Random, k: int) -> tuple[str, str | bytes]:
    base = rng.choice(SCENARIO_BASES)
    if rng.random() < 0.4:
        change = rng.choice(FILE_CHANGES)
        return f"s{k:03d}_{change.__name__}.yaml", change(rng, base)
    changes = rng.sample(FIELD_CHANGES, rng.randint(1, 3))
    if missing_parent in changes:
        base = base.replace("extends: baseline\n", "")  # the missing parent replaces the real one
    body = base + "".join(change(rng) for change in changes)
    return f"s{k:03d}_{'_'.join(c.__name__ for c in changes)}.yaml", body


# ---------------------------------------------------------------------------- changes that break a sweep spec
def mixed_types(rng):
    return rng.choice([
        "parameters:\n  coordination: {values: [0.1, 0.2, '0.3']}\n",
        "parameters:\n  max_exemptions: {values: [1, 2, true]}\n",
        "parameters:\n  max_exemptions: {values: [1, 2.5]}\n",
        "parameters:\n  allow_exemptions: {values: [true, 0]}\n",
        "parameters:\n  pressure: {values: [0.2, {kind: constant, level: 0.4}]}\n",
        "parameters:\n  decision_rule: {values: [consensus, 1]}\n",
        "parameters:\n  allow_exemptions: {range: [0, 1]}\n",
    ])  # fmt: skip


def infinite_bound(rng):
    bound = rng.choice([".inf", "-.inf", ".nan"])
    field = rng.choice(["max_exemptions", "coordination", "budget_lag"])
    return rng.choice([f"parameters:\n  {field}: {{range: [0, {bound}]}}\n",
                       f"parameters:\n  {field}: {{distribution: normal, mean: {bound}, sd: 1}}\n"])  # fmt: skip


def huge_design(rng):
    names = [name for name, low, high in BOUNDED if high > low and name not in FIXED_FIELDS + ("trust_loss",
             "trust_gain", "max_rise_low", "max_exemptions", "budget_lag")][:20]  # fmt: skip
    assert len(names) == 20
    d = rng.randint(2, len(names))
    params = "".join(f"  {name}: {{values: [{low}, {high}]}}\n" for name, low, high in
                     [next(b for b in BOUNDED if b[0] == n) for n in names[:d]])  # fmt: skip
    design = rng.choice([
        f"design: {{method: sobol, samples: {2 ** rng.randint(20, 23)}}}\n",
        f"design: {{method: lhs, samples: {rng.randint(1_000_001, 10_000_000)}}}\n",
        f"design: {{method: morris, samples: {rng.randint(1_000_000, 10_000_000)}}}\n",
        f"design: {{method: lhs, samples: {rng.randint(1001, 100_000)}}}\nreplicates: {rng.randint(1001, 10_000)}\n",
    ])  # fmt: skip
    if d >= 20 and rng.random() < 0.5:
        design = "design: {method: grid}\n"  # 2^20 points
    return "parameters:\n" + params + design


def bad_parameter(rng):
    return rng.choice([
        f"parameters:\n  zz_{_word(rng)}: {{range: [0, 1]}}\n",
        "parameters:\n  coordination: {range: [1, 0]}\n",
        "parameters:\n  coordination: {range: [0, 5]}\n",
        "parameters:\n  end_year: {values: [2030, 2040]}\n",
        "parameters: {}\n",
        "parameters:\n  coordination: {rnge: [0, 1]}\n",
    ])  # fmt: skip


def bad_top_level(rng):
    return rng.choice([
        f"zz_{_word(rng)}: 1\n", "replicates: 0\n", "replicates: 50000000\n", "design: {method: halton, samples: 4}\n",
        "design: {method: sobol, samples: 100}\n", f"base: zz_{_word(rng)}\n", "outputs: {metrics: [cohesian]}\n",
        "chunk_size: -1\n", f"title: {json.dumps(_nasty_text(rng))}\nreplicates: -2\n",
    ])  # fmt: skip


SPEC_CHANGES = (mixed_types, infinite_bound, huge_design, bad_parameter, bad_top_level)


def spec_case(rng: random.Random, k: int) -> tuple[str, str | bytes]:
    if rng.random() < 0.3:
        change = rng.choice(FILE_CHANGES)
        return f"w{k:03d}_{change.__name__}.yaml", change(rng, SPEC_BASE)
    change = rng.choice(SPEC_CHANGES)
    replaced = change(rng)
    lines = SPEC_BASE
    for key in ("parameters:", "design:", "replicates:"):
        if key in replaced and key == "parameters:":
            lines = lines.replace("parameters:\n  coordination: {range: [0, 1]}\n", "")
        elif key in replaced and key == "design:":
            lines = lines.replace("design: {method: lhs, samples: 4}\n", "")
    return f"w{k:03d}_{change.__name__}.yaml", lines + replaced


def _cases(maker, count: int, seed: int):
    rng = random.Random(seed)
    return [maker(rng, k) for k in range(count)]


SCENARIO_CASES = _cases(scenario_case, N_SCENARIOS, SEED)
SPEC_CASES = _cases(spec_case, N_SPECS, SEED + 1)


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _check(rc: int, out: str, err: str, path: Path, before: set, folder: Path) -> None:
    assert rc == 2, f"exit {rc}: {err[-500:]}"
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err[:500]!r}"
    assert "Traceback" not in err and err.startswith("cohesion-sim: error: ")
    assert str(path) in err, f"file not named: {err[:300]!r}"
    assert len(err) < 5000
    assert set(folder.iterdir()) == before, "something was written"


def _run(tmp_path, capsys, command, name, content):
    path = _write(tmp_path, name, content)
    before = set(tmp_path.iterdir())
    args = [command, str(path), "--out", str(tmp_path / "out")] + (["--quiet"])
    rc = main(args)
    captured = capsys.readouterr()
    _check(rc, captured.out, captured.err, path, before, tmp_path)


@pytest.mark.parametrize("name, content", SCENARIO_CASES, ids=[name for name, _ in SCENARIO_CASES])
def test_malformed_scenario_files(tmp_path, capsys, name, content):
    _run(tmp_path, capsys, "run", name, content)


@pytest.mark.parametrize("name, content", SPEC_CASES, ids=[name for name, _ in SPEC_CASES])
def test_malformed_sweep_specs(tmp_path, capsys, name, content):
    _run(tmp_path, capsys, "sweep", name, content)


@pytest.mark.parametrize("command, cases", [("run", SCENARIO_CASES), ("sweep", SPEC_CASES)])
def test_a_real_process_gives_the_same_one_line(tmp_path, command, cases):
    name, content = next((n, c) for n, c in cases if "alias_bomb" in n or "deep_nesting" in n)
    path = _write(tmp_path, name, content)
    before = set(tmp_path.iterdir())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "cohesion_sim", command, str(path), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)  # fmt: skip
    _check(result.returncode, result.stdout, result.stderr, path, before, tmp_path)
