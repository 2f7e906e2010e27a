"""Delay risk: the distribution of door-to-door time and cost of a route.

The corridor's problem is waiting (border dwell, port handling, ferry sailings), not
distance, so a route's *average* time says little about how late it can be. Each edge
gets a time distribution; a route's time is the sum of independent draws of its edges,
sampled by Monte Carlo (one ``samples × edges`` numpy draw).

The model of one edge (parameters in ``data/reliability_params.csv``)
----------------------------------------------------------------------
Published range (``time_h_low`` and ``time_h_high`` both given)
    A Beta distribution scaled to ``[low, high]`` whose **mean is** ``time_h`` and whose
    concentration ``a + b`` is ``all.pert_concentration`` (6 by default). With ``a + b = 6``
    this is exactly the Beta-PERT distribution of project planning whenever its implied
    mode ``(6·time_h − low − high) / 4`` lies inside the range. Published ranges of the
    corridor are very skewed (waiting for a sailing: 1 day to 2 weeks around a typical
    2 days); a triangular or PERT law cannot keep the mean at ``time_h`` there, this one
    can (it becomes J-shaped, a > 0 small). Why the mean: routes are planned on
    ``time_h``, and keeping it the mean makes the expected door-to-door time equal to the
    planned one, so the spread (P90 − P50) is the only new information. A lognormal was
    rejected: its unbounded tail puts the P99 of "1 day to 2 weeks" beyond a month,
    outside the published range. ``time_h`` is clamped to 1–99 % of the range so both
    shape parameters stay positive.
Only one bound given
    The missing bound is ``time_h`` ∓ the mode's spread (see below).
No range
    Symmetric triangular on ``time_h × (1 ± spread)`` of the edge's mode (``<mode>.spread``,
    e.g. rail 0.10: trains in congested sections run ±10 %). Mean and mode are ``time_h``.
Ferry sailings (``sea.headway_h``, optional)
    A ``sea`` edge *without* a published range additionally waits ``Uniform(0, headway)``
    for the next sailing (mean ``headway / 2``, which the planned time does not hold).
    An edge with a range already carries the published waiting time.

Cost
    ``cost_usd`` of each edge is a tariff and does not vary; the time-related cost of a
    late or early arrival (container detention, capital tied in the cargo) is
    ``all.delay_usd_per_h × (time − planned time)`` for the whole route.

Edges are independent: this is optimistic where one cause (a storm closing the Caspian)
delays several edges at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from corridor._errors import DataError
from corridor._validate import (
    RELIABILITY,
    ArgumentTypeError,
    check_graph,
    check_instance,
    check_real,
    check_seed,
    check_whole,
)
from corridor.data.files import find_file
from corridor.data.params import read_table

PARAMS_FILE = "reliability_params.csv"
QUANTILES = (0.10, 0.50, 0.90, 0.99)
MODES = ("rail", "road", "sea", "air", "transfer", "border", "all")
_PARAM_NAMES = {"spread", "headway_h", "pert_concentration", "delay_usd_per_h"}
_MU_CLAMP = (0.01, 0.99)

EdgeKey = tuple[Any, Any, Any]

# distribution kinds
FIXED, TRIANGULAR, BETA = 0, 1, 2
_KIND_NAMES = {FIXED: "fixed", TRIANGULAR: "triangular", BETA: "beta"}


@dataclass(frozen=True)
class ReliabilityParams:
    """Parameters of the delay model (see the module docstring).

    Attributes
    ----------
    spread
        Mode -> relative half-width of the triangular law of edges without a range.
    headway_h
        Mode -> hours between sailings; an edge of that mode without a range waits
        ``Uniform(0, headway_h)`` more.
    concentration
        ``a + b`` of the Beta law of edges with a range (6: Beta-PERT).
    delay_usd_per_h
        Cost of one hour of deviation from the planned time, per FEU.
    """

    spread: Mapping[str, float] = field(default_factory=dict)
    headway_h: Mapping[str, float] = field(default_factory=dict)
    concentration: float = 6.0
    delay_usd_per_h: float = 0.0

    @classmethod
    def from_file(cls, path: str | Path | None = None, *, folder: str | Path | None = None
                  ) -> ReliabilityParams:
        """Read ``reliability_params.csv`` (``path``, else from ``folder``, else shipped)."""
        file = Path(path) if path is not None else find_file(PARAMS_FILE, folder)
        rows = read_table(file, table=PARAMS_FILE,
                          required=("mode", "param", "value", "unit", "source"),
                          range_field=lambda row, column: row["param"])
        spread: dict[str, float] = {}
        headway: dict[str, float] = {}
        scalars: dict[str, float] = {}
        seen: set[tuple[str, str]] = set()
        for n, row in enumerate(rows, start=1):
            mode, param, value = row["mode"], row["param"], row["value"]
            if mode not in MODES:
                msg = f"unknown mode {mode!r}; known: {', '.join(MODES)}"
                raise DataError(msg, file=str(file), row=n, field="mode")
            if param not in _PARAM_NAMES:
                msg = f"unknown parameter {param!r}; known: {', '.join(sorted(_PARAM_NAMES))}"
                raise DataError(msg, file=str(file), row=n, field="param")
            if (mode, param) in seen:
                raise DataError(f"duplicate parameter {mode}.{param}", file=str(file), row=n,
                                field="param")
            seen.add((mode, param))
            if param in ("spread", "headway_h") and mode == "all":
                msg = f"{param} is set per mode, not for 'all'"
                raise DataError(msg, file=str(file), row=n, field="mode")
            if param in ("pert_concentration", "delay_usd_per_h") and mode != "all":
                msg = f"{param} is a parameter of mode 'all'"
                raise DataError(msg, file=str(file), row=n, field="mode")
            if param == "spread" and not value < 1:
                raise DataError(f"spread {value} must be below 1", file=str(file), row=n,
                                field="value")
            if param == "pert_concentration" and not value > 0:
                raise DataError("must be > 0", file=str(file), row=n, field="value")
            if param == "spread":
                spread[mode] = value
            elif param == "headway_h":
                headway[mode] = value
            else:
                scalars[param] = value
        return cls(
            spread=spread,
            headway_h=headway,
            concentration=scalars.get("pert_concentration", 6.0),
            delay_usd_per_h=scalars.get("delay_usd_per_h", 0.0),
        )

    @classmethod
    def for_graph(cls, G: nx.MultiDiGraph) -> ReliabilityParams:
        """The parameters beside the graph's data files (or the shipped ones)."""
        return cls.from_file(folder=G.graph.get("data_folder"))


