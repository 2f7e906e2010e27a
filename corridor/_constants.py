"""The model's vocabulary, in one place: modes, node kinds, statuses, units and names.

Every module that checks or lists one of these imports it from here, so that adding a
mode or a unit is a one-line change.
"""

from __future__ import annotations

#: Kinds of node (``nodes.csv`` ``kind``).
NODE_KINDS = ("port", "rail_station", "road_node", "airport", "border", "city", "terminal")
#: Modes of an edge (``edges.csv`` ``mode``): the four of transport, then the links
#: between them (a transfer inside a terminal, a border crossing).
EDGE_MODES = ("rail", "road", "sea", "air", "transfer", "border")
TRANSPORT_MODES = EDGE_MODES[:4]
#: Edge modes every route and flow may use whatever modes are chosen.
LINK_MODES = EDGE_MODES[4:]
#: An edge's ``status``.
STATUSES = ("open", "planned", "under_construction")
#: Languages of the place names (``names`` of a node; English first).
LANGUAGES = ("en", "az", "kk", "ru")
#: Units of an edge's ``capacity`` (``capacity_unit``).
CAPACITY_UNITS = ("Mt/yr", "t/yr", "TEU/yr", "TEU/day", "trains/day", "pax/yr")
#: Coordinate reference system of every coordinate (lon, lat).
CRS = "EPSG:4326"
#: Folder of scenario files beside the network data.
SCENARIO_DIR = "scenarios"
#: Names that stand for "no scenario" where a list of scenarios is asked for.
BASE_SCENARIO = "base"
BASE_SCENARIO_NAMES = (BASE_SCENARIO, "none", "today")

__all__ = [
    "BASE_SCENARIO",
    "BASE_SCENARIO_NAMES",
    "CAPACITY_UNITS",
    "CRS",
    "EDGE_MODES",
    "LANGUAGES",
    "LINK_MODES",
    "NODE_KINDS",
    "SCENARIO_DIR",
    "STATUSES",
    "TRANSPORT_MODES",
]
