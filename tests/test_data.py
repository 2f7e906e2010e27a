"""The data reader: a tiny valid dataset loads, and each kind of breakage is reported
with its file, row and field (and exit code 4 from the CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from corridor import DataError, load_network, read_dataset
from corridor.cli import app
from corridor.data import SCHEMAS

TINY = {
    "sources.csv": """id,title,publisher,year,url
src_a,A report,Someone,2024,https://example.org/a
""",
    "places.csv": """id,name,name_az,name_kk,name_ru,aliases,country,lat,lon,source
aktau,Aktau,Aktau,Ақтау,Актау,,KZ,43.65,51.17,src_a
alat,Alat,Ələt,Алат,Алят,Port of Baku,AZ,39.95,49.41,src_a
""",
    "nodes.csv": """id,name,name_az,name_kk,name_ru,kind,country,lat,lon,place,code,source
aktau_rail,Aktau rail,,,,rail_station,KZ,43.65,51.20,aktau,,src_a
aktau_quay,Aktau quay,,,,port,KZ,43.60,51.18,aktau,,src_a
alat_quay,Alat quay,,,,port,AZ,39.95,49.41,alat,,src_a
alat_rail,Alat rail,,,,rail_station,AZ,39.96,49.40,alat,,src_a
""",
    "edges.csv": """id,from,to,mode,distance_km,time_h,time_h_low,time_h_high,cost_usd,capacity,capacity_unit,status,year_open,oneway,source,notes
load_aktau,aktau_rail,aktau_quay,transfer,,30,24,336,110,,,open,,true,src_a,
unload_aktau,aktau_quay,aktau_rail,transfer,,5,,,110,,,open,,true,src_a,
sea_aktau_alat,aktau_quay,alat_quay,sea,468,,,,,,,open,,,src_a;estimate:searoute,
load_alat,alat_rail,alat_quay,transfer,,20,,,110,15,Mt/yr,open,,,src_a,
new_line,aktau_rail,alat_rail,rail,,,,,,,,planned,2030,,estimate:haversine_x1.15,
""",
    "cost_params.csv": """mode,param,value,unit,source,notes
all,cargo_t,20,t,src_a,
rail,speed_kmh,30,km/h,src_a,
rail,usd_per_km,0.4,USD/FEU-km,src_a,
rail,co2_kg_per_tkm,0.02,kg/tkm,src_a,
rail,circuity,1.15,,src_a,
sea,speed_kmh,23.4,km/h,src_a,
sea,usd_per_km,2,USD/FEU-km,src_a,
sea,co2_kg_per_tkm,0.1,kg/tkm,src_a,
""",
}


def write_tiny(folder: Path, **replace: str) -> Path:
    """Write the tiny dataset into ``folder``, with some files replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**TINY, **replace}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def edit(name: str, old: str, new: str) -> dict[str, str]:
    """The tiny dataset's file ``name`` with one substring replaced."""
    assert old in TINY[name], old
    return {name: TINY[name].replace(old, new, 1)}


def test_tiny_dataset_loads_into_the_contract_graph(tmp_path: Path) -> None:
    G = load_network(write_tiny(tmp_path))
    assert isinstance(G, nx.MultiDiGraph)
    assert G.graph["crs"] == "EPSG:4326"
    assert G.number_of_nodes() == 4
    # two one-way rows, three two-way rows -> 2 + 3 * 2 directed edges
    assert G.number_of_edges() == 8
    node = G.nodes["aktau_quay"]
    assert (node["x"], node["y"]) == (51.18, 43.60)
    # a node without names of its own takes its place's names
    assert node["names"]["kk"] == "Ақтау" and node["names"]["en"] == "Aktau quay"
    sea = G.edges["aktau_quay", "alat_quay", "sea_aktau_alat"]
    assert sea["distance_km"] == 468
    assert sea["time_h"] == pytest.approx(468 / 23.4)
    assert sea["cost_usd"] == pytest.approx(936)
    assert sea["co2_kg"] == pytest.approx(468 * 20 * 0.1)
    back = G.edges["alat_quay", "aktau_quay", "sea_aktau_alat"]
    assert back["geometry"].coords[0] == (49.41, 39.95)
    # one-way loading edge keeps its published time and range
    load = G.edges["aktau_rail", "aktau_quay", "load_aktau"]
    assert (load["time_h"], load["time_h_low"], load["time_h_high"]) == (30, 24, 336)
    assert not G.has_edge("aktau_quay", "aktau_rail", "load_aktau")


