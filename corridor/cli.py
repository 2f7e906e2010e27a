"""The ``corridor`` command line (typer).

Every command imports the heavy parts of the package inside its body, so that
``corridor --help`` and ``corridor route ... --json`` start fast. Errors from the
package are turned into one-line messages and the exit codes of DESIGN.md:
0 done, 2 bad input, 3 no route, 4 bad data file.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

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


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(value: object) -> str:
    """``str(value)`` without control characters (terminal escapes, bidi overrides)."""
    return _UNPRINTABLE.sub("", str(value).replace("\t", " ").replace("\n", " "))


def plain(value: object) -> str:
    """``value`` as plain text for rich output: control characters removed, markup escaped."""
    from rich.markup import escape

    return escape(clean(value))


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


def load(data: Path | None, year: int | None = None):  # -> nx.MultiDiGraph
    """Load the network for a command (shipped data unless ``--data`` is given)."""
    from corridor.network import load_network

    return load_network(data, year=year)


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
_BASE_NAMES = ("base", "none", "today")


def check_scenario_names(names: list[str] | None) -> None:
    """Exit 2 when a ``--scenario`` is empty (it would silently mean the base network)."""
    if any(not name.strip() for name in names or ()):
        fail("--scenario needs a shipped name or a TOML file, got an empty one; "
             "use 'base' for the network unchanged", EXIT_BAD_INPUT)


def load_scenario_graph(data: Path | None, year: int | None, scenario: str | None):
    """Load the network (as of ``year``) and apply ``scenario`` to it (if any)."""
    check_scenario_names([scenario] if scenario is not None else None)
    G = load(data, year)
    if scenario and scenario.lower() not in _BASE_NAMES:
        from corridor.analysis.scenario_io import apply_scenario

        G = apply_scenario(G, scenario)
    return G


# ---------------------------------------------------------------- data commands
@data_app.command("validate")
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


@data_app.command("info")
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

        G = load(data, year)
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
@app.command("map")
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

        G = load_scenario_graph(data, year, scenario)
        if story:
            from corridor.maps import story_map

            m = story_map(G, offline=offline, year=year)
        else:
            m = network_map(G, offline=offline, year=year)
        path = save_map(m, out)
    typer.echo(f"wrote {clean(path)} ({path.stat().st_size / 1024:,.0f} KB)")


# ---------------------------------------------------------------- route and places
def _route_tables(r: Any) -> None:
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


@app.command("route")
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
        from corridor._write import check_target
        from corridor.routing import check_modes, check_objective, route

        if map_file is not None:
            check_target(map_file, "the map")
        check_objective(by)
        if modes is not None:
            check_modes(modes)
        G = load_scenario_graph(data, None, scenario)
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
    _route_tables(r)
    if map_file is not None:
        typer.echo(f"wrote {clean(written)}")


@app.command("places")
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

        hits = find_places(load(data), query, limit=limit)
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


# ---------------------------------------------------------------- analysis commands
def _hours(h: float) -> str:
    return f"{h:,.1f} h ({h / 24:.1f} d)"


@app.command("reliability")
def reliability_command(
    origin: Annotated[str, typer.Argument(help="Origin: place name (any language) or node id.")],
    destination: Annotated[str, typer.Argument(help="Destination: place name or node id.")],
    by: ByOption = "time",
    samples: Annotated[
        int, typer.Option("--samples", min=1, help="Monte Carlo draws (at most 1,000,000).")
    ] = 10_000,
    seed: Annotated[
        int | None, typer.Option("--seed", min=0, help="Seed for reproducible draws.")
    ] = None,
    modes: ModesOption = None,
    scenario: ScenarioOption = None,
    year: YearOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delay risk of a route: P10/P50/P90/P99 of door-to-door time and cost.

    Example: [bold]corridor reliability Altynkol Alat --seed 1[/bold]
    """
    with handle_errors():
        from corridor.analysis.reliability import reliability
        from corridor.routing import route

        G = load_scenario_graph(data, year, scenario)
        r = route(G, origin, destination, by=by, modes=modes, year=year)
        rel = reliability(G, r, samples=samples, seed=seed)
    if as_json:
        out = r.to_dict()
        out.pop("alternatives", None)
        print_json({**out, "scenario": G.graph.get("scenario"), "year": year,
                    "reliability": rel.to_dict()})
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    via = plain(" → ".join([r.legs[0].from_name, *(leg.to_name for leg in r.legs)]))
    title = (f"{plain(r.origin.get('name'))} → {plain(r.destination.get('name'))}, "
             f"route by {r.objective}")
    if G.graph.get("scenario"):
        title += f", scenario {plain(G.graph['scenario'])}"
    console.print(f"[bold]{title}[/bold]")
    console.print(f"via {via}", highlight=False)
    table = Table(title=f"{samples:,} samples" + (f", seed {seed}" if seed is not None else ""),
                  title_justify="left")
    table.add_column("")
    for col in ("planned", "P10", "P50", "P90", "P99", "mean"):
        table.add_column(col, justify="right")
    t, c = rel.time_h, rel.cost_usd
    table.add_row("time", _hours(rel.planned["time_h"]),
                  *(_hours(t[k]) for k in ("p10", "p50", "p90", "p99", "mean")))
    table.add_row("cost USD/FEU", f"{rel.planned['cost_usd']:,.0f}",
                  *(f"{c[k]:,.0f}" for k in ("p10", "p50", "p90", "p99", "mean")))
    console.print(table)
    counts, edges = rel.histogram(bins=20)
    peak = max(int(counts.max()), 1)
    console.print("[bold]door-to-door time[/bold] (h)")
    for i, n in enumerate(counts):
        lo, hi = edges[i], edges[i + 1]
        marks = " ".join(name for name, q in (("P50", t["p50"]), ("P90", t["p90"]))
                         if lo <= q < hi or (i == len(counts) - 1 and q == hi))
        bar = "█" * round(40 * int(n) / peak)
        console.print(f"{lo:8.1f}–{hi:<8.1f} {bar:<40} {int(n):>6} {marks}", highlight=False)
    spread = sorted(rel.edge_stats, key=lambda e: e["p90_h"] - e["p10_h"], reverse=True)[:5]
    risky = [e for e in spread if e["p90_h"] > e["p10_h"]]
    if risky:
        console.print("[bold]widest edges[/bold] (P10–P90 of their own time)")
        for e in risky:
            console.print(f"  {plain(e['id'])} ({plain(e['mode'])}, {plain(e['law'])}): "
                          f"{e['p10_h']:.1f}–{e['p90_h']:.1f} h, planned {e['time_h']:.1f} h",
                          highlight=False)


