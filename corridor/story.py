"""The corridor's story: the facts of the press statement the project illustrates, on a map.

- :func:`read_story` reads ``story.csv``: each fact (a treaty, a figure, a place) with
  its source, checked like the network files.
- :func:`read_story_volumes` reads the corridor volumes by year (``volumes.csv``).
- :func:`story_map` draws the network (:func:`corridor.maps.network_map`) with a story
  layer on top: the Caspian crossings as the bridge, ports, airports, railways and roads
  grouped by Kazakhstan and Azerbaijan, markers for Astana, Baku and Fuzuli with the
  treaties and places of the story, and a panel with the figures (trade, investment,
  companies, volumes by year as a small SVG chart), each with its source named.

No figure is written in this module: every one comes from the data files. The panel
is plain HTML (no script), so it shows in an offline page and even without JavaScript;
every text in it is HTML-escaped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import folium
import networkx as nx
import pandas as pd
from shapely.geometry import Point as ShapelyPoint

from corridor import maps
from corridor._errors import DataError
from corridor._validate import check_instance
from corridor.data import COUNTRY_BOUNDS, CsvTable, check_sources, data_dir, read_csv

__all__ = [
    "COUNTRY_NAMES",
    "STORY_KINDS",
    "caspian_crossings",
    "read_sources",
    "read_story",
    "read_story_volumes",
    "story_map",
    "story_panel_html",
    "volumes_svg",
]

STORY_FILE = "story.csv"
VOLUMES_FILE = "volumes.csv"
STORY_COLUMNS = (
    "id",
    "kind",
    "title",
    "value",
    "unit",
    "date",
    "place",
    "lat",
    "lon",
    "country",
    "source",
    "notes",
)
#: What a fact is about (the ``kind`` column of ``story.csv``).
STORY_KINDS = (
    "relation",
    "visits",
    "corridor",
    "infrastructure",
    "place",
    "treaty",
    "commission",
    "documents",
    "companies",
    "investment",
    "trade",
    "organization",
    "energy",
)
#: Kinds whose figures the panel shows, in this order.
PANEL_KINDS = ("trade", "investment", "companies", "documents", "visits", "commission")
#: The two countries whose infrastructure the story groups.
COUNTRY_NAMES: dict[str, str] = {"KZ": "Kazakhstan", "AZ": "Azerbaijan"}
COUNTRY_COLORS: dict[str, str] = {"KZ": "#00a3c4", "AZ": "#1d9a4b"}
LINE_GROUPS = (("rail", "railways"), ("road", "roads"))
POINT_GROUPS = (("port", "seaports"), ("airport", "airports"))
BRIDGE_COLOR = "#0b3d91"
#: The Caspian Sea as a (lon_min, lat_min, lon_max, lat_max) box: a sea link between two
#: countries with both ends inside it is a Caspian crossing.
CASPIAN_BOX = (46.5, 36.5, 55.5, 47.5)
MARKER_COLOR = "#8e1b3a"
PANEL_WIDTH = 300  # px

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}([;>][A-Z]{2})*$")


# ---------------------------------------------------------------- reading
def _folder(G: nx.MultiDiGraph | None = None, folder: str | Path | None = None) -> Path | None:
    if folder is not None:
        return Path(folder)
    if G is not None and G.graph.get("data_folder"):
        return Path(G.graph["data_folder"])
    return None


def _find(name: str, folder: str | Path | None) -> Path:
    """``name`` in ``folder`` when it is there, else the shipped file."""
    if folder is not None and (Path(folder) / name).is_file():
        return Path(folder) / name
    path = data_dir() / name
    if not path.is_file():
        msg = "file is missing (it ships with corridor; reinstall or pass a data folder)"
        raise DataError(msg, file=str(path))
    return path


def read_sources(folder: str | Path | None = None) -> dict[str, dict[str, str]]:
    """The rows of ``sources.csv`` by id (``folder``'s file, else the shipped one)."""
    return {row["id"]: row for row in read_csv(_find("sources.csv", folder)).rows if row["id"]}


def _places(folder: str | Path | None) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in read_csv(_find("places.csv", folder)).rows if row["id"]}


