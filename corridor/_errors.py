"""Exceptions raised by corridor.

Each subclasses a builtin or networkx exception so that callers can catch it the
usual way (``except LookupError``, ``except nx.NetworkXNoPath``).
"""

from __future__ import annotations

import networkx as nx


class DataError(ValueError):
    """A data file is malformed: the message names the file, the row and the field."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.field = field
        where = ", ".join(
            part
            for part in (
                file,
                f"row {row}" if row is not None else None,
                f"field '{field}'" if field else None,
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class PlaceNotFoundError(LookupError):
    """No place or node matches the query; ``suggestions`` holds close names."""

    def __init__(self, query: str, suggestions: list[str] | None = None) -> None:
        self.query = query
        self.suggestions = list(suggestions or [])
        msg = f"unknown place {query!r}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(self.suggestions) + "?"
        else:
            msg += "; try `corridor places QUERY` to search the names"
        super().__init__(msg)


class AmbiguousPlaceError(LookupError):
    """Several places match the query equally well; ``candidates`` lists them."""

    def __init__(self, query: str, candidates: list[str]) -> None:
        self.query = query
        self.candidates = list(candidates)
        super().__init__(
            f"{query!r} is ambiguous: it matches " + ", ".join(self.candidates)
            + "; give a node id or a more precise name"
        )


class NoRouteError(nx.NetworkXNoPath):
    """No route joins the origin and destination under the given restrictions."""


__all__ = ["AmbiguousPlaceError", "DataError", "NoRouteError", "PlaceNotFoundError"]
