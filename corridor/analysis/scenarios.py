"""Scenarios: validated TOML files that transform the corridor graph.

A scenario is a **pure** transform: :func:`apply_scenario` returns a modified copy and
leaves its input unchanged. The shipped scenarios are in ``data/scenarios/`` (see the
README there for the format); a user can pass the path of their own file.

Operations, applied in this order:

``set``
    Override attributes of the selected edges (e.g. a port's capacity after an
    expansion, a planned line's status). Needs a ``source``.
``year``
    Use the network as of that year: links opened by then become ``open`` (so that a
    route without ``year=`` uses them), the others are removed.
``scale``
    Multiply ``time`` (``time_h`` and its range), ``cost`` (``cost_usd``) or
    ``capacity`` of the selected edges by a finite factor above 0. Needs a ``source``.
``close``
    Remove edges (by id), and every edge touching the given nodes or places. The nodes
    stay in the graph (marked ``closed=True``) so a place can still be named: a route to
    it then fails with "no route".

Edges are selected by ``edges`` (ids), ``modes``, ``kinds`` (node kind at either end),
``nodes`` or ``places`` (an end among them), ``countries`` (an end in them); every
selector given must match. An unknown key, id, mode or kind raises
:class:`~corridor.DataError` naming the file, the line and the field.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from corridor._errors import DataError
from corridor._validate import ROUTING, Needs, check_graph, check_instance, check_path
from corridor.data import (
    CAPACITY_UNITS,
    COUNTRY_BOUNDS,
    EDGE_MODES,
    EDGES_FILE,
    NODE_KINDS,
    STATUSES,
    data_dir,
    range_problem,
    value_range,
)

SCENARIO_DIR = "scenarios"
TOP_KEYS = ("name", "description", "year", "close", "scale", "set", "sources")
SELECTORS = ("edges", "modes", "kinds", "nodes", "places", "countries")
SCALE_FACTORS = ("time", "cost", "capacity")
SET_NUMBERS = ("distance_km", "time_h", "time_h_low", "time_h_high", "cost_usd", "co2_kg",
               "capacity")
# numbers of ``set`` that must be above 0 (co2_kg may be 0), and what to do instead
SET_POSITIVE = {
    "distance_km": "a link has a length",
    "time_h": "every link takes some time; remove links with [close]",
    "time_h_low": "every link takes some time",
    "time_h_high": "every link takes some time",
    "cost_usd": "every link costs something; remove links with [close]",
    "capacity": "remove links with [close]",
}
SET_FIELDS = (*SET_NUMBERS, "capacity_unit", "status", "year_open", "notes")
RANGES_TABLE = "scenario"  # the table of ranges.csv that bounds scale factors and years
CLOSE_KEYS = ("edges", "nodes", "places")
TEXT_KEYS = ("source", "note")


@dataclass
class Scenario:
    """A parsed, structurally valid scenario (ids are checked against a graph on apply).

    Attributes
    ----------
    name, description
        From the file (``name`` defaults to the file name without ``.toml``).
    year
        Network as of this year, or None.
    close
        ``edges``, ``nodes`` and ``places`` lists.
    scale, set
        Lists of operations: each a dict of selectors plus factors or attribute values.
    path, text
        Where the scenario came from (for error messages).
    """

    name: str
    description: str = ""
    year: int | None = None
    close: dict[str, list[str]] = field(default_factory=dict)
    scale: list[dict[str, Any]] = field(default_factory=list)
    set: list[dict[str, Any]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    path: str | None = None
    text: str = ""

    # ------------------------------------------------------------ error locations
    def _line(self, section: str | None, index: int | None = None,
              needle: str | None = None) -> int | None:
        """Best-effort 1-based line of ``needle`` (a key or a quoted value) in a section."""
        lines = self.text.splitlines()
        start = 0
        if section is not None:
            header = re.compile(rf"^\s*\[\[?\s*{re.escape(section)}\s*\]\]?\s*(#.*)?$")
            hits = [i for i, line in enumerate(lines) if header.match(line)]
            if hits:
                start = hits[min(index or 0, len(hits) - 1)]
            else:  # inline table / array on one line
                key = re.compile(rf"^\s*{re.escape(section)}\s*=")
                hits = [i for i, line in enumerate(lines) if key.match(line)]
                start = hits[0] if hits else 0
        if needle is None:
            return start + 1 if lines else None
        key_re = re.compile(rf"^\s*{re.escape(needle)}\s*=")
        for i in range(start, len(lines)):
            if key_re.match(lines[i]) or f'"{needle}"' in lines[i] or f"'{needle}'" in lines[i]:
                return i + 1
        return start + 1 if section is not None and lines else None

    def _error(self, message: str, fld: str, section: str | None = None,
               index: int | None = None, needle: str | None = None) -> DataError:
        return DataError(message, file=self.path or f"scenario {self.name!r}",
                         row=self._line(section, index, needle), field=fld)

    # ------------------------------------------------------------ apply
    def apply(self, G: nx.MultiDiGraph) -> nx.MultiDiGraph:
        """Return a transformed copy of ``G`` (``G`` itself is not modified)."""
        self._check_ids(G)
        H = G.copy()
        for i, op in enumerate(self.set):
            values = {k: v for k, v in op.items() if k in SET_FIELDS}
            for u, v, k in self._select(G, op):
                d = H.edges[u, v, k]
                d.update(values)
                src = str(op["source"])
                if src not in str(d.get("source") or "").split(";"):
                    d["source"] = f"{d['source']};{src}" if d.get("source") else src
                self._check_edge(d, i)
        if self.year is not None:
            drop = []
            for u, v, k, d in H.edges(keys=True, data=True):
                opened = d.get("year_open")
                usable = (d.get("status") == "open" if opened is None
                          else int(opened) <= self.year)
                if not usable:
                    drop.append((u, v, k))
                elif d.get("status") != "open":
                    d["status_planned"] = d["status"]
                    d["status"] = "open"
            H.remove_edges_from(drop)
            H.graph["year"] = self.year
        for i, op in enumerate(self.scale):
            for u, v, k in self._select(G, op):
                if not H.has_edge(u, v, k):
                    continue
                d = H.edges[u, v, k]
                if "time" in op:
                    for attr in ("time_h", "time_h_low", "time_h_high"):
                        if d.get(attr) is not None:
                            d[attr] = d[attr] * op["time"]
                if "cost" in op and d.get("cost_usd") is not None:
                    d["cost_usd"] = d["cost_usd"] * op["cost"]
                if "capacity" in op and d.get("capacity") is not None:
                    d["capacity"] = d["capacity"] * op["capacity"]
                self._check_edge(d, i, "scale")
        if self.close:
            closed_nodes = set(self.close.get("nodes", []))
            places = set(self.close.get("places", []))
            closed_nodes |= {n for n, d in G.nodes(data=True) if d.get("place") in places}
            edge_ids = set(self.close.get("edges", []))
            drop = [(u, v, k) for u, v, k in H.edges(keys=True)
                    if k in edge_ids or u in closed_nodes or v in closed_nodes]
            H.remove_edges_from(drop)
            for n in closed_nodes:
                H.nodes[n]["closed"] = True
        previous = G.graph.get("scenario")
        H.graph["scenario"] = f"{previous}+{self.name}" if previous else self.name
        return H

    def _select(self, G: nx.MultiDiGraph, op: Mapping[str, Any]) -> list[tuple[Any, Any, Any]]:
        ids = set(op["edges"]) if "edges" in op else None
        modes = set(op["modes"]) if "modes" in op else None
        kinds = set(op["kinds"]) if "kinds" in op else None
        countries = set(op["countries"]) if "countries" in op else None
        nodes = set(op.get("nodes", ()))
        if "places" in op:
            wanted = set(op["places"])
            nodes |= {n for n, d in G.nodes(data=True) if d.get("place") in wanted}
        use_nodes = "nodes" in op or "places" in op
        out = []
        for u, v, k, d in G.edges(keys=True, data=True):
            if ids is not None and k not in ids:
                continue
            if modes is not None and d.get("mode") not in modes:
                continue
            ends = (G.nodes[u], G.nodes[v])
            if kinds is not None and not any(e.get("kind") in kinds for e in ends):
                continue
            if countries is not None and not any(e.get("country") in countries for e in ends):
                continue
            if use_nodes and u not in nodes and v not in nodes:
                continue
            out.append((u, v, k))
        return out

    def _check_ids(self, G: nx.MultiDiGraph) -> None:
        edge_ids = {k for _, _, k in G.edges(keys=True)}
        places = G.graph.get("places", {})
        place_ids = set(places) | {d.get("place") for _, d in G.nodes(data=True)}

        def check(section: str, index: int | None, op: Mapping[str, Any], label: str) -> None:
            for key, known, what in (("edges", edge_ids, "edge"), ("nodes", set(G.nodes), "node"),
                                     ("places", place_ids, "place")):
                for ident in op.get(key, ()):
                    if ident not in known:
                        msg = f"unknown {what} id {ident!r} (not in the network)"
                        raise self._error(msg, f"{label}.{key}", section, index, ident)

        known_sources = set(G.graph.get("sources") or {})
        if known_sources:
            for section, ops in (("set", self.set), ("scale", self.scale)):
                for i, op in enumerate(ops):
                    for part in str(op.get("source") or "").split(";"):
                        part = part.strip()
                        if part and not part.startswith("estimate:") and \
                                part not in known_sources:
                            msg = (f"source {part!r} is not an id in sources.csv "
                                   "(or use estimate:<method>)")
                            raise self._error(msg, f"{section}[{i}].source", section, i, "source")
            for ident in self.sources:
                if ident not in known_sources:
                    msg = f"source {ident!r} is not an id in sources.csv"
                    raise self._error(msg, "sources", None, None, "sources")
        check("close", None, self.close, "close")
        for name in ("set", "scale"):
            for i, op in enumerate(getattr(self, name)):
                check(name, i, op, f"{name}[{i}]")
                if not self._select(G, op):
                    msg = "selects no edge of the network; check the selectors"
                    raise self._error(msg, f"{name}[{i}]", name, i)

    def _check_edge(self, d: Mapping[str, Any], index: int, section: str = "set") -> None:
        """Check an edge's figures after a [[set]] or [[scale]] table changed them."""
        label = f"{section}[{index}]"
        for fld in (*SET_NUMBERS, "year_open"):
            value = d.get(fld)
            if value is None:
                continue
            problem = range_problem(EDGES_FILE, fld, value)
            if problem is not None:
                raise self._error(f"edge {d.get('id')!r}: {fld} {problem}", f"{label}.{fld}",
                                  section, index, fld if section == "set" else None)
        if d.get("status") != "open" and d.get("year_open") is None:
            raise self._error(f"edge {d.get('id')!r} becomes {d.get('status')} without a "
                              "year_open; set its expected opening year too",
                              f"{label}.year_open", section, index, "status")
        t, low, high = d.get("time_h"), d.get("time_h_low"), d.get("time_h_high")
        if low is not None and high is not None and low > high:
            raise self._error(f"time_h_low {low} is above time_h_high {high} on edge "
                              f"{d.get('id')!r}", f"set[{index}].time_h_low", "set", index,
                              "time_h_low")
        if t is not None and ((low is not None and t < low) or (high is not None and t > high)):
            raise self._error(f"time_h {t} lies outside its range {low}..{high} on edge "
                              f"{d.get('id')!r}", f"set[{index}].time_h", "set", index,
                              "time_h")
        if d.get("capacity") is not None and not d.get("capacity_unit"):
            raise self._error(f"edge {d.get('id')!r} has a capacity without a unit",
                              f"set[{index}].capacity_unit", "set", index, "capacity")


