"""The story panel: the story's figures with their sources, and the volumes chart.

The panel is plain HTML (no script), so it shows in an offline page and even without
JavaScript; every text in it is HTML-escaped. No figure is written here: every one
comes from the data files (:mod:`corridor.story_data`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from corridor.maps.html import esc
from corridor.maps.style import MODE_COLORS

__all__ = [
    "PANEL_KINDS",
    "PANEL_WIDTH",
    "STORY_CSS",
    "Citations",
    "date_text",
    "fact_figure",
    "format_value",
    "story_panel_html",
    "volumes_svg",
]

#: Kinds whose figures the panel shows, in this order.
PANEL_KINDS = ("trade", "investment", "companies", "documents", "visits", "commission")
PANEL_WIDTH = 300  # px


def format_value(value: float) -> str:
    """A figure as written in the data: 598.47, 102.2, 182, 0.586 (thousands with commas)."""
    return format(float(value), ",.10g")


def fact_figure(row: Mapping[str, Any] | pd.Series) -> str:
    """A fact's value with its unit ("598.47 M USD")."""
    return f"{format_value(row['value'])} {row['unit']}".strip()


def date_text(text: str) -> str:
    """A date of the data (YYYY, YYYY-MM or YYYY-MM-DD) in words: "15 May 2024"."""
    if not text:
        return ""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return f"{day.day} {day.strftime('%B %Y')}"
    if len(parts) == 2:
        return date(parts[0], parts[1], 1).strftime("%B %Y")
    return str(parts[0])


class Citations:
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
                f'<span title="{esc(row.get("title", sid))}">{esc(name)} '
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
            text = f"[{i}] {esc(', '.join(bits))}"
            if ref:
                text += f" — {esc(ref)}"
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
    color = MODE_COLORS["sea"]
    for i, (_, row) in enumerate(rows.iterrows()):
        low, high = float(row["low_mt"]), float(row["high_mt"])
        x = pad_side + i * step + (step - bar_w) / 2
        y_low = height - pad_bottom - plot_h * low / top
        y_high = height - pad_bottom - plot_h * high / top
        base = height - pad_bottom
        label = format_value(low) if high == low else f"{format_value(low)}–{format_value(high)}"
        tip = f"{row['year']}: {label} Mt ({row['kind']})"
        parts.append(f"<g><title>{esc(tip)}</title>")
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
            f'font-size="10">{esc(label)}</text>'
            f'<text x="{cx:.1f}" y="{height - 5}" text-anchor="middle" font-size="10" '
            f'fill="#555">{esc(row["year"])}{"*" if row["kind"] == "plan" else ""}</text></g>'
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
    cite = Citations(sources)
    items = []
    for kind in PANEL_KINDS:
        for _, row in facts[(facts["kind"] == kind) & facts["value"].notna()].iterrows():
            items.append(
                f'<li data-fact="{esc(row["id"])}"><b class="fig">{esc(fact_figure(row))}</b> '
                f"{esc(row['title'])}. {cite.cite(row['source'])}</li>"
            )
    chart = ""
    if not volumes.empty:
        shown = volumes[volumes["kind"] != "potential"]
        first, last = int(shown["year"].min()), int(shown["year"].max())
        notes = []
        for _, row in volumes[volumes["kind"] == "potential"].iterrows():
            notes.append(
                f"{esc(row['year'])} potential: {esc(format_value(row['high_mt']))} Mt. "
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
            f'<p class="lead">{esc(row["title"])}: the thick dark-blue lines are the '
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


STORY_CSS = """
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
