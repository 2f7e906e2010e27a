"""Build data/geometry.geojson with rail and road lines that follow the real alignments.

Run once, by a developer, after editing data/edges.csv or data/nodes.csv::

    pip install -e ".[dev]"        # scgraph-data (and searoute) are dev dependencies
    python scripts/build_lines.py  # writes data/geometry.geojson

* Sea and air edges are drawn exactly as ``scripts/build_geometry.py`` draws them (MARNET
  lanes of ``searoute``, great circles).
* Each open rail and road edge is traced on the OpenStreetMap-derived ``world_railways`` /
  ``world_highways`` graph of the ``scgraph-data`` package: both end nodes are snapped to
  the nearest graph node (at most ``SNAP_KM`` away) and the shortest path between them is
  taken. The path is kept only if its length is within ``TOLERANCE`` of the edge's distance
  (the row's ``distance_km``, or the cost model's straight line x circuity); otherwise the
  graph probably jumped to another line and the edge keeps a straight line.
* Every rail/road feature says where its shape comes from: ``geometry_source`` is ``osm``
  (traced) or ``straight`` (no source covers the link; then ``straight: true`` and
  ``straight_reason`` say why). ``corridor data validate`` compares each line's length with
  the edge's distance (``corridor.data_checks.check_line_lengths``).
* Lines are simplified (shapely, ``SIMPLIFY_DEG``) and rounded to 4 decimals so that the
  offline map stays small.

The package is read only here, never at run time. OpenStreetMap data is under the Open
Database Licence: the file's top-level ``properties`` name the licence, the attribution
and the package versions (source id ``osm_scgraph`` in ``data/sources.csv``).
"""
from __future__ import annotations

import argparse
import ast
import csv
import importlib.metadata
import importlib.util
import itertools
import json
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree
from shapely.geometry import LineString

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import build_geometry  # noqa: E402  (sea and air lines, unchanged)

from corridor.costs import EARTH_RADIUS_KM, CostModel, line_length_km  # noqa: E402
from corridor.data import read_dataset  # noqa: E402

DATA = ROOT / "data"
GRAPHS = {"rail": "world_railways", "road": "world_highways"}
BBOX = (25.0, 30.0, 115.0, 58.0)  # lon_min, lat_min, lon_max, lat_max of the graph kept
SNAP_KM = 25.0  # an end node further than this from the graph is not covered
BRIDGE_KM = 3.0  # gaps in the OSM graph up to this long are bridged
TOLERANCE = 0.15  # same bound as the data check
SIMPLIFY_DEG = 0.005
LICENCE = "ODbL-1.0"
ATTRIBUTION = "© OpenStreetMap contributors, ODbL"


