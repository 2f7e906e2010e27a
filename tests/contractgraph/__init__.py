"""Hand-built graphs that follow the graph contract, for tests and the fixtures.

``build_graph(nodes, edges, places)`` builds a contract graph from short tuples;
``CORRIDOR_NODES``, ``CORRIDOR_EDGES`` and ``CORRIDOR_PLACES`` are the small
Almaty–Caspian–Baku–Tbilisi network of the ``corridor_graph`` fixture.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
from shapely.geometry import LineString

NodeRow = tuple[str, str, str, float, float, str | None]  # id, kind, country, lon, lat, place
EdgeRow = tuple  # (id, u, v, mode, distance_km, time_h, cost_usd, co2_kg[, extra attrs dict])


def build_graph(
    nodes: Iterable[NodeRow],
    edges: Iterable[EdgeRow],
    places: dict[str, dict[str, Any]] | None = None,
    *,
    names: dict[str, dict[str, str]] | None = None,
) -> nx.MultiDiGraph:
    """A contract MultiDiGraph; every edge is two-way unless its extra dict says ``oneway``.

    ``places`` maps place id -> dict with ``name`` and optional ``names``/``aliases``/
    ``country``/``x``/``y``; ``names`` maps node id -> names dict.
    """
    G = nx.MultiDiGraph(crs="EPSG:4326", name="test corridor", data_version="test",
                        places={})
    for pid, p in (places or {}).items():
        G.graph["places"][pid] = {
            "id": pid,
            "name": p["name"],
            "names": {"en": p["name"], **p.get("names", {})},
            "aliases": list(p.get("aliases", [])),
            "country": p.get("country", "KZ"),
            "x": p.get("x", 0.0),
            "y": p.get("y", 0.0),
            "source": "test",
        }
    for node_id, kind, country, lon, lat, place in nodes:
        label = node_id.replace("_", " ").title()
        G.add_node(node_id, x=lon, y=lat, name=label, country=country, kind=kind,
                   names={"en": label, **(names or {}).get(node_id, {})}, place=place,
                   code=None, source="test")
    for row in edges:
        eid, u, v, mode, km, h, usd, co2, *rest = row
        extra = dict(rest[0]) if rest else {}
        oneway = extra.pop("oneway", False)
        attrs = {"id": eid, "mode": mode, "distance_km": km, "time_h": h, "cost_usd": usd,
                 "co2_kg": co2, "status": "open", "year_open": None, "source": "test",
                 **extra}
        pu, pv = G.nodes[u], G.nodes[v]
        line = [(pu["x"], pu["y"]), (pv["x"], pv["y"])]
        G.add_edge(u, v, key=eid, geometry=LineString(line), **attrs)
        if not oneway:
            G.add_edge(v, u, key=eid, geometry=LineString(line[::-1]), **attrs)
    return G


CORRIDOR_PLACES: dict[str, dict[str, Any]] = {
    "almaty": {"name": "Almaty", "names": {"kk": "Алматы", "ru": "Алматы"},
               "aliases": ["Alma-Ata"], "country": "KZ", "x": 76.95, "y": 43.25},
    "aktau": {"name": "Aktau", "names": {"kk": "Ақтау", "ru": "Актау"}, "country": "KZ",
              "x": 51.17, "y": 43.65},
    "kuryk": {"name": "Kuryk", "names": {"kk": "Құрық", "ru": "Курык"}, "country": "KZ",
              "x": 51.66, "y": 43.19},
    "baku": {"name": "Baku", "names": {"az": "Bakı", "ru": "Баку"}, "country": "AZ",
             "x": 49.87, "y": 40.41},
    "ganja": {"name": "Ganja", "names": {"az": "Gəncə", "ru": "Гянджа"}, "country": "AZ",
              "x": 46.36, "y": 40.68},
    "tbilisi": {"name": "Tbilisi", "names": {"ru": "Тбилиси"}, "country": "GE",
                "x": 44.8, "y": 41.72},
}

CORRIDOR_NODES: list[NodeRow] = [
    ("almaty_rail", "rail_station", "KZ", 76.94, 43.26, "almaty"),
    ("almaty_airport", "airport", "KZ", 77.04, 43.35, "almaty"),
    ("aktau_rail", "terminal", "KZ", 51.20, 43.65, "aktau"),
    ("aktau_quay", "port", "KZ", 51.17, 43.62, "aktau"),
    ("kuryk_rail", "terminal", "KZ", 51.68, 43.20, "kuryk"),
    ("kuryk_quay", "port", "KZ", 51.65, 43.18, "kuryk"),
    ("baku_quay", "port", "AZ", 49.41, 39.95, "baku"),
    ("baku_rail", "rail_station", "AZ", 49.85, 40.40, "baku"),
    ("baku_airport", "airport", "AZ", 50.05, 40.47, "baku"),
    ("ganja_rail", "rail_station", "AZ", 46.36, 40.68, "ganja"),
    ("boyuk_kesik", "border", "AZ", 45.07, 41.27, None),
    ("gardabani", "border", "GE", 45.08, 41.45, None),
    ("tbilisi_rail", "rail_station", "GE", 44.80, 41.72, "tbilisi"),
]

#  id, u, v, mode, km, h, USD, kg CO2
CORRIDOR_EDGES: list[EdgeRow] = [
    ("rail_almaty_aktau", "almaty_rail", "aktau_rail", "rail", 2500, 60, 1000, 200),
    ("road_almaty_aktau", "almaty_rail", "aktau_rail", "road", 2600, 50, 1500, 700),
    ("aktau_transfer", "aktau_rail", "aktau_quay", "transfer", 0, 10, 100, 0),
    ("sea_aktau_baku", "aktau_quay", "baku_quay", "sea", 450, 30, 1200, 150),
    ("baku_transfer", "baku_quay", "baku_rail", "transfer", 0, 5, 100, 0),
    ("rail_almaty_kuryk", "almaty_rail", "kuryk_rail", "rail", 2650, 70, 900, 260),
    ("kuryk_transfer", "kuryk_rail", "kuryk_quay", "transfer", 0, 8, 80, 0),
    ("sea_kuryk_baku", "kuryk_quay", "baku_quay", "sea", 420, 26, 1100, 120,
     {"year_open": 2018}),
    ("air_almaty_baku", "almaty_airport", "baku_airport", "air", 2500, 5, 5000, 3000),
    ("rail_baku_ganja", "baku_rail", "ganja_rail", "rail", 370, 8, 300, 30),
    ("rail_ganja_boyuk_kesik", "ganja_rail", "boyuk_kesik", "rail", 130, 3, 100, 10),
    ("border_boyuk_kesik", "boyuk_kesik", "gardabani", "border", 0, 12, 150, 0),
    ("rail_gardabani_tbilisi", "gardabani", "tbilisi_rail", "rail", 40, 1, 50, 3),
    ("rail_almaty_kuryk_new", "almaty_rail", "kuryk_rail", "rail", 2300, 40, 700, 150,
     {"status": "planned", "year_open": 2027}),
]
