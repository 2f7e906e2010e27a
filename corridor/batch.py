"""Batch sweeps: every scenario × every origin–destination pair, on Dask.

:func:`sweep` applies each scenario to the graph once, splits the pairs into batches
of origins, and computes each batch with :func:`corridor.routing.od_matrix` as a
task on a Dask cluster: a :class:`dask.distributed.LocalCluster` of worker processes
by default (no set-up), or the scheduler at ``scheduler="tcp://host:8786"`` when one
machine is no longer enough. ``scheduler="serial"`` runs the same tasks in this
process, without Dask.

Dask (``dask[distributed]``) and pyarrow (for Parquet) come with the ``scale`` extra:
``pip install "corridor[scale]"``.
"""

from __future__ import annotations

import io
import math
import os
import stat
import sys
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from corridor._constants import BASE_SCENARIO
from corridor._validate import (
    ArgumentTypeError,
    check_flag,
    check_graph,
    check_modes,
    check_path,
    check_whole,
    check_year,
)

if TYPE_CHECKING:
    from distributed import Client

COLUMNS = ["scenario", "origin", "destination", "by", "distance_km", "time_h", "cost_usd",
           "co2_kg"]
ScenarioLike = Callable[[nx.MultiDiGraph], nx.MultiDiGraph] | str | Path | None | Any
BASE = BASE_SCENARIO


def sweep(
    scenarios: ScenarioLike | Iterable[ScenarioLike] | Mapping[str, ScenarioLike],
    pairs: Iterable[tuple[Hashable, Hashable]] | pd.DataFrame,
    *,
    by: str = "time",
    graph: nx.MultiDiGraph | None = None,
    modes: Iterable[str] | None = None,
    year: int | None = None,
    scheduler: str | Client | None = None,
    progress: bool = True,
    batch_size: int | None = None,
    out: str | Path | None = None,
) -> pd.DataFrame:
    """Totals of every origin–destination pair under every scenario, computed on Dask.

    Parameters
    ----------
    scenarios
        One scenario or several (a list, or a mapping label -> scenario). A scenario is
        None (the base network), the name or path of a scenario file (see
        :func:`corridor.analysis.scenario_io.apply_scenario`), a ``Scenario``, or a
        callable ``G -> G`` that returns a transformed copy (it must be picklable:
        a module-level function, or a lambda, which Dask pickles with cloudpickle).
    pairs
        ``(origin, destination)`` tuples, or a DataFrame with columns ``origin`` and
        ``destination``: node ids or place names.
    by
        Objective the paths minimise: ``time``, ``cost``, ``distance`` or ``co2``.
    graph
        The base graph (the shipped network, :func:`corridor.load_network`, when None).
    modes, year
        As in :func:`corridor.route`.
    scheduler
        None: a local cluster of one worker process per core, started and closed here;
        an address (``"tcp://10.0.0.5:8786"``): that cluster's scheduler; a
        :class:`distributed.Client`: use it (left open); ``"serial"``: no Dask, in
        this process.
    progress
        Show a progress bar on stderr.
    batch_size
        Origins per task (default: about two tasks per worker, at least one per scenario).
    out
        Also write the result to this ``.parquet`` or ``.csv`` file (written to a
        temporary file, then renamed).

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario, origin, destination, by, distance_km, time_h, cost_usd,
        co2_kg``, one row per scenario and pair in the order given; ``inf`` totals where
        there is no route. The objective's column equals
        ``od_matrix(apply(G), ..., by=by)`` exactly.

    Raises
    ------
    ValueError
        Unknown objective, mode, output format or scheduler; no pairs.
    FileNotFoundError
        Unknown scenario name.
    """
    from corridor.routing import objective_attr

    objective_attr(by)
    wanted = None if modes is None else sorted(check_modes(modes))
    year = check_year(year)
    check_flag(progress, "progress")
    check_whole(batch_size, "batch_size", minimum=1, optional=True)
    if graph is not None:
        check_graph(graph, arg="graph")
    if out is not None:
        check_path(out, "out")
    table = _pairs_table(_check_pairs(pairs))
    if out is not None and Path(out).suffix.lower() not in (".parquet", ".csv"):
        msg = f"--out must end in .parquet or .csv, got {str(out)!r}"
        raise ValueError(msg)
    if out is not None:
        from corridor._write import check_target

        check_target(Path(out), "the table")
    if graph is None:
        from corridor.network import load_network

        graph = load_network()
    labelled = _scenarios(scenarios, graph)
    origins = list(dict.fromkeys(table["origin"]))

    if isinstance(scheduler, str) and scheduler in ("serial", "sync"):
        frames = _run_serial(graph, labelled, table, origins, by, wanted, year, batch_size,
                             progress)
    else:
        frames = _run_dask(graph, labelled, table, origins, by, wanted, year, batch_size,
                           progress, scheduler)
    result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
    result = result[COLUMNS]
    if out is not None:
        write_table(result, out)
    return result


