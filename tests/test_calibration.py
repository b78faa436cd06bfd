"""MODEL.md's calibration targets (hindcast, 20 seeds) and the four theory checks, met by the mechanisms."""

import numpy as np
import pytest

from cohesion_sim import AllianceModel
from cohesion_sim.outputs import agent_table, model_table
from cohesion_sim.validation import THEORY_CHECKS, run_hindcast

SEEDS = range(20)
LAGGARDS_2024 = ("HRV", "PRT", "ITA", "CAN", "BEL", "LUX", "SVN", "ESP")
FRONTLINE = ("POL", "EST", "LVA", "LTU")


@pytest.fixture(scope="module")
def hindcast():
    runs = [AllianceModel("hindcast_2014", rng=seed).run() for seed in SEEDS]
    return runs


def spending_2024(model):
    values = {m.iso3: m.spending for m in model.members if m.has_armed_forces}
    values["USA"] = model.us.spending
    return values


def test_hindcast_2014_count_comes_from_the_data(hindcast):
    assert all(model_table(m).iloc[0]["allies_at_2pct"] == 3 for m in hindcast)


def test_hindcast_2024_count_between_20_and_25(hindcast):
    counts = [model_table(m).set_index("year").loc[2024, "allies_at_2pct"] for m in hindcast]
    assert 20 <= np.median(counts) <= 25, counts


def test_most_observed_laggards_stay_below_two_percent(hindcast):
    below = [sum(spending_2024(m)[code] < 2.0 for code in LAGGARDS_2024) for m in hindcast]
    assert np.median(below) >= 5, below


def test_poland_and_the_baltics_are_among_the_top_eight(hindcast):
    medians = {code: np.median([spending_2024(m)[code] for m in hindcast]) for code in spending_2024(hindcast[0])}
    top8 = sorted(medians, key=medians.get, reverse=True)[:8]
    assert set(FRONTLINE) <= set(top8), top8


def test_no_country_or_year_is_special_cased():
    """The calibration lives in parameters shared by all allies: the rules never look at a country code."""
    import inspect

    from cohesion_sim import agents, alliance, model, rules

    for module in (rules.decision, rules.spending, rules.commitment, rules.tension, rules.threat, agents, alliance):
        source = inspect.getsource(module)
        for code in ("POL", "EST", "LVA", "LTU", "ESP", "CAN", "ITA", "2014", "2022", "2024"):
            assert f'"{code}"' not in source and f"'{code}'" not in source, (module.__name__, code)
    assert '"USA"' not in inspect.getsource(model.AllianceModel.step)


@pytest.mark.parametrize("name", list(THEORY_CHECKS))
def test_theory_checks(name):
    """Olson-Zeckhauser, balancing, coordination and voting rule, as `cohesion-sim validate` reports them."""
    result = THEORY_CHECKS[name](range(5))
    assert result.passed, result.line()
    assert all(np.isfinite(v) for v in result.numbers.values())


def test_olson_zeckhauser_uses_equal_threat():
    model = AllianceModel("baseline", rng=0, threat={"east": 0.0, "south": 0.0, "hybrid": 0.6}, rivalry_threat=0.0,
                          end_year=2025).run()  # fmt: skip  (the start year is under the observed threat levels)
    assert len({round(a.threat, 12) for a in model.members}) == 1


def test_hindcast_declaration_gap_narrows_toward_the_deadline(hindcast):
    gaps = np.array([model_table(m)["declaration_gap"].to_numpy() for m in hindcast])
    assert np.median(gaps[:, -1]) < np.median(gaps[:, 5:8].max(axis=1))


def test_bunching_just_above_the_guideline(hindcast):
    """Of the allies at or above 2% in 2024, many sit just above it (observed: 13 of 23 between 2.00 and 2.25)."""
    shares = []
    for m in hindcast:
        values = [v for v in spending_2024(m).values() if v >= 2.0]
        shares.append(np.mean([v < 2.25 for v in values]))
    assert np.median(shares) >= 0.35


def test_agent_table_year_index(hindcast):
    agents = agent_table(hindcast[0])
    assert agents["year"].min() == 2014 and agents["year"].max() == 2024


def test_validation_report_and_figure(tmp_path):
    from cohesion_sim.validation.report import format_report, validation_figure
    from cohesion_sim.validation.theory import CheckResult

    result = run_hindcast(range(3))
    report = format_report(result, [CheckResult("Dummy", True, {"x": 1.0}, "a check")])
    assert "Allies at or above 2%: observed 23" in report and "POL" in report and "PASS  Dummy" in report
    path = validation_figure(result, tmp_path / "fig.png")
    assert path.read_bytes()[:4] == b"\x89PNG"
    assert set(result.per_ally().columns) >= {"observed", "median", "p05", "p95"}


def test_validate_command_exit_code(tmp_path):
    from cohesion_sim.cli import main

    assert main(["validate", "--only", "S6"]) == 0  # S6 passes at the default constants
    assert main(["validate", "--only", "S99"]) == 2  # an unknown signature: one line, exit 2
