"""The parameter tables beside the network files: ``cost_params.csv``, and the reader of
the analysis tables (``reliability_params.csv``, ``capacity_params.csv``, ``volumes.csv``).

The analysis tables are looked for first in the folder the graph was loaded from
(``G.graph["data_folder"]``), then in the shipped data (:func:`corridor.data.find_file`).
Every row names its source: an id of ``sources.csv`` or ``estimate:<method>``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from corridor._constants import EDGE_MODES, LINK_MODES
from corridor._errors import DataError
from corridor.data.files import data_dir
from corridor.data.reader import CsvTable, check_row_sources, check_sources, ranged_fields, read_csv
from corridor.data.schemas import COST_PARAMS_FILE


def read_cost_params(folder: Path, sources: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """The rows of ``cost_params.csv``: mode, param, value (within its range), unit, source."""
    rows = read_csv(folder / "cost_params.csv")
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
            "source": check_row_sources(rows, i, sources),
        })
    return params


def needed_cost_params(edge: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """The ``cost_params.csv`` parameters the cost model needs to fill an edge's blanks
    (for each figure, any one of the parameters named will do)."""
    mode = edge["mode"]
    if mode in LINK_MODES:
        return [(f, (p,)) for f, p in (("time_h", "fixed_h"), ("cost_usd", "fixed_usd"))
                if edge[f] is None]
    needs = [(f, p) for f, p in (("distance_km", ("circuity",)),
                                 ("time_h", ("speed_kmh", "drive_kmh")),
                                 ("cost_usd", ("usd_per_km", "usd_per_tkm", "usd_per_kg")))
             if edge[f] is None]
    return [*needs, ("co2_kg", ("co2_kg_per_tkm",))]


def check_cost_params_cover(folder: Path, edges: list[dict[str, Any]],
                             params: list[dict[str, Any]]) -> None:
    """Refuse a ``cost_params.csv`` that lacks a parameter some edge needs (a missing row
    would otherwise make that figure 0), and one without ``all.cargo_t``."""
    given = {(p["mode"], p["param"]) for p in params}
    file = str(folder / COST_PARAMS_FILE)
    if ("all", "cargo_t") not in given:
        raise DataError("has no row for all.cargo_t (the cargo mass of one FEU)", file=file,
                        row=len(params) + 1, field="param")
    for i, edge in enumerate(edges, start=1):
        for figure, choices in needed_cost_params(edge):
            if not any((edge["mode"], param) in given for param in choices):
                names = " or ".join(f"{edge['mode']}.{param}" for param in choices)
                msg = (f"has no row for {names}, which edges.csv row {i} "
                       f"({edge['id']}) needs for its {figure}")
                raise DataError(msg, file=file, row=len(params) + 1, field="param")


def source_ids(folder: Path) -> set[str]:
    """The ids of ``sources.csv`` in ``folder``, else of the shipped one."""
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
    sources = source_ids(path.parent)
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


__all__ = ["check_cost_params_cover", "needed_cost_params", "read_cost_params", "read_table",
           "source_ids"]
