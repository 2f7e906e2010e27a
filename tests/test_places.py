"""Place names in four languages, typos and ambiguity, and terminals chosen by mode."""

from __future__ import annotations

import pytest

from corridor._errors import AmbiguousPlaceError, NoRouteError, PlaceNotFoundError
from corridor.places import (
    find_places,
    lookup,
    normalize,
    place_nodes,
    place_terminals,
    resolve,
    resolve_all,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ақтау", "Актау"),
        ("Құрық", "Курык"),
        ("Gəncə", "Gence"),
        ("Bakı", "BAKI"),
        ("Şəki", "Seki"),
        ("Ağdam", "Agdam"),
        ("Türkmenbaşy", "turkmenbasy"),
        ("Қарағанды", "Караганды"),
        ("Өскемен", "Оскемен"),
        ("Alma-Ata", "alma ata"),
        ("İstanbul", "istanbul"),
    ],
)
def test_normalize_folds_letters(a, b):
    assert normalize(a) == normalize(b)


def test_normalize_keeps_different_names_apart():
    assert normalize("Baku") != normalize("Bakı")  # matched through the data's names instead
    assert normalize("  Port   of_Baku ") == "port of baku"


@pytest.mark.parametrize(
    ("query", "place"),
    [
        ("Baku", "baku"), ("Bakı", "baku"), ("Баку", "baku"), ("baku", "baku"),
        ("Aktau", "aktau"), ("Ақтау", "aktau"), ("Актау", "aktau"), ("АКТАУ", "aktau"),
        ("Almaty", "almaty"), ("Алматы", "almaty"), ("Alma-Ata", "almaty"),
        ("Ganja", "ganja"), ("Gəncə", "ganja"), ("Gence", "ganja"), ("Гянджа", "ganja"),
        ("Kuryk", "kuryk"), ("Құрық", "kuryk"), ("Курык", "kuryk"),
    ],
)
def test_lookup_in_four_languages(corridor_graph, query, place):
    assert lookup(corridor_graph, query) == ("place", place)


def test_lookup_node_ids_and_node_names(corridor_graph):
    assert lookup(corridor_graph, "aktau_quay") == ("node", "aktau_quay")
    assert lookup(corridor_graph, "Aktau Quay") == ("node", "aktau_quay")
    assert lookup(corridor_graph, "aktau") == ("place", "aktau")  # a place id


def test_several_nodes_of_one_place_stand_for_the_place(make_graph):
    G = make_graph(
        [("p1", "port", "KZ", 51.0, 43.0, "aktau"), ("p2", "terminal", "KZ", 51.1, 43.0, "aktau")],
        [("e", "p1", "p2", "transfer", 0, 1, 1, 0)],
        {"aktau": {"name": "Aktau", "names": {"ru": "Актау"}}},
        names={"p1": {"az": "Port X"}, "p2": {"az": "Port X"}},
    )
    assert lookup(G, "Port X") == ("place", "aktau")


def test_typo_gets_suggestions(corridor_graph):
    with pytest.raises(PlaceNotFoundError) as info:
        lookup(corridor_graph, "Aktaw")
    assert info.value.suggestions[0] == "Aktau"
    assert "did you mean Aktau" in str(info.value)
    with pytest.raises(PlaceNotFoundError, match="Tbilisi"):
        lookup(corridor_graph, "Tiblisi")
    with pytest.raises(PlaceNotFoundError, match=r"Алматы|Almaty"):
        lookup(corridor_graph, "Алмата")


def test_nothing_close_points_to_the_search(corridor_graph):
    with pytest.raises(PlaceNotFoundError, match="corridor places") as info:
        lookup(corridor_graph, "Vladivostok")
    assert info.value.suggestions == []


def test_ambiguous_lists_candidates(make_graph):
    G = make_graph(
        [("a", "rail_station", "KZ", 50.0, 43.0, "north"),
         ("b", "rail_station", "AZ", 49.0, 40.0, "south"),
         ("c", "road_node", "KZ", 50.0, 44.0, None),
         ("d", "road_node", "AZ", 49.0, 41.0, None)],
        [("ab", "a", "b", "rail", 10, 1, 1, 1)],
        {"north": {"name": "Novy Port", "country": "KZ"},
         "south": {"name": "Novyi Port", "aliases": ["Novy Port"], "country": "AZ"}},
        names={"c": {"ru": "Развилка"}, "d": {"ru": "Развилка"}},
    )
    with pytest.raises(AmbiguousPlaceError) as info:
        lookup(G, "novy port")
    assert len(info.value.candidates) == 2
    assert "north" in str(info.value) and "south" in str(info.value)
    assert isinstance(info.value, LookupError)
    with pytest.raises(AmbiguousPlaceError, match=r"node c.*node d"):
        lookup(G, "Развилка")


