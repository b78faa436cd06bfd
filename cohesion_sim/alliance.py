"""The alliance's fixed structure and its starting state, as arrays over allies.

Shared by the Mesa model and the batch engine, so both start from exactly the same state.
The starting state is a rest point: tension, trust, commitment and security demand are set
where their own rules would hold them still under the start year's conditions (MODEL.md:
"calibrate the floor so that the starting year is close to a rest point").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .errors import ScenarioError
from .rules import (
    ALIGNED,
    YearContext,
    abandonment_fear,
    allied_provision,
    alliance_agenda,
    burden_grievance,
    commitment_target,
    east_exposure,
    guideline_shortfall,
    next_status,
    on_track_share,
    perceived_threat,
    priority_divergence,
    private_demand_at_rest,
    reliability_rest_point,
    south_exposure,
    symmetrize_tension,
    tension_rest_point,
    tension_row_update,
)
from .scenario import Scenario
from .schedules import threat_levels

if TYPE_CHECKING:  # the data records come from the io layer; the core only reads their fields
    from .dataset import Ally

#: Priority directions: the three threat directions plus theatres outside Europe (the US focus).
PRIORITY_DIRECTIONS = ("east", "south", "hybrid", "other_theatres")


@dataclass(frozen=True)
class Alliance:
    """Fixed facts about the allies (index order = the data file's order)."""

    allies: tuple[Ally, ...]
    iso3: tuple[str, ...]
    gdp: np.ndarray  # US$ bn in the data year
    spending: np.ndarray  # % of GDP in the data year (US: scenario's us_spending if set)
    armed: np.ndarray  # 1.0 / 0.0
    exposure: np.ndarray  # (N, 3)
    priorities: np.ndarray  # (N, 4)
    divergence: np.ndarray  # (N, N)
    us_index: int
    us_mask: np.ndarray  # (N,)
    is_europe: np.ndarray  # (N,) 1.0 for European allies (not the US or Canada)
    us_focus: np.ndarray  # (4,)
    european_priorities: np.ndarray  # (4,) mean priorities of the allies other than the US

    @property
    def n(self) -> int:
        return len(self.iso3)

    def index(self, iso3: str) -> int:
        return self.iso3.index(iso3.upper())


def build_alliance(params: Scenario, data_year: int, allies: tuple[Ally, ...]) -> Alliance:
    """Exposure, priorities and divergence from the data (loaded by :mod:`cohesion_sim.dataset`) and the scenario."""
    iso3 = tuple(a.iso3 for a in allies)
    us = iso3.index("USA")
    east = east_exposure(
        [a.km_to_threat for a in allies], [a.land_border for a in allies], params.east_distance_km, params.east_border_bonus
    )
    south = south_exposure(
        [a.mediterranean_coast for a in allies], [a.black_sea_coast for a in allies], params.south_coast_exposure
    )
    hybrid = np.full(len(allies), params.hybrid_exposure)
    exposure = np.column_stack([east, south, hybrid])
    us_focus = np.array([*(1.0 - params.us_pivot) * np.array([0.4, 0.3, 0.3]), params.us_pivot])
    priorities = np.column_stack([exposure, np.zeros(len(allies))])
    priorities[us] = us_focus
    members = np.arange(len(allies)) != us
    spending = np.array([a.spending[data_year] for a in allies])
    if params.us_spending is not None:
        spending[us] = params.us_spending
    return Alliance(
        allies=allies,
        iso3=iso3,
        gdp=np.array([a.gdp[data_year] for a in allies]),
        spending=spending,
        armed=np.array([float(a.has_armed_forces) for a in allies]),
        exposure=exposure,
        priorities=priorities,
        divergence=priority_divergence(priorities[:, None, :], priorities[None, :, :]),
        us_index=us,
        us_mask=(~members).astype(float),
        # North American capitals lie west of 30 degrees W; every European capital lies east of it
        is_europe=np.array([float(a.capital_lon > -30.0) for a in allies]),
        us_focus=us_focus,
        european_priorities=priorities[members].mean(axis=0),
    )


@dataclass
class StartingState:
    """Every dynamic variable in the start year (arrays over allies)."""

    spending: np.ndarray
    commitment: np.ndarray
    reliability: np.ndarray
    threat: np.ndarray
    tension: np.ndarray
    status: np.ndarray
    private_demand: np.ndarray
    vacuum: float
    pressure: float


def starting_guideline(params: Scenario) -> tuple[float, int, int]:
    """(level, adopted, deadline) of the guideline in force at the start, re-anchored to the start year; NaNs if none."""
    g = params.guideline
    if g is None:
        return np.nan, np.nan, np.nan
    return g.level, max(g.adopted, params.start_year), g.deadline


def conformity(spending, armed, level):
    """Share of allies with armed forces at or above the guideline (0 with no guideline).

    ``level`` may be a float (one run) or an array of shape R with NaN where no guideline is in
    force; ``spending`` then has shape R + (N,).
    """
    level = np.asarray(level, dtype=float)
    if level.ndim == 0:
        if not np.isfinite(level):
            return 0.0
        return float(np.sum((spending >= level) * armed) / np.sum(armed))
    finite = np.isfinite(level)
    share = np.sum((spending >= np.where(finite, level, np.inf)[..., None]) * armed, axis=-1) / np.sum(armed, axis=-1)
    return np.where(finite, share, 0.0)


def dispute_matrices(alliance: Alliance, disputes) -> dict[int, np.ndarray]:
    """Tension added by the scenario's dated bilateral disputes: {year: (N, N) symmetric matrix}."""
    n = alliance.n
    matrices: dict[int, np.ndarray] = {}
    for k, dispute in enumerate(disputes):
        try:
            i, j = (alliance.index(code) for code in dispute.pair)
        except ValueError:
            raise ScenarioError(
                f"field 'disputes[{k}].pair': {list(dispute.pair)} names an ally not in the data; "
                f"use iso3 codes such as {', '.join(alliance.iso3[:4])}"
            ) from None
        matrix = matrices.setdefault(dispute.year, np.zeros((n, n)))
        matrix[i, j] += dispute.size
        matrix[j, i] += dispute.size
    return matrices


def starting_state(alliance: Alliance, params: Scenario) -> StartingState:
    """The start year as a rest point of tension, trust, commitment and demand (see module docstring)."""
    p, n, us = params, alliance.n, alliance.us_index
    year = p.start_year
    vacuum, pressure = p.reference_vacuum, p.pressure.at(year)
    tau = np.array(threat_levels(p.threat, p.shocks, year))
    threat = perceived_threat(alliance.exposure, tau)
    spending = alliance.spending
    armed = alliance.armed
    level, adopted, deadline = starting_guideline(p)
    identity = np.eye(n)

    shortfall = guideline_shortfall(spending, spending, armed, 0.0, year, level, adopted, deadline) * (1 - alliance.us_mask)
    shortfall_pairs = alliance.us_mask[None, :] * shortfall[:, None] + alliance.us_mask[:, None] * shortfall[None, :]
    additions = tension_row_update(
        np.zeros((n, n)), threat, spending * armed, spending[None, :], armed[:, None] * armed[None, :] * (1 - identity),
        alliance.divergence, np.asarray(pressure), shortfall_pairs, 0.0, 0.0,
        p.tension_decay, p.grievance_tension, p.divergence_tension, p.pressure_tension, p.coordination_effect,
    )  # fmt: skip
    tension = symmetrize_tension(tension_rest_point(additions, p.coordination.at(year), p.tension_decay, p.coordination_effect))

    reliability = reliability_rest_point(vacuum, tension[:, us])
    agenda = alliance_agenda(alliance.us_focus, alliance.european_priorities, vacuum)
    entrapment = priority_divergence(alliance.priorities, agenda)
    peers = (1 - identity) * armed[None, :]
    grievance = burden_grievance(spending, threat, spending[None, :], threat[None, :], peers, p.peer_threat_bandwidth) * armed
    mean_tension = tension.sum(axis=1) / (n - 1)
    commitment = commitment_target(
        reliability, threat, on_track_share(shortfall, armed, p.reciprocity_tolerance), mean_tension, entrapment, grievance,
        p.commitment_bias, p.commitment_from_reliability, p.commitment_from_threat, p.commitment_from_reciprocity,
        p.commitment_from_tension, p.commitment_from_entrapment, p.commitment_from_grievance,
    )  # fmt: skip
    commitment[us] = 1.0 - vacuum
    reliability[us] = 1.0

    budgets = spending / 100.0 * alliance.gdp
    counts = (1 - identity) * (1 - alliance.us_mask)[None, :]
    provision = allied_provision(
        alliance.gdp, commitment[None, :], tension, budgets[None, :], counts, reliability, vacuum,
        budgets[us], p.us_share_for_europe,
    )  # fmt: skip
    fear = abandonment_fear(threat, reliability, vacuum)
    if p.calibrate_to_start:
        private = private_demand_at_rest(
            spending, threat, fear, provision, p.threat_weight, p.fear_weight, p.publicness, p.free_riding_weight
        )
    else:
        private = np.full(n, p.private_floor)
    status = next_status(
        np.full(n, ALIGNED), reliability, threat, commitment, p.hedge_reliability, p.hedge_threat, p.status_margin,
        p.exit_commitment,
    )  # fmt: skip
    status[us] = ALIGNED
    return StartingState(
        spending=spending.copy(), commitment=commitment, reliability=reliability, threat=threat, tension=tension,
        status=status, private_demand=private, vacuum=vacuum, pressure=pressure,
    )  # fmt: skip


def year_context(
    year, vacuum, previous_vacuum, pressure, tau, level, adopted, deadline, spending, path_start, exempt, us_budget,
    partner_budget, armed, us_mask, us_focus, european_priorities, reciprocity_tolerance,
):  # fmt: skip
    """This year's world as the allies see it (:class:`YearContext`), and each ally's shortfall against its path.

    Shared by the Mesa model and the batch engine. Year-wide inputs are floats (one run) or
    arrays of shape R (the engine); per-ally inputs then have shape R + (N,), ``us_focus`` and
    ``european_priorities`` (4,) or R + (4,); year-wide outputs get a trailing axis so they
    broadcast against the allies. The US's shortfall is 0.
    """
    per_run = np.ndim(vacuum) > 0

    def year_wide(value):
        return np.asarray(value, dtype=float)[..., None] if per_run else value

    g, a, d = year_wide(level), year_wide(adopted), year_wide(deadline)
    shortfalls = guideline_shortfall(spending, path_start, armed, exempt, year, g, a, d) * (1.0 - us_mask)
    unexempted = guideline_shortfall(spending, path_start, armed, 0.0, year, g, a, d)
    agenda = alliance_agenda(us_focus, european_priorities, vacuum)
    context = YearContext(
        year=year,
        vacuum=year_wide(vacuum),
        previous_vacuum=year_wide(previous_vacuum),
        pressure=year_wide(pressure),
        threat_levels=np.asarray(tau)[..., None, :] if per_run else tau,
        guideline=g,
        adopted=a,
        deadline=d,
        conformity=year_wide(conformity(spending, armed, level)),
        reciprocity=year_wide(on_track_share(unexempted, armed, reciprocity_tolerance)),
        agenda=agenda[..., None, :] if per_run else agenda,
        us_budget=year_wide(us_budget),
        partner_budget=year_wide(partner_budget),
    )
    return context, shortfalls
