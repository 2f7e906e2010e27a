"""Options shared by several commands, and the network they load.

Commands call :func:`load` (or :func:`load_scenario_graph`) through this module, so a
test can hand every command its own graph by replacing ``options.load``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from corridor.cli.errors import EXIT_BAD_INPUT, fail

if TYPE_CHECKING:  # networkx loads with the network, not for --help
    import networkx as nx

DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Folder of network data files to use instead of the shipped data."),
]
YearOption = Annotated[
    int | None,
    typer.Option("--year", min=1990, max=2100,
                 help="Use the network as of this year (lines opened by then)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object and nothing else.")]
ByOption = Annotated[
    str,
    typer.Option(
        "--by",
        help="What to minimise: time, cost, distance, co2, or p90_time (the late case: "
        "the 90th percentile of each link's time).",
    ),
]
ModesOption = Annotated[
    str | None,
    typer.Option(
        "--modes",
        help="Modes allowed, comma-separated from rail,road,sea,air "
        "(transfers and border crossings are always allowed). Default: those of the cargo "
        "(rail,road,sea for a container).",
    ),
]
ScenarioOption = Annotated[
    str | None,
    typer.Option(
        "--scenario",
        metavar="NAME|FILE",
        help="Apply a scenario: a shipped name (2030, kuryk-closed, ferry-delays, "
        "georgia-border-congestion) or a TOML file (see data/scenarios/README.md).",
    ),
]
ScenariosOption = Annotated[
    list[str] | None,
    typer.Option(
        "--scenario",
        metavar="NAME|FILE",
        help="A scenario to compare (repeat the option); 'base' is the network unchanged.",
    ),
]


def load(data: Path | None, year: int | None = None) -> nx.MultiDiGraph:
    """Load the network for a command (shipped data unless ``--data`` is given)."""
    from corridor.network import load_network

    return load_network(data, year=year)


def check_scenario_names(names: list[str] | None) -> None:
    """Exit 2 when a ``--scenario`` is empty (it would silently mean the base network)."""
    if any(not name.strip() for name in names or ()):
        fail("--scenario needs a shipped name or a TOML file, got an empty one; "
             "use 'base' for the network unchanged", EXIT_BAD_INPUT)


def load_scenario_graph(data: Path | None, year: int | None,
                        scenario: str | None) -> nx.MultiDiGraph:
    """Load the network (as of ``year``) and apply ``scenario`` to it (if any)."""
    check_scenario_names([scenario] if scenario is not None else None)
    G = load(data, year)
    if scenario:  # the analysis package (numpy) loads only for a scenario
        from corridor.analysis.scenario_io import apply_scenario, is_base_scenario

        if not is_base_scenario(scenario):
            G = apply_scenario(G, scenario)
    return G


__all__ = ["ByOption", "DataOption", "JsonOption", "ModesOption", "ScenarioOption",
           "ScenariosOption", "YearOption", "check_scenario_names", "load",
           "load_scenario_graph"]
