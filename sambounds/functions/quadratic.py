"""Quadratics f_i(x) = (1/2) (x - c_i)^T H_i (x - c_i) with H_i symmetric positive semidefinite.

Constants: beta = lambda_max(H), mu = lambda_min(H) (0 when singular: convex), f* = 0,
x* = c.  L is infinite (None).  Rotated quadratics H = Q diag(lambda) Q^T with a Haar-random
orthogonal Q avoid the subnormal freezing of axis-aligned ones (docs/theory.md section 7).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError
from ._xp import lead, ops
from .base import Objective


class Quadratic(Objective):
    """A batch of F quadratics in dimension d: ``H`` has shape (F, d, d), ``center`` (F, d).

    Parameters
    ----------
    H : array_like (F, d, d) or (d, d)
        Symmetric positive semidefinite Hessians (checked to 1e-12 relative).
    center : array_like (F, d) or (d,), optional
        Minimizers c_i (default 0).
    spectrum : array_like (F, d), optional
        The known eigenvalues of H (used for beta and mu instead of a numerical eigensolve;
        the constructors below pass it).
    """

    family = "quadratic"
    _arrays = ("H", "center")

    def __init__(self, H: Any, center: Any = None, *, spectrum: Any = None) -> None:
        H = v.finite_array("H", H)
        if H.ndim == 2:
            H = H[None]
        if H.ndim != 3 or H.shape[1] != H.shape[2]:
            raise InvalidParameterError("H", f"array of shape {H.shape}", "an array of shape (F, d, d)")
        F, d = H.shape[0], H.shape[1]
        scale = max(float(np.abs(H).max()), 1e-300)
        if not np.allclose(H, np.swapaxes(H, 1, 2), rtol=0, atol=1e-12 * scale):
            raise InvalidParameterError("H", "a non-symmetric matrix", "symmetric matrices")
        H = 0.5 * (H + np.swapaxes(H, 1, 2))
        lam = np.linalg.eigvalsh(H) if spectrum is None else np.sort(v.finite_array("spectrum", spectrum), axis=-1)
        if lam.shape != (F, d):
            raise InvalidParameterError("spectrum", f"array of shape {lam.shape}", f"shape ({F}, {d})")
        if np.any(lam[:, 0] < -1e-12 * scale):
            i = int(np.flatnonzero(lam[:, 0] < -1e-12 * scale)[0])
            raise InvalidParameterError(f"H[{i}]", f"lambda_min = {lam[i, 0]:g}", "a positive semidefinite matrix")
        center = np.zeros((F, d)) if center is None else np.broadcast_to(
            v.finite_array("center", center), (F, d)).copy()
        H.setflags(write=False)
        center.setflags(write=False)
        self.H, self.center, self.spectrum = H, center, lam
        self._centered = not np.any(center)
        self._declare(n_functions=F, dim=d, beta=lam[:, -1], mu=np.maximum(lam[:, 0], 0.0), f_star=0.0,
                      x_star=center)

    @classmethod
    def diagonal(cls, spectrum: Any, center: Any = None) -> "Quadratic":
        """H_i = diag(spectrum_i); ``spectrum`` has shape (F, d) or (d,)."""
        lam = _spectrum(spectrum)
        H = np.zeros(lam.shape + lam.shape[-1:])
        idx = np.arange(lam.shape[1])
        H[:, idx, idx] = lam
        return cls(H, center, spectrum=lam)

    @classmethod
    def rotated(cls, spectrum: Any, seed: Any = None, center: Any = None) -> "Quadratic":
        """H_i = Q_i diag(spectrum_i) Q_i^T with Q_i Haar-random orthogonal (QR of a Gaussian, sign-fixed)."""
        lam = _spectrum(spectrum)
        Q = haar_rotations(*lam.shape, seed)
        H = np.einsum("fij,fj,fkj->fik", Q, lam, Q)
        return cls(H, center, spectrum=lam)

    @classmethod
    def with_spectrum(cls, *, beta: float, mu: float, dim: int, n_functions: int = 1, seed: Any = None,
                      spacing: str = "linear", rotate: bool = True) -> "Quadratic":
        """Eigenvalues from mu to beta (both attained), ``"linear"`` or ``"log"`` spaced; rotated by default."""
        beta = v.positive("beta", beta)
        mu = v.real("mu", mu, low=0.0, high=beta, allowed=f"a finite number in [0, beta] = [0, {beta:g}]")
        d = v.positive_int("dim", dim)
        if spacing == "linear":
            lam = np.linspace(mu, beta, d)
        elif spacing == "log":
            if mu == 0:
                raise InvalidParameterError("mu", mu, "a number > 0 for spacing='log'")
            lam = np.geomspace(mu, beta, d)
        else:
            raise InvalidParameterError("spacing", spacing, "'linear' or 'log'")
        lam[0], lam[-1] = mu, beta
        lam = np.broadcast_to(lam, (v.positive_int("n_functions", n_functions), d))
        return cls.rotated(lam, seed) if rotate else cls.diagonal(lam)

    def _residual(self, x, work=None):
        """r = x - c; x itself when every c_i = 0 (x - 0 = x exactly, so no pass is spent on it)."""
        if self._centered:
            return x
        return ops(x).sub(x, lead(self.center, x), out=work)

    def _hx(self, r, out=None):
        """H_i r for every point of the batch: one batched (F, n, d) @ (F, d, d) product (H is symmetric)."""
        F, d = self.H.shape[0], self.H.shape[-1]
        xp = ops(r)
        if out is None or not xp.contiguous(out):
            return (r.reshape(F, -1, d) @ self.H).reshape(r.shape)
        xp.matmul(r.reshape(F, -1, d), self.H, out=out.reshape(F, -1, d))
        return out

    def value(self, x):
        r = self._residual(x)
        return 0.5 * ops(x).vdot(r, self._hx(r))

    def grad(self, x):
        return self._hx(self._residual(x))

    def value_and_grad(self, x):
        return self.value_and_grad_into(x, None)

    def grad_into(self, x, out, work=None):
        return self._hx(self._residual(x, work), out)

    def value_and_grad_into(self, x, out, work=None):
        r = self._residual(x, work)
        g = self._hx(r, out)
        return 0.5 * ops(x).vdot(r, g), g


def haar_rotations(F: int, d: int, seed: Any = None) -> np.ndarray:
    """F Haar-random orthogonal d x d matrices, shape (F, d, d): QR of a Gaussian, sign-fixed.

    Fixing the signs of R's diagonal makes Q Haar-distributed (Mezzadri, *How to generate random
    matrices from the classical compact groups*, 2007); the stream of ``default_rng(seed)`` is
    stable, so a seed names the same rotations on every platform.
    """
    Z = np.random.default_rng(seed).standard_normal((F, d, d))
    Q, R = np.linalg.qr(Z)
    return Q * np.sign(np.diagonal(R, axis1=1, axis2=2))[:, None, :]


def _spectrum(spectrum: Any) -> np.ndarray:
    lam = v.finite_array("spectrum", spectrum)
    lam = lam[None] if lam.ndim == 1 else lam
    if lam.ndim != 2:
        raise InvalidParameterError("spectrum", f"array of shape {lam.shape}", "shape (F, d) or (d,)")
    if np.any(lam < 0):
        raise InvalidParameterError("spectrum", float(lam.min()), "eigenvalues >= 0")
    return lam
