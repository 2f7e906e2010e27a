"""The first and last mile by road: a transfer whose road-side end lies away from the
terminal carries the drive between them (corridor.costs, issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor import load_network, od_matrix, route
from corridor.costs import CostModel, haversine_km
from corridor.data import read_dataset

ROAD = {"circuity": 1.25, "drive_kmh": 50, "usd_per_km": 2, "co2_kg_per_tkm": 0.06}

# the airport lies 0.2475 degrees of longitude (about 20 km) east of the city's road node;
# the station shares the road node's point; the port's rail side is 2.8 km from its quay
TINY = {
    "sources.csv": "id,title,publisher,year,url\nsrc_a,A report,Someone,2024,https://example.org/a\n",
    "places.csv": """id,name,name_az,name_kk,name_ru,aliases,country,lat,lon,source
town,Town,,,,,KZ,43.0,51.0,src_a
""",
    "nodes.csv": """id,name,name_az,name_kk,name_ru,kind,country,lat,lon,place,code,source
town_road,Town (road),,,,road_node,KZ,43.0,51.0,town,,src_a
town_station,Town station,,,,rail_station,KZ,43.0,51.0,town,,src_a
town_airport,Town airport,,,,airport,KZ,43.0,51.2475,town,,src_a
port_rail,Port rail side,,,,terminal,KZ,43.0,50.9,town,,src_a
port_quay,Port quay,,,,port,KZ,43.025,50.9,town,,src_a
""",
    "edges.csv": """id,from,to,mode,distance_km,time_h,time_h_low,time_h_high,cost_usd,capacity,capacity_unit,status,year_open,oneway,source,notes
to_airport,town_road,town_airport,transfer,,6,,,150,,,open,,false,src_a,
to_station,town_station,town_road,transfer,,12,,,100,,,open,,false,src_a,
to_quay,port_rail,port_quay,transfer,,20,,,110,,,open,,true,src_a,
given_km,town_road,port_rail,transfer,9,,,,,,,open,,false,src_a,
rail_line,town_station,port_rail,rail,10,,,,,,,open,,false,src_a,
""",
    "cost_params.csv": "mode,param,value,unit,source,notes\nall,cargo_t,20,t,src_a,\n"
    + "".join(f"road,{p},{v},,src_a,\n" for p, v in ROAD.items())
    + "rail,speed_kmh,30,km/h,src_a,\nrail,usd_per_km,0.4,,src_a,\n"
    + "rail,co2_kg_per_tkm,0.02,,src_a,\ntransfer,fixed_h,4,h,src_a,\n"
    + "transfer,fixed_usd,60,USD,src_a,\n",
}


@pytest.fixture
def town(tmp_path: Path):
    for name, text in TINY.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return load_network(tmp_path)


def test_only_a_road_side_transfer_away_from_its_terminal_drives(town):
    straight = haversine_km(51.0, 43.0, 51.2475, 43.0)
    assert straight == pytest.approx(20.1, abs=0.1)
    km = straight * ROAD["circuity"]
    for u, v in (("town_road", "town_airport"), ("town_airport", "town_road")):
        edge = town.edges[u, v, "to_airport"]
        assert edge["distance_km"] == pytest.approx(km)
        assert edge["time_h"] == pytest.approx(6 + km / ROAD["drive_kmh"])  # no rest
        assert edge["cost_usd"] == pytest.approx(150 + km * ROAD["usd_per_km"])
        assert edge["co2_kg"] == pytest.approx(km * 20 * ROAD["co2_kg_per_tkm"])
    # coincident ends, and a transfer inside one site (no road side), drive nothing
    station = town.edges["town_station", "town_road", "to_station"]
    quay = town.edges["port_rail", "port_quay", "to_quay"]  # 2.8 km apart, no road side
    assert haversine_km(50.9, 43.0, 50.9, 43.025) > 2
    for edge, h, usd in ((station, 12, 100), (quay, 20, 110)):
        assert (edge["distance_km"], edge["time_h"], edge["cost_usd"], edge["co2_kg"]) == (
            0, h, usd, 0)


def test_a_row_that_gives_its_distance_keeps_it(town):
    edge = town.edges["town_road", "port_rail", "given_km"]
    assert edge["distance_km"] == 9
    # the model's handling (fixed_h, fixed_usd) plus the drive of the row's 9 km
    assert edge["time_h"] == pytest.approx(4 + 9 / ROAD["drive_kmh"])
    assert edge["cost_usd"] == pytest.approx(60 + 9 * ROAD["usd_per_km"])


def test_a_drive_of_over_4_5_hours_follows_the_truck_rule():
    model = CostModel.from_rows(read_dataset().cost_params)
    road = model.params("road")
    assert model.access_costs(100)["time_h"] == pytest.approx(100 / road.drive_kmh)
    assert model.access_costs(300)["time_h"] == pytest.approx(road.travel_h(300))
    assert road.travel_h(300) > 300 / road.drive_kmh


# ----------------------------------------------------------------- the shipped network
def test_almaty_baku_air_cargo_drives_to_and_from_the_airports(real_graph):
    model = CostModel.from_rows(read_dataset().cost_params)
    r = route(real_graph, "Almaty", "Baku", by="time", cargo="air", tonnes=2)
    first, last = r.legs[0], r.legs[-1]
    assert (first.from_id, first.to_id) == ("almaty_road", "airport_ala")
    a, b = real_graph.nodes["almaty_road"], real_graph.nodes["airport_ala"]
    km = haversine_km(a["x"], a["y"], b["x"], b["y"]) * model.params("road").circuity
    assert first.distance_km == pytest.approx(km)
    assert km > 15
    handling_usd = 2000 * model.params("transfer").airport_usd_per_kg
    assert first.cost_usd == pytest.approx(handling_usd + km * model.params("road").usd_per_km)
    assert first.time_h == pytest.approx(6 + km / model.params("road").drive_kmh)
    assert (last.to_id, last.mode) == ("baku_road", "transfer") and last.distance_km > 15
    for figure in ("distance_km", "time_h", "cost_usd", "co2_kg"):
        assert r.totals[figure] == pytest.approx(sum(leg.to_dict()[figure] for leg in r.legs))
    matrix = od_matrix(real_graph, ["Almaty"], ["Baku"], by="time", cargo="air", tonnes=2)
    assert matrix.iloc[0, 0] == pytest.approx(r.totals["time_h"])


def test_almaty_tbilisi_by_cost_shows_the_km_of_both_ends(real_graph):
    r = route(real_graph, "Almaty", "Tbilisi", by="cost")
    ends = (r.legs[0], r.legs[-1])
    assert [leg.mode for leg in ends] == ["transfer", "transfer"]
    assert all(leg.distance_km > 5 for leg in ends)
    matrix = od_matrix(real_graph, ["Almaty"], ["Tbilisi"], by="cost", totals=True)
    row = matrix.iloc[0]
    for figure in ("distance_km", "time_h", "cost_usd", "co2_kg"):
        assert row[figure] == pytest.approx(r.totals[figure])
