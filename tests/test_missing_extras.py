"""A missing optional dependency: one line naming the extra to install, exit 2, nothing written (every command)."""

import sys

import pytest
from sweep_helpers import cli, one_line_error, write_spec

from cohesion_sim.extras import EXTRA_OF, message_for


def hide(monkeypatch, *modules):
    """Make the modules unimportable here, as on a machine without their extra."""
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)


def test_run_parquet_without_pyarrow_writes_nothing(tmp_path, monkeypatch):
    hide(monkeypatch, "pyarrow")
    out = tmp_path / "res"
    one_line_error(cli("run", "--years", "1", "--format", "parquet", "--out", str(out)), "--format parquet",
                   'pip install "cohesion-sim[sweep]"')  # fmt: skip
    assert not out.exists()


def test_run_parquet_without_pyarrow_keeps_earlier_results(tmp_path, monkeypatch):
    out = tmp_path / "res"
    assert cli("run", "--years", "1", "--out", str(out), "--quiet").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    hide(monkeypatch, "pyarrow")
    one_line_error(cli("run", "--years", "1", "--format", "parquet", "--out", str(out), "--force"), "cohesion-sim[sweep]")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("module", ["pyarrow", "SALib", "scipy"])
def test_sweep_without_its_extra_writes_nothing(tmp_path, monkeypatch, module):
    spec = write_spec(tmp_path)
    hide(monkeypatch, module)
    out = tmp_path / "out"
    one_line_error(cli("sweep", str(spec), "--out", str(out)), module, 'pip install "cohesion-sim[sweep]"')
    assert not out.exists()


def test_dask_backend_without_dask_writes_nothing(tmp_path, monkeypatch):
    spec = write_spec(tmp_path)
    hide(monkeypatch, "dask", "distributed")
    out = tmp_path / "out"
    one_line_error(cli("sweep", str(spec), "--out", str(out), "--backend", "dask"), 'pip install "cohesion-sim[dask]"')
    assert not out.exists()


def test_analyze_without_its_extra_writes_nothing(tmp_path, monkeypatch):
    from cohesion_sim import run_sweep

    out = tmp_path / "out"
    run_sweep(write_spec(tmp_path), out, progress=False)
    hide(monkeypatch, "SALib")
    one_line_error(cli("analyze", str(out)), "SALib", 'pip install "cohesion-sim[sweep]"')
    assert not (out / "analysis").exists()


def test_app_without_solara(monkeypatch):
    hide(monkeypatch, "solara")
    one_line_error(cli("app", "--no-open"), "cohesion-sim[app]")


def test_an_optional_import_failing_anywhere_names_its_extra():
    assert message_for(ModuleNotFoundError("No module named 'duckdb'", name="duckdb")) == (
        'duckdb is not installed: pip install "cohesion-sim[sweep]"'
    )
    assert message_for(ModuleNotFoundError("x", name="distributed.client")).endswith('"cohesion-sim[dask]"')
    assert message_for(ModuleNotFoundError("x", name="numpy")) is None  # a core dependency: a real bug, not an extra
    assert set(EXTRA_OF.values()) == {"app", "sweep", "dask", "notebooks"}
