"""Finite sums with exact, x-independent gradient noise: quadratic components and linear noise.

Both families are sums f = sum_j p_j l_j whose component gradients differ from grad f by a
constant vector, grad l_j(x) - grad f(x) = s_j with sum_j p_j s_j = 0.  The gradient noise of
one sampled component is then the same at every x,

    E_j ||grad l_j(x) - grad f(x)||^2 = sum_j p_j ||s_j||^2 = sigma^2,

so the declared sigma is exact and global: the assumption of the stochastic theorems S-SC and
S-NC (docs/theory.md section 4) holds with equality everywhere.  Finite sums whose component Hessians
differ have noise growing like ||x||, with no global sigma; they are deliberately not offered.

- :class:`QuadraticFiniteSum`: l_j(x) = (1/2)(x - c_j)^T H (x - c_j) with one Hessian H per
  function (rotated and ill-conditioned at will, :meth:`~QuadraticFiniteSum.with_spectrum`);
  s_j = H (cbar - c_j).
- :class:`LinearNoise`: l_j(x) = phi(x) + <s_j, x> for any deterministic family phi, e.g. the
  L-SC profile (curvature beta near the optimum, mu far away) or an attracting non-stationary
  point (L-NC): the stochastic versions of the lower-bound constructions.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError
from ._xp import lead, ops
from .base import Objective, StochasticObjective, _per_function
from .quadratic import Quadratic, haar_rotations


def _rows(name: str, value: Any, F: int, d: int) -> np.ndarray:
    """An (F, n, d) array from (F, n, d) or (n, d) input."""
    a = v.finite_array(name, value)
    a = a[None] if a.ndim == 2 else a
    if a.ndim != 3 or a.shape[2] != d or a.shape[0] not in (1, F):
        raise InvalidParameterError(name, f"array of shape {a.shape}", f"shape ({F}, n, {d}) or (n, {d})")
    return np.broadcast_to(a, (F,) + a.shape[1:]).copy()


def _per_row(name: str, value: Any, F: int, d: int) -> np.ndarray:
    """An (F, d) array from (F, d) or (d,) input."""
    a = v.finite_array(name, value)
    if a.shape not in ((d,), (1, d), (F, d)):
        raise InvalidParameterError(name, f"array of shape {a.shape}", f"shape ({F}, {d}) or ({d},)")
    return np.broadcast_to(a, (F, d)).copy()


def _probs(probs: Any, F: int, n: int) -> np.ndarray:
    """(F, n) sampling probabilities: uniform 1/n when None, else rows >= 0 summing to 1."""
    if probs is None:
        return np.full((F, n), 1.0 / n)
    p = v.finite_array("probs", probs)
    if p.ndim not in (1, 2) or p.shape[-1] != n or (p.ndim == 2 and p.shape[0] not in (1, F)):
        raise InvalidParameterError("probs", f"array of shape {p.shape}", f"shape ({F}, {n}) or ({n},)")
    p = np.broadcast_to(p, (F, n))
    if np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12):
        raise InvalidParameterError("probs", p, "probabilities >= 0 with rows summing to 1")
    return p


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64, copy=True)
    a.setflags(write=False)
    return a


class QuadraticFiniteSum(StochasticObjective):
    """f = sum_j p_j l_j,  l_j(x) = (1/2)(x - c_j)^T H (x - c_j), one Hessian H per function.

    With cbar = sum_j p_j c_j and delta_j = c_j - cbar (so sum_j p_j delta_j = 0),

        f(x) = (1/2)(x - cbar)^T H (x - cbar) + f*,   f* = (1/2) sum_j p_j delta_j^T H delta_j,
        grad l_j(x) - grad f(x) = -H delta_j,          sigma^2 = sum_j p_j ||H delta_j||^2 (every x).

    Declared: beta = lambda_max(H) (also the smoothness of every component, m-SAM's assumption:
    all components share H), mu = lambda_min(H) (0 when H is singular: convex), x* = cbar.

    Parameters
    ----------
    H : array_like (F, d, d) or (d, d)
        Symmetric positive semidefinite Hessians.
    centers : array_like (F, n, d) or (n, d)
        The component minimizers c_j.
    probs : array_like (F, n) or (n,), optional
        Sampling probabilities p_j (default uniform).
    spectrum : array_like (F, d), optional
        The known eigenvalues of H (instead of a numerical eigensolve).
    """

    family = "quadratic-sum"
    _arrays = ("H", "centers", "_cbar", "_offset")

    def __init__(self, H: Any, centers: Any, probs: Any = None, *, spectrum: Any = None) -> None:
        q = Quadratic(H, spectrum=spectrum)   # validates symmetry and semidefiniteness
        F, d = q.n_functions, q.dim
        c = _rows("centers", centers, F, d)
        p = _probs(probs, F, c.shape[1])
        cbar = np.einsum("fn,fnd->fd", p, c)
        delta = c - cbar[:, None, :]
        h_delta = delta @ q.H                 # rows (H delta_j)^T: H is symmetric
        f_star = 0.5 * np.einsum("fn,fnd,fnd->f", p, delta, h_delta)
        sigma = np.sqrt(np.einsum("fn,fnd,fnd->f", p, h_delta, h_delta))
        self.H, self.spectrum, self.centers = q.H, q.spectrum, _frozen(c)
        self._cbar, self._offset = _frozen(cbar), _frozen(f_star)
        self._declare(n_functions=F, dim=d, beta=q.beta, mu=q.mu, f_star=f_star, x_star=cbar)
        self._declare_components(p, sigma=sigma, component_beta=q.beta)

    @classmethod
    def with_spectrum(cls, spectrum: Any, sigma: Any, *, noise: Any = None, rotation_seed: Any = None,
                      center: Any = None) -> "QuadraticFiniteSum":
        """H = Q diag(lambda) Q^T and 2d centers c = cbar +- a_i q_i, sampled uniformly.

        The noise of a sample is +-a_i lambda_i q_i: along eigenvector q_i, with the share
        ``noise_i`` of sigma^2 (a_i = sigma sqrt(d noise_i)/lambda_i), so
        sigma^2 = (1/d) sum_i (a_i lambda_i)^2 exactly and f* = (sigma^2/2) sum_i noise_i/lambda_i.
        Putting the noise on the top eigenvector makes the gap of SGD-type methods largest
        (its stationary value is sum_i eta sigma^2 noise_i / (2 (2 - eta lambda_i)) at rho = 0).

        Parameters
        ----------
        spectrum : array_like (F, d) or (d,)
            Eigenvalues lambda_i >= 0.
        sigma : float or array_like (F,)
            Noise level >= 0.
        noise : array_like (F, d) or (d,), optional
            Nonnegative shares of sigma^2 per eigenvector (normalized to sum 1; default equal
            shares).
        rotation_seed : int, optional
            Q Haar-random from this seed (:func:`~.quadratic.haar_rotations`); None: Q = I.
        center : array_like (F, d) or (d,), optional
            cbar = x* (default 0).

        Raises
        ------
        InvalidParameterError
            A negative eigenvalue or sigma, shares that are negative or all zero, a share on a
            zero eigenvalue (an infinite center), or on an eigenvalue so small against
            lambda_max that the rounding of the rotated H changes sigma by more than 1e-9 relative.
        """
        lam = v.finite_array("spectrum", spectrum)
        lam = lam[None] if lam.ndim == 1 else lam
        if lam.ndim != 2 or np.any(lam < 0):
            raise InvalidParameterError("spectrum", lam, "eigenvalues >= 0 in an array of shape (F, d) or (d,)")
        F, d = lam.shape
        sig = _per_function("sigma", sigma, F, low=0.0)
        w = np.full((F, d), 1.0 / d) if noise is None else _per_row("noise", noise, F, d)
        total = w.sum(axis=1, keepdims=True)
        if np.any(w < 0) or np.any(total <= 0):
            raise InvalidParameterError("noise", w, "nonnegative shares with a positive sum per function")
        w = w / total
        if np.any((w > 0) & (lam == 0)):
            raise InvalidParameterError("noise", w, "shares 0 on the zero eigenvalues of spectrum")
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(w > 0, sig[:, None] * np.sqrt(d * w) / np.where(lam > 0, lam, 1.0), 0.0)
        Q = np.broadcast_to(np.eye(d), (F, d, d)) if rotation_seed is None else haar_rotations(F, d, rotation_seed)
        H = np.einsum("fij,fj,fkj->fik", Q, lam, Q)
        cbar = np.zeros((F, d)) if center is None else _per_row("center", center, F, d)
        arms = Q.swapaxes(1, 2) * a[:, :, None]                       # row i: a_i q_i
        centers = np.stack([cbar[:, None, :] + arms, cbar[:, None, :] - arms], axis=2).reshape(F, 2 * d, d)
        f = cls(H, centers, spectrum=lam)
        # a share on lambda_i << lambda_max puts centers at sigma/lambda_i, where the rounding of
        # the rotated H (relative 1e-16 of lambda_max) adds noise of its own
        bad = np.flatnonzero(np.abs(f.sigma - sig) > 1e-9 * sig)
        if bad.size:
            i = int(bad[0])
            raise InvalidParameterError(f"noise[{i}]", w[i].tolist(),
                                        "shares on eigenvalues large enough for the requested sigma to survive "
                                        "rounding", f"the centers give sigma = {f.sigma[i]:g} instead of {sig[i]:g}")
        return f

    def value(self, x):
        r = x - lead(self._cbar, x)
        return 0.5 * ops(x).vdot(r, self._hx(r)) + lead(self._offset, x)

    def grad(self, x):
        return self._hx(x - lead(self._cbar, x))

    def value_and_grad(self, x):
        r = x - lead(self._cbar, x)
        g = self._hx(r)
        return 0.5 * ops(x).vdot(r, g) + lead(self._offset, x), g

    def component_grad(self, x, idx):
        # the minibatch mean of H (x - c_j) is H (x - mean of the sampled c_j)
        xp = ops(x)
        c = xp.sum(xp.take(self.centers, idx), axis=-2) / idx.shape[-1]
        return self._hx(x - c)

    def _hx(self, r):
        F, d = self.H.shape[0], self.H.shape[-1]
        return (r.reshape(F, -1, d) @ self.H).reshape(r.shape)


class LinearNoise(StochasticObjective):
    """l_j(x) = phi(x) + <s_j, x> with sum_j p_j s_j = 0: f = phi, with exact constant noise.

    grad l_j - grad f = s_j, so sigma^2 = sum_j p_j ||s_j||^2 at every x.  Each component has the
    Hessian of phi, so beta, mu, L, f*, x* (and the region where they hold) are phi's, and every
    component is beta-smooth (m-SAM's assumption).  With a 1-D L-SC profile phi this is a
    piecewise-quadratic finite sum with curvature beta near the optimum and mu far away; with
    two-point shifts (:meth:`two_point`) it is the L-S mechanism (a biased perturbation sign,
    docs/theory.md section 5) on any phi.

    Parameters
    ----------
    base : Objective
        A deterministic family (not itself a finite sum).
    shifts : array_like (F, n, d) or (n, d)
        The s_j; their p-weighted mean must vanish (to 1e-12 relative; the rounding residue is
        removed so that the components average to grad phi).
    probs : array_like (F, n) or (n,), optional
        Sampling probabilities (default uniform).
    """

    family = "linear-noise"
    _arrays = ("shifts",)

    def __init__(self, base: Objective, shifts: Any, probs: Any = None) -> None:
        if not isinstance(base, Objective) or isinstance(base, StochasticObjective):
            raise InvalidParameterError("base", base, "a deterministic sambounds Objective")
        F, d = base.n_functions, base.dim
        s = _rows("shifts", shifts, F, d)
        p = _probs(probs, F, s.shape[1])
        mean = np.einsum("fn,fnd->fd", p, s)
        scale = np.abs(s).max(axis=(1, 2))
        if np.any(np.abs(mean).max(axis=1) > 1e-12 * scale):
            i = int(np.argmax(np.abs(mean).max(axis=1) / np.maximum(scale, 1e-300)))
            raise InvalidParameterError(f"shifts[{i}]", f"p-weighted mean {mean[i].tolist()}",
                                        "shifts with sum_j p_j s_j = 0 (else f is not the base function)")
        s = s - mean[:, None, :]
        self.base, self.shifts = base, _frozen(s)
        self._declare(n_functions=F, dim=d, beta=base.beta, mu=base.mu, L=base.L, f_star=base.f_star,
                      x_star=base.x_star, region=base.region)
        self._declare_components(p, sigma=np.sqrt(np.einsum("fn,fnd,fnd->f", p, s, s)), component_beta=base.beta)

    @classmethod
    def two_point(cls, base: Objective, sigma: Any, p: Any = 0.5, direction: Any = None) -> "LinearNoise":
        """Shifts +A u (probability p) and -B u (probability 1 - p), the L-S pattern.

        A = sigma sqrt((1 - p)/p), B = sigma sqrt(p/(1 - p)): then p A = (1 - p) B (mean 0) and
        p A^2 + (1 - p) B^2 = sigma^2.  p < 1/2 biases the sign of a sampled gradient against the
        rare large shift.  ``direction`` u: (F, d) or (d,), normalized (default e_1).
        """
        if not isinstance(base, Objective):
            raise InvalidParameterError("base", base, "a deterministic sambounds Objective")
        F, d = base.n_functions, base.dim
        sig = _per_function("sigma", sigma, F, low=0.0)
        p = _per_function("p", p, F)
        if np.any((p <= 0) | (p >= 1)):
            raise InvalidParameterError("p", p, "probabilities in (0, 1)")
        u = _per_row("direction", np.eye(d)[0] if direction is None else direction, F, d)
        norm = np.linalg.norm(u, axis=1, keepdims=True)
        if np.any(norm == 0):
            raise InvalidParameterError("direction", u, "nonzero vectors")
        u = u / norm
        A, B = sig * np.sqrt((1 - p) / p), sig * np.sqrt(p / (1 - p))
        shifts = np.stack([A[:, None] * u, -B[:, None] * u], axis=1)
        return cls(base, shifts, np.stack([p, 1 - p], axis=1))

    def map_arrays(self, fn: Callable[[np.ndarray], Any]) -> "LinearNoise":
        clone = super().map_arrays(fn)
        object.__setattr__(clone, "base", self.base.map_arrays(fn))
        return clone

    def value(self, x):
        return self.base.value(x)

    def grad(self, x):
        return self.base.grad(x)

    def value_and_grad(self, x):
        return self.base.value_and_grad(x)

    def component_grad(self, x, idx):
        xp = ops(x)
        return self.base.grad(x) + xp.sum(xp.take(self.shifts, idx), axis=-2) / idx.shape[-1]
