"""The outcomes a lever package is judged on, named once: every table, figure and report reads this.

Each outcome is read from the batch engine's final-year metrics (``source``), or computed from
the final year's per-ally values where the engine has no such metric (``european_spending``).
``better`` says which direction is good: robustness statistics report the 10th percentile of
outcomes where higher is better and the 90th percentile where lower is better, so both columns
describe the worst tenth of futures.

To judge packages on a new outcome, add one line to :data:`OUTCOMES`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Outcome:
    name: str
    label: str  # plain language, for tables and the report
    better: str  # "higher" or "lower"
    source: str  # a final-year metric of the batch engine, or "agents:<reporter>" for a computed one
    unit: str = ""

    @property
    def sign(self) -> float:
        """+1 where higher is better, -1 where lower is better (regret and ranking use sign * value)."""
        return 1.0 if self.better == "higher" else -1.0

    @property
    def worst_percentile(self) -> int:
        return 10 if self.better == "higher" else 90


#: The outcomes, in report order. The first is the one satisficing and regret are computed on.
OUTCOMES: tuple[Outcome, ...] = (
    Outcome("cohesion", "alliance cohesion (0-1)", "higher", "cohesion"),
    Outcome("cohesion_europe", "cohesion among Europe and Canada (0-1)", "higher", "cohesion_europe"),
    Outcome("european_spending", "European defence effort: mean spending of Europe and Canada", "higher",
            "agents:spending", "% of GDP"),  # fmt: skip
    Outcome("declaration_gap", "declaration gap: shortfall against the pledged path", "lower", "declaration_gap",
            "points of GDP"),  # fmt: skip
    Outcome("blocs", "camps among engaged allies", "lower", "blocs"),
    Outcome("disengaged", "disengaged allies", "lower", "disengaged", "allies"),
)
OUTCOME_NAMES: tuple[str, ...] = tuple(o.name for o in OUTCOMES)
#: The outcome satisficing, regret and scenario discovery use.
PRIMARY = OUTCOMES[0]


def outcome(name: str) -> Outcome:
    for item in OUTCOMES:
        if item.name == name:
            return item
    raise KeyError(f"unknown outcome {name!r}; known: {', '.join(OUTCOME_NAMES)}")


def needs_agents() -> bool:
    """Whether any outcome is computed from per-ally values (the engine must keep them)."""
    return any(o.source.startswith("agents:") for o in OUTCOMES)


def outcome_values(result, *, armed: np.ndarray, us_index: int, final_spending=None) -> dict[str, np.ndarray]:
    """Every outcome of a :class:`~cohesion_sim.engine.BatchResult`, shape (R,) each.

    ``armed`` marks the allies with armed forces (shape (N,)); ``us_index`` is the US column.
    ``final_spending`` (R, N) is each ally's final-year spending when the caller has it;
    otherwise it is read from ``result.agents``.
    """
    values = {}
    for item in OUTCOMES:
        if item.source == "agents:spending":
            spending = result.agents["spending"][:, -1, :] if final_spending is None else np.asarray(final_spending)
            europe = armed.astype(bool).copy()
            europe[us_index] = False
            values[item.name] = spending[:, europe].mean(axis=1)
        elif item.source.startswith("agents:"):
            raise KeyError(f"outcome {item.name}: no rule for computing {item.source}")
        else:
            values[item.name] = np.asarray(result.final[item.source], dtype=float)
    return values


__all__ = ["OUTCOMES", "OUTCOME_NAMES", "PRIMARY", "Outcome", "needs_agents", "outcome", "outcome_values"]
