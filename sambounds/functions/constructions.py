"""The lower-bound constructions L-SC, L-NC and L-S of docs/theory.md section 5.

L-SC and L-NC are 1-D profiles applied to every coordinate (f(x) = sum_i phi(x_i)), so the
declared constants of the profile hold for the sum.  L-S is one-dimensional and stochastic.
Every parameter may be a scalar or an array of shape (F,) (one function per entry).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError
from ._xp import lead, ops
from .base import MAX_DIM, StochasticObjective, Objective, _per_function


def _params(F: int | None, **values: Any) -> tuple[int, dict[str, np.ndarray]]:
    values = {k: v.finite_array(k, x) for k, x in values.items()}
    sizes = {np.size(x) for x in values.values()} - {1}
    if len(sizes) > 1:
        raise InvalidParameterError("parameters", {k: np.shape(x) for k, x in values.items()},
                                    "scalars or arrays of one common shape (F,)")
    n = F if F is not None else (sizes.pop() if sizes else 1)
    return n, {k: _per_function(k, x, n) for k, x in values.items()}


class LSC(Objective):
    """L-SC: phi'(u) = beta u for |u| <= R, sign(u) (beta R + mu (|u| - R)) outside.

    phi(u) = beta u^2/2 inside; beta R^2/2 + beta R (|u| - R) + mu (|u| - R)^2/2 outside.
    beta-smooth, mu-strongly convex, f* = 0 at x* = 0.  With R >= rho max(1 + eta beta,
    2/(2 - eta beta)) (see :meth:`cycle_radius`), SAM with constant eta, 0 < eta beta < 2,
    approaches the 2-cycle +-c, c = eta beta rho/(2 - eta beta) (docs/theory.md section 5).
    """

    family = "L-SC"
    _arrays = ("_beta", "_mu", "_R")

    def __init__(self, beta: Any, mu: Any, R: Any, *, dim: int = 1) -> None:
        dim = v.positive_int("dim", dim, maximum=MAX_DIM)
        F, p = _params(None, beta=beta, mu=mu, R=R)
        if np.any(p["R"] <= 0):
            raise InvalidParameterError("R", p["R"], "a finite number > 0")
        self._declare(n_functions=F, dim=dim, beta=p["beta"], mu=p["mu"], f_star=0.0, x_star=0.0)
        self._beta, self._mu, self._R = p["beta"], p["mu"], p["R"]

    @staticmethod
    def cycle_radius(*, beta: float, rho: float, eta: float, delta: float = 0.1) -> float:
        """R = rho max(1 + eta beta, 2/(2 - eta beta)) (1 + delta): the quadratic region SAM's 2-cycle needs.

        With c = eta beta rho/(2 - eta beta), SAM with constant eta maps c to -c only if its
        ascent point c + rho = 2 rho/(2 - eta beta) lies in |y| <= R, and attracts starts
        0 < x <= R - rho (proofs/l_sc_cycle.py, theorems ``cycle`` and ``contraction``).
        The radius first proposed, R = rho (1 + eta beta)(1 + delta) (docs/theory.md section 5), is sufficient only for eta beta <= 1
        (theorem ``region``: 2/(2 - eta beta) <= 1 + eta beta iff eta beta (1 - eta beta) >= 0);
        for 1 < eta beta < 2 the ascent point lies beyond it, so the larger of the two factors
        is taken.  ``delta`` > 0 leaves a margin so the orbit's approach stays inside.

        Raises
        ------
        InvalidParameterError
            beta, rho, eta or delta not a finite number > 0, or eta beta >= 2 (no 2-cycle:
            the quadratic region repels).
        """
        beta = v.positive("beta", beta)
        rho = v.positive("rho", rho)
        eta = v.real("eta", eta, low=0.0, high=2.0 / beta, low_open=True, high_open=True,
                     allowed=f"a number in (0, 2/beta) = (0, {2.0 / beta:g}): SAM's 2-cycle on L-SC needs "
                             "0 < eta beta < 2")
        delta = v.positive("delta", delta)
        return rho * max(1.0 + eta * beta, 2.0 / (2.0 - eta * beta)) * (1.0 + delta)

    @classmethod
    def for_sam(cls, *, beta: float, mu: float, rho: float, eta: float, delta: float = 0.1,
                dim: int = 1) -> "LSC":
        """The construction sized for SAM's 2-cycle at step eta: R = :meth:`cycle_radius` (0 < eta beta < 2)."""
        return cls(beta, mu, cls.cycle_radius(beta=beta, rho=rho, eta=eta, delta=delta), dim=dim)

    @staticmethod
    def far_start(*, beta: float, mu: float, R: float, Delta: float) -> float:
        """The point x_0 > R with f(x_0) - f* = Delta, for Delta >= beta R^2/2 (the slope-mu region).

        Outside the quadratic region phi(u) = (mu/2)(u + (kappa - 1) R)^2 - (beta/2)(kappa - 1) R^2
        (kappa = beta/mu), so x_0 = sqrt(2 Delta/mu + kappa (kappa - 1) R^2) - (kappa - 1) R; it is
        >= R iff Delta >= beta R^2/2.  This is the *slow* start of the lower bound in T
        (proofs/l_sc_horizon.py): outside R, SAM contracts z = x + rho + (kappa - 1) R by exactly
        1 - mu eta per step.

        Raises
        ------
        InvalidParameterError
            beta, mu, R or Delta not a finite number > 0, mu > beta, or Delta < beta R^2/2.
        """
        beta, mu, R, Delta = (v.positive(n, q) for n, q in (("beta", beta), ("mu", mu), ("R", R), ("Delta", Delta)))
        if mu > beta:
            raise InvalidParameterError("mu", mu, f"a number in (0, beta] = (0, {beta:g}]")
        if Delta < beta * R * R / 2:
            raise InvalidParameterError("Delta", Delta, f"a number >= beta R^2/2 = {beta * R * R / 2:g} (start outside "
                                        "the quadratic region)")
        kappa = beta / mu
        return float(math.sqrt(2 * Delta / mu + kappa * (kappa - 1) * R * R) - (kappa - 1) * R)

    @property
    def R(self) -> np.ndarray:
        """The radius of the quadratic region |u| <= R, shape (F,)."""
        return self._R

    def _p(self, x):
        return (lead(q, x)[..., None] for q in (self._beta, self._mu, self._R))

    def value(self, x):
        xp = ops(x)
        beta, mu, R = self._p(x)
        a = xp.abs(x)
        out = beta * R * R / 2 + beta * R * (a - R) + mu * (a - R) ** 2 / 2
        return xp.sum(xp.where(a <= R, beta * x * x / 2, out), axis=-1)

    def grad(self, x):
        xp = ops(x)
        beta, mu, R = self._p(x)
        a = xp.abs(x)
        return xp.where(a <= R, beta * x, xp.sign(x) * (beta * R + mu * (a - R)))


