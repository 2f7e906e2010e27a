"""Place names to node ids (stage 3 of the pipeline: what a user types → the graph).

A user names a place in English, Azerbaijani, Kazakh or Russian (``Baku``, ``Bakı``,
``Баку``; ``Aktau``, ``Ақтау``, ``Актау``), by a node id (``aktau_port_quay``) or by a
code (``GYD``). Names are compared after :func:`corridor.names.normalize` (case,
diacritics and the Azerbaijani and Kazakh letters folded), and only such an exact name
(or alias: ``Port of Baku``) is taken. Other spellings and typos are ranked for
:func:`find_places` and for the suggestions of an unknown name, on the Latin
:func:`corridor.names.skeleton` of every name in the four scripts. The index of names is
built once per graph and kept in its networkx cache.

A place (a row of ``places.csv``) groups several nodes: a city's rail station, airport,
and the rail side, road side and quay of its port. :func:`resolve` returns the one that
best suits the modes of transport allowed, as :mod:`corridor.terminals` ranks them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from corridor._constants import TRANSPORT_MODES as MODES
from corridor._errors import AmbiguousPlaceError, PlaceNotFoundError
from corridor.names import (
    MAX_QUERY_LENGTH,
    MIN_SIMILARITY,
    SCORE_CLOSE,
    SCORE_EXACT,
    SCORE_PREFIX,
    SCORE_VARIANT,
    SCORE_WORD,
    check_query_length,
    close_skeletons,
    normalize,
    skeleton,
)
from corridor.place_index import PlaceIndex, place_index
from corridor.terminals import STAND_IN_KM, StandIn, place_nodes, place_terminals


def _place_label(G: nx.MultiDiGraph, kind: str, ident: str) -> str:
    """A readable label for a candidate: ``Aktau (place aktau, KZ)``."""
    if kind == "place":
        p = G.graph.get("places", {})[ident]
        return f"{p.get('name', ident)} (place {ident}, {p.get('country', '?')})"
    d = G.nodes[ident]
    return f"{d.get('name', ident)} (node {ident}, {d.get('kind', '?')}, {d.get('country', '?')})"


def _scores(G: nx.MultiDiGraph, query: str, index: PlaceIndex) -> dict[int, float]:
    """The score of every entry of ``index`` that ``query`` matches (see :func:`find_places`)."""
    q = normalize(query)
    scores: dict[int, float] = {}

    def give(entries: Iterable[int], score: float) -> None:
        for i in entries:
            if scores.get(i, 0.0) < score:
                scores[i] = score

    q_skeleton = skeleton(query)
    give(index.by_norm.get(q, ()), SCORE_EXACT)
    give(index.by_skeleton.get(q_skeleton, ()) if q_skeleton else (), SCORE_VARIANT)
    padded = f" {q} "
    for i, norm in enumerate(index.norms):
        if norm.startswith(q):
            give((i,), SCORE_PREFIX)
        elif padded in f" {norm} ":
            give((i,), SCORE_WORD)
    if q_skeleton:
        for key, similarity in close_skeletons(q_skeleton, index.skeletons):
            give(index.by_skeleton[key], round(SCORE_CLOSE * similarity, 3))
    # a view may hide nodes of the graph the index was built on
    return {i: s for i, s in scores.items()
            if index.targets[i][0] == "place" or index.targets[i][1] in G}


def _ranked(G: nx.MultiDiGraph, query: str, index: PlaceIndex) -> list[dict[str, Any]]:
    """Every place and node that ``query`` matches, best first, each place once."""
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for i, score in _scores(G, query, index).items():
        kind, ident = index.targets[i]
        owner = index.owners[i]
        key = ("place", owner) if owner is not None and ident != query else (kind, ident)
        if key not in best or score > best[key][0]:
            best[key] = (score, index.originals[i])
    places = G.graph.get("places", {})
    results = []
    for (kind, ident), (score, matched) in best.items():
        d = places[ident] if kind == "place" else G.nodes[ident]
        results.append({"id": ident, "name": d.get("name", ident),
                        "kind": "place" if kind == "place" else d.get("kind"),
                        "country": d.get("country"), "score": score, "matched": matched})
    results.sort(key=lambda r: (-r["score"], r["kind"] != "place", str(r["name"]), r["id"]))
    return results


def find_places(G: nx.MultiDiGraph, query: str, *, limit: int = 10) -> list[dict[str, Any]]:
    """Search places and nodes by name, id, alias or code, in any of the four scripts.

    Parameters
    ----------
    G
        The corridor graph (``G.graph["places"]`` holds the places).
    query
        A name in any language of the data, an id or a code; case, diacritics, script
        and the usual ways of spelling a name (``Qostanai`` for ``Kostanay``) are ignored.
    limit
        Return at most this many results.

    Returns
    -------
    list of dict
        Best first: ``id``, ``name``, ``kind`` (``"place"`` or the node kind),
        ``country``, ``score`` and ``matched`` (the name that matched). The score is 1
        for the exact name, 0.95 for another spelling of it (the same :func:`skeleton`),
        0.9 when a name starts with the query, 0.8 when the query is a whole word of a
        name, and 0.75 times the similarity of the skeletons (0.49 or more) for a near
        spelling. A place is listed once, its nodes' names counting as its own; a node
        is listed by itself when the query is its id, or when it belongs to no place.
        On a tie a place comes first.
    """
    check_query_length(str(query))
    if not normalize(query):
        msg = "empty place query; give a name, e.g. 'Aktau'"
        raise ValueError(msg)
    return _ranked(G, str(query), place_index(G))[: max(int(limit), 0)]


def lookup(G: nx.MultiDiGraph, query: str) -> tuple[str, str]:
    """Identify what ``query`` names: ``("node", node_id)`` or ``("place", place_id)``.

    A node id wins (so ``od_matrix(G, list(G), list(G))`` means the nodes, and
    ``alat`` is the Alat station while ``Alat`` is the place), then a place id; then names
    are compared after :func:`normalize`. Places win over nodes of the same name, and
    several nodes of one place stand for that place. Another spelling (``Kostanai``) is
    not taken for a name: it is offered as a suggestion.

    Raises
    ------
    PlaceNotFoundError
        Nothing matches; the error lists close spellings (``Qostanai`` → ``Kostanay``).
    AmbiguousPlaceError
        Several places (or unrelated nodes) match equally well.
    """
    if not isinstance(query, str):
        msg = f"a place must be given as a string, got {type(query).__name__}"
        raise TypeError(msg)
    check_query_length(query)
    places = G.graph.get("places", {})
    if query in G:
        return "node", query
    if query in places:
        return "place", query
    index = place_index(G)
    hits = {index.targets[i] for i in index.by_norm.get(normalize(query), ())}
    hit_places = sorted(i for k, i in hits if k == "place")
    hit_nodes = sorted(i for k, i in hits if k == "node" and i in G)
    if len(hit_places) == 1:
        return "place", hit_places[0]
    if len(hit_places) > 1:
        raise AmbiguousPlaceError(query, [_place_label(G, "place", p) for p in hit_places])
    if len(hit_nodes) == 1:
        return "node", hit_nodes[0]
    if hit_nodes:
        owners = {G.nodes[n].get("place") for n in hit_nodes}
        owner = owners.pop() if len(owners) == 1 else None
        if owner is not None:
            return "place", owner
        raise AmbiguousPlaceError(query, [_place_label(G, "node", n) for n in hit_nodes])
    raise PlaceNotFoundError(query, _suggest(G, query, index))


def _suggest(G: nx.MultiDiGraph, query: str, index: PlaceIndex) -> list[str]:
    """The names of the (at most five) best matches of ``query``, each once."""
    if not normalize(query):
        return []
    names: list[str] = []
    for hit in _ranked(G, query, index):
        if str(hit["name"]) not in names:
            names.append(str(hit["name"]))
    return names[:5]


@dataclass(frozen=True)
class End:
    """What an origin or destination query resolved to."""

    nodes: list[str]
    place: str | None
    stand_in: StandIn | None

    @property
    def warnings(self) -> list[str]:
        return [self.stand_in.warning] if self.stand_in else []


def resolve_end(G: nx.MultiDiGraph, query: str, *, modes: Iterable[str] | None = None) -> End:
    """Every node that may stand for ``query`` (see :func:`resolve`), best first, with the
    place id (None for a node id) and the stand-in used, if any."""
    kind, ident = lookup(G, query)
    if kind == "node":
        return End([ident], None, None)
    nodes, stand_in = place_terminals(G, ident, modes=modes)
    return End(nodes, ident, stand_in)


def resolve_all(
    G: nx.MultiDiGraph, query: str, *, modes: Iterable[str] | None = None
) -> tuple[list[str], list[str], str | None]:
    """:func:`resolve_end` as ``(nodes, warnings, place)``."""
    end = resolve_end(G, query, modes=modes)
    return end.nodes, end.warnings, end.place


def resolve(G: nx.MultiDiGraph, query: str, *, modes: Iterable[str] | None = None) -> str:
    """The node id for a place name, node id or code.

    A node id returns itself. A place returns its node best suited to the allowed
    ``modes`` (rail station for rail, port quay for sea, airport for air; with every mode
    allowed, a city node, then a rail station, port, …); if the place has none, the
    nearest node of the same country that has one within 100 km.

    Raises
    ------
    PlaceNotFoundError
        Unknown name (with suggestions).
    AmbiguousPlaceError
        The name fits several places.
    NoRouteError
        No node serves the place by the allowed modes.

    Examples
    --------
    >>> import corridor
    >>> resolve(corridor.load_network(), "Bakı", modes=["air"])
    'airport_gyd'
    """
    return resolve_all(G, query, modes=modes)[0][0]


# Besides its own names, this module re-exports those of corridor.names, corridor.terminals
# and MODES (TRANSPORT_MODES), so that callers of the single module it was keep working.
__all__ = [
    "MAX_QUERY_LENGTH",
    "MIN_SIMILARITY",
    "MODES",
    "SCORE_CLOSE",
    "SCORE_EXACT",
    "SCORE_PREFIX",
    "SCORE_VARIANT",
    "SCORE_WORD",
    "STAND_IN_KM",
    "End",
    "StandIn",
    "check_query_length",
    "find_places",
    "lookup",
    "normalize",
    "place_nodes",
    "place_terminals",
    "resolve",
    "resolve_all",
    "resolve_end",
    "skeleton",
]
