"""The analysis commands' option checks: bottlenecks --modes, base scenario names in sweep."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from corridor.cli import app

runner = CliRunner()


@pytest.mark.parametrize("modes", ["rail,transfer", "sea,Border", "transfer"])
def test_bottlenecks_refuses_modes_that_always_count(modes):
    result = runner.invoke(app, ["bottlenecks", "--modes", modes, "--json"])
    assert result.exit_code == 2, result.output
    named = [m for m in ("transfer", "border") if m in modes.lower()]
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "always count" in line
    assert all(m in line for m in named) and "rail, road, sea, air" in line


def test_bottlenecks_modes_are_checked_by_the_shared_checker():
    result = runner.invoke(app, ["bottlenecks", "--modes", "rail,boat"])
    assert result.exit_code == 2
    assert "unknown mode(s) 'boat'" in result.stderr


@pytest.mark.parametrize("name", ["today", "None", "BASE"])
def test_sweep_takes_every_name_of_the_base_network(name):
    args = ["sweep", "--origins", "Almaty", "--destinations", "Baku,Tbilisi", "--by", "cost",
            "--scheduler", "serial", "--no-progress"]
    base = runner.invoke(app, [*args, "--scenario", "base"])
    same = runner.invoke(app, [*args, "--scenario", name])
    assert base.exit_code == 0, base.output
    assert same.exit_code == 0, same.output
    assert same.stdout == base.stdout and len(same.stdout.splitlines()) == 3
