"""Summit votes and decision rules: consensus (with or without exemptions) or qualified majority."""

from __future__ import annotations

import numpy as np


def supports_item(commitment, spending, item_level, disengaged, support_threshold, support_slope):
    """An ally backs the item if its commitment clears a threshold that rises with how far the item is above its spending."""
    gap = np.maximum(0.0, item_level - spending)
    return (commitment >= support_threshold + support_slope * gap) & ~np.asarray(disengaged, dtype=bool)


def us_voting_commitment(vacuum, pressure, is_guideline):
    """The US backs a guideline item as long as it presses for burden sharing (max(1 - v, pressure)); anything else by 1 - v."""
    return np.where(is_guideline, np.maximum(1.0 - vacuum, pressure), 1.0 - vacuum)


def voting_weights(gdp, weight_cap):
    """Economic weight in a qualified-majority vote: each ally's GDP share, capped so no single ally holds a veto."""
    gdp = np.asarray(gdp, dtype=float)
    share = gdp / np.sum(gdp, axis=-1, keepdims=True)
    return np.minimum(share, np.asarray(weight_cap)[..., None])


def summit_decision(
    yes, gdp, qualified_majority, allow_exemptions, max_exemptions, member_share, gdp_share, weight_cap=1.0
):  # fmt: skip
    """Consensus passes if all agree (or, with exemptions, if holdouts are few and exempted); QMV needs member and GDP shares.

    Under QMV each ally's GDP weight is capped at ``weight_cap`` of the total: with the US at
    about half of alliance GDP, an uncapped GDP majority would hand it the veto that majority
    voting is meant to remove. Returns (passed, exempted), both with the leading shape of
    ``yes`` minus its last axis.
    """
    yes = np.asarray(yes, dtype=bool)
    holdouts = np.sum(~yes, axis=-1)
    unanimous = holdouts == 0
    with_exemptions = np.asarray(allow_exemptions, dtype=bool) & (holdouts <= max_exemptions)
    consensus = unanimous | with_exemptions
    members_yes = np.mean(yes, axis=-1)
    weights = voting_weights(gdp, weight_cap)
    gdp_yes = np.sum(yes * weights, axis=-1) / np.sum(weights, axis=-1)
    majority = (members_yes >= member_share) & (gdp_yes >= gdp_share)
    qualified_majority = np.asarray(qualified_majority, dtype=bool)
    passed = np.where(qualified_majority, majority, consensus)
    exempted = (~yes) & (passed & ~qualified_majority & ~unanimous)[..., None]
    return passed, exempted


def summit_commitment(commitment, yes, passed, members, pass_boost, fail_cost):
    """A passed item raises its supporters' commitment; a failed summit lowers every member's (MODEL.md, summits).

    ``members`` masks the allies whose commitment is their own (not the US, whose follows the vacuum).
    """
    passed = np.asarray(passed, dtype=bool)[..., None]
    members = np.asarray(members) > 0
    boosted = np.where(passed & yes & members, np.minimum(1.0, commitment + pass_boost), commitment)
    return np.where(~passed & members, np.maximum(0.0, commitment - fail_cost), boosted)


def exemption_tension(tension, exempted, size):
    """An exemption adds ``size`` to the tension between each exempted ally and every ally that is not exempted."""
    exempted = np.asarray(exempted, dtype=bool)
    one_way = exempted[..., :, None] & ~exempted[..., None, :]
    pairs = one_way | np.swapaxes(one_way, -1, -2)
    return np.clip(tension + np.asarray(size)[..., None, None] * pairs, 0.0, 1.0)
