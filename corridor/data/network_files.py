"""Read and validate the network files (stage 1 of the pipeline).

``sources.csv``, ``places.csv``, ``nodes.csv``, ``edges.csv``, ``cost_params.csv`` and
``geometry.geojson`` are described in ``data/README.md``. :func:`read_dataset` reads a
folder of them, checks every row and returns a :class:`Dataset` of plain Python values;
:mod:`corridor.network` turns that into a graph. Any problem raises
:class:`~corridor.DataError` naming the file, the row and the field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corridor._constants import CAPACITY_UNITS, EDGE_MODES, LANGUAGES, NODE_KINDS, STATUSES
from corridor._errors import DataError
from corridor.data.files import data_dir
from corridor.data.params import check_cost_params_cover, read_cost_params
from corridor.data.reader import CsvTable, check_range, check_row_sources, read_csv, read_json
from corridor.data.schemas import COUNTRY_BOUNDS, EDGE_FIGURES, EDGES_FILE, SCHEMAS
from corridor.names import normalize


@dataclass
class Dataset:
    """The validated content of a data folder, as plain Python values."""

    folder: Path
    sources: dict[str, dict[str, str]]
    places: list[dict[str, Any]]
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    cost_params: list[dict[str, Any]]
    geometry: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """A short fingerprint of the files, so results can name the data they used."""
        digest = hashlib.sha256()
        for name in (*SCHEMAS, "geometry.geojson"):
            path = self.folder / name
            if path.is_file():
                digest.update(path.read_bytes())
        return digest.hexdigest()[:12]


def _check_point(rows: CsvTable, index: int) -> tuple[str, float, float]:
    country = rows.text(index, "country")
    if country not in COUNTRY_BOUNDS:
        raise rows.error(
            index, "country",
            f"unknown country code {country!r}; known: {', '.join(sorted(COUNTRY_BOUNDS))}",
        )
    lat = rows.number(index, "lat", required=True, minimum=None)
    lon = rows.number(index, "lon", required=True, minimum=None)
    assert lat is not None and lon is not None
    lat_min, lat_max, lon_min, lon_max = COUNTRY_BOUNDS[country]
    if not lat_min <= lat <= lat_max:
        raise rows.error(index, "lat", f"{lat} is outside {country} ({lat_min}..{lat_max})")
    if not lon_min <= lon <= lon_max:
        raise rows.error(index, "lon", f"{lon} is outside {country} ({lon_min}..{lon_max})")
    return country, lat, lon


def _names(rows: CsvTable, index: int) -> dict[str, str]:
    row = rows.rows[index]
    names = {"en": row["name"]}
    for lang in LANGUAGES[1:]:
        if row.get(f"name_{lang}"):
            names[lang] = row[f"name_{lang}"]
    return names


def _read_sources(folder: Path) -> dict[str, dict[str, str]]:
    rows = read_csv(folder / "sources.csv")
    ids = rows.unique_ids()
    for i in range(len(rows.rows)):
        rows.text(i, "title")
    return dict(zip(ids, rows.rows, strict=True))


def _read_places(folder: Path, sources: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    rows = read_csv(folder / "places.csv")
    rows.unique_ids()
    places = []
    for i, row in enumerate(rows.rows):
        country, lat, lon = _check_point(rows, i)
        places.append({
            "id": row["id"],
            "name": rows.text(i, "name"),
            "names": _names(rows, i),
            "aliases": [a.strip() for a in row.get("aliases", "").split(";") if a.strip()],
            "country": country,
            "x": lon,
            "y": lat,
            "source": check_row_sources(rows, i, sources),
        })
    return places


def _read_nodes(
    folder: Path, sources: dict[str, dict[str, str]], place_countries: Mapping[str, str]
) -> list[dict[str, Any]]:
    rows = read_csv(folder / "nodes.csv")
    rows.unique_ids()
    rows.unique("code", blank_ok=True)
    nodes = []
    for i, row in enumerate(rows.rows):
        country, lat, lon = _check_point(rows, i)
        place = row.get("place") or None
        if place is not None and place not in place_countries:
            raise rows.error(i, "place", f"place {place!r} is not an id in places.csv")
        kind = rows.choice(i, "kind", NODE_KINDS)
        if place is not None and kind != "border" and place_countries[place] != country:
            msg = (f"node in {country} attached to place {place!r} in "
                   f"{place_countries[place]}; only a border node may join a crossing's "
                   "place across the border")
            raise rows.error(i, "place", msg)
        nodes.append({
            "id": row["id"],
            "name": rows.text(i, "name"),
            "names": _names(rows, i),
            "kind": kind,
            "country": country,
            "x": lon,
            "y": lat,
            "place": place,
            "code": row.get("code") or None,
            "source": check_row_sources(rows, i, sources),
        })
    return nodes


def _check_names_unique(folder: Path, places: list[dict[str, Any]],
                        nodes: list[dict[str, Any]]) -> None:
    """Refuse a name, alias, id or code that would make a query find another place.

    A place and its nodes may share names; a string that names two places (or a place
    and a node of another place, or two nodes with no place) is refused, since it would
    silently take a user's query to the wrong one.
    """
    owners: dict[str, tuple[str, str]] = {}  # normalized name -> (owner, where it was given)

    def claim(owner: str, where: tuple[str, int, str], values: Iterable[Any]) -> None:
        for value in values:
            norm = normalize(value) if isinstance(value, str) and value else ""
            if not norm:
                continue
            first = owners.setdefault(norm, (owner, f"{where[0]} row {where[1]}"))
            if first[0] != owner:
                msg = (f"{value!r} already names {first[0]} ({first[1]}); a name, alias, id "
                       "or code must not name two places")
                raise DataError(msg, file=str(folder / where[0]), row=where[1], field=where[2])

    for i, p in enumerate(places, start=1):
        owner = f"place {p['id']!r}"
        claim(owner, ("places.csv", i, "id"), [p["id"]])
        claim(owner, ("places.csv", i, "name"), p["names"].values())
        claim(owner, ("places.csv", i, "aliases"), p["aliases"])
    for i, n in enumerate(nodes, start=1):
        owner = f"place {n['place']!r}" if n["place"] else f"node {n['id']!r}"
        claim(owner, ("nodes.csv", i, "id"), [n["id"]])
        claim(owner, ("nodes.csv", i, "name"), n["names"].values())
        claim(owner, ("nodes.csv", i, "code"), [n["code"]])


def check_edge_figures(figures: Mapping[str, Any], *, file: str | None, row: int | None
                       ) -> None:
    """Check the numbers of one edge (as given or as the cost model filled them) against
    the ``edges.csv`` ranges of ``ranges.csv``."""
    for fld in (*EDGE_FIGURES, "co2_kg"):
        value = figures.get(fld)
        if value is not None:
            check_range(EDGES_FILE, fld, value, file=file, row=row, field=fld)


def _parse_bool(rows: CsvTable, index: int, fld: str) -> bool:
    value = rows.rows[index].get(fld, "").lower()
    if value in ("", "false", "0", "no"):
        return False
    if value in ("true", "1", "yes"):
        return True
    raise rows.error(index, fld, f"{value!r} is not true or false")


def _read_edges(
    folder: Path, sources: dict[str, dict[str, str]], node_ids: set[str]
) -> list[dict[str, Any]]:
    rows = read_csv(folder / "edges.csv")
    rows.unique_ids()
    edges = []
    for i, row in enumerate(rows.rows):
        for end in ("from", "to"):
            if rows.text(i, end) not in node_ids:
                raise rows.error(i, end, f"unknown node {row[end]!r} (not an id in nodes.csv)")
        if row["from"] == row["to"]:
            raise rows.error(i, "to", "an edge must join two different nodes")
        year = rows.year(i, "year_open", limit=(EDGES_FILE, "year_open"))
        status = rows.choice(i, "status", STATUSES)
        if status != "open" and year is None:
            raise rows.error(i, "year_open", f"a {status} link needs its expected opening year")
        figures = {f: rows.number(i, f, limit=(EDGES_FILE, f)) for f in EDGE_FIGURES}
        time_h, low, high = figures["time_h"], figures["time_h_low"], figures["time_h_high"]
        if low is not None and high is not None and low > high:
            raise rows.error(i, "time_h_low", f"low {low} is above high {high}")
        if time_h is not None and (
            (low is not None and time_h < low) or (high is not None and time_h > high)
        ):
            raise rows.error(i, "time_h", f"{time_h} lies outside its range {low}..{high}")
        unit = row.get("capacity_unit") or None
        if figures["capacity"] is not None and unit is None:
            raise rows.error(i, "capacity_unit", "a capacity needs its unit, e.g. Mt/yr")
        if unit is not None:
            rows.choice(i, "capacity_unit", CAPACITY_UNITS)
        edges.append({
            "id": row["id"],
            "from": row["from"],
            "to": row["to"],
            "mode": rows.choice(i, "mode", EDGE_MODES),
            **figures,
            "capacity_unit": unit,
            "status": status,
            "year_open": year,
            "oneway": _parse_bool(rows, i, "oneway"),
            "source": check_row_sources(rows, i, sources),
            "notes": row.get("notes", ""),
        })
    return edges


def _read_geometry(folder: Path, edge_ids: set[str]) -> dict[str, list[tuple[float, float]]]:
    path = folder / "geometry.geojson"
    if not path.is_file():
        return {}
    collection = read_json(path)
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise DataError("is not a GeoJSON FeatureCollection (no list of features)",
                        file=str(path), field="features")
    shapes: dict[str, list[tuple[float, float]]] = {}
    for n, feature in enumerate(features, start=1):
        try:
            edge_id = feature["properties"]["edge_id"]
            geom = feature["geometry"]
            coords = [(float(x), float(y)) for x, y, *_ in geom["coordinates"]]
        except (KeyError, TypeError, ValueError):
            raise DataError(
                "each feature needs properties.edge_id and a LineString geometry",
                file=str(path), row=n, field="geometry",
            ) from None
        if geom.get("type") != "LineString" or len(coords) < 2:
            raise DataError("must be a LineString of 2+ points", file=str(path), row=n,
                            field="geometry")
        if not isinstance(edge_id, str) or edge_id not in edge_ids:
            raise DataError(f"edge {edge_id!r} is not an id in edges.csv", file=str(path),
                            row=n, field="edge_id")
        if not all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in coords):
            raise DataError("coordinates out of range (lon, lat order?)", file=str(path), row=n,
                            field="geometry")
        shapes[edge_id] = coords
    return shapes


def read_dataset(path: str | Path | None = None) -> Dataset:
    """Read and validate a folder of data files (the shipped data when ``path`` is None).

    Raises
    ------
    DataError
        On the first problem, naming the file, the row (1-based, header excluded) and
        the field.
    """
    folder = Path(path) if path is not None else data_dir()
    if not folder.is_dir():
        msg = f"{folder} is not a folder of data files (see data/README.md)"
        raise DataError(msg)
    sources = _read_sources(folder)
    places = _read_places(folder, sources)
    nodes = _read_nodes(folder, sources, {p["id"]: p["country"] for p in places})
    _check_names_unique(folder, places, nodes)
    edges = _read_edges(folder, sources, {n["id"] for n in nodes})
    cost_params = read_cost_params(folder, sources)
    check_cost_params_cover(folder, edges, cost_params)
    geometry = _read_geometry(folder, {e["id"] for e in edges})
    return Dataset(folder, sources, places, nodes, edges, cost_params, geometry)


__all__ = ["Dataset", "check_edge_figures", "read_dataset"]
