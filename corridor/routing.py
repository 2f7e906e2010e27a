"""Routes across the corridor graph: itineraries, alternatives and the Pareto front.

Every cost lives on an edge (DESIGN.md, "The graph"), so a route is a shortest path on
a filtered *view* of the graph and its totals are the plain sum of its edges:

- ``by`` picks the edge attribute to minimise (``time`` → ``time_h``, ``cost`` →
  ``cost_usd``, ``distance`` → ``distance_km``, ``co2`` → ``co2_kg``) or is a function
  ``(u, v, data) -> float | None`` of one edge (None hides the edge, as in networkx);
  between two nodes the cheapest of the parallel edges is used.
- ``modes`` keeps only edges of those modes (``transfer`` and ``border`` edges always stay).
- ``avoid`` hides nodes: a node id, every node of a place, or every node of a country.
- ``year`` uses the network as of that year (see :func:`corridor.network.edge_open_in`).

Origin and destination are node ids or place names (see :mod:`corridor.places`); a place
stands for all its nodes that serve the allowed modes, and the route starts and ends at
the best of them.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
from shapely.geometry import LineString

from corridor._errors import NoRouteError
from corridor._validate import (
    check_graph,
    check_modes,
    check_names,
    check_objective_type,
    check_place,
    check_whole,
    check_year,
)
from corridor.costs import cargo_graph, cargo_profile
from corridor.network import edge_open_in
from corridor.places import MODES, StandIn, lookup, resolve_end

if TYPE_CHECKING:
    import geopandas as gpd

OBJECTIVES: dict[str, str] = {
    "time": "time_h",
    "cost": "cost_usd",
    "distance": "distance_km",
    "co2": "co2_kg",
}
FIGURES = ("distance_km", "time_h", "cost_usd", "co2_kg")
ALWAYS_ALLOWED = ("transfer", "border")
MAX_ALTERNATIVES = 10

EdgeKey = tuple[str, str, Any]
WeightFunc = Callable[[str, str, Mapping[str, Any]], float | None]


# ----------------------------------------------------------------------- results
@dataclass
class Leg:
    """A stretch of a route on one mode (or one transfer, or one border crossing).

    Figures are the plain sums of the leg's edges, at full precision.
    """

    from_id: str
    to_id: str
    from_name: str
    to_name: str
    mode: str
    distance_km: float
    time_h: float
    cost_usd: float
    co2_kg: float
    edges: list[EdgeKey]
    geometry: LineString

    def to_dict(self) -> dict[str, Any]:
        """The leg as in the JSON contract (plus ``from_id``, ``to_id`` and edge ids)."""
        return {
            "from": self.from_name,
            "to": self.to_name,
            "mode": self.mode,
            "distance_km": self.distance_km,
            "time_h": self.time_h,
            "cost_usd": self.cost_usd,
            "co2_kg": self.co2_kg,
            "from_id": self.from_id,
            "to_id": self.to_id,
            "edges": [k for _, _, k in self.edges],
        }

    def __repr__(self) -> str:
        return (
            f"Leg({self.from_name} → {self.to_name}, {self.mode}, {self.distance_km:.1f} km, "
            f"{self.time_h:.1f} h, {self.cost_usd:.0f} USD, {self.co2_kg:.1f} kg CO2)"
        )


@dataclass
class Route:
    """An itinerary: its nodes, edges, legs and totals, and alternatives to it.

    Attributes
    ----------
    origin, destination
        The end nodes: ``id``, ``name``, ``country``, ``kind``, ``x``, ``y``, ``place``.
    objective
        What was minimised (``time``, ``cost``, ``distance``, ``co2``, a function's name,
        or the criteria of a Pareto search joined by commas).
    nodes, edges
        Node ids and ``(u, v, key)`` edges in order.
    legs
        :class:`Leg` list; consecutive edges of one mode form one leg (but each flight is a leg).
    totals
        ``distance_km``, ``time_h``, ``cost_usd``, ``co2_kg``: sums over the legs.
    alternatives
        Further routes that differ meaningfully (see :func:`route`).
    alternatives_found
        How many such routes exist (``alternatives`` lists the first of them); None when
        no alternatives were asked for.
    warnings
        Things a user should know (a nearby terminal stands in for a place, …).
    query
        What was asked: cargo, tonnes, modes, year, avoid, scenario, and for the origin
        and destination the place asked and the node used.
    weight
        The minimised value (a tuple for a Pareto route).
    graph
        The graph the route was found on (drawn dimmed under the route in Jupyter).
    """

    origin: dict[str, Any]
    destination: dict[str, Any]
    objective: str
    nodes: list[str]
    edges: list[EdgeKey]
    legs: list[Leg]
    totals: dict[str, float]
    alternatives: list[Route] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    alternatives_found: int | None = None
    weight: float | tuple[float, ...] | None = None
    graph: nx.MultiDiGraph | None = field(default=None, repr=False, compare=False)
    query: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The route as the JSON object of DESIGN.md ("Command line"), figures unrounded."""
        return {
            "origin": dict(self.origin),
            "destination": dict(self.destination),
            "objective": self.objective,
            "totals": dict(self.totals),
            "legs": [leg.to_dict() for leg in self.legs],
            "alternatives": [
                {"totals": dict(alt.totals), "legs": [leg.to_dict() for leg in alt.legs]}
                for alt in self.alternatives
            ],
            "alternatives_found": self.alternatives_found,
            "warnings": list(self.warnings),
            "query": {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.query.items()},
        }

    def query_line(self) -> str:
        """What was asked, in one line: cargo, modes, year, avoid, scenario, nodes used."""
        q = self.query
        if not q:
            return ""
        parts = [f"cargo {q['cargo']} ({q['tonnes']:g} t)", "modes " + ",".join(q["modes"])]
        if q.get("year") is not None:
            parts.append(f"year {q['year']}")
        if q.get("avoid"):
            parts.append("avoid " + ", ".join(q["avoid"]))
        if q.get("scenario"):
            parts.append(f"scenario {q['scenario']}")
        ends = [f"{e['asked']} = {e['node']}" for e in (q["origin"], q["destination"])]
        return "query: " + "; ".join(parts) + " | " + ", ".join(ends)

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """One row per leg with its figures and geometry, CRS EPSG:4326."""
        import geopandas as gpd

        rows = []
        for i, leg in enumerate(self.legs):
            row = {k: v for k, v in leg.to_dict().items() if k != "edges"}
            row["leg"] = i
            row["edges"] = ";".join(str(k) for _, _, k in leg.edges)
            rows.append(row)
        columns = ["leg", "from", "to", "from_id", "to_id", "mode", *FIGURES, "edges"]
        return gpd.GeoDataFrame(
            rows,
            columns=columns,
            geometry=[leg.geometry for leg in self.legs],
            crs="EPSG:4326",
        )

    def _repr_html_(self) -> str:
        """The itinerary table and a map of the route (shown by Jupyter)."""
        # Jupyter display is a presentation concern: the one allowed lazy import of
        # corridor.maps, so that routing itself never loads folium
        from corridor.maps import route_html

        return route_html(self, self.graph)

    def __repr__(self) -> str:
        t = self.totals
        extra = f", {len(self.alternatives)} alternatives" if self.alternatives else ""
        return (
            f"Route({self.origin.get('name')} → {self.destination.get('name')} by "
            f"{self.objective}: {len(self.legs)} leg{'s' if len(self.legs) != 1 else ''}, "
            f"{t['distance_km']:.1f} km, "
            f"{t['time_h']:.1f} h, {t['cost_usd']:.0f} USD, {t['co2_kg']:.1f} kg CO2{extra})"
        )


