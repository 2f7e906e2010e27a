"""Fuzzing the whole pipeline with arbitrary text, numbers and TOML (hypothesis).

A copy of the shipped data folder gets one hostile change per example: a node's or a
place's name, an edge figure, or a scenario file. Whatever the change:

- ``data validate`` and ``load_network`` agree (both refuse it with a ``DataError``, or
  both take it);
- ``route``, ``apply_scenario`` and ``route_map`` raise only the documented errors;
- a route's JSON is strict (no ``Infinity``/``NaN``), through the API and the CLI;
- a template payload in a name is never evaluated in the HTML;
- the CLI exits with 0, 2, 3 or 4 and never shows a traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import shutil
from pathlib import Path

import networkx as nx
import pytest
from hostile import load_hostile
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import corridor.cli as cli
from corridor import (
    AmbiguousPlaceError,
    DataError,
    NoRouteError,
    PlaceNotFoundError,
    apply_scenario,
    load_network,
    route,
    route_map,
)
from corridor.data import data_dir
from corridor.data.checks import validate_folder

# Evaluated by Jinja, this gives "ZZZQX", which nothing else in a map contains.
PAYLOAD = "{{ 'Z' * 3 ~ 'QX' }}"
EVALUATED = "ZZZQX"
ROUTE_ERRORS = (NoRouteError, PlaceNotFoundError, AmbiguousPlaceError, DataError, ValueError)
FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

texts = st.one_of(st.text(min_size=1, max_size=40),
                  st.sampled_from([h.text for h in load_hostile()]))
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from(["1e308", "-0", "0x10", "1_000", "", " 3 ", "nan", "inf", "١٢"]),
)
EDGE_FIELDS = ["distance_km", "time_h", "time_h_low", "time_h_high", "cost_usd", "capacity",
               "year_open"]


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> None:
        msg = f"non-finite number {constant} in JSON"
        raise AssertionError(msg)

    return json.loads(text, parse_constant=refuse)


def _rewrite(path: Path, row_id: str, column: str, value: str) -> None:
    """Set one cell of a CSV data file (found by the row's id) to ``value``."""
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index(column)
    for row in rows[1:]:
        if row and row[0] == row_id:
            row[col] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _one_line(text: str) -> str:
    """CSV cells hold no line break (the loader refuses them; tested elsewhere)."""
    return text.replace("\r", " ").replace("\n", " ").replace("\u2028", " ")


@pytest.fixture
def folder(tmp_path_factory: pytest.TempPathFactory):
    """A function returning a fresh copy of the shipped data folder."""
    def copy() -> Path:
        target = tmp_path_factory.mktemp("fuzzdata") / "data"
        shutil.copytree(data_dir(), target)
        return target

    return copy


def _cli(*args: str) -> tuple[int, str, str]:
    """Run the console entry point in-process; any exception but SystemExit fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        else:  # pragma: no cover - main always exits
            code = 0
    return code, out.getvalue(), err.getvalue()


def _check_cli(*args: str) -> None:
    code, out, err = _cli(*args)
    assert code in (0, 2, 3, 4), (code, out, err)
    assert "Traceback" not in err + out
    if code == 0 and "--json" in args:
        _strict_json(out)
    elif code:
        assert err.strip(), "an error exit says why on stderr"


def _load_as_validated(data: Path) -> nx.MultiDiGraph | None:
    """Load ``data``, checking that ``load_network`` and ``data validate`` agree.

    ``data validate`` also checks the scenarios of the folder, which ``load_network`` does
    not read: a refusal by validate alone must name a scenario file.
    """
    try:
        validate_folder(data)
        refused = None
    except DataError as exc:
        refused = exc
    try:
        G = load_network(data)
    except DataError:
        assert refused is not None, "load_network refused what data validate accepted"
        return None
    if refused is not None:
        assert "scenarios" in Path(str(refused.file)).parts, refused
        return None
    return G


def _check_route_and_map(G: nx.MultiDiGraph, origin: str, destination: str) -> None:
    try:
        r = route(G, origin, destination, by="cost")
    except ROUTE_ERRORS as exc:
        event(f"route refused: {type(exc).__name__}")
        return
    event("route found")
    json.dumps(r.to_dict(), allow_nan=False)  # raises on Infinity/NaN
    assert all(math.isfinite(v) for v in r.totals.values())
    html = route_map(r, offline=True).get_root().render()
    assert EVALUATED not in html


def _route_from_folder(data: Path) -> None:
    """Load a fuzzed folder as validated, then route and map on it, by API and CLI."""
    G = _load_as_validated(data)
    if G is None:
        return
    _check_route_and_map(G, "altynkol", "alat_port_rail")
    _check_cli("route", "altynkol", "alat_port_rail", "--by", "cost", "--json",
               "--data", str(data))


@FUZZ
@given(name=texts, where=st.sampled_from(["node", "place", "alias"]))
def test_hostile_names_are_refused_or_shown_as_text(folder, name: str, where: str) -> None:
    data = folder()
    text = _one_line(name) + PAYLOAD
    if where == "node":
        _rewrite(data / "nodes.csv", "altynkol", "name", text)
    elif where == "place":
        _rewrite(data / "places.csv", "alat", "name", text)
    else:
        _rewrite(data / "places.csv", "aktau", "aliases", text)
    _route_from_folder(data)


@FUZZ
@given(value=numbers, field=st.sampled_from(EDGE_FIELDS),
       edge=st.sampled_from(["sea_aktau_alat", "rail_beyneu_mangystau", "alat_load_rail",
                             "border_khorgos_cn_rail_altynkol"]))
def test_any_edge_figure_is_refused_or_gives_finite_answers(folder, value, field: str,
                                                            edge: str) -> None:
    data = folder()
    _rewrite(data / "edges.csv", edge, field, str(value))
    _route_from_folder(data)


# -------------------------------------------------------------------- scenarios
toml_scalars = st.one_of(
    st.text(max_size=20).map(lambda s: json.dumps(s, ensure_ascii=False)),
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda x: "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf") if math.isinf(x)
        else repr(x)),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["true", "false", "[]", "{}", '["aktau_port_quay"]', '["rail"]',
                     '["KZ"]', '["sea_aktau_alat"]', "1979-05-27"]),
)
KEYS = ["name", "description", "sources", "year", "source", "note", "nodes", "edges",
        "places", "modes", "countries", "time", "cost", "capacity", "distance_km", "time_h",
        "cost_usd", "co2_kg", "capacity_unit", "status", "year_open", "notes", "junk"]
tables = st.dictionaries(st.sampled_from(KEYS), toml_scalars, max_size=6)


def _toml(top: dict[str, str], sections: list[tuple[str, dict[str, str]]]) -> str:
    lines = [f"{k} = {v}" for k, v in top.items()]
    for header, body in sections:
        lines.append(header)
        lines += [f"{k} = {v}" for k, v in body.items()]
    return "\n".join(lines) + "\n"


def _plausible(name: str, factor: str, attr: str, value: str, text: str) -> str:
    """A well-formed scenario whose name, numbers and texts are fuzzed."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _toml({"name": json.dumps(name, ensure_ascii=False), "description": quoted}, [
        ("[[scale]]", {"modes": '["rail"]', "time": factor, "source": '"estimate:fuzz"',
                       "note": quoted}),
        ("[[set]]", {"edges": '["sea_aktau_alat"]', attr: value, "source": '"estimate:fuzz"',
                     "note": quoted}),
    ])


