"""The Pareto front: every non-dominated route for several criteria (:func:`pareto`)."""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from collections.abc import Iterable
from typing import Any, cast

import networkx as nx

from corridor._validate import check_graph, check_whole
from corridor.routing.legs import make_route
from corridor.routing.objectives import (
    FIGURES,
    EdgeKey,
    Vector,
    WeightFunc,
    check_objective,
    dominates_weakly,
    edge_weight,
)
from corridor.routing.problem import no_route, prepare
from corridor.routing.results import Route


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
                vec = cast(Vector, tuple(costs))  # no None: skipped above
                if any(dominates_weakly(k[2], vec) for k in kept):
                    continue
                kept = [k for k in kept if not dominates_weakly(vec, k[2])]
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
            self.items = [p for p in self.items if not dominates_weakly(rest, p)]
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
    named = [edge_weight(c) for c in criteria]
    if not named:
        msg = "give at least one criterion in criteria, e.g. ('time', 'cost')"
        raise ValueError(msg)
    check_whole(max_routes, "max_routes", minimum=1, optional=True)
    fns = [fn for _, fn in named]
    objective = ",".join(name for name, _ in named)
    problem = prepare(G, origin, destination, modes=modes, avoid=avoid, year=year,
                      cargo=cargo, tonnes=tonnes)
    priced = problem.graph if problem.graph is not None else G
    view = problem.view
    targets = set(problem.targets)
    sources = set(problem.sources)

    front = _distinct(priced, _martins(_arcs(view, fns, sources), sources, targets, len(fns)))
    if not front:
        raise no_route(origin, destination, modes, avoid, year)
    shown = front if max_routes is None else front[:max_routes]
    routes = [
        problem.mark_ends(make_route(priced, edges, objective, weight=vec,
                                     warnings=problem.warnings))
        for vec, edges in shown
    ]
    for r in routes:
        r.query = problem.echo(r)
    if len(shown) < len(front):
        routes[0].warnings.append(
            f"the Pareto front has {len(front)} routes; showing the first {max_routes} "
            f"by {objective}"
        )
    return routes



__all__ = ["pareto"]
