"""Scenarios: validated transforms of the corridor graph (what a scenario does).

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

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from corridor._constants import SCENARIO_DIR
from corridor._errors import DataError
from corridor.data import EDGES_FILE, range_problem
from corridor.network import edge_open_in

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

    def error(self, message: str, fld: str, section: str | None = None,
               index: int | None = None, needle: str | None = None) -> DataError:
        """A DataError at the line of ``needle`` (a key or value) in ``section``."""
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
                if not edge_open_in(d, self.year):
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
                        raise self.error(msg, f"{label}.{key}", section, index, ident)

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
                            raise self.error(msg, f"{section}[{i}].source", section, i, "source")
            for ident in self.sources:
                if ident not in known_sources:
                    msg = f"source {ident!r} is not an id in sources.csv"
                    raise self.error(msg, "sources", None, None, "sources")
        check("close", None, self.close, "close")
        for name in ("set", "scale"):
            for i, op in enumerate(getattr(self, name)):
                check(name, i, op, f"{name}[{i}]")
                if not self._select(G, op):
                    msg = "selects no edge of the network; check the selectors"
                    raise self.error(msg, f"{name}[{i}]", name, i)

    def _check_edge(self, d: Mapping[str, Any], index: int, section: str = "set") -> None:
        """Check an edge's figures after a [[set]] or [[scale]] table changed them."""
        label = f"{section}[{index}]"
        for fld in (*SET_NUMBERS, "year_open"):
            value = d.get(fld)
            if value is None:
                continue
            problem = range_problem(EDGES_FILE, fld, value)
            if problem is not None:
                raise self.error(f"edge {d.get('id')!r}: {fld} {problem}", f"{label}.{fld}",
                                  section, index, fld if section == "set" else None)
        if d.get("status") != "open" and d.get("year_open") is None:
            raise self.error(f"edge {d.get('id')!r} becomes {d.get('status')} without a "
                              "year_open; set its expected opening year too",
                              f"{label}.year_open", section, index, "status")
        t, low, high = d.get("time_h"), d.get("time_h_low"), d.get("time_h_high")
        if low is not None and high is not None and low > high:
            raise self.error(f"time_h_low {low} is above time_h_high {high} on edge "
                              f"{d.get('id')!r}", f"set[{index}].time_h_low", "set", index,
                              "time_h_low")
        if t is not None and ((low is not None and t < low) or (high is not None and t > high)):
            raise self.error(f"time_h {t} lies outside its range {low}..{high} on edge "
                              f"{d.get('id')!r}", f"set[{index}].time_h", "set", index,
                              "time_h")
        if d.get("capacity") is not None and not d.get("capacity_unit"):
            raise self.error(f"edge {d.get('id')!r} has a capacity without a unit",
                              f"set[{index}].capacity_unit", "set", index, "capacity")


__all__ = ["SCENARIO_DIR", "Scenario"]
