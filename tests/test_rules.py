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


def test_abandonment_fear_rises_with_vacuum_and_falls_with_trust():
    assert R.abandonment_fear(0.8, 0.7, 0.8) > R.abandonment_fear(0.8, 0.7, 0.2)
    assert R.abandonment_fear(0.8, 0.9, 0.3) < R.abandonment_fear(0.8, 0.3, 0.3)


def test_trust_is_lost_faster_than_regained_and_erratic_moves_cost_trust():
    kw = dict(tension_with_us=0.0, trust_gain=0.1, trust_loss=0.4, volatility_cost=1.0, erratic=0.0)
    down = 0.6 - R.perceived_reliability(reliability=0.6, vacuum=0.8, **kw)  # target 0.2
    up = R.perceived_reliability(reliability=0.6, vacuum=0.0, **kw) - 0.6  # target 1.0
    assert down > up > 0
    steady = R.perceived_reliability(reliability=0.5, vacuum=0.5, **kw)
    erratic = R.perceived_reliability(reliability=0.5, vacuum=0.5, **dict(kw, erratic=0.3))
    assert erratic == pytest.approx(steady - 0.3)
    # a move away costs, a steady move toward reassurance does not, a swing back after a move away does
    assert R.erratic_change(0.5, 0.2, 0.0) == pytest.approx(0.3)
    assert R.erratic_change(0.2, 0.5, -0.1) == pytest.approx(0.0)
    assert R.erratic_change(0.2, 0.5, 0.3) == pytest.approx(0.3)


def test_vacuum_deviation_reverts_to_the_path():
    assert R.vacuum_deviation(0.2, 0.0, 0.1, 0.5) == pytest.approx(0.1)
    assert R.vacuum_level(0.9, 0.3) == 1.0


def test_spill_in_falls_with_vacuum_tension_and_own_size():
    kw = dict(commitment=np.array([0.8, 0.8]), budgets=np.array([50.0, 50.0]), counts=np.array([1.0, 1.0]),
              reliability=0.7, us_budget=900.0, us_share_for_europe=0.3)  # fmt: skip
    base = R.allied_provision(own_gdp=100.0, tension_row=np.zeros(2), vacuum=0.2, **kw)
    assert R.allied_provision(own_gdp=100.0, tension_row=np.zeros(2), vacuum=0.8, **kw) < base
    assert R.allied_provision(own_gdp=100.0, tension_row=np.full(2, 0.5), vacuum=0.2, **kw) < base
    assert R.allied_provision(own_gdp=1000.0, tension_row=np.zeros(2), vacuum=0.2, **kw) < base


def test_demand_rises_with_threat_and_fear_and_is_crowded_out_by_coverage():
    kw = dict(private_demand=1.0, threat_weight=3, fear_weight=2, publicness=0.5, spending_floor=0.5)
    base = R.security_demand(threat=0.5, fear=0.2, coverage=0.5, **kw)
    assert R.security_demand(threat=0.7, fear=0.2, coverage=0.5, **kw) > base
    assert R.security_demand(threat=0.5, fear=0.4, coverage=0.5, **kw) > base
    assert R.security_demand(threat=0.5, fear=0.2, coverage=0.9, **kw) < base
    assert R.security_demand(threat=0.0, fear=0.0, coverage=1.0, **dict(kw, private_demand=0.0)) == 0.5  # floor
    # pure public good: crowd-out is larger; a fully exposed ally's deterrence is private (not crowded out)
    pure = dict(kw, publicness=1.0)
    assert (R.security_demand(threat=0.5, fear=0.2, coverage=0.1, **pure) - R.security_demand(threat=0.5, fear=0.2, coverage=0.9, **pure)
            > base - R.security_demand(threat=0.5, fear=0.2, coverage=0.9, **kw))  # fmt: skip
    assert R.security_demand(threat=1.0, fear=0.2, coverage=0.9, **pure) == pytest.approx(
        R.security_demand(threat=1.0, fear=0.2, coverage=0.0, **pure))
    # coverage: small allies next to large budgets are covered more than large ones
    assert R.deterrence_coverage(10.0, 0.4) > R.deterrence_coverage(0.1, 0.4)


