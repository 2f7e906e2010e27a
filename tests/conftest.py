"""Shared fixtures: tiny hand-built graphs that follow the graph contract, and the real one.

``make_graph(nodes, edges, places)`` builds a contract graph from short tuples (it is
``contractgraph.build_graph``);
``corridor_graph`` is a small Almaty–Caspian–Baku–Tbilisi network whose best routes are
worked out by hand in ``tests/test_routing.py``; ``real_graph`` loads the shipped data
(once per session); ``driver`` is headless Chromium, offline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import networkx as nx
import pytest
from browserhelpers import offline_driver
from contractgraph import CORRIDOR_EDGES, CORRIDOR_NODES, CORRIDOR_PLACES, build_graph


@pytest.fixture(scope="session")
def make_graph() -> Callable[..., nx.MultiDiGraph]:
    """The :func:`build_graph` helper, for tests that build their own graph."""
    return build_graph


@pytest.fixture
def corridor_graph() -> nx.MultiDiGraph:
    """Almaty to Baku by air, by road or rail via Aktau, or by rail via Kuryk; on to Tbilisi.

    Best Almaty → Baku (worked out by hand; cargo leaves a port by its rail side, so a
    route by sea ends at ``baku_rail`` after ``baku_transfer``, 5 h and 100 USD; a flight
    ends at the airport): time: air 5 h; time without air: road via Aktau 50+10+30+5 = 95 h;
    cost: rail via Kuryk 900+80+1100+100 = 2,180 USD; CO2: rail via Aktau 200+150 = 350 kg;
    distance: air 2,500 km. By sea alone (``modes=("sea",)``) the quays stand for the
    places: Aktau quay → Baku quay, 450 km, 30 h, 1,200 USD, 150 kg.
    """
    return build_graph(CORRIDOR_NODES, CORRIDOR_EDGES, CORRIDOR_PLACES)


@pytest.fixture(scope="session")
def real_graph() -> nx.MultiDiGraph:
    """The shipped network (a test using it fails if the shipped data does not load)."""
    from corridor.network import load_network

    return load_network()


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    """Headless Chromium, offline (see ``tests/browserhelpers``)."""
    yield from offline_driver()
