"""Argument checks shared by the public functions: one checker per kind of argument.

Each checker returns the value in the form the caller uses and raises

- :class:`ArgumentTypeError` (a ``TypeError`` that is also a ``ValueError``, which
  corridor raised for these before) when the value has the wrong type,
- ``ValueError`` when it has the right type but a wrong value,
- :class:`~corridor.DataError` when a graph breaks the contract (:func:`check_graph`),

always with a message that names the argument.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast, overload

import networkx as nx
import numpy as np
from shapely.geometry import LineString

from corridor._constants import (
    CAPACITY_UNITS,
    EDGE_MODES,
    LINK_MODES,
    NODE_KINDS,
    STATUSES,
    TRANSPORT_MODES,
)
from corridor._errors import DataError

MODES = TRANSPORT_MODES
ALWAYS_ALLOWED = LINK_MODES
FIGURES = ("distance_km", "time_h", "cost_usd", "co2_kg")


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong type (also a ValueError, as corridor raised before)."""


def _type_name(value: Any) -> str:
    return "None" if value is None else type(value).__name__


def _wrong_type(arg: str, wanted: str, value: Any) -> ArgumentTypeError:
    shown = "" if value is None else f" {value!r:.60}"
    return ArgumentTypeError(f"{arg} must be {wanted}, got {_type_name(value)}{shown}")


