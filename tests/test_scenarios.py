"""Scenarios (pure transforms, validated files) and the analysis commands of the CLI.

A tiny data folder: China -> Altynkol -> (Aktau | Kuryk) -> Alat -> Georgia. Through Kuryk
the trip takes 183 h, through Aktau 190 h; the quays carry 1 and 3 Mt/yr.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor import DataError, load_network
from corridor.analysis import bottlenecks, reliability
from corridor.analysis.scenario_io import (
    apply_scenario,
    list_scenarios,
    load_scenario,
    parse_scenario,
)
from corridor.cli import app

TINY = {
    "sources.csv": """id,title,publisher,year,url
src,A report,Someone,2024,https://example.org/a
""",
    "places.csv": """id,name,name_az,name_kk,name_ru,aliases,country,lat,lon,source
khorgos,Khorgos,,,,,CN,44.2,80.3,src
altynkol,Altynkol,,,,,KZ,44.2,80.2,src
aktau,Aktau,,Ақтау,Актау,,KZ,43.65,51.17,src
kuryk,Kuryk,,Құрық,Курык,,KZ,43.19,51.67,src
alat,Alat,Ələt,,Алят,,AZ,39.95,49.41,src
gardabani,Gardabani,,,,,GE,41.45,45.09,src
""",
    "nodes.csv": """id,name,name_az,name_kk,name_ru,kind,country,lat,lon,place,code,source
khorgos,Khorgos,,,,border,CN,44.21,80.35,khorgos,,src
altynkol,Altynkol,,,,rail_station,KZ,44.2,80.2,altynkol,,src
aktau_rail,Aktau rail,,,,rail_station,KZ,43.65,51.20,aktau,,src
aktau_quay,Aktau quay,,,,port,KZ,43.60,51.18,aktau,,src
kuryk_rail,Kuryk rail,,,,rail_station,KZ,43.20,51.66,kuryk,,src
kuryk_quay,Kuryk quay,,,,port,KZ,43.19,51.65,kuryk,,src
alat_quay,Alat quay,,,,port,AZ,39.95,49.41,alat,,src
alat_rail,Alat rail,,,,rail_station,AZ,39.96,49.40,alat,,src
gardabani,Gardabani,,,,border,GE,41.45,45.09,gardabani,,src
""",
    "edges.csv": """id,from,to,mode,distance_km,time_h,time_h_low,time_h_high,cost_usd,capacity,capacity_unit,status,year_open,oneway,source,notes
border_khorgos,khorgos,altynkol,border,,60,48.6,69.7,100,10,Mt/yr,open,,true,src,
rail_altynkol_aktau,altynkol,aktau_rail,rail,3000,110,,,1200,,,open,,,src,
rail_altynkol_kuryk,altynkol,kuryk_rail,rail,3050,112,,,1230,,,open,,,src,
aktau_load,aktau_rail,aktau_quay,transfer,,60,44,366,110,3,Mt/yr,open,,true,src,
kuryk_load,kuryk_rail,kuryk_quay,transfer,,50,30,200,110,100000,TEU/yr,open,,true,src,
sea_aktau_alat,aktau_quay,alat_quay,sea,468,20,18,22,900,,,open,,,src,
sea_kuryk_alat,kuryk_quay,alat_quay,sea,430,21,20,22,1200,,,open,,,src,
alat_unload,alat_quay,alat_rail,transfer,,20.1,,,110,15,Mt/yr,open,,true,src,
rail_alat_gardabani,alat_rail,gardabani,rail,500,24,,,300,,,open,,,src,
rail_new_shortcut,altynkol,alat_rail,rail,2500,100,,,2000,,,planned,2030,,src,
rail_far_future,altynkol,gardabani,rail,3000,10,,,1,,,planned,2040,,src,
""",
    "cost_params.csv": """mode,param,value,unit,source,notes
all,cargo_t,20,t,src,
rail,speed_kmh,30,km/h,src,
rail,co2_kg_per_tkm,0.02,kg/tkm,src,
sea,speed_kmh,23.4,km/h,src,
sea,co2_kg_per_tkm,0.1,kg/tkm,src,
""",
    "reliability_params.csv": """mode,param,value,unit,source,notes
