"""Build a :class:`~corridor.routing.results.Route` from its edges: legs, geometry, totals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
from shapely.geometry import LineString

from corridor.routing.objectives import ALWAYS_ALLOWED, FIGURES, EdgeKey
from corridor.routing.results import Leg, Route


def _node_info(G: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    """An end of a route as :attr:`Route.origin` holds it."""
    d = G.nodes[node]
    return {
        "id": node,
        "name": d.get("name", node),
        "country": d.get("country"),
        "kind": d.get("kind"),
        "x": d.get("x"),
        "y": d.get("y"),
        "place": d.get("place"),
    }


def _edge_line(G: nx.MultiDiGraph, u: str, v: str, d: Mapping[str, Any]) -> list[tuple]:
    """The edge's points from ``u`` to ``v`` (its geometry turned round if need be)."""
    pu, pv = G.nodes[u], G.nodes[v]
    geom = d.get("geometry")
    if geom is None or getattr(geom, "is_empty", True):
        return [(pu["x"], pu["y"]), (pv["x"], pv["y"])]
    coords = [tuple(c[:2]) for c in geom.coords]

    def d2(p: tuple, q: Mapping[str, Any]) -> float:
        return (p[0] - q["x"]) ** 2 + (p[1] - q["y"]) ** 2

    if d2(coords[0], pu) + d2(coords[-1], pv) > d2(coords[-1], pu) + d2(coords[0], pv):
        coords.reverse()
    return coords


def route_legs(G: nx.MultiDiGraph, edges: list[EdgeKey]) -> list[Leg]:
    """The legs of a path: consecutive edges of one mode, but each flight, transfer and
    border crossing on its own."""
    groups: list[tuple[str, list[EdgeKey]]] = []
    for u, v, k in edges:
        mode = G[u][v][k].get("mode")
        # each flight is a leg of its own (a change of plane is a stop worth seeing)
        if groups and groups[-1][0] == mode and mode not in (*ALWAYS_ALLOWED, "air"):
            groups[-1][1].append((u, v, k))
        else:
            groups.append((mode, [(u, v, k)]))
    legs = []
    for mode, group in groups:
        sums = dict.fromkeys(FIGURES, 0.0)
        coords: list[tuple] = []
        for u, v, k in group:
            d = G[u][v][k]
            for f in FIGURES:
                sums[f] += float(d.get(f) or 0.0)
            line = _edge_line(G, u, v, d)
            coords.extend(line[1:] if coords and coords[-1] == line[0] else line)
        if len(coords) == 1:
            coords.append(coords[0])
        first, last = group[0][0], group[-1][1]
        legs.append(Leg(
            from_id=first,
            to_id=last,
            from_name=str(G.nodes[first].get("name", first)),
            to_name=str(G.nodes[last].get("name", last)),
            mode=mode,
            edges=list(group),
            geometry=LineString(coords),
            **sums,
        ))
    return legs


def make_route(
    G: nx.MultiDiGraph,
    edges: list[EdgeKey],
    objective: str,
    *,
    weight: float | tuple[float, ...] | None,
    warnings: list[str],
) -> Route:
    """The route along ``edges`` of ``G``, with its legs and totals."""
    legs = route_legs(G, edges)
    totals = {f: sum(getattr(leg, f) for leg in legs) for f in FIGURES}
    nodes = [edges[0][0], *(v for _, v, _ in edges)]
    return Route(
        origin=_node_info(G, nodes[0]),
        destination=_node_info(G, nodes[-1]),
        objective=objective,
        nodes=nodes,
        edges=list(edges),
        legs=legs,
        totals=totals,
        warnings=list(warnings),
        weight=weight,
        graph=G,
    )



__all__ = ["make_route", "route_legs"]
