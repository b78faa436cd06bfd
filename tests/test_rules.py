"""Each rule moves in the direction its theory says, and works on floats and arrays alike."""

import numpy as np
import pytest

from cohesion_sim import rules as R


def test_threat_decays_with_distance_and_rises_with_a_border():
    near, far = R.east_exposure([300, 2500], [0, 0], 700, 0.3)
    assert near > far
    assert R.east_exposure(900, 1, 700, 0.3) > R.east_exposure(900, 0, 700, 0.3)
    assert R.perceived_threat([1.0, 0.0, 0.5], [0.9, 0.2, 0.4]) == pytest.approx(1.0)  # clipped
    assert R.perceived_threat([0.2, 0.0, 0.5], [0.5, 0.2, 0.4]) == pytest.approx(0.3)


def test_abandonment_fear_rises_with_vacuum_and_falls_with_trust_and_partners():
    assert R.abandonment_fear(0.8, 0.7, 0.8) > R.abandonment_fear(0.8, 0.7, 0.2)
    assert R.abandonment_fear(0.8, 0.9, 0.3) < R.abandonment_fear(0.8, 0.3, 0.3)
    assert R.abandonment_fear(0.8, 0.5, 0.3, partner_ties=1.0, partner_relief=0.3) < R.abandonment_fear(0.8, 0.5, 0.3)


def test_trust_is_lost_faster_than_regained_and_volatility_costs_trust():
    kw = dict(tension_with_us=0.0, trust_gain=0.1, trust_loss=0.4, volatility_cost=1.0)
    down = 0.6 - R.perceived_reliability(0.6, 0.8, 0.8, **kw)  # target 0.2
    up = R.perceived_reliability(0.6, 0.0, 0.0, **kw) - 0.6  # target 1.0
    assert down > up > 0
    steady = R.perceived_reliability(0.5, 0.5, 0.5, **kw)
    erratic = R.perceived_reliability(0.5, 0.5, 0.2, **kw)
    assert erratic == pytest.approx(steady - 0.3)


def test_vacuum_deviation_reverts_to_the_path():
    assert R.vacuum_deviation(0.2, 0.0, 0.1, 0.5) == pytest.approx(0.1)
    assert R.vacuum_level(0.9, 0.3) == 1.0


def test_spill_in_falls_with_vacuum_tension_and_own_size():
    kw = dict(commitment=np.array([0.8, 0.8]), budgets=np.array([50.0, 50.0]), counts=np.array([1.0, 1.0]),
              reliability=0.7, us_budget=900.0, us_share_for_europe=0.3)  # fmt: skip
    base = R.allied_provision(100.0, tension_row=np.zeros(2), vacuum=0.2, **kw)
    assert R.allied_provision(100.0, tension_row=np.zeros(2), vacuum=0.8, **kw) < base
    assert R.allied_provision(100.0, tension_row=np.full(2, 0.5), vacuum=0.2, **kw) < base
    assert R.allied_provision(1000.0, tension_row=np.zeros(2), vacuum=0.2, **kw) < base


def test_demand_rises_with_threat_and_fear_and_falls_with_provision():
    kw = dict(private_demand=1.0, threat_weight=4, fear_weight=2, publicness=0.5, free_riding_weight=0.6,
              spending_floor=0.5)  # fmt: skip
    base = R.security_demand(0.5, 0.2, 1.0, **kw)
    assert R.security_demand(0.7, 0.2, 1.0, **kw) > base
    assert R.security_demand(0.5, 0.4, 1.0, **kw) > base
    assert R.security_demand(0.5, 0.2, 5.0, **kw) < base
    assert R.security_demand(0.0, 0.0, 1e6, **kw) == 0.5  # the private floor
    pure = dict(kw, publicness=1.0)
    assert base - R.security_demand(0.5, 0.2, 5.0, **kw) < R.security_demand(0.5, 0.2, 1.0, **pure) - R.security_demand(0.5, 0.2, 5.0, **pure)


