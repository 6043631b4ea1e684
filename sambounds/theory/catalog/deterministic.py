"""Deterministic SAM: the project's explicit-constant theorems of docs/theory.md section 4 (D-NC, D-C, D-SC).

Notation: G_t = ||grad f(x_t)||, kappa = beta/mu.  Every entry is ``derived``: its proof is
``proofs/<proof>.py``.  All hold for any perturbation direction of norm rho at points with zero
gradient (docs/theory.md section 7), hence for the zero-gradient convention y_t = x_t.
"""

from __future__ import annotations

import sympy as sp

from ...schedules import ConvexAverage, ConvexMinimum, DecreasingSC, InverseBeta, TheoremA
from ...setting import Algorithm, FunctionClass
from ..bound import Bound
from ..symbols import (D, Delta, T, a, beta, eta, kappa, mu, prod_mu, rho, sum_eta, sum_eta2, sum_lambda3,
                       wsum_mu)
from ..terms import Kind, Order, Provenance, Quantity, StepAssumption, StepKind

_SAM = frozenset({Algorithm.SAM})
_CITE = "sambounds derivation, docs/theory.md section 4 ({}); setting of Si & Yun (NeurIPS 2023)"


def _schedule(limit) -> StepAssumption:
    return StepAssumption(StepKind.SCHEDULE, limit=limit)


def _constant(limit, strict: bool = False) -> StepAssumption:
    return StepAssumption(StepKind.CONSTANT, limit=limit, strict=strict)


def _prescribed(rule) -> StepAssumption:
    return StepAssumption(StepKind.PRESCRIBED, rule=rule)


def _derived(name, expr, quantity, function_class, step, order, proof, statement, section,
             conditions=(), restriction=None, parameters=()) -> Bound:
    return Bound(name=name, expr=expr, kind=Kind.UPPER, quantity=quantity, algorithms=_SAM,
                 function_class=function_class, step=step, order=order, provenance=Provenance.DERIVED,
                 citation=_CITE.format(section), statement=statement, conditions=conditions, proof=proof,
                 restriction=restriction, parameters=parameters)


_NC = FunctionClass.NONCONVEX
_C = FunctionClass.CONVEX
_SC = FunctionClass.STRONGLY_CONVEX

# ---- D-NC: Lemma N, f(x+) <= f(x) - (eta/2) G^2 + eta beta^2 rho^2 / 2 for eta <= 1/beta ----------
D_NC = (
    _derived("D-NC/schedule", 2 * Delta + beta**2 * rho**2 * sum_eta, Quantity.GRAD_WSUM, _NC,
             _schedule(1 / beta), Order("O", Delta + beta**2 * rho**2 * sum_eta, "explicit: 2 and 1"),
             "d_nc_lemma_n", "Lemma N summed over t: sum_t eta_t G_t^2 <= 2 Delta + beta^2 rho^2 sum_t eta_t.",
             "D-NC, Lemma N"),
    _derived("D-NC/schedule-min", (2 * Delta + beta**2 * rho**2 * sum_eta) / sum_eta, Quantity.GRAD_MIN, _NC,
             _schedule(1 / beta), Order("O", Delta / sum_eta + beta**2 * rho**2, "explicit: 2 and 1"),
             "d_nc_lemma_n", "min_t G_t^2 is at most the eta-weighted average of Lemma N's sum.",
             "D-NC, Lemma N"),
    _derived("D-NC/constant", 2 * Delta / (eta * T) + beta**2 * rho**2, Quantity.GRAD_AVG, _NC,
             _constant(1 / beta), Order("O", Delta / (eta * T) + beta**2 * rho**2, "explicit: 2 and 1"),
             "d_nc_lemma_n", "Lemma N with constant eta <= 1/beta, divided by eta T.", "D-NC, Lemma N"),
    _derived("D-NC/inverse-beta", 2 * beta * Delta / T + beta**2 * rho**2, Quantity.GRAD_AVG, _NC,
             _prescribed(InverseBeta()), Order("O", beta * Delta / T + beta**2 * rho**2, "explicit: 2 and 1"),
             "d_nc_lemma_n", "eta = 1/beta: (1/T) sum_t G_t^2 <= 2 beta Delta/T + beta^2 rho^2; the constant 1 "
             "on beta^2 rho^2 is sharp (L-NC).", "D-NC, Lemma N"),
)

