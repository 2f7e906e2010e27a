"""The story's data: the facts of the press statement the project illustrates.

- :func:`read_story` reads ``story.csv``: each fact (a treaty, a figure, a place) with
  its source, checked like the network files.
- :func:`read_story_volumes` reads the corridor volumes by year (``volumes.csv``).
- :func:`read_sources` and :func:`read_places` give the rows of ``sources.csv`` and
  ``places.csv`` by id, from a data folder or the shipped data.

:mod:`corridor.maps.story` draws them.
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from corridor._errors import DataError
from corridor.analysis.capacity_units import VOLUMES_FILE, read_volumes
from corridor.data import COUNTRY_BOUNDS, CsvTable, check_sources, find_file, read_csv

__all__ = [
    "STORY_FILE",
    "STORY_KINDS",
    "graph_data_folder",
    "read_places",
    "read_sources",
    "read_story",
    "read_story_volumes",
]

STORY_FILE = "story.csv"
STORY_COLUMNS = (
    "id",
    "kind",
    "title",
    "value",
    "unit",
    "date",
    "place",
    "lat",
    "lon",
    "country",
    "source",
    "notes",
)
#: What a fact is about (the ``kind`` column of ``story.csv``).
STORY_KINDS = (
    "relation",
    "visits",
    "corridor",
    "infrastructure",
    "place",
    "treaty",
    "commission",
    "documents",
    "companies",
    "investment",
    "trade",
    "organization",
    "energy",
)


_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}([;>][A-Z]{2})*$")


def graph_data_folder(G: nx.MultiDiGraph) -> Path | None:
    """The data folder ``G`` was loaded from, or None (the shipped data)."""
    folder = G.graph.get("data_folder")
    return Path(folder) if folder else None


def _file_in(path: str | Path | None, name: str) -> Path:
    """``path`` itself, ``name`` inside it when it is a folder, the shipped file when None."""
    if path is None:
        return find_file(name, None)
    file_path = Path(path)
    return find_file(name, file_path) if file_path.is_dir() else file_path


def read_sources(folder: str | Path | None = None) -> dict[str, dict[str, str]]:
    """The rows of ``sources.csv`` by id (``folder``'s file, else the shipped one)."""
    return {row["id"]: row for row in read_csv(find_file("sources.csv", folder)).rows if row["id"]}


def read_places(folder: str | Path | None = None) -> dict[str, dict[str, str]]:
    """The rows of ``places.csv`` by id (``folder``'s file, else the shipped one)."""
    return {row["id"]: row for row in read_csv(find_file("places.csv", folder)).rows if row["id"]}


def _check_date(text: str, file: str, row: int) -> None:
    if not _DATE_RE.match(text):
        msg = f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
        raise DataError(msg, file=file, row=row, field="date")
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError as exc:
        raise DataError(
            f"{text!r} is not a valid date ({exc})", file=file, row=row, field="date"
        ) from None


def read_story(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the story's facts (``story.csv``, see ``data/README.md``).

    Parameters
    ----------
    path
        A ``story.csv`` file or a data folder holding one; the shipped file when None.
        Sources and places are looked up beside it (else in the shipped data).

    Returns
    -------
    pandas.DataFrame
        One row per fact, indexed by ``id``: the file's columns, ``value``, ``lat`` and
        ``lon`` as floats (NaN when blank; a fact with a ``place`` and no coordinates of
        its own gets the place's), and ``source_title`` (the sources' titles).

    Raises
    ------
    DataError
        A column, id, kind, number, date, place, country or source is wrong (the message
        names the file, the row and the field).
    """
    file_path = _file_in(path, STORY_FILE)
    if not file_path.is_file():
        msg = f"no such file {file_path}; give a story.csv file or a data folder"
        raise FileNotFoundError(msg)
    folder = file_path.parent
    file = str(file_path)
    table = CsvTable(file_path, tuple(c for c in STORY_COLUMNS if c != "notes"), ("notes",))
    sources = read_sources(folder)
    places = read_places(folder)
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for n, raw in enumerate(table.rows, start=1):
        row: dict[str, Any] = {c: raw.get(c, "") for c in STORY_COLUMNS}
        fid = row["id"]
        if not _ID_RE.match(fid):
            raise DataError(f"{fid!r} is not a snake_case ASCII id", file=file, row=n, field="id")
        if fid in seen:
            raise DataError(f"duplicate id {fid!r}", file=file, row=n, field="id")
        seen.add(fid)
        if row["kind"] not in STORY_KINDS:
            msg = f"{row['kind']!r} is not a kind; known: {', '.join(STORY_KINDS)}"
            raise DataError(msg, file=file, row=n, field="kind")
        if not row["title"]:
            raise DataError("is empty; say what the fact is", file=file, row=n, field="title")
        value = table.number(n - 1, "value", minimum=None)
        value = math.nan if value is None else value
        if row["value"] and not row["unit"]:
            raise DataError("is empty; a value needs a unit", file=file, row=n, field="unit")
        row["value"] = value
        if row["date"]:
            _check_date(row["date"], file, n)
        if row["place"] and row["place"] not in places:
            msg = f"{row['place']!r} is not an id in places.csv"
            raise DataError(msg, file=file, row=n, field="place")
        if bool(row["lat"]) != bool(row["lon"]):
            raise DataError(
                "give both lat and lon, or neither",
                file=file,
                row=n,
                field="lat" if not row["lat"] else "lon",
            )
        if row["lat"]:
            lat = table.number(n - 1, "lat", minimum=None)
            lon = table.number(n - 1, "lon", minimum=None)
            assert lat is not None and lon is not None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise DataError(f"({lat}, {lon}) is not a position", file=file, row=n, field="lat")
        elif row["place"]:
            place = places[row["place"]]
            try:
                lat, lon = float(place["lat"]), float(place["lon"])
            except ValueError:
                msg = f"place {row['place']!r} has no position (check it with data validate)"
                raise DataError(msg, file=str(folder / "places.csv"), field="lat") from None
        else:
            lat = lon = math.nan
        row["lat"], row["lon"] = lat, lon
        country = row["country"]
        if country and (
            not _COUNTRY_RE.match(country)
            or any(c not in COUNTRY_BOUNDS for c in re.split(r"[;>]", country))
        ):
            msg = f"{country!r}: write ISO-2 codes joined by ';' (both) or '>' (from>to)"
            raise DataError(msg, file=file, row=n, field="country")
        check_sources(row["source"], sources, file=file, row=n)
        row["source_title"] = "; ".join(
            sources[s.strip()]["title"] if s.strip() in sources else s.strip()
            for s in row["source"].split(";")
        )
        out.append(row)
    frame = pd.DataFrame(out, columns=[*STORY_COLUMNS, "source_title"])
    frame.attrs["file"] = file
    return frame.set_index("id", drop=False)


def read_story_volumes(path: str | Path | None = None) -> pd.DataFrame:
    """Corridor volumes by year (``volumes.csv``): year, kind, low_mt, high_mt, source.

    Parameters
    ----------
    path
        A ``volumes.csv`` file or a data folder holding one; the shipped file when None.

    Returns
    -------
    pandas.DataFrame
        One row per year, sorted by year; ``high_mt`` equals ``low_mt`` where the
        sources agree; ``kind`` is ``observed``, ``plan`` or ``potential``; plus
        ``source_title``.
    """
    file_path = _file_in(path, VOLUMES_FILE)
    rows = read_volumes(file_path)
    sources = read_sources(file_path.parent)
    frame = pd.DataFrame(rows)
    frame["source_title"] = [
        "; ".join(sources.get(s.strip(), {}).get("title", s.strip()) for s in str(v).split(";"))
        for v in frame["source"]
    ]
    return frame.sort_values("year").reset_index(drop=True)
