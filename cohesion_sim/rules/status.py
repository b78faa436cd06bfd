"""Status with hysteresis: aligned, hedging (toward a European pillar) or disengaged."""

from __future__ import annotations

import numpy as np

ALIGNED, HEDGING, DISENGAGED = 0, 1, 2
STATUS_NAMES = ("aligned", "hedging", "disengaged")


def pillar_share(hedging, gdp, members):
    """The European pillar's weight: the GDP share of members other than the US that hedge toward it.

    Strategic complementarity: the pillar is worth more the more allies join, and the larger
    ones (France, Germany, the UK hold about 40% of European GDP) count most.
    """
    weight = np.asarray(gdp) * np.asarray(members)
    return np.sum(weight * hedging, axis=-1) / np.maximum(np.sum(weight, axis=-1), 1e-12)


def hedging_drive(*, reliability, threat, pillar, threat_weight, complementarity):
    """d_i = (1 - r_i) + w_theta theta_i + k * pillar: distrust of the patron, threat, and the pull of a pillar others build.

    Walt (1987) and Snyder (1984): an exposed ally with an unreliable patron hedges by building
    alternatives; the more (and larger) allies already hedge, and the better the pillar is
    organised (the decision-maker passes the pillar's GDP share plus its coordination level), the
    more the option is worth.
    """
    return (1.0 - reliability) + threat_weight * threat + complementarity * pillar


def below_exit(commitment, exit_commitment, members):
    """Members whose commitment is below the exit level (``members`` a 0/1 mask over the last axis)."""
    return (np.asarray(commitment) < np.asarray(exit_commitment)) & (np.asarray(members) > 0)


def next_status(*, status, drive, threshold, commitment, margin, exit_commitment):
    """Hedge when the drive passes the ally's own threshold, return below threshold - margin; disengage when commitment is below the exit level.

    Thresholds differ across allies (Atlanticist and Europeanist traditions), so hedging is graded.
    """
    status = np.asarray(status)
    disengage = commitment < exit_commitment
    stay_out = (status == DISENGAGED) & (commitment < exit_commitment + margin)
    start_hedging = (status != HEDGING) & (drive > threshold)
    keep_hedging = (status == HEDGING) & (drive > threshold - margin)
    return np.select([disengage | stay_out, start_hedging | keep_hedging], [DISENGAGED, HEDGING], ALIGNED)
