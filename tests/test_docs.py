"""Docs that must match the code."""

from pathlib import Path

from cohesion_sim import docs
from cohesion_sim.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent


def test_odd_parameter_table_matches_the_schema():
    assert docs.main(["--check"]) == 0, "run: python -m cohesion_sim.docs"


def test_every_constant_has_a_reason_in_the_odd():
    text = (ROOT / "docs" / "ODD.md").read_text()
    for name, field in Scenario.model_fields.items():
        if field.description and any(hasattr(m, "ge") for m in field.metadata):
            assert f"`{name}`" in text, name


def test_readme_quick_start_is_two_make_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_the_package_carries_its_scenarios_and_app_styles():
    """A wheel must work outside the repository: scenarios and app CSS are package data."""
    import tomllib

    package = ROOT / "cohesion_sim"
    assert (package / "scenarios").resolve() == (ROOT / "scenarios").resolve()
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["cohesion_sim"]
    for needed in ("scenarios/*.yaml", "scenarios/sweeps/*.yaml", "app/*.css", "data/*.csv"):
        assert needed in globs
    for path in (package / "app").glob("*.css"):
        assert path.is_file()