def _check_pairs(pairs: Any) -> Any:
    """``pairs`` as a DataFrame or a list of (origin, destination) sequences."""

    def is_sequence(value: Any) -> bool:
        return isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping)

    if isinstance(pairs, pd.DataFrame):
        return pairs
    if is_sequence(pairs):
        pairs = list(pairs)
        if all(is_sequence(p) for p in pairs):
            return pairs
    msg = ("pairs must be a DataFrame with columns origin and destination or a list of "
           f"(origin, destination) tuples, got {pairs!r:.60}")
    raise ArgumentTypeError(msg)


def _pairs_table(pairs: Iterable[tuple[Hashable, Hashable]] | pd.DataFrame) -> pd.DataFrame:
    if isinstance(pairs, pd.DataFrame):
        missing = [c for c in ("origin", "destination") if c not in pairs.columns]
        if missing:
            msg = f"the pairs table lacks column(s) {', '.join(missing)}"
            raise ValueError(msg)
        table = pairs[["origin", "destination"]].copy()
    else:
        rows = [tuple(p) for p in pairs]
        if any(len(r) != 2 for r in rows):
            msg = "pairs must be (origin, destination) tuples"
            raise ValueError(msg)
        table = pd.DataFrame(rows, columns=["origin", "destination"], dtype=object)
    if table.empty:
        msg = "no origin-destination pairs to compute"
        raise ValueError(msg)
    return table.reset_index(drop=True)


def _scenarios(scenarios: Any, G: nx.MultiDiGraph) -> list[tuple[str, Any]]:
    """(label, scenario) pairs; names and paths are read here, so a typo fails at once."""
    if isinstance(scenarios, Mapping):
        items = list(scenarios.items())
    elif scenarios is None or isinstance(scenarios, str | Path) or callable(scenarios) or \
            _is_scenario(scenarios):
        items = [(None, scenarios)]
    else:
        items = [(None, s) for s in scenarios]
    if not items:
        msg = "no scenario given; pass None for the base network"
        raise ValueError(msg)
    out: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for i, (label, sc) in enumerate(items):
        if isinstance(sc, str | Path):
            from corridor.analysis.scenario_io import load_scenario

            sc = load_scenario(sc, G)
        if label is None:
            if sc is None:
                label = BASE
            elif _is_scenario(sc):
                label = str(getattr(sc, "name", "") or f"scenario{i}")
            else:
                label = getattr(sc, "__name__", "") or f"scenario{i}"
                label = f"scenario{i}" if label == "<lambda>" else label
        elif sc is not None and not callable(sc) and not _is_scenario(sc):
            msg = f"scenario {label!r} is neither a name, a Scenario nor a callable"
            raise ValueError(msg)
        label = str(label)
        if label in seen:
            label = f"{label}#{i}"
        seen.add(label)
        out.append((label, sc))
    return out


def _is_scenario(obj: Any) -> bool:
    return hasattr(obj, "apply") and type(obj).__name__ == "Scenario"


def apply(G: nx.MultiDiGraph, scenario: Any) -> nx.MultiDiGraph:
    """Apply one scenario (None, a ``Scenario``, a name, a path or a callable) to ``G``."""
    if scenario is None:
        return G
    if _is_scenario(scenario):
        return scenario.apply(G)
    if isinstance(scenario, str | Path):
        from corridor.analysis.scenario_io import apply_scenario

        return apply_scenario(G, scenario)
    result = scenario(G)
    if not isinstance(result, nx.MultiDiGraph):
        msg = f"scenario {scenario!r} returned {type(result).__name__}, not a MultiDiGraph"
        raise TypeError(msg)
    return result


