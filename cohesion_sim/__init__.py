"""cohesion_sim: an agent-based model of NATO's cohesion under a shifting US security stance."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cohesion-sim")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

from .scenario import Scenario
from .scenario_files import ScenarioError, available_scenarios, load_scenario

__all__ = [
    "AllianceModel", "Scenario", "ScenarioError", "available_scenarios", "load_scenario", "load_results", "run_sweep",
    "__version__",
]  # fmt: skip


def __getattr__(name: str):
    # Mesa (about 2 s to import) and the sweep API (pyarrow, scipy, SALib) load only when asked
    # for, so the CLI starts fast and sweep workers, which need neither, start in a blink.
    if name == "AllianceModel":
        from .model import AllianceModel

        return AllianceModel
    if name in ("run_sweep", "load_results"):
        from . import sweeps

        return getattr(sweeps, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