@dataclass(frozen=True)
class _EdgeLaws:
    """Vectors describing the time law of each edge of a route."""

    planned: np.ndarray   # time_h
    kind: np.ndarray      # FIXED / TRIANGULAR / BETA
    low: np.ndarray
    high: np.ndarray
    a: np.ndarray         # beta shapes (0 elsewhere)
    b: np.ndarray
    wait: np.ndarray      # headway of an extra Uniform(0, wait), 0 = none
    cost: np.ndarray


def _edge_law(d: Mapping[str, Any], params: ReliabilityParams
              ) -> tuple[int, float, float, float, float, float]:
    """(kind, low, high, a, b, wait) of one edge's time."""
    t = float(d.get("time_h") or 0.0)
    mode = d.get("mode", "")
    spread = float(params.spread.get(mode, 0.0))
    low, high = d.get("time_h_low"), d.get("time_h_high")
    low = None if low is None or low != low else float(low)
    high = None if high is None or high != high else float(high)
    if low is None and high is None:
        wait = float(params.headway_h.get(mode, 0.0))
        if t <= 0 or spread <= 0:
            return FIXED, t, t, 0.0, 0.0, wait
        return TRIANGULAR, t * (1 - spread), t * (1 + spread), 0.0, 0.0, wait
    low = min(t * (1 - spread), t) if low is None else low
    high = max(t * (1 + spread), t) if high is None else high
    if not high > low:
        return FIXED, t, t, 0.0, 0.0, 0.0
    mu = min(max((t - low) / (high - low), _MU_CLAMP[0]), _MU_CLAMP[1])
    nu = params.concentration
    return BETA, low, high, mu * nu, (1 - mu) * nu, 0.0


