"""What the commands print: plain text without control characters, strict JSON."""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

import typer

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(value: object) -> str:
    """``str(value)`` without control characters (terminal escapes, bidi overrides)."""
    return _UNPRINTABLE.sub("", str(value).replace("\t", " ").replace("\n", " "))


def plain(value: object) -> str:
    """``value`` as plain text for rich output: control characters removed, markup escaped."""
    from rich.markup import escape

    return escape(clean(value))


def hours(h: float) -> str:
    """``h`` hours, and in days: ``50.0 h (2.1 d)``."""
    return f"{h:,.1f} h ({h / 24:.1f} d)"


def _finite(obj: Any, where: str, bad: list[str]) -> Any:
    """``obj`` with every non-finite float replaced by None; their places go to ``bad``."""
    if isinstance(obj, float) and not math.isfinite(obj):
        bad.append(where or "value")
        return None
    if isinstance(obj, dict):
        return {k: _finite(v, f"{where}.{k}" if where else str(k), bad) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v, f"{where}[{i}]", bad) for i, v in enumerate(obj)]
    return obj


def print_json(obj: Any) -> None:
    """Write ``obj`` as strict JSON on stdout; a non-finite figure becomes null, with a warning.

    Names are kept readable when stdout takes UTF-8, and escaped (``\\uXXXX``) otherwise.
    """
    bad: list[str] = []
    data = _finite(obj, "", bad)
    if bad:
        shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        typer.echo(f"warning: {clean(shown)}: not a finite number (unbounded, no route or "
                   "too large); written as null", err=True)
    utf8 = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "") == "utf8"
    sys.stdout.write(json.dumps(data, ensure_ascii=not utf8, indent=2, allow_nan=False) + "\n")


__all__ = ["clean", "hours", "plain", "print_json"]
