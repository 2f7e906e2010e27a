"""Analysis for researchers: delay risk, capacity bottlenecks and scenarios.

- :mod:`corridor.analysis.reliability`: P10/P50/P90/P99 of a route's door-to-door time
  and cost (Monte Carlo over edge time distributions), and a P90 routing weight.
- :mod:`corridor.analysis.capacity`: maximum flow / minimum cut between the Chinese
  border and the Georgian/Turkish gateways, against the published volumes.
- :mod:`corridor.analysis.scenarios`: validated TOML scenarios, pure graph transforms.
"""

from __future__ import annotations

from corridor.analysis.capacity import Bottlenecks, CapacityParams, bottlenecks, capacity_mt
from corridor.analysis.reliability import (
    Reliability,
    ReliabilityParams,
    reliability,
    reliability_weight,
)
from corridor.analysis.scenarios import (
    Scenario,
    apply_scenario,
    list_scenarios,
    load_scenario,
)

__all__ = [
    "Bottlenecks",
    "CapacityParams",
    "Reliability",
    "ReliabilityParams",
    "Scenario",
    "apply_scenario",
    "bottlenecks",
    "capacity_mt",
    "list_scenarios",
    "load_scenario",
    "reliability",
    "reliability_weight",
]
