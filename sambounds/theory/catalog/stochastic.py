"""n-SAM and m-SAM: the project's explicit-constant theorems S-SC and S-NC (docs/theory.md section 4).

Assumptions: unbiased oracle with variance <= sigma^2 everywhere.  n-SAM: f beta-smooth, the
descent sample independent of the ascent sample.  m-SAM: every component beta-smooth, the same
sample.  Both enter through the effective noise

    sigma_*^2 = sigma^2                      (n-SAM),
    sigma_*^2 = sigma^2 + 2 beta rho sigma   (m-SAM),

and the one-step inequality E f(x+) <= f(x) - (eta/2) G^2 + eta beta^2 rho^2/2 + beta eta^2 sigma_*^2/2
(eta <= 1/beta), proof ``proofs/s_sc.py``.
"""

from __future__ import annotations

import sympy as sp

from ...schedules import StochasticNC, StochasticSC
from ...setting import Algorithm, FunctionClass
from ..bound import Bound
from ..symbols import Delta, T, beta, eta, mu, rho, sigma, sum_eta, sum_eta2
from ..terms import Kind, Order, Provenance, Quantity, StepAssumption, StepKind

_CITE = "sambounds derivation, docs/theory.md section 4 ({}); setting of Si & Yun (NeurIPS 2023)"
_VARIANTS = {
    "n-sam": (Algorithm.N_SAM, sigma**2),
    "m-sam": (Algorithm.M_SAM, sigma**2 + 2 * beta * rho * sigma),
}


def _entries(variant: str) -> tuple[Bound, ...]:
    algorithm, s2 = _VARIANTS[variant]
    algs = frozenset({algorithm})
    N = sp.Max(2, mu**2 * Delta * T / (beta * s2))
    # sigma_*^2 ln(N) -> 0 as sigma -> 0 (sigma_* = 0 iff sigma = 0); stated so sigma = 0 evaluates exactly.
    noise = sp.Piecewise((0, sp.Eq(sigma, 0)), (beta * s2 * (1 + sp.log(N) / 2) / (mu**2 * T), True))

    def bound(name, expr, quantity, function_class, step, order, proof, statement, section):
        return Bound(name=f"{name}/{variant}", expr=expr, kind=Kind.UPPER, quantity=quantity, algorithms=algs,
                     function_class=function_class, step=step, order=order, provenance=Provenance.DERIVED,
                     citation=_CITE.format(section), statement=statement, proof=proof)

    sc, nc = FunctionClass.STRONGLY_CONVEX, FunctionClass.NONCONVEX
    return (
        bound("S-SC/constant", (1 - mu * eta) ** T * Delta + beta**2 * rho**2 / (2 * mu) + beta * eta * s2 / (2 * mu),
              Quantity.E_GAP, sc, StepAssumption(StepKind.CONSTANT, limit=1 / beta),
              Order("O", sp.exp(-mu * eta * T) * Delta + beta**2 * rho**2 / mu + beta * eta * s2 / mu,
                    "explicit: 1, 1/2, 1/2"),
              "s_sc", "Constant eta <= 1/beta: E f(x_T) - f* <= (1 - mu eta)^T Delta + beta^2 rho^2/(2 mu) + "
              "beta eta sigma_*^2/(2 mu); the rho^2 term does not vanish.", "S-SC"),
        bound("S-SC/prescribed", sp.exp(-mu * T / beta) * Delta + noise + beta**2 * rho**2 / (2 * mu),
              Quantity.E_GAP, sc, StepAssumption(StepKind.PRESCRIBED, rule=StochasticSC(variant)),
              Order("O~", sp.exp(-mu * T / beta) * Delta + beta * s2 / (mu**2 * T) + beta**2 * rho**2 / mu,
                    "explicit; 1 + ln(N)/2 hidden by O~"),
              "s_sc", "eta = min{1/beta, ln(N)/(mu T)}, N = max{2, mu^2 Delta T/(beta sigma_*^2)}; attained with "
              "equality (n-SAM) on construction L-S with kappa = 1, eta = 1/beta.", "S-SC"),
        bound("S-NC/schedule", 2 * Delta + beta**2 * rho**2 * sum_eta + beta * s2 * sum_eta2,
              Quantity.E_GRAD_WSUM, nc, StepAssumption(StepKind.SCHEDULE, limit=1 / beta),
              Order("O", Delta + beta**2 * rho**2 * sum_eta + beta * s2 * sum_eta2, "explicit: 2, 1, 1"),
              "s_nc", "sum_t eta_t E G_t^2 <= 2 Delta + beta^2 rho^2 sum_t eta_t + beta sigma_*^2 sum_t eta_t^2.",
              "S-NC"),
        bound("S-NC/constant", 2 * Delta / (eta * T) + beta**2 * rho**2 + beta * eta * s2,
              Quantity.E_GRAD_AVG, nc, StepAssumption(StepKind.CONSTANT, limit=1 / beta),
              Order("O", Delta / (eta * T) + beta**2 * rho**2 + beta * eta * s2, "explicit: 2, 1, 1"),
              "s_nc", "The schedule-generic S-NC bound with constant eta <= 1/beta, divided by eta T.", "S-NC"),
        bound("S-NC/prescribed", sp.Max(4 * beta * Delta / T, 2 * sp.sqrt(2 * beta * s2 * Delta / T))
              + beta**2 * rho**2,
              Quantity.E_GRAD_AVG, nc, StepAssumption(StepKind.PRESCRIBED, rule=StochasticNC(variant)),
              Order("O", beta * Delta / T + sp.sqrt(beta * s2 * Delta / T) + beta**2 * rho**2,
                    "explicit: 4, 2 sqrt(2), 1"),
              "s_nc", "eta = min{1/beta, (2 Delta/(beta sigma_*^2 T))^(1/2)}: (1/T) sum_t E G_t^2 <= max{4 beta "
              "Delta/T, 2 (2 beta sigma_*^2 Delta/T)^(1/2)} + beta^2 rho^2.", "S-NC"),
    )


BOUNDS = _entries("n-sam") + _entries("m-sam")