def _check_date(text: str, file: str, row: int) -> None:
    if not _DATE_RE.match(text):
        msg = f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
        raise DataError(msg, file=file, row=row, field="date")
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError as exc:
        raise DataError(
            f"{text!r} is not a valid date ({exc})", file=file, row=row, field="date"
        ) from None


def read_story(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the story's facts (``story.csv``, see ``data/README.md``).

    Parameters
    ----------
    path
        A ``story.csv`` file or a data folder holding one; the shipped file when None.
        Sources and places are looked up beside it (else in the shipped data).

    Returns
    -------
    pandas.DataFrame
        One row per fact, indexed by ``id``: the file's columns, ``value``, ``lat`` and
        ``lon`` as floats (NaN when blank; a fact with a ``place`` and no coordinates of
        its own gets the place's), and ``source_title`` (the sources' titles).

    Raises
    ------
    DataError
        A column, id, kind, number, date, place, country or source is wrong (the message
        names the file, the row and the field).
    """
    if path is None:
        file_path = _find(STORY_FILE, None)
    else:
        file_path = Path(path)
        if file_path.is_dir():
            file_path = _find(STORY_FILE, file_path)
        elif not file_path.is_file():
            msg = f"no such file {file_path}; give a story.csv file or a data folder"
            raise FileNotFoundError(msg)
    folder = file_path.parent
    file = str(file_path)
    table = CsvTable(file_path, tuple(c for c in STORY_COLUMNS if c != "notes"), ("notes",))
    sources = read_sources(folder)
    places = _places(folder)
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for n, raw in enumerate(table.rows, start=1):
        row: dict[str, Any] = {c: raw.get(c, "") for c in STORY_COLUMNS}
        fid = row["id"]
        if not _ID_RE.match(fid):
            raise DataError(f"{fid!r} is not a snake_case ASCII id", file=file, row=n, field="id")
        if fid in seen:
            raise DataError(f"duplicate id {fid!r}", file=file, row=n, field="id")
        seen.add(fid)
        if row["kind"] not in STORY_KINDS:
            msg = f"{row['kind']!r} is not a kind; known: {', '.join(STORY_KINDS)}"
            raise DataError(msg, file=file, row=n, field="kind")
        if not row["title"]:
            raise DataError("is empty; say what the fact is", file=file, row=n, field="title")
        value = table.number(n - 1, "value", minimum=None)
        value = math.nan if value is None else value
        if row["value"] and not row["unit"]:
            raise DataError("is empty; a value needs a unit", file=file, row=n, field="unit")
        row["value"] = value
        if row["date"]:
            _check_date(row["date"], file, n)
        if row["place"] and row["place"] not in places:
            msg = f"{row['place']!r} is not an id in places.csv"
            raise DataError(msg, file=file, row=n, field="place")
        if bool(row["lat"]) != bool(row["lon"]):
            raise DataError(
                "give both lat and lon, or neither",
                file=file,
                row=n,
                field="lat" if not row["lat"] else "lon",
            )
        if row["lat"]:
            lat = table.number(n - 1, "lat", minimum=None)
            lon = table.number(n - 1, "lon", minimum=None)
            assert lat is not None and lon is not None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise DataError(f"({lat}, {lon}) is not a position", file=file, row=n, field="lat")
        elif row["place"]:
            place = places[row["place"]]
            try:
                lat, lon = float(place["lat"]), float(place["lon"])
            except ValueError:
                msg = f"place {row['place']!r} has no position (check it with data validate)"
                raise DataError(msg, file=str(folder / "places.csv"), field="lat") from None
        else:
            lat = lon = math.nan
        row["lat"], row["lon"] = lat, lon
        country = row["country"]
        if country and (
            not _COUNTRY_RE.match(country)
            or any(c not in COUNTRY_BOUNDS for c in re.split(r"[;>]", country))
        ):
            msg = f"{country!r}: write ISO-2 codes joined by ';' (both) or '>' (from>to)"
            raise DataError(msg, file=file, row=n, field="country")
        check_sources(row["source"], sources, file=file, row=n)
        row["source_title"] = "; ".join(
            sources[s.strip()]["title"] if s.strip() in sources else s.strip()
            for s in row["source"].split(";")
        )
        out.append(row)
    frame = pd.DataFrame(out, columns=[*STORY_COLUMNS, "source_title"])
    frame.attrs["file"] = file
    return frame.set_index("id", drop=False)


def read_story_volumes(path: str | Path | None = None) -> pd.DataFrame:
    """Corridor volumes by year (``volumes.csv``): year, kind, low_mt, high_mt, source.

    Parameters
    ----------
    path
        A ``volumes.csv`` file or a data folder holding one; the shipped file when None.

    Returns
    -------
    pandas.DataFrame
        One row per year, sorted by year; ``high_mt`` equals ``low_mt`` where the
        sources agree; ``kind`` is ``observed``, ``plan`` or ``potential``; plus
        ``source_title``.
    """
    from corridor.analysis.capacity import read_volumes

    if path is None:
        file_path = _find(VOLUMES_FILE, None)
    else:
        file_path = Path(path)
        if file_path.is_dir():
            file_path = _find(VOLUMES_FILE, file_path)
    rows = read_volumes(file_path)
    sources = read_sources(file_path.parent)
    frame = pd.DataFrame(rows)
    frame["source_title"] = [
        "; ".join(sources.get(s.strip(), {}).get("title", s.strip()) for s in str(v).split(";"))
        for v in frame["source"]
    ]
    return frame.sort_values("year").reset_index(drop=True)


# ---------------------------------------------------------------- formatting
def _esc(value: Any) -> str:
    return maps._esc(value)


def _fmt(value: float) -> str:
    """A figure as written in the data: 598.47, 102.2, 182, 0.586 (thousands with commas)."""
    return format(float(value), ",.10g")


def _figure(row: Mapping[str, Any]) -> str:
    return f"{_fmt(row['value'])} {row['unit']}".strip()


def _date_text(text: str) -> str:
    if not text:
        return ""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return f"{day.day} {day.strftime('%B %Y')}"
    if len(parts) == 2:
        return date(parts[0], parts[1], 1).strftime("%B %Y")
    return str(parts[0])


class _Citations:
    """Numbers the sources in order of first use: ``[1]``, ``[2]`` …"""

    def __init__(self, sources: Mapping[str, Mapping[str, str]]) -> None:
        self.sources = sources
        self.order: list[str] = []

    def cite(self, source_field: str) -> str:
        """Escaped 'source: publisher [n]' for a ``source`` cell (ids joined by ';')."""
        parts = []
        for sid in (s.strip() for s in str(source_field).split(";") if s.strip()):
            if sid not in self.order:
                self.order.append(sid)
            row = self.sources.get(sid, {})
            name = row.get("publisher") or row.get("title") or sid
            parts.append(
                f'<span title="{_esc(row.get("title", sid))}">{_esc(name)} '
                f"[{self.order.index(sid) + 1}]</span>"
            )
        return '<span class="src">source: ' + "; ".join(parts) + "</span>"

    def html(self) -> str:
        """The numbered list of every source cited (escaped)."""
        items = []
        for i, sid in enumerate(self.order, start=1):
            row = self.sources.get(sid, {})
            bits = [row.get("title") or sid]
            bits += [row[k] for k in ("publisher", "year") if row.get(k)]
            ref = row.get("url", "")
            text = f"[{i}] {_esc(', '.join(bits))}"
            if ref:
                text += f" — {_esc(ref)}"
            items.append(f"<li>{text}</li>")
        return '<ol class="refs">' + "".join(items) + "</ol>"


def volumes_svg(volumes: pd.DataFrame, *, width: int = 280, height: int = 130) -> str:
    """A small bar chart of the volumes by year as inline SVG (works offline).

    Observed years are solid bars; a range (``low_mt`` < ``high_mt``) shows its upper
    part lighter; a planned year is an outlined bar. Years of kind ``potential`` are
    left out (they are far ahead). Every label is escaped.
    """
    rows = volumes[volumes["kind"] != "potential"].sort_values("year")
    if rows.empty:
        return ""
    top = max(float(rows["high_mt"].max()), 1e-9)
    pad_top, pad_bottom, pad_side = 16, 18, 6
    plot_h = height - pad_top - pad_bottom
    step = (width - 2 * pad_side) / len(rows)
    bar_w = step * 0.62
    parts = [
        f'<svg class="corridor-volumes" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Corridor volumes by year, million tonnes">',
        f'<line x1="{pad_side}" y1="{height - pad_bottom}" x2="{width - pad_side}" '
        f'y2="{height - pad_bottom}" stroke="#888" stroke-width="1"/>',
    ]
    color = maps.MODE_COLORS["sea"]
    for i, (_, row) in enumerate(rows.iterrows()):
        low, high = float(row["low_mt"]), float(row["high_mt"])
        x = pad_side + i * step + (step - bar_w) / 2
        y_low = height - pad_bottom - plot_h * low / top
        y_high = height - pad_bottom - plot_h * high / top
        base = height - pad_bottom
        label = _fmt(low) if high == low else f"{_fmt(low)}–{_fmt(high)}"
        tip = f"{row['year']}: {label} Mt ({row['kind']})"
        parts.append(f"<g><title>{_esc(tip)}</title>")
        if row["kind"] == "plan":
            parts.append(
                f'<rect x="{x:.1f}" y="{y_high:.1f}" width="{bar_w:.1f}" '
                f'height="{base - y_high:.1f}" fill="#ffffff" stroke="{color}" '
                'stroke-width="1.5" stroke-dasharray="4 2"/>'
            )
        else:
            parts.append(
                f'<rect x="{x:.1f}" y="{y_low:.1f}" width="{bar_w:.1f}" '
                f'height="{base - y_low:.1f}" fill="{color}"/>'
            )
            if high > low:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y_high:.1f}" width="{bar_w:.1f}" '
                    f'height="{y_low - y_high:.1f}" fill="{color}" fill-opacity="0.4"/>'
                )
        cx = x + bar_w / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{y_high - 3:.1f}" text-anchor="middle" '
            f'font-size="10">{_esc(label)}</text>'
            f'<text x="{cx:.1f}" y="{height - 5}" text-anchor="middle" font-size="10" '
            f'fill="#555">{_esc(row["year"])}{"*" if row["kind"] == "plan" else ""}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def story_panel_html(
    facts: pd.DataFrame,
    volumes: pd.DataFrame,
    sources: Mapping[str, Mapping[str, str]],
) -> str:
    """The story panel: figures with their sources, volumes chart, numbered source list.

    Every text is escaped; the result is plain HTML (no script).
    """
    cite = _Citations(sources)
    items = []
    for kind in PANEL_KINDS:
        for _, row in facts[(facts["kind"] == kind) & facts["value"].notna()].iterrows():
            items.append(
                f'<li data-fact="{_esc(row["id"])}"><b class="fig">{_esc(_figure(row))}</b> '
                f"{_esc(row['title'])}. {cite.cite(row['source'])}</li>"
            )
    chart = ""
    if not volumes.empty:
        shown = volumes[volumes["kind"] != "potential"]
        first, last = int(shown["year"].min()), int(shown["year"].max())
        notes = []
        for _, row in volumes[volumes["kind"] == "potential"].iterrows():
            notes.append(
                f"{_esc(row['year'])} potential: {_esc(_fmt(row['high_mt']))} Mt. "
                f"{cite.cite(row['source'])}"
            )
        chart = (
            f"<h5>Corridor volumes {first}–{last}, million tonnes</h5>"
            + volumes_svg(volumes)
            + '<div class="note">* plan. Lighter part of a bar: where sources differ. '
            + cite.cite(";".join(dict.fromkeys(";".join(shown["source"]).split(";"))))
            + "</div>"
            + "".join(f'<div class="note">{n}</div>' for n in notes)
        )
    bridge = facts[facts["id"] == "caspian_bridge"]
    lead = ""
    if not bridge.empty:
        row = bridge.iloc[0]
        lead = (
            f'<p class="lead">{_esc(row["title"])}: the thick dark-blue lines are the '
            f"Caspian crossings. {cite.cite(row['source'])}</p>"
        )
    return (
        '<div class="corridor-story" id="corridor-story-panel"><details open>'
        "<summary>Kazakhstan and Azerbaijan: the corridor story</summary>"
        + lead
        + '<ul class="figures">'
        + "".join(items)
        + "</ul>"
        + chart
        + "<h5>Sources</h5>"
        + cite.html()
        + "</details></div>"
    )


_STORY_CSS = """
<style>
.corridor-story { position: absolute; top: 80px; left: 10px; z-index: 1000; width: PANEL_WIDTHpx;
  max-height: calc(100% - 130px); overflow-y: auto; background: rgba(255,255,255,.95);
  border-radius: 5px; box-shadow: 0 1px 5px rgba(0,0,0,.4); padding: 6px 10px;
  font: 12px/1.35 sans-serif; color: #222; }
.corridor-story summary { font-weight: bold; font-size: 13px; cursor: pointer; }
.corridor-story h5 { margin: 8px 0 2px; font-size: 12px; }
.corridor-story ul.figures { padding-left: 16px; margin: 4px 0; }
.corridor-story ul.figures li { margin-bottom: 3px; }
.corridor-story .fig { color: #0b3d91; }
.corridor-story .src, .corridor-story .note { color: #666; font-size: 11px; }
.corridor-story ol.refs { padding-left: 18px; margin: 2px 0; font-size: 10.5px; color: #555;
  overflow-wrap: anywhere; }
.corridor-story .lead { margin: 4px 0; }
.corridor-story svg { display: block; margin: 2px 0; }
</style>
"""


# ---------------------------------------------------------------- map layers
def _countries(G: nx.MultiDiGraph, u: Any, v: Any) -> tuple[str, str]:
    return str(G.nodes[u].get("country", "")), str(G.nodes[v].get("country", ""))


def _in_caspian(node: Mapping[str, Any]) -> bool:
    lon_min, lat_min, lon_max, lat_max = CASPIAN_BOX
    return lon_min <= float(node["x"]) <= lon_max and lat_min <= float(node["y"]) <= lat_max


def caspian_crossings(G: nx.MultiDiGraph) -> list[tuple[Any, Any, Any]]:
    """The sea links across the Caspian between two countries, one (u, v, key) per link."""
    out = []
    seen: set[tuple[Any, ...]] = set()
    for u, v, k, d in G.edges(keys=True, data=True):
        if d.get("mode") != "sea":
            continue
        a, b = _countries(G, u, v)
        if a == b or not (_in_caspian(G.nodes[u]) and _in_caspian(G.nodes[v])):
            continue
        key = maps._edge_key(u, v, d)
        if key not in seen:
            seen.add(key)
            out.append((u, v, k))
    return out


def _country_row(country: str) -> list[str]:
    return ["country", _esc(COUNTRY_NAMES.get(country, country))]


def _add_bridge(
    m: folium.Map, G: nx.MultiDiGraph, facts: pd.DataFrame, sources: Mapping[str, Mapping[str, str]]
) -> None:
    crossings = caspian_crossings(G)
    if not crossings:
        return
    story_rows: list[list[str]] = []
    for fid in ("caspian_bridge", "transcaspian_corridor"):
        if fid in facts.index:
            row = facts.loc[fid]
            story_rows.append(["story", _esc(row["title"])])
            story_rows.append(["source", _esc(row["source_title"])])
    casing, lines = [], []
    for u, v, k in crossings:
        d = G.edges[u, v, k]
        line = maps._edge_line(G, u, v, d).simplify(maps.SIMPLIFY_DEG, preserve_topology=False)
        props = maps._edge_props(G, u, v, d)
        props["t"] = "The Caspian bridge — " + props["t"]
        props["r"] = props["r"] + story_rows
        props["status"] = maps._future(d, None) or "open"
        fid = "bridge|" + "|".join(map(str, maps._edge_key(u, v, d)))
        casing.append(maps._feature(line, {"status": props["status"]}, fid=fid + "|casing"))
        lines.append(maps._feature(line, props, fid=fid))
    group = folium.FeatureGroup(name=_esc("The Caspian bridge"), show=True)
    maps._add_lines(
        group,
        casing,
        color="#ffffff",
        weight=12,
        opacity=0.9,
        interactive=False,
        name="bridge_casing",
    )
    maps._add_lines(
        group, lines, color=BRIDGE_COLOR, weight=6, opacity=0.95, interactive=True, name="bridge"
    )
    group.add_to(m)


def _add_country_lines(
    m: folium.Map, G: nx.MultiDiGraph, country: str, mode: str, label: str
) -> None:
    feats = []
    seen: set[tuple[Any, ...]] = set()
    for u, v, d in G.edges(data=True):
        if d.get("mode") != mode or _countries(G, u, v) != (country, country):
            continue
        key = maps._edge_key(u, v, d)
        if key in seen:
            continue
        seen.add(key)
        line = maps._edge_line(G, u, v, d).simplify(maps.SIMPLIFY_DEG, preserve_topology=False)
        props = maps._edge_props(G, u, v, d)
        props["r"] = [*props["r"], _country_row(country)]
        props["status"] = maps._future(d, None) or "open"
        feats.append(maps._feature(line, props, fid=f"{country}|" + "|".join(map(str, key))))
    if not feats:
        return
    group = folium.FeatureGroup(name=_esc(f"{COUNTRY_NAMES[country]}: {label}"), show=True)
    # a wide, light band in the country's colour over the network's line of the mode
    maps._add_lines(
        group,
        feats,
        color=COUNTRY_COLORS[country],
        weight=9,
        opacity=0.3,
        interactive=True,
        name=f"{country}_{mode}",
    )
    group.add_to(m)


def _add_country_points(
    m: folium.Map, G: nx.MultiDiGraph, country: str, kind: str, label: str
) -> None:
    by_place: dict[Any, list[Any]] = {}
    for n, d in G.nodes(data=True):
        if d.get("kind") == kind and d.get("country") == country:
            by_place.setdefault(d.get("place") or n, []).append(n)
    if not by_place:
        return
    feats = []
    for place, nodes in by_place.items():
        xs = [float(G.nodes[n]["x"]) for n in nodes]
        ys = [float(G.nodes[n]["y"]) for n in nodes]
        props = maps._node_props(G, nodes)
        props["r"] = [*props["r"], _country_row(country)]
        pt = ShapelyPoint(sum(xs) / len(xs), sum(ys) / len(ys))
        feats.append(maps._feature(pt, props, fid=f"{country}|{kind}|{place}"))
    group = folium.FeatureGroup(name=_esc(f"{COUNTRY_NAMES[country]}: {label}"), show=True)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": feats},
        name=f"{country}_{kind}",
        marker=folium.CircleMarker(
            radius=9, color=COUNTRY_COLORS[country], weight=3, fill=True, fill_opacity=0.0
        ),
        on_each_feature=maps._ON_EACH,
        control=False,
    ).add_to(group)
    group.add_to(m)


def _fact_rows(facts: pd.DataFrame) -> list[list[str]]:
    rows = []
    for _, row in facts.iterrows():
        what = _esc(row["title"])
        extra = [x for x in (_date_text(row["date"]), _figure(row) if row["unit"] else "") if x]
        if extra:
            what += " (" + _esc(", ".join(extra)) + ")"
        rows.append([_esc(row["kind"]), what])
        rows.append(["source", _esc(row["source_title"])])
    return rows


def _add_story_markers(
    m: folium.Map,
    facts: pd.DataFrame,
    places: Mapping[str, Any],
    sources: Mapping[str, Mapping[str, str]],
) -> None:
    """A marker per place of the story (its facts in the popup), and a ring for each fact
    with coordinates of its own (Fuzuli airport)."""
    group = folium.FeatureGroup(name=_esc("Story: treaties and places"), show=True)
    located = facts[facts["place"] != ""]
    for place_id, rows in located.groupby("place", sort=False):
        place = places.get(place_id, {})
        name = place.get("name") or place_id
        lat, lon = (
            float(place.get("lat", rows["lat"].iloc[0])),
            float(place.get("lon", rows["lon"].iloc[0])),
        )
        titles = "; ".join(
            f"{r['title']}" + (f" ({_date_text(r['date'])})" if r["date"] else "")
            for _, r in rows.iterrows()
        )
        marker = folium.Marker([lat, lon], keyboard=False)
        marker.add_child(
            maps._Bind(
                tooltip=f"<b>{_esc(name)}</b><br>{_esc(titles)}",
                popup=maps._table(_fact_rows(rows), title=_esc(name)),
            )
        )
        marker.add_to(group)
    for _, row in facts.iterrows():
        if not row["place"] or math.isnan(row["lat"]):
            continue
        place = places.get(row["place"], {})
        try:
            same = (
                abs(float(place["lat"]) - row["lat"]) < 1e-6
                and abs(float(place["lon"]) - row["lon"]) < 1e-6
            )
        except (KeyError, ValueError):
            same = False
        if same:
            continue
        ring = folium.CircleMarker(
            [row["lat"], row["lon"]],
            radius=7,
            color=MARKER_COLOR,
            weight=3,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=0.9,
        )
        ring.add_child(
            maps._Bind(
                tooltip=_esc(row["title"]),
                popup=maps._table(_fact_rows(facts.loc[[row["id"]]]), title=_esc(row["title"])),
            )
        )
        ring.add_to(group)
    group.add_to(m)


def _fit_story(m: folium.Map, G: nx.MultiDiGraph) -> None:
    """Fit the view to the two countries' nodes, leaving room for the panel on the left."""
    pts = [
        (float(d["x"]), float(d["y"]))
        for _n, d in G.nodes(data=True)
        if d.get("country") in COUNTRY_NAMES and "x" in d
    ]
    if pts:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        corners = maps._latlon([(min(xs), min(ys)), (max(xs), max(ys))])
        m.fit_bounds(
            corners, padding_top_left=(PANEL_WIDTH + 30, 20), padding_bottom_right=(20, 20)
        )


def story_map(
    G: nx.MultiDiGraph,
    *,
    offline: bool = False,
    year: int | None = None,
    tiles: str | None = "OpenStreetMap",
    facts: pd.DataFrame | None = None,
    volumes: pd.DataFrame | None = None,
) -> folium.Map:
    """The network with the story of the Kazakhstan–Azerbaijan partnership on top.

    Parameters
    ----------
    G
        The corridor graph (:func:`corridor.load_network`).
    offline
        Inline every asset and draw country outlines instead of tiles (as
        :func:`corridor.maps.network_map`), so the saved HTML opens with no network.
    year
        Draw the network as of this year (as :func:`~corridor.maps.network_map`).
    tiles
        Tile layer of an online map; None draws the country outlines.
    facts, volumes
        The story's facts and the volumes by year; by default read from ``story.csv``
        and ``volumes.csv`` beside the graph's data (else the shipped files).

    Returns
    -------
    folium.Map
        :func:`~corridor.maps.network_map` plus the layers "The Caspian bridge",
        "Kazakhstan: …" and "Azerbaijan: …" (railways, roads, seaports, airports),
        "Story: treaties and places", and the story panel.
    """
    maps.check_map_args(G, offline, year, tiles)
    check_instance(facts, pd.DataFrame, "facts", "a DataFrame (read_story())")
    check_instance(volumes, pd.DataFrame, "volumes", "a DataFrame (read_story_volumes())")
    folder = _folder(G)
    facts = read_story(folder) if facts is None else facts
    volumes = read_story_volumes(folder) if volumes is None else volumes
    sources = read_sources(folder)
    places = _places(folder)
    m, _ = maps._network_layers_map(G, offline=offline, year=year, tiles=tiles)
    _add_bridge(m, G, facts, sources)
    for country in COUNTRY_NAMES:
        for mode, label in LINE_GROUPS:
            _add_country_lines(m, G, country, mode, label)
        for kind, label in POINT_GROUPS:
            _add_country_points(m, G, country, kind, label)
    _add_story_markers(m, facts, places, sources)
    # the control comes after every layer (its script refers to them), folded into its
    # button: the story's many layers would otherwise cover the map
    folium.LayerControl(collapsed=True).add_to(m)
    _fit_story(m, G)
    root = m.get_root()
    css = _STORY_CSS.replace("PANEL_WIDTH", str(PANEL_WIDTH))
    root.header.add_child(maps._RawHead(css), name="corridor_story_css")
    root.html.add_child(
        maps._RawHead(story_panel_html(facts, volumes, sources)), name="corridor_story_panel"
    )
    return maps._finish(m)
