"""Research-CI helpers: hypothesis strategies and bound assertions (plus the pytest plugin).

- :mod:`.strategies`: consistent constants, functions of a class, starts, schedules, whole instances;
- :mod:`.assertions`: :func:`assert_respects`, :func:`assert_witnessed`, :func:`simulate_run`;
- :mod:`.plugin`: the pytest plugin (fixtures ``sam_simulate``, ``sam_catalog``, ``sam_seed``,
  ``sam_witness_dir``, ``sam_assert``), registered through the ``pytest11`` entry point.

The strategies need hypothesis (the ``test`` extra); importing this package does not.
"""

from .assertions import BoundAssertionError, Run, assert_respects, assert_witnessed, resolve_bound, simulate_run

__all__ = ["BoundAssertionError", "Run", "assert_respects", "assert_witnessed", "resolve_bound", "simulate_run"]
