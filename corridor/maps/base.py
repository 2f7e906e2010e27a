"""The base of every map: plain Leaflet (inline or from a pinned CDN), tiles or country
outlines, the page's title and CSS, text labels and the legend's HTML."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import folium

from corridor._validate import check_flag, check_graph, check_instance, check_year
from corridor.maps.assets import LEAFLET_CDN, boundaries, leaflet_inline
from corridor.maps.elements import Bind, RawHead, page
from corridor.maps.geo import Point, latlon
from corridor.maps.html import JINJA_DELIMITERS, esc
from corridor.maps.style import LAND_COLOR, MODE_COLORS, MODE_LABELS, NO_DATA_COLOR, SEA_COLOR

__all__ = ["base_map", "check_map_args", "label", "legend_html"]

OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
NATURAL_EARTH_ATTRIBUTION = "Country outlines: Natural Earth (public domain)"
_CSS = """
<style>
.corridor-legend { background: rgba(255,255,255,.92); padding: 6px 9px; font: 12px/1.35 sans-serif;
  border-radius: 5px; box-shadow: 0 1px 4px rgba(0,0,0,.35); max-width: 300px; color: #222; }
.corridor-legend h4 { margin: 0 0 4px; font-size: 13px; }
.corridor-legend .sw { display: inline-block; width: 22px; height: 0; margin-right: 6px;
  vertical-align: middle; border-top: 4px solid #000; }
.corridor-legend .dot { display: inline-block; width: 10px; height: 10px; margin: 0 8px 0 6px;
  border-radius: 50%; vertical-align: middle; border: 1px solid #fff; }
.corridor-legend .note { color: #555; margin-top: 4px; }
.corridor-popup table { border-collapse: collapse; font: 12px sans-serif; }
.corridor-popup th { text-align: left; padding: 1px 8px 1px 0; color: #555; font-weight: normal; }
.corridor-popup td { padding: 1px 0; }
.corridor-year { background: #fff; border: 1px solid #888; border-radius: 3px; padding: 0 3px;
  font: bold 10px sans-serif; color: #333; box-shadow: none; }
.corridor-country { background: transparent; border: 0; box-shadow: none; color: #6b6257;
  font: 600 12px sans-serif; text-shadow: 0 0 3px #fff; }
.corridor-water { background: transparent; border: 0; box-shadow: none; color: #3f6f99;
  font: italic 600 12px serif; }
.corridor-country:before, .corridor-water:before, .corridor-year:before { display: none; }
.corridor-arrow { background: transparent; border: 0; }
</style>
"""


def check_map_args(G: Any, offline: Any, year: Any, tiles: Any, *,
                   optional_graph: bool = False) -> None:
    """Check the arguments the map functions share (the graph, offline, year, tiles)."""
    if G is not None or not optional_graph:
        check_graph(G)
    check_flag(offline, "offline")
    check_year(year)
    check_instance(tiles, str, "tiles", "a tiles name or URL (str)")


def base_map(*, offline: bool, tiles: str | None, title: str) -> folium.Map:
    """A map with only plain Leaflet (inline or from a pinned CDN URL) and a base layer."""
    use_tiles = tiles if (tiles and not offline) else None
    if use_tiles is not None and any(d in str(use_tiles) for d in JINJA_DELIMITERS):
        msg = f"tiles {use_tiles!r} cannot contain '{{{{', '{{%' or '{{#'; give a tiles name or URL"
        raise ValueError(msg)
    m = folium.Map(
        location=[43.0, 55.0],
        zoom_start=5,
        tiles=None,
        control_scale=True,
    )
    # Plain Leaflet only: drop jQuery, Bootstrap, awesome-markers, font-awesome.
    if offline:
        m.default_js = []
        m.default_css = []
        css, js = leaflet_inline()
        root = page(m)
        root.header.add_child(RawHead(css), name="leaflet_css")
        root.header.add_child(RawHead(js), name="leaflet_js")
    else:
        m.default_js = [("leaflet", f"{LEAFLET_CDN}/leaflet.js")]
        m.default_css = [("leaflet_css", f"{LEAFLET_CDN}/leaflet.css")]
    root = page(m)
    root.header.add_child(RawHead(f"<title>{esc(title)}</title>"), name="corridor_title")
    root.header.add_child(RawHead(_CSS), name="corridor_css")
    if use_tiles is None:
        _add_boundaries(m)
    elif use_tiles == "OpenStreetMap":
        folium.TileLayer("OpenStreetMap", attr=OSM_ATTRIBUTION, name="OpenStreetMap").add_to(m)
    else:
        folium.TileLayer(use_tiles, name=str(use_tiles)).add_to(m)
    return m


def _add_boundaries(m: folium.Map) -> None:
    """Country outlines with names, and the sea, inside the area of the boundaries file.

    Outside that area the map's background (grey, "no data") shows.
    """
    data = boundaries()
    features = []
    labels = []
    for f in data["features"]:
        props = f["properties"]
        kind = "water" if props.get("water") else "corridor" if props.get("corridor") else "land"
        features.append(
            {
                "type": "Feature",
                "id": kind + str(props.get("iso_a2", "")),
                "properties": {"kind": kind},
                "geometry": f["geometry"],
            }
        )
        if kind == "corridor" and "label_lon" in props:
            labels.append(((props["label_lon"], props["label_lat"]), props.get("name", "")))

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        kind = feature["properties"]["kind"]
        if kind == "water":
            return {"stroke": False, "fillColor": SEA_COLOR, "fillOpacity": 1}
        strong = kind == "corridor"
        return {
            "color": "#9c8f80" if strong else "#b5aea5",
            "weight": 1 if strong else 0.6,
            "fillColor": LAND_COLOR if strong else "#e4e1dc",
            "fillOpacity": 1,
        }

    group = folium.FeatureGroup(name="Countries", control=False)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="Countries",
        style_function=style,
        interactive=False,
        attribution=NATURAL_EARTH_ATTRIBUTION,
    ).add_to(group)
    water = [((50.6, 41.8), "Caspian Sea"), ((34.5, 43.3), "Black Sea")]
    for (lon, lat), text in labels:
        label(group, (lon, lat), esc(text), "corridor-country")
    for (lon, lat), text in water:
        label(group, (lon, lat), esc(text), "corridor-water")
    group.add_to(m)
    root = page(m)
    root.header.add_child(
        RawHead(f"<style>.leaflet-container {{ background: {NO_DATA_COLOR}; }}</style>"),
        name="corridor_background",
    )


def label(parent: Any, at: Point, text_html: str, class_name: str) -> None:
    """A text label (a permanent tooltip on an invisible point)."""
    marker = folium.CircleMarker(latlon([at])[0], radius=1, stroke=False, fill=False)
    marker.options["interactive"] = False
    marker.add_child(
        Bind(tooltip=text_html, permanent=True, direction="center", class_name=class_name)
    )
    marker.add_to(parent)


def legend_html(*, title: str, modes: Iterable[str], extra: str = "") -> str:
    """Escaped legend HTML: modes as coloured lines, dashes, point layers."""
    parts = [f"<h4>{esc(title)}</h4>"]
    for mode in modes:
        parts.append(
            f'<div><span class="sw" style="border-top-color:{MODE_COLORS[mode]}"></span>'
            f"{esc(MODE_LABELS[mode])}</div>"
        )
    parts.append(extra)
    return "".join(parts)
