"""Routing on the hand-built corridor of conftest.py, where every answer is known by hand.

Almaty → Baku. Cargo leaves a port through its rail or road side, never at the quay
(``corridor.places.place_nodes``), so a route by sea ends at ``baku_rail`` after the
unloading transfer ``baku_transfer`` (0 km, 5 h, 100 USD, 0 kg); flying ends at the airport:

====================  ======  ======  =======  ======
route                  km      h      USD      kg CO2
====================  ======  ======  =======  ======
air                    2,500     5    5,000    3,000
road + sea via Aktau   3,050    95    2,900      850
rail + sea via Aktau   2,950   105    2,400      350
rail + sea via Kuryk   3,070   109    2,180      380
====================  ======  ======  =======  ======

road + sea via Aktau: 2600+0+450+0 km, 50+10+30+5 h, 1500+100+1200+100 USD, 700+0+150+0 kg;
rail + sea via Aktau: 2500+0+450+0 km, 60+10+30+5 h, 1000+100+1200+100 USD, 200+0+150+0 kg;
rail + sea via Kuryk: 2650+0+420+0 km, 70+8+26+5 h,   900+80+1100+100 USD, 260+0+120+0 kg.
With ``modes=("sea",)`` alone the quays stand for the places: Aktau quay → Baku quay is
the one sea edge (450 km, 30 h, 1,200 USD, 150 kg).
"""

from __future__ import annotations

import json
import math

import networkx as nx
import pytest

from corridor._errors import AmbiguousPlaceError, NoRouteError, PlaceNotFoundError
from corridor.maps import route_table_html
from corridor.network import edge_open_in
from corridor.routing import FIGURES, Leg, Route, route


def modes_of(r: Route) -> list[str]:
    return [leg.mode for leg in r.legs]


def edge_ids(r: Route) -> list[str]:
    return [k for _, _, k in r.edges]


# ----------------------------------------------------------------- objectives
def test_fastest_container_does_not_fly(corridor_graph):
    # the default cargo is a loaded FEU: rail, road and sea only, so road via Aktau wins
    r = route(corridor_graph, "Almaty", "Baku", by="time")
    assert "air" not in modes_of(r)
    assert r.totals["time_h"] == 95  # 50 + 10 + 30 + 5
    assert r.query["cargo"] == "feu" and r.query["modes"] == ["rail", "road", "sea"]


