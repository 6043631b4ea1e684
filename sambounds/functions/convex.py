"""Smooth convex families: Huber, log-sum-exp, logcosh ridge sums and the kappa-adversarial ridge.

All have f* and x* in closed form (or, for the adversarial ridge, through a 1-D monotone root
found to machine precision).  Parameters marked (F, ...) may be given without the leading F
axis when ``n_functions`` or another array fixes it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError
from ._xp import lead, ops
from .base import Objective, _per_function


def _matrices(name: str, A: Any) -> np.ndarray:
    A = v.finite_array(name, A)
    A = A[None] if A.ndim == 2 else A
    if A.ndim != 3:
        raise InvalidParameterError(name, f"array of shape {A.shape}", "an array of shape (F, m, d)")
    return A


def _center(center: Any, F: int, d: int) -> np.ndarray:
    if center is None:
        return np.zeros((F, d))
    c = v.finite_array("center", center)
    try:
        return np.broadcast_to(c, (F, d)).copy()
    except ValueError:
        raise InvalidParameterError("center", f"array of shape {c.shape}", f"shape ({F}, {d}) or ({d},)") from None


def logcosh(xp: Any, z: Any) -> Any:
    """log cosh z = |z| + log(1 + e^{-2|z|}) - log 2, overflow-free."""
    a = xp.abs(z)
    return a + xp.log1p(xp.exp(-2.0 * a)) - math.log(2.0)


class Huber(Objective):
    """f(x) = s sum_i h_delta(x_i - c_i), h(r) = r^2/2 for |r| <= delta, delta (|r| - delta/2) beyond.

    beta = s, convex (mu = 0), L = s delta sqrt(d) (sup of ||grad f||, attained when every
    |x_i - c_i| >= delta), f* = 0, x* = c (Huber, 1964).
    """

    family = "huber"
    _arrays = ("center", "_delta", "_scale")

    def __init__(self, center: Any, delta: Any = 1.0, scale: Any = 1.0) -> None:
        c = v.finite_array("center", center)
        c = c[None] if c.ndim == 1 else c
        if c.ndim != 2:
            raise InvalidParameterError("center", f"array of shape {c.shape}", "shape (F, d) or (d,)")
        F, d = c.shape
        delta, scale = _per_function("delta", delta, F), _per_function("scale", scale, F)
        if np.any(delta <= 0) or np.any(scale <= 0):
            raise InvalidParameterError("delta, scale", (delta, scale), "finite numbers > 0")
        self.center, self._delta, self._scale = c, delta, scale
        self._declare(n_functions=F, dim=d, beta=scale, mu=0.0, L=scale * delta * math.sqrt(d),
                      f_star=0.0, x_star=c)

    def value(self, x):
        xp = ops(x)
        r = x - lead(self.center, x)
        delta = lead(self._delta, x)[..., None]
        a = xp.abs(r)
        h = xp.where(a <= delta, r * r / 2, delta * (a - delta / 2))
        return lead(self._scale, x) * xp.sum(h, axis=-1)

    def grad(self, x):
        xp = ops(x)
        r = x - lead(self.center, x)
        delta = lead(self._delta, x)[..., None]
        return lead(self._scale, x)[..., None] * xp.minimum(xp.maximum(r, -delta), delta)


class LogSumExp(Objective):
    """f(x) = log sum_j exp(a_j^T r) + (lam/2) ||r||^2, r = x - c, rows a_j = +-b_j (A = [B; -B]).

    The symmetric rows make grad f(c) = A^T (uniform weights) = 0, so x* = c and
    f* = log(2m) in closed form.  The Hessian A^T (diag(p) - p p^T) A + lam I has
    v^T (diag(p) - p p^T) v = Var_p(v) <= (max v - min v)^2/4 <= ||v||^2/2, hence
    beta = ||A||_2^2/2 + lam = ||B||_2^2 + lam; mu = lam; L = max_j ||b_j|| when lam = 0
    (grad f is a convex combination of the rows).
    """

    family = "log-sum-exp"
    _arrays = ("A", "center", "_lam")

    def __init__(self, B: Any, center: Any = None, lam: Any = 0.0) -> None:
        B = _matrices("B", B)
        F, m, d = B.shape
        lam = _per_function("lam", lam, F)
        if np.any(lam < 0):
            raise InvalidParameterError("lam", lam, "numbers >= 0")
        self.A = np.concatenate([B, -B], axis=1)
        self.center, self._lam = _center(center, F, d), lam
        beta = np.linalg.norm(B, ord=2, axis=(1, 2)) ** 2 + lam
        L = None if np.any(lam > 0) else np.linalg.norm(B, axis=2).max(axis=1)
        self._declare(n_functions=F, dim=d, beta=beta, mu=lam, L=L, f_star=math.log(2 * m), x_star=self.center)

    def _z(self, x):
        r = x - lead(self.center, x)
        F, n, d = self.A.shape
        z = r.reshape(F, -1, d) @ self.A.swapaxes(1, 2)
        return r, z.reshape(tuple(r.shape[:-1]) + (n,))

    def value(self, x):
        xp = ops(x)
        r, z = self._z(x)
        zmax = xp.max(z, axis=-1, keepdims=True)
        lse = zmax[..., 0] + xp.log(xp.sum(xp.exp(z - zmax), axis=-1))
        return lse + lead(self._lam, x) * xp.sumsq(r) / 2

    def grad(self, x):
        xp = ops(x)
        r, z = self._z(x)
        w = xp.exp(z - xp.max(z, axis=-1, keepdims=True))
        w = w / xp.sum(w, axis=-1, keepdims=True)
        F, n, d = self.A.shape
        g = (w.reshape(F, -1, n) @ self.A).reshape(r.shape)
        return g + lead(self._lam, x)[..., None] * r


class LogcoshRidge(Objective):
    """f(x) = sum_j w_j logcosh(a_j^T r) + (lam/2) ||r||^2, r = x - c, weights w_j > 0.

    Hessian A^T diag(w sech^2(A r)) A + lam I, so beta = ||A^T diag(w) A||_2 + lam (attained at
    x = c), mu = lam, L = sum_j w_j ||a_j|| when lam = 0 (|tanh| <= 1), f* = 0, x* = c.
    """

    family = "logcosh-ridge"
    _arrays = ("A", "center", "_w", "_lam")

    def __init__(self, A: Any, weights: Any = 1.0, center: Any = None, lam: Any = 0.0) -> None:
        A = _matrices("A", A)
        F, m, d = A.shape
        w = v.finite_array("weights", np.broadcast_to(np.asarray(weights, dtype=float), (F, m)))
        lam = _per_function("lam", lam, F)
        if np.any(w <= 0) or np.any(lam < 0):
            raise InvalidParameterError("weights, lam", (w, lam), "weights > 0 and lam >= 0")
        self.A, self._w, self._lam, self.center = A, w, lam, _center(center, F, d)
        beta = np.linalg.eigvalsh(np.einsum("fjd,fj,fje->fde", A, w, A))[:, -1] + lam
        L = None if np.any(lam > 0) else np.sum(w * np.linalg.norm(A, axis=2), axis=1)
        self._declare(n_functions=F, dim=d, beta=beta, mu=lam, L=L, f_star=0.0, x_star=self.center)

    def _z(self, x):
        r = x - lead(self.center, x)
        F, m, d = self.A.shape
        return r, (r.reshape(F, -1, d) @ self.A.swapaxes(1, 2)).reshape(tuple(r.shape[:-1]) + (m,))

    def value(self, x):
        xp = ops(x)
        r, z = self._z(x)
        return xp.sum(lead(self._w, r) * logcosh(xp, z), axis=-1) + lead(self._lam, x) * xp.sumsq(r) / 2

    def grad(self, x):
        xp = ops(x)
        r, z = self._z(x)
        F, m, d = self.A.shape
        c = (lead(self._w, r) * xp.tanh(z)).reshape(F, -1, m)
        return (c @ self.A).reshape(r.shape) + lead(self._lam, x)[..., None] * r


class KappaAdversarial(Objective):
    """f(x) = (b0/2) x1^2 + (mu/2) x2^2 + c logcosh(x1 - eps x2 - s)  (docs/theory.md section 6).

    The ridge that displaced SAM along the flat direction (steady-state gap up to 35
    beta^3 rho^2 eta^2 at kappa = 1000).  Hessian diag(b0, mu) + c sech^2(z) v v^T, v = (1, -eps),
    increasing in sech^2 in the Loewner order, so beta = lambda_max(diag(b0, mu) + c v v^T)
    (attained on the line z = 0) and the strong-convexity modulus is min(b0, mu) (approached
    as |z| -> infinity).  x* = (-c tau/b0, c eps tau/mu) where tau = tanh(z*) is the unique root
    of tau = tanh(-a tau - s), a = c (1/b0 + eps^2/mu) (monotone; bisection to machine precision).
    """

    family = "kappa-adversarial"
    _arrays = ("_b0", "_mu2", "_c", "_eps", "_s")

    def __init__(self, mu: Any = 1e-3, b0: Any = 0.5, c: Any = 0.5, eps: Any = 0.05, shift: Any = 0.66) -> None:
        sizes = {np.size(q) for q in (mu, b0, c, eps, shift)} - {1}
        F = sizes.pop() if len(sizes) == 1 else (1 if not sizes else 0)
        if F == 0:
            raise InvalidParameterError("parameters", "arrays of different sizes", "scalars or arrays of one size F")
        mu, b0, c = (_per_function(n, q, F) for n, q in (("mu", mu), ("b0", b0), ("c", c)))
        eps, s = _per_function("eps", eps, F), _per_function("shift", shift, F)
        if np.any(mu <= 0) or np.any(b0 <= 0) or np.any(c <= 0):
            raise InvalidParameterError("mu, b0, c", (mu, b0, c), "finite numbers > 0")
        top = np.zeros((F, 2, 2))
        top[:, 0, 0], top[:, 1, 1] = b0, mu
        vv = np.stack([np.ones(F), -eps], axis=1)
        beta = np.linalg.eigvalsh(top + c[:, None, None] * vv[:, :, None] * vv[:, None, :])[:, -1]
        tau = _root(c * (1 / b0 + eps**2 / mu), s)
        x_star = np.stack([-c * tau / b0, c * eps * tau / mu], axis=1)
        self._b0, self._mu2, self._c, self._eps, self._s = b0, mu, c, eps, s
        f_star = self._value_np(x_star)
        self._declare(n_functions=F, dim=2, beta=beta, mu=np.minimum(b0, mu), f_star=f_star, x_star=x_star)

    def _value_np(self, x):
        z = x[:, 0] - self._eps * x[:, 1] - self._s
        return (self._b0 * x[:, 0] ** 2 + self._mu2 * x[:, 1] ** 2) / 2 + self._c * logcosh(ops(x), z)

    def _p(self, x):
        return (lead(q, x) for q in (self._b0, self._mu2, self._c, self._eps, self._s))

    def value(self, x):
        b0, mu, c, eps, s = self._p(x)
        z = x[..., 0] - eps * x[..., 1] - s
        return (b0 * x[..., 0] ** 2 + mu * x[..., 1] ** 2) / 2 + c * logcosh(ops(x), z)

    def grad(self, x):
        xp = ops(x)
        b0, mu, c, eps, s = self._p(x)
        t = c * xp.tanh(x[..., 0] - eps * x[..., 1] - s)
        return xp.stack([b0 * x[..., 0] + t, mu * x[..., 1] - eps * t])


def _root(a: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The root of phi(tau) = tau - tanh(-a tau - s) in (-1, 1) (phi increasing), by bisection."""
    lo, hi = -np.ones_like(a), np.ones_like(a)
    for _ in range(200):
        mid = (lo + hi) / 2
        neg = mid - np.tanh(-a * mid - s) < 0
        lo, hi = np.where(neg, mid, lo), np.where(neg, hi, mid)
    return (lo + hi) / 2
