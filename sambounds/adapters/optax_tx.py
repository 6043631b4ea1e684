"""An optax ``GradientTransformation`` factory ``learning_rate -> transformation`` driven by the kernel.

Per schedule k the factory is called with ``learning_rate`` = a schedule count -> eta_t (optax
accepts a callable wherever it accepts a learning rate); per function i the transformation's
``init`` and ``update`` are ``jax.vmap``-ed over the S trajectories (so a global-norm
normalization such as ``optax.contrib.normalize`` is per trajectory) and ``jit``-compiled.
A transformation whose ``update`` takes ``grad_fn`` (``GradientTransformationExtraArgs``) gets
the JAX form of f_i (the family's formulas on jax.numpy, :class:`sambounds.functions._xp.JaxOps`),
which ``optax.contrib.sam(..., opaque_mode=True)`` calls at its ascent point.
Computation is in float64 (``jax.experimental.enable_x64`` around every call).

One SAM step of the simulator is ``calls_per_step`` update calls, each with the gradient at the
current parameters: ``optax.contrib.sam`` in its default (transparent) mode spends
``sync_period`` = 2 calls per SAM step (an adversarial ascent call, then the outer descent call
with the gradient at the perturbed point); a single-call SAM (or ``opaque_mode=True`` with
sync_period 2, which evaluates the ascent gradient internally) needs 1.  The gradients handed to ``update``
come from the family's NumPy form (the same arithmetic as the reference kernel).  The last point
whose gradient was handed over in step t is recorded as y_t (an opaque mode's internal ascent
point is not visible: y_t = x_t then, and only x_{t+1} is compared).
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np

from .spec import OptimizerError, OptimizerSpec, Schedule, accepts_keyword, call_factory, check_finite_step


def _x64():
    try:
        from jax.experimental import enable_x64
    except ImportError:  # pragma: no cover - older / newer jax spell it differently
        import jax

        return getattr(jax, "enable_x64", contextlib.nullcontext)(True)
    return enable_x64()


class OptaxStepper:
    """One run of an optax transformation factory on a (F, S, K, d) batch (see the module docstring)."""

    def __init__(self, spec: OptimizerSpec, objective: Any, shape: tuple, steps: np.ndarray, record: bool):
        try:
            import jax
            import optax
        except ImportError:
            raise OptimizerError(spec.label, "an optax transformation with jax and optax installed",
                                 "pip install 'sambounds[jax]'") from None
        self.jax, self.optax, self.spec, self.objective, self.shape = jax, optax, spec, objective, tuple(shape)
        self.record = record
        self.queries: list = []
        self.calls = int(spec.options.get("calls_per_step", 1))
        F, S, K, d = shape
        self._update, self._state = {}, {}
        with _x64():
            import jax.numpy as jnp

            self.jnp = jnp
            for k in range(K):
                tx = call_factory(spec.factory, Schedule(steps[k]), "an optax learning rate (a schedule)")
                if not (callable(getattr(tx, "init", None)) and callable(getattr(tx, "update", None))):
                    raise OptimizerError(spec.label, "a factory learning_rate -> optax GradientTransformation",
                                         f"it returned a {type(tx).__name__}")
                extra = accepts_keyword(tx.update, "grad_fn")
                for i in range(F):
                    try:
                        state = jax.vmap(tx.init)(jnp.zeros((S, d), dtype=jnp.float64))
                    except Exception as exc:  # noqa: BLE001 - the user's transformation
                        raise OptimizerError(spec.label, "a transformation whose init(params) runs",
                                             f"init raised {type(exc).__name__}: {exc}") from None
                    self._state[k, i] = state
                    self._update[k, i] = jax.jit(jax.vmap(self._updater(tx, objective, i, d, extra)))

    @staticmethod
    def _updater(tx, objective, i, d, extra):
        """update(g, state, params) for one trajectory of function i; ``grad_fn`` is the JAX form of f_i."""
        if not extra:
            return lambda gr, st, p: tx.update(gr, st, p)
        import jax.numpy as jnp

        f_i = objective.map_arrays(lambda a: jnp.asarray(np.asarray(a)[i:i + 1]))

        def grad_fn(params, _step):  # optax's opaque mode asks for the gradient at its ascent point
            return f_i.grad(params.reshape(1, 1, d)).reshape(d)

        return lambda gr, st, p: tx.update(gr, st, p, grad_fn=grad_fn)

    def __call__(self, x: np.ndarray, g: np.ndarray, t: int, eta: Any) -> np.ndarray:
        F, S, K, d = self.shape
        jnp = self.jnp
        out = np.empty_like(x)
        y = x.copy()
        with _x64():
            for (k, i), update in self._update.items():
                p = jnp.asarray(x[i, :, k])
                grad = g[i, :, k]
                for c in range(self.calls):
                    if c:
                        point = np.asarray(p)
                        y[i, :, k] = point
                        full = np.broadcast_to(point[None], (F, S, d))   # f_i reads row i
                        grad = np.asarray(self.objective.grad(full))[i]
                    try:
                        upd, self._state[k, i] = update(jnp.asarray(grad), self._state[k, i], p)
                    except Exception as exc:  # noqa: BLE001 - the user's transformation
                        raise OptimizerError(self.spec.label, "a transformation whose update runs",
                                             f"at step t={t} update raised {type(exc).__name__}: {exc}") from None
                    p = self.optax.apply_updates(p, upd)
                out[i, :, k] = np.asarray(p, dtype=np.float64)
        check_finite_step(out, x, g, t, self.shape, self.spec.label)
        if self.record:
            self.queries.append(y)
        return out
