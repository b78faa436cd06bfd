"""`cohesion-sim fetch-assets`: lists what the app loads from a CDN; without npm, one line saying what to install."""

from sweep_helpers import cli, one_line_error


def test_dry_run_lists_the_packages_the_installed_solara_loads(tmp_path):
    result = cli("fetch-assets", "--dry-run", "--dest", str(tmp_path / "cdn"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("requirejs@") for line in lines) and any("vue-grid-layout@" in line for line in lines)
    assert all(" missing " in line for line in lines) and not (tmp_path / "cdn").exists()


def test_without_npm_it_is_one_line_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm here
    one_line_error(cli("fetch-assets", "--dest", str(tmp_path / "cdn")), "`npm` was not found", "Node.js")
    assert not (tmp_path / "cdn").exists()


def test_the_script_is_a_thin_wrapper_of_the_command():
    from pathlib import Path

    script = (Path(__file__).resolve().parent.parent / "scripts" / "fetch_solara_assets.py").read_text()
    assert "from cohesion_sim.offline_assets import main" in script and len(script.splitlines()) < 25
