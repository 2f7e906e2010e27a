"""The nodes that stand for a place when travelling by some modes (stage 3 of the pipeline).

A place (a row of ``places.csv``) groups several nodes: a city's rail station, airport,
and the rail side, road side and quay of its port. :func:`place_terminals` picks the ones
that suit the modes of transport allowed, or a node nearby that stands in when the place
has none (:class:`StandIn`), and says why when its own terminals are not open yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from corridor._constants import TRANSPORT_MODES as MODES
from corridor._errors import NoRouteError
from corridor._validate import graph_root
from corridor.geo import haversine_km
from corridor.place_index import place_index

STAND_IN_KM = 100.0
"""How far (km) a node of the same country may be to stand in for a place without one."""

# Node kinds that serve each mode, best first.
_KINDS_FOR_MODE: dict[str, tuple[str, ...]] = {
    "rail": ("rail_station", "terminal", "port", "border"),
    "sea": ("port", "terminal"),
    "air": ("airport",),
    "road": ("city", "road_node", "terminal", "port", "border"),
}
_LANDSIDE = ("terminal", "rail_station", "road_node", "city")
_KIND_ORDER = ("city", "rail_station", "port", "terminal", "road_node", "airport", "border")


def _allowed(modes: Iterable[str] | None) -> frozenset[str]:
    if modes is None:
        return frozenset(MODES)
    return frozenset(modes)


def _serves(G: nx.MultiDiGraph, node: str, allowed: frozenset[str]) -> bool:
    """Whether a node has an edge (in or out) of one of the ``allowed`` modes."""
    for _, _, d in G.out_edges(node, data=True):
        if d.get("mode") in allowed:
            return True
    return any(d.get("mode") in allowed for _, _, d in G.in_edges(node, data=True))


def _kind_rank(kind: str | None, allowed: frozenset[str]) -> tuple[int, int]:
    ranks = [
        _KINDS_FOR_MODE[m].index(kind)
        for m in MODES
        if m in allowed and kind in _KINDS_FOR_MODE[m]
    ]
    general = _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)
    return (min(ranks) if ranks else 99, general)


@dataclass(frozen=True)
class StandIn:
    """A terminal near a place that has none of the allowed modes, used in its stead."""

    place: str
    place_name: str
    node: str
    name: str
    country: str | None
    distance_km: float
    reason: str

    @property
    def warning(self) -> str:
        return (f"{self.reason}; using {self.name} ({self.node}), "
                f"{self.distance_km:.0f} km away")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``place``, ``place_name``, ``node``, ``name``, ``country``,
        ``distance_km``, ``reason``."""
        return {"place": self.place, "place_name": self.place_name, "node": self.node,
                "name": self.name, "country": self.country,
                "distance_km": self.distance_km, "reason": self.reason}


def _closed_reason(
    G: nx.MultiDiGraph, name: str, own: list[str], allowed: frozenset[str]
) -> str | None:
    """Why the place's own terminals serve none of ``allowed`` in ``G`` (a view for a year),
    when the full graph has links of those modes at them that the view leaves out."""
    root = graph_root(G)
    if root is G:
        return None
    closed = [
        d for n in own for _, _, d in (*root.out_edges(n, data=True), *root.in_edges(n, data=True))
        if d.get("mode") in allowed
    ]
    if not closed:
        return None
    by = "/".join(sorted({str(d["mode"]) for d in closed}))
    years = sorted(int(d["year_open"]) for d in closed if d.get("year_open") == d.get("year_open")
                   and d.get("year_open") is not None)
    if years and all(d.get("status") == "open" for d in closed):
        return f"{name} has no {by} service before {years[0]}"
    if years:
        status = str(closed[0].get("status") or "not open").replace("_", " ")
        return (f"{name} has no open {by} service: its line is {status}, opening in "
                f"{years[0]} (ask for year {years[0]} or later)")
    return f"{name} has no open {by} service"


