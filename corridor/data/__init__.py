"""Stage 1 of the pipeline: find, read and validate the data files (``data/README.md``).

- :mod:`corridor.data.files`: where the files are (a user's folder, else the shipped data).
- :mod:`corridor.data.reader`: the one validating CSV reader (:class:`CsvTable`), JSON, the
  plausible ranges of ``ranges.csv`` and the ``source`` rule.
- :mod:`corridor.data.network_files`: ``sources``, ``places``, ``nodes``, ``edges`` and
  ``geometry`` into a :class:`Dataset` (:func:`read_dataset`).
- :mod:`corridor.data.params`: ``cost_params.csv`` and the analysis parameter tables.
- :mod:`corridor.data.references`: ``references.csv``.
- :mod:`corridor.data.checks`: every file of a folder (``corridor data validate``); it
  loads the network and the analysis tables, so it is imported from there, not here.

The readers use the standard library (and :func:`corridor.names.normalize`, to keep two
places from sharing a name), so that loading stays fast.
"""

from __future__ import annotations

from corridor._constants import (
    CAPACITY_UNITS,
    EDGE_MODES,
    LANGUAGES,
    NODE_KINDS,
    STATUSES,
    TRANSPORT_MODES,
)
from corridor.data.files import data_dir, data_path, find_file
from corridor.data.network_files import Dataset, check_edge_figures, read_dataset
from corridor.data.params import read_table
from corridor.data.reader import (
    CsvTable,
    check_range,
    check_sources,
    range_problem,
    ranged_fields,
    read_csv,
    read_json,
    value_range,
)
from corridor.data.references import (
    REFERENCE_BASES,
    REFERENCE_FIGURES,
    REFERENCE_KINDS,
    REFERENCE_MEASURES,
    REFERENCE_OBJECTIVES,
    read_references,
)
from corridor.data.schemas import (
    COST_PARAMS_FILE,
    COUNTRY_BOUNDS,
    EDGE_FIGURES,
    EDGES_FILE,
    RANGES_FILE,
    SCHEMAS,
)

__all__ = [
    "CAPACITY_UNITS",
    "COST_PARAMS_FILE",
    "COUNTRY_BOUNDS",
    "EDGES_FILE",
    "EDGE_FIGURES",
    "EDGE_MODES",
    "LANGUAGES",
    "NODE_KINDS",
    "RANGES_FILE",
    "REFERENCE_BASES",
    "REFERENCE_FIGURES",
    "REFERENCE_KINDS",
    "REFERENCE_MEASURES",
    "REFERENCE_OBJECTIVES",
    "SCHEMAS",
    "STATUSES",
    "TRANSPORT_MODES",
    "CsvTable",
    "Dataset",
    "check_edge_figures",
    "check_range",
    "check_sources",
    "data_dir",
    "data_path",
    "find_file",
    "range_problem",
    "ranged_fields",
    "read_csv",
    "read_dataset",
    "read_json",
    "read_references",
    "read_table",
    "value_range",
]
