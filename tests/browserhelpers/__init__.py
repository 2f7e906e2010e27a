"""Headless Chromium for the browser tests: start it offline, open a map, check the page.

``conftest.py`` turns :func:`offline_driver` into the ``driver`` fixture; a test saves a
map with :func:`open_map` and checks it with :func:`check_page`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridor import maps

#: Screenshots of the opened pages (gitignored).
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
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


def missing_browser() -> list[str]:
    """The browser programs that are not installed (Debian's chromium and chromium-driver)."""
    return [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]


def offline_driver() -> Iterator[Any]:
    """Headless Chromium with its network emulated off; skipped without it (fails under CI)."""
    missing = missing_browser()
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


def open_map(driver: Any, m: Any, tmp_path: Path, name: str) -> dict[str, Any]:
    """Save ``m`` offline, open it, return what the page shows; screenshot to artifacts."""
    path = maps.save_map(m, tmp_path / f"{name}.html")
    driver.get_log("browser")  # drop messages from earlier pages
    driver.get(path.as_uri())
    info = driver.execute_script(INSPECT)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    info["log"] = driver.get_log("browser")
    return info


def check_page(info: dict[str, Any]) -> None:
    """No SEVERE console message, one live Leaflet map, nothing ran, nothing fetched."""
    severe = [e for e in info["log"] if e.get("level") == "SEVERE"]
    assert severe == [], severe
    assert info["leaflet"] == maps.LEAFLET_VERSION
    assert info["maps"] == 1
    assert info["pwned"] is None, "a hostile name ran as code"
    offsite = [r for r in info["resources"] if not r.startswith(("file:", "data:"))]
    assert offsite == []
