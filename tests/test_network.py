"""The shipped dataset: integrity of the data and of the graph built from it."""

from __future__ import annotations

import csv
import zipfile
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from corridor import load_network, network_summary, read_dataset, validate_graph
from corridor.cli import app
from corridor.data import COUNTRY_BOUNDS, data_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return load_network()


def test_shipped_data_validates_and_follows_the_contract(G: nx.MultiDiGraph) -> None:
    validate_graph(G)
    assert G.graph["crs"] == "EPSG:4326"
    assert G.graph["name"] and G.graph["data_version"]


def test_network_is_one_connected_whole_of_useful_size(G: nx.MultiDiGraph) -> None:
    assert G.number_of_nodes() >= 150
    assert nx.is_weakly_connected(G)
    assert all(G.degree(n) > 0 for n in G)
    modes = {d["mode"] for *_, d in G.edges(data=True)}
    assert modes == {"rail", "road", "sea", "air", "transfer", "border"}


def test_open_network_is_strongly_connected(G: nx.MultiDiGraph) -> None:
    """With only today's links, every node they reach can reach every other one."""
    today = load_network(year=2025)
    waiting = [n for n in today if today.degree(n) == 0]  # served only by future lines
    assert all(G.nodes[n]["kind"] in ("rail_station", "road_node", "border") for n in waiting)
    today.remove_nodes_from(waiting)
    assert nx.is_strongly_connected(today), [
        sorted(c)[:5] for c in nx.strongly_connected_components(today) if len(c) < len(today)
    ]


def test_both_countries_have_every_kind_of_infrastructure(G: nx.MultiDiGraph) -> None:
    kinds = Counter((d["country"], d["kind"]) for _, d in G.nodes(data=True))
    for country in ("KZ", "AZ"):
        for kind in ("port", "rail_station", "road_node", "airport", "border"):
            assert kinds[country, kind] > 0, (country, kind)
    assert kinds["KZ", "airport"] >= 10
    assert kinds["AZ", "airport"] >= 6
    codes = {d.get("code") for _, d in G.nodes(data=True) if d["kind"] == "airport"}
    assert {"ALA", "NQZ", "SCO", "GYD", "FZL"} <= codes


def test_every_source_resolves_and_every_source_is_used() -> None:
    ds = read_dataset()
    used: set[str] = set()
    for rows in (ds.places, ds.nodes, ds.edges, ds.cost_params):
        for row in rows:
            for part in row["source"].split(";"):
                part = part.strip()
                if part.startswith("estimate:"):
                    assert len(part) > len("estimate:")
                else:
                    assert part in ds.sources, part
                    used.add(part)
    extra_files = ["boundaries.geojson", "story.csv", "reliability_params.csv",
                   "volumes.csv", "capacity_params.csv", "geometry.geojson", "references.csv"]
    text = " ".join(
        (data_dir() / name).read_text(encoding="utf-8") for name in extra_files
        if (data_dir() / name).is_file()
    ) + " ".join(p.read_text(encoding="utf-8") for p in data_dir().glob("scenarios/*.toml"))
    unused = [s for s in ds.sources if s not in used and s not in text]
    assert not unused, f"sources listed but cited nowhere: {unused}"


def test_coordinates_inside_their_country(G: nx.MultiDiGraph) -> None:
    for node, d in G.nodes(data=True):
        lat_min, lat_max, lon_min, lon_max = COUNTRY_BOUNDS[d["country"]]
        assert lat_min <= d["y"] <= lat_max and lon_min <= d["x"] <= lon_max, node


def test_no_negative_or_missing_costs(G: nx.MultiDiGraph) -> None:
    for u, v, k, d in G.edges(keys=True, data=True):
        for attr in ("distance_km", "time_h", "cost_usd", "co2_kg"):
            assert d[attr] >= 0, (u, v, k, attr)
        if d["mode"] in ("rail", "road", "sea", "air"):
            assert d["distance_km"] > 0 and d["time_h"] > 0, (u, v, k)