def test_rest_point_private_demand_reproduces_spending():
    args = dict(threat=0.4, fear=0.1, coverage=0.6)
    weights = dict(threat_weight=3, fear_weight=2, publicness=0.5)
    private = R.private_demand_at_rest(spending=1.7, **args, **weights)
    assert R.security_demand(**args, private_demand=private, spending_floor=0.0, **weights) == pytest.approx(1.7)


def test_fiscal_space_lags_and_bunching():
    assert R.fiscal_space(50, 140) == 1.0 and R.fiscal_space(150, 140) == 0.0
    assert R.fiscal_space(100, 140) == pytest.approx(0.5)
    assert R.fiscal_max_rise(0.5, 0.2, 1.0) == pytest.approx(0.6)
    w = R.lag_weights(np.array([1.0, 1.5, 3.0]))
    assert w.tolist() == [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]]
    assert np.sum(w * [1, 2, 3], axis=-1) == pytest.approx([1.0, 1.5, 3.0])  # the mean lag
    assert R.lagged_target(np.array([3.0, 2.0, 1.0]), R.lag_weights(1.5)) == pytest.approx(2.5)
    target = np.array([1.8, 1.8, 2.1, 1.8])
    need = np.array([1.7, 1.2, 2.1, 1.7])
    jumped = R.bunching(target=target, need=need, guideline=2.0, aim=2.1, reach=0.35, nearness=1.0, bound=np.array([1, 1, 1, 0]))
    assert jumped.tolist() == [2.1, 1.8, 2.1, 1.8]  # own need near the line jumps it; far need, above or unbound do not
    assert R.bunching(target=1.8, need=1.7, guideline=2.0, aim=2.1, reach=0.35, nearness=0.0, bound=1.0) == 1.8  # no jump long before the deadline


def test_reciprocity_is_keeping_pace_with_the_pledge():
    bound = np.ones(3)
    holding = R.keeping_pace(np.array([1.0, 1.5, 2.5]), np.array([1.0, 1.5, 2.5]), 2.0, bound, 0.2)
    rising = R.keeping_pace(np.array([1.1, 1.6, 2.5]), np.array([1.0, 1.5, 2.5]), 2.0, bound, 0.2)
    falling = R.keeping_pace(np.array([0.9, 1.4, 2.5]), np.array([1.0, 1.5, 2.5]), 2.0, bound, 0.2)
    assert holding == pytest.approx((0.5 + 0.5 + 1) / 3)
    assert rising == pytest.approx(1.0) and falling == pytest.approx(1 / 3)
    # a higher guideline does not by itself turn allies that keep pace into defectors
    assert R.keeping_pace(np.array([1.1, 1.6, 2.6]), np.array([1.0, 1.5, 2.5]), 3.5, bound, 0.2) == pytest.approx(1.0)
    assert R.keeping_pace(np.ones(3), np.ones(3), np.nan, bound, 0.2) == pytest.approx(0.5)


def test_guideline_path_and_pull():
    assert R.guideline_path(1.0, 2.0, 2014, 2024, 2014) == pytest.approx(1.0)
    assert R.guideline_path(1.0, 2.0, 2014, 2024, 2019) == pytest.approx(1.5)
    assert R.guideline_path(1.0, 2.0, 2014, 2024, 2030) == pytest.approx(2.0)
    assert R.guideline_path(3.0, 2.0, 2014, 2024, 2019) == pytest.approx(2.0)  # never above the guideline
    assert R.guideline_pull(1.2, 2.0, 0.5) == pytest.approx(1.6)
    assert R.guideline_pull(2.5, 2.0, 0.9) == pytest.approx(2.5)  # above the path: own demand
    kw = dict(pull_max=0.95, from_commitment=0.4, from_pressure=0.15, from_conformity=0.25, from_deadline=0.6,
              exemption_relief=0.8, fiscal_pull=0.7)  # fmt: skip
    names = ("commitment", "pressure", "conformity", "nearness", "exempt", "space")

    def mu(*values):
        return R.pull_strength(**dict(zip(names, values)), **kw)

    weak = mu(0.3, 0.2, 0.1, 0.1, 0.0, 1.0)
    for stronger in ((0.9, 0.2, 0.1, 0.1, 0.0, 1.0), (0.3, 0.9, 0.1, 0.1, 0.0, 1.0), (0.3, 0.2, 0.9, 0.1, 0.0, 1.0),
                     (0.3, 0.2, 0.1, 1.0, 0.0, 1.0)):  # fmt: skip
        assert mu(*stronger) > weak
    assert mu(0.3, 0.2, 0.1, 0.1, 1.0, 1.0) < weak  # exemption
    assert mu(0.3, 0.2, 0.1, 0.1, 0.0, 0.0) == pytest.approx(0.3 * weak)  # no fiscal space
    assert mu(1, 1, 1, 1, 0, 1) == pytest.approx(0.95)