# ---- D-C: Lemma C, f(x+) <= f(x) - eta(1 - beta eta/2) G^2 + (beta^3 rho^2 eta^2/2) 1[G < G0(eta)] -------
_ETA_MIN = sp.Min(1 / (2 * beta), (4 * Delta / (3 * beta**4 * rho**2 * T)) ** sp.Rational(1, 3))
_MIN_CONST = sp.Max(4 * Delta / (3 * eta * T), beta**4 * rho**2 * eta**2)

D_C = (
    _derived("D-C/schedule", 2 * Delta + beta**3 * rho**2 * sum_eta2, Quantity.GRAD_WSUM, _C,
             _schedule(1 / beta), Order("O", Delta + beta**3 * rho**2 * sum_eta2, "explicit: 2 and 1"),
             "d_c_lemma_c", "Lemma C summed: sum_t eta_t G_t^2 <= 2 Delta + beta^3 rho^2 sum_t eta_t^2 (no rho^2 "
             "floor once sum eta_t^2 / sum eta_t -> 0).", "D-C, Lemma C"),
    _derived("D-C/schedule-min", (2 * Delta + beta**3 * rho**2 * sum_eta2) / sum_eta, Quantity.GRAD_MIN, _C,
             _schedule(1 / beta), Order("O", (Delta + beta**3 * rho**2 * sum_eta2) / sum_eta, "explicit: 2 and 1"),
             "d_c_lemma_c", "min_t G_t^2 is at most the eta-weighted average of Lemma C's sum.", "D-C, Lemma C"),
    _derived("D-C/distance/schedule", D**2 + beta * rho**2 * sum_eta, Quantity.DIST, _C,
             _schedule(1 / beta), Order("O", D**2 + beta * rho**2 * sum_eta, "explicit: 1"), "d_c_lemma_c",
             "Distance recursion ||x_{t+1} - x*||^2 <= ||x_t - x*||^2 + eta_t beta rho^2/(2 - beta eta_t), "
             "summed with 2 - beta eta_t >= 1.", "D-C, distance recursion"),
    _derived("D-C/distance/constant", D**2 + T * eta * beta * rho**2 / (2 - beta * eta), Quantity.DIST, _C,
             _constant(1 / beta), Order("O", D**2 + T * eta * beta * rho**2, "explicit: 1/(2 - beta eta) <= 1"),
             "d_c_lemma_c", "Distance recursion summed for a constant step.", "D-C, distance recursion"),
    _derived("D-C/minimum/constant", _MIN_CONST, Quantity.GRAD_MIN, _C, _constant(1 / (2 * beta)),
             Order("O", Delta / (eta * T) + beta**4 * rho**2 * eta**2, "explicit: 4/3 and 1"), "d_c_rates",
             "Constant eta <= 1/(2 beta): min_t G_t^2 <= max{4 Delta/(3 eta T), beta^4 rho^2 eta^2}.",
             "D-C, minimum"),
    _derived("D-C/minimum/prescribed", _MIN_CONST.subs(eta, _ETA_MIN), Quantity.GRAD_MIN, _C,
             _prescribed(ConvexMinimum()),
             Order("O", beta * Delta / T + (beta**2 * rho * Delta / T) ** sp.Rational(2, 3), "explicit"),
             "d_c_rates", "eta = min{1/(2 beta), (4 Delta/(3 beta^4 rho^2 T))^(1/3)} in the minimum bound: "
             "a T^(-2/3) rate.", "D-C, minimum", conditions=(sp.StrictGreaterThan(Delta, 0),)),
    _derived("D-C/average/constant", 2 * Delta / (eta * T) + beta**3 * rho**2 * eta, Quantity.GRAD_AVG, _C,
             _constant(1 / beta), Order("O", Delta / (eta * T) + beta**3 * rho**2 * eta, "explicit: 2 and 1"),
             "d_c_rates", "Lemma C with constant eta <= 1/beta, divided by eta T.", "D-C, average"),
    _derived("D-C/average/prescribed", sp.Max(4 * beta * Delta / T, 2 * sp.sqrt(2 * beta**3 * rho**2 * Delta / T)),
             Quantity.GRAD_AVG, _C, _prescribed(ConvexAverage()),
             Order("O", beta * Delta / T + sp.sqrt(beta**3 * rho**2 * Delta / T), "explicit: 4 and 2 sqrt(2)"),
             "d_c_rates", "eta = min{1/beta, (2 Delta/(beta^3 rho^2 T))^(1/2)}: (1/T) sum_t G_t^2 <= "
             "max{4 beta Delta/T, 2 (2 beta^3 rho^2 Delta/T)^(1/2)}.", "D-C, average"),
)

