"""Partnerships with non-NATO democracies (Ukraine, Japan, Australia, South Korea, New Zealand).

As the debate means them (NATO 2024 Washington Summit Declaration: the Indo-Pacific partners
and Ukraine in capability, intelligence and defence-industrial cooperation): between two allies
tied to the same partners, ties add intelligence sharing (see
:func:`~cohesion_sim.rules.tension.pair_coordination`). They neither provide security nor relieve
abandonment fear. (An industrial-capacity effect on the yearly rise cap was tried and removed: the
cap rarely binds, so it moved nothing.)
"""

from __future__ import annotations

import numpy as np


#: Share of ties that fade each year. Fixed, not a scenario constant: over 0-0.2 it moves no output beyond seed
#: noise, even where partnerships are switched off mid-run (the mechanism sweep, issue 9).
TIE_DECAY = 0.05


def partner_ties_update(ties, investment, hedging, tie_rate, tie_decay=TIE_DECAY):
    """Ties grow with the scenario's investment (twice as fast for hedgers) toward 1 and fade by a decay rate."""
    growth = tie_rate * investment * (1.0 + np.asarray(hedging, dtype=float)) * (1.0 - ties)
    return np.clip(ties + growth - tie_decay * ties, 0.0, 1.0)

