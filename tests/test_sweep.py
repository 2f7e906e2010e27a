"""Batch sweeps (corridor.batch.sweep): the Dask result equals a plain loop of od_matrix."""

from __future__ import annotations

import os
import stat

import distributed
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from corridor import batch as sw
from corridor import routing as fp
from corridor.synthetic import synthetic_corridor


def slower_sea(G):
    """A scenario: every sea crossing takes twice as long."""
    H = G.copy()
    for *_, d in H.edges(data=True):
        if d["mode"] == "sea":
            d["time_h"] *= 2
    return H


def no_sea(G):
    H = G.copy()
    H.remove_edges_from([(u, v, k) for u, v, k, d in G.edges(keys=True, data=True)
                         if d["mode"] == "sea"])
    return H


@pytest.fixture(scope="module")
def graph():
    return synthetic_corridor(3000, seed=4, airports=0)


@pytest.fixture(scope="module")
def pairs(graph):
    nodes = list(graph)
    west = [n for n in nodes if n.startswith("w")]
    east = [n for n in nodes if n.startswith("e")]
    return [(o, d) for o in west[:40:4] for d in east[::25]] + [(east[3], west[7])]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as c:
        yield c


def reference(graph, scenarios, pairs, by):
    """A plain loop: apply each scenario, one od_matrix per pair."""
    rows = []
    for label, sc in scenarios:
        H = sc(graph) if sc else graph
        for o, d in pairs:
            long = fp.od_matrix(H, [o], [d], by=by, totals=True).iloc[0]
            rows.append({"scenario": label, "origin": o, "destination": d, "by": by,
                         **{t: long[t] for t in fp.FIGURES}})
    return pd.DataFrame(rows, columns=sw.COLUMNS)


@pytest.mark.parametrize("by", ["time", "cost"])
def test_dask_sweep_equals_loop(graph, pairs, client, by):
    got = sw.sweep([None, slower_sea, no_sea], pairs, by=by, graph=graph, scheduler=client,
                   progress=False, batch_size=3)
    want = reference(graph, [("base", None), ("slower_sea", slower_sea), ("no_sea", no_sea)],
                     pairs, by)
    pd.testing.assert_frame_equal(got, want)
    assert list(got.columns) == sw.COLUMNS
    # the scenarios change the answers
    base = got[got.scenario == "base"]["time_h"].to_numpy()
    slow = got[got.scenario == "slower_sea"]["time_h"].to_numpy()
    assert (slow >= base).all() and (slow > base).any()
    assert np.isinf(got[got.scenario == "no_sea"]["time_h"]).all()  # shores cut apart


def test_order_kept_when_tasks_finish_out_of_order(graph, pairs, client):
    """Results come back in scenario then pair order, whatever order the tasks end in."""
    import time

    def slow_first(G):
        time.sleep(0.5)
        return G

    got = sw.sweep({"slow": slow_first, "base": None}, pairs, graph=graph, scheduler=client,
                   progress=False, batch_size=2)
    assert got["scenario"].tolist() == ["slow"] * len(pairs) + ["base"] * len(pairs)
    assert list(zip(got["origin"][:len(pairs)], got["destination"][:len(pairs)],
                    strict=True)) == pairs


def test_serial_equals_dask(graph, pairs, client):
    a = sw.sweep({"base": None, "slow": slower_sea}, pairs, graph=graph, scheduler="serial",
                 progress=False)
    b = sw.sweep({"base": None, "slow": slower_sea}, pairs, graph=graph, scheduler=client,
                 progress=False)
    pd.testing.assert_frame_equal(a, b)
    assert a["scenario"].unique().tolist() == ["base", "slow"]


