"""The installed ``corridor`` command: usage errors are one line with exit code 2."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "corridor", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("route", "Altynkol", "Alat", "--year", "abc"), "'--year'"),
        (("route", "Altynkol"), "Missing argument"),
        (("route", "Altynkol", "Alat", "--colour", "red"), "No such option: --colour"),
        (("reliability", "Altynkol", "Alat", "--samples", "0"), "'--samples'"),
        (("nonsense",), "No such command"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: tuple[str, ...], words: str) -> None:
    proc = run(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0]
    assert "--help" in lines[0] and "Traceback" not in proc.stderr


def test_package_errors_keep_their_codes_through_main() -> None:
    unknown = run("route", "Altynkol", "Nowhereville")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    bad_data = run("data", "validate", "/nonexistent-folder")
    assert bad_data.returncode == 4


def test_help_version_and_no_arguments() -> None:
    assert run("--version").stdout.startswith("corridor ")
    assert run("--version").returncode == 0
    bare = run()
    assert bare.returncode == 0 and "route" in bare.stdout
    assert run("route", "--help").returncode == 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("route", "Altynkol", "Alat", "--offline"), "--offline goes with --map"),
        (("sweep", "--origins", "Altynkol", "--destinations", "Alat", "--out", "/nope/x.csv"),
         "does not exist"),
        (("sweep", "--origins", "Altynkol", "--destinations", "Alat", "--out", "x.txt"),
         ".parquet or .csv"),
        (("places", "Baku", "-n", "0"), "'--limit'"),
        (("reliability", "Altynkol", "Alat", "--seed", "-1"), "'--seed'"),
    ],
)
def test_bad_option_combinations_fail_early(args: tuple[str, ...], words: str) -> None:
    proc = run(*args)
    assert proc.returncode == 2, proc.stderr
    assert words in proc.stderr and proc.stderr.count("\n") == 1
