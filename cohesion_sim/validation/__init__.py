"""Validation: the hindcast against observed 2024 figures, and the theory checks (comparative statics)."""

from .hindcast import HindcastResult, run_hindcast
from .theory import THEORY_CHECKS, CheckResult, run_theory_checks

__all__ = ["CheckResult", "HindcastResult", "THEORY_CHECKS", "run_hindcast", "run_theory_checks"]
