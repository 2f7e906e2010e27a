"""Maps of the network and of routes (folium / Leaflet).

- :func:`network_map` draws the graph: one layer per mode (rail, road, sea, air) and
  for ports, airports and border crossings, planned lines dashed with their opening
  year, a legend, and the figures of every link in its tooltip and popup.
- :func:`route_map` draws one route or several over the dimmed network, legs coloured
  by mode, with arrows for the direction, start and end markers, and each
  alternative in its own colour and layer.
- :func:`save_map` writes a map atomically; :func:`route_html` gives the itinerary
  table and the map as one HTML fragment (for ``Route._repr_html_``).

With ``offline=True`` the page needs no network: Leaflet's JavaScript and CSS
(vendored in ``corridor/_assets``) and its images are inlined, folium's other
defaults (jQuery, Bootstrap, awesome-markers) are dropped, and instead of tiles the
map draws country outlines from the shipped ``boundaries.geojson`` (Natural Earth).

Every text from the data (names, sources, labels) is HTML-escaped by :func:`_esc`,
braces included, and it reaches JavaScript only as JSON (``tojson``), never inside a
JavaScript template literal; so a node named ``<img src=x onerror=alert(1)>`` shows
as text and runs nothing. folium's own ``Tooltip`` and ``Popup`` are not used for
that reason: they paste their text into a template literal, where ``${...}`` would run.

No text from the data is ever Jinja template source. branca renders the output of
every element's macros a second time, as a new template, where a name such as
``{{ 7*7 }}`` would run. Here every element renders once (:class:`_RenderOnce`: our
own elements are made so, and :func:`_finish` makes folium's so), and, as a second
wall, what is passed to folium (GeoJSON properties and ids, layer names) has its
braces escaped as HTML entities. :func:`_finish` also numbers the elements' ids in
tree order instead of folium's random ones, so the same input gives the same bytes.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import folium
import networkx as nx
from branca.element import Element, MacroElement
from folium.template import Template
from folium.utilities import JsCode
from shapely.geometry import LineString, mapping
from shapely.geometry import Point as ShapelyPoint

from corridor._validate import (
    ArgumentTypeError,
    check_flag,
    check_graph,
    check_instance,
    check_whole,
    check_year,
)

__all__ = ["network_map", "route_html", "route_map", "save_map"]

#: Colour of each mode (lines, legend, route legs).
MODE_COLORS: dict[str, str] = {
    "rail": "#c0392b",
    "road": "#e08e0b",
    "sea": "#1f6fb2",
    "air": "#7d3c98",
    "transfer": "#555555",
    "border": "#222222",
}
MODE_LABELS: dict[str, str] = {
    "rail": "Rail",
    "road": "Road",
    "sea": "Sea",
    "air": "Air",
    "transfer": "Transfer",
    "border": "Border",
}
#: Colours of the alternatives (the best route is drawn in the colours of its modes).
ALT_COLORS: tuple[str, ...] = ("#e7298a", "#1b9e77", "#a6761d", "#666666", "#66a61e")
#: Point layers: node kind -> layer name, colour.
POINT_LAYERS: dict[str, tuple[str, str]] = {
    "port": ("Ports", "#1f6fb2"),
    "airport": ("Airports", "#7d3c98"),
    "border": ("Border crossings", "#222222"),
}
OTHER_POINTS = ("Stations, terminals and cities", "#7f8c8d")
DASHES = {"planned": "8 6", "under_construction": "3 6"}
STATUS_LABELS = {"open": "open", "planned": "planned", "under_construction": "under construction"}

ARROW_COLOR = "#222222"  # direction arrows on the best route (alternatives: their colour)
START_COLOR = "#1a9850"
END_COLOR = "#d73027"
SEA_COLOR = "#b3d1e6"
LAND_COLOR = "#f4efe6"
NO_DATA_COLOR = "#d9d9d9"
ROUTE_PANE = "corridorRoute"  # Leaflet panes: alternatives under the best route
ALT_PANE = "corridorAlternatives"
DECIMALS = 4  # ~11 m: coordinates are rounded to this many decimals
SIMPLIFY_DEG = 0.005  # ~500 m: network geometry is simplified to this tolerance
LEAFLET_VERSION = "1.9.4"
LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
NATURAL_EARTH_ATTRIBUTION = "Country outlines: Natural Earth (public domain)"

Point = tuple[float, float]  # (lon, lat)


# ---------------------------------------------------------------- small helpers
def _latlon(points: Iterable[Sequence[float]]) -> list[list[float]]:
    """Turn (lon, lat) points into folium's [lat, lon], rounded.

    The only place where the axis order is swapped: shapely and GeoJSON use
    (lon, lat), folium and Leaflet (lat, lon).
    """
    return [[round(float(p[1]), DECIMALS), round(float(p[0]), DECIMALS)] for p in points]


_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
_JINJA_DELIMITERS = ("{{", "{%", "{#")


def _esc(value: Any) -> str:
    """HTML-escape any value, braces too, so that no Jinja tag can form (None: "")."""
    return html.escape("" if value is None else str(value), quote=True).translate(_BRACES)


def _brace_free(value: Any) -> Any:
    """``value`` (JSON-like) with the braces of every string escaped as HTML entities.

    For what goes into folium's elements, whose output branca renders again as a
    template; the strings are HTML (or ids), where ``&#123;`` shows as ``{``.
    """
    if isinstance(value, str):
        return value.translate(_BRACES)
    if isinstance(value, Mapping):
        return {k: _brace_free(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_brace_free(v) for v in value]
    return value


def _figure(value: Any) -> float | None:
    """A figure as a float, or None when it is blank, not a number or NaN."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _num(value: Any, unit: str, *, digits: int = 0) -> str:
    """Format a figure with its unit; blank or NaN becomes a dash."""
    number = _figure(value)
    if number is None:
        return "–"
    return f"{number:,.{digits}f} {unit}".strip()


