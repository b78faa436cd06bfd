"""Record every built-in scenario's yearly model and agent outputs for 3 seeds (the regression fixture).

Run ``python tests/regression/record.py`` only when the model's behaviour changes on purpose;
``tests/test_regression.py`` checks that the current code reproduces the recorded numbers.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from cohesion_sim import AllianceModel
from cohesion_sim.scenario_files import available_scenarios

SEEDS = (1, 2, 3)
FIXTURE = Path(__file__).with_name("outputs.json.gz")


def outputs(scenario: str, seed: int) -> dict:
    model = AllianceModel(scenario, rng=seed).run()
    frame = model.datacollector.get_model_vars_dataframe()
    agents = model.datacollector.get_agenttype_vars_dataframe(type(model.members[0])).reset_index()
    return {
        "model": {column: frame[column].tolist() for column in frame.columns},
        "agents": {column: agents[column].tolist() for column in agents.columns if column != "AgentID"},
        "events": model.events,
    }


def record() -> dict:
    return {f"{name}/{seed}": outputs(name, seed) for name in available_scenarios() for seed in SEEDS}


if __name__ == "__main__":
    with gzip.open(FIXTURE, "wt", encoding="utf-8") as handle:
        json.dump(record(), handle)
    print(f"wrote {FIXTURE}")
