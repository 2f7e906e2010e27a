"""Synthetic corridor-like graphs, for tests and benchmarks at scale.

:func:`synthetic_corridor` builds a :class:`networkx.MultiDiGraph` that follows the
graph contract of ARCHITECTURE.md and looks like the Middle Corridor: two "shores" (a western
one in ``AZ``, an eastern one in ``KZ``), each a grid of places with a rail station and a
road node joined by transfer edges; rail and road links between neighbouring places
(some rail links planned, some roads doubled by a parallel toll road); ports on the
Caspian side of each shore whose quays are joined by sea links; a few airports; and
border crossings on the outer side of each shore. Every figure is drawn from a seeded
random generator, so a seed always gives the same graph.
"""

from __future__ import annotations

import gc
import math
from typing import Any

import networkx as nx
import numpy as np

from corridor._constants import CRS
from corridor.geo import haversine_km, haversine_km_array

#: Average speed (km/h), price (USD per FEU-km) and CO2 (kg per t-km) by mode.
_MODE_FIGURES: dict[str, tuple[float, float, float]] = {
    "rail": (35.0, 0.9, 0.022),
    "road": (55.0, 1.6, 0.062),
    "sea": (14.0, 2.2, 0.016),
    "air": (700.0, 18.0, 0.60),
}
_CARGO_T = 20.0
#: Directed edges per place of a shore: rail + road grids (4 each) and rail<->road transfers.
_EDGES_PER_CELL = 10
_SHORES = (
    # name, country, lon of the west side, lat of the south side
    ("w", "AZ", 44.8, 38.5),
    ("e", "KZ", 51.5, 41.0),
)


