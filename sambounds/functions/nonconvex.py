"""Smooth nonconvex families: a globally smooth double well, trigonometric functions and the
paper's f(x, y) = (xy - 1)^2 (smooth only on a bounded region)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError
from ._xp import lead, ops
from .base import Objective, Region, _per_function


class DoubleWell(Objective):
    """f(x) = s sum_i phi(x_i), phi(u) = u^2/2 + a e^{-u^2/2}, a > 1.

    phi'(u) = u (1 - a e^{-u^2/2}); phi''(u) = 1 - a e^{-u^2/2} (1 - u^2), and
    e^{-u^2/2}(1 - u^2) ranges over [-2 e^{-3/2}, 1] (extremes at u^2 = 3 and u = 0), so f is
    globally beta-smooth with beta = s max{a - 1, 1 + 2 a e^{-3/2}} and nonconvex
    (phi''(0) = 1 - a < 0).  The minima are u = +-sqrt(2 ln a) with phi = ln a + 1, so
    f* = s d (ln a + 1); the 2^d minimizers make x* non-unique (declared None).
    """

    family = "double-well"
    _arrays = ("_a", "_scale")

    def __init__(self, a: Any = 4.0, scale: Any = 1.0, *, dim: int = 1, n_functions: int | None = None) -> None:
        F = n_functions or max(np.size(a), np.size(scale))
        a, scale = _per_function("a", a, F), _per_function("scale", scale, F)
        if np.any(a <= 1) or np.any(scale <= 0):
            raise InvalidParameterError("a, scale", (a, scale), "a > 1 and scale > 0")
        self._a, self._scale = a, scale
        beta = scale * np.maximum(a - 1, 1 + 2 * a * math.exp(-1.5))
        self._declare(n_functions=F, dim=dim, beta=beta, f_star=scale * dim * (np.log(a) + 1))
        self.minimizer_radius = np.sqrt(2 * np.log(a))

    def value(self, x):
        xp = ops(x)
        a = lead(self._a, x)[..., None]
        return lead(self._scale, x) * xp.sum(x * x / 2 + a * xp.exp(-x * x / 2), axis=-1)

    def grad(self, x):
        xp = ops(x)
        a = lead(self._a, x)[..., None]
        return lead(self._scale, x)[..., None] * x * (1 - a * xp.exp(-x * x / 2))


class Trigonometric(Objective):
    """f(x) = sum_i [(a/2) r_i^2 + b (1 - cos(omega r_i))], r = x - c, a >= 0, b, omega > 0.

    f'' = a + b omega^2 cos(omega r) per coordinate: beta = a + b omega^2; convex with
    mu = a - b omega^2 when that is >= 0, nonconvex otherwise.  f >= 0 = f(c): f* = 0, and x* = c
    is the unique minimizer when a > 0.  With a = 0, f is L-Lipschitz, L = b omega sqrt(d)
    (attained where every omega r_i = pi/2 mod pi), and its minimizers form a lattice (x* None).
    """

    family = "trigonometric"
    _arrays = ("center", "_a", "_b", "_omega")

    def __init__(self, center: Any, a: Any = 0.1, b: Any = 1.0, omega: Any = 1.0) -> None:
        c = v.finite_array("center", center)
        c = c[None] if c.ndim == 1 else c
        if c.ndim != 2:
            raise InvalidParameterError("center", f"array of shape {c.shape}", "shape (F, d) or (d,)")
        F, d = c.shape
        a, b, omega = (_per_function(n, q, F) for n, q in (("a", a), ("b", b), ("omega", omega)))
        if np.any(a < 0) or np.any(b <= 0) or np.any(omega <= 0):
            raise InvalidParameterError("a, b, omega", (a, b, omega), "a >= 0, b > 0, omega > 0")
        self.center, self._a, self._b, self._omega = c, a, b, omega
        curv = a - b * omega**2
        mu = curv if np.all(curv >= 0) else None
        L = b * omega * math.sqrt(d) if np.all(a == 0) else None
        x_star = c if np.all(a > 0) else None
        self._declare(n_functions=F, dim=d, beta=a + b * omega**2, mu=mu, L=L, f_star=0.0, x_star=x_star)

    def _p(self, x):
        return (lead(q, x)[..., None] for q in (self._a, self._b, self._omega))

    def value(self, x):
        xp = ops(x)
        a, b, w = self._p(x)
        r = x - lead(self.center, x)
        return xp.sum(a * r * r / 2 + b * (1 - xp.cos(w * r)), axis=-1)

    def grad(self, x):
        xp = ops(x)
        a, b, w = self._p(x)
        r = x - lead(self.center, x)
        return a * r + b * w * xp.sin(w * r)


class XYProduct(Objective):
    """f(x, y) = (xy - 1)^2, the paper's Figure 1 (Si & Yun, 2023); nonconvex, not globally smooth.

    Hessian [[2y^2, 4xy - 2], [4xy - 2, 2x^2]] with eigenvalues
    x^2 + y^2 +- sqrt((x^2 - y^2)^2 + (4xy - 2)^2).  On the box [-R, R]^2 the spectral norm is at
    most 2 max(x^2, y^2) + 4|xy| + 2 <= 6 R^2 + 2, attained at (R, -R): beta = 6 R^2 + 2 there.
    ||grad f|| = 2 |xy - 1| sqrt(x^2 + y^2) <= 2 sqrt(2) R (R^2 + 1) = L on the box (attained at
    (R, -R)).  f* = 0 on the hyperbola xy = 1 (x* not unique: None).  The constants hold only on
    ``region``; the simulator does not confine the iterates.
    """

    family = "xy-product"

    def __init__(self, R: float = 2.0, *, n_functions: int = 1) -> None:
        R = v.positive("R", R)
        self.R = R
        self._declare(n_functions=n_functions, dim=2, beta=6 * R * R + 2,
                      L=2 * math.sqrt(2) * R * (R * R + 1), f_star=0.0, region=Region(-R, R))

    def value(self, x):
        return (x[..., 0] * x[..., 1] - 1) ** 2

    def grad(self, x):
        r = 2 * (x[..., 0] * x[..., 1] - 1)
        return ops(x).stack([r * x[..., 1], r * x[..., 0]])
