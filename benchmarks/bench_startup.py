"""Start-up of ``corridor route A B --json`` against importing the heavy GIS stack.

    python benchmarks/bench_startup.py [ORIGIN DEST] [--repeat 7]

Both are fresh interpreters started from here, timed wall-clock, best of ``--repeat``.
The route runs the console script's code (``corridor.cli.main``) directly, so a
pyenv/conda shim in front of ``corridor`` does not count. Also shown: the time to load
the shipped network from its CSV files, and what a pickle of the loaded graph would save.
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_of, report


def wall(args: list[str], repeat: int) -> float:
    def run() -> None:
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    run()  # warm the file cache
    return best_of(run, repeat)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("origin", nargs="?", default="Aktau")
    parser.add_argument("dest", nargs="?", default="Baku")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    py = sys.executable
    t_heavy = wall([py, "-c", "import geopandas, folium, networkx"], args.repeat)
    t_route = wall([py, "-c", "from corridor.cli import main; main()", "route", args.origin,
                    args.dest, "--json"], args.repeat)
    t_cli = wall([py, "-c", "import corridor.cli"], args.repeat)
    t_python = wall([py, "-c", "pass"], args.repeat)
    probe = ("import sys\nfrom corridor.cli import main\n"
             f"try:\n    main(['route', {args.origin!r}, {args.dest!r}, '--json'])\n"
             "except SystemExit:\n    pass\n"
             "print(' '.join(m for m in ('folium', 'geopandas', 'pandas', 'scipy')"
             " if m in sys.modules), file=sys.stderr)")
    heavy_loaded = subprocess.run([py, "-c", probe], capture_output=True, text=True,
                                  check=True).stderr.strip().splitlines()[-1:] or [""]

    import corridor.network as network

    t_csv, G = best_of(network.load_network, 5)
    blob = pickle.dumps(G, protocol=pickle.HIGHEST_PROTOCOL)
    t_pickle, _ = best_of(lambda: pickle.loads(blob), 5)

    print(f"python -c 'import geopandas, folium, networkx': {t_heavy * 1e3:7.0f} ms")
    print(f"corridor route {args.origin} {args.dest} --json      : {t_route * 1e3:7.0f} ms  "
          f"(ratio {t_route / t_heavy:.2f}; target <= 0.5)")
    print(f"python -c 'import corridor.cli'             : {t_cli * 1e3:7.0f} ms")
    print(f"python -c 'pass'                            : {t_python * 1e3:7.0f} ms")
    print(f"heavy modules imported by route --json      : {heavy_loaded[0] or 'none'}")
    print(f"load_network() from CSV: {t_csv * 1e3:.0f} ms; from a pickle: {t_pickle * 1e3:.0f} ms "
          f"({len(blob) / 1024:.0f} KiB) -> a cache would save {(t_csv - t_pickle) * 1e3:.0f} ms "
          f"of {t_route * 1e3:.0f} ms")
    report("startup", heavy_s=t_heavy, route_s=t_route, ratio=t_route / t_heavy,
           import_cli_s=t_cli, python_s=t_python, heavy_loaded=heavy_loaded[0],
           load_csv_s=t_csv, load_pickle_s=t_pickle)


if __name__ == "__main__":
    main()
