"""How sure: an ensemble of runs behind the chosen run, on the batch engine.

The same settings are run with many seeds at once (:func:`cohesion_sim.engine.run_batch`), and
the 5th, 25th, 50th, 75th and 95th percentiles of each series give the 90% and 50% bands drawn
behind the chosen run. Computed once per setting and cached, so a Step only redraws.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from ..engine import run_batch
from .state import Frame, Settings, pending_interventions, resolved_scenario

#: Runs in an ensemble: enough for stable 5th/95th percentiles, about 0.3 s on one core.
RUNS = 100
#: Seeds of the ensemble: fixed, so a band is the same for everyone with the same settings.
SEEDS = tuple(range(10_000, 10_000 + RUNS))
QUANTILES = (5, 25, 50, 75, 95)
COLUMNS = ("vacuum", "cohesion", "mean_spending", "european_share", "us_tension", "european_tension", "hedging")


@functools.lru_cache(maxsize=32)
def bands_for(settings: Settings, runs: int = RUNS) -> dict[str, Any]:
    """Percentile bands by year for the settings' scenario over ``runs`` seeds: {column: (5, years), "years": ...}.

    ``"note"`` says when interventions could not be part of the ensemble (levers not yet schedules).
    """
    params = resolved_scenario(settings)
    seeds = list(SEEDS[:runs]) if runs <= RUNS else list(range(10_000, 10_000 + runs))
    result = run_batch([params] * runs, seeds, yearly=True, with_blocs=False)
    out: dict[str, Any] = {"years": np.asarray(result.years), "runs": runs}
    for column in COLUMNS:
        if column in result.yearly:
            values = np.asarray(result.yearly[column], dtype=float)
            out[column] = np.percentile(values, QUANTILES, axis=0)
    out["note"] = "levers changed during the run are not in the ensemble yet" if pending_interventions(settings) else ""
    return out


def chance_sentence(frame: Frame, bands: dict[str, Any] | None, seed: int) -> str:
    """In words: how much of what the charts show is chance."""
    if not bands:
        return ""
    years = list(bands["years"])
    last = len(years) - 1
    parts = []
    for column, name, fmt in (("cohesion", "cohesion", "{:.2f}"), ("vacuum", "the US vacuum", "{:.2f}"),
                              ("mean_spending", "mean spending", "{:.2f}%")):  # fmt: skip
        if column not in bands:
            continue
        low, high = bands[column][0][last], bands[column][4][last]
        parts.append(f"{name} between {fmt.format(low)} and {fmt.format(high)}")
    sentence = (f"How sure: the shaded bands are {bands['runs']} runs with these settings and other seeds. In 9 runs "
                f"out of 10, {years[-1]} ends with " + ", ".join(parts) + ".")  # fmt: skip
    if frame.year in years and "cohesion" in bands:
        k = years.index(frame.year)
        value = float(frame.metrics["cohesion"])
        low, mid, high = (bands["cohesion"][q][k] for q in (0, 2, 4))
        spread_start = bands["cohesion"][4][0] - bands["cohesion"][0][0]
        spread_end = bands["cohesion"][4][last] - bands["cohesion"][0][last]
        change = abs(bands["cohesion"][2][last] - bands["cohesion"][2][0])
        where = "inside" if low <= value <= high else ("above" if value > high else "below")
        sentence += (f" This run (seed {seed}) is {where} the 90% band for cohesion in {frame.year} "
                     f"(median of all runs {mid:.2f}).")  # fmt: skip
        if spread_end > change:
            sentence += (f" Chance spreads cohesion more ({spread_end:.2f} wide by {years[-1]}) than its median moves "
                         f"over the run ({change:.2f}): read one run as one possible future, not a forecast.")  # fmt: skip
        else:
            sentence += (f" Cohesion's median moves more over the run ({change:.2f}) than chance spreads the runs "
                         f"({spread_end:.2f} wide by {years[-1]}), so the trend is not luck.")  # fmt: skip
        _ = spread_start
    if bands.get("note"):
        sentence += f" Note: {bands['note']}."
    return sentence
