"""Regression fixture: every built-in scenario's yearly outputs for 3 seeds, as recorded (1e-12).

Re-record with ``python tests/regression/record.py`` only when the model changes on purpose.
"""

from __future__ import annotations

import gzip
import json
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "regression"))
import record  # noqa: E402

with gzip.open(record.FIXTURE, "rt", encoding="utf-8") as handle:
    RECORDED = json.load(handle)


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is None and b is None or (a is None and math.isnan(b)) or (b is None and math.isnan(a))
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("key", sorted(RECORDED))
def test_outputs_match_the_recorded_fixture(key):
    name, seed = key.split("/")
    now = record.outputs(name, int(seed))
    then = RECORDED[key]
    for table in ("model", "agents"):
        assert now[table].keys() == then[table].keys(), table
        for column in then[table]:
            bad = [i for i, (a, b) in enumerate(zip(now[table][column], then[table][column])) if not _same(a, b)]
            assert len(now[table][column]) == len(then[table][column]), (table, column)
            assert not bad, f"{key} {table}.{column}: first difference at row {bad[0]}"
    assert _same(now["events"], then["events"])
