"""Offline maps opened in a real browser: headless Chromium with the network cut off.

Each test saves an offline map, opens it as a file:// page in Chromium (Debian's
``chromium`` and ``chromium-driver``) with networking emulated off and every request
sent to a dead proxy, then checks: no SEVERE console message, a live Leaflet map with
the expected layers, the route's polyline in the SVG, hostile names shown as text
(nothing they contain runs), and no resource fetched from the network. Screenshots go
to ``tests/artifacts/`` (gitignored).

Without Chromium these tests are skipped, except under ``CI=true`` where they fail.
"""

from __future__ import annotations

import csv
import html
import shutil
from pathlib import Path
from typing import Any

import maphelpers as helpers
import pytest
from browserhelpers import OPEN_POPUP, check_page, open_map
from hostile import PWNED_TITLE, load_hostile, one_line

from corridor import maps
from corridor.maps.html import esc

pytestmark = pytest.mark.browser

CASES = load_hostile()


def test_offline_network_map(driver, tmp_path):
    G = helpers.small_graph()
    m = maps.network_map(G, offline=True)
    info = open_map(driver, m, tmp_path, "network_offline_small")
    check_page(info)
    expected = [*helpers.MODE_LAYERS, *helpers.POINT_LAYERS, "Stations, terminals and cities"]
    assert info["overlays"] == expected
    assert info["active"] == len(expected) - 2  # air and stations are off until asked for
    assert info["layers"] > 40  # groups, GeoJSON layers, their features, labels, outlines
    strokes = {stroke for stroke, _cls in info["paths"]}
    assert {maps.MODE_COLORS[m] for m in ("rail", "road", "sea")} <= strokes
    assert "Caspian Sea" in driver.page_source
    # a hostile name shows as text
    popup = driver.execute_script(OPEN_POPUP, "Sea: ")
    assert popup is not None
    assert helpers.EVIL in popup["text"] and popup["imgs"] == 0
    assert driver.get_log("browser") == []


def test_offline_route_map(driver, tmp_path):
    from corridor.routing import route

    G = helpers.small_graph()
    r = route(G, "altynkol", "tbilisi", by="time", alternatives=1)  # road, then rail
    m = maps.route_map(r, G, offline=True)
    info = open_map(driver, m, tmp_path, "route_offline_small")
    check_page(info)
    # the layer names show the hostile destination name as text
    assert info["overlays"] == ["Network", f"Route: Altynkol → {helpers.EVIL_JS}", "Alternative 1"]
    main = [s for s, cls in info["paths"] if "corridor-route-0" in (cls or "")]
    assert {maps.MODE_COLORS[mode] for mode in ("road", "sea", "rail")} <= set(main)
    alt = [s for s, cls in info["paths"] if "corridor-route-1" in (cls or "")]
    assert alt and set(alt) == {maps.ALT_COLORS[0]}
    assert "Altynkol" in info["legend"] and "Alternative 1" in info["legend"]


def test_shipped_network_map(driver, tmp_path, real_graph):
    G = real_graph
    info = open_map(driver, maps.network_map(G, offline=True), tmp_path, "network_offline")
    check_page(info)
    assert {"Rail", "Road", "Sea", "Ports", "Border crossings"} <= set(info["overlays"])
    west, south, east, north = map(float, info["bounds"].split(","))
    assert west < 49.8 < east and south < 40.4 < north  # Baku / Alat in view
    assert west < 76.9 < east and south < 43.2 < north  # Almaty in view


def test_shipped_route_map(driver, tmp_path, real_graph):
    G = real_graph
    from corridor.routing import route

    r = route(G, "Altynkol", "Alat", by="cost", alternatives=1)
    info = open_map(driver, maps.route_map(r, G, offline=True), tmp_path, "route_altynkol_alat")
    check_page(info)
    main = [s for s, cls in info["paths"] if "corridor-route-0" in (cls or "")]
    assert {maps.MODE_COLORS["rail"], maps.MODE_COLORS["sea"]} <= set(main)  # rail, then sea
    assert info["overlays"][0] == "Network" and info["overlays"][1].startswith("Route: ")


# ---------------------------------------------------------------- hostile data in a browser
FIND_POPUP = """
var m = window[Object.keys(window).filter(function (k) { return /^map_[0-9a-f]+$/.test(k); })[0]];
var needle = arguments[0];
var found = null;
function visit(layer) {
    if (found) { return; }
    var p = layer.feature && layer.feature.properties;
    var hay = p ? [p.t, p.s].concat((p.r || []).map(function (r) { return r[1]; })) : [];
    var holds = hay.some(function (h) { return h && h.indexOf(needle) >= 0; });
    if (holds && layer.getPopup()) {
        found = layer;
        return;
    }
    if (layer.eachLayer) { layer.eachLayer(visit); }
}
m.eachLayer(visit);
if (!found) { return null; }
found.openPopup();
var text = found.getPopup().getElement().querySelector(".leaflet-popup-content").textContent;
found.closePopup();
return text;
"""
#: Cases whose text shows unchanged as HTML text (no CR, no collapsed control characters).
SHOWN_AS_TYPED = (
    "jinja_expression", "jinja_shell_no_quotes", "jinja_comment_open", "jinja_raw_open",
    "script_close", "img_onerror", "svg_onload", "template_literal", "quotes", "backslashes",
    "json_breakout", "html_comment", "entities",
)


