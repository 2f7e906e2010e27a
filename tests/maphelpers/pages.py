"""Every HTML output of the maps, built from one graph, and digests to compare them.

``outputs(G)`` maps an output name (``OUTPUTS``) to its page; ``route_*`` pages come from
a real Route, ``route_html`` and ``route_repr_html`` with their map taken out of ``srcdoc``.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

from corridor import maps
from corridor.maps import story
from corridor.routing import route

from . import small_graph


def _fragment_page(fragment: str) -> str:
    """The table of a ``route_html`` fragment and its map page (taken out of ``srcdoc``)."""
    table, rest = fragment.split('<iframe srcdoc="', 1)
    return table + "\n" + html.unescape(rest.split('"', 1)[0])


def _route(G: nx.MultiDiGraph) -> Any:
    return route(G, "altynkol", "tbilisi", by="time", alternatives=1)


OUTPUTS: dict[str, Callable[[nx.MultiDiGraph, Any], str]] = {
    "network_online": lambda G, r: maps.network_map(G).get_root().render(),
    "network_offline": lambda G, r: maps.network_map(G, offline=True).get_root().render(),
    "route_online": lambda G, r: maps.route_map(r, G).get_root().render(),
    "route_offline": lambda G, r: maps.route_map(r, G, offline=True).get_root().render(),
    "route_html": lambda G, r: _fragment_page(maps.route_html(r, G, offline=True)),
    "route_repr_html": lambda G, r: _fragment_page(r._repr_html_()),
    "story_online": lambda G, r: story.story_map(G).get_root().render(),
    "story_offline": lambda G, r: story.story_map(G, offline=True).get_root().render(),
}
NETWORK = ("network_online", "network_offline", "story_online", "story_offline")
ROUTES = ("route_online", "route_offline", "route_html", "route_repr_html")
STORY = ("story_online", "story_offline")


def outputs(G: nx.MultiDiGraph, names: Iterable[str] = OUTPUTS) -> dict[str, str]:
    """The HTML outputs ``names`` built from ``G`` (``route_*`` from a real Route)."""
    names = list(names)
    r = _route(G) if set(names) & set(ROUTES) else None
    return {name: OUTPUTS[name](G, r) for name in names}


def all_pages() -> dict[str, str]:
    """Every output of :func:`small_graph`."""
    return outputs(small_graph())


def digests(pages: dict[str, str]) -> dict[str, str]:
    """SHA-256 of each page (a failing comparison then shows short strings)."""
    return {name: hashlib.sha256(page.encode("utf-8")).hexdigest() for name, page in pages.items()}
