"""The cost model's rules, each on numbers worked out by hand (corridor.costs)."""

from __future__ import annotations

import shutil

import pytest

from corridor._errors import DataError
from corridor.costs import (
    CostModel,
    ModeParams,
    cargo_graph,
    cargo_profile,
    read_cargo_profiles,
    road_time_h,
)
from corridor.data import data_dir, read_dataset


def rows(*params: tuple[str, str, float]) -> list[dict]:
    return [{"mode": m, "param": p, "value": v, "source": "test"} for m, p, v in params]


AETR = (("road", "drive_kmh", 60), ("road", "drive_h_per_day", 9), ("road", "break_every_h", 4.5),
        ("road", "break_h", 0.75), ("road", "rest_h", 11))


# ----------------------------------------------------------------- road: driving-time rule
def test_a_day_of_driving_takes_the_break_and_the_rest():
    p = ModeParams(drive_kmh=60)
    # 9 h at 60 km/h = 540 km: 9 h driving + one 45-min break + 11 h rest = 20.75 h
    assert road_time_h(540, p) == pytest.approx(20.75)
    assert road_time_h(1080, p) == pytest.approx(41.5)


def test_road_edges_follow_the_rule_from_the_parameter_file():
    model = CostModel.from_rows(rows(*AETR, ("road", "speed_kmh", 100)))
    # drive_kmh replaces speed_kmh: 270 km = 4.5 h driving -> 10.375 h with breaks and rest
    assert model.edge_costs("road", line_km=0, distance_km=270)["time_h"] == pytest.approx(
        270 / 60 * 20.75 / 9)


def test_shipped_trucks_average_the_carec_speed_with_delay():
    model = CostModel.from_rows(read_dataset().cost_params)
    time_h = model.edge_costs("road", line_km=0, distance_km=2000)["time_h"]
    assert time_h >= 2000 / 25  # not 960 km a day
    assert 2000 / time_h == pytest.approx(23.4, abs=0.1)  # CAREC road speed with delay


# ----------------------------------------------------------------- air: connection, weight
def test_each_flight_waits_the_connection_time_and_is_priced_by_weight():
    model = CostModel.from_rows(rows(("air", "speed_kmh", 750), ("air", "fixed_h", 1),
                                     ("air", "connection_h", 4), ("air", "usd_per_kg", 1.25),
                                     ("air", "usd_per_tkm", 0.4)), cargo_t=2)
    f = model.edge_costs("air", line_km=1500)
    assert f["time_h"] == pytest.approx(1 + 4 + 2)  # fixed + connection + 1500 km / 750 km/h
    assert f["cost_usd"] == pytest.approx(2 * (1000 * 1.25 + 0.4 * 1500))


def test_unknown_parameter_is_a_data_error():
    with pytest.raises(DataError, match=r"unknown parameter road\.speed_mph"):
        CostModel.from_rows(rows(("road", "speed_mph", 30)))


# ----------------------------------------------------------------- cargo profiles
def small(make_graph):
    return make_graph(
        [("city", "road_node", "KZ", 51.0, 43.6, None), ("a", "airport", "KZ", 51.1, 43.7, None),
         ("b", "airport", "AZ", 50.0, 40.4, None), ("r", "rail_station", "AZ", 50.1, 40.4, None)],
        [("access", "city", "a", "transfer", 20, 6, 180, 25),
         ("flight", "a", "b", "air", 1000, 6, 9999, 15000),
         ("rail", "b", "r", "rail", 10, 1, 40, 4),
         ("truck", "city", "r", "road", 100, 8, 150, 124)],
    )


def test_air_cargo_is_priced_per_kg_and_keeps_one_truck(make_graph):
    G = small(make_graph)
    G.graph["cargo_t"] = 20.0
    air = cargo_profile(G, "air")
    p = CostModel.from_rows(read_dataset().cost_params)
    H = cargo_graph(G, "air", tonnes=2)
    assert H is not G and H.graph["cargo"] == "air" and H.graph["cargo_t"] == 2
    flight = H["a"]["b"]["flight"]
    assert flight["cost_usd"] == pytest.approx(p.params("air").weight_usd(1000, 2))
    assert flight["co2_kg"] == pytest.approx(15000 * 2 / 20)
    assert flight["time_h"] == 6  # times do not depend on the cargo
    handling = p.params("transfer").airport_usd_per_kg
    # handling per kg, plus the 20-km drive to the airport by one truck
    assert H["city"]["a"]["access"]["cost_usd"] == pytest.approx(
        2000 * handling + 20 * p.params("road").usd_per_km)
    assert H["city"]["r"]["truck"]["cost_usd"] == 150  # one truck whatever the mass
    assert G["a"]["b"]["flight"]["cost_usd"] == 9999  # the graph itself is unchanged
    assert air.modes == {"air", "road"}
    assert cargo_graph(G, "air", tonnes=2) is H  # cached


def test_teu_scales_the_container_figures(make_graph):
    G = small(make_graph)
    G.graph["cargo_t"] = 20.0
    teu = cargo_profile(G, "teu")
    H = cargo_graph(G, "teu")
    truck = H["city"]["r"]["truck"]
    assert truck["cost_usd"] == pytest.approx(150 * teu.cost_factor)
    assert truck["co2_kg"] == pytest.approx(124 * teu.mass_t / 20)
    assert cargo_graph(G) is G  # the default FEU needs no copy


def test_unknown_cargo_and_bad_tonnes(make_graph):
    G = small(make_graph)
    with pytest.raises(ValueError, match="unknown cargo 'box'; choose one of feu, teu, air"):
        cargo_graph(G, "box")
    with pytest.raises(ValueError, match="tonnes must be a number > 0, got -1"):
        cargo_graph(G, "air", tonnes=-1)
    with pytest.raises(TypeError, match="tonnes"):
        cargo_graph(G, "air", tonnes="2")
    with pytest.raises(TypeError, match="cargo"):
        cargo_graph(G, 40)


def test_profile_file_errors_name_file_row_and_field(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(data_dir(), folder)
    path = folder / "cargo_profiles.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("rail;road;sea", "rail;boat")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_cargo_profiles(folder)
    assert (info.value.row, info.value.field) == (2, "modes")
    assert info.value.file.endswith("cargo_profiles.csv")
