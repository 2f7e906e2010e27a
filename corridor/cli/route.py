"""The ``route`` and ``places`` commands: a route's legs and totals, place search."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from corridor.cli import options
from corridor.cli.errors import EXIT_BAD_INPUT, fail, handle_errors
from corridor.cli.options import (
    ByOption,
    DataOption,
    JsonOption,
    ModesOption,
    ScenarioOption,
    YearOption,
)
from corridor.cli.output import clean, plain, print_json


def print_route(r: Any) -> None:
    """Print a route as rich tables: legs with a totals row, then alternatives, warnings."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if r.query:
        console.print(r.query_line(), highlight=False, markup=False)
    t = r.totals
    def end(info: dict[str, Any]) -> str:
        stand_in = info.get("stand_in")
        if not stand_in:
            return str(info["name"])
        return (f"{info['name']} (stand-in for {stand_in['place_name']}, "
                f"{stand_in['distance_km']:,.0f} km away)")

    table = Table(
        title=(
            f"{plain(end(r.origin))} → {plain(end(r.destination))}, by {r.objective}: "
            f"{t['time_h']:,.1f} h ({t['time_h'] / 24:,.1f} days), {t['cost_usd']:,.0f} USD"
            + (" (planned times; `corridor reliability` gives the percentiles)"
               if r.objective.endswith("_time") else "")
        ),
        title_justify="left",
        show_footer=True,
    )
    for label, footer, right in (
        ("from", "total", False),
        ("to", "", False),
        ("mode", "", False),
        ("km", f"{t['distance_km']:,.1f}", True),
        ("h", f"{t['time_h']:,.1f}", True),
        ("USD", f"{t['cost_usd']:,.0f}", True),
        ("kg CO2", f"{t['co2_kg']:,.1f}", True),
    ):
        table.add_column(label, footer=footer, justify="right" if right else "left")
    for leg in r.legs:
        table.add_row(plain(leg.from_name), plain(leg.to_name), plain(leg.mode),
                      f"{leg.distance_km:,.1f}",
                      f"{leg.time_h:,.1f}", f"{leg.cost_usd:,.0f}", f"{leg.co2_kg:,.1f}")
    console.print(table)
    if r.alternatives:
        alts = Table(title="Alternatives", title_justify="left")
        for label in ("#", "via", "km", "h", "USD", "kg CO2"):
            alts.add_column(label, justify="left" if label == "via" else "right")
        for i, alt in enumerate(r.alternatives, 1):
            a = alt.totals
            via = [f"{leg.from_name} → {leg.to_name}" for leg in alt.legs
                   if leg.mode in ("sea", "border")]
            modes = ", ".join(dict.fromkeys(
                leg.mode for leg in alt.legs if leg.mode not in ("transfer", "border")))
            alts.add_row(str(i), plain("; ".join([modes, *via])), f"{a['distance_km']:,.1f}",
                         f"{a['time_h']:,.1f}", f"{a['cost_usd']:,.0f}", f"{a['co2_kg']:,.1f}")
        console.print(alts)
    if r.alternatives_found is not None:
        found = r.alternatives_found
        console.print(f"{found} distinct alternative{'s' if found != 1 else ''} found"
                      + (f", {len(r.alternatives)} shown" if found > len(r.alternatives) else ""),
                      highlight=False)
    for warning in r.warnings:
        console.print(f"[yellow]warning:[/yellow] {plain(warning)}", markup=True,
                      highlight=False)


