"""The look of the maps: colours, labels, dash patterns, panes and rounding.

Shared by every map module, so that a mode has one colour everywhere (lines, legend,
route legs, the story's chart).
"""

from __future__ import annotations

__all__ = [
    "ALT_COLORS",
    "ALT_PANE",
    "ARROW_COLOR",
    "DASHES",
    "DECIMALS",
    "END_COLOR",
    "LAND_COLOR",
    "MODE_COLORS",
    "MODE_LABELS",
    "NO_DATA_COLOR",
    "OTHER_POINTS",
    "POINT_LAYERS",
    "ROUTE_PANE",
    "SEA_COLOR",
    "SIMPLIFY_DEG",
    "START_COLOR",
    "STATUS_LABELS",
    "mode_label",
]

#: Colour of each mode (lines, legend, route legs).
MODE_COLORS: dict[str, str] = {
    "rail": "#c0392b",
    "road": "#e08e0b",
    "sea": "#1f6fb2",
    "air": "#7d3c98",
    "transfer": "#555555",
    "border": "#222222",
}
MODE_LABELS: dict[str, str] = {
    "rail": "Rail",
    "road": "Road",
    "sea": "Sea",
    "air": "Air",
    "transfer": "Transfer",
    "border": "Border",
}
#: Colours of the alternatives (the best route is drawn in the colours of its modes).
ALT_COLORS: tuple[str, ...] = ("#e7298a", "#1b9e77", "#a6761d", "#666666", "#66a61e")
#: Point layers: node kind -> layer name, colour.
POINT_LAYERS: dict[str, tuple[str, str]] = {
    "port": ("Ports", "#1f6fb2"),
    "airport": ("Airports", "#7d3c98"),
    "border": ("Border crossings", "#222222"),
}
OTHER_POINTS = ("Stations, terminals and cities", "#7f8c8d")
DASHES = {"planned": "8 6", "under_construction": "3 6"}
STATUS_LABELS = {"open": "open", "planned": "planned", "under_construction": "under construction"}

ARROW_COLOR = "#222222"  # direction arrows on the best route (alternatives: their colour)
START_COLOR = "#1a9850"
END_COLOR = "#d73027"
SEA_COLOR = "#b3d1e6"
LAND_COLOR = "#f4efe6"
NO_DATA_COLOR = "#d9d9d9"
ROUTE_PANE = "corridorRoute"  # Leaflet panes: alternatives under the best route
ALT_PANE = "corridorAlternatives"
DECIMALS = 4  # ~11 m: coordinates are rounded to this many decimals
SIMPLIFY_DEG = 0.005  # ~500 m: network geometry is simplified to this tolerance


def mode_label(mode: object) -> str:
    """The display name of a mode ("Rail"; an unknown mode title-cased)."""
    return MODE_LABELS.get(str(mode), str(mode).title())
