"""Coordinates for the maps: axis order, rounding, GeoJSON features, screen bearings."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from shapely.geometry import mapping

from corridor.maps.html import brace_free
from corridor.maps.style import DECIMALS

__all__ = ["Point", "feature", "latlon", "mercator_bearing", "round_geojson"]

Point = tuple[float, float]  # (lon, lat)


def latlon(points: Iterable[Sequence[float]]) -> list[list[float]]:
    """Turn (lon, lat) points into folium's [lat, lon], rounded.

    The only place where the axis order is swapped: shapely and GeoJSON use
    (lon, lat), folium and Leaflet (lat, lon).
    """
    return [[round(float(p[1]), DECIMALS), round(float(p[0]), DECIMALS)] for p in points]


def mercator_bearing(a: Point, b: Point) -> float:
    """Screen angle in degrees (clockwise from east) of the segment a→b on a Web Mercator map."""
    dx = math.radians(b[0] - a[0])

    def merc(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dy = merc(b[1]) - merc(a[1])
    return -math.degrees(math.atan2(dy, dx))


def round_geojson(geom: Any) -> Any:
    """Round the coordinates of a GeoJSON geometry mapping (nested lists)."""
    if isinstance(geom, (list, tuple)):
        if geom and isinstance(geom[0], (int, float)):
            return [round(float(c), DECIMALS) for c in geom]
        return [round_geojson(g) for g in geom]
    return geom


def feature(geometry: Any, props: dict[str, Any], fid: str) -> dict[str, Any]:
    """A GeoJSON feature; its id and properties have no brace left (see :func:`brace_free`)."""
    geo = mapping(geometry)
    return {
        "type": "Feature",
        "id": brace_free(fid),
        "properties": brace_free(props),
        "geometry": {"type": geo["type"], "coordinates": round_geojson(geo["coordinates"])},
    }
