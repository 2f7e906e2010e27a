"""One route under several scenarios: totals, P50/P90 delay risk and the links that change.

>>> import corridor
>>> G = corridor.load_network()
>>> c = compare(G, "Altynkol", "Alat", ["base", "2030"])
>>> round(c.delta(c.scenarios[1])["time_h"]), c.only_edges(c.scenarios[1])
(-46, [])

The first scenario with a route is the reference the others are measured against.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from corridor._constants import BASE_SCENARIO
from corridor._errors import NoRouteError
from corridor.analysis.reliability import Reliability, reliability
from corridor.analysis.scenario_io import apply_scenario, is_base_scenario
from corridor.routing import Route, route

RISK_FIGURES = ("p50_time_h", "p90_time_h", "p90_cost_usd")


@dataclass(frozen=True)
class ScenarioRoute:
    """The best route under one scenario and its delay risk, or why there is no route."""

    scenario: str
    route: Route | None = None
    reliability: Reliability | None = None
    error: str | None = None

    @property
    def risk(self) -> dict[str, float]:
        """P50 and P90 door-to-door time, P90 cost (empty without a route)."""
        rel = self.reliability
        if rel is None:
            return {}
        return {"p50_time_h": rel.time_h["p50"], "p90_time_h": rel.time_h["p90"],
                "p90_cost_usd": rel.cost_usd["p90"]}

    @property
    def edges(self) -> list[str]:
        """Edge ids of the route, in order (empty without a route)."""
        return [k for _, _, k in self.route.edges] if self.route else []

    @property
    def via(self) -> list[str]:
        """Names of the places passed, from the origin to the destination."""
        if self.route is None:
            return []
        return [self.route.legs[0].from_name, *(leg.to_name for leg in self.route.legs)]

    def to_dict(self) -> dict[str, Any]:
        """The scenario's figures as plain JSON types (without comparison to a reference)."""
        r = self.route
        if r is None:
            return {"scenario": self.scenario, "error": self.error, "totals": None, "legs": [],
                    "edges": [], "warnings": []}
        return {"scenario": self.scenario, "error": None, "totals": dict(r.totals),
                **self.risk, "legs": [leg.to_dict() for leg in r.legs], "edges": self.edges,
                "via": self.via, "warnings": list(r.warnings)}


@dataclass(frozen=True)
class Comparison:
    """The routes of one origin-destination pair under each scenario, in the order given."""

    origin: str
    destination: str
    objective: str
    year: int | None
    scenarios: list[ScenarioRoute]

    @property
    def reference(self) -> ScenarioRoute:
        """The first scenario with a route: the others are compared with it."""
        return next(s for s in self.scenarios if s.route is not None)

    def compared(self, s: ScenarioRoute) -> bool:
        """Whether ``s`` has a route and is not the reference."""
        return s.route is not None and s is not self.reference

    def only_edges(self, s: ScenarioRoute) -> list[str]:
        """Edges ``s`` uses that the reference does not."""
        ref = self.reference.edges
        return [k for k in s.edges if k not in ref] if self.compared(s) else []

    def dropped_edges(self, s: ScenarioRoute) -> list[str]:
        """Edges of the reference that ``s`` no longer uses."""
        return [k for k in self.reference.edges if k not in s.edges] if self.compared(s) else []

    def delta(self, s: ScenarioRoute) -> dict[str, float]:
        """``s`` minus the reference: totals, P50/P90 time and P90 cost (empty if not compared)."""
        if not self.compared(s):
            return {}
        ref = self.reference
        assert s.route is not None and ref.route is not None
        delta = {k: s.route.totals[k] - ref.route.totals[k] for k in ref.route.totals}
        delta.update({k: s.risk[k] - ref.risk[k] for k in RISK_FIGURES})
        return delta

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain JSON types (the ``corridor compare --json`` object)."""
        entries = []
        for s in self.scenarios:
            entry = s.to_dict()
            if self.compared(s):
                entry.update(only_edges=self.only_edges(s), dropped_edges=self.dropped_edges(s),
                             delta=self.delta(s))
            entries.append(entry)
        return {"origin": self.origin, "destination": self.destination,
                "objective": self.objective, "year": self.year,
                "reference": self.reference.scenario, "scenarios": entries}


def scenario_lineup(scenarios: str | Path | Iterable[str | Path]) -> list[str]:
    """The scenarios to compare, in order; one scenario alone is compared with ``base``.

    Raises ValueError when none is given, one is given twice (``base``, ``none`` and
    ``today`` are the same) or only the base network is.
    """
    if isinstance(scenarios, str | Path):
        scenarios = [scenarios]
    names = [str(s) for s in scenarios]
    if not names:
        msg = "no scenario to compare; give at least one, e.g. 'kuryk-closed'"
        raise ValueError(msg)
    keys = [BASE_SCENARIO if is_base_scenario(n) else n.lower() for n in names]
    twice = sorted({n for n, k in zip(names, keys, strict=True) if keys.count(k) > 1})
    if twice:
        msg = f"the same scenario is given more than once ({', '.join(twice)}); give each once"
        raise ValueError(msg)
    if keys == [BASE_SCENARIO]:
        msg = "only the base network is given; compare it with a scenario, e.g. '2030'"
        raise ValueError(msg)
    return names if len(names) > 1 else [BASE_SCENARIO, *names]


def compare(
    G: nx.MultiDiGraph,
    origin: str,
    destination: str,
    scenarios: str | Path | Iterable[str | Path],
    *,
    by: str = "time",
    modes: str | Iterable[str] | None = None,
    year: int | None = None,
    samples: int = 10_000,
    seed: int | None = 0,
) -> Comparison:
    """Route ``origin`` to ``destination`` under each scenario and measure the differences.

    ``scenarios`` are shipped names or TOML files (``base``, ``none`` or ``today``: ``G``
    unchanged; see :func:`scenario_lineup`). ``by``, ``modes`` and ``year`` go to
    :func:`corridor.route`; ``samples`` and ``seed`` to :func:`corridor.reliability`.
    A scenario without a route keeps its error message.

    Raises
    ------
    NoRouteError
        No scenario has a route.
    ValueError, FileNotFoundError, DataError
        A bad scenario list, an unknown scenario or a malformed scenario file.
    """
    results = []
    for name in scenario_lineup(scenarios):
        H = G if is_base_scenario(name) else apply_scenario(G, name)
        try:
            r = route(H, origin, destination, by=by, modes=modes, year=year)
        except NoRouteError as exc:
            results.append(ScenarioRoute(name, error=str(exc)))
            continue
        results.append(ScenarioRoute(name, r, reliability(H, r, samples=samples, seed=seed)))
    if all(s.route is None for s in results):
        raise NoRouteError(results[0].error)
    return Comparison(origin, destination, by, year, results)


__all__ = ["Comparison", "ScenarioRoute", "compare", "scenario_lineup"]