def _hours(value: Any) -> str:
    number = _figure(value)
    if number is None:
        return "–"
    if number >= 48:
        return f"{number:,.0f} h ({number / 24:.1f} d)"
    return f"{number:,.1f} h"


def _usd(value: Any) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if math.isnan(number) else f"USD {number:,.0f}"


def _table(rows: Iterable[Sequence[str]], *, title: str = "") -> str:
    """An HTML table from (label, value) rows; both must already be escaped."""
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    head = f"<b>{title}</b>" if title else ""
    return f'<div class="corridor-popup">{head}<table>{body}</table></div>'


def _figure_rows(data: Mapping[str, Any]) -> list[list[str]]:
    """Escaped [label, value] rows for distance, time, cost and CO2 of an edge or leg."""
    return [
        ["distance", _esc(_num(data.get("distance_km"), "km"))],
        ["time", _esc(_hours(data.get("time_h")))],
        ["cost", _esc(_usd(data.get("cost_usd")))],
        ["CO₂", _esc(_num(data.get("co2_kg"), "kg"))],
    ]


def _mode_label(mode: Any) -> str:
    return MODE_LABELS.get(str(mode), str(mode).title())


def _is_number(value: Any) -> bool:
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def _year(value: Any) -> int | None:
    return int(float(value)) if _is_number(value) else None


def _mercator_bearing(a: Point, b: Point) -> float:
    """Screen angle in degrees (clockwise from east) of the segment a→b on a Web Mercator map."""
    dx = math.radians(b[0] - a[0])

    def merc(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dy = merc(b[1]) - merc(a[1])
    return -math.degrees(math.atan2(dy, dx))


def _round_geojson(geom: Any) -> Any:
    """Round the coordinates of a GeoJSON geometry mapping (nested lists)."""
    if isinstance(geom, (list, tuple)):
        if geom and isinstance(geom[0], (int, float)):
            return [round(float(c), DECIMALS) for c in geom]
        return [_round_geojson(g) for g in geom]
    return geom


def _feature(geometry: Any, props: dict[str, Any], fid: str) -> dict[str, Any]:
    """A GeoJSON feature; its id and properties have no brace left (see :func:`_brace_free`)."""
    geo = mapping(geometry)
    return {
        "type": "Feature",
        "id": _brace_free(fid),
        "properties": _brace_free(props),
        "geometry": {"type": geo["type"], "coordinates": _round_geojson(geo["coordinates"])},
    }


# ---------------------------------------------------------------- folium elements
class _RawHead(Element):
    """A piece of the page taken as it is (never a template: Leaflet and data have braces)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawHead"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _RenderOnce(MacroElement):
    """A ``MacroElement`` whose macros' output goes into the page as it is.

    branca's ``MacroElement.render`` makes a new template of that output and renders
    it again, so any text in it (a name, a source) would run as Jinja. The templates
    are constant; text reaches them only as variables.
    """

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                text = str(macro(self, kwargs))
                text = text[:-1] if text.endswith("\n") else text  # as Jinja's second pass did
                getattr(figure, part).add_child(_RawHead(text), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


@cache
def _render_once_class(cls: type[MacroElement]) -> type[MacroElement]:
    """``cls`` rendering once: a subclass with :class:`_RenderOnce` after it, same name."""
    return type(cls.__name__, (cls, _RenderOnce), {"__module__": cls.__module__})


class _Bind(_RenderOnce):
    """Bind a tooltip and/or popup to the parent layer, passing the HTML as JSON.

    The HTML must be escaped already; JSON in a ``<script>`` via ``tojson`` cannot
    close the script or run a template-literal substitution.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {%- if this.tooltip %}
        {{ this._parent.get_name() }}.bindTooltip({{ this.tooltip|tojson }},
            {{ this.tooltip_options|tojson }});
        {%- endif %}
        {%- if this.popup %}
        {{ this._parent.get_name() }}.bindPopup({{ this.popup|tojson }}, {"maxWidth": 360});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        *,
        tooltip: str | None = None,
        popup: str | None = None,
        permanent: bool = False,
        direction: str = "auto",
        class_name: str = "",
    ) -> None:
        super().__init__()
        self._name = "Bind"
        self.tooltip = tooltip
        self.popup = popup
        self.tooltip_options: dict[str, Any] = {"sticky": not permanent}
        if permanent:
            self.tooltip_options.update(permanent=True, direction=direction)
        if class_name:
            self.tooltip_options["className"] = class_name


