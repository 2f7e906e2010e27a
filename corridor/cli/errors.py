"""Exit codes of the command line, and the package's errors as one-line messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer

from corridor.cli.output import clean

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_NO_ROUTE = 3
EXIT_BAD_DATA = 4


def fail(message: str, code: int) -> NoReturn:
    """Print a one-line error on stderr and exit with ``code``."""
    typer.echo(f"error: {clean(message)}", err=True)
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


__all__ = ["EXIT_BAD_DATA", "EXIT_BAD_INPUT", "EXIT_NO_ROUTE", "EXIT_OK", "fail",
           "handle_errors"]
