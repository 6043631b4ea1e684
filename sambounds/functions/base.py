"""The Objective interface: a batch of F functions R^d -> R with certified constants.

Shapes: a point batch ``x`` has shape ``(F, ..., d)``: the leading axis indexes the F
functions of the batch, the trailing axis the coordinates, anything in between (starting
points, schedules, seeds) is broadcast.  ``value(x)`` has shape ``(F, ...)`` and
``grad(x)`` the shape of ``x``.

Declared constants are per function (arrays of shape ``(F,)``):

- ``beta``  : smoothness, ||grad f(a) - grad f(b)|| <= beta ||a - b|| (on ``region`` if not global);
- ``mu``    : strong convexity modulus (0 for merely convex); ``None`` when f is not convex;
- ``L``     : Lipschitz constant of f (sup ||grad f||) or ``None`` when unbounded;
- ``f_star``: inf f in closed form, ``x_star``: a minimizer, ``None`` when unknown.

Families call :meth:`Objective._declare` from their constructor: it validates every declared
constant (finite, beta > 0, 0 <= mu <= beta, L > 0, shapes) and raises
:class:`~sambounds.errors.InvalidParameterError` naming the inconsistent one, so a family can
never declare, say, mu > beta.  ``value``/``grad`` are written against the array namespace of
:mod:`._xp`, so a family whose parameter arrays are listed in ``_arrays`` also runs on torch
tensors after :meth:`Objective.map_arrays` (the simulator's torch backend does this once).

Stochastic objectives (:class:`StochasticObjective`) are finite sums f = sum_j p_j l_j with
per-component gradients, used by n-SAM and m-SAM.
"""

from __future__ import annotations

import abc
import copy
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError


@dataclass(frozen=True)
class Region:
    """A box [low, high]^d on which the declared constants hold (None: they hold everywhere)."""

    low: float
    high: float