class _Legend(_RenderOnce):
    """A legend box (a Leaflet control); ``html`` must be escaped already."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "corridor-legend");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html_text


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


# ---------------------------------------------------------------- assets
@cache
def _asset_bytes(name: str) -> bytes:
    """Read a vendored asset from ``corridor/_assets``."""
    return (resources.files("corridor") / "_assets" / name).read_bytes()


def _data_uri(name: str, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(_asset_bytes(name)).decode("ascii")


@cache
def _leaflet_inline() -> tuple[str, str]:
    """Leaflet's CSS (images as data: URIs) and JavaScript, ready to inline."""
    css = _asset_bytes("leaflet/leaflet.css").decode("utf-8")
    css = re.sub(
        r"url\(images/([\w.-]+\.png)\)",
        lambda m: f"url({_data_uri('leaflet/images/' + m.group(1))})",
        css,
    )
    js = _asset_bytes("leaflet/leaflet.js").decode("utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    if "</script" in js.lower():  # pragma: no cover - guard for a future Leaflet
        msg = "the vendored leaflet.js cannot be inlined (it contains '</script')"
        raise ValueError(msg)
    icons = (
        "L.Icon.Default.imagePath = '';"
        "L.Icon.Default.mergeOptions({"
        f"iconUrl: {json.dumps(_data_uri('leaflet/images/marker-icon.png'))},"
        f"iconRetinaUrl: {json.dumps(_data_uri('leaflet/images/marker-icon-2x.png'))},"
        f"shadowUrl: {json.dumps(_data_uri('leaflet/images/marker-shadow.png'))}}});"
    )
    return f"<style>{css}</style>", f"<script>{js}</script><script>{icons}</script>"


@cache
def _boundaries() -> dict[str, Any]:
    """The shipped country outlines (GeoJSON FeatureCollection)."""
    try:
        from corridor.data import data_path

        path = data_path("boundaries.geojson")
    except ImportError:  # pragma: no cover - corridor.data is always there
        path = Path(__file__).resolve().parent.parent / "data" / "boundaries.geojson"
    if not path.exists():
        msg = f"the country outlines file {path} is missing; reinstall corridor"
        raise FileNotFoundError(msg)
    return json.loads(path.read_text(encoding="utf-8"))


def _finish(m: folium.Map) -> folium.Map:
    """Make every element of the page render once, with ids numbered in tree order.

    Rendering once (:class:`_RenderOnce`) keeps text out of Jinja; numbered ids instead
    of folium's random ones make the same input render to the same bytes. Returns ``m``.
    """
    counter = itertools.count()

    def visit(element: Element) -> None:
        element._id = f"{next(counter):06x}"
        if isinstance(element, MacroElement) and not isinstance(element, _RenderOnce):
            element.__class__ = _render_once_class(type(element))
        for child in element._children.values():
            visit(child)

    visit(m.get_root())
    return m


# ---------------------------------------------------------------- the base map
def _base_map(*, offline: bool, tiles: str | None, title: str) -> folium.Map:
    """A map with only plain Leaflet (inline or from a pinned CDN URL) and a base layer."""
    use_tiles = tiles if (tiles and not offline) else None
    if use_tiles is not None and any(d in str(use_tiles) for d in _JINJA_DELIMITERS):
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
        css, js = _leaflet_inline()
        root = m.get_root()
        root.header.add_child(_RawHead(css), name="leaflet_css")
        root.header.add_child(_RawHead(js), name="leaflet_js")
    else:
        m.default_js = [("leaflet", f"{LEAFLET_CDN}/leaflet.js")]
        m.default_css = [("leaflet_css", f"{LEAFLET_CDN}/leaflet.css")]
    root = m.get_root()
    root.header.add_child(_RawHead(f"<title>{_esc(title)}</title>"), name="corridor_title")
    root.header.add_child(_RawHead(_CSS), name="corridor_css")
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
    data = _boundaries()
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
        _label(group, (lon, lat), _esc(text), "corridor-country")
    for (lon, lat), text in water:
        _label(group, (lon, lat), _esc(text), "corridor-water")
    group.add_to(m)
    root = m.get_root()
    root.header.add_child(
        _RawHead(f"<style>.leaflet-container {{ background: {NO_DATA_COLOR}; }}</style>"),
        name="corridor_background",
    )


def _label(parent: Any, at: Point, text_html: str, class_name: str) -> None:
    """A text label (a permanent tooltip on an invisible point)."""
    marker = folium.CircleMarker(_latlon([at])[0], radius=1, stroke=False, fill=False)
    marker.options["interactive"] = False
    marker.add_child(
        _Bind(tooltip=text_html, permanent=True, direction="center", class_name=class_name)
    )
    marker.add_to(parent)


# ---------------------------------------------------------------- network layers
def _edge_key(u: Any, v: Any, data: Mapping[str, Any]) -> tuple[Any, ...]:
    a, b = sorted((str(u), str(v)))
    eid = data.get("id")
    return (eid,) if eid else (a, b, data.get("mode"))


def _edge_line(G: nx.MultiDiGraph, u: Any, v: Any, data: Mapping[str, Any]) -> LineString:
    geom = data.get("geometry")
    if isinstance(geom, LineString) and not geom.is_empty:
        return geom
    nu, nv = G.nodes[u], G.nodes[v]
    return LineString([(nu["x"], nu["y"]), (nv["x"], nv["y"])])


def _future(data: Mapping[str, Any], year: int | None) -> str | None:
    """The status to draw dashed ('planned', 'under_construction'), or None if open."""
    status = str(data.get("status") or "open")
    opens = _year(data.get("year_open"))
    if year is not None and opens is not None and opens <= year:
        return None
    if status in DASHES:
        return status
    if year is not None and opens is not None and opens > year:
        return "planned"
    return None


def _visible(data: Mapping[str, Any], year: int | None) -> bool:
    """Whether an edge belongs to the network of ``year`` (all edges when None)."""
    if year is None:
        return True
    status = str(data.get("status") or "open")
    opens = _year(data.get("year_open"))
    if opens is None:
        return status == "open"
    return opens <= year


def _edge_props(G: nx.MultiDiGraph, u: Any, v: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """Escaped title ``t``, tooltip line ``s`` and popup rows ``r`` of one network edge."""
    a = G.nodes[u].get("name", u)
    b = G.nodes[v].get("name", v)
    mode = _mode_label(data.get("mode"))
    status = str(data.get("status") or "open")
    opens = _year(data.get("year_open"))
    status_text = STATUS_LABELS.get(status, status)
    if opens is not None:
        status_text += f" ({'since' if status == 'open' else 'opening'} {opens})"
    line = f"{_num(data.get('distance_km'), 'km')} · {_hours(data.get('time_h'))}"
    if status != "open":
        line += f" · {status_text}"
    rows = [["mode", _esc(mode)], ["status", _esc(status_text)], *_figure_rows(data)]
    if _is_number(data.get("capacity")):
        cap = float(data["capacity"])
        rows.append(["capacity", _esc(f"{cap:,.6g} {data.get('capacity_unit') or ''}".strip())])
    rows.append(["source", _esc(data.get("source"))])
    if data.get("id"):
        rows.append(["id", _esc(data.get("id"))])
    return {"t": f"{_esc(mode)}: {_esc(a)} – {_esc(b)}", "s": _esc(line), "r": rows}


_ON_EACH = JsCode(
    """function (feature, layer) {
        var p = feature.properties;
        if (!p.t) { return; }
        layer.bindTooltip(p.t + (p.s ? "<br>" + p.s : ""), {sticky: true});
        layer.bindPopup(function () {
            var rows = (p.r || []).map(function (r) {
                return "<tr><th>" + r[0] + "</th><td>" + r[1] + "</td></tr>";
            }).join("");
            return '<div class="corridor-popup"><b>' + p.t + "</b><table>" + rows + "</table></div>";
        }, {maxWidth: 360});
    }"""
)
"""Binds a tooltip and a popup built from escaped properties ``t`` (title), ``s``
(second tooltip line) and ``r`` (popup rows [label, value])."""


def _add_lines(
    parent: Any,
    features: list[dict[str, Any]],
    *,
    color: str,
    weight: float,
    opacity: float,
    interactive: bool,
    name: str,
) -> None:
    if not features:
        return

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        status = feature["properties"].get("status")
        out: dict[str, Any] = {"color": color, "weight": weight, "opacity": opacity}
        if status in DASHES:
            out["dashArray"] = DASHES[status]
        return out

    kwargs: dict[str, Any] = {"interactive": interactive}
    if interactive:
        kwargs["on_each_feature"] = _ON_EACH
        kwargs["highlight_function"] = lambda _f: {"weight": weight + 3, "opacity": 1}
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        style_function=style,
        control=False,
        **kwargs,
    ).add_to(parent)


def _add_points(parent: Any, features: list[dict[str, Any]], *, color: str, name: str) -> None:
    if not features:
        return
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        marker=folium.CircleMarker(
            radius=5, color="#ffffff", weight=1.5, fill=True, fill_color=color, fill_opacity=0.95
        ),
        on_each_feature=_ON_EACH,
        control=False,
    ).add_to(parent)


