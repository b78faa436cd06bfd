"""The theory checks of MODEL.md as comparative statics over seeds; each returns its numbers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import spearmanr

from ..model import AllianceModel


@dataclass
class CheckResult:
    name: str
    passed: bool
    numbers: dict[str, float]
    statement: str

    def line(self) -> str:
        nums = ", ".join(f"{k} {v:.3g}" for k, v in self.numbers.items())
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.statement} ({nums})"


def olson_zeckhauser(seeds=range(5)) -> CheckResult:
    """Pure public good, equal threat for all, v = 0, no guideline: larger-GDP allies carry a higher burden."""
    rhos = []
    for seed in seeds:
        model = AllianceModel(
            "baseline", rng=seed, publicness=1.0, calibrate_to_start=False, vacuum=0.0, observed_vacuum=0.0,
            guideline=None, agenda=[], threat={"east": 0.0, "south": 0.0, "hybrid": 0.6}, end_year=2040,
        ).run()  # fmt: skip
        armed = [a for a in model.members if a.has_armed_forces]
        rhos.append(spearmanr([a.gdp for a in armed], [a.spending for a in armed]).statistic)
    rho = float(np.mean(rhos))
    return CheckResult(
        "Olson-Zeckhauser", rho > 0, {"spearman_gdp_spending": rho},
        "with a pure public good and equal threat, larger allies spend a larger share of GDP",
    )  # fmt: skip


def balancing(seeds=range(5)) -> CheckResult:
    """Raising v from 0.2 to 0.8 raises mean European spending in 2035 and lowers mean trust in the US."""

    def final(vacuum):
        spend, trust = [], []
        for seed in seeds:
            model = AllianceModel("baseline", rng=seed, vacuum=vacuum, end_year=2035).run()
            spend.append(np.mean([a.spending for a in model.members if a.has_armed_forces and a.is_european]))
            trust.append(np.mean([a.us_reliability for a in model.members]))
        return float(np.mean(spend)), float(np.mean(trust))

    (s_low, r_low), (s_high, r_high) = final(0.2), final(0.8)
    return CheckResult(
        "Balancing", s_high > s_low and r_high < r_low,
        {"spending_v0.2": s_low, "spending_v0.8": s_high, "trust_v0.2": r_low, "trust_v0.8": r_high},
        "a larger vacuum raises European spending in 2035 and lowers trust in the US",
    )  # fmt: skip


def coordination(seeds=range(5)) -> CheckResult:
    """Raising coordination raises cohesion."""
    low = [AllianceModel("baseline", rng=s, coordination=0.1).run().metrics["cohesion"] for s in seeds]
    high = [AllianceModel("baseline", rng=s, coordination=0.8).run().metrics["cohesion"] for s in seeds]
    return CheckResult(
        "Coordination", float(np.mean(high)) > float(np.mean(low)),
        {"cohesion_coord0.1": float(np.mean(low)), "cohesion_coord0.8": float(np.mean(high))},
        "more coordination and intelligence sharing, more cohesion in 2035",
    )  # fmt: skip


def voting_rule(seeds=range(5)) -> CheckResult:
    """With an unreliable US, qualified majority passes more summit items than consensus without exemptions."""

    def passed(rule):
        total = 0
        for seed in seeds:
            model = AllianceModel("abrupt_withdrawal", rng=seed, decision_rule=rule, allow_exemptions=False).run()
            total += sum(e["outcome"].startswith("passed") for e in model.events)
        return total / len(list(seeds))

    qmv, consensus = passed("qualified_majority"), passed("consensus")
    return CheckResult(
        "Voting rule", qmv > consensus, {"items_passed_qmv": qmv, "items_passed_consensus": consensus},
        "under abrupt withdrawal, qualified majority passes more summit items than consensus (no exemptions)",
    )  # fmt: skip


THEORY_CHECKS = {"olson_zeckhauser": olson_zeckhauser, "balancing": balancing, "coordination": coordination,
                 "voting_rule": voting_rule}  # fmt: skip


def run_theory_checks(seeds=range(5)) -> list[CheckResult]:
    return [check(seeds) for check in THEORY_CHECKS.values()]
