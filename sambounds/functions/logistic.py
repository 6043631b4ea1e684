"""L2-regularised logistic regression on a data set, as a finite sum (one component per sample).

f(x) = (1/n) sum_j l_j(x),  l_j(x) = log(1 + exp(-y_j a_j^T x)) + (lam/2) ||x||^2,  y_j in {-1, +1}.

Constants (computed from the data): the Hessian (1/n) A^T diag(s_j (1 - s_j)) A + lam I with
s (1 - s) <= 1/4 gives beta = ||A||_2^2/(4n) + lam, mu = lam; every component is
(||a_j||^2/4 + lam)-smooth; the per-sample gradient noise satisfies
E_j ||grad l_j - grad f||^2 <= E_j ||y_j a_j s_j||^2 <= (1/n) sum_j ||a_j||^2 = sigma^2.
x* and f* are computed by damped Newton's method to machine precision (lam > 0 makes f strongly
convex; with lam = 0 they are declared only when Newton converges, i.e. the data are not
separable).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError
from ._xp import lead, ops
from .base import StochasticObjective, _per_function


def _sigmoid(xp, t):
    return 0.5 * (1.0 + xp.tanh(0.5 * t))


class LogisticRegression(StochasticObjective):
    """Data ``A`` of shape (F, n, d) and labels ``y`` of shape (F, n) in {-1, +1}; uniform sampling."""

    family = "logistic"
    _arrays = ("A", "y", "_lam")

    def __init__(self, A: Any, y: Any, lam: Any = 1e-2) -> None:
        A = v.finite_array("A", A)
        A = A[None] if A.ndim == 2 else A
        if A.ndim != 3:
            raise InvalidParameterError("A", f"array of shape {A.shape}", "shape (F, n, d) or (n, d)")
        F, n, d = A.shape
        y = v.finite_array("y", np.broadcast_to(np.asarray(y, dtype=float), (F, n)) if np.ndim(y) else y)
        if y.shape != (F, n) or not np.all(np.abs(y) == 1):
            raise InvalidParameterError("y", f"array of shape {y.shape}", f"labels in {{-1, +1}} of shape ({F}, {n})")
        lam = _per_function("lam", lam, F)
        if np.any(lam < 0):
            raise InvalidParameterError("lam", lam, "numbers >= 0")
        self.A, self.y, self._lam = A, y, lam
        beta = np.linalg.norm(A, ord=2, axis=(1, 2)) ** 2 / (4 * n) + lam
        x_star = _newton(A, y, lam)
        f_star = None if x_star is None else self.value(x_star[:, None, :])[:, 0]
        self._declare(n_functions=F, dim=d, beta=beta, mu=lam, f_star=f_star, x_star=x_star)
        self._declare_components(np.full(n, 1.0 / n), sigma=np.sqrt(np.mean(np.sum(A * A, axis=2), axis=1)),
                                 component_beta=np.max(np.sum(A * A, axis=2), axis=1) / 4 + lam)

    @classmethod
    def synthetic(cls, *, n_samples: int, dim: int, n_functions: int = 1, lam: float = 1e-2,
                  flip: float = 0.1, seed: Any = None) -> "LogisticRegression":
        """Gaussian features, labels sign(a^T w) of a Gaussian w, each flipped with probability ``flip``."""
        n, d, F = (v.positive_int(k, x) for k, x in (("n_samples", n_samples), ("dim", dim),
                                                      ("n_functions", n_functions)))
        flip = v.real("flip", flip, low=0.0, high=0.5)
        rng = np.random.default_rng(seed)
        A = rng.standard_normal((F, n, d)) / np.sqrt(d)
        w = rng.standard_normal((F, d))
        y = np.where(np.einsum("fnd,fd->fn", A, w) >= 0, 1.0, -1.0)
        y = np.where(rng.random((F, n)) < flip, -y, y)
        return cls(A, y, lam)

    def _margins(self, x):
        F, n, d = self.A.shape
        z = (x.reshape(F, -1, d) @ self.A.swapaxes(1, 2)).reshape(tuple(x.shape[:-1]) + (n,))
        return lead(self.y, x) * z

    def value(self, x):
        xp = ops(x)
        m = self._margins(x)
        loss = xp.sum(xp.logaddexp(xp.zeros_like(m), -m), axis=-1) / m.shape[-1]
        return loss + lead(self._lam, x) * xp.sumsq(x) / 2

    def grad(self, x):
        xp = ops(x)
        F, n, d = self.A.shape
        coef = -lead(self.y, x) * _sigmoid(xp, -self._margins(x)) / n
        return (coef.reshape(F, -1, n) @ self.A).reshape(x.shape) + lead(self._lam, x)[..., None] * x

    def component_grad(self, x, idx):
        xp = ops(x)
        a = xp.take(self.A, idx)                       # (F, ..., b, d)
        y = xp.take(self.y, idx)                       # (F, ..., b)
        m = y * xp.vdot(a, x[..., None, :])
        coef = -y * _sigmoid(xp, -m)
        return xp.sum(coef[..., None] * a, axis=-2) / idx.shape[-1] + lead(self._lam, x)[..., None] * x


def _newton(A: np.ndarray, y: np.ndarray, lam: np.ndarray, iters: int = 100) -> np.ndarray | None:
    """Minimizers of every f_i by Newton's method with backtracking (None if one does not converge)."""
    F, n, d = A.shape
    x = np.zeros((F, d))
    obj = LogisticRegression.__new__(LogisticRegression)
    obj.A, obj.y, obj._lam = A, y, lam
    for _ in range(iters):
        g = obj.grad(x[:, None, :])[:, 0]
        if np.all(np.linalg.norm(g, axis=1) <= 1e-15 * (1 + np.linalg.norm(A, axis=(1, 2)))):
            return x
        s = _sigmoid(np, np.einsum("fnd,fd->fn", A, x) * y)
        H = np.einsum("fnd,fn,fne->fde", A, s * (1 - s) / n, A) + lam[:, None, None] * np.eye(d)
        try:
            step = np.linalg.solve(H, g[..., None])[..., 0]
        except np.linalg.LinAlgError:
            return None
        t = np.ones(F)
        f0 = obj.value(x[:, None, :])[:, 0]
        for _ in range(50):
            worse = obj.value((x - t[:, None] * step)[:, None, :])[:, 0] > f0 + 1e-15 * np.abs(f0)
            if not worse.any():
                break
            t = np.where(worse, t / 2, t)
        x = x - t[:, None] * step
    g = obj.grad(x[:, None, :])[:, 0]
    return x if np.all(np.linalg.norm(g, axis=1) <= 1e-10) else None