class LNC(Objective):
    """L-NC: an attracting non-stationary SAM fixed point at u = -rho (docs/theory.md section 5), 0 < c < 1.

    phi'(u) = beta (u + (1 + c) rho)       for u <= -rho,
            = -beta (u + (1 - c) rho)      for -rho <= u <= -(1 - c) rho/2,
            = beta u                       beyond.
    phi(0) = 0, beta-smooth (slopes +-beta), nonconvex.  Its minima are u = 0 (value 0) and
    u = -(1 + c) rho (value beta rho^2 ((1 - c)^2/4 - c^2)), so f* = dim * min of the two and
    x* is the corresponding point on every coordinate (unique unless c = 1/3).
    """

    family = "L-NC"
    _arrays = ("_beta", "_rho", "_c")

    def __init__(self, beta: Any, rho: Any, c: Any, *, dim: int = 1) -> None:
        dim = v.positive_int("dim", dim, maximum=MAX_DIM)  # before np.ones(dim) below
        F, p = _params(None, beta=beta, rho=rho, c=c)
        if np.any(p["rho"] <= 0):
            raise InvalidParameterError("rho", p["rho"], "a finite number > 0")
        if np.any((p["c"] <= 0) | (p["c"] >= 1)):
            raise InvalidParameterError("c", p["c"], "a number in (0, 1)")
        beta, rho, c = p["beta"], p["rho"], p["c"]
        left_min = beta * rho**2 * ((1 - c) ** 2 / 4 - c**2)
        tie = np.isclose(left_min, 0.0, rtol=0, atol=1e-15 * beta * rho**2)
        x_star = None if np.any(tie) else np.where(left_min < 0, -(1 + c) * rho, 0.0)[:, None] * np.ones(dim)
        self._declare(n_functions=F, dim=dim, beta=beta, f_star=dim * np.minimum(left_min, 0.0), x_star=x_star)
        self._beta, self._rho, self._c = beta, rho, c

    def _p(self, x):
        return (lead(q, x)[..., None] for q in (self._beta, self._rho, self._c))

    def value(self, x):
        xp = ops(x)
        beta, rho, c = self._p(x)
        u2 = -(1 - c) * rho / 2
        f_u2 = beta * u2 * u2 / 2
        middle = f_u2 - beta * ((x + (1 - c) * rho) ** 2 - ((1 - c) * rho / 2) ** 2) / 2
        f_m = beta * (1 - c) ** 2 * rho**2 / 4 - beta * c**2 * rho**2 / 2
        left = f_m + beta * ((x + (1 + c) * rho) ** 2 - (c * rho) ** 2) / 2
        out = xp.where(x >= u2, beta * x * x / 2, xp.where(x >= -rho, middle, left))
        return xp.sum(out, axis=-1)

    def grad(self, x):
        xp = ops(x)
        beta, rho, c = self._p(x)
        return xp.where(x >= -(1 - c) * rho / 2, beta * x,
                        xp.where(x >= -rho, -beta * (x + (1 - c) * rho), beta * (x + (1 + c) * rho)))