def test_pairs_as_dataframe_and_outputs(graph, pairs, client, tmp_path):
    table = pd.DataFrame(pairs, columns=["origin", "destination"])
    out = tmp_path / "sweep.parquet"
    got = sw.sweep(None, table, graph=graph, scheduler=client, progress=False, out=out)
    pd.testing.assert_frame_equal(pd.read_parquet(out), got)
    csv = tmp_path / "sweep.csv"
    sw.sweep(None, table, graph=graph, scheduler="serial", progress=False, out=csv)
    assert pd.read_csv(csv).shape == got.shape
    assert not list(tmp_path.glob(".*tmp"))


def test_named_scenarios_on_the_real_network(real_graph):
    from corridor.analysis.scenario_io import apply_scenario, list_scenarios

    names = list_scenarios(real_graph)[:2]
    places = sorted(real_graph.graph["places"])[:4]
    pairs = [(o, d) for o in places for d in places if o != d]
    got = sw.sweep([None, *names], pairs, by="cost", graph=real_graph, scheduler="serial",
                   progress=False)
    for name in names:
        H = apply_scenario(real_graph, name)
        want = fp.od_matrix(H, places, places, by="cost")
        part = got[got.scenario == name]
        for row in part.itertuples():
            assert row.cost_usd == want.loc[row.origin, row.destination]


def test_bad_input(graph, pairs):
    with pytest.raises(ValueError, match="objective"):
        sw.sweep(None, pairs, by="speed", graph=graph, scheduler="serial", progress=False)
    with pytest.raises(ValueError, match="no origin"):
        sw.sweep(None, [], graph=graph, scheduler="serial", progress=False)
    with pytest.raises(ValueError, match="parquet"):
        sw.sweep(None, pairs, graph=graph, scheduler="serial", out="x.xlsx")
    with pytest.raises(FileNotFoundError):
        sw.sweep(["no-such-scenario"], pairs, graph=graph, scheduler="serial")
    with pytest.raises(ValueError, match="scheduler"):
        sw.sweep(None, pairs, graph=graph, scheduler=42, progress=False)


def test_cli_sweep(tmp_path, real_graph):
    from corridor.cli import app

    places = sorted(real_graph.graph["places"])[:3]
    out = tmp_path / "res.csv"
    result = CliRunner().invoke(app, ["sweep", "--origins", ",".join(places[:2]),
                                      "--destinations", places[2], "--by", "cost",
                                      "--scheduler", "serial", "--out", str(out),
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == sw.COLUMNS and len(frame) == 2
    pairs_file = tmp_path / "pairs.csv"
    pairs_file.write_text(f"origin,destination\n{places[0]},{places[1]}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["sweep", "--pairs", str(pairs_file), "--scheduler",
                                      "serial", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ",".join(sw.COLUMNS)
    bad = CliRunner().invoke(app, ["sweep", "--origins", "Atlantis", "--destinations",
                                   places[0], "--scheduler", "serial", "--no-progress"])
    assert bad.exit_code == 2


def test_out_that_is_not_a_regular_file_is_refused_before_computing(graph, pairs, tmp_path,
                                                                     monkeypatch):
    out = tmp_path / "sweep.csv"
    os.mkfifo(out)
    monkeypatch.setattr(sw, "_run_serial", lambda *a: pytest.fail("computed anyway"))
    with pytest.raises(OSError, match="it is a named pipe"):
        sw.sweep(None, pairs, graph=graph, scheduler="serial", progress=False, out=out)
    assert stat.S_ISFIFO(os.lstat(out).st_mode)


def test_read_pairs_reads_only_bounded_regular_files(tmp_path, monkeypatch):
    good = tmp_path / "pairs.csv"
    good.write_text("origin,destination\nAlmaty,Baku\n", encoding="utf-8")
    assert sw.read_pairs(good).values.tolist() == [["Almaty", "Baku"]]
    monkeypatch.setattr(sw, "MAX_PAIRS_BYTES", 10)
    with pytest.raises(ValueError, match="larger than"):
        sw.read_pairs(good)
    with pytest.raises(ValueError, match="not a regular file"):
        sw.read_pairs(tmp_path)