# ---- D-SC --------------------------------------------------------------------------------------------
_B = beta**4 * rho**2 * eta**2 / (8 * mu * (1 - beta * eta) ** 2) + beta**3 * rho**2 * eta**2 / 2
_N_T = sp.Max(2, mu**3 * Delta * T**2 / (beta**4 * rho**2))
# rho^2 ln^2(N_T) -> 0 as rho -> 0; the Piecewise states that limit so that rho = 0 evaluates exactly.
_LOG_TERM = sp.Piecewise((0, sp.Eq(rho, 0)),
                         ((kappa + 1) * beta**3 * rho**2 * sp.log(_N_T) ** 2 / (2 * mu**2 * T**2), True))
_A_DEFAULT = sp.Max(3, sp.ceiling(4 * kappa - sp.Rational(1, 10**12)))

D_SC = (
    _derived("D-SC/weak/schedule", prod_mu * Delta + beta**3 * rho**2 * wsum_mu / 2, Quantity.GAP, _SC,
             _schedule(1 / beta), Order("O", prod_mu * Delta + beta**3 * rho**2 * wsum_mu, "explicit: 1 and 1/2"),
             "d_sc_weak", "Unrolled f_{t+1} - f* <= (1 - mu eta_t)(f_t - f*) + beta^3 rho^2 eta_t^2/2.",
             "D-SC, weak order"),
    _derived("D-SC/weak/constant",
             (1 - mu * eta) ** T * Delta + beta**3 * rho**2 * eta * (1 - (1 - mu * eta) ** T) / (2 * mu),
             Quantity.GAP, _SC, _constant(1 / beta),
             Order("O", sp.exp(-mu * eta * T) * Delta + kappa * beta**2 * rho**2 * eta, "explicit: 1 and 1/2"),
             "d_sc_weak", "Weak-order recursion with constant eta: an O(eta) neighbourhood.", "D-SC, weak order"),
    _derived("D-SC/theorem-a/constant", sp.Max((1 - mu * eta) ** T * Delta, _B), Quantity.GAP, _SC,
             _constant(1 / (2 * beta)),
             Order("O", sp.exp(-mu * eta * T) * Delta + (kappa + 1) * beta**3 * rho**2 * eta**2, "explicit: B(eta)"),
             "d_sc_theorem_a", "Theorem A, constant eta <= 1/(2 beta): f(x_T) - f* <= max{(1 - mu eta)^T Delta, "
             "B(eta)}, B(eta) = beta^4 rho^2 eta^2/(8 mu (1 - beta eta)^2) + beta^3 rho^2 eta^2/2.",
             "D-SC, Theorem A"),
    _derived("D-SC/theorem-a/constant-kappa", sp.Max((1 - mu * eta) ** T * Delta,
                                                     (kappa + 1) * beta**3 * rho**2 * eta**2 / 2),
             Quantity.GAP, _SC, _constant(1 / (2 * beta)),
             Order("O", sp.exp(-mu * eta * T) * Delta + (kappa + 1) * beta**3 * rho**2 * eta**2, "explicit: 1/2"),
             "d_sc_theorem_a", "Theorem A with B(eta) <= (kappa + 1) beta^3 rho^2 eta^2/2.", "D-SC, Theorem A"),
    _derived("D-SC/theorem-a/prescribed",
             sp.Max(sp.exp(-mu * T / (2 * beta)) * Delta, beta**4 * rho**2 / (mu**3 * T**2), _LOG_TERM),
             Quantity.GAP, _SC, _prescribed(TheoremA()),
             Order("O~", sp.exp(-mu * T / (2 * beta)) * Delta + (kappa + 1) * beta**3 * rho**2 / (mu**2 * T**2),
                   "explicit; ln^2(N_T)/2 hidden by O~"),
             "d_sc_prescribed", "Theorem A with eta_T = min{1/(2 beta), ln(N_T)/(mu T)}, N_T = max{2, mu^3 Delta "
             "T^2/(beta^4 rho^2)}: the paper's Theta~(1/T^2) in T, with an extra kappa.", "D-SC, Theorem A"),
    _derived("D-SC/decreasing",
             sp.Max((a - 1) * (a - 2) * Delta, 2 * (kappa + 1) * beta**3 * rho**2 / mu**2)
             / ((T + a - 1) * (T + a - 2)),
             Quantity.GAP, _SC, _prescribed(DecreasingSC()),
             Order("O", (a**2 * Delta + kappa * beta**3 * rho**2 / mu**2) / T**2, "explicit: 1 and 2"),
             "d_sc_decreasing", "eta_t = 2/(mu (t + a)), integer a >= max{3, 4 kappa}: a 1/T^2 rate with no log.",
             "D-SC, decreasing schedule",
             # The 1e-12 slack matches schedules.DecreasingSC: kappa itself carries rounding error.
             conditions=(sp.GreaterThan(a, 3), sp.GreaterThan(a, 4 * kappa - sp.Rational(1, 10**12))),
             parameters=((a, _A_DEFAULT),)),
    _derived("D-SC/one-dim", sp.Max(kappa * (1 - mu * eta) ** (2 * T) * Delta, beta**3 * rho**2 * eta**2 / 2),
             Quantity.GAP, _SC, _constant(1 / beta),
             Order("O", kappa * sp.exp(-2 * mu * eta * T) * Delta + beta**3 * rho**2 * eta**2, "explicit: 1 and 1/2"),
             "d_sc_one_dim", "1-D: |x_{t+1} - x*| <= max{(1 - mu eta)|x_t - x*|, eta beta rho}; kappa-free "
             "neighbourhood.", "D-SC, kappa-free special cases", restriction="d = 1 (one-dimensional f)"),
    _derived("D-SC/quadratic", (1 - mu * eta) ** (2 * T) * Delta + eta**2 * rho**2 * sum_lambda3 / 2,
             Quantity.GAP, _SC, _constant(1 / beta),
             Order("O", sp.exp(-2 * mu * eta * T) * Delta + eta**2 * rho**2 * sum_lambda3, "explicit: 1 and 1/2"),
             "d_sc_quadratic", "Quadratics mu I <= H <= beta I with eigenvalues lambda_i: kappa-free "
             "neighbourhood (eta^2 rho^2/2) sum_i lambda_i^3.", "D-SC, kappa-free special cases",
             restriction="quadratic f (sum_lambda3 = sum_i lambda_i^3 of its Hessian)"),
)

BOUNDS = D_NC + D_C + D_SC
