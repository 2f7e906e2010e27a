"""Compiled OD matrices give networkx's totals to the last bit (corridor.routing.od_matrix)."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from corridor import routing as fp
from corridor.network import edge_open_in
from corridor.synthetic import synthetic_corridor

FEU_MODES = ("rail", "road", "sea")


def filtered(G: nx.MultiDiGraph, modes=None, year=None) -> nx.MultiDiGraph:
    """The reference: a networkx copy keeping what the routing semantics keep."""
    allowed = None if modes is None else set(modes) | {"transfer", "border"}
    H = nx.MultiDiGraph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
                     if (allowed is None or d["mode"] in allowed) and edge_open_in(d, year))
    return H


def assert_same_as_networkx(G, *, by, modes=None, year=None, sources=None):
    H = filtered(G, modes or FEU_MODES, year)  # no modes: those of the default cargo
    attr = fp.OBJECTIVES[by]
    nodes = list(G)
    if sources is None:  # every node, as nodes (some node ids are also place ids)
        sources = nodes
        df = fp.od_matrix(G, None, None, by=by, modes=modes, year=year)
    else:
        df = fp.od_matrix(G, sources, nodes, by=by, modes=modes, year=year)
    assert list(df.index) == list(sources) and list(df.columns) == nodes
    for s in sources:
        ref = nx.single_source_dijkstra_path_length(H, s, weight=attr)
        got = df.loc[s].to_numpy()
        want = np.array([ref.get(t, math.inf) for t in nodes])
        assert np.array_equal(got, want), (by, modes, year, s)  # exact, not approximate


@pytest.mark.parametrize("by", ["time", "cost", "distance", "co2"])
def test_hand_built_corridor(corridor_graph, by):
    for modes, year in ((None, None), (("rail",), None), (None, 2030), (("rail", "sea"), 2030)):
        assert_same_as_networkx(corridor_graph, by=by, modes=modes, year=year)


def test_hand_built_answers(corridor_graph):
    """The hand-worked answers of the fixture (Almaty -> Baku)."""
    G = corridor_graph
    t = fp.od_matrix(G, ["almaty_rail", "almaty_airport"], ["baku_quay", "baku_airport"],
                     by="time")
    assert t.loc["almaty_airport", "baku_airport"] == math.inf  # a container does not fly
    air = fp.od_matrix(G, ["almaty_airport"], ["baku_airport"], by="time", cargo="air")
    assert air.iloc[0, 0] == 5
    assert t.loc["almaty_rail", "baku_quay"] == 90  # road 50 + 10 + 30
    assert t.loc["almaty_rail", "baku_airport"] == math.inf  # no link from rail to airport
    cost = fp.od_matrix(G, ["almaty_rail"], ["baku_quay"], by="cost")
    assert cost.iloc[0, 0] == 900 + 80 + 1100  # rail via Kuryk
    co2 = fp.od_matrix(G, ["almaty_rail"], ["baku_quay"], by="co2")
    assert co2.iloc[0, 0] == 350
    # the planned line counts from its year on
    assert fp.od_matrix(G, ["almaty_rail"], ["kuryk_rail"], by="time", year=2027).iloc[0, 0] == 40
    assert fp.od_matrix(G, ["almaty_rail"], ["kuryk_rail"], by="time").iloc[0, 0] == 70


@pytest.mark.parametrize("by", ["time", "cost", "distance", "co2"])
@pytest.mark.parametrize("seed", [0, 1])
def test_synthetic_all_pairs_identical(by, seed):
    G = synthetic_corridor(1500, seed=seed, planned_share=0.2, parallel_share=0.3)
    assert_same_as_networkx(G, by=by)
    assert_same_as_networkx(G, by=by, modes=["rail", "sea"], year=2029,
                            sources=list(G)[::7])


def test_real_network_all_pairs_identical(real_graph):
    for by in fp.OBJECTIVES:
        assert_same_as_networkx(real_graph, by=by)
    assert_same_as_networkx(real_graph, by="cost", modes=["rail", "sea"], year=2030)


def test_parallel_edges_take_the_cheapest(make_graph):
    nodes = [("a", "city", "KZ", 50.0, 43.0, None), ("b", "city", "KZ", 51.0, 43.0, None)]
    edges = [("slow", "a", "b", "road", 100, 5, 10, 1, {"oneway": True}),
             ("fast", "a", "b", "road", 120, 2, 30, 2, {"oneway": True})]
    G = make_graph(nodes, edges)
    assert fp.od_matrix(G, ["a"], ["b"], by="time").iloc[0, 0] == 2
    assert fp.od_matrix(G, ["a"], ["b"], by="cost").iloc[0, 0] == 10
    long = fp.od_matrix(G, ["a"], ["b"], by="time", totals=True)
    assert long.loc[0, ["distance_km", "time_h", "cost_usd", "co2_kg"]].tolist() == [120, 2, 30, 2]
    assert fp.od_matrix(G, ["b"], ["a"]).iloc[0, 0] == math.inf  # one-way


def test_zero_weight_edges_are_edges(make_graph):
    """scipy drops implicit zeros; transfers with 0 km must still connect."""
    nodes = [("a", "rail_station", "KZ", 50.0, 43.0, None), ("b", "port", "KZ", 50.1, 43.0, None),
             ("c", "port", "AZ", 49.0, 40.0, None)]
    edges = [("t", "a", "b", "transfer", 0, 0, 0, 0), ("s", "b", "c", "sea", 400, 30, 900, 120)]
    G = make_graph(nodes, edges)
    df = fp.od_matrix(G, ["a", "c"], ["a", "b", "c"], by="distance")
    assert df.loc["a"].tolist() == [0, 0, 400]
    assert df.loc["c"].tolist() == [400, 400, 0]


def test_totals_follow_the_path(corridor_graph):
    long = fp.od_matrix(corridor_graph, ["almaty_rail"], ["baku_quay", "tbilisi_rail"],
                        by="cost", totals=True)
    assert list(long.columns) == ["origin", "destination", "origin_node", "destination_node",
                                  "by", "distance_km", "time_h", "cost_usd", "co2_kg"]
    first = long.iloc[0]
    assert (first.distance_km, first.time_h, first.cost_usd, first.co2_kg) == (
        2650 + 420, 70 + 8 + 26, 2080, 260 + 120)
    assert (long["by"] == "cost_usd").all()


def test_totals_sum_along_networkx_paths():
    """Where no two paths tie, every total equals the sum of networkx's path, in order."""
    G = synthetic_corridor(1200, seed=3)
    H = filtered(G, FEU_MODES)
    nodes = list(G)
    long = fp.od_matrix(G, nodes[:25], nodes[::5], by="time", totals=True)
    for row in long.itertuples():
        path = nx.dijkstra_path(H, row.origin, row.destination, weight="time_h")
        sums = dict.fromkeys(fp.FIGURES, 0.0)
        for u, v in itertools.pairwise(path):
            edge = min(H[u][v].values(), key=lambda d: d["time_h"])
            for attr in fp.FIGURES:
                sums[attr] += edge[attr]
        assert [getattr(row, a) for a in fp.FIGURES] == [sums[a] for a in fp.FIGURES]


