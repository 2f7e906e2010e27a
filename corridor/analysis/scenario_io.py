"""Reading scenarios: TOML text to a checked :class:`~corridor.analysis.scenarios.Scenario`.

:func:`parse_scenario` checks the structure (keys, selectors, numbers within the ranges of
``ranges.csv``); :func:`load_scenario` finds a scenario by name (beside the graph's data,
then the shipped ``data/scenarios/``) or by path; :func:`apply_scenario` loads and applies
one. An error is a :class:`~corridor.DataError` naming the file, the line and the field.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from corridor._constants import (
    BASE_SCENARIO_NAMES,
    CAPACITY_UNITS,
    EDGE_MODES,
    NODE_KINDS,
    SCENARIO_DIR,
    STATUSES,
)
from corridor._errors import DataError
from corridor._validate import ROUTING, Needs, check_graph, check_instance, check_path
from corridor.analysis.scenarios import (
    CLOSE_KEYS,
    RANGES_TABLE,
    SCALE_FACTORS,
    SELECTORS,
    SET_FIELDS,
    SET_NUMBERS,
    SET_POSITIVE,
    TEXT_KEYS,
    TOP_KEYS,
    Scenario,
)
from corridor.data import COUNTRY_BOUNDS, EDGES_FILE, data_dir, range_problem, value_range


def _as_list(sc: Scenario, value: Any, fld: str, section: str | None, index: int | None
             ) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise sc.error("must be a string or a list of strings", fld, section, index,
                        fld.rsplit(".", 1)[-1])
    if not value:
        raise sc.error("is an empty list", fld, section, index, fld.rsplit(".", 1)[-1])
    return value


def _check_choices(sc: Scenario, values: list[str], choices: Iterable[str], fld: str,
                   section: str, index: int | None) -> None:
    choices = tuple(choices)
    for value in values:
        if value not in choices:
            msg = f"unknown value {value!r}; choose from {', '.join(choices)}"
            raise sc.error(msg, fld, section, index, value)


def _selectors(sc: Scenario, table: Mapping[str, Any], section: str, index: int
               ) -> dict[str, Any]:
    label = f"{section}[{index}]"
    out: dict[str, Any] = {}
    for key in SELECTORS:
        if key in table:
            out[key] = _as_list(sc, table[key], f"{label}.{key}", section, index)
    if not out:
        msg = f"needs at least one selector: {', '.join(SELECTORS)}"
        raise sc.error(msg, label, section, index)
    if "modes" in out:
        _check_choices(sc, out["modes"], EDGE_MODES, f"{label}.modes", section, index)
    if "kinds" in out:
        _check_choices(sc, out["kinds"], NODE_KINDS, f"{label}.kinds", section, index)
    if "countries" in out:
        _check_choices(sc, out["countries"], sorted(COUNTRY_BOUNDS), f"{label}.countries",
                       section, index)
    return out


def _required_source(sc: Any, table: dict[str, Any], label: str, kind: str, i: int) -> str:
    """The ``source`` of a [[scale]] or [[set]] table, which must name one."""
    source = table.get("source")
    if not isinstance(source, str) or not source.strip():
        msg = "needs a source (an id of sources.csv or estimate:<method>)"
        raise sc.error(msg, f"{label}.source", kind, i)
    return source.strip()


def _unknown_keys(sc: Scenario, table: Mapping[str, Any], allowed: Iterable[str], label: str,
                  section: str | None, index: int | None) -> None:
    allowed = tuple(allowed)
    for key in table:
        if key not in allowed:
            msg = f"unknown key {key!r}; allowed: {', '.join(allowed)}"
            raise sc.error(msg, f"{label}.{key}" if label else key, section, index, key)


def _number(sc: Scenario, value: Any, fld: str, section: str, index: int, key: str,
            *, positive: str | None = None, limit: tuple[str, str] | None = None) -> float:
    """A finite number >= 0 within the ``ranges.csv`` bounds ``limit`` (table, field);
    with ``positive`` (what to do instead), a number > 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise sc.error(f"{value!r} is not a number", fld, section, index, key)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise sc.error(f"{value} is not a finite number", fld, section, index, key)
    if number < 0:
        raise sc.error(f"{value} is negative", fld, section, index, key)
    if positive is not None and number == 0:
        raise sc.error(f"must be above 0 ({positive})", fld, section, index, key)
    problem = range_problem(*limit, number) if limit is not None else None
    if problem is not None:
        raise sc.error(problem, fld, section, index, key)
    return number