def test_distance_measured_on_the_line_when_the_row_gives_none(tmp_path: Path) -> None:
    from corridor.costs import haversine_km

    G = load_network(write_tiny(tmp_path))
    line = G.edges["aktau_rail", "alat_rail", "new_line"]
    straight = haversine_km(51.20, 43.65, 49.40, 39.96)
    assert line["distance_km"] == pytest.approx(straight * 1.15)
    assert line["time_h"] == pytest.approx(straight * 1.15 / 30)


def test_cargo_mass_scales_co2_only(tmp_path: Path) -> None:
    light = load_network(write_tiny(tmp_path), cargo_t=10)
    heavy = load_network(tmp_path, cargo_t=20)
    e = ("aktau_quay", "alat_quay", "sea_aktau_alat")
    assert heavy.edges[e]["co2_kg"] == pytest.approx(2 * light.edges[e]["co2_kg"])
    assert heavy.edges[e]["cost_usd"] == light.edges[e]["cost_usd"]


def test_year_keeps_only_links_open_by_then(tmp_path: Path) -> None:
    write_tiny(tmp_path)
    assert load_network(tmp_path).has_edge("aktau_rail", "alat_rail")
    assert not load_network(tmp_path, year=2029).has_edge("aktau_rail", "alat_rail")
    assert load_network(tmp_path, year=2030).has_edge("aktau_rail", "alat_rail")


def test_geometry_file_is_used_and_oriented(tmp_path: Path) -> None:
    lane = [[49.41, 39.95], [50.5, 40.2], [51.0, 42.0], [51.18, 43.60]]  # drawn Alat -> Aktau
    feature = {"type": "Feature", "properties": {"edge_id": "sea_aktau_alat"},
               "geometry": {"type": "LineString", "coordinates": lane}}
    write_tiny(tmp_path, **{"geometry.geojson": json.dumps(
        {"type": "FeatureCollection", "features": [feature]})})
    G = load_network(tmp_path)
    coords = list(G.edges["aktau_quay", "alat_quay", "sea_aktau_alat"]["geometry"].coords)
    assert coords[0] == (51.18, 43.60) and coords[-1] == (49.41, 39.95)
    assert len(coords) == 4


BROKEN = [
    # (replacement files, file named, row, field, words in the message)
    (edit("nodes.csv", "kind,", "kindd,"), "nodes.csv", 0, "kind", "missing column"),
    (edit("nodes.csv", ",code,", ",code,colour,"), "nodes.csv", 0, "colour", "unknown column"),
    (edit("nodes.csv", "aktau_quay,Aktau quay", "aktau_rail,Aktau quay"), "nodes.csv", 2, "id",
     "duplicate id"),
    (edit("nodes.csv", "43.60,51.18", ",51.18"), "nodes.csv", 2, "lat", "empty"),
    (edit("nodes.csv", "43.60,51.18", "nan,51.18"), "nodes.csv", 2, "lat", "not a finite"),
    (edit("nodes.csv", "39.95,49.41,alat", "43.95,49.41,alat"), "nodes.csv", 3, "lat",
     "outside AZ"),
    (edit("nodes.csv", "rail_station,KZ", "railway,KZ"), "nodes.csv", 1, "kind", "not one of"),
    (edit("nodes.csv", "aktau,,src_a\naktau_quay", "aktau,,src_zzz\naktau_quay"), "nodes.csv", 1,
     "source", "not an id in sources.csv"),
    (edit("nodes.csv", "51.18,aktau", "51.18,atkau"), "nodes.csv", 2, "place",
     "not an id in places.csv"),
    (edit("edges.csv", "alat_rail,alat_quay", "alat_rail,alat_dock"), "edges.csv", 4, "to",
     "unknown node"),
    (edit("edges.csv", ",30,24,336,110", ",30,24,336,-110"), "edges.csv", 1, "cost_usd",
     "negative"),
    (edit("edges.csv", ",30,24,336,110", ",NaN,24,336,110"), "edges.csv", 1, "time_h",
     "not a finite"),
    (edit("edges.csv", ",30,24,336,110", ",30,240,33,110"), "edges.csv", 1, "time_h_low",
     "above high"),
    (edit("edges.csv", "planned,2030", "planned,"), "edges.csv", 5, "year_open", "opening year"),
    (edit("edges.csv", "15,Mt/yr", "15,"), "edges.csv", 4, "capacity_unit", "unit"),
    (edit("edges.csv", ",sea,468", ",ship,468"), "edges.csv", 3, "mode", "not one of"),
    (edit("edges.csv", "estimate:haversine_x1.15", "estimate:"), "edges.csv", 5, "source",
     "needs a method"),
    (edit("cost_params.csv", "sea,usd_per_km,2,", "sea,usd_per_km,two,"), "cost_params.csv", 7,
     "value", "not a number"),
]


