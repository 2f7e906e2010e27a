"""Every public function checks its arguments and the graph, and raises the documented errors.

A wrong type raises ``ArgumentTypeError`` (a TypeError that is also a ValueError), a wrong
value ``ValueError``, a graph that breaks the contract ``DataError``; each message names the
argument. No internal KeyError, AttributeError or TypeError gets out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
import pytest
from contractgraph import CORRIDOR_EDGES, CORRIDOR_NODES, CORRIDOR_PLACES, build_graph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridor
from corridor import DataError
from corridor._validate import ArgumentTypeError
from corridor.analysis import CapacityParams, ReliabilityParams
from corridor.analysis.scenario_io import parse_scenario
from corridor.routing import lengths, single_source_lengths

G = build_graph(CORRIDOR_NODES, CORRIDOR_EDGES, CORRIDOR_PLACES)
R = corridor.route(G, "Almaty", "Baku")
PARAMS = CapacityParams()
VOLUMES: list[dict[str, Any]] = []

#: public function -> (function, the good keyword arguments of a quick call)
CALLS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    "route": (corridor.route, {"G": G, "origin": "Almaty", "destination": "Baku"}),
    "pareto": (corridor.pareto, {"G": G, "origin": "Almaty", "destination": "Baku"}),
    "od_matrix": (corridor.od_matrix, {"G": G, "origins": ["Almaty"], "destinations": ["Baku"]}),
    "lengths": (lengths, {"G": G, "sources": ["almaty_rail"]}),
    "single_source_lengths": (single_source_lengths, {"G": G, "source": "almaty_rail"}),
    "reliability": (corridor.reliability, {"G": G, "route": R, "samples": 20, "seed": 1,
                                           "params": ReliabilityParams()}),
    "reliability_weight": (corridor.reliability_weight, {"G": G, "params": ReliabilityParams()}),
    "bottlenecks": (corridor.bottlenecks, {"G": G, "sources": ["KZ"], "sinks": ["GE"],
                                           "params": PARAMS, "volumes": VOLUMES}),
    "apply_scenario": (corridor.apply_scenario,
                       {"G": G, "name_or_path": parse_scenario("year = 2030", name="t")}),
    "load_scenario": (corridor.load_scenario, {"name_or_path": "2030"}),
    "load_network": (corridor.load_network, {}),
    "validate_graph": (corridor.validate_graph, {"G": G}),
    "network_map": (corridor.network_map, {"G": G}),
    "route_map": (corridor.route_map, {"route_or_routes": R, "G": G}),
    "route_html": (corridor.route_html, {"route": R, "G": G}),
    "story_map": (corridor.story_map, {"G": G}),
    "sweep": (corridor.sweep, {"scenarios": None, "pairs": [("almaty_rail", "baku_rail")],
                               "graph": G, "scheduler": "serial", "progress": False}),
}

T, V, D = ArgumentTypeError, ValueError, DataError
#: (function, argument, bad value, exact exception type)
BAD: list[tuple[str, str, Any, type[Exception]]] = [
    *[(fn, "G", bad, T) for fn in ("route", "pareto", "od_matrix", "lengths", "reliability",
                                    "reliability_weight", "bottlenecks", "apply_scenario",
                                    "network_map", "story_map", "validate_graph")
      for bad in (None, 5, "G")],
    *[(fn, "G", nx.Graph(G), D) for fn in ("route", "pareto", "od_matrix", "lengths",
                                           "reliability", "bottlenecks", "apply_scenario",
                                           "network_map", "story_map", "validate_graph")],
    ("route", "G", nx.DiGraph(G), D),
    ("route_map", "G", 5, T),
    ("route_html", "G", "G", T),
    ("load_scenario", "G", 5, T),
    ("sweep", "graph", nx.Graph(G), D),
    *[(fn, "year", bad, T) for fn in ("route", "pareto", "od_matrix", "lengths", "bottlenecks",
                                       "load_network", "network_map", "story_map", "sweep")
      for bad in ("2030", True, 2030.5)],
    *[(fn, "modes", bad, T) for fn in ("route", "pareto", "od_matrix", "lengths", "bottlenecks",
                                        "sweep")
      for bad in (123, [1, 2], b"rail")],
    *[(fn, "avoid", bad, T) for fn in ("route", "pareto", "bottlenecks") for bad in (123, [None])],
    *[(fn, "by", bad, T) for fn in ("route", "od_matrix", "lengths", "sweep")
      for bad in (123, None)],
    ("od_matrix", "by", lambda u, v, d: 1.0, T),
    *[(fn, arg, bad, T) for fn in ("route", "pareto") for arg in ("origin", "destination")
      for bad in (5, None, ["Almaty"])],
    *[(fn, arg, "  ", V) for fn in ("route", "pareto") for arg in ("origin", "destination")],
    ("route", "alternatives", "2", T),
    ("route", "alternatives", 1.5, T),
    ("pareto", "criteria", 5, T),
    ("pareto", "criteria", [None], T),
    ("pareto", "max_routes", "3", T),
    ("pareto", "max_routes", True, T),
    ("od_matrix", "origins", "Almaty", T),
    ("od_matrix", "origins", 5, T),
    ("od_matrix", "destinations", [["Baku"]], T),
    ("od_matrix", "totals", "yes", T),
    ("lengths", "sources", None, T),
    ("lengths", "sources", "almaty_rail", T),
    ("single_source_lengths", "source", ["almaty_rail"], T),
    ("reliability", "route", None, T),
    ("reliability", "route", 5, T),
    ("reliability", "route", "almaty_rail", T),
    ("reliability", "route", [5, 6], T),
    ("reliability", "samples", "10", T),
    ("reliability", "samples", 10.0, T),
    ("reliability", "seed", -1, V),
    ("reliability", "seed", "1", T),
    ("reliability", "seed", 1.5, T),
    ("reliability", "params", {"spread": 1}, T),
    ("reliability_weight", "quantile", "0.9", T),
    ("reliability_weight", "quantile", None, T),
    ("reliability_weight", "quantile", float("nan"), V),
    ("reliability_weight", "params", "x", T),
    ("bottlenecks", "sources", 5, T),
    ("bottlenecks", "sinks", [5], T),
    ("bottlenecks", "params", 5, T),
    ("bottlenecks", "volumes", 5, T),
    ("bottlenecks", "shared_ports", "no", T),
    ("apply_scenario", "name_or_path", None, T),
    ("apply_scenario", "name_or_path", 2030, T),
    ("load_scenario", "name_or_path", None, T),
    ("load_scenario", "name_or_path", 2030, T),
    ("load_network", "path", 5, T),
    ("load_network", "cargo_t", "20", T),
    ("load_network", "cargo_t", 0, V),
    ("load_network", "cargo_t", -1.0, V),
    ("load_network", "cargo_t", float("inf"), V),
    *[(fn, "offline", bad, T) for fn in ("network_map", "route_map", "route_html", "story_map")
      for bad in ("yes", 1, None)],
    *[(fn, "tiles", 5, T) for fn in ("network_map", "route_map", "story_map")],
    ("route_map", "route_or_routes", None, T),
    ("route_map", "route_or_routes", [None], T),
    ("route_map", "route_or_routes", "route", T),
    ("route_html", "route", None, T),
    ("route_html", "height", "400", T),
    ("route_html", "height", 0, V),
    ("story_map", "facts", 5, T),
    ("story_map", "volumes", [1], T),
    ("sweep", "pairs", 5, T),
    ("sweep", "pairs", "almaty_rail", T),
    ("sweep", "pairs", [5], T),
    ("sweep", "batch_size", 0, V),
    ("sweep", "batch_size", "2", T),
    ("sweep", "progress", "no", T),
    ("sweep", "out", 5, T),
]


def call(fn: str, **bad: Any) -> Any:
    func, good = CALLS[fn]
    return func(**{**good, **bad})


@pytest.mark.parametrize("fn", sorted(CALLS))
def test_the_good_call_works(fn):
    """The baseline of each row below: with good arguments nothing is raised."""
    call(fn)


@pytest.mark.parametrize(("fn", "arg", "bad", "error"), BAD,
                         ids=[f"{f}-{a}-{b!r:.20}" for f, a, b, _ in BAD])
def test_bad_argument_raises_the_documented_error_naming_it(fn, arg, bad, error):
    with pytest.raises(error) as info:
        call(fn, **{arg: bad})
    assert type(info.value) is error, info.value
    assert arg in str(info.value)


def test_argument_type_error_is_both_type_error_and_value_error():
    """Old callers catching ValueError (what corridor raised before) still catch it."""
    with pytest.raises(TypeError):
        corridor.route(G, "Almaty", "Baku", modes=123)
    with pytest.raises(ValueError, match="modes"):
        corridor.route(G, "Almaty", "Baku", modes=123)


def test_numpy_whole_numbers_are_accepted():
    r = corridor.route(G, "Almaty", "Baku", year=np.int64(2030), alternatives=np.int32(1))
    assert r.totals["time_h"] == 79  # rail on the 2027 line via Kuryk (see conftest)
    assert corridor.reliability(G, R, samples=np.int64(5), seed=np.uint8(1)).seed == 1


# ----------------------------------------------------------------- the graph contract
def broken(change: Callable[[nx.MultiDiGraph], None]) -> nx.MultiDiGraph:
    H = build_graph(CORRIDOR_NODES, CORRIDOR_EDGES, CORRIDOR_PLACES)
    change(H)
    return H


def drop_x(H):
    del H.nodes["aktau_rail"]["x"]


def negative_time(H):
    H.edges["aktau_rail", "aktau_quay", "aktau_transfer"]["time_h"] = -3.0


def unknown_mode(H):
    H.edges["almaty_rail", "aktau_rail", "rail_almaty_aktau"]["mode"] = "train"


def text_cost(H):
    H.edges["aktau_quay", "baku_quay", "sea_aktau_baku"]["cost_usd"] = "1200"


def latitude_out_of_range(H):
    H.nodes["baku_rail"]["y"] = 140.4


@pytest.mark.parametrize(("change", "field", "where"), [
    (drop_x, "x", "node 'aktau_rail'"),
    (negative_time, "time_h", "edge 'aktau_rail' -> 'aktau_quay' ('aktau_transfer')"),
    (unknown_mode, "mode", "'rail_almaty_aktau'"),
    (text_cost, "cost_usd", "'sea_aktau_baku'"),
    (latitude_out_of_range, "y", "node 'baku_rail'"),
])
@pytest.mark.parametrize("fn", ["route", "pareto", "od_matrix", "network_map", "validate_graph"])
def test_a_graph_breaking_the_contract_raises_data_error(fn, change, field, where):
    with pytest.raises(DataError) as info:
        call(fn, G=broken(change))
    assert info.value.field == field
    assert where in str(info.value) and field in str(info.value)


def test_validate_graph_needs_the_whole_contract_routing_only_what_it_reads():
    """A graph without ``names`` routes (routing never reads it) but is not a contract graph."""
    H = broken(lambda H: [d.pop("names") for _, d in H.nodes(data=True)])
    assert corridor.route(H, "almaty_rail", "baku_rail").nodes[-1] == "baku_rail"
    with pytest.raises(DataError, match="lacks the attribute 'names'") as info:
        corridor.validate_graph(H)
    assert info.value.field == "names"


def test_the_verdict_is_cached_and_dropped_when_the_graph_changes():
    H = broken(lambda H: None)
    corridor.route(H, "Almaty", "Baku")
    assert H.__networkx_cache__["corridor.checked"]  # the verdict is kept in the graph
    # networkx empties the cache on every added edge, so a bad new edge is seen
    H.add_edge("baku_rail", "tbilisi_rail", key="bad", mode="rail", status="open",
               time_h=-1.0)
    assert "corridor.checked" not in H.__networkx_cache__
    with pytest.raises(DataError, match="'bad'"):
        corridor.route(H, "Almaty", "Baku")


def test_a_view_is_checked_through_the_graph_it_looks_at():
    H = broken(lambda H: None)
    view = nx.subgraph_view(H, filter_node=lambda n: n != "almaty_airport")
    assert corridor.route(view, "Almaty", "Baku").nodes[0] == "almaty_rail"  # no flight
    assert H.__networkx_cache__["corridor.checked"]
    bad_root = broken(drop_x)
    with pytest.raises(DataError, match="'aktau_rail'"):
        corridor.route(nx.subgraph_view(bad_root), "Almaty", "Baku")


# ----------------------------------------------------------------- property test
#: anything a caller might pass by mistake
ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
    st.text(max_size=6), st.binary(max_size=4), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.tuples(st.integers(), st.integers()), st.just(object()), st.just(nx.Graph()),
)
#: the errors the functions document (a TypeError only as ArgumentTypeError)
DOCUMENTED = (ArgumentTypeError, ValueError, LookupError, nx.NetworkXNoPath, nx.NodeNotFound,
              FileNotFoundError)


def _is_right_type(arg: str, value: Any) -> bool:
    """Values of the right type are skipped: they may run a whole (slow) computation."""
    if arg in ("year", "samples", "seed", "batch_size", "alternatives", "max_routes", "height"):
        return isinstance(value, int) and not isinstance(value, bool)
    if arg in ("offline", "totals", "progress", "shared_ports"):
        return isinstance(value, bool)
    if arg in ("quantile", "cargo_t"):
        return isinstance(value, float | int) and not isinstance(value, bool)
    if arg in ("path", "out", "tiles"):
        return isinstance(value, str)
    return False


ARGS = sorted({(fn, arg) for fn, arg, _, _ in BAD})


@pytest.mark.parametrize(("fn", "arg"), ARGS, ids=[f"{f}-{a}" for f, a in ARGS])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=ANYTHING)
def test_random_wrong_values_raise_only_documented_errors(fn, arg, value):
    if _is_right_type(arg, value):
        return
    try:
        call(fn, **{arg: value})
    except DOCUMENTED as exc:
        assert not isinstance(exc, TypeError) or isinstance(exc, ArgumentTypeError), exc
        if isinstance(exc, ArgumentTypeError):
            assert arg in str(exc)
