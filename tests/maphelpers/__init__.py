"""A small hand-built corridor and map-inspection helpers shared by the map tests.

``small_graph()`` follows the graph contract (both directions of each link);
``small_route(G)`` is a duck-typed ``Route`` over it, so a map can be drawn without the
router; ``render``, ``layer_names``, ``fit_bounds`` and ``control_overlays`` read a map back.

    from maphelpers import small_graph, render
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import folium
import networkx as nx
from shapely.geometry import LineString

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
