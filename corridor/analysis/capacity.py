"""Capacity and bottlenecks: how much the corridor can carry, and which links cap it.

Each edge's capacity is converted to Mt/yr (:mod:`corridor.analysis.capacity_units`); a
port's capacity is applied once, to its quay, and an edge **without a capacity is
unbounded** (:mod:`corridor.analysis.flow`). The shipped data give every link that can
carry corridor flow a capacity, but a user's data may not: ``Bottlenecks.assumed`` lists
the links without capacity data that carry some of the flow (``uncapped_flow_mt`` says how
much), so a figure resting on them reads as an upper bound. A capacity whose source is an
``estimate:capacity_<method>`` is marked as such in the cut (``basis``).

:func:`bottlenecks` joins the source nodes to a super-source and the sink nodes to a
super-sink, computes the maximum flow and a minimum cut (networkx, augmenting paths on
integer tonnes) and compares the maximum flow with the corridor's published volumes
(``data/volumes.csv``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from networkx.algorithms.flow import edmonds_karp

from corridor._validate import (
    CAPACITY,
    MODES,
    ArgumentTypeError,
    check_flag,
    check_graph,
    check_instance,
    check_modes,
    check_names,
    check_year,
)
from corridor.analysis.capacity_units import (
    CapacityParams,
    capacity_basis,
    capacity_mt,
    read_volumes,
)
from corridor.analysis.flow import (
    DEFAULT_MODES,
    SUPER_SINK,
    SUPER_SOURCE,
    capacity_graph,
    cut_rows,
    graph_node,
    uncapped_flow,
)

DEFAULT_SOURCE_COUNTRIES = ("CN",)
DEFAULT_SINK_COUNTRIES = ("GE", "TR")
#: Left out unless ``avoid`` is given: the Trans-Caspian route exists to bypass Russia, and
#: the Russian links of the data carry no capacity.
DEFAULT_AVOID_COUNTRIES = ("RU",)


def _default_nodes(G: nx.MultiDiGraph, countries: tuple[str, ...], what: str) -> list[str]:
    found = [n for n, d in G.nodes(data=True) if d.get("country") in countries]
    if not found:
        msg = f"the graph has no node in {', '.join(countries)}; give the {what}s explicitly"
        raise ValueError(msg)
    return found


def _nodes_of(G: nx.MultiDiGraph, items: Iterable[str] | str, what: str) -> list[str]:
    """Node ids from node ids, place ids or ISO-2 country codes."""
    if isinstance(items, str):
        items = [items]
    places = G.graph.get("places", {})
    out: list[str] = []
    for item in items:
        if item in G:
            found = [item]
        elif item in places:
            found = [n for n, d in G.nodes(data=True) if d.get("place") == item]
        elif len(item) == 2 and item.isalpha():
            found = [n for n, d in G.nodes(data=True) if d.get("country") == item.upper()]
        else:
            found = _nodes_by_name(G, item, what)
        if not found:
            msg = f"{what} {item!r} is not a node id, place id or country code of the graph"
            raise ValueError(msg)
        out.extend(n for n in found if n not in out)
    return out


def _nodes_by_name(G: nx.MultiDiGraph, name: str, what: str) -> list[str]:
    """Nodes named by a place or node name in any language (a place: all its nodes)."""
    from corridor._errors import AmbiguousPlaceError, PlaceNotFoundError
    from corridor.places import lookup

    try:
        kind, ident = lookup(G, name)
    except AmbiguousPlaceError as exc:
        raise ValueError(f"{what} {name!r}: {exc.args[0] if exc.args else exc}") from None
    except PlaceNotFoundError as exc:
        hint = str(exc.args[0]) if exc.args else str(exc)
        msg = (f"{what} {name!r} is not a node id, place id or country code of the graph, "
               f"nor a place name ({hint})")
        raise ValueError(msg) from None
    if kind == "node":
        return [ident]
    return [n for n, d in G.nodes(data=True) if d.get("place") == ident]


@dataclass
class Bottlenecks:
    """Maximum flow between sources and sinks, its minimum cut and the published volumes.

    Attributes
    ----------
    max_flow_mt
        Maximum flow in Mt/yr (``inf`` when a path of unbounded edges joins them).
    cut
        The limiting links (a minimum cut): id, from, to, mode, capacity, unit, Mt/yr,
        source, edges. A port quay whose shared capacity is cut has ``mode="port"``, its
        node id as ``id`` and its transfer edges in ``edges``.
    flows
        A maximum flow: (u, v) -> Mt/yr (``(quay, "port")`` for the flow through a quay).
        One of possibly many; found by augmenting paths.
    volumes
        Published volumes with ``ratio`` (max flow / volume) and ``headroom_mt``.
    unbounded_path
        When the flow is unbounded: a path of edges without capacity.
    unconverted
        Ids of edges whose capacity is not in tonnes (e.g. pax/yr), treated as unbounded.
    avoided
        Nodes left out (``avoid=``).
    connected
        False when no path of the counted modes joins a source to a sink (the flow is 0).
    uncapped_flow_mt
        How much of the maximum flow runs over at least one link with no capacity data
        (such links count as unbounded, so this part of the figure is an upper bound).
    uncapped_edges
        Ids of the links without capacity data that carry some of the flow, counted as
        unbounded (also :attr:`assumed`).
    """

    sources: list[str]
    sinks: list[str]
    year: int | None
    modes: tuple[str, ...]
    max_flow_mt: float
    cut: list[dict[str, Any]]
    volumes: list[dict[str, Any]]
    flows: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)
    unbounded_path: list[str] = field(default_factory=list)
    unconverted: list[str] = field(default_factory=list)
    params: CapacityParams = field(default_factory=CapacityParams)
    avoided: list[str] = field(default_factory=list)
    connected: bool = True
    uncapped_flow_mt: float = 0.0
    uncapped_edges: list[str] = field(default_factory=list)

    @property
    def assumed(self) -> list[str]:
        """Links the figure had to assume unbounded: no capacity data, yet they carry flow."""
        return list(self.uncapped_edges)

    @property
    def limiting(self) -> dict[str, Any] | None:
        """The cut edge of least capacity (None if the flow is unbounded)."""
        return min(self.cut, key=lambda e: e["capacity_mt"]) if self.cut else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (``max_flow_mt`` is None when unbounded)."""
        finite = math.isfinite(self.max_flow_mt)
        return {
            "sources": list(self.sources),
            "sinks": list(self.sinks),
            "year": self.year,
            "modes": list(self.modes),
            "max_flow_mt": self.max_flow_mt if finite else None,
            "unbounded": not finite,
            "unbounded_path": list(self.unbounded_path),
            "cut": [dict(e) for e in self.cut],
            "volumes": [dict(v) for v in self.volumes],
            "unconverted": list(self.unconverted),
            "avoided": list(self.avoided),
            "connected": self.connected,
            "uncapped_flow_mt": self.uncapped_flow_mt if finite else None,
            "uncapped_edges": list(self.uncapped_edges),
            "assumed": self.assumed,
            "flows_mt": [{"from": u, "to": v, "flow_mt": f} for (u, v), f in self.flows.items()],
            "teu_t": self.params.teu_t,
        }

    def __repr__(self) -> str:
        lim = self.limiting
        what = f", limiting {lim['id']} {lim['capacity_mt']:.2f} Mt/yr" if lim else ""
        return f"Bottlenecks(max flow {self.max_flow_mt:.2f} Mt/yr, {len(self.cut)} cut edges{what})"


