"""Setup matches the README: `make run` installs every user extra but no test tool, `make app` needs no browser,
CI runs `make test` and then the pip path without make."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def extras():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]


def make_rules():
    """target -> (prerequisites, recipe lines) from the Makefile."""
    rules, current = {}, None
    for line in (ROOT / "Makefile").read_text().splitlines():
        match = re.match(r"^([$()\w./-]+):(?!=)(.*)$", line)
        if match:
            current = match.group(1)
            rules[current] = (match.group(2).replace("|", " ").split(), [])
        elif line.startswith("\t") and current:
            rules[current][1].append(line.strip())
    return rules


def test_all_extra_covers_every_user_path_and_no_test_tool():
    found = extras()
    assert found["all"] == ["cohesion-sim[app,sweep,dask,notebooks]"]
    assert any(d.startswith("jupyterlab") for d in found["notebooks"]) and "ipykernel>=6" in found["notebooks"]
    assert any(d.startswith("pyarrow") for d in found["sweep"]) and any(d.startswith("solara") for d in found["app"])
    user = " ".join(d for name in ("app", "sweep", "dask", "notebooks") for d in found[name])
    assert not re.search(r"pytest|playwright|nbmake", user)
    assert any(entry.startswith("cohesion-sim[all") for entry in found["test"])


def test_make_run_installs_all_and_replaces_only_its_own_results():
    rules = make_rules()
    assert rules["run"][0] == ["setup"] and rules["setup"][0] == ["$(VENV)/.user"]
    assert any('install -q -e ".[all]"' in line for line in rules["$(VENV)/.user"][1])
    assert rules["run"][1] == ["$(PY) -m cohesion_sim run --out results --force"]


def test_make_app_needs_the_offline_assets_but_no_browser():
    rules = make_rules()
    assert "assets" in rules["app"][0] and "chromium" not in rules["app"][0] and "setup-test" not in rules["app"][0]
    assert rules["assets"][0] == ["$(VENV)/.user"] and rules["assets"][1] == ["$(PY) -m cohesion_sim fetch-assets"]


def test_ci_runs_make_test_then_the_pip_path_without_make():
    script = (ROOT / ".ci" / "run").read_text()
    after = script[script.index("make test") + len("make test") :]
    commands = [line for line in after.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert 'pip" install -q --no-compile ".[all]"' in after and not any(re.search(r"\bmake\b", c) for c in commands)
    assert "cohesion-sim\" run --out" in after and "scripts/find_python.sh" in after


def test_readme_names_every_extra_and_the_assets_command():
    readme = (ROOT / "README.md").read_text()
    for name in ("app", "sweep", "dask", "notebooks", "all", "test"):
        assert f"| `{name}` |" in readme, name
    assert 'pip install "cohesion-sim[all]"' in readme and "cohesion-sim fetch-assets" in readme
    assert "--force" in readme