def test_no_route_is_inf_in_both_forms(corridor_graph):
    df = fp.od_matrix(corridor_graph, ["tbilisi_rail"], ["almaty_airport"], modes=["rail"])
    assert df.iloc[0, 0] == math.inf
    long = fp.od_matrix(corridor_graph, ["tbilisi_rail"], ["almaty_airport"], modes=["rail"],
                        totals=True)
    assert np.isinf(long[list(fp.FIGURES)].to_numpy()).all()


def test_place_names_resolve(corridor_graph):
    df = fp.od_matrix(corridor_graph, ["Almaty"], ["Bakı", "Тбилиси"], by="cost")
    assert list(df.index) == ["Almaty"] and list(df.columns) == ["Bakı", "Тбилиси"]
    assert np.isfinite(df.to_numpy()).all()


def test_bad_input_raises(corridor_graph):
    with pytest.raises(ValueError, match="unknown objective"):
        fp.od_matrix(corridor_graph, ["almaty_rail"], ["baku_quay"], by="speed")
    with pytest.raises(ValueError, match="unknown mode"):
        fp.od_matrix(corridor_graph, ["almaty_rail"], ["baku_quay"], modes=["rail", "boat"])
    with pytest.raises(LookupError):
        fp.od_matrix(corridor_graph, ["Atlantis"], ["baku_quay"])


def test_cache_is_reused_and_invalidated(corridor_graph):
    G = corridor_graph
    v1 = fp.csr_view(G, by="time")
    assert fp.csr_view(G, by="time") is v1
    assert fp.csr_view(G, by="cost") is not v1
    G.add_edge("almaty_rail", "tbilisi_rail", key="magic", mode="rail", distance_km=1.0,
               time_h=1.0, cost_usd=1.0, co2_kg=1.0, status="open", year_open=None)
    assert fp.csr_view(G, by="time") is not v1
    assert fp.od_matrix(G, ["almaty_rail"], ["tbilisi_rail"]).iloc[0, 0] == 1.0
    G.edges["almaty_rail", "tbilisi_rail", "magic"]["time_h"] = 3.0
    fp.clear_cache(G)
    assert fp.od_matrix(G, ["almaty_rail"], ["tbilisi_rail"]).iloc[0, 0] == 3.0


def test_cache_follows_an_edge_swapped_for_another(corridor_graph):
    """Removing one edge and adding another keeps the counts; the answer must still change."""
    G = corridor_graph
    before = fp.od_matrix(G, ["almaty_rail"], ["tbilisi_rail"]).iloc[0, 0]
    assert before > 1.0
    u, v, k = next(iter(G.edges(keys=True)))
    G.remove_edge(u, v, k)
    G.add_edge("almaty_rail", "tbilisi_rail", key="magic", mode="rail", distance_km=1.0,
               time_h=1.0, cost_usd=1.0, co2_kg=1.0, status="open", year_open=None)
    assert fp.od_matrix(G, ["almaty_rail"], ["tbilisi_rail"]).iloc[0, 0] == 1.0


