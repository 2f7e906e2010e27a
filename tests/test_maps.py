"""Render-and-inspect tests of corridor.maps (no browser: see test_browser.py).

The maps are built from a small hand-made corridor (``small_graph``) so the expected
layers, names and bounds are known; one test draws the shipped network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import networkx as nx
import pytest
from jinja2.utils import htmlsafe_json_dumps
from maphelpers import (
    ALT_PATH,
    EVIL,
    EVIL_JS,
    EVIL_SOURCE,
    EXTERNAL,
    MAIN_PATH,
    MODE_LAYERS,
    NODES,
    POINT_LAYERS,
    control_overlays,
    fake_route,
    fit_bounds,
    layer_names,
    render,
    small_graph,
    small_route,
)
from shapely.geometry import LineString

import corridor
from corridor import maps
from corridor.maps import output
from corridor.maps.geo import latlon, mercator_bearing
from corridor.maps.html import esc


@pytest.fixture
def G() -> nx.MultiDiGraph:
    return small_graph()


# ---------------------------------------------------------------- network map
def test_network_map_layers(G):
    m = maps.network_map(G)
    assert isinstance(m, folium.Map)
    assert layer_names(m) == [*MODE_LAYERS, *POINT_LAYERS, "Stations, terminals and cities"]
    hidden = [
        c.layer_name
        for c in m._children.values()
        if isinstance(c, folium.FeatureGroup) and c.control and not c.show
    ]
    assert hidden == ["Air", "Stations, terminals and cities"]  # switched on in the control
    page = render(m)
    assert control_overlays(page) == layer_names(m)
    assert "openstreetmap.org/copyright" in page  # online: OSM tiles with attribution
    assert "corridor-legend" in page


def test_network_map_edges_once_with_figures(G):
    page = render(maps.network_map(G))
    # one feature per link (not per direction), transfers not drawn
    assert page.count('"id": "rail_altynkol_aktau"') == 1
    assert "transfer_aktau" not in page
    assert "3,000 km" in page and "90 h (3.8 d)" in page and "USD 2,500" in page
    assert "1,500 kg" in page and "test_source" in page


def test_planned_lines_dashed_with_year(G):
    m = maps.network_map(G)
    page = render(m)
    assert '"dashArray": "8 6"' in page  # planned
    assert '"dashArray": "3 6"' in page  # under construction
    assert "opening 2027" in page and "opening 2026" in page
    assert re.search(r'bindTooltip\("2027",\s*\{[^}]*"permanent": true', page)


def test_network_map_year_drops_future_lines(G):
    page = render(maps.network_map(G, year=2026))
    assert "rail_kuryk_planned" not in page  # opens 2027
    assert "road_kuryk_uc" in page  # opens 2026: drawn, solid
    assert '"dashArray": "3 6"' not in page


def test_network_map_bounds(G):
    m = maps.network_map(G)
    xs = [d["x"] for d in NODES.values()]
    ys = [d["y"] for d in NODES.values()]
    assert fit_bounds(m) == [[min(ys), min(xs)], [max(ys), max(xs)]]


def test_names_escaped(G):
    for page in (
        render(maps.network_map(G)),
        render(maps.network_map(G, offline=True)),
        render(maps.route_map(small_route(G), G, offline=True)),
    ):
        assert EVIL not in page
        assert "onerror=alert(1)>" not in page
        assert "<script>window" not in page and "</script><script>window" not in page
        assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in page  # escaped, as JSON
        # nothing goes through a JavaScript template literal, where ${...} would run:
        # the only backticks are those of the hostile name, in JSON strings or as HTML text
        as_html = esc("${window.__pwned=1}`")
        as_json = htmlsafe_json_dumps(as_html)[1:-1]
        assert page.count("`") == page.count(as_json) + page.count(as_html) > 0


def test_layer_names_escaped(G):
    route = small_route(G)
    route.origin["name"] = EVIL
    m = maps.route_map(route, G)
    assert layer_names(m)[1] == f"Route: {esc(EVIL)} → {esc(EVIL_JS)}"
    assert EVIL not in render(m)


def test_offline_is_self_contained(G):
    page = render(maps.network_map(G, offline=True))
    assert not EXTERNAL.findall(page)
    assert "https://cdn" not in page and "jquery" not in page.lower()
    assert "bootstrap" not in page.lower() and "awesome" not in page.lower()
    assert "* Leaflet 1.9.4" in page  # inlined from corridor/_assets
    assert "data:image/png;base64," in page  # layer-control icon inlined
    assert "Natural Earth" in page and "Caspian Sea" in page  # own base layer, no tiles
    assert "tile.openstreetmap.org" not in page
    assert len(page.encode()) < 2_000_000


def test_online_uses_pinned_leaflet_only(G):
    page = render(maps.network_map(G))
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts == [f"{maps.LEAFLET_CDN}/leaflet.js"]
    assert "jquery" not in page.lower()


def test_tiles_none_draws_outlines(G):
    page = render(maps.network_map(G, tiles=None))
    assert "tile.openstreetmap.org" not in page and "Caspian Sea" in page


def test_boundaries_file():
    path = Path(__file__).resolve().parents[1] / "data" / "boundaries.geojson"
    assert path.stat().st_size < 300_000
    data = json.loads(path.read_text(encoding="utf-8"))
    codes = {f["properties"]["iso_a2"] for f in data["features"] if f["properties"]["corridor"]}
    assert codes == {"KZ", "AZ", "GE", "TR", "TM", "UZ", "RU", "IR", "CN", "AM", "KG", "TJ", "AF"}


def test_size_of_a_big_network():
    """A network of 1,500 links with dense geometry stays well under 2 MB."""
    G = nx.MultiDiGraph(name="big")
    for i in range(300):
        G.add_node(
            f"n{i}",
            x=45 + (i % 30),
            y=38 + i // 30 * 0.8,
            name=f"Node {i}",
            kind="port" if i % 10 == 0 else "rail_station",
            country="KZ",
            source="t",
        )
    for j in range(1500):
        u, v = f"n{j % 300}", f"n{(j * 7 + 1) % 300}"
        a, b = G.nodes[u], G.nodes[v]
        coords = [
            (
                a["x"] + (b["x"] - a["x"]) * t / 199 + 0.001 * (t % 2),
                a["y"] + (b["y"] - a["y"]) * t / 199,
            )
            for t in range(200)
        ]
        G.add_edge(
            u,
            v,
            key=f"e{j}",
            id=f"e{j}",
            mode=("rail", "road", "sea")[j % 3],
            distance_km=100.0,
            time_h=2.0,
            cost_usd=100.0,
            co2_kg=10.0,
            status="open",
            year_open=None,
            source="t",
            geometry=LineString(coords),
        )
    page = render(maps.network_map(G, offline=True))
    assert len(page.encode()) < 2_000_000


# ---------------------------------------------------------------- route map
def test_route_map_layers_and_figures(G):
    route = small_route(G)
    m = maps.route_map(route, G)
    title = f"{esc('Altynkol')} → {esc(EVIL_JS)}"
    assert layer_names(m) == ["Network", f"Route: {title}", "Alternative 1"]
    page = render(m)
    assert control_overlays(page) == layer_names(m)
    # the legs carry their figures and the sources of their edges
    assert "470 km" in page and "30.0 h" in page and "USD 1,500" in page and "150 kg" in page
    assert htmlsafe_json_dumps(esc(EVIL_SOURCE))[1:-1] in page  # escaped, then as JSON
    assert EVIL_SOURCE not in page
    # coloured by mode, alternatives in their own colour and dashed
    assert f'"color": "{maps.MODE_COLORS["rail"]}"' in page
    assert f'"color": "{maps.MODE_COLORS["sea"]}"' in page
    assert f'"color": "{maps.ALT_COLORS[0]}"' in page and '"dashArray": "10 6"' in page
    # direction arrows, start and end
    assert page.count("corridor-arrow") >= len(route.legs)
    assert "Start: Altynkol" in page and "End: " in page
    assert maps.START_COLOR in page and maps.END_COLOR in page


def test_route_map_with_the_router(G):
    from corridor.routing import route

    r = route(G, "altynkol", "tbilisi", by="cost", alternatives=1)
    m = maps.route_map(r, G)
    assert layer_names(m)[1:] == [f"Route: Altynkol → {esc(EVIL_JS)}", "Alternative 1"]
    page = render(m)
    assert "USD 2,500" in page and "USD 1,500" in page  # the rail and sea legs
    assert f'"color": "{maps.MODE_COLORS["rail"]}"' in page
    out = maps.route_html(r, G)
    assert "<table>" in out and "<iframe srcdoc=" in out


def test_route_map_bounds(G):
    route = small_route(G)
    m = maps.route_map(route, G)
    (s, w), (n, e) = fit_bounds(m)
    assert (s, w, n, e) == (39.95, 44.8, 45.5, 80.35)


def test_route_map_list_without_graph(G):
    a = fake_route(G, MAIN_PATH)
    b = fake_route(G, ALT_PATH)
    m = maps.route_map([a, b])
    assert layer_names(m)[0].startswith("Route: ") and layer_names(m)[1] == "Alternative 1"
    assert "Network" not in layer_names(m)
    with pytest.raises(ValueError, match="at least one route"):
        maps.route_map([])


def test_route_map_offline(G):
    page = render(maps.route_map(small_route(G), G, offline=True))
    assert not EXTERNAL.findall(page)
    assert "Caspian Sea" in page


def test_route_html(G):
    route = small_route(G)
    out = maps.route_html(route, G)
    # the itinerary table (made by corridor.maps from the route), then the map's iframe
    table = maps.route_table_html(route)
    assert table.startswith("<p><b>Altynkol → ") and "<table>" in table
    assert out.startswith(f'<div class="corridor-route">{table}<iframe srcdoc="')
    assert EVIL not in out and "<script" not in out.split("<iframe", 1)[1].split(">", 1)[0]


def test_mercator_bearing():
    assert mercator_bearing((50, 40), (51, 40)) == pytest.approx(0)
    assert mercator_bearing((50, 40), (50, 41)) == pytest.approx(-90)
    assert abs(mercator_bearing((50, 40), (49, 40))) == pytest.approx(180)


def test_latlon_swaps_and_rounds():
    assert latlon([(51.123456, 43.654321)]) == [[43.6543, 51.1235]]


# ---------------------------------------------------------------- saving
def test_save_map_atomic(G, tmp_path):
    m = maps.network_map(G, offline=True)
    out = maps.save_map(m, tmp_path / "map.html")
    assert out == tmp_path / "map.html"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Test corridor" in text
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_save_map_keeps_old_file_on_error(G, tmp_path, monkeypatch):
    out = tmp_path / "map.html"
    out.write_text("old", encoding="utf-8")
    m = maps.network_map(G)

    def broken(*args, **kwargs):
        msg = "disk full"
        raise OSError(28, msg)

    monkeypatch.setattr(output.os, "replace", broken)
    with pytest.raises(OSError, match="cannot write the map"):
        maps.save_map(m, out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_save_map_unwritable(G, tmp_path):
    m = maps.network_map(G)
    with pytest.raises(OSError, match="does not exist"):
        maps.save_map(m, tmp_path / "missing" / "map.html")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OSError, match="does not exist"):
        maps.save_map(m, tmp_path / "file" / "map.html")
    with pytest.raises(OSError, match="is a folder"):
        maps.save_map(m, tmp_path)


# ---------------------------------------------------------------- command line
@pytest.fixture
def cli(monkeypatch, G):
    from typer.testing import CliRunner

    from corridor import cli as cli_module
    from corridor.cli import options as cli_options

    monkeypatch.setattr(cli_options, "load", lambda data, year=None: G)
    runner = CliRunner()
    return lambda *args: runner.invoke(cli_module.app, list(args))


def test_cli_map(cli, tmp_path):
    out = tmp_path / "corridor.html"
    result = cli("map", "--out", str(out), "--offline")
    assert result.exit_code == 0, result.output
    assert out.exists() and str(out) in result.output
    assert not EXTERNAL.findall(out.read_text(encoding="utf-8"))


def test_cli_map_unwritable(cli, tmp_path):
    result = cli("map", "--out", str(tmp_path / "nope" / "corridor.html"))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write the map")
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- the shipped network
def test_shipped_network_map_size(real_graph):
    page = render(maps.network_map(real_graph, offline=True))
    assert len(page.encode()) < 2_000_000
    assert not EXTERNAL.findall(page)
    assert {"Rail", "Sea", "Ports"} <= set(control_overlays(page))


def test_vendored_assets_match_versions():
    """corridor/_assets holds what VERSIONS.txt pins (scripts/vendor_assets.py --check)."""
    import hashlib

    assets = Path(corridor.__file__).with_name("_assets")
    lines = (assets / "VERSIONS.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith(f"leaflet {maps.LEAFLET_VERSION} ") for line in lines)
    pinned = [line.split("  ", 1) for line in lines if re.match(r"^[0-9a-f]{64}  ", line)]
    assert {name for _sha, name in pinned} >= {"leaflet/leaflet.js", "leaflet/LICENSE"}
    for sha, name in pinned:
        assert hashlib.sha256((assets / name).read_bytes()).hexdigest() == sha, name
