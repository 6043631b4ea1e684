"""The adversary: everything that builds instances to refute a bound, in one package.

Modules (one concept each):

- :mod:`.families` -- :class:`FamilySpec`, a rebuildable batch of functions (name + JSON parameters);
- :mod:`.parametric` -- parameterized families whose constants are certified from their parameters;
- :mod:`.space` -- the candidate space of a bound: a point of [0, 1]^k -> a probe within the bound's
  conditions (family parameters, start, schedule, constants);
- :mod:`.search` -- the search driver (scipy differential evolution, seeded, with a budget) that
  maximizes measured/bound, and :func:`~.search.evaluate_specs`, the one map over independent probes;
- :mod:`.sequential` -- replicas that grow until a confidence bound separates from the bound;
- :mod:`.history` -- the search's history and result values;
- :mod:`.pep_attack` -- the PEP's interpolating worst function as an attack candidate;
- :mod:`.menu` -- the fixed menu of adversarial instances (the search's starting population);
- :mod:`.schedule_families`, :mod:`.empirical` -- the instances and runs of ``verify_schedule``;
- :mod:`.strategies` -- hypothesis strategies over the same families (pytest plugin).

The checkers (``report``/``check``), ``verify_schedule`` and the pytest plugin all build their
instances here.  Nothing is imported eagerly, so importing one module does not pull the others
(and :mod:`.strategies`, which needs hypothesis, only loads when used).
"""
