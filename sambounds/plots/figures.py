"""Figures in the spirit of Si & Yun (NeurIPS 2023, arXiv:2306.09850), Figures 1, 2 and 6.

The paper's figures themselves are not available to this project (docs/theory.md section 2, item 6);
these are the project's own renderings of what the paper describes:

- :func:`figure1`: SAM and GD on f(x, y) = (xy - 1)^2: GD stops at the minimizer nearest its
  start, SAM drifts along the valley xy = 1 towards the flattest minimizer (1, 1) and keeps
  moving at distance O(rho) from the minimizers instead of converging.
- :func:`figure2`: the *virtual loss* SAM effectively descends.  In 1-D the SAM step is
  x+ = x - eta v(x) with v(x) = f'(x + rho sign f'(x)), so SAM is gradient descent on
  V(x) = int_{x_0}^x v(s) ds.  For n-SAM the expected step uses
  v(x) = E_i f'(x + rho sign l_i'(x)), for m-SAM v(x) = E_i l_i'(x + rho sign l_i'(x)).
  Minima of V that are not minima of f are where SAM gets stuck: a kink at the minimizer of
  a quadratic (the 2-cycle), a minimum at the non-stationary point -rho of L-NC, and a
  minimum shifted to rho (1 - 2p) for the stochastic construction L-S.
- :func:`figure6`: simulations on the lower-bound constructions L-SC, L-NC and L-S of docs/theory.md
  section 5, with each construction's predicted floor drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError
from ..functions.base import Objective, StochasticObjective
from ..functions.constructions import LNC, LS, LSC
from ..functions.nonconvex import XYProduct
from ..functions.quadratic import Quadratic
from ..setting import Setting
from ..sim.api import simulate
from ._canvas import along, new_figure


def figure1(*, rho: float = 0.1, eta: float = 0.02, T: int = 2000,
            starts: Any = ((2.0, 0.1), (0.3, 2.5), (-1.8, -0.4))) -> Any:
    """SAM vs GD trajectories on (xy - 1)^2 (contours, the valley xy = 1) and f(x_t) over t."""
    rho = v.positive("rho", rho)
    eta = v.positive("eta", eta)
    T = v.positive_int("T", T)
    x0 = v.finite_array("starts", starts, ndim=2)
    if x0.shape[1] != 2:
        raise InvalidParameterError("starts", f"array of shape {x0.shape}", "an array of shape (S, 2)")
    f = XYProduct(R=max(3.0, float(np.abs(x0).max())))
    runs = {}
    for label, alg, r in (("GD", "gd", None), (f"SAM (rho={rho:g})", "sam", rho)):
        setting = Setting.create(alg, "nonconvex", beta=float(f.beta[0]), rho=r, T=T, eta=eta)
        res = simulate(setting, f, x0, record_trajectory=True)
        runs[label] = (res.trajectory[:, 0, :, 0, :], along(f, res.trajectory)[0][:, 0, :, 0], res.diverged[0, :, 0])
    fig, ax = new_figure(1, 2, width=5.2, height=4.6)
    lim = 1.15 * max(2.6, float(np.abs(x0).max()))
    g = np.linspace(-lim, lim, 300)
    X, Y = np.meshgrid(g, g)
    ax[0, 0].contourf(X, Y, np.log10((X * Y - 1.0) ** 2 + 1e-3), levels=30, cmap="Greys")
    for branch in (g[g > 0.05], g[g < -0.05]):
        ax[0, 0].plot(branch, 1.0 / branch, color="C2", lw=1, label="minimizers xy = 1" if branch[0] > 0 else None)
    # GD's path is the first stretch of SAM's (both start down the same slope): SAM is drawn
    # first, wide and translucent, and GD on top of it, thin and dashed, so both stay visible.
    styles = {"GD": dict(color="C0", lw=1.3, ls="--", zorder=4),
              "SAM": dict(color="C3", lw=2.6, ls="-", alpha=0.55, zorder=3)}
    t = np.arange(T + 1)
    for label in sorted(runs, key=lambda name: name.startswith("GD")):
        traj, values, diverged = runs[label]
        style = styles["GD" if label == "GD" else "SAM"]
        for s in range(traj.shape[1]):
            ax[0, 0].plot(traj[:, s, 0], traj[:, s, 1], **style, label=label if s == 0 else None)
            ax[0, 0].plot(*traj[-1, s], "o", color=style["color"], ms=5, zorder=style["zorder"] + 0.5)
            thin = dict(style, lw=style["lw"] * (1.2 if label == "GD" else 0.3))  # SAM's f(x_t) oscillates
            ax[0, 1].semilogy(t, np.maximum(values[:, s], 1e-18), **thin, label=label if s == 0 else None)
    ax[0, 0].plot(x0[:, 0], x0[:, 1], "k^", ms=6, label="starts")
    ax[0, 0].plot([1, -1], [1, -1], "*", color="gold", ms=12, mec="k", label="flattest minimizers")
    ax[0, 0].set(xlim=(-lim, lim), ylim=(-lim, lim), xlabel="x", ylabel="y", aspect="equal",
                 title=r"$f(x, y) = (xy - 1)^2$")
    ax[0, 0].legend(fontsize="small", loc="lower right")
    ax[0, 1].set(xlabel="t", ylabel="$f(x_t) - f^*$", title=f"GD converges; SAM (eta={eta:g}) does not")
    ax[0, 1].legend(fontsize="small")
    return fig


def virtual_gradient(function: Objective, x: np.ndarray, rho: float, mode: str = "sam") -> np.ndarray:
    """The expected SAM step direction v(x) of a 1-D function at the points ``x`` (a 1-D array).

    ``mode``: ``"sam"`` (v = f'(x + rho sign f'(x))), ``"n-sam"`` (v = E_i f'(x + rho sign l_i'(x)))
    or ``"m-sam"`` (v = E_i l_i'(x + rho sign l_i'(x))); the stochastic modes need a
    :class:`StochasticObjective`.  sign(0) = 0, the zero-gradient convention of docs/theory.md s.1.
    """
    if not isinstance(function, Objective) or function.dim != 1 or function.n_functions != 1:
        raise InvalidParameterError("function", getattr(function, "family", function),
                                      "a single one-dimensional sambounds Objective")
    rho = v.nonnegative("rho", rho)
    pts = v.finite_array("x", x, ndim=1)[None, :, None]
    if mode == "sam":
        return np.asarray(function.grad(pts + rho * np.sign(function.grad(pts))))[0, :, 0]
    if mode not in ("n-sam", "m-sam"):
        raise InvalidParameterError("mode", mode, "'sam', 'n-sam' or 'm-sam'")
    if not isinstance(function, StochasticObjective):
        raise InvalidParameterError("function", function.family, f"a StochasticObjective for mode {mode!r}")
    out = np.zeros(pts.shape[1])
    for j, p_j in enumerate(function.probs[0]):
        idx = np.full(pts.shape[:-1] + (1,), j)
        y = pts + rho * np.sign(function.component_grad(pts, idx))
        step = function.grad(y) if mode == "n-sam" else function.component_grad(y, idx)
        out += p_j * np.asarray(step)[0, :, 0]
    return out


def virtual_loss(function: Objective, x: np.ndarray, rho: float, mode: str = "sam") -> np.ndarray:
    """V(x) = int_{x[0]}^{x} v(s) ds by the trapezoid rule on the (increasing) grid ``x``."""
    x = v.finite_array("x", x, ndim=1)
    if x.size < 2 or np.any(np.diff(x) <= 0):
        raise InvalidParameterError("x", f"array of {x.size} points", "an increasing grid of >= 2 points")
    vg = virtual_gradient(function, x, rho, mode)
    return np.concatenate([[0.0], np.cumsum(0.5 * (vg[1:] + vg[:-1]) * np.diff(x))])


def figure2(*, beta: float = 1.0, rho: float = 0.2, c: float = 0.5, p: float = 0.25, K: float = 2.0) -> Any:
    """Virtual losses: quadratic and L-NC (deterministic SAM), L-S (n-SAM and m-SAM)."""
    beta, rho = v.positive("beta", beta), v.positive("rho", rho)
    fig, ax = new_figure(1, 3, width=4.4, height=3.8)
    cases = (
        (ax[0, 0], Quadratic.diagonal([[beta]]), np.linspace(-3 * rho, 3 * rho, 601), ("sam",),
         r"quadratic $\beta x^2/2$: a kink at $x^*$"),
        (ax[0, 1], LNC(beta, rho, c), np.linspace(-(2.2 + c) * rho, 0.8 * rho, 601), ("sam",),
         rf"L-NC (c={c:g}): a minimum at $-\rho$"),
        (ax[0, 2], LS(beta, rho, p, K), np.linspace(-2 * rho, 2 * rho, 601), ("n-sam", "m-sam"),
         rf"L-S (p={p:g}): minimum near $\rho(1-2p)$"),
    )
    styles = {"sam": ("C3", "-"), "n-sam": ("C3", "-"), "m-sam": ("C1", "--")}
    for axis, f, grid, modes, title in cases:
        fx = np.asarray(f.value(grid[None, :, None]))[0]
        axis.plot(grid, fx - fx.min(), color="0.35", lw=2, label="f")
        for mode in modes:
            V = virtual_loss(f, grid, rho, mode)
            color, ls = styles[mode]
            axis.plot(grid, V - V.min(), color=color, ls=ls, lw=1.6, label=f"virtual loss ({mode})")
            axis.plot(grid[np.argmin(V)], 0.0, "o", color=color, ms=6)
        axis.axvline(0.0, color="0.7", lw=0.8)
        axis.set(xlabel="x", title=title)
    ax[0, 1].axvline(-rho, color="C2", ls=":", label=r"$-\rho$")
    ax[0, 2].axvline(rho * (1 - 2 * p), color="C2", ls=":", label=r"$\rho(1-2p)$")
    for axis, _, _, _, _ in cases:
        # below the axes: inside, the curves rise to both upper corners and any corner hides one
        axis.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2, frameon=False)
    ax[0, 0].set_ylabel("value (shifted to min 0)")
    return fig


def figure6(*, beta: float = 1.0, mu: float = 0.05, rho: float = 0.1, T: int = 1500, seeds: int = 200,
            p: float = 0.1, K: float = 3.0, eta_stochastic: float = 0.005, seed: int = 0) -> Any:
    """SAM on L-SC, L-NC and n-SAM / m-SAM / SGD on L-S, each with its predicted floor (dashed)."""
    beta, mu, rho = v.positive("beta", beta), v.positive("mu", mu), v.positive("rho", rho)
    T, seeds = v.positive_int("T", T), v.positive_int("seeds", seeds)
    eta_s = v.real("eta_stochastic", eta_stochastic, low=0.0, high=1.0 / beta, low_open=True)
    if seeds < 2:
        raise InvalidParameterError("seeds", seeds, "an integer >= 2 (the band needs a standard deviation)")
    fig, ax = new_figure(1, 3, width=4.4, height=3.8)
    # the deterministic constructions settle within ~1/(eta beta) steps: show the first 150
    T_det = min(T, 150)
    t = np.arange(T_det + 1)
    # (a) L-SC: the gap stalls at beta^3 eta^2 rho^2 / (2 (2 - eta beta)^2) for each eta
    for i, eta in enumerate((0.25 / beta, 0.5 / beta, 1.0 / beta)):
        f = LSC(beta, mu, rho * (1 + eta * beta) * 1.1)
        s = Setting.create("sam", "strongly-convex", beta=beta, mu=mu, rho=rho, T=T_det, eta=eta)
        gap, _ = along(f, simulate(s, f, np.array([[1.0]]), record_trajectory=True).trajectory)
        ax[0, 0].semilogy(t, np.maximum(gap[:, 0, 0, 0], 1e-300), color=f"C{i}", label=rf"$\eta\beta$={eta * beta:g}")
        ax[0, 0].axhline(beta**3 * eta**2 * rho**2 / (2 * (2 - eta * beta) ** 2), color=f"C{i}", ls="--", lw=1)
    ax[0, 0].set(xlabel="t", ylabel="$f(x_t) - f^*$", title="L-SC (dashed: 2-cycle value)")
    ax[0, 0].legend(fontsize="small")
    # (b) L-NC: the running average of |f'(x_t)|^2 tends to c^2 beta^2 rho^2
    eta = 0.5 / beta
    for i, c in enumerate((0.25, 0.5, 0.75)):
        f = LNC(beta, rho, c)
        s = Setting.create("sam", "nonconvex", beta=beta, rho=rho, T=T_det, eta=eta)
        start = -rho + 0.5 * min((1 - c) * rho / 2, c * rho)
        _, gsq = along(f, simulate(s, f, np.array([[start]]), record_trajectory=True).trajectory)
        running = np.cumsum(gsq[:-1, 0, 0, 0]) / np.arange(1, T_det + 1)
        ax[0, 1].plot(t[1:], running, color=f"C{i}", label=f"c={c:g}")
        ax[0, 1].axhline(c**2 * beta**2 * rho**2, color=f"C{i}", ls="--", lw=1)
    ax[0, 1].set(xlabel="T", ylabel=r"$\frac{1}{T}\sum_{t<T} |f'(x_t)|^2$", title=r"L-NC (dashed: $c^2\beta^2\rho^2$)")
    ax[0, 1].legend(fontsize="small")
    # (c) L-S: E f(x_t) - f* with a 95% normal band over the seeds.  SGD's stationary value on
    # f = beta x^2/2 with noise variance sigma^2 is eta sigma^2 / (2 (2 - eta beta)); n-SAM's
    # biased ascent sign shifts the mean to rho (1 - 2p), adding beta rho^2 (1 - 2p)^2 / 2.
    f = LS(beta, rho, p, K)
    sigma = float(f.sigma[0])
    starts = np.zeros((seeds, 1))
    t = np.arange(T + 1)
    for i, (label, alg, r) in enumerate((("n-SAM", "n-sam", rho), ("m-SAM", "m-sam", rho), ("SGD", "n-sam", 0.0))):
        s = Setting.create(alg, "strongly-convex", beta=beta, mu=beta, rho=r, sigma=sigma, T=T, eta=eta_s)
        gap, _ = along(f, simulate(s, f, starts, seed=seed + i, record_trajectory=True).trajectory)
        runs = gap[:, 0, :, 0]
        mean, half = runs.mean(axis=1), 1.96 * runs.std(axis=1, ddof=1) / np.sqrt(seeds)
        ax[0, 2].plot(t, mean, color=f"C{i}", label=label)
        ax[0, 2].fill_between(t, mean - half, mean + half, color=f"C{i}", alpha=0.25, lw=0)
    sgd = eta_s * sigma**2 / (2 * (2 - eta_s * beta))
    ax[0, 2].axhline(sgd, color="C2", ls="--", lw=1, label=r"SGD: $\eta\sigma^2/(2(2-\eta\beta))$")
    ax[0, 2].axhline(sgd + beta * rho**2 * (1 - 2 * p) ** 2 / 2, color="k", ls="--", lw=1,
                     label=r"+ drift $\beta\rho^2(1-2p)^2/2$")
    ax[0, 2].set(xlabel="t", ylabel="E $f(x_t) - f^*$", title=f"L-S (p={p:g}, K={K:g}, {seeds} seeds)")
    ax[0, 2].legend(fontsize="small")
    return fig