# ----------------------------------------------------------------------- filters
def _number(value: Any, what: str) -> float | None:
    if value is None:
        return None
    value = float(value)
    if math.isnan(value):
        return None
    if value < 0:
        msg = f"negative {what} {value} on an edge; routing needs weights >= 0"
        raise ValueError(msg)
    return value


_QUANTILE_TIME = re.compile(r"p(\d{1,2})_time")


def _reliability_objective(G: nx.MultiDiGraph, by: str | WeightFunc) -> str | WeightFunc:
    """Turn ``"p90_time"`` (any ``pNN_time``) into the analysis module's quantile weight."""
    if isinstance(by, str) and (m := _QUANTILE_TIME.fullmatch(by)) and int(m.group(1)) > 0:
        from corridor.analysis.reliability import reliability_weight

        return reliability_weight(G, int(m.group(1)) / 100)
    return by


def _edge_weight(by: str | WeightFunc) -> tuple[str, WeightFunc]:
    """(name, function of one edge) for an objective name or a callable."""
    if callable(by):
        name = getattr(by, "__name__", "custom")
        name = "custom" if name == "<lambda>" else name

        def custom(u: str, v: str, d: Mapping[str, Any]) -> float | None:
            return _number(by(u, v, d), f"weight from {name}")

        return name, custom
    if isinstance(by, str) and by.lower() in OBJECTIVES:
        by = by.lower()
        attr = OBJECTIVES[by]

        def figure(u: str, v: str, d: Mapping[str, Any]) -> float | None:
            return _number(d.get(attr), attr)

        return by, figure
    msg = (
        f"unknown objective {by!r}; choose one of {', '.join(OBJECTIVES)}, "
        "p90_time (or another pNN_time: time at that percentile of each edge) "
        "or give a function (u, v, data) -> float | None"
    )
    raise ValueError(msg)


