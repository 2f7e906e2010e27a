"""The network on a map: a layer per mode, ports, airports and border crossings.

:func:`network_map` draws the graph: planned lines dashed with their opening year, a
legend, and the figures of every link in its tooltip and popup. The helpers that build
its features (:func:`edge_props`, :func:`node_props`, :func:`add_lines`) are shared with
the route and story maps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import folium
import networkx as nx
from folium.utilities import JsCode
from shapely.geometry import LineString
from shapely.geometry import Point as ShapelyPoint

from corridor.maps.base import base_map, check_map_args, label, legend_html
from corridor.maps.elements import Legend, finish
from corridor.maps.geo import Point, feature, latlon
from corridor.maps.html import esc, figure_rows, hours, is_number, num, year_of
from corridor.maps.style import (
    DASHES,
    MODE_COLORS,
    MODE_LABELS,
    OTHER_POINTS,
    POINT_LAYERS,
    SIMPLIFY_DEG,
    STATUS_LABELS,
    mode_label,
)
from corridor.network import edge_open_in

__all__ = [
    "ON_EACH",
    "add_lines",
    "edge_key",
    "edge_line",
    "edge_props",
    "future_status",
    "network_layers",
    "network_layers_map",
    "network_map",
    "node_props",
]


def edge_key(u: Any, v: Any, data: Mapping[str, Any]) -> tuple[Any, ...]:
    a, b = sorted((str(u), str(v)))
    eid = data.get("id")
    return (eid,) if eid else (a, b, data.get("mode"))


def edge_line(G: nx.MultiDiGraph, u: Any, v: Any, data: Mapping[str, Any]) -> LineString:
    geom = data.get("geometry")
    if isinstance(geom, LineString) and not geom.is_empty:
        return geom
    nu, nv = G.nodes[u], G.nodes[v]
    return LineString([(nu["x"], nu["y"]), (nv["x"], nv["y"])])


def future_status(data: Mapping[str, Any], year: int | None) -> str | None:
    """The status to draw dashed ('planned', 'under_construction'), or None if open.

    With a ``year``, a link with an opening year is open when it is open in that year
    (:func:`corridor.network.edge_open_in`), else drawn as planned.
    """
    status = str(data.get("status") or "open")
    dated = year is not None and year_of(data.get("year_open")) is not None
    if dated and edge_open_in(data, year):
        return None
    if status in DASHES:
        return status
    return "planned" if dated else None


def edge_props(G: nx.MultiDiGraph, u: Any, v: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """Escaped title ``t``, tooltip line ``s`` and popup rows ``r`` of one network edge."""
    a = G.nodes[u].get("name", u)
    b = G.nodes[v].get("name", v)
    mode = mode_label(data.get("mode"))
    status = str(data.get("status") or "open")
    opens = year_of(data.get("year_open"))
    status_text = STATUS_LABELS.get(status, status)
    if opens is not None:
        status_text += f" ({'since' if status == 'open' else 'opening'} {opens})"
    line = f"{num(data.get('distance_km'), 'km')} · {hours(data.get('time_h'))}"
    if status != "open":
        line += f" · {status_text}"
    rows = [["mode", esc(mode)], ["status", esc(status_text)], *figure_rows(data)]
    if is_number(data.get("capacity")):
        cap = float(data["capacity"])
        rows.append(["capacity", esc(f"{cap:,.6g} {data.get('capacity_unit') or ''}".strip())])
    rows.append(["source", esc(data.get("source"))])
    if data.get("id"):
        rows.append(["id", esc(data.get("id"))])
    return {"t": f"{esc(mode)}: {esc(a)} – {esc(b)}", "s": esc(line), "r": rows}


ON_EACH = JsCode(
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


def add_lines(
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

    def style(line_feature: dict[str, Any]) -> dict[str, Any]:
        status = line_feature["properties"].get("status")
        out: dict[str, Any] = {"color": color, "weight": weight, "opacity": opacity}
        if status in DASHES:
            out["dashArray"] = DASHES[status]
        return out

    kwargs: dict[str, Any] = {"interactive": interactive}
    if interactive:
        kwargs["on_each_feature"] = ON_EACH
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
        on_each_feature=ON_EACH,
        control=False,
    ).add_to(parent)


def network_layers(
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
        key = edge_key(u, v, data)
        if key in seen or not (year is None or edge_open_in(data, year)):
            continue
        seen.add(key)
        mode = str(data.get("mode"))
        used_nodes.update((u, v))
        if mode not in lines and mode != "border":
            continue  # transfer edges stay inside a port or terminal
        line = edge_line(G, u, v, data).simplify(SIMPLIFY_DEG, preserve_topology=False)
        future = future_status(data, year)
        props: dict[str, Any] = {"status": future or "open"}
        if not dim:
            props.update(edge_props(G, u, v, data))
        edge_feature = feature(line, props, fid="|".join(map(str, key)))
        if mode == "border":
            border_lines.append(edge_feature)
            continue
        lines[mode].append(edge_feature)
        opens = year_of(data.get("year_open"))
        if future and opens is not None and not dim:
            mid = line.interpolate(0.5, normalized=True)
            year_labels[mode].append(((mid.x, mid.y), str(opens)))

    if dim:
        group = folium.FeatureGroup(name="Network", show=True)
        for mode, feats in lines.items():
            add_lines(
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
            group = folium.FeatureGroup(name=esc(MODE_LABELS[mode]), show=mode != "air")
            add_lines(
                group,
                feats,
                color=MODE_COLORS[mode],
                weight=3 if mode != "air" else 1.5,
                opacity=0.85 if mode != "air" else 0.6,
                interactive=True,
                name=mode,
            )
            for at, text in year_labels[mode]:
                label(group, at, esc(text), "corridor-year")
            group.add_to(m)

    if not dim:
        _point_layers(m, G, used_nodes if year is not None else None, border_lines)
    xs = [float(d["x"]) for _n, d in G.nodes(data=True) if "x" in d]
    ys = [float(d["y"]) for _n, d in G.nodes(data=True) if "y" in d]
    if not xs:
        return []
    return latlon([(min(xs), min(ys)), (max(xs), max(ys))])


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
            feats.append(feature(pt, node_props(G, nodes), fid=f"{layer}|{place}"))
        group = folium.FeatureGroup(name=esc(layer), show=layer != OTHER_POINTS[0])
        if is_border:
            add_lines(
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


def node_props(G: nx.MultiDiGraph, nodes: list[Any]) -> dict[str, Any]:
    """Escaped title, tooltip line and popup rows of a marker for the nodes of one place."""
    first = G.nodes[nodes[0]]
    name = first.get("name", nodes[0])
    if len(nodes) > 1:  # several nodes of one place: the place's name
        place = (G.graph.get("places") or {}).get(first.get("place") or "")
        if isinstance(place, Mapping) and place.get("name"):
            name = place["name"]
    kind = str(first.get("kind", "")).replace("_", " ")
    country = first.get("country", "")
    rows = [["kind", esc(kind)], ["country", esc(country)]]
    names = first.get("names") or {}
    if isinstance(names, Mapping):
        others = [f"{esc(k)}: {esc(v)}" for k, v in names.items() if v and v != name]
        if others:
            rows.append(["names", "<br>".join(others)])
    if len(nodes) > 1:
        rows.append(["nodes", "<br>".join(esc(G.nodes[n].get("name", n)) for n in nodes)])
    else:
        rows.append(["id", esc(nodes[0])])
    rows.append(["source", esc(first.get("source"))])
    return {"t": esc(name), "s": esc(f"{kind}, {country}"), "r": rows}


def network_layers_map(
    G: nx.MultiDiGraph,
    *,
    offline: bool = False,
    year: int | None = None,
    tiles: str | None = "OpenStreetMap",
) -> tuple[folium.Map, list[Any]]:
    """The network map without its layer control and view (see :func:`network_map`).

    Callers that add layers of their own (:func:`corridor.maps.story_map`) add the
    control after them, since its script refers to every layer.
    """
    name = str(G.graph.get("name") or "Trans-Caspian corridor")
    as_of = year if year is not None else G.graph.get("year")
    title = name if as_of is None else f"{name} — {as_of}"
    m = base_map(offline=offline, tiles=tiles, title=title)
    bounds = network_layers(m, G, year=year, dim=False)
    modes = sorted(
        {str(d.get("mode")) for _u, _v, d in G.edges(data=True)} & {"rail", "road", "sea", "air"},
        key=list(MODE_COLORS).index,
    )
    extra = (
        '<div><span class="sw" style="border-top:3px dashed #555"></span>planned / under construction'
        ' <span class="corridor-year" style="position:static">year</span></div>'
        + "".join(
            f'<div><span class="dot" style="background:{color}"></span>{esc(layer)}</div>'
            for layer, color in POINT_LAYERS.values()
        )
        + f'<div class="note">Data {esc(G.graph.get("data_version", ""))}. '
        "Click a line or a point for its figures.</div>"
    )
    Legend(legend_html(title=title, modes=modes, extra=extra)).add_to(m)
    return m, bounds


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
        The corridor graph (see ARCHITECTURE.md, "The graph").
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
    m, bounds = network_layers_map(G, offline=offline, year=year, tiles=tiles)
    folium.LayerControl(collapsed=False).add_to(m)
    if bounds:
        m.fit_bounds(bounds, padding=(20, 20))
    return finish(m)
