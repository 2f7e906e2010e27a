"""The cost model: distance, time, money and CO2 of one edge for one loaded FEU.

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
``all.cargo_t``
    Default cargo mass of one FEU in tonnes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from corridor._errors import DataError

PARAMS = ("speed_kmh", "usd_per_km", "co2_kg_per_tkm", "circuity", "fixed_h", "fixed_usd")
DEFAULT_CARGO_T = 20.0
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class ModeParams:
    """The cost parameters of one mode."""

    speed_kmh: float | None = None
    usd_per_km: float = 0.0
    co2_kg_per_tkm: float = 0.0
    circuity: float = 1.0
    fixed_h: float = 0.0
    fixed_usd: float = 0.0


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
    ) -> dict[str, float]:
        """Fill the four figures of an edge.

        Parameters
        ----------
        mode
            The edge's mode.
        line_km
            Length of the edge's drawn line (great-circle length of its geometry).
        distance_km, time_h, cost_usd
            Values given in the data row; ``None`` lets the model fill them.
        """
        p = self.params(mode)
        if distance_km is None:
            distance_km = line_km * p.circuity if mode not in ("transfer", "border") else 0.0
        if time_h is None:
            time_h = p.fixed_h + (distance_km / p.speed_kmh if p.speed_kmh else 0.0)
        if cost_usd is None:
            cost_usd = p.fixed_usd + distance_km * p.usd_per_km
        co2_kg = distance_km * self.cargo_t * p.co2_kg_per_tkm
        return {
            "distance_km": float(distance_km),
            "time_h": float(time_h),
            "cost_usd": float(cost_usd),
            "co2_kg": float(co2_kg),
        }


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km between two (lon, lat) points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def line_length_km(coords: Iterable[tuple[float, float]]) -> float:
    """Great-circle length in km of a polyline of (lon, lat) points."""
    points = list(coords)
    return sum(haversine_km(*a, *b) for a, b in itertools.pairwise(points))


__all__ = ["CostModel", "ModeParams", "haversine_km", "line_length_km"]

