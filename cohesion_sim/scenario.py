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


class ConsistencyError(ValueError):
    """Fields that are each valid but do not fit together; ``problems`` lists (fields involved, message)."""

    def __init__(self, problems: list[tuple[tuple[str, ...], str]]):
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


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
    """What a summit votes on: a new guideline with a deadline, a review of the guideline in force, or a unity declaration.

    A guideline and a review are substantive (they bind budgets, so they are costly signals); a
    review reaffirms the guideline in force (level and deadline unchanged), as the Hague Summit
    Declaration (2025, para. 3) schedules for 2029. A unity declaration is symbolic.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: Year
    item: Literal["guideline", "review", "unity"] = "guideline"
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
        if self.item == "review":
            return "review of the guideline in force"
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
    gdp_growth: float = param(0.015, -0.02, 0.05, "real GDP growth a year; about the 2014-2024 NATO average")

    # --- the United States -----------------------------------------------------------------
    vacuum: VacuumSchedule = Field(default_factory=VacuumSchedule, description="US withdrawal v(t) in [0, 1]")
    observed_vacuum: float | None = param(
        None, 0, 1, "US stance under which the data year's figures were observed; the start is a rest point under it "
        "(default: 0.1 for 2014 data, 0.3 for 2024 data; never the scenario's own vacuum)",
    )
    pressure: Schedule = Field(default=Constant(level=0.4), description="US burden-sharing pressure in [0, 1]")
    us_pivot: float = param(
        0.3, 0, 1, "share of US strategic focus outside Europe at v = 0 (Indo-Pacific, Middle East); it grows to 1 "
        "with the vacuum, pi = pivot + (1 - pivot) v, and drives entrapment divergence",
    )
    us_share_for_europe: float = param(
        1.0, 0.2, 1, "phi_US: part of the US defence budget that backs European security under a full guarantee (v = 0); "
        "extended nuclear deterrence and reinforcement rest on the whole US force, not only the ~10% stationed in Europe. "
        "The US effort for Europe is phi_US (1 - v) M_US: it shrinks with the vacuum",
    )
    us_spending: float | None = param(None, 0, 20, "US core defence, % of GDP; default: the data year's value")

    # --- threat environment --------------------------------------------------------------
    threat: ThreatLevels = Field(default_factory=ThreatLevels, description="tau_k(t) per direction")
    shocks: tuple[Shock, ...] = ()
    east_distance_km: float = param(
        700.0, 300, 2000, "distance at which eastern exposure falls to 1/e; threat decays with distance (Walt)"
    )
    east_border_bonus: float = param(0.3, 0, 0.6, "extra eastern exposure for a land border with Russia or Belarus")
    south_coast_exposure: float = param(0.5, 0, 1, "southern exposure per Mediterranean or Black Sea coastline")
    hybrid_exposure: float = param(0.4, 0, 1, "everyone's exposure to hybrid threats")

    # --- security demand (Olson-Zeckhauser, Sandler joint product) -------------------------
    threat_weight: float = param(2.5, 0.5, 6, "points of GDP demanded per unit of perceived threat")
    fear_weight: float = param(2.0, 0, 4, "points of GDP demanded per unit of abandonment fear (Snyder)")
    publicness: float = param(
        0.5, 0, 1, "share of the deterrence need that others' spill-in can cover (Murdoch-Sandler joint product; "
        "the rest is ally-specific)",
    )
    half_coverage: float = param(
        0.3, 0.1, 1.5, "spill-in S (multiples of own GDP) that covers half of an ally's deterrence need; 0.3 leaves "
        "Germany and France mostly uncovered and Luxembourg almost fully covered (Olson-Zeckhauser: the small "
        "exploit the great)",
    )
    calibrate_to_start: bool = Field(
        default=True,
        description="set each ally's private demand (the ally effect) so the data year is a rest point of demand under "
        "the observed conditions and the default demand coefficients; false: everyone gets private_floor",
    )
    private_floor: float = param(1.0, 0, 3, "private (ally-specific) demand when calibrate_to_start is false")
    spending_floor: float = param(
        0.3, 0, 1, "lowest core spending an ally with armed forces goes to; below every observed value (LUX 2014: 0.37)"
    )
    pillar_boost: float = param(0.3, 0, 1, "extra demand of a hedging ally investing in a European pillar")
    rivalry_threat: float = param(
        0.4, 0, 0.8, "perceived threat from a rival ally per unit of rivalry level (data/rivalries.csv: Greece-Turkey)"
    )

    # --- guidelines and summits --------------------------------------------------------------
    guideline: Guideline | None = Field(default=None, description="guideline in force at the start")
    agenda: tuple[AgendaItem, ...] = ()
    decision_rule: DecisionRule = Field(
        default=DecisionRule(), description="consensus or qualified_majority; dated: {before, after, year} (a lever)"
    )
    allow_exemptions: bool = Field(default=True, description="consensus may pass with a few holdouts exempted (the Spain case)")
    max_exemptions: int = param(2, 0, 6, "most holdouts a consensus can exempt and still pass (Spain 2025: one)")
    qmv_member_share: float = param(0.55, 0.5, 1, "share of members needed under qualified majority (EU: 55%)")
    qmv_gdp_share: float = param(0.65, 0.5, 1, "share of members' GDP needed under qualified majority (EU: 65%)")
    qmv_weight_cap: float = param(
        0.2, 0.05, 1, "largest share of the GDP vote one ally can hold under qualified majority; keeps the US "
        "(about half of alliance GDP) from holding the veto majority voting is meant to remove",
    )
    support_threshold: float = param(0.35, 0.1, 0.6, "commitment needed to back an item that costs nothing")
    support_slope: float = param(0.1, 0, 0.3, "extra commitment needed per point of GDP the item is above own spending")
    pass_boost: float = param(0.03, 0, 0.1, "commitment gained by supporters when an item passes")
    fail_cost: float = param(
        0.1, 0, 0.3, "tension added between holdouts and supporters when a substantive item fails (it then decays); "
        "no one's commitment is taxed",
    )
    exemption_tension: float = param(0.1, 0, 0.3, "tension added between an exempted ally and the rest")
    disputes: tuple[Dispute, ...] = ()

    # --- guideline pull (bunching, declaration-action gap) -------------------------------
    pull_max: float = param(0.95, 0.5, 0.99, "strongest pull toward the guideline path (mu < 1: pledges are not budgets)")
    pull_from_commitment: float = param(0.4, 0, 2, "weight of commitment in the pull strength")
    pull_from_pressure: float = param(0.15, 0, 2, "weight of US pressure in the pull strength")
    pull_from_conformity: float = param(0.25, 0, 2, "weight of the share of peers already compliant")
    pull_from_deadline: float = param(1.0, 0, 3, "weight of nearness of the deadline")
    compliance_margin: float = param(0.3, 0, 0.5, "points above the guideline an ally aims at to be safely counted")
    bunching_reach: float = param(
        0.5, 0, 1.2, "at the deadline, an ally whose own demand is less than this many points short of the guideline jumps "
        "just above it (being counted is a discrete reward: bunching at 2.00-2.25% in 2024)",
    )
    exemption_relief: float = param(0.8, 0, 1, "share of the pull an exemption removes")
    fiscal_pull: float = param(
        0.7, 0, 1, "share of the guideline pull an ally with no fiscal space loses (debt; Alozious 2022)"
    )

    # --- budget inertia ---------------------------------------------------------------------------
    adjustment_speed: float = param(0.7, 0.3, 1, "share of the gap to the target closed in one budget year")
    max_rise_low: float = param(0.2, 0.05, 0.8, "largest yearly rise (points of GDP) of an ally with no fiscal space")
    debt_limit: float = param(
        140.0, 100, 200, "government debt (% of GDP) at which fiscal space is gone; it is full at the EU's 60% rule"
    )
    budget_lag: float = param(
        1.5, 1, 3, "mean lag in years from a budget decision to outlays (procurement and budget cycles: one to three "
        "years), so a 2022 shock shows in 2023-2025 budgets",
    )
    max_cut: float = param(0.3, 0.1, 1, "largest yearly cut, points of GDP")
    budget_noise: float = param(0.05, 0, 0.2, "s.d. of yearly domestic budget noise, points of GDP")

    # --- perceived US reliability ----------------------------------------------------------
    trust_gain: float = param(0.15, 0.05, 0.4, "learning rate when trust in the US recovers")
    trust_loss: float = param(0.4, 0.1, 0.8, "learning rate when trust falls (lost faster than regained)")
    volatility_cost: float = param(1.0, 0, 3, "trust lost per unit of year-on-year change in the vacuum")

    # --- commitment --------------------------------------------------------------------------------
    commitment_speed: float = param(0.3, 0.1, 0.6, "share of the gap to the target commitment closed a year")
    commitment_bias: float = param(1.0, 0, 2, "intercept of the commitment logistic; puts a typical ally near 0.7")
    commitment_from_reliability: float = param(3.0, 0, 5, "weight of trust in the US (transatlantic commitment)")
    commitment_from_threat: float = param(2.0, 0, 4, "weight of perceived threat")
    commitment_from_reciprocity: float = param(1.5, 0, 3, "weight of reciprocity: how far allies keep to their guideline paths")
    commitment_from_tension: float = param(3.0, 0, 5, "weight (negative) of i's mean tension")
    commitment_from_entrapment: float = param(
        1.5, 0, 3, "weight (negative) of entrapment divergence (transatlantic commitment)"
    )
    commitment_from_fear: float = param(
        2.0, 0, 4, "weight of abandonment fear in the commitment to European allies (Snyder: fear draws allies together)"
    )
    commitment_from_pillar: float = param(
        1.5, 0, 3, "weight of the European pillar's GDP share in the commitment to European allies"
    )
    commitment_from_grievance: float = param(0.5, 0, 1.5, "weight (negative) of burden grievance, per point of GDP")
    reciprocity_tolerance: float = param(
        0.2, 0.05, 1, "yearly change (points) that moves an ally below the guideline from 'holding still' (1/2) to fully "
        "keeping pace (rise of half this) or not at all (fall of half this): Wales's 'halt any decline, move towards'",
    )

    # --- tension ---------------------------------------------------------------------------------------
    tension_decay: float = param(0.2, 0.05, 0.5, "share of tension that fades each year (delta)")
    grievance_tension: float = param(0.03, 0, 0.1, "tension per point of spending gap, weighted by own threat")
    divergence_tension: float = param(0.03, 0, 0.1, "tension per unit of priority divergence")
    pressure_tension: float = param(0.08, 0, 0.3, "US-ally tension per unit of pressure x shortfall (points)")
    coordination: Schedule = Field(
        default=Constant(level=0.2), description="coordination and intelligence-sharing level (a lever: number or schedule)"
    )
    coordination_effect: float = param(0.5, 0.2, 0.8, "share of tension that full coordination removes a year")
    rivalry_tension: float = param(
        0.1, 0, 0.3, "tension per unit of standing rivalry each year (data/rivalries.csv)"
    )
    balance_tension: float = param(
        0.2, 0, 0.6, "tension per unit of stance imbalance: allies who stand differently toward third parties "
        "(GDP-weighted RMS of T_ik - T_jk) come into tension (Heider; Cartwright-Harary structural balance)",
    )
    pillar_friction: float = param(
        0.3, 0, 0.6, "US-hedger tension per unit of US pressure a year: Washington treats an autonomous pillar as a "
        "rival (Albright's 1998 'three Ds')",
    )
    pillar_coordination: Schedule = Field(
        default=Constant(level=0.3), description="extra coordination between two hedging allies (a lever: number or schedule)"
    )

    # --- status ---------------------------------------------------------------------------------------
    hedge_threshold: float = param(
        1.26, 0.8, 1.6, "mean hedging threshold: an ally hedges when (1 - r) + w theta + k pillar passes its own threshold"
    )
    hedge_spread: float = param(
        0.3, 0, 0.6, "s.d. of the allies' hedging thresholds (Atlanticist and Europeanist traditions), drawn per run"
    )
    hedge_threat_weight: float = param(0.6, 0, 1.2, "weight of perceived threat in the hedging drive (Walt)")
    pillar_complementarity: float = param(
        0.2, 0, 0.6, "weight of the pillar's GDP share in the hedging drive (strategic complementarity: larger when "
        "more allies, and the larger ones, hedge)",
    )
    status_margin: float = param(0.1, 0, 0.3, "hysteresis: how far trust/commitment must recover to return")
    exit_commitment: float = param(0.2, 0.1, 0.4, "commitment below which an ally disengages")

    # --- partners ----------------------------------------------------------------------------------------
    partnerships: Schedule = Field(
        default=Constant(level=0.0),
        description="investment in ties to non-NATO democracies; 0 disables partners (a lever: number or schedule)",
    )
    partner_tie_rate: float = param(0.2, 0.05, 0.5, "yearly tie growth at full investment (doubled for hedgers)")
    partner_intelligence: float = param(
        0.5, 0, 1, "extra coordination between two allies tied to the same partners (shared intelligence)"
    )

    @model_validator(mode="after")
    def _consistent(self):
        problems = self.consistency_problems()
        if problems:
            raise ConsistencyError(problems)
        return self

    def consistency_problems(self) -> list[tuple[tuple[str, ...], str]]:
        """Every cross-field problem at once: (fields involved, message starting with the field name)."""
        problems: list[tuple[tuple[str, ...], str]] = []
        start, end = self.start_year, self.end_year
        if end <= start:
            problems.append((("start_year", "end_year"),
                             f"end_year: {end} must be after start_year {start} (at least one simulated year)"))  # fmt: skip
        if self.trust_loss < self.trust_gain:
            problems.append((("trust_gain", "trust_loss"),
                             f"trust_loss: {self.trust_loss} is below trust_gain {self.trust_gain}; trust is lost faster "
                             "than it is regained (MODEL.md), so trust_loss must be at least trust_gain"))  # fmt: skip
        if self.data_year is None and start < 2014:
            problems.append((("data_year", "start_year"),
                             f"data_year: no data for a start before 2014 (start_year {start}); set data_year"))  # fmt: skip
        if self.guideline is not None and self.guideline.adopted > start:
            problems.append((("guideline", "start_year"),
                             f"guideline.adopted: {self.guideline.adopted} is after start_year {start}; "
                             "a guideline adopted later belongs on the agenda"))  # fmt: skip
        if end <= start:
            return problems  # dated events cannot be judged against crossed years
        for k, item in enumerate(self.agenda):
            if item.year <= start:
                problems.append((("agenda", "start_year"),
                                 f"agenda[{k}].year: {item.year} is not after start_year {start}; summits come after the start"))  # fmt: skip
            elif item.year > end:
                problems.append((("agenda", "end_year"),
                                 f"agenda[{k}].year: {item.year} is after end_year {end}; the summit would never meet"))  # fmt: skip
        years = [item.year for item in self.agenda]
        if len(years) != len(set(years)):
            problems.append((("agenda",), "agenda: two items in the same year; a summit votes on one item"))
        for k, dispute in enumerate(self.disputes):
            if not start < dispute.year <= end:
                problems.append((("disputes", "start_year", "end_year"),
                                 f"disputes[{k}].year: {dispute.year} is outside the simulated years {start + 1}-{end}; "
                                 "the dispute would never happen"))  # fmt: skip
        for k, shock in enumerate(self.shocks):
            if shock.year > end:
                problems.append((("shocks", "end_year"),
                                 f"shocks[{k}].year: {shock.year} is after end_year {end}; the shock would never happen"))  # fmt: skip
        return problems

    @property
    def resolved_data_year(self) -> int:
        if self.data_year is not None:
            return self.data_year
        return 2024 if self.start_year >= 2024 else 2014

    @property
    def reference_vacuum(self) -> float:
        """The vacuum the starting state is calibrated to (``observed_vacuum`` or the schedule's start level)."""
        if self.observed_vacuum is not None:
            return self.observed_vacuum
        from .alliance import OBSERVED_CONDITIONS

        return OBSERVED_CONDITIONS[self.resolved_data_year]["vacuum"]

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
        """A summit votes in every year with an agenda item (a symbolic declaration in between would change nothing)."""
        return self.agenda_for(year) is not None


__all__ = ["AgendaItem", "Dispute", "Guideline", "Scenario", "Values"]
