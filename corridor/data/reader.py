"""The one validating reader of the data files: CSV (:class:`CsvTable`) and JSON.

Every CSV data file goes through :class:`CsvTable`, and every figure is checked against its
plausible range in the shipped ``ranges.csv`` (:func:`check_range`); any problem raises
:class:`~corridor.DataError` naming the file, the row and the field.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import re
from collections.abc import Container
from pathlib import Path
from typing import Any

from corridor._errors import DataError
from corridor.data.files import data_dir
from corridor.data.schemas import RANGES_FILE, SCHEMAS

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*$")


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
        """The text in a cell; an empty cell is refused when ``required``."""
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
        """The text in a cell, which must be one of ``choices``."""
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
        """The ``id`` column: lower-case snake_case ASCII and unique."""
        for i in range(len(self.rows)):
            ident = self.text(i, "id")
            if not ID_PATTERN.match(ident):
                raise self.error(i, "id", f"{ident!r} must be lower-case snake_case ASCII")
        self.unique("id")
        return [row["id"] for row in self.rows]


def read_csv(path: Path, name: str | None = None) -> CsvTable:
    """Read ``path`` with the columns :data:`SCHEMAS` lists for ``name`` (default: its name)."""
    return CsvTable(path, *SCHEMAS[name or path.name])


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


def check_sources(value: str, sources: Container[str], *, file: str, row: int) -> str:
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


def check_row_sources(rows: CsvTable, index: int, sources: Container[str]) -> str:
    """The ``source`` cell of data row ``index`` of ``rows``, checked (:func:`check_sources`)."""
    return check_sources(rows.rows[index].get("source", ""), sources, file=str(rows.path),
                         row=index + 1)


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


__all__ = ["ID_PATTERN", "CsvTable", "check_range", "check_row_sources", "check_sources",
           "range_problem", "ranged_fields", "read_csv", "read_json", "value_range"]
