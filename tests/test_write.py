"""The one atomic writer (corridor/_write.py) and the writers built on it.

Every writer (``save_map``, ``write_table`` for .csv and .parquet) writes only to a
regular file or a new path, never follows a symlink planted at a temporary name, keeps
an existing file's mode (a new file honours the umask), and leaves no temporary file
behind on an error, Ctrl-C or SIGTERM; stale temporary files of a killed run are removed.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from contractgraph import CORRIDOR_EDGES, CORRIDOR_NODES, CORRIDOR_PLACES, build_graph
from specialfiles import fifo, folder, null_device, symlink, unix_socket

from corridor import _write
from corridor.batch import write_table

FRAME = pd.DataFrame({"origin": ["a", "b"], "destination": ["c", "d"], "time_h": [1.5, 2.0]})


def write_map(path: Path) -> Path:
    from corridor import maps

    G = build_graph(CORRIDOR_NODES, CORRIDOR_EDGES, CORRIDOR_PLACES)
    return maps.save_map(maps.network_map(G), path)


WRITERS: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "csv": ("out.csv", lambda p: write_table(FRAME, p)),
    "parquet": ("out.parquet", lambda p: write_table(FRAME, p)),
    "map": ("map.html", write_map),
}


@pytest.fixture(params=sorted(WRITERS))
def writer(request) -> tuple[str, Callable[[Path], Path]]:
    return WRITERS[request.param]


@pytest.mark.parametrize(("make", "kind"), [
    (fifo, "named pipe"), (unix_socket, "socket"), (folder, "folder"),
    (symlink, "symbolic link"),
])
def test_refuses_what_is_not_a_regular_file(writer, tmp_path, make, kind):
    name, write = writer
    target = make(tmp_path / name)
    before = os.lstat(target)
    with pytest.raises(OSError, match=f"it is a {kind}"):
        write(target)
    after = os.lstat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)
    assert after.st_ino == before.st_ino
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
    if kind == "symbolic link":
        assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == "keep me"


def test_refuses_a_device_node_named_like_the_output(writer, tmp_path):
    name, write = writer
    target = null_device(tmp_path / name)
    with pytest.raises(OSError, match="it is a character device"):
        write(target)
    assert stat.S_ISCHR(os.lstat(target).st_mode)


def test_symlink_at_a_temporary_name_is_not_followed(writer, tmp_path, monkeypatch):
    """Links at the old pid name and at the next name mkstemp would pick stay untouched."""
    name, write = writer
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    planted = [f".{name}.{os.getpid()}.tmp", f".{name}.predictable.tmp"]
    for link in planted:
        (tmp_path / link).symlink_to(victim)
    names = iter(["predictable", "second"])
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: names)
    out = write(tmp_path / name)
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert out.is_file() and not out.is_symlink() and out.stat().st_size > 20
    assert all((tmp_path / link).is_symlink() for link in planted)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*planted, name,
                                                                 "victim.txt"])


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_existing_file_keeps_its_mode(writer, tmp_path, mode):
    name, write = writer
    target = tmp_path / name
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    write(target)
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() != b"old"


@pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o027, 0o640), (0o002, 0o664)])
def test_new_file_honours_the_umask(writer, tmp_path, umask, mode):
    name, write = writer
    old = os.umask(umask)
    try:
        write(tmp_path / name)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_temp_file_removed_on_any_failure(tmp_path, error):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def half_then_fail(fh):
        fh.write(b"half")
        raise error

    with pytest.raises(type(error)):
        _write.atomic_write(target, half_then_fail)
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    assert target.read_text(encoding="utf-8") == "old"


def test_write_error_is_one_readable_oserror(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match=r"cannot write the table to .*out.csv: No space left"):
        write_table(FRAME, target)
    assert list(tmp_path.iterdir()) == []


def test_sigterm_during_a_write_removes_the_temp_file(tmp_path):
    """SIGTERM while the table is written: exit 143, old file intact, no temp file."""
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    script = textwrap.dedent(f"""
        import os, signal, time
        import pandas as pd
        from corridor.batch import write_table

        real = pd.DataFrame.to_csv
        def slow(self, *args, **kwargs):
            real(self, *args, **kwargs)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(30)
        pd.DataFrame.to_csv = slow
        write_table(pd.DataFrame({{"a": [1, 2]}}), {str(target)!r})
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    assert target.read_text(encoding="utf-8") == "old"


def test_stale_temp_files_of_the_same_target_are_removed(writer, tmp_path):
    name, write = writer
    hour_ago = time.time() - 3600
    stale = [tmp_path / f".{name}.k3j_x9q2.tmp", tmp_path / f".{name}.12345.tmp"]
    for path in stale:
        path.write_text("left by a killed run", encoding="utf-8")
        os.utime(path, (hour_ago, hour_ago))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    kept = [tmp_path / f".{name}.recent01.tmp",  # newer than this run: maybe another run's
            tmp_path / f".other.{name}.k3j_x9q2.tmp",  # another target
            tmp_path / f".{name}.link.tmp"]  # a symlink is never removed or followed
    kept[0].write_text("in progress", encoding="utf-8")
    os.utime(kept[0], (time.time() + 60, time.time() + 60))
    kept[1].write_text("other", encoding="utf-8")
    os.utime(kept[1], (hour_ago, hour_ago))
    kept[2].symlink_to(victim)
    os.utime(kept[2], (hour_ago, hour_ago), follow_symlinks=False)
    write(tmp_path / name)
    assert not any(p.exists() for p in stale)
    assert all(os.path.lexists(p) for p in kept)
    assert victim.read_text(encoding="utf-8") == "keep me"
