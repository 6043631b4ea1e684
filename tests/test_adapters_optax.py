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


def test_optax_contrib_sam_opaque_mode_gets_the_jax_form_of_the_families():
    """opaque_mode=True calls grad_fn at its ascent point: the families' formulas on jax.numpy."""
    import optax

    def opaque(learning_rate):
        return optax.contrib.sam(optax.sgd(learning_rate), optax.chain(optax.contrib.normalize(),
                                                                        optax.sgd(user.RHO)), opaque_mode=True)

    r = conform(opaque, framework="optax", rho=user.RHO)   # its ascent point is internal: rho is given
    assert r.match == "sam" and r.fit("sam").max_deviation < 1e-12
    assert "no gradient query besides x_t was seen" in r.summary()


def test_jax_form_of_the_families_equals_the_numpy_form():
    import jax
    import jax.numpy as jnp
    import numpy as np

    from sambounds.adapters.optax_tx import _x64
    from sambounds.check.families import FamilySpec

    specs = [FamilySpec("quadratic", {"spectrum": [[0.1, 0.5, 1.0]], "rotation_seed": 1}),
             FamilySpec("double-well", {"a": [4.0], "scale": [0.3], "dim": 3}),
             FamilySpec("trigonometric", {"center": [[0.0, 0.5]], "a": [0.1], "b": [0.2], "omega": [2.0]}),
             FamilySpec("huber", {"center": [[0.1, 0.2]], "delta": [0.3], "scale": [1.0]}),
             FamilySpec("L-NC", {"beta": [1.0], "rho": [0.1], "c": [0.5]})]
    with _x64():
        for spec in specs:
            f, _ = spec.build()
            x = np.random.default_rng(0).standard_normal((1, 5, f.dim))
            fj = f.map_arrays(jnp.asarray)
            g = jax.vmap(lambda z: fj.grad(z.reshape(1, 1, -1)).reshape(-1))(jnp.asarray(x[0]))
            assert np.allclose(np.asarray(g), f.grad(x)[0], rtol=1e-14, atol=1e-15), spec.name
