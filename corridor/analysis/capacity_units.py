"""Capacity units and the capacity tables: an edge's capacity in Mt/yr.

Each edge's ``capacity`` (with ``capacity_unit``) is converted to million tonnes a year
(Mt/yr) with the parameters of ``data/capacity_params.csv``:

- ``Mt/yr`` as is; ``t/yr`` / 10⁶;
- ``TEU/yr`` × ``teu_t`` (average cargo mass of a loaded TEU) / 10⁶;
- ``TEU/day`` × ``days_per_year`` × ``teu_t`` / 10⁶;
- ``trains/day`` × ``days_per_year`` × ``teu_per_train`` × ``teu_t`` / 10⁶;
- ``pax/yr`` is not a freight capacity: the edge is treated as unbounded and listed in
  ``Bottlenecks.unconverted``.

A capacity whose source is an ``estimate:capacity_<method>`` (a rule, not a published
figure) is marked as such (:func:`capacity_basis`). The published corridor volumes the
flow is compared with are in ``data/volumes.csv`` (:func:`read_volumes`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor._constants import CAPACITY_UNITS
from corridor._errors import DataError
from corridor.data.files import find_file
from corridor.data.params import read_table

PARAMS_FILE = "capacity_params.csv"
VOLUMES_FILE = "volumes.csv"


@dataclass(frozen=True)
class CapacityParams:
    """Unit conversion parameters (see ``data/capacity_params.csv``)."""

    teu_t: float = 10.0
    teu_per_train: float = 100.0
    days_per_year: float = 365.0

    @classmethod
    def from_file(cls, path: str | Path | None = None, *, folder: str | Path | None = None
                  ) -> CapacityParams:
        """Read ``capacity_params.csv`` (``path``, else from ``folder``, else shipped)."""
        file = Path(path) if path is not None else find_file(PARAMS_FILE, folder)
        rows = read_table(file, table=PARAMS_FILE, required=("param", "value", "unit", "source"),
                          range_field=lambda row, column: row["param"])
        known = {f for f in cls.__dataclass_fields__}
        values: dict[str, float] = {}
        for n, row in enumerate(rows, start=1):
            if row["param"] not in known:
                msg = f"unknown parameter {row['param']!r}; known: {', '.join(sorted(known))}"
                raise DataError(msg, file=str(file), row=n, field="param")
            if not row["value"] > 0:
                raise DataError("must be > 0", file=str(file), row=n, field="value")
            values[row["param"]] = row["value"]
        return cls(**values)


def read_volumes(path: str | Path | None = None, *, folder: str | Path | None = None
                 ) -> list[dict[str, Any]]:
    """Published corridor volumes (``volumes.csv``): year, kind, low_mt, high_mt, source."""
    file = Path(path) if path is not None else find_file(VOLUMES_FILE, folder)
    rows = read_table(
        file,
        table=VOLUMES_FILE,
        required=("year", "kind", "low_mt", "high_mt", "source"),
        numbers=("year", "low_mt", "high_mt"),
        blank_ok=("high_mt",),
    )
    years: dict[int, int] = {}
    for n, row in enumerate(rows, start=1):
        if not row["year"].is_integer():
            raise DataError(f"{row['year']:g} is not a whole year", file=str(file), row=n,
                            field="year")
        row["year"] = int(row["year"])
        if row["year"] in years:
            msg = f"duplicate year {row['year']} (first in row {years[row['year']]})"
            raise DataError(msg, file=str(file), row=n, field="year")
        years[row["year"]] = n
        if row["high_mt"] is None:
            row["high_mt"] = row["low_mt"]
        if row["kind"] not in ("observed", "plan", "potential"):
            msg = f"{row['kind']!r} is not one of observed, plan, potential"
            raise DataError(msg, file=str(file), row=n, field="kind")
        if row["high_mt"] < row["low_mt"]:
            raise DataError("high_mt is below low_mt", file=str(file), row=n, field="high_mt")
    if not any(row["kind"] == "observed" for row in rows):
        msg = "has no observed year; give at least one row of kind observed"
        raise DataError(msg, file=str(file), row=len(rows) + 1, field="kind")
    return rows


def capacity_mt(d: Mapping[str, Any], params: CapacityParams | None = None) -> float | None:
    """An edge's capacity in Mt/yr; None when it has none or it is not a freight unit.

    Raises
    ------
    ValueError
        For a unit not in ``CAPACITY_UNITS``.
    """
    p = params or CapacityParams()
    cap = d.get("capacity")
    if cap is None or (isinstance(cap, float) and math.isnan(cap)):
        return None
    unit = d.get("capacity_unit")
    cap = float(cap)
    if unit == "Mt/yr":
        return cap
    if unit == "t/yr":
        return cap / 1e6
    if unit == "TEU/yr":
        return cap * p.teu_t / 1e6
    if unit == "TEU/day":
        return cap * p.days_per_year * p.teu_t / 1e6
    if unit == "trains/day":
        return cap * p.days_per_year * p.teu_per_train * p.teu_t / 1e6
    if unit == "pax/yr":
        return None
    msg = f"edge {d.get('id')!r}: unknown capacity unit {unit!r}; known: {', '.join(CAPACITY_UNITS)}"
    raise ValueError(msg)


def capacity_basis(d: Mapping[str, Any]) -> str:
    """How an edge's capacity was obtained: ``published``, or its ``estimate:capacity_…`` methods.

    A capacity estimate is marked in the edge's ``source`` by an entry starting with
    ``estimate:capacity_``; a capacity without one comes from the published sources the
    row names.
    """
    methods = [s.strip() for s in str(d.get("source") or "").split(";")
               if s.strip().startswith("estimate:capacity_")]
    return ";".join(methods) if methods else "published"


__all__ = ["PARAMS_FILE", "VOLUMES_FILE", "CapacityParams", "capacity_basis",
           "capacity_mt", "read_volumes"]
