"""The ``corridor`` command line (typer).

Every command imports the heavy parts of the package inside its body, so that
``corridor --help`` and ``corridor route ... --json`` start fast. Errors from the
package are turned into one-line messages and the exit codes of DESIGN.md:
0 done, 2 bad input, 3 no route, 4 bad data file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

app = typer.Typer(
    name="corridor",
    help="Routes, figures and maps of the Trans-Caspian (Middle) transport corridor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
data_app = typer.Typer(help="Check and summarise the network data files.", no_args_is_help=True)
app.add_typer(data_app, name="data")

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_NO_ROUTE = 3
EXIT_BAD_DATA = 4

DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Folder of network data files to use instead of the shipped data."),
]
YearOption = Annotated[
    int | None,
    typer.Option("--year", help="Use the network as of this year (lines opened by then)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object and nothing else.")]


def fail(message: str, code: int) -> NoReturn:
    """Print a one-line error on stderr and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def handle_errors() -> Iterator[None]:
    """Map the package's exceptions to exit codes and one-line messages."""
    from corridor._errors import (
        AmbiguousPlaceError,
        DataError,
        NoRouteError,
        PlaceNotFoundError,
    )

    try:
        yield
    except DataError as exc:
        fail(str(exc), EXIT_BAD_DATA)
    except (PlaceNotFoundError, AmbiguousPlaceError) as exc:
        fail(str(exc.args[0]) if exc.args else str(exc), EXIT_BAD_INPUT)
    except NoRouteError as exc:
        fail(str(exc), EXIT_NO_ROUTE)
    except (ValueError, OSError) as exc:
        fail(str(exc), EXIT_BAD_INPUT)


def print_json(obj: Any) -> None:
    """Write ``obj`` as JSON on stdout (UTF-8, names kept readable)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def load(data: Path | None, year: int | None = None):  # -> nx.MultiDiGraph
    """Load the network for a command (shipped data unless ``--data`` is given)."""
    from corridor.network import load_network

    return load_network(data, year=year)


# ---------------------------------------------------------------- data commands
@data_app.command("validate")
def data_validate(
    path: Annotated[
        Path | None, typer.Argument(help="Folder with the data files (default: the shipped data).")
    ] = None,
) -> None:
    """Check every data file: columns, ids, coordinates, costs, sources.

    Exit code 4 and one line naming file, row and field when something is wrong.

    Example: [bold]corridor data validate ./my-data[/bold]
    """
    with handle_errors():
        from corridor.data import read_dataset

        ds = read_dataset(path)
        G = load(path)
    typer.echo(
        f"ok: {ds.folder} — {len(ds.nodes)} node rows, {len(ds.edges)} edge rows, "
        f"{len(ds.sources)} sources; graph of {G.number_of_nodes()} nodes and "
        f"{G.number_of_edges()} directed edges"
    )


@data_app.command("info")
def data_info(
    data: DataOption = None,
    year: YearOption = None,
    as_json: JsonOption = False,
) -> None:
    """Summarise the network: counts by country, node kind, edge mode and status."""
    with handle_errors():
        from corridor.network import network_summary

        summary = network_summary(load(data, year))
    if as_json:
        print_json(summary)
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"[bold]{summary['name']}[/bold] (data {summary['data_version']}): "
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
            table.add_row(str(key), str(value))
        console.print(table)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``corridor`` console script."""
    app(args=argv, prog_name="corridor")



if __name__ == "__main__":  # pragma: no cover
    main()
