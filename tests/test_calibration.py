"""``corridor data calibrate``: the model against every published figure of references.csv."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor import load_network
from corridor.analysis.calibration import reference_table
from corridor.cli import app
from corridor.data import data_dir

runner = CliRunner()

#: Rows that drift on today's model, and why (see the README's table of references): in the
#: 2030 scenario the Caspian crossing (Aktau's container hub and the rail-ferry fleet) binds at
#: 7.08 Mt/yr against the World Bank's 11 Mt potential. (The two China-origin times drifted
#: while the China→Kazakhstan border was counted twice.)
DRIFTING_TODAY = {"capacity_2030_vs_potential"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    return copy


def _keep_rows(path: Path, keep: set[str]) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, [r for r in reader if r["id"] in keep]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_the_suite_runs_and_every_row_outside_the_known_drift_passes(
        capsys: pytest.CaptureFixture[str]) -> None:
    result = runner.invoke(app, ["data", "calibrate", "--json"])
    out = json.loads(result.output)
    rows = {r["id"]: r for r in out["references"]}
    with capsys.disabled():
        print("\nreference: computed / published (ratio, tolerance)")
        for r in rows.values():
            print(f"  {r['id']:28} {r['computed']!s:>9} / {r['published']:<8g}"
                  f" {r['ratio']!s:>6} ±{r['tolerance']:.0%} {'ok' if r['ok'] else 'DRIFT'}")
    assert len(rows) >= 25
    passing = {i for i, r in rows.items() if r["ok"]}
    assert passing == set(rows) - DRIFTING_TODAY
    assert result.exit_code == 1 and out["ok"] is False
    for r in rows.values():
        if r["ok"]:
            assert abs(r["computed"] / r["published"] - 1) <= r["tolerance"]


def test_exit_0_when_every_row_is_within_tolerance(folder: Path) -> None:
    rows = reference_table(load_network())
    _keep_rows(folder / "references.csv", {r["id"] for r in rows if r["ok"]})
    result = runner.invoke(app, ["data", "calibrate", "--data", str(folder)])
    assert result.exit_code == 0, result.output
    assert "DRIFT" not in result.output and "within tolerance" in result.output


def test_a_drifted_model_fails_calibration(folder: Path) -> None:
    params = folder / "cost_params.csv"
    text = params.read_text(encoding="utf-8")
    assert "rail,usd_per_km,0.404," in text
    params.write_text(text.replace("rail,usd_per_km,0.404,", "rail,usd_per_km,0.5,"),
                      encoding="utf-8")
    rows = {r["id"]: r for r in reference_table(load_network(folder))}
    assert not rows["dostyk_aktau_usd"]["ok"] and rows["dostyk_aktau_km"]["ok"]
    result = runner.invoke(app, ["data", "calibrate", "--data", str(folder)])
    assert result.exit_code == 1
    assert "dostyk_aktau_usd" in next(ln for ln in result.output.splitlines() if "DRIFT" in ln)


def test_calibrate_reads_the_folders_own_references(folder: Path) -> None:
    path = folder / "references.csv"
    text = path.read_text(encoding="utf-8")
    old = ",distance_km,3095,0.05,"
    assert old in text
    path.write_text(text.replace(old, ",distance_km,9999,0.05,"), encoding="utf-8")
    drift = runner.invoke(app, ["data", "calibrate", "--data", str(folder), "--json"])
    assert drift.exit_code == 1
    row = next(r for r in json.loads(drift.output)["references"] if r["id"] == "dostyk_aktau_km")
    assert row["published"] == 9999.0 and row["ok"] is False
    path.write_text(text.replace(old, ",distance_km,abc,0.05,"), encoding="utf-8")
    broken = runner.invoke(app, ["data", "calibrate", "--data", str(folder)])
    assert broken.exit_code == 4
    assert "references.csv, row 1, field 'published'" in broken.output


def test_a_row_without_a_route_drifts_with_its_reason(folder: Path) -> None:
    path = folder / "references.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("no_air_here,route,door_to_door,check,dostyk,aktau_port_rail,air,time,,,,"
                 "time_h,10,0.5,ktz,\n")
    rows = {r["id"]: r for r in reference_table(load_network(folder))}
    assert rows["no_air_here"]["computed"] is None and not rows["no_air_here"]["ok"]
    assert rows["no_air_here"]["error"]
    result = runner.invoke(app, ["data", "calibrate", "--data", str(folder)])
    assert result.exit_code == 1 and "no route" in result.output
