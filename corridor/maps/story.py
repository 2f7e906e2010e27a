"""The corridor's story on a map: the network with the Kazakhstan–Azerbaijan story on top.

:func:`story_map` draws the network (:func:`corridor.maps.network_map`) with a story
layer on top: the Caspian crossings as the bridge, ports, airports, railways and roads
grouped by Kazakhstan and Azerbaijan, markers for Astana, Baku and Fuzuli with the
treaties and places of the story, and a panel with the figures
(:mod:`corridor.maps.story_panel`), each with its source named. The facts are read by
:mod:`corridor.story_data`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

import folium
import networkx as nx
import pandas as pd
from shapely.geometry import Point as ShapelyPoint

from corridor._validate import check_instance
from corridor.maps.base import check_map_args
from corridor.maps.elements import Bind, RawHead, finish, page
from corridor.maps.geo import feature, latlon
from corridor.maps.html import esc, table
from corridor.maps.network import (
    ON_EACH,
    add_lines,
    edge_key,
    edge_line,
    edge_props,
    future_status,
    network_layers_map,
    node_props,
)
from corridor.maps.story_panel import (
    PANEL_WIDTH,
    STORY_CSS,
    date_text,
    fact_figure,
    story_panel_html,
)
from corridor.maps.style import SIMPLIFY_DEG
from corridor.story_data import (
    graph_data_folder,
    read_places,
    read_sources,
    read_story,
    read_story_volumes,
)

__all__ = ["COUNTRY_NAMES", "caspian_crossings", "story_map"]

#: The two countries whose infrastructure the story groups.
COUNTRY_NAMES: dict[str, str] = {"KZ": "Kazakhstan", "AZ": "Azerbaijan"}
COUNTRY_COLORS: dict[str, str] = {"KZ": "#00a3c4", "AZ": "#1d9a4b"}
LINE_GROUPS = (("rail", "railways"), ("road", "roads"))
POINT_GROUPS = (("port", "seaports"), ("airport", "airports"))
BRIDGE_COLOR = "#0b3d91"
#: The Caspian Sea as a (lon_min, lat_min, lon_max, lat_max) box: a sea link between two
#: countries with both ends inside it is a Caspian crossing.
CASPIAN_BOX = (46.5, 36.5, 55.5, 47.5)
MARKER_COLOR = "#8e1b3a"


def _countries(G: nx.MultiDiGraph, u: Any, v: Any) -> tuple[str, str]:
    return str(G.nodes[u].get("country", "")), str(G.nodes[v].get("country", ""))


def _in_caspian(node: Mapping[str, Any]) -> bool:
    lon_min, lat_min, lon_max, lat_max = CASPIAN_BOX
    return lon_min <= float(node["x"]) <= lon_max and lat_min <= float(node["y"]) <= lat_max


def caspian_crossings(G: nx.MultiDiGraph) -> list[tuple[Any, Any, Any]]:
    """The sea links across the Caspian between two countries, one (u, v, key) per link."""
    out = []
    seen: set[tuple[Any, ...]] = set()
    for u, v, k, d in G.edges(keys=True, data=True):
        if d.get("mode") != "sea":
            continue
        a, b = _countries(G, u, v)
        if a == b or not (_in_caspian(G.nodes[u]) and _in_caspian(G.nodes[v])):
            continue
        key = edge_key(u, v, d)
        if key not in seen:
            seen.add(key)
            out.append((u, v, k))
    return out


def _country_row(country: str) -> list[str]:
    return ["country", esc(COUNTRY_NAMES.get(country, country))]


def _add_bridge(
    m: folium.Map, G: nx.MultiDiGraph, facts: pd.DataFrame, sources: Mapping[str, Mapping[str, str]]
) -> None:
    crossings = caspian_crossings(G)
    if not crossings:
        return
    story_rows: list[list[str]] = []
    for fid in ("caspian_bridge", "transcaspian_corridor"):
        if fid in facts.index:
            row = facts.loc[fid]
            story_rows.append(["story", esc(row["title"])])
            story_rows.append(["source", esc(row["source_title"])])
    casing, lines = [], []
    for u, v, k in crossings:
        d = G.edges[u, v, k]
        line = edge_line(G, u, v, d).simplify(SIMPLIFY_DEG, preserve_topology=False)
        props = edge_props(G, u, v, d)
        props["t"] = "The Caspian bridge — " + props["t"]
        props["r"] = props["r"] + story_rows
        props["status"] = future_status(d, None) or "open"
        fid = "bridge|" + "|".join(map(str, edge_key(u, v, d)))
        casing.append(feature(line, {"status": props["status"]}, fid=fid + "|casing"))
        lines.append(feature(line, props, fid=fid))
    group = folium.FeatureGroup(name=esc("The Caspian bridge"), show=True)
    add_lines(
        group,
        casing,
        color="#ffffff",
        weight=12,
        opacity=0.9,
        interactive=False,
        name="bridge_casing",
    )
    add_lines(
        group, lines, color=BRIDGE_COLOR, weight=6, opacity=0.95, interactive=True, name="bridge"
    )
    group.add_to(m)


def _add_country_lines(
    m: folium.Map, G: nx.MultiDiGraph, country: str, mode: str, label: str
) -> None:
    feats = []
    seen: set[tuple[Any, ...]] = set()
    for u, v, d in G.edges(data=True):
        if d.get("mode") != mode or _countries(G, u, v) != (country, country):
            continue
        key = edge_key(u, v, d)
        if key in seen:
            continue
        seen.add(key)
        line = edge_line(G, u, v, d).simplify(SIMPLIFY_DEG, preserve_topology=False)
        props = edge_props(G, u, v, d)
        props["r"] = [*props["r"], _country_row(country)]
        props["status"] = future_status(d, None) or "open"
        feats.append(feature(line, props, fid=f"{country}|" + "|".join(map(str, key))))
    if not feats:
        return
    group = folium.FeatureGroup(name=esc(f"{COUNTRY_NAMES[country]}: {label}"), show=True)
    # a wide, light band in the country's colour over the network's line of the mode
    add_lines(
        group,
        feats,
        color=COUNTRY_COLORS[country],
        weight=9,
        opacity=0.3,
        interactive=True,
        name=f"{country}_{mode}",
    )
    group.add_to(m)


def _add_country_points(
    m: folium.Map, G: nx.MultiDiGraph, country: str, kind: str, label: str
) -> None:
    by_place: dict[Any, list[Any]] = {}
    for n, d in G.nodes(data=True):
        if d.get("kind") == kind and d.get("country") == country:
            by_place.setdefault(d.get("place") or n, []).append(n)
    if not by_place:
        return
    feats = []
    for place, nodes in by_place.items():
        xs = [float(G.nodes[n]["x"]) for n in nodes]
        ys = [float(G.nodes[n]["y"]) for n in nodes]
        props = node_props(G, nodes)
        props["r"] = [*props["r"], _country_row(country)]
        pt = ShapelyPoint(sum(xs) / len(xs), sum(ys) / len(ys))
        feats.append(feature(pt, props, fid=f"{country}|{kind}|{place}"))
    group = folium.FeatureGroup(name=esc(f"{COUNTRY_NAMES[country]}: {label}"), show=True)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": feats},
        name=f"{country}_{kind}",
        marker=folium.CircleMarker(
            radius=9, color=COUNTRY_COLORS[country], weight=3, fill=True, fill_opacity=0.0
        ),
        on_each_feature=ON_EACH,
        control=False,
    ).add_to(group)
    group.add_to(m)


def _fact_rows(facts: pd.DataFrame) -> list[list[str]]:
    rows = []
    for _, row in facts.iterrows():
        what = esc(row["title"])
        extra = [x for x in (date_text(row["date"]), fact_figure(row) if row["unit"] else "") if x]
        if extra:
            what += " (" + esc(", ".join(extra)) + ")"
        rows.append([esc(row["kind"]), what])
        rows.append(["source", esc(row["source_title"])])
    return rows


def _add_story_markers(
    m: folium.Map,
    facts: pd.DataFrame,
    places: Mapping[str, Any],
    sources: Mapping[str, Mapping[str, str]],
) -> None:
    """A marker per place of the story (its facts in the popup), and a ring for each fact
    with coordinates of its own (Fuzuli airport)."""
    group = folium.FeatureGroup(name=esc("Story: treaties and places"), show=True)
    located = facts[facts["place"] != ""]
    for place_id, rows in located.groupby("place", sort=False):
        place = places.get(cast(str, place_id), {})  # the place column holds ids (str)
        name = place.get("name") or place_id
        lat, lon = (
            float(place.get("lat", rows["lat"].iloc[0])),
            float(place.get("lon", rows["lon"].iloc[0])),
        )
        titles = "; ".join(
            f"{r['title']}" + (f" ({date_text(r['date'])})" if r["date"] else "")
            for _, r in rows.iterrows()
        )
        marker = folium.Marker([lat, lon], keyboard=False)
        marker.add_child(
            Bind(
                tooltip=f"<b>{esc(name)}</b><br>{esc(titles)}",
                popup=table(_fact_rows(rows), title=esc(name)),
            )
        )
        marker.add_to(group)
    for _, row in facts.iterrows():
        if not row["place"] or math.isnan(row["lat"]):
            continue
        place = places.get(row["place"], {})
        try:
            same = (
                abs(float(place["lat"]) - row["lat"]) < 1e-6
                and abs(float(place["lon"]) - row["lon"]) < 1e-6
            )
        except (KeyError, ValueError):
            same = False
        if same:
            continue
        ring = folium.CircleMarker(
            [row["lat"], row["lon"]],
            radius=7,
            color=MARKER_COLOR,
            weight=3,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=0.9,
        )
        ring.add_child(
            Bind(
                tooltip=esc(row["title"]),
                popup=table(_fact_rows(facts.loc[[row["id"]]]), title=esc(row["title"])),
            )
        )
        ring.add_to(group)
    group.add_to(m)


def _fit_story(m: folium.Map, G: nx.MultiDiGraph) -> None:
    """Fit the view to the two countries' nodes, leaving room for the panel on the left."""
    pts = [
        (float(d["x"]), float(d["y"]))
        for _n, d in G.nodes(data=True)
        if d.get("country") in COUNTRY_NAMES and "x" in d
    ]
    if pts:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        corners = latlon([(min(xs), min(ys)), (max(xs), max(ys))])
        m.fit_bounds(
            corners, padding_top_left=(PANEL_WIDTH + 30, 20), padding_bottom_right=(20, 20)
        )


