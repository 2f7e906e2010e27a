"""``data/references.csv``: a valid suite of published figures covering the whole corridor."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corridor import DataError, load_network
from corridor.analysis.calibration import computed_figure
from corridor.data import (
    REFERENCE_BASES,
    REFERENCE_KINDS,
    REFERENCE_MEASURES,
    data_dir,
    read_references,
)


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return read_references()


def test_every_row_names_known_things_and_a_fraction(rows: list[dict]) -> None:
    G = load_network()
    edge_ids = {k for _, _, k in G.edges(keys=True)}
    assert len(rows) >= 25
    for row in rows:
        assert row["measure"] in REFERENCE_MEASURES and row["kind"] in REFERENCE_KINDS
        assert row["basis"] in REFERENCE_BASES
        assert 0 < row["tolerance"] <= 1 and row["published"] > 0
        for end in ("origin", "destination"):
            assert row[end] is None or row[end] in G
        assert set(row["edges"]) <= edge_ids


def test_the_suite_covers_the_corridor(rows: list[dict]) -> None:
    ids = {r["id"] for r in rows}
    assert {"dostyk_aktau_usd", "altynkol_alat_usd", "altynkol_poti_h", "btk_line_km",
            "beyneu_mangystau_line_km", "zhezkazgan_beyneu_line_km", "wewc_kz_road_km",
            "m2_baku_border_road_km", "aktau_alat_sea_h", "dostyk_exit_dwell_h",
            "capacity_2024_vs_volume", "capacity_2030_vs_potential"} <= ids
    assert any(r["origin"] and load_network().nodes[r["origin"]]["country"] == "CN"
               for r in rows)
    assert {r["kind"] for r in rows} == set(REFERENCE_KINDS)
    calibrated = {r["id"] for r in rows if r["basis"] == "calibrated"}
    assert calibrated == {"dostyk_aktau_h", "dostyk_aktau_usd", "altynkol_alat_usd",
                          "altynkol_alat_h"}


def test_each_measure_computes_from_its_columns() -> None:
    G = load_network()
    dwell = {"measure": "edges", "figure": "time_h", "edges": ["border_khorgos_road"]}
    assert computed_figure(G, dwell) == pytest.approx(51.4)
    both = {**dwell, "edges": ["border_khorgos_road", "border_red_bridge_az_ge"]}
    assert computed_figure(G, both) == pytest.approx(51.4 + 68.5)
    line = {"measure": "route", "figure": "distance_km", "origin": "beyneu",
            "destination": "mangystau", "modes": ["rail"], "by": "distance"}
    assert computed_figure(G, line) == pytest.approx(404)
    flow = {"measure": "bottleneck", "figure": "max_flow_mt", "modes": [],
            "origin": "kuryk_port_quay", "destination": "alat_port_quay"}
    # Kuryk quay to Alat by sea: the rail-ferry line (4.5 Mt/yr) behind Kuryk's 4.1 Mt/yr
    assert computed_figure(G, flow) == pytest.approx(4.1)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    return copy


BAD = [
    # (old text, new text, field)
    ("door_to_door,input,dostyk,aktau_port_rail,", "door_to_door,input,dostyk,atlantis,",
     "destination"),
    ("dostyk_aktau_km,route,door_to_door,", "dostyk_aktau_km,route,rumour,", "kind"),
    ("dostyk_aktau_km,route,", "dostyk_aktau_km,guess,", "measure"),
    ("door_to_door,input,dostyk,", "door_to_door,fitted,dostyk,", "basis"),
    (",distance_km,3095,0.05,", ",distance_km,3095,0,", "tolerance"),
    (",distance_km,3095,0.05,", ",distance_km,3095,1.5,", "tolerance"),
    (",distance_km,3095,0.05,", ",distance_km,99999,0.05,", "published"),
    (",,,,2024,,max_flow_mt,", ",,,,2024.5,,max_flow_mt,", "year"),
    (",rail,cost,,,,distance_km,3095,", ",rail,,,,,distance_km,3095,", "by"),
    (",rail,cost,,,,distance_km,3095,", ",rail,cost,,,,max_flow_mt,3095,", "figure"),
    ("rail_zhezkazgan_saksaulskaya;rail_shalkar_beyneu", "rail_zhezkazgan_saksaulskaya;rail_nowhere",
     "edges"),
    (",2030,2030,max_flow_mt,", ",2030,2300,max_flow_mt,", "scenario"),
    ("dostyk,aktau_port_rail,rail,cost", "dostyk,aktau_port_rail,rail;boat,cost", "modes"),
]


@pytest.mark.parametrize(("old", "new", "field"), BAD)
def test_a_bad_row_names_file_row_and_field(folder: Path, old: str, new: str,
                                             field: str) -> None:
    path = folder / "references.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_references(folder)
    assert info.value.field == field and info.value.file.endswith("references.csv")
    assert info.value.row is not None and info.value.row >= 1
