"""Levers analysis: package enumeration, the futures design, and the scenarios they produce."""

import itertools

import numpy as np
import pytest

from cohesion_sim.levers.futures import FACTORS, future_overrides, sample_futures
from cohesion_sim.levers.packages import LEVERS, ON_LEVELS, build_packages
from cohesion_sim.levers.runner import combine
from cohesion_sim.levers.spec import FutureRanges
from cohesion_sim.scenario_files import load_scenario


@pytest.fixture(scope="module")
def base():
    return load_scenario("baseline")


def test_every_combination_of_the_four_levers_once(base):
    packages = build_packages(base, start_year=None)
    assert len(packages) == 16
    combos = {frozenset(p.levers) for p in packages}
    expected = {frozenset(c) for size in range(5) for c in itertools.combinations([lv.key for lv in LEVERS], size)}
    assert combos == expected
    assert len({p.name for p in packages}) == 16
    assert packages[0].name == "none" and packages[0].overrides == {}
    assert packages[-1].name == "coord+qmv+pillar+partners"
    assert packages[-1].overrides == ON_LEVELS
    qmv = next(p for p in packages if p.name == "qmv")
    assert qmv.overrides == {"decision_rule": "qualified_majority"}


def test_levers_from_a_start_year_are_dated_steps_from_the_base_value(base):
    packages = {p.name: p for p in build_packages(base, start_year=2027, dated=True)}
    assert packages["coord"].overrides == {
        "coordination": {"kind": "step", "before": 0.2, "level": 0.7, "year": 2027}  # baseline: 0.2
    }
    assert packages["qmv"].overrides == {"decision_rule": {"before": "consensus", "after": "qualified_majority", "year": 2027}}
    # a model without dated levers gets the on level from the start; a start year at or before the start needs no date
    assert build_packages(base, start_year=2027, dated=False)[1].overrides == {"coordination": 0.7}
    assert build_packages(base, start_year=base.start_year, dated=True)[1].overrides == {"coordination": 0.7}


def test_named_packages_and_custom_levels_follow_the_combinations(base):
    packages = build_packages(base, on_levels={"coordination": 0.9}, start_year=None,
                              extra={"max_coordination": {"coordination": 1.0, "partnerships": 0.2}})  # fmt: skip
    assert len(packages) == 17 and packages[-1].name == "max_coordination"
    assert packages[-1].overrides == {"coordination": 1.0, "partnerships": 0.2}
    assert packages[1].overrides == {"coordination": 0.9}


def test_futures_design_is_seeded_reproducible_and_latin(base):
    ranges = FutureRanges()
    a = sample_futures(ranges, 50, seed=3)
    b = sample_futures(ranges, 50, seed=3)
    c = sample_futures(ranges, 50, seed=4)
    assert a.equals(b) and not a.equals(c)
    assert list(a["future"]) == list(range(50)) and set(FACTORS) <= set(a.columns)
    for name in FACTORS:  # a Latin hypercube: one point in each of the 50 strata of every factor
        strata = np.floor(a[f"unit:{name}"].to_numpy() * 50).astype(int)
        assert sorted(strata) == list(range(50))
    assert a["vacuum_level"].between(0.1, 0.9).all() and a["volatility"].between(0.0, 0.3).all()
    assert set(a["vacuum_year"]) == set(range(2026, 2034))
    assert set(a["vacuum_shape"]) == {"step", "ramp"}
    random = sample_futures(ranges, 50, seed=3, method="random")
    assert not random.equals(a) and random.equals(sample_futures(ranges, 50, seed=3, method="random"))


def test_a_future_becomes_a_valid_scenario_with_its_us_path(base):
    step = {"vacuum_level": 0.8, "vacuum_year": 2029, "vacuum_shape": "step", "volatility": 0.12, "pressure": 0.7,
            "east_threat": 0.95, "south_threat": 0.25}  # fmt: skip
    scenario = load_scenario(base, **future_overrides(step, base))
    assert scenario.vacuum.at(2028) == pytest.approx(0.3) and scenario.vacuum.at(2029) == pytest.approx(0.8)
    assert scenario.vacuum.volatility == pytest.approx(0.12)
    assert scenario.pressure.at(2030) == pytest.approx(0.7)
    assert scenario.threat.east.at(2024) == pytest.approx(0.8) and scenario.threat.east.at(2035) == pytest.approx(0.95)
    assert scenario.threat.south.at(2035) == pytest.approx(0.25)
    ramp = load_scenario(base, **future_overrides({**step, "vacuum_shape": "ramp"}, base))
    assert ramp.vacuum.at(2024) == pytest.approx(0.3) and ramp.vacuum.at(2029) == pytest.approx(0.8)
    assert 0.3 < ramp.vacuum.at(2026) < 0.8


def test_combined_scenario_equals_validating_every_override(base):
    future = future_overrides({"vacuum_level": 0.6, "vacuum_year": 2030, "vacuum_shape": "ramp", "volatility": 0.2,
                               "pressure": 0.3, "east_threat": 0.6, "south_threat": 0.5}, base)  # fmt: skip
    package = build_packages(base, start_year=None)[-1].overrides
    fast = combine(load_scenario(base, **package), load_scenario(base, **future), future)
    assert fast.model_dump() == load_scenario(base, **package, **future).model_dump()


def test_the_builtin_default_spec_is_the_default_analysis():
    from cohesion_sim.levers.spec import load_levers_spec

    written = load_levers_spec("default").model_dump()
    defaults = load_levers_spec(None).model_dump()
    assert {k: v for k, v in written.items() if k != "description"} == {k: v for k, v in defaults.items() if k != "description"}


def test_dated_levers_leave_the_years_before_their_start_untouched(base):
    from cohesion_sim.engine import run_batch
    from cohesion_sim.levers.runner import dated_levers_supported

    if not dated_levers_supported(base):
        pytest.skip("this model version has no dated levers (levers hold from the start)")
    packages = {p.name: p for p in build_packages(base, start_year=2029, dated=True)}
    scenarios = [load_scenario(base, **packages[name].overrides) for name in ("none", "coord+qmv+pillar+partners")]
    result = run_batch(scenarios, [7, 7], yearly=True)
    before = result.years < 2029
    assert np.array_equal(result.yearly["cohesion"][0, before], result.yearly["cohesion"][1, before])
    assert not np.array_equal(result.yearly["cohesion"][0, ~before], result.yearly["cohesion"][1, ~before])
