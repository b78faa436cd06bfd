"""The agents: 31 member states, the United States, and optional partner democracies.

Each agent is a readable, writable view of its own column of the model's shared state
(:class:`~cohesion_sim.state.AllianceState` with one run): ``member.spending`` reads
``model.state.spending[0, member.index]``, and assigning it writes there. The year itself
(decide from a snapshot, act all at once) is :func:`cohesion_sim.year.advance_year`, the same
function the batch engine runs; the rules it applies are named in each class's docstring.
"""

from __future__ import annotations

import mesa

from .rules import STATUS_NAMES


def _column(name: str, doc: str):
    """A property reading and writing this agent's entry of ``model.state.<name>`` (run 0)."""

    def read(agent):
        return float(getattr(agent.model.state, name)[0, agent.index])

    def write(agent, value):
        getattr(agent.model.state, name)[0, agent.index] = value

    return property(read, write, doc=doc)


class MemberState(mesa.Agent):
    """A European ally or Canada.

    Summary of rule: perceive threat, update trust in the US, weigh what allies provide,
    set a budget target between own security demand and the guideline path, move part way
    toward it, and update commitment, tension with every ally and status
    (:func:`cohesion_sim.rules.decide_member`).

    Attributes:
        iso3, name: identity. ``index`` is the ally's column in the model's state and tension matrix.
        gdp: US$ bn, grows by ``gdp_growth`` a year.
        has_armed_forces: False for Iceland (no spending, still votes).
        exposure: east, south, hybrid exposure in [0, 1]; doubles as strategic priorities.
        spending: core defence, % of GDP.
        commitment: willingness to carry alliance decisions, in [0, 1]: the geometric mean of
            ``transatlantic_commitment`` (to the bond with the US) and ``european_commitment``
            (to European allies and Canada), Snyder's two sides of the alliance security dilemma.
        member: a member this year (from its accession year on).
        us_reliability: trust in the US guarantee, in [0, 1].
        threat: perceived threat, in [0, 1].
        status: "aligned", "hedging" or "disengaged".
        partner_ties: ties to non-NATO democracies, in [0, 1].
        exempt: exempted from the guideline in force.
        path_start: spending when the guideline in force was adopted.
        private_demand: ally-specific demand (joint product), set at initialization.
        max_rise: fiscal space, the largest yearly rise in points of GDP.
    """

    spending = _column("spending", "core defence, % of GDP")
    transatlantic_commitment = _column("transatlantic", "commitment to the transatlantic bond, in [0, 1]")
    european_commitment = _column("european", "commitment to European allies and Canada, in [0, 1]")
    us_reliability = _column("reliability", "trust in the US guarantee, in [0, 1]")
    threat = _column("threat", "perceived threat, in [0, 1]")
    partner_ties = _column("partner_ties", "ties to non-NATO democracies, in [0, 1]")
    gdp = _column("gdp", "US$ bn")
    path_start = _column("path_start", "spending when the guideline in force was adopted")
    private_demand = _column("private_demand", "ally-specific demand (joint product)")

    def __init__(self, model, ally, index: int):
        super().__init__(model)
        structure = model.runs.alliance
        self.iso3 = ally.iso3
        self.name = ally.country
        self.index = index
        self.lat, self.lon = ally.capital_lat, ally.capital_lon
        self.is_european = bool(structure.is_europe[index])
        self.has_armed_forces = ally.has_armed_forces
        self.exposure = model.runs.exposure[0, index]

    @property
    def commitment(self) -> float:
        """Overall commitment: the geometric mean of the two commitments."""
        return float(self.model.state.commitment[0, self.index])

    @property
    def member(self) -> bool:
        return bool(self.model.runs.alliance.accession[self.index] <= self.model.state.year)

    @property
    def status_code(self) -> int:
        return int(self.model.state.status[0, self.index])

    @property
    def status(self) -> str:
        return STATUS_NAMES[self.status_code]

    @property
    def fiscal_space(self) -> float:
        """Fiscal space from government debt, in [0, 1]."""
        return float(self.model.runs.space[0, self.index])

    @property
    def exempt(self) -> bool:
        return bool(self.model.state.exempt[0, self.index])

    @property
    def max_rise(self) -> float:
        return float(self.model.runs.max_rise[0, self.index])

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


class UnitedStates(mesa.Agent):
    """The patron whose guarantee may be withdrawn.

    Summary of rule: the vacuum follows the scenario's schedule plus erratic, mean-reverting
    deviations (:func:`cohesion_sim.year.us_stance`); pressure follows its schedule; the US
    resents allies short of the guideline (its row of :func:`cohesion_sim.rules.tension_row_update`).

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
    status = "aligned"

    spending = _column("spending", "core defence, % of GDP")
    threat = _column("threat", "perceived threat, in [0, 1]")
    gdp = _column("gdp", "US$ bn")

    def __init__(self, model, ally, index: int):
        super().__init__(model)
        self.index = index
        self.lat, self.lon = ally.capital_lat, ally.capital_lon
        self.exposure = model.runs.exposure[0, index]

    def _run_value(self, name: str) -> float:
        return float(getattr(self.model.state, name)[0])

    vacuum = property(lambda self: self._run_value("vacuum"))
    previous_vacuum = property(lambda self: self._run_value("previous_vacuum"))
    deviation = property(lambda self: self._run_value("deviation"))
    pressure = property(lambda self: self._run_value("pressure"))

    @property
    def commitment(self) -> float:
        """The US's commitment to European security is the complement of the vacuum."""
        return 1.0 - self.vacuum

    @property
    def budget(self) -> float:
        return self.spending / 100.0 * self.gdp


class Partner(mesa.Agent):
    """A non-NATO democracy (Ukraine, Japan, Australia, South Korea, New Zealand).

    Summary of rule: it keeps its defence effort; allies that invest in ties with partners
    count a share of partners' budgets as provision and fear abandonment less.
    """

    def __init__(self, model, partner, index: int):
        super().__init__(model)
        self.iso3 = partner.iso3
        self.name = partner.country
        self.index = index
        self.spending = partner.spending

    @property
    def gdp(self) -> float:
        return float(self.model.state.partner_gdp[0, self.index])

    @property
    def budget(self) -> float:
        return self.spending / 100.0 * self.gdp


__all__ = ["MemberState", "Partner", "UnitedStates"]