def test_clear_cache_of_every_graph(corridor_graph):
    G = corridor_graph
    G.add_edge("almaty_rail", "tbilisi_rail", key="magic", mode="rail", distance_km=1.0,
               time_h=1.0, cost_usd=1.0, co2_kg=1.0, status="open", year_open=None)
    fp.csr_view(G, by="time")  # cached with the 1 h edge
    G.edges["almaty_rail", "tbilisi_rail", "magic"]["time_h"] = 3.0
    fp.clear_cache()
    assert fp.od_matrix(G, ["almaty_rail"], ["tbilisi_rail"]).iloc[0, 0] == 3.0


def test_a_view_of_the_graph_is_not_served_the_graph_s_matrix(corridor_graph):
    G = corridor_graph
    G.add_edge("almaty_rail", "tbilisi_rail", key="magic", mode="rail", distance_km=1.0,
               time_h=1.0, cost_usd=1.0, co2_kg=1.0, status="open", year_open=None)
    assert fp.od_matrix(G, ["almaty_rail"], ["tbilisi_rail"]).iloc[0, 0] == 1.0
    without = nx.subgraph_view(G, filter_edge=lambda u, v, k: k != "magic")
    want = nx.shortest_path_length(filtered(without, FEU_MODES), "almaty_rail", "tbilisi_rail",
                                   weight="time_h")
    assert fp.od_matrix(without, ["almaty_rail"], ["tbilisi_rail"]).iloc[0, 0] == want > 1.0


def test_single_source_lengths_match_networkx():
    G = synthetic_corridor(2000, seed=5)
    src = next(iter(G))
    assert fp.single_source_lengths(G, src, by="cost") == \
        nx.single_source_dijkstra_path_length(filtered(G), src, weight="cost_usd")
    arr = fp.lengths(G, [src, src], by="cost")
    assert arr.shape == (2, len(G))


def test_matrix_shape_and_labels(corridor_graph):
    df = fp.od_matrix(corridor_graph, [], ["baku_quay"])
    assert df.shape == (0, 1)
    df = fp.od_matrix(corridor_graph, ["baku_quay", "baku_quay"], ["baku_quay"])
    assert isinstance(df, pd.DataFrame) and df.shape == (2, 1) and (df.to_numpy() == 0).all()


def _route_vs_od(G, origins, destinations, *, by, modes=None, year=None):
    from corridor._errors import NoRouteError
    from corridor.routing import route

    long = fp.od_matrix(G, origins, destinations, by=by, modes=modes, year=year, totals=True)
    for row in long.itertuples():
        if row.origin == row.destination:
            continue
        try:
            r = route(G, row.origin, row.destination, by=by, modes=modes, year=year)
        except NoRouteError:
            assert math.isinf(getattr(row, fp.OBJECTIVES[by]))
            continue
        # exactly networkx's total (Route.weight; Route.totals add leg by leg, so they may
        # differ in the last bits, and the other figures may follow another tied path)
        assert getattr(row, fp.OBJECTIVES[by]) == r.weight
        assert getattr(row, fp.OBJECTIVES[by]) == pytest.approx(r.totals[fp.OBJECTIVES[by]])


@pytest.mark.parametrize("by", ["time", "cost", "co2"])
def test_places_match_route(corridor_graph, by):
    names = ["Almaty", "Aktau", "Kuryk", "Baku", "Ganja", "Tbilisi"]
    _route_vs_od(corridor_graph, names, names, by=by)
    _route_vs_od(corridor_graph, names, names, by=by, modes=["rail", "sea"], year=2030)


def test_real_places_match_route(real_graph):
    places = sorted(real_graph.graph["places"])[:12]
    _route_vs_od(real_graph, places, places, by="cost")
    _route_vs_od(real_graph, places, places, by="time", modes=["rail", "sea"])


# ----------------------------------------------------------------- lazy start-up (issue 8)
def test_route_json_imports_no_folium_or_geopandas(real_graph):
    """``corridor route A B --json`` must not import the map or GeoDataFrame stack."""
    import json
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from corridor.cli import main\n"
        "try:\n"
        "    main(['route', 'Aktau', 'Baku', '--json', '-k', '2'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "heavy = ['folium', 'geopandas', 'branca', 'matplotlib', 'pandas', 'scipy', 'pyproj',"
        " 'dask', 'distributed']\n"
        "sys.stderr.write('MODULES=' + json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["objective"] == "time" and len(answer["alternatives"]) == 2
    loaded = json.loads(done.stderr.rsplit("MODULES=", 1)[1])
    assert loaded == [], f"route --json imported {loaded}"


def test_explicit_node_ids_mean_the_nodes(real_graph):
    """Node ids that are also place ids (the station ``alat``, the place ``alat``) still
    name the node when a program passes node ids, as ``od_matrix(G, None, None)`` does."""
    nodes = list(real_graph)
    assert set(nodes) & set(real_graph.graph["places"])  # the case exists in the data
    explicit = fp.od_matrix(real_graph, nodes, nodes, by="time")
    implicit = fp.od_matrix(real_graph, None, None, by="time")
    assert np.array_equal(explicit.to_numpy(), implicit.to_numpy())
