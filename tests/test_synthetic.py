"""The synthetic corridor generator follows the graph contract and is reproducible."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from corridor.network import validate_graph
from corridor.synthetic import synthetic_corridor


def test_contract_and_size():
    G = synthetic_corridor(5000, seed=1, geometry=True)
    validate_graph(G)
    assert 0.9 * 5000 <= G.number_of_edges() <= 1.15 * 5000
    for _u, _v, k, d in G.edges(keys=True, data=True):
        assert d["id"] == k
        assert {"mode", "distance_km", "time_h", "cost_usd", "co2_kg", "status",
                "year_open"} <= set(d)
    modes = Counter(d["mode"] for *_, d in G.edges(data=True))
    assert set(modes) == {"rail", "road", "sea", "air", "transfer", "border"}
    kinds = Counter(d["kind"] for _, d in G.nodes(data=True))
    assert {"rail_station", "city", "port", "airport", "border"} <= set(kinds)
    assert G.graph["crs"] == "EPSG:4326"


def test_shores_joined_by_sea_only():
    G = synthetic_corridor(2000, seed=2, airports=0)
    H = G.copy()
    H.remove_edges_from([(u, v, k) for u, v, k, d in G.edges(keys=True, data=True)
                         if d["mode"] == "sea"])
    assert nx.is_strongly_connected(G.subgraph(n for n in G if not n.endswith("_border")))
    assert not nx.has_path(H, "w0_0_rail", "e0_0_rail")
    assert nx.has_path(G, "w0_0_rail", "e0_0_rail")


def test_parallel_and_planned_edges():
    G = synthetic_corridor(4000, seed=3, planned_share=0.3, parallel_share=0.5)
    statuses = Counter(d["status"] for *_, d in G.edges(data=True))
    assert statuses["planned"] and statuses["under_construction"] and statuses["open"]
    assert all(d["year_open"] for *_, d in G.edges(data=True) if d["status"] != "open")
    assert any(len(G[u][v]) > 1 for u, v in G.edges())


def test_seed_reproducible():
    a, b = synthetic_corridor(1500, seed=7), synthetic_corridor(1500, seed=7)
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    c = synthetic_corridor(1500, seed=8)
    assert list(a.edges(keys=True, data=True)) != list(c.edges(keys=True, data=True))


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_edges"):
        synthetic_corridor(0)
    with pytest.raises(ValueError, match="planned_share"):
        synthetic_corridor(100, planned_share=2)
