"""The ``corridor`` typer app: its commands, the entry point and how it exits.

Every command imports the heavy parts of the package inside its body, so that
``corridor --help`` and ``corridor route ... --json`` start fast. Errors from the
package are turned into one-line messages and the exit codes of ARCHITECTURE.md:
0 done, 2 bad input, 3 no route, 4 bad data file.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from corridor.cli.analysis import (
    bottlenecks_command,
    compare_command,
    reliability_command,
    sweep_command,
)
from corridor.cli.data import data_calibrate, data_info, data_validate, map_command
from corridor.cli.errors import EXIT_BAD_INPUT
from corridor.cli.output import clean
from corridor.cli.route import places_command, route_command

app = typer.Typer(
    name="corridor",
    help="Routes, figures and maps of the Trans-Caspian (Middle) transport corridor.",
    epilog="Start with: corridor route Altynkol Alat --by cost. Exit codes: 0 done, "
    "2 bad input, 3 no route, 4 bad data file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
data_app = typer.Typer(help="Check and summarise the network data files.", no_args_is_help=True)
app.add_typer(data_app, name="data")


def _print_version(value: bool) -> None:
    if value:
        from corridor import __version__

        typer.echo(f"corridor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True,
                     help="Print the version and exit."),
    ] = False,
) -> None:
    """Routes, figures and maps of the Trans-Caspian (Middle) transport corridor."""


# in the order of `corridor --help`
data_app.command("validate")(data_validate)
data_app.command("info")(data_info)
app.command("map")(map_command)
app.command("route")(route_command)
app.command("places")(places_command)
app.command("reliability")(reliability_command)
app.command("bottlenecks")(bottlenecks_command)
app.command("compare")(compare_command)
data_app.command("calibrate")(data_calibrate)
app.command("sweep")(sweep_command)


def _click() -> Any:
    """The click that typer runs on (typer >= 0.26 ships its own copy as typer.core._click)."""
    import typer.core

    return getattr(typer.core, "_click", None) or __import__("click")


def _degrade_encoding() -> None:
    """Let stdout and stderr replace what their encoding cannot show (ascii, latin-1)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _stdout_failed(exc: OSError) -> int:
    """Report a failed write to stdout (a full disk, a closed pipe) in one line on stderr."""
    import os

    try:  # what is still buffered must not fail again when Python exits
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    if not isinstance(exc, BrokenPipeError):
        typer.echo(f"error: cannot write the output: {exc.strerror or exc}; "
                   "check the disk or where stdout goes", err=True)
    return EXIT_BAD_INPUT


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``corridor`` console script.

    Usage errors (an unknown option, a value of the wrong type, a missing argument) are
    printed as one line with exit code 2, like the package's own bad-input errors; so is
    a failure to write stdout. SIGTERM stops the command like Ctrl-C does (temporary
    files are removed, a local Dask cluster is closed).
    """
    from corridor._write import sigterm_as_exit

    click = _click()
    _degrade_encoding()
    command = typer.main.get_command(app)
    try:
        with sigterm_as_exit():
            code = command.main(args=argv, prog_name="corridor", standalone_mode=False)
            sys.stdout.flush()
    except click.exceptions.NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help())
        code = 0
    except click.exceptions.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "corridor"
        typer.echo(f"error: {clean(exc.format_message())} (see '{where} --help')", err=True)
        code = EXIT_BAD_INPUT
    except typer.Abort:
        typer.echo("error: interrupted", err=True)
        code = 130
    except OSError as exc:
        code = _stdout_failed(exc)
    raise SystemExit(code if isinstance(code, int) else 0)


__all__ = ["app", "data_app", "main"]
