"""The README's examples run as written (docs that match the code)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_readme_starts_with_setup_and_test_commands() -> None:
    first = _blocks("bash")[0].strip().splitlines()
    assert first[0].startswith('pip install -e ".[dev]" && corridor route ')
    assert first[1] == "python -m pytest"
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "\npython -m pytest\n" in ci


def test_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (code,) = _blocks("python")
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "corridor.html").stat().st_size > 100_000


@pytest.mark.parametrize(
    "line",
    [line.split("#")[0].strip() for line in _blocks("bash")[1].splitlines()
     if line.startswith("corridor ")],
)
def test_cli_examples_run(line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, shlex.split(line)[1:])
    assert result.exit_code == 0, result.output


def test_first_command_writes_the_route_map(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    command = _blocks("bash")[0].strip().splitlines()[0].split("&&")[1]
    args = shlex.split(command)
    result = CliRunner().invoke(app, args[1:])
    assert result.exit_code == 0, result.output
    html_file = tmp_path / args[args.index("--map") + 1]
    assert "Alat" in result.output and html_file.stat().st_size > 100_000
