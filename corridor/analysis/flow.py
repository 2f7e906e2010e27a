"""The flow network behind :func:`corridor.bottlenecks`: capacities in tonnes, the cut, the flow.

:func:`capacity_graph` turns the corridor graph into a DiGraph of capacities in whole
tonnes a year. A port's capacity is repeated on each transfer edge of its quay (loading
and unloading, rail side and road side); it is applied once, to the quay. An edge without
a capacity is unbounded; a two-way link's capacity applies to each direction separately
and parallel edges add up. :func:`cut_rows` describes a cut edge in terms of the corridor
graph, :func:`uncapped_flow` how much of a flow rests on links without capacity data.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from corridor._constants import LINK_MODES
from corridor.analysis.capacity_units import CapacityParams, capacity_basis, capacity_mt
from corridor.network import edge_open_in

DEFAULT_MODES = ("rail", "sea")
#: The nodes joined to every source and every sink.
SUPER_SOURCE, SUPER_SINK = "__super_source__", "__super_sink__"
THROUGH = "::through"


def through_node(node: Any) -> str:
    """The out-side of a split port quay in the flow network."""
    return f"{node}{THROUGH}"


def graph_node(node: Any) -> str:
    """The corridor node a node of the flow network stands for (a quay for its out-side)."""
    return str(node).removesuffix(THROUGH)


def capacity_graph(
    G: nx.MultiDiGraph,
    *,
    year: int | None = None,
    modes: Iterable[str] = DEFAULT_MODES,
    params: CapacityParams | None = None,
    shared_ports: bool = True,
) -> tuple[nx.DiGraph, list[str]]:
    """A DiGraph whose edges have ``capacity`` in whole tonnes a year (absent = unbounded).

    Parallel edges add up; edges of other modes or not usable in ``year`` are left out.
    With ``shared_ports``, the capacity written on the transfer edges of a port quay (its
    loading and unloading from the rail side and the road side all repeat the port's
    figure) is applied once, to the quay itself: the quay node ``q`` is split into ``q``
    (edges in) and ``q::through`` (edges out), joined by an edge of the largest of those
    capacities. Each edge of ``H`` has ``keys`` (the edge ids it stands for) and
    ``port`` (the quay id for a quay's own edge) and ``uncapped`` (the ids among ``keys``
    that have no capacity data; a port's transfer edges are capped at the quay). Also
    returns the ids of edges whose capacity unit is not a freight unit.
    """
    p = params or CapacityParams()
    allowed = set(modes) | set(LINK_MODES)
    usable = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
              if d.get("mode") in allowed and edge_open_in(d, year)]
    unconverted: list[str] = []
    caps: dict[tuple[Any, Any, Any], float | None] = {}
    for u, v, k, d in usable:
        caps[u, v, k] = capacity_mt(d, p)
        if caps[u, v, k] is None and d.get("capacity") is not None and k not in unconverted:
            unconverted.append(k)
    port_cap: dict[Any, tuple[float, list[Any]]] = {}
    if shared_ports:
        for u, v, k, d in usable:
            cap = caps[u, v, k]
            if d.get("mode") != "transfer" or cap is None:
                continue
            for q in (u, v):
                if G.nodes[q].get("kind") == "port":
                    best, keys = port_cap.get(q, (0.0, []))
                    port_cap[q] = (max(best, cap), keys if k in keys else [*keys, k])
                    caps[u, v, k] = None
    H: nx.DiGraph = nx.DiGraph()
    H.add_nodes_from(G.nodes)
    for q, (cap, keys) in port_cap.items():
        H.add_edge(q, through_node(q), keys=keys, port=q, bounded=True, tonnes=round(cap * 1e6))
    at_quay = {k for _, keys in port_cap.values() for k in keys}
    for u, v, k, _ in usable:
        cap = caps[u, v, k]
        a = through_node(u) if u in port_cap else u
        parts = H.get_edge_data(a, v)
        if parts is None:
            H.add_edge(a, v, keys=[k], port=None, bounded=cap is not None, tonnes=0,
                       uncapped=[])
            parts = H[a][v]
        else:
            parts["keys"].append(k)
        if cap is None:
            parts["bounded"] = False
            if k not in at_quay:
                parts["uncapped"].append(k)
        else:
            parts["tonnes"] += round(cap * 1e6)
    for _, _, d in H.edges(data=True):
        if d["bounded"]:
            d["capacity"] = d["tonnes"]
    return H, unconverted


def cut_rows(G: nx.MultiDiGraph, H: nx.DiGraph, a: Any, b: Any, year: int | None,
               p: CapacityParams) -> list[dict[str, Any]]:
    """Rows describing the cut edge ``a -> b`` of ``H`` in terms of ``G``."""
    hd = H[a][b]
    if hd.get("port") is not None:
        q = hd["port"]
        datas = [d for _, _, k, d in G.edges(q, keys=True, data=True) if k in hd["keys"]]
        datas += [d for _, _, k, d in G.in_edges(q, keys=True, data=True) if k in hd["keys"]]
        best = max(datas, key=lambda d: capacity_mt(d, p) or 0.0)
        return [{
            "id": q, "from": q, "to": q, "mode": "port",
            "from_name": G.nodes[q].get("name", q), "to_name": G.nodes[q].get("name", q),
            "capacity": best.get("capacity"), "capacity_unit": best.get("capacity_unit"),
            "capacity_mt": hd["capacity"] / 1e6, "source": best.get("source"),
            "basis": capacity_basis(best), "edges": list(hd["keys"]),
        }]
    u = graph_node(a) if a not in G else a
    rows = []
    for k in hd["keys"]:
        d = G.edges[u, b, k]
        rows.append({
            "id": k, "from": u, "to": b, "mode": d.get("mode"),
            "from_name": G.nodes[u].get("name", u), "to_name": G.nodes[b].get("name", b),
            "capacity": d.get("capacity"), "capacity_unit": d.get("capacity_unit"),
            "capacity_mt": capacity_mt(d, p), "source": d.get("source"),
            "basis": capacity_basis(d), "edges": [k],
        })
    return rows


def uncapped_flow(H: nx.DiGraph, flow: Mapping[Any, Mapping[Any, int]]
                   ) -> tuple[int, list[str]]:
    """Tonnes of ``flow`` whose path crosses an edge without capacity, and those edges' ids.

    The flow is split into source-sink paths (flow decomposition); a path counts when one
    of its edges stands for a link without capacity data.
    """
    rest = {a: {b: f for b, f in fl.items() if f > 0} for a, fl in flow.items()}
    total = 0
    used: list[str] = []
    while True:
        path = flow_path(rest)
        if path is None:
            break
        pairs = list(itertools.pairwise(path))
        amount = min(rest[a][b] for a, b in pairs)
        free = [(a, b) for a, b in pairs if H[a][b].get("uncapped")]
        if free:
            total += amount
            for a, b in free:
                used.extend(k for k in H[a][b]["uncapped"] if k not in used)
        for a, b in pairs:
            rest[a][b] -= amount
            if not rest[a][b]:
                del rest[a][b]
    return total, used


def flow_path(rest: Mapping[Any, Mapping[Any, int]]) -> list[Any] | None:
    """A simple path from the super-source to the super-sink over edges with flow left."""
    parent: dict[Any, Any] = {SUPER_SOURCE: None}
    stack = [SUPER_SOURCE]
    while stack:
        a = stack.pop()
        if a == SUPER_SINK:
            path = [a]
            while parent[path[-1]] is not None:
                path.append(parent[path[-1]])
            return path[::-1]
        for b in rest.get(a, {}):
            if b not in parent:
                parent[b] = a
                stack.append(b)
    return None


__all__ = ["DEFAULT_MODES", "SUPER_SINK", "SUPER_SOURCE", "capacity_graph", "cut_rows",
           "flow_path", "graph_node", "through_node", "uncapped_flow"]
