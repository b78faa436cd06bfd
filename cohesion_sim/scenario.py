"""The scenario: every parameter of a run in one validated, immutable object.

Defaults, allowed ranges and the reason for each default live here, once; ``docs/ODD.md``
prints the same table (``python -m cohesion_sim.docs`` regenerates it, and a test checks it).
Scenario files are YAML (read with ``safe_load``) and may ``extends:`` another scenario.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .schedules import Constant, DecisionRule, Schedule, Shock, ThreatLevels, VacuumSchedule, Values, Year


def param(default, low=None, high=None, why: str = "", **kw):
    """A behavioural constant: default, allowed range and the reason for the default."""
    return Field(default, ge=low, le=high, description=why, **kw)


class Guideline(BaseModel):
    """A spending guideline in force: reach ``level`` % of GDP by ``deadline``, agreed in ``adopted``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    level: float = Field(ge=0.0, le=20.0)
    adopted: Year
    deadline: Year

    @model_validator(mode="after")
    def _deadline_not_before_adoption(self):
        if self.deadline < self.adopted:
            raise ValueError(f"deadline {self.deadline} is before the adoption year {self.adopted}")
        return self


class AgendaItem(BaseModel):
    """What a summit votes on: a new guideline with a deadline, or a unity declaration."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: Year
    item: Literal["guideline", "unity"] = "guideline"
    level: float | None = Field(default=None, ge=0.0, le=20.0)
    deadline: Year | None = None

    @model_validator(mode="after")
    def _guideline_needs_level_and_deadline(self):
        if self.item == "guideline":
            if self.level is None or self.deadline is None:
                raise ValueError("a guideline item needs both 'level' and 'deadline'")
            if self.deadline < self.year:
                raise ValueError(f"deadline {self.deadline} is before the summit year {self.year}")
        return self

    @property
    def label(self) -> str:
        if self.item == "guideline":
            return f"{self.level:g}% guideline by {self.deadline}"
        return "unity declaration"


class Dispute(BaseModel):
    """A dated bilateral dispute that adds ``size`` to the tension between two allies."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: Year
    pair: tuple[str, str]
    size: float = Field(ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _two_different_allies(self):
        if self.pair[0].upper() == self.pair[1].upper():
            raise ValueError(f"a dispute needs two different allies, got {self.pair[0]} twice")
        return self


class Scenario(BaseModel):
    """All inputs of one run. Field names use the model's vocabulary (MODEL.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # --- description -----------------------------------------------------------------
    title: str = "Custom scenario"
    description: str = ""

    # --- time, data, randomness ---------------------------------------------------------
    start_year: Year = 2024
    end_year: Year = 2035
    data_year: Literal[2014, 2024] | None = Field(
        default=None, description="which data column starts the run; default: latest data year <= start_year"
    )
    data_file: str | None = Field(default=None, description="CSV with the allies table's columns")
    seed: int = Field(default=42, ge=0, description="default random seed (the CLI's --seed overrides it)")
    gdp_growth: float = param(0.015, -0.05, 0.10, "real GDP growth a year; about the 2014-2024 NATO average")

    # --- the United States -----------------------------------------------------------------
    vacuum: VacuumSchedule = Field(default_factory=VacuumSchedule, description="US withdrawal v(t) in [0, 1]")
    observed_vacuum: float | None = param(
        None, 0, 1, "US stance under which the data year's figures were observed; the start is a rest point under it "
        "(default: the vacuum schedule's start-year level)",
    )
    pressure: Schedule = Field(default=Constant(level=0.4), description="US burden-sharing pressure in [0, 1]")
    us_pivot: float = param(
        0.4, 0, 1, "share of US strategic focus outside Europe (Indo-Pacific, Middle East); drives entrapment"
    )
    us_share_for_europe: float = param(
        0.3, 0, 1, "phi_US: part of the US defence budget that counts for European security (Europe-committed forces)"
    )
    us_spending: float | None = param(None, 0, 20, "US core defence, % of GDP; default: the data year's value")

    # --- threat environment --------------------------------------------------------------
    threat: ThreatLevels = Field(default_factory=ThreatLevels, description="tau_k(t) per direction")
    shocks: tuple[Shock, ...] = ()
    east_distance_km: float = param(
        700.0, 100, 10000, "distance at which eastern exposure falls to 1/e; threat decays with distance (Walt)"
    )
    east_border_bonus: float = param(0.3, 0, 1, "extra eastern exposure for a land border with Russia or Belarus")
    south_coast_exposure: float = param(0.5, 0, 1, "southern exposure per Mediterranean or Black Sea coastline")
    hybrid_exposure: float = param(0.4, 0, 1, "everyone's exposure to hybrid threats")

    # --- security demand (Olson-Zeckhauser, Sandler joint product) -------------------------
    threat_weight: float = param(4.0, 0, 10, "points of GDP demanded per unit of perceived threat")
    fear_weight: float = param(2.0, 0, 10, "points of GDP demanded per unit of abandonment fear (Snyder)")
    publicness: float = param(
        0.5, 0, 1, "share of allied defence that is a pure public good for i (Murdoch-Sandler joint product)"
    )
    free_riding_weight: float = param(0.6, 0, 5, "points of GDP given up per unit of log(1 + spill-in S_i)")
    calibrate_to_start: bool = Field(
        default=True,
        description="set each ally's private demand so the start year is a rest point of demand; "
        "false: everyone gets private_floor",
    )
    private_floor: float = param(1.0, 0, 5, "private (ally-specific) demand when calibrate_to_start is false")
    spending_floor: float = param(
        0.3, 0, 5, "lowest core spending an ally with armed forces goes to; below every observed value (LUX 2014: 0.37)"
    )
    pillar_boost: float = param(0.3, 0, 2, "extra demand of a hedging ally investing in a European pillar")

    # --- guidelines and summits --------------------------------------------------------------
    guideline: Guideline | None = Field(default=None, description="guideline in force at the start")
    agenda: tuple[AgendaItem, ...] = ()
    summit_interval: int = param(1, 1, 10, "years between summits; NATO meets about yearly")
    decision_rule: DecisionRule = Field(
        default=DecisionRule(), description="consensus or qualified_majority; dated: {before, after, year} (a lever)"
    )
    allow_exemptions: bool = Field(default=True, description="consensus may pass with a few holdouts exempted (the Spain case)")
    max_exemptions: int = param(2, 0, 40, "most holdouts a consensus can exempt and still pass (Spain 2025: one)")
    qmv_member_share: float = param(0.55, 0.5, 1, "share of members needed under qualified majority (EU: 55%)")
    qmv_gdp_share: float = param(0.65, 0.5, 1, "share of members' GDP needed under qualified majority (EU: 65%)")
    qmv_weight_cap: float = param(
        0.2, 0.05, 1, "largest share of the GDP vote one ally can hold under qualified majority; keeps the US "
        "(about half of alliance GDP) from holding the veto majority voting is meant to remove",
    )
    support_threshold: float = param(0.35, 0, 1, "commitment needed to back an item that costs nothing")
    support_slope: float = param(0.15, 0, 2, "extra commitment needed per point of GDP the item is above own spending")
    pass_boost: float = param(0.03, 0, 0.5, "commitment gained by supporters when an item passes")
    fail_cost: float = param(0.05, 0, 0.5, "commitment everyone loses when a summit fails")
    exemption_tension: float = param(0.1, 0, 1, "tension added between an exempted ally and the rest")
    disputes: tuple[Dispute, ...] = ()

    # --- guideline pull (bunching, declaration-action gap) -------------------------------
    pull_max: float = param(0.95, 0, 0.99, "strongest pull toward the guideline path (mu < 1: pledges are not budgets)")
    pull_from_commitment: float = param(0.4, 0, 5, "weight of commitment in the pull strength")
    pull_from_pressure: float = param(0.15, 0, 5, "weight of US pressure in the pull strength")
    pull_from_conformity: float = param(0.25, 0, 5, "weight of the share of peers already compliant")
    pull_from_deadline: float = param(0.6, 0, 5, "weight of nearness of the deadline")
    compliance_margin: float = param(0.25, 0, 1, "points above the guideline an ally aims at to be safely counted")
    exemption_relief: float = param(0.8, 0, 1, "share of the pull an exemption removes")

    # --- budget inertia ---------------------------------------------------------------------------
    adjustment_speed: float = param(0.6, 0, 1, "share of the gap to the target closed in one budget year")
    max_rise_low: float = param(0.2, 0, 3, "smallest yearly rise (points of GDP) fiscal space allows")
    max_rise_high: float = param(1.0, 0, 3, "largest yearly rise; Poland 2022-23 was about +1.0")
    max_cut: float = param(0.3, 0, 3, "largest yearly cut, points of GDP")
    budget_noise: float = param(0.05, 0, 1, "s.d. of yearly domestic budget noise, points of GDP")

    # --- perceived US reliability ----------------------------------------------------------
    trust_gain: float = param(0.15, 0, 1, "learning rate when trust in the US recovers")
    trust_loss: float = param(0.4, 0, 1, "learning rate when trust falls (lost faster than regained)")
    volatility_cost: float = param(1.0, 0, 5, "trust lost per unit of year-on-year change in the vacuum")

    # --- commitment --------------------------------------------------------------------------------
    commitment_speed: float = param(0.3, 0, 1, "share of the gap to the target commitment closed a year")
    commitment_bias: float = param(1.0, -10, 10, "intercept of the commitment logistic; puts a typical ally near 0.7")
    commitment_from_reliability: float = param(2.0, 0, 10, "weight of trust in the US")
    commitment_from_threat: float = param(2.0, 0, 10, "weight of perceived threat")
    commitment_from_reciprocity: float = param(1.5, 0, 10, "weight of reciprocity: how far allies keep to their guideline paths")
    commitment_from_tension: float = param(3.0, 0, 10, "weight (negative) of i's mean tension")
    commitment_from_entrapment: float = param(1.5, 0, 10, "weight (negative) of entrapment divergence")
    commitment_from_grievance: float = param(0.5, 0, 10, "weight (negative) of burden grievance, per point of GDP")
    reciprocity_tolerance: float = param(
        0.5, 0.01, 5, "points below its path at which an ally no longer counts as keeping its pledge (reciprocity)"
    )
    peer_threat_bandwidth: float = param(0.15, 0.01, 1, "threat difference within which allies count as peers")

    # --- tension ---------------------------------------------------------------------------------------
    tension_decay: float = param(0.2, 0, 1, "share of tension that fades each year (delta)")
    grievance_tension: float = param(0.03, 0, 1, "tension per point of spending gap, weighted by own threat")
    divergence_tension: float = param(0.03, 0, 1, "tension per unit of priority divergence")
    pressure_tension: float = param(0.08, 0, 1, "US-ally tension per unit of pressure x shortfall (points)")
    coordination: Schedule = Field(
        default=Constant(level=0.2), description="coordination and intelligence-sharing level (a lever: number or schedule)"
    )
    coordination_effect: float = param(0.5, 0, 1, "share of tension that full coordination removes a year")
    pillar_coordination: Schedule = Field(
        default=Constant(level=0.3), description="extra coordination between two hedging allies (a lever: number or schedule)"
    )

    # --- status ---------------------------------------------------------------------------------------
    hedge_reliability: float = param(0.4, 0, 1, "an aligned ally hedges when trust falls below this...")
    hedge_threat: float = param(
        0.5, 0, 1, "...and its perceived threat is above this: exposed allies hedge, distant ones do not (Walt)"
    )
    status_margin: float = param(0.1, 0, 1, "hysteresis: how far trust/commitment must recover to return")
    exit_commitment: float = param(0.2, 0, 1, "commitment below which an ally disengages")

    # --- partners ----------------------------------------------------------------------------------------
    partnerships: Schedule = Field(
        default=Constant(level=0.0),
        description="investment in ties to non-NATO democracies; 0 disables partners (a lever: number or schedule)",
    )
    partner_tie_rate: float = param(0.2, 0, 1, "yearly tie growth at full investment (doubled for hedgers)")
    partner_tie_decay: float = param(0.05, 0, 1, "share of ties that fade each year")
    partner_share: float = param(0.1, 0, 1, "share of partners' defence that counts as provision for allies")
    partner_relief: float = param(0.3, 0, 1, "share of abandonment fear full ties remove")

    @model_validator(mode="after")
    def _consistent(self):
        # messages start with the field name; scenario_files reports it as the field
        if self.end_year <= self.start_year:
            raise ValueError(
                f"end_year: {self.end_year} must be after start_year {self.start_year} (at least one simulated year)"
            )
        if self.trust_loss < self.trust_gain:
            raise ValueError(
                f"trust_loss: {self.trust_loss} is below trust_gain {self.trust_gain}; trust is lost faster than "
                "it is regained (MODEL.md), so trust_loss must be at least trust_gain"
            )
        if self.max_rise_high < self.max_rise_low:
            raise ValueError(f"max_rise_high: {self.max_rise_high} is below max_rise_low {self.max_rise_low}")
        for k, item in enumerate(self.agenda):
            if item.year <= self.start_year:
                raise ValueError(
                    f"agenda[{k}].year: {item.year} is not after start_year {self.start_year}; summits come after the start"
                )
        years = [item.year for item in self.agenda]
        if len(years) != len(set(years)):
            raise ValueError("agenda: two items in the same year; a summit votes on one item")
        if self.data_year is None and self.start_year < 2014:
            raise ValueError(f"data_year: no data for a start before 2014 (start_year {self.start_year}); set data_year")
        if self.guideline is not None and self.guideline.adopted > self.start_year:
            raise ValueError(
                f"guideline.adopted: {self.guideline.adopted} is after start_year {self.start_year}; "
                "a guideline adopted later belongs on the agenda"
            )
        return self

    @property
    def resolved_data_year(self) -> int:
        if self.data_year is not None:
            return self.data_year
        return 2024 if self.start_year >= 2024 else 2014

    @property
    def reference_vacuum(self) -> float:
        """The vacuum the starting state is calibrated to (``observed_vacuum`` or the schedule's start level)."""
        return self.observed_vacuum if self.observed_vacuum is not None else self.vacuum.at(self.start_year)

    @property
    def years(self) -> range:
        """Simulated years (after the start year's initial state)."""
        return range(self.start_year + 1, self.end_year + 1)

    def agenda_for(self, year: int) -> AgendaItem | None:
        for item in self.agenda:
            if item.year == year:
                return item
        return None

    def summit_due(self, year: int) -> bool:
        """A summit meets every ``summit_interval`` years, and in any year with an agenda item."""
        return (year - self.start_year) % self.summit_interval == 0 or self.agenda_for(year) is not None


__all__ = ["AgendaItem", "Dispute", "Guideline", "Scenario", "Values"]
