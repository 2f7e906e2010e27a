"""Single-source shortest paths on a 1 M-edge synthetic corridor: scipy CSR vs networkx.

    python benchmarks/bench_scale.py [--edges 1000000] [--sources 3]

The graph comes from :func:`corridor.synthetic.synthetic_corridor` with every link open,
so networkx runs on the graph itself (no filtering view to slow it down). Memory is the
process's resident set size (psutil) before and after building each structure, and the
exact size of the CSR arrays.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

import networkx as nx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import report

from corridor import routing
from corridor.synthetic import synthetic_corridor

MIB = 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=3)
    args = parser.parse_args()
    proc = psutil.Process()
    gc.collect()
    rss0 = proc.memory_info().rss
    start = time.perf_counter()
    G = synthetic_corridor(args.edges, seed=0, planned_share=0.0)
    t_build = time.perf_counter() - start
    gc.collect()
    rss1 = proc.memory_info().rss
    start = time.perf_counter()
    view = routing.csr_view(G, by="time")
    t_csr = time.perf_counter() - start
    gc.collect()
    rss2 = proc.memory_info().rss
    m = view.matrix
    csr_bytes = m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
    print(f"synthetic corridor: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges "
          f"(built in {t_build:.1f} s)")
    print(f"memory (RSS): networkx graph {(rss1 - rss0) / MIB:,.0f} MiB; CSR view incl. "
          f"figures and keys {(rss2 - rss1) / MIB:,.0f} MiB (CSR arrays {csr_bytes / MIB:.1f} MiB)")

    nodes = list(G)
    sources = [nodes[i * (len(nodes) - 1) // max(args.sources - 1, 1)]
               for i in range(args.sources)]
    t_nx = t_fast = t_arr = 0.0
    for s in sources:
        start = time.perf_counter()
        ref = nx.single_source_dijkstra_path_length(G, s, weight="time_h")
        t_nx += time.perf_counter() - start
        start = time.perf_counter()
        got = routing.single_source_lengths(G, s, by="time")
        t_fast += time.perf_counter() - start
        assert got == ref, f"totals differ from networkx from {s}"
        start = time.perf_counter()
        routing.lengths(G, [s], by="time")
        t_arr += time.perf_counter() - start
    t_nx /= len(sources)
    t_fast /= len(sources)
    t_arr /= len(sources)
    print(f"single source (mean of {len(sources)}): networkx {t_nx:.2f} s, "
          f"fastpaths {t_fast:.3f} s as a dict of {len(ref):,} totals (identical), "
          f"{t_arr:.3f} s as a numpy array")
    print(f"speed-up: {t_nx / t_fast:.1f}x per query (dict), {t_nx / t_arr:.1f}x (array); {t_nx / (t_fast + t_csr):.1f}x for a "
          f"first query that also builds the CSR ({t_csr:.1f} s, once per graph/objective)")
    report("scale", nodes=G.number_of_nodes(), edges=G.number_of_edges(), build_s=t_build,
           csr_s=t_csr, nx_s=t_nx, fast_s=t_fast, array_s=t_arr, speedup=t_nx / t_fast,
           speedup_array=t_nx / t_arr,
           speedup_first=t_nx / (t_fast + t_csr), graph_mib=(rss1 - rss0) / MIB,
           csr_mib=(rss2 - rss1) / MIB, csr_arrays_mib=csr_bytes / MIB)


if __name__ == "__main__":
    main()
