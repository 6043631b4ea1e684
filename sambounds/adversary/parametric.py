"""Parameterized families whose class constants are certified from their parameters.

A :class:`Parametric` family maps a point u of the unit cube [0, 1]^k (its *shape* coordinates)
and the constants the search chose (beta, mu, rho, sigma) to one function, as a
:class:`~.families.FamilySpec` (so a witness rebuilds it anywhere), whose declared constants are
those of the class by construction:

==================  ===============================================  ===============================
family              parameters (from u)                              certified because
==================  ===============================================  ===============================
quadratic           f = lambda x^2/2, lambda in [mu, beta] (SC) or   f'' = lambda in [mu, beta]
                    (0, beta] (log scale; the ends exactly reached)
quadratic-2d        f = x^T H x / 2, H = R(theta) diag(l1, l2)       eig(H) = {l1, l2} in [mu, beta]
                    R(theta)^T (free spectrum and rotation)
huber               beta h_delta(x), delta free on a log scale       f'' in {0, beta}: convex,
                    relative to the start distance (Drori-Teboulle's  beta-smooth (Huber, 1964)
                    worst function is delta = D/(2T + 1))
L-SC                curvature beta on |x| <= R, mu outside, R / rho  piecewise quadratic, curvatures
                    free (docs/theory.md s.5)                              {mu, beta} (convex for mu = 0)
L-NC                c in [0.3, 0.999], curvatures in [-beta, beta]   declared by the construction
L-S                 two components, p in [0.02, 0.49], K free        each component beta-smooth;
                                                                     noise variance exactly sigma^2
quadratic-sum       H = lambda I in d = 16 with 2d equal-norm        exact noise sigma; components
                    centres (exact noise sigma, free)                lambda-smooth, lambda <= beta
==================  ===============================================  ===============================

1-D piecewise-quadratic functions with *free* breakpoints and curvatures are represented by
L-SC (two pieces, curvatures {mu, beta}) and Huber (three pieces, {0, beta}); functions with
more pieces are not built here.  Log-scale coordinates snap to their ends in the outer 5 % of
[0, 1], so extreme values (lambda = beta, eta = the step limit) are reached exactly, not only
approached.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..setting import Algorithm, FunctionClass
from .families import FamilySpec

#: coordinates closer than this to 0 or 1 snap to the end of their range
SNAP = 0.05


def log_scale(u: float, low: float, high: float) -> float:
    """low (high/low)^u, exactly low for u <= SNAP and exactly high for u >= 1 - SNAP."""
    u = float(u)
    if u <= SNAP:
        return low
    if u >= 1 - SNAP:
        return high
    return low * (high / low) ** ((u - SNAP) / (1 - 2 * SNAP))


@dataclass(frozen=True)
class Constants:
    """The class constants of one candidate (mu None off the strongly convex class)."""

    beta: float
    mu: float | None
    rho: float
    sigma: float | None = None


@dataclass(frozen=True)
class Built:
    """A candidate function: its spec, the start x0 (d,), and the readable parameters."""

    spec: FamilySpec
    x0: np.ndarray
    params: dict


@dataclass(frozen=True)
class Parametric:
    """A family of the search: name, shape coordinates, when it applies, and its builder.

    ``build(u, c, r)`` gets the shape coordinates u, the constants c and the start distance r
    (the search's own coordinate) and returns :class:`Built`.
    """

    name: str
    coordinates: tuple[str, ...]
    applies: Callable[[FunctionClass, Algorithm, float], bool]
    build: Callable[[np.ndarray, Constants, float], Built]
    #: the natural length scale of the start distance: "rho" (constructions sized by rho) or "one"
    scale: str = "one"


def _low(c: Constants) -> float:
    return c.mu if c.mu is not None else c.beta * 1e-3


def _quadratic(u, c, r):
    lam = log_scale(u[0], _low(c), c.beta)
    return Built(FamilySpec("quadratic", {"spectrum": [[lam]]}), np.array([r]), {"lambda": lam})


def _quadratic_2d(u, c, r):
    l1, l2 = log_scale(u[0], _low(c), c.beta), log_scale(u[1], _low(c), c.beta)
    theta, phi = math.pi * float(u[2]), 2 * math.pi * float(u[3])
    R = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    H = R @ np.diag([l1, l2]) @ R.T
    H = (H + H.T) / 2
    # eigenvalues of the rounded H may leave [mu, beta] by an ulp: shrink toward the middle
    ev = np.linalg.eigvalsh(H)
    if ev[-1] > c.beta or ev[0] < (c.mu or 0.0):
        mid = (c.beta + (c.mu or 0.0)) / 2
        H = mid * np.eye(2) + (H - mid * np.eye(2)) * (1 - 1e-12)
    return Built(FamilySpec("quadratic", {"H": [H.tolist()]}), r * np.array([math.cos(phi), math.sin(phi)]),
                 {"lambda_1": l1, "lambda_2": l2, "theta": theta, "start_angle": phi})


def _huber(u, c, r):
    delta = log_scale(u[0], r * 1e-4, r)
    return Built(FamilySpec("huber", {"center": [[0.0]], "delta": [delta], "scale": [c.beta]}), np.array([r]),
                 {"delta": delta, "delta / D": delta / r})


def _lsc(u, c, r):
    R = c.rho * log_scale(u[0], 0.5, 20.0)
    mu = c.mu if c.mu is not None else log_scale(u[1], c.beta * 1e-4, c.beta)
    return Built(FamilySpec("L-SC", {"beta": [c.beta], "mu": [mu], "R": [R]}), np.array([r]),
                 {"R": R, "R / rho": R / c.rho, "mu_outside": mu})


def _lnc(u, c, r):
    cc = 0.3 + 0.699 * float(u[0])
    sign = 1.0 if u[1] >= 0.5 else -1.0
    return Built(FamilySpec("L-NC", {"beta": [c.beta], "rho": [c.rho], "c": [cc]}), np.array([sign * r]),
                 {"c": cc, "start_sign": sign})


def _ls(u, c, r):
    p = 0.02 + 0.47 * float(u[0])
    K = log_scale(u[1], 0.25, 16.0)
    return Built(FamilySpec("L-S", {"beta": [c.beta], "rho": [c.rho], "p": [p], "K": [K]}), np.array([r]),
                 {"p": p, "K": K})


def _quadratic_sum(u, c, r):
    lam = log_scale(u[0], _low(c), c.beta)
    sigma = c.sigma if c.sigma is not None else c.beta * c.rho
    d = 16
    x0 = np.zeros(d)
    x0[0] = r
    return Built(FamilySpec("quadratic-sum", {"spectrum": [[lam] * d], "sigma": [sigma]}), x0,
                 {"lambda": lam, "sigma": sigma, "dim": d})


def _sc_or_weaker(fc: FunctionClass) -> bool:
    return fc is not FunctionClass.LIPSCHITZ_NONCONVEX


def _deterministic(alg: Algorithm) -> bool:
    return not alg.stochastic


#: The families of the search (applies(function_class, algorithm, rho)).
FAMILIES: tuple[Parametric, ...] = (
    Parametric("quadratic", ("lambda",), lambda fc, a, rho: _sc_or_weaker(fc) and _deterministic(a), _quadratic),
    Parametric("quadratic-2d", ("lambda_1", "lambda_2", "theta", "start_angle"),
               lambda fc, a, rho: _sc_or_weaker(fc) and _deterministic(a), _quadratic_2d),
    Parametric("huber", ("delta",), lambda fc, a, rho: fc in (FunctionClass.CONVEX, FunctionClass.NONCONVEX)
               and _deterministic(a), _huber),
    Parametric("L-SC", ("R", "mu_outside"), lambda fc, a, rho: _sc_or_weaker(fc) and _deterministic(a) and rho > 0,
               _lsc, scale="rho"),
    Parametric("L-NC", ("c", "start_sign"), lambda fc, a, rho: fc is FunctionClass.NONCONVEX and _deterministic(a)
               and rho > 0, _lnc, scale="rho"),
    Parametric("L-S", ("p", "K"), lambda fc, a, rho: _sc_or_weaker(fc) and a.stochastic and rho > 0, _ls,
               scale="rho"),
    Parametric("quadratic-sum", ("lambda",), lambda fc, a, rho: _sc_or_weaker(fc) and a.stochastic,
               _quadratic_sum),
)


def families_for(function_class: FunctionClass, algorithm: Algorithm, rho_positive: bool = True
                 ) -> tuple[Parametric, ...]:
    """The families of :data:`FAMILIES` that belong to the class for this algorithm."""
    return tuple(p for p in FAMILIES if p.applies(function_class, algorithm, 1.0 if rho_positive else 0.0))
