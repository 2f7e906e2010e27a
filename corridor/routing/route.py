"""The best route between two places (:func:`route`), and the shortest-path search under it.

A route is a shortest path on the problem's filtered view (:mod:`corridor.routing.problem`)
for a weight of :mod:`corridor.routing.objectives`; between two nodes the cheapest of the
parallel edges is used.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

import networkx as nx

from corridor._errors import NoRouteError
from corridor._validate import check_graph, check_whole
from corridor.routing.alternatives import MAX_ALTERNATIVES, alternatives_to
from corridor.routing.legs import make_route
from corridor.routing.objectives import (
    EdgeKey,
    KeyedWeight,
    WeightFunc,
    check_objective,
    edge_weight,
    keyed,
    reliability_objective,
)
from corridor.routing.problem import Problem, no_route, prepare
from corridor.routing.results import Route


def multi_weight(kfn: KeyedWeight) -> Callable[[str, str, Mapping[Any, Any]], float | None]:
    """networkx weight for a multigraph: the least weight among the parallel edges."""

    def weight(u: str, v: str, keydict: Mapping[Any, Any]) -> float | None:
        best = None
        for k, d in keydict.items():
            w = kfn(u, v, k, d)
            if w is not None and (best is None or w < best):
                best = w
        return best

    return weight


def pick_keys(view: nx.MultiDiGraph, nodes: list[str], kfn: KeyedWeight) -> list[EdgeKey]:
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


def shortest(problem: Problem, kfn: KeyedWeight) -> tuple[float, list[EdgeKey]]:
    """Least weight and edges from any source to the best target (NoRouteError if none)."""
    # without a target it returns (distances, paths); the stubs give a union of both forms
    dist, paths = cast(tuple[dict[str, float], dict[str, list[str]]], nx.multi_source_dijkstra(
        problem.view, list(dict.fromkeys(problem.sources)), weight=multi_weight(kfn)))
    reached = [t for t in problem.targets if t in dist]
    if not reached:
        raise NoRouteError("no path")
    rank = {t: i for i, t in enumerate(problem.targets)}
    best = min(reached, key=lambda t: (dist[t], len(paths[t]), rank[t]))
    return dist[best], pick_keys(problem.view, paths[best], kfn)



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
    >>> import corridor
    >>> G = corridor.load_network()
    >>> r = route(G, "Altynkol", "Alat", by="cost", alternatives=2)
    >>> round(r.totals["cost_usd"]), [leg.mode for leg in r.legs]
    (2568, ['rail', 'transfer', 'sea', 'transfer'])
    """
    check_graph(G)
    check_objective(by)
    name, fn = edge_weight(reliability_objective(G, by))
    check_whole(alternatives, "alternatives", minimum=0)
    if alternatives > MAX_ALTERNATIVES:
        msg = (f"alternatives must be at most {MAX_ALTERNATIVES}, got {alternatives}; "
               "ask for fewer (more are seldom distinct)")
        raise ValueError(msg)
    problem = prepare(G, origin, destination, modes=modes, avoid=avoid, year=year,
                      cargo=cargo, tonnes=tonnes)
    priced = problem.graph if problem.graph is not None else G
    try:
        weight, edges = shortest(problem, keyed(fn))
    except nx.NetworkXNoPath:
        raise no_route(origin, destination, modes, avoid, year) from None
    best = problem.mark_ends(make_route(priced, edges, name, weight=weight,
                                        warnings=problem.warnings))
    best.query = problem.echo(best)
    if alternatives:
        alts, best.alternatives_found = alternatives_to(priced, problem, fn, name, best,
                                                        alternatives)
        best.alternatives = [problem.mark_ends(alt) for alt in alts]
    return best



__all__ = ["multi_weight", "pick_keys", "route", "shortest"]
