"""The mechanism sweep (``cohesion-sim validate --mechanisms``): does every behavioural constant act?

Each constant is swept one at a time over its documented range on the batch engine, in every
built-in scenario. A constant that moves no headline output there by more than the seed spread is
not yet condemned: some mechanisms act only under conditions the built-in scenarios never create
(a weight on US pressure where pressure stays put, a cap on cuts where nobody cuts). Such a
constant is run once more where its condition holds (:data:`CONDITIONS`): if it acts there it is
*dormant* (it stays, and the ODD says where it acts); if not, it is *inert* and should go.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..engine import run_batch
from ..scenario import Scenario
from ..scenario_files import load_scenario
from .signatures import COLLAPSE, HEADLINES, _bounds_of, _consistent, behavioural_ranges

#: Scenarios the sweep runs on: every built-in one, so a constant is inert only if it moves nothing in any of them.
SWEEP_SCENARIOS = ("baseline", "committed_us", "abrupt_withdrawal", "gradual_drift", "volatile_us", "trump_proofing",
                   "fractured", "hindcast_2014")  # fmt: skip


@dataclass(frozen=True)
class Condition:
    """Where a constant that is still at the built-in scenarios should act: a scenario, its changes, and why.

    ``ally`` and ``reporter`` watch one ally's agent reporter instead of the headlines (a rivalry
    acts on its pair, which no alliance-wide headline can see).
    """

    scenario: str
    changes: dict
    why: str
    ally: str | None = None
    reporter: str | None = None


_THREAT_DROP = {"east": {"kind": "step", "before": 0.8, "level": 0.2, "year": 2026}, "south": 0.35, "hybrid": 0.45}
_THREAT_JUMP = {"east": {"kind": "step", "before": 0.8, "level": 1.0, "year": 2026}, "south": 0.8, "hybrid": 0.9}

#: The condition under which each constant that the built-in scenarios leave still should act.
CONDITIONS = {
    "pull_from_pressure": Condition("baseline", {"pressure": 0.1},
                                    "US pressure far from the other drives of the pull (it is 0.6 in most scenarios)"),
    "qmv_weight_cap": Condition(
        "volatile_us", {"decision_rule": "qualified_majority", "pressure": 0.05,
                        "vacuum": {"kind": "constant", "level": 0.9, "volatility": 0.05}},
        "a withdrawn US that no longer presses votes against the 2029 review under qualified majority"),
    "max_cut": Condition("baseline", {"vacuum": 0.0, "threat": _THREAT_DROP},
                         "the eastern threat falls to 0.2 in 2026 under a full US guarantee: allies cut"),
    "max_rise_low": Condition("baseline", {"vacuum": 0.9, "threat": _THREAT_JUMP},
                              "every threat jumps in 2026 with the US gone: indebted allies would rise fast"),
    "rivalry_tension": Condition("baseline", {}, "Greece-Turkey, the standing rivalry in the data (Greece's tension)",
                                 ally="GRC", reporter="mean_tension"),
    "pass_boost": Condition("baseline", {"agenda": [{"year": 2025, "item": "guideline", "level": 3.5, "deadline": 2035},
                                                    {"year": 2027, "item": "review"}, {"year": 2029, "item": "review"},
                                                    {"year": 2031, "item": "review"}]},
                            "more substantive votes: the Hague guideline reviewed every two years"),
}  # fmt: skip


@dataclass
class ConstantEffect:
    """One constant swept over its documented range: the largest move of any output against the seed spread."""

    name: str
    low: float
    high: float
    moves: dict[str, float]  # "scenario:output" -> max - min of the seed-median over the range
    spread: dict[str, float]  # "scenario:output" -> s.d. across seeds at the default
    collapsed_runs: int
    condition: Condition | None = None
    condition_moves: dict[str, float] = field(default_factory=dict)
    condition_spread: dict[str, float] = field(default_factory=dict)

    @property
    def still(self) -> bool:
        """Nothing moves beyond seed noise in any built-in scenario."""
        return all(self.moves[k] <= self.spread[k] for k in self.moves)

    @property
    def dormant(self) -> bool:
        """Still in the built-in scenarios, but acting where its condition holds."""
        return self.still and any(self.condition_moves[k] > self.condition_spread[k] for k in self.condition_moves)

    @property
    def inert(self) -> bool:
        """Still everywhere it was run, its condition included: the constant should go."""
        return self.still and not self.dormant

    def line(self) -> str:
        moves, spread, where = self.moves, self.spread, ""
        if self.still and self.condition_moves:
            moves, spread, where = self.condition_moves, self.condition_spread, f" where {self.condition.why}"
        top = max(moves, key=lambda k: moves[k] / max(spread[k], 1e-9))
        flag = "INERT" if self.inert else "DORMT" if self.dormant else "acts "
        collapse = f"  COLLAPSE in {self.collapsed_runs} runs" if self.collapsed_runs else ""
        return (f"{flag} {self.name:28s} [{self.low:g}, {self.high:g}]  strongest{where}: {top} moves "
                f"{moves[top]:.3g} (seed s.d. {spread[top]:.3g}){collapse}")  # fmt: skip


def _outputs(result, points: int, seeds: int, condition: Condition | None = None) -> dict[str, np.ndarray]:
    """Final outputs by (point, seed): the headlines, or one ally's agent reporter in the final year."""
    if condition is not None and condition.ally:
        column = list(result.iso3).index(condition.ally)
        values = result.agents[condition.reporter][:, -1, column]
        return {f"{condition.ally}.{condition.reporter}": values.reshape(points, seeds)}
    return {k: result.final[k].reshape(points, seeds) for k in HEADLINES}