def test_budget_inertia_caps_rises_and_cuts():
    assert R.budget_inertia(spending=1.0, target=5.0, noise=0.0, adjustment_speed=0.6, max_rise=0.5, max_cut=0.3) == pytest.approx(1.5)
    assert R.budget_inertia(spending=3.0, target=0.0, noise=0.0, adjustment_speed=0.6, max_rise=0.5, max_cut=0.3) == pytest.approx(2.7)
    assert R.budget_inertia(spending=1.0, target=1.5, noise=0.0, adjustment_speed=0.6, max_rise=1.0, max_cut=0.3) == pytest.approx(1.3)


def test_two_commitments_move_as_snyder_says():
    common = dict(bias=1.0, from_threat=2, from_reciprocity=1.5, from_tension=3, from_grievance=0.5)
    atl = dict(reliability=0.5, threat=0.5, reciprocity=0.5, us_tension=0.1, entrapment=0.2, grievance=0.0)
    katl = dict(common, from_reliability=3, from_entrapment=1.5)
    base = R.transatlantic_target(**atl, **katl)
    for name, value, sign in (("reliability", 0.9, 1), ("threat", 0.9, 1), ("reciprocity", 0.9, 1),
                              ("us_tension", 0.4, -1), ("entrapment", 0.6, -1), ("grievance", 1.0, -1)):  # fmt: skip
        assert sign * (R.transatlantic_target(**dict(atl, **{name: value}), **katl) - base) > 0, name
    eu = dict(fear=0.2, threat=0.5, reciprocity=0.5, european_tension=0.1, pillar=0.0, grievance=0.0)
    keu = dict(common, from_fear=2, from_pillar=1.5)
    base = R.european_target(**eu, **keu)
    for name, value, sign in (("fear", 0.6, 1), ("pillar", 0.5, 1), ("european_tension", 0.4, -1)):
        assert sign * (R.european_target(**dict(eu, **{name: value}), **keu) - base) > 0, name
    assert R.commitment_update(0.5, 1.0, 0.3) == pytest.approx(0.65)
    assert R.overall_commitment(0.25, 1.0) == pytest.approx(0.5)  # both legs: a geometric mean


def test_burden_grievance_compares_with_peers_of_similar_threat():
    peers_s = np.array([1.0, 1.2, 4.0])
    peers_t = np.array([0.3, 0.3, 0.9])
    mask = np.ones(3)
    assert R.burden_grievance(spending=3.0, threat=0.3, peer_spending=peers_s, peer_threat=peers_t, peer_mask=mask, bandwidth=0.1) == pytest.approx(1.9, abs=0.01)
    assert R.burden_grievance(spending=3.0, threat=0.9, peer_spending=peers_s, peer_threat=peers_t, peer_mask=mask, bandwidth=0.1) == pytest.approx(0.0)


def test_entrapment_grows_as_the_agenda_leans_to_the_us_focus():
    us, europe, eastern = np.array([0.1, 0.1, 0.1, 0.7]), np.array([0.5, 0.3, 0.3, 0.0]), np.array([0.9, 0.0, 0.3, 0.0])
    engaged = R.priority_divergence(eastern, R.alliance_agenda(us, europe, 0.1))
    withdrawn = R.priority_divergence(eastern, R.alliance_agenda(us, europe, 0.9))
    assert engaged > withdrawn
    assert R.priority_divergence(eastern, eastern) == pytest.approx(0.0, abs=1e-12)


