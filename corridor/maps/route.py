"""Routes on a map and as HTML: :func:`route_map`, :func:`route_table_html`, :func:`route_html`.

A route is drawn over the dimmed network, legs coloured by mode, with arrows for the
direction, start and end markers, and each alternative in its own colour and layer.
Routing results hold no HTML: the itinerary table of a ``Route`` is made here.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import folium
import networkx as nx
from shapely.geometry import LineString

from corridor._validate import ArgumentTypeError, check_whole
from corridor.maps.base import base_map, check_map_args, legend_html
from corridor.maps.elements import Bind, Legend, finish
from corridor.maps.geo import Point, latlon, mercator_bearing
from corridor.maps.html import esc, figure_rows, hours, num, table, usd
from corridor.maps.network import network_layers
from corridor.maps.style import (
    ALT_COLORS,
    ALT_PANE,
    ARROW_COLOR,
    END_COLOR,
    MODE_COLORS,
    ROUTE_PANE,
    START_COLOR,
    mode_label,
)
from corridor.places import MODES

__all__ = ["route_html", "route_map", "route_table_html"]


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
    mode = mode_label(leg.mode)
    title = f"{esc(mode)}: {esc(leg.from_name)} → {esc(leg.to_name)}"
    tooltip = (
        f"{title}<br>{esc(num(leg.distance_km, 'km'))} · {esc(hours(leg.time_h))} · "
        f"{esc(usd(leg.cost_usd))}"
    )
    rows = [("route", esc(label)), ("mode", esc(mode)), *figure_rows(figures)]
    rows.append(("source", esc(_leg_sources(leg, G))))
    return tooltip, table(rows, title=title)


def _totals_text(route: Any) -> str:
    t = getattr(route, "totals", {}) or {}
    return (
        f"{num(t.get('distance_km'), 'km')} · {hours(t.get('time_h'))} · "
        f"{usd(t.get('cost_usd'))} · {num(t.get('co2_kg'), 'kg CO2')}"
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
    group = folium.FeatureGroup(name=esc(label), show=True)
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
            casing = folium.PolyLine(latlon(coords), color="#ffffff", weight=9, opacity=0.9)
            casing.options.update(interactive=False, pane=pane)
            casing.add_to(group)
        poly = folium.PolyLine(
            latlon(coords),
            color=leg_color,
            weight=5 if index == 0 else 4,
            opacity=0.95 if index == 0 else 0.85,
            dash_array=None if index == 0 else "10 6",
            class_name=f"corridor-route-{index}",
        )
        poly.options["pane"] = pane
        poly.add_child(Bind(tooltip=tooltip, popup=popup))
        poly.add_to(group)
        leg_edges = {tuple(e) for e in getattr(leg, "edges", None) or []}
        if line.length > 0 and not (index > 0 and leg_edges and leg_edges <= shared):
            a = line.interpolate(0.45, normalized=True)
            b = line.interpolate(0.55, normalized=True)
            mid = line.interpolate(0.5, normalized=True)
            folium.Marker(
                latlon([(mid.x, mid.y)])[0],
                icon=folium.DivIcon(
                    html=_arrow_html(
                        mercator_bearing((a.x, a.y), (b.x, b.y)), color or ARROW_COLOR
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
            latlon([at])[0],
            radius=8,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color=color_end,
            fill_opacity=1,
        )
        marker.options["pane"] = ROUTE_PANE
        text = f"{word}: {esc(end.get('name', end.get('id', '')))}"
        marker.add_child(
            Bind(
                tooltip=text,
                popup=table(
                    [
                        ("id", esc(end.get("id"))),
                        ("kind", esc(end.get("kind"))),
                        ("country", esc(end.get("country"))),
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
    m = base_map(offline=offline, tiles=tiles, title=title)
    folium.map.CustomPane(ALT_PANE, z_index=410, pointer_events=True).add_to(m)
    folium.map.CustomPane(ROUTE_PANE, z_index=420, pointer_events=True).add_to(m)
    if G is not None:
        network_layers(m, G, year=None, dim=True)
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
            f"<div>{swatch}<b>{esc(label)}</b><br><small>{esc(_totals_text(route))}</small></div>"
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
        extra += f'<div class="note">Best by {esc(objective)}. Click a leg for its figures.</div>'
    Legend(legend_html(title=title, modes=modes, extra=extra)).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    if drawn:
        xs = [p[0] for p in drawn]
        ys = [p[1] for p in drawn]
        m.fit_bounds(latlon([(min(xs), min(ys)), (max(xs), max(ys))]), padding=(30, 30))
    return finish(m)


def route_table_html(route: Any) -> str:
    """The itinerary of a ``Route`` as an HTML table (every name escaped).

    A duck-typed route without ``query`` or ``warnings`` gets neither line.
    """
    head = (
        f"<p><b>{html.escape(str(route.origin.get('name')))} → "
        f"{html.escape(str(route.destination.get('name')))}</b>, by {html.escape(route.objective)}</p>"
    )
    if getattr(route, "query", None):
        head = f"<p>{html.escape(route.query_line())}</p>" + head
    cols = ("from", "to", "mode", "km", "h", "USD", "kg CO2")
    out = [head, "<table>", "<thead><tr>"]
    out += [f"<th>{c}</th>" for c in cols]
    out.append("</tr></thead><tbody>")
    for leg in route.legs:
        out.append(
            "<tr>"
            f"<td>{html.escape(leg.from_name)}</td><td>{html.escape(leg.to_name)}</td>"
            f"<td>{html.escape(leg.mode)}</td>{_figure_cells(leg.__dict__)}</tr>"
        )
    out.append(
        "<tr><td colspan='3'><b>total</b></td>"
        f"{_figure_cells(route.totals, bold=True)}</tr>"
    )
    for i, alt in enumerate(getattr(route, "alternatives", None) or [], 1):
        via = ", ".join(sorted({leg.mode for leg in alt.legs if leg.mode in MODES}))
        out.append(
            f"<tr><td colspan='3'>alternative {i} ({html.escape(via)})</td>"
            f"{_figure_cells(alt.totals)}</tr>"
        )
    out.append("</tbody></table>")
    warnings = getattr(route, "warnings", None) or []
    if warnings:
        out.append("<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in warnings) + "</ul>")
    return "".join(out)


def _figure_cells(fig: Mapping[str, Any], *, bold: bool = False) -> str:
    """Table cells (right-aligned) of distance, time, cost and CO2."""
    cells = (
        f"{fig['distance_km']:,.1f}",
        f"{fig['time_h']:,.1f}",
        f"{fig['cost_usd']:,.0f}",
        f"{fig['co2_kg']:,.1f}",
    )
    if bold:
        return "".join(f"<td style='text-align:right'><b>{c}</b></td>" for c in cells)
    return "".join(f"<td style='text-align:right'>{c}</td>" for c in cells)


def route_html(
    route: Any,
    G: nx.MultiDiGraph | None = None,
    *,
    offline: bool = False,
    height: int = 420,
) -> str:
    """The itinerary table and the map of ``route`` as one HTML fragment (for Jupyter).

    ``Route._repr_html_`` returns ``route_html(self, self.graph)``. The map sits in an iframe
    (``srcdoc``), so its scripts do not mix with the notebook's.
    """
    height = check_whole(height, "height", minimum=1)
    m = route_map(route, G, offline=offline)
    itinerary = route_table_html(route)
    page = m.get_root().render()
    frame = (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" '
        f'style="width:100%;height:{int(height)}px;border:0" '
        'sandbox="allow-scripts" loading="lazy"></iframe>'
    )
    return f'<div class="corridor-route">{itinerary}{frame}</div>'
