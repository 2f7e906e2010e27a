"""The Pareto front: hand-checked on the corridor, and exact against brute force."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor._errors import NoRouteError
from corridor.routing import pareto, route

ATTRS = {"time": "time_h", "cost": "cost_usd", "co2": "co2_kg", "distance": "distance_km"}


def test_front_on_the_corridor(corridor_graph):
    front = pareto(corridor_graph, "Almaty", "Baku")
    # road via Aktau, rail via Aktau, rail via Kuryk: none beats another everywhere (a
    # container does not fly).
    # Routes by sea end at baku_rail after the unloading transfer (5 h, 100 USD, 0 kg):
    # road via Aktau 50+10+30+5 h, 1500+100+1200+100 USD, 700+0+150+0 kg;
    # rail via Aktau 60+10+30+5 h, 1000+100+1200+100 USD, 200+0+150+0 kg;
    # rail via Kuryk 70+8+26+5 h,   900+80+1100+100 USD, 260+0+120+0 kg.
    assert [r.weight for r in front] == [(95, 2900, 850), (105, 2400, 350), (109, 2180, 380)]
    assert all(r.objective == "time,cost,co2" for r in front)
    for r in front:
        assert (r.totals["time_h"], r.totals["cost_usd"], r.totals["co2_kg"]) == r.weight


def test_front_with_two_criteria(corridor_graph):
    front = pareto(corridor_graph, "Almaty", "Baku", ("cost", "co2"), modes="rail,road,sea")
    # the road route (2900, 850) costs more and emits more than rail via Aktau: dominated
    assert [r.weight for r in front] == [(2180, 380), (2400, 350)]


def test_front_respects_year_and_avoid(corridor_graph):
    front = pareto(corridor_graph, "Almaty", "Baku", ("cost", "time"), year=2030,
                   avoid=["Aktau"], modes="rail,sea")
    # the 2027 line via Kuryk: 700+80+1100+100 USD, 40+8+26+5 h; it dominates the old
    # line (2180 USD, 109 h)
    assert [r.weight for r in front] == [(1980, 79)]


def test_single_criterion_is_the_shortest_path(corridor_graph):
    (only,) = pareto(corridor_graph, "Almaty", "Baku", ["cost"])
    assert only.edges == route(corridor_graph, "Almaty", "Baku", by="cost").edges


def test_max_routes_cuts_with_a_warning(corridor_graph):
    front = pareto(corridor_graph, "Almaty", "Baku", max_routes=2)
    assert len(front) == 2
    assert "3 routes" in front[0].warnings[-1]


def test_bad_criteria(corridor_graph):
    with pytest.raises(ValueError, match="unknown objective 'speed'"):
        pareto(corridor_graph, "Almaty", "Baku", ("time", "speed"))
    with pytest.raises(ValueError, match="at least one"):
        pareto(corridor_graph, "Almaty", "Baku", ())
    with pytest.raises(ValueError, match="max_routes"):
        pareto(corridor_graph, "Almaty", "Baku", max_routes=0)


def test_no_route(corridor_graph):
    with pytest.raises(NoRouteError):
        pareto(corridor_graph, "Almaty", "Baku", modes="rail,sea", avoid=["Aktau", "Kuryk"])


# ----------------------------------------------------------------- against brute force
def brute_front(G: nx.MultiDiGraph, s: str, t: str, criteria) -> set[tuple[float, ...]]:
    """Non-dominated vectors over every simple path and every choice of parallel edge."""
    vectors = {
        tuple(sum(G.edges[e][ATTRS[c]] for e in path) for c in criteria)
        for path in nx.all_simple_edge_paths(G, s, t)
    }
    return {
        v for v in vectors
        if not any(w != v and all(a <= b for a, b in zip(w, v, strict=True)) for w in vectors)
    }


@st.composite
def small_graphs(draw):
    n = draw(st.integers(min_value=2, max_value=8))
    names = [f"n{i}" for i in range(n)]
    nodes = [(name, "rail_station", "KZ", 50.0 + i, 43.0, None) for i, name in enumerate(names)]
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    raw = draw(st.lists(
        st.tuples(pairs, st.sampled_from(["rail", "road", "sea", "transfer"]),
                  st.integers(0, 9), st.integers(0, 9), st.integers(0, 9), st.integers(0, 9)),
        max_size=3 * n,
    ))
    edges = [
        (f"e{i}", names[u], names[v], mode, float(km), float(h), float(usd), float(co2),
         {"oneway": True})
        for i, ((u, v), mode, km, h, usd, co2) in enumerate(raw)
    ]
    criteria = draw(st.sampled_from([
        ("time",), ("cost", "co2"), ("time", "cost", "co2"), ("co2", "time", "cost"),
        ("time", "cost", "co2", "distance"),
    ]))
    return nodes, edges, names, criteria


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_graphs())
def test_pareto_equals_brute_force(make_graph, data):
    nodes, edges, names, criteria = data
    G = make_graph(nodes, edges)
    s, t = names[0], names[-1]
    expected = brute_front(G, s, t, criteria)
    if not expected:
        with pytest.raises(NoRouteError):
            pareto(G, s, t, criteria)
        return
    front = pareto(G, s, t, criteria, max_routes=1000)
    got = [r.weight for r in front]
    assert len(got) == len(set(got))
    assert set(got) == expected
    for r in front:
        assert len(set(r.nodes)) == len(r.nodes)  # simple paths
        assert r.nodes[0] == s and r.nodes[-1] == t
        assert tuple(sum(G.edges[e][ATTRS[c]] for e in r.edges) for c in criteria) == r.weight
    assert got == sorted(got)
