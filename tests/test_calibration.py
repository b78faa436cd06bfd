"""MODEL.md's calibration targets (hindcast, 20 seeds) and the four theory checks, met by the mechanisms."""

import numpy as np
import pytest
from scipy.stats import spearmanr

from cohesion_sim import AllianceModel
from cohesion_sim.outputs import agent_table, model_table

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


def test_olson_zeckhauser_larger_allies_carry_more():
    """Pure public good, equal threat, v = 0, no guideline: Spearman(GDP, spending) > 0."""
    rhos = []
    for seed in range(5):
        m = AllianceModel(
            "baseline", rng=seed, publicness=1.0, calibrate_to_start=False, vacuum=0.0, observed_vacuum=0.0,
            guideline=None, agenda=[], threat={"east": 0.0, "south": 0.0, "hybrid": 0.6}, end_year=2040,
        ).run()  # fmt: skip
        assert len({round(a.threat, 12) for a in m.members}) == 1, "threat must be equal for all"
        armed = [a for a in m.members if a.has_armed_forces]
        rhos.append(spearmanr([a.gdp for a in armed], [a.spending for a in armed]).statistic)
    assert np.mean(rhos) > 0.3, rhos


def test_balancing_more_vacuum_more_spending_less_trust():
    def final(vacuum):
        runs = [AllianceModel("baseline", rng=s, vacuum=vacuum).run() for s in range(5)]
        europe = [np.mean([a.spending for a in m.members if a.has_armed_forces and a.is_european]) for m in runs]
        trust = [np.mean([a.us_reliability for a in m.members]) for m in runs]
        assert all(m.year == 2035 for m in runs)
        return np.mean(europe), np.mean(trust)

    low, high = final(0.2), final(0.8)
    assert high[0] > low[0], (low, high)
    assert high[1] < low[1], (low, high)


def test_coordination_raises_cohesion():
    for seed in range(3):
        low = AllianceModel("baseline", rng=seed, coordination=0.1).run().metrics["cohesion"]
        high = AllianceModel("baseline", rng=seed, coordination=0.8).run().metrics["cohesion"]
        assert high > low


def test_qualified_majority_passes_more_than_consensus_with_an_unreliable_us():
    def passed(rule):
        total = 0
        for seed in range(5):
            m = AllianceModel("abrupt_withdrawal", rng=seed, decision_rule=rule, allow_exemptions=False).run()
            total += sum(e["outcome"].startswith("passed") for e in m.events)
        return total

    assert passed("qualified_majority") > passed("consensus")


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
