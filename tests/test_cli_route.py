"""``corridor route`` and ``corridor places``: output, exit codes and messages.

Most tests run the command in-process on the hand-built corridor of conftest.py (the
command's ``load`` is replaced); the last ones run ``corridor`` on the shipped data.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridor.cli as cli
import corridor.cli.options as cli_options

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run(corridor_graph, monkeypatch):
    """Run ``corridor ARGS`` on the hand-built graph; returns the click Result."""
    monkeypatch.setattr(cli_options, "load", lambda data, year=None: corridor_graph)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli.app, list(args))

    return invoke


def one_line_error(result, code: int) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


# ----------------------------------------------------------------- exit 0
def test_route_table(run):
    result = run("route", "Almaty", "Baku", "--by", "cost", "--alternatives", "2")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    # the route ends at Baku's rail side after unloading: 70 + 8 + 26 + 5 h, 900 + 80 +
    # 1100 + 100 USD; the alternatives name their sea crossing (quay to quay)
    assert "Almaty Rail → Baku Rail, by cost: 109.0 h" in out
    for text in ("Kuryk Rail", "transfer", "2,650.0", "1,100", "3,070.0", "2,180", "total",
                 "Alternatives", "Aktau Quay → Baku Quay", "2,400", "2,900"):
        assert text in out


def test_route_json_is_one_object(run):
    result = run("route", "Ақтау", "Bakı", "--by", "time", "--json")
    assert result.exit_code == 0, result.stderr
    d = json.loads(result.stdout)
    assert list(d) == ["origin", "destination", "objective", "totals", "legs",
                       "alternatives", "alternatives_found", "warnings", "query"]
    assert d["objective"] == "time"
    # loaded at Aktau's rail side, unloaded at Baku's: 10 + 30 + 5 h
    assert d["origin"]["id"] == "aktau_rail" and d["destination"]["id"] == "baku_rail"
    assert [leg["mode"] for leg in d["legs"]] == ["transfer", "sea", "transfer"]
    assert d["totals"]["time_h"] == 45
    # by sea alone the quays stand for the places: the one sea edge, 30 h
    result = run("route", "Ақтау", "Bakı", "--by", "time", "--modes", "sea", "--json")
    assert result.exit_code == 0, result.stderr
    d = json.loads(result.stdout)
    assert d["origin"]["id"] == "aktau_quay" and d["destination"]["id"] == "baku_quay"
    assert [leg["mode"] for leg in d["legs"]] == ["sea"]
    assert d["totals"]["time_h"] == 30


def test_route_options(run):
    result = run("route", "Almaty", "Baku", "--modes", "rail,sea", "--avoid", "Kuryk",
                 "--year", "2015", "--json", "-k", "1")
    assert result.exit_code == 0, result.stderr
    d = json.loads(result.stdout)
    assert [leg["to_id"] for leg in d["legs"]] == ["aktau_rail", "aktau_quay", "baku_quay",
                                                   "baku_rail"]
    assert d["alternatives"] == []
    result = run("route", "Almaty", "Baku", "--by", "cost", "--year", "2030", "--json")
    # the 2027 line via Kuryk: 700 + 80 + 1100 + 100
    assert json.loads(result.stdout)["totals"]["cost_usd"] == 1980


def test_route_prints_warnings(run, corridor_graph):
    # Ganja by air: no airport within 100 km → NoRoute; Tbilisi rail station stands in
    corridor_graph.graph["places"]["mtskheta"] = {
        "id": "mtskheta", "name": "Mtskheta", "names": {"en": "Mtskheta"}, "aliases": [],
        "country": "GE", "x": 44.72, "y": 41.84}
    result = run("route", "Baku", "Mtskheta", "--modes", "rail")
    assert result.exit_code == 0, result.stderr
    assert "warning:" in result.stdout and "Mtskheta has no rail terminal" in result.stdout
    result = run("route", "Baku", "Mtskheta", "--modes", "rail", "--json")
    assert "Mtskheta has no rail terminal" in json.loads(result.stdout)["warnings"][0]


def test_route_map(run, tmp_path):
    target = tmp_path / "route.html"
    result = run("route", "Almaty", "Baku", "--by", "cost", "--map", str(target), "--offline")
    assert result.exit_code == 0, result.stderr
    assert target.is_file() and "Kuryk" in target.read_text(encoding="utf-8")
    assert f"wrote {target}" in result.stdout
    result = run("route", "Almaty", "Baku", "--json", "--map", str(tmp_path / "r2.html"))
    assert result.exit_code == 0 and json.loads(result.stdout)["objective"] == "time"


def test_route_map_to_missing_folder_writes_nothing(run, tmp_path):
    target = tmp_path / "nope" / "route.html"
    line = one_line_error(run("route", "Almaty", "Baku", "--map", str(target)), 2)
    assert "does not exist" in line
    assert not target.exists()


def test_places(run):
    result = run("places", "Ақтау")
    assert result.exit_code == 0, result.stderr
    assert "aktau" in result.stdout and "place" in result.stdout
    result = run("places", "a", "--json", "--limit", "1")  # Aktau and Almaty match "a"
    assert len(json.loads(result.stdout)["matches"]) == 1
    result = run("places", "bak", "--json")
    d = json.loads(result.stdout)
    assert d["query"] == "bak" and len(d["matches"]) == 1  # Baku, its nodes folded in
    assert d["matches"][0]["id"] == "baku"
    assert set(d["matches"][0]) == {"id", "name", "kind", "country", "score", "matched"}


def test_help_texts_have_examples():
    runner = CliRunner()
    out = runner.invoke(cli.app, ["route", "--help"]).stdout
    assert "corridor route Altynkol Alat --by cost" in out and "--alternatives" in out
    assert "corridor places" in runner.invoke(cli.app, ["places", "--help"]).stdout


# ----------------------------------------------------------------- exit 2
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("route", "Aktaw", "Baku"), "unknown place 'Aktaw'; did you mean Aktau?"),
        (("route", "Almaty", "Bakku"), "did you mean Baku"),
        (("route", "Baku", "Bakı"), "same place"),
        (("route", "Almaty", "Baku", "--by", "speed"),
         "unknown objective 'speed'; choose one of time, cost, distance, co2"),
        (("route", "Almaty", "Baku", "--modes", "rail,ship"),
         "unknown mode(s) 'ship'; choose from rail, road, sea, air"),
        (("route", "Almaty", "Baku", "--alternatives", "-1"), "--alternatives must be 0 or more"),
        (("route", "Almaty", "Baku", "--avoid", "KZ"), "origin 'Almaty' is among the avoided"),
        (("route", "Almaty", "Baku", "--avoid", "Kurik"), "did you mean Kuryk"),
        (("places", "Vladivostok"), "no place matches 'Vladivostok'"),
    ],
)
def test_bad_input_exits_2(run, args, expected):
    assert expected in one_line_error(run(*args), 2)


def test_ambiguous_place_exits_2(run, corridor_graph):
    corridor_graph.graph["places"]["aktau_old"] = {
        "id": "aktau_old", "name": "Aktau", "names": {"en": "Aktau"}, "aliases": [],
        "country": "KZ", "x": 51.0, "y": 44.0}
    line = one_line_error(run("route", "Aktau", "Baku"), 2)
    assert "ambiguous" in line and "aktau_old" in line and "place aktau," in line


# ----------------------------------------------------------------- exit 3
def test_no_route_exits_3(run):
    line = one_line_error(
        run("route", "Almaty", "Baku", "--modes", "rail,sea", "--avoid", "Aktau",
            "--avoid", "Kuryk"), 3)
    assert "no route from 'Almaty' to 'Baku'" in line and "avoiding Aktau, Kuryk" in line
    line = one_line_error(run("route", "Almaty", "Tbilisi", "--modes", "air", "--cargo", "air"), 3)
    assert "no air terminal at Tbilisi" in line


# ----------------------------------------------------------------- shipped data
def corridor_cmd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "corridor.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, check=False)


def test_real_route_json(real_graph):
    proc = corridor_cmd("route", "Ақтау", "Bakı", "--by", "time", "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["origin"]["country"] == "KZ" and d["destination"]["country"] == "AZ"
    assert d["legs"] and d["objective"] == "time"
    proc = corridor_cmd("route", "Ақтау", "Bakı", "--by", "time", "--modes", "rail,road,sea",
                        "--json")
    d = json.loads(proc.stdout)
    assert "sea" in {leg["mode"] for leg in d["legs"]}
    # loaded at the port's rail or road side (both tie on time), never starting at the quay
    first = d["legs"][0]
    assert first["from_id"] in {"aktau_port_rail", "aktau_port_road"}
    assert (first["mode"], first["to_id"]) == ("transfer", "aktau_port_quay")
    assert d["origin"]["id"] == first["from_id"] and d["origin"]["kind"] != "port"
    assert d["destination"]["kind"] != "port"


def test_real_exit_codes(real_graph):
    proc = corridor_cmd("route", "Aktaw", "Baku")
    assert proc.returncode == 2 and "did you mean" in proc.stderr and "Aktau" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = corridor_cmd("route", "Almaty", "Baku", "--modes", "air", "--cargo", "air",
                        "--avoid", "GYD")
    assert proc.returncode == 2, proc.stderr  # GYD is Baku's airport: Baku itself is avoided
    assert "the destination 'Baku' is among the avoided places" in proc.stderr
    proc = corridor_cmd("route", "Almaty", "Baku", "--modes", "rail,sea", "--avoid", "Aktau",
                        "--avoid", "Kuryk", "--avoid", "Turkmenbashi")
    assert proc.returncode == 3, proc.stderr  # every Caspian crossing by rail and sea avoided
    assert "no route from 'Almaty' to 'Baku'" in proc.stderr and "Traceback" not in proc.stderr
