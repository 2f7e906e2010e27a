"""Distances on the Earth's surface: the one great-circle formula of the package.

Coordinates are (lon, lat) in degrees (EPSG:4326). :func:`haversine_km` is for two points,
:func:`line_length_km` for a polyline and :func:`haversine_km_array` for many pairs at once.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable

import numpy as np

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km between two (lon, lat) points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_array(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray,
                       lat2: np.ndarray) -> np.ndarray:
    """:func:`haversine_km` element-wise over arrays of coordinates."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def line_length_km(coords: Iterable[tuple[float, float]]) -> float:
    """Great-circle length in km of a polyline of (lon, lat) points."""
    points = list(coords)
    return sum(haversine_km(*a, *b) for a, b in itertools.pairwise(points))


__all__ = ["EARTH_RADIUS_KM", "haversine_km", "haversine_km_array", "line_length_km"]