def check_objective(by: str | WeightFunc, arg: str = "by") -> str:
    """Validate ``by`` early (before loading anything); return its name."""
    check_objective_type(by, arg)
    if isinstance(by, str) and (m := _QUANTILE_TIME.fullmatch(by)) and int(m.group(1)) > 0:
        return by
    return _edge_weight(by)[0]


def _avoided(G: nx.MultiDiGraph, avoid: Iterable[str] | str) -> set[str]:
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


def _view(
    G: nx.MultiDiGraph, allowed: frozenset[str], year: int | None, hidden: set[str]
) -> nx.MultiDiGraph:
    """A read-only view with the usable edges and without the hidden nodes."""
    modes = allowed | set(ALWAYS_ALLOWED)

    def edge_ok(u: str, v: str, k: Any) -> bool:
        d = G[u][v][k]
        return d.get("mode") in modes and edge_open_in(d, year)

    if hidden:
        return nx.subgraph_view(G, filter_node=lambda n: n not in hidden, filter_edge=edge_ok)
    return nx.subgraph_view(G, filter_edge=edge_ok)


@dataclass
class _Problem:
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


def cargo_modes(G: nx.MultiDiGraph, modes: Iterable[str] | str | None, cargo: str | None,
                 tonnes: float | None) -> tuple[frozenset[str], nx.MultiDiGraph, dict[str, Any]]:
    """The modes a shipment may use, the graph priced for it, and its query echo.

    With no ``modes`` the profile's own apply; modes the profile cannot use (a container
    by air) raise ValueError naming the cargo that can.
    """
    profile = cargo_profile(G, cargo)
    if modes is None:
        allowed = profile.modes
    else:
        allowed = check_modes(modes)
        if allowed - profile.modes:
            refused = ", ".join(sorted(allowed - profile.modes))
            msg = (f"cargo {profile.id!r} ({profile.name}) cannot go by {refused}; it moves by "
                   f"{', '.join(sorted(profile.modes))} (for air cargo choose cargo 'air', --cargo air)")
            raise ValueError(msg)
        allowed = allowed & profile.modes
    priced = cargo_graph(G, profile.id, tonnes)
    mass = float(priced.graph.get("cargo_t") or profile.mass_t)
    echo = {"cargo": profile.id, "tonnes": mass, "modes": sorted(allowed)}
    return allowed, priced, echo


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


def _prepare(
    G: nx.MultiDiGraph,
    origin: str,
    destination: str,
    *,
    modes: Iterable[str] | str | None,
    avoid: Iterable[str] | str,
    year: int | None,
    cargo: str | None = None,
    tonnes: float | None = None,
) -> _Problem:
    year = check_year(year)
    origin = check_place(origin, "origin")
    destination = check_place(destination, "destination")
    avoid = check_names(avoid, "avoid")
    allowed, G, echo = cargo_modes(G, modes, cargo, tonnes)
    base = _view(G, allowed, year, set())
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
    hidden = _avoided(G, avoid) if avoid else set()
    for label, query, nodes in (("origin", origin, src), ("destination", destination, dst)):
        if not [n for n in nodes if n not in hidden]:
            msg = f"the {label} {query!r} is among the avoided places; it cannot be avoided"
            raise ValueError(msg)
    src = [n for n in src if n not in hidden]
    dst = [n for n in dst if n not in hidden]
    avoided = [avoid] if isinstance(avoid, str) else [str(a) for a in avoid]
    echo.update(year=year, avoid=avoided, scenario=G.graph.get("scenario"),
                origin={"asked": origin}, destination={"asked": destination})
    return _Problem(_view(G, allowed, year, hidden), src, dst,
                    [*start.warnings, *end.warnings], allowed,
                    {"origin": start.stand_in, "destination": end.stand_in}, G, echo)


def _echo(problem: _Problem, r: Route) -> dict[str, Any]:
    """The query of ``problem`` with the nodes route ``r`` used."""
    q = dict(problem.query)
    q["origin"] = {**q["origin"], "node": r.origin["id"], "name": r.origin["name"]}
    q["destination"] = {**q["destination"], "node": r.destination["id"],
                        "name": r.destination["name"]}
    return q


# ----------------------------------------------------------------------- shortest paths
KeyedWeight = Callable[[str, str, Any, Mapping[str, Any]], float | None]


def _keyed(fn: WeightFunc) -> KeyedWeight:
    return lambda u, v, _k, d: fn(u, v, d)


def _multi_weight(kfn: KeyedWeight) -> Callable[[str, str, Mapping[Any, Any]], float | None]:
    """networkx weight for a multigraph: the least weight among the parallel edges."""

    def weight(u: str, v: str, keydict: Mapping[Any, Any]) -> float | None:
        best = None
        for k, d in keydict.items():
            w = kfn(u, v, k, d)
            if w is not None and (best is None or w < best):
                best = w
        return best

    return weight


