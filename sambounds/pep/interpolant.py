"""The constructive interpolant of a PEP solution: an explicit function of the class.

Reconstruction (constructive side of Taylor, Hendrickx & Glineur 2017, Theorem 4).  Given
points x_i, gradients g_i and values f_i in R^d, let sigma be the curvature lower bound of
the class (mu for convex classes, -beta for smooth nonconvex ones) and L' = beta - sigma > 0.
The shifted data

    gamma_i = g_i - sigma x_i,   phi_i = f_i - sigma ||x_i||^2 / 2

belong to an L'-smooth convex h = f - sigma ||.||^2/2.  Interpolating the conjugate h*
(which is 1/L'-strongly convex) by the largest such function through its data and
conjugating back gives, with s_i = x_i - gamma_i / L' and
kappa_i = ||gamma_i||^2 / (2 L') - phi_i,

    h(x) = min over lambda in the simplex of  (L'/2) ||x - S lambda||^2 - kappa^T lambda,
    grad h(x) = L' (x - S lambda*),

and f = h + sigma ||.||^2/2 is beta-smooth with curvature >= sigma and takes the data
values and gradients exactly when the interpolation conditions hold.  It is a function of
the class whatever the data; when the data violate the conditions by delta (an SDP solved to
accuracy delta), it misses their gradients by O(sqrt(beta delta)), which is why a witness
replays its PEP value only to O(sqrt(solver accuracy)) (see
:func:`sambounds.check.witness.tolerance`).
Each evaluation is a small quadratic program over the simplex, solved exactly by active sets
(:mod:`sambounds.pep.simplex_qp`).
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidParameterError
from ..functions.base import Objective
from .simplex_qp import simplex_qp


class InterpolatedFunction(Objective):
    """The beta-smooth function with curvature >= sigma through the data (F = 1 function).

    Parameters
    ----------
    points, gradients : arrays (n, d);  values : array (n,)
    beta : smoothness;  sigma : curvature lower bound (mu >= 0, or -beta when nonconvex)
    """

    family = "pep-witness"

    def __init__(self, points, gradients, values, beta: float, sigma: float,
                 f_star: float | None = None, x_star=None):
        X = np.array(points, dtype=float)
        Gd = np.array(gradients, dtype=float)
        fv = np.array(values, dtype=float)
        if X.ndim != 2 or Gd.shape != X.shape or fv.shape != X.shape[:1]:
            raise InvalidParameterError("points", X.shape, "points and gradients (n, d), values (n,)")
        if not (np.isfinite(beta) and beta > 0 and np.isfinite(sigma) and -beta <= sigma < beta):
            raise InvalidParameterError("sigma", sigma, f"a number in [-beta, beta) = [{-beta:g}, {beta:g})",
                                        "the curvature lower bound must leave beta - sigma > 0")
        self.sigma = float(sigma)
        self._declare(n_functions=1, dim=X.shape[1], beta=beta, mu=sigma if sigma >= 0 else None,
                      f_star=f_star, x_star=x_star)
        Lp = beta - sigma
        gamma = Gd - sigma * X
        phi = fv - sigma * np.sum(X * X, axis=1) / 2
        self._Lp = Lp
        self._S = X - gamma / Lp                                              # (n, d)
        self._kappa = -phi + np.sum(gamma * gamma, axis=1) / (2 * Lp)

    def value(self, x: np.ndarray) -> np.ndarray:
        return self._eval(x)[0]

    def grad(self, x: np.ndarray) -> np.ndarray:
        return self._eval(x)[1]

    def infimum(self) -> float:
        """inf f in closed form.

        For sigma < 0, f(x) = min_lambda (L'/2)||x - S lambda||^2 + (sigma/2)||x||^2 - kappa^T lambda;
        minimizing in x first (strongly convex, curvature beta) leaves
        (L' sigma / (2 beta)) ||S lambda||^2 - kappa^T lambda, concave in lambda: its minimum
        over the simplex is at a vertex.  For the nonconvex class (sigma = -beta, L' = 2 beta)
        the vertex i gives exactly f_i - ||g_i||^2 / (2 beta), so

            inf f = min_i ( f_i - ||g_i||^2 / (2 beta) ),

        the smallest value the descent lemma allows from the data: the PEP's rows
        f_i - f_low >= ||g_i||^2 / (2 beta) say inf f >= f_low, with equality only when one
        of them is tight.  For sigma >= 0 it is the declared f_star.
        """
        beta = float(self.beta[0])
        if self.sigma < 0:
            return float(np.min(self._Lp * self.sigma / (2 * beta) * np.sum(self._S ** 2, axis=1) - self._kappa))
        if self.f_star is not None:
            return float(self.f_star[0])
        raise InvalidParameterError("f_star", None, "a known minimum value for a convex witness")

    def minimum(self) -> tuple[np.ndarray, float]:
        """(x_hat, f(x_hat)): a minimizer of the interpolant and its value, for sigma >= 0.

        Why not the declared x* = 0: the data come from an SDP solved to a tolerance, so the
        interpolant through them is a function of the class whose own minimizer is only near
        0, and a measure taken against x* = 0, f* = 0 can exceed what the function attains.

        With h(x) = min_lambda (L'/2)||x - S^T lambda||^2 - kappa^T lambda, minimizing
        f = h + sigma||x||^2/2 in x first (curvature L' + sigma = beta) gives
        x = (L'/beta) S^T lambda and leaves (L' sigma/(2 beta)) ||S^T lambda||^2 - kappa^T lambda:

        - sigma > 0: a strictly convex QP over the simplex (solved by :func:`simplex_qp`),
          x_hat = (L'/beta) S^T lambda*;
        - sigma = 0: linear, minimized at the vertex i* = argmax kappa_i, x_hat = s_{i*}.

        A vertex is tested first by the exact KKT conditions (the common case: the PEP's x*).

        The value is evaluated on the function itself at x_hat.
        """
        if self.sigma < 0:
            raise InvalidParameterError("sigma", self.sigma, "a number >= 0 (a convex interpolant)",
                                        "a nonconvex interpolant need not have a minimizer; use infimum()")
        beta = float(self.beta[0])
        c = self._Lp * self.sigma / beta
        S, kappa = self._S, self._kappa
        # a vertex e_j is optimal iff c s_i.s_j - kappa_i >= c ||s_j||^2 - kappa_j for all i
        # (the simplex KKT conditions); a PEP witness's minimizer is the vertex x* (s_* = 0)
        vertex = c / 2 * np.sum(S * S, axis=1) - kappa
        lam = None
        for j in np.flatnonzero(vertex == vertex.min())[::-1]:
            if np.all(c * (S @ S[j]) - kappa >= c * float(S[j] @ S[j]) - kappa[j]):
                lam = np.zeros(len(kappa))
                lam[j] = 1.0
                break
        if lam is None:
            lam = simplex_qp(S, kappa, c)
        x_hat = (self._Lp / beta) * (S.T @ lam)
        return x_hat, float(self._one(x_hat)[0])

    def _eval(self, x: np.ndarray):
        x = np.asarray(x, dtype=float)
        if x.shape[0] != 1 or x.shape[-1] != self.dim:
            raise InvalidParameterError("x", x.shape, f"an array of shape (1, ..., {self.dim})")
        flat = x.reshape(-1, self.dim)
        vals = np.empty(flat.shape[0])
        grads = np.empty_like(flat)
        for r, point in enumerate(flat):
            vals[r], grads[r] = self._one(point)
        return vals.reshape(x.shape[:-1]), grads.reshape(x.shape)

    def _one(self, x: np.ndarray):
        # centred at x: only the differences s_i - x enter, never large coordinates themselves
        U = self._S - x
        lam = simplex_qp(U, self._kappa, self._Lp)
        v = U.T @ lam                                                      # S^T lambda - x
        h = self._Lp / 2 * float(v @ v) - float(self._kappa @ lam)
        return h + self.sigma / 2 * float(x @ x), -self._Lp * v + self.sigma * x