scenario_texts = st.one_of(
    st.builds(_plausible, st.text(max_size=30),
              st.one_of(toml_scalars, st.floats(0.05, 20).map(repr)),
              st.sampled_from(["distance_km", "cost_usd", "co2_kg", "capacity", "status",
                               "year_open", "notes"]),
              st.one_of(toml_scalars, st.floats(0.5, 5000).map(repr),
                        st.sampled_from(['"open"', '"planned"', "2031"])), texts.map(_one_line)),
    st.builds(_toml, tables,
              st.lists(st.tuples(st.sampled_from(["[close]", "[[scale]]", "[[set]]",
                                                  "[junk]", "[[close]]"]), tables),
                       max_size=3)),
    st.text(max_size=200),
    st.integers(min_value=1, max_value=5000).map(lambda n: "a = " + "[" * n + "]" * n),
)


@pytest.fixture(scope="module")
def base_graph() -> nx.MultiDiGraph:
    return load_network()


@settings(FUZZ, max_examples=60)
@given(text=scenario_texts)
def test_any_scenario_file_is_refused_or_applied(tmp_path_factory, base_graph, text: str):
    path = tmp_path_factory.mktemp("scenario") / "fuzz.toml"
    path.write_text(text, encoding="utf-8")
    try:
        H = apply_scenario(base_graph, path)
    except DataError as exc:
        event(f"scenario refused: {exc.field}")
    else:
        assert H is not base_graph
        _check_route_and_map(H, "altynkol", "alat_port_rail")
    _check_cli("route", "altynkol", "alat_port_rail", "--by", "cost", "--json",
               "--scenario", str(path))
