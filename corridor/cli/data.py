"""The ``data`` commands (validate, info, calibrate) and the ``map`` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corridor.cli import options
from corridor.cli.errors import handle_errors
from corridor.cli.options import DataOption, JsonOption, ScenarioOption, YearOption
from corridor.cli.output import clean, plain, print_json


def data_validate(
    path: Annotated[
        Path | None, typer.Argument(help="Folder with the data files (default: the shipped data).")
    ] = None,
) -> None:
    """Check every data file: columns, ids, coordinates, costs, sources.

    Besides the network files: capacity_params.csv, reliability_params.csv, volumes.csv,
    references.csv, story.csv, boundaries.geojson and scenarios/*.toml when present.
    Exit code 4 and one line naming file, row and field when something is wrong.

    Example: [bold]corridor data validate ./my-data[/bold]
    """
    with handle_errors():
        from corridor.data import read_dataset
        from corridor.data.checks import validate_folder

        checked = validate_folder(path)
        folder = read_dataset(path).folder
    typer.echo(f"ok: {clean(folder)}")
    for line in checked:
        typer.echo(f"  {clean(line)}")


def data_info(
    data: DataOption = None,
    year: YearOption = None,
    as_json: JsonOption = False,
    history: Annotated[
        bool, typer.Option("--history", help="List the links and terminals opened since 2010 "
                           "or planned, by year, with their sources.")
    ] = False,
) -> None:
    """Summarise the network: counts by country, node kind, edge mode and status.

    Examples: [bold]corridor data info[/bold] · [bold]corridor data info --year 2030 --json[/bold]
    · [bold]corridor data info --history[/bold]
    """
    with handle_errors():
        from corridor.network import network_summary, opening_history

        G = options.load(data, year)
        summary = network_summary(G)
        if history:
            summary["history"] = opening_history(G)
    if as_json:
        print_json(summary)
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if history:
        table = Table(title="Opened since 2010 or planned", title_justify="left")
        for column in ("year", "status", "mode", "link", "source"):
            table.add_column(column)
        for row in summary["history"]:
            table.add_row(str(row["year"]), row["status"], row["mode"],
                          f"{row['from']} – {row['to']}", row["source"])
        console.print(table)
        return
    console.print(
        f"[bold]{plain(summary['name'])}[/bold] (data {plain(summary['data_version'])}): "
        f"{summary['nodes']} nodes, {summary['edges']} directed edges"
    )
    for title, counts in (
        ("Nodes by country", summary["nodes_by_country"]),
        ("Nodes by kind", summary["nodes_by_kind"]),
        ("Edges by mode", summary["edges_by_mode"]),
        ("Edges by status", summary["edges_by_status"]),
    ):
        table = Table(title=title, title_justify="left")
        table.add_column("")
        table.add_column("count", justify="right")
        for key, value in counts.items():
            table.add_row(plain(key), plain(value))
        console.print(table)


# ---------------------------------------------------------------- map command
def map_command(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="HTML file to write (one file, no other assets).")
    ],
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Inline every asset and draw country outlines instead of tiles: opens with no network.",
        ),
    ] = False,
    year: YearOption = None,
    data: DataOption = None,
    story: Annotated[
        bool,
        typer.Option(
            "--story",
            help="Add the corridor's story: the Caspian bridge, the two countries' "
            "infrastructure, the treaties and places, trade and investment figures.",
        ),
    ] = False,
    scenario: ScenarioOption = None,
) -> None:
    """Draw the network as an HTML map: a layer per mode, ports, airports, borders.

    Example: [bold]corridor map --out corridor.html --offline[/bold]
    """
    with handle_errors():
        from corridor._write import check_target

        check_target(out, "the map")
        from corridor.maps import network_map, save_map

        G = options.load_scenario_graph(data, year, scenario)
        if story:
            from corridor.maps import story_map

            m = story_map(G, offline=offline, year=year)
        else:
            m = network_map(G, offline=offline, year=year)
        path = save_map(m, out)
    typer.echo(f"wrote {clean(path)} ({path.stat().st_size / 1024:,.0f} KB)")


def data_calibrate(data: DataOption = None, as_json: JsonOption = False) -> None:
    """Check the model against every published figure of data/references.csv.

    Prints computed, published and their ratio for each row; rows marked calibrated are
    the ones the model's parameters were fitted to. Exit code 1 when a figure drifts
    beyond its tolerance (or has no route), 4 when a data file is malformed.

    Example: [bold]corridor data calibrate --data ./my-data[/bold]
    """
    with handle_errors():
        from corridor.analysis.calibration import reference_table

        rows = reference_table(options.load(data))
    ok = all(row["ok"] for row in rows)
    if as_json:
        print_json({"ok": ok, "references": rows})
    else:
        line = "{:<28} {:<10} {:<11} {:>10} {:>10} {:>6} {:>6}  {}"
        typer.echo("The model against published figures (data/references.csv)")
        typer.echo(line.format("reference", "basis", "figure", "computed", "published",
                               "ratio", "tol", ""))
        for row in rows:
            computed = "no route" if row["computed"] is None else f"{row['computed']:,.2f}"
            ratio = "-" if row["ratio"] is None else f"{row['ratio']:.3f}"
            typer.echo(line.format(clean(row["id"]), clean(row["basis"]), clean(row["figure"]),
                                   computed,
                                   f"{row['published']:,.2f}", ratio,
                                   f"±{row['tolerance']:.1%}", "ok" if row["ok"] else "DRIFT"))
        failed = [row["id"] for row in rows if not row["ok"]]
        typer.echo(f"{len(rows) - len(failed)} of {len(rows)} within tolerance"
                   + (f"; drift: {clean(', '.join(failed))}" if failed else ""))
    if not ok:
        raise typer.Exit(1)


__all__ = ["data_calibrate", "data_info", "data_validate", "map_command"]