def _pick_keys(view: nx.MultiDiGraph, nodes: list[str], kfn: KeyedWeight) -> list[EdgeKey]:
    """The ``(u, v, key)`` of least weight for each hop of a node path."""
    edges = []
    for u, v in itertools.pairwise(nodes):
        best = None
        for k, d in view[u][v].items():
            w = kfn(u, v, k, d)
            if w is not None and (best is None or (w, str(k)) < best[:2]):
                best = (w, str(k), k)
        if best is None:  # pragma: no cover - the path came from the same weights
            msg = f"no usable edge {u!r} -> {v!r}"
            raise NoRouteError(msg)
        edges.append((u, v, best[2]))
    return edges


def _shortest(problem: _Problem, kfn: KeyedWeight) -> tuple[float, list[EdgeKey]]:
    """Least weight and edges from any source to the best target (NoRouteError if none)."""
    dist, paths = nx.multi_source_dijkstra(problem.view, list(dict.fromkeys(problem.sources)),
                                           weight=_multi_weight(kfn))
    reached = [t for t in problem.targets if t in dist]
    if not reached:
        raise NoRouteError("no path")
    rank = {t: i for i, t in enumerate(problem.targets)}
    best = min(reached, key=lambda t: (dist[t], len(paths[t]), rank[t]))
    return dist[best], _pick_keys(problem.view, paths[best], kfn)


def _node_info(G: nx.MultiDiGraph, node: str) -> dict[str, Any]:
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


def _legs(G: nx.MultiDiGraph, edges: list[EdgeKey]) -> list[Leg]:
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


def _make_route(
    G: nx.MultiDiGraph,
    edges: list[EdgeKey],
    objective: str,
    *,
    weight: float | tuple[float, ...] | None,
    warnings: list[str],
) -> Route:
    legs = _legs(G, edges)
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


def _no_route(origin: str, destination: str, modes: Any, avoid: Any, year: Any) -> NoRouteError:
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


