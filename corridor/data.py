"""Read and validate the network data files (stage 1 of the pipeline).

The files are described in ``data/README.md``. :func:`read_dataset` reads a folder
of them, checks every row and returns a :class:`Dataset` of plain Python values;
:mod:`corridor.network` turns that into a graph. Any problem raises
:class:`~corridor._errors.DataError` naming the file, the row and the field.

The plausible range of every figure is in the shipped ``ranges.csv`` (:func:`check_range`).
Only the standard library is used here (and :func:`corridor.places.normalize`, to keep two
places from sharing a name), so that loading stays fast.
"""

from __future__ import annotations

import csv
import functools
import io
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
CAPACITY_UNITS = ("Mt/yr", "t/yr", "TEU/yr", "TEU/day", "trains/day", "pax/yr")
RANGES_FILE = "ranges.csv"
COST_PARAMS_FILE = "cost_params.csv"
EDGES_FILE = "edges.csv"
#: The numeric columns of ``edges.csv``; each has a range in ``ranges.csv``.
EDGE_FIGURES = ("distance_km", "time_h", "time_h_low", "time_h_high", "cost_usd", "capacity")

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
    RANGES_FILE: (("id", "table", "field", "min", "max", "unit", "source"), ("notes",)),
    "references.csv": (
        ("id", "measure", "kind", "basis", "figure", "published", "tolerance", "source"),
        ("origin", "destination", "modes", "by", "edges", "year", "scenario", "notes"),
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


class CsvTable:
    """One CSV file read whole and checked cell by cell; errors name file, row and field.

    Every data file goes through this reader: it refuses text that is not UTF-8, a
    duplicate or unnamed column, a missing or unknown column, a row with more or fewer
    fields than the header and a field holding a line break (an unbalanced quote).
    """

    def __init__(self, path: Path, required: tuple[str, ...],
                 optional: tuple[str, ...] = ()) -> None:
        self.path = path
        self.file = str(path)
        if not path.is_file():
            raise DataError("file is missing", file=self.file)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n")
            msg = f"is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV"
            raise DataError(msg, file=self.file, row=line) from None
        records = csv.reader(io.StringIO(text, newline=""))
        self.rows: list[dict[str, str]] = []
        try:
            header = [h.strip() for h in next(records, [])]
            self._check_header(header, required, optional)
            for cells in records:
                if not cells or cells == [""]:
                    continue
                self.rows.append(self._row(header, cells))
        except csv.Error as exc:
            raise DataError(f"is not a readable CSV file ({exc})", file=self.file,
                            row=len(self.rows) + 1) from None
        self.header = header

    def _check_header(self, header: list[str], required: tuple[str, ...],
                      optional: tuple[str, ...]) -> None:
        for i, name in enumerate(header):
            if not name:
                raise DataError(f"column {i + 1} of the header has no name", file=self.file,
                                row=0, field=f"column {i + 1}")
            if name in header[:i]:
                raise DataError(f"column {name!r} appears twice in the header",
                                file=self.file, row=0, field=name)
        missing = [c for c in required if c not in header]
        if missing:
            raise DataError("missing column(s) " + ", ".join(missing), file=self.file, row=0,
                            field=missing[0])
        unknown = [c for c in header if c not in required and c not in optional]
        if unknown:
            raise DataError(
                "unknown column(s) " + ", ".join(unknown) + "; allowed: "
                + ", ".join((*required, *optional)), file=self.file, row=0, field=unknown[0])

    def _row(self, header: list[str], cells: list[str]) -> dict[str, str]:
        row_number = len(self.rows) + 1
        for j, cell in enumerate(cells):
            if "\n" in cell or "\r" in cell:
                msg = "holds a line break: a quote opened in this field is not closed"
                fld = header[j] if j < len(header) else f"column {j + 1}"
                raise DataError(msg, file=self.file, row=row_number, field=fld)
        if len(cells) != len(header):
            more = len(cells) > len(header)
            msg = (f"{len(cells)} fields for the {len(header)} columns of the header"
                   + ("; quote a field that holds a comma" if more else "; a row is cut short"))
            fld = f"column {len(header) + 1}" if more else header[len(cells)]
            raise DataError(msg, file=self.file, row=row_number, field=fld)
        return dict(zip(header, (c.strip() for c in cells), strict=True))

    def error(self, index: int, fld: str | None, message: str) -> DataError:
        """A DataError for data row ``index`` (0-based; reported 1-based, header excluded)."""
        return DataError(message, file=self.file, row=index + 1, field=fld)

    def text(self, index: int, fld: str, *, required: bool = True) -> str:
        value = self.rows[index].get(fld, "")
        if required and not value:
            raise self.error(index, fld, "is empty")
        return value

    def number(
        self, index: int, fld: str, *, required: bool = False, minimum: float | None = 0.0,
        limit: tuple[str, str] | None = None,
    ) -> float | None:
        """The number in a cell (None when blank and not ``required``).

        ``limit`` is a ``(table, field)`` key of ``ranges.csv`` whose bounds the number
        must respect.
        """
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
        if limit is not None:
            check_range(*limit, number, file=self.file, row=index + 1, field=fld)
        return number

    def year(self, index: int, fld: str, *, required: bool = False,
             limit: tuple[str, str] | None = None) -> int | None:
        """A whole year in a cell, within the ``ranges.csv`` bounds of ``limit``."""
        number = self.number(index, fld, required=required, limit=limit)
        if number is None:
            return None
        if not number.is_integer():
            raise self.error(index, fld, f"{self.rows[index][fld]!r} is not a whole year")
        return int(number)

    def choice(self, index: int, fld: str, choices: tuple[str, ...]) -> str:
        value = self.text(index, fld)
        if value not in choices:
            raise self.error(index, fld, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def unique(self, fld: str, *, blank_ok: bool = False) -> None:
        """Refuse a value of column ``fld`` that an earlier row already has."""
        seen: dict[str, int] = {}
        for i, row in enumerate(self.rows):
            value = row.get(fld, "")
            if not value and blank_ok:
                continue
            if value in seen:
                raise self.error(i, fld, f"duplicate {fld} {value!r} (first in row {seen[value] + 1})")
            seen[value] = i

    def unique_ids(self) -> list[str]:
        for i in range(len(self.rows)):
            ident = self.text(i, "id")
            if not _ID_RE.match(ident):
                raise self.error(i, "id", f"{ident!r} must be lower-case snake_case ASCII")
        self.unique("id")
        return [row["id"] for row in self.rows]


def read_csv(path: Path, name: str | None = None) -> CsvTable:
    """Read ``path`` with the columns :data:`SCHEMAS` lists for ``name`` (default: its name)."""
    return CsvTable(path, *SCHEMAS[name or path.name])


def _rows(folder: Path, name: str) -> CsvTable:
    return read_csv(folder / name, name)


@functools.cache
def _ranges() -> dict[tuple[str, str], tuple[float, float, str]]:
    """The shipped ``ranges.csv`` by (table, field), read once."""
    folder = data_dir()
    table = read_csv(folder / RANGES_FILE)
    sources = {row["id"] for row in read_csv(folder / "sources.csv").rows}
    table.unique_ids()
    out: dict[tuple[str, str], tuple[float, float, str]] = {}
    for i, row in enumerate(table.rows):
        key = (table.text(i, "table"), table.text(i, "field"))
        if key in out:
            raise table.error(i, "field", f"duplicate range {key[0]} {key[1]}")
        low = table.number(i, "min", required=True, minimum=None)
        high = table.number(i, "max", required=True, minimum=None)
        assert low is not None and high is not None
        if low > high:
            raise table.error(i, "min", f"min {low:g} is above max {high:g}")
        check_sources(row["source"], sources, file=table.file, row=i + 1)
        out[key] = (low, high, row.get("unit", ""))
    return out


def ranged_fields(table: str) -> list[str]:
    """The fields of ``table`` that ``ranges.csv`` bounds (for a parameter file: the
    parameters it may set)."""
    return [fld for tbl, fld in _ranges() if tbl == table]


def value_range(table: str, fld: str) -> tuple[float, float, str]:
    """The plausible ``(min, max, unit)`` of a figure, from the shipped ``ranges.csv``.

    The ranges always come from the package's own data folder, so that a data folder
    or scenario a user passes cannot widen them.
    """
    ranges = _ranges()
    try:
        return ranges[(table, fld)]
    except KeyError:
        msg = f"no range for {table} {fld}; add a row to {RANGES_FILE}"
        raise DataError(msg, file=str(data_dir() / RANGES_FILE), field="field") from None


def range_problem(table: str, fld: str, value: float) -> str | None:
    """What is wrong with ``value`` against the ``ranges.csv`` bounds of ``(table, fld)``,
    or None when it lies within them."""
    low, high, unit = value_range(table, fld)
    if math.isfinite(value) and low <= value <= high:
        return None
    unit_text = f" {unit}" if unit else ""
    return (f"{value:g} is outside the plausible range {low:g}..{high:g}{unit_text} "
            f"({RANGES_FILE}: {table} {fld})")


def check_range(table: str, fld: str, value: float, *, file: str | None, row: int | None,
                field: str | None) -> float:
    """Refuse ``value`` outside the ``ranges.csv`` bounds of ``(table, fld)``; return it."""
    problem = range_problem(table, fld, value)
    if problem is not None:
        raise DataError(problem, file=file, row=row, field=field)
    return value


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


def _check_sources(rows: CsvTable, index: int, sources: Mapping[str, Any]) -> str:
    return check_sources(rows.rows[index].get("source", ""), sources, file=str(rows.path),
                         row=index + 1)


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
    rows = _rows(folder, "sources.csv")
    ids = rows.unique_ids()
    for i in range(len(rows.rows)):
        rows.text(i, "title")
    return dict(zip(ids, rows.rows, strict=True))


def _read_places(folder: Path, sources: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    rows = _rows(folder, "places.csv")
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
    folder: Path, sources: dict[str, dict[str, str]], place_countries: Mapping[str, str]
) -> list[dict[str, Any]]:
    rows = _rows(folder, "nodes.csv")
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
            "source": _check_sources(rows, i, sources),
        })
    return nodes


