"""Check (or refresh) the airport rows of data/nodes.csv against the ``airportsdata`` package.

    python scripts/build_airports.py            # report differences, exit 1 if any
    python scripts/build_airports.py --write    # rewrite lat/lon of rows sourced `airportsdata`

Airport nodes are named ``airport_<iata lower>`` with ``kind=airport`` and ``code=<IATA>``.
Rows whose source is not ``airportsdata`` (Fuzuli FZL, which the package lacks) are only
reported, never changed. Coordinates are rounded to 4 decimals.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import airportsdata

NODES = Path(__file__).resolve().parents[1] / "data" / "nodes.csv"
TOLERANCE_DEG = 0.0005


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="write refreshed coordinates")
    args = ap.parse_args()
    with open(NODES, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    db = airportsdata.load("IATA")
    changed = 0
    for row in rows:
        if row["kind"] != "airport":
            continue
        rec = db.get(row["code"])
        sourced = "airportsdata" in row["source"].split(";")
        if rec is None:
            print(f"{row['id']}: {row['code']} not in airportsdata (source {row['source']!r})")
            continue
        lat, lon = round(rec["lat"], 4), round(rec["lon"], 4)
        if abs(float(row["lat"]) - lat) > TOLERANCE_DEG or abs(float(row["lon"]) - lon) > TOLERANCE_DEG \
                or row["country"] != rec["country"]:
            print(f"{row['id']}: data ({row['lat']}, {row['lon']}, {row['country']}) "
                  f"package ({lat}, {lon}, {rec['country']})")
            if sourced:
                row["lat"], row["lon"], row["country"] = str(lat), str(lon), rec["country"]
                changed += 1
    if args.write and changed:
        with open(NODES, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        print(f"updated {changed} airport rows")
    elif not changed:
        print("airport rows agree with airportsdata")
    return 1 if changed and not args.write else 0


if __name__ == "__main__":
    sys.exit(main())