def test_resolve_picks_the_terminal_for_the_mode(corridor_graph):
    G = corridor_graph
    assert resolve(G, "Baku", modes=["rail"]) == "baku_rail"
    assert resolve(G, "Bakı", modes=["sea"]) == "baku_quay"
    assert resolve(G, "Баку", modes=["air"]) == "baku_airport"
    assert resolve(G, "Almaty", modes=["air"]) == "almaty_airport"
    assert resolve(G, "Almaty") == "almaty_rail"
    assert resolve(G, "aktau_quay", modes=["air"]) == "aktau_quay"  # a node id is itself


def test_place_nodes_lists_every_suitable_node(corridor_graph):
    # every mode: the rail station and the airport; the quay gives way to the rail side
    nodes, warnings = place_nodes(corridor_graph, "baku")
    assert nodes == ["baku_rail", "baku_airport"] and warnings == []
    nodes, _ = place_nodes(corridor_graph, "aktau", modes=["sea"])
    assert nodes == ["aktau_quay"]


@pytest.mark.parametrize("place", ["aktau", "kuryk", "baku"])
def test_cargo_leaves_a_port_by_its_rail_side_not_the_quay(corridor_graph, place):
    G = corridor_graph
    for modes in (("rail",), ("rail", "sea"), None):
        nodes, warnings = place_nodes(G, place, modes=modes)
        assert nodes and warnings == []
        assert all(G.nodes[n]["kind"] != "port" for n in nodes), (modes, nodes)
    # with rail and sea the quay serves the place too, yet only the rail side is left
    assert place_nodes(G, place, modes=("rail", "sea")) == ([f"{place}_rail"], [])
    # by sea alone the quay stands for the place
    assert place_nodes(G, place, modes=("sea",)) == ([f"{place}_quay"], [])
    assert resolve_all(G, place.title(), modes=("sea",)) == ([f"{place}_quay"], [], place)


def test_a_port_with_only_a_quay_keeps_its_quay(make_graph):
    # nothing but the quay serves the place: it stays, whatever the modes
    G = make_graph(
        [("q", "port", "KZ", 51.0, 43.0, "harbour"), ("r", "rail_station", "KZ", 52.0, 43.0, None),
         ("s", "port", "AZ", 49.0, 40.0, None)],
        [("qr", "q", "r", "rail", 80, 2, 20, 2), ("qs", "q", "s", "sea", 400, 30, 900, 100)],
        {"harbour": {"name": "Harbour", "x": 51.0, "y": 43.0}},
    )
    assert place_nodes(G, "harbour") == (["q"], [])
    assert place_nodes(G, "harbour", modes=("rail",)) == (["q"], [])


def test_a_node_id_wins_over_an_equal_place_id(make_graph):
    # like Alat in the shipped data: the place ``alat`` and its rail station ``alat``
    G = make_graph(
        [("alat", "rail_station", "AZ", 49.39, 39.96, "alat"),
         ("alat_port_rail", "terminal", "AZ", 49.41, 39.94, "alat"),
         ("alat_port_quay", "port", "AZ", 49.41, 39.95, "alat"),
         ("aktau_quay", "port", "KZ", 51.17, 43.62, None)],
        [("rail_alat_port", "alat", "alat_port_rail", "rail", 3, 0.5, 20, 1),
         ("alat_unload", "alat_port_quay", "alat_port_rail", "transfer", 0, 20, 110, 0),
         ("sea", "aktau_quay", "alat_port_quay", "sea", 470, 20, 872, 100)],
        {"alat": {"name": "Alat", "names": {"az": "Ələt"}, "country": "AZ",
                  "x": 49.41, "y": 39.95}},
    )
    # the exact id names the node (what a program passing node ids means) ...
    assert lookup(G, "alat") == ("node", "alat")
    assert resolve_all(G, "alat") == (["alat"], [], None)
    # ... and the name names the place: both rail nodes (the station first), not the quay
    assert lookup(G, "Alat") == ("place", "alat")
    assert resolve_all(G, "Ələt") == (["alat", "alat_port_rail"], [], "alat")
    assert resolve_all(G, "Alat", modes=("sea",)) == (["alat_port_quay"], [], "alat")