all,pert_concentration,6,,src,
all,delay_usd_per_h,2,USD/h,src,
rail,spread,0.1,,src,
""",
    "capacity_params.csv": """param,value,unit,source,notes
teu_t,10,t/TEU,src,
""",
    "volumes.csv": """year,kind,low_mt,high_mt,source,notes
2024,observed,4.5,,src,
""",
}

CLOSE_KURYK = 'name = "no-kuryk"\n[close]\nnodes = ["kuryk_quay"]\n'


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "scenarios").mkdir(parents=True)
    for name, text in TINY.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "scenarios" / "no-kuryk.toml").write_text(CLOSE_KURYK, encoding="utf-8")
    return folder


@pytest.fixture
def G(tiny: Path):
    return load_network(tiny)


def snapshot(G) -> tuple:
    return (
        copy.deepcopy(dict(G.graph)),
        {n: copy.deepcopy(d) for n, d in G.nodes(data=True)},
        {(u, v, k): {a: b for a, b in d.items() if a != "geometry"}
         for u, v, k, d in G.edges(keys=True, data=True)},
    )


def scen(text: str, name: str = "t"):
    return parse_scenario(text, path=f"{name}.toml")


# ------------------------------------------------------------------ transforms
def test_every_operation_is_pure(G):
    before = snapshot(G)
    text = """
