"""Measurement, written once: every model and agent reporter from the state of R runs.

:func:`measure` returns each model reporter in :data:`cohesion_sim.reporters.MODEL_REPORTERS`
as an array of shape (R,); :func:`agent_values` each agent reporter as (R, N). The batch
engine keeps these arrays; the Mesa model reads run 0 of them.
"""

from __future__ import annotations

import numpy as np

from .metrics import alliance_weights, blocs, cohesion, state_metrics
from .runs import Runs
from .schedules import DIRECTIONS
from .state import AllianceState


def measure(state: AllianceState, runs: Runs, *, with_blocs: bool = True) -> dict[str, np.ndarray]:
    """Every model reporter for this year, shape (R,); ``blocs`` is -1 unless ``with_blocs`` (Louvain is the slow part)."""
    a = runs.alliance
    values = state_metrics(
        state.spending, state.commitment, state.gdp, state.status, state.tension, state.path_start, state.exempt,
        state.level, state.adopted, state.deadline, state.year, a.armed, a.us_mask, a.is_europe,
    )  # fmt: skip
    weights = values.pop("weights")
    values["blocs"] = np.array([blocs(w) for w in weights]) if with_blocs else np.full(runs.count, -1)
    return {
        "year": np.full(runs.count, state.year),
        "vacuum": state.vacuum.copy(),
        "pressure": np.asarray(state.pressure, dtype=float).copy(),
        **{f"tau_{k}": state.tau[:, j].copy() for j, k in enumerate(DIRECTIONS)},
        "guideline": state.level.copy(),
        **values,
        "summit": state.summit.copy(),
    }


def current_cohesion(state: AllianceState) -> np.ndarray:
    """Cohesion alone (cheap), for tracking a run's lowest cohesion between full measurements."""
    return cohesion(alliance_weights(state.commitment, state.tension))


def agent_values(state: AllianceState, runs: Runs) -> dict[str, np.ndarray]:
    """Every numeric agent reporter, shape (R, N) (status as codes; the US is column ``runs.us``)."""
    level = state.level[:, None]
    return {
        "spending": state.spending.copy(),
        "commitment": state.commitment.copy(),
        "us_reliability": state.reliability.copy(),
        "threat": state.threat.copy(),
        "tension_with_us": state.tension[:, :, runs.us].copy(),
        "mean_tension": state.tension.sum(axis=-1) / (runs.n - 1),
        "status": state.status.copy(),
        "meets_guideline": (runs.alliance.armed > 0) & np.isfinite(level)
        & (state.spending >= np.nan_to_num(level, nan=np.inf)),
    }