def route_command(
    origin: Annotated[
        str, typer.Argument(help="Start: a place in English, Azerbaijani, Kazakh or Russian, or a node id.")
    ],
    destination: Annotated[str, typer.Argument(help="End: a place name or a node id.")],
    by: ByOption = "time",
    modes: ModesOption = None,
    avoid: Annotated[
        list[str] | None,
        typer.Option(
            "--avoid",
            help="A place, node id or ISO country code (e.g. GE) the route must not use; "
            "repeat the option to avoid several.",
        ),
    ] = None,
    alternatives: Annotated[
        int,
        typer.Option(
            "--alternatives",
            "-k",
            help="Also list up to K (at most 10) routes that differ by a sea crossing, a "
            "border crossing or the main mode, each the best of its kind and none beaten "
            "on time, cost and CO2 by another listed route.",
        ),
    ] = 0,
    year: YearOption = None,
    cargo: Annotated[
        str | None,
        typer.Option("--cargo", help="What moves: feu (a loaded 40-ft container, the default), "
                     "teu, or air (air cargo by weight, see --tonnes); data/cargo_profiles.csv."),
    ] = None,
    tonnes: Annotated[
        float | None,
        typer.Option("--tonnes", help="Mass of the shipment in tonnes (air cargo: default 1 t; "
                     "a container: its CO2 mass)."),
    ] = None,
    as_json: JsonOption = False,
    map_file: Annotated[
        Path | None, typer.Option("--map", help="Also write the route as an HTML map to this file.")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Make the --map file open with no network at all.")
    ] = False,
    data: DataOption = None,
    scenario: ScenarioOption = None,
) -> None:
    """Find the best route between two places and print its legs and totals.

    Examples:

      [bold]corridor route Altynkol Alat --by cost[/bold]

      [bold]corridor route Ақтау Bakı --by time --json[/bold]

      [bold]corridor route Almaty Baku --modes rail,road,sea --alternatives 2[/bold]

      [bold]corridor route Almaty Tbilisi --avoid Kuryk --avoid RU --year 2030[/bold]

      [bold]corridor route Atyrau Ganja --cargo air --tonnes 2[/bold]

    Exit codes: 0 done, 2 bad input (unknown or ambiguous place, bad option), 3 no route,
    4 bad data file.
    """
    if offline and map_file is None:
        fail("--offline goes with --map FILE.html (it makes that file work offline)",
             EXIT_BAD_INPUT)
    if alternatives < 0:
        fail(f"--alternatives must be 0 or more, got {alternatives}", EXIT_BAD_INPUT)
    with handle_errors():
        from corridor._validate import check_modes
        from corridor._write import check_target
        from corridor.routing import check_objective, route

        if map_file is not None:
            check_target(map_file, "the map")
        check_objective(by)
        if modes is not None:
            check_modes(modes)
        G = options.load_scenario_graph(data, None, scenario)
        r = route(G, origin, destination, by=by, modes=modes, avoid=tuple(avoid or ()),
                  alternatives=alternatives, year=year, cargo=cargo, tonnes=tonnes)
        if map_file is not None:
            try:
                from corridor.maps import route_map, save_map
            except ImportError as exc:
                fail(f"--map is not available: {exc}", EXIT_BAD_INPUT)
            written = save_map(route_map(r, G, offline=offline), map_file)
    if as_json:
        print_json(r.to_dict())
        return
    print_route(r)
    if map_file is not None:
        typer.echo(f"wrote {clean(written)}")


def places_command(
    query: Annotated[str, typer.Argument(help="A name in any language of the data, an id or a code.")],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="Show at most this many matches.")
    ] = 10,
    as_json: JsonOption = False,
    data: DataOption = None,
) -> None:
    """Search place and node names (English, Azerbaijani, Kazakh, Russian; typos too).

    Examples: [bold]corridor places Ақтау[/bold], [bold]corridor places bak --json[/bold]
    """
    with handle_errors():
        from corridor.places import find_places

        hits = find_places(options.load(data), query, limit=limit)
    if not hits:
        fail(f"no place matches {query!r}; try a shorter part of the name", EXIT_BAD_INPUT)
    if as_json:
        print_json({"query": query, "matches": hits})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Places matching {plain(repr(query))}", title_justify="left")
    for label in ("id", "name", "kind", "country", "score", "matched"):
        table.add_column(label, justify="right" if label == "score" else "left")
    for h in hits:
        table.add_row(plain(h["id"]), plain(h["name"]), plain(h["kind"]), plain(h["country"]),
                      f"{h['score']:.2f}", plain(h["matched"]))
    Console().print(table)


__all__ = ["places_command", "print_route", "route_command"]
