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

    def describe(self) -> str:
        if not self.restricted:
            return "no region stands out (the box is the whole space)"
        parts = []
        for name in self.restricted:
            limits = self.limits[name]
            if len(limits) != 2 or any(isinstance(v, str) for v in limits):  # categorical: the values kept
                parts.append(f"{name} = {limits[0]}" if len(limits) == 1 else f"{name} in {{{', '.join(map(str, limits))}}}")
            else:
                parts.append(f"{limits[0]:.3g} <= {name} <= {limits[1]:.3g}")
        return " and ".join(parts)


def prim(frame, names, interesting, alpha: float = 0.05, min_mass: float = 0.05, min_coverage: float = 0.5,
         tolerance: float = 0.02):  # fmt: skip
    """PRIM box peeling over the columns ``names`` of ``frame`` for the boolean array ``interesting``.

    The chosen box is then simplified: a restriction whose removal lowers the density by less
    than ``tolerance`` is lifted, so the box names only the parameters that matter.

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
        return Box(limits, hits / total, hits / max(int(mask.sum()), 1), mask.sum() / n, restricted, codes)

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
    return _simplify(best, names, x, y, box_of, tolerance), trajectory


def _simplify(box: Box, names, x, y, box_of, tolerance: float) -> Box:
    """Lift restrictions that barely matter: one whose removal costs less than ``tolerance`` of density goes."""
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
    mask = np.logical_and.reduce([inside[k] for k in active]) if active else np.ones(len(y), dtype=bool)
    return box_of(mask, set(active))


__all__ = ["Box", "prim"]
