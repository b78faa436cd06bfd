"""Experimental designs: which parameter values each point of a sweep gets.

Every design first draws points in the unit cube (one column per parameter), then maps each
column through its parameter's quantile function: a range is uniform, a list of values is cut
into equal slices, a distribution uses scipy's ``ppf``. The unit-cube points are kept, because
SALib's analyses work on them (``problem`` has unit bounds for every parameter).
"""

from __future__ import annotations

import itertools
import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from .spec import Choice, Distribution, Range, SweepSpec, SweepSpecError, base_value

#: Distributions without bounds are cut at these quantiles (a normal at about +-4.75 s.d.).
EDGE = 1e-6
#: Most runs a sweep may have unless the user raises the limit (``--max-runs``, ``run_sweep(max_runs=...)``).
DEFAULT_MAX_RUNS = 1_000_000
#: Bytes the design takes per point and parameter while it is sampled and laid out (unit cube, values, table);
#: measured peak (tracemalloc, 10 parameters): Sobol 195, grid 76, LHS and Morris 62.
BYTES_PER_POINT_PARAMETER = 200
#: Share of the machine's memory a design may take, whatever the run limit.
MEMORY_SHARE = 0.5


@dataclass
class PointDesign:
    """The points of a sweep: ``values[name]`` (one entry per point) and the unit-cube coordinates."""

    method: str
    names: tuple[str, ...]
    unit: np.ndarray  # (points, parameters), in [0, 1]
    values: dict[str, list]
    problem: dict[str, Any]

    @property
    def n_points(self) -> int:
        return len(self.unit)

    def point(self, index: int) -> dict[str, Any]:
        """The overrides of one point, e.g. ``{"coordination": 0.4, "decision_rule": "consensus"}``."""
        return {name: self.values[name][index] for name in self.names}


def _is_integer(parameter, base) -> bool:
    if isinstance(parameter, Range) and parameter.integer:
        return True
    return isinstance(base, int) and not isinstance(base, bool)


def _frozen_distribution(parameter: Distribution):
    from scipy import stats

    d = parameter
    if d.distribution == "uniform":
        return stats.uniform(d.low, d.high - d.low)
    if d.distribution == "loguniform":
        return stats.loguniform(d.low, d.high)
    if d.distribution == "triangular":
        return stats.triang((d.mode - d.low) / (d.high - d.low), loc=d.low, scale=d.high - d.low)
    low = -np.inf if d.low is None else (d.low - d.mean) / d.sd
    high = np.inf if d.high is None else (d.high - d.mean) / d.sd
    return stats.truncnorm(low, high, loc=d.mean, scale=d.sd)


def quantile(parameter, unit, base=None) -> list:
    """Map unit-cube coordinates to parameter values (a list of plain Python values)."""
    unit = np.asarray(unit, dtype=float)
    if isinstance(parameter, Choice):
        index = np.minimum((unit * len(parameter.values)).astype(int), len(parameter.values) - 1)
        return [parameter.values[i] for i in index]
    if isinstance(parameter, Range):
        low, high = parameter.range
        values = low + unit * (high - low)
    else:
        values = _frozen_distribution(parameter).ppf(np.clip(unit, EDGE, 1.0 - EDGE))
    if _is_integer(parameter, base):
        return [int(round(v)) for v in values]
    return [float(v) for v in values]


def parameter_extremes(parameter, base=None) -> list:
    """The values a parameter can reach at its edges (each listed value for a choice)."""
    if isinstance(parameter, Choice):
        return list(parameter.values)
    return quantile(parameter, [0.0, 1.0], base)


def grid_levels(parameter, levels: int | None, base=None) -> list:
    """The values a grid uses: every listed value; ``levels`` evenly spaced values of a range; quantile midpoints of a distribution."""
    if isinstance(parameter, Choice):
        return list(parameter.values)
    if isinstance(parameter, Range):
        values = list(dict.fromkeys(quantile(parameter, np.linspace(0.0, 1.0, levels), base)))
        return values
    return list(dict.fromkeys(quantile(parameter, (np.arange(levels) + 0.5) / levels, base)))


def problem(spec: SweepSpec) -> dict[str, Any]:
    """SALib's problem: every parameter on [0, 1] (values are mapped afterwards)."""
    return {"num_vars": len(spec.names), "names": list(spec.names), "bounds": [[0.0, 1.0]] * len(spec.names)}


