"""Sweeps at scale: specs, designs, seeds, backends, resumable Parquet storage and analysis.

``run_sweep(spec, out=DIR)`` runs a sweep spec on the batch engine (:mod:`cohesion_sim.engine`)
and ``load_results(DIR)`` reads it back as a pandas DataFrame. See ``docs/sweeps.md``.
"""

from __future__ import annotations

_EXPORTS = {
    "run_sweep": ".runner",
    "plan_sweep": ".runner",
    "rerun": ".runner",
    "load_results": ".storage",
    "load_spec": ".spec",
    "SweepSpec": ".spec",
    "SweepSpecError": ".spec",
    "SweepDirectoryError": ".storage",
    "make_executor": ".backends",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = sorted(_EXPORTS)
