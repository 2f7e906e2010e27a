"""Render-and-inspect tests of corridor.maps (no browser: see test_browser.py).

The maps are built from a small hand-made corridor (``small_graph``) so the expected
layers, names and bounds are known; one test draws the shipped network when it is there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import folium
import networkx as nx
import pytest
from jinja2.utils import htmlsafe_json_dumps
from shapely.geometry import LineString

import corridor
from corridor import maps
from corridor.maps import output
from corridor.maps.geo import latlon, mercator_bearing
from corridor.maps.html import esc

EVIL = "<img src=x onerror=alert(1)>"
EVIL_JS = "${window.__pwned=1}`</script><script>window.__pwned=2</script>"
EVIL_SOURCE = '<script>window.__pwned=3</script>"'

MODE_LAYERS = ("Rail", "Road", "Sea", "Air")
POINT_LAYERS = ("Ports", "Airports", "Border crossings")

# ---------------------------------------------------------------- a small corridor
NODES: dict[str, dict[str, Any]] = {
    # id: name, kind, country, lon, lat, place
    "altynkol": dict(name="Altynkol", kind="rail_station", country="KZ", x=80.35, y=44.19),
    "kz_cn_border": dict(name="Khorgos border", kind="border", country="KZ", x=80.30, y=44.20),
    "cn_kz_border": dict(name="Khorgos (CN)", kind="border", country="CN", x=80.45, y=44.20),
    "aktau_rail": dict(
        name="Aktau port rail", kind="port", country="KZ", x=51.20, y=43.60, place="aktau"
    ),
    "aktau_quay": dict(
        name="Aktau port quay", kind="port", country="KZ", x=51.21, y=43.59, place="aktau"
    ),
    "alat_quay": dict(name=EVIL, kind="port", country="AZ", x=49.50, y=39.95, place="alat"),
    "alat_rail": dict(
        name="Alat port rail", kind="port", country="AZ", x=49.48, y=39.97, place="alat"
    ),
    "tbilisi": dict(name=EVIL_JS, kind="rail_station", country="GE", x=44.80, y=41.72),
    "ala_airport": dict(name="Almaty airport", kind="airport", country="KZ", x=77.04, y=43.35),
    "gyd_airport": dict(name="Baku airport", kind="airport", country="AZ", x=50.05, y=40.47),
    "kuryk": dict(name="Kuryk", kind="port", country="KZ", x=51.65, y=43.18),
}
EDGES: list[dict[str, Any]] = [
    dict(
        id="rail_altynkol_aktau",
        u="altynkol",
        v="aktau_rail",
        mode="rail",
        distance_km=3000,
        time_h=90,
        cost_usd=2500,
        co2_kg=1500,
        geometry=[(80.35, 44.19), (70.0, 45.5), (60.0, 45.0), (51.20, 43.60)],
    ),
    dict(
        id="road_altynkol_aktau",
        u="altynkol",
        v="aktau_rail",
        mode="road",
        distance_km=3100,
        time_h=60,
        cost_usd=4800,
        co2_kg=3800,
    ),
    dict(
        id="transfer_aktau",
        u="aktau_rail",
        v="aktau_quay",
        mode="transfer",
        distance_km=0,
        time_h=12,
        cost_usd=300,
        co2_kg=5,
    ),
    dict(
        id="sea_aktau_alat",
        u="aktau_quay",
        v="alat_quay",
        mode="sea",
        distance_km=470,
        time_h=30,
        cost_usd=1500,
        co2_kg=150,
        source=EVIL_SOURCE,
        geometry=[(51.21, 43.59), (50.5, 42.0), (49.9, 40.3), (49.50, 39.95)],
    ),
    dict(
        id="transfer_alat",
        u="alat_quay",
        v="alat_rail",
        mode="transfer",
        distance_km=0,
        time_h=10,
        cost_usd=250,
        co2_kg=5,
    ),
    dict(
        id="rail_alat_tbilisi",
        u="alat_rail",
        v="tbilisi",
        mode="rail",
        distance_km=520,
        time_h=20,
        cost_usd=900,
        co2_kg=250,
    ),
    dict(
        id="border_khorgos",
        u="kz_cn_border",
        v="cn_kz_border",
        mode="border",
        distance_km=2,
        time_h=24,
        cost_usd=150,
        co2_kg=1,
    ),
    dict(
        id="air_ala_gyd",
        u="ala_airport",
        v="gyd_airport",
        mode="air",
        distance_km=2300,
        time_h=4,
        cost_usd=9000,
        co2_kg=20000,
    ),
    dict(
        id="rail_kuryk_planned",
        u="aktau_rail",
        v="kuryk",
        mode="rail",
        distance_km=70,
        time_h=3,
        cost_usd=120,
        co2_kg=30,
        status="planned",
        year_open=2027,
    ),
    dict(
        id="road_kuryk_uc",
        u="aktau_rail",
        v="kuryk",
        mode="road",
        distance_km=75,
        time_h=2,
        cost_usd=150,
        co2_kg=60,
        status="under_construction",
        year_open=2026,
    ),
]


def small_graph() -> nx.MultiDiGraph:
    """A hand-built corridor following the graph contract (both directions of each link)."""
    G = nx.MultiDiGraph(
        crs="EPSG:4326",
        name="Test corridor",
        data_version="test-1",
        places={"aktau": {"id": "aktau", "name": "Aktau"}, "alat": {"id": "alat", "name": "Alat"}},
    )
    for n, d in NODES.items():
        G.add_node(
            n,
            names={"en": d["name"]},
            source="test",
            place=d.get("place"),
            **{k: v for k, v in d.items() if k != "place"},
        )
    for e in EDGES:
        attrs = {k: v for k, v in e.items() if k not in ("u", "v", "geometry")}
        attrs.setdefault("status", "open")
        attrs.setdefault("year_open", None)
        attrs.setdefault("source", "test_source")
        attrs.update(capacity=None, capacity_unit=None)
        u, v = e["u"], e["v"]
        coords = e.get("geometry") or [
            (NODES[u]["x"], NODES[u]["y"]),
            (NODES[v]["x"], NODES[v]["y"]),
        ]
        G.add_edge(u, v, key=e["id"], geometry=LineString(coords), **attrs)
        G.add_edge(v, u, key=e["id"], geometry=LineString(coords[::-1]), **attrs)
    return G


def _leg(G: nx.MultiDiGraph, u: str, v: str, key: str) -> SimpleNamespace:
    d = G.edges[u, v, key]
    return SimpleNamespace(
        from_id=u,
        to_id=v,
        from_name=G.nodes[u]["name"],
        to_name=G.nodes[v]["name"],
        mode=d["mode"],
        distance_km=d["distance_km"],
        time_h=d["time_h"],
        cost_usd=d["cost_usd"],
        co2_kg=d["co2_kg"],
        edges=[(u, v, key)],
        geometry=d["geometry"],
    )


def _end(G: nx.MultiDiGraph, n: str) -> dict[str, Any]:
    d = G.nodes[n]
    return {
        "id": n,
        "name": d["name"],
        "country": d["country"],
        "kind": d["kind"],
        "x": d["x"],
        "y": d["y"],
    }


def fake_route(
    G: nx.MultiDiGraph, path: list[tuple[str, str, str]], alternatives: list[Any] = ()
) -> SimpleNamespace:
    """A duck-typed ``Route`` over the edges ``path`` (the real one is in corridor.routing)."""
    legs = [_leg(G, *e) for e in path]
    totals = {
        f: sum(getattr(leg, f) for leg in legs)
        for f in ("distance_km", "time_h", "cost_usd", "co2_kg")
    }
    return SimpleNamespace(
        origin=_end(G, path[0][0]),
        destination=_end(G, path[-1][1]),
        objective="time",
        nodes=[path[0][0], *[e[1] for e in path]],
        edges=list(path),
        legs=legs,
        totals=totals,
        alternatives=list(alternatives),
    )


MAIN_PATH = [
    ("altynkol", "aktau_rail", "rail_altynkol_aktau"),
    ("aktau_rail", "aktau_quay", "transfer_aktau"),
    ("aktau_quay", "alat_quay", "sea_aktau_alat"),
    ("alat_quay", "alat_rail", "transfer_alat"),
    ("alat_rail", "tbilisi", "rail_alat_tbilisi"),
]
ALT_PATH = [("altynkol", "aktau_rail", "road_altynkol_aktau"), *MAIN_PATH[1:]]


def small_route(G: nx.MultiDiGraph) -> SimpleNamespace:
    """The route Altynkol → Tbilisi by rail and sea, with one alternative by road."""
    return fake_route(G, MAIN_PATH, [fake_route(G, ALT_PATH)])


@pytest.fixture
def G() -> nx.MultiDiGraph:
    return small_graph()


def render(m: folium.Map) -> str:
    return m.get_root().render()


def layer_names(m: folium.Map) -> list[str]:
    return [
        c.layer_name
        for c in m._children.values()
        if isinstance(c, folium.FeatureGroup) and c.control
    ]


def fit_bounds(m: folium.Map) -> list[list[float]]:
    fits = [c for c in m._children.values() if type(c).__name__ == "FitBounds"]
    assert len(fits) == 1
    return fits[0].bounds


def control_overlays(page: str) -> list[str]:
    """The overlay names in the rendered layer control, in order."""
    block = page[page.index("overlays :") : page.index("L.control.layers(")]
    names = re.findall(r'^\s*("(?:[^"\\]|\\.)*")\s*:\s*\w+,?\s*$', block, re.M)
    return [json.loads(n) for n in names]


EXTERNAL = re.compile(
    r"<script[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//|<link[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//"
    r"|url\(\s*[\"']?(?:https?:)?//|@import",
    re.I,
)


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
    assert esc(EVIL_SOURCE).replace("&", "\\u0026").replace("<", "\\u003c") in page or (
        "\\u0026lt;script\\u0026gt;window.__pwned=3" in page
    )
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
def _shipped_network() -> nx.MultiDiGraph:
    from corridor.data import data_dir

    if not (data_dir() / "edges.csv").exists():
        pytest.skip("the shipped dataset is not there yet")
    from corridor.network import load_network

    return load_network()


def test_shipped_network_map_size():
    G = _shipped_network()
    page = render(maps.network_map(G, offline=True))
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
