"""Meaningful alternatives to a best route: one per signature (crossings, main mode).

See the Notes of :func:`corridor.routing.route` for what counts as an alternative.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, cast

import networkx as nx

from corridor.places import MODES
from corridor.routing.legs import make_route
from corridor.routing.objectives import (
    ALWAYS_ALLOWED,
    EdgeKey,
    WeightFunc,
    dominates_weakly,
    keyed,
)
from corridor.routing.problem import Problem
from corridor.routing.results import Route

MAX_ALTERNATIVES = 10

def signature(G: nx.MultiDiGraph, edges: list[EdgeKey]) -> tuple[Any, ...]:
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
    return any(dominates_weakly(_figures(o), mine) for o in others)


# A family that prefers one land mode makes the others this much dearer, so that they
# serve only as hops where the preferred mode does not go.
PREFER_FACTOR = 1000.0
# At most this many crossing sequences are examined per family (bounded work).
MAX_SEQUENCES = 500
_CROSSING_MODES = ("sea", "border")


def _crossing_paths(
    G: nx.MultiDiGraph, problem: Problem, fn: WeightFunc, *, reenter: bool = False,
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
    kfn = keyed(fn)
    usable = problem.modes | set(ALWAYS_ALLOWED)
    land: nx.DiGraph = nx.DiGraph()
    land.add_nodes_from(view)  # a source or a crossing's end is a stretch of length 0
    H: nx.DiGraph = nx.DiGraph()
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
        # without a target it returns (distances, paths); the stubs give a union of both forms
        dist, paths = cast(tuple[dict[Any, float], dict[Any, list[Any]]],
                           nx.multi_source_dijkstra(land, sources, weight="weight"))
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
    # (estimate, tie, cost so far, path, countries left, current country)
    heap: list[tuple[float, int, float, tuple[Any, ...], frozenset[Any], Any]] = [
        (to_end["S"], next(tie), 0.0, ("S",), frozenset(), None)]
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


def alternatives_to(
    G: nx.MultiDiGraph, problem: Problem, fn: WeightFunc, name: str, best: Route, k: int
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
    seen = {signature(G, best.edges)}
    found: list[Route] = []
    for weight, _, edges in candidates:
        sig = signature(G, edges)
        nodes = [edges[0][0], *(v for _, v, _ in edges)]
        if (sig in seen or len(set(nodes)) < len(nodes)
                or (_reenters(G, nodes) and not detours_ok)):
            continue
        seen.add(sig)
        cand = make_route(G, edges, name, weight=weight, warnings=problem.warnings)
        if not _dominated(cand, [best, *found]):
            found.append(cand)
    return found[:k], len(found)



__all__ = ["MAX_ALTERNATIVES", "MAX_SEQUENCES", "PREFER_FACTOR", "alternatives_to", "signature"]
