"""Research-CI helpers: hypothesis strategies and bound assertions (plus the pytest plugin).

- :mod:`.strategies`: consistent constants, functions of a class, starts, schedules, whole instances;
- :mod:`.assertions`: :func:`assert_respects` (on a run, or on a user's optimizer),
  :func:`assert_witnessed`, :func:`assert_conforms`, :func:`simulate_run`;
- :mod:`.plugin`: the pytest plugin (fixtures ``sam_simulate``, ``sam_catalog``, ``sam_seed``,
  ``sam_witness_dir``, ``sam_assert``), registered through the ``pytest11`` entry point.

The strategies need hypothesis (the ``test`` extra); importing this package does not.
"""

from .assertions import (BoundAssertionError, ConformanceError, Run, assert_conforms, assert_respects,
                         assert_witnessed, resolve_bound, simulate_run)

__all__ = ["BoundAssertionError", "ConformanceError", "Run", "assert_conforms", "assert_respects",
           "assert_witnessed", "resolve_bound", "simulate_run"]
