"""The symbolic layer: bounds as data, the catalog of docs/theory.md sections 2-5, and queries.

- :mod:`.symbols`        the sympy symbols formulas are written in (constants, schedule functionals)
- :mod:`.terms`          kind, quantity, provenance, order form, step-size assumption
- :mod:`.bound`          :class:`~.bound.Bound` (a frozen dataclass) and cached vectorized evaluation
- :mod:`.catalog`        the immutable catalog, one module per section (paper, deterministic,
                         stochastic, lower, literature) and the known open rows
- :mod:`.query`          :func:`~.query.query` for a Setting and :func:`~.query.evaluate_many` for arrays
- :mod:`.lower_constants` the constant c(p, K) of construction L-S
- :mod:`.schedule_sums`  the schedule functionals of schedule-generic bounds

Submodules are imported on use (sympy is heavy); ``sambounds.query``, ``sambounds.catalog`` and
``sambounds.Bound`` are the public entry points.
"""
