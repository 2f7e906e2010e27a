"""Read ``references.csv``: the published figures the model is checked against.

:func:`read_references` validates the rows; :mod:`corridor.analysis.calibration` computes
the model's figure for each (``corridor data calibrate``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from corridor._constants import SCENARIO_DIR, TRANSPORT_MODES
from corridor.data.files import data_dir
from corridor.data.network_files import read_dataset
from corridor.data.reader import CsvTable, check_row_sources, read_csv

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
    rows = read_csv(folder / "references.csv")
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
            "source": check_row_sources(rows, i, sources), "notes": row.get("notes", ""),
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
    if not any((base / SCENARIO_DIR / f"{name}.toml").is_file() for base in (folder, data_dir())):
        raise rows.error(i, "scenario", f"no scenario {name!r} in {SCENARIO_DIR}/")


__all__ = ["REFERENCE_BASES", "REFERENCE_FIGURES", "REFERENCE_KINDS", "REFERENCE_MEASURES",
           "REFERENCE_OBJECTIVES", "read_references"]
