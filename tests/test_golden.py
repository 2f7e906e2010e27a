"""Golden outputs: the README's commands print exactly what they printed when recorded.

A change of structure (moving code between modules) must leave every byte the same. A
change of behaviour updates the files on purpose, in the same commit, with

    CORRIDOR_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

Each file in ``tests/golden/`` holds the exit code, stdout and stderr of one command run
through the console entry point at a fixed terminal width; written maps are recorded by
their SHA-256 (HTML output is byte-identical for the same input).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from pathlib import Path

import pytest

import corridor.cli as cli

GOLDEN = Path(__file__).with_name("golden")
UPDATE = os.environ.get("CORRIDOR_UPDATE_GOLDEN") == "1"

COMMANDS: dict[str, list[str]] = {
    "readme_first": ["route", "Altynkol", "Alat", "--by", "cost", "--alternatives", "2",
                     "--map", "{out}/route.html", "--offline"],
    "route_json": ["route", "Ақтау", "Bakı", "--by", "time", "--json"],
    "route_alternatives": ["route", "Almaty", "Baku", "--by", "time", "--modes",
                           "rail,road,sea", "--alternatives", "2"],
    "route_avoid_year": ["route", "Almaty", "Tbilisi", "--avoid", "Kuryk", "--avoid", "RU",
                         "--year", "2030"],
    "route_p90": ["route", "Altynkol", "Alat", "--by", "p90_time", "--modes", "rail,sea"],
    "route_air_cargo": ["route", "Almaty", "Baku", "--cargo", "air", "--tonnes", "2",
                        "--json"],
    "reliability": ["reliability", "Altynkol", "Alat", "--modes", "rail,sea", "--seed", "1"],
    "compare": ["compare", "Altynkol", "Alat", "--modes", "rail,sea", "--scenario", "base",
                "--scenario", "2030"],
    "places": ["places", "Baku", "--json"],
    "bottlenecks": ["bottlenecks"],
    "data_info": ["data", "info"],
    "calibrate": ["data", "calibrate"],
    "story_map": ["map", "--story", "--out", "{out}/story.html", "--offline"],
    "unknown_place": ["route", "Nowhereville", "Alat"],
}


def run(args: list[str], out: Path) -> str:
    """The record of one command: exit code, stdout, stderr and the maps it wrote."""
    args = [a.replace("{out}", str(out)) for a in args]
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            cli.main(args)
        except SystemExit as exc:
            code = exc.code
    text = f"exit {code}\n--- stdout\n{stdout.getvalue()}--- stderr\n{stderr.getvalue()}"
    for html in sorted(out.glob("*.html")):
        digest = hashlib.sha256(html.read_bytes()).hexdigest()
        text += f"--- {html.name} sha256 {digest}\n"
    return text.replace(str(out), "OUT")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_output_is_unchanged(name: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "110")
    monkeypatch.setenv("LINES", "50")
    got = run(COMMANDS[name], tmp_path)
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.is_file(), f"no golden file {path.name}: record it with CORRIDOR_UPDATE_GOLDEN=1"
    assert got == path.read_text(encoding="utf-8")
