"""Issue 9's behavioural signatures S1-S8 at the default constants, on the batch engine.

Each test runs the signature's experiment (median over 20 seeds) and asserts its verdict; on
failure the message prints the measured numbers. The hypercube (S4) and the Sobol analysis (S5)
are marked slow.
"""

import numpy as np
import pytest

from cohesion_sim.validation import signatures as sig


def check(result):
    assert result.passed, result.line()


def test_s1_balancing():
    check(sig.s1_balancing())


def test_s2_graded_hedging():
    check(sig.s2_graded_hedging())


def test_s3_camps():
    check(sig.s3_camps())


@pytest.mark.slow
def test_s4_no_runaway():
    check(sig.s4_no_runaway(runs=1000))


@pytest.mark.slow
def test_s5_the_us_stance_drives_outcomes():
    check(sig.s5_stance_drives(base_samples=64))  # 768 runs; the gap (about 0.1 against 0.001) is wide


def test_s6_free_riding_and_threat():
    check(sig.s6_free_riding_and_threat())


def test_s7_levers_act_through_the_dynamics():
    check(sig.s7_levers())


def test_s8_history():
    check(sig.s8_history())


def test_start_never_depends_on_levers_vacuum_or_threat():
    """Issue 9: the starting state is computed under the observed conditions only (1e-12)."""
    from cohesion_sim.engine import run_batch
    from cohesion_sim.scenario_files import load_scenario

    variants = [load_scenario("baseline"), load_scenario("baseline", coordination=0.9, partnerships=0.8),
                load_scenario("baseline", vacuum=0.9, threat={"east": 1.0, "south": 0.1, "hybrid": 0.9}),
                load_scenario("baseline", decision_rule="qualified_majority", pillar_coordination=0.9)]  # fmt: skip
    result = run_batch(variants, [3] * len(variants), yearly=True, agents=True, with_blocs=False)
    for name in ("spending", "commitment", "us_reliability", "threat", "mean_tension"):
        start = result.agents[name][:, 0]
        assert np.allclose(start, start[0], atol=1e-12, rtol=0), name


def test_latin_hypercube_covers_every_range_once_per_stratum():
    ranges = {"a": (0.0, 1.0), "trust_gain": (0.05, 0.4), "trust_loss": (0.1, 0.8)}
    points = sig.latin_hypercube(ranges, 50, seed=1)
    a = np.array([p["a"] for p in points])
    assert sorted(np.floor(a * 50).astype(int)) == list(range(50))
    assert all(p["trust_loss"] >= p["trust_gain"] for p in points)


def test_mechanism_sweep_tells_acting_dormant_and_inert_constants_apart():
    """Coordination acts; the cap on economic weight under qualified majority cannot act where the alliance
    decides by consensus, but acts where a withdrawn US votes against a review under QMV (dormant); swept
    again where nothing new happens, it is inert."""
    from cohesion_sim.validation.mechanisms import CONDITIONS, Condition, mechanism_sweep

    kw = dict(scenarios=("baseline",), points=3, seeds=4)
    effects = {e.name: e for e in mechanism_sweep(names=["coordination", "qmv_weight_cap"], **kw)}
    assert not effects["coordination"].still and not effects["coordination"].inert
    assert effects["coordination"].condition is None  # a constant that acts needs no condition
    assert effects["coordination"].collapsed_runs == 0
    cap = effects["qmv_weight_cap"]
    assert cap.still and max(cap.moves.values()) == 0.0
    assert cap.dormant and not cap.inert and cap.condition is CONDITIONS["qmv_weight_cap"]
    assert cap.line().startswith("DORMT") and "where a withdrawn US" in cap.line()
    nowhere = {"qmv_weight_cap": Condition("baseline", {}, "nothing changes")}
    (again,) = mechanism_sweep(names=["qmv_weight_cap"], conditions=nowhere, **kw)
    assert again.inert and again.line().startswith("INERT")
    # a rivalry acts on its pair: the condition watches Greece's tension, which the headlines cannot see
    (rivalry,) = mechanism_sweep(names=["rivalry_tension"], **kw)
    assert rivalry.dormant and "baseline:GRC.mean_tension" in rivalry.condition_moves

def test_a_start_that_breaks_the_2024_alliance_is_told_apart_from_the_scenario():
    """S4 keeps points whose start has every ally engaged, as in 2024; the US stance (an experiment) never decides it."""
    from cohesion_sim.scenario_files import load_scenario

    broken = load_scenario("baseline", commitment_bias=0.0, exit_commitment=0.4, commitment_from_tension=5.0)
    engaged = sig._starts_engaged([load_scenario("baseline"), broken, load_scenario("baseline", vacuum=0.95)])
    assert engaged.tolist() == [True, False, True]
