"""What an offline page inlines: the vendored Leaflet (``corridor/_assets``) and the
shipped country outlines (``boundaries.geojson``, Natural Earth)."""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from corridor.data import data_path

__all__ = ["LEAFLET_CDN", "LEAFLET_VERSION", "asset_bytes", "boundaries", "leaflet_inline"]

LEAFLET_VERSION = "1.9.4"
LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist"


@cache
def asset_bytes(name: str) -> bytes:
    """Read a vendored asset from ``corridor/_assets``."""
    return (resources.files("corridor") / "_assets" / name).read_bytes()


def _data_uri(name: str, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(asset_bytes(name)).decode("ascii")


@cache
def leaflet_inline() -> tuple[str, str]:
    """Leaflet's CSS (images as data: URIs) and JavaScript, ready to inline."""
    css = asset_bytes("leaflet/leaflet.css").decode("utf-8")
    css = re.sub(
        r"url\(images/([\w.-]+\.png)\)",
        lambda m: f"url({_data_uri('leaflet/images/' + m.group(1))})",
        css,
    )
    js = asset_bytes("leaflet/leaflet.js").decode("utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+", "", js)
    if "</script" in js.lower():  # pragma: no cover - guard for a future Leaflet
        msg = "the vendored leaflet.js cannot be inlined (it contains '</script')"
        raise ValueError(msg)
    icons = (
        "L.Icon.Default.imagePath = '';"
        "L.Icon.Default.mergeOptions({"
        f"iconUrl: {json.dumps(_data_uri('leaflet/images/marker-icon.png'))},"
        f"iconRetinaUrl: {json.dumps(_data_uri('leaflet/images/marker-icon-2x.png'))},"
        f"shadowUrl: {json.dumps(_data_uri('leaflet/images/marker-shadow.png'))}}});"
    )
    return f"<style>{css}</style>", f"<script>{js}</script><script>{icons}</script>"


@cache
def boundaries() -> dict[str, Any]:
    """The shipped country outlines (GeoJSON FeatureCollection)."""
    path = data_path("boundaries.geojson")
    if not path.exists():
        msg = f"the country outlines file {path} is missing; reinstall corridor"
        raise FileNotFoundError(msg)
    return json.loads(path.read_text(encoding="utf-8"))
