"""All-pairs OD matrix on the corridor network: corridor.od_matrix vs networkx, one run.

    python benchmarks/bench_od.py [--by time]

Baseline: a loop of ``nx.shortest_path_length(H, s, t, weight=...)`` over every ordered
pair, on ``H``, a plain copy of the graph holding only the edges routing keeps (the
fastest form for networkx). Also shown: networkx's own all-pairs Dijkstra. The totals
are asserted identical (``==``) for every pair and all four objectives.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from _common import best_of, report

import corridor
from corridor import routing
from corridor.routing.problem import keeps_edge


def filtered_copy(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A plain copy of ``G`` with the edges od_matrix keeps for the default cargo (FEU)."""
    modes = routing.cargo_modes(G, None, None, None)[0]
    H = nx.MultiDiGraph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)
                     if keeps_edge(d, modes, None))
    return H


def nx_loop(H: nx.MultiDiGraph, nodes: list, attr: str) -> np.ndarray:
    out = np.full((len(nodes), len(nodes)), math.inf)
    for i, s in enumerate(nodes):
        for j, t in enumerate(nodes):
            with contextlib.suppress(nx.NetworkXNoPath):
                out[i, j] = nx.shortest_path_length(H, s, t, weight=attr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--by", default="time", choices=list(routing.OBJECTIVES))
    args = parser.parse_args()
    G = corridor.load_network()
    H = filtered_copy(G)
    nodes = list(G)
    attr = routing.OBJECTIVES[args.by]
    n = len(nodes)
    print(f"corridor network: {n} nodes, {G.number_of_edges()} edges; all {n * n:,} ordered "
          f"pairs, by {args.by}")

    start = time.perf_counter()
    loop = nx_loop(H, nodes, attr)
    t_loop = time.perf_counter() - start
    t_nx_all, _ = best_of(lambda: dict(nx.all_pairs_dijkstra_path_length(H, weight=attr)), 3)

    def cold():
        routing.clear_cache(G)
        return routing.od_matrix(G, nodes, nodes, by=args.by)

    t_cold, fast = best_of(cold, 5)
    t_warm, _ = best_of(lambda: routing.od_matrix(G, nodes, nodes, by=args.by), 5)
    assert np.array_equal(fast.to_numpy(), loop), "od_matrix differs from networkx"
    for by, a in routing.OBJECTIVES.items():  # every objective, every pair, exact
        ref = dict(nx.all_pairs_dijkstra_path_length(H, weight=a))
        want = np.array([[ref[s].get(t, math.inf) for t in nodes] for s in nodes])
        assert np.array_equal(routing.od_matrix(G, nodes, nodes, by=by).to_numpy(), want), by
    reachable = int(np.isfinite(loop).sum())
    print(f"networkx loop of shortest_path_length : {t_loop * 1e3:9.1f} ms")
    print(f"networkx all_pairs_dijkstra_path_length: {t_nx_all * 1e3:9.1f} ms (best of 3)")
    print(f"od_matrix, CSR built (cold)           : {t_cold * 1e3:9.1f} ms (best of 5)")
    print(f"od_matrix, CSR cached (warm)          : {t_warm * 1e3:9.1f} ms (best of 5)")
    print(f"speed-up vs loop: {t_loop / t_cold:,.0f}x cold, {t_loop / t_warm:,.0f}x warm; "
          f"vs nx all-pairs: {t_nx_all / t_cold:,.0f}x cold")
    print(f"identical totals: yes, {n * n:,} pairs x 4 objectives ({reachable:,} reachable "
          f"by {args.by})")
    report("od", pairs=n * n, nx_loop_s=t_loop, nx_all_pairs_s=t_nx_all, cold_s=t_cold,
           warm_s=t_warm, speedup_cold=t_loop / t_cold, speedup_warm=t_loop / t_warm,
           speedup_vs_all_pairs=t_nx_all / t_cold, identical=True)


if __name__ == "__main__":
    main()
