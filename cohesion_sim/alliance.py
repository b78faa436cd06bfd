"""The alliance's fixed structure and its starting state, as arrays over allies.

The starting state is computed under the *observed* conditions of the data year (the US stance,
threat levels, pressure and coordination under which the data were observed,
:data:`OBSERVED_CONDITIONS`), never under the scenario's own levels or levers: two runs that
differ only in a scenario input start identically, and the input then acts through the dynamics.
Each ally's private demand (its "ally effect") is estimated from its data-year spending at the
default demand coefficients, so it is data about the ally, not a residual refitted to cancel
whatever an experiment changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ScenarioError
from .rules import (
    abandonment_fear,
    allied_provision,
    alliance_agenda,
    burden_grievance,
    current_priorities,
    deterrence_coverage,
    divergence_matrix,
    east_exposure,
    european_target,
    fiscal_max_rise,
    fiscal_space,
    perceived_threat,
    priority_divergence,
    private_demand_at_rest,
    reliability_rest_point,
    south_exposure,
    symmetrize_tension,
    tension_row_update,
    transatlantic_target,
    us_priorities,
)
from .scenario import Scenario

#: Priority directions: the three threat directions plus theatres outside Europe (the US focus).
PRIORITY_DIRECTIONS = ("east", "south", "hybrid", "other_theatres")

#: The conditions under which each data year's figures were observed (the start is a rest point under them).
#: Budgets reach outlays with a lag, so a data year's figures reflect the conditions of the year before:
#: 2014 budgets were set in 2013, before Crimea (a committed US, a quiet east, the Arab-spring south);
#: 2024 budgets were set during Russia's war, under a partly withdrawn US and strong pressure.
#: Threat levels: (east, south, hybrid).
OBSERVED_CONDITIONS = {
    2014: {"vacuum": 0.1, "threat": (0.3, 0.45, 0.25), "pressure": 0.4, "coordination": 0.2},
    2024: {"vacuum": 0.3, "threat": (0.8, 0.35, 0.45), "pressure": 0.6, "coordination": 0.2},
}
#: Demand coefficients at which the ally effects are estimated (the schema's defaults).
CALIBRATION_COEFFICIENTS = ("threat_weight", "fear_weight", "publicness", "half_coverage", "us_share_for_europe")
#: Iterations of the tension update used to find the starting rest point (converges well before).
REST_ITERATIONS = 60


@dataclass(frozen=True)
class Alliance:
    """Fixed facts about the allies (index order = the data file's order)."""

    allies: tuple  # the data records (cohesion_sim.dataset.Ally), read by the io layer
    iso3: tuple[str, ...]
    gdp: np.ndarray  # US$ bn in the data year
    spending: np.ndarray  # % of GDP in the data year (US: scenario's us_spending if set)
    armed: np.ndarray  # 1.0 / 0.0
    accession: np.ndarray  # (N,) accession year
    exposure: np.ndarray  # (N, 3)
    debt: np.ndarray  # (N,) government debt, % of GDP, in the data year
    space: np.ndarray  # (N,) fiscal space in [0, 1]
    max_rise: np.ndarray  # (N,) largest yearly rise from fiscal space
    rivalry: np.ndarray  # (N, N) standing rivalries (data)
    rivalry_threat: np.ndarray  # (N,) threat from a rival ally
    us_index: int
    us_mask: np.ndarray  # (N,)
    is_europe: np.ndarray  # (N,) 1.0 for European allies (not the US or Canada)

    @property
    def n(self) -> int:
        return len(self.iso3)

    def index(self, iso3: str) -> int:
        return self.iso3.index(iso3.upper())

    def members_in(self, year) -> np.ndarray:
        """1.0 for allies that are members in ``year`` (their accession year or later)."""
        return (self.accession <= year).astype(float)


def debt_in(debt, iso3: tuple[str, ...], data_year: int) -> np.ndarray:
    """Each ally's government debt (% of GDP) in the latest year of the table at or before the data year."""
    values = []
    for code in iso3:
        years = sorted(y for y in debt.get(code, {}) if y <= data_year) if code in debt else []
        if not years:
            raise ScenarioError(f"debt data: no figure for {code} in or before {data_year}")
        values.append(debt[code][years[-1]])
    return np.array(values, dtype=float)


def build_alliance(params: Scenario, data_year: int, allies, debt, rivalries) -> Alliance:
    """Exposure, fiscal space, rivalries and membership from the data (read by the io layer) and the scenario."""
    iso3 = tuple(a.iso3 for a in allies)
    us = iso3.index("USA")
    east = east_exposure(
        [a.km_to_threat for a in allies], [a.land_border for a in allies], params.east_distance_km, params.east_border_bonus
    )
    south = south_exposure(
        [a.mediterranean_coast for a in allies], [a.black_sea_coast for a in allies], params.south_coast_exposure
    )
    hybrid = np.full(len(allies), params.hybrid_exposure)
    spending = np.array([a.spending[data_year] for a in allies])
    if params.us_spending is not None:
        spending[us] = params.us_spending
    debt = debt_in(debt, iso3, data_year)
    space = fiscal_space(debt, params.debt_limit)
    n = len(allies)
    rivalry = np.zeros((n, n))
    for a, b, level in rivalries:
        if a in iso3 and b in iso3:
            i, j = iso3.index(a), iso3.index(b)
            rivalry[i, j] = rivalry[j, i] = level
    return Alliance(
        allies=allies,
        iso3=iso3,
        gdp=np.array([a.gdp[data_year] for a in allies]),
        spending=spending,
        armed=np.array([float(a.has_armed_forces) for a in allies]),
        accession=np.array([a.accession_year for a in allies], dtype=float),
        exposure=np.column_stack([east, south, hybrid]),
        debt=debt,
        space=space,
        max_rise=fiscal_max_rise(space, params.max_rise_low),
        rivalry=rivalry,
        rivalry_threat=params.rivalry_threat * rivalry.max(axis=1),
        us_index=us,
        us_mask=(np.arange(n) == us).astype(float),
        # North American capitals lie west of 30 degrees W; every European capital lies east of it
        is_europe=np.array([float(a.capital_lon > -30.0) for a in allies]),
    )


def all_priorities(alliance: Alliance, tau, us_pivot, vacuum, exposure=None) -> np.ndarray:
    """Every ally's priorities this year, the US's row from :func:`~cohesion_sim.rules.us_priorities`.

    ``tau`` has shape W + (3,), ``vacuum`` and ``us_pivot`` shape W; ``exposure`` (default the
    alliance's) W + (N, 3) when runs differ in their exposure parameters; returns W + (N, 4).
    """
    tau = np.asarray(tau, dtype=float)
    exposure = alliance.exposure if exposure is None else exposure
    priorities = current_priorities(exposure, tau[..., None, :])
    priorities = np.array(np.broadcast_to(priorities, np.shape(tau)[:-1] + (alliance.n, 4)))
    priorities[..., alliance.us_index, :] = us_priorities(tau, us_pivot, vacuum)
    return priorities


def divergence_and_agenda(priorities, us_mask, vacuum):
    """Pairwise priority divergence (W + (N, N)) and the alliance agenda (W + (4,)) from this year's priorities."""
    divergence = divergence_matrix(priorities)
    members = 1.0 - us_mask
    european = np.sum(priorities * members[:, None], axis=-2) / np.sum(members)
    us_row = np.sum(priorities * us_mask[:, None], axis=-2)
    return divergence, alliance_agenda(us_row, european, vacuum)


@dataclass
class StartingState:
    """Every dynamic variable in the start year (arrays over allies)."""

    spending: np.ndarray
    transatlantic: np.ndarray
    european: np.ndarray
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


def conformity(spending, bound, level):
    """Share of bound allies (armed members) at or above the guideline (0 with no guideline); ``level`` shape R or scalar."""
    level = np.asarray(level, dtype=float)
    finite = np.isfinite(level)
    share = np.sum((spending >= np.where(finite, level, np.inf)[..., None]) * bound, axis=-1) / np.maximum(
        np.sum(bound, axis=-1), 1e-12
    )
    return np.where(finite, share, 0.0)


def dispute_matrices(alliance: Alliance, disputes) -> dict[int, np.ndarray]:
    """Tension added by the scenario's dated bilateral disputes: {year: (N, N) symmetric matrix}."""
    from .scenario_files import ScenarioError

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


#: The scenario fields the start's tension depends on (with the alliance): runs that agree on them share it.
START_TENSION_FIELDS = ("resolved_data_year", "reference_vacuum", "us_pivot", "tension_decay", "grievance_tension",
                        "divergence_tension", "pressure_tension", "rivalry_tension", "balance_tension",
                        "pillar_friction", "coordination_effect")  # fmt: skip


def start_tension_key(params: Scenario) -> tuple:
    """What :func:`start_tension` reads from the scenario, as a hashable key."""
    return tuple(getattr(params, name) for name in START_TENSION_FIELDS)


def start_tension(alliance: Alliance, params: Scenario) -> np.ndarray:
    """The data year's tension as the rest point of the tension rule under the observed conditions (no shortfall,
    no disputes); reads only the fields in :data:`START_TENSION_FIELDS`."""
    from .rules import stance_imbalance

    p, n = params, alliance.n
    observed = OBSERVED_CONDITIONS[p.resolved_data_year]
    vacuum, pressure = p.reference_vacuum, observed["pressure"]
    tau = np.array(observed["threat"])
    threat = perceived_threat(alliance.exposure, tau, alliance.rivalry_threat)
    spending, armed, identity = alliance.spending, alliance.armed, np.eye(n)
    shortfall_pairs = np.zeros((n, n))
    priorities = all_priorities(alliance, tau, p.us_pivot, vacuum)
    divergence, _ = divergence_and_agenda(priorities, alliance.us_mask, vacuum)
    coordination = observed["coordination"]
    tension = np.zeros((n, n))
    for _ in range(REST_ITERATIONS):
        rows = tension_row_update(
            tension_row=tension, threat=threat, spending=spending * armed, others_spending=spending[None, :],
            armed_pair=armed[:, None] * armed[None, :] * (1 - identity), divergence=divergence,
            pressure=np.asarray(pressure), shortfall_pair=shortfall_pairs, disputes=0.0, rivalry=alliance.rivalry,
            imbalance=stance_imbalance(tension, alliance.gdp / alliance.gdp.sum()), friction=0.0,
            coordination_pair=coordination, decay=p.tension_decay,
            grievance_weight=p.grievance_tension, divergence_weight=p.divergence_tension,
            pressure_weight=p.pressure_tension, rivalry_weight=p.rivalry_tension, balance_weight=p.balance_tension,
            friction_weight=p.pillar_friction, coordination_effect=p.coordination_effect,
        ) * (1 - identity)  # fmt: skip
        tension = symmetrize_tension(rows)
    return tension


def starting_state(alliance: Alliance, params: Scenario, tension: np.ndarray | None = None) -> StartingState:
    """The data year as a rest point of tension, trust, both commitments and demand under the observed conditions.

    ``tension``: the start's tension if already computed (:func:`start_tension` of the same alliance and
    :func:`start_tension_key`), so runs that differ only in other constants share the 60-step rest point.
    """
    p, n, us = params, alliance.n, alliance.us_index
    observed = OBSERVED_CONDITIONS[p.resolved_data_year]
    vacuum, pressure = p.reference_vacuum, observed["pressure"]
    tau = np.array(observed["threat"])
    threat = perceived_threat(alliance.exposure, tau, alliance.rivalry_threat)
    spending = alliance.spending
    armed = alliance.armed
    identity = np.eye(n)
    member = alliance.members_in(p.start_year)
    bound = armed * member * (1 - alliance.us_mask)
    level, adopted, deadline = starting_guideline(p)
    # the start is on its path: no shortfall, and (spending held still) reciprocity at 1/2 below the guideline
    reciprocity = 0.5 if not np.isfinite(level) else float(
        np.sum(np.where(spending >= level, 1.0, 0.5) * bound) / np.sum(bound)
    )
    priorities = all_priorities(alliance, tau, p.us_pivot, vacuum)
    _, agenda = divergence_and_agenda(priorities, alliance.us_mask, vacuum)
    tension = start_tension(alliance, p) if tension is None else tension

    reliability = reliability_rest_point(vacuum, tension[:, us])
    entrapment = priority_divergence(priorities, agenda)
    peers = (1 - identity) * (armed * member)[None, :]
    grievance = burden_grievance(spending=spending, threat=threat, peer_spending=spending[None, :], peer_threat=threat[None, :], peer_mask=peers) * armed
    europeans = (1 - identity) * ((1 - alliance.us_mask) * member)[None, :]
    european_tension = np.sum(tension * europeans, axis=1) / np.maximum(europeans.sum(axis=1), 1)
    fear = abandonment_fear(threat, reliability, vacuum)
    transatlantic = transatlantic_target(
        reliability=reliability, threat=threat, reciprocity=reciprocity, us_tension=tension[:, us],
        entrapment=entrapment, grievance=grievance, bias=p.commitment_bias,
        from_reliability=p.commitment_from_reliability, from_threat=p.commitment_from_threat,
        from_reciprocity=p.commitment_from_reciprocity, from_tension=p.commitment_from_tension,
        from_entrapment=p.commitment_from_entrapment, from_grievance=p.commitment_from_grievance,
    )  # fmt: skip
    european = european_target(
        fear=fear, threat=threat, reciprocity=reciprocity, european_tension=european_tension, pillar=0.0,
        grievance=grievance, bias=p.commitment_bias, from_fear=p.commitment_from_fear,
        from_threat=p.commitment_from_threat, from_reciprocity=p.commitment_from_reciprocity,
        from_tension=p.commitment_from_tension, from_pillar=p.commitment_from_pillar,
        from_grievance=p.commitment_from_grievance,
    )  # fmt: skip
    transatlantic[us] = european[us] = 1.0 - vacuum
    reliability[us] = 1.0

    if p.calibrate_to_start:
        # the ally effect, at the default demand coefficients (see module docstring)
        c = {name: Scenario.model_fields[name].default for name in CALIBRATION_COEFFICIENTS}
        budgets = spending / 100.0 * alliance.gdp
        counts = (1 - identity) * ((1 - alliance.us_mask) * member)[None, :]
        provision = allied_provision(
            own_gdp=alliance.gdp, commitment=european[None, :], tension_row=tension, budgets=budgets[None, :], counts=counts, reliability=reliability, vacuum=vacuum, us_budget=budgets[us],
            us_share_for_europe=c["us_share_for_europe"],
        )  # fmt: skip
        private = private_demand_at_rest(
            spending=spending, threat=threat, fear=fear, coverage=deterrence_coverage(provision, c["half_coverage"]),
            threat_weight=c["threat_weight"], fear_weight=c["fear_weight"], publicness=c["publicness"],
        )  # fmt: skip
    else:
        private = np.full(n, p.private_floor)
    return StartingState(
        spending=spending.copy(), transatlantic=transatlantic, european=european, reliability=reliability,
        threat=threat, tension=tension, status=np.zeros(n), private_demand=private, vacuum=vacuum, pressure=pressure,
    )  # fmt: skip
