"""Which levers make the alliance robust to an unpredictable US: robust decision making over many futures.

``evaluate_levers(spec, out=DIR)`` runs every package of levers (coordination and intelligence
sharing, qualified majority voting, a European pillar, partnerships with non-NATO democracies,
and their combinations) in every sampled future (US stance, threat path, parameter draws) on
the batch engine, then ranks the packages by how robust they are (:mod:`.robustness`) and
writes a report (:mod:`.report`). See ``docs/levers.md``.
"""

from __future__ import annotations

_EXPORTS = {
    "evaluate_levers": ".runner",
    "run_levers": ".runner",
    "analyze_levers": ".report",
    "load_levers_spec": ".spec",
    "LeversSpec": ".spec",
    "LeversSpecError": ".spec",
    "build_packages": ".packages",
    "sample_futures": ".futures",
    "OUTCOMES": ".outcomes",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = sorted(_EXPORTS)