def test_ports_are_several_nodes_joined_by_transfers(G: nx.MultiDiGraph) -> None:
    for place in ("aktau", "kuryk", "alat", "turkmenbashi"):
        nodes = [n for n, d in G.nodes(data=True) if d.get("place") == place]
        quays = [n for n in nodes if G.nodes[n]["kind"] == "port"]
        assert quays, place
        transfer_neighbours = {
            v for q in quays for _, v, d in G.out_edges(q, data=True) if d["mode"] == "transfer"
        }
        assert len(transfer_neighbours) >= 2, (place, transfer_neighbours)
        assert any(d["mode"] == "sea" for q in quays for *_, d in G.out_edges(q, data=True))


def test_sea_edges_follow_lanes_not_straight_lines(G: nx.MultiDiGraph) -> None:
    for *_, d in G.edges(data=True):
        if d["mode"] == "sea" and d["distance_km"] > 200:
            assert len(d["geometry"].coords) > 2, d["id"]


def test_planned_lines_carry_status_and_year(G: nx.MultiDiGraph) -> None:
    future = [d for *_, d in G.edges(data=True) if d["status"] != "open"]
    assert len({d["id"] for d in future}) >= 4
    assert all(d["year_open"] for d in future)
    later = load_network(year=2024)
    assert later.number_of_edges() < G.number_of_edges()


def test_summary_counts_match_the_graph(G: nx.MultiDiGraph) -> None:
    s = network_summary(G)
    assert s["nodes"] == G.number_of_nodes()
    assert sum(s["nodes_by_country"].values()) == s["nodes"]
    assert sum(s["edges_by_mode"].values()) == s["edges"]
    assert s["connected"] is True


def test_cli_info_and_validate_on_shipped_data() -> None:
    runner = CliRunner()
    info = runner.invoke(app, ["data", "info", "--json"])
    assert info.exit_code == 0, info.output
    assert '"nodes_by_country"' in info.output
    ok = runner.invoke(app, ["data", "validate"])
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("ok:")


def test_csv_files_are_utf8_with_unix_newlines() -> None:
    for path in (ROOT / "data").glob("*.csv"):
        raw = path.read_bytes()
        raw.decode("utf-8")
        assert b"\r\n" not in raw, path
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        width = len(rows[0])
        assert all(len(r) == width for r in rows), path


def test_wheel_ships_the_data(tmp_path: Path) -> None:
    """The installed package finds its data without a checkout (package data)."""
    from hatchling.builders.wheel import WheelBuilder

    builder = WheelBuilder(str(ROOT))
    wheel = next(iter(builder.build(directory=str(tmp_path), versions=["standard"])))
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("nodes.csv", "edges.csv", "sources.csv", "places.csv", "cost_params.csv"):
        assert f"corridor/_data/{name}" in names
    assert "corridor/py.typed" in names
    # install it outside the checkout and load the network from there
    import subprocess
    import sys

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--target", str(target), wheel],
        check=True, capture_output=True,
    )
    code = (
        "import corridor, corridor.data as d; G = corridor.load_network(); "
        "print(corridor.__file__); print(d.data_dir()); print(G.number_of_nodes())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, cwd=tmp_path,
    ).stdout.split("\n")
    assert out[0].startswith(str(target)) and out[1].startswith(str(target))
    assert int(out[2]) >= 150


def test_nodes_lie_in_their_country_outline(G: nx.MultiDiGraph) -> None:
    """Finer than the bounding boxes: each node within ~10 km of its Natural Earth outline."""
    import json

    from shapely.geometry import Point, shape

    outlines = {
        f["properties"]["iso_a2"]: shape(f["geometry"])
        for f in json.loads((data_dir() / "boundaries.geojson").read_text(encoding="utf-8"))[
            "features"]
    }
    far = []
    for node, d in G.nodes(data=True):
        outline = outlines.get(d["country"])
        if outline is None:
            continue
        gap_deg = outline.distance(Point(d["x"], d["y"]))
        if gap_deg > 0.1:  # about 10 km at these latitudes
            far.append((node, d["country"], round(gap_deg, 2)))
    assert not far, far
