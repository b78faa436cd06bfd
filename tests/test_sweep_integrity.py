"""Sweep results are verified, not assumed: checksums, damaged parts, stray files, changed inputs, bad manifests."""

import hashlib
import json
import shutil

import pytest
from sweep_helpers import cli, one_line_error, write_spec

from cohesion_sim import load_results, run_sweep
from cohesion_sim.sweeps.storage import ChangedInputError, SweepDirectoryError


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def finished(tmp_path):
    """A finished 16-run sweep (4 chunks, yearly parts kept) and its results as first loaded."""
    spec = write_spec(tmp_path, yearly=True)
    out = tmp_path / "out"
    run_sweep(spec, out, progress=False)
    return spec, out, load_results(out), load_results(out, yearly=True)


def test_manifest_records_every_input_and_every_part_checksum(finished):
    spec, out, results, _ = finished
    manifest = json.loads((out / "manifest.json").read_text())
    inputs = manifest["inputs"]
    assert {"spec", "base scenario", "cohesion-sim version", "data cohesion_sim/data/nato_allies.csv"} <= set(inputs)
    allies = inputs["data cohesion_sim/data/nato_allies.csv"]
    assert allies["sha256"] == sha(type(out)(allies["path"]))
    assert len(manifest["parts"]) == manifest["n_chunks"] == 4 and "completed" in manifest
    for chunk, entry in manifest["parts"].items():
        name = f"part-{int(chunk):06d}.parquet"
        assert entry["runs"] == sha(out / "runs" / name) and entry["yearly"] == sha(out / "yearly" / name)
    assert len((out / "parts.jsonl").read_text().splitlines()) == 4
    assert results.attrs["complete"] and len(results) == 16 and results.attrs["unlisted_files"] == []


@pytest.mark.parametrize("kind", ["runs", "yearly"])
def test_a_truncated_part_is_refused_by_load_and_recomputed_by_resume(finished, kind):
    spec, out, results, yearly = finished
    part = out / kind / "part-000001.parquet"
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
    with pytest.raises(SweepDirectoryError, match="part-000001.parquet: damaged or missing.*--resume"):
        load_results(out, yearly=kind == "yearly")
    if kind == "runs":
        one_line_error(cli("analyze", str(out), "--no-plots"), "damaged or missing")
    resumed = cli("sweep", str(spec), "--out", str(out), "--resume", "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    assert "1 finished chunks have a damaged or missing part (part-000001); recomputing them" in resumed.stderr
    assert load_results(out).equals(results) and load_results(out, yearly=True).equals(yearly)


def test_a_deleted_part_is_recomputed(finished):
    spec, out, results, _ = finished
    (out / "runs" / "part-000003.parquet").unlink()
    summary = run_sweep(spec, out, resume=True, progress=False)
    assert summary.chunks_done == 1 and summary.chunks_skipped == 3
    assert load_results(out).equals(results)


def test_stray_files_are_reported_and_never_read(finished, capsys):
    spec, out, results, _ = finished
    shutil.copy(out / "runs" / "part-000000.parquet", out / "runs" / "part-999999.parquet")
    shutil.copy(out / "runs" / "part-000000.parquet", out / "runs" / "part-copy.parquet")
    (out / "runs" / "part-000007.parquet").write_bytes(b"not parquet")  # a chunk number this sweep does not have
    capsys.readouterr()
    loaded = load_results(out)
    note = capsys.readouterr().err
    assert loaded.equals(results) and not loaded.duplicated(["point", "replicate"]).any()
    assert loaded.attrs["unlisted_files"] == ["runs/part-000007.parquet", "runs/part-999999.parquet",
                                              "runs/part-copy.parquet"]  # fmt: skip
    assert "3 files are not listed in the manifest and were not read" in note and "part-copy.parquet" in note
    analyzed = cli("analyze", str(out), "--no-plots")
    assert analyzed.returncode == 0 and "part-999999.parquet" in analyzed.stderr
    resumed = cli("sweep", str(spec), "--out", str(out), "--resume", "--quiet")
    assert resumed.returncode == 0 and "are not parts of this sweep and were not read" in resumed.stderr
    assert (out / "runs" / "part-copy.parquet").exists()  # reported, left alone


def test_a_changed_data_file_refuses_resume_and_names_it(tmp_path):
    from cohesion_sim.dataset import ALLIES_CSV

    data = tmp_path / "allies.csv"
    shutil.copy(ALLIES_CSV, data)
    spec = write_spec(tmp_path, set={"data_file": str(data)})
    out = tmp_path / "out"
    run_sweep(spec, out, progress=False)
    (out / "runs" / "part-000002.parquet").unlink()  # some runs to redo...
    before = sorted(p.name for p in out.rglob("*"))
    data.write_text(data.read_text().replace("POL,", "POL,", 1) + "\n")  # ...on data that changed since
    with pytest.raises(ChangedInputError, match=f"input 'data_file' \\({data}\\) changed"):
        run_sweep(spec, out, resume=True, progress=False)
    one_line_error(cli("sweep", str(spec), "--out", str(out), "--resume"), "allies.csv", "changed", "never mixed")
    assert sorted(p.name for p in out.rglob("*")) == before


def test_a_changed_package_version_refuses_resume(finished):
    spec, out, _, _ = finished
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["inputs"]["cohesion-sim version"]["value"] = "0.0.1"
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ChangedInputError, match=r"input 'cohesion-sim version' changed \(0.0.1 -> "):
        run_sweep(spec, out, resume=True, progress=False)


@pytest.mark.parametrize(
    "content, expected",
    [
        ("[]", "not a sweep manifest (a JSON list, expected an object)"),
        ("{not json", "not valid JSON"),
        ('{"format": 2, "spec": {}}', "field 'spec_hash' is missing"),
        ('{"format": 1}', "written by an older cohesion-sim"),
        ("\x00\xff", "not valid JSON"),
    ],
)
def test_a_malformed_manifest_is_a_one_line_error(tmp_path, content, expected):
    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(content)
    with pytest.raises(SweepDirectoryError, match="manifest.json"):
        load_results(out)
    one_line_error(cli("sweep", str(spec), "--out", str(out), "--resume"), expected)
    one_line_error(cli("analyze", str(out)), expected)
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json"]


def test_a_line_torn_by_a_kill_is_dropped_and_its_chunk_recomputed(finished):
    spec, out, results, _ = finished
    log = out / "parts.jsonl"
    lines = log.read_text().splitlines()
    log.write_text("\n".join(lines[:2]) + "\n" + lines[2][:25])  # killed while appending chunk 2's line
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["parts"], manifest["completed"]  # as it was before the sweep completed
    (out / "manifest.json").write_text(json.dumps(manifest))
    summary = run_sweep(spec, out, resume=True, progress=False)
    assert summary.chunks_skipped == 2 and summary.chunks_done == 2
    assert all(json.loads(line) for line in log.read_text().splitlines())
    resumed = load_results(out)
    assert resumed.equals(results) and not resumed.duplicated(["point", "replicate"]).any()