def _network_layers(
    m: folium.Map,
    G: nx.MultiDiGraph,
    *,
    year: int | None,
    dim: bool,
) -> list[list[float]]:
    """Add the network's layers to ``m``; return the [lat, lon] corners of what was drawn."""
    lines: dict[str, list[dict[str, Any]]] = {mode: [] for mode in ("rail", "road", "sea", "air")}
    border_lines: list[dict[str, Any]] = []
    year_labels: dict[str, list[tuple[Point, str]]] = {mode: [] for mode in lines}
    seen: set[tuple[Any, ...]] = set()
    used_nodes: set[Any] = set()
    for u, v, data in G.edges(data=True):
        key = _edge_key(u, v, data)
        if key in seen or not _visible(data, year):
            continue
        seen.add(key)
        mode = str(data.get("mode"))
        used_nodes.update((u, v))
        if mode not in lines and mode != "border":
            continue  # transfer edges stay inside a port or terminal
        line = _edge_line(G, u, v, data).simplify(SIMPLIFY_DEG, preserve_topology=False)
        future = _future(data, year)
        props: dict[str, Any] = {"status": future or "open"}
        if not dim:
            props.update(_edge_props(G, u, v, data))
        feature = _feature(line, props, fid="|".join(map(str, key)))
        if mode == "border":
            border_lines.append(feature)
            continue
        lines[mode].append(feature)
        opens = _year(data.get("year_open"))
        if future and opens is not None and not dim:
            mid = line.interpolate(0.5, normalized=True)
            year_labels[mode].append(((mid.x, mid.y), str(opens)))

    if dim:
        group = folium.FeatureGroup(name="Network", show=True)
        for mode, feats in lines.items():
            _add_lines(
                group,
                feats,
                color=MODE_COLORS[mode],
                weight=2,
                opacity=0.35,
                interactive=False,
                name=f"network_{mode}",
            )
        group.add_to(m)
    else:
        for mode, feats in lines.items():
            if not feats:
                continue
            # air links are many long straight lines: off until asked for, and lighter
            group = folium.FeatureGroup(name=_esc(MODE_LABELS[mode]), show=mode != "air")
            _add_lines(
                group,
                feats,
                color=MODE_COLORS[mode],
                weight=3 if mode != "air" else 1.5,
                opacity=0.85 if mode != "air" else 0.6,
                interactive=True,
                name=mode,
            )
            for at, text in year_labels[mode]:
                _label(group, at, _esc(text), "corridor-year")
            group.add_to(m)

    if not dim:
        _point_layers(m, G, used_nodes if year is not None else None, border_lines)
    xs = [float(d["x"]) for _n, d in G.nodes(data=True) if "x" in d]
    ys = [float(d["y"]) for _n, d in G.nodes(data=True) if "y" in d]
    if not xs:
        return []
    return _latlon([(min(xs), min(ys)), (max(xs), max(ys))])