# ------------------------------------------------------------------ parsing
def _as_list(sc: Scenario, value: Any, fld: str, section: str, index: int | None
             ) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise sc._error("must be a string or a list of strings", fld, section, index,
                        fld.rsplit(".", 1)[-1])
    if not value:
        raise sc._error("is an empty list", fld, section, index, fld.rsplit(".", 1)[-1])
    return value


def _check_choices(sc: Scenario, values: list[str], choices: Iterable[str], fld: str,
                   section: str, index: int | None) -> None:
    choices = tuple(choices)
    for value in values:
        if value not in choices:
            msg = f"unknown value {value!r}; choose from {', '.join(choices)}"
            raise sc._error(msg, fld, section, index, value)


def _selectors(sc: Scenario, table: Mapping[str, Any], section: str, index: int
               ) -> dict[str, Any]:
    label = f"{section}[{index}]"
    out: dict[str, Any] = {}
    for key in SELECTORS:
        if key in table:
            out[key] = _as_list(sc, table[key], f"{label}.{key}", section, index)
    if not out:
        msg = f"needs at least one selector: {', '.join(SELECTORS)}"
        raise sc._error(msg, label, section, index)
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
        raise sc._error(msg, f"{label}.source", kind, i)
    return source.strip()


def _unknown_keys(sc: Scenario, table: Mapping[str, Any], allowed: Iterable[str], label: str,
                  section: str | None, index: int | None) -> None:
    allowed = tuple(allowed)
    for key in table:
        if key not in allowed:
            msg = f"unknown key {key!r}; allowed: {', '.join(allowed)}"
            raise sc._error(msg, f"{label}.{key}" if label else key, section, index, key)