def _check_names_unique(folder: Path, places: list[dict[str, Any]],
                        nodes: list[dict[str, Any]]) -> None:
    """Refuse a name, alias, id or code that would make a query find another place.

    A place and its nodes may share names; a string that names two places (or a place
    and a node of another place, or two nodes with no place) is refused, since it would
    silently take a user's query to the wrong one.
    """
    from corridor.places import normalize

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
    rows = _rows(folder, "edges.csv")
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
            "source": _check_sources(rows, i, sources),
            "notes": row.get("notes", ""),
        })
    return edges


def _read_cost_params(folder: Path, sources: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    rows = _rows(folder, "cost_params.csv")
    params = []
    seen: set[tuple[str, str]] = set()
    for i in range(len(rows.rows)):
        mode = rows.choice(i, "mode", (*EDGE_MODES, "all"))
        param = rows.text(i, "param")
        if (mode, param) in seen:
            raise rows.error(i, "param", f"duplicate parameter {mode}.{param}")
        seen.add((mode, param))
        known = ranged_fields(COST_PARAMS_FILE)
        if f"{mode}.{param}" not in known:
            msg = f"unknown parameter {mode}.{param}; known: {', '.join(known)}"
            raise rows.error(i, "param", msg)
        params.append({
            "mode": mode,
            "param": param,
            "value": rows.number(i, "value", required=True,
                                 limit=(COST_PARAMS_FILE, f"{mode}.{param}")),
            "unit": rows.text(i, "unit", required=False),
            "source": _check_sources(rows, i, sources),
        })
    return params


def read_json(path: Path) -> Any:
    """Parse a JSON (GeoJSON) data file; any problem is a DataError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"is not UTF-8 text (byte {exc.start})", file=str(path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"is not valid JSON: {exc.msg}", file=str(path),
                        row=exc.lineno) from None
    except RecursionError:
        raise DataError("is nested too deeply to be GeoJSON", file=str(path)) from None


def _needed_cost_params(edge: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """The ``cost_params.csv`` parameters the cost model needs to fill an edge's blanks
    (for each figure, any one of the parameters named will do)."""
    mode = edge["mode"]
    if mode in ("transfer", "border"):
        return [(f, (p,)) for f, p in (("time_h", "fixed_h"), ("cost_usd", "fixed_usd"))
                if edge[f] is None]
    needs = [(f, p) for f, p in (("distance_km", ("circuity",)),
                                 ("time_h", ("speed_kmh", "drive_kmh")),
                                 ("cost_usd", ("usd_per_km", "usd_per_tkm", "usd_per_kg")))
             if edge[f] is None]
    return [*needs, ("co2_kg", ("co2_kg_per_tkm",))]


def _check_cost_params_cover(folder: Path, edges: list[dict[str, Any]],
                             params: list[dict[str, Any]]) -> None:
    """Refuse a ``cost_params.csv`` that lacks a parameter some edge needs (a missing row
    would otherwise make that figure 0), and one without ``all.cargo_t``."""
    given = {(p["mode"], p["param"]) for p in params}
    file = str(folder / COST_PARAMS_FILE)
    if ("all", "cargo_t") not in given:
        raise DataError("has no row for all.cargo_t (the cargo mass of one FEU)", file=file,
                        row=len(params) + 1, field="param")
    for i, edge in enumerate(edges, start=1):
        for figure, choices in _needed_cost_params(edge):
            if not any((edge["mode"], param) in given for param in choices):
                names = " or ".join(f"{edge['mode']}.{param}" for param in choices)
                msg = (f"has no row for {names}, which edges.csv row {i} "
                       f"({edge['id']}) needs for its {figure}")
                raise DataError(msg, file=file, row=len(params) + 1, field="param")


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


#: How a reference row's computed figure is obtained (``corridor data calibrate``).
REFERENCE_MEASURES = ("route", "edges", "bottleneck")
#: What a published reference figure measures.
REFERENCE_KINDS = ("door_to_door", "port_to_port", "border_dwell", "line_length",
                   "volume_vs_capacity")
#: ``calibrated``: the model's parameters were fitted to it; ``input``: the figure is itself
#: in the data (the row checks that it reaches the graph); ``check``: an independent test.
REFERENCE_BASES = ("calibrated", "input", "check")
REFERENCE_FIGURES = {"route": ("distance_km", "time_h", "cost_usd", "co2_kg"),
                     "edges": ("distance_km", "time_h", "cost_usd", "co2_kg"),
                     "bottleneck": ("max_flow_mt",)}
REFERENCE_OBJECTIVES = ("time", "cost", "distance", "co2")


def read_references(
    path: str | Path | None = None,
    *,
    node_ids: Iterable[str] | None = None,
    edge_ids: Iterable[str] | None = None,
    sources: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Read ``references.csv`` (published figures the model is checked against), validated.

    Each row names a ``measure`` (``route`` between two nodes by an objective and modes;
    ``edges``, the sum of a figure over listed edges, e.g. a line's sections or a border's
    dwell; ``bottleneck``, the maximum flow), the ``figure`` computed, the ``published``
    value, a ``tolerance`` in (0, 1], what it measures (``kind``), whether the model was
    calibrated on it (``basis``) and its ``source``. ``node_ids``, ``edge_ids`` and ``sources``
    come from the folder's other files unless a caller that has them passes them.
    """
    folder = Path(path) if path is not None else data_dir()
    if node_ids is None or edge_ids is None or sources is None:
        ds = read_dataset(folder)
        node_ids, sources = [n["id"] for n in ds.nodes], ds.sources
        edge_ids = [e["id"] for e in ds.edges]
    node_ids, edge_ids = set(node_ids), set(edge_ids)
    rows = _rows(folder, "references.csv")
    rows.unique_ids()
    out = []
    for i, row in enumerate(rows.rows):
        measure = rows.choice(i, "measure", REFERENCE_MEASURES)
        ref: dict[str, Any] = {
            "id": row["id"], "measure": measure,
            "kind": rows.choice(i, "kind", REFERENCE_KINDS),
            "basis": rows.choice(i, "basis", REFERENCE_BASES),
            "figure": rows.choice(i, "figure", REFERENCE_FIGURES[measure]),
            "published": rows.number(i, "published", required=True,
                                     limit=("references.csv", row.get("figure", ""))),
            "tolerance": rows.number(i, "tolerance", required=True),
            "origin": row.get("origin") or None, "destination": row.get("destination") or None,
            "modes": [m.strip() for m in row.get("modes", "").split(";") if m.strip()],
            "by": row.get("by") or None,
            "edges": [e.strip() for e in row.get("edges", "").split(";") if e.strip()],
            "year": None, "scenario": row.get("scenario") or None,
            "source": _check_sources(rows, i, sources), "notes": row.get("notes", ""),
        }
        if not ref["published"]:
            raise rows.error(i, "published", "must be above 0 (the ratio divides by it)")
        if not 0 < ref["tolerance"] <= 1:
            raise rows.error(i, "tolerance", f"{ref['tolerance']:g} is not in (0, 1] (0.05 = ±5 %)")
        _check_reference_shape(rows, i, ref, node_ids, edge_ids)
        ref["year"] = rows.year(i, "year", limit=("references.csv", "year"))
        if ref["scenario"] is not None:
            _check_scenario_name(rows, i, folder, ref["scenario"])
        out.append(ref)
    return out


def _check_reference_shape(rows: CsvTable, i: int, ref: dict[str, Any], node_ids: set[str],
                           edge_ids: set[str]) -> None:
    """The columns a reference row's measure needs are there, and name known things."""
    measure = ref["measure"]
    ends = ("origin", "destination")
    if measure == "route":
        for end in ends:
            if ref[end] is None:
                raise rows.error(i, end, "a route needs an origin and a destination node")
        if ref["origin"] == ref["destination"]:
            raise rows.error(i, "destination", "is the same node as origin")
        if not ref["modes"]:
            raise rows.error(i, "modes", "a route needs its modes (a ;-list of rail, road, sea, air)")
        if ref["by"] not in REFERENCE_OBJECTIVES:
            raise rows.error(i, "by", f"{ref['by']!r} is not one of {', '.join(REFERENCE_OBJECTIVES)}")
    for end in ends:
        if ref[end] is not None and ref[end] not in node_ids:
            raise rows.error(i, end, f"unknown node {ref[end]!r} (not an id in nodes.csv)")
    if not set(ref["modes"]) <= set(TRANSPORT_MODES):
        raise rows.error(i, "modes", f"{ref['modes']!r}: use a ;-list of rail, road, sea, air")
    if measure == "edges" and not ref["edges"]:
        raise rows.error(i, "edges", "an edges row needs a ;-list of edge ids")
    for edge in ref["edges"]:
        if edge not in edge_ids:
            raise rows.error(i, "edges", f"unknown edge {edge!r} (not an id in edges.csv)")


def _check_scenario_name(rows: CsvTable, i: int, folder: Path, name: str) -> None:
    from corridor.analysis.scenarios import SCENARIO_DIR

    if not any((base / SCENARIO_DIR / f"{name}.toml").is_file() for base in (folder, data_dir())):
        raise rows.error(i, "scenario", f"no scenario {name!r} in {SCENARIO_DIR}/")


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
    cost_params = _read_cost_params(folder, sources)
    _check_cost_params_cover(folder, edges, cost_params)
    geometry = _read_geometry(folder, {e["id"] for e in edges})
    return Dataset(folder, sources, places, nodes, edges, cost_params, geometry)


__all__ = [
    "CsvTable",
    "Dataset",
    "check_edge_figures",
    "check_range",
    "check_sources",
    "data_dir",
    "data_path",
    "range_problem",
    "read_csv",
    "read_dataset",
    "read_json",
    "read_references",
    "value_range",
]
