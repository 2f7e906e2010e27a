"""Read the small parameter tables of the analysis modules.

``reliability_params.csv``, ``capacity_params.csv`` and ``volumes.csv`` live beside the
network files (``data/``). They are looked for first in the folder the graph was loaded
from (``G.graph["data_folder"]``), then in the shipped data. Every row names its source:
an id of ``sources.csv`` or ``estimate:<method>``.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

from corridor._errors import DataError
from corridor.data import check_sources, data_dir


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
    if not path.is_file():
        return set()
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return {(row.get("id") or "").strip() for row in csv.DictReader(fh)}


def read_table(
    path: Path,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...] = ("notes",),
    numbers: tuple[str, ...] = ("value",),
    blank_ok: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Read a CSV parameter table, checking columns, numbers and sources.

    Rows are returned as dicts; the columns in ``numbers`` are floats (None when blank and
    listed in ``blank_ok``). Errors name the file, the row (1-based, header excluded) and
    the field.
    """
    file = str(path)
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in required if c not in header]
        if missing:
            raise DataError("missing column(s) " + ", ".join(missing), file=file, row=0,
                            field=missing[0])
        unknown = [c for c in header if c not in required and c not in optional]
        if unknown:
            raise DataError("unknown column(s) " + ", ".join(unknown), file=file, row=0,
                            field=unknown[0])
        raw_rows = [{k.strip(): (v or "").strip() for k, v in r.items() if k} for r in reader]
    sources = _source_ids(path.parent)
    rows = []
    for n, raw in enumerate(raw_rows, start=1):
        row: dict[str, Any] = dict(raw)
        for col in numbers:
            text = raw.get(col, "")
            if not text:
                if col in blank_ok:
                    row[col] = None
                    continue
                raise DataError("is empty; a number is needed", file=file, row=n, field=col)
            try:
                value = float(text)
            except ValueError:
                raise DataError(f"{text!r} is not a number", file=file, row=n,
                                field=col) from None
            if math.isnan(value) or math.isinf(value) or value < 0:
                raise DataError(f"{text!r} must be a finite number >= 0", file=file, row=n,
                                field=col)
            row[col] = value
        check_sources(raw.get("source", ""), sources, file=file, row=n)
        rows.append(row)
    return rows
