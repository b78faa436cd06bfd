"""The behavioural rules: pure functions on floats or numpy arrays of any leading shape.

Each module holds one family of mechanisms from MODEL.md; :mod:`.decision` composes them
for one ally-year. Both the Mesa agents and the batch engine call these, and nothing else
holds a copy of the math.
"""

from .arrays import PairEntries, UsPairs
from .commitment import (
    alliance_agenda,
    burden_grievance,
    commitment_update,
    divergence_matrix,
    european_target,
    overall_commitment,
    priority_divergence,
    transatlantic_target,
)
from .decision import AllianceView, AllyState, Decision, YearContext, decide_member
from .partners import partner_ties_update
from .reliability import erratic_change, perceived_reliability, reliability_rest_point
from .spending import (
    allied_provision,
    budget_inertia,
    bunching,
    deadline_nearness,
    deterrence_coverage,
    fiscal_max_rise,
    fiscal_space,
    guideline_path,
    guideline_pull,
    guideline_shortfall,
    keeping_pace,
    lag_weights,
    lagged_target,
    private_demand_at_rest,
    pull_strength,
    security_demand,
)
from .status import (
    ALIGNED,
    DISENGAGED,
    HEDGING,
    STATUS_NAMES,
    below_exit,
    hedging_drive,
    next_status,
    pillar_share,
)
from .summit import (
    exemption_tension,
    failure_tension,
    review_exemptions,
    summit_commitment,
    summit_decision,
    supports_item,
    us_voting_commitment,
    voting_weights,
)
from .tension import (
    pair_coordination,
    stance_imbalance,
    symmetrize_tension,
    tension_rest_point,
    tension_row_update,
)
from .threat import (
    abandonment_fear,
    current_priorities,
    east_exposure,
    perceived_threat,
    south_exposure,
    us_priorities,
)
from .us_policy import vacuum_deviation, vacuum_level

__all__ = [name for name in dir() if not name.startswith("_")]