def place_terminals(
    G: nx.MultiDiGraph,
    place: str,
    *,
    modes: Iterable[str] | None = None,
    max_km: float = STAND_IN_KM,
) -> tuple[list[str], StandIn | None]:
    """The nodes that stand for a place when travelling by ``modes``, best first.

    Parameters
    ----------
    G
        The graph (or a filtered view of it: only its edges count).
    place
        A place id (a key of ``G.graph["places"]``).
    modes
        Allowed modes (rail, road, sea, air); None allows all.
    max_km
        When none of the place's own nodes has an edge of an allowed mode, the nearest
        node of the same country that has one within this distance stands in.

    Returns
    -------
    nodes, stand_in
        ``nodes`` serve the place (a rail station for rail, the port quay for sea, the
        airport for air); ``stand_in`` describes the nearby node used instead, or None.

    Raises
    ------
    NoRouteError
        No node of the place's country serves it by the allowed modes within ``max_km``;
        when the place's own terminals exist but are not open (in the year of the view),
        the message says so and names the year they open (the same reason is the
        stand-in's when one is found).
    """
    allowed = _allowed(modes)
    info = G.graph.get("places", {}).get(place, {})
    own = [n for n in place_index(G).members.get(place, ()) if n in G]
    good = [n for n in own if _serves(G, n, allowed)]
    if any(G.nodes[n].get("kind") in _LANDSIDE for n in good):
        # cargo enters and leaves a port through its rail or road side, never at the quay
        good = [n for n in good if G.nodes[n].get("kind") != "port"]
    if good:
        good.sort(key=lambda n: (_kind_rank(G.nodes[n].get("kind"), allowed), n))
        return good, None
    name = info.get("name", place)
    closed = _closed_reason(G, name, own, allowed)
    if "x" in info and "y" in info:
        x, y = float(info["x"]), float(info["y"])
    elif own:
        x = sum(G.nodes[n]["x"] for n in own) / len(own)
        y = sum(G.nodes[n]["y"] for n in own) / len(own)
    else:
        msg = f"place {name!r} has no location and no nodes"
        raise NoRouteError(msg)
    countries = {G.nodes[n].get("country") for n in own}
    country = info.get("country") or (countries.pop() if len(countries) == 1 else None)
    near = sorted(
        (haversine_km(x, y, d["x"], d["y"]), n)
        for n, d in G.nodes(data=True)
        if n not in own and _serves(G, n, allowed)
    )
    by = "/".join(m for m in MODES if m in allowed)
    same = [(km, n) for km, n in near if country and G.nodes[n].get("country") == country]
    if (not same or same[0][0] > max_km) and closed:
        raise NoRouteError(closed)
    if not same or same[0][0] > max_km:
        msg = f"no {by} terminal at {name} or within {max_km:.0f} km of it in {country or '?'}"
        if near and near[0][0] <= max_km:
            km, n = near[0]
            msg += (f" (the nearest, {G.nodes[n].get('name', n)}, {km:.0f} km away, is in "
                    f"{G.nodes[n].get('country')}; a stand-in must be in the same country)")
        raise NoRouteError(msg)
    km, node = same[0]
    stand_in = StandIn(place=place, place_name=str(name), node=node, name=str(G.nodes[node].get("name", node)),
                       country=country, distance_km=km,
                       reason=closed or f"{name} has no {by} terminal")
    return [node], stand_in


def place_nodes(
    G: nx.MultiDiGraph,
    place: str,
    *,
    modes: Iterable[str] | None = None,
    max_km: float = STAND_IN_KM,
) -> tuple[list[str], list[str]]:
    """:func:`place_terminals` with the stand-in as a warning (a list of 0 or 1 strings)."""
    nodes, stand_in = place_terminals(G, place, modes=modes, max_km=max_km)
    return nodes, [stand_in.warning] if stand_in else []


__all__ = ["STAND_IN_KM", "StandIn", "place_nodes", "place_terminals"]
