"""Analysis for researchers: delay risk, capacity bottlenecks and scenarios.

- :mod:`corridor.analysis.reliability`: P10/P50/P90/P99 of a route's door-to-door time
  and cost (Monte Carlo over edge time distributions), and a P90 routing weight.
- :mod:`corridor.analysis.capacity`: maximum flow / minimum cut between the Chinese
  border and the Georgian/Turkish gateways, against the published volumes
  (:mod:`~corridor.analysis.capacity_units`: capacities in Mt/yr;
  :mod:`~corridor.analysis.flow`: the flow network).
- :mod:`corridor.analysis.scenarios`: a scenario as a pure graph transform;
  :mod:`corridor.analysis.scenario_io`: validated TOML scenarios, by name or path.
- :mod:`corridor.analysis.calibration`: the model against the published figures of
  ``references.csv`` (``corridor data calibrate``).
- :mod:`corridor.analysis.compare`: one route under several scenarios, side by side.
"""

from __future__ import annotations

from corridor.analysis.capacity import Bottlenecks, CapacityParams, bottlenecks, capacity_mt
from corridor.analysis.compare import Comparison, ScenarioRoute, compare
from corridor.analysis.reliability import (
    Reliability,
    ReliabilityParams,
    reliability,
    reliability_weight,
)
from corridor.analysis.scenario_io import (
    BASE_SCENARIO_NAMES,
    apply_scenario,
    is_base_scenario,
    list_scenarios,
    load_scenario,
)
from corridor.analysis.scenarios import Scenario

__all__ = [
    "BASE_SCENARIO_NAMES",
    "Bottlenecks",
    "CapacityParams",
    "Comparison",
    "Reliability",
    "ReliabilityParams",
    "Scenario",
    "ScenarioRoute",
    "apply_scenario",
    "bottlenecks",
    "capacity_mt",
    "compare",
    "is_base_scenario",
    "list_scenarios",
    "load_scenario",
    "reliability",
    "reliability_weight",
]