class LS(StochasticObjective):
    """L-S: l_1 = beta x^2/2 + A x (probability p), l_2 = beta x^2/2 - B x (probability 1 - p), 1-D.

    B = K beta rho, A = (1 - p) B / p (so p A = (1 - p) B and f = beta x^2/2, f* = 0, x* = 0),
    p < 1/2.  Each component is beta-smooth; the gradient noise is constant,
    E||grad l - grad f||^2 = p A^2 + (1 - p) B^2 = (1 - p) B^2 / p = sigma^2.
    For small eta, n-SAM and m-SAM settle at E x = rho (1 - 2p) (the ascent sign is biased), so
    E f - f* approaches beta rho^2 (1 - 2p)^2 / 2 (docs/theory.md section 5).
    """

    family = "L-S"
    _arrays = ("_beta", "_shift")

    def __init__(self, beta: Any, rho: Any, p: Any, K: Any) -> None:
        F, q = _params(None, beta=beta, rho=rho, p=p, K=K)
        if np.any((q["p"] <= 0) | (q["p"] >= 0.5)):
            raise InvalidParameterError("p", q["p"], "a probability in (0, 1/2)")
        if np.any(q["rho"] <= 0) or np.any(q["K"] <= 0):
            raise InvalidParameterError("rho, K", (q["rho"], q["K"]), "finite numbers > 0")
        beta, p_, B = q["beta"], q["p"], q["K"] * q["beta"] * q["rho"]
        A = (1 - p_) * B / p_
        self._declare(n_functions=F, dim=1, beta=beta, mu=beta, f_star=0.0, x_star=0.0)
        self._declare_components(np.stack([p_, 1 - p_], axis=1), sigma=np.sqrt((1 - p_) / p_) * B,
                                 component_beta=beta)
        self._beta, self._shift = beta, np.stack([A, -B], axis=1)
        self.p, self.rho, self.A, self.B = p_, q["rho"], A, B

    def floor(self) -> np.ndarray:
        """The small-step limit beta rho^2 (1 - 2p)^2 / 2 of E f(x_t) - f*."""
        return self._beta * self.rho**2 * (1 - 2 * self.p) ** 2 / 2

    def value(self, x):
        return lead(self._beta, x) * x[..., 0] ** 2 / 2

    def grad(self, x):
        return lead(self._beta, x)[..., None] * x

    def component_grad(self, x, idx):
        xp = ops(x)
        shift = xp.sum(ops(x).take(self._shift, idx), axis=-1) / idx.shape[-1]
        return lead(self._beta, x)[..., None] * x + shift[..., None]
