"""Summit votes and decision rules: consensus (with or without exemptions) or qualified majority; outcomes as costly signals."""

from __future__ import annotations

import numpy as np


def supports_item(*, commitment, spending, item_level, disengaged, support_threshold, support_slope):
    """An ally backs the item if its commitment clears a threshold that rises with how far the item is above its spending."""
    gap = np.maximum(0.0, item_level - spending)
    return (commitment >= support_threshold + support_slope * gap) & ~np.asarray(disengaged, dtype=bool)


def us_voting_commitment(vacuum, pressure, burden_sharing):
    """The US backs a burden-sharing item (a guideline or its review) as long as it presses for it (max(1 - v, pressure)); anything else by 1 - v."""
    return np.where(burden_sharing, np.maximum(1.0 - vacuum, pressure), 1.0 - vacuum)


def voting_weights(gdp, weight_cap):
    """Economic weight in a qualified-majority vote: each voter's GDP share, capped so no single ally holds a veto."""
    gdp = np.asarray(gdp, dtype=float)
    share = gdp / np.maximum(np.sum(gdp, axis=-1, keepdims=True), 1e-12)
    return np.minimum(share, np.asarray(weight_cap)[..., None])


def summit_decision(
    *, yes, voters, gdp, qualified_majority, allow_exemptions, max_exemptions, member_share, gdp_share, weight_cap=1.0
):  # fmt: skip
    """Consensus passes if all voters agree (or, with exemptions, if holdouts are few and exempted); QMV needs member and GDP shares.

    ``voters`` masks who votes: members from their accession year, and the US only on items
    that concern it (a guideline); it does not veto purely European items. Under QMV each
    voter's GDP weight is capped at ``weight_cap`` of the total. Returns (passed, exempted).
    """
    voters = np.asarray(voters, dtype=bool)
    yes = np.asarray(yes, dtype=bool) & voters
    holdouts = np.sum(~yes & voters, axis=-1)
    unanimous = holdouts == 0
    with_exemptions = np.asarray(allow_exemptions, dtype=bool) & (holdouts <= max_exemptions)
    consensus = unanimous | with_exemptions
    members_yes = np.sum(yes, axis=-1) / np.maximum(np.sum(voters, axis=-1), 1)
    weights = voting_weights(gdp * voters, weight_cap) * voters
    gdp_yes = np.sum(yes * weights, axis=-1) / np.maximum(np.sum(weights, axis=-1), 1e-12)
    majority = (members_yes >= member_share) & (gdp_yes >= gdp_share)
    qualified_majority = np.asarray(qualified_majority, dtype=bool)
    passed = np.where(qualified_majority, majority, consensus)
    exempted = (~yes) & voters & (passed & ~qualified_majority & ~unanimous)[..., None]
    return passed, exempted


def summit_commitment(commitment, yes, passed, members, pass_boost):
    """A substantive item that passes raises its supporters' commitment (a costly signal kept); nothing else moves it.

    ``passed`` is False for symbolic declarations and failed items: a failure is not a tax on
    everyone (see :func:`failure_tension`), so there is no ratchet toward collapse.
    """
    passed = np.asarray(passed, dtype=bool)[..., None]
    boost = passed & np.asarray(yes, dtype=bool) & (np.asarray(members) > 0)
    return np.where(boost, np.minimum(1.0, commitment + pass_boost), commitment)


def failure_tension(tension, yes, failed, voters, size):
    """A failed substantive item adds ``size`` to the tension between each holdout and each supporter; it then decays with all tension."""
    yes = np.asarray(yes, dtype=bool)
    voters = np.asarray(voters, dtype=bool)
    failed = np.asarray(failed, dtype=bool)[..., None, None]
    supporters, holdouts = yes & voters, ~yes & voters
    one_way = holdouts[..., :, None] & supporters[..., None, :]
    pairs = (one_way | np.swapaxes(one_way, -1, -2)) & failed
    return _added_tension(tension, size, pairs)


def review_exemptions(yes, voters, passed, failed, exempted, us_mask):
    """A review re-decides who is held to the path: its holdouts are exempt (exempted if it passes by consensus,
    de facto if it fails), every other ally is bound; a qualified majority binds them all.

    A holdout that blocks a review has refused the path in public and no one can hold it to it
    (Spain 2025); an ally exempted earlier that now backs the path rejoins it, so an exemption is
    not an absorbing state; a qualified majority removes the veto and the opt-outs (Tsebelis 2002).
    Returns the exempt flags after the review (the caller keeps the old ones where no review was held).
    """
    refused = np.asarray(failed, dtype=bool)[..., None] & ~np.asarray(yes, dtype=bool) & np.asarray(voters, dtype=bool)
    holdouts = np.where(np.asarray(passed, dtype=bool)[..., None], exempted, refused)
    return holdouts * (1.0 - np.asarray(us_mask))


def exemption_tension(tension, exempted, size):
    """An exemption adds ``size`` to the tension between each exempted ally and every ally that is not exempted."""
    exempted = np.asarray(exempted, dtype=bool)
    one_way = exempted[..., :, None] & ~exempted[..., None, :]
    pairs = one_way | np.swapaxes(one_way, -1, -2)
    return _added_tension(tension, size, pairs)


def _added_tension(tension, size, pairs):
    """clip(tension + size * pairs, 0, 1), in one new array (the engine's tension is (R, N, N))."""
    added = np.asarray(size, dtype=float)[..., None, None] * pairs
    if added.shape != np.broadcast_shapes(added.shape, np.shape(tension)):
        return np.clip(tension + added, 0.0, 1.0)
    added += tension
    return np.clip(added, 0.0, 1.0, out=added)
