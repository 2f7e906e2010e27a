"""Routes across the corridor graph: itineraries, alternatives, the Pareto front, OD matrices.

Every cost lives on an edge (ARCHITECTURE.md, "The graph"), so a route is a shortest path
on a filtered view of the graph and its totals are the plain sum of its edges. The
package goes by stage:

- :mod:`~corridor.routing.objectives`: what is minimised (``by``), weights, cargo modes;
- :mod:`~corridor.routing.problem`: the filtered view, avoided nodes, places and doors;
- :mod:`~corridor.routing.route`, :mod:`~corridor.routing.alternatives`,
  :mod:`~corridor.routing.pareto`: the searches;
- :mod:`~corridor.routing.legs`, :mod:`~corridor.routing.results`: the :class:`Route`
  they return;
- :mod:`~corridor.routing.csr`, :mod:`~corridor.routing.matrix`: compiled shortest paths
  (scipy) for many pairs at once, :func:`od_matrix`. They load numpy, scipy and pandas,
  so they are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor._lazy import lazy_names
from corridor._validate import check_modes
from corridor.routing.alternatives import MAX_ALTERNATIVES
from corridor.routing.objectives import (
    ALWAYS_ALLOWED,
    FIGURES,
    OBJECTIVES,
    cargo_modes,
    check_objective,
    objective_attr,
)
from corridor.routing.pareto import pareto
from corridor.routing.problem import door_nodes
from corridor.routing.results import Leg, Route
from corridor.routing.route import route

# public name -> module that defines it, imported on first use (numpy, scipy, pandas)
_LAZY: dict[str, str] = {
    "CSRView": "corridor.routing.csr",
    "clear_cache": "corridor.routing.csr",
    "csr_view": "corridor.routing.csr",
    "lengths": "corridor.routing.csr",
    "single_source_lengths": "corridor.routing.csr",
    "od_matrix": "corridor.routing.matrix",
}

__all__ = [
    "ALWAYS_ALLOWED",
    "FIGURES",
    "MAX_ALTERNATIVES",
    "OBJECTIVES",
    "CSRView",
    "Leg",
    "Route",
    "cargo_modes",
    "check_modes",
    "check_objective",
    "clear_cache",
    "csr_view",
    "door_nodes",
    "lengths",
    "objective_attr",
    "od_matrix",
    "pareto",
    "route",
    "single_source_lengths",
]


__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals(), __all__)

if TYPE_CHECKING:  # for type checkers and IDEs
    from corridor.routing.csr import (
        CSRView,
        clear_cache,
        csr_view,
        lengths,
        single_source_lengths,
    )
    from corridor.routing.matrix import od_matrix
