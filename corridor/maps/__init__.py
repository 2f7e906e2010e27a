"""Maps of the network, of routes and of the corridor's story (folium / Leaflet).

- :func:`network_map` (:mod:`~corridor.maps.network`) draws the graph: one layer per
  mode and for ports, airports and border crossings, planned lines dashed with their
  opening year, a legend, and the figures of every link in its tooltip and popup.
- :func:`route_map` (:mod:`~corridor.maps.route`) draws one route or several over the
  dimmed network; :func:`route_table_html` is a route's itinerary table and
  :func:`route_html` the table and the map as one HTML fragment (``Route._repr_html_``).
- :func:`story_map` (:mod:`~corridor.maps.story`) is the network with the story of the
  Kazakhstan–Azerbaijan partnership on top.
- :func:`save_map` (:mod:`~corridor.maps.output`) writes a map atomically.

With ``offline=True`` the page needs no network: Leaflet's JavaScript and CSS
(vendored in ``corridor/_assets``) and its images are inlined, folium's other
defaults (jQuery, Bootstrap, awesome-markers) are dropped, and instead of tiles the
map draws country outlines from the shipped ``boundaries.geojson`` (Natural Earth)
(:mod:`~corridor.maps.assets`, :mod:`~corridor.maps.base`).

Every text from the data (names, sources, labels) is HTML-escaped by
:func:`corridor.maps.html.esc`, braces included, and it reaches JavaScript only as JSON
(``tojson``), never inside a JavaScript template literal; so a node named
``<img src=x onerror=alert(1)>`` shows as text and runs nothing. No text from the data
is ever Jinja template source: every element renders once
(:mod:`~corridor.maps.elements`), and, as a second wall, what is passed to folium
(GeoJSON properties and ids, layer names) has its braces escaped as HTML entities.
"""

from __future__ import annotations

from corridor.maps.assets import LEAFLET_CDN, LEAFLET_VERSION
from corridor.maps.base import check_map_args
from corridor.maps.network import network_map
from corridor.maps.output import save_map
from corridor.maps.route import route_html, route_map, route_table_html
from corridor.maps.story import caspian_crossings, story_map
from corridor.maps.story_panel import story_panel_html, volumes_svg
from corridor.maps.style import ALT_COLORS, END_COLOR, MODE_COLORS, START_COLOR

__all__ = [
    "ALT_COLORS",
    "END_COLOR",
    "LEAFLET_CDN",
    "LEAFLET_VERSION",
    "MODE_COLORS",
    "START_COLOR",
    "caspian_crossings",
    "check_map_args",
    "network_map",
    "route_html",
    "route_map",
    "route_table_html",
    "save_map",
    "story_map",
    "story_panel_html",
    "volumes_svg",
]