def test_fastest_air_cargo_flies(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku", by="time", cargo="air", tonnes=1)
    assert edge_ids(r) == ["air_almaty_baku"]
    assert r.origin["id"] == "almaty_airport"
    assert r.destination["id"] == "baku_airport"
    assert r.totals["time_h"] == 5
    assert r.weight == 5


def test_cheapest_goes_via_kuryk(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku", by="cost")
    assert edge_ids(r) == ["rail_almaty_kuryk", "kuryk_transfer", "sea_kuryk_baku",
                           "baku_transfer"]
    # 2650+0+420+0 km, 70+8+26+5 h, 900+80+1100+100 USD, 260+0+120+0 kg
    assert r.totals == {"distance_km": 3070, "time_h": 109, "cost_usd": 2180, "co2_kg": 380}
    assert r.destination["id"] == "baku_rail"  # the rail side, not the quay
    assert r.objective == "cost"


def test_greenest_goes_via_aktau_by_rail(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku", by="co2")
    assert edge_ids(r) == ["rail_almaty_aktau", "aktau_transfer", "sea_aktau_baku",
                           "baku_transfer"]
    assert r.totals["co2_kg"] == 350  # 200 + 0 + 150 + 0: transfers emit nothing


def test_shortest_distance(corridor_graph):
    # a container: rail 2500 + sea 450 km; air cargo flies 2500 km
    assert route(corridor_graph, "Almaty", "Baku", by="distance").totals["distance_km"] == 2950
    assert route(corridor_graph, "Almaty", "Baku", by="distance",
                 cargo="air").totals["distance_km"] == 2500


def test_fastest_without_air_takes_the_road_parallel_edge(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku", by="time", modes=["rail", "road", "sea"])
    # rail and road join the same two nodes: the faster parallel edge is chosen
    assert edge_ids(r) == ["road_almaty_aktau", "aktau_transfer", "sea_aktau_baku",
                           "baku_transfer"]
    assert r.totals["time_h"] == 95  # 50 + 10 + 30 + 5


def test_unknown_objective(corridor_graph):
    with pytest.raises(ValueError, match="time, cost, distance, co2"):
        route(corridor_graph, "Almaty", "Baku", by="speed")


# ----------------------------------------------------------------- callable weights
def test_callable_weight_and_none_hides_edges(corridor_graph):
    def no_kuryk_ferry(u, v, d):
        return None if d["id"] == "sea_kuryk_baku" else d["cost_usd"]

    r = route(corridor_graph, "Almaty", "Baku", by=no_kuryk_ferry)
    assert edge_ids(r) == ["rail_almaty_aktau", "aktau_transfer", "sea_aktau_baku",
                           "baku_transfer"]
    assert r.objective == "no_kuryk_ferry"
    assert r.weight == 2400  # 1000 + 100 + 1200 + 100


def test_callable_weight_lambda_picks_min_over_parallel_edges(corridor_graph):
    # a weight that makes the road cheaper than the rail between the same two nodes
    def weight(u, v, d):
        return 1.0 if d["mode"] == "road" else d["time_h"]

    r = route(corridor_graph, "Almaty", "Baku", by=weight, modes="rail,road,sea")
    assert ("almaty_rail", "aktau_rail", "road_almaty_aktau") in r.edges
    assert route(corridor_graph, "Almaty", "Baku", by=lambda u, v, d: 1.0).objective == "custom"


def test_negative_weight_is_refused(corridor_graph):
    with pytest.raises(ValueError, match="negative"):
        route(corridor_graph, "Almaty", "Baku", by=lambda u, v, d: -1.0)


def test_callable_hiding_everything(corridor_graph):
    with pytest.raises(NoRouteError):
        route(corridor_graph, "Almaty", "Baku", by=lambda u, v, d: None)


# ----------------------------------------------------------------- modes
def test_modes_restrict_and_pick_terminals(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku", by="time", modes=("rail", "sea"))
    assert set(modes_of(r)) <= {"rail", "sea", "transfer"}
    # rail via Aktau 60+10+30+5 = 105 h beats rail via Kuryk 70+8+26+5 = 109 h
    assert r.totals["time_h"] == 105
    assert (r.origin["id"], r.destination["id"]) == ("almaty_rail", "baku_rail")
    r = route(corridor_graph, "Almaty", "Baku", modes=["air"], cargo="air")
    assert modes_of(r) == ["air"]
    assert (r.origin["id"], r.destination["id"]) == ("almaty_airport", "baku_airport")


def test_sea_alone_runs_quay_to_quay(corridor_graph):
    # with sea alone the quays stand for the places: one sea edge, no transfer
    r = route(corridor_graph, "Aktau", "Baku", by="time", modes=("sea",))
    assert edge_ids(r) == ["sea_aktau_baku"]
    assert (r.origin["id"], r.destination["id"]) == ("aktau_quay", "baku_quay")
    assert r.totals == {"distance_km": 450, "time_h": 30, "cost_usd": 1200, "co2_kg": 150}
    # with rail as well, cargo is loaded and unloaded at the rail sides: 10 + 30 + 5 h
    r = route(corridor_graph, "Aktau", "Baku", by="time", modes=("rail", "sea"))
    assert edge_ids(r) == ["aktau_transfer", "sea_aktau_baku", "baku_transfer"]
    assert (r.origin["id"], r.destination["id"]) == ("aktau_rail", "baku_rail")
    assert r.totals == {"distance_km": 450, "time_h": 45, "cost_usd": 1400, "co2_kg": 150}


def test_modes_as_comma_string(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku", by="time", modes="rail,sea")
    assert r.totals["time_h"] == 105  # 60 + 10 + 30 + 5, as above


def test_unknown_mode(corridor_graph):
    with pytest.raises(ValueError, match=r"unknown mode.*'ship'.*rail, road, sea, air"):
        route(corridor_graph, "Almaty", "Baku", modes=["rail", "ship"])


def test_transfer_and_border_alone_are_not_modes(corridor_graph):
    with pytest.raises(ValueError, match="no mode"):
        route(corridor_graph, "Almaty", "Baku", modes=["transfer"])


def test_no_route_by_mode(corridor_graph):
    # Tbilisi has a rail station only: no sea or air terminal within 100 km
    with pytest.raises(NoRouteError, match="Tbilisi"):
        route(corridor_graph, "Almaty", "Tbilisi", modes=["air"], cargo="air")
    with pytest.raises(nx.NetworkXNoPath):
        route(corridor_graph, "Almaty", "Tbilisi", modes=["rail", "road"])


# ----------------------------------------------------------------- avoid
def test_avoid_a_place(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku", by="cost", avoid=["Kuryk"])
    # rail via Aktau 1000+100+1200+100 = 2400 < road 2900 < air 5000
    assert "kuryk_quay" not in r.nodes and r.totals["cost_usd"] == 2400


def test_avoid_by_node_and_by_other_language(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku", by="cost", avoid=("kuryk_quay",))
    assert r.totals["cost_usd"] == 2400
    r = route(corridor_graph, "Almaty", "Baku", by="cost", avoid="Құрық")
    assert r.totals["cost_usd"] == 2400


def test_avoid_a_country(corridor_graph, make_graph):
    G = make_graph(
        [("a", "rail_station", "AZ", 49.0, 40.0, None),
         ("g", "rail_station", "GE", 45.0, 41.5, None),
         ("t", "rail_station", "TR", 43.0, 41.0, None),
         ("r", "road_node", "AZ", 46.0, 39.0, None)],
        [("ag", "a", "g", "rail", 100, 1, 10, 1), ("gt", "g", "t", "rail", 100, 1, 10, 1),
         ("ar", "a", "r", "road", 300, 5, 50, 9), ("rt", "r", "t", "road", 300, 5, 50, 9)],
    )
    assert route(G, "a", "t").nodes == ["a", "g", "t"]
    assert route(G, "a", "t", avoid=["GE"]).nodes == ["a", "r", "t"]
    assert route(G, "a", "t", avoid=["ge"]).nodes == ["a", "r", "t"]
    with pytest.raises(NoRouteError):
        route(G, "a", "t", avoid=["GE", "r"])


def test_avoid_origin_or_destination_is_refused(corridor_graph):
    with pytest.raises(ValueError, match=r"origin 'Almaty'.*avoided"):
        route(corridor_graph, "Almaty", "Baku", avoid=["KZ"])
    with pytest.raises(ValueError, match=r"destination 'Tbilisi'.*avoided"):
        route(corridor_graph, "Baku", "Tbilisi", avoid=["GE"])


def test_avoid_unknown_place(corridor_graph):
    with pytest.raises(PlaceNotFoundError, match="Kuryk"):
        route(corridor_graph, "Almaty", "Baku", avoid=["Kuryc"])


def test_avoid_everything_between(corridor_graph):
    with pytest.raises(NoRouteError, match=r"no route from 'Almaty' to 'Baku'.*avoiding"):
        route(corridor_graph, "Almaty", "Baku", modes="rail,sea", avoid=["Aktau", "Kuryk"])


# ----------------------------------------------------------------- year
def test_year_filters(corridor_graph):
    # today: the planned Almaty-Kuryk line is not used
    r = route(corridor_graph, "Almaty", "Baku", by="cost")
    assert "rail_almaty_kuryk_new" not in edge_ids(r)
    # by 2030 it is open and cheaper
    r = route(corridor_graph, "Almaty", "Baku", by="cost", year=2030)
    assert edge_ids(r)[0] == "rail_almaty_kuryk_new"
    assert r.totals["cost_usd"] == 1980  # 700 + 80 + 1100 + 100
    # in 2015 the Kuryk ferry (opened 2018) did not sail
    r = route(corridor_graph, "Almaty", "Baku", by="cost", year=2015)
    assert edge_ids(r) == ["rail_almaty_aktau", "aktau_transfer", "sea_aktau_baku",
                           "baku_transfer"]


def test_edge_open_in():
    assert edge_open_in({"status": "open", "year_open": None}, None)
    assert not edge_open_in({"status": "planned", "year_open": 2027}, None)
    assert edge_open_in({"status": "planned", "year_open": 2027}, 2027)
    assert not edge_open_in({"status": "planned", "year_open": 2027}, 2026)
    assert not edge_open_in({"status": "open", "year_open": 2018}, 2015)
    assert edge_open_in({"status": "open", "year_open": math.nan}, 2015)
    assert not edge_open_in({"status": "planned", "year_open": None}, 2050)


def test_year_must_be_int(corridor_graph):
    with pytest.raises(ValueError, match="year"):
        route(corridor_graph, "Almaty", "Baku", year="2030")  # type: ignore[arg-type]


def test_the_view_does_not_copy_or_change_the_graph(corridor_graph):
    before = (corridor_graph.number_of_nodes(), corridor_graph.number_of_edges())
    route(corridor_graph, "Almaty", "Baku", modes="rail,sea", avoid=["Aktau"], year=2030,
          alternatives=2)
    assert (corridor_graph.number_of_nodes(), corridor_graph.number_of_edges()) == before


# ----------------------------------------------------------------- origin / destination
def test_identical_places(corridor_graph):
    with pytest.raises(ValueError, match="same place"):
        route(corridor_graph, "Baku", "Bakı")
    # a node that stands for the place is the same place
    with pytest.raises(ValueError, match="same place"):
        route(corridor_graph, "baku_rail", "Baku")
    # the quay stands for Baku only when travelling by sea alone
    with pytest.raises(ValueError, match="same place"):
        route(corridor_graph, "baku_quay", "Baku", modes=("sea",))


def test_node_ids_and_languages(corridor_graph):
    r = route(corridor_graph, "almaty_rail", "Баку", by="cost")
    assert r.origin["id"] == "almaty_rail"
    assert r.totals["cost_usd"] == 2180  # rail via Kuryk: 900 + 80 + 1100 + 100
    r = route(corridor_graph, "АЛМАТЫ", "bakı", by="cost")
    assert r.totals["cost_usd"] == 2180


def test_unknown_place_suggests(corridor_graph):
    with pytest.raises(PlaceNotFoundError, match="did you mean Aktau") as info:
        route(corridor_graph, "Aktaw", "Baku")
    assert isinstance(info.value, LookupError)
    assert info.value.suggestions[0] == "Aktau"


def test_ambiguous_place(make_graph):
    G = make_graph(
        [("a", "rail_station", "KZ", 50.0, 43.0, "north"),
         ("b", "rail_station", "AZ", 49.0, 40.0, "south")],
        [("ab", "a", "b", "rail", 10, 1, 1, 1)],
        {"north": {"name": "Novy Port", "country": "KZ"},
         "south": {"name": "Novy Port", "country": "AZ"}},
    )
    with pytest.raises(AmbiguousPlaceError, match=r"north.*south"):
        route(G, "Novy Port", "a")


def test_origin_dict(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku", by="cost")
    assert r.origin == {"id": "almaty_rail", "name": "Almaty Rail", "country": "KZ",
                        "kind": "rail_station", "x": 76.94, "y": 43.26, "place": "almaty",
                        "stand_in": None}


# ----------------------------------------------------------------- legs and totals
def test_legs_merge_same_mode_and_keep_borders_apart(corridor_graph):
    r = route(corridor_graph, "Baku", "Tbilisi", modes=["rail"])
    assert [(leg.from_id, leg.to_id, leg.mode) for leg in r.legs] == [
        ("baku_rail", "boyuk_kesik", "rail"),
        ("boyuk_kesik", "gardabani", "border"),
        ("gardabani", "tbilisi_rail", "rail"),
    ]
    first = r.legs[0]
    assert isinstance(first, Leg)
    assert first.edges == [("baku_rail", "ganja_rail", "rail_baku_ganja"),
                           ("ganja_rail", "boyuk_kesik", "rail_ganja_boyuk_kesik")]
    assert first.distance_km == 500 and first.time_h == 11 and first.cost_usd == 400
    assert first.from_name == "Baku Rail" and first.to_name == "Boyuk Kesik"
    # merged geometry runs through the three stations in order, without repeated points
    assert list(first.geometry.coords) == [(49.85, 40.40), (46.36, 40.68), (45.07, 41.27)]


def test_consecutive_transfers_are_separate_legs(make_graph):
    G = make_graph(
        [("a", "rail_station", "KZ", 50.0, 43.0, None), ("b", "terminal", "KZ", 50.1, 43.0, None),
         ("c", "terminal", "KZ", 50.2, 43.0, None), ("d", "port", "KZ", 50.3, 43.0, None)],
        [("ab", "a", "b", "rail", 10, 1, 1, 1), ("bc", "b", "c", "transfer", 0, 1, 1, 0),
         ("cd", "c", "d", "transfer", 0, 1, 1, 0)],
    )
    assert modes_of(route(G, "a", "d")) == ["rail", "transfer", "transfer"]


def test_totals_are_sums_of_legs_and_edges(corridor_graph):
    G = corridor_graph
    for by in ("time", "cost", "co2", "distance"):
        r = route(G, "Almaty", "Tbilisi", by=by, modes="rail,road,sea")
        for f in FIGURES:
            assert r.totals[f] == pytest.approx(sum(getattr(leg, f) for leg in r.legs))
            assert r.totals[f] == pytest.approx(sum(G.edges[e][f] for e in r.edges))
        assert r.nodes[0] == r.edges[0][0] and r.nodes[-1] == r.edges[-1][1]
        assert [e for leg in r.legs for e in leg.edges] == r.edges


def test_geometry_is_oriented_along_the_route(corridor_graph):
    # store one geometry drawn the wrong way round: the leg must still run from u to v
    from shapely.geometry import LineString

    d = corridor_graph["baku_rail"]["ganja_rail"]["rail_baku_ganja"]
    d["geometry"] = LineString([(46.36, 40.68), (48.0, 40.5), (49.85, 40.40)])
    r = route(corridor_graph, "baku_rail", "ganja_rail")
    assert list(r.legs[0].geometry.coords) == [(49.85, 40.40), (48.0, 40.5), (46.36, 40.68)]


# ----------------------------------------------------------------- outputs
def test_to_dict_follows_the_json_contract(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku", by="cost", alternatives=2)
    d = r.to_dict()
    assert list(d) == ["origin", "destination", "objective", "totals", "legs",
                       "alternatives", "alternatives_found", "warnings", "query"]
    assert d["query"] == {
        "cargo": "feu", "tonnes": 20.0, "modes": ["rail", "road", "sea"], "year": None,
        "avoid": [], "scenario": None,
        "origin": {"asked": "Almaty", "node": "almaty_rail", "name": "Almaty Rail"},
        "destination": {"asked": "Baku", "node": "baku_rail", "name": "Baku Rail"}}
    assert d["objective"] == "cost"
    assert set(d["totals"]) == set(FIGURES)
    for leg in d["legs"]:
        assert {"from", "to", "mode", *FIGURES} <= set(leg)
    assert d["legs"][0]["from"] == "Almaty Rail" and d["legs"][0]["from_id"] == "almaty_rail"
    assert d["alternatives"] and all(set(a) == {"totals", "legs"} for a in d["alternatives"])
    assert isinstance(d["warnings"], list)
    assert json.loads(json.dumps(d)) == d  # plain JSON types only


def test_repr_and_html_escape(corridor_graph):
    corridor_graph.nodes["almaty_rail"]["name"] = "Almaty <script>alert(1)</script>"
    r = route(corridor_graph, "Almaty", "Baku", by="cost")
    text = repr(r)
    assert text.startswith("Route(Almaty <script>") and "2180 USD" in text
    page = r._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<table>" in page and "2,180" in page
    # the itinerary table first, then the map in a sandboxed iframe
    assert page.index(route_table_html(r)) < page.index("<iframe srcdoc=")
    assert "alert(1)</script>" not in page


def test_to_geodataframe(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku", by="cost")
    gdf = r.to_geodataframe()
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == len(r.legs)
    assert list(gdf["mode"]) == ["rail", "transfer", "sea", "transfer"]
    assert gdf["cost_usd"].sum() == pytest.approx(r.totals["cost_usd"])


# ----------------------------------------------------------------- alternatives
def test_alternatives_on_the_corridor(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku", by="cost", alternatives=3)
    # via Kuryk (2,180) is best; Aktau by rail (2,400) differs by its port, Aktau by road
    # (1500+100+1200+100 = 2,900) by its modes; a container never flies
    assert [alt.totals["cost_usd"] for alt in r.alternatives] == [2400, 2900]
    assert [alt.weight for alt in r.alternatives] == sorted(alt.weight for alt in r.alternatives)
    assert all(alt.alternatives == [] for alt in r.alternatives)


def test_alternatives_skip_another_path_with_the_same_crossings(make_graph):
    """a→b→c→d is best; a→y→d shares nothing but crosses nothing either and goes by the
    same main mode: not another option a planner would list."""
    G = make_graph(
        [(n, "rail_station", "KZ", 50.0 + i, 43.0, None) for i, n in enumerate("abcdy")],
        [("ab", "a", "b", "rail", 400, 4, 4, 4),
         ("bc", "b", "c", "rail", 100, 1, 1, 1),
         ("cd", "c", "d", "rail", 400, 4, 4, 4),
         ("ay", "a", "y", "rail", 600, 6, 3, 3),
         ("yd", "y", "d", "rail", 600, 6, 3, 3)],
    )
    r = route(G, "a", "d", alternatives=2)
    assert r.nodes == ["a", "b", "c", "d"]
    assert r.alternatives == [] and r.alternatives_found == 0


def test_alternatives_accept_another_border_even_when_overlapping(make_graph):
    """Two border crossings side by side: 95 % shared distance, but another border."""
    G = make_graph(
        [("a", "rail_station", "AZ", 46.0, 41.0, None),
         ("b1", "border", "AZ", 45.0, 41.2, None), ("g1", "border", "GE", 45.0, 41.3, None),
         ("b2", "border", "AZ", 45.1, 41.2, None), ("g2", "border", "GE", 45.1, 41.3, None),
         ("t", "rail_station", "GE", 44.8, 41.7, None)],
        [("a_b1", "a", "b1", "rail", 500, 5, 5, 5), ("a_b2", "a", "b2", "rail", 490, 6, 5, 5),
         ("x1", "b1", "g1", "border", 0, 10, 100, 0), ("x2", "b2", "g2", "border", 0, 12, 90, 0),
         ("g1_t", "g1", "t", "rail", 10, 1, 1, 1), ("g2_t", "g2", "t", "rail", 12, 1, 1, 1)],
    )
    r = route(G, "a", "t", alternatives=1)
    assert edge_ids(r) == ["a_b1", "x1", "g1_t"]
    assert [edge_ids(alt) for alt in r.alternatives] == [["a_b2", "x2", "g2_t"]]


def test_alternatives_none_when_nothing_else(make_graph):
    G = make_graph(
        [("a", "rail_station", "KZ", 50.0, 43.0, None), ("b", "rail_station", "KZ", 51.0, 43.0, None)],
        [("ab", "a", "b", "rail", 100, 1, 1, 1)],
    )
    assert route(G, "a", "b", alternatives=3).alternatives == []


@pytest.mark.parametrize("bad", [-1, 1.5, True, "2"])
def test_alternatives_must_be_whole_and_non_negative(corridor_graph, bad):
    with pytest.raises(ValueError, match="alternatives"):
        route(corridor_graph, "Almaty", "Baku", alternatives=bad)


# ----------------------------------------------------------------- the shipped network
def test_real_altynkol_alat_by_cost_crosses_the_caspian_by_sea(real_graph):
    r = route(real_graph, "Altynkol", "Alat", by="cost")
    sea = [leg for leg in r.legs if leg.mode == "sea"]
    assert len(sea) == 1
    assert real_graph.nodes[sea[0].from_id]["country"] == "KZ"
    assert real_graph.nodes[sea[0].to_id]["country"] == "AZ"
    # FACTS.md: 2,348 USD (2025 tariff) to 2,610 USD all-in, about 5 to 9 days
    assert 1_500 < r.totals["cost_usd"] < 4_000
    assert 3 * 24 < r.totals["time_h"] < 15 * 24
    assert 3_000 < r.totals["distance_km"] < 5_500


def test_real_almaty_baku_air_cargo_is_fastest_a_container_sails(real_graph):
    fastest = route(real_graph, "Almaty", "Baku", by="time", cargo="air")
    cheapest = route(real_graph, "Almaty", "Baku", by="cost")
    assert "air" in {leg.mode for leg in fastest.legs}
    assert "air" not in {leg.mode for leg in cheapest.legs}
    assert "sea" in {leg.mode for leg in cheapest.legs}
    assert fastest.totals["time_h"] < cheapest.totals["time_h"]
    # the 20 t of a container by air cost many times the box by rail and sea
    heavy = route(real_graph, "Almaty", "Baku", by="time", cargo="air", tonnes=20)
    assert heavy.edges == fastest.edges
    assert 5 * cheapest.totals["cost_usd"] < heavy.totals["cost_usd"]


def test_real_alternatives_without_air(real_graph):
    r = route(real_graph, "Almaty", "Baku", by="time", modes="rail,road,sea", alternatives=2)
    assert len(r.alternatives) >= 1
    for one in (r, *r.alternatives):
        assert {leg.mode for leg in one.legs} <= {"rail", "road", "sea", "transfer", "border"}
    assert all(alt.totals["time_h"] >= r.totals["time_h"] for alt in r.alternatives)


@pytest.mark.parametrize(
    "names",
    [("Baku", "Bakı", "Баку"), ("Aktau", "Ақтау", "Актау"), ("Almaty", "Алматы"),
     ("Astana", "Астана"), ("Ganja", "Gəncə", "Гянджа")],
)
def test_real_place_names_in_four_languages(real_graph, names):
    from corridor.places import lookup

    assert len({lookup(real_graph, name) for name in names}) == 1


def test_real_city_terminal_by_mode(real_graph):
    from corridor.places import resolve

    kinds = {m: real_graph.nodes[resolve(real_graph, "Baku", modes=[m])]["kind"]
             for m in ("rail", "sea", "air")}
    assert kinds == {"rail": "rail_station", "sea": "port", "air": "airport"}


def test_real_pareto_contains_the_single_objective_optima(real_graph):
    from corridor.routing import pareto

    front = pareto(real_graph, "Almaty", "Baku")
    weights = [r.weight for r in front]
    best_time = route(real_graph, "Almaty", "Baku", by="time").totals["time_h"]
    best_cost = route(real_graph, "Almaty", "Baku", by="cost").totals["cost_usd"]
    assert min(w[0] for w in weights) == pytest.approx(best_time)
    assert min(w[1] for w in weights) == pytest.approx(best_cost)
    for w in weights:
        assert not any(o != w and all(a <= b for a, b in zip(o, w, strict=True))
                       for o in weights)


def test_an_alternative_is_the_best_route_through_its_port(real_graph):
    """The alternative via Kuryk costs what the best route is once Aktau and Turkmenistan
    (its quay) are avoided: the penalties that found it do not bend the rest of its path."""
    r = route(real_graph, "Altynkol", "Alat", by="cost", modes="rail,sea", alternatives=3)
    via_kuryk = [a for a in r.alternatives
                 if any(leg.mode == "sea" and leg.from_id.startswith("kuryk") for leg in a.legs)]
    assert via_kuryk
    forced = route(real_graph, "Altynkol", "Alat", by="cost", modes="rail,sea",
                   avoid=["aktau_port_quay", "TM"])
    assert via_kuryk[0].totals["cost_usd"] == pytest.approx(forced.totals["cost_usd"])
    assert via_kuryk[0].edges == forced.edges


def test_each_flight_is_a_leg_of_its_own(make_graph):
    G = make_graph(
        [("a", "airport", "KZ", 51.0, 43.6, None), ("b", "airport", "KZ", 71.4, 51.2, None),
         ("c", "airport", "AZ", 50.0, 40.4, None)],
        [("ab", "a", "b", "air", 1500, 3, 3000, 300), ("bc", "b", "c", "air", 2500, 4, 5000, 500)],
    )
    r = route(G, "a", "c", cargo="air")
    assert [(leg.from_id, leg.to_id, leg.mode) for leg in r.legs] == [
        ("a", "b", "air"), ("b", "c", "air")]
    assert r.totals["time_h"] == 7


# ----------------------------------------------------------------- shipments
DOOR_PLACES = {"a": {"name": "Town A"}, "b": {"name": "Town B"}}
DOOR_NODES = [("a_road", "road_node", "KZ", 50.0, 43.0, "a"),
              ("a_rail", "rail_station", "KZ", 50.1, 43.0, "a"),
              ("b_road", "road_node", "KZ", 52.0, 43.0, "b"),
              ("b_rail", "rail_station", "KZ", 52.1, 43.0, "b")]


def test_a_container_starts_at_the_door_and_pays_the_rail_transfer(make_graph):
    G = make_graph(DOOR_NODES, [
        ("lift_a", "a_road", "a_rail", "transfer", 0, 12, 100, 0),
        ("train", "a_rail", "b_rail", "rail", 400, 10, 150, 40),
        ("lift_b", "b_rail", "b_road", "transfer", 0, 12, 100, 0),
        ("truck", "a_road", "b_road", "road", 400, 17, 600, 500)], DOOR_PLACES)
    # from the door the train takes 12 + 10 + 12 = 34 h: the 17 h truck is faster
    r = route(G, "Town A", "Town B", by="time")
    assert edge_ids(r) == ["truck"]
    cheap = route(G, "Town A", "Town B", by="cost")
    assert edge_ids(cheap) == ["lift_a", "train", "lift_b"]  # 350 USD with both lifts
    # rail alone runs station to station, as before
    assert edge_ids(route(G, "Town A", "Town B", by="time", modes="rail")) == ["train"]


def test_pareto_counts_parallel_tracks_once(make_graph):
    # two tracks a-x-c and a-y-c whose totals are the same up to rounding (0.1 + 0.2 vs
    # 0.3): neither dominates the other in floating point, but a planner sees one route
    nodes = [(n, "rail_station", "KZ", 50.0 + i, 43.0, None) for i, n in enumerate("axyc")]
    G = make_graph(nodes, [
        ("ax", "a", "x", "rail", 100, 0.1, 0.3, 10), ("xc", "x", "c", "rail", 100, 0.2, 0.0, 10),
        ("ay", "a", "y", "rail", 100, 0.3, 0.1, 10), ("yc", "y", "c", "rail", 100, 0.0, 0.2, 10)])
    from corridor.routing import pareto

    front = pareto(G, "a", "c", ("time", "cost"))
    assert len(front) == 1