# ----------------------------------------------------------------------- route
def route(
    G: nx.MultiDiGraph,
    origin: str,
    destination: str,
    *,
    by: str | WeightFunc = "time",
    modes: Iterable[str] | str | None = None,
    avoid: Iterable[str] | str = (),
    alternatives: int = 0,
    year: int | None = None,
    cargo: str | None = None,
    tonnes: float | None = None,
) -> Route:
    """The best route between two places, and optionally meaningful alternatives.

    Parameters
    ----------
    G
        The corridor graph (:func:`corridor.load_network`).
    origin, destination
        Node ids or place names in English, Azerbaijani, Kazakh or Russian. A place
        stands for its nodes that serve the allowed modes; the route uses the best one.
    by
        ``"time"``, ``"cost"``, ``"distance"``, ``"co2"``, ``"p90_time"`` (the 90th
        percentile of each edge's time, a cautious choice where waits vary; any
        ``"pNN_time"`` works, see :func:`corridor.reliability_weight`), or a function
        ``(u, v, data) -> float | None`` of one edge's attributes (None hides the edge).
    modes
        Modes allowed (subset of rail, road, sea, air, or a comma-separated string);
        transfer and border edges are always allowed. None allows every mode.
    avoid
        Node ids, place names or ISO-2 country codes whose nodes the route must not use.
    alternatives
        How many further routes to list (0 to ``MAX_ALTERNATIVES``, 10; see Notes); fewer
        may exist.
    year
        Use the network as of this year: edges whose ``year_open`` is at most ``year``
        (open edges with a blank ``year_open`` too). None: open edges only.
    cargo, tonnes
        What moves (a profile of ``cargo_profiles.csv``): ``"feu"`` (the default, a loaded
        40-ft container by rail, road and sea), ``"teu"``, or ``"air"`` (air cargo by
        weight, ``tonnes`` of it, with road legs to and from the airports). The profile
        sets the modes when ``modes`` is None; modes it cannot use raise ValueError.

    Returns
    -------
    Route
        With ``legs``, ``totals``, ``alternatives``, ``warnings`` and ``query``.

    Raises
    ------
    ValueError
        Unknown ``by`` or mode, origin equal to destination, origin or destination avoided,
        ``alternatives`` not a whole number from 0 to ``MAX_ALTERNATIVES``.
    TypeError
        An argument of the wrong type (``modes=123``, ``year="2030"``, ``year=True``); the
        message names it. It is a ``ValueError`` too.
    corridor.DataError
        ``G`` is not a MultiDiGraph, or a node lacks ``x``/``y`` or an edge its ``mode`` or
        ``status``, or holds a figure that is not a number >= 0.
    PlaceNotFoundError, AmbiguousPlaceError
        A name that matches nothing (with suggestions) or several places.
    NoRouteError
        Nothing joins the two under the restrictions (a ``networkx.NetworkXNoPath``).

    Notes
    -----
    An alternative is what a planner would list beside the best route: it differs from
    the best route and from every other alternative by its **signature**, that is its
    sea crossings (quay to quay), its border crossings (in order) or its main mode (the
    mode carrying most of its distance; a road hop to a station does not count), and it
    is the best route found with that signature. Signatures are enumerated exactly: a
    small graph joins origin, crossings and destination (a stretch between two crossings
    is its best path that crosses nothing), and a best-first search on it lists each
    sequence of crossings once with its best route, for each family of weights: the
    objective itself, each land mode preferred (the others ``PREFER_FACTOR`` times
    dearer, so they serve as hops only) and, when air is allowed, no air. A route that
    visits a node twice, or leaves a country and comes back into it, is skipped (unless
    the best route itself does so); so is one that the best route or a cheaper listed
    alternative matches or beats on the objective, time, cost and CO2 at once. Every
    sequence is examined (at most ``MAX_SEQUENCES`` per family), whatever ``k``;
    ``Route.alternatives_found`` says how many alternatives exist and the first
    ``alternatives`` of them are listed.
    Accepted alternatives are sorted by the objective.

    Examples
    --------
    >>> G = corridor.load_network()                                   # doctest: +SKIP
    >>> r = route(G, "Altynkol", "Alat", by="cost", alternatives=2)   # doctest: +SKIP
    >>> r.totals["cost_usd"], [leg.mode for leg in r.legs]            # doctest: +SKIP
    """
    check_graph(G)
    check_objective(by)
    name, fn = _edge_weight(_reliability_objective(G, by))
    check_whole(alternatives, "alternatives", minimum=0)
    if alternatives > MAX_ALTERNATIVES:
        msg = (f"alternatives must be at most {MAX_ALTERNATIVES}, got {alternatives}; "
               "ask for fewer (more are seldom distinct)")
        raise ValueError(msg)
    problem = _prepare(G, origin, destination, modes=modes, avoid=avoid, year=year,
                       cargo=cargo, tonnes=tonnes)
    priced = problem.graph if problem.graph is not None else G
    try:
        weight, edges = _shortest(problem, _keyed(fn))
    except nx.NetworkXNoPath:
        raise _no_route(origin, destination, modes, avoid, year) from None
    best = problem.mark_ends(_make_route(priced, edges, name, weight=weight,
                                         warnings=problem.warnings))
    best.query = _echo(problem, best)
    if alternatives:
        alts, best.alternatives_found = _alternatives(priced, problem, fn, name, best,
                                                      alternatives)
        best.alternatives = [problem.mark_ends(alt) for alt in alts]
    return best


def _signature(G: nx.MultiDiGraph, edges: list[EdgeKey]) -> tuple[Any, ...]:
    """What makes a route a different option: its sea crossings (quay to quay), its
    border crossings, in order, and its main mode (the mode that carries most distance
    over land or air; a road hop does not change it)."""
    seas, borders = [], []
    km: dict[str, float] = {}
    for u, v, k in edges:
        d = G[u][v][k]
        mode = d.get("mode")
        if mode == "sea":
            seas.append((u, v))
        elif mode == "border":
            borders.append((u, v))
        elif mode in MODES:
            km[mode] = km.get(mode, 0.0) + float(d.get("distance_km") or 0.0)
    main = max(sorted(km), key=lambda m: km[m]) if km else "sea" if seas else None
    return tuple(seas), tuple(borders), main


def _reenters(G: nx.MultiDiGraph, nodes: list[str]) -> bool:
    """Whether a path leaves a country and later comes back into it."""
    left: set[Any] = set()
    current = None
    for n in nodes:
        country = G.nodes[n].get("country")
        if country != current:
            if country in left:
                return True
            if current is not None:
                left.add(current)
            current = country
    return False


def _figures(r: Route) -> tuple[float, ...]:
    """What a planner compares routes on: the objective, time, cost and CO2."""
    weight = float(r.weight) if isinstance(r.weight, int | float) else 0.0
    return (weight, r.totals["time_h"], r.totals["cost_usd"], r.totals["co2_kg"])


def _dominated(r: Route, others: Iterable[Route]) -> bool:
    """Whether another route is at least as good as ``r`` on every figure of :func:`_figures`."""
    mine = _figures(r)
    return any(_dominates_weakly(_figures(o), mine) for o in others)


# A family that prefers one land mode makes the others this much dearer, so that they
# serve only as hops where the preferred mode does not go.
PREFER_FACTOR = 1000.0
# At most this many crossing sequences are examined per family (bounded work).
MAX_SEQUENCES = 500
_CROSSING_MODES = ("sea", "border")


