"""Step-size rules prescribed by the catalog's derived theorems (docs/theory.md section 4).

Each rule depends on the problem constants; evaluating it without a constant it needs raises
an error naming that constant.  Where the formula would divide by rho = 0 or sigma = 0, the
limit is taken (the rule then saturates at its largest admissible step).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError
from .base import Schedule, require


def sigma_star_sq(variant: str, beta: float, rho: float, sigma: float) -> float:
    """Effective noise sigma_*^2: sigma^2 for n-SAM, sigma^2 + 2 beta rho sigma for m-SAM (S-SC, docs/theory.md s.4)."""
    variant = v.choice("variant", variant, ("n-sam", "m-sam"))  # an array or a list is refused, never compared
    if variant == "n-sam":
        return sigma**2
    if variant == "m-sam":
        return sigma**2 + 2.0 * beta * rho * sigma
    raise InvalidParameterError("variant", variant, "'n-sam' or 'm-sam'")


@dataclass(frozen=True)
class TheoremA(Schedule):
    """Theorem A (D-SC): eta = min{1/(2 beta), ln(N_T)/(mu T)}, N_T = max{2, mu^3 Delta T^2/(beta^4 rho^2)}.

    Then f(x_T) - f* <= max{e^(-mu T/(2 beta)) Delta, beta^4 rho^2/(mu^3 T^2),
    (kappa + 1) beta^3 rho^2 ln^2(N_T)/(2 mu^2 T^2)}.
    """

    name = "theorem-a"
    varies = False

    def _raw(self, T, constants):
        beta, mu, rho, Delta = require(constants, self.name, "beta", "mu", "rho", "Delta")
        if mu <= 0:
            raise InvalidParameterError("mu", mu, "a number > 0", "Theorem A is for strongly convex f")
        N = math.inf if rho == 0 else max(2.0, mu**3 * Delta * T**2 / (beta**4 * rho**2))
        return min(1.0 / (2.0 * beta), math.log(N) / (mu * T))


@dataclass(frozen=True)
class DecreasingSC(Schedule):
    """D-SC decreasing rule eta_t = 2/(mu (t + a)) with integer a >= max{3, 4 kappa}.

    ``a=None`` takes the smallest admissible a = max{3, ceil(4 kappa)}.  Then
    f(x_T) - f* <= max{(a-1)(a-2) Delta, 2 (kappa + 1) beta^3 rho^2/mu^2} / ((T + a - 1)(T + a - 2)).
    """

    a: int | None = None
    name = "decreasing-sc"

    def offset(self, constants) -> int:
        beta, mu = require(constants, self.name, "beta", "mu")
        four_kappa = 4.0 * beta / mu
        if not four_kappa <= 2**53:  # also catches inf from an extreme beta/mu
            raise InvalidParameterError("mu", mu, f"a number with 4 beta/mu <= 2^53 (beta = {beta:g})",
                                        f"the {self.name} offset a >= 4 kappa must be an exact integer")
        smallest = max(3, math.ceil(four_kappa - 1e-12))
        if self.a is None:
            return smallest
        if isinstance(self.a, bool) or not isinstance(self.a, (int, np.integer)) or not smallest <= self.a <= 2**53:
            raise InvalidParameterError("a", self.a, f"an integer >= max(3, 4 kappa) = {smallest} and <= 2^53")
        return int(self.a)

    def _raw(self, T, constants):
        a = self.offset(constants)
        return 2.0 / (constants.mu * (np.arange(T) + a))


@dataclass(frozen=True)
class ConvexMinimum(Schedule):
    """D-C minimum rule: eta = min{1/(2 beta), (4 Delta/(3 beta^4 rho^2 T))^(1/3)} (a T^(-2/3) rate)."""

    name = "convex-min"
    varies = False

    def _raw(self, T, constants):
        beta, rho, Delta = require(constants, self.name, "beta", "rho", "Delta")
        if rho == 0:
            return 1.0 / (2.0 * beta)
        return min(1.0 / (2.0 * beta), (4.0 * Delta / (3.0 * beta**4 * rho**2 * T)) ** (1.0 / 3.0))


@dataclass(frozen=True)
class ConvexAverage(Schedule):
    """D-C average rule: eta = min{1/beta, (2 Delta/(beta^3 rho^2 T))^(1/2)}."""

    name = "convex-avg"
    varies = False

    def _raw(self, T, constants):
        beta, rho, Delta = require(constants, self.name, "beta", "rho", "Delta")
        if rho == 0:
            return 1.0 / beta
        return min(1.0 / beta, math.sqrt(2.0 * Delta / (beta**3 * rho**2 * T)))


@dataclass(frozen=True)
class InverseBeta(Schedule):
    """D-NC rule eta = 1/beta: (1/T) sum_t G_t^2 <= 2 beta Delta/T + beta^2 rho^2."""

    name = "inverse-beta"
    varies = False

    def _raw(self, T, constants):
        (beta,) = require(constants, self.name, "beta")
        return 1.0 / beta


@dataclass(frozen=True)
class StochasticSC(Schedule):
    """S-SC rule eta = min{1/beta, ln(N)/(mu T)}, N = max{2, mu^2 Delta T/(beta sigma_*^2)}.

    ``variant`` is ``"n-sam"`` or ``"m-sam"`` (it fixes sigma_*^2).
    """

    variant: str = "n-sam"
    name = "stochastic-sc"
    varies = False

    def __post_init__(self):
        sigma_star_sq(self.variant, 1.0, 0.0, 0.0)  # validates the variant name

    def _raw(self, T, constants):
        beta, mu, rho, sigma, Delta = require(constants, self.name, "beta", "mu", "rho", "sigma", "Delta")
        s2 = sigma_star_sq(self.variant, beta, rho, sigma)
        N = math.inf if s2 == 0 else max(2.0, mu**2 * Delta * T / (beta * s2))
        return min(1.0 / beta, math.log(N) / (mu * T))


@dataclass(frozen=True)
class StochasticNC(Schedule):
    """S-NC rule eta = min{1/beta, (2 Delta/(beta sigma_*^2 T))^(1/2)}."""

    variant: str = "n-sam"
    name = "stochastic-nc"
    varies = False

    def __post_init__(self):
        sigma_star_sq(self.variant, 1.0, 0.0, 0.0)

    def _raw(self, T, constants):
        beta, rho, sigma, Delta = require(constants, self.name, "beta", "rho", "sigma", "Delta")
        s2 = sigma_star_sq(self.variant, beta, rho, sigma)
        if s2 == 0:
            return 1.0 / beta
        return min(1.0 / beta, math.sqrt(2.0 * Delta / (beta * s2 * T)))