def _route_edges(route: Any) -> list[EdgeKey]:
    edges = getattr(route, "edges", route)

    def is_sequence(value: Any) -> bool:
        return isinstance(value, Sequence) and not isinstance(value, str | bytes)

    if callable(edges) or not isinstance(edges, Iterable) or isinstance(edges, str | bytes):
        msg = f"route must be a Route or a list of (u, v, key) edges, got {route!r:.60}"
        raise ArgumentTypeError(msg)
    out = list(edges)
    if not all(is_sequence(e) for e in out):
        msg = "route must hold edges as (u, v, key) or (u, v) tuples"
        raise ArgumentTypeError(msg)
    out = [tuple(e) for e in out]
    if not out:
        msg = "the route has no edges"
        raise ValueError(msg)
    return out  # type: ignore[return-value]


def _edge_data(G: nx.MultiDiGraph, edge: Sequence[Any]) -> tuple[EdgeKey, Mapping[str, Any]]:
    if len(edge) == 3:
        u, v, k = edge
        try:
            return (u, v, k), G.edges[u, v, k]
        except KeyError:
            msg = f"edge {u!r} -> {v!r} ({k!r}) is not in the graph"
            raise ValueError(msg) from None
    if len(edge) == 2:
        u, v = edge
        if not G.has_edge(u, v):
            msg = f"edge {u!r} -> {v!r} is not in the graph"
            raise ValueError(msg)
        k, d = min(G[u][v].items(), key=lambda kd: (kd[1].get("time_h") or 0.0, str(kd[0])))
        return (u, v, k), d
    msg = f"an edge is (u, v, key) or (u, v), got {edge!r}"
    raise ValueError(msg)


def _laws(G: nx.MultiDiGraph, edges: Iterable[Sequence[Any]], params: ReliabilityParams
          ) -> tuple[list[EdgeKey], list[Mapping[str, Any]], _EdgeLaws]:
    keys, datas, rows = [], [], []
    for e in edges:
        key, d = _edge_data(G, e)
        keys.append(key)
        datas.append(d)
        rows.append(_edge_law(d, params))
    arr = np.array(rows, dtype=float).reshape(-1, 6)
    return keys, datas, _EdgeLaws(
        planned=np.array([float(d.get("time_h") or 0.0) for d in datas]),
        kind=arr[:, 0].astype(int),
        low=arr[:, 1], high=arr[:, 2], a=arr[:, 3], b=arr[:, 4], wait=arr[:, 5],
        cost=np.array([float(d.get("cost_usd") or 0.0) for d in datas]),
    )


def _draw(laws: _EdgeLaws, samples: int, rng: np.random.Generator) -> np.ndarray:
    """A ``samples × edges`` matrix of edge times (hours)."""
    T = np.broadcast_to(laws.planned, (samples, laws.planned.size)).copy()
    tri = np.flatnonzero(laws.kind == TRIANGULAR)
    if tri.size:
        # every triangular law here is symmetric: the mean of two uniforms is triangular
        # on [0, 1] with mode 1/2, and twice as fast to draw as Generator.triangular
        u = rng.random((2, samples, tri.size))
        T[:, tri] = laws.low[tri] + (laws.high[tri] - laws.low[tri]) * (u[0] + u[1]) / 2
    beta = np.flatnonzero(laws.kind == BETA)
    if beta.size:
        width = laws.high[beta] - laws.low[beta]
        T[:, beta] = laws.low[beta] + width * rng.beta(laws.a[beta], laws.b[beta],
                                                       size=(samples, beta.size))
    wait = np.flatnonzero(laws.wait > 0)
    if wait.size:
        T[:, wait] += rng.uniform(0.0, laws.wait[wait], size=(samples, wait.size))
    return T


