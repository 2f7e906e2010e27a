"""The model against published figures (``data/references.csv``, ``corridor data calibrate``).

Each row of ``references.csv`` (read by :func:`corridor.data.read_references`) says how its
computed figure is obtained, in columns, so that no row needs code of its own:

``route``
    :func:`corridor.route` from ``origin`` to ``destination`` (node ids) by the objective
    ``by`` over ``modes`` (transfer and border links always allowed); the figure is one of
    the route's totals. Figures are for a loaded FEU; a row whose modes include air is
    routed as air cargo (``cargo="air"``), since a container does not fly.
``edges``
    The sum of the figure over the edges listed in ``edges`` (a line's sections, a border's
    dwell, a sailing).
``bottleneck``
    :func:`corridor.bottlenecks` (maximum flow in Mt/yr) from ``origin`` to ``destination``
    (the default sources and sinks when blank) over ``modes`` (default rail and sea).

``year`` and ``scenario`` apply to every measure. :func:`reference_table` returns each row
with the computed figure, the ratio computed / published and ``ok`` (the ratio within
``1 ± tolerance``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from corridor._errors import NoRouteError
from corridor.analysis.capacity import DEFAULT_MODES, bottlenecks
from corridor.analysis.scenario_io import apply_scenario
from corridor.data.references import read_references
from corridor.routing import route


def _graph_for(G: nx.MultiDiGraph, scenario: str | None,
               cache: dict[str | None, nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """``G`` or a copy with ``scenario`` applied (applied once per scenario)."""
    if scenario is None:
        return G
    if scenario not in cache:
        cache[scenario] = apply_scenario(G, scenario)
    return cache[scenario]


def _edge_figure(G: nx.MultiDiGraph, edge_id: str, figure: str) -> float:
    """The figure of the edge with id ``edge_id`` (its first direction in the graph)."""
    for _, _, k, d in G.edges(keys=True, data=True):
        if k == edge_id:
            return float(d[figure])
    msg = f"edge {edge_id!r} is not in the graph (closed, or not open in that year?)"
    raise NoRouteError(msg)


def computed_figure(G: nx.MultiDiGraph, row: Mapping[str, Any]) -> float:
    """The model's figure for one reference row (``G`` already has the row's scenario).

    Raises
    ------
    NoRouteError
        When the route does not exist or a listed edge is missing.
    """
    year = row.get("year") or G.graph.get("year")
    if row["measure"] == "route":
        cargo = "air" if "air" in row["modes"] else None  # a figure by air is for air cargo
        found = route(G, row["origin"], row["destination"], by=row["by"], modes=row["modes"],
                      year=year, cargo=cargo)
        return float(found.totals[row["figure"]])
    if row["measure"] == "edges":
        return sum(_edge_figure(G, e, row["figure"]) for e in row["edges"])
    flow = bottlenecks(G, row.get("origin"), row.get("destination"), year=year,
                       modes=row["modes"] or DEFAULT_MODES)
    return flow.max_flow_mt


def reference_table(G: nx.MultiDiGraph, rows: Iterable[Mapping[str, Any]] | None = None
                    ) -> list[dict[str, Any]]:
    """Every reference row with ``computed``, ``ratio`` and ``ok``.

    ``rows`` default to ``references.csv`` of the graph's data folder. A row whose route
    does not exist has ``computed`` None, ``ok`` False and the reason in ``error``.
    """
    if rows is None:
        edge_ids = {k for _, _, k in G.edges(keys=True)}
        rows = read_references(G.graph.get("data_folder"), node_ids=G, edge_ids=edge_ids,
                               sources=G.graph.get("sources", {}))
    graphs: dict[str | None, nx.MultiDiGraph] = {None: G}
    results = []
    for row in rows:
        out = {k: row[k] for k in ("id", "measure", "kind", "basis", "figure", "published",
                                   "tolerance", "source")}
        out.update(computed=None, ratio=None, ok=False, error=None)
        try:
            value = computed_figure(_graph_for(G, row.get("scenario"), graphs), row)
        except (NoRouteError, nx.NetworkXNoPath) as exc:
            out["error"] = str(exc.args[0] if exc.args else exc)
        else:
            ratio = value / row["published"]
            out.update(computed=round(value, 2), ratio=round(ratio, 3),
                       ok=abs(ratio - 1) <= row["tolerance"])
        results.append(out)
    return results


__all__ = ["computed_figure", "reference_table"]
