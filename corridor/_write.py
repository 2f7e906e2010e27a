"""The one way the package writes an output file: atomically, and only where it should.

:func:`atomic_write` writes to a new temporary file made by :func:`tempfile.mkstemp`
(``O_EXCL``, so a symlink planted at any name is never followed) in the target's folder,
then renames it over the target. It writes only to a regular file or a new path (a
device, FIFO, socket, folder or symbolic link is refused), keeps an existing file's
permission bits (a new file gets the umask's), and removes its temporary file on any
failure, including Ctrl-C and SIGTERM. Temporary files of the same target left by a run
that was killed (``.NAME.XXXXXXXX.tmp``, older than this run) are removed first.
"""

from __future__ import annotations

import os
import re
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

RUN_STARTED = time.time()
"""When this process imported the module: temp files older than this are stale."""

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


def temp_prefix(target: Path) -> str:
    """The start of the temporary file names of ``target``: ``.NAME.``."""
    return f".{target.name}."


def _refuse(target: Path, what: str, reason: str) -> OSError:
    return OSError(f"cannot write {what} to {target}: {reason}")


def check_target(target: Path, what: str = "the output") -> os.stat_result | None:
    """The target's stat when it is an existing regular file, None for a new path.

    Raises OSError (one readable line) for anything else: a device, FIFO, socket,
    folder or symbolic link, or a folder that does not exist.
    """
    try:
        st = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
        raise _refuse(target, what, f"it is {kind}; give the path of a regular file "
                      "or a new file name")
    if not target.parent.is_dir():
        raise _refuse(target, what, f"the folder {target.parent} does not exist")
    return st


def _umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def remove_stale_temps(target: Path, before: float | None = None) -> list[Path]:
    """Remove this user's leftover temp files of ``target`` modified before ``before``.

    Only regular files (never symlinks) named ``.NAME.<random>.tmp`` in the target's
    folder are removed; ``before`` defaults to :data:`RUN_STARTED`.
    """
    cutoff = RUN_STARTED if before is None else before
    pattern = re.compile(re.escape(temp_prefix(target)) + r"[A-Za-z0-9_]+\.tmp")
    folder = target.parent
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not pattern.fullmatch(name):
            continue
        path = folder / name
        try:
            st = os.lstat(path)
            if (stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid()
                    and st.st_mtime < cutoff):
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def sigterm_as_exit() -> Iterator[None]:
    """Turn SIGTERM into ``SystemExit(143)`` inside the block, so cleanups run.

    Only in the main thread and only when SIGTERM has its default action.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL):
        yield
        return
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def atomic_write(path: str | os.PathLike[str], write: Callable[[BinaryIO], object], *,
                 what: str = "the output") -> Path:
    """Write a file by calling ``write(binary_file)``, then rename it over ``path``.

    ``what`` names the output in error messages ("the map", "the table"). Nothing at
    ``path`` changes unless ``write`` returns; then ``path`` is complete.

    Raises
    ------
    OSError
        ``path`` is not a regular file or a new path, its folder does not exist or
        cannot be written, or writing fails; the temporary file is removed.
    """
    target = Path(path).expanduser()
    existing = check_target(target, what)
    mode = stat.S_IMODE(existing.st_mode) if existing else 0o666 & ~_umask()
    remove_stale_temps(target)
    with sigterm_as_exit():
        try:
            fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp",
                                       dir=target.parent)
        except OSError as exc:
            raise _refuse(target, what, exc.strerror or str(exc)) from exc
        try:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
                fh.flush()
                os.fchmod(fh.fileno(), mode)
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise _refuse(target, what, exc.strerror or str(exc)) from exc
            raise
    return target


__all__ = ["RUN_STARTED", "atomic_write", "check_target", "remove_stale_temps",
           "sigterm_as_exit"]