def _point_layers(
    m: folium.Map,
    G: nx.MultiDiGraph,
    only: set[Any] | None,
    border_lines: list[dict[str, Any]],
) -> None:
    """Ports, airports, border crossings (with the border links), stations: a marker a place.

    A port is several nodes joined by transfer edges; they share one marker, whose
    popup lists them. ``only`` restricts the markers to these nodes.
    """
    points: dict[str, dict[Any, list[Any]]] = {}
    for n, nd in G.nodes(data=True):
        if only is not None and n not in only:
            continue
        layer = POINT_LAYERS.get(str(nd.get("kind")), OTHER_POINTS)[0]
        points.setdefault(layer, {}).setdefault(nd.get("place") or n, []).append(n)
    layer_colors = dict(POINT_LAYERS.values())
    layer_colors[OTHER_POINTS[0]] = OTHER_POINTS[1]
    order = [name for name, _c in POINT_LAYERS.values()] + [OTHER_POINTS[0]]
    for layer in order:
        places = points.get(layer, {})
        is_border = layer == POINT_LAYERS["border"][0]
        if not places and not (is_border and border_lines):
            continue
        feats = []
        for place, nodes in places.items():
            xs = [float(G.nodes[n]["x"]) for n in nodes]
            ys = [float(G.nodes[n]["y"]) for n in nodes]
            pt = ShapelyPoint(sum(xs) / len(xs), sum(ys) / len(ys))
            feats.append(_feature(pt, _node_props(G, nodes), fid=f"{layer}|{place}"))
        group = folium.FeatureGroup(name=_esc(layer), show=layer != OTHER_POINTS[0])
        if is_border:
            _add_lines(
                group,
                border_lines,
                color=MODE_COLORS["border"],
                weight=3,
                opacity=0.9,
                interactive=True,
                name="border_edges",
            )
        _add_points(group, feats, color=layer_colors[layer], name=layer)
        group.add_to(m)


def _node_props(G: nx.MultiDiGraph, nodes: list[Any]) -> dict[str, Any]:
    """Escaped title, tooltip line and popup rows of a marker for the nodes of one place."""
    first = G.nodes[nodes[0]]
    name = first.get("name", nodes[0])
    if len(nodes) > 1:  # several nodes of one place: the place's name
        place = (G.graph.get("places") or {}).get(first.get("place") or "")
        if isinstance(place, Mapping) and place.get("name"):
            name = place["name"]
    kind = str(first.get("kind", "")).replace("_", " ")
    country = first.get("country", "")
    rows = [["kind", _esc(kind)], ["country", _esc(country)]]
    names = first.get("names") or {}
    if isinstance(names, Mapping):
        others = [f"{_esc(k)}: {_esc(v)}" for k, v in names.items() if v and v != name]
        if others:
            rows.append(["names", "<br>".join(others)])
    if len(nodes) > 1:
        rows.append(["nodes", "<br>".join(_esc(G.nodes[n].get("name", n)) for n in nodes)])
    else:
        rows.append(["id", _esc(nodes[0])])
    rows.append(["source", _esc(first.get("source"))])
    return {"t": _esc(name), "s": _esc(f"{kind}, {country}"), "r": rows}