class Objective(abc.ABC):
    """A batch of F deterministic functions evaluated together (see module docstring for shapes)."""

    #: human-readable family name, e.g. "quadratic", "L-SC"
    family: str = "objective"
    dim: int
    n_functions: int
    beta: np.ndarray
    mu: np.ndarray | None = None
    L: np.ndarray | None = None
    f_star: np.ndarray | None = None
    x_star: np.ndarray | None = None
    region: Region | None = None

    @abc.abstractmethod
    def value(self, x: np.ndarray) -> np.ndarray:
        """f_i(x[i, ...]) for every function i: shape ``x.shape[:-1]``."""

    @abc.abstractmethod
    def grad(self, x: np.ndarray) -> np.ndarray:
        """grad f_i(x[i, ...]): shape ``x.shape``."""

    #: names of the parameter arrays that ``value``/``grad`` read (converted by :meth:`map_arrays`)
    _arrays: tuple[str, ...] = ()

    def value_and_grad(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(value(x), grad(x))``; families override it when the two share work (e.g. H x)."""
        return self.value(x), self.grad(x)

    def grad_into(self, x: Any, out: Any, work: Any = None) -> Any:
        """grad(x), written into ``out`` where the family can; returns the gradient (``out`` or a new array).

        ``out`` (an array of x's shape, or None) and ``work`` (a scratch array of x's shape the
        family may overwrite, or None) let the simulator's loop reuse its buffers; a family that
        does not override this allocates as ``grad`` does.  The caller reads the returned array
        only, so a family may ignore both buffers.
        """
        return self.grad(x)

    def value_and_grad_into(self, x: Any, out: Any, work: Any = None) -> tuple[Any, Any]:
        """``(value(x), grad(x))`` with the gradient as in :meth:`grad_into`."""
        return self.value_and_grad(x)

    @property
    def convex(self) -> bool:
        return self.mu is not None

    @property
    def function_class(self) -> str:
        """The smallest class of :class:`~sambounds.FunctionClass` (by name) every function belongs to."""
        if self.mu is not None:
            return "strongly-convex" if bool(np.all(self.mu > 0)) else "convex"
        return "lipschitz-nonconvex" if self.L is not None else "nonconvex"

    def map_arrays(self, fn: Callable[[np.ndarray], Any]) -> "Objective":
        """A shallow copy whose parameter arrays (``_arrays``) are replaced by ``fn(array)``.

        Used to move a family to another array backend (``fn = torch.as_tensor``...); the
        declared constants stay NumPy arrays.  The original is not modified.
        """
        clone = copy.copy(self)
        for name in self._arrays:
            object.__setattr__(clone, name, fn(getattr(self, name)))
        return clone

    def _declare(self, *, n_functions: int, dim: int, beta: Any, mu: Any = None, L: Any = None,
                 f_star: Any = None, x_star: Any = None, region: Region | None = None) -> None:
        """Validate and store the declared constants (scalars are broadcast to all F functions).

        Raises
        ------
        InvalidParameterError
            A constant that is not finite, beta <= 0, mu outside [0, beta], L <= 0, or an
            array of the wrong shape.
        """
        F = v.positive_int("n_functions", n_functions)
        d = v.positive_int("dim", dim)
        beta = _per_function("beta", beta, F)
        if np.any(beta <= 0):
            i = int(np.flatnonzero(beta <= 0)[0])
            raise InvalidParameterError(f"beta[{i}]", float(beta[i]), "a finite number > 0")
        if mu is not None:
            mu = _per_function("mu", mu, F)
            bad = np.flatnonzero((mu < 0) | (mu > beta))
            if bad.size:
                i = int(bad[0])
                raise InvalidParameterError(f"mu[{i}]", float(mu[i]),
                                            f"a finite number in [0, beta] = [0, {beta[i]:g}]",
                                            "a strong-convexity modulus above the smoothness constant "
                                            "is inconsistent")
        if L is not None:
            L = _per_function("L", L, F)
            if np.any(L <= 0):
                i = int(np.flatnonzero(L <= 0)[0])
                raise InvalidParameterError(f"L[{i}]", float(L[i]), "a finite number > 0")
        if f_star is not None:
            f_star = _per_function("f_star", f_star, F)
        if x_star is not None:
            x_star = v.finite_array("x_star", np.broadcast_to(np.asarray(x_star, dtype=float), (F, d)),
                                    shape=(F, d))
        for name, value in (("n_functions", F), ("dim", d), ("beta", beta), ("mu", mu), ("L", L),
                            ("f_star", f_star), ("x_star", x_star), ("region", region)):
            object.__setattr__(self, name, value)


class StochasticObjective(Objective):
    """A finite sum f = sum_j p_j l_j (j < n) with per-component gradients.

    ``probs`` has shape (F, n) (each row sums to 1).  An oracle call draws component indices
    j with probability p_j, i.i.d. with replacement, so the minibatch mean of grad l_j is an
    unbiased estimate of grad f.  ``sigma`` (shape (F,), optional) is a declared bound on the
    standard deviation of one sampled gradient: E_j ||grad l_j(x) - grad f(x)||^2 <= sigma^2 for
    every x; ``component_beta`` bounds the smoothness of every l_j (m-SAM's assumption).
    """

    n_components: int
    probs: np.ndarray
    sigma: np.ndarray | None = None
    component_beta: np.ndarray | None = None

    @abc.abstractmethod
    def component_grad(self, x: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Mean over the last axis of ``idx`` of grad l_{idx}(x): shape ``x.shape``.

        ``idx`` is an integer array of shape ``x.shape[:-1] + (b,)`` (b = minibatch size).
        """

    def _declare_components(self, probs: Any, *, sigma: Any = None, component_beta: Any = None) -> None:
        """Validate and store the component probabilities (after :meth:`_declare`)."""
        F = self.n_functions
        p = np.array(probs, dtype=float, copy=True)
        p = np.broadcast_to(p, (F,) + p.shape[-1:]).copy() if p.ndim == 1 else p
        p = v.finite_array("probs", p, ndim=2)
        if p.shape[0] != F or np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12):
            raise InvalidParameterError("probs", p, f"an (F={F}, n) array of probabilities, rows summing to 1")
        object.__setattr__(self, "n_components", int(p.shape[1]))
        object.__setattr__(self, "probs", p)
        object.__setattr__(self, "sigma", None if sigma is None else _per_function("sigma", sigma, F, low=0.0))
        object.__setattr__(self, "component_beta",
                           None if component_beta is None else _per_function("component_beta", component_beta, F))


def _per_function(name: str, value: Any, F: int, low: float | None = None) -> np.ndarray:
    try:
        arr = np.broadcast_to(np.asarray(value, dtype=float), (F,))
    except (TypeError, ValueError):
        raise InvalidParameterError(name, value, f"a finite number or an array of shape ({F},)") from None
    arr = v.finite_array(name, arr, shape=(F,))
    if low is not None and np.any(arr < low):
        i = int(np.flatnonzero(arr < low)[0])
        raise InvalidParameterError(f"{name}[{i}]", float(arr[i]), f"a finite number >= {low:g}")
    return arr
