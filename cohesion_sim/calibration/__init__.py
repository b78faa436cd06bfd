"""Calibration: ABC-SMC of the behavioural constants against the spending data, and the posterior.

``run_calibration(spec, out=DIR)`` fits the constants a calibration spec names
(:mod:`.spec`) to the summary statistics of :mod:`.statistics`, simulating particles in
batches on the batch engine; ``load_posterior()`` reads a posterior (the shipped default,
a calibration folder or a file). See ``docs/calibration.md``.
"""

from __future__ import annotations

_EXPORTS = {
    "run_calibration": ".abc_smc",
    "CalibrationSpec": ".spec",
    "CalibrationSpecError": ".spec",
    "load_calibration_spec": ".spec",
    "DEFAULT_SPEC": ".spec",
    "Posterior": ".posterior",
    "load_posterior": ".posterior",
    "DEFAULT_POSTERIOR": ".posterior",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = sorted(_EXPORTS)
