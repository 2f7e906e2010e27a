"""The analysis commands: reliability, bottlenecks, compare and sweep."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from corridor.cli import options
from corridor.cli.errors import EXIT_BAD_INPUT, fail, handle_errors
from corridor.cli.options import (
    ByOption,
    DataOption,
    JsonOption,
    ModesOption,
    ScenarioOption,
    ScenariosOption,
    YearOption,
)
from corridor.cli.output import clean, hours, plain, print_json

if TYPE_CHECKING:
    from corridor.analysis.compare import Comparison


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

        G = options.load_scenario_graph(data, year, scenario)
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
    table.add_row("time", hours(rel.planned["time_h"]),
                  *(hours(t[k]) for k in ("p10", "p50", "p90", "p99", "mean")))
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
        from corridor._errors import NoRouteError
        from corridor._validate import check_modes
        from corridor.analysis.capacity import bottlenecks

        counted = check_modes(modes, "--modes", name_always=False)
        G = options.load_scenario_graph(data, year, scenario)
        b = bottlenecks(G, source, sink, year=year, modes=counted, avoid=avoid or None)
        if not b.connected:
            msg = (f"no path joins the sources to the sinks by {', '.join(b.modes)} (with "
                   "transfer and border links); allow more --modes, e.g. rail,sea")
            raise NoRouteError(msg)
    as_of = year or G.graph.get("year")
    if as_json:
        print_json({**b.to_dict(), "scenario": G.graph.get("scenario"), "as_of_year": as_of})
        return
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
    from corridor.analysis.compare import compare, scenario_lineup
    from corridor.analysis.scenario_io import is_base_scenario

    names = list(scenario or [])
    options.check_scenario_names(names)
    if not names:
        fail("give at least one --scenario (e.g. --scenario kuryk-closed)", EXIT_BAD_INPUT)
    if len(names) == 1 and is_base_scenario(names[0]):
        fail("give at least two scenarios, e.g. --scenario base --scenario 2030",
             EXIT_BAD_INPUT)
    with handle_errors():
        lineup = scenario_lineup(names)
        result = compare(options.load(data, year), origin, destination, lineup, by=by,
                         modes=modes, year=year, samples=samples, seed=seed)
    if as_json:
        print_json(result.to_dict())
        return
    print_comparison(result)


def print_comparison(c: Comparison) -> None:
    """Print a comparison: a table of figures by scenario (with deltas), then each route."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"{plain(c.origin)} → {plain(c.destination)}, by {plain(c.objective)}",
                  title_justify="left")
    table.add_column("")
    for s in c.scenarios:
        table.add_column(plain(s.scenario), justify="right")
    rows = (("distance km", "distance_km", "{:,.0f}"), ("time h", "time_h", "{:,.1f}"),
            ("P50 time h", "p50_time_h", "{:,.1f}"), ("P90 time h", "p90_time_h", "{:,.1f}"),
            ("cost USD", "cost_usd", "{:,.0f}"), ("CO2 kg", "co2_kg", "{:,.0f}"))
    for label, key, fmt in rows:
        cells = []
        for s in c.scenarios:
            if s.route is None:
                cells.append("no route")
                continue
            cell = fmt.format({**s.route.totals, **s.risk}[key])
            delta = c.delta(s).get(key)
            if delta:
                cell += f" ({'+' if delta > 0 else ''}{fmt.format(delta)})"
            cells.append(cell)
        table.add_row(label, *cells)
    console.print(table)
    ref = plain(c.reference.scenario)
    for s in c.scenarios:
        if s.route is None:
            console.print(f"[bold]{plain(s.scenario)}[/bold]: {plain(s.error)}", highlight=False)
            continue
        console.print(f"[bold]{plain(s.scenario)}[/bold]: " + plain(" → ".join(s.via)),
                      highlight=False)
        only, dropped = c.only_edges(s), c.dropped_edges(s)
        if only or dropped:
            console.print(f"  uses instead of {ref}: " + plain(", ".join(only) or "-")
                          + "; no longer: " + plain(", ".join(dropped) or "-"), highlight=False)
        elif c.compared(s):
            console.print(f"  same route as {ref}", highlight=False)
        for warning in s.route.warnings:
            console.print(f"  [yellow]warning:[/yellow] {plain(warning)}", markup=True,
                          highlight=False)


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
    options.check_scenario_names(scenario)
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
        from corridor.analysis.scenario_io import is_base_scenario

        scenarios = [None if is_base_scenario(s) else s for s in (scenario or ["base"])]
        result = sweep(scenarios, table, by=by, graph=options.load(data), modes=modes, year=year,
                       scheduler=scheduler, progress=progress)
        if out is not None:
            write_table(result, out)
    if out is not None:
        typer.echo(f"wrote {len(result)} rows to {clean(out)}", err=True)
    else:
        sys.stdout.write(result.to_csv(index=False))


__all__ = ["bottlenecks_command", "compare_command", "print_comparison",
           "reliability_command", "sweep_command"]
