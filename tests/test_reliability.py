"""Delay risk on tiny graphs whose time distributions have known quantiles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from scipy import stats

from corridor import DataError
from corridor.analysis.reliability import (
    ReliabilityParams,
    edge_quantile,
    reliability,
    reliability_weight,
)

NO_SPREAD = ReliabilityParams()


def chain(*edges: dict) -> nx.MultiDiGraph:
    """A one-way chain n0 -> n1 -> ... with the given edge attributes."""
    G = nx.MultiDiGraph(crs="EPSG:4326", places={})
    for i, attrs in enumerate(edges):
        d = {"id": f"e{i}", "mode": "rail", "time_h": 1.0, "cost_usd": 0.0,
             "time_h_low": None, "time_h_high": None, "status": "open", **attrs}
        G.add_edge(f"n{i}", f"n{i + 1}", key=d["id"], **d)
    return G


def path_of(G: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    return list(G.edges(keys=True))


def test_fixed_edges_give_one_value():
    G = chain({"time_h": 10}, {"time_h": 2.5, "mode": "border"}, {"time_h": 20, "mode": "sea"})
    r = reliability(G, path_of(G), samples=500, seed=1, params=NO_SPREAD)
    assert r.time_h["p10"] == r.time_h["p50"] == r.time_h["p90"] == r.time_h["p99"] == 32.5
    assert r.planned["time_h"] == 32.5
    assert r.time_samples.shape == (500,)


def test_triangular_edge_matches_analytic_quantiles():
    params = ReliabilityParams(spread={"rail": 0.1})
    G = chain({"time_h": 100})
    r = reliability(G, path_of(G), samples=200_000, seed=7, params=params)
    law = stats.triang(c=0.5, loc=90, scale=20)
    for q in (10, 50, 90, 99):
        assert r.time_h[f"p{q}"] == pytest.approx(law.ppf(q / 100), abs=0.1)
        assert edge_quantile(G.edges["n0", "n1", "e0"], q / 100, params) == pytest.approx(
            law.ppf(q / 100), rel=1e-12)
    assert r.time_h["mean"] == pytest.approx(100, abs=0.05)


def test_range_gives_beta_with_mean_time_h():
    # waiting for a sailing: 24..336 h around a typical 48 h (skewed: PERT mode impossible)
    G = chain({"time_h": 48, "time_h_low": 24, "time_h_high": 336, "mode": "transfer"})
    params = ReliabilityParams(concentration=6)
    r = reliability(G, path_of(G), samples=200_000, seed=3, params=params)
    mu = (48 - 24) / (336 - 24)
    law = stats.beta(mu * 6, (1 - mu) * 6, loc=24, scale=312)
    assert r.time_h["mean"] == pytest.approx(48, rel=0.01)
    for q in (10, 50, 90, 99):
        assert r.time_h[f"p{q}"] == pytest.approx(law.ppf(q / 100), rel=0.02)
        assert edge_quantile(G.edges["n0", "n1", "e0"], q / 100, params) == pytest.approx(
            law.ppf(q / 100), rel=1e-9)
    assert r.time_samples.min() >= 24 and r.time_samples.max() <= 336


def test_symmetric_range_is_pert():
    # mode (6*50 - 40 - 60)/4 = 50: the Beta-PERT(40, 50, 60), i.e. Beta(3, 3) on [40, 60]
    G = chain({"time_h": 50, "time_h_low": 40, "time_h_high": 60})
    q = edge_quantile(G.edges["n0", "n1", "e0"], 0.9, NO_SPREAD)
    assert q == pytest.approx(stats.beta(3, 3, loc=40, scale=20).ppf(0.9))


def test_sailing_wait_adds_half_a_headway_on_average():
    params = ReliabilityParams(headway_h={"sea": 48})
    G = chain({"time_h": 20, "mode": "sea"})
    r = reliability(G, path_of(G), samples=100_000, seed=5, params=params)
    assert r.time_h["mean"] == pytest.approx(44, abs=0.3)
    assert r.time_h["p50"] == pytest.approx(44, abs=0.5)
    assert r.time_samples.min() >= 20 and r.time_samples.max() <= 68
    assert r.edge_stats[0]["law"] == "fixed+sailing_wait"


def test_sum_of_edges_and_cost_of_delay():
    params = ReliabilityParams(spread={"rail": 0.2}, delay_usd_per_h=3.0)
    G = chain({"time_h": 10, "cost_usd": 100}, {"time_h": 30, "cost_usd": 50, "mode": "road"})
    r = reliability(G, path_of(G), samples=20_000, seed=11, params=params)
    # road has no spread: the cost varies only with the rail edge's deviation
    assert r.planned == {"time_h": 40.0, "cost_usd": 150.0}
    np.testing.assert_allclose(r.cost_samples, 150 + 3 * (r.time_samples - 40))
    assert r.time_samples.min() >= 38 and r.time_samples.max() <= 42
    assert r.cost_usd["p90"] > 150 > r.cost_usd["p10"]


def test_seed_reproduces_and_differs():
    params = ReliabilityParams(spread={"rail": 0.1})
    G = chain({"time_h": 10}, {"time_h": 5, "time_h_low": 1, "time_h_high": 30})
    a = reliability(G, path_of(G), samples=1000, seed=42, params=params)
    b = reliability(G, path_of(G), samples=1000, seed=42, params=params)
    c = reliability(G, path_of(G), samples=1000, seed=43, params=params)
    np.testing.assert_array_equal(a.time_samples, b.time_samples)
    assert a.to_dict() == b.to_dict()
    assert not np.array_equal(a.time_samples, c.time_samples)


def test_accepts_route_objects_and_pairs():
    @dataclass
    class FakeRoute:
        edges: list

    G = chain({"time_h": 3}, {"time_h": 4})
    G.add_edge("n0", "n1", key="slow", id="slow", mode="rail", time_h=9.0, cost_usd=0.0,
               status="open")
    via_route = reliability(G, FakeRoute([*path_of(G)[:1], ("n1", "n2", "e1")]),
                            samples=10, seed=0, params=NO_SPREAD)
    via_pairs = reliability(G, [("n0", "n1"), ("n1", "n2")], samples=10, seed=0,
                            params=NO_SPREAD)
    assert via_route.time_h["p50"] == via_pairs.time_h["p50"] == 7
    assert via_pairs.edges[0] == ("n0", "n1", "e0")


def test_bad_input():
    G = chain({"time_h": 3})
    with pytest.raises(ValueError, match="not in the graph"):
        reliability(G, [("n0", "n1", "nope")], params=NO_SPREAD)
    with pytest.raises(ValueError, match="no edges"):
        reliability(G, [], params=NO_SPREAD)
    with pytest.raises(ValueError, match="samples"):
        reliability(G, path_of(G), samples=0, params=NO_SPREAD)
    with pytest.raises(ValueError, match="quantile"):
        reliability_weight(G, 1.5, params=NO_SPREAD)


def test_to_dict_is_json_ready():
    import json

    G = chain({"time_h": 10, "time_h_low": 5, "time_h_high": 40})
    d = reliability(G, path_of(G), samples=100, seed=0, params=NO_SPREAD).to_dict()
    json.dumps(d)
    assert set(d["time_h"]) == {"p10", "p50", "p90", "p99", "mean"}
    assert sum(d["histogram"]["counts"]) == 100


def test_p90_weight_prefers_the_reliable_route():
    """Two ways a -> d: via b fast on average but with a long tail; via c steady."""
    from corridor.routing import route

    G = nx.MultiDiGraph(crs="EPSG:4326", places={})
    for n, x in (("a", 0), ("b", 1), ("c", 1), ("d", 2)):
        G.add_node(n, x=float(x), y=0.0, name=n.upper(), country="KZ", kind="rail_station",
                   names={"en": n.upper()}, place=None, source="test")

    def edge(u, v, key, h, low=None, high=None):
        G.add_edge(u, v, key=key, id=key, mode="rail", distance_km=10.0, time_h=h,
                   time_h_low=low, time_h_high=high, cost_usd=1.0, co2_kg=1.0,
                   status="open", year_open=None, source="test")

    edge("a", "b", "ferry_wait", 20, 10, 200)   # mean 20, P90 much higher
    edge("b", "d", "bd", 5)
    edge("a", "c", "ac", 30)
    edge("c", "d", "cd", 5)
    assert route(G, "a", "d", by="time").nodes == ["a", "b", "d"]
    w = reliability_weight(G, 0.9, params=NO_SPREAD)
    reliable = route(G, "a", "d", by=w)
    assert reliable.nodes == ["a", "c", "d"]
    assert reliable.objective == "p90_time"
    # the weight works on networkx's multigraph form too
    assert w("a", "b", G["a"]["b"]) > 30


def write_params(tmp_path: Path, body: str) -> Path:
    (tmp_path / "sources.csv").write_text("id,title,publisher,year,url\nsrc,T,P,2024,u\n",
                                          encoding="utf-8")
    path = tmp_path / "reliability_params.csv"
    path.write_text("mode,param,value,unit,source,notes\n" + body, encoding="utf-8")
    return path


def test_params_file(tmp_path):
    path = write_params(tmp_path, "rail,spread,0.1,,src,\nsea,headway_h,48,h,estimate:x,\n"
                        "all,delay_usd_per_h,2,USD/h,src,\n")
    p = ReliabilityParams.from_file(path)
    assert p.spread == {"rail": 0.1} and p.headway_h == {"sea": 48} and p.delay_usd_per_h == 2


@pytest.mark.parametrize(("body", "field", "row"), [
    ("rail,spread,0.1,,src,\nrail,speed,3,,src,\n", "param", 2),
    ("boat,spread,0.1,,src,\n", "mode", 1),
    ("rail,spread,abc,,src,\n", "value", 1),
    ("rail,spread,0.1,,nosuch,\n", "source", 1),
    ("rail,spread,0.1,,src,\nrail,spread,0.2,,src,\n", "param", 2),
    ("rail,spread,1.5,,src,\n", "value", 1),
])
def test_bad_params_file(tmp_path, body, field, row):
    path = write_params(tmp_path, body)
    with pytest.raises(DataError) as info:
        ReliabilityParams.from_file(path)
    assert info.value.field == field and info.value.row == row
    assert "reliability_params.csv" in str(info.value)
