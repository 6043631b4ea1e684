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
"""

from __future__ import annotations

import abc
from dataclasses import dataclass

import numpy as np


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

    @property
    def convex(self) -> bool:
        return self.mu is not None
