"""Status with hysteresis: aligned, hedging (toward a European pillar) or disengaged."""

from __future__ import annotations

import numpy as np

ALIGNED, HEDGING, DISENGAGED = 0, 1, 2
STATUS_NAMES = ("aligned", "hedging", "disengaged")


def next_status(status, reliability, threat, commitment, hedge_reliability, hedge_threat, margin, exit_commitment):
    """Hedge when trust is low and threat high; disengage when commitment falls below the exit level; return past a margin.

    Walt (1987): weak, threatened states with an unreliable patron hedge rather than bandwagon.
    """
    status = np.asarray(status)
    disengage = commitment < exit_commitment
    stay_out = (status == DISENGAGED) & (commitment < exit_commitment + margin)
    start_hedging = (status == ALIGNED) & (reliability < hedge_reliability) & (threat > hedge_threat)
    keep_hedging = (status != ALIGNED) & (reliability <= hedge_reliability + margin)
    return np.select(
        [disengage | stay_out, start_hedging | keep_hedging],
        [DISENGAGED, HEDGING],
        ALIGNED,
    )
