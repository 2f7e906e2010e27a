"""Vendor the browser assets that offline maps inline into ``corridor/_assets/``.

Offline maps (``corridor map --offline``) must open with no network at all, so the
JavaScript and CSS they need are copied into the package at a pinned version, with
their licence, and inlined into the HTML at run time. Nothing is downloaded when a
map is drawn; this script is run by a developer only when the pinned version changes.

Leaflet comes from the npm registry (the Python packages folium, branca and
xyzservices do not ship ``leaflet.js``)::

    python scripts/vendor_assets.py            # re-vendor and check the checksum
    python scripts/vendor_assets.py --check    # only verify the vendored files

What is vendored (and only that: offline maps use plain Leaflet features, not
folium's jQuery / Bootstrap / awesome-markers defaults):

- ``leaflet/leaflet.js``, ``leaflet/leaflet.css``, ``leaflet/images/*.png`` and
  ``leaflet/LICENSE`` from ``leaflet@1.9.4`` (BSD-2-Clause).
- ``VERSIONS.txt``: package, version, npm shasum and the SHA-256 of every file.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "corridor" / "_assets"

LEAFLET_VERSION = "1.9.4"
#: ``npm view leaflet@1.9.4 dist.shasum`` (SHA-1 of the tarball).
LEAFLET_SHASUM = "23fae724e282fa25745aff82ca4d394748db7d8d"
LEAFLET_FILES = {
    "package/LICENSE": "leaflet/LICENSE",
    "package/dist/leaflet.js": "leaflet/leaflet.js",
    "package/dist/leaflet.css": "leaflet/leaflet.css",
    "package/dist/images/layers.png": "leaflet/images/layers.png",
    "package/dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
    "package/dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
    "package/dist/images/marker-icon-2x.png": "leaflet/images/marker-icon-2x.png",
    "package/dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
}


def _sha(path: Path, algo: str = "sha256") -> str:
    return hashlib.new(algo, path.read_bytes()).hexdigest()


def fetch_leaflet(dest: Path) -> None:
    """Download ``leaflet@LEAFLET_VERSION`` with ``npm pack`` and copy its dist files."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"leaflet@{LEAFLET_VERSION}", "--silent"],
            cwd=tmp,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tarball = Path(tmp) / f"leaflet-{LEAFLET_VERSION}.tgz"
        got = _sha(tarball, "sha1")
        if got != LEAFLET_SHASUM:
            msg = f"leaflet tarball shasum {got} != pinned {LEAFLET_SHASUM}"
            raise SystemExit(msg)
        with tarfile.open(tarball) as tar:
            for member, target in LEAFLET_FILES.items():
                src = tar.extractfile(member)
                if src is None:
                    msg = f"{member} missing from the leaflet tarball"
                    raise SystemExit(msg)
                out = dest / target
                out.parent.mkdir(parents=True, exist_ok=True)
                with out.open("wb") as fh:
                    shutil.copyfileobj(src, fh)


def versions_text(dest: Path) -> str:
    """The content of ``VERSIONS.txt`` for the files now in ``dest``."""
    lines = [
        "# Browser assets inlined into offline maps. Re-create with scripts/vendor_assets.py.",
        f"leaflet {LEAFLET_VERSION} npm:leaflet@{LEAFLET_VERSION} "
        f"shasum={LEAFLET_SHASUM} license=BSD-2-Clause",
        "",
        "# sha256  file",
    ]
    for target in sorted(LEAFLET_FILES.values()):
        lines.append(f"{_sha(dest / target)}  {target}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Re-vendor the assets (default) or check the vendored files (``--check``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify VERSIONS.txt")
    args = parser.parse_args(argv)
    if args.check:
        expected = versions_text(ASSETS)
        actual = (ASSETS / "VERSIONS.txt").read_text(encoding="utf-8")
        if expected != actual:
            print("corridor/_assets differs from VERSIONS.txt", file=sys.stderr)
            return 1
        print("ok: corridor/_assets matches VERSIONS.txt")
        return 0
    fetch_leaflet(ASSETS)
    (ASSETS / "VERSIONS.txt").write_text(versions_text(ASSETS), encoding="utf-8")
    print(f"vendored leaflet {LEAFLET_VERSION} into {ASSETS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