def test_tension_rules():
    kw = dict(decay=0.2, grievance_weight=0.05, divergence_weight=0.05, pressure_weight=0.1, rivalry_weight=0.1,
              balance_weight=0.2, friction_weight=0.3, coordination_effect=0.5)  # fmt: skip
    zeros = np.zeros(3)
    row = np.array([0.0, 0.3, 0.3])
    base = dict(tension_row=row, threat=np.asarray(0.5), spending=np.asarray(2.0), others_spending=np.full(3, 2.0),
                armed_pair=np.ones(3), divergence=zeros, pressure=np.asarray(0.0), shortfall_pair=zeros, disputes=zeros,
                rivalry=zeros, imbalance=zeros, friction=zeros, coordination_pair=zeros)  # fmt: skip
    decayed = R.tension_row_update(**base, **kw)
    assert decayed == pytest.approx(0.8 * row)
    grieved = R.tension_row_update(**dict(base, threat=np.asarray(0.9), spending=np.asarray(4.0),
                                          others_spending=np.array([4.0, 1.0, 4.0])), **kw)  # fmt: skip
    assert grieved[1] > decayed[1] and grieved[2] == pytest.approx(decayed[2])
    pressured = R.tension_row_update(**dict(base, pressure=np.asarray(1.0), shortfall_pair=np.array([0.0, 1.0, 0.0])), **kw)
    assert pressured[1] > decayed[1]
    disputed = R.tension_row_update(**dict(base, disputes=np.array([0, 0, 0.3])), **kw)
    assert disputed[2] == pytest.approx(decayed[2] + 0.3)
    for name in ("rivalry", "imbalance", "friction"):
        raised = R.tension_row_update(**dict(base, **{name: np.array([0, 0, 0.5])}), **kw)
        assert raised[2] > decayed[2] and raised[1] == pytest.approx(decayed[1]), name
    coordinated = R.tension_row_update(**dict(base, coordination_pair=np.ones(3)), **kw)
    assert np.all(coordinated <= decayed) and coordinated[1] < decayed[1]
    sym = R.symmetrize_tension(np.array([[0.5, 0.4], [0.0, 0.7]]))
    assert sym.tolist() == [[0.0, 0.2], [0.2, 0.0]]


def test_structural_balance_sets_allies_who_take_opposite_sides_apart():
    # allies 0 and 1 both quarrel with 3 (heavy); ally 2 does not: 0-1 balanced, 0-2 and 1-2 imbalanced
    t = np.array([[0, 0, 0, 0.6], [0, 0, 0, 0.6], [0, 0, 0, 0.0], [0.6, 0.6, 0.0, 0]])
    weight = np.array([0.1, 0.1, 0.1, 0.7])
    b = R.stance_imbalance(t, weight)
    assert b[0, 1] == pytest.approx(0.0, abs=1e-9)
    assert b[0, 2] == pytest.approx(np.sqrt(0.7) * 0.6)
    brute = np.sqrt(sum(weight[k] * (t[0, k] - t[2, k]) ** 2 for k in range(4) if k not in (0, 2)))
    assert b[0, 2] == pytest.approx(brute)


def test_tension_rest_point_is_a_fixed_point():
    additions, coord = np.array([0.02, 0.05]), np.array([0.2, 0.6])
    rest = R.tension_rest_point(additions, coord, 0.2, 0.5)
    again = ((1 - 0.2) * rest + additions) * (1 - 0.5 * coord)
    assert again == pytest.approx(rest)


