"""Every bad value in a copy of the shipped data folder or a scenario is refused: the
reader raises DataError naming the file, row and field, ``data validate`` exits 4 with one
line naming them, and a command using the folder exits 4 instead of printing a result."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor import DataError
from corridor.cli import app
from corridor.data import data_dir
from corridor.data.checks import validate_folder

SCALE_TOML = 'name = "x"\n[[scale]]\nmodes = ["{mode}"]\n{factor} = {value}\nsource = "estimate:test"\n'
PLANNED_TOML = ('name = "x"\n[[set]]\nedges = ["rail_dostyk_aktogay"]\nstatus = "planned"\n'
                'source = "estimate:test"\n')
ROUTE = ["route", "Altynkol", "Alat"]


@dataclass
class Case:
    """One broken file: ``file`` gets ``old`` replaced by ``new`` (regex) or ``text``."""

    id: str
    file: str
    # a number, "line:<prefix>" (the data row of that line), "last" (the last data row) or
    # "end" (one past it: a row the file lacks)
    row: int | str | None
    field: str | None
    words: str
    old: str | None = None
    new: str = ""
    text: str | bytes | None = None
    command: tuple[str, ...] = tuple(ROUTE)

    def apply(self, folder: Path) -> Path:
        path = folder / self.file
        if self.text is not None:
            path.parent.mkdir(exist_ok=True)
            data = self.text if isinstance(self.text, bytes) else self.text.encode()
            path.write_bytes(data)
        else:
            before = path.read_text(encoding="utf-8")
            after = re.sub(self.old or "", self.new, before, flags=re.MULTILINE)
            assert after != before, f"{self.id}: {self.old!r} not in {self.file}"
            path.write_text(after, encoding="utf-8")
        return path

    def expected_row(self, path: Path) -> int | None:
        if not isinstance(self.row, str):
            return self.row
        lines = path.read_text(encoding="utf-8").splitlines()
        if self.row in ("last", "end"):
            return len(lines) - (self.row == "last")
        prefix = self.row.removeprefix("line:")
        first = next(i for i, line in enumerate(lines) if line.startswith(prefix))
        return first if path.suffix == ".csv" else first + 1  # TOML: 1-based line


def _line(prefix: str) -> str:
    return f"line:{prefix}"


NESTED = "[" * 100_000 + "]" * 100_000
CASES = [
    # cost_params.csv: missing, empty, cut short, zero, absurd or unknown parameters
    Case("cost-params-no-sea-rows", "cost_params.csv", "end", "param", "sea.",
         old=r"^sea,.*\n"),
    Case("cost-params-header-only", "cost_params.csv", 1, "param", "all.cargo_t",
         text="mode,param,value,unit,source,notes\n"),
    Case("cost-params-truncated", "cost_params.csv", _line("road,usd_per_km"), "unit",
         "cut short", old=r"^(road,usd_per_km,)1\.5,[^\n]*\n(.*\n)*", new=r"\1"),
    Case("rail-speed-zero", "cost_params.csv", _line("rail,speed_kmh"), "value",
         "plausible range", old=r"^rail,speed_kmh,27\.1,", new="rail,speed_kmh,0,"),
    Case("usd-per-km-huge", "cost_params.csv", _line("rail,usd_per_km"), "value",
         "plausible range", old=r"^rail,usd_per_km,0\.404,", new="rail,usd_per_km,1e308,"),
    Case("cost-param-unknown", "cost_params.csv", _line("rail,speed_mph"), "param",
         "unknown parameter", old=r"^rail,speed_kmh,", new="rail,speed_mph,"),
    # edges.csv
    Case("distance-huge", "edges.csv", _line("rail_altynkol_zhetygen"), "distance_km",
         "plausible range", old=r"^(rail_altynkol_zhetygen,zhetygen,altynkol,rail,)293,",
         new=r"\g<1>1e308,"),
    Case("capacity-unit-unknown", "edges.csv", _line("alat_load_rail"), "capacity_unit",
         "not one of", old=r"^(alat_load_rail,.*?),15,Mt/yr,", new=r"\1,15,Mt/year,"),
    Case("capacity-unit-unknown-bottlenecks", "edges.csv", _line("alat_load_rail"),
         "capacity_unit", "not one of", old=r"^(alat_load_rail,.*?),15,Mt/yr,",
         new=r"\1,15,Mt/year,", command=("bottlenecks",)),
    Case("year-open-fractional", "edges.csv", _line("rail_altynkol_zhetygen"), "year_open",
         "whole year", old=r",open,2012,", new=",open,2012.5,"),
    Case("duplicate-header-column", "edges.csv", 0, "time_h", "appears twice",
         old=r"^(id,from,to,mode,distance_km,time_h,)time_h_low,", new=r"\1time_h,"),
    Case("unbalanced-quote", "edges.csv", _line("rail_dostyk_aktogay"), "notes",
         "quote", old=r"^(rail_dostyk_aktogay,.*,)first track", new=r'\1"first track'),
    # places and nodes: names that hijack a query, codes, countries
    Case("alias-names-another-place", "places.csv", _line("alat,"), "id", "already names",
         old=r"^(aktau,.*?,)Aqtau;", new=r"\1Alat;Aqtau;"),
    Case("node-id-hijacks-baku", "nodes.csv", "last", "id", "already names",
         old=r"\Z", new="baku,Baku quay,,,,port,KZ,43.6,51.2,aktau,,osm\n"),
    Case("duplicate-station-code", "nodes.csv", _line("kuryk_port_rail"), "code",
         "duplicate code", old=r",kuryk,553002,", new=",kuryk,549204,"),
    Case("node-in-another-countrys-place", "nodes.csv", _line("aktau_port_quay"), "place",
         "attached to place", old=r"^(aktau_port_quay,.*?,KZ,43\.612,51\.19,)aktau,",
         new=r"\1baku,"),
    Case("geometry-features-null", "geometry.geojson", None, "features", "FeatureCollection",
         text='{"type": "FeatureCollection", "features": null}'),
    Case("geometry-nested", "geometry.geojson", None, None, "nested", text=NESTED),
    # parameter tables of the analyses
    Case("headway-huge", "reliability_params.csv", "last", "value", "plausible range",
         old=r"\Z", new="sea,headway_h,1e308,h,estimate:test,\n",
         command=("reliability", "Altynkol", "Alat")),
    Case("reliability-not-utf8", "reliability_params.csv", 1, None, "UTF-8",
         text=(data_dir() / "reliability_params.csv").read_bytes().replace(b"Beta", b"B\xe9ta"),
         command=("reliability", "Altynkol", "Alat")),
    Case("capacity-params-extra-field", "capacity_params.csv", _line("days_per_year"),
         "column 6", "fields for the 5 columns", old=r"^(days_per_year,.*)$", new=r"\1,extra",
         command=("bottlenecks",)),
    Case("volumes-fractional-year", "volumes.csv", 1, "year", "whole year",
         old=r"^2021,", new="2021.5,", command=("bottlenecks",)),
    Case("volumes-duplicate-year", "volumes.csv", 2, "year", "duplicate year",
         old=r"^2022,", new="2021,", command=("bottlenecks",)),
    Case("volumes-absurd-year", "volumes.csv", 1, "year", "plausible range",
         old=r"^2021,", new="3021,", command=("bottlenecks",)),
    Case("volumes-header-only", "volumes.csv", 1, "kind", "no observed year",
         text="year,kind,low_mt,high_mt,source,notes\n", command=("bottlenecks",)),
    Case("volumes-only-potential", "volumes.csv", 2, "kind", "no observed year",
         text="year,kind,low_mt,high_mt,source,notes\n2030,potential,11,,worldbank_2023,\n",
         command=("bottlenecks",)),
    Case("story-extra-field", "story.csv", _line("strategic_partnership"), "column 13",
         "fields for the 12 columns", old=r"^(strategic_partnership,.*)$", new=r"\1,extra",
         command=("map", "--story", "--out", "{tmp}/map.html")),
    # scenarios: an absurd factor, an absurd result, a planned link without a year, nesting
    Case("scenario-scale-huge", "scenarios/huge.toml", _line("time"), "scale[0].time",
         "plausible range", text=SCALE_TOML.format(mode="sea", factor="time", value="1e300"),
         command=(*ROUTE, "--scenario", "{data}/scenarios/huge.toml")),
    Case("scenario-result-absurd", "scenarios/air.toml", _line("[[scale]]"),
         "scale[0].cost_usd", "plausible range",
         text=SCALE_TOML.format(mode="air", factor="cost", value="90"),
         command=(*ROUTE, "--scenario", "{data}/scenarios/air.toml")),
    Case("scenario-planned-without-year", "scenarios/planned.toml", _line("status"),
         "set[0].year_open", "without a year_open", text=PLANNED_TOML,
         command=(*ROUTE, "--scenario", "{data}/scenarios/planned.toml")),
    Case("scenario-nested", "scenarios/nested.toml", None, None, "nested",
         text="a = " + NESTED, command=(*ROUTE, "--scenario", "{data}/scenarios/nested.toml")),
]


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pristine copy of the shipped data folder, copied again for each case."""
    folder = tmp_path_factory.mktemp("shipped") / "data"
    shutil.copytree(data_dir(), folder)
    return folder


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_copy_is_refused(case: Case, shipped_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(shipped_copy, folder)
    path = case.apply(folder)
    row = case.expected_row(path)

    with pytest.raises(DataError) as info:
        validate_folder(folder)
    err = info.value
    assert (Path(err.file or "").resolve(), err.row, err.field) == (path.resolve(), row, case.field)
    assert case.words in str(err)

    runner = CliRunner()
    validate = runner.invoke(app, ["data", "validate", str(folder)])
    lines = validate.output.strip().splitlines()
    assert (validate.exit_code, len(lines)) == (4, 1), validate.output
    assert str(err) in lines[0]

    args = [a.format(data=folder, tmp=tmp_path) for a in case.command]
    used = runner.invoke(app, [*args, "--data", str(folder)])
    assert used.exit_code == 4, used.output
    assert case.file.split("/")[-1] in used.output and "Traceback" not in used.output
    assert not (tmp_path / "map.html").exists()


def test_a_ranges_file_in_a_data_folder_cannot_widen_the_ranges(
    shipped_copy: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(shipped_copy, folder)
    ranges = folder / "ranges.csv"
    ranges.write_text(ranges.read_text(encoding="utf-8").replace(",5,120,km/h,", ",0,120,km/h,"),
                      encoding="utf-8")
    params = folder / "cost_params.csv"
    params.write_text(params.read_text(encoding="utf-8").replace("rail,speed_kmh,27.1,",
                                                                 "rail,speed_kmh,0,"),
                      encoding="utf-8")
    with pytest.raises(DataError, match=r"plausible range 5\.\.120 km/h"):
        validate_folder(folder)


def test_route_command_exits_4_in_a_subprocess(shipped_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(shipped_copy, folder)
    CASES[0].apply(folder)
    result = subprocess.run([sys.executable, "-m", "corridor", *ROUTE, "--data", str(folder)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 4
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cost_params.csv" in lines[0] and "field 'param'" in lines[0]
