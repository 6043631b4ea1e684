"""The paper's abstract-level claims (docs/theory.md section 2): orders only, no explicit constants.

Si & Yun, Practical Sharpness-Aware Minimization Cannot Converge All the Way to Optima,
NeurIPS 2023 (arXiv:2306.09850).  Each entry's formula is the order *shape*; the constant is
named in ``order.constant`` and unknown, so these entries are never numeric certified bounds
(:attr:`Bound.explicit` is False; a query reports them as ``order-only``).  Where the abstract
does not name the measure, the entry records it on the measure of the project's applicable
derived bound and says so.
"""

from __future__ import annotations

import sympy as sp

from ...setting import Algorithm, FunctionClass
from ..bound import Bound
from ..symbols import T, rho
from ..terms import Kind, Order, Provenance, Quantity, StepAssumption, StepKind

_CITE = ("D. Si and C. Yun, Practical Sharpness-Aware Minimization Cannot Converge All the Way to Optima, "
         "NeurIPS 2023 (arXiv:2306.09850), abstract; claim {}")
_SAM = frozenset({Algorithm.SAM})
_STOCH = frozenset({Algorithm.N_SAM, Algorithm.M_SAM})
_STEP = StepAssumption(StepKind.UNSPECIFIED)


def _claim(name, shape, kind, quantity, algorithms, function_class, symbol, constant, claim, statement) -> Bound:
    return Bound(name=name, expr=shape, kind=kind, quantity=quantity, algorithms=algorithms,
                 function_class=function_class, step=_STEP, order=Order(symbol, shape, constant),
                 provenance=Provenance.PAPER, citation=_CITE.format(claim), statement=statement)


_FLOOR = "C, unknown (the abstract states orders only)"

BOUNDS = (
    _claim("paper/D-SC/rate", T**-2, Kind.UPPER, Quantity.GAP, _SAM, FunctionClass.STRONGLY_CONVEX, "Theta~",
           "C(beta, mu, rho, Delta), unknown; log factors hidden", "1",
           "Deterministic SAM on smooth strongly convex f converges at the tight rate Theta~(1/T^2) with a "
           "suitably chosen T-dependent step size."),
    _claim("paper/D-SC/rate-lower", T**-2, Kind.LOWER, Quantity.GAP, _SAM, FunctionClass.STRONGLY_CONVEX, "Omega",
           "c(beta, mu, rho, Delta), unknown", "1",
           "'Tight': a matching Omega(1/T^2) lower bound exists for deterministic SAM on smooth strongly convex f."),
    _claim("paper/S-SC/floor", rho**2, Kind.UPPER, Quantity.E_GAP, _STOCH, FunctionClass.STRONGLY_CONVEX, "O",
           _FLOOR, "2",
           "Stochastic SAM on smooth strongly convex f: the bound is (terms vanishing in T) + O(rho^2), converging "
           "only to a neighbourhood of the optimum."),
    _claim("paper/S-C/floor", rho**2, Kind.UPPER, Quantity.E_GRAD_AVG, _STOCH, FunctionClass.CONVEX, "O", _FLOOR, "3",
           "Stochastic SAM on smooth convex f: an additive O(rho^2) term (measure not named in the abstract; "
           "recorded on the averaged squared gradient norm, as S-NC)."),
    _claim("paper/S-NC/floor", rho**2, Kind.UPPER, Quantity.E_GRAD_AVG, _STOCH, FunctionClass.NONCONVEX, "O",
           _FLOOR, "3", "Stochastic SAM on smooth nonconvex f: an additive O(rho^2) term."),
    _claim("paper/D-NC/floor", rho**2, Kind.UPPER, Quantity.GRAD_AVG, _SAM, FunctionClass.NONCONVEX, "O",
           _FLOOR, "3", "Deterministic SAM on smooth nonconvex f: an additive O(rho^2) term."),
    _claim("paper/S/floor-unavoidable", rho**2, Kind.LOWER, Quantity.LIMINF_E_GAP, _STOCH,
           FunctionClass.STRONGLY_CONVEX, "Omega", _FLOOR, "4",
           "The stochastic rho^2 terms are unavoidable: there are smooth strongly convex examples (hence also "
           "convex and nonconvex ones) on which stochastic SAM stays at suboptimality of order rho^2."),
    _claim("paper/D-NC/floor-unavoidable", rho**2, Kind.LOWER, Quantity.LIM_GRAD_AVG, _SAM, FunctionClass.NONCONVEX,
           "Omega", _FLOOR, "4",
           "The deterministic nonconvex rho^2 term is unavoidable: SAM can stay at squared gradient norm of "
           "order rho^2."),
    _claim("paper/D-C/no-floor", sp.Integer(1), Kind.UPPER, Quantity.GRAD_MIN, _SAM, FunctionClass.CONVEX, "o",
           "none: the claim is convergence (o(1) as T -> infinity) without a rho^2 term", "5",
           "By implication, deterministic SAM on smooth convex f converges with no rho^2 floor (measure not named "
           "in the abstract; recorded on min_t ||grad f(x_t)||^2, as D-C)."),
)
