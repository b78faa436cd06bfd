"""Summits in the running model: what a review does to the guideline's bound set, under each decision rule."""

import numpy as np

from cohesion_sim.engine import BatchEngine
from cohesion_sim.model import AllianceModel
from cohesion_sim.scenario_files import load_scenario
from cohesion_sim.year import advance_year


def test_a_review_with_no_guideline_in_force_changes_nothing():
    finals = []
    for item in ("review", "unity"):
        model = AllianceModel(load_scenario("baseline", guideline=None, agenda=[{"year": 2026, "item": item}]), seed=4)
        while model.running:
            model.step()
        finals.append((model.metrics["cohesion"], model.metrics["mean_spending"]))
    assert finals[0] == finals[1]


def _exempt_by_year(scenario, seeds):
    engine = BatchEngine([scenario] * len(seeds), seeds, with_blocs=False)
    exempt = {}
    while engine.state.year < scenario.end_year:
        engine.step()
        exempt[engine.state.year] = engine.state.exempt.sum(axis=1).copy()
    return exempt, engine


def test_the_2029_review_re_decides_exemptions_and_a_qualified_majority_binds_every_ally():
    """Exemptions granted in 2025 last until the review; then its holdouts are exempt under consensus, nobody under QMV."""
    seeds = list(range(8))
    consensus, engine = _exempt_by_year(load_scenario("volatile_us"), seeds)
    qmv, _ = _exempt_by_year(
        load_scenario("volatile_us", decision_rule={"before": "consensus", "after": "qualified_majority", "year": 2026}), seeds
    )
    assert (consensus[2025] > 0).all() and np.array_equal(consensus[2025], qmv[2025])  # the Hague exemptions
    assert np.array_equal(consensus[2028], consensus[2025]) and np.array_equal(qmv[2028], qmv[2025])
    assert (qmv[2029] == 0).mean() >= 0.5  # a qualified majority of members and GDP binds every ally
    assert (consensus[2029] > 0).all()  # under consensus the review's holdouts stay out
    # and they are exactly the review's holdouts, not the opt-outs of 2025 piled on top
    assert np.array_equal(consensus[2035], consensus[2029]) and (consensus[2029] != consensus[2025]).any()
    assert engine.state.exempt[:, engine.runs.us].sum() == 0


def test_under_consensus_the_exempt_after_a_failed_review_are_its_holdouts():
    engine = BatchEngine([load_scenario("volatile_us")] * 6, list(range(6)), with_blocs=False)
    while engine.state.year < 2028:
        engine.step()
    votes = advance_year(engine.state, engine.runs)  # the 2029 review
    failed = votes.due & ~votes.passed
    assert failed.any()
    others = engine.runs.alliance.us_mask == 0
    holdouts = ~votes.yes & votes.voters & others
    assert np.array_equal(engine.state.exempt[failed] > 0, holdouts[failed])