def build_design(spec: SweepSpec, *, max_runs: int | None = None) -> PointDesign:
    """All points of the spec's design, deterministic in the spec's ``seed``.

    The size is checked first (:func:`check_design_size`): past ``max_runs`` runs (None: no
    run limit) or half the machine's memory, nothing is sampled.
    """
    check_design_size(spec, max_runs)
    names = spec.names
    bases = {name: base_value(spec, name) for name in names}
    design = spec.design
    prob = problem(spec)
    d = len(names)
    if design.method == "grid":
        axes = [grid_levels(spec.parameters[n], design.levels, bases[n]) for n in names]
        combos = list(itertools.product(*axes))
        values = {name: [combo[k] for combo in combos] for k, name in enumerate(names)}
        unit = np.array(
            [[axis.index(combo[k]) / max(len(axis) - 1, 1) for k, axis in enumerate(axes)] for combo in combos], dtype=float
        ).reshape(len(combos), d)
        return PointDesign(design.method, names, unit, values, prob)
    if design.method == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=d, seed=np.random.default_rng(spec.seed)).random(design.samples)
    elif design.method == "sobol":
        from SALib.sample import sobol

        unit = sobol.sample(prob, design.samples, calc_second_order=design.second_order, seed=spec.seed)
    else:
        from SALib.sample import morris

        unit = morris.sample(prob, design.samples, num_levels=design.levels or 4, seed=spec.seed)
    unit = np.asarray(unit, dtype=float)
    values = {name: quantile(spec.parameters[name], unit[:, k], bases[name]) for k, name in enumerate(names)}
    return PointDesign(design.method, names, unit, values, prob)


def count_points(spec: SweepSpec) -> int:
    """How many points the design has, without building it (exact, however large)."""
    design, d = spec.design, len(spec.names)
    if design.method == "grid":
        return math.prod(len(grid_levels(spec.parameters[n], design.levels, base_value(spec, n))) for n in spec.names)
    if design.method == "lhs":
        return design.samples
    if design.method == "sobol":
        return design.samples * (2 * d + 2 if design.second_order else d + 2)
    return design.samples * (d + 1)


@dataclass(frozen=True)
class DesignSize:
    """What a design will need, estimated before anything is sampled."""

    points: int
    runs: int
    bytes: int

    def describe(self, spec: SweepSpec) -> str:
        d, design = len(spec.names), spec.design
        samples = f"{design.samples or 0:,}"
        how = {
            "grid": f"a full grid over {d} parameters" + (f" at {design.levels} levels" if design.levels else ""),
            "lhs": f"{samples} Latin hypercube samples",
            "sobol": f"{samples} x ({'2 x ' if design.second_order else ''}{d} + 2) Sobol points",
            "morris": f"{samples} x ({d} + 1) Morris points",
        }[design.method]
        replicates = f"{spec.replicates:,} replicate" + ("s" if spec.replicates != 1 else "")
        return (f"{self.runs:,} runs ({how}: {self.points:,} points x {replicates}) "
                f"and about {_human_bytes(self.bytes)} of memory for the design")  # fmt: skip


def design_size(spec: SweepSpec) -> DesignSize:
    """Points, runs and the memory the design takes, from the spec alone."""
    points = count_points(spec)
    return DesignSize(points, points * spec.replicates, points * max(len(spec.names), 1) * BYTES_PER_POINT_PARAMETER)


def _human_bytes(size: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB", "TB", "PB"):
        if size < 1000 or unit == "PB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1000
    return f"{size:.1f} PB"  # pragma: no cover


def _machine_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):
        return None  # not a POSIX system: only the run limit applies


def check_design_size(spec: SweepSpec, max_runs: int | None = DEFAULT_MAX_RUNS) -> DesignSize:
    """Refuse a design with more than ``max_runs`` runs (None: no limit) or more memory than half the machine's.

    Called before sampling, so a design too large fails at once, with its numbers, instead
    of after minutes with a ``MemoryError``.
    """
    size = design_size(spec)
    source = getattr(spec, "_source", "<sweep spec>")
    if max_runs is not None and size.runs > max_runs:
        raise SweepSpecError(
            f"{source}: field 'design': {size.describe(spec)}; more than the {max_runs:,} runs allowed. Use fewer "
            "samples, levels, parameters or replicates, or raise the limit (--max-runs, run_sweep(max_runs=...))"
        )
    memory = _machine_memory()
    if memory is not None and size.bytes > MEMORY_SHARE * memory:
        raise SweepSpecError(
            f"{source}: field 'design': {size.describe(spec)}; more than half of this machine's "
            f"{_human_bytes(memory)}. Use fewer samples, levels or parameters"
        )
    return size


__all__ = ["DEFAULT_MAX_RUNS", "DesignSize", "PointDesign", "build_design", "check_design_size", "count_points",
           "design_size", "grid_levels", "problem", "quantile"]  # fmt: skip