def test_rest_point_private_demand_reproduces_spending():
    args = (0.4, 0.1, 2.0)
    weights = dict(threat_weight=4, fear_weight=2, publicness=0.5, free_riding_weight=0.6)
    private = R.private_demand_at_rest(1.7, *args, **weights)
    assert R.security_demand(*args, private_demand=private, spending_floor=0.0, **weights) == pytest.approx(1.7)


def test_guideline_path_and_pull():
    assert R.guideline_path(1.0, 2.0, 2014, 2024, 2014) == pytest.approx(1.0)
    assert R.guideline_path(1.0, 2.0, 2014, 2024, 2019) == pytest.approx(1.5)
    assert R.guideline_path(1.0, 2.0, 2014, 2024, 2030) == pytest.approx(2.0)
    assert R.guideline_path(3.0, 2.0, 2014, 2024, 2019) == pytest.approx(2.0)  # never above the guideline
    assert R.guideline_pull(1.2, 2.0, 0.5) == pytest.approx(1.6)
    assert R.guideline_pull(2.5, 2.0, 0.9) == pytest.approx(2.5)  # above the path: own demand
    kw = dict(pull_max=0.95, from_commitment=0.4, from_pressure=0.15, from_conformity=0.25, from_deadline=0.6,
              exemption_relief=0.8)  # fmt: skip
    weak = R.pull_strength(0.3, 0.2, 0.1, 0.1, 0.0, **kw)
    for stronger in ((0.9, 0.2, 0.1, 0.1, 0.0), (0.3, 0.9, 0.1, 0.1, 0.0), (0.3, 0.2, 0.9, 0.1, 0.0), (0.3, 0.2, 0.1, 1.0, 0.0)):
        assert R.pull_strength(*stronger, **kw) > weak
    assert R.pull_strength(0.3, 0.2, 0.1, 0.1, 1.0, **kw) < weak
    assert R.pull_strength(1, 1, 1, 1, 0, **kw) == pytest.approx(0.95)


def test_budget_inertia_caps_rises_and_cuts():
    assert R.budget_inertia(1.0, 5.0, 0.0, 0.6, 0.5, 0.3) == pytest.approx(1.5)
    assert R.budget_inertia(3.0, 0.0, 0.0, 0.6, 0.5, 0.3) == pytest.approx(2.7)
    assert R.budget_inertia(1.0, 1.5, 0.0, 0.6, 1.0, 0.3) == pytest.approx(1.3)


def test_commitment_directions():
    kw = dict(bias=1.0, from_reliability=2, from_threat=2, from_reciprocity=1.5, from_tension=3, from_entrapment=1.5,
              from_grievance=0.5)  # fmt: skip
    base = R.commitment_target(0.5, 0.5, 0.5, 0.1, 0.2, 0.0, **kw)
    assert R.commitment_target(0.9, 0.5, 0.5, 0.1, 0.2, 0.0, **kw) > base
    assert R.commitment_target(0.5, 0.9, 0.5, 0.1, 0.2, 0.0, **kw) > base
    assert R.commitment_target(0.5, 0.5, 0.9, 0.1, 0.2, 0.0, **kw) > base
    assert R.commitment_target(0.5, 0.5, 0.5, 0.4, 0.2, 0.0, **kw) < base
    assert R.commitment_target(0.5, 0.5, 0.5, 0.1, 0.6, 0.0, **kw) < base
    assert R.commitment_target(0.5, 0.5, 0.5, 0.1, 0.2, 1.0, **kw) < base
    assert R.commitment_update(0.5, 1.0, 0.3) == pytest.approx(0.65)


