"""Measurement, written once: every model and agent reporter from the state of R runs.

:func:`measure` returns each model reporter in :data:`cohesion_sim.reporters.MODEL_REPORTERS`
as an array of shape (R,); :func:`agent_values` each agent reporter as (R, N). The batch
engine keeps these arrays; the Mesa model reads run 0 of them.
"""

from __future__ import annotations

import numpy as np

from .metrics import blocs, pair_weights, state_metrics, sub_cohesion
from .rules import DISENGAGED
from .runs import Runs
from .schedules import DIRECTIONS
from .state import AllianceState


def us_europe_budget(state: AllianceState, runs: Runs) -> np.ndarray:
    """The US defence effort for European security, phi_US (1 - v) M_US (US$ bn): it shrinks with the vacuum."""
    us_budget = state.spending[:, runs.us] / 100.0 * state.gdp[:, runs.us]
    return runs.params.run("us_share_for_europe") * (1.0 - state.vacuum) * us_budget


def measure(state: AllianceState, runs: Runs, *, with_blocs: bool = True) -> dict[str, np.ndarray]:
    """Every model reporter for this year, shape (R,); ``blocs`` is -1 (modularity NaN) unless ``with_blocs``."""
    a = runs.alliance
    member = runs.members_in(state.year)
    values = state_metrics(
        spending=state.spending, transatlantic=state.transatlantic, european=state.european, vacuum=state.vacuum,
        gdp=state.gdp, status=state.status, tension=state.tension, path_start=state.path_start, exempt=state.exempt,
        level=state.level, adopted=state.adopted, deadline=state.deadline, year=state.year, armed=a.armed,
        us_mask=a.us_mask, is_europe=a.is_europe, member=member, us_europe_budget=us_europe_budget(state, runs),
    )  # fmt: skip
    weights = values.pop("weights")
    if with_blocs:
        engaged = (state.status != DISENGAGED) * member[None, :]
        found = [blocs(w, engaged=e) for w, e in zip(weights, engaged)]
        values["blocs"] = np.array([count for count, _ in found])
        values["modularity"] = np.array([quality for _, quality in found])
    else:
        values["blocs"] = np.full(runs.count, -1)
        values["modularity"] = np.full(runs.count, np.nan)
    return {
        "year": np.full(runs.count, state.year),
        "vacuum": state.vacuum.copy(),
        "pressure": np.asarray(state.pressure, dtype=float).copy(),
        **{f"tau_{k}": state.tau[:, j].copy() for j, k in enumerate(DIRECTIONS)},
        "guideline": state.level.copy(),
        **values,
        "summit": state.summit.copy(),
    }


def current_cohesion(state: AllianceState, runs: Runs) -> np.ndarray:
    """Cohesion alone (cheap), for tracking a run's lowest cohesion between full measurements."""
    member = runs.members_in(state.year)
    a = runs.alliance
    weights = pair_weights(state.transatlantic, state.european, state.vacuum, state.tension, a.us_mask, member)
    return sub_cohesion(weights, member)


def agent_values(state: AllianceState, runs: Runs) -> dict[str, np.ndarray]:
    """Every numeric agent reporter, shape (R, N) (status as codes; the US is column ``runs.us``)."""
    level = state.level[:, None]
    return {
        "spending": state.spending.copy(),
        "commitment": state.commitment,
        "transatlantic_commitment": state.transatlantic.copy(),
        "european_commitment": state.european.copy(),
        "us_reliability": state.reliability.copy(),
        "threat": state.threat.copy(),
        "tension_with_us": state.tension[:, :, runs.us].copy(),
        "mean_tension": state.tension.sum(axis=-1) / (runs.n - 1),
        "status": state.status.copy(),
        "meets_guideline": (runs.alliance.armed > 0) & np.isfinite(level)
        & (state.spending >= np.nan_to_num(level, nan=np.inf)),
        "member": np.broadcast_to(runs.members_in(state.year), state.spending.shape).copy(),
    }
