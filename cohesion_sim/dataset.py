"""The data tables: real figures for the 32 NATO allies, partner democracies and government debt.

The CSVs and their provenance (``data/SOURCES.md``) ship inside the package. A scenario
may point to another allies CSV with the same columns (``data_file``), and
:func:`load_debt` takes a user's own debt file; every problem in such a file is reported at
once, each with the file, the row (and the country's code) and the column.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

DATA_DIR = Path(__file__).parent / "data"
ALLIES_CSV = DATA_DIR / "nato_allies.csv"
PARTNERS_CSV = DATA_DIR / "partners.csv"

#: Years for which the table holds spending and GDP.
DATA_YEARS = (2014, 2024)
#: GDP column used for each data year (2023 is the latest World Bank year in the table).
GDP_COLUMN = {2014: "gdp_usd_bn_2014", 2024: "gdp_usd_bn_2023"}
SPENDING_COLUMN = {2014: "defence_pct_gdp_2014", 2024: "defence_pct_gdp_2024_est"}

REQUIRED_COLUMNS = (
    "country", "iso3", "accession_year", "has_armed_forces",
    "defence_pct_gdp_2014", "defence_pct_gdp_2024_est",
    "gdp_usd_bn_2014", "gdp_usd_bn_2023",
    "land_border_russia", "land_border_belarus", "mediterranean_coast", "black_sea_coast",
    "capital_lat", "capital_lon", "km_capital_to_moscow", "km_capital_to_minsk",
)  # fmt: skip


class DataError(ValueError):
    """A data file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Ally:
    """One ally as the data describe it (spending in % of GDP, GDP in US$ bn)."""

    country: str
    iso3: str
    accession_year: int
    has_armed_forces: bool
    spending: dict[int, float]  # data year -> % of GDP (0.0 where no armed forces)
    gdp: dict[int, float]  # data year -> US$ bn
    land_border_russia: bool
    land_border_belarus: bool
    mediterranean_coast: bool
    black_sea_coast: bool
    capital_lat: float
    capital_lon: float
    km_to_moscow: float
    km_to_minsk: float

    @property
    def is_us(self) -> bool:
        return self.iso3 == "USA"

    @property
    def land_border(self) -> bool:
        return self.land_border_russia or self.land_border_belarus

    @property
    def km_to_threat(self) -> float:
        """Distance from the capital to the nearer of Moscow and Minsk."""
        return min(self.km_to_moscow, self.km_to_minsk)


@dataclass(frozen=True)
class PartnerData:
    """A non-NATO democracy that allies can build ties with."""

    country: str
    iso3: str
    gdp: float  # US$ bn
    spending: float  # % of GDP


#: Largest data file read (bytes); the allies table is about 4 kB.
MAX_DATA_BYTES = 5_000_000
#: Most problems one error lists (then "and N more").
MAX_PROBLEMS_SHOWN = 12
#: Plausible ranges: (low, high, unit). Values outside are typos or wrong units, and would overflow the model.
GDP_RANGE = (0.01, 100_000.0, "US$ bn; the US is about 27,000")
SPENDING_RANGE = (0.0, 50.0, "% of GDP")
PARTNER_SPENDING_RANGE = (0.0, 100.0, "% of GDP")
DEBT_RANGE = (0.0, 400.0, "% of GDP; the highest in the world is about 260")
LATITUDE_RANGE = (-90.0, 90.0, "degrees")
LONGITUDE_RANGE = (-180.0, 180.0, "degrees")
DISTANCE_RANGE = (0.0, 20_100.0, "km; no two capitals are farther apart")
ACCESSION_RANGE = (1949, 2100, "year")
DEBT_CSV = DATA_DIR / "gov_debt.csv"
DEBT_COLUMN = re.compile(r"^gov_debt_pct_gdp_(\d{4})$")


class _Problems:
    """The problems found in one data file, each naming the row (and the ally) and the column."""

    def __init__(self, path: Path):
        self.path = path
        self.items: list[str] = []

    def add(self, line: int | None, column: str | None, message: str, code: str = "") -> None:
        where = []
        if line is not None:
            where.append(f"row {line}" + (f" ({_printable(code)})" if code else ""))
        if column is not None:
            where.append(f"column '{column}'")
        self.items.append((", ".join(where) + ": " if where else "") + message)

    def raise_any(self) -> None:
        if self.items:
            shown = self.items[:MAX_PROBLEMS_SHOWN]
            more = f"; and {len(self.items) - len(shown)} more" if len(self.items) > len(shown) else ""
            raise DataError(f"{self.path}: " + "; ".join(shown) + more)