def synthetic_corridor(
    n_edges: int = 10_000,
    *,
    seed: int = 0,
    ports: int = 3,
    airports: int = 3,
    borders: int = 2,
    planned_share: float = 0.02,
    parallel_share: float = 0.05,
    geometry: bool = False,
) -> nx.MultiDiGraph:
    """Build a corridor-like graph of about ``n_edges`` directed edges.

    Parameters
    ----------
    n_edges
        Target number of directed edges (the result is within a few percent of it,
        at least a few hundred); up to a few million.
    seed
        Seed of the random generator: the same seed gives the same graph.
    ports, airports, borders
        Ports (each with a quay joined by sea to every port of the other shore),
        airports (joined by air to every airport of the other shore) and border
        crossings per shore.
    planned_share
        Share of rail links with status ``planned`` or ``under_construction`` (and a
        ``year_open`` from 2026 to 2032); the others are ``open``.
    parallel_share
        Share of road links doubled by a parallel, faster and dearer, toll road (a
        second edge between the same two nodes, with its own key).
    geometry
        Give every edge a straight ``geometry`` LineString (needed by
        :func:`corridor.network.validate_graph`; slow and memory-hungry for large graphs).

    Returns
    -------
    networkx.MultiDiGraph
        With the contract's graph, node and edge attributes; the key of every edge is its
        ``id`` (both directions of a two-way link share it). ``G.graph["synthetic"]``
        holds the parameters.
    """
    if n_edges < 1:
        msg = f"n_edges must be a positive integer, got {n_edges!r}"
        raise ValueError(msg)
    for name, share in (("planned_share", planned_share), ("parallel_share", parallel_share)):
        if not 0.0 <= share <= 1.0:
            msg = f"{name} must lie between 0 and 1, got {share!r}"
            raise ValueError(msg)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small dicts: the cyclic collector only slows the build down
    try:
        return _build(n_edges, seed, ports, airports, borders, planned_share, parallel_share,
                      geometry)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build(n_edges: int, seed: int, ports: int, airports: int, borders: int,
           planned_share: float, parallel_share: float, geometry: bool) -> nx.MultiDiGraph:
    rng = np.random.default_rng(seed)
    cells = max(4, math.ceil(n_edges / (2 * _EDGES_PER_CELL)))
    rows = max(2, round(math.sqrt(cells)))
    cols = max(2, math.ceil(cells / rows))
    ports, airports = min(ports, rows), min(airports, rows * cols)
    borders = min(borders, rows)
    step = 4.0 / max(rows, cols)  # each shore spans about 4 degrees

    G: nx.MultiDiGraph = nx.MultiDiGraph(
        crs=CRS,
        name=f"synthetic corridor ({rows}x{cols} per shore, seed {seed})",
        data_version=f"synthetic-{n_edges}-{seed}",
        year=None,
        cargo_t=_CARGO_T,
        places={},
        sources={"synthetic": {"id": "synthetic", "title": "corridor.synthetic",
                               "publisher": "corridor", "year": "", "url": ""}},
        synthetic={"n_edges": n_edges, "seed": seed, "rows": rows, "cols": cols},
    )
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    counter = [0]

    def link(u: str, v: str, mode: str, km: float, h: float, usd: float, *,
             status: str = "open", year_open: int | None = None, two_way: bool = True) -> None:
        counter[0] += 1
        eid = f"{mode}_{counter[0]}"
        co2 = km * _CARGO_T * _MODE_FIGURES[mode][2] if mode in _MODE_FIGURES else 0.0
        attrs = {"id": eid, "mode": mode, "distance_km": round(km, 2), "time_h": round(h, 2),
                 "cost_usd": round(usd, 2), "co2_kg": round(co2, 2), "status": status,
                 "year_open": year_open, "source": "synthetic"}
        edges.append((u, v, eid, attrs))
        if two_way:
            edges.append((v, u, eid, attrs))

    quays: dict[str, list[str]] = {}
    air_nodes: dict[str, list[str]] = {}
    for shore, country, lon0, lat0 in _SHORES:
        lon = lon0 + step * np.arange(cols)[None, :] + rng.uniform(-0.2, 0.2, (rows, cols)) * step
        lat = lat0 + step * np.arange(rows)[:, None] + rng.uniform(-0.2, 0.2, (rows, cols)) * step
        ids = [[f"{shore}{r}_{c}" for c in range(cols)] for r in range(rows)]
        for r in range(rows):
            for c in range(cols):
                x, y = float(lon[r, c]), float(lat[r, c])
                place = ids[r][c]
                G.graph["places"][place] = {
                    "id": place, "name": f"Place {place}", "names": {"en": f"Place {place}"},
                    "aliases": [], "country": country, "x": x, "y": y, "source": "synthetic",
                }
                _add_node(G, f"{place}_rail", "rail_station", country, x, y, place)
                _add_node(G, f"{place}_road", "city", country, x + 0.01 * step, y, place)
                _transfer(link, rng, f"{place}_rail", f"{place}_road", 2.0, 8.0, 60.0, 180.0)
        for mode in ("rail", "road"):
            speed, usd_km, _ = _MODE_FIGURES[mode]
            for dr, dc in ((0, 1), (1, 0)):
                grid_r, grid_c = np.meshgrid(np.arange(rows - dr), np.arange(cols - dc),
                                             indexing="ij")
                r0, c0 = grid_r.ravel(), grid_c.ravel()
                r1, c1 = r0 + dr, c0 + dc
                n = r0.size
                km = haversine_km_array(lon[r0, c0], lat[r0, c0], lon[r1, c1], lat[r1, c1])
                km *= rng.uniform(1.05, 1.45, n)
                h = km / (speed * rng.uniform(0.7, 1.2, n))
                usd = km * usd_km * rng.uniform(0.85, 1.2, n)
                planned = rng.random(n) < (planned_share if mode == "rail" else 0.0)
                under = rng.random(n) < 0.5
                years = rng.integers(2026, 2033, n)
                doubled = rng.random(n) < (parallel_share if mode == "road" else 0.0)
                for i in range(n):
                    a = ids[int(r0[i])][int(c0[i])]
                    b = ids[int(r1[i])][int(c1[i])]
                    status, year_open = "open", None
                    if planned[i]:
                        status = "under_construction" if under[i] else "planned"
                        year_open = int(years[i])
                    link(f"{a}_{mode}", f"{b}_{mode}", mode, float(km[i]), float(h[i]),
                         float(usd[i]), status=status, year_open=year_open)
                    if doubled[i]:
                        link(f"{a}_road", f"{b}_road", "road", float(km[i]) * 0.95,
                             float(h[i]) * 0.8, float(usd[i]) * 1.4)
        # ports on the Caspian side: the east column of the west shore and vice versa
        side = cols - 1 if shore == "w" else 0
        quays[shore] = []
        for r in _spread(rows, ports):
            place = ids[r][side]
            quay = f"{place}_quay"
            x, y = float(lon[r, side]), float(lat[r, side])
            _add_node(G, quay, "port", country, x + (0.05 if shore == "w" else -0.05), y, place)
            _transfer(link, rng, f"{place}_rail", quay, 12.0, 60.0, 150.0, 400.0)
            _transfer(link, rng, f"{place}_road", quay, 6.0, 30.0, 100.0, 300.0)
            quays[shore].append(quay)
        air_nodes[shore] = []
        flat = rng.choice(rows * cols, size=airports, replace=False)
        for i in sorted(int(k) for k in flat):
            r, c = divmod(i, cols)
            place = ids[r][c]
            airport = f"{place}_airport"
            _add_node(G, airport, "airport", country, float(lon[r, c]), float(lat[r, c]) + 0.02,
                      place)
            _transfer(link, rng, f"{place}_road", airport, 4.0, 12.0, 200.0, 500.0)
            air_nodes[shore].append(airport)
        # border crossings on the outer side (west of the west shore, east of the east one)
        outer = 0 if shore == "w" else cols - 1
        for r in _spread(rows, borders):
            place = ids[r][outer]
            x, y = float(lon[r, outer]), float(lat[r, outer])
            post = f"{place}_border"
            _add_node(G, post, "border", "GE" if shore == "w" else "CN",
                      x + (-0.1 if shore == "w" else 0.1), y, None)
            for mode in ("rail", "road"):
                link(f"{place}_{mode}", post, "border", 0.0,
                     float(rng.uniform(6.0, 36.0)), float(rng.uniform(80.0, 300.0)))
    for a in quays["e"]:
        for b in quays["w"]:
            xa, ya, xb, yb = (G.nodes[a]["x"], G.nodes[a]["y"], G.nodes[b]["x"], G.nodes[b]["y"])
            sea_km = haversine_km(xa, ya, xb, yb) * float(rng.uniform(1.05, 1.2))
            sea_h = sea_km / _MODE_FIGURES["sea"][0] + float(rng.uniform(12.0, 72.0))  # + wait
            link(a, b, "sea", sea_km, sea_h, sea_km * _MODE_FIGURES["sea"][1] + 400.0)
    for a in air_nodes["e"]:
        for b in air_nodes["w"]:
            xa, ya, xb, yb = (G.nodes[a]["x"], G.nodes[a]["y"], G.nodes[b]["x"], G.nodes[b]["y"])
            air_km = haversine_km(xa, ya, xb, yb)
            link(a, b, "air", air_km, air_km / _MODE_FIGURES["air"][0] + 3.0,
                 air_km * _MODE_FIGURES["air"][1] + 800.0)
    if geometry:
        from shapely.geometry import LineString

        nodes = G.nodes
        edges = [
            (u, v, k, {**a, "geometry": LineString(
                [(nodes[u]["x"], nodes[u]["y"]), (nodes[v]["x"], nodes[v]["y"])])})
            for u, v, k, a in edges
        ]
    G.add_edges_from(edges)  # type: ignore[arg-type]  # the stubs miss (u, v, key, attrs)
    return G


def _add_node(G: nx.MultiDiGraph, node: str, kind: str, country: str, x: float, y: float,
              place: str | None) -> None:
    label = node.replace("_", " ")
    G.add_node(node, x=x, y=y, name=label, country=country, kind=kind, names={"en": label},
               place=place, code=None, source="synthetic")


def _transfer(link: Any, rng: np.random.Generator, a: str, b: str, h_low: float, h_high: float,
              usd_low: float, usd_high: float) -> None:
    """Two one-way transfer edges (loading and unloading differ) between ``a`` and ``b``."""
    for u, v in ((a, b), (b, a)):
        link(u, v, "transfer", 0.0, float(rng.uniform(h_low, h_high)),
             float(rng.uniform(usd_low, usd_high)), two_way=False)


def _spread(n: int, k: int) -> list[int]:
    """``k`` indices spread evenly over ``range(n)``."""
    if k <= 0:
        return []
    return sorted({round(i * (n - 1) / max(k - 1, 1)) for i in range(k)} if k > 1 else {n // 2})


__all__ = ["synthetic_corridor"]