def bottlenecks(
    G: nx.MultiDiGraph,
    sources: Iterable[str] | str | None = None,
    sinks: Iterable[str] | str | None = None,
    *,
    year: int | None = None,
    modes: Iterable[str] = DEFAULT_MODES,
    params: CapacityParams | None = None,
    volumes: list[dict[str, Any]] | None = None,
    shared_ports: bool = True,
    avoid: Iterable[str] | str | None = None,
) -> Bottlenecks:
    """Maximum throughput between two sets of nodes and the links that cap it.

    Parameters
    ----------
    G
        The corridor graph.
    sources, sinks
        Node ids, place ids, ISO-2 country codes or place names in any language of the
        data (a place stands for all its nodes). Default: every node in China (the
        border crossings Alashankou/Dostyk and Khorgos/Altynkol lead from there) and every
        node in Georgia and Turkey (the gateways west of Azerbaijan).
    year
        Network as of this year (None: open links only).
    modes
        Transport modes counted (transfer and border edges always are; None: all). Default
        rail and sea: the corridor's published volumes are rail and ferry cargo, and roads carry no
        published capacity here, so including them makes the flow unbounded.
    params, volumes
        Conversion parameters and published volumes; default from the data files.
    shared_ports
        Apply a port's capacity once to its quay rather than to each of its transfer
        edges (see :func:`capacity_graph`).
    avoid
        Node ids, place ids or country codes left out (e.g. ``"TM"`` to keep the
        Turkmenbashi branch out and measure the Kazakh crossings alone). Default (None):
        every node in Russia other than a source or sink (``DEFAULT_AVOID_COUNTRIES``);
        ``()`` lets the flow cross Russia.

    Returns
    -------
    Bottlenecks
        Max flow in Mt/yr, the min-cut edges with their capacities, and the comparison
        with published volumes.
    """
    check_graph(G, CAPACITY)
    sources, sinks = check_names(sources, "sources"), check_names(sinks, "sinks")
    year = check_year(year)
    modes = tuple(sorted(check_modes(modes), key=MODES.index))
    check_instance(params, CapacityParams, "params", "a CapacityParams")
    check_instance(volumes, list, "volumes", "a list of rows (dicts)")
    for row in volumes or ():
        if not (isinstance(row, Mapping) and all(
                isinstance(row.get(k), int | float) for k in ("low_mt", "high_mt"))):
            msg = f"volumes must hold rows with numbers low_mt and high_mt, got {row!r:.60}"
            raise ArgumentTypeError(msg)
    shared_ports = check_flag(shared_ports, "shared_ports")
    default_avoid = avoid is None
    avoid = check_names(avoid, "avoid")
    folder = G.graph.get("data_folder")
    p = params if params is not None else CapacityParams.from_file(folder=folder)
    vols = volumes if volumes is not None else read_volumes(folder=folder)
    src = (_nodes_of(G, sources, "source") if sources
           else _default_nodes(G, DEFAULT_SOURCE_COUNTRIES, "source"))
    dst = (_nodes_of(G, sinks, "sink") if sinks
           else _default_nodes(G, DEFAULT_SINK_COUNTRIES, "sink"))
    both = set(src) & set(dst)
    if both:
        msg = f"node(s) {', '.join(sorted(both))} are both sources and sinks"
        raise ValueError(msg)
    if default_avoid:
        hidden = {n for n, d in G.nodes(data=True)
                  if d.get("country") in DEFAULT_AVOID_COUNTRIES} - set(src) - set(dst)
    else:
        hidden = set(_nodes_of(G, avoid, "avoided node")) if avoid else set()
    if hidden & (set(src) | set(dst)):
        src = [n for n in src if n not in hidden]
        dst = [n for n in dst if n not in hidden]
        if not src or not dst:
            msg = "every source or every sink is avoided"
            raise ValueError(msg)
    if hidden:
        G = nx.subgraph_view(G, filter_node=lambda n: n not in hidden)
    H, unconverted = capacity_graph(G, year=year, modes=modes, params=p,
                                     shared_ports=shared_ports)
    for s in src:
        H.add_edge(SUPER_SOURCE, s, bounded=False)
    for t in dst:
        H.add_edge(t, SUPER_SINK, bounded=False)
    result = Bottlenecks(src, dst, year, modes, 0.0, [], [], unconverted=unconverted, params=p,
                         avoided=sorted(hidden))
    free = nx.subgraph_view(H, filter_edge=lambda u, v: not H[u][v]["bounded"])
    if nx.has_path(free, SUPER_SOURCE, SUPER_SINK):
        result.max_flow_mt = math.inf
        result.unbounded_path = nx.shortest_path(free, SUPER_SOURCE, SUPER_SINK)[1:-1]
    elif nx.has_path(H, SUPER_SOURCE, SUPER_SINK):
        # augmenting paths (not preflow-push) so that the flows hold no circulations
        value, flow = nx.maximum_flow(H, SUPER_SOURCE, SUPER_SINK, flow_func=edmonds_karp)
        _, (reach, _) = nx.minimum_cut(H, SUPER_SOURCE, SUPER_SINK, flow_func=edmonds_karp)
        result.max_flow_mt = value / 1e6
        uncapped, keys = uncapped_flow(H, flow)
        result.uncapped_flow_mt = uncapped / 1e6
        result.uncapped_edges = keys
        for a, fl in flow.items():
            for b, f in fl.items():
                if f and SUPER_SOURCE not in (a, b) and SUPER_SINK not in (a, b):
                    u, v = graph_node(a), graph_node(b)
                    key = (u, v) if u != v else (u, "port")
                    result.flows[key] = result.flows.get(key, 0.0) + f / 1e6
        for a in reach:
            for b in H[a]:
                if b not in reach:
                    result.cut.extend(cut_rows(G, H, a, b, year, p))
        result.cut.sort(key=lambda e: (e["capacity_mt"], str(e["id"])))
    else:
        result.connected = False
    for row in vols:
        mid = (row["low_mt"] + row["high_mt"]) / 2
        entry = dict(row)
        if math.isfinite(result.max_flow_mt):
            entry["ratio"] = result.max_flow_mt / mid if mid else None
            entry["headroom_mt"] = result.max_flow_mt - row["high_mt"]
        else:
            entry["ratio"] = entry["headroom_mt"] = None
        result.volumes.append(entry)
    return result


__all__ = [
    "Bottlenecks",
    "CapacityParams",
    "bottlenecks",
    "capacity_basis",
    "capacity_graph",
    "capacity_mt",
    "read_volumes",
]

