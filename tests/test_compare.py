"""corridor.compare: one route under several scenarios, and the CLI that only prints it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridor
import corridor.cli.options as cli_options
from corridor import NoRouteError, apply_scenario, reliability, route
from corridor.analysis import compare, is_base_scenario
from corridor.analysis.compare import scenario_lineup
from corridor.cli import app


@pytest.fixture
def kuryk_closed(tmp_path: Path) -> str:
    path = tmp_path / "kuryk-shut.toml"
    path.write_text('name = "kuryk-shut"\n[close]\nnodes = ["kuryk_quay"]\n', encoding="utf-8")
    return str(path)


def test_compare_measures_each_scenario_against_the_reference(corridor_graph, kuryk_closed):
    c = compare(corridor_graph, "almaty", "baku", ["today", kuryk_closed], by="cost",
                samples=300, seed=5)
    assert [s.scenario for s in c.scenarios] == ["today", kuryk_closed]
    assert c.reference is c.scenarios[0]
    base = route(corridor_graph, "almaty", "baku", by="cost")
    closed_graph = apply_scenario(corridor_graph, kuryk_closed)
    closed = route(closed_graph, "almaty", "baku", by="cost")
    base_keys = [k for *_, k in base.edges]
    closed_keys = [k for *_, k in closed.edges]
    shut = c.scenarios[1]
    assert shut.edges == closed_keys != base_keys
    assert c.only_edges(shut) == [k for k in closed_keys if k not in base_keys]
    assert c.dropped_edges(shut) == [k for k in base_keys if k not in closed_keys]
    assert "sea_kuryk_baku" in c.dropped_edges(shut)
    delta = c.delta(shut)
    for key in ("distance_km", "time_h", "cost_usd", "co2_kg"):
        assert delta[key] == pytest.approx(closed.totals[key] - base.totals[key])
    p90 = [reliability(G, r, samples=300, seed=5).time_h["p90"]
           for G, r in ((corridor_graph, base), (closed_graph, closed))]
    assert delta["p90_time_h"] == pytest.approx(p90[1] - p90[0])
    assert c.delta(c.reference) == {} and c.only_edges(c.reference) == []


def test_to_dict_is_what_the_cli_prints(corridor_graph, kuryk_closed, monkeypatch):
    c = corridor.compare(corridor_graph, "almaty", "baku", [kuryk_closed], by="cost",
                         samples=200, seed=1)
    data = c.to_dict()
    assert data["reference"] == "base" and [s["scenario"] for s in data["scenarios"]] == [
        "base", kuryk_closed]
    assert "delta" not in data["scenarios"][0] and "delta" in data["scenarios"][1]
    monkeypatch.setattr(cli_options, "load", lambda data, year=None: corridor_graph)
    result = CliRunner().invoke(app, ["compare", "almaty", "baku", "--by", "cost", "--scenario",
                                      kuryk_closed, "--samples", "200", "--seed", "1", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(json.dumps(data))


def test_a_scenario_without_a_route_keeps_its_error(corridor_graph, tmp_path):
    cut = tmp_path / "cut.toml"
    cut.write_text('[close]\nnodes = ["baku_quay", "baku_rail"]\n', encoding="utf-8")
    c = compare(corridor_graph, "almaty", "baku", ["base", str(cut)], samples=100)
    lost = c.scenarios[1]
    assert lost.route is None and lost.error and c.delta(lost) == {}
    assert lost.to_dict()["totals"] is None
    also = tmp_path / "cut-too.toml"
    also.write_text(cut.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(NoRouteError):
        compare(corridor_graph, "almaty", "baku", [str(cut), str(also)], samples=100)


def test_lineup_puts_base_first_and_refuses_repeats():
    assert scenario_lineup("2030") == ["base", "2030"]
    assert scenario_lineup(["2030", "today"]) == ["2030", "today"]
    for names, words in ((["base", "Today"], "more than once"), (["none"], "only the base"),
                         ([], "no scenario")):
        with pytest.raises(ValueError, match=words):
            scenario_lineup(names)
    assert [is_base_scenario(n) for n in ("BASE", "none", "today", "2030", None)] == [
        True, True, True, False, False]