def _legend_html(*, title: str, modes: Iterable[str], extra: str = "") -> str:
    """Escaped legend HTML: modes as coloured lines, dashes, point layers."""
    parts = [f"<h4>{_esc(title)}</h4>"]
    for mode in modes:
        parts.append(
            f'<div><span class="sw" style="border-top-color:{MODE_COLORS[mode]}"></span>'
            f"{_esc(MODE_LABELS[mode])}</div>"
        )
    parts.append(extra)
    return "".join(parts)


def _network_layers_map(
    G: nx.MultiDiGraph,
    *,
    offline: bool = False,
    year: int | None = None,
    tiles: str | None = "OpenStreetMap",
) -> tuple[folium.Map, list[Any]]:
    """The network map without its layer control and view (see :func:`network_map`).

    Callers that add layers of their own (:func:`corridor.story.story_map`) add the
    control after them, since its script refers to every layer.
    """
    name = str(G.graph.get("name") or "Trans-Caspian corridor")
    as_of = year if year is not None else G.graph.get("year")
    title = name if as_of is None else f"{name} — {as_of}"
    m = _base_map(offline=offline, tiles=tiles, title=title)
    bounds = _network_layers(m, G, year=year, dim=False)
    modes = sorted(
        {str(d.get("mode")) for _u, _v, d in G.edges(data=True)} & {"rail", "road", "sea", "air"},
        key=list(MODE_COLORS).index,
    )
    extra = (
        '<div><span class="sw" style="border-top:3px dashed #555"></span>planned / under construction'
        ' <span class="corridor-year" style="position:static">year</span></div>'
        + "".join(
            f'<div><span class="dot" style="background:{color}"></span>{_esc(label)}</div>'
            for label, color in POINT_LAYERS.values()
        )
        + f'<div class="note">Data {_esc(G.graph.get("data_version", ""))}. '
        "Click a line or a point for its figures.</div>"
    )
    _Legend(_legend_html(title=title, modes=modes, extra=extra)).add_to(m)
    return m, bounds


def check_map_args(G: Any, offline: Any, year: Any, tiles: Any, *,
                   optional_graph: bool = False) -> None:
    """Check the arguments the map functions share (the graph, offline, year, tiles)."""
    if G is not None or not optional_graph:
        check_graph(G)
    check_flag(offline, "offline")
    check_year(year)
    check_instance(tiles, str, "tiles", "a tiles name or URL (str)")


def network_map(
    G: nx.MultiDiGraph,
    *,
    offline: bool = False,
    year: int | None = None,
    tiles: str | None = "OpenStreetMap",
) -> folium.Map:
    """Draw the network: one layer per mode and for ports, airports and borders.

    Parameters
    ----------
    G
        The corridor graph (see DESIGN.md, "The graph").
    offline
        Inline every asset and draw country outlines instead of tiles, so the saved
        HTML opens with no network.
    year
        Draw the network as of this year: links not open by then are left out.
        By default every link is drawn, planned ones dashed with their opening year.
    tiles
        Tile layer of an online map (a folium tiles name or URL); None draws the
        country outlines as offline maps do.

    Returns
    -------
    folium.Map
        With a layer control, a legend, tooltips and popups, fitted to the network.
    """
    check_map_args(G, offline, year, tiles)
    m, bounds = _network_layers_map(G, offline=offline, year=year, tiles=tiles)
    folium.LayerControl(collapsed=False).add_to(m)
    if bounds:
        m.fit_bounds(bounds, padding=(20, 20))
    return _finish(m)


# ---------------------------------------------------------------- routes
def _routes(route_or_routes: Any) -> list[Any]:
    """The routes to draw: a Route and its alternatives, or a list of routes."""
    if isinstance(route_or_routes, (list, tuple)):
        routes = list(route_or_routes)
    else:
        routes = [route_or_routes, *list(getattr(route_or_routes, "alternatives", None) or [])]
    if not routes:
        msg = "route_map needs at least one route"
        raise ValueError(msg)
    for r in routes:
        if not all(hasattr(r, a) for a in ("legs", "origin", "destination", "totals")):
            msg = (f"route_or_routes must be a Route (corridor.route) or a list of routes, "
                   f"got {type(r).__name__}")
            raise ArgumentTypeError(msg)
    return routes


def _leg_line(leg: Any, G: nx.MultiDiGraph | None) -> LineString | None:
    geom = getattr(leg, "geometry", None)
    if isinstance(geom, LineString) and not geom.is_empty:
        return geom
    if G is not None and leg.from_id in G and leg.to_id in G:
        a, b = G.nodes[leg.from_id], G.nodes[leg.to_id]
        return LineString([(a["x"], a["y"]), (b["x"], b["y"])])
    return None


