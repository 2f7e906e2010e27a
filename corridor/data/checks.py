"""Check every data file of a folder, not only the network files (``corridor data validate``).

:func:`validate_folder` reads the network (``read_dataset`` and ``load_network``), then each
of the other files found in the folder with the reader the package itself uses, so that a
file passing here also loads in the commands that need it:

- ``capacity_params.csv`` (:meth:`CapacityParams.from_file`),
- ``reliability_params.csv`` (:meth:`ReliabilityParams.from_file`),
- ``volumes.csv`` (:func:`read_volumes`),
- ``references.csv`` (:func:`corridor.data.read_references`),
- ``cargo_profiles.csv`` (:func:`corridor.costs.read_cargo_profiles`),
- ``story.csv`` (:func:`corridor.story_data.read_story`),
- ``boundaries.geojson`` (:func:`check_boundaries`: parses, every feature has ``iso_a2``),
- ``geometry.geojson`` (:func:`check_line_lengths`: each rail/road line's length against the
  edge's distance; lines flagged ``straight`` are listed apart),
- every ``scenarios/*.toml`` (loaded and applied to the folder's graph).

Every number is checked against its range in the shipped ``ranges.csv``
(:func:`corridor.data.check_range`); a ``ranges.csv`` in the folder is not used.

A broken file raises :class:`~corridor.DataError` naming the file, the row and the field.
This module sits above the loaders it calls, so :mod:`corridor.data` does not re-export it:
import :func:`validate_folder` from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridor._constants import SCENARIO_DIR
from corridor._errors import DataError
from corridor.analysis.capacity_units import PARAMS_FILE as CAPACITY_FILE
from corridor.analysis.capacity_units import VOLUMES_FILE, CapacityParams, read_volumes
from corridor.analysis.reliability import PARAMS_FILE as RELIABILITY_FILE
from corridor.analysis.reliability import ReliabilityParams
from corridor.analysis.scenario_io import apply_scenario
from corridor.costs import PROFILES_FILE, read_cargo_profiles
from corridor.data.network_files import read_dataset
from corridor.data.reader import read_json
from corridor.data.references import read_references
from corridor.geo import line_length_km
from corridor.network import CHORD_MODES, load_network
from corridor.story_data import STORY_FILE, read_story

if TYPE_CHECKING:
    import networkx as nx

REFERENCES_FILE = "references.csv"
BOUNDARIES_FILE = "boundaries.geojson"
GEOMETRY_FILE = "geometry.geojson"
LINE_TOLERANCE = 0.15  # a drawn line may differ from the edge's distance by this share
PLANNING_HORIZON = 2100  # the network of this year holds every planned link too


def check_boundaries(path: str | Path) -> int:
    """Check ``boundaries.geojson``: a FeatureCollection whose features have ``iso_a2``.

    ``row`` in an error is the feature's number (1-based). The sea (``water: true``)
    has a blank ``iso_a2``.

    Returns the number of features.
    """
    file = str(path)
    data = read_json(Path(path))
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataError("is not a GeoJSON FeatureCollection", file=file, field="type")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise DataError("has no features", file=file, field="features")
    for n, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        code = props.get("iso_a2") if isinstance(props, dict) else None
        water = isinstance(props, dict) and props.get("water") is True
        if not isinstance(code, str) or not (water or re.fullmatch(r"[A-Z]{2}", code)):
            msg = (f"feature {n} has no iso_a2 country code (two capital letters; "
                   "blank only for a feature with water: true)")
            raise DataError(msg, file=file, row=n, field="iso_a2")
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or "coordinates" not in geometry:
            raise DataError("feature has no geometry", file=file, row=n, field="geometry")
    return len(features)


@dataclass(frozen=True)
class LineCheck:
    """Rail and road lines of ``geometry.geojson`` compared with their edges' distances.

    ``checked`` counts the drawn (not straight) lines; ``mismatched`` maps an edge id to
    its (distance_km, line_km) where they differ by more than the tolerance; ``straight``
    lists the edges flagged as drawn straight because no source covers them.
    """

    checked: int
    mismatched: dict[str, tuple[float, float]]
    straight: list[str]

    def summary(self) -> str:
        """One line for ``corridor data validate``."""
        bad = ", ".join(f"{k} ({d:.0f} km, line {line:.0f} km)"
                        for k, (d, line) in self.mismatched.items())
        return (f"{GEOMETRY_FILE}: {self.checked} rail/road lines, "
                f"{self.checked - len(self.mismatched)} within {LINE_TOLERANCE:.0%} of their "
                f"distance" + (f"; differ: {bad}" if bad else "")
                + f"; {len(self.straight)} flagged straight: "
                + (", ".join(self.straight) or "none"))


def check_line_lengths(G: nx.MultiDiGraph, path: str | Path,
                       tolerance: float = LINE_TOLERANCE) -> LineCheck:
    """Compare each rail/road edge's distance in ``G`` with the length of its drawn line.

    A feature with ``properties.straight`` true is not measured: it is listed as flagged.
    """
    distance = {k: d["distance_km"] for _, _, k, d in G.edges(keys=True, data=True)
                if d["mode"] in CHORD_MODES}
    mismatched: dict[str, tuple[float, float]] = {}
    straight: list[str] = []
    checked = 0
    for feature in read_json(Path(path)).get("features", []):
        props: Any = feature.get("properties") or {}  # parsed JSON
        edge_id = props.get("edge_id")
        if props.get("straight") is True:
            straight.append(edge_id)
            continue
        if edge_id not in distance:
            continue
        checked += 1
        line = line_length_km([tuple(c[:2]) for c in feature["geometry"]["coordinates"]])
        if abs(line - distance[edge_id]) > tolerance * distance[edge_id]:
            mismatched[edge_id] = (distance[edge_id], line)
    return LineCheck(checked, mismatched, sorted(straight))


def _run(file: Path, check: Callable[[], str]) -> str:
    """Run one check; a file that is not UTF-8 text is a DataError naming it."""
    try:
        return check()
    except UnicodeDecodeError:
        raise DataError("not UTF-8 text", file=str(file)) from None


def validate_folder(path: str | Path | None = None) -> list[str]:
    """Check every data file of a folder (the shipped data when None).

    Returns
    -------
    list of str
        One line per file or group of files checked, saying what was found.

    Raises
    ------
    DataError
        A file is malformed (file, row and field named).
    """
    ds = read_dataset(path)
    G = load_network(path)
    folder = Path(ds.folder)
    done = [
        f"network: {len(ds.nodes)} node rows, {len(ds.edges)} edge rows, {len(ds.sources)} "
        f"sources; graph of {G.number_of_nodes()} nodes and {G.number_of_edges()} directed "
        "edges"
    ]

    def capacity() -> str:
        p = CapacityParams.from_file(folder / CAPACITY_FILE)
        return f"{CAPACITY_FILE}: teu_t {p.teu_t:g}, teu_per_train {p.teu_per_train:g}"

    def reliability() -> str:
        p = ReliabilityParams.from_file(folder / RELIABILITY_FILE)
        return f"{RELIABILITY_FILE}: spread for {len(p.spread)} modes"

    def volumes() -> str:
        return f"{VOLUMES_FILE}: {len(read_volumes(folder / VOLUMES_FILE))} rows"

    def references() -> str:
        rows = read_references(folder, node_ids=G, edge_ids=[e["id"] for e in ds.edges],
                               sources=ds.sources)
        return f"{REFERENCES_FILE}: {len(rows)} rows"

    def story() -> str:
        return f"{STORY_FILE}: {len(read_story(folder / STORY_FILE))} facts"

    def cargo() -> str:
        profiles = read_cargo_profiles(folder, sources=ds.sources)
        return f"{PROFILES_FILE}: {', '.join(profiles)}"

    def boundaries() -> str:
        return f"{BOUNDARIES_FILE}: {check_boundaries(folder / BOUNDARIES_FILE)} features"

    def lines() -> str:
        return check_line_lengths(load_network(path, year=PLANNING_HORIZON), folder / GEOMETRY_FILE
                                  ).summary()

    for name, check in ((CAPACITY_FILE, capacity), (RELIABILITY_FILE, reliability),
                        (VOLUMES_FILE, volumes), (REFERENCES_FILE, references),
                        (STORY_FILE, story), (BOUNDARIES_FILE, boundaries),
                        (PROFILES_FILE, cargo), (GEOMETRY_FILE, lines)):
        if (folder / name).is_file():
            done.append(_run(folder / name, check))
    scenarios = sorted((folder / SCENARIO_DIR).glob("*.toml"))
    for file in scenarios:

        def scenario(file: Path = file) -> str:
            apply_scenario(G, file)  # parses the file and checks its ids against G
            return file.name

        _run(file, scenario)
    if scenarios:
        done.append(f"{SCENARIO_DIR}/: {len(scenarios)} scenarios "
                    f"({', '.join(f.stem for f in scenarios)})")
    return done


__all__ = ["LineCheck", "check_boundaries", "check_line_lengths", "validate_folder"]