def test_burden_grievance_compares_with_peers_of_similar_threat():
    peers_s = np.array([1.0, 1.2, 4.0])
    peers_t = np.array([0.3, 0.3, 0.9])
    mask = np.ones(3)
    assert R.burden_grievance(3.0, 0.3, peers_s, peers_t, mask, 0.1) == pytest.approx(1.9, abs=0.01)
    assert R.burden_grievance(3.0, 0.9, peers_s, peers_t, mask, 0.1) == pytest.approx(0.0)


def test_entrapment_grows_as_the_agenda_leans_to_the_us_focus():
    us, europe, eastern = np.array([0.1, 0.1, 0.1, 0.7]), np.array([0.5, 0.3, 0.3, 0.0]), np.array([0.9, 0.0, 0.3, 0.0])
    engaged = R.priority_divergence(eastern, R.alliance_agenda(us, europe, 0.1))
    withdrawn = R.priority_divergence(eastern, R.alliance_agenda(us, europe, 0.9))
    assert engaged > withdrawn
    assert R.priority_divergence(eastern, eastern) == pytest.approx(0.0, abs=1e-12)


def test_tension_rules():
    kw = dict(decay=0.2, grievance_weight=0.05, divergence_weight=0.05, pressure_weight=0.1, coordination_effect=0.5)
    zeros = np.zeros(3)
    row = np.array([0.0, 0.3, 0.3])
    decayed = R.tension_row_update(row, np.asarray(0.5), np.asarray(2.0), np.array([2.0, 2.0, 2.0]), np.ones(3), zeros,
                                   np.asarray(0.0), zeros, zeros, zeros, **kw)  # fmt: skip
    assert decayed == pytest.approx(0.8 * row)
    grieved = R.tension_row_update(row, np.asarray(0.9), np.asarray(4.0), np.array([4.0, 1.0, 4.0]), np.ones(3), zeros,
                                   np.asarray(0.0), zeros, zeros, zeros, **kw)  # fmt: skip
    assert grieved[1] > decayed[1] and grieved[2] == pytest.approx(decayed[2])
    pressured = R.tension_row_update(row, np.asarray(0.5), np.asarray(2.0), np.full(3, 2.0), np.ones(3), zeros,
                                     np.asarray(1.0), np.array([0.0, 1.0, 0.0]), zeros, zeros, **kw)  # fmt: skip
    assert pressured[1] > decayed[1]
    disputed = R.tension_row_update(row, np.asarray(0.5), np.asarray(2.0), np.full(3, 2.0), np.ones(3), zeros,
                                    np.asarray(0.0), zeros, np.array([0, 0, 0.3]), zeros, **kw)  # fmt: skip
    assert disputed[2] == pytest.approx(decayed[2] + 0.3)
    coordinated = R.tension_row_update(row, np.asarray(0.5), np.asarray(2.0), np.full(3, 2.0), np.ones(3), zeros,
                                       np.asarray(0.0), zeros, zeros, np.ones(3), **kw)  # fmt: skip
    assert np.all(coordinated <= decayed) and coordinated[1] < decayed[1]
    sym = R.symmetrize_tension(np.array([[0.5, 0.4], [0.0, 0.7]]))
    assert sym.tolist() == [[0.0, 0.2], [0.2, 0.0]]


def test_tension_rest_point_is_a_fixed_point():
    additions, coord = np.array([0.02, 0.05]), np.array([0.2, 0.6])
    rest = R.tension_rest_point(additions, coord, 0.2, 0.5)
    again = ((1 - 0.2) * rest + additions) * (1 - 0.5 * coord)
    assert again == pytest.approx(rest)


