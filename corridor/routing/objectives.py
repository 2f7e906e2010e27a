"""What a route minimises: objective names, edge weight functions and cargo modes.

``by`` names an edge attribute (``time`` → ``time_h``, ``cost`` → ``cost_usd``,
``distance`` → ``distance_km``, ``co2`` → ``co2_kg``), a percentile of time
(``p90_time``), or is a function ``(u, v, data) -> float | None`` of one edge (None
hides the edge, as in networkx).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx

from corridor._validate import check_modes, check_objective_type
from corridor.costs import cargo_graph, cargo_profile

OBJECTIVES: dict[str, str] = {
    "time": "time_h",
    "cost": "cost_usd",
    "distance": "distance_km",
    "co2": "co2_kg",
}
FIGURES = ("distance_km", "time_h", "cost_usd", "co2_kg")
ALWAYS_ALLOWED = ("transfer", "border")

EdgeKey = tuple[str, str, Any]
WeightFunc = Callable[[str, str, Mapping[str, Any]], float | None]
KeyedWeight = Callable[[str, str, Any, Mapping[str, Any]], float | None]
Vector = tuple[float, ...]

_QUANTILE_TIME = re.compile(r"p(\d{1,2})_time")


def _number(value: Any, what: str) -> float | None:
    if value is None:
        return None
    value = float(value)
    if math.isnan(value):
        return None
    if value < 0:
        msg = f"negative {what} {value} on an edge; routing needs weights >= 0"
        raise ValueError(msg)
    return value


def _quantile(by: Any) -> int | None:
    """The percentile of a ``"pNN_time"`` objective (None for anything else)."""
    if isinstance(by, str) and (m := _QUANTILE_TIME.fullmatch(by)) and int(m.group(1)) > 0:
        return int(m.group(1))
    return None


def reliability_objective(G: nx.MultiDiGraph, by: str | WeightFunc) -> str | WeightFunc:
    """Turn ``"p90_time"`` (any ``pNN_time``) into the analysis module's quantile weight."""
    percent = _quantile(by)
    if percent is not None:
        from corridor.analysis.reliability import reliability_weight  # numpy, scipy: on demand

        return reliability_weight(G, percent / 100)
    return by


def edge_weight(by: str | WeightFunc) -> tuple[str, WeightFunc]:
    """(name, function of one edge) for an objective name or a callable."""
    if callable(by):
        name = getattr(by, "__name__", "custom")
        name = "custom" if name == "<lambda>" else name
        weigh = by  # narrowed to the callable, for the closure

        def custom(u: str, v: str, d: Mapping[str, Any]) -> float | None:
            return _number(weigh(u, v, d), f"weight from {name}")

        return name, custom
    if isinstance(by, str) and by.lower() in OBJECTIVES:
        by = by.lower()
        attr = OBJECTIVES[by]

        def figure(u: str, v: str, d: Mapping[str, Any]) -> float | None:
            return _number(d.get(attr), attr)

        return by, figure
    msg = (
        f"unknown objective {by!r}; choose one of {', '.join(OBJECTIVES)}, "
        "p90_time (or another pNN_time: time at that percentile of each edge) "
        "or give a function (u, v, data) -> float | None"
    )
    raise ValueError(msg)


def check_objective(by: str | WeightFunc, arg: str = "by") -> str:
    """Validate ``by`` early (before loading anything); return its name."""
    check_objective_type(by, arg)
    if _quantile(by) is not None:
        return by  # type: ignore[return-value]
    return edge_weight(by)[0]


def objective_attr(by: str) -> str:
    """The edge attribute of an objective (``time`` -> ``time_h``; attribute names pass)."""
    check_objective_type(by, functions=False)
    if by in OBJECTIVES:
        return OBJECTIVES[by]
    if by in FIGURES:
        return by
    msg = (f"unknown objective by={by!r}; use one of {', '.join(OBJECTIVES)} "
           f"(or an attribute: {', '.join(FIGURES)})")
    raise ValueError(msg)


def keyed(fn: WeightFunc) -> KeyedWeight:
    """``fn`` as a function of ``(u, v, key, data)``."""
    return lambda u, v, _k, d: fn(u, v, d)


def dominates_weakly(a: Vector, b: Vector) -> bool:
    """``a`` is at least as good as ``b`` in every criterion."""
    return all(x <= y for x, y in zip(a, b, strict=True))


def cargo_modes(G: nx.MultiDiGraph, modes: Iterable[str] | str | None, cargo: str | None,
                tonnes: float | None) -> tuple[frozenset[str], nx.MultiDiGraph, dict[str, Any]]:
    """The modes a shipment may use, the graph priced for it, and its query echo.

    With no ``modes`` the profile's own apply; modes the profile cannot use (a container
    by air) raise ValueError naming the cargo that can.
    """
    profile = cargo_profile(G, cargo)
    if modes is None:
        allowed = profile.modes
    else:
        allowed = check_modes(modes)
        if allowed - profile.modes:
            refused = ", ".join(sorted(allowed - profile.modes))
            msg = (f"cargo {profile.id!r} ({profile.name}) cannot go by {refused}; it moves by "
                   f"{', '.join(sorted(profile.modes))} (for air cargo choose cargo 'air', --cargo air)")
            raise ValueError(msg)
        allowed = allowed & profile.modes
    priced = cargo_graph(G, profile.id, tonnes)
    mass = float(priced.graph.get("cargo_t") or profile.mass_t)
    echo = {"cargo": profile.id, "tonnes": mass, "modes": sorted(allowed)}
    return allowed, priced, echo


__all__ = ["ALWAYS_ALLOWED", "FIGURES", "OBJECTIVES", "EdgeKey", "KeyedWeight", "Vector",
           "WeightFunc", "cargo_modes", "check_objective", "dominates_weakly", "edge_weight",
           "keyed", "objective_attr", "reliability_objective"]
