"""The batch engine equals the Mesa model, run by run, year by year, to 1e-9."""

import numpy as np
import pytest

from cohesion_sim.agents import MemberState
from cohesion_sim.engine import SUMMIT_NAMES, BatchEngine, run_batch
from cohesion_sim.model import MODEL_REPORTERS, AllianceModel
from cohesion_sim.rules import STATUS_NAMES
from cohesion_sim.scenario import Scenario
from cohesion_sim.scenario_files import available_scenarios, load_scenario

TOLERANCE = 1e-9
AGENT_NUMBERS = ("spending", "commitment", "us_reliability", "threat", "tension_with_us", "mean_tension", "meets_guideline")


def largest_difference(model: AllianceModel, result, r: int) -> float:
    """Max abs difference between one Mesa run and run r of an engine result, over every reporter and year."""
    worst = 0.0
    table = model.datacollector.get_model_vars_dataframe()
    assert len(table) == len(result.years)
    for name in MODEL_REPORTERS:
        ours, theirs = table[name].to_numpy(), result.yearly[name][r]
        if name == "summit":
            assert list(ours) == [SUMMIT_NAMES[int(code)] for code in theirs]
            continue
        if name == "guideline":
            ours = np.array([np.nan if v is None else v for v in ours], dtype=float)
            assert np.array_equal(np.isnan(ours), np.isnan(theirs))
            ours, theirs = np.nan_to_num(ours), np.nan_to_num(theirs)
        worst = max(worst, float(np.max(np.abs(ours.astype(float) - theirs.astype(float)))))
    agents = model.datacollector.get_agenttype_vars_dataframe(MemberState).reset_index()
    steps = agents["Step"].astype(int).to_numpy()
    columns = [model.alliance.iso3.index(code) for code in agents["iso3"]]
    for name in AGENT_NUMBERS:
        theirs = result.agents[name][r][steps, columns]
        worst = max(worst, float(np.max(np.abs(agents[name].to_numpy().astype(float) - theirs.astype(float)))))
    statuses = [STATUS_NAMES[int(code)] for code in result.agents["status"][r][steps, columns]]
    assert statuses == list(agents["status"])
    return worst


@pytest.mark.parametrize("name", available_scenarios())
def test_engine_equals_model_for_every_scenario(name):
    scenario = load_scenario(name)
    seeds = [0, 7, 2026]
    result = run_batch([scenario] * len(seeds), seeds, yearly=True, agents=True)
    for r, seed in enumerate(seeds):
        assert largest_difference(AllianceModel(name, rng=seed).run(), result, r) <= TOLERANCE


def perturbed(base: Scenario, rng: np.random.Generator) -> Scenario:
    """Every bounded float parameter moved by up to 30% (within its range), and the structural switches varied."""
    overrides = {}
    for field, info in Scenario.model_fields.items():
        value = getattr(base, field)
        if not isinstance(value, float) or field == "observed_vacuum":
            continue
        low = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
        high = next((m.le for m in info.metadata if hasattr(m, "le")), None)
        if low is not None and high is not None:
            overrides[field] = float(np.clip(value * rng.uniform(0.7, 1.3), low, high))
    overrides["decision_rule"] = str(rng.choice(["consensus", "qualified_majority"]))
    overrides["allow_exemptions"] = bool(rng.integers(2))
    overrides["max_exemptions"] = int(rng.integers(0, 4))
    overrides["partnerships"] = float(rng.choice([0.0, 0.5]))
    return load_scenario(base, **overrides)


def test_engine_equals_model_when_every_run_has_its_own_parameters():
    """One batch mixing scenarios and perturbed parameters: per-run parameters reach the rules with the right shapes."""
    rng = np.random.default_rng(11)
    names = [n for n in available_scenarios() if load_scenario(n).start_year == 2024]
    scenarios = [perturbed(load_scenario(names[k % len(names)]), rng) for k in range(10)]
    seeds = [int(s) for s in rng.integers(0, 2**31, size=len(scenarios))]
    result = run_batch(scenarios, seeds, yearly=True, agents=True)
    worst = max(largest_difference(AllianceModel(s, rng=seed).run(), result, r)
                for r, (s, seed) in enumerate(zip(scenarios, seeds)))  # fmt: skip
    assert worst <= TOLERANCE


def test_final_only_equals_yearly_final():
    scenario = load_scenario("fractured")
    seeds = list(range(6))
    yearly = run_batch([scenario] * 6, seeds, yearly=True)
    final = run_batch([scenario] * 6, seeds)
    for name, values in final.final.items():
        if name in yearly.yearly:
            np.testing.assert_array_equal(values, yearly.yearly[name][:, -1])
    np.testing.assert_array_equal(final.final["summits_failed"], (yearly.yearly["summit"] == 3).sum(axis=1))


def test_runs_must_share_their_years():
    with pytest.raises(ValueError, match="share start_year"):
        BatchEngine([load_scenario("baseline"), load_scenario("hindcast_2014")], [1, 2])


def test_runs_share_a_start_tension_only_when_its_inputs_agree():
    """prepare_runs computes the start's tension rest point once per distinct input; each run's equals its own."""
    from cohesion_sim.alliance import build_alliance, start_tension
    from cohesion_sim.dataset import load_alliance_data
    from cohesion_sim.runs import prepare_runs

    base = load_scenario("baseline")
    variants = [base, load_scenario("baseline", threat_weight=3.0, budget_lag=2), load_scenario("baseline", tension_decay=0.3),
                load_scenario("baseline", balance_tension=0.4, us_pivot=0.6), load_scenario("baseline", rivalry_threat=0.6)]
    data = load_alliance_data()
    runs = prepare_runs(variants, [np.random.default_rng(k) for k in range(len(variants))], data)
    for scenario, start in zip(variants, runs.starts):
        alone = build_alliance(scenario, scenario.resolved_data_year, data.allies, data.debt, data.rivalries)
        assert np.array_equal(start.tension, start_tension(alone, scenario))
    assert np.array_equal(runs.starts[0].tension, runs.starts[1].tension)  # demand constants do not enter it
    assert not np.allclose(runs.starts[0].tension, runs.starts[2].tension)
    assert not np.allclose(runs.starts[0].tension, runs.starts[3].tension)
