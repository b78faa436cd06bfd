"""The agents: 31 member states, the United States, and optional partner democracies.

Each yearly step is synchronous: every agent first *decides* from last year's snapshot, then
every agent *acts* (applies its decision), so agent order never matters. The math is in
:mod:`cohesion_sim.rules`; agents only gather their inputs and keep their state.
"""

from __future__ import annotations

import mesa
import numpy as np

from .rules import (
    ALIGNED,
    STATUS_NAMES,
    AllyState,
    decide_member,
    tension_row_update,
    vacuum_deviation,
    vacuum_level,
)


class MemberState(mesa.Agent):
    """A European ally or Canada.

    Summary of rule: perceive threat, update trust in the US, weigh what allies provide,
    set a budget target between own security demand and the guideline path, move part way
    toward it, and update commitment, tension with every ally and status.

    Attributes:
        iso3, name: identity. ``index`` is the ally's row in the model's tension matrix.
        gdp: US$ bn, grows by ``gdp_growth`` a year.
        has_armed_forces: False for Iceland (no spending, still votes).
        exposure: east, south, hybrid exposure in [0, 1]; doubles as strategic priorities.
        spending: core defence, % of GDP.
        commitment: willingness to carry alliance decisions, in [0, 1].
        us_reliability: trust in the US guarantee, in [0, 1].
        threat: perceived threat, in [0, 1].
        status: "aligned", "hedging" or "disengaged".
        partner_ties: ties to non-NATO democracies, in [0, 1].
        exempt: exempted from the guideline in force.
        private_demand: ally-specific demand (joint product), set at initialization.
        max_rise: fiscal space, the largest yearly rise in points of GDP.
    """

    def __init__(self, model, ally, index, exposure, priorities, max_rise):
        super().__init__(model)
        self.iso3 = ally.iso3
        self.name = ally.country
        self.index = index
        self.lat, self.lon = ally.capital_lat, ally.capital_lon
        self.is_european = bool(model.alliance.is_europe[index])
        self.has_armed_forces = ally.has_armed_forces
        self.exposure = exposure
        self.priorities = priorities
        self.gdp = ally.gdp[model.data_year]
        self.spending = ally.spending[model.data_year]
        self.max_rise = max_rise
        self.commitment = 0.5
        self.us_reliability = 0.5
        self.threat = 0.0
        self.status_code = ALIGNED
        self.partner_ties = 0.0
        self.exempt = False
        self.path_start = self.spending
        self.private_demand = 0.0
        self.decision = None

    # ---- reporters --------------------------------------------------------------------
    @property
    def status(self) -> str:
        return STATUS_NAMES[int(self.status_code)]

    @property
    def budget(self) -> float:
        """Core defence budget, US$ bn."""
        return self.spending / 100.0 * self.gdp

    @property
    def tension_with_us(self) -> float:
        return float(self.model.tension[self.index, self.model.us_index])

    @property
    def mean_tension(self) -> float:
        row = self.model.tension[self.index]
        return float(row.sum() / (len(row) - 1))

    @property
    def meets_guideline(self) -> bool:
        level = self.model.guideline_level
        return bool(self.has_armed_forces and level is not None and self.spending >= level)

    # ---- the yearly step ------------------------------------------------------------------
    def own_state(self) -> AllyState:
        model = self.model
        i = self.index
        return AllyState(
            spending=self.spending,
            commitment=self.commitment,
            reliability=self.us_reliability,
            status=self.status_code,
            partner_ties=self.partner_ties,
            gdp=self.gdp,
            armed=float(self.has_armed_forces),
            private_demand=self.private_demand,
            max_rise=self.max_rise,
            exempt=float(self.exempt),
            path_start=self.path_start,
            exposure=self.exposure,
            priorities=self.priorities,
            tension_row=model.tension[i],
            self_mask=model.identity[i],
            divergence_row=model.alliance.divergence[i],
            dispute_row=model.disputes_this_year[i],
        )

    def decide(self) -> None:
        """Form this year's decision from last year's snapshot (nothing visible changes yet)."""
        model = self.model
        self.decision = decide_member(
            self.own_state(), model.view, model.context, model.params, model.budget_shocks[self.index]
        )

    def act(self) -> None:
        """Apply the decision; the tension row goes to the model, which symmetrizes the matrix."""
        d = self.decision
        self.threat = float(d.threat)
        self.us_reliability = float(d.reliability)
        self.spending = float(d.spending)
        self.commitment = float(d.commitment)
        self.status_code = int(d.status)
        self.partner_ties = float(d.partner_ties)
        self.model.tension_rows[self.index] = d.tension_row
        self.gdp *= 1.0 + self.model.params.gdp_growth
        self.decision = None


