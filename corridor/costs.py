"""The cost model: distance, time, money and CO2 of one edge, and the shipments priced on it.

Parameters come from ``cost_params.csv`` (each with its source). An edge row may
give its own ``time_h`` or ``cost_usd`` (a published tariff or dwell time); the
model fills only what the row leaves blank. CO2 is always the cargo mass times the
distance times the mode's tonne-km factor, so that changing the cargo mass changes
every edge consistently.

Parameters per mode (``param`` column):

``speed_kmh``
    Average commercial speed, stops included (time = distance / speed).
``usd_per_km``
    Price per loaded 40-ft container (FEU) and km.
``co2_kg_per_tkm``
    Tank-to-wheel kg CO2e per tonne-km.
``circuity``
    Factor from the straight or drawn line to the real route length, used only when a
    row gives no distance.
``fixed_h`` / ``fixed_usd``
    Added once per edge where the row gives no time / cost (e.g. air handling).
``connection_h``
    Wait on the ground before each departure (air: the minimum connection time), added
    once per edge where the row gives no time.
``usd_per_kg`` / ``usd_per_tkm``
    Price by weight (air cargo): per kg and edge, and per tonne-km.
``drive_kmh``, ``drive_h_per_day``, ``break_every_h``, ``break_h``, ``rest_h``
    The driving-time rule of road edges (see :func:`road_time_h`); it replaces
    ``speed_kmh`` when ``drive_kmh`` is given.
``transfer.airport_usd_per_kg``
    Airport cargo handling per kg, on each transfer to or from an airport (air cargo).

A ``transfer`` edge with a road-side end (:data:`ROAD_SIDE_KINDS`: a city's road node, an
airport) also carries the drive between its two ends, by road's parameters (see
:meth:`CostModel.access_costs`), on top of its own handling figures. Transfers inside one
site (a port's rail side and quay, a break of gauge) carry no drive.
``all.cargo_t``
    Default cargo mass of one FEU in tonnes.

Shipments (``cargo_profiles.csv``, :class:`CargoProfile`) say what moves: the modes it
may use, its mass and how it is priced. The graph carries the figures of the default
profile (a loaded FEU); :func:`cargo_graph` reprices a copy for another one.
"""

from __future__ import annotations

import csv
import functools
import math
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corridor._errors import DataError
from corridor.geo import haversine_km, line_length_km  # re-exported (moved to corridor.geo)

PARAMS = ("speed_kmh", "usd_per_km", "co2_kg_per_tkm", "circuity", "fixed_h", "fixed_usd",
          "connection_h", "usd_per_kg", "usd_per_tkm", "drive_kmh", "drive_h_per_day",
          "break_every_h", "break_h", "rest_h", "airport_usd_per_kg")
DEFAULT_CARGO_T = 20.0
DEFAULT_CARGO = "feu"
PROFILES_FILE = "cargo_profiles.csv"
ROAD_SIDE_KINDS = frozenset({"road_node", "city", "airport"})
"""Node kinds reached by road: a transfer with such an end includes the drive to its other."""


@dataclass(frozen=True)
class ModeParams:
    """The cost parameters of one mode."""

    speed_kmh: float | None = None
    usd_per_km: float = 0.0
    co2_kg_per_tkm: float = 0.0
    circuity: float = 1.0
    fixed_h: float = 0.0
    fixed_usd: float = 0.0
    connection_h: float = 0.0
    usd_per_kg: float = 0.0
    usd_per_tkm: float = 0.0
    drive_kmh: float | None = None
    drive_h_per_day: float = 9.0
    break_every_h: float = 4.5
    break_h: float = 0.75
    rest_h: float = 11.0
    airport_usd_per_kg: float = 0.0

    def travel_h(self, distance_km: float) -> float:
        """Hours to cover ``distance_km``: the driving rule if set, else distance / speed."""
        if self.drive_kmh:
            return road_time_h(distance_km, self)
        return distance_km / self.speed_kmh if self.speed_kmh else 0.0

    def drive_h(self, distance_km: float) -> float:
        """Hours of a short drive: plain driving when under ``break_every_h``, else the rule."""
        if self.drive_kmh and distance_km / self.drive_kmh < self.break_every_h:
            return distance_km / self.drive_kmh
        return self.travel_h(distance_km)

    def weight_usd(self, distance_km: float, cargo_t: float) -> float:
        """Price by weight of ``cargo_t`` tonnes over one edge (per kg plus per tonne-km)."""
        return cargo_t * (1000.0 * self.usd_per_kg + self.usd_per_tkm * distance_km)


