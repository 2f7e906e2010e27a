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
import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile import PWNED_TITLE, load_hostile, one_line

from corridor import maps
from corridor.maps.html import esc

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    # belt and braces with the emulated offline network: any request goes to a dead proxy
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--window-size=1280,900",
    "--lang=en-US",
)


def _load_helpers() -> Any:
    """The small hand-built corridor of test_maps.py (loaded by path, whatever the import mode)."""
    spec = importlib.util.spec_from_file_location(
        "_corridor_map_helpers", Path(__file__).with_name("test_maps.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


helpers = _load_helpers()
CASES = load_hostile()


def _missing() -> list[str]:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if importlib.util.find_spec("selenium") is None:
        missing.append("the Python package selenium")
    return missing


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    missing = _missing()
    if missing:
        msg = "headless browser tests need " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " (CI=true: install chromium and chromium-driver)")
        pytest.skip(msg)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ARGS:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        drv.execute_cdp_cmd("Network.enable", {})
        drv.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
        )
        drv.set_page_load_timeout(60)
        yield drv
    finally:
        drv.quit()


INSPECT = """
var names = Object.keys(window).filter(function (k) {
    return /^map_[0-9a-f]+$/.test(k) && window.L && window[k] instanceof L.Map;
});
var m = names.length ? window[names[0]] : null;
var count = 0;
if (m) { m.eachLayer(function () { count += 1; }); }
var groups = Object.keys(window).filter(function (k) {
    return /^layer_control_[0-9a-f]+_layers$/.test(k);
});
var overlays = groups.length ? window[groups[0]].overlays : {};
var active = Object.keys(overlays).filter(function (k) { return m.hasLayer(overlays[k]); });
return {
    leaflet: window.L ? L.version : null,
    maps: names.length,
    layers: count,
    overlays: Array.from(document.querySelectorAll(".leaflet-control-layers-overlays label"))
        .map(function (l) { return l.textContent.trim(); }),
    active: active.length,
    zoom: m ? m.getZoom() : null,
    bounds: m ? m.getBounds().toBBoxString() : null,
    paths: Array.from(document.querySelectorAll("path.leaflet-interactive")).map(function (p) {
        return [p.getAttribute("stroke"), p.getAttribute("class")];
    }),
    imgs: document.querySelectorAll(".leaflet-pane img, .leaflet-control img").length,
    resources: performance.getEntriesByType("resource").map(function (e) { return e.name; }),
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    legend: (document.querySelector(".corridor-legend") || {}).textContent || ""
};
"""

OPEN_POPUP = """
var m = window[Object.keys(window).filter(function (k) { return /^map_[0-9a-f]+$/.test(k); })[0]];
var needle = arguments[0];
var found = null;
function visit(layer) {
    if (found) { return; }
    var p = layer.feature && layer.feature.properties;
    if (p && p.t && p.t.indexOf(needle) >= 0 && layer.getPopup()) { found = layer; return; }
    if (layer.eachLayer) { layer.eachLayer(visit); }
}
m.eachLayer(visit);
if (!found) { return null; }
found.openPopup();
var el = document.querySelector(".leaflet-popup-content");
return {text: el.textContent, imgs: el.querySelectorAll("img, script").length};
"""


def _open(driver: Any, m: Any, tmp_path: Path, name: str) -> dict[str, Any]:
    """Save ``m`` offline, open it, return what the page shows; screenshot to artifacts."""
    path = maps.save_map(m, tmp_path / f"{name}.html")
    driver.get_log("browser")  # drop messages from earlier pages
    driver.get(path.as_uri())
    info = driver.execute_script(INSPECT)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    info["log"] = driver.get_log("browser")
    return info


def _check_page(info: dict[str, Any]) -> None:
    severe = [e for e in info["log"] if e.get("level") == "SEVERE"]
    assert severe == [], severe
    assert info["leaflet"] == maps.LEAFLET_VERSION
    assert info["maps"] == 1
    assert info["pwned"] is None, "a hostile name ran as code"
    offsite = [r for r in info["resources"] if not r.startswith(("file:", "data:"))]
    assert offsite == []


def test_offline_network_map(driver, tmp_path):
    G = helpers.small_graph()
    m = maps.network_map(G, offline=True)
    info = _open(driver, m, tmp_path, "network_offline_small")
    _check_page(info)
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
    info = _open(driver, m, tmp_path, "route_offline_small")
    _check_page(info)
    # the layer names show the hostile destination name as text
    assert info["overlays"] == ["Network", f"Route: Altynkol → {helpers.EVIL_JS}", "Alternative 1"]
    main = [s for s, cls in info["paths"] if "corridor-route-0" in (cls or "")]
    assert {maps.MODE_COLORS[mode] for mode in ("road", "sea", "rail")} <= set(main)
    alt = [s for s, cls in info["paths"] if "corridor-route-1" in (cls or "")]
    assert alt and set(alt) == {maps.ALT_COLORS[0]}
    assert "Altynkol" in info["legend"] and "Alternative 1" in info["legend"]


def _shipped() -> Any:
    from corridor.data import data_dir

    if not (data_dir() / "edges.csv").exists():
        pytest.skip("the shipped dataset is not there yet")
    from corridor.network import load_network

    return load_network()


def test_shipped_network_map(driver, tmp_path):
    G = _shipped()
    info = _open(driver, maps.network_map(G, offline=True), tmp_path, "network_offline")
    _check_page(info)
    assert {"Rail", "Road", "Sea", "Ports", "Border crossings"} <= set(info["overlays"])
    west, south, east, north = map(float, info["bounds"].split(","))
    assert west < 49.8 < east and south < 40.4 < north  # Baku / Alat in view
    assert west < 76.9 < east and south < 43.2 < north  # Almaty in view


def test_shipped_route_map(driver, tmp_path):
    G = _shipped()
    from corridor.routing import route

    r = route(G, "Altynkol", "Alat", by="cost", alternatives=1)
    info = _open(driver, maps.route_map(r, G, offline=True), tmp_path, "route_altynkol_alat")
    _check_page(info)
    main = [s for s, cls in info["paths"] if "corridor-route-0" in (cls or "")]
    assert maps.MODE_COLORS["sea"] in main or maps.MODE_COLORS["rail"] in main
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

    if not (data_dir() / "edges.csv").exists():
        pytest.skip("the shipped dataset is not there yet")
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
    info = _open(driver, m, tmp_path, name)
    _check_page(info)
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
