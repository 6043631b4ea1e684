"""The witness of L-SC/horizon: per constant step size, the worst of its functions (proofs/l_sc_horizon.py).

L-SC/horizon says that no constant eta makes f(x_T) - f* smaller than
LB(T) = min{beta rho^2/2, beta^3 rho^2 ln^2(M)/(8 mu^2 (T + ln M)^2)} on *every* function of the
class.  Its witness is one batched run per horizon of the two 1-D functions of the proof, each
with declared constants (beta, mu):

* F = 0, the slow function: L-SC with R = rho, started at ``LSC.far_start`` (f(x_0) - f* = Delta);
* F = 1, the quadratic beta x^2/2 (L-SC with a region radius R_big no iterate leaves), started on
  the 2-cycle c = eta beta rho/(2 - eta beta) of each eta with eta beta <= 1 and at x_0 = rho for
  eta beta > 1 (the S axis holds one start per step size; every start has f(x_0) - f* <= Delta).

The bound is evaluated with the *class* Delta (``fixed``), never with a run's own f(x_0) - f*:
a lower bound is about the worst function of the class {f(x_0) - f* <= Delta}.  The step sizes
range over eta beta in [1e-4, 2]; beyond 2/beta the quadratic diverges geometrically (|x_t| >=
rho is proved there too, ``large_step``), which the float64 simulation cannot follow.
"""

from __future__ import annotations

import numpy as np

from ..functions import LSC
from .families import FamilySpec
from .probe import Probe

#: eta beta of the witness grid: log-spaced small steps, then the large-step regime up to 2.
ETA_BETA = tuple(np.geomspace(1e-4, 1.0, 17).tolist()) + (1.3, 1.7, 1.95, 2.0)


def horizon_probe(*, beta: float, mu: float, rho: float, Delta: float, T: int, seed: int = 0,
                  eta_beta: tuple = ETA_BETA) -> Probe:
    """One probe: the two functions x one start per step size x the step sizes ``eta_beta / beta``."""
    etas = np.asarray(eta_beta, dtype=float) / beta
    h = etas * beta
    x_far = LSC.far_start(beta=beta, mu=mu, R=rho, Delta=Delta)
    starts_quad = np.where(h <= 1.0, h * rho / (2.0 - np.minimum(h, 1.0)), rho)
    R_big = 4.0 * rho * (2 * T + 100)
    fam = FamilySpec("L-SC", {"beta": [beta, beta], "mu": [mu, mu], "R": [rho, R_big]})
    x0 = np.stack([np.full(len(etas), x_far), starts_quad])[:, :, None]
    steps = np.repeat(etas[:, None], T, axis=1)
    labels = tuple(f"eta = {e:.4g}" for e in etas)
    start_labels = tuple(f"start {k}: slow x0 = {x_far:.4g} / quadratic x0 = {s:.4g}"
                         for k, s in enumerate(starts_quad))
    return Probe("sam", rho, T, fam, x0, steps, {"beta": beta, "mu": mu}, {"Delta": Delta}, labels, start_labels,
                 seed)


def worst_per_eta(probe: Probe) -> np.ndarray:
    """f(x_T) - f* of the worst function and start, per step size (shape (K,))."""
    res = probe.run().result
    gap = np.asarray(res.gap.final, dtype=float)        # (F, S, K)
    return gap.reshape(-1, gap.shape[-1]).max(axis=0)


def witness_curve(*, beta: float, mu: float, rho: float, Delta: float, horizons, seed: int = 0,
                  eta_beta: tuple = ETA_BETA) -> np.ndarray:
    """min over the eta grid of the worst f(x_T) - f*, per horizon T: the witness's rate in T."""
    return np.array([worst_per_eta(horizon_probe(beta=beta, mu=mu, rho=rho, Delta=Delta, T=int(T), seed=seed,
                                                 eta_beta=eta_beta)).min() for T in horizons])