class UnitedStates(mesa.Agent):
    """The patron whose guarantee may be withdrawn.

    Summary of rule: the vacuum follows the scenario's schedule plus erratic, mean-reverting
    deviations; pressure follows its schedule; the US resents allies short of the guideline.

    Attributes:
        vacuum: 0 is a full, credible guarantee; 1 is complete withdrawal from Europe.
        previous_vacuum: last year's vacuum (allies learn from changes).
        deviation: the erratic part of the vacuum (AR(1)).
        pressure: how hard the US presses laggards, in [0, 1].
        spending: core defence, % of GDP.
    """

    iso3 = "USA"
    name = "United States"
    has_armed_forces = True
    is_european = False

    def __init__(self, model, ally, index, exposure, priorities, spending):
        super().__init__(model)
        params = model.params
        self.index = index
        self.lat, self.lon = ally.capital_lat, ally.capital_lon
        self.exposure = exposure
        self.priorities = priorities
        self.gdp = ally.gdp[model.data_year]
        self.spending = spending
        self.threat = 0.0
        self.deviation = 0.0
        self.vacuum = params.reference_vacuum
        self.previous_vacuum = self.vacuum
        self.pressure = params.pressure.at(params.start_year)
        self.tension_decision = None

    @property
    def commitment(self) -> float:
        """The US's commitment to European security is the complement of the vacuum."""
        return 1.0 - self.vacuum

    @property
    def budget(self) -> float:
        return self.spending / 100.0 * self.gdp

    def update_stance(self, year: int, shock: float) -> None:
        """Phase 1 of the year: move the vacuum along its schedule plus noise, and set pressure."""
        params = self.model.params
        self.deviation = float(vacuum_deviation(self.deviation, shock, params.vacuum.volatility, params.vacuum.reversion))
        self.previous_vacuum = self.vacuum
        self.vacuum = float(vacuum_level(params.vacuum.at(year), self.deviation))
        self.pressure = params.pressure.at(year)

    def decide(self) -> None:
        """The US's view of each ally: resentment of laggards under pressure, divergence, disputes."""
        model, p = self.model, self.model.params
        i = self.index
        view = model.view
        self.tension_decision = tension_row_update(
            model.tension[i], np.asarray(self.threat), np.asarray(self.spending), view.spending,
            view.armed * (1.0 - model.identity[i]), model.alliance.divergence[i], np.asarray(self.pressure),
            model.shortfalls, model.disputes_this_year[i], np.full(model.n_allies, p.coordination),
            p.tension_decay, p.grievance_tension, p.divergence_tension, p.pressure_tension, p.coordination_effect,
        ) * (1.0 - model.identity[i])  # fmt: skip

    def act(self) -> None:
        self.model.tension_rows[self.index] = self.tension_decision
        self.gdp *= 1.0 + self.model.params.gdp_growth
        self.tension_decision = None


class Partner(mesa.Agent):
    """A non-NATO democracy (Ukraine, Japan, Australia, South Korea, New Zealand).

    Summary of rule: it keeps its defence effort; allies that invest in ties with partners
    count a share of partners' budgets as provision and fear abandonment less.
    """

    def __init__(self, model, partner):
        super().__init__(model)
        self.iso3 = partner.iso3
        self.name = partner.country
        self.gdp = partner.gdp
        self.spending = partner.spending

    @property
    def budget(self) -> float:
        return self.spending / 100.0 * self.gdp

    def decide(self) -> None:
        """Partners follow their own policies; the model does not change them."""

    def act(self) -> None:
        self.gdp *= 1.0 + self.model.params.gdp_growth


__all__ = ["MemberState", "Partner", "UnitedStates"]
