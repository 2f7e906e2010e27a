"""Alternatives a planner would list: each differs by a sea crossing, a border crossing or
its main mode, is the best route of its kind, and is not beaten on every figure."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from corridor import cli
from corridor.cli import options as cli_options
from corridor.routing import MAX_ALTERNATIVES, route
from corridor.routing.alternatives import signature


@pytest.fixture
def run(corridor_graph, monkeypatch):
    """``corridor ARGS`` on the hand-built corridor of conftest.py."""
    monkeypatch.setattr(cli_options, "load", lambda data, year=None: corridor_graph)
    return lambda *args: CliRunner().invoke(cli.app, list(args))


def edge_ids(r: Any) -> list[str]:
    return [k for _, _, k in r.edges]


def crossings(r: Any) -> tuple[Any, ...]:
    return signature(r.graph, r.edges)


def figures(r: Any) -> tuple[float, float, float]:
    return (r.totals["time_h"], r.totals["cost_usd"], r.totals["co2_kg"])


def beaten(a: Any, b: Any) -> bool:
    """``b`` is at least as good as ``a`` on time, cost and CO2."""
    return all(y <= x for x, y in zip(figures(a), figures(b), strict=True))


# Two ports on one coast (p1, p2) and one across the sea (q); a road hop from the city
# (a) to the railhead (r1); a second, slower way to p2 that a penalty search could pick.
NODES = [
    ("a", "city", "KZ", 60.0, 45.0, "a"),
    ("r1", "rail_station", "KZ", 60.1, 45.0, None),
    ("m", "rail_station", "KZ", 56.0, 44.0, None),
    ("p1_rail", "terminal", "KZ", 51.2, 43.6, None), ("p1", "port", "KZ", 51.2, 43.6, None),
    ("p2_rail", "terminal", "KZ", 51.6, 43.2, None), ("p2", "port", "KZ", 51.6, 43.2, None),
    ("q", "port", "AZ", 49.4, 40.0, None), ("q_rail", "terminal", "AZ", 49.4, 40.0, None),
    ("b", "city", "AZ", 49.5, 40.1, "b"),
]
EDGES = [
    ("hop", "a", "r1", "road", 10, 1, 20, 2),
    ("rail_r1_p1", "r1", "p1_rail", "rail", 2000, 60, 1000, 200),
    ("rail_r1_m", "r1", "m", "rail", 1000, 30, 600, 100),
    ("rail_m_p2", "m", "p2_rail", "rail", 1100, 33, 600, 110),
    ("rail_r1_p2_slow", "r1", "p2_rail", "rail", 2300, 80, 1300, 260),
    ("road_a_p1", "a", "p1_rail", "road", 2100, 40, 1800, 600),
    ("t_p1", "p1_rail", "p1", "transfer", 0, 10, 100, 0),
    ("t_p2", "p2_rail", "p2", "transfer", 0, 8, 80, 0),
    ("sea_p1_q", "p1", "q", "sea", 450, 30, 1200, 150),
    ("sea_p2_q", "p2", "q", "sea", 420, 26, 1100, 120),
    ("t_q", "q", "q_rail", "transfer", 0, 5, 100, 0),
    ("road_q_b", "q_rail", "b", "road", 10, 1, 10, 1),
]
PLACES = {"a": {"name": "A", "country": "KZ", "x": 60.0, "y": 45.0},
          "b": {"name": "B", "country": "AZ", "x": 49.5, "y": 40.1}}


@pytest.fixture
def two_ports(make_graph):
    return make_graph(NODES, EDGES, PLACES)


def test_each_alternative_is_the_best_through_its_crossing(two_ports):
    """By cost p1 by rail is best (2,430 USD); via p2 the best way is through m (2,510),
    not the slow direct line (2,610); p1 by road (3,210, but 86 h) differs by main mode."""
    r = route(two_ports, "A", "B", by="cost", modes="rail,road,sea", alternatives=3)
    assert edge_ids(r) == ["hop", "rail_r1_p1", "t_p1", "sea_p1_q", "t_q", "road_q_b"]
    via_p2 = [alt for alt in r.alternatives if ("p2", "q") in crossings(alt)[0]]
    assert [edge_ids(alt) for alt in via_p2] == [
        ["hop", "rail_r1_m", "rail_m_p2", "t_p2", "sea_p2_q", "t_q", "road_q_b"]]
    forced = route(two_ports, "A", "B", by="cost", modes="rail,road,sea", avoid=["p1"])
    assert via_p2[0].edges == forced.edges and via_p2[0].totals == forced.totals
    # the road hop does not make the best route's twin an alternative: one per signature
    signatures = [crossings(x) for x in (r, *r.alternatives)]
    assert len(set(signatures)) == len(signatures)
    assert sorted(s[2] for s in signatures) == ["rail", "rail", "road"]


def test_a_road_hop_variant_is_not_listed(make_graph):
    """Starting with a truck to the station instead of rail all the way changes the modes,
    not the option: the same sea crossing by rail is listed once."""
    edges = [*EDGES, ("rail_a_r1", "a", "r1", "rail", 12, 3, 30, 2)]
    G = make_graph(NODES, [e for e in edges if e[0] != "road_a_p1"], PLACES)
    r = route(G, "A", "B", by="cost", modes="rail,road,sea", alternatives=5)
    listed = [r, *r.alternatives]
    assert all("rail_a_r1" not in edge_ids(x) for x in listed)
    assert [crossings(x)[0] for x in listed] == [(("p1", "q"),), (("p2", "q"),)]
    assert r.alternatives_found == 1


def test_a_dominated_alternative_is_dropped(make_graph):
    """Via p2 made slower, dearer and dirtier than via p1: nobody would pick it."""
    worse = [(*e[:5], e[5] + 40, e[6] + 500, e[7] + 300) if e[0] == "sea_p2_q" else e
             for e in EDGES]
    G = make_graph(NODES, worse, PLACES)
    r = route(G, "A", "B", by="cost", modes="rail,road,sea", alternatives=3)
    assert r.alternatives and all(("p2", "q") not in crossings(alt)[0] for alt in r.alternatives)
    # with the original figures the same crossing is listed (it is faster than via p1)
    r = route(make_graph(NODES, EDGES, PLACES), "A", "B", by="cost", modes="rail,road,sea",
              alternatives=3)
    assert any(("p2", "q") in crossings(alt)[0] for alt in r.alternatives)


def test_the_search_stops_when_no_new_route_appears(two_ports):
    """Asking for 10 costs no more than asking for 2 once every distinct route is found."""
    calls = {"n": 0}

    def cost(u: str, v: str, d: dict[str, Any]) -> float:
        calls["n"] += 1
        return d["cost_usd"]

    counts = {}
    for k in (2, MAX_ALTERNATIVES):
        calls["n"] = 0
        r = route(two_ports, "A", "B", by=cost, modes="rail,road,sea", alternatives=k)
        counts[k] = calls["n"]
        assert r.alternatives_found == 2
    assert counts[MAX_ALTERNATIVES] == counts[2]


def test_alternatives_are_capped(two_ports, run):
    with pytest.raises(ValueError, match=f"at most {MAX_ALTERNATIVES}"):
        route(two_ports, "A", "B", alternatives=MAX_ALTERNATIVES + 1)
    result = run("route", "Almaty", "Baku", "--alternatives", "1000000000")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "at most 10" in result.stderr


def test_alternatives_found_in_json_and_table(run):
    result = run("route", "Almaty", "Baku", "--by", "cost", "--alternatives", "1", "--json")
    assert result.exit_code == 0, result.stderr
    d = json.loads(result.stdout)
    # via Kuryk is best; via Aktau by rail and by road are the two others (a box never flies)
    assert d["alternatives_found"] == 2 and len(d["alternatives"]) == 1
    assert run("route", "Almaty", "Baku").stdout.count("alternatives found") == 0
    text = run("route", "Almaty", "Baku", "--by", "cost", "--alternatives", "1").stdout
    assert "2 distinct alternatives found, 1 shown" in text


# ----------------------------------------------------------------- the shipped network
RAIL_ROAD_SEA = "rail,road,sea"


def test_real_dostyk_kars_via_kuryk_is_the_best_route_via_kuryk(real_graph):
    """Russia avoided (by land through it, Kuryk is beaten on time, cost and CO2)."""
    r = route(real_graph, "Dostyk", "Kars", by="cost", modes=RAIL_ROAD_SEA, avoid="RU",
              alternatives=3)
    via_kuryk = [a for a in r.alternatives
                 if [u for u, _ in crossings(a)[0]] == ["kuryk_port_quay"]]
    forced = route(real_graph, "Dostyk", "Kars", by="cost", modes=RAIL_ROAD_SEA,
                   avoid=["aktau_port_quay", "TM", "RU"])
    assert via_kuryk and via_kuryk[0].edges == forced.edges
    assert not set(via_kuryk[0].nodes) & {"kandyagash", "makat", "tbilisi"}  # no detours
    assert "road" not in {leg.mode for leg in via_kuryk[0].legs}  # no truck hop at Alat
    # 3296 USD to Kars station, 3 more for the 2.2-km drive to the city (the last mile)
    assert via_kuryk[0].totals["cost_usd"] == pytest.approx(3299, abs=1)


def test_real_shymkent_tbilisi_does_not_truck_to_aktobe(real_graph):
    """Across the Caspian (Russia avoided) the alternative via Kuryk runs Shalkar–Beyneu
    by rail like the best route via Aktau, instead of trucking north to Aktobe."""
    r = route(real_graph, "Shymkent", "Tbilisi", by="time", modes=RAIL_ROAD_SEA,
              avoid="RU", alternatives=2)
    assert [[u for u, _ in crossings(x)[0]] for x in (r, *r.alternatives)] == [
        ["aktau_port_quay"], ["kuryk_port_quay"]]
    for alt in r.alternatives:
        assert not {"aktobe_road", "aktobe", "kandyagash"} & set(alt.nodes)
        # no truck but the last mile into Tbilisi (from Rustavi: 0.1 h faster than from
        # Tbilisi station, whose transfer includes the drive of 5.7 km to the city)
        assert {leg.mode for leg in alt.legs if leg.to_id != "tbilisi_road"} == {
            "rail", "transfer", "sea", "border"}


@pytest.mark.parametrize(("origin", "destination", "by", "k"), [
    ("Altynkol", "Kars", "cost", 8), ("Aktobe", "Alat", "time", 3),
    ("Almaty", "Baku", "time", 10),
])
def test_real_alternatives_are_distinct_and_unbeaten(real_graph, origin, destination, by, k):
    r = route(real_graph, origin, destination, by=by, modes=RAIL_ROAD_SEA, alternatives=k)
    listed = [r, *r.alternatives]
    signatures = [crossings(x) for x in listed]
    assert len(set(signatures)) == len(signatures)
    for x in r.alternatives:
        assert not any(beaten(x, y) for y in listed if y is not x)
    assert r.alternatives_found >= len(r.alternatives)