def test_status_hysteresis():
    kw = dict(hedge_reliability=0.4, hedge_threat=0.3, margin=0.1, exit_commitment=0.2)
    assert R.next_status(R.ALIGNED, 0.3, 0.5, 0.6, **kw) == R.HEDGING
    assert R.next_status(R.ALIGNED, 0.3, 0.2, 0.6, **kw) == R.ALIGNED  # not threatened: no need to hedge
    assert R.next_status(R.HEDGING, 0.45, 0.5, 0.6, **kw) == R.HEDGING  # inside the margin: stays
    assert R.next_status(R.HEDGING, 0.55, 0.5, 0.6, **kw) == R.ALIGNED
    assert R.next_status(R.ALIGNED, 0.9, 0.5, 0.1, **kw) == R.DISENGAGED
    assert R.next_status(R.DISENGAGED, 0.9, 0.5, 0.25, **kw) == R.DISENGAGED
    assert R.next_status(R.DISENGAGED, 0.9, 0.5, 0.35, **kw) == R.ALIGNED


def test_summit_rules():
    yes = np.array([True, True, True, False])
    gdp = np.array([10.0, 10.0, 10.0, 70.0])
    passed, exempt = R.summit_decision(yes, gdp, False, True, 1, 0.55, 0.65)
    assert passed and exempt.tolist() == [False, False, False, True]
    passed, exempt = R.summit_decision(yes, gdp, False, False, 1, 0.55, 0.65)
    assert not passed and not exempt.any()
    passed, _ = R.summit_decision(yes, gdp, True, False, 0, 0.55, 0.65)
    assert not passed  # 75% of members but only 30% of GDP
    passed, exempt = R.summit_decision(np.array([True, True, False, True]), gdp, True, False, 0, 0.55, 0.65)
    assert passed and not exempt.any()
    support = R.supports_item(np.array([0.5, 0.5, 0.9]), np.array([3.0, 1.0, 1.0]), 3.5, np.array([False, False, True]), 0.35, 0.15)
    assert support.tolist() == [True, False, False]


def test_rules_broadcast_over_runs():
    """The same call on (R, N) arrays equals the per-ally scalar calls (what the batch engine relies on)."""
    rng = np.random.default_rng(0)
    r, v, t = rng.random((4, 5)), rng.random((4, 1)), rng.random((4, 5))
    batch = R.perceived_reliability(r, v, v * 0.9, t, 0.15, 0.4, 1.0)
    for i in range(4):
        for j in range(5):
            assert batch[i, j] == R.perceived_reliability(r[i, j], v[i, 0], v[i, 0] * 0.9, t[i, j], 0.15, 0.4, 1.0)


def test_summit_feedback():
    c = np.array([0.5, 0.5, 0.99, 0.5])
    yes = np.array([True, False, True, True])
    members = np.array([1.0, 1.0, 1.0, 0.0])  # the last is the US: its commitment follows the vacuum
    passed = R.summit_commitment(c, yes, True, members, 0.03, 0.05)
    assert passed == pytest.approx([0.53, 0.5, 1.0, 0.5])
    failed = R.summit_commitment(c, yes, False, members, 0.03, 0.05)
    assert failed == pytest.approx([0.45, 0.45, 0.94, 0.5])
    tension = np.zeros((3, 3))
    after = R.exemption_tension(tension, np.array([False, True, False]), 0.1)
    assert after.tolist() == [[0, 0.1, 0], [0.1, 0, 0.1], [0, 0.1, 0]]


def test_qualified_majority_caps_economic_weight_so_no_single_ally_vetoes():
    gdp = np.array([27000.0] + [800.0] * 30)  # one ally with about half of the total GDP
    everyone_but_the_giant = np.array([False] + [True] * 30)
    uncapped, _ = R.summit_decision(everyone_but_the_giant, gdp, True, False, 0, 0.55, 0.65, 1.0)
    capped, _ = R.summit_decision(everyone_but_the_giant, gdp, True, False, 0, 0.55, 0.65, 0.2)
    assert not uncapped and capped
    assert R.voting_weights(gdp, 0.2).max() == pytest.approx(0.2)


def test_the_us_backs_guidelines_while_it_presses_for_burden_sharing():
    assert R.us_voting_commitment(0.85, 0.8, True) == pytest.approx(0.8)
    assert R.us_voting_commitment(0.85, 0.8, False) == pytest.approx(0.15)
