"""Text for the maps' HTML: escaping, figures with their units, popup tables.

Every text from the data is escaped by :func:`esc`, braces included, so that no Jinja
tag can form when branca renders an element (see :mod:`corridor.maps.elements`).
:func:`brace_free` does the same for what is handed to folium as data.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "JINJA_DELIMITERS",
    "brace_free",
    "esc",
    "figure",
    "figure_rows",
    "hours",
    "is_number",
    "num",
    "table",
    "usd",
    "year_of",
]

_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})
JINJA_DELIMITERS = ("{{", "{%", "{#")


def esc(value: Any) -> str:
    """HTML-escape any value, braces too, so that no Jinja tag can form (None: "")."""
    return html.escape("" if value is None else str(value), quote=True).translate(_BRACES)


def brace_free(value: Any) -> Any:
    """``value`` (JSON-like) with the braces of every string escaped as HTML entities.

    For what goes into folium's elements, whose output branca renders again as a
    template; the strings are HTML (or ids), where ``&#123;`` shows as ``{``.
    """
    if isinstance(value, str):
        return value.translate(_BRACES)
    if isinstance(value, Mapping):
        return {k: brace_free(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [brace_free(v) for v in value]
    return value


def figure(value: Any) -> float | None:
    """A figure as a float, or None when it is blank, not a number or NaN."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def is_number(value: Any) -> bool:
    """Whether ``value`` is a figure (not blank, not NaN)."""
    return figure(value) is not None


def year_of(value: Any) -> int | None:
    """A year as an int, or None when it is blank or NaN."""
    number = figure(value)
    return None if number is None else int(number)


def num(value: Any, unit: str, *, digits: int = 0) -> str:
    """Format a figure with its unit; blank or NaN becomes a dash."""
    number = figure(value)
    if number is None:
        return "–"
    return f"{number:,.{digits}f} {unit}".strip()


def hours(value: Any) -> str:
    """Hours as "12.5 h", from 48 h on with days: "72 h (3.0 d)"; blank: a dash."""
    number = figure(value)
    if number is None:
        return "–"
    if number >= 48:
        return f"{number:,.0f} h ({number / 24:.1f} d)"
    return f"{number:,.1f} h"


def usd(value: Any) -> str:
    """Dollars as "USD 1,500"; blank or NaN: a dash."""
    number = figure(value)
    return "–" if number is None else f"USD {number:,.0f}"


def table(rows: Iterable[Sequence[str]], *, title: str = "") -> str:
    """An HTML table from (label, value) rows; both must already be escaped."""
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    head = f"<b>{title}</b>" if title else ""
    return f'<div class="corridor-popup">{head}<table>{body}</table></div>'


def figure_rows(data: Mapping[str, Any]) -> list[list[str]]:
    """Escaped [label, value] rows for distance, time, cost and CO2 of an edge or leg."""
    return [
        ["distance", esc(num(data.get("distance_km"), "km"))],
        ["time", esc(hours(data.get("time_h")))],
        ["cost", esc(usd(data.get("cost_usd")))],
        ["CO₂", esc(num(data.get("co2_kg"), "kg"))],
    ]
