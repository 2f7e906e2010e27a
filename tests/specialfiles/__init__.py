"""Things that are not regular files, made at a path, for the tests that writers refuse them.

Each maker creates its kind at ``path`` and returns ``path``. The device nodes are made in
the test's folder (like /dev/null and /dev/zero) so that a regression cannot replace a real
one; making them needs root, so without it the test is skipped.
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest


def fifo(path: Path) -> Path:
    """A named pipe."""
    os.mkfifo(path)
    return path


def unix_socket(path: Path) -> Path:
    """A Unix socket (bound, then closed: the node stays)."""
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()
    return path


def folder(path: Path) -> Path:
    """An empty folder."""
    path.mkdir()
    return path


def symlink(path: Path) -> Path:
    """A symbolic link to ``victim.txt`` (``keep me``) beside it."""
    victim = path.parent / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    path.symlink_to(victim)
    return path


def _char_device(path: Path, minor: int) -> Path:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return path


def null_device(path: Path) -> Path:
    """A character device like /dev/null."""
    return _char_device(path, 3)


def zero_device(path: Path) -> Path:
    """A character device like /dev/zero."""
    return _char_device(path, 5)