def _year(sc: Scenario, value: Any, fld: str, section: str | None, index: int | None,
          limit: tuple[str, str]) -> int:
    """A whole year within the ``ranges.csv`` bounds ``limit`` (table, field)."""
    low, high, _unit = value_range(*limit)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise sc.error(f"{value!r} is not a year between {low:g} and {high:g}", fld, section,
                        index, fld.rsplit(".", 1)[-1])
    return value


def _table_list(sc: Scenario, raw: Any, name: str) -> list[dict[str, Any]]:
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        raise sc.error(f"must be a table [[{name}]] (or a list of them)", name, None, None,
                        name)
    return raw


def _operation(sc: Scenario, table: Mapping[str, Any], section: str, index: int,
               fields: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    """The label and selectors of a [[scale]] or [[set]] table whose keys are checked."""
    label = f"{section}[{index}]"
    _unknown_keys(sc, table, (*SELECTORS, *fields, *TEXT_KEYS), label, section, index)
    return label, _selectors(sc, table, section, index)


def parse_scenario(text: str, *, path: str | None = None, name: str | None = None
                   ) -> Scenario:
    """Parse and check the structure of a scenario given as TOML text.

    Raises
    ------
    DataError
        Bad TOML, an unknown key, a bad value; the message names file, line and field.
    """
    default_name = name or (Path(path).stem if path else "scenario")
    sc = Scenario(name=default_name, path=path, text=text)
    try:
        raw = tomllib.loads(text)
    except RecursionError:
        raise DataError("is nested too deeply to be a scenario", field=None,
                        file=path or f"scenario {default_name!r}") from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise DataError(f"not valid TOML: {exc}", file=path or f"scenario {default_name!r}",
                        row=int(m.group(1)) if m else None, field=None) from None
    _unknown_keys(sc, raw, TOP_KEYS, "", None, None)
    if "name" in raw:
        if not isinstance(raw["name"], str) or not raw["name"].strip():
            raise sc.error("must be a non-empty string", "name", None, None, "name")
        sc.name = raw["name"].strip()
    if "description" in raw:
        if not isinstance(raw["description"], str):
            raise sc.error("must be a string", "description", None, None, "description")
        sc.description = raw["description"].strip()
    if "sources" in raw:
        sc.sources = _as_list(sc, raw["sources"], "sources", None, None)
    if "year" in raw:
        sc.year = _year(sc, raw["year"], "year", None, None, (RANGES_TABLE, "year"))
    if "close" in raw:
        close = raw["close"]
        if not isinstance(close, dict):
            raise sc.error("must be a table [close]", "close", None, None, "close")
        _unknown_keys(sc, close, (*CLOSE_KEYS, *TEXT_KEYS), "close", "close", None)
        if not any(k in close for k in CLOSE_KEYS):
            raise sc.error(f"needs one of {', '.join(CLOSE_KEYS)}", "close", "close", None)
        sc.close = {k: _as_list(sc, close[k], f"close.{k}", "close", None)
                    for k in CLOSE_KEYS if k in close}
    for i, table in enumerate(_table_list(sc, raw.get("scale", []), "scale")):
        label, op = _operation(sc, table, "scale", i, SCALE_FACTORS)
        factors = [k for k in SCALE_FACTORS if k in table]
        if not factors:
            raise sc.error(f"needs a factor: {', '.join(SCALE_FACTORS)}", label, "scale", i)
        for k in factors:
            op[k] = _number(sc, table[k], f"{label}.{k}", "scale", i, k,
                            positive="a factor multiplies the figure; remove links with [close]",
                            limit=(RANGES_TABLE, "scale"))
        for k in TEXT_KEYS:
            if k in table:
                op[k] = str(table[k])
        op["source"] = _required_source(sc, table, label, "scale", i)
        sc.scale.append(op)
    for i, table in enumerate(_table_list(sc, raw.get("set", []), "set")):
        label, op = _operation(sc, table, "set", i, SET_FIELDS)
        values = [k for k in SET_FIELDS if k in table]
        if not values:
            raise sc.error(f"sets nothing; give one of {', '.join(SET_FIELDS)}", label,
                            "set", i)
        op["source"] = _required_source(sc, table, label, "set", i)
        for k in values:
            value = table[k]
            if k in SET_NUMBERS:
                op[k] = _number(sc, value, f"{label}.{k}", "set", i, k,
                                positive=SET_POSITIVE.get(k), limit=(EDGES_FILE, k))
            elif k == "year_open":
                op[k] = _year(sc, value, f"{label}.{k}", "set", i, (EDGES_FILE, k))
            elif k == "status":
                _check_choices(sc, [value], STATUSES, f"{label}.status", "set", i)
                op[k] = value
            elif k == "capacity_unit":
                _check_choices(sc, [value], CAPACITY_UNITS, f"{label}.capacity_unit", "set", i)
                op[k] = value
            else:
                op[k] = str(value)
        if "note" in table:
            op["note"] = str(table["note"])
        sc.set.append(op)
    if not (sc.year is not None or sc.close or sc.scale or sc.set):
        msg = "changes nothing: give year, close, scale or set"
        raise DataError(msg, file=path or f"scenario {sc.name!r}")
    return sc


def scenario_dirs(G: nx.MultiDiGraph | None = None) -> list[Path]:
    """Folders searched for scenario names: beside the graph's data, then the shipped one."""
    dirs = []
    if G is not None and G.graph.get("data_folder"):
        dirs.append(Path(G.graph["data_folder"]) / SCENARIO_DIR)
    shipped = data_dir() / SCENARIO_DIR
    if shipped not in dirs:
        dirs.append(shipped)
    return [d for d in dirs if d.is_dir()]


def list_scenarios(G: nx.MultiDiGraph | None = None) -> list[str]:
    """Names of the scenarios found (shipped ones and those beside the graph's data)."""
    names: list[str] = []
    for d in scenario_dirs(G):
        names.extend(p.stem for p in sorted(d.glob("*.toml")) if p.stem not in names)
    return names


def is_base_scenario(name: object) -> bool:
    """Whether ``name`` is one of :data:`BASE_SCENARIO_NAMES` (the network unchanged, any case)."""
    return isinstance(name, str) and name.lower() in BASE_SCENARIO_NAMES


def load_scenario(name_or_path: str | Path, G: nx.MultiDiGraph | None = None) -> Scenario:
    """Read a scenario by name (``kuryk-closed``) or by path (``my.toml``).

    Raises
    ------
    FileNotFoundError
        No such file or name (the message lists the known names).
    DataError
        The file is malformed (file, line and field named).
    """
    path = check_path(name_or_path, "name_or_path", optional=False)
    if G is not None:
        check_graph(G, Needs())
    text_name = str(name_or_path)
    if not path.is_file():
        if isinstance(name_or_path, str) and not text_name.endswith(".toml") and "/" not in \
                text_name:
            for d in scenario_dirs(G):
                candidate = d / f"{text_name}.toml"
                if candidate.is_file():
                    path = candidate
                    break
        if not path.is_file():
            known = ", ".join(list_scenarios(G)) or "none"
            msg = f"unknown scenario {text_name!r}: no such file or shipped name (known: {known})"
            raise FileNotFoundError(msg)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"not UTF-8 text (byte {exc.start})", file=str(path), row=line) from None
    return parse_scenario(text, path=str(path))


def apply_scenario(G: nx.MultiDiGraph, name_or_path: str | Path | Scenario) -> nx.MultiDiGraph:
    """Return a copy of ``G`` transformed by a scenario (``G`` is left unchanged).

    Parameters
    ----------
    G
        The corridor graph.
    name_or_path
        A shipped scenario name (``2030``, ``kuryk-closed``, ``ferry-delays``,
        ``georgia-border-congestion``), the path of a TOML file, or a :class:`Scenario`.

    Raises
    ------
    FileNotFoundError
        Unknown name or missing file.
    DataError
        Malformed file, or ids that are not in ``G`` (file, line and field named).
    """
    check_graph(G, ROUTING)
    check_instance(name_or_path, (str, Path, Scenario), "name_or_path",
                   "a scenario name, a path or a Scenario", optional=False)
    sc = name_or_path if isinstance(name_or_path, Scenario) else load_scenario(name_or_path, G)
    return sc.apply(G)


__all__ = [
    "BASE_SCENARIO_NAMES",
    "apply_scenario",
    "is_base_scenario",
    "list_scenarios",
    "load_scenario",
    "parse_scenario",
    "scenario_dirs",
]

