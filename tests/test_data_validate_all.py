"""``corridor data validate`` checks every data file of a folder (QA #5), not only the network."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor import DataError
from corridor.cli import app
from corridor.data import data_dir, read_references
from corridor.data.checks import validate_folder

runner = CliRunner()


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shipped") / "data"
    shutil.copytree(data_dir(), folder)
    return folder


@pytest.fixture
def folder(shipped: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(shipped, copy)
    return copy


def test_validate_lists_every_file(shipped: Path) -> None:
    result = runner.invoke(app, ["data", "validate", str(shipped)])
    assert result.exit_code == 0, result.output
    for name in ("capacity_params.csv", "reliability_params.csv", "volumes.csv",
                 "references.csv", "story.csv", "boundaries.geojson", "scenarios/"):
        assert name in result.output
    assert "2030" in result.output and "kuryk-closed" in result.output


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BROKEN = [
    # (file, old text, new text, field in the message)
    ("capacity_params.csv", "teu_t,10,", "teu_t,abc,", "field 'value'"),
    ("reliability_params.csv", "all,pert_concentration,6,", "all,pert_concentration,x,",
     "field 'value'"),
    ("volumes.csv", "2021,observed,0.586,", "2021,observed,inf,", "field 'low_mt'"),
    ("references.csv", ",distance_km,3095,", ",distance_km,abc,", "field 'published'"),
    ("references.csv", "door_to_door,input,dostyk,", "door_to_door,input,atlantis,",
     "field 'origin'"),
    ("references.csv", ",ktz_tariff_dostyk_aktau,", ",rumour,", "field 'source'"),
    ("references.csv", ",distance_km,3095,", ",distance_km,0,", "field 'published'"),
    ("story.csv", "strategic_partnership,relation,", "strategic_partnership,rumour,",
     "field 'kind'"),
    ("boundaries.geojson", '"iso_a2":"TM"', '"iso_a3":"TM"', "field 'iso_a2'"),
    ("boundaries.geojson", '{"type"', '{{"type"', "not valid JSON"),
    ("scenarios/ferry-delays.toml", "time = 2.0", "time = inf", "field 'scale[0].time'"),
    ("scenarios/kuryk-closed.toml", "\"kuryk_port_quay\"", "\"atlantis\"", "atlantis"),
]


@pytest.mark.parametrize(("name", "old", "new", "part"), BROKEN)
def test_a_broken_file_exits_4_naming_file_and_field(folder: Path, name: str, old: str,
                                                       new: str, part: str) -> None:
    path = folder / name
    _replace(path, old, new)
    result = runner.invoke(app, ["data", "validate", str(folder)])
    assert result.exit_code == 4, result.output
    line = result.output.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert Path(name).name in line and part in line


def test_a_file_that_is_not_utf8_is_bad_data(folder: Path) -> None:
    (folder / "references.csv").write_bytes("id,origin\nä,ö\n".encode("latin-1"))
    result = runner.invoke(app, ["data", "validate", str(folder)])
    assert result.exit_code == 4 and "references.csv" in result.output
    assert "UTF-8" in result.output


def test_optional_files_may_be_missing(folder: Path) -> None:
    for name in ("references.csv", "story.csv", "boundaries.geojson"):
        (folder / name).unlink()
    shutil.rmtree(folder / "scenarios")
    lines = validate_folder(folder)
    assert not any(line.startswith(("references", "story", "boundaries", "scenarios"))
                   for line in lines)
    assert any(line.startswith("capacity_params.csv") for line in lines)


def test_read_references_returns_numbers(shipped: Path, tmp_path: Path) -> None:
    rows = read_references(shipped)
    assert rows[0]["published"] == 3095.0 and rows[0]["modes"] == ["rail"]
    bad = tmp_path / "data"
    shutil.copytree(shipped, bad)
    text = (shipped / "references.csv").read_text(encoding="utf-8")
    (bad / "references.csv").write_text(
        text.replace(",time_h,114,0.10,", ",time_h,114,1.5,", 1), encoding="utf-8")
    with pytest.raises(DataError, match="tolerance"):
        read_references(bad)
