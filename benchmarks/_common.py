"""Helpers shared by the benchmark scripts: timing and the machine-readable result line."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Least wall time of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def report(name: str, **figures: Any) -> None:
    """Print the line ``benchmarks/run.py`` collects: ``RESULT {"bench": name, ...}``."""
    print("RESULT " + json.dumps({"bench": name, **figures}), flush=True)