year = 2030
[close]
nodes = ["kuryk_quay"]
[[scale]]
modes = "sea"
time = 2
cost = 1.5
capacity = 2
source = "src"
[[set]]
edges = ["aktau_load"]
capacity = 6
source = "src"
"""
    H = apply_scenario(G, scen(text))
    assert snapshot(G) == before
    assert H is not G and H.graph["scenario"] == "t"
    assert H.edges["aktau_quay", "alat_quay", "sea_aktau_alat"]["time_h"] == 40
    assert H.edges["aktau_rail", "aktau_quay", "aktau_load"]["capacity"] == 6


def test_year_opens_planned_lines_and_drops_later_ones(G):
    H = apply_scenario(G, scen("year = 2030"))
    d = H.edges["altynkol", "alat_rail", "rail_new_shortcut"]
    assert d["status"] == "open" and d["status_planned"] == "planned"
    assert not H.has_edge("altynkol", "gardabani", "rail_far_future")
    assert G.edges["altynkol", "alat_rail", "rail_new_shortcut"]["status"] == "planned"


def test_year_reads_a_blank_year_open_as_no_year(G):
    """NaN in year_open (a blank cell of a table) is "no year", as routing and capacity read it."""
    opened = {k for _, _, k, d in G.edges(keys=True, data=True) if d["year_open"] is None}
    for _, _, d in G.edges(data=True):
        if d["year_open"] is None:
            d["year_open"] = math.nan
    H = apply_scenario(G, scen("year = 2030"))
    kept = {k for _, _, k in H.edges(keys=True)}
    assert opened and opened <= kept
    assert "rail_new_shortcut" in kept and "rail_far_future" not in kept


def test_close_node_keeps_it_but_cuts_its_links(G):
    H = apply_scenario(G, scen(CLOSE_KURYK))
    assert "kuryk_quay" in H and H.nodes["kuryk_quay"]["closed"]
    assert H.degree("kuryk_quay") == 0
    assert H.has_edge("altynkol", "kuryk_rail")
    H2 = apply_scenario(G, scen('[close]\nplaces = ["kuryk"]\nedges = ["sea_aktau_alat"]\n'))
    assert H2.degree("kuryk_rail") == 0
    assert not H2.has_edge("aktau_quay", "alat_quay")


def test_scale_by_selectors(G):
    H = apply_scenario(G, scen('[[scale]]\nmodes = ["border", "transfer"]\n'
                               'countries = "CN"\ntime = 3\nsource = "src"\n'))
    d = H.edges["khorgos", "altynkol", "border_khorgos"]
    assert (d["time_h"], d["time_h_low"], d["time_h_high"]) == pytest.approx((180, 145.8, 209.1))
    assert H.edges["aktau_rail", "aktau_quay", "aktau_load"]["time_h"] == 60  # not in CN
    H = apply_scenario(G, scen('[[scale]]\nkinds = "port"\nplaces = "kuryk"\ncost = 0.5\n'
                               'source = "src"\n'))
    assert H.edges["kuryk_quay", "alat_quay", "sea_kuryk_alat"]["cost_usd"] == 600
    assert H.edges["aktau_quay", "alat_quay", "sea_aktau_alat"]["cost_usd"] == 900


def test_set_appends_source_and_checks_ranges(G):
    H = apply_scenario(G, scen('[[set]]\nedges = "sea_aktau_alat"\ntime_h = 19\n'
                               'source = "estimate:test"\n'))
    assert H.edges["aktau_quay", "alat_quay", "sea_aktau_alat"]["source"] == "src;estimate:test"
    with pytest.raises(DataError, match="outside its range") as info:
        apply_scenario(G, scen('[[set]]\nedges = "sea_aktau_alat"\ntime_h = 30\nsource = "src"\n'))
    assert info.value.field == "set[0].time_h" and info.value.row == 3


def test_scenarios_compose_and_change_results(G):
    r_base = bottlenecks(G, ["khorgos"], ["gardabani"])
    assert r_base.max_flow_mt == pytest.approx(4.0)
    H = apply_scenario(G, "no-kuryk")
    assert bottlenecks(H, ["khorgos"], ["gardabani"]).max_flow_mt == pytest.approx(3.0)
    both = apply_scenario(H, scen("year = 2030", "y2030"))
    assert both.graph["scenario"] == "no-kuryk+y2030"


# ------------------------------------------------------------------ validation
BAD = [
    # (text, field, line, message part)
    ('name = "x"\ncolour = "red"\n', "colour", 2, "unknown key 'colour'"),
    ('[[scale]]\nmodes = "sea"\ntime = 2\nspeed = 3\n', "scale[0].speed", 4, "unknown key"),
    ('[[scale]]\nmodes = "boat"\ntime = 2\n', "scale[0].modes", 2, "unknown value 'boat'"),
    ('[[scale]]\nmodes = "sea"\n', "scale[0]", 1, "needs a factor"),
    ('[[scale]]\ntime = 2\n', "scale[0]", 1, "at least one selector"),
    ('[[scale]]\nmodes = "sea"\ntime = -1\n', "scale[0].time", 3, "negative"),
    ('[[scale]]\nmodes = "sea"\ntime = "2"\n', "scale[0].time", 3, "not a number"),
    ('\n[[set]]\nedges = "sea_aktau_alat"\ncapacity = 5\n', "set[0].source", 2, "needs a source"),
    ('[[set]]\nedges = "a"\ncapacity_unit = "boxes"\nsource = "s"\n', "set[0].capacity_unit", 3,
     "unknown value 'boxes'"),
    ('[[set]]\nedges = "a"\nstatus = "dreamt"\nsource = "s"\n', "set[0].status", 3, "dreamt"),
    ('year = "2030"\n', "year", 1, "not a year"),
    ('year = 1066\n', "year", 1, "not a year"),
    ('description = "nothing"\n', "", None, "changes nothing"),
    ('[close]\nlines = ["x"]\n', "close.lines", 2, "unknown key"),
    ('[close]\nnodes = []\n', "close.nodes", 2, "empty list"),
    ('close = 3\n', "close", 1, "must be a table"),
]


@pytest.mark.parametrize(("text", "field", "line", "part"), BAD)
def test_bad_structure(text, field, line, part):
    with pytest.raises(DataError, match=part) as info:
        parse_scenario(text, path="bad.toml")
    assert info.value.file == "bad.toml"
    assert info.value.field == (field or None)
    assert info.value.row == line


def test_bad_toml_names_the_line():
    with pytest.raises(DataError, match="not valid TOML") as info:
        parse_scenario('name = "x"\nyear = = 3\n', path="broken.toml")
    assert info.value.row == 2 and info.value.file == "broken.toml"


@pytest.mark.parametrize(("text", "field", "line", "ident"), [
    ('[close]\nedges = ["sea_aktau_alat"]\nnodes = ["atlantis"]\n', "close.nodes", 3, "atlantis"),
    ('[close]\nplaces = ["narnia"]\n', "close.places", 2, "narnia"),
    ('[[scale]]\nmodes = "sea"\ntime = 2\nsource = "src"\n\n[[scale]]\n'
     'edges = ["sea_aktau_alat", "nope"]\ntime = 2\nsource = "src"\n', "scale[1].edges", 7,
     "nope"),
])
def test_unknown_ids_name_line_and_field(G, text, field, line, ident):
    sc = parse_scenario(text, path="ids.toml")
    with pytest.raises(DataError, match=ident) as info:
        apply_scenario(G, sc)
    assert info.value.field == field and info.value.row == line


def test_selector_matching_nothing_and_unknown_source(G):
    with pytest.raises(DataError, match="selects no edge") as info:
        apply_scenario(G, scen('[[scale]]\nmodes = "air"\ntime = 2\nsource = "src"\n'))
    assert info.value.field == "scale[0]"
    with pytest.raises(DataError, match=r"not an id in sources\.csv") as info:
        apply_scenario(G, scen('[[set]]\nedges = "sea_aktau_alat"\ncapacity = 1\n'
                               'capacity_unit = "Mt/yr"\nsource = "rumour"\n'))
    assert info.value.field == "set[0].source" and info.value.row == 5


def test_names_and_paths(G, tiny):
    assert "no-kuryk" in list_scenarios(G)
    assert load_scenario("no-kuryk", G).close == {"nodes": ["kuryk_quay"]}
    assert load_scenario(tiny / "scenarios" / "no-kuryk.toml").name == "no-kuryk"
    with pytest.raises(FileNotFoundError, match=r"unknown scenario 'nope'.*no-kuryk"):
        apply_scenario(G, "nope")


def test_shipped_scenarios_are_valid():
    from corridor.data import data_dir

    names = {p.stem for p in (data_dir() / "scenarios").glob("*.toml")}
    assert {"2030", "kuryk-closed", "ferry-delays", "georgia-border-congestion"} <= names
    for name in names:
        sc = load_scenario(name)
        assert sc.description
    real = load_network()
    for name in names:
        apply_scenario(real, name)


# ------------------------------------------------------------------ CLI
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_cli_bad_scenario_exits_4_naming_file_line_field(tiny, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[scale]]\nmodes = "sea"\ntime = 2\nspeed = 3\n', encoding="utf-8")
    for cmd in (["reliability", "Aktau", "Alat"], ["bottlenecks"],
                ["compare", "Aktau", "Alat"]):
        result = run(*cmd, "--scenario", str(bad), "--data", str(tiny))
        assert result.exit_code == 4, result.output
        assert "bad.toml" in result.output and "row 4" in result.output
        assert "scale[0].speed" in result.output and "Traceback" not in result.output
    ids = tmp_path / "ids.toml"
    ids.write_text('[close]\nnodes = ["atlantis"]\n', encoding="utf-8")
    result = run("bottlenecks", "--scenario", str(ids), "--data", str(tiny))
    assert result.exit_code == 4 and "atlantis" in result.output


def test_cli_unknown_scenario_is_bad_input(tiny):
    result = run("bottlenecks", "--scenario", "atlantis", "--data", str(tiny))
    assert result.exit_code == 2 and "no-kuryk" in result.output


def test_cli_reliability(tiny):
    args = ("reliability", "Altynkol", "Gardabani", "--seed", "3", "--samples", "2000",
            "--data", str(tiny))
    a = run(*args, "--json")
    b = run(*args, "--json")
    assert a.exit_code == 0, a.output
    assert a.output == b.output
    out = json.loads(a.output)
    assert out["reliability"]["samples"] == 2000
    rel = out["reliability"]["time_h"]
    assert rel["p10"] < rel["p50"] < rel["p90"] < rel["p99"]
    assert [leg["to_id"] for leg in out["legs"]][-1] == "gardabani"
    text = run(*args)
    assert text.exit_code == 0 and "P90" in text.output and "█" in text.output
    reliable = run(*args, "--by", "p90_time", "--json")
    assert reliable.exit_code == 0 and json.loads(reliable.output)["objective"] == "p90_time"
    assert run(*args, "--samples", "0").exit_code == 2
    assert run(*args, "--by", "luck").exit_code == 2


def test_cli_bottlenecks(tiny):
    result = run("bottlenecks", "--data", str(tiny), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["max_flow_mt"] == pytest.approx(4.0)
    assert {c["id"] for c in out["cut"]} == {"aktau_quay", "kuryk_quay"}
    assert out["volumes"][0]["ratio"] == pytest.approx(4 / 4.5)
    later = json.loads(run("bottlenecks", "--data", str(tiny), "--year", "2030", "--json").output)
    # the 2030 shortcut has no capacity: the 10 Mt/yr border becomes the limit
    assert later["max_flow_mt"] == pytest.approx(10.0)
    assert [c["id"] for c in later["cut"]] == ["border_khorgos"]
    text = run("bottlenecks", "--data", str(tiny), "--scenario", "no-kuryk")
    assert text.exit_code == 0 and "3.00 Mt/yr" in text.output
    assert run("bottlenecks", "--data", str(tiny), "--modes", "boat").exit_code == 2


def test_cli_compare(tiny):
    result = run("compare", "Altynkol", "Alat", "--scenario", "base", "--scenario", "no-kuryk",
                 "--data", str(tiny), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    base, closed = out["scenarios"]
    assert "sea_kuryk_alat" in base["edges"] and "sea_aktau_alat" in closed["edges"]
    assert closed["delta"]["time_h"] == pytest.approx(7.0)
    assert "sea_aktau_alat" in closed["only_edges"] and "sea_kuryk_alat" in closed["dropped_edges"]
    text = run("compare", "Altynkol", "Alat", "--scenario", "no-kuryk", "--data", str(tiny))
    assert text.exit_code == 0 and "no-kuryk" in text.output and "(+7.0)" in text.output
    assert run("compare", "Altynkol", "Alat", "--data", str(tiny)).exit_code == 2


def test_cli_compare_reports_a_lost_route(tiny, tmp_path):
    cut = tmp_path / "cut.toml"
    cut.write_text('[close]\nnodes = ["alat_quay"]\n', encoding="utf-8")
    result = run("compare", "Aktau", "Alat", "--scenario", str(cut), "--data", str(tiny),
                 "--json")
    assert result.exit_code == 0, result.output
    lost = json.loads(result.output)["scenarios"][1]
    assert lost["error"] and lost["totals"] is None


def test_reliability_on_tiny_route(G):
    from corridor.routing import route

    r = route(G, "Altynkol", "Alat")
    rel = reliability(G, r, seed=0)
    assert rel.planned["time_h"] == pytest.approx(r.totals["time_h"])


# ---------------------------------------------------------------- wiring into route and map
def test_route_by_p90_time_uses_the_quantile_weight() -> None:
    import corridor

    G = corridor.load_network()
    by_name = corridor.route(G, "Altynkol", "Alat", by="p90_time", modes="rail,sea")
    by_func = corridor.route(G, "Altynkol", "Alat", by=corridor.reliability_weight(G, 0.9),
                             modes="rail,sea")
    assert by_name.objective == "p90_time"
    assert by_name.edges == by_func.edges
    with pytest.raises(ValueError, match="p90_time"):
        corridor.route(G, "Altynkol", "Alat", by="p0_time")


def test_cli_route_and_map_take_a_scenario(tmp_path: Path) -> None:
    runner = CliRunner()
    base = runner.invoke(app, ["route", "Kuryk", "Alat", "--by", "time", "--modes", "rail,sea",
                               "--json"])
    closed = runner.invoke(app, ["route", "Kuryk", "Alat", "--by", "time", "--modes",
                                 "rail,sea", "--scenario", "kuryk-closed", "--json"])
    assert base.exit_code == 0, base.output
    assert closed.exit_code == 0, closed.output  # Kuryk port closed: loaded at Aktau instead
    base_ids = {leg["from_id"] for leg in json.loads(base.stdout)["legs"]}
    assert any(n.startswith("kuryk_port") for n in base_ids)
    closed_ids = {leg["from_id"] for leg in json.loads(closed.stdout)["legs"]}
    assert not any(n.startswith("kuryk_port") for n in closed_ids)
    assert "aktau_port_quay" in closed_ids
    bad = runner.invoke(app, ["route", "Kuryk", "Alat", "--scenario", "no-such-scenario"])
    assert bad.exit_code == 2 and "known:" in bad.output
    out = tmp_path / "m.html"
    made = runner.invoke(app, ["map", "--out", str(out), "--scenario", "2030"])
    assert made.exit_code == 0, made.output
    assert out.stat().st_size > 10_000


# ------------------------------------------------------------------ QA #3 / #6
NOT_ALLOWED = [
    # (text, field, line, message part)
    ('[[scale]]\nmodes = "sea"\ntime = inf\nsource = "src"\n', "scale[0].time", 3,
     "not a finite number"),
    ('[[scale]]\nmodes = "sea"\ncapacity = -inf\nsource = "src"\n', "scale[0].capacity", 3,
     "not a finite number"),
    ('[[scale]]\nmodes = "sea"\ncost = nan\nsource = "src"\n', "scale[0].cost", 3,
     "not a number"),
    ('[[set]]\nedges = "a"\ntime_h = inf\nsource = "src"\n', "set[0].time_h", 3,
     "not a finite number"),
    ('[[scale]]\nmodes = "rail"\ntime = 0\nsource = "src"\n', "scale[0].time", 3,
     r"must be above 0 \(.*\[close\]"),
    ('[[set]]\nedges = "a"\ncost_usd = 0\nsource = "src"\n', "set[0].cost_usd", 3,
     "must be above 0"),
    ('[[set]]\nedges = "a"\ncapacity = 0.0\ncapacity_unit = "Mt/yr"\nsource = "src"\n',
     "set[0].capacity", 3, "must be above 0"),
    ('name = "x"\n[[scale]]\nmodes = ["sea"]\ntime = 2\n', "scale[0].source", 2,
     "needs a source"),
]


@pytest.mark.parametrize(("text", "field", "line", "part"), NOT_ALLOWED)
def test_non_finite_zero_and_sourceless_values_are_refused(text, field, line, part):
    with pytest.raises(DataError, match=part) as info:
        parse_scenario(text, path="bad.toml")
    assert info.value.file == "bad.toml"
    assert info.value.field == field and info.value.row == line


def test_zero_co2_is_allowed():
    sc = parse_scenario('[[set]]\nedges = "a"\nco2_kg = 0\nsource = "src"\n', path="ok.toml")
    assert sc.set[0]["co2_kg"] == 0


def test_cli_infinite_capacity_scenario_is_bad_data_not_a_traceback(tiny, tmp_path):
    c = tmp_path / "c.toml"
    c.write_text('name="x"\n[[scale]]\nmodes=["sea"]\ncapacity=inf\nsource="src"\n',
                 encoding="utf-8")
    result = run("bottlenecks", "--scenario", str(c), "--data", str(tiny))
    assert result.exit_code == 4, result.output
    assert "c.toml" in result.output and "scale[0].capacity" in result.output
    assert isinstance(result.exception, SystemExit)  # an exit, not a traceback
    inf_time = tmp_path / "t.toml"
    inf_time.write_text('[[scale]]\nmodes=["rail"]\ntime=inf\nsource="src"\n', encoding="utf-8")
    result = run("route", "Altynkol", "Alat", "--scenario", str(inf_time), "--data", str(tiny),
                 "--json")
    assert result.exit_code == 4 and "scale[0].time" in result.output


# ------------------------------------------------------------------ QA #12 / #13 (CLI)
def test_cli_bottlenecks_reports_uncapped_flow_and_heading(tiny):
    out = json.loads(run("bottlenecks", "--data", str(tiny), "--json").output)
    # both crossings run over Kazakh rail lines and sailings without capacity data
    assert out["uncapped_flow_mt"] == pytest.approx(4.0)
    assert "rail_altynkol_aktau" in out["uncapped_edges"]
    text = run("bottlenecks", "--data", str(tiny))
    assert text.exit_code == 0
    assert "no capacity data" in text.output and "unbounded" in text.output
    assert "Capacity today" in text.output
    later = run("bottlenecks", "--data", str(tiny), "--year", "2030")
    assert "Capacity as of 2030" in later.output and "today's" in later.output
    y = tiny / "scenarios" / "y2030.toml"
    y.write_text("year = 2030\n", encoding="utf-8")
    scen_text = run("bottlenecks", "--data", str(tiny), "--scenario", "y2030")
    assert "Capacity as of 2030, scenario y2030" in scen_text.output
    assert "Capacity today" not in scen_text.output


def test_cli_bottlenecks_without_a_path_says_so(tiny):
    result = run("bottlenecks", "--data", str(tiny), "--modes", "road")
    assert result.exit_code == 3
    assert "no path" in result.output and "0.00" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_bottlenecks_source_and_sink_by_place_name(tiny):
    by_id = json.loads(run("bottlenecks", "--source", "altynkol", "--sink", "alat",
                           "--data", str(tiny), "--json").output)
    by_name = run("bottlenecks", "--source", "Altynkol", "--sink", "Алят", "--data", str(tiny),
                  "--json")
    assert by_name.exit_code == 0, by_name.output
    out = json.loads(by_name.output)
    assert set(out["sinks"]) == {"alat_quay", "alat_rail"}
    assert out["max_flow_mt"] == pytest.approx(4.0)
    assert by_id["sources"] == out["sources"] == ["altynkol"]
    bad = run("bottlenecks", "--source", "Atlantis", "--data", str(tiny))
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1


# ------------------------------------------------------------------ QA #16 / #25 (compare)
def test_cli_compare_keeps_route_warnings(tiny):
    places = tiny / "places.csv"
    places.write_text(places.read_text(encoding="utf-8")
                      + "ujar,Ujar,Ucar,,,,AZ,39.97,49.45,src\n", encoding="utf-8")
    args = ("compare", "Ujar", "Gardabani", "--scenario", "no-kuryk", "--samples", "200",
            "--data", str(tiny))
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    for entry in json.loads(result.output)["scenarios"]:
        assert any("Ujar has no" in w for w in entry["warnings"])
    text = run(*args)
    assert text.exit_code == 0 and text.output.count("Ujar has no") == 2


@pytest.mark.parametrize(("scenarios", "part"), [
    (["base"], "give at least two scenarios, e.g. --scenario base --scenario 2030"),
    (["no-kuryk", "no-kuryk"], "more than once"),
    (["base", "today"], "more than once"),
])
def test_cli_compare_rejects_pointless_scenario_lists(tiny, scenarios, part):
    args = [a for s in scenarios for a in ("--scenario", s)]
    result = run("compare", "Altynkol", "Alat", *args, "--data", str(tiny))
    assert result.exit_code == 2
    assert part in result.output and len(result.output.strip().splitlines()) == 1


def test_cli_route_by_p90_says_its_table_shows_planned_times() -> None:
    result = CliRunner().invoke(app, ["route", "Altynkol", "Alat", "--by", "p90_time",
                                      "--modes", "rail,sea"])
    assert result.exit_code == 0, result.output
    assert "by p90_time" in result.output and "corridor reliability" in result.output


def test_a_scenario_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('name = "x"\n[close]\nnodes = ["G\u00e4rdabani"]\n'.encode("latin-1"))
    with pytest.raises(DataError) as info:
        load_scenario(bad)
    assert (info.value.file, info.value.row) == (str(bad), 3)
