"""The alliance's state for R runs at once: arrays with a leading run axis (R, N) and (R, N, N).

One :class:`AllianceState` is advanced a year at a time by :func:`cohesion_sim.year.advance_year`.
The batch engine holds one for many runs; :class:`~cohesion_sim.model.AllianceModel` holds one
with R = 1 and its Mesa agents read and write their own column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .rules import ALIGNED, overall_commitment
from .runs import Runs

#: The summit outcome of a year, as stored in the state (``SUMMIT_OUTCOMES[code]`` is its name).
NO_SUMMIT, PASSED, PASSED_WITH_EXEMPTIONS, FAILED = range(4)


@dataclass
class AllianceState:
    """Every dynamic variable of R runs in one year (the US is column ``runs.us``)."""

    year: int
    spending: np.ndarray  # (R, N) core defence, % of GDP
    previous_spending: np.ndarray  # (R, N) last year's (reciprocity reads the change)
    plans: np.ndarray  # (R, N, 3) budget targets decided 1, 2 and 3 years ago (budget lags)
    transatlantic: np.ndarray  # (R, N) commitment to the transatlantic bond; the US column is 1 - vacuum
    european: np.ndarray  # (R, N) commitment to European allies and Canada; the US column is 1 - vacuum
    reliability: np.ndarray  # (R, N) trust in the US guarantee; 1 for the US
    threat: np.ndarray  # (R, N) perceived threat
    status: np.ndarray  # (R, N) status codes (rules.ALIGNED, HEDGING, DISENGAGED); the US is aligned
    partner_ties: np.ndarray  # (R, N) ties to non-NATO democracies
    gdp: np.ndarray  # (R, N) US$ bn
    private_demand: np.ndarray  # (R, N) ally-specific demand (joint product), fixed at the start
    tension: np.ndarray  # (R, N, N) symmetric, zero diagonal
    exempt: np.ndarray  # (R, N) 1.0 if exempted from the guideline in force (never the US)
    path_start: np.ndarray  # (R, N) spending when the guideline in force was adopted
    level: np.ndarray  # (R,) guideline in force, NaN if none
    adopted: np.ndarray  # (R,) year it was adopted
    deadline: np.ndarray  # (R,) its deadline
    vacuum: np.ndarray  # (R,)
    previous_vacuum: np.ndarray  # (R,)
    deviation: np.ndarray  # (R,) erratic part of the vacuum
    last_change: np.ndarray  # (R,) last year's change in the vacuum (reversals are erratic)
    pressure: np.ndarray  # (R,)
    tau: np.ndarray  # (R, 3) threat levels east, south, hybrid
    partner_gdp: np.ndarray  # (R, P)
    summit: np.ndarray  # (R,) this year's summit outcome code
    summits_held: np.ndarray  # (R,)
    summits_failed: np.ndarray  # (R,)

    @property
    def runs(self) -> int:
        return self.spending.shape[0]

    @property
    def commitment(self) -> np.ndarray:
        """Overall commitment (R, N): the geometric mean of the two commitments (Snyder)."""
        return overall_commitment(self.transatlantic, self.european)


def initial_state(runs: Runs) -> AllianceState:
    """The start year of every run: each run's calibrated starting state (:func:`alliance.starting_state`)."""
    starts = runs.starts
    stack = lambda name: np.stack([getattr(s, name) for s in starts]).astype(float, copy=False)  # noqa: E731
    count, us = runs.count, runs.us
    status = stack("status")
    status[:, us] = ALIGNED
    vacuum = np.array([s.reference_vacuum for s in runs.scenarios], dtype=float)
    spending = stack("spending")
    return AllianceState(
        year=runs.start_year,
        spending=spending,
        previous_spending=spending.copy(),
        plans=np.repeat(spending[:, :, None], 3, axis=2),
        transatlantic=stack("transatlantic"),
        european=stack("european"),
        reliability=stack("reliability"),
        threat=stack("threat"),
        status=status,
        partner_ties=np.zeros((count, runs.n)),
        gdp=np.tile(runs.alliance.gdp, (count, 1)).astype(float),
        private_demand=stack("private_demand"),
        tension=stack("tension"),
        exempt=np.zeros((count, runs.n)),
        path_start=spending.copy(),
        level=runs.guidelines[:, 0].copy(),
        adopted=runs.guidelines[:, 1].copy(),
        deadline=runs.guidelines[:, 2].copy(),
        vacuum=vacuum,
        previous_vacuum=vacuum.copy(),
        deviation=np.zeros(count),
        last_change=np.zeros(count),
        pressure=np.array([s.pressure for s in starts], dtype=float),
        tau=runs.paths.tau[:, 0].copy(),
        partner_gdp=runs.partner_gdp.copy(),
        summit=np.zeros(count, dtype=int),
        summits_held=np.zeros(count, dtype=int),
        summits_failed=np.zeros(count, dtype=int),
    )