def road_time_h(distance_km: float, p: ModeParams) -> float:
    """Elapsed hours of a truck covering ``distance_km`` under a daily driving limit.

    The driver drives at ``drive_kmh``, takes a break of ``break_h`` after each
    ``break_every_h`` of driving within a day, and a rest of ``rest_h`` after each
    ``drive_h_per_day`` of driving (AETR / EU 561/2006: 9 h, 45 min per 4.5 h, 11 h).
    Breaks and rests are spread over the hours driven, so the time of a route is the sum
    of its edges: each driving hour costs ``cycle / drive_h_per_day`` elapsed hours.
    """
    driving = distance_km / float(p.drive_kmh or 0.0)
    breaks_per_day = max(math.ceil(p.drive_h_per_day / p.break_every_h) - 1, 0)
    cycle = p.drive_h_per_day + breaks_per_day * p.break_h + p.rest_h
    return driving * cycle / p.drive_h_per_day


@dataclass(frozen=True)
class CostModel:
    """Cost parameters for every mode, and the cargo mass of one FEU."""

    modes: Mapping[str, ModeParams]
    cargo_t: float = DEFAULT_CARGO_T
    sources: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]], *, cargo_t: float | None = None
                  ) -> CostModel:
        """Build the model from ``cost_params.csv`` rows (see :mod:`corridor.data`)."""
        values: dict[str, dict[str, float]] = {}
        sources: dict[str, str] = {}
        default_cargo = DEFAULT_CARGO_T
        for row in rows:
            mode, param = row["mode"], row["param"]
            sources[f"{mode}.{param}"] = row["source"]
            if mode == "all" and param == "cargo_t":
                default_cargo = float(row["value"])
            elif param in PARAMS and mode != "all":
                values.setdefault(mode, {})[param] = float(row["value"])
            else:
                msg = (f"cost_params.csv: unknown parameter {mode}.{param}; "
                       f"known: {', '.join(PARAMS)} and all.cargo_t")
                raise DataError(msg)
        mass = default_cargo if cargo_t is None else cargo_t
        if not mass > 0:
            msg = f"cargo mass must be positive, got {mass}"
            raise ValueError(msg)
        return cls({m: ModeParams(**v) for m, v in values.items()}, mass, sources)

    def params(self, mode: str) -> ModeParams:
        """The parameters of ``mode`` (all zero for a mode the file does not list)."""
        return self.modes.get(mode, ModeParams())

    def edge_costs(
        self,
        mode: str,
        *,
        line_km: float,
        distance_km: float | None = None,
        time_h: float | None = None,
        cost_usd: float | None = None,
        end_kinds: Iterable[str] = (),
    ) -> dict[str, float]:
        """Fill the four figures of an edge.

        Parameters
        ----------
        mode
            The edge's mode.
        line_km
            Length of the edge's drawn line (great-circle length of its geometry).
        distance_km, time_h, cost_usd
            Values given in the data row; ``None`` lets the model fill them. A
            transfer's time and cost are its handling: the drive between its ends
            (:meth:`access_costs`) is added to them.
        end_kinds
            The ``kind`` of the edge's two nodes (a transfer with a road-side end drives).
        """
        if mode == "transfer":
            drive_km = line_km if ROAD_SIDE_KINDS.intersection(end_kinds) else 0.0
            return self._transfer_costs(drive_km, distance_km, time_h, cost_usd)
        p = self.params(mode)
        if distance_km is None:
            distance_km = line_km * p.circuity if mode != "border" else 0.0
        if time_h is None:
            time_h = p.fixed_h + p.connection_h + p.travel_h(distance_km)
        if cost_usd is None:
            cost_usd = (p.fixed_usd + distance_km * p.usd_per_km
                        + p.weight_usd(distance_km, self.cargo_t))
        co2_kg = distance_km * self.cargo_t * p.co2_kg_per_tkm
        return _figures(distance_km, time_h, cost_usd, co2_kg)

    def access_costs(self, distance_km: float) -> dict[str, float]:
        """Time, cost and CO2 of the road drive of ``distance_km`` inside a transfer.

        One truck at road's driving speed (no rest on a short drive), road's price per
        km, and road's CO2 factor for the cargo mass.
        """
        road = self.params("road")
        return {"time_h": road.drive_h(distance_km),
                "cost_usd": distance_km * road.usd_per_km,
                "co2_kg": distance_km * self.cargo_t * road.co2_kg_per_tkm}

    def _transfer_costs(self, line_km: float, distance_km: float | None,
                        time_h: float | None, cost_usd: float | None) -> dict[str, float]:
        """A transfer's handling (the row's or the model's) plus its drive by road of
        ``distance_km`` (if None: ``line_km`` times road's circuity)."""
        p = self.params("transfer")
        if distance_km is None:
            distance_km = line_km * self.params("road").circuity
        drive = self.access_costs(distance_km)
        handling_h = p.fixed_h if time_h is None else time_h
        handling_usd = p.fixed_usd if cost_usd is None else cost_usd
        return _figures(distance_km, handling_h + drive["time_h"],
                        handling_usd + drive["cost_usd"], drive["co2_kg"])