@app.command("bottlenecks")
def bottlenecks_command(
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="Source node, place (any language) or country code "
                     "(repeat); default CN."),
    ] = None,
    sink: Annotated[
        list[str] | None,
        typer.Option("--sink", help="Sink node, place (any language) or country code "
                     "(repeat); default GE, TR."),
    ] = None,
    modes: Annotated[
        str, typer.Option("--modes", help="Modes counted, comma-separated (transfer and border "
                          "always are).")
    ] = "rail,sea",
    avoid: Annotated[
        list[str] | None,
        typer.Option("--avoid", help="Node, place or country code to leave out (repeat), "
                     "e.g. TM to measure the Kazakh crossings alone; default RU (the "
                     "corridor bypasses Russia)."),
    ] = None,
    scenario: ScenarioOption = None,
    year: YearOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Maximum throughput (Mt/yr) of the corridor, the links that cap it, and the volumes.

    Example: [bold]corridor bottlenecks --year 2030[/bold]
    """
    with handle_errors():
        from corridor.analysis.capacity import bottlenecks
        from corridor.data import EDGE_MODES

        chosen = [m.strip() for m in modes.split(",") if m.strip()]
        bad = [m for m in chosen if m not in EDGE_MODES]
        if bad or not chosen:
            msg = f"unknown mode(s) {', '.join(bad) or '(none)'}; choose from rail, road, sea, air"
            raise ValueError(msg)
        G = load_scenario_graph(data, year, scenario)
        b = bottlenecks(G, source, sink, year=year, modes=chosen, avoid=avoid or None)
        if not b.connected:
            from corridor._errors import NoRouteError

            msg = (f"no path joins the sources to the sinks by {', '.join(chosen)} (with "
                   "transfer and border links); allow more --modes, e.g. rail,sea")
            raise NoRouteError(msg)
    as_of = year or G.graph.get("year")
    if as_json:
        print_json({**b.to_dict(), "scenario": G.graph.get("scenario"), "as_of_year": as_of})
        return
    import math

    from rich.console import Console
    from rich.table import Table

    console = Console()
    def summary(nodes: list[str]) -> str:
        countries = sorted({G.nodes[n].get("country", "?") for n in nodes})
        return (f"{plain(', '.join(map(str, countries)))} "
                f"({len(nodes)} node{'s' if len(nodes) != 1 else ''})")

    head = f"{summary(b.sources)} → {summary(b.sinks)}"
    if b.avoided:
        head += f", avoiding {summary(b.avoided)}"
    scen = f", scenario {plain(G.graph['scenario'])}" if G.graph.get("scenario") else ""
    console.print(f"[bold]Capacity {'as of ' + str(as_of) if as_of else 'today'}{scen}[/bold] "
                  f"({plain(', '.join(b.modes))}, transfer, border)", highlight=False)
    console.print(f"from {head}", highlight=False)
    if year and not scenario:
        console.print(f"lines opened by {year} are in; capacities are today's (the planned "
                      "port expansions are in --scenario 2030)", highlight=False)
    if not math.isfinite(b.max_flow_mt):
        console.print("maximum flow: [bold]unbounded[/bold] — a path of links without a "
                      "published capacity: " + plain(" → ".join(map(str, b.unbounded_path))),
                      highlight=False)
        return
    console.print(f"maximum flow: [bold]{b.max_flow_mt:,.2f} Mt/yr[/bold]")
    if b.assumed:
        console.print(f"{b.uncapped_flow_mt:,.2f} Mt/yr of it runs over {len(b.assumed)} "
                      "links with no capacity data, assumed unbounded (an upper bound): "
                      + plain(", ".join(map(str, b.assumed))), highlight=False)
    else:
        console.print("every link carrying the flow has a capacity (none assumed unbounded)",
                      highlight=False)
    table = Table(title="Limiting links (minimum cut)", title_justify="left")
    for col in ("link", "mode", "from → to", "capacity", "Mt/yr", "capacity from"):
        table.add_column(col, justify="right" if col == "Mt/yr" else "left")
    for e in b.cut:
        cap = f"{e['capacity']:,g} {e['capacity_unit']}"
        where = (e["from_name"] if e["from"] == e["to"]
                 else f"{e['from_name']} → {e['to_name']}")
        table.add_row(plain(e["id"]), plain(e["mode"]), plain(where), plain(cap),
                      f"{e['capacity_mt']:,.2f}",
                      plain(str(e["basis"]).replace("estimate:capacity_", "estimate: ")))
    console.print(table)
    vt = Table(title="Against published volumes", title_justify="left")
    for col in ("year", "kind", "volume Mt", "max flow / volume", "headroom Mt", "source"):
        vt.add_column(col, justify="left" if col in ("kind", "source") else "right")
    for v in b.volumes:
        vol = (f"{v['low_mt']:g}" if v["low_mt"] == v["high_mt"]
               else f"{v['low_mt']:g}–{v['high_mt']:g}")
        vt.add_row(plain(v["year"]), plain(v["kind"]), vol, f"{v['ratio']:.2f}×",
                   f"{v['headroom_mt']:+,.2f}", plain(v["source"]))
    console.print(vt)
    if b.unconverted:
        console.print("not counted (no freight unit): " + plain(", ".join(b.unconverted)),
                      highlight=False)


@app.command("compare")
def compare_command(
    origin: Annotated[str, typer.Argument(help="Origin: place name (any language) or node id.")],
    destination: Annotated[str, typer.Argument(help="Destination: place name or node id.")],
    scenario: ScenariosOption = None,
    by: ByOption = "time",
    samples: Annotated[int, typer.Option("--samples", min=1, help="Draws for P50/P90.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the P50/P90 draws.")] = 0,
    modes: ModesOption = None,
    year: YearOption = None,
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compare a route under scenarios side by side (totals, P50/P90, what changes).

    With one --scenario the base network is compared with it; 'base' names the
    unchanged network.

    Example: [bold]corridor compare Altynkol Alat --scenario base --scenario kuryk-closed[/bold]
    """
    from corridor._errors import NoRouteError

    names = list(scenario or [])
    check_scenario_names(names)
    if not names:
        fail("give at least one --scenario (e.g. --scenario kuryk-closed)", EXIT_BAD_INPUT)
    keys = [n.lower() if n.lower() not in _BASE_NAMES else "base" for n in names]
    twice = sorted({n for n, k in zip(names, keys, strict=True) if keys.count(k) > 1})
    if twice:
        fail(f"the same scenario is given more than once ({', '.join(twice)}); "
             "give each once", EXIT_BAD_INPUT)
    if keys == ["base"]:
        fail("give at least two scenarios, e.g. --scenario base --scenario 2030",
             EXIT_BAD_INPUT)
    if len(names) == 1:
        names.insert(0, "base")
    results: list[dict[str, Any]] = []
    with handle_errors():
        from corridor.analysis.reliability import reliability
        from corridor.routing import route

        base = load(data, year)
        for name in names:
            G = base
            if name.lower() not in _BASE_NAMES:
                from corridor.analysis.scenario_io import apply_scenario

                G = apply_scenario(base, name)
            entry: dict[str, Any] = {"scenario": name}
            try:
                r = route(G, origin, destination, by=by, modes=modes,
                          year=year)
            except NoRouteError as exc:
                entry.update(error=str(exc), totals=None, legs=[], edges=[], warnings=[])
                results.append(entry)
                continue
            rel = reliability(G, r, samples=samples, seed=seed)
            entry.update(
                error=None,
                totals=dict(r.totals),
                p50_time_h=rel.time_h["p50"],
                p90_time_h=rel.time_h["p90"],
                p90_cost_usd=rel.cost_usd["p90"],
                legs=[leg.to_dict() for leg in r.legs],
                edges=[k for _, _, k in r.edges],
                via=[r.legs[0].from_name, *(leg.to_name for leg in r.legs)],
                warnings=list(r.warnings),
            )
            results.append(entry)
        if all(e["error"] for e in results):
            raise NoRouteError(results[0]["error"])
    ref = next(e for e in results if not e["error"])
    for e in results:
        if e["error"] or e is ref:
            continue
        e["only_edges"] = [k for k in e["edges"] if k not in ref["edges"]]
        e["dropped_edges"] = [k for k in ref["edges"] if k not in e["edges"]]
        e["delta"] = {k: e["totals"][k] - ref["totals"][k] for k in ref["totals"]}
        for key in ("p50_time_h", "p90_time_h", "p90_cost_usd"):
            e["delta"][key] = e[key] - ref[key]
    if as_json:
        print_json({"origin": origin, "destination": destination, "objective": by,
                    "year": year, "reference": ref["scenario"], "scenarios": results})
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"{plain(origin)} → {plain(destination)}, by {plain(by)}",
                  title_justify="left")
    table.add_column("")
    for e in results:
        table.add_column(plain(e["scenario"]), justify="right")
    rows = (("distance km", "distance_km", "{:,.0f}"), ("time h", "time_h", "{:,.1f}"),
            ("P50 time h", "p50_time_h", "{:,.1f}"), ("P90 time h", "p90_time_h", "{:,.1f}"),
            ("cost USD", "cost_usd", "{:,.0f}"), ("CO2 kg", "co2_kg", "{:,.0f}"))
    for label, key, fmt in rows:
        cells = []
        for e in results:
            if e["error"]:
                cells.append("no route")
                continue
            value = e["totals"][key] if key in e["totals"] else e[key]
            cell = fmt.format(value)
            delta = e.get("delta", {}).get(key)
            if delta:
                cell += f" ({'+' if delta > 0 else ''}{fmt.format(delta)})"
            cells.append(cell)
        table.add_row(label, *cells)
    console.print(table)
    for e in results:
        if e["error"]:
            console.print(f"[bold]{plain(e['scenario'])}[/bold]: {plain(e['error'])}",
                          highlight=False)
            continue
        console.print(f"[bold]{plain(e['scenario'])}[/bold]: " + plain(" → ".join(e["via"])),
                      highlight=False)
        if e.get("only_edges") or e.get("dropped_edges"):
            console.print(f"  uses instead of {plain(ref['scenario'])}: "
                          + plain(", ".join(e["only_edges"]) or "-")
                          + "; no longer: " + plain(", ".join(e["dropped_edges"]) or "-"),
                          highlight=False)
        elif e is not ref:
            console.print(f"  same route as {plain(ref['scenario'])}", highlight=False)
        for warning in e.get("warnings", []):
            console.print(f"  [yellow]warning:[/yellow] {plain(warning)}", markup=True,
                          highlight=False)


