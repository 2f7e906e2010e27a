"""The command line under hostile input: names, outputs, stdout, encodings and big inputs.

Exit codes and stderr are checked in a subprocess (``python -m corridor``, through
``main``) where ``main`` matters; table output with hostile names runs in-process on the
hand-built corridor of conftest.py, with every name made hostile.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from specialfiles import fifo, folder, null_device, unix_socket, zero_device
from typer.testing import CliRunner

import corridor.cli as cli
import corridor.cli.options as cli_options
import corridor.cli.output as cli_output
from corridor.analysis.reliability import reliability
from corridor.places import find_places, lookup, resolve
from corridor.routing import route

# Rich markup, a tag-like word rich would swallow, and terminal escapes (retitle, clear).
HOSTILE = " [/] [old post] \x1b]0;pwned\x07\x1b[2J\u202e"
SHOWN = " [/] [old post] ]0;pwned[2J"  # what is printed of it: inert without the ESC


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
        **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "corridor", *args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})},
                          **kwargs)


def one_line_error(proc: subprocess.CompletedProcess[str], words: str) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], lines
    return lines[0]


# ---------------------------------------------------------------- where outputs go
@pytest.mark.parametrize(("make", "kind"), [(fifo, "named pipe"), (folder, "folder"),
                                            (unix_socket, "socket"),
                                            (null_device, "character device")])
def test_map_output_must_be_a_regular_file_or_new(tmp_path, make, kind):
    target = tmp_path / "map.html"
    make(target)
    before = os.lstat(target)
    line = one_line_error(run("map", "--out", str(target)), f"it is a {kind}")
    assert "cannot write the map" in line
    assert stat.S_IFMT(os.lstat(target).st_mode) == stat.S_IFMT(before.st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_route_map_must_be_a_regular_file_or_new(tmp_path):
    target = tmp_path / "route.html"
    os.mkfifo(target)
    proc = run("route", "Altynkol", "Alat", "--map", str(target))
    assert "cannot write the map" in one_line_error(proc, "it is a named pipe")
    assert proc.stdout == "" and stat.S_ISFIFO(os.lstat(target).st_mode)


def test_sweep_out_must_be_a_regular_file_or_new(tmp_path):
    target = tmp_path / "sweep.csv"
    os.mkfifo(target)
    one_line_error(run("sweep", "--origins", "Altynkol", "--destinations", "Alat",
                       "--scheduler", "serial", "--no-progress", "--out", str(target)),
                   "it is a named pipe")
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


def test_sweep_removes_stale_temp_files_of_its_output(tmp_path):
    out = tmp_path / "sweep.csv"
    stale = [tmp_path / ".sweep.csv.4242.tmp", tmp_path / ".sweep.csv.ab_cd123.tmp"]
    for path in stale:
        path.write_text("left by a killed sweep", encoding="utf-8")
        os.utime(path, (time.time() - 3600,) * 2)
    proc = run("sweep", "--origins", "Altynkol", "--destinations", "Alat", "--scheduler",
               "serial", "--no-progress", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.csv"]


# ---------------------------------------------------------------- stdout and encodings
@pytest.mark.parametrize("args", [("route", "Altynkol", "Alat"),
                                  ("route", "Altynkol", "Alat", "--json"),
                                  ("places", "Baku")])
def test_full_stdout_is_one_line_exit_2(args):
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "corridor", *args], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot write the output"), lines


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_narrow_encodings_degrade_instead_of_crashing(encoding):
    env = {"PYTHONIOENCODING": encoding}
    table = run("route", "Altynkol", "Alat", env=env)
    assert table.returncode == 0 and table.stderr == "", table.stderr
    assert "Altynkol ? Alat" in table.stdout  # the arrow, degraded
    places = run("places", "Ақтау", env=env)
    assert places.returncode == 0 and places.stderr == "", places.stderr
    assert "aktau" in places.stdout
    as_json = run("places", "Ақтау", "--json", env=env)
    assert as_json.returncode == 0 and as_json.stdout.isascii(), as_json.stderr
    assert json.loads(as_json.stdout)["matches"][0]["matched"] == "Ақтау"  # escaped, not lost


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("args", [
    ("route", "Altynkol", "Alat", "--scenario", ""),
    ("reliability", "Altynkol", "Alat", "--scenario", " "),
    ("bottlenecks", "--scenario", ""),
    ("map", "--out", "never.html", "--scenario", ""),
    ("compare", "Altynkol", "Alat", "--scenario", "base", "--scenario", ""),
    ("sweep", "--origins", "Altynkol", "--destinations", "Alat", "--scenario", ""),
])
def test_empty_scenario_is_bad_input(args, tmp_path):
    one_line_error(run(*args, cwd=tmp_path), "--scenario")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ("compare", "Altynkol", "Alat", "--scenario", "kuryk-closed", "--samples", "1000000000"),
    ("reliability", "Altynkol", "Alat", "--samples", "1000001"),
])
def test_samples_are_capped(args):
    one_line_error(run(*args), "at most 1,000,000")


def test_long_place_query_is_refused_at_once():
    one_line_error(run("places", "a" * 100_000), "the limit is 200")
    one_line_error(run("route", "a" * 5_000, "Alat"), "the limit is 200")


def test_place_query_length_cap_in_the_api(corridor_graph):
    long = "Baku" + "u" * 197
    for call in (find_places, lookup, resolve):
        with pytest.raises(ValueError, match="201 characters long; the limit is 200"):
            call(corridor_graph, long)
    with pytest.raises(ValueError, match="the limit is 200"):
        route(corridor_graph, "Almaty", long)
    assert find_places(corridor_graph, "Baku" + " " * 196)[0]["id"] == "baku"


def test_reliability_samples_cap_in_the_api(corridor_graph):
    r = route(corridor_graph, "Almaty", "Baku")
    for samples in (10**12, 1_000_001):
        with pytest.raises(ValueError, match=r"samples must be at most 1,000,000"):
            reliability(corridor_graph, r, samples=samples)


def make_big_pairs(path: Path) -> None:
    with open(path, "wb") as fh:
        fh.write(b"origin,destination\n")
        fh.truncate(65 * 2**20)


@pytest.mark.parametrize(("make", "words"), [
    (zero_device, "not a regular file"), (fifo, "not a regular file"),
    (folder, "not a regular file"), (make_big_pairs, "larger than 64 MiB"),
])
def test_pairs_file_must_be_a_regular_file_of_bounded_size(tmp_path, make, words):
    pairs = tmp_path / "pairs.csv"
    make(pairs)
    one_line_error(run("sweep", "--pairs", str(pairs), "--scheduler", "serial",
                       "--no-progress", timeout=60), words)


# ---------------------------------------------------------------- JSON
def test_json_printer_writes_null_for_non_finite_figures(capsys):
    cli_output.print_json({"max_flow_mt": float("inf"), "rows": [{"p90": float("nan")}, {"p90": 1.5}]})
    out, err = capsys.readouterr()
    assert "Infinity" not in out and "NaN" not in out
    assert json.loads(out, parse_constant=lambda c: pytest.fail(c)) == {
        "max_flow_mt": None, "rows": [{"p90": None}, {"p90": 1.5}]}
    assert err.startswith("warning: max_flow_mt, rows[0].p90: not a finite number")


def test_route_json_with_an_overflowing_total_is_strict(corridor_graph, monkeypatch):
    for _, _, key, d in corridor_graph.edges(keys=True, data=True):
        if key in ("rail_almaty_aktau", "rail_baku_ganja"):
            d["cost_usd"] = 1e308  # finite each, their sum is not
    monkeypatch.setattr(cli_options, "load", lambda data, year=None: corridor_graph)
    result = CliRunner().invoke(cli.app, ["route", "almaty", "tbilisi", "--modes", "rail,sea",
                                          "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout, parse_constant=lambda c: pytest.fail(c))
    assert data["totals"]["cost_usd"] is None and data["totals"]["time_h"] > 0
    assert result.stderr.startswith("warning: totals.cost_usd: not a finite number")


# ---------------------------------------------------------------- hostile names in tables
@pytest.fixture
def hostile_cli(corridor_graph, monkeypatch):
    """Run a command in-process on the test corridor with every name made hostile."""
    G = corridor_graph
    G.graph["name"] = "test corridor" + HOSTILE
    for p in G.graph["places"].values():
        p["name"] += HOSTILE
    for _, d in G.nodes(data=True):
        d["name"] += HOSTILE
    monkeypatch.setattr(cli_options, "load", lambda data, year=None: G)
    monkeypatch.setenv("COLUMNS", "500")

    for _, _, d in G.edges(data=True):
        d.update(capacity=5.0, capacity_unit="Mt/yr", source="src" + HOSTILE)

    def invoke(*args: str):
        return CliRunner().invoke(cli.app, list(args))

    return invoke


def scenario_file(tmp_path: Path) -> str:
    path = tmp_path / "closed [old post].toml"
    path.write_text(f'name = {json.dumps("closed" + HOSTILE)}\n'
                    'description = "Kuryk closed."\n\n[close]\nnodes = ["kuryk_quay"]\n',
                    encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("command", [
    ("route", "almaty", "tbilisi", "--modes", "rail,sea", "--alternatives", "1"),
    ("places", "Baku"),
    ("reliability", "almaty", "tbilisi", "--seed", "1", "--scenario", "SCENARIO"),
    ("compare", "almaty", "baku", "--by", "cost", "--scenario", "SCENARIO", "--samples", "100"),
    ("bottlenecks", "--source", "KZ", "--sink", "GE", "--scenario", "SCENARIO"),
    ("data", "info"),
])
def test_hostile_names_print_as_plain_text(hostile_cli, tmp_path, command):
    args = [scenario_file(tmp_path) if a == "SCENARIO" else a for a in command]
    result = hostile_cli(*args)
    assert result.exit_code == 0, result.output
    assert SHOWN in result.stdout
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in result.stdout
    if command[0] == "compare":  # the scenario as given heads its column
        assert "closed [old post].toml" in result.stdout
    elif "SCENARIO" in command:  # the scenario's own name
        assert "closed" + SHOWN in result.stdout


def test_plain_escapes_markup_and_drops_control_characters():
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(f"[bold]{cli_output.plain('Aktau' + HOSTILE)}[/bold]")
    assert console.export_text() == "Aktau" + SHOWN + "\n"
