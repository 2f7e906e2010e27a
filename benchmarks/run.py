"""Run every benchmark and print each figure as a ratio against a baseline of the same run.

    python benchmarks/run.py [--quick]

Each topic is a script of its own, run in a fresh interpreter (so that the 1 M-edge graph
does not weigh on the others); this prints their output, then a summary:

- OD all-pairs on the corridor network: od_matrix vs a loop of networkx shortest paths
  (totals asserted identical)             -> bench_od.py
- single-source shortest paths on a 1 M-edge synthetic corridor vs networkx, memory
                                          -> bench_scale.py
- Monte Carlo reliability, 10k samples    -> bench_reliability.py (when present)
- CLI start-up: route --json vs importing geopandas+folium+networkx -> bench_startup.py
- scenario × OD sweep on a local Dask cluster vs serial               -> bench_sweep.py

``--quick`` uses a 200k-edge graph for the scale benchmark and a small sweep.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: str, *args: str) -> tuple[list[dict], str, float]:
    """Run one script, echo its output; return its RESULT records, its text and its time."""
    path = HERE / script
    print(f"\n=== {script} {' '.join(args)}".rstrip(), flush=True)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(path), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, cwd=HERE.parent)
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(("INFO ", "20")) and "distributed." in line:
            continue  # Dask's log lines
        lines.append(line)
        if not line.startswith("RESULT "):
            print("  " + line, end="", flush=True)
    code = proc.wait()
    elapsed = time.perf_counter() - start
    if code:
        print(f"  !! {script} failed with exit code {code}", flush=True)
    records = [json.loads(line[7:]) for line in lines if line.startswith("RESULT ")]
    return records, "".join(lines), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller graphs, faster run")
    args = parser.parse_args()
    summary: list[tuple[str, str, str]] = []

    recs, _, _ = run("bench_od.py")
    for r in recs:
        summary.append(("OD all-pairs, corridor network", f"{r['speedup_cold']:,.0f}x",
                        f"vs loop of nx.shortest_path_length ({r['pairs']:,} pairs, "
                        f"{r['nx_loop_s']:.1f} s vs {r['cold_s'] * 1e3:.1f} ms incl. CSR build); "
                        f"{r['speedup_vs_all_pairs']:.0f}x vs nx all-pairs Dijkstra; "
                        "identical totals"))

    edges = "200000" if args.quick else "1000000"
    recs, _, _ = run("bench_scale.py", "--edges", edges)
    for r in recs:
        summary.append((f"single source, {r['edges'] / 1e6:.2f} M edges",
                        f"{r['speedup']:.1f}x",
                        f"vs nx ({r['nx_s']:.2f} s vs {r['fast_s']:.3f} s dict, "
                        f"{r['speedup_array']:.0f}x as array; CSR build {r['csr_s']:.1f} s once); "
                        f"RSS graph {r['graph_mib']:,.0f} MiB, CSR view {r['csr_mib']:,.0f} MiB"))

    if (HERE / "bench_reliability.py").is_file():
        _, text, _ = run("bench_reliability.py")
        numpy_ms = re.search(r"numpy\s+reliability\(\):\s*([\d.,]+)\s*ms", text)
        ratio = re.search(r"speed-up\s*:\s*([\d.,]+)\s*x", text)
        summary.append(("Monte Carlo reliability, 10k samples",
                        f"{ratio.group(1)}x" if ratio else "?",
                        f"{numpy_ms.group(1)} ms vs a Python loop" if numpy_ms else
                        "see output above"))
    else:
        summary.append(("Monte Carlo reliability, 10k samples", "-",
                        "benchmarks/bench_reliability.py not found"))

    recs, _, _ = run("bench_startup.py")
    for r in recs:
        summary.append(("CLI start-up: route --json", f"{r['ratio']:.2f}",
                        f"of `import geopandas, folium, networkx` ({r['route_s'] * 1e3:.0f} vs "
                        f"{r['heavy_s'] * 1e3:.0f} ms; target <= 0.5); heavy modules loaded: "
                        f"{r['heavy_loaded'] or 'none'}"))

    sweep_args = ["--edges", "50000", "--origins", "30"] if args.quick else []
    recs, _, _ = run("bench_sweep.py", *sweep_args)
    for r in recs:
        summary.append((f"Dask sweep, {r['workers']} local workers", f"{r['speedup']:.2f}x",
                        f"vs serial ({r['serial_s']:.1f} s vs {r['dask_s']:.1f} s, "
                        f"+{r['cluster_start_s']:.1f} s cluster start); {r['rows']:,} rows, "
                        "completed, identical"))

    print("\n=== summary (ratios measured in this run)")
    width = max(len(s[0]) for s in summary)
    for name, ratio, detail in summary:
        print(f"{name:<{width}}  {ratio:>8}  {detail}")


if __name__ == "__main__":
    main()
