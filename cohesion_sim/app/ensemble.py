"""How sure: an ensemble of runs behind the chosen run, on the batch engine.

The same settings are run many times at once on the batch engine, each run with its own seed
and its own draw of the behavioural constants from the shipped posterior (the ensemble of
:func:`cohesion_sim.ensemble.plan_runs`, as ``cohesion-sim ensemble`` makes it), so the bands
hold both chance and what the data leave unsure about the constants. The 5th, 25th, 50th, 75th
and 95th percentiles of each series give the 90% and 50% bands drawn behind the chosen run.
Computed once per setting and cached, so a Step only redraws.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from ..calibration.posterior import load_posterior
from ..engine import run_batch
from ..ensemble import plan_runs
from .state import Frame, Settings, pending_interventions, resolved_scenario

#: Runs in an ensemble: enough for stable 5th/95th percentiles, about 0.3 s on one core.
RUNS = 100
#: Root seed of the ensemble: fixed, so a band is the same for everyone with the same settings.
ENSEMBLE_SEED = 10_000
#: Where the constants of the runs behind the chosen run come from ("none": chance alone).
POSTERIOR = "default"
QUANTILES = (5, 25, 50, 75, 95)
COLUMNS = ("vacuum", "cohesion", "mean_spending", "european_share", "us_tension", "european_tension", "hedging")


@functools.lru_cache(maxsize=32)
def bands_for(settings: Settings, runs: int = RUNS) -> dict[str, Any]:
    """Percentile bands by year over ``runs`` runs of the settings' scenario: {column: (5, years), "years": ...}.

    ``"note"`` says when interventions could not be part of the ensemble (levers not yet schedules).
    """
    posterior = load_posterior(POSTERIOR)
    scenarios, seeds, _ = plan_runs(resolved_scenario(settings), runs, posterior, ENSEMBLE_SEED)
    result = run_batch(scenarios, seeds, yearly=True, with_blocs=False)
    out: dict[str, Any] = {"years": np.asarray(result.years), "runs": runs, "posterior": posterior is not None}
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
    behind = ("other seeds and behavioural constants drawn from the calibrated posterior" if bands.get("posterior")
              else "other seeds")  # fmt: skip
    sentence = (f"How sure: the shaded bands are {bands['runs']} runs with these settings, {behind}. In 9 runs "
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