_APPLIED: OrderedDict[tuple[str, str], nx.MultiDiGraph] = OrderedDict()
_APPLIED_MAX = 2
_APPLIED_LOCK = threading.Lock()


def _scenario_graph(G: nx.MultiDiGraph, token: str, label: str, scenario: Any
                    ) -> nx.MultiDiGraph:
    """``apply(G, scenario)``, remembered for the last few (sweep, scenario) of this process."""
    key = (token, label)
    with _APPLIED_LOCK:
        if key in _APPLIED:
            _APPLIED.move_to_end(key)
            return _APPLIED[key]
    H = apply(G, scenario)
    with _APPLIED_LOCK:
        _APPLIED[key] = H
        while len(_APPLIED) > _APPLIED_MAX:
            _APPLIED.popitem(last=False)
    return H


def _task(G: nx.MultiDiGraph, token: str, label: str, scenario: Any, pairs: pd.DataFrame,
          by: str, modes: list[str] | None, year: int | None) -> pd.DataFrame:
    return run_batch(_scenario_graph(G, token, label, scenario), label, pairs, by, modes, year)


def run_batch(G: nx.MultiDiGraph, label: str, pairs: pd.DataFrame, by: str,
              modes: list[str] | None, year: int | None) -> pd.DataFrame:
    """The rows of one task: ``pairs`` (with their row number ``order``) on graph ``G``."""
    from corridor.routing import FIGURES, od_matrix

    origins = list(dict.fromkeys(pairs["origin"]))
    dests = list(dict.fromkeys(pairs["destination"]))
    long = od_matrix(G, origins, dests, by=by, modes=modes, year=year, totals=True)
    o_pos = {o: i for i, o in enumerate(origins)}
    d_pos = {d: i for i, d in enumerate(dests)}
    rows = [o_pos[o] * len(dests) + d_pos[d] for o, d in zip(pairs["origin"],
                                                               pairs["destination"], strict=True)]
    picked = long.iloc[rows]
    frame = pd.DataFrame({
        "order": pairs["order"].to_numpy(),
        "scenario": label,
        "origin": pairs["origin"].to_numpy(),
        "destination": pairs["destination"].to_numpy(),
        "by": by,
    })
    for name in FIGURES:
        frame[name] = picked[name].to_numpy()
    return frame


def _batches(table: pd.DataFrame, origins: list[Hashable], size: int) -> list[pd.DataFrame]:
    table = table.assign(order=range(len(table)))
    groups: dict[Hashable, pd.DataFrame] = dict(list(table.groupby("origin", sort=False)))
    out = []
    for start in range(0, len(origins), size):
        part = [groups[o] for o in origins[start:start + size]]
        out.append(pd.concat(part) if len(part) > 1 else part[0])
    return out


def _batch_size(n_origins: int, n_scenarios: int, workers: int, batch_size: int | None) -> int:
    if batch_size is not None:
        if batch_size < 1:
            msg = f"batch_size must be at least 1, got {batch_size}"
            raise ValueError(msg)
        return batch_size
    per_scenario = max(1, math.ceil(2 * workers / n_scenarios))
    return max(1, math.ceil(n_origins / per_scenario))


def _finish(parts: list[pd.DataFrame], labels: list[str]) -> list[pd.DataFrame]:
    """Put the rows back in scenario then pair order and drop the helper column."""
    if not parts:
        return []
    frame = pd.concat(parts, ignore_index=True)
    frame["_scenario"] = frame["scenario"].map({s: i for i, s in enumerate(labels)})
    frame = frame.sort_values(["_scenario", "order"], kind="stable")
    return [frame.drop(columns=["_scenario", "order"]).reset_index(drop=True)]


def _run_serial(G: nx.MultiDiGraph, labelled: list[tuple[str, Any]], table: pd.DataFrame,
                origins: list[Hashable], by: str, modes: list[str] | None, year: int | None,
                batch_size: int | None, progress: bool) -> list[pd.DataFrame]:
    size = _batch_size(len(origins), len(labelled), 1, batch_size)
    batches = _batches(table, origins, size)
    parts = []
    with _Progress(len(labelled) * len(batches), enabled=progress) as bar:
        for label, sc in labelled:
            H = apply(G, sc)
            for batch in batches:
                parts.append(run_batch(H, label, batch, by, modes, year))
                bar.advance()
    return _finish(parts, [label for label, _ in labelled])