def test_graded_hedging_with_hysteresis_and_exit():
    drive = R.hedging_drive(reliability=0.3, threat=0.5, pillar=0.4, threat_weight=0.6, complementarity=0.2)
    assert drive == pytest.approx(0.7 + 0.3 + 0.08)
    assert R.hedging_drive(reliability=0.3, threat=0.5, pillar=0.8, threat_weight=0.6, complementarity=0.2) > drive
    kw = dict(margin=0.1, exit_commitment=0.2)
    assert R.next_status(status=R.ALIGNED, drive=1.1, threshold=1.0, commitment=0.6, **kw) == R.HEDGING
    assert R.next_status(status=R.ALIGNED, drive=1.1, threshold=1.3, commitment=0.6, **kw) == R.ALIGNED  # own threshold
    assert R.next_status(status=R.HEDGING, drive=0.95, threshold=1.0, commitment=0.6, **kw) == R.HEDGING  # margin
    assert R.next_status(status=R.HEDGING, drive=0.85, threshold=1.0, commitment=0.6, **kw) == R.ALIGNED
    assert R.next_status(status=R.ALIGNED, drive=0.5, threshold=1.0, commitment=0.1, **kw) == R.DISENGAGED
    assert R.next_status(status=R.DISENGAGED, drive=0.5, threshold=1.0, commitment=0.25, **kw) == R.DISENGAGED
    assert R.next_status(status=R.DISENGAGED, drive=0.5, threshold=1.0, commitment=0.35, **kw) == R.ALIGNED
    assert R.pillar_share(np.array([1, 0, 0]), np.array([3.0, 1.0, 6.0]), np.array([1, 1, 0])) == pytest.approx(0.75)


def test_summit_rules():
    yes = np.array([True, True, True, False])
    gdp = np.array([10.0, 10.0, 10.0, 70.0])
    kw = dict(gdp=gdp, voters=np.ones(4, dtype=bool), member_share=0.55, gdp_share=0.65)
    passed, exempt = R.summit_decision(yes=yes, qualified_majority=False, allow_exemptions=True, max_exemptions=1, **kw)
    assert passed and exempt.tolist() == [False, False, False, True]
    passed, exempt = R.summit_decision(yes=yes, qualified_majority=False, allow_exemptions=False, max_exemptions=1, **kw)
    assert not passed and not exempt.any()
    passed, _ = R.summit_decision(yes=yes, qualified_majority=True, allow_exemptions=False, max_exemptions=0, **kw)
    assert not passed  # 75% of members but only 30% of GDP
    passed, exempt = R.summit_decision(yes=np.array([True, True, False, True]), qualified_majority=True,
                                       allow_exemptions=False, max_exemptions=0, **kw)  # fmt: skip
    assert passed and not exempt.any()
    # a non-voter (the US on a European item, or a state before accession) cannot block consensus
    passed, _ = R.summit_decision(yes=yes, qualified_majority=False, allow_exemptions=False, max_exemptions=0,
                                  **dict(kw, voters=np.array([True, True, True, False])))  # fmt: skip
    assert passed
    support = R.supports_item(commitment=np.array([0.5, 0.5, 0.9]), spending=np.array([3.0, 1.0, 1.0]), item_level=3.5, disengaged=np.array([False, False, True]), support_threshold=0.35, support_slope=0.15)
    assert support.tolist() == [True, False, False]


def test_a_review_re_decides_who_is_held_to_the_path():
    """Holdouts of a review are exempt, everyone else is bound (an ally exempted earlier rejoins); QMV binds all."""
    yes = np.array([[True, False, True, True], [True, False, True, True], [True, False, False, True]])
    voters = np.ones((3, 4), dtype=bool)
    us_mask = np.array([0.0, 0.0, 0.0, 1.0])
    # run 0: failed under consensus; run 1: passed by qualified majority; run 2: passed by consensus with exemptions
    passed, failed = np.array([False, True, True]), np.array([True, False, False])
    exempted = np.array([[False] * 4, [False] * 4, [False, True, True, False]])
    after = R.review_exemptions(yes, voters, passed, failed, exempted, us_mask)
    assert after.tolist() == [[0, 1, 0, 0], [0, 0, 0, 0], [0, 1, 1, 0]]
    # the US is never exempt, even when it holds out of a failed review
    us_out = R.review_exemptions(np.array([True, True, True, False]), np.ones(4, dtype=bool), False, True,
                                 np.zeros(4, dtype=bool), us_mask)  # fmt: skip
    assert us_out.tolist() == [0, 0, 0, 0]


