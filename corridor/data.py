"""Read and validate the network data files (stage 1 of the pipeline).

The files are described in ``data/README.md``. :func:`read_dataset` reads a folder
of them, checks every row and returns a :class:`Dataset` of plain Python values;
:mod:`corridor.network` turns that into a graph. Any problem raises
:class:`~corridor._errors.DataError` naming the file, the row and the field.

Only the standard library is used here, so that loading stays fast.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from corridor._errors import DataError

NODE_KINDS = ("port", "rail_station", "road_node", "airport", "border", "city", "terminal")
EDGE_MODES = ("rail", "road", "sea", "air", "transfer", "border")
TRANSPORT_MODES = ("rail", "road", "sea", "air")
STATUSES = ("open", "planned", "under_construction")
LANGUAGES = ("en", "az", "kk", "ru")

#: Bounding boxes (lat_min, lat_max, lon_min, lon_max) used to check that a point lies in
#: the country it claims. Generous by a few tenths of a degree.
COUNTRY_BOUNDS: dict[str, tuple[float, float, float, float]] = {
    "KZ": (40.5, 55.5, 46.4, 87.4),
    "AZ": (38.3, 41.95, 44.7, 50.7),
    "CN": (18.0, 54.0, 73.0, 135.0),
    "GE": (41.0, 43.6, 40.0, 46.8),
    "TR": (35.8, 42.2, 25.6, 44.9),
    "TM": (35.1, 42.8, 52.4, 66.7),
    "UZ": (37.1, 45.6, 55.9, 73.2),
    "RU": (41.1, 82.0, 19.0, 180.0),
    "IR": (25.0, 39.8, 44.0, 63.4),
    "AM": (38.8, 41.3, 43.4, 46.7),
    "KG": (39.1, 43.3, 69.2, 80.3),
    "TJ": (36.6, 41.1, 67.3, 75.2),
    "RO": (43.6, 48.3, 20.2, 29.8),
    "BG": (41.2, 44.3, 22.3, 28.7),
    "UA": (44.3, 52.4, 22.1, 40.3),
}

SCHEMAS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # file: (required columns, optional columns)
    "sources.csv": (("id", "title", "publisher", "year", "url"), ()),
    "places.csv": (
        ("id", "name", "country", "lat", "lon", "source"),
        ("name_az", "name_kk", "name_ru", "aliases"),
    ),
    "nodes.csv": (
        ("id", "name", "kind", "country", "lat", "lon", "source"),
        ("name_az", "name_kk", "name_ru", "place", "code"),
    ),
    "edges.csv": (
        ("id", "from", "to", "mode", "status", "source"),
        (
            "distance_km",
            "time_h",
            "time_h_low",
            "time_h_high",
            "cost_usd",
            "capacity",
            "capacity_unit",
            "year_open",
            "oneway",
            "notes",
        ),
    ),
    "cost_params.csv": (("mode", "param", "value", "unit", "source"), ("notes",)),
    "calibration.csv": (
        ("id", "origin", "destination", "modes", "distance_km", "time_h", "cost_usd",
         "tol_distance", "tol_time", "tol_cost", "source"),
        ("notes",),
    ),
}

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_PACKAGE_DATA = "_data"


def data_dir() -> Path:
    """Return the folder of the shipped data files.

    In an installed wheel the files live in ``corridor/_data``; in a source checkout
    (including an editable install) they are the repository's ``data/`` folder.
    """
    packaged = resources.files("corridor") / _PACKAGE_DATA
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "data"
    if checkout.is_dir():
        return checkout
    msg = "the shipped data files are missing; reinstall corridor or pass a data folder"
    raise DataError(msg)


def data_path(name: str) -> Path:
    """Return the path of one shipped data file, e.g. ``data_path("boundaries.geojson")``."""
    return data_dir() / name


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
        import hashlib

        digest = hashlib.sha256()
        for name in (*SCHEMAS, "geometry.geojson"):
            path = self.folder / name
            if path.is_file():
                digest.update(path.read_bytes())
        return digest.hexdigest()[:12]


class _Rows:
    """Reads one CSV file and converts its fields, raising DataError with the location."""

    def __init__(self, folder: Path, name: str) -> None:
        self.name = name
        self.path = folder / name
        if not self.path.is_file():
            raise DataError("file is missing", file=str(self.path))
        required, optional = SCHEMAS[name]
        try:
            self._read(required, optional)
        except UnicodeDecodeError as exc:
            msg = f"is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV"
            raise DataError(msg, file=str(self.path)) from None
        except csv.Error as exc:
            raise DataError(f"is not a readable CSV file ({exc})", file=str(self.path)) from None

    def _read(self, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        with self.path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            if missing:
                raise DataError(
                    "missing column(s) " + ", ".join(missing), file=str(self.path), row=0,
                    field=missing[0],
                )
            unknown = [c for c in header if c not in required and c not in optional]
            if unknown:
                raise DataError(
                    "unknown column(s) " + ", ".join(unknown)
                    + "; allowed: " + ", ".join((*required, *optional)),
                    file=str(self.path), row=0, field=unknown[0],
                )
            self.rows: list[dict[str, str]] = []
            for raw in reader:
                if None in raw:
                    raise DataError(
                        "more fields than columns in the header",
                        file=str(self.path), row=reader.line_num - 1,
                    )
                self.rows.append({k.strip(): (v or "").strip() for k, v in raw.items()})

    def error(self, index: int, fld: str | None, message: str) -> DataError:
        """A DataError for data row ``index`` (0-based; reported 1-based, header excluded)."""
        return DataError(message, file=str(self.path), row=index + 1, field=fld)

    def text(self, index: int, fld: str, *, required: bool = True) -> str:
        value = self.rows[index].get(fld, "")
        if required and not value:
            raise self.error(index, fld, "is empty")
        return value

    def number(
        self, index: int, fld: str, *, required: bool = False, minimum: float | None = 0.0
    ) -> float | None:
        value = self.rows[index].get(fld, "")
        if not value:
            if required:
                raise self.error(index, fld, "is empty; a number is needed")
            return None
        try:
            number = float(value)
        except ValueError:
            raise self.error(index, fld, f"{value!r} is not a number") from None
        if math.isnan(number) or math.isinf(number):
            raise self.error(index, fld, f"{value!r} is not a finite number")
        if minimum is not None and number < minimum:
            raise self.error(index, fld, f"{value} is negative; costs and sizes must be >= 0")
        return number

    def choice(self, index: int, fld: str, choices: tuple[str, ...]) -> str:
        value = self.text(index, fld)
        if value not in choices:
            raise self.error(index, fld, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def unique_ids(self) -> list[str]:
        seen: dict[str, int] = {}
        for i in range(len(self.rows)):
            ident = self.text(i, "id")
            if not _ID_RE.match(ident):
                raise self.error(i, "id", f"{ident!r} must be lower-case snake_case ASCII")
            if ident in seen:
                raise self.error(i, "id", f"duplicate id {ident!r} (first in row {seen[ident] + 1})")
            seen[ident] = i
        return list(seen)


def check_sources(value: str, sources: Mapping[str, Any], *, file: str, row: int) -> str:
    """Check a ``source`` cell: ``;``-separated ids of sources.csv or ``estimate:<method>``.

    Every data file's reader calls this, so that a source is checked the same way
    everywhere; a bad cell raises DataError naming ``file``, ``row`` and the field.
    """
    if not value:
        msg = "is empty; name a sources.csv id or estimate:<method>"
        raise DataError(msg, file=file, row=row, field="source")
    for part in (p.strip() for p in value.split(";")):
        if part.startswith("estimate:"):
            if not part[len("estimate:"):]:
                msg = "estimate: needs a method, e.g. estimate:haversine"
                raise DataError(msg, file=file, row=row, field="source")
        elif part not in sources:
            msg = f"source {part!r} is not an id in sources.csv (or use estimate:<method>)"
            raise DataError(msg, file=file, row=row, field="source")
    return value


def _check_sources(rows: _Rows, index: int, sources: Mapping[str, Any]) -> str:
    return check_sources(rows.rows[index].get("source", ""), sources, file=str(rows.path),
                         row=index + 1)


def _check_point(rows: _Rows, index: int) -> tuple[str, float, float]:
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


def _names(rows: _Rows, index: int) -> dict[str, str]:
    row = rows.rows[index]
    names = {"en": row["name"]}
    for lang in LANGUAGES[1:]:
        if row.get(f"name_{lang}"):
            names[lang] = row[f"name_{lang}"]
    return names


def _read_sources(folder: Path) -> dict[str, dict[str, str]]:
    rows = _Rows(folder, "sources.csv")
    ids = rows.unique_ids()
    for i in range(len(rows.rows)):
        rows.text(i, "title")
    return dict(zip(ids, rows.rows, strict=True))


def _read_places(folder: Path, sources: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    rows = _Rows(folder, "places.csv")
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
            "source": _check_sources(rows, i, sources),
        })
    return places


def _read_nodes(
    folder: Path, sources: dict[str, dict[str, str]], place_ids: set[str]
) -> list[dict[str, Any]]:
    rows = _Rows(folder, "nodes.csv")
    rows.unique_ids()
    nodes = []
    for i, row in enumerate(rows.rows):
        country, lat, lon = _check_point(rows, i)
        place = row.get("place") or None
        if place is not None and place not in place_ids:
            raise rows.error(i, "place", f"place {place!r} is not an id in places.csv")
        nodes.append({
            "id": row["id"],
            "name": rows.text(i, "name"),
            "names": _names(rows, i),
            "kind": rows.choice(i, "kind", NODE_KINDS),
            "country": country,
            "x": lon,
            "y": lat,
            "place": place,
            "code": row.get("code") or None,
            "source": _check_sources(rows, i, sources),
        })
    return nodes


def _parse_bool(rows: _Rows, index: int, fld: str) -> bool:
    value = rows.rows[index].get(fld, "").lower()
    if value in ("", "false", "0", "no"):
        return False
    if value in ("true", "1", "yes"):
        return True
    raise rows.error(index, fld, f"{value!r} is not true or false")


def _read_edges(
    folder: Path, sources: dict[str, dict[str, str]], node_ids: set[str]
) -> list[dict[str, Any]]:
    rows = _Rows(folder, "edges.csv")
    rows.unique_ids()
    edges = []
    for i, row in enumerate(rows.rows):
        for end in ("from", "to"):
            if rows.text(i, end) not in node_ids:
                raise rows.error(i, end, f"unknown node {row[end]!r} (not an id in nodes.csv)")
        if row["from"] == row["to"]:
            raise rows.error(i, "to", "an edge must join two different nodes")
        year = rows.number(i, "year_open")
        status = rows.choice(i, "status", STATUSES)
        if status != "open" and year is None:
            raise rows.error(i, "year_open", f"a {status} link needs its expected opening year")
        time_h = rows.number(i, "time_h")
        low = rows.number(i, "time_h_low")
        high = rows.number(i, "time_h_high")
        if low is not None and high is not None and low > high:
            raise rows.error(i, "time_h_low", f"low {low} is above high {high}")
        if time_h is not None and (
            (low is not None and time_h < low) or (high is not None and time_h > high)
        ):
            raise rows.error(i, "time_h", f"{time_h} lies outside its range {low}..{high}")
        capacity = rows.number(i, "capacity")
        if capacity is not None and not row.get("capacity_unit"):
            raise rows.error(i, "capacity_unit", "a capacity needs its unit, e.g. Mt/yr")
        edges.append({
            "id": row["id"],
            "from": row["from"],
            "to": row["to"],
            "mode": rows.choice(i, "mode", EDGE_MODES),
            "distance_km": rows.number(i, "distance_km"),
            "time_h": time_h,
            "time_h_low": low,
            "time_h_high": high,
            "cost_usd": rows.number(i, "cost_usd"),
            "capacity": capacity,
            "capacity_unit": row.get("capacity_unit") or None,
            "status": status,
            "year_open": int(year) if year is not None else None,
            "oneway": _parse_bool(rows, i, "oneway"),
            "source": _check_sources(rows, i, sources),
            "notes": row.get("notes", ""),
        })
    return edges


def _read_cost_params(folder: Path, sources: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    rows = _Rows(folder, "cost_params.csv")
    params = []
    seen: set[tuple[str, str]] = set()
    for i in range(len(rows.rows)):
        mode = rows.choice(i, "mode", (*EDGE_MODES, "all"))
        param = rows.text(i, "param")
        if (mode, param) in seen:
            raise rows.error(i, "param", f"duplicate parameter {mode}.{param}")
        seen.add((mode, param))
        params.append({
            "mode": mode,
            "param": param,
            "value": rows.number(i, "value", required=True),
            "unit": rows.text(i, "unit", required=False),
            "source": _check_sources(rows, i, sources),
        })
    return params


def _read_geometry(folder: Path, edge_ids: set[str]) -> dict[str, list[tuple[float, float]]]:
    path = folder / "geometry.geojson"
    if not path.is_file():
        return {}
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        features = collection["features"]
    except (ValueError, KeyError, TypeError) as exc:  # UnicodeDecodeError is a ValueError
        raise DataError(f"not a GeoJSON FeatureCollection ({exc})", file=str(path)) from None
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
        if edge_id not in edge_ids:
            raise DataError(f"edge {edge_id!r} is not an id in edges.csv", file=str(path),
                            row=n, field="edge_id")
        if not all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in coords):
            raise DataError("coordinates out of range (lon, lat order?)", file=str(path), row=n,
                            field="geometry")
        shapes[edge_id] = coords
    return shapes


def read_calibration(
    path: str | Path | None = None,
    *,
    node_ids: Iterable[str] | None = None,
    sources: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Read ``calibration.csv`` (published through tariffs) of a data folder, validated.

    Each row: ``id``, ``origin`` and ``destination`` node ids, ``modes`` (a ``;``-list of
    rail, road, sea, air), the published ``distance_km``, ``time_h``, ``cost_usd`` and
    the tolerance of each (a fraction), and its ``source``. ``node_ids`` and ``sources``
    come from the folder's other files unless a caller that has them already passes them.
    """
    folder = Path(path) if path is not None else data_dir()
    if node_ids is None or sources is None:
        ds = read_dataset(folder)
        node_ids, sources = [n["id"] for n in ds.nodes], ds.sources
    node_ids = set(node_ids)
    rows = _Rows(folder, "calibration.csv")
    rows.unique_ids()
    out = []
    for i, row in enumerate(rows.rows):
        for end in ("origin", "destination"):
            if rows.text(i, end) not in node_ids:
                raise rows.error(i, end, f"unknown node {row[end]!r} (not an id in nodes.csv)")
        modes = [m.strip() for m in rows.text(i, "modes").split(";")]
        if not set(modes) <= set(TRANSPORT_MODES):
            raise rows.error(i, "modes", f"{row['modes']!r}: use a ;-list of rail, road, sea, air")
        if row["origin"] == row["destination"]:
            raise rows.error(i, "destination", "is the same node as origin")
        figures = {f: rows.number(i, f, required=True) for f in
                   ("distance_km", "time_h", "cost_usd", "tol_distance", "tol_time", "tol_cost")}
        for f in ("distance_km", "time_h", "cost_usd"):
            if not figures[f]:
                raise rows.error(i, f, "must be above 0 (the ratio divides by it)")
        for f in ("tol_distance", "tol_time", "tol_cost"):
            if not figures[f] < 1:  # type: ignore[operator]
                raise rows.error(i, f, f"{figures[f]:g} is not a fraction below 1 (0.05 = ±5 %)")
        out.append({"id": row["id"], "origin": row["origin"], "destination": row["destination"],
                     "modes": modes, **figures, "source": _check_sources(rows, i, sources)})
    return out


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
    nodes = _read_nodes(folder, sources, {p["id"] for p in places})
    edges = _read_edges(folder, sources, {n["id"] for n in nodes})
    cost_params = _read_cost_params(folder, sources)
    geometry = _read_geometry(folder, {e["id"] for e in edges})
    return Dataset(folder, sources, places, nodes, edges, cost_params, geometry)


__all__ = ["Dataset", "check_sources", "data_dir", "data_path", "read_calibration", "read_dataset"]