def _figures(distance_km: float, time_h: float, cost_usd: float, co2_kg: float
             ) -> dict[str, float]:
    """The four figures of an edge, as floats."""
    return {"distance_km": float(distance_km), "time_h": float(time_h),
            "cost_usd": float(cost_usd), "co2_kg": float(co2_kg)}


@dataclass(frozen=True)
class CargoProfile:
    """What a shipment is: the modes it may use, its mass and how it is priced.

    ``priced_by`` is ``unit`` (per container: the graph's figures times ``cost_factor``)
    or ``weight`` (flights and airport handling per kg of ``mass_t``; a road leg costs
    one truck whatever the mass).
    """

    id: str
    name: str
    modes: frozenset[str]
    unit: str
    mass_t: float
    priced_by: str
    cost_factor: float
    source: str

    def describe(self, mass_t: float) -> str:
        """A short label, e.g. ``feu (loaded 40-ft container (FEU), 20 t)``."""
        return f"{self.id} ({self.name}, {mass_t:g} t)"


def read_cargo_profiles(folder: str | Path | None = None, *,
                        sources: Mapping[str, Any] | None = None) -> dict[str, CargoProfile]:
    """Read ``cargo_profiles.csv`` of a data folder (the shipped data when None).

    ``sources`` (the folder's ``sources.csv`` ids) are read from the folder unless given.
    """
    from corridor.data import check_sources, data_dir

    folder = Path(folder) if folder is not None else data_dir()
    path = folder / PROFILES_FILE
    if not path.is_file():
        raise DataError("file is missing", file=str(path))
    if sources is None:
        sources = _dataset(str(folder)).sources
    profiles: dict[str, CargoProfile] = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for row_no, row in enumerate(csv.DictReader(fh), start=1):
            def bad(fld: str, why: str, row_no: int = row_no) -> DataError:
                return DataError(why, file=str(path), row=row_no, field=fld)

            ident = (row.get("id") or "").strip()
            if not ident or ident in profiles:
                raise bad("id", f"{ident!r} is empty or a duplicate id")
            modes = frozenset(m.strip() for m in (row.get("modes") or "").split(";") if m.strip())
            if not modes or not modes <= {"rail", "road", "sea", "air"}:
                raise bad("modes", f"{row.get('modes')!r}: use a ;-list of rail, road, sea, air")
            priced_by = (row.get("priced_by") or "").strip()
            if priced_by not in ("unit", "weight"):
                raise bad("priced_by", f"{priced_by!r} is not one of unit, weight")
            numbers = {}
            for fld in ("mass_t", "cost_factor"):
                try:
                    numbers[fld] = float(row.get(fld) or "")
                except ValueError:
                    raise bad(fld, f"{row.get(fld)!r} is not a number") from None
                if not numbers[fld] > 0 or math.isinf(numbers[fld]):
                    raise bad(fld, f"{numbers[fld]} must be a positive number")
            source = check_sources((row.get("source") or "").strip(), sources,
                                   file=str(path), row=row_no)
            profiles[ident] = CargoProfile(ident, (row.get("name") or ident).strip(), modes,
                                           (row.get("unit") or "").strip(), numbers["mass_t"],
                                           priced_by, numbers["cost_factor"], source)
    if DEFAULT_CARGO not in profiles:
        raise DataError(f"the default profile {DEFAULT_CARGO!r} is missing", file=str(path))
    return profiles


@functools.lru_cache(maxsize=8)
def _dataset(folder: str) -> Any:
    """The validated files of a data folder, read once per process."""
    from corridor.data import read_dataset

    return read_dataset(folder)


