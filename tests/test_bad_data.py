"""Data files: implausible values, broken shapes and missing allies are one-line errors naming file, row and column."""

import csv
import io

import pytest

from cohesion_sim.dataset import ALLIES_CSV, DEBT_CSV, DataError, load_allies, load_debt, load_partners
from cohesion_sim.scenario_files import ScenarioError, load_scenario


def allies_rows() -> list[dict]:
    return list(csv.DictReader(io.StringIO(ALLIES_CSV.read_text(encoding="utf-8"))))


def write_csv(path, rows, columns=None):
    columns = columns or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def with_change(tmp_path, iso3, column, value):
    rows = allies_rows()
    for row in rows:
        if row["iso3"] == iso3:
            row[column] = value
    return write_csv(tmp_path / f"{iso3}_{column}.csv", rows)


def data_error(path, loader=load_allies) -> str:
    with pytest.raises(DataError) as info:
        loader(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message


@pytest.mark.parametrize(
    "iso3, column, value, problem",
    [
        ("DEU", "gdp_usd_bn_2023", "1e300", "column 'gdp_usd_bn_2023': 1e+300 is outside 0.01-100000 (US$ bn"),
        ("DEU", "gdp_usd_bn_2014", "-5", "column 'gdp_usd_bn_2014': GDP must be positive, got -5"),
        ("POL", "defence_pct_gdp_2024_est", "150", "column 'defence_pct_gdp_2024_est': 150 is outside 0-50 (% of GDP)"),
        ("POL", "defence_pct_gdp_2014", "-1", "column 'defence_pct_gdp_2014': -1 is outside 0-50"),
        ("NOR", "capital_lat", "95", "column 'capital_lat': 95 is outside -90-90 (degrees)"),
        ("CAN", "capital_lon", "-200", "column 'capital_lon': -200 is outside -180-180"),
        ("EST", "km_capital_to_moscow", "50000", "column 'km_capital_to_moscow': 50000 is outside 0-20100"),
        ("FRA", "land_border_russia", "2", "column 'land_border_russia': '2' must be 0 or 1"),
        ("ITA", "accession_year", "1949.5", "column 'accession_year': 1949.5 is not a whole year"),
        ("ESP", "gdp_usd_bn_2023", "nan", "column 'gdp_usd_bn_2023': 'nan' is not a finite number"),
        ("ESP", "iso3", "E5P", "column 'iso3': 'E5P' is not an ISO alpha-3 code"),
    ],
)
def test_implausible_values_name_row_ally_and_column(tmp_path, iso3, column, value, problem):
    message = data_error(with_change(tmp_path, iso3, column, value))
    assert problem in message
    assert f"({iso3 if column != 'iso3' else value})" in message  # the ally's code beside the row


def test_every_problem_of_a_file_is_listed(tmp_path):
    rows = allies_rows()
    rows[0]["gdp_usd_bn_2023"] = "1e300"
    rows[5]["capital_lat"] = "abc"
    message = data_error(write_csv(tmp_path / "two.csv", rows))
    assert "row 2 (ALB), column 'gdp_usd_bn_2023'" in message and "row 7" in message and "'abc' is not a number" in message


def test_a_reordered_csv_with_a_short_row(tmp_path):
    rows = allies_rows()
    columns = list(reversed(list(rows[0])))
    path = write_csv(tmp_path / "reordered.csv", rows, columns)
    assert [a.iso3 for a in load_allies(path)] == [a.iso3 for a in load_allies()]  # order of columns is free
    lines = path.read_text().splitlines()
    lines[3] = ",".join(lines[3].split(",")[:5])  # a row cut short
    lines[6] = lines[6] + ",extra"  # a row too long
    path.write_text("\n".join(lines) + "\n")
    message = data_error(path)
    assert "row 4" in message and "short row: 5 of 16 fields" in message
    assert "row 7" in message and "more than the 16 columns of the header" in message


def test_duplicate_code_and_missing_us_and_no_armed_ally(tmp_path):
    rows = allies_rows()
    rows[1]["iso3"] = rows[0]["iso3"]
    assert "duplicate iso3 code 'ALB' (also in row 2)" in data_error(write_csv(tmp_path / "dup.csv", rows))
    rows = [row for row in allies_rows() if row["iso3"] != "USA"]
    assert "must contain the United States (iso3 USA)" in data_error(write_csv(tmp_path / "no_us.csv", rows))
    rows = allies_rows()
    for row in rows:
        if row["iso3"] != "USA":
            row["has_armed_forces"] = "0"
    assert "no ally other than the US has armed forces" in data_error(write_csv(tmp_path / "unarmed.csv", rows))
    for row in rows:
        row["has_armed_forces"] = "0"
    message = data_error(write_csv(tmp_path / "none_armed.csv", rows))
    assert "(USA), column 'has_armed_forces': the United States must have armed forces" in message


def test_a_bad_data_file_through_a_scenario_names_scenario_field_file_row_and_column(tmp_path):
    with_change(tmp_path, "DEU", "gdp_usd_bn_2023", "1e300")
    scenario = tmp_path / "absurd.yaml"
    scenario.write_text("extends: baseline\ndata_file: DEU_gdp_usd_bn_2023.csv\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(scenario)
    message = str(info.value)
    assert message.startswith(f"{scenario}: field 'data_file': ") and "DEU_gdp_usd_bn_2023.csv: row" in message
    assert "(DEU), column 'gdp_usd_bn_2023'" in message


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ALLIES_CSV.read_bytes())
    assert len(load_allies(path)) == 32


def test_partner_values_are_checked(tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text("country,iso3,gdp_usd_bn_2023,defence_pct_gdp_2023\nJapan,JPN,4212.9,150\nKorea,KOR,-3,2.8\n")
    message = data_error(path, load_partners)
    assert "row 2 (JPN), column 'defence_pct_gdp_2023': 150 is outside 0-100" in message
    assert "row 3 (KOR), column 'gdp_usd_bn_2023': -3 is outside" in message


# ---------------------------------------------------------------------------- government debt
def test_the_packaged_debt_table():
    debt = load_debt()
    assert DEBT_CSV.is_file() and len(debt) == 32
    assert debt["ITA"] == {2014: 135.0, 2023: 137.0} and debt["USA"][2023] == 119.0
    assert {code for code in debt} == {a.iso3 for a in load_allies()}
    with pytest.raises(TypeError):
        debt["ITA"][2023] = 0.0  # read-only: the cache is shared


def test_a_users_debt_file_with_other_years(tmp_path):
    path = tmp_path / "debt.csv"
    path.write_text("gov_debt_pct_gdp_2019,iso3,note,gov_debt_pct_gdp_2024\n134.1,ITA,imf,135.3\n98.2,ESP,,101.8\n")
    assert load_debt(path) == {"ITA": {2019: 134.1, 2024: 135.3}, "ESP": {2019: 98.2, 2024: 101.8}}


@pytest.mark.parametrize(
    "text, problem",
    [
        ("iso3,gov_debt_pct_gdp_2023\nITA,1e300\n", "row 2 (ITA), column 'gov_debt_pct_gdp_2023': 1e+300 is outside 0-400"),
        ("iso3,gov_debt_pct_gdp_2023\nITA,-4\n", "-4 is outside 0-400"),
        ("iso3,gov_debt_pct_gdp_2023\nITA,\n", "row 2 (ITA), column 'gov_debt_pct_gdp_2023': empty, a number is required"),
        ("iso3,gov_debt_pct_gdp_2023\nITA,100\nITA,101\n", "row 3 (ITA), column 'iso3': duplicate iso3 code 'ITA'"),
        ("iso3,gov_debt_pct_gdp_2023\nITA\n", "row 2 (ITA), column 'gov_debt_pct_gdp_2023': short row"),
        ("iso3,debt\nITA,100\n", "no debt column; name them gov_debt_pct_gdp_<year>"),
        ("country,gov_debt_pct_gdp_2023\nItaly,100\n", "missing column(s) iso3"),
        ("iso3,gov_debt_pct_gdp_2023\n", "no rows"),
    ],
)
def test_bad_debt_files(tmp_path, text, problem):
    path = tmp_path / "debt.csv"
    path.write_text(text)
    assert problem in data_error(path, load_debt)
