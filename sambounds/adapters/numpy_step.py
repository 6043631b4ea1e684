"""A plain NumPy step ``step(x, grad_fn, t) -> x_next`` driven by the simulator kernel.

The factory is called once per schedule k with ``eta`` = :class:`~.spec.Schedule` (eta(t) is
the step size of step t), and the step it returns is called for every step t:

- ``batched=False`` (default): once per trajectory, with x of shape (d,) and
  ``grad_fn(z)`` = grad f_i(z) for that trajectory's function i (z of shape (d,));
- ``batched=True``: once per schedule with every trajectory of it, x of shape (F, S, d);
  ``grad_fn(z)`` evaluates function i on ``z[i]``.  The step must treat the last axis as the
  coordinates and every other index as an independent trajectory (normalize along axis -1:
  a step that normalizes the whole array couples the trajectories; :func:`~.conform.conform`
  then finds it matches no reference rule).

The points at which the step asks for gradients are recorded: the last one of step t is the
point y_t whose gradient the step is presumed to descend along (SAM's ascent point).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .spec import OptimizerError, OptimizerSpec, Schedule, call_factory, check_finite_step


class NumpyStepper:
    """One run of a NumPy step on a (F, S, K, d) batch (see the module docstring)."""

    def __init__(self, spec: OptimizerSpec, objective: Any, shape: tuple, steps: np.ndarray, record: bool):
        self.spec, self.objective, self.shape = spec, objective, tuple(shape)
        self.batched = bool(spec.options.get("batched", False))
        self.record = record
        self.queries: list = []
        self._steps = []
        for k in range(shape[2]):
            step = call_factory(spec.factory, Schedule(steps[k]), "a step-size schedule eta(t)")
            if not callable(step):
                raise OptimizerError(spec.label, "a factory eta -> step(x, grad_fn, t)",
                                     f"it returned a {type(step).__name__}")
            self._steps.append(step)

    def _call(self, step, x, grad_fn, t):
        try:
            out = step(x, grad_fn, t)
        except OptimizerError:
            raise
        except Exception as exc:  # noqa: BLE001 - the user's step: say where it failed
            raise OptimizerError(self.spec.label, "a step(x, grad_fn, t) that returns x_next",
                                 f"at step t={t} it raised {type(exc).__name__}: {exc}") from None
        try:
            arr = np.asarray(out, dtype=np.float64)
        except (TypeError, ValueError):
            arr = None
        if arr is None or arr.shape != x.shape:
            raise OptimizerError(self.spec.label, f"a step returning an array of shape {x.shape}",
                                 f"at step t={t} it returned {type(out).__name__}"
                                 + ("" if arr is None else f" of shape {arr.shape}"))
        return arr

    def __call__(self, x: np.ndarray, g: np.ndarray, t: int, eta: Any) -> np.ndarray:
        F, S, K, d = self.shape
        f = self.objective
        out = np.empty_like(x)
        y = x.copy()
        if self.batched:
            for k in range(K):
                last = [x[:, :, k]]

                def grad_fn(z, last=last):
                    z = np.asarray(z, dtype=np.float64)
                    if z.shape != (F, S, d):
                        raise OptimizerError(self.spec.label, f"grad_fn called with an array of shape {(F, S, d)}",
                                             f"it was called with shape {z.shape}", name="grad_fn argument")
                    last[0] = z.copy()
                    return f.grad(z)

                out[:, :, k] = self._call(self._steps[k], x[:, :, k].copy(), grad_fn, t)
                y[:, :, k] = last[0]
        else:
            for i in range(F):
                for s in range(S):
                    for k in range(K):
                        last = [x[i, s, k]]

                        def grad_fn(z, i=i, last=last):
                            z = np.asarray(z, dtype=np.float64)
                            if z.shape != (d,):
                                raise OptimizerError(self.spec.label, f"grad_fn called with shape ({d},)",
                                                     f"it was called with shape {z.shape}",
                                                     name="grad_fn argument")
                            last[0] = z.copy()
                            full = np.broadcast_to(z, (F, 1, d))   # f_i reads row i of the batch
                            return np.array(f.grad(full)[i, 0])

                        out[i, s, k] = self._call(self._steps[k], x[i, s, k].copy(), grad_fn, t)
                        y[i, s, k] = last[0]
        check_finite_step(out, x, g, t, self.shape, self.spec.label)
        if self.record:
            self.queries.append(y)
        return out
