"""What a search returns: a :class:`Route` and its :class:`Leg` list.

Every cost lives on an edge (ARCHITECTURE.md, "The graph"), so a route's totals are the
plain sum of its edges, and a leg's figures the sum of its edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx
from shapely.geometry import LineString

from corridor.routing.objectives import FIGURES, EdgeKey

if TYPE_CHECKING:
    import geopandas as gpd


@dataclass
class Leg:
    """A stretch of a route on one mode (or one transfer, or one border crossing).

    Figures are the plain sums of the leg's edges, at full precision.
    """

    from_id: str
    to_id: str
    from_name: str
    to_name: str
    mode: str
    distance_km: float
    time_h: float
    cost_usd: float
    co2_kg: float
    edges: list[EdgeKey]
    geometry: LineString

    def to_dict(self) -> dict[str, Any]:
        """The leg as in the JSON contract (plus ``from_id``, ``to_id`` and edge ids)."""
        return {
            "from": self.from_name,
            "to": self.to_name,
            "mode": self.mode,
            "distance_km": self.distance_km,
            "time_h": self.time_h,
            "cost_usd": self.cost_usd,
            "co2_kg": self.co2_kg,
            "from_id": self.from_id,
            "to_id": self.to_id,
            "edges": [k for _, _, k in self.edges],
        }

    def __repr__(self) -> str:
        return (
            f"Leg({self.from_name} → {self.to_name}, {self.mode}, {self.distance_km:.1f} km, "
            f"{self.time_h:.1f} h, {self.cost_usd:.0f} USD, {self.co2_kg:.1f} kg CO2)"
        )


@dataclass
class Route:
    """An itinerary: its nodes, edges, legs and totals, and alternatives to it.

    Attributes
    ----------
    origin, destination
        The end nodes: ``id``, ``name``, ``country``, ``kind``, ``x``, ``y``, ``place``.
    objective
        What was minimised (``time``, ``cost``, ``distance``, ``co2``, a function's name,
        or the criteria of a Pareto search joined by commas).
    nodes, edges
        Node ids and ``(u, v, key)`` edges in order.
    legs
        :class:`Leg` list; consecutive edges of one mode form one leg (but each flight is a leg).
    totals
        ``distance_km``, ``time_h``, ``cost_usd``, ``co2_kg``: sums over the legs.
    alternatives
        Further routes that differ meaningfully (see :func:`route`).
    alternatives_found
        How many such routes exist (``alternatives`` lists the first of them); None when
        no alternatives were asked for.
    warnings
        Things a user should know (a nearby terminal stands in for a place, …).
    query
        What was asked: cargo, tonnes, modes, year, avoid, scenario, and for the origin
        and destination the place asked and the node used.
    weight
        The minimised value (a tuple for a Pareto route).
    graph
        The graph the route was found on (drawn dimmed under the route in Jupyter).
    """

    origin: dict[str, Any]
    destination: dict[str, Any]
    objective: str
    nodes: list[str]
    edges: list[EdgeKey]
    legs: list[Leg]
    totals: dict[str, float]
    alternatives: list[Route] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    alternatives_found: int | None = None
    weight: float | tuple[float, ...] | None = None
    graph: nx.MultiDiGraph | None = field(default=None, repr=False, compare=False)
    query: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The route as the JSON object of ARCHITECTURE.md ("Command line"), figures unrounded."""
        return {
            "origin": dict(self.origin),
            "destination": dict(self.destination),
            "objective": self.objective,
            "totals": dict(self.totals),
            "legs": [leg.to_dict() for leg in self.legs],
            "alternatives": [
                {"totals": dict(alt.totals), "legs": [leg.to_dict() for leg in alt.legs]}
                for alt in self.alternatives
            ],
            "alternatives_found": self.alternatives_found,
            "warnings": list(self.warnings),
            "query": {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.query.items()},
        }

    def query_line(self) -> str:
        """What was asked, in one line: cargo, modes, year, avoid, scenario, nodes used."""
        q = self.query
        if not q:
            return ""
        parts = [f"cargo {q['cargo']} ({q['tonnes']:g} t)", "modes " + ",".join(q["modes"])]
        if q.get("year") is not None:
            parts.append(f"year {q['year']}")
        if q.get("avoid"):
            parts.append("avoid " + ", ".join(q["avoid"]))
        if q.get("scenario"):
            parts.append(f"scenario {q['scenario']}")
        ends = [f"{e['asked']} = {e['node']}" for e in (q["origin"], q["destination"])]
        return "query: " + "; ".join(parts) + " | " + ", ".join(ends)

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """One row per leg with its figures and geometry, CRS EPSG:4326."""
        import geopandas as gpd

        rows = []
        for i, leg in enumerate(self.legs):
            row = {k: v for k, v in leg.to_dict().items() if k != "edges"}
            row["leg"] = i
            row["edges"] = ";".join(str(k) for _, _, k in leg.edges)
            rows.append(row)
        columns = ["leg", "from", "to", "from_id", "to_id", "mode", *FIGURES, "edges"]
        return gpd.GeoDataFrame(
            rows,
            columns=columns,
            geometry=[leg.geometry for leg in self.legs],
            crs="EPSG:4326",
        )

    def _repr_html_(self) -> str:
        """The itinerary table and a map of the route (shown by Jupyter).

        The one lazy import of an upper layer: display is a presentation concern, so the
        HTML is built by :mod:`corridor.maps`, which never imports routing.
        """
        from corridor.maps import route_html

        return route_html(self, self.graph)

    def __repr__(self) -> str:
        t = self.totals
        extra = f", {len(self.alternatives)} alternatives" if self.alternatives else ""
        return (
            f"Route({self.origin.get('name')} → {self.destination.get('name')} by "
            f"{self.objective}: {len(self.legs)} leg{'s' if len(self.legs) != 1 else ''}, "
            f"{t['distance_km']:.1f} km, "
            f"{t['time_h']:.1f} h, {t['cost_usd']:.0f} USD, {t['co2_kg']:.1f} kg CO2{extra})"
        )


__all__ = ["Leg", "Route"]