def _leg_sources(leg: Any, G: nx.MultiDiGraph | None) -> str:
    sources: list[str] = []
    if G is not None:
        for u, v, k in getattr(leg, "edges", None) or []:
            if G.has_edge(u, v, k):
                for s in str(G.edges[u, v, k].get("source") or "").split(";"):
                    s = s.strip()
                    if s and s not in sources:
                        sources.append(s)
    if not sources and getattr(leg, "source", None):
        sources.append(str(leg.source))
    return "; ".join(sources)


def _leg_html(leg: Any, G: nx.MultiDiGraph | None, *, label: str) -> tuple[str, str]:
    figures = {
        "distance_km": leg.distance_km,
        "time_h": leg.time_h,
        "cost_usd": leg.cost_usd,
        "co2_kg": leg.co2_kg,
    }
    mode = _mode_label(leg.mode)
    title = f"{_esc(mode)}: {_esc(leg.from_name)} → {_esc(leg.to_name)}"
    tooltip = (
        f"{title}<br>{_esc(_num(leg.distance_km, 'km'))} · {_esc(_hours(leg.time_h))} · "
        f"{_esc(_usd(leg.cost_usd))}"
    )
    rows = [("route", _esc(label)), ("mode", _esc(mode)), *_figure_rows(figures)]
    rows.append(("source", _esc(_leg_sources(leg, G))))
    return tooltip, _table(rows, title=title)


def _totals_text(route: Any) -> str:
    t = getattr(route, "totals", {}) or {}
    return (
        f"{_num(t.get('distance_km'), 'km')} · {_hours(t.get('time_h'))} · "
        f"{_usd(t.get('cost_usd'))} · {_num(t.get('co2_kg'), 'kg CO2')}"
    )


def _arrow_html(angle: float, color: str) -> str:
    return (
        f'<svg width="16" height="16" viewBox="0 0 16 16" '
        f'style="transform:rotate({angle:.0f}deg);display:block">'
        f'<path d="M3 2 L14 8 L3 14 L6 8 z" fill="{color}" stroke="#fff" stroke-width="1.2"/>'
        "</svg>"
    )


def _add_route(
    m: folium.Map,
    route: Any,
    G: nx.MultiDiGraph | None,
    *,
    index: int,
    label: str,
    shared: frozenset[Any] = frozenset(),
) -> list[Point]:
    """Draw one route in its own layer; return the (lon, lat) points drawn.

    Legs of an alternative made only of ``shared`` edges (those of the best route) get
    no arrow: the best route's arrow is there already.
    """
    color = None if index == 0 else ALT_COLORS[(index - 1) % len(ALT_COLORS)]
    pane = ROUTE_PANE if index == 0 else ALT_PANE  # the best route lies on top
    group = folium.FeatureGroup(name=_esc(label), show=True)
    drawn: list[Point] = []
    for leg in route.legs:
        line = _leg_line(leg, G)
        if line is None:
            continue
        coords = [(float(x), float(y)) for x, y, *_ in line.coords]
        drawn.extend(coords)
        leg_color = color or MODE_COLORS.get(str(leg.mode), "#333333")
        tooltip, popup = _leg_html(leg, G, label=label)
        if index == 0:  # a white casing makes the best route stand out
            casing = folium.PolyLine(_latlon(coords), color="#ffffff", weight=9, opacity=0.9)
            casing.options.update(interactive=False, pane=pane)
            casing.add_to(group)
        poly = folium.PolyLine(
            _latlon(coords),
            color=leg_color,
            weight=5 if index == 0 else 4,
            opacity=0.95 if index == 0 else 0.85,
            dash_array=None if index == 0 else "10 6",
            class_name=f"corridor-route-{index}",
        )
        poly.options["pane"] = pane
        poly.add_child(_Bind(tooltip=tooltip, popup=popup))
        poly.add_to(group)
        leg_edges = {tuple(e) for e in getattr(leg, "edges", None) or []}
        if line.length > 0 and not (index > 0 and leg_edges and leg_edges <= shared):
            a = line.interpolate(0.45, normalized=True)
            b = line.interpolate(0.55, normalized=True)
            mid = line.interpolate(0.5, normalized=True)
            folium.Marker(
                _latlon([(mid.x, mid.y)])[0],
                icon=folium.DivIcon(
                    html=_arrow_html(
                        _mercator_bearing((a.x, a.y), (b.x, b.y)), color or ARROW_COLOR
                    ),
                    icon_size=(16, 16),
                    icon_anchor=(8, 8),
                    class_name="corridor-arrow",
                ),
                interactive=False,
                keyboard=False,
            ).add_to(group)
    for end, color_end, word in (
        (route.origin, START_COLOR, "Start"),
        (route.destination, END_COLOR, "End"),
    ):
        if index > 0 or end is None or end.get("x") is None:
            continue
        at = (float(end["x"]), float(end["y"]))
        drawn.append(at)
        marker = folium.CircleMarker(
            _latlon([at])[0],
            radius=8,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color=color_end,
            fill_opacity=1,
        )
        marker.options["pane"] = ROUTE_PANE
        text = f"{word}: {_esc(end.get('name', end.get('id', '')))}"
        marker.add_child(
            _Bind(
                tooltip=text,
                popup=_table(
                    [
                        ("id", _esc(end.get("id"))),
                        ("kind", _esc(end.get("kind"))),
                        ("country", _esc(end.get("country"))),
                    ],
                    title=text,
                ),
            )
        )
        marker.add_to(group)
    group.add_to(m)
    return drawn


