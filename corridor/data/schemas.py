"""The data files' columns, file names and the countries' bounding boxes (``data/README.md``)."""

from __future__ import annotations

RANGES_FILE = "ranges.csv"
COST_PARAMS_FILE = "cost_params.csv"
EDGES_FILE = "edges.csv"
#: The numeric columns of ``edges.csv``; each has a range in ``ranges.csv``.
EDGE_FIGURES = ("distance_km", "time_h", "time_h_low", "time_h_high", "cost_usd", "capacity")

#: Bounding boxes (lat_min, lat_max, lon_min, lon_max) used to check that a point lies in
#: the country it claims. Generous by a few tenths of a degree.
COUNTRY_BOUNDS: dict[str, tuple[float, float, float, float]] = {
    "KZ": (40.5, 55.5, 46.4, 87.4),
    "AZ": (38.3, 41.95, 44.7, 50.7),
    "CN": (18.0, 54.0, 73.0, 135.0),
    "GE": (41.0, 43.6, 40.0, 46.8),
    "TR": (35.8, 42.2, 25.6, 44.9),
    "TM": (35.1, 42.8, 52.4, 66.7),
    "UZ": (37.1, 45.6, 55.9, 73.2),
    "RU": (41.1, 82.0, 19.0, 180.0),
    "IR": (25.0, 39.8, 44.0, 63.4),
    "AM": (38.8, 41.3, 43.4, 46.7),
    "KG": (39.1, 43.3, 69.2, 80.3),
    "TJ": (36.6, 41.1, 67.3, 75.2),
    "RO": (43.6, 48.3, 20.2, 29.8),
    "BG": (41.2, 44.3, 22.3, 28.7),
    "UA": (44.3, 52.4, 22.1, 40.3),
}

SCHEMAS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # file: (required columns, optional columns)
    "sources.csv": (("id", "title", "publisher", "year", "url"), ()),
    "places.csv": (
        ("id", "name", "country", "lat", "lon", "source"),
        ("name_az", "name_kk", "name_ru", "aliases"),
    ),
    "nodes.csv": (
        ("id", "name", "kind", "country", "lat", "lon", "source"),
        ("name_az", "name_kk", "name_ru", "place", "code"),
    ),
    "edges.csv": (
        ("id", "from", "to", "mode", "status", "source"),
        (
            "distance_km",
            "time_h",
            "time_h_low",
            "time_h_high",
            "cost_usd",
            "capacity",
            "capacity_unit",
            "year_open",
            "oneway",
            "notes",
        ),
    ),
    "cost_params.csv": (("mode", "param", "value", "unit", "source"), ("notes",)),
    RANGES_FILE: (("id", "table", "field", "min", "max", "unit", "source"), ("notes",)),
    "references.csv": (
        ("id", "measure", "kind", "basis", "figure", "published", "tolerance", "source"),
        ("origin", "destination", "modes", "by", "edges", "year", "scenario", "notes"),
    ),
}


__all__ = ["COST_PARAMS_FILE", "COUNTRY_BOUNDS", "EDGES_FILE", "EDGE_FIGURES", "RANGES_FILE",
           "SCHEMAS"]
