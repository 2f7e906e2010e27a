"""Read the small parameter tables of the analysis modules.

``reliability_params.csv``, ``capacity_params.csv`` and ``volumes.csv`` live beside the
network files (``data/``). They are looked for first in the folder the graph was loaded
from (``G.graph["data_folder"]``), then in the shipped data. Every row names its source:
an id of ``sources.csv`` or ``estimate:<method>``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from corridor._errors import DataError
from corridor.data import CsvTable, check_sources, data_dir, ranged_fields, read_csv


def find_file(name: str, folder: str | Path | None = None) -> Path:
    """The path of data file ``name``: in ``folder`` if it is there, else the shipped one."""
    if folder is not None:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    path = data_dir() / name
    if not path.is_file():
        msg = "file is missing (it ships with corridor; reinstall or pass a data folder)"
        raise DataError(msg, file=str(path))
    return path


def _source_ids(folder: Path) -> set[str]:
    path = folder / "sources.csv"
    if not path.is_file():
        path = data_dir() / "sources.csv"
    return {row["id"] for row in read_csv(path).rows}


def read_table(
    path: Path,
    *,
    table: str,
    required: tuple[str, ...],
    optional: tuple[str, ...] = ("notes",),
    numbers: tuple[str, ...] = ("value",),
    blank_ok: tuple[str, ...] = (),
    range_field: Callable[[dict[str, str], str], str] = lambda row, column: column,
) -> list[dict[str, Any]]:
    """Read a CSV parameter table, checking columns, numbers, ranges and sources.

    Rows are returned as dicts; the columns in ``numbers`` are floats (None when blank and
    listed in ``blank_ok``). Each number must lie in its range of ``ranges.csv``: table
    ``table``, field ``range_field(row, column)`` (the column itself by default; the
    ``param`` of a parameter table); a field without a range is refused as unknown.
    Errors name the file, the row (1-based, header excluded) and the field.
    """
    csv_table = CsvTable(path, required, optional)
    sources = _source_ids(path.parent)
    known = ranged_fields(table)
    rows = []
    for i, raw in enumerate(csv_table.rows):
        row: dict[str, Any] = dict(raw)
        for col in numbers:
            key = range_field(raw, col)
            if key not in known:
                fld = "param" if "param" in raw else col
                msg = f"unknown parameter {key!r}; known: {', '.join(known)}"
                raise csv_table.error(i, fld, msg)
            row[col] = csv_table.number(i, col, required=col not in blank_ok,
                                        limit=(table, key))
        check_sources(raw.get("source", ""), sources, file=csv_table.file, row=i + 1)
        rows.append(row)
    return rows