# ----------------------------------------------------------------------- scalars
def _is_whole(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


@overload
def check_whole(value: Any, arg: str, *, minimum: int, optional: Literal[False] = False) -> int: ...
@overload
def check_whole(value: Any, arg: str, *, minimum: int, optional: bool) -> int | None: ...
def check_whole(value: Any, arg: str, *, minimum: int, optional: bool = False) -> int | None:
    """A whole number >= ``minimum`` (None too when ``optional``)."""
    if value is None and optional:
        return None
    if not _is_whole(value):
        raise _wrong_type(arg, f"a whole number >= {minimum}", value)
    if value < minimum:
        msg = f"{arg} must be a whole number >= {minimum}, got {value!r}"
        raise ValueError(msg)
    return int(value)


@overload
def check_real(value: Any, arg: str, *, low: float, high: float = ..., open_low: bool = ...,
               open_high: bool = ..., optional: Literal[False] = False) -> float: ...
@overload
def check_real(value: Any, arg: str, *, low: float, high: float = ..., open_low: bool = ...,
               open_high: bool = ..., optional: bool) -> float | None: ...
def check_real(value: Any, arg: str, *, low: float, high: float = math.inf,
               open_low: bool = False, open_high: bool = False,
               optional: bool = False) -> float | None:
    """A finite number between ``low`` and ``high`` (bounds excluded when ``open_*``)."""
    if value is None and optional:
        return None
    if not _is_real(value):
        raise _wrong_type(arg, "a number", value)
    x = float(value)
    above = x > low if open_low else x >= low
    below = x < high if open_high else x <= high
    if not (math.isfinite(x) and above and below):
        lo = f"{'>' if open_low else '>='} {low:g}"
        hi = "" if high == math.inf else f" and {'<' if open_high else '<='} {high:g}"
        msg = f"{arg} must be a number {lo}{hi}, got {value!r}"
        raise ValueError(msg)
    return x


def check_year(value: Any, arg: str = "year") -> int | None:
    """None or a year as a whole number (not a bool, a float or a string)."""
    if value is None:
        return None
    if not _is_whole(value):
        raise _wrong_type(arg, "a whole number such as 2030 (or None)", value)
    return int(value)


def check_seed(value: Any, arg: str = "seed") -> int | None:
    """None or a whole number >= 0 (numpy's generator takes no negative seed)."""
    return check_whole(value, arg, minimum=0, optional=True)


def check_flag(value: Any, arg: str) -> bool:
    """True or False (numpy booleans too); no truthy strings or numbers."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    raise _wrong_type(arg, "True or False", value)


def check_instance(value: Any, types: type | tuple[type, ...], arg: str, wanted: str, *,
                   optional: bool = True) -> Any:
    """``value`` itself if it is one of ``types`` (or None when ``optional``)."""
    if (value is None and optional) or isinstance(value, types):
        return value
    raise _wrong_type(arg, wanted + (" or None" if optional else ""), value)


@overload
def check_path(value: Any, arg: str, *, optional: Literal[False]) -> Path: ...
@overload
def check_path(value: Any, arg: str, *, optional: bool = True) -> Path | None: ...
def check_path(value: Any, arg: str, *, optional: bool = True) -> Path | None:
    """A file or folder path (str or os.PathLike)."""
    if value is None and optional:
        return None
    if isinstance(value, str | os.PathLike) and not isinstance(value, bytes):
        text = os.fspath(value)
        if isinstance(text, str) and text.strip():
            return Path(text)
        if isinstance(text, str):
            msg = f"{arg} must not be empty"
            raise ValueError(msg)
    raise _wrong_type(arg, "a path (str or pathlib.Path)" + (" or None" if optional else ""),
                      value)


# ----------------------------------------------------------------------- names
def check_names(value: Any, arg: str) -> tuple[str, ...]:
    """None, one string or an iterable of strings (empty strings dropped)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    elif not isinstance(value, Iterable) or isinstance(value, bytes | dict):
        raise _wrong_type(arg, "a string or a list of strings", value)
    out = []
    for item in value:
        if not isinstance(item, str):
            msg = f"{arg} must hold strings, got {_type_name(item)} {item!r:.60}"
            raise ArgumentTypeError(msg)
        if item.strip():
            out.append(item.strip())
    return tuple(out)


def check_place(value: Any, arg: str) -> str:
    """A place name or node id: a non-empty string."""
    if not isinstance(value, str):
        raise _wrong_type(arg, "a place name or node id (a string)", value)
    if not value.strip():
        msg = f"{arg} is empty; give a place name, e.g. 'Aktau'"
        raise ValueError(msg)
    return value


def check_nodes(value: Any, arg: str, *, optional: bool = True) -> list[Hashable] | None:
    """A list of node ids or place names, or None when ``optional`` (a lone string is
    refused: wrap it in a list)."""
    if value is None and optional:
        return None
    if isinstance(value, str | bytes | dict) or not isinstance(value, Iterable):
        raise _wrong_type(arg, "a list of node ids or place names"
                          + (" (or None)" if optional else ""), value)
    out = list(value)
    for item in out:
        if not isinstance(item, Hashable):
            msg = f"{arg} must hold node ids or place names, got {_type_name(item)}"
            raise ArgumentTypeError(msg)
    return out


def check_modes(modes: Any, arg: str = "modes", *, name_always: bool = True) -> frozenset[str]:
    """The transport modes allowed by ``modes`` (None: all; a list or ``"rail,sea"``).

    Transfer and border edges are always allowed and may be named (unless not
    ``name_always``); anything else raises ValueError naming the choices.
    """
    if modes is None:
        return frozenset(MODES)
    if isinstance(modes, str):
        modes = [m for m in modes.split(",") if m.strip()]
    chosen = {m.strip().lower() for m in check_names(modes, arg)}
    always = sorted(chosen & set(ALWAYS_ALLOWED))
    if always and not name_always:
        msg = (f"{arg}: {' and '.join(always)} links always count, leave them out; choose "
               "from " + ", ".join(MODES))
        raise ValueError(msg)
    unknown = sorted(chosen - set(MODES) - set(ALWAYS_ALLOWED))
    if unknown:
        msg = (
            f"unknown mode(s) {', '.join(map(repr, unknown))}; choose from "
            + ", ".join(MODES)
        )
        raise ValueError(msg)
    chosen -= set(ALWAYS_ALLOWED)
    if not chosen:
        msg = "no mode of transport allowed; choose from " + ", ".join(MODES)
        raise ValueError(msg)
    return frozenset(chosen)


def check_objective_type(by: Any, arg: str = "by", *, functions: bool = True) -> None:
    """``by`` is an objective name (or, where ``functions``, a function of one edge)."""
    if isinstance(by, str) or (functions and callable(by)):
        return
    wanted = "an objective name such as 'time'" + (
        " or a function (u, v, data) -> float | None" if functions else "")
    raise _wrong_type(arg, wanted, by)


# ----------------------------------------------------------------------- the graph
_MISSING = object()


def _blank(v: Any) -> bool:
    return v is None or v is _MISSING or (isinstance(v, float) and v != v)


@dataclass(frozen=True)
class _Rule:
    """What an attribute must be: ``text`` for messages, ``ok`` tests one set value.

    ``low``/``high`` (numbers), ``choices`` or ``types`` give a fast test of a whole
    column; ``ok`` then only finds the first bad value for the message.
    """

    text: str
    ok: Callable[[Any], bool]
    low: float | None = None
    high: float | None = None
    whole: bool = False
    choices: frozenset[str] | None = None
    types: tuple[type, ...] = ()

    def column_ok(self, values: list[Any], blank_ok: bool) -> bool:
        """Whether every value passes (blank ones too when ``blank_ok``)."""
        set_values = [v for v in values if v is not None and v is not _MISSING]
        if not blank_ok and len(set_values) < len(values):
            return False
        if self.low is not None:
            kinds = set(map(type, set_values))
            if not kinds <= {int, float}:
                return all(map(self.ok, (v for v in set_values if not _blank(v))))
            column = np.array(set_values, dtype=np.float64)
            nan = np.isnan(column)
            if nan.any():
                if not blank_ok:
                    return False
                column = column[~nan]
            if self.whole and not np.array_equal(column, np.floor(column)):
                return False
            return not column.size or (column.min() >= self.low and column.max() <= self.high)
        if self.choices is not None:
            try:
                return set(set_values) <= self.choices
            except TypeError:  # an unhashable value
                return False
        return set(map(type, set_values)) <= set(self.types) and all(map(self.ok, set_values))


def _number_rule(text: str, low: float, high: float = math.inf) -> _Rule:
    return _Rule(text, lambda v: _is_real(v) and low <= v <= high, low=low, high=high)


def _choice_rule(choices: Iterable[str]) -> _Rule:
    allowed = frozenset(choices)
    return _Rule("one of " + ", ".join(choices), lambda v: isinstance(v, str) and v in allowed,
                 choices=allowed)


def _type_rule(text: str, kind: type, ok: Callable[[Any], bool] = lambda v: True) -> _Rule:
    return _Rule(text, lambda v: isinstance(v, kind) and ok(v), types=(kind,))


_RULES: dict[str, _Rule] = {
    "x": _number_rule("a longitude in degrees (-180..180)", -180, 180),
    "y": _number_rule("a latitude in degrees (-90..90)", -90, 90),
    "name": _type_rule("a string", str),
    "country": _type_rule("an ISO-2 country code", str, lambda v: len(v) == 2),
    "kind": _choice_rule(NODE_KINDS),
    "names": _type_rule("a dict of names by language", dict),
    "source": _type_rule("a string", str),
    "mode": _choice_rule(EDGE_MODES),
    "status": _choice_rule(STATUSES),
    "capacity_unit": _choice_rule(CAPACITY_UNITS),
    "year_open": _Rule("a whole year", lambda v: _is_real(v) and float(v).is_integer(),
                       low=-math.inf, high=math.inf, whole=True),
    "geometry": _type_rule("a shapely LineString", LineString),
    **{f: _number_rule("a number >= 0", 0)
       for f in (*FIGURES, "time_h_low", "time_h_high", "capacity")},
}


@dataclass(frozen=True)
class Needs:
    """What a function reads of a graph.

    ``nodes`` and ``edges`` must be set on every node and edge; ``optional`` edge
    attributes may be missing or None (the edge is then hidden or counts 0), but must
    follow their rule when set.
    """

    nodes: tuple[str, ...] = ()
    edges: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


ROUTING = Needs(nodes=("x", "y"), edges=("mode", "status"),
                optional=(*FIGURES, "year_open", "geometry"))
RELIABILITY = Needs(edges=("mode",), optional=("time_h", "cost_usd", "time_h_low",
                                               "time_h_high"))
CAPACITY = Needs(edges=("mode", "status"), optional=("capacity", "capacity_unit", "year_open"))
CONTRACT = Needs(nodes=("x", "y", "name", "country", "kind", "names", "source"),
                 edges=("mode", *FIGURES, "status", "geometry", "source"),
                 optional=("year_open", "time_h_low", "time_h_high", "capacity"))

_CACHE_KEY = "corridor.checked"


def graph_root(G: Any) -> Any:
    """The graph a (possibly nested) view looks at (its nodes and edges hold the view's
    attributes); ``G`` itself when it is no view.

    Typed ``Any``: the callers read networkx's private ``_node`` and ``_adj``, which
    the stubs leave out.
    """
    while hasattr(G, "_graph"):
        G = G._graph
    return G


def graph_cache(G: nx.Graph) -> dict[Any, Any]:
    """The ``__networkx_cache__`` of the graph ``G`` (or the view ``G``) looks at.

    networkx empties it whenever nodes or edges are added or removed; a graph without
    one gets a fresh dict, so nothing is kept.
    """
    cache = getattr(graph_root(G), "__networkx_cache__", None)
    return cache if cache is not None else {}


def check_graph(G: Any, needs: Needs = ROUTING, arg: str = "G") -> nx.MultiDiGraph:
    """``G`` itself if it is a MultiDiGraph whose nodes and edges have what ``needs`` says.

    The verdict is kept in ``G.__networkx_cache__``, which networkx empties whenever
    nodes or edges are added or removed, so a second call costs a dict lookup. After
    changing attributes in place, empty it (``G.__networkx_cache__.clear()``).

    Raises
    ------
    ArgumentTypeError
        ``G`` is not a networkx graph.
    DataError
        ``G`` is another kind of networkx graph, or a node or edge lacks an attribute or
        has a wrong value (the message names the node or edge and ``field`` the attribute).
    """
    if not isinstance(G, nx.Graph):
        raise _wrong_type(arg, "a networkx.MultiDiGraph (corridor.load_network())", G)
    if not (G.is_directed() and G.is_multigraph()):
        msg = (f"{arg} must be a networkx.MultiDiGraph, got {type(G).__name__}; "
               "convert it with nx.MultiDiGraph(G) or use corridor.load_network()")
        raise DataError(msg)
    root = graph_root(G)
    checked = graph_cache(root).setdefault(_CACHE_KEY, set())
    if needs in checked:
        return cast(nx.MultiDiGraph, G)
    places = root.graph.get("places", {})
    if not isinstance(places, dict):
        msg = f"{arg}.graph['places'] must be a dict of places, got {_type_name(places)}"
        raise DataError(msg, field="places")
    nodes = list(root._node.values())
    for attr in needs.nodes:
        _check_column(root, arg, nodes, attr, blank_ok=False, edges=False)
    edges = [d for nbrs in root._adj.values() for kd in nbrs.values() for d in kd.values()]
    for attrs, blank_ok in ((needs.edges, False), (needs.optional, True)):
        for attr in attrs:
            _check_column(root, arg, edges, attr, blank_ok=blank_ok, edges=True)
    checked.add(needs)
    return cast(nx.MultiDiGraph, G)  # a directed multigraph: a MultiDiGraph or a view of one


def _check_column(G: Any, arg: str, datas: list[dict[str, Any]], attr: str, *,
                  blank_ok: bool, edges: bool) -> None:
    """Raise DataError naming the first node or edge whose ``attr`` breaks its rule.

    ``G`` is the root graph (``_root``), read through networkx's private dicts.
    """
    rule = _RULES[attr]
    values = [d.get(attr, _MISSING) for d in datas]
    if rule.column_ok(values, blank_ok):
        return
    items: Iterable[tuple[str, Any]] = (
        ((f"edge {u!r} -> {v!r} ({k!r}) of {arg}", d.get(attr, _MISSING))
         for u, nbrs in G._adj.items() for v, kd in nbrs.items() for k, d in kd.items())
        if edges else ((f"node {n!r} of {arg}", d.get(attr, _MISSING)) for n, d in G._node.items()))
    for label, value in items:
        if _blank(value):
            if blank_ok:
                continue
            msg = (f"{label} lacks the attribute {attr!r}" if value is _MISSING
                   else f"{label} has no value for {attr!r}; it must be {rule.text}")
        elif rule.ok(value):
            continue
        else:
            msg = f"{label} has {attr} {value!r:.60}; it must be {rule.text}"
        raise DataError(msg, field=attr)


__all__ = [
    "CAPACITY",
    "CONTRACT",
    "RELIABILITY",
    "ROUTING",
    "ArgumentTypeError",
    "Needs",
    "check_flag",
    "check_graph",
    "check_instance",
    "check_modes",
    "check_names",
    "check_nodes",
    "check_objective_type",
    "check_path",
    "check_place",
    "check_real",
    "check_seed",
    "check_whole",
    "check_year",
    "graph_cache",
]
