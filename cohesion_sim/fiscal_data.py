"""Fiscal space and structural rivalries as data (a small private loader until ``dataset.load_debt`` lands).

``gov_debt.csv`` holds general government gross debt, % of GDP, for 2014 and 2023 (approximate, after the IMF
WEO, about +/-5 points; see data/SOURCES.md). ``rivalries.csv`` lists standing rivalries between allies.
A user's own file with the same columns may replace either.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from .dataset import DATA_DIR, DataError

DEBT_CSV = DATA_DIR / "gov_debt.csv"
RIVALRIES_CSV = DATA_DIR / "rivalries.csv"
#: Debt column used for each data year (2023 is the latest year in the table; it stands for 2024).
DEBT_COLUMN = {2014: "gov_debt_pct_gdp_2014", 2024: "gov_debt_pct_gdp_2023"}


def _rows(path: Path, required: tuple[str, ...]):
    if not path.is_file():
        raise DataError(f"{path}: data file not found")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
        return list(enumerate(reader, start=2))


def _float(raw, path, line, column, low, high):
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise DataError(f"{path}: row {line}, column '{column}': '{raw}' is not a number") from None
    if not low <= value <= high:
        raise DataError(f"{path}: row {line}, column '{column}': {value} is outside {low:g}-{high:g}")
    return value


@lru_cache(maxsize=8)
def load_debt_table(path: str | Path | None = None) -> dict[str, dict[int, float]]:
    """iso3 -> {data year: government debt, % of GDP}."""
    path = Path(path) if path is not None else DEBT_CSV
    table: dict[str, dict[int, float]] = {}
    for line, row in _rows(path, ("iso3", *DEBT_COLUMN.values())):
        iso3 = (row["iso3"] or "").strip().upper()
        table[iso3] = {year: _float(row[col], path, line, col, 0.0, 400.0) for year, col in DEBT_COLUMN.items()}
    return table


def debt_for(iso3: tuple[str, ...], data_year: int, path: str | Path | None = None):
    """Government debt (% of GDP) per ally in the data year; an ally missing from the file is an error."""
    table = load_debt_table(path)
    missing = [code for code in iso3 if code not in table]
    if missing:
        raise DataError(f"{path or DEBT_CSV}: no debt figure for {', '.join(missing)}")
    return [table[code][data_year] for code in iso3]


@lru_cache(maxsize=8)
def load_rivalries(path: str | Path | None = None) -> tuple[tuple[str, str, float], ...]:
    """Standing rivalries between allies: (iso3_a, iso3_b, level in [0, 1])."""
    path = Path(path) if path is not None else RIVALRIES_CSV
    out = []
    for line, row in _rows(path, ("iso3_a", "iso3_b", "level")):
        a, b = (row[c].strip().upper() for c in ("iso3_a", "iso3_b"))
        out.append((a, b, _float(row["level"], path, line, "level", 0.0, 1.0)))
    return tuple(out)