def _sweep_one(constant: str, values: np.ndarray, base_name: str, changes: dict, seeds: int, condition=None):
    """Run ``constant`` at each value (x seeds) in one batch; returns (moves, spread at the default, collapsed)."""
    base = load_scenario(base_name, **changes)
    keep = {k: getattr(base, k) for k in ("trust_gain", "trust_loss")}
    runs = []
    for value in values:
        point = _consistent({**keep, constant: float(value)})
        if isinstance(Scenario.model_fields[constant].default, int):
            point[constant] = int(round(value))
        runs.extend([load_scenario(base_name, **changes, **point)] * seeds)
    points = len(values)
    watch_agents = condition is not None and condition.ally is not None
    result = run_batch(runs + [base] * seeds, list(range(seeds)) * (points + 1), with_blocs=False, agents=watch_agents)
    outputs = _outputs(result, points + 1, seeds, condition)
    moves, spread = {}, {}
    for k, table in outputs.items():
        medians = np.median(table[:points], axis=1)
        moves[f"{base_name}:{k}"] = float(medians.max() - medians.min())
        spread[f"{base_name}:{k}"] = float(np.std(table[points]))
    collapsed = int(np.sum(result.final["cohesion"][: points * seeds] < COLLAPSE))
    return moves, spread, collapsed


def mechanism_sweep(scenarios=SWEEP_SCENARIOS, points: int = 5, seeds: int = 10, progress: bool = False, names=None,
                    conditions=CONDITIONS):  # fmt: skip
    """Sweep every behavioural constant one at a time over its documented range on the engine.

    For each constant and scenario, ``points`` evenly spaced values x ``seeds`` seeds run in one
    batch. A constant is *still* if, in every scenario, no headline output's seed-median moves over
    the whole range by more than that output's seed s.d. at the default; a still constant with a
    condition in ``conditions`` is swept again there and is *dormant* if it acts, *inert* if not.
    Runs ending in total collapse (cohesion < 0.05) are counted.
    """
    if isinstance(scenarios, str):
        scenarios = (scenarios,)
    ranges = behavioural_ranges()
    names = list(names or ranges)
    if progress:
        from tqdm.auto import tqdm

        names = tqdm(names, desc="constants", unit="constant")
    effects = []
    for constant in names:
        low, high = ranges.get(constant) or _bounds_of(constant)
        values = np.linspace(low, high, points)
        moves, spread, collapsed = {}, {}, 0
        for name in scenarios:
            m, s, c = _sweep_one(constant, values, name, {}, seeds)
            moves.update(m)
            spread.update(s)
            collapsed += c
        effect = ConstantEffect(constant, low, high, moves, spread, collapsed)
        if effect.still and constant in conditions:
            condition = conditions[constant]
            m, s, c = _sweep_one(constant, values, condition.scenario, condition.changes, seeds, condition)
            effect.condition, effect.condition_moves, effect.condition_spread = condition, m, s
            effect.collapsed_runs += c
        effects.append(effect)
    return effects
