"""The index of place and node names of a graph, built once and kept in its cache.

:func:`place_index` gives every searchable string of a graph (names in four scripts,
aliases, ids, codes) folded by :func:`corridor.names.normalize`, the place each node
belongs to and the nodes of each place; :mod:`corridor.places` searches it and
:mod:`corridor.terminals` takes a place's nodes from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

import networkx as nx

from corridor.names import normalize, skeleton


class PlaceIndex:
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


def place_index(G: nx.MultiDiGraph) -> PlaceIndex:
    """The place index of ``G``, built once and kept in the graph's networkx cache.

    networkx empties that cache when nodes or edges change; adding or removing a place
    (``G.graph["places"]``) builds it anew too. After editing names in place, empty it
    (``G.__networkx_cache__.clear()``). A view shares the index of the graph it shows.
    """
    # not at the top: _validate imports numpy and shapely
    from corridor._validate import graph_cache, graph_root

    places = G.graph.get("places", {})
    signature = (id(places), len(places))
    cache = graph_cache(G)
    kept = cache.get(_INDEX_KEY)
    if kept is None or kept[0] != signature:
        kept = cache[_INDEX_KEY] = (signature, PlaceIndex(graph_root(G)))
    return kept[1]


__all__ = ["PlaceIndex", "place_index"]
