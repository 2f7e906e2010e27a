"""Build the corridor graph from the data files (stage 2 of the pipeline).

The graph is a :class:`networkx.MultiDiGraph` whose attributes follow the contract
in ARCHITECTURE.md ("The graph"). Every cost lives on an edge; a two-way link of the data
becomes two directed edges with the same key (the edge id).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from shapely.geometry import LineString

from corridor._constants import CRS
from corridor._errors import DataError
from corridor._validate import CONTRACT, check_graph, check_path, check_real, check_year
from corridor.costs import CostModel
from corridor.data import EDGES_FILE, check_edge_figures, read_dataset
from corridor.geo import line_length_km

if TYPE_CHECKING:
    import geopandas as gpd

NETWORK_NAME = "Trans-Caspian corridor"
NODE_ATTRS = ("x", "y", "name", "country", "kind", "names", "source")
#: Modes whose blank distance is the straight line between the end nodes x circuity.
CHORD_MODES = ("rail", "road")
EDGE_ATTRS = ("mode", "distance_km", "time_h", "cost_usd", "co2_kg", "status", "geometry",
              "source")
COST_ATTRS = ("distance_km", "time_h", "cost_usd", "co2_kg")


def load_network(
    path: str | Path | None = None,
    *,
    year: int | None = None,
    cargo_t: float | None = None,
) -> nx.MultiDiGraph:
    """Load the corridor network as a MultiDiGraph.

    Parameters
    ----------
    path
        Folder of data files (see ``data/README.md``); the shipped data when None.
    year
        Keep only the links open by the end of this year (planned and under-construction
        links whose ``year_open`` is later are dropped). None keeps every link, whatever
        its status; routing then uses only the open ones unless asked for a year.
    cargo_t
        Cargo mass of one loaded FEU in tonnes, for CO2 (default from ``cost_params.csv``).

    Returns
    -------
    networkx.MultiDiGraph
        Graph attributes ``crs``, ``name``, ``data_version``, ``year``, ``cargo_t``,
        ``places`` (place id -> names and location) and ``sources`` (id -> row).

    Raises
    ------
    DataError
        If a data file is malformed (the message names file, row and field).
    TypeError, ValueError
        ``path``, ``year`` or ``cargo_t`` of the wrong type or value (named in the message).
    """
    check_path(path, "path")
    year = check_year(year)
    cargo_t = check_real(cargo_t, "cargo_t", low=0, open_low=True, optional=True)
    ds = read_dataset(path)
    model = CostModel.from_rows(ds.cost_params, cargo_t=cargo_t)
    G: nx.MultiDiGraph = nx.MultiDiGraph(
        crs=CRS,
        name=NETWORK_NAME,
        data_version=ds.version,
        data_folder=str(ds.folder),
        year=year,
        cargo_t=model.cargo_t,
        places={p["id"]: p for p in ds.places},
        sources=ds.sources,
    )
    for node in ds.nodes:
        attrs = dict(node)
        node_id = attrs.pop("id")
        G.add_node(node_id, **attrs)
    _fill_place_names(G)

    for index, row in enumerate(ds.edges, start=1):
        if year is not None and not edge_open_in(row, year):
            continue
        u, v = row["from"], row["to"]
        chord = [(G.nodes[u]["x"], G.nodes[u]["y"]), (G.nodes[v]["x"], G.nodes[v]["y"])]
        coords = _orient(ds.geometry.get(row["id"]) or chord, G.nodes[u], G.nodes[v])
        # Rail and road circuity is calibrated on the straight line: a drawn alignment
        # (geometry.geojson) changes the map, not a distance the row leaves blank.
        measured = chord if row["mode"] in CHORD_MODES else coords
        figures = model.edge_costs(
            row["mode"],
            line_km=line_length_km(measured),
            distance_km=row["distance_km"],
            time_h=row["time_h"],
            cost_usd=row["cost_usd"],
            end_kinds=(G.nodes[u]["kind"], G.nodes[v]["kind"]),
        )
        check_edge_figures(figures, file=str(ds.folder / EDGES_FILE), row=index)
        attrs = {
            "id": row["id"],
            "mode": row["mode"],
            **figures,
            "time_h_low": row["time_h_low"],
            "time_h_high": row["time_h_high"],
            "capacity": row["capacity"],
            "capacity_unit": row["capacity_unit"],
            "status": row["status"],
            "year_open": row["year_open"],
            "oneway": row["oneway"],
            "source": row["source"],
            "notes": row["notes"],
        }
        G.add_edge(u, v, key=row["id"], geometry=LineString(coords), **attrs)
        if not row["oneway"]:
            G.add_edge(v, u, key=row["id"], geometry=LineString(coords[::-1]), **attrs)
    return G


def _fill_place_names(G: nx.MultiDiGraph) -> None:
    """Give a node the names of its place in the languages its own row leaves blank."""
    places = G.graph["places"]
    for _, data in G.nodes(data=True):
        place = places.get(data.get("place") or "")
        if place is None:
            continue
        for lang, name in place["names"].items():
            data["names"].setdefault(lang, name)


def _orient(coords: list[tuple[float, float]], u: Mapping[str, Any], v: Mapping[str, Any]
            ) -> list[tuple[float, float]]:
    """Return ``coords`` running from node ``u`` to node ``v`` (reversed if drawn the other way)."""
    def dist2(p: tuple[float, float], node: Mapping[str, Any]) -> float:
        return (p[0] - node["x"]) ** 2 + (p[1] - node["y"]) ** 2

    forward = dist2(coords[0], u) + dist2(coords[-1], v)
    backward = dist2(coords[-1], u) + dist2(coords[0], v)
    return list(coords) if forward <= backward else list(coords[::-1])


def edge_open_in(edge: Mapping[str, Any], year: int | None) -> bool:
    """Whether a link is usable in ``year`` (``None``: today, i.e. only open links)."""
    opened = edge.get("year_open")
    if isinstance(opened, float) and opened != opened:  # NaN from a DataFrame
        opened = None
    if year is None or opened is None:
        return edge.get("status") == "open"
    return int(opened) <= year


def network_summary(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Counts of nodes by country and kind, and of edges by mode and status."""
    return {
        "name": G.graph.get("name", ""),
        "data_version": G.graph.get("data_version", ""),
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "connected": nx.is_weakly_connected(G) if len(G) else False,
        "nodes_by_country": dict(Counter(d["country"] for _, d in G.nodes(data=True))
                                 .most_common()),
        "nodes_by_kind": dict(Counter(d["kind"] for _, d in G.nodes(data=True)).most_common()),
        "edges_by_mode": dict(Counter(d["mode"] for *_, d in G.edges(data=True)).most_common()),
        "edges_by_status": dict(Counter(d["status"] for *_, d in G.edges(data=True))
                                .most_common()),
    }