def _stats(x: np.ndarray) -> dict[str, float]:
    qs = np.quantile(x, QUANTILES)
    out = {f"p{round(q * 100)}": float(v) for q, v in zip(QUANTILES, qs, strict=True)}
    out["mean"] = float(x.mean())
    return out


@dataclass
class Reliability:
    """Distribution of a route's door-to-door time (hours) and cost (USD per FEU).

    Attributes
    ----------
    edges
        The route's ``(u, v, key)`` edges.
    time_h, cost_usd
        ``p10``, ``p50``, ``p90``, ``p99`` and ``mean`` of the samples.
    planned
        The plain sums of ``time_h`` and ``cost_usd`` (what the router minimised).
    time_samples, cost_samples
        The sampled totals (numpy arrays of length ``samples``).
    edge_stats
        Per edge: id, mode, law, planned hours, P10/P90 of its own time (exact, from
        :func:`edge_quantile`).
    seed
        The seed used (None: fresh entropy, not reproducible).
    """

    edges: list[EdgeKey]
    time_h: dict[str, float]
    cost_usd: dict[str, float]
    planned: dict[str, float]
    time_samples: np.ndarray
    cost_samples: np.ndarray
    edge_stats: list[dict[str, Any]]
    seed: int | None = None

    @property
    def samples(self) -> np.ndarray:
        """The sampled door-to-door times (alias of ``time_samples``)."""
        return self.time_samples

    def histogram(self, *, bins: int = 20) -> tuple[np.ndarray, np.ndarray]:
        """Counts and bin edges (hours) of the sampled times."""
        return np.histogram(self.time_samples, bins=bins)

    def to_dict(self, *, bins: int = 20) -> dict[str, Any]:
        """Quantiles, planned sums, per-edge figures and a histogram (JSON-ready)."""
        counts, edges = self.histogram(bins=bins)
        return {
            "samples": int(self.time_samples.size),
            "seed": self.seed,
            "planned": dict(self.planned),
            "time_h": dict(self.time_h),
            "cost_usd": dict(self.cost_usd),
            "edges": [dict(e) for e in self.edge_stats],
            "histogram": {"bin_edges_h": [float(x) for x in edges],
                          "counts": [int(c) for c in counts]},
        }

    def __repr__(self) -> str:
        t = self.time_h
        return (
            f"Reliability({len(self.edges)} edges, {self.time_samples.size} samples: time "
            f"P10 {t['p10']:.1f} / P50 {t['p50']:.1f} / P90 {t['p90']:.1f} / "
            f"P99 {t['p99']:.1f} h, planned {self.planned['time_h']:.1f} h)"
        )


MAX_SAMPLES = 1_000_000
"""The most Monte Carlo draws :func:`reliability` takes (memory grows with samples × edges)."""