def _run_dask(G: nx.MultiDiGraph, labelled: list[tuple[str, Any]], table: pd.DataFrame,
              origins: list[Hashable], by: str, modes: list[str] | None, year: int | None,
              batch_size: int | None, progress: bool, scheduler: Any) -> list[pd.DataFrame]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - depends on the environment
        msg = ('sweep needs Dask: pip install "corridor[scale]" '
               '(or pass scheduler="serial")')
        raise ImportError(msg) from None
    cluster = None
    if scheduler is None:
        workers = max(1, os.cpu_count() or 1)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        client = Client(cluster)
    elif isinstance(scheduler, str):
        client = Client(scheduler)
    elif isinstance(scheduler, Client):
        client = scheduler
    else:
        msg = (f"scheduler must be None, an address like 'tcp://host:8786', 'serial' or a "
               f"distributed.Client, got {scheduler!r}")
        raise ValueError(msg)
    try:
        workers = max(1, sum(client.nthreads().values()))
        size = _batch_size(len(origins), len(labelled), workers, batch_size)
        batches = _batches(table, origins, size)
        [g_future] = client.scatter([G], broadcast=True, hash=False)
        # One task per (scenario, batch), applying the scenario itself: a worker keeps the
        # graphs it made (see _scenario_graph), so a scenario is applied at most once per
        # worker and no scenario graph ever travels between workers.
        token = uuid.uuid4().hex
        futures = [
            client.submit(_task, g_future, token, label, sc, batch, by, modes, year, pure=False)
            for label, sc in labelled for batch in batches
        ]
        parts = []
        with _Progress(len(futures), enabled=progress) as bar:
            for future in as_completed(futures):
                parts.append(future.result())
                bar.advance()
        return _finish(parts, [label for label, _ in labelled])
    finally:
        if client is not scheduler:
            client.close()
        if cluster is not None:
            cluster.close()


class _Progress:
    """A rich progress bar on stderr (nothing when disabled)."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self._bar = Progress("sweep", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=Console(file=sys.stderr), transient=False)
            self._bar.__enter__()
            self._task = self._bar.add_task("sweep", total=self.total)
        return self

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


MAX_PAIRS_BYTES = 64 * 1024 * 1024
"""The largest pairs file :func:`read_pairs` reads (64 MiB, about two million pairs)."""


def read_pairs(path: str | Path) -> pd.DataFrame:
    """Read a pairs CSV (columns ``origin,destination``) as strings.

    Only a regular file of at most :data:`MAX_PAIRS_BYTES` is read: a device, FIFO or
    folder is refused before anything is read from it (it is opened non-blocking).

    Raises
    ------
    ValueError
        Not a regular file, too large, or not a readable CSV.
    """
    name = str(path)
    too_large = (f"the pairs file {name} is larger than {MAX_PAIRS_BYTES // 2**20} MiB; "
                 "split it into several sweeps")
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        msg = f"cannot read the pairs file {name}: {exc.strerror or exc}"
        raise ValueError(msg) from exc
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_PAIRS_BYTES:
        os.close(fd)
        msg = (too_large if stat.S_ISREG(st.st_mode) else
               f"the pairs file {name} is not a regular file; give a CSV file")
        raise ValueError(msg)
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(MAX_PAIRS_BYTES + 1)
    if len(data) > MAX_PAIRS_BYTES:  # it grew while being read
        raise ValueError(too_large)
    try:
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    except ValueError as exc:  # also pandas.errors.EmptyDataError and ParserError
        msg = f"cannot read the pairs file {name}: {exc}"
        raise ValueError(msg) from exc


def write_table(frame: pd.DataFrame, out: str | Path) -> Path:
    """Write ``frame`` to a ``.parquet`` or ``.csv`` file atomically (temp file + rename)."""
    from corridor._write import atomic_write

    path = Path(out)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return atomic_write(path, lambda fh: frame.to_parquet(fh, index=False),
                            what="the table")
    if suffix == ".csv":
        return atomic_write(path, lambda fh: frame.to_csv(fh, index=False), what="the table")
    msg = f"output must end in .parquet or .csv, got {path.name!r}"
    raise ValueError(msg)


__all__ = ["COLUMNS", "MAX_PAIRS_BYTES", "apply", "read_pairs", "run_batch", "sweep", "write_table"]
