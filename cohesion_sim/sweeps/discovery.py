"""Scenario discovery: which parameter regions lead to an outcome of interest (fragmentation, failed summits).

A small PRIM (Patient Rule Induction Method; Friedman & Fisher 1999, the method behind
ema-workbench's ``analysis.prim``) written out here so the package needs no extra dependency.
It starts from the box holding every run and repeatedly *peels* a slice of ``alpha`` of the
remaining runs off one side of one parameter, always the peel that raises the share of
interesting runs inside the box (the *density*) the most, until the box holds less than
``min_mass`` of all runs. The answer is the box along that trajectory with the highest density
among those that still hold at least ``min_coverage`` of the interesting runs, with any
restriction that barely changes the density lifted again.

Categorical parameters (lists of values) are peeled one value at a time, in list order.

Why not ema-workbench's ``analysis.prim``: it is kept as the optional ``discovery`` extra and a
test checks that both find the same planted box, but it is not used at run time. Version 3.0
pulls in scikit-learn, statsmodels and seaborn (about 150 MB), takes about 6 s to import on the
project machine, and its ``find_box()`` no longer chooses a box (``Prim(threshold=...)`` is
gone), so the box selection and the plain-language description below would be needed anyway.
One implementation is kept: this one, used by ``cohesion-sim analyze`` and ``cohesion-sim levers``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Box:
    """A region of parameter space: ``limits[name] = (low, high)``, or the values kept for a list parameter."""

    limits: dict[str, tuple]
    coverage: float  # share of all interesting runs that fall in the box
    density: float  # share of runs in the box that are interesting
    mass: float  # share of all runs in the box
    restricted: list[str] = field(default_factory=list)
    codes: dict[str, tuple[float, float]] = field(default_factory=dict, repr=False)  # limits as numbers
    full: dict[str, tuple] = field(default_factory=dict, repr=False)  # each parameter's whole range in the data
    open_sides: dict[str, tuple[bool, bool]] = field(default_factory=dict, repr=False)  # (low open, high open)

    def conditions(self) -> list[tuple[str, str, object]]:
        """The box as conditions ``(name, op, value)``: op is ``>=``, ``<=`` or ``in`` (categorical).

        A side of a range is named only where it restricts the box (not opened by the
        simplification, and narrower than the data), so "vacuum_level >= 0.7" is written for a
        box open at the top.
        """
        out = []
        for name in self.restricted:
            limits, whole = self.limits[name], self.full.get(name)
            if len(limits) != 2 or any(isinstance(v, str) for v in limits):  # categorical: the values kept
                out.append((name, "in", tuple(limits)))
                continue
            low, high = limits
            low_open, high_open = self.open_sides.get(name, (False, False))
            if not low_open and (whole is None or low > whole[0]):
                out.append((name, ">=", low))
            if not high_open and (whole is None or high < whole[1]):
                out.append((name, "<=", high))
        return out

    def describe(self) -> str:
        if not self.restricted:
            return "no region stands out (the box is the whole space)"
        parts = []
        for name, op, value in self.conditions():
            if op == "in":
                kept = ", ".join(map(str, value))
                parts.append(f"{name} = {value[0]}" if len(value) == 1 else f"{name} in {{{kept}}}")
            else:
                parts.append(f"{name} {op} {value:.3g}")
        return " and ".join(parts)


def prim(frame, names, interesting, alpha: float = 0.05, min_mass: float = 0.05, min_coverage: float = 0.5,
         tolerance: float = 0.02, paste_alpha: float = 0.05):  # fmt: skip
    """PRIM box peeling over the columns ``names`` of ``frame`` for the boolean array ``interesting``.

    The chosen box is then pasted (each restricted side widened by ``paste_alpha`` of the box's
    runs while that does not lower the density; Friedman & Fisher's second step, which undoes
    peels that greedy peeling made too early) and simplified: a restriction whose removal lowers
    the density by less than ``tolerance`` is lifted, so the box names only the parameters that matter.

    Returns (best :class:`Box`, the peeling trajectory as a list of boxes).
    """
    y = np.asarray(interesting, dtype=bool)
    n, total = len(y), max(int(y.sum()), 1)
    columns, categories = [], {}
    for name in names:
        values = frame[name].to_numpy()
        if values.dtype.kind in "fiub":
            columns.append(values.astype(float))
        else:
            order = list(dict.fromkeys(values.tolist()))
            categories[name] = order
            columns.append(np.array([order.index(v) for v in values], dtype=float))
    x = np.column_stack(columns) if columns else np.empty((n, 0))
    inside = np.ones(n, dtype=bool)

    def box_of(mask, restricted_dims) -> Box:
        """The box of the runs in ``mask``, restricted on ``restricted_dims`` (indices) only."""
        limits, restricted, codes = {}, [], {}
        for k, name in enumerate(names):
            column = x[mask, k] if k in restricted_dims else x[:, k]
            low, high = column.min(), column.max()
            codes[name] = (float(low), float(high))
            if k in restricted_dims:
                restricted.append(name)
            if name in categories:
                limits[name] = tuple(categories[name][int(low):int(high) + 1])
            else:
                limits[name] = (float(low), float(high))
        hits = int(y[mask].sum())
        return Box(limits, hits / total, hits / max(int(mask.sum()), 1), mask.sum() / n, restricted, codes, full)

    full = {}
    for k, name in enumerate(names):
        low, high = (x[:, k].min(), x[:, k].max()) if n else (0.0, 0.0)
        full[name] = tuple(categories[name]) if name in categories else (float(low), float(high))

    peeled: set[int] = set()
    trajectory = [box_of(inside, peeled)]
    while inside.sum() / n > min_mass:
        best, best_density, best_dim = None, y[inside].mean(), None
        for k in range(x.shape[1]):
            values = x[inside, k]
            unique = np.unique(values)
            if len(unique) < 2:
                continue
            if len(unique) <= 1 / alpha:  # few distinct values: peel one value off either end
                cuts = [x[:, k] > unique[0], x[:, k] < unique[-1]]
            else:
                low, high = np.quantile(values, [alpha, 1 - alpha])
                cuts = [x[:, k] >= low if low > unique[0] else x[:, k] > unique[0],
                        x[:, k] <= high if high < unique[-1] else x[:, k] < unique[-1]]  # fmt: skip
            for cut in cuts:
                kept = inside & cut
                if kept.sum() == 0 or kept.sum() == inside.sum():
                    continue
                density = y[kept].mean()
                if density > best_density + 1e-12:
                    best, best_density, best_dim = kept, density, k
        if best is None or best.sum() / n < min_mass:
            break
        inside = best
        peeled = peeled | {best_dim}
        trajectory.append(box_of(inside, peeled))
    eligible = [b for b in trajectory if b.coverage >= min_coverage] or trajectory[:1]
    best = max(eligible, key=lambda b: (b.density, b.coverage))
    best = _paste(best, names, categories, x, y, box_of, paste_alpha)
    return _simplify(best, names, x, y, box_of, tolerance, categories), trajectory


def _paste(box: Box, names, categories, x, y, box_of, paste_alpha: float) -> Box:
    """Widen restricted numeric sides one at a time while the density does not fall (and coverage rises)."""
    limits = {name: list(box.codes[name]) for name in box.restricted}
    dims = {name: k for k, name in enumerate(names)}

    def mask_of(bounds) -> np.ndarray:
        mask = np.ones(len(y), dtype=bool)
        for name, (low, high) in bounds.items():
            mask &= (x[:, dims[name]] >= low) & (x[:, dims[name]] <= high)
        return mask

    inside = mask_of(limits)
    while True:
        step = max(1, int(paste_alpha * inside.sum()))
        best, best_density = None, y[inside].mean() - 1e-12
        for name in limits:
            if name in categories:
                continue
            column = x[:, dims[name]]
            others = mask_of({m: b for m, b in limits.items() if m != name})
            for side in (0, 1):
                outside = others & ((column < limits[name][0]) if side == 0 else (column > limits[name][1]))
                if not outside.any():
                    continue
                values = np.sort(column[outside])
                edge = values[-step:][0] if side == 0 else values[:step][-1]
                trial = {**limits, name: [edge, limits[name][1]] if side == 0 else [limits[name][0], edge]}
                mask = mask_of(trial)
                density = y[mask].mean()
                if density >= best_density and y[mask].sum() > y[inside].sum():
                    best, best_density = trial, density
        if best is None:
            break
        limits, inside = best, mask_of(best)
    return box_of(inside, {dims[name] for name in box.restricted}) if box.restricted else box


def _simplify(box: Box, names, x, y, box_of, tolerance: float, categories=()) -> Box:
    """Lift restrictions that barely matter: one whose removal costs less than ``tolerance`` of density goes.

    Then each remaining side of a numeric range is opened (to the edge of the data) where that
    costs less than ``tolerance`` of density, so a box open at the top reads "x >= a", not "a <= x <= max".
    """
    inside = {k: (x[:, k] >= box.codes[name][0]) & (x[:, k] <= box.codes[name][1]) for k, name in enumerate(names)}
    active = [k for k, name in enumerate(names) if name in box.restricted]

    def density_without(k) -> float:
        others = [inside[j] for j in active if j != k]
        mask = np.logical_and.reduce(others) if others else np.ones(len(y), dtype=bool)
        return float(y[mask].mean()) if mask.any() else 0.0

    while len(active) > 1:
        k = max(active, key=density_without)
        if density_without(k) < box.density - tolerance:
            break
        active.remove(k)
    bounds = {k: list(box.codes[names[k]]) for k in active}

    def mask_of(bounds) -> np.ndarray:
        mask = np.ones(len(y), dtype=bool)
        for k, (low, high) in bounds.items():
            mask &= (x[:, k] >= low) & (x[:, k] <= high)
        return mask

    reference = float(y[mask_of(bounds)].mean()) if mask_of(bounds).any() else 0.0
    for k in list(active):
        if names[k] in categories:
            continue
        for side in (0, 1):
            trial = {**bounds, k: [-np.inf, bounds[k][1]] if side == 0 else [bounds[k][0], np.inf]}
            if y[mask_of(trial)].mean() >= reference - tolerance:
                bounds = trial
        if bounds[k] == [-np.inf, np.inf]:
            del bounds[k]
            active.remove(k)
    result = box_of(mask_of(bounds), set(active))
    result.open_sides = {names[k]: (low == -np.inf, high == np.inf) for k, (low, high) in bounds.items()
                         if names[k] not in categories}  # fmt: skip
    return result


__all__ = ["Box", "prim"]
