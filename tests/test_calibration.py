"""The cost model reproduces the published through tariffs within stated tolerances."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor import load_network
from corridor.cli import app
from corridor.costs import calibration_table
from corridor.data import data_dir


def test_model_matches_published_through_tariffs(capsys: pytest.CaptureFixture[str]) -> None:
    rows = calibration_table(load_network())
    assert {r["id"] for r in rows} >= {"dostyk_aktau", "altynkol_alat"}
    with capsys.disabled():
        print("\ncomputed vs published (ratio, tolerance):")
        for r in rows:
            for attr in ("distance_km", "time_h", "cost_usd"):
                f = r[attr]
                print(f"  {r['id']:14} {attr:12} {f['computed']:9.1f} {f['published']:9.1f}"
                      f"  {f['ratio']:.3f} ±{f['tolerance']:.0%}")
    for r in rows:
        for attr in ("distance_km", "time_h", "cost_usd"):
            f = r[attr]
            assert abs(f["ratio"] - 1) <= f["tolerance"], (r["id"], attr, f)


def test_a_drifted_model_fails_calibration(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    params = folder / "cost_params.csv"
    text = params.read_text(encoding="utf-8")
    assert "rail,usd_per_km,0.404," in text
    params.write_text(text.replace("rail,usd_per_km,0.404,", "rail,usd_per_km,0.5,"),
                      encoding="utf-8")
    rows = calibration_table(load_network(folder))
    bad = {r["id"] for r in rows if not r["ok"]}
    assert "dostyk_aktau" in bad
    result = CliRunner().invoke(app, ["data", "calibrate", "--data", str(folder)])
    assert result.exit_code == 1
    assert "drift" in result.output


def test_calibrate_reads_the_folders_own_tariffs(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    path = folder / "calibration.csv"
    text = path.read_text(encoding="utf-8")
    assert "dostyk_aktau,dostyk,aktau_port_rail,rail,3095," in text
    path.write_text(text.replace("dostyk_aktau,dostyk,aktau_port_rail,rail,3095,",
                                 "dostyk_aktau,dostyk,aktau_port_rail,rail,9999,"),
                    encoding="utf-8")
    runner = CliRunner()
    drift = runner.invoke(app, ["data", "calibrate", "--data", str(folder), "--json"])
    assert drift.exit_code == 1
    assert '"published": 9999.0' in drift.output
    path.write_text(text.replace(",rail,3095,", ",rail,abc,"), encoding="utf-8")
    broken = runner.invoke(app, ["data", "calibrate", "--data", str(folder)])
    assert broken.exit_code == 4
    assert "calibration.csv, row 1, field 'distance_km'" in broken.output
