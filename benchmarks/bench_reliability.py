"""Time 10,000 Monte Carlo samples of a corridor route, against a pure-Python loop.

    python benchmarks/bench_reliability.py [ORIGIN DEST] [--samples N]

Prints the time of :func:`corridor.analysis.reliability` (one numpy ``samples × edges``
draw, quantiles and per-edge figures included) and of a plain Python loop drawing the same
laws edge by edge with :mod:`random`, both measured in this run, and their ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import corridor
from corridor.analysis.reliability import BETA, TRIANGULAR, ReliabilityParams, _laws, reliability
from corridor.routing import route


def python_loop(laws, samples: int, seed: int) -> list[float]:
    """The reference: one draw per edge per sample, in Python."""
    rng = random.Random(seed)
    rows = list(zip(laws.kind.tolist(), laws.planned.tolist(), laws.low.tolist(),
                    laws.high.tolist(), laws.a.tolist(), laws.b.tolist(), laws.wait.tolist(),
                    strict=True))
    totals = []
    for _ in range(samples):
        total = 0.0
        for kind, t, low, high, a, b, wait in rows:
            if kind == TRIANGULAR:
                x = rng.triangular(low, high, t)
            elif kind == BETA:
                x = low + (high - low) * rng.betavariate(a, b)
            else:
                x = t
            if wait:
                x += rng.uniform(0.0, wait)
            total += x
        totals.append(total)
    return sorted(totals)


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("origin", nargs="?", default="Altynkol")
    parser.add_argument("dest", nargs="?", default="Alat")
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--modes", default="rail,sea")
    args = parser.parse_args()

    G = corridor.load_network()
    r = route(G, args.origin, args.dest, modes=args.modes)
    params = ReliabilityParams.for_graph(G)
    _, _, laws = _laws(G, r.edges, params)
    n = args.samples

    reliability(G, r, samples=n, seed=0, params=params)  # warm-up
    t_numpy = best_of(lambda: reliability(G, r, samples=n, seed=0, params=params), 20)
    t_python = best_of(lambda: python_loop(laws, n, 0), 3)
    rel = reliability(G, r, samples=n, seed=0, params=params)
    ref = python_loop(laws, n, 0)
    p90_ref = ref[int(0.9 * (n - 1))]

    print(f"route {args.origin} -> {args.dest} ({args.modes}): {len(r.edges)} edges, "
          f"{n:,} samples")
    print(f"numpy  reliability(): {t_numpy * 1e3:8.2f} ms (best of 20)")
    print(f"python loop         : {t_python * 1e3:8.2f} ms (best of 3)")
    print(f"speed-up            : {t_python / t_numpy:8.1f} x")
    print(f"P90 numpy {rel.time_h['p90']:.1f} h, python loop {p90_ref:.1f} h "
          f"(same laws, different random streams; median of spread "
          f"{statistics.median(ref):.1f} vs {rel.time_h['p50']:.1f} h)")


if __name__ == "__main__":
    main()
