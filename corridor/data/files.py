"""Where the data files are: a user's folder, else the files shipped with corridor."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from corridor._errors import DataError

#: The folder of the data inside an installed wheel (``corridor/_data``).
PACKAGE_DATA = "_data"


def data_dir() -> Path:
    """Return the folder of the shipped data files.

    In an installed wheel the files live in ``corridor/_data``; in a source checkout
    (including an editable install) they are the repository's ``data/`` folder.
    """
    packaged = resources.files("corridor") / PACKAGE_DATA
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "data"
    if checkout.is_dir():
        return checkout
    msg = "the shipped data files are missing; reinstall corridor or pass a data folder"
    raise DataError(msg)


def data_path(name: str) -> Path:
    """Return the path of one shipped data file, e.g. ``data_path("boundaries.geojson")``."""
    return data_dir() / name


def find_file(name: str, folder: str | Path | None = None) -> Path:
    """The path of data file ``name``: in ``folder`` if it is there, else the shipped one."""
    if folder is not None:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    path = data_dir() / name
    if not path.is_file():
        msg = "file is missing (it ships with corridor; reinstall or pass a data folder)"
        raise DataError(msg, file=str(path))
    return path


__all__ = ["PACKAGE_DATA", "data_dir", "data_path", "find_file"]