def test_nearest_terminal_within_100_km(make_graph):
    G = make_graph(
        [("town", "road_node", "KZ", 51.0, 43.0, "town"),
         ("station", "rail_station", "KZ", 51.5, 43.0, None),  # about 41 km east
         ("far", "rail_station", "KZ", 55.0, 43.0, "far")],
        [("road", "town", "station", "road", 45, 1, 10, 5),
         ("rail", "station", "far", "rail", 300, 5, 100, 10)],
        {"town": {"name": "Town", "x": 51.0, "y": 43.0},
         "far": {"name": "Far", "x": 55.0, "y": 43.0}},
    )
    nodes, warnings, place = resolve_all(G, "Town", modes=["rail"])
    assert nodes == ["station"] and place == "town"
    assert "Town has no rail terminal" in warnings[0] and "41 km" in warnings[0]
    with pytest.raises(NoRouteError, match="no sea terminal at Town or within 100 km"):
        resolve(G, "Town", modes=["sea"])
    # a route reports the stand-in
    from corridor.routing import route

    r = route(G, "Town", "Far", modes=["rail"])
    assert r.origin["id"] == "station"
    assert r.warnings == [warnings[0]]


def test_find_places(corridor_graph):
    hits = find_places(corridor_graph, "Ақтау")
    assert hits[0] == {"id": "aktau", "name": "Aktau", "kind": "place", "country": "KZ",
                       "score": 1.0, "matched": "Ақтау"}
    # the place's quay and rail side fold into it: Aktau is listed once
    hits = find_places(corridor_graph, "aktau")
    assert [(h["id"], h["kind"]) for h in hits if "aktau" in h["id"]] == [("aktau", "place")]
    hits = find_places(corridor_graph, "Aktau Quay")
    assert (hits[0]["id"], hits[0]["score"], hits[0]["matched"]) == ("aktau", 1.0, "Aktau Quay")
    # ... unless the query is a node's id
    hits = find_places(corridor_graph, "aktau_quay")
    assert (hits[0]["id"], hits[0]["kind"], hits[0]["score"]) == ("aktau_quay", "port", 1.0)
    hits = find_places(corridor_graph, "bak")
    assert hits[0]["id"] == "baku" and hits[0]["score"] == 0.9
    assert find_places(corridor_graph, "Aktaw")[0]["id"] == "aktau"
    assert len(find_places(corridor_graph, "a", limit=1)) == 1 < len(find_places(corridor_graph, "a"))
    assert find_places(corridor_graph, "zzzzzz") == []
    with pytest.raises(ValueError, match="empty"):
        find_places(corridor_graph, " - ")


def test_an_airport_does_not_hide_the_quay_when_sea_is_allowed(corridor_graph):
    """Only a rail or road side replaces the quay; an airport serves another mode."""
    nodes, _ = place_nodes(corridor_graph, "baku", modes=("sea", "air"))
    assert set(nodes) == {"baku_quay", "baku_airport"}


def test_a_node_of_a_place_and_that_place_are_the_same_place(corridor_graph):
    from corridor.routing import route

    with pytest.raises(ValueError, match="same place"):
        route(corridor_graph, "baku_quay", "Baku")


# ----------------------------------------------------------------- stand-ins and years
def _border_town(make_graph, **place):
    """Town (KZ) by road only; a KZ station 41 km east, a foreign one 8 km west, and a
    rail line at Town's own station that opens in 2027."""
    return make_graph(
        [("town", "road_node", "KZ", 51.0, 43.0, "town"),
         ("town_rail", "rail_station", "KZ", 51.01, 43.0, "town"),
         ("east", "rail_station", "KZ", 51.5, 43.0, None),
         ("west", "rail_station", "UZ", 50.9, 43.0, None),
         ("far", "rail_station", "KZ", 55.0, 43.0, "far")],
        [("road", "town", "east", "road", 45, 1, 10, 5),
         ("road_w", "town", "west", "road", 10, 1, 10, 5),
         ("rail", "east", "far", "rail", 300, 5, 100, 10),
         ("rail_w", "west", "far", "rail", 330, 5, 100, 10),
         ("new_line", "town_rail", "far", "rail", 290, 5, 90, 10,
          {"status": place.pop("status", "planned"), "year_open": 2027})],
        {"town": {"name": "Town", "country": "KZ", "x": 51.0, "y": 43.0, **place},
         "far": {"name": "Far", "country": "KZ", "x": 55.0, "y": 43.0}},
    )


