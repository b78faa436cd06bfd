"""cohesion_sim: an agent-based model of NATO's cohesion under a shifting US security stance."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cohesion-sim")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

from .model import AllianceModel
from .scenario import Scenario
from .scenario_files import ScenarioError, available_scenarios, load_scenario

__all__ = ["AllianceModel", "Scenario", "ScenarioError", "available_scenarios", "load_scenario", "__version__"]