@pytest.mark.parametrize(("files", "name", "row", "field", "words"), BROKEN)
def test_broken_files_name_file_row_and_field(
    tmp_path: Path, files: dict[str, str], name: str, row: int, field: str, words: str
) -> None:
    write_tiny(tmp_path, **files)
    with pytest.raises(DataError) as info:
        read_dataset(tmp_path)
    err = info.value
    assert Path(err.file or "").name == name
    assert (err.row, err.field) == (row, field)
    assert words in str(err)
    assert name in str(err) and f"field '{field}'" in str(err)


def test_cli_validate_exit_4_one_line_no_traceback(tmp_path: Path) -> None:
    write_tiny(tmp_path, **edit("edges.csv", ",30,24,336,110", ",30,24,336,-110"))
    result = CliRunner().invoke(app, ["data", "validate", str(tmp_path)])
    assert result.exit_code == 4
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "edges.csv, row 1, field 'cost_usd'" in lines[0]
    assert "Traceback" not in result.output


def test_cli_validate_ok_and_missing_folder(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["data", "validate", str(write_tiny(tmp_path / "d"))])
    assert ok.exit_code == 0, ok.output
    assert "4 node rows" in ok.output
    missing = runner.invoke(app, ["data", "validate", str(tmp_path / "nowhere")])
    assert missing.exit_code == 4
    assert "not a folder" in missing.output


def test_missing_file_is_named(tmp_path: Path) -> None:
    write_tiny(tmp_path)
    (tmp_path / "edges.csv").unlink()
    with pytest.raises(DataError, match=r"edges\.csv: file is missing"):
        read_dataset(tmp_path)


def test_schema_doc_lists_every_column() -> None:
    readme = (Path(__file__).parent.parent / "data" / "README.md").read_text(encoding="utf-8")
    for name, (required, optional) in SCHEMAS.items():
        for column in (*required, *optional):
            assert column in readme, f"{name}: column {column} is not documented"


def test_gdf_round_trip(tmp_path: Path) -> None:
    from corridor import from_gdfs, to_gdfs

    G = load_network(write_tiny(tmp_path))
    nodes, edges = to_gdfs(G)
    assert nodes.crs.to_epsg() == 4326 and edges.crs.to_epsg() == 4326
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    H = from_gdfs(nodes, edges)
    assert set(H.nodes) == set(G.nodes)
    assert set(H.edges(keys=True)) == set(G.edges(keys=True))
    for u, v, k, d in G.edges(keys=True, data=True):
        h = H.edges[u, v, k]
        for attr in ("mode", "distance_km", "time_h", "cost_usd", "co2_kg", "status",
                     "year_open", "source"):
            assert h[attr] == d[attr], (u, v, k, attr)
        assert h["geometry"].equals(d["geometry"])
    for n, d in G.nodes(data=True):
        assert H.nodes[n]["names"] == d["names"]
        assert (H.nodes[n]["x"], H.nodes[n]["y"]) == (d["x"], d["y"])
    assert H.graph["places"] == G.graph["places"]


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    write_tiny(tmp_path)
    (tmp_path / "edges.csv").write_bytes(TINY["edges.csv"].encode("utf-8") + b"\xff\xfe\x00junk\n")
    with pytest.raises(DataError, match=r"edges\.csv, row 6: is not UTF-8 text"):
        read_dataset(tmp_path)
    result = CliRunner().invoke(app, ["data", "validate", str(tmp_path)])
    assert result.exit_code == 4 and "edges.csv" in result.output