def test_a_stand_in_must_be_in_the_same_country(make_graph):
    G = _border_town(make_graph)
    G.remove_edge("town_rail", "far", "new_line")
    G.remove_edge("far", "town_rail", "new_line")
    nodes, stand_in = place_terminals(G, "town", modes=["rail"])
    # the Uzbek station is nearer (8 km) but another country: the Kazakh one stands in
    assert nodes == ["east"] and stand_in.country == "KZ"
    assert stand_in.distance_km == pytest.approx(40.6, abs=0.2)
    assert stand_in.to_dict()["reason"] == "Town has no rail terminal"
    G.remove_node("east")
    with pytest.raises(NoRouteError, match="West, 8 km away, is in UZ"):
        place_terminals(G, "town", modes=["rail"])


def test_a_stand_in_beyond_the_stated_distance_is_refused(make_graph):
    G = _border_town(make_graph)
    G.remove_node("town_rail")
    assert place_terminals(G, "town", modes=["rail"])[0] == ["east"]
    with pytest.raises(NoRouteError, match="within 30 km of it in KZ"):
        place_terminals(G, "town", modes=["rail"], max_km=30)


def test_a_closed_own_terminal_is_no_route_with_the_reason(make_graph):
    from corridor.routing import route

    G = _border_town(make_graph)
    # the line at Town's own station is planned: the Kazakh station 41 km away stands in
    # and says why, ...
    r = route(G, "Town", "Far", modes=["rail"])
    assert r.origin["stand_in"]["node"] == "east"
    assert r.origin["stand_in"]["reason"] == (
        "Town has no open rail service: its line is planned, opening in 2027 "
        "(ask for year 2027 or later)")
    r = route(G, "Town", "Far", modes=["rail"], year=2027)
    assert r.origin["id"] == "town_rail" and r.origin["stand_in"] is None
    # ... and with none in Kazakhstan (the Uzbek one never stands in) there is no route
    G.remove_node("east")
    with pytest.raises(NoRouteError, match="Town has no open rail service: its line is "
                                           r"planned, opening in 2027 \(ask for year 2027"):
        route(G, "Town", "Far", modes=["rail"])
    G = _border_town(make_graph, status="open")  # open, but only from 2027 on
    G.remove_node("east")
    with pytest.raises(NoRouteError, match=r"^Town has no rail service before 2027$"):
        route(G, "Town", "Far", modes=["rail"], year=2020)


def test_a_route_reports_its_stand_in(make_graph):
    from corridor.routing import route

    G = _border_town(make_graph)
    G.remove_node("town_rail")
    r = route(G, "Far", "Town", modes=["rail"])
    assert r.destination["id"] == "east" and r.origin["stand_in"] is None
    assert r.destination["stand_in"]["node"] == "east"
    assert r.destination["stand_in"]["place"] == "town"
    assert r.to_dict()["destination"]["stand_in"]["distance_km"] == pytest.approx(40.6, abs=0.2)


# ----------------------------------------------------------------- the shipped network
@pytest.mark.parametrize(("args", "message"), [
    (("Almaty", "Maktaaral", "--by", "cost", "--modes", "rail"),
     "Maktaaral has no open rail service: its line is under construction, opening in 2026"),
    (("Almaty", "Bakhty", "--modes", "rail"), "Bakhty has no open rail service"),
    (("Baku", "Fuzuli", "--modes", "air", "--cargo", "air", "--year", "2020"),
     "Fuzuli has no air service before 2021"),
])
def test_real_no_silent_substitution(args, message):
    from typer.testing import CliRunner

    from corridor.cli import app

    result = CliRunner().invoke(app, ["route", *args])
    assert result.exit_code == 3
    assert message in result.stderr and result.stdout == ""


def test_real_khorgos_by_rail_names_its_stand_in(real_graph):
    from corridor.routing import route

    r = route(real_graph, "Urumqi", "Khorgos", modes="rail")
    assert r.destination["stand_in"]["node"] == "altynkol"
    assert r.destination["stand_in"]["country"] == "KZ"
    assert r.destination["stand_in"]["distance_km"] < 5


def test_pareto_routes_report_their_stand_in(make_graph):
    from corridor.routing import pareto

    G = _border_town(make_graph)
    G.remove_node("town_rail")
    front = pareto(G, "Town", "Far", modes=["rail"], criteria=("time", "cost"))
    assert {r.origin["stand_in"]["node"] for r in front} == {"east"}
