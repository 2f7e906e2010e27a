"""Origin-destination matrices on the CSR view (:func:`od_matrix`).

A route's total is the sum of its edges in travel order, in float64, exactly as
networkx adds them, so :func:`od_matrix` gives the same numbers as
``nx.shortest_path_length`` to the last bit.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from corridor._validate import check_flag, check_graph, check_nodes
from corridor.places import resolve_all
from corridor.routing.csr import CSRView, csr_view, view_lengths
from corridor.routing.objectives import FIGURES, cargo_modes
from corridor.routing.problem import door_nodes, filtered_view

#: Sources × nodes handled at once when summing figures along paths (bounds memory).
_BLOCK = 4_000_000


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
        if self._nx_view is None:
            self._nx_view = filtered_view(self.G, self.view.modes, self.view.year)
        nodes, _, place = resolve_all(self._nx_view, query, modes=self.view.modes)
        if place:
            nodes = door_nodes(self._nx_view, nodes, self.view.modes)
        return [self.view.index[n] for n in nodes]


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
        A graph following the contract of ARCHITECTURE.md.
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
        dist = view_lengths(view, [view.nodes[i] for i in src])[:, dst] if src.size else \
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
        acc[:, :, FIGURES.index(view.by)] = d
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
        for j, name in enumerate(FIGURES):
            frame[name] = values[:, j]
        return frame
    records = []
    for o_label, rows in zip(o_labels, o_rows, strict=True):
        for d_label, cols in zip(d_labels, d_cols, strict=True):
            sub = dist[np.ix_(rows, cols)]
            r, c = np.unravel_index(int(np.argmin(sub)), sub.shape)  # first best, as listed
            rr, cc = rows[r], cols[c]
            reached = bool(np.isfinite(dist[rr, cc]))
            records.append((o_label, d_label, nodes[src[rr]] if reached else None,
                            nodes[dst[cc]] if reached else None, view.by, *sums[rr, cc]))
    return pd.DataFrame.from_records(
        records, columns=["origin", "destination", "origin_node", "destination_node", "by",
                          *FIGURES])


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



__all__ = ["od_matrix"]
