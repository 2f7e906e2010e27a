"""A graph filtered by modes and year as a CSR matrix of one objective, for scipy's Dijkstra.

The semantics are those of :func:`corridor.routing.route` (networkx Dijkstra): ``by``
names the objective (``time``, ``cost``, ``distance``, ``co2``), between two nodes
joined by parallel edges the cheapest one counts, and the edges kept are those of
:func:`corridor.routing.problem.keeps_edge` (``modes``, with transfer and border
edges always; ``year``).

The CSR view is built once per graph, objective, modes and year and kept in the
graph's ``G.__networkx_cache__``, which networkx empties whenever nodes or edges are
added or removed. After editing edge attributes in place, call :func:`clear_cache`.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridor._validate import (
    ArgumentTypeError,
    check_graph,
    check_modes,
    check_nodes,
    check_year,
    graph_cache,
)
from corridor.routing.objectives import FIGURES, objective_attr
from corridor.routing.problem import keeps_edge

_CACHE_KEY = "corridor.csr_views"
#: Graphs that hold CSR views, so that ``clear_cache()`` can reach them all.
_GRAPHS: weakref.WeakSet[nx.MultiDiGraph] = weakref.WeakSet()


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



def clear_cache(G: nx.MultiDiGraph | None = None) -> None:
    """Forget the cached CSR views of ``G`` (of every graph when None)."""
    for graph in list(_GRAPHS) if G is None else [G]:
        graph_cache(graph).pop(_CACHE_KEY, None)


def _views_cache(G: nx.MultiDiGraph) -> dict[Any, Any]:
    """Where the CSR views of ``G`` are kept: its networkx cache.

    A view of a graph (``nx.subgraph_view``) gets a fresh dict each time: the cache it
    would share is its graph's, and its filter may change without networkx knowing.
    """
    if nx.is_frozen(G):
        return {}
    _GRAPHS.add(G)
    return graph_cache(G).setdefault(_CACHE_KEY, {})


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
    add_u, add_v, add_k = us.append, vs.append, keys.append
    add_f = tuple(c.append for c in cols)
    # G.adjacency() hands out the adjacency dicts themselves: several times faster than
    # G.edges(keys=True, data=True), which builds a tuple per edge
    for u, nbrs in G.adjacency():
        iu = index[u]
        for v, keydict in nbrs.items():
            iv = index[v]
            for k, d in keydict.items():
                if not keeps_edge(d, modes, year):
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
        A graph following the contract of ARCHITECTURE.md.
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
    cache = _views_cache(G)
    key = ("view", attr, wanted, year)
    view = cache.get(key)
    if view is not None:
        return view
    us, vs, figs, keys = _edge_table(G, wanted, year, cache)
    col = FIGURES.index(attr)
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
    # as in corridor.routing.route
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
    return view_lengths(view, check_nodes(sources, "sources", optional=False))  # type: ignore[arg-type]


def view_lengths(view: CSRView, sources: Sequence[Hashable]) -> np.ndarray:
    """Shortest-path totals on ``view`` from each source node to every node."""
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
    dist = view_lengths(view, [source])[0]
    reach = np.flatnonzero(np.isfinite(dist))
    nodes, values = view.nodes, dist.tolist()
    if reach.size == len(nodes):
        return dict(zip(nodes, values, strict=True))
    return {nodes[i]: values[i] for i in reach.tolist()}



__all__ = ["CSRView", "clear_cache", "csr_view", "lengths", "single_source_lengths",
           "view_lengths"]