def opening_history(G: nx.MultiDiGraph, since: int = 2010) -> list[dict[str, Any]]:
    """Links and terminals (their transfer edges) opened since ``since`` or expected, by year.

    One row per link of the data (both directions count once): ``year``, ``status``,
    ``id``, ``mode``, ``from``, ``to`` (node names) and ``source``. Planned and
    under-construction links are listed with their expected year.
    """
    rows: dict[str, dict[str, Any]] = {}
    for u, v, key, d in G.edges(keys=True, data=True):
        year = d.get("year_open")
        if key in rows or year is None or (d["status"] == "open" and int(year) < since):
            continue
        rows[key] = {"year": int(year), "status": d["status"], "id": key, "mode": d["mode"],
                     "from": G.nodes[u].get("name", u), "to": G.nodes[v].get("name", v),
                     "source": d.get("source", "")}
    return sorted(rows.values(), key=lambda r: (r["year"], r["id"]))


def validate_graph(G: nx.MultiDiGraph) -> None:
    """Check that ``G`` follows the graph contract; raise DataError on the first breach.

    The contract: a MultiDiGraph with ``crs`` EPSG:4326 whose nodes have ``x, y, name,
    country, kind, names, source`` and whose edges have ``mode, distance_km, time_h,
    cost_usd, co2_kg, status, geometry, source``, each of the right type (coordinates in
    range, known kinds, modes and statuses, figures numbers >= 0). The verdict is cached
    in the graph until its nodes or edges change (see :func:`corridor._validate.check_graph`).

    Raises
    ------
    DataError
        Naming the node or edge and, in ``field``, the attribute that breaks the contract.
    TypeError
        ``G`` is not a networkx graph.
    """
    check_graph(G, CONTRACT)
    if G.graph.get("crs") != CRS:
        msg = f"G: graph attribute crs must be {CRS!r}, got {G.graph.get('crs')!r}"
        raise DataError(msg, field="crs")


def to_gdfs(G: nx.MultiDiGraph) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Convert the graph to GeoDataFrames of nodes (index ``id``) and edges (``u, v, key``).

    Both have CRS EPSG:4326; dict-valued attributes (``names``) are kept as dicts.
    """
    import geopandas as gpd
    from shapely.geometry import Point

    node_rows = [{"id": n, **d} for n, d in G.nodes(data=True)]
    nodes = gpd.GeoDataFrame(
        node_rows,
        geometry=[Point(r["x"], r["y"]) for r in node_rows],
        crs=G.graph.get("crs", CRS),
    ).set_index("id")
    edge_rows = [{"u": u, "v": v, "key": k, **d} for u, v, k, d in G.edges(keys=True, data=True)]
    edges = gpd.GeoDataFrame(edge_rows, geometry="geometry", crs=G.graph.get("crs", CRS))
    edges = edges.set_index(["u", "v", "key"])
    nodes.attrs["graph"] = {k: v for k, v in G.graph.items() if k not in ("places", "sources")}
    nodes.attrs["places"] = G.graph.get("places", {})
    nodes.attrs["sources"] = G.graph.get("sources", {})
    return nodes, edges


def from_gdfs(nodes: gpd.GeoDataFrame, edges: gpd.GeoDataFrame) -> nx.MultiDiGraph:
    """Rebuild the graph from :func:`to_gdfs` output (the inverse of that function)."""
    if nodes.crs is None or edges.crs is None:
        msg = "both GeoDataFrames need a CRS (EPSG:4326)"
        raise ValueError(msg)
    nodes = nodes.to_crs(CRS)
    edges = edges.to_crs(CRS)
    graph_attrs = dict(nodes.attrs.get("graph", {}))
    graph_attrs.update(crs=CRS, places=nodes.attrs.get("places", {}),
                       sources=nodes.attrs.get("sources", {}))
    G: nx.MultiDiGraph = nx.MultiDiGraph(**graph_attrs)
    for node_id, row in nodes.drop(columns="geometry").iterrows():
        G.add_node(node_id, **{k: _plain(v) for k, v in row.items()})
    for (u, v, key), row in edges.iterrows():
        G.add_edge(u, v, key=key, **{k: _plain(val) for k, val in row.items()})
    return G


def _plain(value: Any) -> Any:
    """Turn pandas' missing values back into None and numpy scalars into Python ones."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, LineString):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    return value


__all__ = [
    "edge_open_in",
    "from_gdfs",
    "load_network",
    "network_summary",
    "opening_history",
    "to_gdfs",
    "validate_graph",
]
