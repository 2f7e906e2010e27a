"""The ``corridor`` command line: ``corridor.cli:main`` is the console script.

- :mod:`corridor.cli.app`: the typer app, the entry point, usage errors and exit codes.
- :mod:`corridor.cli.route`: ``route`` and ``places``.
- :mod:`corridor.cli.analysis`: ``reliability``, ``bottlenecks``, ``compare``, ``sweep``.
- :mod:`corridor.cli.data`: ``data validate``, ``data info``, ``data calibrate``, ``map``.
- :mod:`corridor.cli.options`, :mod:`corridor.cli.output`, :mod:`corridor.cli.errors`:
  shared options and the network they load, printing, exit codes.

Commands parse their options, call the library and print its result.
"""

from __future__ import annotations

from corridor.cli.app import app, main

__all__ = ["app", "main"]
