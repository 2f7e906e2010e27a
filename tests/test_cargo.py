"""Shipments on the real network: what a planner checks first (issue 12)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from corridor import cli
from corridor._errors import NoRouteError
from corridor.costs import CostModel
from corridor.data import read_dataset
from corridor.maps import route_table_html
from corridor.routing import pareto, route

MOVING = ("rail", "road", "sea", "air")


def moving_modes(r) -> list[str]:
    return [leg.mode for leg in r.legs if leg.mode in MOVING]


def test_baku_ganja_by_time_is_by_road(real_graph):
    r = route(real_graph, "Baku", "Ganja", by="time")
    assert moving_modes(r) == ["road"]
    assert (r.origin["kind"], r.destination["kind"]) == ("road_node", "road_node")


def test_no_default_itinerary_from_kazakhstan_to_azerbaijan_flies(real_graph):
    places = real_graph.graph["places"]
    kz = [p for p, d in places.items() if d["country"] == "KZ"]
    az = [p for p, d in places.items() if d["country"] == "AZ"]
    found = 0
    for origin in kz:
        for destination in az:
            try:
                r = route(real_graph, origin, destination, by="time")
            except NoRouteError:  # Nakhchivan has no surface link; planned lines are closed
                continue
            found += 1
            assert "air" not in moving_modes(r), (origin, destination)
    assert found > len(kz) * len(az) * 0.8


def test_explicit_air_for_a_container_is_refused(real_graph):
    with pytest.raises(ValueError, match=r"cargo 'feu'.*cannot go by air"):
        route(real_graph, "Almaty", "Baku", modes="air")


def test_air_cargo_goes_by_road_to_and_from_the_airports(real_graph):
    # neither Kuryk nor Alat has an airport: trucks to Aktau and from Baku airports
    r = route(real_graph, "Kuryk", "Alat", by="time", cargo="air", tonnes=1)
    kinds = [(real_graph.nodes[leg.from_id]["kind"], leg.mode) for leg in r.legs]
    assert moving_modes(r)[0] == "road" and moving_modes(r)[-1] == "road"
    assert "air" in moving_modes(r)
    assert ("airport", "air") in kinds
    handled = [leg for leg in r.legs if leg.mode == "transfer"]
    assert len(handled) >= 2 and all(leg.cost_usd > 0 and leg.time_h > 0 for leg in handled)


def test_a_change_of_plane_costs_the_connection_time(real_graph):
    air = CostModel.from_rows(read_dataset().cost_params).params("air")
    r = route(real_graph, "Atyrau", "Ganja", by="time", cargo="air")
    flights = [leg for leg in r.legs if leg.mode == "air"]
    assert len(flights) >= 2
    assert air.connection_h > 0
    for leg in flights:
        assert leg.time_h == pytest.approx(
            air.connection_h + air.fixed_h + leg.distance_km / air.speed_kmh)


def test_air_cargo_cost_follows_its_weight(real_graph):
    one = route(real_graph, "Almaty", "Baku", by="time", cargo="air", tonnes=1)
    two = route(real_graph, "Almaty", "Baku", by="time", cargo="air", tonnes=2)
    flight = [leg for leg in one.legs if leg.mode == "air"]
    flight2 = [leg for leg in two.legs if leg.mode == "air"]
    assert flight2[0].cost_usd == pytest.approx(2 * flight[0].cost_usd)
    assert one.query["tonnes"] == 1 and two.query["tonnes"] == 2


def test_china_kazakhstan_rail_border_is_counted_once(real_graph):
    for origin, destination in (("alashankou", "dostyk"), ("khorgos_cn_rail", "altynkol")):
        r = route(real_graph, origin, destination, by="time", modes="rail")
        (border,) = [leg for leg in r.legs if leg.mode == "border"]
        # one crossing, one CAREC dwell: below the 40.6 h regional average of a rail crossing,
        # not China outbound plus Kazakh inbound (about 90 h)
        assert border.time_h < 40.6


def test_china_to_the_caspian_and_georgia_as_published(real_graph):
    to_alat = route(real_graph, "khorgos_cn_rail", "Alat", by="time")
    to_poti = route(real_graph, "Alashankou", "Poti", by="time")
    assert to_alat.totals["time_h"] / 24 <= 10.5  # 8-10 days China -> Azerbaijan
    assert 10 <= to_poti.totals["time_h"] / 24 <= 12.5  # about 12 days to the Georgian ports


def test_a_long_road_leg_takes_the_daily_rests(real_graph):
    r = route(real_graph, "nur_zholy", "aral_road", by="time", modes="road")
    (leg,) = r.legs
    assert leg.distance_km > 1900
    assert leg.time_h >= leg.distance_km / 25


def test_khorgos_aktau_by_surface_does_not_truck_across_kazakhstan(real_graph):
    r = route(real_graph, "Khorgos", "Aktau", by="time", modes="rail,road,sea")
    road_km = sum(leg.distance_km for leg in r.legs if leg.mode == "road")
    assert road_km < 500


def test_kuryk_alat_by_cost_sails_from_kuryk(real_graph):
    r = route(real_graph, "Kuryk", "Alat", by="cost")
    (sea,) = [leg for leg in r.legs if leg.mode == "sea"]
    assert sea.from_id == "kuryk_port_quay"


def test_readme_avoid_kuryk_example_is_a_surface_route(real_graph):
    r = route(real_graph, "Almaty", "Tbilisi", avoid=["Kuryk", "RU"], year=2030)
    assert "air" not in moving_modes(r)
    assert not any(leg.from_id.startswith("kuryk") for leg in r.legs)
    assert r.totals["cost_usd"] < 10_000


def test_pareto_front_has_no_repeated_members(real_graph):
    for origin, destination in (("Dostyk", "Alat"), ("Dostyk", "Aktau"), ("Dostyk", "Poti")):
        front = pareto(real_graph, origin, destination)
        keys = [(tuple(round(r.totals[f], 1) for f in r.totals),
                 tuple(leg.mode for leg in r.legs)) for r in front]
        assert len(keys) == len(set(keys)), (origin, destination)


def test_teu_costs_less_than_feu_on_the_same_path(real_graph):
    feu = route(real_graph, "Altynkol", "Alat", by="cost")
    teu = route(real_graph, "Altynkol", "Alat", by="cost", cargo="teu")
    assert teu.edges == feu.edges
    assert teu.totals["cost_usd"] < feu.totals["cost_usd"]
    assert teu.totals["co2_kg"] == pytest.approx(feu.totals["co2_kg"] / 2)


# ----------------------------------------------------------------- command line
def invoke(*args: str):
    return CliRunner().invoke(cli.app, list(args))


def test_json_echoes_the_query(real_graph):
    result = invoke("route", "Almaty", "Tbilisi", "--avoid", "Kuryk", "--avoid", "RU",
                    "--year", "2030", "--json")
    assert result.exit_code == 0, result.stderr
    q = json.loads(result.stdout)["query"]
    assert q["cargo"] == "feu" and q["tonnes"] == 20 and q["modes"] == ["rail", "road", "sea"]
    assert q["year"] == 2030 and q["avoid"] == ["Kuryk", "RU"] and q["scenario"] is None
    assert q["origin"] == {"asked": "Almaty", "node": "almaty_road", "name": "Almaty (road)"}
    assert q["destination"]["asked"] == "Tbilisi" and q["destination"]["node"] == "tbilisi_road"


def test_table_starts_with_the_query_line(real_graph):
    result = invoke("route", "Atyrau", "Ganja", "--cargo", "air", "--tonnes", "2")
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("query: cargo air (2 t); modes air,road")


def test_cli_refuses_a_flying_container():
    result = invoke("route", "Baku", "Ganja", "--modes", "air")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "cannot go by air" in result.stderr and "--cargo air" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_unknown_cargo_is_bad_input():
    result = invoke("route", "Baku", "Ganja", "--cargo", "crate")
    assert result.exit_code == 2
    assert "unknown cargo 'crate'; choose one of feu, teu, air" in result.stderr


def test_od_matrix_prices_and_places_as_route_does(real_graph):
    from corridor.routing import od_matrix

    names = ["Baku", "Ganja", "Almaty", "Kuryk", "Alat", "Atyrau"]
    for cargo in (None, "air"):
        long = od_matrix(real_graph, names, names, by="cost", totals=True, cargo=cargo)
        for row in long.itertuples():
            if row.origin == row.destination:
                continue
            r = route(real_graph, row.origin, row.destination, by="cost", cargo=cargo)
            assert row.cost_usd == pytest.approx(r.totals["cost_usd"]), (cargo, row)
            assert (row.origin_node, row.destination_node) == (r.origin["id"],
                                                               r.destination["id"])


def test_html_table_echoes_the_query(real_graph):
    r = route(real_graph, "Baku", "Ganja")
    assert r.query_line() in route_table_html(r)
    assert r.query_line().startswith("query: cargo feu (20 t); modes rail,road,sea |")
