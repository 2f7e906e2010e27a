"""Place names to node ids (stage 3 of the pipeline: what a user types → the graph).

A user names a place in English, Azerbaijani, Kazakh or Russian (``Baku``, ``Bakı``,
``Баку``; ``Aktau``, ``Ақтау``, ``Актау``), by a node id (``aktau_port_quay``) or by a
code (``GYD``). Names are compared after :func:`normalize`: case, diacritics and the
letters that Unicode does not decompose (Azerbaijani ``ə ı``, Kazakh ``ә ғ қ ң ө ұ ү һ і``)
are folded, so ``Ақтау`` matches ``Актау`` and ``Gəncə`` matches ``Gence``.

Only such an exact name (or alias: ``Port of Baku``) is taken. Other spellings and typos
are ranked for :func:`find_places` and for the suggestions of an unknown name, on a Latin
:func:`skeleton` of every name in the four scripts (``Qostanai`` ~ ``Костанай`` ~
``Kostanay``). The index of names is built once per graph and kept in its networkx cache.

A place (a row of ``places.csv``) groups several nodes: a city's rail station, airport,
and the rail side, road side and quay of its port. :func:`place_nodes` picks the ones
that suit the modes of transport allowed; :func:`resolve` returns the best one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import networkx as nx
from rapidfuzz import process
from rapidfuzz.distance import OSA

from corridor._constants import TRANSPORT_MODES as MODES
from corridor._errors import AmbiguousPlaceError, NoRouteError, PlaceNotFoundError
from corridor.geo import haversine_km

STAND_IN_KM = 100.0

# Letters NFKD leaves whole, folded after casefold() to the letter a user may type instead.
_FOLD = str.maketrans({
    "ə": "e", "ı": "i", "ş": "s", "ğ": "g", "ç": "c", "ö": "o", "ü": "u",
    "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
    "ё": "е", "й": "и",
})
_NON_WORD = re.compile(r"[\W_]+")

# Cyrillic (Russian, Kazakh) and the Azerbaijani letters NFKD leaves whole, in Latin letters
# (after casefold(); ö, ü and the like lose their marks later).
_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "a", "ғ": "gh", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i", "ə": "a", "ı": "i", "ş": "sh", "ç": "ch", "ğ": "gh",
})
# Sounds that names are written with in several ways, merged in this order.
_SOUNDS = [(re.compile(pattern), repl) for pattern, repl in (
    (r"shch", "sh"),
    (r"dzh|dj|zh|c(?!h)", "j"),       # Azerbaijani c is j: Gəncə, Culfa
    (r"kh|x", "h"),
    (r"gh|q|g", "k"),
    (r"w", "u"),
    (r"y", "i"),
    (r"e", "a"),
    (r"(\w)\1+", r"\1"),
    (r"(?<=[bdfhjklmnprstvz])i(?=[aou])", ""),  # Gyandzha, Kyurdamir, Guryev
    (r"(?<=\w{4})sk(?:aia|i)?\b", ""),          # Uralsk, Saksaulskaya, not Omsk
    (r"(?<=\w{3})a\b", ""),                    # Ganja ~ Gəncə ~ Gence
)]

SCORE_EXACT = 1.0
SCORE_VARIANT = 0.95
SCORE_PREFIX = 0.9
SCORE_WORD = 0.8
SCORE_CLOSE = 0.75
MIN_SIMILARITY = 0.65
"""The least similarity of two skeletons (1 minus edits per letter) for a near spelling."""

# Node kinds that serve each mode, best first.
_KINDS_FOR_MODE: dict[str, tuple[str, ...]] = {
    "rail": ("rail_station", "terminal", "port", "border"),
    "sea": ("port", "terminal"),
    "air": ("airport",),
    "road": ("city", "road_node", "terminal", "port", "border"),
}
_LANDSIDE = ("terminal", "rail_station", "road_node", "city")
_KIND_ORDER = ("city", "rail_station", "port", "terminal", "road_node", "airport", "border")


MAX_QUERY_LENGTH = 200
"""The longest place query (characters) that :func:`find_places` and :func:`lookup` take."""


def check_query_length(query: str) -> None:
    """Raise ValueError when ``query`` is longer than :data:`MAX_QUERY_LENGTH`."""
    if len(query) > MAX_QUERY_LENGTH:
        msg = (f"the place query is {len(query):,} characters long; the limit is "
               f"{MAX_QUERY_LENGTH}: give a place name, id or code")
        raise ValueError(msg)


def normalize(text: str) -> str:
    """Fold a name for comparison: case, diacritics, punctuation and spacing.

    >>> normalize("Ақтау") == normalize("Актау")
    True
    >>> normalize("Gəncə"), normalize("  Bakı-Port ")
    ('gence', 'baki port')
    """
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_FOLD)
    return _NON_WORD.sub(" ", text).strip()


def _place_label(G: nx.MultiDiGraph, kind: str, ident: str) -> str:
    """A readable label for a candidate: ``Aktau (place aktau, KZ)``."""
    if kind == "place":
        p = G.graph.get("places", {})[ident]
        return f"{p.get('name', ident)} (place {ident}, {p.get('country', '?')})"
    d = G.nodes[ident]
    return f"{d.get('name', ident)} (node {ident}, {d.get('kind', '?')}, {d.get('country', '?')})"


def skeleton(text: str) -> str:
    """A Latin spelling skeleton: the spellings of a name in any of the four scripts and
    its usual transliterations fold to one string.

    Cyrillic and Azerbaijani letters become Latin (``ш ş`` → sh, ``х`` → kh …), then
    sounds written several ways are merged: q/g/k, kh/h, zh/j/dzh/c, y/i, w/u, e/a,
    doubled letters, a soft ``i`` before a vowel, an ending ``-sk``/``-sky``/``-skaya``
    and a final ``-a``/``-e``; spaces go.

    >>> {skeleton(n) for n in ("Kostanay", "Qostanai", "Костанай", "Kostanai")}
    {'kostanai'}
    >>> skeleton("Gəncə") == skeleton("Gandja") == skeleton("Ganja")
    True
    """
    text = unicodedata.normalize("NFKD", str(text).casefold().translate(_LATIN))
    text = _NON_WORD.sub(" ", "".join(c for c in text if not unicodedata.combining(c)))
    for pattern, repl in _SOUNDS:
        text = pattern.sub(repl, text)
    return text.replace(" ", "")


class _Index:
    """Every searchable string of a graph: its place and node names, aliases, ids, codes.

    ``norms[i]`` is :func:`normalize` of ``originals[i]``, which names ``targets[i]``
    (``("place", id)`` or ``("node", id)``); ``owners[i]`` is the place a node belongs to
    (None for a place or a node of none); ``members`` lists the nodes of each place.
    Skeletons are made on first use (a lookup by an exact name needs none).
    """

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.norms: list[str] = []
        self.originals: list[str] = []
        self.targets: list[tuple[str, str]] = []
        self.owners: list[str | None] = []
        self.by_norm: dict[str, list[int]] = {}
        self.members: dict[Any, list[str]] = {}  # the nodes of each place, in graph order
        places = G.graph.get("places", {})
        for pid, p in places.items():
            self._add(("place", pid), None, [p.get("name"), *(p.get("names") or {}).values(),
                                             *(p.get("aliases") or ()), pid])
        for node, d in G.nodes(data=True):
            self.members.setdefault(d.get("place"), []).append(node)
            owner = d.get("place") if d.get("place") in places else None
            self._add(("node", node), owner,
                      [d.get("name"), *(d.get("names") or {}).values(), d.get("code"), node])

    def _add(self, target: tuple[str, str], owner: str | None, values: Iterable[Any]) -> None:
        seen: set[str] = set()
        for value in values:
            if not value or not isinstance(value, str):
                continue
            norm = normalize(value)
            if norm and norm not in seen:
                seen.add(norm)
                self.by_norm.setdefault(norm, []).append(len(self.norms))
                self.norms.append(norm)
                self.originals.append(value)
                self.targets.append(target)
                self.owners.append(owner)

    @cached_property
    def by_skeleton(self) -> dict[str, list[int]]:
        """Entry numbers by the :func:`skeleton` of their string."""
        out: dict[str, list[int]] = {}
        for i, original in enumerate(self.originals):
            out.setdefault(skeleton(original), []).append(i)
        return out

    @cached_property
    def skeletons(self) -> list[str]:
        """The distinct skeletons, in the order :attr:`by_skeleton` lists them."""
        return list(self.by_skeleton)


_INDEX_KEY = "corridor.places.index"


def _index(G: nx.MultiDiGraph) -> _Index:
    """The place index of ``G``, built once and kept in the graph's networkx cache.

    networkx empties that cache when nodes or edges change; adding or removing a place
    (``G.graph["places"]``) builds it anew too. After editing names in place, empty it
    (``G.__networkx_cache__.clear()``). A view shares the index of the graph it shows.
    """
    from corridor._validate import graph_cache  # not at the top: it imports numpy and shapely

    places = G.graph.get("places", {})
    signature = (id(places), len(places))
    cache = graph_cache(G)
    kept = cache.get(_INDEX_KEY)
    if kept is None or kept[0] != signature:
        kept = cache[_INDEX_KEY] = (signature, _Index(_root(G)))
    return kept[1]


def _scores(G: nx.MultiDiGraph, query: str, index: _Index) -> dict[int, float]:
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
        close = process.extract(q_skeleton, index.skeletons, scorer=OSA.normalized_similarity,
                                score_cutoff=MIN_SIMILARITY, limit=None)
        for key, similarity, _ in close:
            give(index.by_skeleton[key], round(SCORE_CLOSE * similarity, 3))
    # a view may hide nodes of the graph the index was built on
    return {i: s for i, s in scores.items()
            if index.targets[i][0] == "place" or index.targets[i][1] in G}


def _ranked(G: nx.MultiDiGraph, query: str, index: _Index) -> list[dict[str, Any]]:
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
    return _ranked(G, str(query), _index(G))[: max(int(limit), 0)]


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
    index = _index(G)
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
        if len(owners) == 1 and None not in owners:
            return "place", owners.pop()
        raise AmbiguousPlaceError(query, [_place_label(G, "node", n) for n in hit_nodes])
    raise PlaceNotFoundError(query, _suggest(G, query, index))


def _suggest(G: nx.MultiDiGraph, query: str, index: _Index) -> list[str]:
    """The names of the (at most five) best matches of ``query``, each once."""
    if not normalize(query):
        return []
    names: list[str] = []
    for hit in _ranked(G, query, index):
        if str(hit["name"]) not in names:
            names.append(str(hit["name"]))
    return names[:5]


def _allowed(modes: Iterable[str] | None) -> frozenset[str]:
    if modes is None:
        return frozenset(MODES)
    return frozenset(modes)


def _serves(G: nx.MultiDiGraph, node: str, allowed: frozenset[str]) -> bool:
    """Whether a node has an edge (in or out) of one of the ``allowed`` modes."""
    for _, _, d in G.out_edges(node, data=True):
        if d.get("mode") in allowed:
            return True
    return any(d.get("mode") in allowed for _, _, d in G.in_edges(node, data=True))


def _kind_rank(kind: str | None, allowed: frozenset[str]) -> tuple[int, int]:
    ranks = [
        _KINDS_FOR_MODE[m].index(kind)
        for m in MODES
        if m in allowed and kind in _KINDS_FOR_MODE[m]
    ]
    general = _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)
    return (min(ranks) if ranks else 99, general)


@dataclass(frozen=True)
class StandIn:
    """A terminal near a place that has none of the allowed modes, used in its stead."""

    place: str
    place_name: str
    node: str
    name: str
    country: str | None
    distance_km: float
    reason: str

    @property
    def warning(self) -> str:
        return (f"{self.reason}; using {self.name} ({self.node}), "
                f"{self.distance_km:.0f} km away")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``place``, ``place_name``, ``node``, ``name``, ``country``,
        ``distance_km``, ``reason``."""
        return {"place": self.place, "place_name": self.place_name, "node": self.node,
                "name": self.name, "country": self.country,
                "distance_km": self.distance_km, "reason": self.reason}


