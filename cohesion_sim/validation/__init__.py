"""Validation: the hindcast against observed 2024 figures, the theory checks, and the behavioural signatures S1-S8.

Submodules are imported lazily, so the engine-based signatures do not load the Mesa model.
"""

from importlib import import_module

_EXPORTS = {
    "HindcastResult": ".hindcast", "run_hindcast": ".hindcast", "THEORY_CHECKS": ".theory", "CheckResult": ".theory",
    "run_theory_checks": ".theory", "Signature": ".signatures", "run_signatures": ".signatures",
    "mechanism_sweep": ".mechanisms",
}  # fmt: skip


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(name)


__all__ = sorted(_EXPORTS)
