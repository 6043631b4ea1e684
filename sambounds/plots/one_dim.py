"""The two deterministic failure modes of practical SAM in one dimension (docs/theory.md section 5).

- :func:`two_cycle`: on L-SC (curvature beta near 0) SAM with constant eta, 0 < eta beta < 2,
  is attracted to the 2-cycle x = +-c, c = eta beta rho/(2 - eta beta), where
  f - f* = beta^3 eta^2 rho^2 / (2 (2 - eta beta)^2) (construction L-SC; for a quadratic this is the
  closed form of docs/theory.md section 3).
- :func:`fixed_point`: on L-NC, xbar = -rho is a SAM fixed point where f'(xbar) = c beta rho != 0, and
  it attracts: x_{t+1} - xbar = (1 - eta beta)(x_t - xbar) nearby, so |f'(x_t)|^2 -> c^2 beta^2 rho^2.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _validate as v
from ..functions.constructions import LNC, LSC
from ..setting import Setting
from ..sim.api import simulate
from ._canvas import along, new_figure


#: largest radius drawn: the cycle's value beta^3 eta^2 rho^2/(2 (2 - eta beta)^2) must stay a float64
RHO_MAX = 1e100


def two_cycle(*, beta: float = 1.0, mu: float = 0.1, rho: float = 0.1, eta: float = 0.5, x0: float = 1.5,
              T: int = 60) -> Any:
    """SAM on L-SC: iterates settling on +-c (left) and f(x_t) - f* reaching the cycle's value (right)."""
    eta = v.real("eta", eta, low=0.0, high=2.0 / v.positive("beta", beta), low_open=True, high_open=True,
                 allowed=f"a step in (0, 2/beta) = (0, {2.0 / beta:g})")
    rho = v.real("rho", rho, low=0.0, low_open=True, high=RHO_MAX)
    R = rho * (1.0 + eta * beta) * 1.1  # L-SC's condition R >= rho (1 + eta beta)(1 + delta), delta = 0.1
    f = LSC(beta, mu, R)
    setting = Setting.create("sam", "strongly-convex", beta=beta, mu=mu, rho=rho, T=v.positive_int("T", T), eta=eta)
    res = simulate(setting, f, np.array([[v.real("x0", x0)]]), record_trajectory=True)
    x = res.trajectory[:, 0, 0, 0, 0]
    gap, _ = along(f, res.trajectory)
    c = eta * beta * rho / (2.0 - eta * beta)
    limit = beta**3 * eta**2 * rho**2 / (2.0 * (2.0 - eta * beta) ** 2)
    fig, ax = new_figure(1, 2, width=5.0)
    t = np.arange(T + 1)
    ax[0, 0].plot(t, x, "o-", ms=3, color="C0", label="SAM iterate $x_t$")
    for sign in (1, -1):
        ax[0, 0].axhline(sign * c, ls="--", color="C3", label=r"$\pm c = \pm\eta\beta\rho/(2-\eta\beta)$" if sign > 0 else None)
    ax[0, 0].axhspan(-R, R, color="0.9", zorder=0, label=r"$|x| \leq R$ (curvature $\beta$)")
    ax[0, 0].set(xlabel="t", ylabel="x", title=f"L-SC: 2-cycle (beta={beta:g}, eta={eta:g}, rho={rho:g})")
    ax[0, 0].legend(fontsize="small")
    ax[0, 1].semilogy(t, np.maximum(gap[:, 0, 0, 0], 1e-300), color="C0", label="$f(x_t) - f^*$")
    ax[0, 1].axhline(limit, ls="--", color="C3", label=r"$\beta^3\eta^2\rho^2 / (2(2-\eta\beta)^2)$")
    ax[0, 1].set(xlabel="t", ylabel="suboptimality", title="the gap stalls at the cycle's value")
    ax[0, 1].legend(fontsize="small")
    return fig


def fixed_point(*, beta: float = 1.0, rho: float = 0.2, c: float = 0.5, eta: float = 0.5, x0: float = -0.23,
                T: int = 40) -> Any:
    """SAM on L-NC: the profile with the iterates (left) and |f'(x_t)|^2 -> c^2 beta^2 rho^2 (right)."""
    beta = v.positive("beta", beta)
    eta = v.real("eta", eta, low=0.0, high=2.0 / beta, low_open=True, high_open=True,
                 allowed=f"a step in (0, 2/beta) = (0, {2.0 / beta:g})")
    f = LNC(beta, rho, c)
    setting = Setting.create("sam", "nonconvex", beta=beta, rho=rho, T=v.positive_int("T", T), eta=eta)
    res = simulate(setting, f, np.array([[v.real("x0", x0)]]), record_trajectory=True)
    xs = res.trajectory[:, 0, 0, 0, 0]
    values, grad_sq = along(f, res.trajectory)
    u = np.linspace(-(2.0 + c) * rho, 0.8 * rho, 400)
    fig, ax = new_figure(1, 2, width=5.0)
    ax[0, 0].plot(u, f.value(u[None, :, None])[0], color="0.3", label="f (L-NC)")
    ax[0, 0].plot(xs, values[:, 0, 0, 0], "o", ms=4, color="C1", label="SAM iterates")
    ax[0, 0].axvline(-rho, ls="--", color="C3", label=r"$\bar x = -\rho$ (SAM fixed point)")
    ax[0, 0].set(xlabel="x", ylabel="f(x)", title=f"attracting non-stationary point (c={c:g})")
    ax[0, 0].legend(fontsize="small")
    t = np.arange(T + 1)
    ax[0, 1].plot(t, grad_sq[:, 0, 0, 0], "o-", ms=3, color="C1", label=r"$|f'(x_t)|^2$")
    ax[0, 1].axhline(c**2 * beta**2 * rho**2, ls="--", color="C3", label=r"$c^2\beta^2\rho^2$")
    ax[0, 1].set(xlabel="t", ylabel="squared gradient norm", title="the gradient does not vanish")
    ax[0, 1].legend(fontsize="small")
    return fig
