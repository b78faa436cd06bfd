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


def test_mechanism_sweep_flags_an_inert_constant_and_a_working_one():
    """The sweep's verdicts: summit_interval no longer acts (symbolic summits change nothing); coordination does."""
    effects = {e.name: e for e in sig.mechanism_sweep(points=3, seeds=4, names=["summit_interval", "coordination"])}
    assert effects["coordination"].inert is False
    assert effects["summit_interval"].inert is True
    assert effects["coordination"].collapsed_runs == 0