def reliability(
    G: nx.MultiDiGraph,
    route: Any,
    *,
    samples: int = 10_000,
    seed: int | None = None,
    params: ReliabilityParams | None = None,
) -> Reliability:
    """Sample the door-to-door time and cost of a route.

    Parameters
    ----------
    G
        The corridor graph.
    route
        A :class:`~corridor.routing.Route` (anything with ``.edges``) or a list of
        ``(u, v, key)`` edges (``(u, v)`` takes the fastest parallel edge).
    samples
        Number of Monte Carlo draws, 1 to :data:`MAX_SAMPLES` (1,000,000).
    seed
        Seed of numpy's generator; the same seed gives the same samples.
    params
        Model parameters; default from ``reliability_params.csv`` beside the graph's data.

    Returns
    -------
    Reliability
        P10/P50/P90/P99 and mean of time and cost, and the samples.

    Examples
    --------
    >>> import corridor
    >>> G = corridor.load_network()
    >>> r = corridor.route(G, "Altynkol", "Alat")
    >>> round(corridor.reliability(G, r, seed=1).time_h["p90"])
    219
    """
    check_graph(G, RELIABILITY)
    samples = check_whole(samples, "samples", minimum=1)
    if samples > MAX_SAMPLES:
        msg = f"samples must be at most {MAX_SAMPLES:,}, got {samples:,}"
        raise ValueError(msg)
    seed = check_seed(seed)
    check_instance(params, ReliabilityParams, "params", "a ReliabilityParams")
    params = params if params is not None else ReliabilityParams.for_graph(G)
    keys, datas, laws = _laws(G, _route_edges(route), params)
    rng = np.random.default_rng(seed)
    T = _draw(laws, int(samples), rng)
    time = T.sum(axis=1)
    planned_t = float(laws.planned.sum())
    planned_c = float(laws.cost.sum())
    cost = planned_c + params.delay_usd_per_h * (time - planned_t)
    lo = [edge_quantile(d, 0.10, params) for d in datas]
    hi = [edge_quantile(d, 0.90, params) for d in datas]
    edge_stats = [
        {
            "id": d.get("id", k[2]),
            "from": k[0],
            "to": k[1],
            "mode": d.get("mode"),
            "law": _KIND_NAMES[int(laws.kind[i])] + ("+sailing_wait" if laws.wait[i] else ""),
            "time_h": float(laws.planned[i]),
            "p10_h": lo[i],
            "p90_h": hi[i],
        }
        for i, (k, d) in enumerate(zip(keys, datas, strict=True))
    ]
    return Reliability(
        edges=keys,
        time_h=_stats(time),
        cost_usd=_stats(cost),
        planned={"time_h": planned_t, "cost_usd": planned_c},
        time_samples=time,
        cost_samples=cost,
        edge_stats=edge_stats,
        seed=seed,
    )


def edge_quantile(d: Mapping[str, Any], quantile: float, params: ReliabilityParams) -> float:
    """The ``quantile`` of one edge's time (hours), computed analytically.

    For a sea edge with a sailing wait, the quantiles of the two parts are added (an
    upper bound for quantiles above the median).
    """
    from scipy.special import betaincinv

    kind, low, high, a, b, wait = _edge_law(d, params)
    q = float(quantile)
    t = float(d.get("time_h") or 0.0)
    if kind == FIXED:
        base = t
    elif kind == TRIANGULAR:
        c = (t - low) / (high - low)
        if q < c:
            base = low + np.sqrt(q * (high - low) * (t - low))
        else:
            base = high - np.sqrt((1 - q) * (high - low) * (high - t))
    else:
        base = low + (high - low) * float(betaincinv(a, b, q))
    return float(base + q * wait)


def reliability_weight(
    G: nx.MultiDiGraph,
    quantile: float = 0.9,
    *,
    params: ReliabilityParams | None = None,
):  # -> Callable[[str, str, Mapping[str, Any]], float]
    """A routing weight: the ``quantile`` (default P90) of each edge's time.

    Use it as ``corridor.route(G, a, b, by=reliability_weight(G))`` to pick the route
    whose *late* case is best rather than its average. The sum of edge P90s is a
    conservative proxy of the route's P90 (it is larger: edges are not all late at
    once), but it ranks routes by how much waiting risk they carry, which is the point.
    Check a choice with :func:`reliability`.
    """
    check_graph(G, RELIABILITY)
    quantile = check_real(quantile, "quantile", low=0, high=1, open_low=True, open_high=True)
    check_instance(params, ReliabilityParams, "params", "a ReliabilityParams")
    params = params if params is not None else ReliabilityParams.for_graph(G)
    cache: dict[Any, float] = {}

    def weight(u: Any, v: Any, d: Mapping[str, Any]) -> float:
        if "mode" not in d:  # networkx multigraph form: {key: data}
            return min(weight(u, v, dd) for dd in d.values())
        key = (d.get("id"), u, v, d.get("time_h"), d.get("time_h_low"), d.get("time_h_high"),
               d.get("mode"))
        value = cache.get(key)
        if value is None:
            value = cache[key] = edge_quantile(d, quantile, params)
        return value

    weight.__name__ = f"p{round(quantile * 100)}_time"
    return weight


__all__ = [
    "Reliability",
    "ReliabilityParams",
    "edge_quantile",
    "reliability",
    "reliability_weight",
]
