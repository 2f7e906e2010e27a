"""Rail and road lines of ``geometry.geojson``: traced on OpenStreetMap or flagged straight.

The check (``corridor.data_checks.check_line_lengths``, run by ``corridor data validate``)
compares each drawn line's length with its link's distance; straight lines are listed
apart. The shipped lines pass it, name their licence and keep the offline map small.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corridor import load_network
from corridor.data import data_dir, read_dataset
from corridor.data.checks import PLANNING_HORIZON, check_line_lengths, validate_folder
from corridor.geo import haversine_km, line_length_km

ATTRIBUTION = "© OpenStreetMap contributors, ODbL"


def _features(folder: Path) -> dict[str, dict]:
    fc = json.loads((folder / "geometry.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["edge_id"]: f for f in fc["features"]}


def _rewrite(folder: Path, change: dict[str, dict]) -> None:
    """Replace the features of ``change`` (edge id -> feature) in the folder's geometry."""
    path = folder / "geometry.geojson"
    fc = json.loads(path.read_text(encoding="utf-8"))
    fc["features"] = [change.get(f["properties"]["edge_id"], f) for f in fc["features"]]
    path.write_text(json.dumps(fc), encoding="utf-8")


@pytest.fixture(scope="module")
def shipped_check():
    G = load_network(year=PLANNING_HORIZON)
    return G, check_line_lengths(G, data_dir() / "geometry.geojson")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    return copy


def _detour(feature: dict, lat_shift: float) -> dict:
    """The feature with one vertex pushed ``lat_shift`` degrees north (a longer line)."""
    coords = feature["geometry"]["coordinates"]
    mid = [(coords[0][0] + coords[-1][0]) / 2, (coords[0][1] + coords[-1][1]) / 2 + lat_shift]
    props = {k: v for k, v in feature["properties"].items()
             if k not in ("straight", "straight_reason")} | {"geometry_source": "osm"}
    return {**feature, "properties": props,
            "geometry": {"type": "LineString", "coordinates": [coords[0], mid, coords[-1]]}}


def test_check_names_a_planted_mismatch(folder: Path) -> None:
    """A line twice as long as its link's distance is reported with both lengths."""
    edge = "rail_dostyk_aktogay"
    _rewrite(folder, {edge: _detour(_features(folder)[edge], 3.0)})
    G = load_network(folder, year=PLANNING_HORIZON)
    result = check_line_lengths(G, folder / "geometry.geojson")
    assert list(result.mismatched) == [edge]
    distance, line = result.mismatched[edge]
    assert line > 1.15 * distance
    line_of_validate = next(x for x in validate_folder(folder) if x.startswith("geometry"))
    assert f"differ: {edge} ({distance:.0f} km, line {line:.0f} km)" in line_of_validate


def test_straight_lines_are_listed_apart_not_measured(folder: Path) -> None:
    """A line flagged straight is not measured, however long, and is named as flagged."""
    edge = "rail_dostyk_aktogay"
    long_line = _detour(_features(folder)[edge], 3.0)
    long_line["properties"] |= {"geometry_source": "straight", "straight": True}
    _rewrite(folder, {edge: long_line})
    result = check_line_lengths(load_network(folder, year=PLANNING_HORIZON),
                                folder / "geometry.geojson")
    assert edge not in result.mismatched
    assert edge in result.straight
    assert f"flagged straight: {', '.join(result.straight)}" in result.summary()


def test_every_shipped_rail_and_road_line_passes_or_is_flagged(shipped_check) -> None:
    _, result = shipped_check
    assert result.mismatched == {}
    features = _features(data_dir())
    land = [e["id"] for e in read_dataset().edges if e["mode"] in ("rail", "road")]
    assert all(edge in features for edge in land)  # every rail/road link says what it is
    for edge in land:
        props = features[edge]["properties"]
        assert props["geometry_source"] in ("osm", "straight")
        assert (edge in result.straight) == (props["geometry_source"] == "straight")
    assert result.checked + len(result.straight) == len(land)


def _max_offset_km(coords: list[list[float]]) -> float:
    """Largest distance of a vertex from the straight line between the two ends."""
    (x0, y0), (x1, y1) = coords[0], coords[-1]
    k = math.cos(math.radians((y0 + y1) / 2))
    dx, dy = (x1 - x0) * k, y1 - y0
    norm = math.hypot(dx, dy)
    return max(abs((x - x0) * k * dy - (y - y0) * dx) / norm * 111.2 for x, y in coords)


@pytest.mark.parametrize("edge", ["rail_khashuri_samtredia", "rail_shu_moyinty",
                                  "rail_dostyk_moyinty_second_track"])
def test_lines_over_mountains_and_round_lakes_bend(edge: str) -> None:
    """The Likhi range crossing and the lines west and north of Balkhash are traced."""
    feature = _features(data_dir())[edge]
    assert feature["properties"]["geometry_source"] == "osm"
    assert _max_offset_km(feature["geometry"]["coordinates"]) > 5


def test_drawn_line_does_not_change_a_blank_rail_distance(shipped_check) -> None:
    """A blank rail distance is the straight line x circuity, not the traced line x circuity."""
    G, _ = shipped_check
    edge = "rail_khashuri_samtredia"  # traced, no distance in edges.csv
    u, v, data = next((u, v, d) for u, v, k, d in G.edges(keys=True, data=True) if k == edge)
    with open(data_dir() / "cost_params.csv", encoding="utf-8", newline="") as f:
        circuity = next(float(r["value"]) for r in csv.DictReader(f)
                        if (r["mode"], r["param"]) == ("rail", "circuity"))
    chord = haversine_km(G.nodes[u]["x"], G.nodes[u]["y"], G.nodes[v]["x"], G.nodes[v]["y"])
    assert data["distance_km"] == pytest.approx(chord * circuity)
    assert line_length_km(data["geometry"].coords) > 1.1 * chord


def test_licence_and_attribution_are_named() -> None:
    props = json.loads((data_dir() / "geometry.geojson").read_text(encoding="utf-8"))["properties"]
    assert props["attribution"] == ATTRIBUTION and props["licence"] == "ODbL-1.0"
    assert props["packages"]["scgraph-data"]
    assert "ODbL" in read_dataset().sources[props["rail_road_source"]]["title"]
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert ATTRIBUTION in readme.split("## Licence", 1)[1]


def test_offline_network_map_stays_under_2_5_mb(tmp_path: Path) -> None:
    out = tmp_path / "network.html"
    subprocess.run([sys.executable, "-m", "corridor", "map", "--offline", "--out", str(out)],
                   check=True, capture_output=True)
    assert out.stat().st_size < 2.5e6
