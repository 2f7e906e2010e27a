"""Writing a map to disk: one HTML file, atomically (:mod:`corridor._write`)."""

from __future__ import annotations

import os
from pathlib import Path

import folium

from corridor._write import atomic_write, check_target

__all__ = ["save_map"]


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write ``m`` as one HTML file, atomically (see :func:`corridor._write.atomic_write`).

    Raises
    ------
    OSError
        When the path is a folder, device, FIFO, socket or symlink, the folder does not
        exist or cannot be written; nothing is written then.
    """
    target = Path(path).expanduser()
    check_target(target, "the map")
    text = m.get_root().render()
    return atomic_write(target, lambda fh: fh.write(text.encode("utf-8")), what="the map")
