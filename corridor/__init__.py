"""corridor: an open model of the Trans-Caspian (Middle) transport corridor.

The network of ports, railways, roads, airports and border crossings in Kazakhstan
and Azerbaijan (with the gateways beyond them) as a networkx graph, routes across it
and folium maps of both.

>>> import corridor
>>> G = corridor.load_network()
>>> r = corridor.route(G, "Altynkol", "Alat", by="cost")
>>> [leg.mode for leg in r.legs]
['rail', 'transfer', 'sea', 'transfer']

Public names are imported lazily, so ``import corridor`` stays fast and the heavy
libraries (geopandas, folium) load only when a map or a GeoDataFrame is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor._errors import AmbiguousPlaceError, DataError, NoRouteError, PlaceNotFoundError
from corridor._lazy import lazy_names

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY: dict[str, str] = {
    "load_network": "corridor.network",
    "network_summary": "corridor.network",
    "validate_graph": "corridor.network",
    "to_gdfs": "corridor.network",
    "from_gdfs": "corridor.network",
    "read_dataset": "corridor.data",
    "data_path": "corridor.data",
    "CostModel": "corridor.costs",
    "route": "corridor.routing",
    "pareto": "corridor.routing",
    "Route": "corridor.routing",
    "Leg": "corridor.routing",
    "find_places": "corridor.places",
    "resolve": "corridor.places",
    "od_matrix": "corridor.routing",
    "sweep": "corridor.batch",
    "synthetic_corridor": "corridor.synthetic",
    "reliability": "corridor.analysis",
    "reliability_weight": "corridor.analysis",
    "bottlenecks": "corridor.analysis",
    "compare": "corridor.analysis",
    "apply_scenario": "corridor.analysis",
    "list_scenarios": "corridor.analysis",
    "load_scenario": "corridor.analysis",
    "network_map": "corridor.maps",
    "route_map": "corridor.maps",
    "route_html": "corridor.maps",
    "save_map": "corridor.maps",
    "story_map": "corridor.maps",
    "read_story": "corridor.story_data",
}

__all__ = [
    "AmbiguousPlaceError",
    "DataError",
    "NoRouteError",
    "PlaceNotFoundError",
    "__version__",
    *sorted(_LAZY),
]


__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals(), __all__)

if TYPE_CHECKING:  # for type checkers and IDEs
    from corridor.analysis import (
        apply_scenario,
        bottlenecks,
        compare,
        list_scenarios,
        load_scenario,
        reliability,
        reliability_weight,
    )
    from corridor.batch import sweep
    from corridor.costs import CostModel
    from corridor.data import data_path, read_dataset
    from corridor.maps import network_map, route_html, route_map, save_map, story_map
    from corridor.network import (
        from_gdfs,
        load_network,
        network_summary,
        to_gdfs,
        validate_graph,
    )
    from corridor.places import find_places, resolve
    from corridor.routing import Leg, Route, od_matrix, pareto, route
    from corridor.story_data import read_story
    from corridor.synthetic import synthetic_corridor