def _number(sc: Scenario, value: Any, fld: str, section: str, index: int, key: str,
            *, positive: str | None = None, limit: tuple[str, str] | None = None) -> float:
    """A finite number >= 0 within the ``ranges.csv`` bounds ``limit`` (table, field);
    with ``positive`` (what to do instead), a number > 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise sc._error(f"{value!r} is not a number", fld, section, index, key)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise sc._error(f"{value} is not a finite number", fld, section, index, key)
    if number < 0:
        raise sc._error(f"{value} is negative", fld, section, index, key)
    if positive is not None and number == 0:
        raise sc._error(f"must be above 0 ({positive})", fld, section, index, key)
    problem = range_problem(*limit, number) if limit is not None else None
    if problem is not None:
        raise sc._error(problem, fld, section, index, key)
    return number


def _year(sc: Scenario, value: Any, fld: str, section: str | None, index: int | None,
          limit: tuple[str, str]) -> int:
    """A whole year within the ``ranges.csv`` bounds ``limit`` (table, field)."""
    low, high, _unit = value_range(*limit)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise sc._error(f"{value!r} is not a year between {low:g} and {high:g}", fld, section,
                        index, fld.rsplit(".", 1)[-1])
    return value


def _table_list(sc: Scenario, raw: Any, name: str) -> list[dict[str, Any]]:
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        raise sc._error(f"must be a table [[{name}]] (or a list of them)", name, None, None,
                        name)
    return raw


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
            raise sc._error("must be a non-empty string", "name", None, None, "name")
        sc.name = raw["name"].strip()
    if "description" in raw:
        if not isinstance(raw["description"], str):
            raise sc._error("must be a string", "description", None, None, "description")
        sc.description = raw["description"].strip()
    if "sources" in raw:
        sc.sources = _as_list(sc, raw["sources"], "sources", None, None)
    if "year" in raw:
        sc.year = _year(sc, raw["year"], "year", None, None, (RANGES_TABLE, "year"))
    if "close" in raw:
        close = raw["close"]
        if not isinstance(close, dict):
            raise sc._error("must be a table [close]", "close", None, None, "close")
        _unknown_keys(sc, close, (*CLOSE_KEYS, *TEXT_KEYS), "close", "close", None)
        if not any(k in close for k in CLOSE_KEYS):
            raise sc._error(f"needs one of {', '.join(CLOSE_KEYS)}", "close", "close", None)
        sc.close = {k: _as_list(sc, close[k], f"close.{k}", "close", None)
                    for k in CLOSE_KEYS if k in close}
    for i, table in enumerate(_table_list(sc, raw.get("scale", []), "scale")):
        label = f"scale[{i}]"
        _unknown_keys(sc, table, (*SELECTORS, *SCALE_FACTORS, *TEXT_KEYS), label, "scale", i)
        op = _selectors(sc, table, "scale", i)
        factors = [k for k in SCALE_FACTORS if k in table]
        if not factors:
            raise sc._error(f"needs a factor: {', '.join(SCALE_FACTORS)}", label, "scale", i)
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
        label = f"set[{i}]"
        _unknown_keys(sc, table, (*SELECTORS, *SET_FIELDS, *TEXT_KEYS), label, "set", i)
        op = _selectors(sc, table, "set", i)
        values = [k for k in SET_FIELDS if k in table]
        if not values:
            raise sc._error(f"sets nothing; give one of {', '.join(SET_FIELDS)}", label,
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
    "Scenario",
    "apply_scenario",
    "list_scenarios",
    "load_scenario",
    "parse_scenario",
]
