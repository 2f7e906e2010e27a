"""Capacity and bottlenecks: how much the corridor can carry, and which links cap it.

Each edge's ``capacity`` (with ``capacity_unit``) is converted to million tonnes a year
(Mt/yr) with the parameters of ``data/capacity_params.csv``:

- ``Mt/yr`` as is; ``t/yr`` / 10⁶;
- ``TEU/yr`` × ``teu_t`` (average cargo mass of a loaded TEU) / 10⁶;
- ``TEU/day`` × ``days_per_year`` × ``teu_t`` / 10⁶;
- ``trains/day`` × ``days_per_year`` × ``teu_per_train`` × ``teu_t`` / 10⁶;
- ``pax/yr`` is not a freight capacity: the edge is treated as unbounded and listed in
  ``Bottlenecks.unconverted``.

A port's capacity is repeated on each transfer edge of its quay (loading and unloading,
rail side and road side); it is applied once, to the quay (see :func:`capacity_graph`).

An edge **without a capacity is unbounded**: the shipped data give every link that can
carry corridor flow a capacity, but a user's data may not. ``Bottlenecks.assumed`` lists the
links without capacity data that carry some of the flow (``uncapped_flow_mt`` says how much),
so a figure resting on them reads as an upper bound. A capacity whose source is an
``estimate:capacity_<method>`` (a rule, not a published figure) is marked as such in the cut
(``basis``). A two-way link's capacity applies to each direction separately; parallel edges
add up.

:func:`bottlenecks` joins the source nodes to a super-source and the sink nodes to a
super-sink, computes the maximum flow and a minimum cut (networkx, preflow-push on
integer tonnes) and compares the maximum flow with the corridor's published volumes
(``data/volumes.csv``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.algorithms.flow import edmonds_karp

from corridor._errors import DataError
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
from corridor.analysis._params import find_file, read_table
from corridor.data import CAPACITY_UNITS

PARAMS_FILE = "capacity_params.csv"
VOLUMES_FILE = "volumes.csv"
DEFAULT_MODES = ("rail", "sea")
ALWAYS = ("transfer", "border")
DEFAULT_SOURCE_COUNTRIES = ("CN",)
DEFAULT_SINK_COUNTRIES = ("GE", "TR")
#: Left out unless ``avoid`` is given: the Trans-Caspian route exists to bypass Russia, and
#: the Russian links of the data carry no capacity.
DEFAULT_AVOID_COUNTRIES = ("RU",)
UNITS = CAPACITY_UNITS
_SOURCE, _SINK = "__super_source__", "__super_sink__"


@dataclass(frozen=True)
class CapacityParams:
    """Unit conversion parameters (see ``data/capacity_params.csv``)."""

    teu_t: float = 10.0
    teu_per_train: float = 100.0
    days_per_year: float = 365.0

    @classmethod
    def from_file(cls, path: str | Path | None = None, *, folder: str | Path | None = None
                  ) -> CapacityParams:
        """Read ``capacity_params.csv`` (``path``, else from ``folder``, else shipped)."""
        file = Path(path) if path is not None else find_file(PARAMS_FILE, folder)
        rows = read_table(file, table=PARAMS_FILE, required=("param", "value", "unit", "source"),
                          range_field=lambda row, column: row["param"])
        known = {f for f in cls.__dataclass_fields__}
        values: dict[str, float] = {}
        for n, row in enumerate(rows, start=1):
            if row["param"] not in known:
                msg = f"unknown parameter {row['param']!r}; known: {', '.join(sorted(known))}"
                raise DataError(msg, file=str(file), row=n, field="param")
            if not row["value"] > 0:
                raise DataError("must be > 0", file=str(file), row=n, field="value")
            values[row["param"]] = row["value"]
        return cls(**values)


def read_volumes(path: str | Path | None = None, *, folder: str | Path | None = None
                 ) -> list[dict[str, Any]]:
    """Published corridor volumes (``volumes.csv``): year, kind, low_mt, high_mt, source."""
    file = Path(path) if path is not None else find_file(VOLUMES_FILE, folder)
    rows = read_table(
        file,
        table=VOLUMES_FILE,
        required=("year", "kind", "low_mt", "high_mt", "source"),
        numbers=("year", "low_mt", "high_mt"),
        blank_ok=("high_mt",),
    )
    years: dict[int, int] = {}
    for n, row in enumerate(rows, start=1):
        if not row["year"].is_integer():
            raise DataError(f"{row['year']:g} is not a whole year", file=str(file), row=n,
                            field="year")
        row["year"] = int(row["year"])
        if row["year"] in years:
            msg = f"duplicate year {row['year']} (first in row {years[row['year']]})"
            raise DataError(msg, file=str(file), row=n, field="year")
        years[row["year"]] = n
        if row["high_mt"] is None:
            row["high_mt"] = row["low_mt"]
        if row["kind"] not in ("observed", "plan", "potential"):
            msg = f"{row['kind']!r} is not one of observed, plan, potential"
            raise DataError(msg, file=str(file), row=n, field="kind")
        if row["high_mt"] < row["low_mt"]:
            raise DataError("high_mt is below low_mt", file=str(file), row=n, field="high_mt")
    if not any(row["kind"] == "observed" for row in rows):
        msg = "has no observed year; give at least one row of kind observed"
        raise DataError(msg, file=str(file), row=len(rows) + 1, field="kind")
    return rows


def capacity_mt(d: Mapping[str, Any], params: CapacityParams | None = None) -> float | None:
    """An edge's capacity in Mt/yr; None when it has none or it is not a freight unit.

    Raises
    ------
    ValueError
        For a unit not in ``UNITS``.
    """
    p = params or CapacityParams()
    cap = d.get("capacity")
    if cap is None or (isinstance(cap, float) and math.isnan(cap)):
        return None
    unit = d.get("capacity_unit")
    cap = float(cap)
    if unit == "Mt/yr":
        return cap
    if unit == "t/yr":
        return cap / 1e6
    if unit == "TEU/yr":
        return cap * p.teu_t / 1e6
    if unit == "TEU/day":
        return cap * p.days_per_year * p.teu_t / 1e6
    if unit == "trains/day":
        return cap * p.days_per_year * p.teu_per_train * p.teu_t / 1e6
    if unit == "pax/yr":
        return None
    msg = f"edge {d.get('id')!r}: unknown capacity unit {unit!r}; known: {', '.join(UNITS)}"
    raise ValueError(msg)


def capacity_basis(d: Mapping[str, Any]) -> str:
    """How an edge's capacity was obtained: ``published``, or its ``estimate:capacity_…`` methods.

    A capacity estimate is marked in the edge's ``source`` by an entry starting with
    ``estimate:capacity_``; a capacity without one comes from the published sources the
    row names.
    """
    methods = [s.strip() for s in str(d.get("source") or "").split(";")
               if s.strip().startswith("estimate:capacity_")]
    return ";".join(methods) if methods else "published"


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


def _usable(d: Mapping[str, Any], year: int | None) -> bool:
    opened = d.get("year_open")
    if year is None or opened is None:
        return d.get("status") == "open"
    return int(opened) <= year


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


def _through(node: Any) -> str:
    return f"{node}::through"


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
    allowed = set(modes) | set(ALWAYS)
    usable = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
              if d.get("mode") in allowed and _usable(d, year)]
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
    H = nx.DiGraph()
    H.add_nodes_from(G.nodes)
    for q, (cap, keys) in port_cap.items():
        H.add_edge(q, _through(q), keys=keys, port=q, bounded=True, tonnes=round(cap * 1e6))
    at_quay = {k for _, keys in port_cap.values() for k in keys}
    for u, v, k, _ in usable:
        cap = caps[u, v, k]
        a = _through(u) if u in port_cap else u
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


def _cut_entry(G: nx.MultiDiGraph, H: nx.DiGraph, a: Any, b: Any, year: int | None,
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
    u = str(a).removesuffix("::through") if a not in G else a
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


def _uncapped_flow(H: nx.DiGraph, flow: Mapping[Any, Mapping[Any, int]]
                   ) -> tuple[int, list[str]]:
    """Tonnes of ``flow`` whose path crosses an edge without capacity, and those edges' ids.

    The flow is split into source-sink paths (flow decomposition); a path counts when one
    of its edges stands for a link without capacity data.
    """
    rest = {a: {b: f for b, f in fl.items() if f > 0} for a, fl in flow.items()}
    total = 0
    used: list[str] = []
    while True:
        path = _flow_path(rest)
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


def _flow_path(rest: Mapping[Any, Mapping[Any, int]]) -> list[Any] | None:
    """A simple path from the super-source to the super-sink over edges with flow left."""
    parent: dict[Any, Any] = {_SOURCE: None}
    stack = [_SOURCE]
    while stack:
        a = stack.pop()
        if a == _SINK:
            path = [a]
            while parent[path[-1]] is not None:
                path.append(parent[path[-1]])
            return path[::-1]
        for b in rest.get(a, {}):
            if b not in parent:
                parent[b] = a
                stack.append(b)
    return None


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
        H.add_edge(_SOURCE, s, bounded=False)
    for t in dst:
        H.add_edge(t, _SINK, bounded=False)
    result = Bottlenecks(src, dst, year, modes, 0.0, [], [], unconverted=unconverted, params=p,
                         avoided=sorted(hidden))
    free = nx.subgraph_view(H, filter_edge=lambda u, v: not H[u][v]["bounded"])
    if nx.has_path(free, _SOURCE, _SINK):
        result.max_flow_mt = math.inf
        result.unbounded_path = nx.shortest_path(free, _SOURCE, _SINK)[1:-1]
    elif nx.has_path(H, _SOURCE, _SINK):
        # augmenting paths (not preflow-push) so that the flows hold no circulations
        value, flow = nx.maximum_flow(H, _SOURCE, _SINK, flow_func=edmonds_karp)
        _, (reach, _) = nx.minimum_cut(H, _SOURCE, _SINK, flow_func=edmonds_karp)
        result.max_flow_mt = value / 1e6
        uncapped, keys = _uncapped_flow(H, flow)
        result.uncapped_flow_mt = uncapped / 1e6
        result.uncapped_edges = keys
        for a, fl in flow.items():
            for b, f in fl.items():
                if f and _SOURCE not in (a, b) and _SINK not in (a, b):
                    u, v = str(a).removesuffix("::through"), str(b).removesuffix("::through")
                    key = (u, v) if u != v else (u, "port")
                    result.flows[key] = result.flows.get(key, 0.0) + f / 1e6
        for a in reach:
            for b in H[a]:
                if b not in reach:
                    result.cut.extend(_cut_entry(G, H, a, b, year, p))
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