class LineGraph:
    """One scgraph-data graph cut to BBOX, with a KD-tree for snapping and Dijkstra."""

    def __init__(self, module: str) -> None:
        spec = importlib.util.find_spec(f"scgraph_data.{module}")
        if spec is None or spec.origin is None:
            raise SystemExit("install scgraph-data first (pip install -e '.[dev]')")
        values = {}
        for stmt in ast.parse(Path(spec.origin).read_text(encoding="utf-8")).body:
            if isinstance(stmt, ast.Assign) and getattr(stmt.targets[0], "id", "") in (
                    "graph", "nodes"):
                values[stmt.targets[0].id] = ast.literal_eval(stmt.value)
        graph, latlon = values["graph"], values["nodes"]  # nodes are [lat, lon]
        lon0, lat0, lon1, lat1 = BBOX
        keep = [i for i, (la, lo) in enumerate(latlon) if lon0 <= lo <= lon1 and lat0 <= la <= lat1]
        index = {old: new for new, old in enumerate(keep)}
        self.lonlat = np.array([(latlon[i][1], latlon[i][0]) for i in keep])
        rows, cols, weights = [], [], []
        for old in keep:
            for other, km in graph[old].items():
                if other in index and other != old:
                    rows.append(index[old])
                    cols.append(index[other])
                    weights.append(max(km, 1e-6))
        n = len(keep)
        self.tree = cKDTree(self._plane(self.lonlat))
        matrix = csr_matrix((weights, (rows, cols)), shape=(n, n))
        self.matrix = self._bridge(matrix)
        _, self.component = connected_components(self.matrix, directed=False)

    @staticmethod
    def _plane(lonlat: np.ndarray) -> np.ndarray:
        """Points on a sphere of the Earth's radius (km): chord distance ~ ground distance."""
        lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
        return EARTH_RADIUS_KM * np.column_stack(
            [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])

    def _bridge(self, matrix: csr_matrix) -> csr_matrix:
        """Join each dead end to the nearest node of another piece within BRIDGE_KM.

        The OSM-derived graph is cut into pieces at stations and yards; bridging the gaps
        (as a straight hop of its own length) lets a path run through them.
        """
        _, component = connected_components(matrix, directed=False)
        degree = np.diff((matrix + matrix.T).tocsr().indptr)
        plane = self._plane(self.lonlat)
        rows, cols, weights = [], [], []
        for i in np.flatnonzero(degree <= 1):
            for j in self.tree.query_ball_point(plane[i], BRIDGE_KM):
                if component[j] != component[i]:
                    rows.append(i)
                    cols.append(j)
                    weights.append(float(np.linalg.norm(plane[i] - plane[j])) + 1e-6)
        extra = csr_matrix((weights, (rows, cols)), shape=matrix.shape)
        return (matrix + extra).tocsr()

    def candidates(self, point: tuple[float, float]) -> dict[int, tuple[float, int]]:
        """For each connected piece within SNAP_KM of ``point``: (km, its nearest node)."""
        plane = self._plane(np.array([point]))[0]
        best: dict[int, tuple[float, int]] = {}
        for i in self.tree.query_ball_point(plane, SNAP_KM):
            km = float(np.linalg.norm(self.tree.data[i] - plane))
            piece = int(self.component[i])
            if piece not in best or km < best[piece][0]:
                best[piece] = (km, i)
        return best

    def snap_pair(self, a: tuple[float, float], b: tuple[float, float]
                  ) -> tuple[int, int] | None:
        """Graph nodes near ``a`` and ``b`` on one connected piece (closest pair), or None."""
        near_a, near_b = self.candidates(a), self.candidates(b)
        shared = set(near_a) & set(near_b)
        if not shared:
            return None
        piece = min(shared, key=lambda p: near_a[p][0] + near_b[p][0])
        return near_a[piece][1], near_b[piece][1]

    def paths_from(self, source: int) -> np.ndarray:
        """Predecessor array of the shortest paths from ``source``."""
        _, pred = dijkstra(self.matrix, directed=False, indices=source,
                           return_predecessors=True)
        return pred

    def path(self, pred: np.ndarray, source: int, target: int) -> list[tuple[float, float]]:
        """The (lon, lat) points of the path source -> target (on one connected piece)."""
        out, i = [target], target
        while i != source:
            i = int(pred[i])
            out.append(i)
        return [tuple(self.lonlat[j]) for j in reversed(out)]


def _simplify(coords: list[tuple[float, float]]) -> list[list[float]]:
    """Simplify to SIMPLIFY_DEG and round to 4 decimals (the ends stay the nodes)."""
    line = LineString(coords).simplify(SIMPLIFY_DEG, preserve_topology=False)
    pts = [[round(x, 4), round(y, 4)] for x, y in line.coords]
    out = [pts[0]] + [p for a, p in itertools.pairwise(pts) if p != a]
    return out if len(out) >= 2 else [pts[0], pts[-1]]


def _versions() -> dict[str, str]:
    return {p: importlib.metadata.version(p) for p in ("scgraph-data", "scgraph")}