def _rewrite_csv(path: Path, edit: Any) -> None:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields, rows = list(reader.fieldnames or []), list(reader)
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, str]]:
    """The shipped data with the corpus as names of ports, airports and borders, of
    places, as edge sources and as story titles; and where: case id -> node id, and
    "panel" -> the titles of the story panel's figures."""
    from corridor.data import data_dir
    from corridor.maps import story_panel
    from corridor.network import load_network

    folder = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(data_dir(), folder)
    texts = [one_line(case.text) for case in CASES]  # a CSV cell holds no line break
    shown_as_typed = [case.text for case in CASES if case.id in SHOWN_AS_TYPED]
    planted: dict[str, Any] = {}

    def nodes(rows: list[dict[str, str]]) -> None:
        targets = [r for r in rows if r["kind"] in ("border", "airport", "port")]
        for row, case, text in zip(targets, CASES, texts, strict=False):
            row["name"] = text
            planted[case.id] = row["id"]

    def places(rows: list[dict[str, str]]) -> None:
        for row, text in zip(rows[-len(texts):], texts, strict=False):
            row["name"] = "place " + text  # a name must not name two places

    def edges(rows: list[dict[str, str]]) -> None:
        for row, text in zip(rows, texts, strict=False):
            row["source"] = "estimate:" + text.replace(";", ",")

    def facts(rows: list[dict[str, str]]) -> None:  # the panel's figures: texts shown as typed
        panel = [r for r in rows if r["kind"] in story_panel.PANEL_KINDS and r["value"]]
        others = [r for r in rows if r not in panel]
        for row, text in zip(panel, shown_as_typed, strict=False):
            row["title"] = text
            planted.setdefault("panel", []).append(text)
        for row, text in zip(others, texts, strict=False):
            row["title"] = text

    for name, edit in (("nodes.csv", nodes), ("places.csv", places), ("edges.csv", edges),
                       ("story.csv", facts)):
        _rewrite_csv(folder / name, edit)
    return load_network(folder), planted


def _title_of(path: Path) -> str:
    """The page's title as written in the file (what no script may change)."""
    page = path.read_text(encoding="utf-8")
    return html.unescape(page[page.index("<title>") + 7 : page.index("</title>")])


def _open_hostile(driver: Any, m: Any, tmp_path: Path, name: str) -> dict[str, Any]:
    info = open_map(driver, m, tmp_path, name)
    check_page(info)
    info["title"] = driver.title
    info["expected_title"] = _title_of(tmp_path / f"{name}.html")
    assert info["expected_title"] != PWNED_TITLE  # what each payload would set
    assert info["title"] == info["expected_title"], "a hostile text changed document.title"
    return info


def _check_popups(driver: Any, G: Any, planted: dict[str, str]) -> None:
    by_id = {case.id: case.text for case in CASES}
    for case_id in SHOWN_AS_TYPED:
        text = by_id[case_id]
        shown = driver.execute_script(FIND_POPUP, esc(text))
        assert shown is not None, f"no popup holds {case_id}"
        assert text in shown, f"{case_id} does not show as typed: {shown[:80]!r}"


def test_hostile_network_map_in_browser(driver, tmp_path, hostile_data):
    G, planted = hostile_data
    _open_hostile(driver, maps.network_map(G, offline=True), tmp_path, "hostile_network")
    _check_popups(driver, G, planted)


def test_hostile_story_map_in_browser(driver, tmp_path, hostile_data):
    from corridor.maps import story

    G, planted = hostile_data
    _open_hostile(driver, story.story_map(G, offline=True), tmp_path, "hostile_story")
    _check_popups(driver, G, planted)
    panel = driver.execute_script(
        "return document.getElementById('corridor-story-panel').textContent;"
    )
    assert len(planted["panel"]) >= 4
    for title in planted["panel"]:
        assert title in panel, f"{title[:40]!r} does not show as typed in the story panel"


def test_hostile_route_map_in_browser(driver, tmp_path, hostile_data):
    from corridor.routing import route

    G, planted = hostile_data
    origin = G.nodes[planted["img_onerror"]]
    r = route(G, planted["img_onerror"], "alat", by="cost")
    info = _open_hostile(driver, maps.route_map(r, G, offline=True), tmp_path, "hostile_route")
    assert info["overlays"][1] == f"Route: {origin['name']} → {G.nodes['alat']['name']}"
    assert info["title"] == f"{origin['name']} → {G.nodes['alat']['name']}"
