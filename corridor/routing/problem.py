"""A routing problem set up: the filtered view of the graph, its sources and targets.

- ``modes`` keeps only edges of those modes (``transfer`` and ``border`` edges always stay).
- ``avoid`` hides nodes: a node id, every node of a place, or every node of a country.
- ``year`` uses the network as of that year (see :func:`corridor.network.edge_open_in`).

Origin and destination are node ids or place names (see :mod:`corridor.places`); a place
stands for all its nodes that serve the allowed modes (its door, see :func:`door_nodes`),
and a route starts and ends at the best of them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from corridor._errors import NoRouteError
from corridor._validate import check_names, check_place, check_year
from corridor.network import edge_open_in
from corridor.places import MODES, StandIn, lookup, resolve_end
from corridor.routing.objectives import ALWAYS_ALLOWED, cargo_modes

if TYPE_CHECKING:
    from corridor.routing.results import Route


def keeps_edge(d: Mapping[str, Any], allowed: Collection[str], year: int | None) -> bool:
    """Whether an edge is usable: its mode is allowed (or always is) and it is open in ``year``."""
    mode = d.get("mode")
    return (mode in allowed or mode in ALWAYS_ALLOWED) and edge_open_in(d, year)


def filtered_view(G: nx.MultiDiGraph, allowed: Collection[str], year: int | None,
                  hidden: Collection[str] = ()) -> nx.MultiDiGraph:
    """A read-only view with the usable edges (:func:`keeps_edge`) and without ``hidden`` nodes."""

    def edge_ok(u: str, v: str, k: Any) -> bool:
        return keeps_edge(G[u][v][k], allowed, year)

    if hidden:
        return nx.subgraph_view(G, filter_node=lambda n: n not in hidden, filter_edge=edge_ok)
    return nx.subgraph_view(G, filter_edge=edge_ok)


def avoided_nodes(G: nx.MultiDiGraph, avoid: Iterable[str] | str) -> set[str]:
    """The nodes ``avoid`` hides: node ids, every node of a place or of an ISO-2 country."""
    if isinstance(avoid, str):
        avoid = [avoid]
    countries = {d.get("country") for _, d in G.nodes(data=True)}
    places = G.graph.get("places", {})
    hidden: set[str] = set()
    for item in avoid:
        item = str(item).strip()
        if item in G:
            hidden.add(item)
        elif len(item) == 2 and item.isalpha() and item.upper() in countries:
            code = item.upper()
            hidden.update(n for n, d in G.nodes(data=True) if d.get("country") == code)
        else:
            kind, ident = lookup(G, item)
            if kind == "node":
                hidden.add(ident)
            else:
                hidden.update(n for n, d in G.nodes(data=True) if d.get("place") == ident)
        if item in places:
            hidden.update(n for n, d in G.nodes(data=True) if d.get("place") == item)
    return hidden


def door_nodes(G: nx.MultiDiGraph, nodes: list[str], allowed: frozenset[str]) -> list[str]:
    """A place's endpoints for a shipment: its road node rather than a station or airport.

    Goods reach a train or a plane from a door by road, so where road is allowed and the
    place has a road node, its plain rail stations and airports are not endpoints: a route
    by rail or air pays the transfer (handling) to and from the road. Port sides and dry
    ports (terminals) stay endpoints.
    """
    if "road" not in allowed or not any(G.nodes[n].get("kind") == "road_node" for n in nodes):
        return nodes
    return [n for n in nodes if G.nodes[n].get("kind") not in ("rail_station", "airport")]


@dataclass
class Problem:
    """What a search runs on: the view, the source and target nodes, the priced graph."""

    view: nx.MultiDiGraph
    sources: list[str]
    targets: list[str]
    warnings: list[str]
    modes: frozenset[str] = frozenset(MODES)
    stand_ins: dict[str, StandIn | None] = field(default_factory=dict)
    graph: nx.MultiDiGraph | None = None
    query: dict[str, Any] = field(default_factory=dict)

    def mark_ends(self, r: Route) -> Route:
        """Record on the route's ends which nearby terminal stood in for the place asked."""
        for label, end in (("origin", r.origin), ("destination", r.destination)):
            stand_in = self.stand_ins.get(label)
            end["stand_in"] = stand_in.to_dict() if stand_in else None
        return r

    def echo(self, r: Route) -> dict[str, Any]:
        """The query with the nodes route ``r`` used."""
        q = dict(self.query)
        q["origin"] = {**q["origin"], "node": r.origin["id"], "name": r.origin["name"]}
        q["destination"] = {**q["destination"], "node": r.destination["id"],
                            "name": r.destination["name"]}
        return q


def prepare(
    G: nx.MultiDiGraph,
    origin: str,
    destination: str,
    *,
    modes: Iterable[str] | str | None,
    avoid: Iterable[str] | str,
    year: int | None,
    cargo: str | None = None,
    tonnes: float | None = None,
) -> Problem:
    """Check the arguments, price the graph for the cargo and resolve both ends."""
    year = check_year(year)
    origin = check_place(origin, "origin")
    destination = check_place(destination, "destination")
    avoid = check_names(avoid, "avoid")
    allowed, G, echo = cargo_modes(G, modes, cargo, tonnes)
    base = filtered_view(G, allowed, year)
    start = resolve_end(base, origin, modes=allowed)
    end = resolve_end(base, destination, modes=allowed)
    src, oplace, dst, dplace = start.nodes, start.place, end.nodes, end.place
    src = door_nodes(base, src, allowed) if oplace else src
    dst = door_nodes(base, dst, allowed) if dplace else dst
    src_places = {oplace} if oplace else {base.nodes[n].get("place") for n in src}
    dst_places = {dplace} if dplace else {base.nodes[n].get("place") for n in dst}
    if (src_places & dst_places) - {None} or set(src) & set(dst):
        msg = (
            f"origin {origin!r} and destination {destination!r} are the same place; "
            "give two different places"
        )
        raise ValueError(msg)
    hidden = avoided_nodes(G, avoid) if avoid else set()
    for label, query, nodes in (("origin", origin, src), ("destination", destination, dst)):
        if not [n for n in nodes if n not in hidden]:
            msg = f"the {label} {query!r} is among the avoided places; it cannot be avoided"
            raise ValueError(msg)
    src = [n for n in src if n not in hidden]
    dst = [n for n in dst if n not in hidden]
    avoided = [avoid] if isinstance(avoid, str) else [str(a) for a in avoid]
    echo.update(year=year, avoid=avoided, scenario=G.graph.get("scenario"),
                origin={"asked": origin}, destination={"asked": destination})
    return Problem(filtered_view(G, allowed, year, hidden), src, dst,
                   [*start.warnings, *end.warnings], allowed,
                   {"origin": start.stand_in, "destination": end.stand_in}, G, echo)


def no_route(origin: str, destination: str, modes: Any, avoid: Any, year: Any) -> NoRouteError:
    """The error for no route, naming the restrictions to relax."""
    parts = []
    if modes is not None:
        parts.append("modes " + (modes if isinstance(modes, str) else ",".join(modes)))
    if avoid:
        parts.append("avoiding " + (avoid if isinstance(avoid, str) else ", ".join(avoid)))
    if year is not None:
        parts.append(f"as of {year}")
    why = f" ({'; '.join(parts)})" if parts else ""
    msg = f"no route from {origin!r} to {destination!r}{why}; relax the restrictions"
    return NoRouteError(msg)


__all__ = ["Problem", "avoided_nodes", "door_nodes", "filtered_view", "keeps_edge", "no_route",
           "prepare"]
