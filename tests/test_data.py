"""The allies table: known values and clear errors for malformed files."""

import shutil

import pytest

from cohesion_sim.dataset import ALLIES_CSV, DataError, count_at_or_above, load_allies, load_partners


def by_code():
    return {a.iso3: a for a in load_allies()}


def test_table_has_32_allies_with_the_us():
    allies = load_allies()
    assert len(allies) == 32
    assert sum(a.is_us for a in allies) == 1


def test_known_values():
    allies = by_code()
    assert allies["POL"].spending[2024] == pytest.approx(4.12)
    assert allies["USA"].spending[2014] == pytest.approx(3.714)
    assert allies["DEU"].gdp[2024] == pytest.approx(4456.1)
    assert allies["LTU"].land_border and allies["LTU"].km_to_threat == 170
    assert allies["TUR"].mediterranean_coast and allies["TUR"].black_sea_coast


def test_iceland_has_no_armed_forces_and_no_spending():
    iceland = by_code()["ISL"]
    assert not iceland.has_armed_forces
    assert iceland.spending == {2014: 0.0, 2024: 0.0}


def test_counts_at_or_above_two_percent():
    allies = load_allies()
    assert count_at_or_above(allies, 2014) == 3
    assert count_at_or_above(allies, 2024) == 23


def test_partners_load():
    partners = {p.iso3: p for p in load_partners()}
    assert set(partners) == {"UKR", "JPN", "AUS", "KOR", "NZL"}
    assert all(p.gdp > 0 for p in partners.values())


def _copy_with(tmp_path, old, new):
    text = ALLIES_CSV.read_text().replace(old, new, 1)
    path = tmp_path / "allies.csv"
    path.write_text(text)
    return path


def test_non_number_names_file_row_and_column(tmp_path):
    path = _copy_with(tmp_path, "Poland,POL,1999,1,1.875", "Poland,POL,1999,1,abc")
    with pytest.raises(DataError, match=r"allies.csv: row \d+ \(POL\), column 'defence_pct_gdp_2014': 'abc' is not a number"):
        load_allies(path)


def test_missing_column(tmp_path):
    path = tmp_path / "allies.csv"
    lines = ALLIES_CSV.read_text().splitlines()
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines))
    with pytest.raises(DataError, match="missing column.*km_capital_to_minsk"):
        load_allies(path)


def test_duplicate_codes_and_missing_us(tmp_path):
    with pytest.raises(DataError, match="duplicate iso3 code.*POL"):
        load_allies(_copy_with(tmp_path, "Portugal,PRT", "Portugal,POL"))
    (tmp_path / "b").mkdir()
    with pytest.raises(DataError, match="must contain the United States"):
        load_allies(_copy_with(tmp_path / "b", "United States,USA", "United States,XXX"))


def test_out_of_range_spending_and_missing_file(tmp_path):
    with pytest.raises(DataError, match="outside 0-50"):
        load_allies(_copy_with(tmp_path, "Poland,POL,1999,1,1.875", "Poland,POL,1999,1,75"))
    with pytest.raises(DataError, match="not found"):
        load_allies(tmp_path / "nope.csv")


def test_a_copy_of_the_table_loads_the_same(tmp_path):
    copy = tmp_path / "same.csv"
    shutil.copy(ALLIES_CSV, copy)
    assert load_allies(copy) == load_allies()