def trace(edges: list[dict], nodes: dict[str, tuple[float, float]],
          distance: dict[str, float]) -> list[dict]:
    """Rail and road features: traced on the OSM graph where it fits, else straight."""
    features = []
    for mode, module in GRAPHS.items():
        graph = LineGraph(module)
        mine = [e for e in edges if e["mode"] == mode]
        cache: dict[int, np.ndarray] = {}
        for e in mine:
            a, b = nodes[e["from"]], nodes[e["to"]]
            pair = graph.snap_pair(a, b)
            coords, reason = None, ""
            if e["status"] != "open":
                reason = f"{e['status']}: no line to follow yet"
            elif pair is None:
                reason = (f"no connected piece of the OSM {mode} graph passes within "
                          f"{SNAP_KM:g} km of both ends")
            else:
                s, t = pair
                if s not in cache:
                    cache[s] = graph.paths_from(s)
                candidate = _simplify([a, *graph.path(cache[s], s, t), b])
                km = line_length_km(candidate)
                gap = abs(km - distance[e["id"]]) / distance[e["id"]]
                if gap <= TOLERANCE:
                    coords = candidate
                else:
                    reason = (f"OSM path {km:.0f} km vs {distance[e['id']]:.0f} km "
                              f"(off by {gap:.0%}): probably another line")
            props: dict = {"edge_id": e["id"], "mode": mode}
            if coords is None:
                coords = [a] + [nodes[w] for w in build_geometry.WAYPOINTS.get(e["id"], [])] + [b]
                props |= {"geometry_source": "straight", "straight": True,
                          "straight_reason": reason}
                coords = _simplify(coords)
            else:
                props["geometry_source"] = "osm"
            features.append({"type": "Feature", "properties": props,
                             "geometry": {"type": "LineString", "coordinates": coords}})
    return features


def build() -> dict:
    """The whole geometry file: sea and air as build_geometry.py draws them, rail/road traced."""
    ds = read_dataset(DATA)
    model = CostModel.from_rows(ds.cost_params)
    nodes = {n["id"]: (n["x"], n["y"]) for n in ds.nodes}
    with open(DATA / "edges.csv", encoding="utf-8", newline="") as f:
        edges = list(csv.DictReader(f))
    distance = {}
    for row in ds.edges:
        if row["mode"] in GRAPHS:
            chord = line_length_km([nodes[row["from"]], nodes[row["to"]]])
            distance[row["id"]] = model.edge_costs(row["mode"], line_km=chord,
                                                   distance_km=row["distance_km"])["distance_km"]
    sea_air, _ = build_geometry.build()
    kept = [f for f in sea_air["features"] if f["properties"]["mode"] in ("sea", "air")]
    versions = _versions()
    return {
        "type": "FeatureCollection",
        "properties": {
            "rail_road_source": "osm_scgraph",
            "licence": LICENCE,
            "attribution": ATTRIBUTION,
            "packages": versions,
            "note": (f"rail and road lines traced on the OpenStreetMap-derived world_railways "
                     f"and world_highways graphs of scgraph-data {versions['scgraph-data']}, "
                     f"simplified {SIMPLIFY_DEG:g} deg; sea lanes from searoute (MARNET); "
                     "air lines are great circles; built by scripts/build_lines.py"),
        },
        "features": kept + trace(edges, nodes, distance),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(DATA / "geometry.geojson"))
    args = ap.parse_args()
    fc = build()
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    Path(args.out).write_text(text + "\n", encoding="utf-8")
    land = [f["properties"] for f in fc["features"] if f["properties"]["mode"] in GRAPHS]
    straight = [p for p in land if p.get("straight")]
    print(f"wrote {len(fc['features'])} features ({len(land) - len(straight)} traced, "
          f"{len(straight)} straight) to {args.out}, {len(text) / 1024:.0f} KB")
    for p in straight:
        print(f"  straight {p['edge_id']}: {p['straight_reason']}")


if __name__ == "__main__":
    main()
