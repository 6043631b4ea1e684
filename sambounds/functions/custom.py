"""A user's own function: value and gradient callables plus the constants the user declares."""

from __future__ import annotations

from typing import Any, Callable

from .base import Objective, Region


class FromCallables(Objective):
    """Wrap ``value(x)`` / ``grad(x)`` written for point batches of shape (F, ..., d).

    The declared constants are validated like every family's (beta > 0, 0 <= mu <= beta, ...),
    but they are the user's claims: :mod:`sambounds.functions.verify` can test them by sampling.
    The callables decide which array backends work (NumPy arrays are always passed by the
    default backend).
    """

    family = "custom"

    def __init__(self, value: Callable[[Any], Any], grad: Callable[[Any], Any], *, dim: int, beta: Any,
                 n_functions: int = 1, mu: Any = None, L: Any = None, f_star: Any = None, x_star: Any = None,
                 region: Region | None = None, name: str = "custom") -> None:
        if not callable(value) or not callable(grad):
            from ..errors import InvalidParameterError

            raise InvalidParameterError("value/grad", (value, grad), "callables x -> f(x), x -> grad f(x)")
        self._value, self._grad, self.family = value, grad, name
        self._declare(n_functions=n_functions, dim=dim, beta=beta, mu=mu, L=L, f_star=f_star,
                      x_star=x_star, region=region)

    def value(self, x):
        return self._value(x)

    def grad(self, x):
        return self._grad(x)