def _crossing_paths(
    G: nx.MultiDiGraph, problem: _Problem, fn: WeightFunc, *, reenter: bool = False,
) -> Iterator[tuple[float, list[EdgeKey]]]:
    """The best route (by ``fn``) through each sequence of sea and border crossings, best
    first.

    A small graph joins the origin, the ends of every crossing and the destination: a
    crossing is an arc of its own, and a stretch between crossings is the best path that
    crosses nothing. A best-first search on it (guided by the exact distance to the
    destination, so complete paths come out in order of weight) lists each sequence of
    crossings once, with its best route; unless ``reenter``, a sequence that comes back
    into a country it has left is never extended.
    """
    view = problem.view
    kfn = _keyed(fn)
    usable = problem.modes | set(ALWAYS_ALLOWED)
    land = nx.DiGraph()
    land.add_nodes_from(view)  # a source or a crossing's end is a stretch of length 0
    H = nx.DiGraph()
    for u, v, key, d in view.edges(keys=True, data=True):
        mode = d.get("mode")
        w = kfn(u, v, key, d)
        if w is None or mode not in usable:
            continue
        graph, a, b = (H, ("in", u), ("out", v)) if mode in _CROSSING_MODES else (land, u, v)
        old = graph.get_edge_data(a, b)
        if old is None or (w, str(key)) < (old["weight"], str(old["edges"][0][2])):
            graph.add_edge(a, b, weight=w, edges=[(u, v, key)])
    ends = [(n, n[1]) for n in H if n[0] == "in"] + [("T", t) for t in problem.targets]

    def link(start: Any, sources: list[str]) -> None:
        dist, paths = nx.multi_source_dijkstra(land, sources, weight="weight")
        for node, end in ends:
            if end in dist and (not H.has_edge(start, node) or dist[end] < H[start][node]["weight"]):
                H.add_edge(start, node, weight=dist[end], edges=[
                    e for a, b in itertools.pairwise(paths[end]) for e in land[a][b]["edges"]])

    link("S", list(dict.fromkeys(problem.sources)))
    for n in [n for n in H if n[0] == "out"]:
        link(n, [n[1]])
    if "S" not in H or "T" not in H:
        return
    to_end = nx.single_source_dijkstra_path_length(H.reverse(copy=False), "T", weight="weight")
    if "S" not in to_end:
        return

    def country(n: Any) -> Any:
        return G.nodes[n[1]].get("country") if isinstance(n, tuple) else None

    tie = itertools.count()
    heap = [(to_end["S"], next(tie), 0.0, ("S",), frozenset(), None)]
    while heap:
        _, _, g, path, left, here = heapq.heappop(heap)
        node = path[-1]
        if node == "T":
            arcs = [H[a][b] for a, b in itertools.pairwise(path)]
            yield g, [e for arc in arcs for e in arc["edges"]]
            continue
        for nxt, arc in H[node].items():
            c = country(nxt)
            moved = c is not None and here is not None and c != here
            if nxt in path or nxt not in to_end or (moved and c in left and not reenter):
                continue
            g2 = g + arc["weight"]
            heapq.heappush(heap, (g2 + to_end[nxt], next(tie), g2, (*path, nxt),
                                  left | {here} if moved else left, c if c is not None else here))


def _preferring(fn: WeightFunc, mode: str) -> WeightFunc:
    """``fn`` with the land modes other than ``mode`` made ``PREFER_FACTOR`` times dearer."""
    def weight(u: str, v: str, d: Mapping[str, Any]) -> float | None:
        w = fn(u, v, d)
        other = d.get("mode") in MODES and d.get("mode") not in (mode, "sea")
        return w * PREFER_FACTOR if w is not None and other else w

    return weight


def _alternatives(
    G: nx.MultiDiGraph, problem: _Problem, fn: WeightFunc, name: str, best: Route, k: int
) -> tuple[list[Route], int]:
    """The first ``k`` alternatives to ``best`` and how many there are (see :func:`route`)."""
    detours_ok = _reenters(G, best.nodes)
    land = [m for m in MODES if m in problem.modes and m != "sea"]
    families = [fn, *(_preferring(fn, m) for m in land if len(land) > 1)]
    if "air" in land and len(land) > 1:
        families.append(lambda u, v, d: None if d.get("mode") == "air" else fn(u, v, d))
    candidates = []
    for family in families:
        for _, edges in itertools.islice(
                _crossing_paths(G, problem, family, reenter=detours_ok), MAX_SEQUENCES):
            weight = sum(fn(u, v, G[u][v][key]) or 0.0 for u, v, key in edges)
            candidates.append((weight, len(edges), edges))
    candidates.sort(key=lambda c: c[:2])
    seen = {_signature(G, best.edges)}
    found: list[Route] = []
    for weight, _, edges in candidates:
        signature = _signature(G, edges)
        nodes = [edges[0][0], *(v for _, v, _ in edges)]
        if (signature in seen or len(set(nodes)) < len(nodes)
                or (_reenters(G, nodes) and not detours_ok)):
            continue
        seen.add(signature)
        cand = _make_route(G, edges, name, weight=weight, warnings=problem.warnings)
        if not _dominated(cand, [best, *found]):
            found.append(cand)
    return found[:k], len(found)


