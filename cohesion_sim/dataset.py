"""The allies table: real figures for the 32 NATO allies, loaded into typed records.

The CSV and its provenance (``data/SOURCES.md``) ship inside the package. A scenario
may point to another CSV with the same columns (``data_file``); every problem in such a
file is reported with the file, the row and the column.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


def _number(raw: str, *, path: Path, line: int, column: str, allow_blank: bool = False):
    if raw is None or raw.strip() == "":
        if allow_blank:
            return math.nan
        raise DataError(f"{path}: row {line}, column '{column}': empty, a number is required")
    try:
        value = float(raw)
    except ValueError:
        raise DataError(f"{path}: row {line}, column '{column}': '{raw}' is not a number") from None
    if not math.isfinite(value):
        raise DataError(f"{path}: row {line}, column '{column}': '{raw}' is not a finite number")
    return value


def _flag(raw: str, *, path: Path, line: int, column: str) -> bool:
    value = _number(raw, path=path, line=line, column=column)
    if value not in (0.0, 1.0):
        raise DataError(f"{path}: row {line}, column '{column}': '{raw}' must be 0 or 1")
    return bool(value)


def _read_rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise DataError(f"{path}: data file not found")
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
            return [(number, row) for number, row in enumerate(reader, start=2)]
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start}); save the CSV as UTF-8") from None


@lru_cache(maxsize=8)
def load_allies(path: str | Path | None = None) -> tuple[Ally, ...]:
    """Load and check the allies table; returns one :class:`Ally` per row, in file order."""
    path = Path(path) if path is not None else ALLIES_CSV
    allies = []
    for line, row in _read_rows(path, REQUIRED_COLUMNS):

        def num(col, blank=False):
            return _number(row[col], path=path, line=line, column=col, allow_blank=blank)

        def flag(col):
            return _flag(row[col], path=path, line=line, column=col)

        armed = flag("has_armed_forces")
        spending = {}
        for year, col in SPENDING_COLUMN.items():
            value = num(col, blank=not armed)
            if armed and not 0.0 <= value <= 50.0:
                raise DataError(f"{path}: row {line}, column '{col}': {value} is outside 0-50 (% of GDP)")
            spending[year] = value if armed else 0.0
        gdp = {}
        for year, col in GDP_COLUMN.items():
            value = num(col)
            if value <= 0:
                raise DataError(f"{path}: row {line}, column '{col}': GDP must be positive, got {value}")
            gdp[year] = value
        iso3 = row["iso3"].strip().upper()
        if len(iso3) != 3 or not iso3.isalpha():
            raise DataError(f"{path}: row {line}, column 'iso3': '{row['iso3']}' is not an ISO alpha-3 code")
        allies.append(
            Ally(
                country=row["country"].strip(),
                iso3=iso3,
                accession_year=int(num("accession_year")),
                has_armed_forces=armed,
                spending=spending,
                gdp=gdp,
                land_border_russia=flag("land_border_russia"),
                land_border_belarus=flag("land_border_belarus"),
                mediterranean_coast=flag("mediterranean_coast"),
                black_sea_coast=flag("black_sea_coast"),
                capital_lat=num("capital_lat"),
                capital_lon=num("capital_lon"),
                km_to_moscow=num("km_capital_to_moscow"),
                km_to_minsk=num("km_capital_to_minsk"),
            )
        )
    codes = [a.iso3 for a in allies]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise DataError(f"{path}: duplicate iso3 code(s) {', '.join(duplicates)}")
    if "USA" not in codes:
        raise DataError(f"{path}: the table must contain the United States (iso3 USA)")
    if len(allies) < 3:
        raise DataError(f"{path}: at least the US and two other allies are needed, found {len(allies)}")
    return tuple(allies)


@lru_cache(maxsize=8)
def load_partners(path: str | Path | None = None) -> tuple[PartnerData, ...]:
    """Load the non-NATO partner democracies (used when a scenario enables partnerships)."""
    path = Path(path) if path is not None else PARTNERS_CSV
    partners = []
    for line, row in _read_rows(path, ("country", "iso3", "gdp_usd_bn_2023", "defence_pct_gdp_2023")):
        gdp = _number(row["gdp_usd_bn_2023"], path=path, line=line, column="gdp_usd_bn_2023")
        spending = _number(row["defence_pct_gdp_2023"], path=path, line=line, column="defence_pct_gdp_2023")
        partners.append(PartnerData(row["country"].strip(), row["iso3"].strip().upper(), gdp, spending))
    return tuple(partners)


def count_at_or_above(allies: tuple[Ally, ...], year: int, level: float = 2.0) -> int:
    """Allies with armed forces (the US included) spending at least ``level`` % of GDP in a data year."""
    return sum(1 for a in allies if a.has_armed_forces and a.spending[year] >= level)