def _root(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph a (possibly nested) networkx view filters."""
    while getattr(G, "_graph", None) is not None and G._graph is not G:
        G = G._graph
    return G


def _closed_reason(
    G: nx.MultiDiGraph, name: str, own: list[str], allowed: frozenset[str]
) -> str | None:
    """Why the place's own terminals serve none of ``allowed`` in ``G`` (a view for a year),
    when the full graph has links of those modes at them that the view leaves out."""
    root = _root(G)
    if root is G:
        return None
    closed = [
        d for n in own for _, _, d in (*root.out_edges(n, data=True), *root.in_edges(n, data=True))
        if d.get("mode") in allowed
    ]
    if not closed:
        return None
    by = "/".join(sorted({str(d["mode"]) for d in closed}))
    years = sorted(int(d["year_open"]) for d in closed if d.get("year_open") == d.get("year_open")
                   and d.get("year_open") is not None)
    if years and all(d.get("status") == "open" for d in closed):
        return f"{name} has no {by} service before {years[0]}"
    if years:
        status = str(closed[0].get("status") or "not open").replace("_", " ")
        return (f"{name} has no open {by} service: its line is {status}, opening in "
                f"{years[0]} (ask for year {years[0]} or later)")
    return f"{name} has no open {by} service"


def place_terminals(
    G: nx.MultiDiGraph,
    place: str,
    *,
    modes: Iterable[str] | None = None,
    max_km: float = STAND_IN_KM,
) -> tuple[list[str], StandIn | None]:
    """The nodes that stand for a place when travelling by ``modes``, best first.

    Parameters
    ----------
    G
        The graph (or a filtered view of it: only its edges count).
    place
        A place id (a key of ``G.graph["places"]``).
    modes
        Allowed modes (rail, road, sea, air); None allows all.
    max_km
        When none of the place's own nodes has an edge of an allowed mode, the nearest
        node of the same country that has one within this distance stands in.

    Returns
    -------
    nodes, stand_in
        ``nodes`` serve the place (a rail station for rail, the port quay for sea, the
        airport for air); ``stand_in`` describes the nearby node used instead, or None.

    Raises
    ------
    NoRouteError
        No node of the place's country serves it by the allowed modes within ``max_km``;
        when the place's own terminals exist but are not open (in the year of the view),
        the message says so and names the year they open (the same reason is the
        stand-in's when one is found).
    """
    allowed = _allowed(modes)
    info = G.graph.get("places", {}).get(place, {})
    own = [n for n in _index(G).members.get(place, ()) if n in G]
    good = [n for n in own if _serves(G, n, allowed)]
    if any(G.nodes[n].get("kind") in _LANDSIDE for n in good):
        # cargo enters and leaves a port through its rail or road side, never at the quay
        good = [n for n in good if G.nodes[n].get("kind") != "port"]
    if good:
        good.sort(key=lambda n: (_kind_rank(G.nodes[n].get("kind"), allowed), n))
        return good, None
    name = info.get("name", place)
    closed = _closed_reason(G, name, own, allowed)
    if "x" in info and "y" in info:
        x, y = float(info["x"]), float(info["y"])
    elif own:
        x = sum(G.nodes[n]["x"] for n in own) / len(own)
        y = sum(G.nodes[n]["y"] for n in own) / len(own)
    else:
        msg = f"place {name!r} has no location and no nodes"
        raise NoRouteError(msg)
    countries = {G.nodes[n].get("country") for n in own}
    country = info.get("country") or (countries.pop() if len(countries) == 1 else None)
    near = sorted(
        (haversine_km(x, y, d["x"], d["y"]), n)
        for n, d in G.nodes(data=True)
        if n not in own and _serves(G, n, allowed)
    )
    by = "/".join(m for m in MODES if m in allowed)
    same = [(km, n) for km, n in near if country and G.nodes[n].get("country") == country]
    if (not same or same[0][0] > max_km) and closed:
        raise NoRouteError(closed)
    if not same or same[0][0] > max_km:
        msg = f"no {by} terminal at {name} or within {max_km:.0f} km of it in {country or '?'}"
        if near and near[0][0] <= max_km:
            km, n = near[0]
            msg += (f" (the nearest, {G.nodes[n].get('name', n)}, {km:.0f} km away, is in "
                    f"{G.nodes[n].get('country')}; a stand-in must be in the same country)")
        raise NoRouteError(msg)
    km, node = same[0]
    stand_in = StandIn(place=place, place_name=str(name), node=node, name=str(G.nodes[node].get("name", node)),
                       country=country, distance_km=km,
                       reason=closed or f"{name} has no {by} terminal")
    return [node], stand_in


def place_nodes(
    G: nx.MultiDiGraph,
    place: str,
    *,
    modes: Iterable[str] | None = None,
    max_km: float = STAND_IN_KM,
) -> tuple[list[str], list[str]]:
    """:func:`place_terminals` with the stand-in as a warning (a list of 0 or 1 strings)."""
    nodes, stand_in = place_terminals(G, place, modes=modes, max_km=max_km)
    return nodes, [stand_in.warning] if stand_in else []


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
    >>> resolve(G, "Bakı", modes=["air"])          # doctest: +SKIP
    'gyd_airport'
    """
    return resolve_all(G, query, modes=modes)[0][0]


__all__ = ["StandIn", "find_places", "lookup", "normalize", "place_nodes", "place_terminals",
           "resolve", "resolve_all", "resolve_end", "skeleton"]