def route_map(
    route_or_routes: Any,
    G: nx.MultiDiGraph | None = None,
    *,
    offline: bool = False,
    tiles: str | None = "OpenStreetMap",
) -> folium.Map:
    """Draw a route (and its alternatives) over the dimmed network.

    Parameters
    ----------
    route_or_routes
        A ``Route`` (its ``.alternatives`` are drawn too) or a list of routes, the
        first being the main one.
    G
        The graph the routes were found on: drawn dimmed underneath, and used for the
        sources of each leg. Optional.
    offline
        Inline every asset and draw country outlines instead of tiles.
    tiles
        Tile layer of an online map; None draws the country outlines.

    Returns
    -------
    folium.Map
        The main route coloured by mode with a white casing, alternatives dashed in
        their own colour and layer, arrows showing the direction, start and end markers,
        a legend with the totals, fitted to the routes.
    """
    routes = _routes(route_or_routes)
    check_map_args(G, offline, None, tiles, optional_graph=True)
    first = routes[0]
    o_name = (first.origin or {}).get("name", "")
    d_name = (first.destination or {}).get("name", "")
    title = f"{o_name} → {d_name}"
    m = _base_map(offline=offline, tiles=tiles, title=title)
    folium.map.CustomPane(ALT_PANE, z_index=410, pointer_events=True).add_to(m)
    folium.map.CustomPane(ROUTE_PANE, z_index=420, pointer_events=True).add_to(m)
    if G is not None:
        _network_layers(m, G, year=None, dim=True)
    drawn: list[Point] = []
    entries = []
    for i, route in enumerate(routes):
        label = f"Route: {title}" if i == 0 else f"Alternative {i}"
        shared = frozenset(tuple(e) for leg in first.legs for e in getattr(leg, "edges", []) or [])
        drawn.extend(_add_route(m, route, G, index=i, label=label, shared=shared))
        if i == 0:
            swatch = (
                '<span class="sw" style="border-top-color:#fff;border-top-width:6px;'
                'outline:1px solid #999"></span>'
            )
        else:
            swatch = (
                f'<span class="sw" style="border-top:4px dashed {ALT_COLORS[(i - 1) % len(ALT_COLORS)]}">'
                "</span>"
            )
        entries.append(
            f"<div>{swatch}<b>{_esc(label)}</b><br><small>{_esc(_totals_text(route))}</small></div>"
        )
    modes = [
        mode
        for mode in MODE_COLORS
        if mode != "transfer" and any(str(leg.mode) == mode for leg in first.legs)
    ]
    objective = getattr(first, "objective", None)
    extra = "".join(entries) + (
        f'<div><span class="dot" style="background:{START_COLOR}"></span>start '
        f'<span class="dot" style="background:{END_COLOR}"></span>end</div>'
    )
    if objective:
        extra += f'<div class="note">Best by {_esc(objective)}. Click a leg for its figures.</div>'
    _Legend(_legend_html(title=title, modes=modes, extra=extra)).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    if drawn:
        xs = [p[0] for p in drawn]
        ys = [p[1] for p in drawn]
        m.fit_bounds(_latlon([(min(xs), min(ys)), (max(xs), max(ys))]), padding=(30, 30))
    return _finish(m)


# ---------------------------------------------------------------- output
def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write ``m`` as one HTML file, atomically (see :func:`corridor._write.atomic_write`).

    Raises
    ------
    OSError
        When the path is a folder, device, FIFO, socket or symlink, the folder does not
        exist or cannot be written; nothing is written then.
    """
    from corridor._write import atomic_write, check_target

    target = Path(path).expanduser()
    check_target(target, "the map")
    text = m.get_root().render()
    return atomic_write(target, lambda fh: fh.write(text.encode("utf-8")), what="the map")


def route_html(
    route: Any,
    G: nx.MultiDiGraph | None = None,
    *,
    offline: bool = False,
    height: int = 420,
) -> str:
    """The itinerary table and the map of ``route`` as one HTML fragment (for Jupyter).

    ``Route._repr_html_`` returns ``route_html(self)``. The map sits in an iframe
    (``srcdoc``), so its scripts do not mix with the notebook's.
    """
    height = check_whole(height, "height", minimum=1)
    m = route_map(route, G, offline=offline)
    table = route._table_html() if hasattr(route, "_table_html") else ""
    page = m.get_root().render()
    frame = (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" '
        f'style="width:100%;height:{int(height)}px;border:0" '
        'sandbox="allow-scripts" loading="lazy"></iframe>'
    )
    return f'<div class="corridor-route">{table}{frame}</div>'