# ----------------------------------------------------------------------- Pareto front
def _dominates_weakly(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """``a`` is at least as good as ``b`` in every criterion."""
    return all(x <= y for x, y in zip(a, b, strict=True))


Vector = tuple[float, ...]


def _arcs(
    view: nx.MultiDiGraph, fns: list[WeightFunc], sources: set[str]
) -> dict[str, list[tuple[str, Any, Vector]]]:
    """Out-arcs ``(w, key, costs)`` of each node, without parallel arcs dominated by another."""
    arcs: dict[str, list[tuple[str, Any, Vector]]] = {}
    for u, nbrs in view.adjacency():
        out = []
        for w, keydict in nbrs.items():
            if w in sources:  # a source already has the zero label
                continue
            kept: list[tuple[str, Any, Vector]] = []
            for key, d in sorted(keydict.items(), key=lambda kd: str(kd[0])):
                costs = [fn(u, w, d) for fn in fns]
                if any(c is None for c in costs):
                    continue
                vec = tuple(costs)  # type: ignore[arg-type]
                if any(_dominates_weakly(k[2], vec) for k in kept):
                    continue
                kept = [k for k in kept if not _dominates_weakly(vec, k[2])]
                kept.append((w, key, vec))
            out.extend(kept)
        arcs[u] = out
    return arcs


class _Front:
    """Vectors popped so far at one node, answering "is ``v`` weakly dominated?".

    Labels leave the heap in lexicographic order, so every stored vector is
    lexicographically at most any vector asked about later: its first component is
    never larger, and only the others need comparing. Two criteria: one minimum. Three:
    a staircase searched by bisection. More: a vectorised scan.
    """

    __slots__ = ("array", "items", "k")

    def __init__(self, k: int) -> None:
        self.k = k
        self.items: list[Any] = []
        self.array: Any = None

    def dominates(self, v: Vector) -> bool:
        if not self.items:
            return False
        if self.k == 1:
            return True
        if self.k == 2:
            return self.items[0] <= v[1]
        if self.k == 3:
            i = bisect.bisect_right(self.items, (v[1], math.inf)) - 1
            return i >= 0 and self.items[i][1] <= v[2]
        if self.array is None:
            import numpy as np

            self.array = np.array(self.items, dtype=float)
        return bool((self.array <= v[1:]).all(axis=1).any())

    def add(self, v: Vector) -> None:
        if self.k == 1:
            self.items = [v[0]]
        elif self.k == 2:
            self.items = [min(self.items[0], v[1])] if self.items else [v[1]]
        elif self.k == 3:
            a, b = v[1], v[2]
            i = bisect.bisect_left(self.items, (a, b))
            j = i
            while j < len(self.items) and self.items[j][1] >= b:
                j += 1  # entries with a' >= a and b' >= b are dominated by (a, b)
            self.items[i:j] = [(a, b)]
        else:
            rest = v[1:]
            self.items = [p for p in self.items if not _dominates_weakly(rest, p)]
            self.items.append(rest)
            self.array = None


def _martins(
    arcs: dict[str, list[tuple[str, Any, Vector]]], sources: set[str], targets: set[str], k: int
) -> list[tuple[Vector, list[EdgeKey]]]:
    """Multi-objective label setting: every non-dominated vector from sources to targets.

    A label is made permanent when it leaves the heap (lexicographic order) unless a
    permanent label at its node is at least as good everywhere; a label arriving at a
    target is final. Labels that a permanent label of their node or a final label
    already dominate are never pushed. Each returned vector has one path (the first
    found).
    """
    vectors: list[Vector] = []
    at: list[str] = []
    pred: list[int] = []
    via: list[EdgeKey | None] = []
    heap: list[tuple[Vector, int]] = []
    fronts: dict[str, _Front] = {}
    final = _Front(k)
    found: list[int] = []

    def push(vec: Vector, node: str, p: int, e: EdgeKey | None) -> None:
        vectors.append(vec)
        at.append(node)
        pred.append(p)
        via.append(e)
        heapq.heappush(heap, (vec, len(vectors) - 1))

    zero = tuple(0.0 for _ in range(k))
    for s in sorted(sources):
        push(zero, s, -1, None)
    while heap:
        vec, i = heapq.heappop(heap)
        node = at[i]
        front = fronts.get(node)
        if front is None:
            front = fronts[node] = _Front(k)
        if front.dominates(vec) or final.dominates(vec):
            continue
        front.add(vec)
        if node in targets:
            final.add(vec)
            found.append(i)
            continue
        for w, key, costs in arcs.get(node, ()):
            new = tuple(a + c for a, c in zip(vec, costs, strict=True))
            there = fronts.get(w)
            if (there is not None and there.dominates(new)) or final.dominates(new):
                continue
            push(new, w, i, (node, w, key))
    out = []
    for i in found:
        edges: list[EdgeKey] = []
        j = i
        while pred[j] != -1:
            edges.append(via[j])  # type: ignore[arg-type]
            j = pred[j]
        edges.reverse()
        out.append((vectors[i], edges))
    return out


def _distinct(
    G: nx.MultiDiGraph, front: list[tuple[Vector, list[EdgeKey]]]
) -> list[tuple[Vector, list[EdgeKey]]]:
    """The front without members that repeat another's totals and modes (parallel tracks)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for vec, edges in front:
        totals = tuple(round(sum(float(G[u][v][k].get(f) or 0.0) for u, v, k in edges), 6)
                       for f in FIGURES)
        modes = tuple(m for m, _ in itertools.groupby(G[u][v][k].get("mode")
                                                      for u, v, k in edges))
        if (totals, modes) not in seen:
            seen.add((totals, modes))
            out.append((vec, edges))
    return out


def pareto(
    G: nx.MultiDiGraph,
    origin: str,
    destination: str,
    criteria: Iterable[str | WeightFunc] = ("time", "cost", "co2"),
    *,
    modes: Iterable[str] | str | None = None,
    avoid: Iterable[str] | str = (),
    year: int | None = None,
    max_routes: int | None = None,
    cargo: str | None = None,
    tonnes: float | None = None,
) -> list[Route]:
    """The non-dominated routes for several criteria at once (the Pareto front).

    A route is non-dominated when no other route is at least as good in every criterion
    and better in one. The search is exact: a multi-objective label-setting algorithm
    (Martins) over the edges, parallel edges included, with non-negative weights.
    Routes whose criteria are all equal count once, and so do routes with the same
    totals by the same modes (two parallel tracks).

    Parameters
    ----------
    G, origin, destination, modes, avoid, year, cargo, tonnes
        As for :func:`route`.
    criteria
        Two or more of ``time``, ``cost``, ``distance``, ``co2`` or edge functions
        ``(u, v, data) -> float | None``.
    max_routes
        Return at most this many routes (the first ones in the order of ``criteria``);
        a warning on the first route says when the front was cut. None (the default)
        returns the whole front.

    Returns
    -------
    list of Route
        Sorted by the criteria in order; ``route.weight`` holds the tuple of criteria.

    Raises
    ------
    ValueError, TypeError, DataError, PlaceNotFoundError, AmbiguousPlaceError, NoRouteError
        As for :func:`route`.
    """
    check_graph(G)
    if isinstance(criteria, str):
        criteria = [c.strip() for c in criteria.split(",") if c.strip()]
    elif callable(criteria) or not isinstance(criteria, Iterable):
        criteria = [criteria]  # one criterion; checked below
    criteria = list(criteria)
    for c in criteria:
        check_objective(c, "criteria")
    named = [_edge_weight(c) for c in criteria]
    if not named:
        msg = "give at least one criterion in criteria, e.g. ('time', 'cost')"
        raise ValueError(msg)
    check_whole(max_routes, "max_routes", minimum=1, optional=True)
    fns = [fn for _, fn in named]
    objective = ",".join(name for name, _ in named)
    problem = _prepare(G, origin, destination, modes=modes, avoid=avoid, year=year,
                       cargo=cargo, tonnes=tonnes)
    priced = problem.graph if problem.graph is not None else G
    view = problem.view
    targets = set(problem.targets)
    sources = set(problem.sources)

    front = _distinct(priced, _martins(_arcs(view, fns, sources), sources, targets, len(fns)))
    if not front:
        raise _no_route(origin, destination, modes, avoid, year)
    shown = front if max_routes is None else front[:max_routes]
    routes = [
        problem.mark_ends(_make_route(priced, edges, objective, weight=vec,
                                      warnings=problem.warnings))
        for vec, edges in shown
    ]
    for r in routes:
        r.query = _echo(problem, r)
    if len(shown) < len(front):
        routes[0].warnings.append(
            f"the Pareto front has {len(front)} routes; showing the first {max_routes} "
            f"by {objective}"
        )
    return routes


__all__ = ["Leg", "Route", "cargo_modes", "check_modes", "check_objective", "door_nodes", "pareto",
           "route"]
