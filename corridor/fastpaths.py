"""Compiled shortest paths: a CSR view of the graph and :mod:`scipy.sparse.csgraph`.

The routing semantics are those of :mod:`corridor.routing` (networkx Dijkstra):

- ``by`` names the objective: ``time``, ``cost``, ``distance`` or ``co2`` (the edge
  attributes ``time_h``, ``cost_usd``, ``distance_km``, ``co2_kg``);
- between two nodes joined by parallel edges the cheapest one counts;
- ``modes`` keeps the edges of those transport modes (``rail``, ``road``, ``sea``,
  ``air``); ``transfer`` and ``border`` edges are always kept;
- ``year=None`` keeps only the edges whose ``status`` is ``open``; ``year=Y`` keeps the
  edges open by the end of ``Y`` (:func:`corridor.network.edge_open_in`).

A route's total is the sum of its edges in travel order, in float64, exactly as
networkx adds them, so :func:`od_matrix` gives the same numbers as
``nx.shortest_path_length`` to the last bit.

The CSR view is built once per graph, objective, modes and year and cached (in a
:class:`weakref.WeakKeyDictionary`, so it goes with the graph). The cache is dropped
when the graph's number of nodes or edges changes; after editing edge attributes in
place, call :func:`clear_cache`.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridor._validate import (
    ArgumentTypeError,
    check_flag,
    check_graph,
    check_modes,
    check_nodes,
    check_objective_type,
    check_year,
)
from corridor.network import edge_open_in
from corridor.routing import ALWAYS_ALLOWED, OBJECTIVES
from corridor.routing import FIGURES as TOTALS

#: Sources × nodes handled at once when summing figures along paths (bounds memory).
_BLOCK = 4_000_000

_Key = tuple[str, frozenset[str] | None, int | None]
_CACHE: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[Any, Any]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, eq=False)
class CSRView:
    """A graph filtered by modes and year, as a CSR matrix of one objective.

    Attributes
    ----------
    nodes
        Node ids in matrix order (the graph's node order).
    index
        Node id -> row of the matrix.
    matrix
        ``matrix[i, j]`` is the cheapest edge ``i -> j`` for the objective (explicit
        zeros are edges); shape ``(n, n)``.
    figures
        One row per stored entry of ``matrix`` (same order as ``matrix.data``): the
        ``distance_km, time_h, cost_usd, co2_kg`` of the edge chosen for it.
    keys
        The key of the edge chosen for each stored entry.
    by, modes, year
        What the view was built for (``modes``: the transport modes allowed).
    """

    nodes: list[Hashable]
    index: dict[Hashable, int]
    matrix: csr_matrix
    figures: np.ndarray
    keys: list[Hashable]
    by: str
    modes: frozenset[str]
    year: int | None

    def entry(self, u: int, v: int) -> int:
        """Position in ``matrix.data`` of the entry ``u -> v`` (KeyError if there is none)."""
        lo, hi = self.matrix.indptr[u], self.matrix.indptr[u + 1]
        pos = lo + int(np.searchsorted(self.matrix.indices[lo:hi], v))
        if pos >= hi or self.matrix.indices[pos] != v:
            raise KeyError((self.nodes[u], self.nodes[v]))
        return pos


def objective_attr(by: str) -> str:
    """The edge attribute of an objective (``time`` -> ``time_h``; attribute names pass)."""
    check_objective_type(by, functions=False)
    if by in OBJECTIVES:
        return OBJECTIVES[by]
    if by in TOTALS:
        return by
    msg = (f"unknown objective by={by!r}; use one of {', '.join(OBJECTIVES)} "
           f"(or an attribute: {', '.join(TOTALS)})")
    raise ValueError(msg)


def clear_cache(G: nx.MultiDiGraph | None = None) -> None:
    """Forget the cached CSR views of ``G`` (of every graph when None)."""
    if G is None:
        _CACHE.clear()
    else:
        _CACHE.pop(G, None)


def _size(G: nx.MultiDiGraph) -> tuple[int, int]:
    """Numbers of nodes and edges (``G.number_of_edges()`` is 10x slower on a multigraph)."""
    adj = G._adj
    if G.is_multigraph():
        return len(adj), sum(map(len, chain.from_iterable(nbrs.values() for nbrs in adj.values())))
    return len(adj), sum(map(len, adj.values()))


def _graph_cache(G: nx.MultiDiGraph) -> dict[Any, Any]:
    signature = _size(G)
    entry = _CACHE.get(G)
    if entry is None or entry.get("signature") != signature:
        entry = {"signature": signature}
        _CACHE[G] = entry
    return entry


def _edge_table(G: nx.MultiDiGraph, modes: frozenset[str], year: int | None,
                cache: dict[Any, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """Edges kept by the filter: (u index, v index, figures (m, 4), keys), in graph order.

    A missing or None figure becomes NaN (the edge is then hidden for that objective,
    as :func:`corridor.route` hides an edge whose weight is None).
    """
    key = ("table", modes, year)
    if key in cache:
        return cache[key]

    index = {n: i for i, n in enumerate(G)}
    us: list[int] = []
    vs: list[int] = []
    cols: tuple[list[Any], ...] = ([], [], [], [])
    keys: list[Hashable] = []
    allowed = modes | set(ALWAYS_ALLOWED)
    add_u, add_v, add_k = us.append, vs.append, keys.append
    add_f = tuple(c.append for c in cols)
    for u, nbrs in G._adj.items():  # plain dict walk: several times faster than G.edges()
        iu = index[u]
        for v, keydict in nbrs.items():
            iv = index[v]
            for k, d in keydict.items():
                if d.get("mode") not in allowed:
                    continue
                if year is None:
                    if d.get("status") != "open":  # edge_open_in(d, None), inlined
                        continue
                elif not edge_open_in(d, year):
                    continue
                add_u(iu)
                add_v(iv)
                add_k(k)
                add_f[0](d.get("distance_km"))
                add_f[1](d.get("time_h"))
                add_f[2](d.get("cost_usd"))
                add_f[3](d.get("co2_kg"))
    fig_arr = np.column_stack([np.array(c, dtype=np.float64) for c in cols]).reshape(-1, 4)
    table = (np.array(us, dtype=np.int64), np.array(vs, dtype=np.int64), fig_arr, keys)
    cache[key] = table
    return table


def csr_view(
    G: nx.MultiDiGraph,
    *,
    by: str = "time",
    modes: Iterable[str] | None = None,
    year: int | None = None,
) -> CSRView:
    """The cached CSR view of ``G`` for an objective, modes and year (built on first use).

    Parameters
    ----------
    G
        A graph following the contract of DESIGN.md.
    by
        ``time``, ``cost``, ``distance`` or ``co2``.
    modes
        Transport modes to keep (transfer and border edges are always kept); None: all.
    year
        None: open edges only; a year: edges open by then.

    Raises
    ------
    ValueError
        Unknown objective or mode, or a negative or NaN figure on a kept edge.
    """
    check_graph(G)
    attr = objective_attr(by)
    wanted = check_modes(modes)
    year = check_year(year)
    cache = _graph_cache(G)
    key = ("view", attr, wanted, year)
    view = cache.get(key)
    if view is not None:
        return view
    us, vs, figs, keys = _edge_table(G, wanted, year, cache)
    col = TOTALS.index(attr)
    n = G.number_of_nodes()
    w = figs[:, col]
    negative = np.flatnonzero(w < 0)
    if negative.size:
        i = int(negative[0])
        nodes = list(G)
        msg = (f"negative {attr} {w[i]} on edge {nodes[us[i]]!r} -> {nodes[vs[i]]!r} "
               f"({keys[i]!r}); routing needs weights >= 0")
        raise ValueError(msg)
    usable = np.flatnonzero(~np.isnan(w))  # NaN (missing) hides the edge
    if usable.size < w.size:
        us, vs, figs, w = us[usable], vs[usable], figs[usable], w[usable]
        keys = [keys[i] for i in usable]
    # sort by (u, v, weight); among parallel edges of equal weight the least str(key) wins,
    # as in corridor.routing
    order = np.lexsort((w, vs, us))
    us_s, vs_s = us[order], vs[order]
    ties = (us_s[1:] == us_s[:-1]) & (vs_s[1:] == vs_s[:-1]) & (w[order][1:] == w[order][:-1])
    if ties.any():
        _, rank = np.unique(np.array([str(k) for k in keys], dtype=object), return_inverse=True)
        order = np.lexsort((rank.ravel(), w, vs, us))
        us_s, vs_s = us[order], vs[order]
    first = np.ones(order.size, dtype=bool)
    first[1:] = (us_s[1:] != us_s[:-1]) | (vs_s[1:] != vs_s[:-1])
    chosen = order[first]
    rows, cols = us[chosen], vs[chosen]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    matrix = csr_matrix((w[chosen], cols.astype(np.int32), indptr.astype(np.int32)),
                        shape=(n, n))
    view = CSRView(
        nodes=list(G),
        index={node: i for i, node in enumerate(G)},
        matrix=matrix,
        figures=figs[chosen],
        keys=[keys[i] for i in chosen],
        by=attr,
        modes=wanted,
        year=year,
    )
    cache[key] = view
    return view


class _Places:
    """Turns node ids and place names into candidate rows of a CSR view, as route() does."""

    def __init__(self, G: nx.MultiDiGraph, view: CSRView) -> None:
        self.G = G
        self.view = view
        self._nx_view: nx.MultiDiGraph | None = None

    def candidates(self, query: Any) -> list[int]:
        """Rows for ``query``: its node, or every node of the place that serves the modes."""
        try:
            # a node id stands for itself (as in corridor.places.lookup)
            if query in self.G:
                return [self.view.index[query]]
        except TypeError:
            pass
        if not isinstance(query, str):
            msg = f"{query!r} is not a node of the graph"
            raise nx.NodeNotFound(msg)
        from corridor.places import resolve_all

        if self._nx_view is None:
            self._nx_view = _filtered_view(self.G, self.view.modes, self.view.year)
        from corridor.routing import door_nodes

        nodes, _, place = resolve_all(self._nx_view, query, modes=self.view.modes)
        if place:
            nodes = door_nodes(self._nx_view, nodes, self.view.modes)
        return [self.view.index[n] for n in nodes]


def _filtered_view(G: nx.MultiDiGraph, modes: frozenset[str], year: int | None
                   ) -> nx.MultiDiGraph:
    """A networkx view with the edges the routing semantics keep (to resolve names)."""

    allowed = modes | set(ALWAYS_ALLOWED)

    def edge_ok(u: Hashable, v: Hashable, k: Hashable) -> bool:
        d = G[u][v][k]
        return d.get("mode") in allowed and edge_open_in(d, year)

    return nx.subgraph_view(G, filter_edge=edge_ok)


def lengths(
    G: nx.MultiDiGraph,
    sources: Sequence[Hashable],
    *,
    by: str = "time",
    modes: Iterable[str] | None = None,
    year: int | None = None,
) -> np.ndarray:
    """Shortest-path totals from each source node to every node (``inf``: unreachable).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(sources), G.number_of_nodes())``, columns in ``list(G)`` order.
    """
    view = csr_view(G, by=by, modes=modes, year=year)
    return _lengths(view, check_nodes(sources, "sources", optional=False))  # type: ignore[arg-type]


def _lengths(view: CSRView, sources: Sequence[Hashable]) -> np.ndarray:
    try:
        idx = [view.index[s] for s in sources]
    except KeyError as exc:
        msg = f"{exc.args[0]!r} is not a node of the graph"
        raise nx.NodeNotFound(msg) from None
    if not idx:
        return np.empty((0, len(view.nodes)))
    return np.atleast_2d(dijkstra(view.matrix, directed=True, indices=idx))


def single_source_lengths(
    G: nx.MultiDiGraph,
    source: Hashable,
    *,
    by: str = "time",
    modes: Iterable[str] | None = None,
    year: int | None = None,
) -> dict[Hashable, float]:
    """Totals from node ``source`` to every reachable node, like
    ``nx.single_source_dijkstra_path_length`` (same numbers, a plain dict)."""
    view = csr_view(G, by=by, modes=modes, year=year)
    if not isinstance(source, Hashable):
        msg = f"source must be a node id, got {type(source).__name__}"
        raise ArgumentTypeError(msg)
    dist = _lengths(view, [source])[0]
    reach = np.flatnonzero(np.isfinite(dist))
    nodes, values = view.nodes, dist.tolist()
    if reach.size == len(nodes):
        return dict(zip(nodes, values, strict=True))
    return {nodes[i]: values[i] for i in reach.tolist()}


def od_matrix(
    G: nx.MultiDiGraph,
    origins: Iterable[Hashable] | None = None,
    destinations: Iterable[Hashable] | None = None,
    *,
    by: str = "time",
    modes: Iterable[str] | None = None,
    year: int | None = None,
    totals: bool = False,
    cargo: str | None = None,
    tonnes: float | None = None,
) -> pd.DataFrame:
    """Shortest-path totals between every origin and every destination.

    Parameters
    ----------
    G
        A graph following the contract of DESIGN.md.
    origins, destinations
        Node ids or place names (any language of the data, see
        :mod:`corridor.places`); None means every node (as nodes). As in
        :func:`corridor.route`, a place stands for all its nodes that serve the allowed
        modes, and its total is that of the best of them; a string that is both a place
        id and a node id names the node.
    by
        Objective: ``time``, ``cost``, ``distance`` or ``co2``.
    modes
        Transport modes allowed (transfer and border edges always are); None: those of
        the cargo.
    year
        None: open links only; a year: links in service by then.
    cargo, tonnes
        The shipment, as for :func:`corridor.route` (default: a loaded FEU by rail, road
        and sea); figures are priced for it and places start at the door as there.
    totals
        Return a long table with all four totals of each pair along its best path
        instead of the matrix.

    Returns
    -------
    pandas.DataFrame
        Without ``totals``: index ``origin`` (labels as given), columns ``destination``
        (as given), values the objective's total; **``inf`` where there is no route**,
        0 from a node (or place) to itself. With ``totals``: one row per pair, columns
        ``origin, destination, origin_node, destination_node, by, distance_km, time_h,
        cost_usd, co2_kg`` (``inf`` in the four totals where there is no route, and the
        nodes None). The objective's column is exactly networkx's total; the other three
        are summed in travel order along the path found (when several paths tie on the
        objective, it may be another one than :func:`corridor.route` shows).

    Raises
    ------
    ValueError
        Unknown objective or mode, a negative figure.
    TypeError
        An argument of the wrong type (also a ValueError): ``origins="Aktau"`` (give a
        list), ``year="2030"``, ``by=None``; the message names it.
    corridor.DataError
        ``G`` breaks the graph contract (see :func:`corridor.route`).
    corridor.PlaceNotFoundError, corridor.AmbiguousPlaceError
        A name that matches no place, or several.
    corridor.NoRouteError
        A place none of whose nodes serves the allowed modes.
    """
    check_graph(G)
    origins = check_nodes(origins, "origins")
    destinations = check_nodes(destinations, "destinations")
    totals = check_flag(totals, "totals")
    from corridor.routing import cargo_modes

    allowed, G, _ = cargo_modes(G, modes, cargo, tonnes)
    view = csr_view(G, by=by, modes=allowed, year=year)
    o_labels = list(view.nodes if origins is None else origins)
    d_labels = list(view.nodes if destinations is None else destinations)
    places = _Places(G, view)
    o_cand = ([[i] for i in range(len(o_labels))] if origins is None
              else [places.candidates(q) for q in o_labels])
    d_cand = ([[i] for i in range(len(d_labels))] if destinations is None
              else [places.candidates(q) for q in d_labels])
    src = np.unique(np.array([i for c in o_cand for i in c], dtype=np.int64))
    row = {int(i): r for r, i in enumerate(src)}
    dst = np.unique(np.array([i for c in d_cand for i in c], dtype=np.int64))
    col = {int(i): c for c, i in enumerate(dst)}
    o_rows = [[row[i] for i in c] for c in o_cand]
    d_cols = [[col[i] for i in c] for c in d_cand]
    single = all(len(c) == 1 for c in o_cand) and all(len(c) == 1 for c in d_cand)

    if not totals:
        dist = _lengths(view, [view.nodes[i] for i in src])[:, dst] if src.size else \
            np.empty((0, dst.size))
        if single:
            values = dist[np.ix_([r[0] for r in o_rows], [c[0] for c in d_cols])]
        else:
            values = np.array([[dist[np.ix_(r, c)].min() for c in d_cols] for r in o_rows],
                              dtype=np.float64).reshape(len(o_rows), len(d_cols))
        return pd.DataFrame(values, index=pd.Index(o_labels, name="origin", tupleize_cols=False),
                            columns=pd.Index(d_labels, name="destination", tupleize_cols=False))

    dist = np.empty((src.size, dst.size))
    sums = np.empty((src.size, dst.size, 4))
    block = max(1, _BLOCK // max(len(view.nodes), 1))
    for start in range(0, src.size, block):
        part = src[start:start + block]
        d, pred = dijkstra(view.matrix, directed=True, indices=part, return_predecessors=True)
        d, pred = np.atleast_2d(d)[:, dst], np.atleast_2d(pred)
        acc = _path_sums(view, pred)[:, dst, :]
        acc[~np.isfinite(d)] = np.inf
        acc[:, :, TOTALS.index(view.by)] = d
        dist[start:start + part.size] = d
        sums[start:start + part.size] = acc
    nodes = view.nodes
    if single:
        r_idx = np.repeat([r[0] for r in o_rows], len(d_cols)).astype(np.int64)
        c_idx = np.tile([c[0] for c in d_cols], len(o_rows)).astype(np.int64)
        found = np.isfinite(dist[r_idx, c_idx]) if r_idx.size else np.zeros(0, dtype=bool)
        frame = pd.DataFrame({
            "origin": pd.Series(np.repeat(np.array([*o_labels, None], dtype=object)[:-1],
                                          len(d_labels)), dtype=object),
            "destination": pd.Series(np.tile(np.array([*d_labels, None], dtype=object)[:-1],
                                             len(o_labels)), dtype=object),
            "origin_node": [nodes[src[r]] if f else None for r, f in zip(r_idx, found,
                                                                          strict=True)],
            "destination_node": [nodes[dst[c]] if f else None for c, f in zip(c_idx, found,
                                                                               strict=True)],
            "by": view.by,
        })
        values = sums[r_idx, c_idx] if r_idx.size else np.empty((0, 4))
        for j, name in enumerate(TOTALS):
            frame[name] = values[:, j]
        return frame
    records = []
    for o_label, rows in zip(o_labels, o_rows, strict=True):
        for d_label, cols in zip(d_labels, d_cols, strict=True):
            sub = dist[np.ix_(rows, cols)]
            r, c = np.unravel_index(int(np.argmin(sub)), sub.shape)  # first best, as listed
            rr, cc = rows[r], cols[c]
            found = bool(np.isfinite(dist[rr, cc]))
            records.append((o_label, d_label, nodes[src[rr]] if found else None,
                            nodes[dst[cc]] if found else None, view.by, *sums[rr, cc]))
    return pd.DataFrame.from_records(
        records, columns=["origin", "destination", "origin_node", "destination_node", "by",
                          *TOTALS])


def _path_sums(view: CSRView, pred: np.ndarray) -> np.ndarray:
    """Sum the four figures along the shortest-path trees ``pred`` (one row per source).

    Nodes are visited level by level from the root, so each total is added in travel
    order, ``((e1 + e2) + e3) + ...``, like a loop over the legs.
    """
    s, n = pred.shape
    flat_pred = pred.ravel()
    has = flat_pred >= 0
    offsets = np.repeat(np.arange(s, dtype=np.int64) * n, n)
    parent = np.where(has, flat_pred + offsets, -1)
    # figures of the tree edge pred[v] -> v: the CSR entry of (pred[v], v)
    m = view.matrix
    row_of_entry = np.repeat(np.arange(n, dtype=np.int64), np.diff(m.indptr))
    entry_keys = row_of_entry * n + m.indices
    v_all = np.tile(np.arange(n, dtype=np.int64), s)
    where = np.flatnonzero(has)
    pos = np.searchsorted(entry_keys, flat_pred[where].astype(np.int64) * n + v_all[where])
    edge_fig = np.zeros((s * n, 4))
    edge_fig[where] = view.figures[pos]
    # depth of each node in its tree, by pointer doubling
    depth = has.astype(np.int64)
    anc = parent.copy()
    while True:
        live = np.flatnonzero(anc >= 0)
        if live.size == 0:
            break
        up = anc[live]
        depth_new = depth.copy()
        depth_new[live] += depth[up]
        anc_new = anc.copy()
        anc_new[live] = anc[up]
        depth, anc = depth_new, anc_new
    acc = np.zeros((s * n, 4))
    order = np.argsort(depth, kind="stable")
    bounds = np.searchsorted(depth[order], np.arange(1, int(depth.max(initial=0)) + 2))
    for level in range(len(bounds) - 1):
        nodes = order[bounds[level]:bounds[level + 1]]
        acc[nodes] = acc[parent[nodes]] + edge_fig[nodes]
    return acc.reshape(s, n, 4)


__all__ = [
    "OBJECTIVES",
    "TOTALS",
    "CSRView",
    "clear_cache",
    "csr_view",
    "lengths",
    "objective_attr",
    "od_matrix",
    "single_source_lengths",
]