def test_rules_broadcast_over_runs():
    """The same call on (R, N) arrays equals the per-ally scalar calls (what the batch engine relies on)."""
    rng = np.random.default_rng(0)
    r, v, t = rng.random((4, 5)), rng.random((4, 1)), rng.random((4, 5))
    kw = dict(trust_gain=0.15, trust_loss=0.4, volatility_cost=1.0)
    batch = R.perceived_reliability(reliability=r, vacuum=v, erratic=v * 0.1, tension_with_us=t, **kw)
    for i in range(4):
        for j in range(5):
            assert batch[i, j] == R.perceived_reliability(reliability=r[i, j], vacuum=v[i, 0], erratic=v[i, 0] * 0.1,
                                                          tension_with_us=t[i, j], **kw)  # fmt: skip


def test_summit_feedback_is_a_costly_signal_not_a_ratchet():
    c = np.array([0.5, 0.5, 0.99, 0.5])
    yes = np.array([True, False, True, True])
    members = np.array([1.0, 1.0, 1.0, 0.0])  # the last is the US: its commitment follows the vacuum
    assert R.summit_commitment(c, yes, True, members, 0.03) == pytest.approx([0.53, 0.5, 1.0, 0.5])
    assert R.summit_commitment(c, yes, False, members, 0.03) == pytest.approx(c)  # failure taxes no one
    failed = R.failure_tension(np.zeros((4, 4)), yes, True, np.ones(4, dtype=bool), 0.1)
    assert failed[0, 1] == failed[1, 2] == pytest.approx(0.1) and failed[0, 2] == 0.0  # holdout vs supporters only
    assert R.failure_tension(np.zeros((4, 4)), yes, False, np.ones(4, dtype=bool), 0.1).sum() == 0.0
    tension = np.zeros((3, 3))
    after = R.exemption_tension(tension, np.array([False, True, False]), 0.1)
    assert after.tolist() == [[0, 0.1, 0], [0.1, 0, 0.1], [0, 0.1, 0]]


def test_qualified_majority_caps_economic_weight_so_no_single_ally_vetoes():
    gdp = np.array([27000.0] + [800.0] * 30)  # one ally with about half of the total GDP
    everyone_but_the_giant = np.array([False] + [True] * 30)
    kw = dict(yes=everyone_but_the_giant, voters=np.ones(31, dtype=bool), gdp=gdp, qualified_majority=True,
              allow_exemptions=False, max_exemptions=0, member_share=0.55, gdp_share=0.65)  # fmt: skip
    uncapped, _ = R.summit_decision(**kw, weight_cap=1.0)
    capped, _ = R.summit_decision(**kw, weight_cap=0.2)
    assert not uncapped and capped
    assert R.voting_weights(gdp, 0.2).max() == pytest.approx(0.2)


def test_the_us_backs_guidelines_while_it_presses_for_burden_sharing():
    assert R.us_voting_commitment(0.85, 0.8, True) == pytest.approx(0.8)
    assert R.us_voting_commitment(0.85, 0.8, False) == pytest.approx(0.15)


def test_priorities_follow_threat_and_the_us_pivot_grows_with_the_vacuum():
    eastern = R.current_priorities(np.array([0.9, 0.1, 0.4]), np.array([0.8, 0.3, 0.5]))
    assert eastern.tolist() == pytest.approx([0.72, 0.03, 0.2, 0.0])
    tau = np.array([0.8, 0.3, 0.5])
    assert R.us_priorities(tau, 0.3, 0.0)[-1] == pytest.approx(0.3)
    assert R.us_priorities(tau, 0.3, 1.0)[-1] == pytest.approx(1.0)
    divergence = R.divergence_matrix(np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0], [2.0, 0, 0, 0]]))
    assert divergence[0, 1] == pytest.approx(1.0) and divergence[0, 2] == pytest.approx(0.0, abs=1e-12)
    assert divergence[0, 1] == pytest.approx(R.priority_divergence([1.0, 0, 0, 0], [0, 1.0, 0, 0]))