@data_app.command("calibrate")
def data_calibrate(data: DataOption = None, as_json: JsonOption = False) -> None:
    """Check the model against every published figure of data/references.csv.

    Prints computed, published and their ratio for each row; rows marked calibrated are
    the ones the model's parameters were fitted to. Exit code 1 when a figure drifts
    beyond its tolerance (or has no route), 4 when a data file is malformed.

    Example: [bold]corridor data calibrate --data ./my-data[/bold]
    """
    with handle_errors():
        from corridor.analysis.calibration import reference_table

        rows = reference_table(load(data))
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


@app.command("sweep")
def sweep_command(
    pairs: Annotated[
        Path | None,
        typer.Option("--pairs", help="CSV file with columns origin,destination (one pair a row)."),
    ] = None,
    origins: Annotated[
        str | None, typer.Option("--origins", help="Comma-separated origins (with --destinations).")
    ] = None,
    destinations: Annotated[
        str | None,
        typer.Option("--destinations", help="Comma-separated destinations: every origin to each."),
    ] = None,
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", help="Scenario name or TOML file; repeat for several. "
                     "'base' is the network as loaded. Default: base only."),
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="What to minimise: time, cost, distance or co2.")
    ] = "time",
    modes: ModesOption = None,
    year: YearOption = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786), or 'serial'. "
                     "Default: a local cluster of one worker process per core."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the table to this .parquet or .csv file "
                     "(default: CSV on stdout)."),
    ] = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")
    ] = True,
    data: DataOption = None,
) -> None:
    """Totals of many origin-destination pairs under several scenarios, on Dask.

    Examples:

      [bold]corridor sweep --origins Almaty,Khorgos --destinations Baku,Tbilisi --scenario base --scenario kuryk-closed --by cost --out sweep.parquet[/bold]

      [bold]corridor sweep --pairs pairs.csv --scheduler tcp://10.0.0.5:8786 --out sweep.csv[/bold]

    Needs the 'scale' extra (pip install "corridor\\[scale]") unless --scheduler serial.
    """
    if (pairs is None) == (origins is None and destinations is None):
        fail("give either --pairs FILE.csv or --origins A,B --destinations C,D", EXIT_BAD_INPUT)
    if pairs is None and (not origins or not destinations):
        fail("--origins and --destinations go together", EXIT_BAD_INPUT)
    check_scenario_names(scenario)
    if out is not None:
        if out.suffix.lower() not in (".parquet", ".csv"):
            fail(f"--out {out}: give a .parquet or .csv file name", EXIT_BAD_INPUT)
        from corridor._write import check_target

        with handle_errors():
            check_target(out, "the table")
    with handle_errors():
        import pandas as pd

        from corridor.batch import read_pairs, sweep, write_table
        from corridor.routing import objective_attr

        objective_attr(by)
        if pairs is not None:
            table = read_pairs(pairs)
        else:
            split = [[p.strip() for p in s.split(",") if p.strip()]
                     for s in (origins or "", destinations or "")]
            table = pd.DataFrame([(o, d) for o in split[0] for d in split[1]],
                                 columns=["origin", "destination"])
        scenarios = [None if s == "base" else s for s in (scenario or ["base"])]
        result = sweep(scenarios, table, by=by, graph=load(data), modes=modes, year=year,
                       scheduler=scheduler, progress=progress)
        if out is not None:
            write_table(result, out)
    if out is not None:
        typer.echo(f"wrote {len(result)} rows to {clean(out)}", err=True)
    else:
        sys.stdout.write(result.to_csv(index=False))


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


if __name__ == "__main__":  # pragma: no cover
    main()
