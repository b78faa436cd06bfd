import os

import pytest

os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")


@pytest.fixture(scope="session")
def baseline_run():
    from cohesion_sim import AllianceModel

    return AllianceModel("baseline", rng=7).run()
