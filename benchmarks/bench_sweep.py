"""A scenario × OD sweep on Dask (local cluster, one worker process per core) vs serial.

    python benchmarks/bench_sweep.py [--edges 200000] [--scenarios 4] [--origins 40]

The workload: a synthetic corridor; scenarios that slow one mode down (each copies the
graph, so a CSR is built per scenario); ``--origins`` × ``--origins`` pairs per scenario.
Serial is :func:`corridor.sweep` with ``scheduler="serial"`` (the same tasks, in this
process). The Dask time is given with and without starting the local cluster; both
results are asserted identical.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from functools import partial
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import report

from corridor.batch import sweep
from corridor.synthetic import synthetic_corridor


def slow_mode(G, mode: str, factor: float):
    """Scenario: every ``mode`` edge takes ``factor`` times longer."""
    H = G.copy()
    for *_, d in H.edges(data=True):
        if d["mode"] == mode:
            d["time_h"] *= factor
    return H


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=200_000)
    parser.add_argument("--scenarios", type=int, default=4)
    parser.add_argument("--origins", type=int, default=40)
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    G = synthetic_corridor(args.edges, seed=0)
    nodes = list(G)
    step = max(1, len(nodes) // args.origins)
    ends = nodes[::step][: args.origins]
    pairs = [(o, d) for o in ends for d in ends]
    kinds = [("rail", 1.5), ("road", 1.3), ("sea", 2.0), ("transfer", 1.5), ("rail", 0.8),
             ("road", 0.9)]
    scenarios = {"base": None}
    for mode, factor in kinds[: max(args.scenarios - 1, 0)]:
        scenarios[f"{mode}x{factor}"] = partial(slow_mode, mode=mode, factor=factor)
    workers = os.cpu_count() or 1
    print(f"sweep: {len(scenarios)} scenarios x {len(pairs):,} pairs on a "
          f"{G.number_of_edges():,}-edge synthetic corridor; {workers} cores")

    start = time.perf_counter()
    serial = sweep(scenarios, pairs, graph=G, scheduler="serial", progress=False)
    t_serial = time.perf_counter() - start

    start = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        t_start = time.perf_counter() - start
        t0 = time.perf_counter()
        dask = sweep(scenarios, pairs, graph=G, scheduler=client, progress=True)
        t_dask = time.perf_counter() - t0
    t_total = time.perf_counter() - start
    pd.testing.assert_frame_equal(serial, dask)
    print(f"serial (one process)          : {t_serial:6.1f} s")
    print(f"Dask, {workers} worker processes     : {t_dask:6.1f} s "
          f"(+ {t_start:.1f} s to start the cluster = {t_total:.1f} s)")
    print(f"speed-up: {t_serial / t_dask:.2f}x on a running cluster, "
          f"{t_serial / t_total:.2f}x including its start; results identical "
          f"({len(dask):,} rows)")
    report("sweep", rows=len(dask), workers=workers, serial_s=t_serial, dask_s=t_dask,
           cluster_start_s=t_start, speedup=t_serial / t_dask,
           speedup_with_start=t_serial / t_total, identical=True)


if __name__ == "__main__":
    main()
