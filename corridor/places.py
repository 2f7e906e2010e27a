"""Place names to node ids (stage 3 of the pipeline: what a user types → the graph).

A user names a place in English, Azerbaijani, Kazakh or Russian (``Baku``, ``Bakı``,
``Баку``; ``Aktau``, ``Ақтау``, ``Актау``), by a node id (``aktau_port_quay``) or by a
code (``GYD``). Names are compared after :func:`normalize`: case, diacritics and the
letters that Unicode does not decompose (Azerbaijani ``ə ı``, Kazakh ``ә ғ қ ң ө ұ ү һ і``)
are folded, so ``Ақтау`` matches ``Актау`` and ``Gəncə`` matches ``Gence``.

A place (a row of ``places.csv``) groups several nodes: a city's rail station, airport,
and the rail side, road side and quay of its port. :func:`place_nodes` picks the ones
that suit the modes of transport allowed; :func:`resolve` returns the best one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from corridor._errors import AmbiguousPlaceError, NoRouteError, PlaceNotFoundError
from corridor.costs import haversine_km

MODES = ("rail", "road", "sea", "air")
STAND_IN_KM = 100.0

# Letters NFKD leaves whole, folded after casefold() to the letter a user may type instead.
_FOLD = str.maketrans({
    "ə": "e", "ı": "i", "ş": "s", "ğ": "g", "ç": "c", "ö": "o", "ü": "u",
    "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
    "ё": "е", "й": "и",
})
_NON_WORD = re.compile(r"[\W_]+")

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


def _index(G: nx.MultiDiGraph) -> list[tuple[str, str, str, str]]:
    """Every searchable string: (normalized, original, "place"|"node", id)."""
    entries: list[tuple[str, str, str, str]] = []

    def add(kind: str, ident: str, values: Iterable[Any]) -> None:
        seen: set[str] = set()
        for value in values:
            if not value or not isinstance(value, str):
                continue
            norm = normalize(value)
            if norm and norm not in seen:
                seen.add(norm)
                entries.append((norm, value, kind, ident))

    for pid, p in G.graph.get("places", {}).items():
        add("place", pid, [pid, p.get("name"), *(p.get("names") or {}).values(),
                           *(p.get("aliases") or ())])
    for node, d in G.nodes(data=True):
        add("node", node, [node, d.get("name"), *(d.get("names") or {}).values(), d.get("code")])
    return entries


def _display(G: nx.MultiDiGraph, kind: str, ident: str) -> str:
    if kind == "place":
        return str(G.graph.get("places", {})[ident].get("name", ident))
    return str(G.nodes[ident].get("name", ident))


def find_places(G: nx.MultiDiGraph, query: str, *, limit: int = 10) -> list[dict[str, Any]]:
    """Search places and nodes by name, id, alias or code.

    Parameters
    ----------
    G
        The corridor graph (``G.graph["places"]`` holds the places).
    query
        A name in any language of the data, an id or a code; case, diacritics and
        Cyrillic/Kazakh letter forms are ignored.
    limit
        Return at most this many results.

    Returns
    -------
    list of dict
        Best first: ``id``, ``name``, ``kind`` (``"place"`` or the node kind),
        ``country``, ``score`` (1 exact, 0.9 prefix, 0.8 part of a name, less for a
        near spelling) and ``matched`` (the name that matched).
    """
    check_query_length(str(query))
    q = normalize(query)
    if not q:
        msg = "empty place query; give a name, e.g. 'Aktau'"
        raise ValueError(msg)
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for norm, original, kind, ident in _index(G):
        if norm == q:
            score = 1.0
        elif norm.startswith(q):
            score = 0.9
        elif q in norm:
            score = 0.8
        else:
            ratio = difflib.SequenceMatcher(None, q, norm).ratio()
            if ratio < 0.6:
                continue
            score = round(0.75 * ratio, 3)
        key = (kind, ident)
        if key not in best or score > best[key][0]:
            best[key] = (score, original)
    results = []
    for (kind, ident), (score, matched) in best.items():
        if kind == "place":
            p = G.graph["places"][ident]
            results.append({"id": ident, "name": p.get("name", ident), "kind": "place",
                            "country": p.get("country"), "score": score, "matched": matched})
        else:
            d = G.nodes[ident]
            results.append({"id": ident, "name": d.get("name", ident), "kind": d.get("kind"),
                            "country": d.get("country"), "score": score, "matched": matched})
    results.sort(key=lambda r: (-r["score"], r["kind"] != "place", str(r["name"]), r["id"]))
    return results[: max(int(limit), 0)]


def lookup(G: nx.MultiDiGraph, query: str) -> tuple[str, str]:
    """Identify what ``query`` names: ``("node", node_id)`` or ``("place", place_id)``.

    A node id wins (so ``od_matrix(G, list(G), list(G))`` means the nodes, and
    ``alat`` is the Alat station while ``Alat`` is the place), then a place id; then names are compared after :func:`normalize`.
    Places win over nodes of the same name, and several nodes of one place stand for
    that place.

    Raises
    ------
    PlaceNotFoundError
        Nothing matches; the error lists close spellings (``Aktaw`` → ``Aktau``).
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
    q = normalize(query)
    index = _index(G)
    hit_places = sorted({i for n, _, k, i in index if n == q and k == "place"})
    hit_nodes = sorted({i for n, _, k, i in index if n == q and k == "node"})
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
    raise PlaceNotFoundError(query, _suggest(G, q, index))


def _suggest(G: nx.MultiDiGraph, q: str, index: list[tuple[str, str, str, str]]) -> list[str]:
    """Up to five readable names close to the normalized query ``q``."""
    if not q:
        return []
    by_norm: dict[str, list[tuple[str, str]]] = {}
    for norm, _, kind, ident in index:
        by_norm.setdefault(norm, []).append((kind, ident))
    close = difflib.get_close_matches(q, list(by_norm), n=8, cutoff=0.6)
    prefix = sorted(n for n in by_norm if n.startswith(q) and n not in close)
    out: list[str] = []
    for norm in [*close, *prefix]:
        for kind, ident in sorted(by_norm[norm], key=lambda t: t[0] != "place"):
            name = _display(G, kind, ident)
            if kind == "node" and G.nodes[ident].get("place"):
                name = _display(G, "place", G.nodes[ident]["place"])
            if name not in out:
                out.append(name)
    return out[:5]


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
    own = [n for n, d in G.nodes(data=True) if d.get("place") == place]
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
           "resolve", "resolve_all", "resolve_end"]
