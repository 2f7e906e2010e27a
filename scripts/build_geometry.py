"""Sea lanes and great circles of data/geometry.geojson (used by scripts/build_lines.py).

The shipped file is written by ``scripts/build_lines.py``, which takes the sea and air lines
from :func:`build` here and adds the rail and road lines traced on OpenStreetMap. Run this
script alone only to inspect those lines (it writes no rail or road alignment):

    python scripts/build_geometry.py --out /tmp/sea_air.geojson --check

* Sea edges follow the MARNET lanes of the ``searoute`` package (source id ``searoute``).
  The package has no node at Kuryk or Alat (and its Aktau/Turkmenbashi nodes sit off the
  quays), so each port is joined to the nearest point of the lane: the lane is cut there
  and the port's own coordinate is put at the end.
* Air edges are great circles (20 segments).
* Land edges listed in WAYPOINTS are drawn through intermediate nodes (``build_lines.py``
  uses them only where it cannot trace a line).

Coordinates are rounded to 4 decimals (about 10 m) to keep the file small.
"""
from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
from pathlib import Path

import searoute

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

# Land edges drawn through other nodes (edge id -> node ids between its two ends).
WAYPOINTS = {
    "rail_dostyk_moyinty_second_track": ["aktogay", "sayak", "balkhash"],
}
# Approach waypoints (lon, lat) from a port's quay out to open water, checked against the
# Natural Earth 1:10m coast: Kuryk lies in a bay south-east of the lane, Turkmenbashi inside
# Krasnovodsk Bay (leave round the south end of the spit), Alat behind a cape to its north.
PORT_APPROACH: dict[str, list[tuple[float, float]]] = {
    "kuryk_port_quay": [(51.60, 43.14), (51.20, 43.10)],
    "turkmenbashi_port_quay": [(52.98, 39.95), (53.06, 39.85), (53.06, 39.74)],
    "alat_port_quay": [(49.47, 39.93)],
}
# Where a MARNET lane segment clips land at the Natural Earth 1:10m scale, route it through
# extra points: the Caspian lane south of Baku cuts the tip of the Absheron shoal coast.
LANE_NUDGE: dict[tuple[tuple[float, float], tuple[float, float]], list[tuple[float, float]]] = {
    ((50.8503, 40.2967), (49.9329, 40.2124)): [(50.40, 40.20)],
}


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def length_km(coords: list[tuple[float, float]]) -> float:
    return sum(_km(a, b) for a, b in itertools.pairwise(coords))


def _project(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]):
    """Nearest point to p on segment a-b (local equirectangular plane); returns (point, t)."""
    k = math.cos(math.radians((a[1] + b[1]) / 2))
    ax, ay, bx, by, px, py = a[0] * k, a[1], b[0] * k, b[1], p[0] * k, p[1]
    dx, dy = bx - ax, by - ay
    den = dx * dx + dy * dy
    t = 0.0 if den == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / den))
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])), t


def _cut_start(lane: list[tuple[float, float]], port: tuple[float, float]):
    """Cut the lane at its point nearest to ``port`` and start the line at the port."""
    best = None
    for i, (a, b) in enumerate(itertools.pairwise(lane)):
        q, _ = _project(port, a, b)
        d = _km(port, q)
        if best is None or d < best[0]:
            best = (d, i, q)
    _, i, q = best
    rest = [q, *lane[i + 1:]]
    if _km(rest[0], rest[1]) < 0.5:  # the cut fell on a lane vertex
        rest = rest[1:]
    return [port, *rest]


def _nudge(lane: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = [lane[0]]
    for a, b in itertools.pairwise(lane):
        key = ((round(a[0], 4), round(a[1], 4)), (round(b[0], 4), round(b[1], 4)))
        if key in LANE_NUDGE:
            out += LANE_NUDGE[key]
        elif key[::-1] in LANE_NUDGE:
            out += list(reversed(LANE_NUDGE[key[::-1]]))
        out.append(b)
    return out


def sea_line(o: tuple[float, float], d: tuple[float, float], o_id: str, d_id: str):
    """Port o -> approach -> MARNET lane (cut at the points nearest the approaches) -> port d."""
    route = searoute.searoute(list(o), list(d), units="km")
    lane = _nudge([tuple(c) for c in route["geometry"]["coordinates"]])
    o_app, d_app = PORT_APPROACH.get(o_id, []), PORT_APPROACH.get(d_id, [])
    o_anchor = o_app[-1] if o_app else o
    d_anchor = d_app[-1] if d_app else d
    lane = _cut_start(lane, o_anchor)[1:]
    lane = list(reversed(_cut_start(list(reversed(lane)), d_anchor)[1:]))
    return [o, *o_app, *lane, *list(reversed(d_app)), d]


def great_circle(a: tuple[float, float], b: tuple[float, float], n: int = 20):
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    v1 = (math.cos(lat1) * math.cos(lon1), math.cos(lat1) * math.sin(lon1), math.sin(lat1))
    v2 = (math.cos(lat2) * math.cos(lon2), math.cos(lat2) * math.sin(lon2), math.sin(lat2))
    omega = math.acos(max(-1.0, min(1.0, sum(x * y for x, y in zip(v1, v2, strict=False)))))
    pts = []
    for i in range(n + 1):
        f = i / n
        if omega == 0:
            w1, w2 = 1 - f, f
        else:
            w1, w2 = math.sin((1 - f) * omega) / math.sin(omega), math.sin(f * omega) / math.sin(omega)
        x, y, z = (w1 * p + w2 * q for p, q in zip(v1, v2, strict=False))
        pts.append((math.degrees(math.atan2(y, x)), math.degrees(math.atan2(z, math.hypot(x, y)))))
    return pts


def build() -> tuple[dict, dict[str, float]]:
    nodes = {r["id"]: (float(r["lon"]), float(r["lat"])) for r in _read("nodes.csv")}
    features, sea_km = [], {}
    for e in _read("edges.csv"):
        a, b = nodes[e["from"]], nodes[e["to"]]
        if e["mode"] == "sea":
            coords = sea_line(a, b, e["from"], e["to"])
            sea_km[e["id"]] = round(length_km(coords), 1)
        elif e["mode"] == "air":
            coords = great_circle(a, b)
        elif e["id"] in WAYPOINTS:
            coords = [a] + [nodes[w] for w in WAYPOINTS[e["id"]]] + [b]
        else:
            continue
        coords = [(round(x, 4), round(y, 4)) for x, y in coords]
        features.append({
            "type": "Feature",
            "properties": {"edge_id": e["id"], "mode": e["mode"]},
            "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]},
        })
    return {"type": "FeatureCollection", "features": features}, sea_km


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True,
                    help="output file (data/geometry.geojson is written by build_lines.py)")
    ap.add_argument("--check", action="store_true", help="print sea-lane lengths")
    args = ap.parse_args()
    fc, sea_km = build()
    Path(args.out).write_text(json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n",
                              encoding="utf-8")
    print(f"wrote {len(fc['features'])} features to {args.out}")
    if args.check:
        for k, v in sea_km.items():
            print(f"  {k}: {v} km along the lane")


if __name__ == "__main__":
    main()
