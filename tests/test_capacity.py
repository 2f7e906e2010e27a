"""Capacity conversion and max-flow / min-cut on tiny graphs with known cuts."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pytest

from corridor import DataError
from corridor.analysis.capacity import (
    CapacityParams,
    bottlenecks,
    capacity_basis,
    capacity_mt,
    read_volumes,
)

PARAMS = CapacityParams(teu_t=10.0, teu_per_train=100.0, days_per_year=365.0)
VOLUMES = [
    {"year": 2023, "kind": "observed", "low_mt": 2.7, "high_mt": 2.8, "source": "s"},
    {"year": 2024, "kind": "observed", "low_mt": 4.5, "high_mt": 4.5, "source": "s"},
]


def corridor_like(*, kuryk_open: bool = True) -> nx.MultiDiGraph:
    """China -> two KZ ports -> Alat -> Georgia, with capacities in mixed units.

    cn -> dostyk (rail 10 Mt) -> aktau (rail, none) -> aktau_q (transfer 3 Mt)
                                 kuryk_rail (rail, none) -> kuryk_q (transfer 100,000 TEU/yr = 1 Mt)
    aktau_q -> alat_q (sea, none); kuryk_q -> alat_q (sea, none)
    alat_q -> alat (transfer 15 Mt) -> ge (rail 20 trains/day x 100 TEU x 10 t = 7.3 Mt)
    Min cut: the two port quays, 3 + 1 = 4 Mt (Aktau's 3 Mt is written on both its rail-side
    and road-side transfer edges and counted once).
    """
    G = nx.MultiDiGraph(crs="EPSG:4326", places={"kuryk": {"id": "kuryk"}})
    nodes = {"cn": ("CN", "border"), "dostyk": ("KZ", "border"), "aktau": ("KZ", "rail_station"),
             "aktau_q": ("KZ", "port"), "aktau_road": ("KZ", "road_node"), "kuryk_rail": ("KZ", "rail_station"),
             "kuryk_q": ("KZ", "port"), "alat_q": ("AZ", "port"), "alat": ("AZ", "rail_station"),
             "ge": ("GE", "border")}
    for n, (country, kind) in nodes.items():
        G.add_node(n, name=n.title(), country=country, kind=kind,
                   place="kuryk" if n.startswith("kuryk") else None)

    def edge(key, u, v, mode, cap=None, unit=None, status="open", year=None):
        for a, b in ((u, v), (v, u)):
            G.add_edge(a, b, key=key, id=key, mode=mode, capacity=cap, capacity_unit=unit,
                       status=status, year_open=year, source="test")

    edge("cn_dostyk", "cn", "dostyk", "border", 10, "Mt/yr")
    edge("rail_aktau", "dostyk", "aktau", "rail")
    edge("rail_kuryk", "dostyk", "kuryk_rail", "rail")
    edge("aktau_handling", "aktau", "aktau_q", "transfer", 3, "Mt/yr")
    # the road side of the same quay repeats the port's 3 Mt: shared, not added
    edge("aktau_rail_road", "aktau", "aktau_road", "transfer")
    edge("aktau_handling_road", "aktau_road", "aktau_q", "transfer", 3, "Mt/yr")
    if kuryk_open:
        edge("kuryk_handling", "kuryk_rail", "kuryk_q", "transfer", 100_000, "TEU/yr")
    edge("sea_aktau", "aktau_q", "alat_q", "sea")
    edge("sea_kuryk", "kuryk_q", "alat_q", "sea")
    edge("alat_handling", "alat_q", "alat", "transfer", 15, "Mt/yr")
    edge("rail_ge", "alat", "ge", "rail", 20, "trains/day")
    edge("air", "cn", "ge", "air")  # unbounded, but air is not counted by default
    edge("new_ferry", "dostyk", "alat_q", "sea", 5, "Mt/yr", status="planned", year=2030)
    return G


def test_capacity_units():
    assert capacity_mt({"capacity": 4.1, "capacity_unit": "Mt/yr"}, PARAMS) == 4.1
    assert capacity_mt({"capacity": 240_000, "capacity_unit": "TEU/yr"}, PARAMS) == 2.4
    assert capacity_mt({"capacity": 760, "capacity_unit": "TEU/day"}, PARAMS) == pytest.approx(
        760 * 365 * 10 / 1e6)
    assert capacity_mt({"capacity": 2, "capacity_unit": "trains/day"}, PARAMS) == pytest.approx(
        0.73)
    assert capacity_mt({"capacity": 1e6, "capacity_unit": "pax/yr"}, PARAMS) is None
    assert capacity_mt({"capacity": None}, PARAMS) is None
    with pytest.raises(ValueError, match="unknown capacity unit"):
        capacity_mt({"capacity": 1, "capacity_unit": "boxes"}, PARAMS)


def test_known_min_cut():
    b = bottlenecks(corridor_like(), ["cn"], ["ge"], params=PARAMS, volumes=VOLUMES)
    assert b.max_flow_mt == pytest.approx(4.0)
    assert [e["id"] for e in b.cut] == ["kuryk_q", "aktau_q"]
    assert [e["capacity_mt"] for e in b.cut] == pytest.approx([1.0, 3.0])
    assert b.cut[1]["edges"] == ["aktau_handling", "aktau_handling_road"]
    assert b.limiting["id"] == "kuryk_q"
    assert b.flows["aktau_q", "port"] == pytest.approx(3.0)
    v2024 = next(v for v in b.volumes if v["year"] == 2024)
    assert v2024["ratio"] == pytest.approx(4 / 4.5)
    assert v2024["headroom_mt"] == pytest.approx(-0.5)
    v2023 = next(v for v in b.volumes if v["year"] == 2023)
    assert v2023["ratio"] == pytest.approx(4 / 2.75)


def test_port_capacity_counted_per_edge_when_asked():
    b = bottlenecks(corridor_like(), ["cn"], ["ge"], params=PARAMS, volumes=VOLUMES,
                    shared_ports=False)
    assert b.max_flow_mt == pytest.approx(7.0)
    assert {e["id"] for e in b.cut} == {"kuryk_handling", "aktau_handling",
                                        "aktau_handling_road"}


def test_default_sources_and_sinks_by_country():
    b = bottlenecks(corridor_like(), params=PARAMS, volumes=VOLUMES)
    assert b.sources == ["cn"] and b.sinks == ["ge"]
    assert b.max_flow_mt == pytest.approx(4.0)


def test_closing_a_port_and_opening_a_line():
    b = bottlenecks(corridor_like(kuryk_open=False), params=PARAMS, volumes=VOLUMES)
    assert b.max_flow_mt == pytest.approx(3.0)
    assert [e["id"] for e in b.cut] == ["aktau_q"]
    # in 2030 a planned 5 Mt ferry opens: the cut moves to the Georgian rail (7.3 Mt)
    b30 = bottlenecks(corridor_like(), params=PARAMS, volumes=VOLUMES, year=2030)
    assert b30.max_flow_mt == pytest.approx(7.3)
    assert [e["id"] for e in b30.cut] == ["rail_ge"]


def test_a_blank_year_open_from_a_table_counts_as_no_year():
    """NaN (a blank cell of a DataFrame) in year_open is "no year", as routing reads it."""
    G = corridor_like()
    for _, _, d in G.edges(data=True):
        if d["year_open"] is None:
            d["year_open"] = math.nan
    b30 = bottlenecks(G, params=PARAMS, volumes=VOLUMES, year=2030)
    assert b30.max_flow_mt == pytest.approx(7.3)
    assert [e["id"] for e in b30.cut] == ["rail_ge"]


def test_an_unknown_capacity_unit_is_a_data_error_naming_the_field():
    G = corridor_like()
    for _, _, k, d in G.edges(keys=True, data=True):
        if k == "aktau_handling":
            d["capacity_unit"] = "Mt/year"
    with pytest.raises(DataError) as info:
        bottlenecks(G, params=PARAMS, volumes=VOLUMES)
    assert info.value.field == "capacity_unit"
    assert "Mt/year" in str(info.value) and "aktau_handling" in str(info.value)


def test_unbounded_flow_is_reported():
    b = bottlenecks(corridor_like(), ["cn"], ["ge"], modes=("rail", "sea", "air"),
                    params=PARAMS, volumes=VOLUMES)
    assert math.isinf(b.max_flow_mt)
    assert b.unbounded_path == ["cn", "ge"]
    assert b.to_dict()["max_flow_mt"] is None and b.to_dict()["unbounded"]
    assert all(v["ratio"] is None for v in b.volumes)


def test_sources_by_place_and_errors():
    G = corridor_like()
    b = bottlenecks(G, "kuryk", ["ge"], params=PARAMS, volumes=VOLUMES)
    assert set(b.sources) == {"kuryk_rail", "kuryk_q"}
    with pytest.raises(ValueError, match="not a node id"):
        bottlenecks(G, ["atlantis"], ["ge"], params=PARAMS, volumes=VOLUMES)
    with pytest.raises(ValueError, match="both sources and sinks"):
        bottlenecks(G, ["ge"], ["ge"], params=PARAMS, volumes=VOLUMES)


def test_disconnected_gives_zero():
    G = corridor_like()
    G.remove_edges_from([e for e in G.edges(keys=True) if e[2] == "alat_handling"])
    b = bottlenecks(G, ["cn"], ["ge"], params=PARAMS, volumes=VOLUMES)
    assert b.max_flow_mt == 0 and b.cut == []


def _sources(folder: Path) -> None:
    (folder / "sources.csv").write_text("id,title,publisher,year,url\nwb,T,P,2023,u\n",
                                        encoding="utf-8")


def test_volumes_and_params_files(tmp_path):
    _sources(tmp_path)
    (tmp_path / "volumes.csv").write_text(
        "year,kind,low_mt,high_mt,source,notes\n2023,observed,2.7,2.8,wb,\n2030,potential,11,,wb,\n",
        encoding="utf-8")
    rows = read_volumes(tmp_path / "volumes.csv")
    assert rows[0]["year"] == 2023 and rows[1]["high_mt"] == 11
    (tmp_path / "capacity_params.csv").write_text(
        "param,value,unit,source,notes\nteu_t,12,t/TEU,wb,\n", encoding="utf-8")
    assert CapacityParams.from_file(tmp_path / "capacity_params.csv").teu_t == 12


@pytest.mark.parametrize(("body", "field"), [
    ("2023,seen,2.7,2.8,wb,\n", "kind"),
    ("2023,observed,2.9,2.8,wb,\n", "high_mt"),
    ("2023,observed,,2.8,wb,\n", "low_mt"),
    ("2023,observed,2.7,2.8,who,\n", "source"),
])
def test_bad_volumes(tmp_path, body, field):
    _sources(tmp_path)
    path = tmp_path / "volumes.csv"
    path.write_text("year,kind,low_mt,high_mt,source,notes\n" + body, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_volumes(path)
    assert info.value.field == field and info.value.row == 1


def test_bad_capacity_param(tmp_path):
    _sources(tmp_path)
    path = tmp_path / "capacity_params.csv"
    path.write_text("param,value,unit,source,notes\nteu_kg,12,t,wb,\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown parameter") as info:
        CapacityParams.from_file(path)
    assert info.value.field == "param"


# ------------------------------------------------------------------ QA #12 / #13
def test_flow_over_links_without_capacity_is_reported():
    b = bottlenecks(corridor_like(), ["cn"], ["ge"], params=PARAMS, volumes=VOLUMES)
    # every path of the 4 Mt runs over the Kazakh rail lines, which have no capacity data
    assert b.uncapped_flow_mt == pytest.approx(4.0)
    assert {"rail_aktau", "rail_kuryk", "sea_aktau", "sea_kuryk"} <= set(b.uncapped_edges)
    assert "cn_dostyk" not in b.uncapped_edges
    out = b.to_dict()
    assert out["uncapped_flow_mt"] == pytest.approx(4.0) and out["connected"] is True


def test_fully_capped_flow_has_no_uncapped_part():
    G = nx.MultiDiGraph(places={})
    for n, c in (("a", "CN"), ("b", "KZ"), ("c", "GE")):
        G.add_node(n, country=c, kind="rail_station", name=n)
    G.add_edge("a", "b", key="ab", id="ab", mode="rail", capacity=2, capacity_unit="Mt/yr",
               status="open")
    G.add_edge("b", "c", key="bc", id="bc", mode="rail", capacity=1, capacity_unit="Mt/yr",
               status="open")
    b = bottlenecks(G, params=PARAMS, volumes=VOLUMES)
    assert b.max_flow_mt == pytest.approx(1.0)
    assert b.uncapped_flow_mt == 0 and b.uncapped_edges == []


def test_no_path_is_flagged_not_connected():
    b = bottlenecks(corridor_like(), ["cn"], ["ge"], modes=("road",), params=PARAMS,
                    volumes=VOLUMES)
    assert b.max_flow_mt == 0 and not b.connected and b.to_dict()["connected"] is False


def test_sources_and_sinks_by_place_name_in_any_language():
    G = corridor_like()
    G.graph["places"] = {
        "kuryk": {"id": "kuryk", "name": "Kuryk", "names": {"en": "Kuryk", "kk": "Құрық"},
                  "aliases": [], "country": "KZ", "x": 51.7, "y": 43.2},
    }
    for _, d in G.nodes(data=True):
        d["names"] = {"en": d["name"]}
    by_id = bottlenecks(G, "kuryk", ["ge"], params=PARAMS, volumes=VOLUMES)
    by_name = bottlenecks(G, "Құрық", ["ge"], params=PARAMS, volumes=VOLUMES)
    assert set(by_name.sources) == set(by_id.sources) == {"kuryk_rail", "kuryk_q"}
    assert by_name.max_flow_mt == pytest.approx(by_id.max_flow_mt)
    with pytest.raises(ValueError, match="not a node id"):
        bottlenecks(G, ["Atlantis"], ["ge"], params=PARAMS, volumes=VOLUMES)


# ------------------------------------------------------------------ issue 12: capacity that means something
def test_links_without_capacity_are_listed_as_assumed():
    b = bottlenecks(corridor_like(), ["cn"], ["ge"], params=PARAMS, volumes=VOLUMES)
    # the Kazakh rail lines and the sailings have no capacity: the 4 Mt rests on them
    assert {"rail_aktau", "rail_kuryk", "sea_aktau", "sea_kuryk"} <= set(b.assumed)
    # a port's handling edges are capped at the quay, so they are not assumed
    assert not {"aktau_handling", "aktau_handling_road", "kuryk_handling"} & set(b.assumed)
    assert b.to_dict()["assumed"] == b.assumed


def test_cut_says_whether_a_capacity_is_published_or_estimated():
    G = corridor_like()
    for _, _, k, d in G.edges(keys=True, data=True):
        if k == "aktau_handling":
            d["source"] = "port_aktau;estimate:capacity_as_its_port"
    b = bottlenecks(G, ["cn"], ["ge"], params=PARAMS, volumes=VOLUMES)
    basis = {e["id"]: e["basis"] for e in b.cut}
    assert basis == {"kuryk_q": "published", "aktau_q": "estimate:capacity_as_its_port"}
    assert capacity_basis({"source": "a;estimate:x;estimate:capacity_rule"}) == \
        "estimate:capacity_rule"


@pytest.fixture(scope="module")
def shipped():
    from corridor import load_network

    return load_network()


def test_every_corridor_link_of_the_shipped_data_has_a_capacity(shipped):
    corridor_countries = {"KZ", "AZ", "TM"}

    def on_rail(node: str) -> bool:
        return any(d["mode"] == "rail" for _, _, d in shipped.edges(node, data=True))

    missing = []
    for u, v, k, d in shipped.edges(keys=True, data=True):
        ends = {shipped.nodes[u]["country"], shipped.nodes[v]["country"]}
        carries = (d["mode"] in ("rail", "sea") and ends <= corridor_countries) or (
            d["mode"] == "border" and ends in ({"CN", "KZ"}, {"KZ", "TM"}, {"AZ", "GE"})
            and on_rail(u) and on_rail(v))
        if carries and capacity_mt(d) is None:
            missing.append(k)
    assert missing == []


@pytest.mark.parametrize("year", [None, 2024])
def test_shipped_flow_assumes_no_link(shipped, year):
    b = bottlenecks(shipped, year=year)
    assert math.isfinite(b.max_flow_mt) and b.max_flow_mt > 0
    assert b.assumed == [] and b.uncapped_flow_mt == 0
    assert all(e["basis"] for e in b.cut)


def test_shipped_2030_scenario_assumes_no_link(shipped):
    from corridor import apply_scenario

    b = bottlenecks(apply_scenario(shipped, "2030"), year=2030)
    assert b.assumed == [] and math.isfinite(b.max_flow_mt)


# ------------------------------------------------------------------ issue 12: 2030 capacity from published plans
SECOND_TRACKS = ("rail_shalkar_beyneu_second_track", "rail_beyneu_mangystau_second_track",
                 "rail_mangystau_aktau_port_rail_second_track",
                 "rail_mangystau_yeraliyevo_second_track",
                 "rail_yeraliyevo_kuryk_port_rail_second_track")


@pytest.fixture(scope="module")
def shipped_2030(shipped):
    from corridor import apply_scenario

    return apply_scenario(shipped, "2030")


def _cut(b) -> list[tuple[str, float]]:
    return [(e["id"], round(e["capacity_mt"], 2)) for e in b.cut]


def test_planned_second_tracks_open_in_2030_only(shipped, shipped_2030):
    def status(G):
        return {k: (d["status"], d["year_open"]) for _, _, k, d in G.edges(keys=True, data=True)
                if k in SECOND_TRACKS}

    assert status(shipped) == dict.fromkeys(SECOND_TRACKS, ("planned", 2030))
    assert status(shipped_2030) == dict.fromkeys(SECOND_TRACKS, ("open", 2030))
    # a single track carries 25 Mt/yr of all freight, both tracks 80 (as KTZ's Almaty-1–Shu)
    today = bottlenecks(shipped, ["beyneu"], ["mangystau"])
    later = bottlenecks(shipped_2030, ["beyneu"], ["mangystau"], year=2030)
    assert today.max_flow_mt == pytest.approx(25.0)
    assert later.max_flow_mt == pytest.approx(80.0)
    assert {e["id"] for e in later.cut} == {"rail_beyneu_mangystau",
                                            "rail_beyneu_mangystau_second_track"}


# ------------------------------------------------------------------ issue 12: rail in freight tonnes, the ferry fleet once
CORRIDOR_COUNTRIES = {"KZ", "AZ", "TM"}
DOSTYK_MOYINTY = {"rail_dostyk_aktogay", "rail_aktogay_sayak", "rail_sayak_balkhash",
                  "rail_balkhash_moyinty", "rail_dostyk_moyinty_second_track"}
FERRY_LINES = ("sea_kuryk_alat", "sea_turkmenbashi_alat")


def _corridor_rail(G) -> dict[str, dict]:
    return {k: d for u, v, k, d in G.edges(keys=True, data=True) if d["mode"] == "rail"
            and {G.nodes[u]["country"], G.nodes[v]["country"]} <= CORRIDOR_COUNTRIES}


def test_rail_capacities_are_freight_tonnes_except_dostyk_moyinty_train_counts(shipped):
    rail = _corridor_rail(shipped)
    # only Dostyk–Moyinty keeps its published train counts (12 pairs a day, 60 with both tracks)
    assert {k for k, d in rail.items() if d["capacity_unit"] != "Mt/yr"} == DOSTYK_MOYINTY
    rule = {k: capacity_mt(d) for k, d in rail.items()
            if "estimate:capacity_single_track_25mt_as_almaty_shu" in d["source"]}
    assert len(rule) > 50 and set(rule.values()) == {25.0}
    # Almaty-1–Shu itself: KTZ's 80 Mt/yr with its second track (2017), published
    almaty_shu = rail["rail_almaty_1_shu"]
    assert capacity_mt(almaty_shu) == 80.0 and capacity_basis(almaty_shu) == "published"
    assert capacity_mt(rail["rail_bakhty_ayagoz"]) == 20.0


def test_the_rail_ferry_fleet_is_counted_once(shipped, shipped_2030):
    def fleet(G):
        caps = {k: capacity_mt(d) for _, _, k, d in G.edges(keys=True, data=True) if k in FERRY_LINES}
        return sum(caps.values()), caps["sea_kuryk_alat"] / sum(caps.values())

    total, kuryk_share = fleet(shipped)
    assert total == pytest.approx(4.5, abs=0.005)  # pem_caspian_ferries: the whole fleet
    assert kuryk_share == pytest.approx(60 / (60 + 143 / 5), abs=0.002)  # by the 2023 sailings
    # ASCO's third Ro-Pax counted as an average ferry of a fleet of 25: x 26/25, same split
    total_2030, share_2030 = fleet(shipped_2030)
    assert total_2030 == pytest.approx(4.5 * 26 / 25, abs=0.005)
    assert share_2030 == pytest.approx(kuryk_share, abs=0.002)


def test_today_the_caspian_crossing_binds(shipped):
    b = bottlenecks(shipped)
    assert _cut(b) == [("sea_aktau_alat", 0.89), ("sea_turkmenbashi_alat", 1.45),
                       ("sea_kuryk_alat", 3.05)]
    assert b.max_flow_mt == pytest.approx(5.39, abs=0.005)
    assert b.max_flow_mt >= 4.5  # at least the 4.5 Mt carried in 2024
    assert bottlenecks(shipped, year=2024).max_flow_mt == pytest.approx(b.max_flow_mt)
    assert b.flows["beyneu", "mangystau"] == pytest.approx(b.max_flow_mt)
    assert {e["basis"] for e in b.cut if e["id"] in FERRY_LINES} == {
        "estimate:capacity_fleet_split_by_2023_sailings"}


def test_2030_the_caspian_still_binds_below_the_world_banks_11_mt(shipped_2030):
    b = bottlenecks(shipped_2030, year=2030)
    # feeders capped by Aktau's 240k TEU hub; the rail-ferry fleet with ASCO's third Ro-Pax
    assert _cut(b) == [("sea_turkmenbashi_alat", 1.51), ("sea_aktau_alat", 2.4),
                       ("sea_kuryk_alat", 3.17)]
    assert b.max_flow_mt == pytest.approx(7.08, abs=0.005)


@pytest.mark.parametrize(("scenario", "year", "cut"), [
    (None, None, [("alat_port_quay", 15.0)]),
    ("2030", 2030, [("rail_serhetyaka_bereket", 3.0), ("kuryk_port_quay", 4.1),
                    ("aktau_port_quay", 11.0)]),
])
def test_with_unlimited_sailings_the_ports_bind_not_the_rail(shipped, scenario, year, cut):
    from corridor import apply_scenario

    G = apply_scenario(shipped, scenario) if scenario else shipped.copy()
    for _, _, d in G.edges(data=True):
        if d["mode"] == "sea":
            d["capacity"] = None
    assert _cut(bottlenecks(G, year=year)) == cut


def test_russia_is_left_out_unless_asked(shipped_2030):
    default = bottlenecks(shipped_2030, year=2030)
    assert default.avoided and {shipped_2030.nodes[n]["country"] for n in default.avoided} == {"RU"}
    # the data hold no rail link through Russia around the Caspian: crossing it adds nothing
    across = bottlenecks(shipped_2030, year=2030, avoid=())
    assert across.avoided == [] and across.max_flow_mt == pytest.approx(default.max_flow_mt)
    # a Russian sink is reached only with avoid=(), over links that have no capacity data
    assert not bottlenecks(shipped_2030, None, ["astrakhan"], year=2030).connected
    to_russia = bottlenecks(shipped_2030, None, ["astrakhan"], year=2030, avoid=())
    assert "rail_aksaraiskaya_astrakhan" in to_russia.assumed