def story_map(
    G: nx.MultiDiGraph,
    *,
    offline: bool = False,
    year: int | None = None,
    tiles: str | None = "OpenStreetMap",
    facts: pd.DataFrame | None = None,
    volumes: pd.DataFrame | None = None,
) -> folium.Map:
    """The network with the story of the Kazakhstan–Azerbaijan partnership on top.

    Parameters
    ----------
    G
        The corridor graph (:func:`corridor.load_network`).
    offline
        Inline every asset and draw country outlines instead of tiles (as
        :func:`corridor.maps.network_map`), so the saved HTML opens with no network.
    year
        Draw the network as of this year (as :func:`~corridor.maps.network_map`).
    tiles
        Tile layer of an online map; None draws the country outlines.
    facts, volumes
        The story's facts and the volumes by year; by default read from ``story.csv``
        and ``volumes.csv`` beside the graph's data (else the shipped files).

    Returns
    -------
    folium.Map
        :func:`~corridor.maps.network_map` plus the layers "The Caspian bridge",
        "Kazakhstan: …" and "Azerbaijan: …" (railways, roads, seaports, airports),
        "Story: treaties and places", and the story panel.
    """
    check_map_args(G, offline, year, tiles)
    check_instance(facts, pd.DataFrame, "facts", "a DataFrame (read_story())")
    check_instance(volumes, pd.DataFrame, "volumes", "a DataFrame (read_story_volumes())")
    folder = graph_data_folder(G)
    facts = read_story(folder) if facts is None else facts
    volumes = read_story_volumes(folder) if volumes is None else volumes
    sources = read_sources(folder)
    places = read_places(folder)
    m, _ = network_layers_map(G, offline=offline, year=year, tiles=tiles)
    _add_bridge(m, G, facts, sources)
    for country in COUNTRY_NAMES:
        for mode, label in LINE_GROUPS:
            _add_country_lines(m, G, country, mode, label)
        for kind, label in POINT_GROUPS:
            _add_country_points(m, G, country, kind, label)
    _add_story_markers(m, facts, places, sources)
    # the control comes after every layer (its script refers to them), folded into its
    # button: the story's many layers would otherwise cover the map
    folium.LayerControl(collapsed=True).add_to(m)
    _fit_story(m, G)
    root = page(m)
    css = STORY_CSS.replace("PANEL_WIDTH", str(PANEL_WIDTH))
    root.header.add_child(RawHead(css), name="corridor_story_css")
    root.html.add_child(
        RawHead(story_panel_html(facts, volumes, sources)), name="corridor_story_panel"
    )
    return finish(m)