def _printable(raw, limit: int = 30) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in str(raw))
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Row:
    """One CSV row with its line number, reading numbers and flags into a :class:`_Problems`."""

    def __init__(self, line: int, row: dict, problems: _Problems):
        self.line, self.row, self.problems = line, row, problems
        self.code = _printable((row.get("iso3") or "").strip().upper(), 10)

    def text(self, column: str) -> str:
        return (self.row.get(column) or "").strip()

    def number(self, column: str, bounds=None, *, allow_blank: bool = False) -> float:
        raw = self.text(column)
        if raw == "":
            if not allow_blank:
                self.problems.add(self.line, column, "empty, a number is required", self.code)
            return math.nan
        try:
            value = float(raw)
        except ValueError:
            self.problems.add(self.line, column, f"'{_printable(raw)}' is not a number", self.code)
            return math.nan
        if not math.isfinite(value):
            self.problems.add(self.line, column, f"'{_printable(raw)}' is not a finite number", self.code)
            return math.nan
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            low, high, unit = bounds
            self.problems.add(self.line, column, f"{value:g} is outside {low:g}-{high:g} ({unit})", self.code)
        return value

    def flag(self, column: str) -> bool:
        value = self.number(column)
        if not math.isnan(value) and value not in (0.0, 1.0):
            self.problems.add(self.line, column, f"'{_printable(self.text(column))}' must be 0 or 1", self.code)
        return value == 1.0

    def iso3(self) -> str:
        code = self.text("iso3").upper()
        if len(code) != 3 or not code.isascii() or not code.isalpha():
            self.problems.add(self.line, "iso3", f"'{_printable(self.text('iso3'))}' is not an ISO alpha-3 code", self.code)
        return code


def _read_rows(path: Path, required: tuple[str, ...], problems: _Problems | None = None) -> list[_Row]:
    """The rows of a CSV with every required column; short and long rows are problems (not crashes)."""
    problems = problems if problems is not None else _Problems(path)
    if path.is_dir():
        raise DataError(f"{path}: is a folder; give the path of a CSV file")
    if not path.is_file():
        raise DataError(f"{path}: data file not found")
    try:
        size = path.stat().st_size
        if size > MAX_DATA_BYTES:
            raise DataError(f"{path}: {size:,} bytes is larger than the {MAX_DATA_BYTES:,} a data file may have")
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() if isinstance(name, str) else name for name in (reader.fieldnames or [])]
            reader.fieldnames = header
            missing = [c for c in required if c not in header]
            if missing:
                raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
            rows = []
            for line, row in enumerate(reader, start=2):
                checked = _Row(line, row, problems)
                if None in row:
                    problems.add(line, None, f"{len(header) + len(row[None])} fields, more than the {len(header)} "
                                             "columns of the header", checked.code)  # fmt: skip
                    continue
                absent = [c for c in required if row.get(c) is None]
                if absent:
                    present = sum(value is not None for value in row.values())
                    problems.add(line, absent[0], f"short row: {present} of {len(header)} fields; the row ends before "
                                                  "this column", checked.code)  # fmt: skip
                    continue
                rows.append(checked)
            return rows
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start}); save the CSV as UTF-8") from None
    except csv.Error as exc:
        raise DataError(f"{path}: not a readable CSV ({_printable(exc, 80)})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read the file ({exc.strerror or exc})") from None


def _check_codes(rows: list[_Row], codes: list[str], problems: _Problems) -> None:
    first: dict[str, int] = {}
    for row, code in zip(rows, codes):
        if code in first and len(code) == 3:
            problems.add(row.line, "iso3", f"duplicate iso3 code '{code}' (also in row {first[code]}); one row per country",
                         code)  # fmt: skip
        first.setdefault(code, row.line)


def _file_key(path: str | Path | None, default: Path) -> tuple[Path, int, int]:
    """The path with its modification time and size: a file edited since it was read is read again."""
    path = Path(path) if path is not None else default
    try:
        stat = path.stat()
        return path, stat.st_mtime_ns, stat.st_size
    except (OSError, ValueError):
        return path, -1, -1  # reported by the loader


def load_allies(path: str | Path | None = None) -> tuple[Ally, ...]:
    """Load and check the allies table (see :func:`_load_allies`); cached until the file changes."""
    return _load_allies(*_file_key(path, ALLIES_CSV))


def load_partners(path: str | Path | None = None) -> tuple[PartnerData, ...]:
    """Load the non-NATO partner democracies (used when a scenario enables partnerships); cached until the file changes."""
    return _load_partners(*_file_key(path, PARTNERS_CSV))


def load_debt(path: str | Path | None = None) -> Mapping[str, Mapping[int, float]]:
    """General government gross debt, % of GDP, by ally and year: ``load_debt()["ITA"][2023] -> 137.0``.

    The default is the package's ``data/gov_debt.csv`` (approximate IMF WEO figures, about
    +/-5 points; see ``data/SOURCES.md``). A user's own file needs an ``iso3`` column and one or
    more ``gov_debt_pct_gdp_<year>`` columns (any years; other columns are ignored); it gets
    the same checks as the allies table (numbers in 0-400, complete rows, one row per code),
    every problem reported at once. The result is read-only and cached until the file changes.
    """
    return _load_debt(*_file_key(path, DEBT_CSV))


