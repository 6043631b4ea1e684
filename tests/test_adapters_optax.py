"""The optax adapter: optax.contrib.sam run and its conformance reported as it is.

Needs the ``jax`` extra (jax, optax); skipped cleanly without it.
"""

from __future__ import annotations

import pytest

pytest.importorskip("jax")
pytest.importorskip("optax")

import adapter_user_sam as user  # noqa: E402
from sambounds.adapters import conform  # noqa: E402


def test_optax_contrib_sam_is_sam_in_two_update_calls_per_step():
    r = conform(user.optax_sam, framework="optax", calls_per_step=2)
    assert r.match == "sam" and r.T >= 100
    assert r.fit("sam").max_deviation < 1e-12       # float64 throughout: rounding level
    assert r.perturbation.normalized and r.perturbation.eps is None   # normalize() has no eps
    # ... so at g = 0 exactly its normalization divides 0 by 0: reported, not hidden
    assert r.perturbation.at_zero.startswith("error") and "NaN" in r.perturbation.at_zero
    assert any("at g = 0 exactly it fails" in d for d in r.diagnosis())


def test_optax_contrib_sam_driven_once_per_step_matches_nothing():
    """One update call per step alternates ascent and descent calls: no reference rule, honestly."""
    r = conform(user.optax_sam, framework="optax", calls_per_step=1)
    assert r.match is None and r.closest.max_deviation > 0.1
