"""Shared test configuration.

Hypothesis profiles: "dev" (default, 50 examples) and "ci" (25 examples, derandomized so a
CI failure reproduces).  Select with HYPOTHESIS_PROFILE=ci; .ci/run does.  No deadlines:
wall-clock limits do not belong in unit tests.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
