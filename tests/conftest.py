"""Shared test configuration.

Hypothesis profiles, both deterministic (``derandomize=True``: examples come from a hash of the
test, so a run from a fresh clone tests exactly what the last one did, and a failure reproduces;
no example database, so nothing saved by an earlier run changes what is tested):

- "dev" (the default, 50 examples);
- "ci" (25 examples, the too-slow health check off), selected with HYPOTHESIS_PROFILE=ci (.ci/run does).

Exploring new random examples is a deliberate act: ``HYPOTHESIS_PROFILE=explore``.  No deadlines:
wall-clock limits do not belong in unit tests.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None, derandomize=True, database=None)
settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "dev")  # unset or empty: the default