@lru_cache(maxsize=8)
def _load_allies(path: Path, _mtime: int = 0, _size: int = 0) -> tuple[Ally, ...]:
    """Load and check the allies table; returns one :class:`Ally` per row, in file order.

    Every problem of the file is reported at once (one :class:`DataError`), each with its row,
    the ally's code and the column: values that are not numbers or outside plausible ranges,
    short rows, repeated codes, a table without the US or without armed allies.
    """
    problems = _Problems(path)
    rows = _read_rows(path, REQUIRED_COLUMNS, problems)
    allies = []
    for row in rows:
        armed = row.flag("has_armed_forces")
        spending = {}
        for year, col in SPENDING_COLUMN.items():
            value = row.number(col, SPENDING_RANGE if armed else None, allow_blank=not armed)
            spending[year] = value if armed else 0.0
        gdp = {}
        for year, col in GDP_COLUMN.items():
            value = row.number(col)
            if value <= 0:
                problems.add(row.line, col, f"GDP must be positive, got {value:g}", row.code)
            elif value > GDP_RANGE[1]:
                problems.add(row.line, col, f"{value:g} is outside {GDP_RANGE[0]:g}-{GDP_RANGE[1]:g} ({GDP_RANGE[2]})",
                             row.code)  # fmt: skip
            gdp[year] = value
        iso3 = row.iso3()
        accession = row.number("accession_year", ACCESSION_RANGE)
        if not math.isnan(accession) and accession != int(accession):
            problems.add(row.line, "accession_year", f"{accession:g} is not a whole year", row.code)
        if not row.text("country"):
            problems.add(row.line, "country", "empty, a country name is required", row.code)
        allies.append(
            Ally(
                country=row.text("country"),
                iso3=iso3,
                accession_year=int(accession) if math.isfinite(accession) else 0,
                has_armed_forces=armed,
                spending=spending,
                gdp=gdp,
                land_border_russia=row.flag("land_border_russia"),
                land_border_belarus=row.flag("land_border_belarus"),
                mediterranean_coast=row.flag("mediterranean_coast"),
                black_sea_coast=row.flag("black_sea_coast"),
                capital_lat=row.number("capital_lat", LATITUDE_RANGE),
                capital_lon=row.number("capital_lon", LONGITUDE_RANGE),
                km_to_moscow=row.number("km_capital_to_moscow", DISTANCE_RANGE),
                km_to_minsk=row.number("km_capital_to_minsk", DISTANCE_RANGE),
            )
        )
    codes = [a.iso3 for a in allies]
    _check_codes(rows, codes, problems)
    if allies and "USA" not in codes:
        problems.add(None, "iso3", "the table must contain the United States (iso3 USA)")
    us = next((a for a, row in zip(allies, rows) if a.iso3 == "USA"), None)
    if us is not None and not us.has_armed_forces:
        problems.add(rows[codes.index("USA")].line, "has_armed_forces", "the United States must have armed forces (1)",
                     "USA")  # fmt: skip
    if allies and not any(a.has_armed_forces for a in allies if a.iso3 != "USA"):
        problems.add(None, "has_armed_forces", "no ally other than the US has armed forces; the model needs at least one")
    if len(allies) < 3 and not problems.items:
        problems.add(None, None, f"at least the US and two other allies are needed, found {len(allies)}")
    problems.raise_any()
    return tuple(allies)


@lru_cache(maxsize=8)
def _load_partners(path: Path, _mtime: int = 0, _size: int = 0) -> tuple[PartnerData, ...]:
    problems = _Problems(path)
    rows = _read_rows(path, ("country", "iso3", "gdp_usd_bn_2023", "defence_pct_gdp_2023"), problems)
    partners = []
    for row in rows:
        gdp = row.number("gdp_usd_bn_2023", GDP_RANGE)
        spending = row.number("defence_pct_gdp_2023", PARTNER_SPENDING_RANGE)
        partners.append(PartnerData(row.text("country"), row.iso3(), gdp, spending))
    _check_codes(rows, [p.iso3 for p in partners], problems)
    problems.raise_any()
    return tuple(partners)


@lru_cache(maxsize=8)
def _load_debt(path: Path, _mtime: int = 0, _size: int = 0) -> Mapping[str, Mapping[int, float]]:
    _read_rows(path, ("iso3",))  # the file is there, readable, with an iso3 column
    columns = {int(match.group(1)): name for name in _header(path)
               for match in [DEBT_COLUMN.match(name)] if match}  # fmt: skip
    if not columns:
        raise DataError(f"{path}: no debt column; name them gov_debt_pct_gdp_<year>, e.g. gov_debt_pct_gdp_2023")
    problems = _Problems(path)
    rows = _read_rows(path, ("iso3", *columns.values()), problems)
    debt = {}
    codes = []
    for row in rows:
        code = row.iso3()
        codes.append(code)
        debt[code] = MappingProxyType({year: row.number(name, DEBT_RANGE) for year, name in sorted(columns.items())})
    _check_codes(rows, codes, problems)
    if not rows and not problems.items:
        problems.add(None, None, "no rows")
    problems.raise_any()
    return MappingProxyType(debt)


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [name.strip() for name in next(csv.reader(handle), [])]


def count_at_or_above(allies: tuple[Ally, ...], year: int, level: float = 2.0) -> int:
    """Allies with armed forces (the US included) spending at least ``level`` % of GDP in a data year."""
    return sum(1 for a in allies if a.has_armed_forces and a.spending[year] >= level)