def _folder_of(G: Any) -> str:
    """The graph's data folder; the shipped one for a graph built in code."""
    from corridor.data import data_dir

    folder = G.graph.get("data_folder")
    if folder is None or not (Path(folder) / PROFILES_FILE).is_file():
        return str(data_dir())
    return str(folder)


def cargo_profile(G: Any, cargo: str | None) -> CargoProfile:
    """The profile ``cargo`` (None: the default, a loaded FEU) of the graph's data folder."""
    from corridor._validate import check_instance

    check_instance(cargo, str, "cargo", "a cargo profile name such as 'feu' or 'air'")
    name = DEFAULT_CARGO if cargo is None else cargo.strip().lower()
    profiles = _profiles_of(G)
    if name not in profiles:
        msg = f"unknown cargo {cargo!r}; choose one of {', '.join(profiles)}"
        raise ValueError(msg)
    return profiles[name]


_PROFILES: dict[str, dict[str, CargoProfile]] = {}


def _profiles_of(G: Any) -> dict[str, CargoProfile]:
    """The profiles of the graph's data folder, read once (checked against its sources)."""
    folder = _folder_of(G)
    if folder not in _PROFILES:
        own = G.graph.get("sources") if folder == G.graph.get("data_folder") else None
        _PROFILES[folder] = read_cargo_profiles(folder, sources=own)
    return _PROFILES[folder]


_CARGO_GRAPHS: weakref.WeakKeyDictionary[Any, dict[tuple[str, float], Any]] = (
    weakref.WeakKeyDictionary())


def shipment_mass(profile: CargoProfile, tonnes: float | None) -> float:
    """The mass moved: ``tonnes`` if given (checked), else the profile's own."""
    from corridor._validate import check_real

    if tonnes is None:
        return profile.mass_t
    return float(check_real(tonnes, "tonnes", low=0, open_low=True))  # type: ignore[arg-type]


def cargo_graph(G: Any, cargo: str | None = None, tonnes: float | None = None) -> Any:
    """``G`` with its figures repriced for a shipment (``G`` itself for the default FEU).

    CO2 scales with the mass moved. A ``unit`` profile multiplies every cost by its
    ``cost_factor``; a ``weight`` profile (air cargo) prices each flight per kg and
    tonne-km and each airport transfer per kg (plus its drive by one truck), and keeps
    the road and border figures of one vehicle. Times do not depend on the cargo. The copy is cached per graph.
    """
    profile = cargo_profile(G, cargo)
    base_mass = float(G.graph.get("cargo_t") or DEFAULT_CARGO_T)
    default = profile.id == DEFAULT_CARGO and tonnes is None
    mass = base_mass if default else shipment_mass(profile, tonnes)
    if profile.priced_by == "unit" and profile.cost_factor == 1 and mass == base_mass:
        return G
    cache = _CARGO_GRAPHS.setdefault(G, {})
    key = (profile.id, mass)
    if key in cache:
        return cache[key]
    model = _model_of(G)
    H = G.copy()
    airports = {n for n, d in H.nodes(data=True) if d.get("kind") == "airport"}
    for u, v, d in H.edges(data=True):
        d["co2_kg"] = float(d.get("co2_kg") or 0.0) * mass / base_mass
        if profile.priced_by == "unit":
            d["cost_usd"] = float(d.get("cost_usd") or 0.0) * profile.cost_factor
        elif d.get("mode") == "air":
            d["cost_usd"] = model.params("air").weight_usd(float(d["distance_km"]), mass)
        elif d.get("mode") == "transfer" and (u in airports or v in airports):
            handling = 1000.0 * mass * model.params("transfer").airport_usd_per_kg
            drive = model.access_costs(float(d.get("distance_km") or 0.0))["cost_usd"]
            d["cost_usd"] = handling + drive
    H.graph.update(cargo=profile.id, cargo_t=mass)
    cache[key] = H
    return H


def _model_of(G: Any) -> CostModel:
    """The cost model of the graph's data folder (the shipped one for a graph built in code)."""
    return CostModel.from_rows(_dataset(_folder_of(G)).cost_params)


__all__ = ["CargoProfile", "CostModel", "ModeParams", "cargo_graph", "cargo_profile",
           "haversine_km", "line_length_km", "read_cargo_profiles", "road_time_h",
           "shipment_mass"]

