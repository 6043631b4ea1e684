"""Lower-bound constructions of docs/theory.md section 5, as lower bounds on the quantity they force.

A lower bound here says: some function of the class (the construction) makes the quantity at
least the value, so no upper bound for the class can go below it.  The constructions live in
``sambounds.functions``; their fixed points and contraction factors are proved in ``proofs/``.
"""

from __future__ import annotations

import sympy as sp

from ...setting import Algorithm, FunctionClass
from ..bound import Bound
from ..lower_constants import c_LS
from ..symbols import beta, c, eta, p, rho, sigma
from ..terms import Kind, Order, Provenance, Quantity, StepAssumption, StepKind

_CITE = "sambounds construction, docs/theory.md section 5 ({}); mechanism of Si & Yun (NeurIPS 2023)"
_CYCLE = beta**3 * eta**2 * rho**2 / (2 * (2 - beta * eta) ** 2)
_K_BUDGET = sp.sqrt(p / (1 - p)) * sigma / (beta * rho)

BOUNDS = (
    Bound(name="L-SC/limit", expr=_CYCLE, kind=Kind.LOWER, quantity=Quantity.LIM_GAP,
          algorithms=frozenset({Algorithm.SAM}), function_class=FunctionClass.STRONGLY_CONVEX,
          step=StepAssumption(StepKind.CONSTANT, limit=1 / beta),
          order=Order("Theta", beta**3 * eta**2 * rho**2, "explicit: 1/(2 (2 - beta eta)^2)"),
          provenance=Provenance.DERIVED, citation=_CITE.format("L-SC"), proof="l_sc_cycle",
          statement="1-D f' = beta x on |x| <= R, slope mu outside (R >= rho(1 + eta beta)(1 + delta)): SAM "
                    "approaches the 2-cycle +-c, c = eta beta rho/(2 - eta beta), so lim f(x_t) - f* = "
                    "beta^3 eta^2 rho^2/(2 (2 - eta beta)^2) (proved for eta beta <= 1)."),
    Bound(name="L-SC/floor", expr=beta**3 * eta**2 * rho**2 / 8, kind=Kind.LOWER, quantity=Quantity.LIM_GAP,
          algorithms=frozenset({Algorithm.SAM}), function_class=FunctionClass.STRONGLY_CONVEX,
          step=StepAssumption(StepKind.CONSTANT, limit=1 / beta),
          order=Order("Omega", beta**3 * eta**2 * rho**2, "explicit: 1/8"),
          provenance=Provenance.DERIVED, citation=_CITE.format("L-SC"), proof="l_sc_cycle",
          statement="The L-SC limit is >= beta^3 eta^2 rho^2/8 for eta beta <= 1: a constant step cannot beat "
                    "an eta^2 rho^2 neighbourhood."),
    Bound(name="L-NC", expr=c**2 * beta**2 * rho**2, kind=Kind.LOWER, quantity=Quantity.LIM_GRAD_AVG,
          algorithms=frozenset({Algorithm.SAM}), function_class=FunctionClass.NONCONVEX,
          step=StepAssumption(StepKind.CONSTANT, limit=2 / beta, strict=True),
          order=Order("Theta", beta**2 * rho**2, "explicit: c^2 for any c in (0, 1); supremum 1"),
          provenance=Provenance.DERIVED, citation=_CITE.format("L-NC"), proof="l_nc_fixed_point",
          statement="Piecewise-linear f' with slopes +-beta makes xbar = -rho an attracting SAM fixed point with "
                    "f'(xbar) = c beta rho (contraction 1 - eta beta), so (1/T) sum_t G_t^2 -> c^2 beta^2 rho^2; "
                    "c -> 1 shows the constant 1 of D-NC is sharp.",
          conditions=(sp.StrictLessThan(c, 1),), parameters=((c, sp.Rational(99, 100)),)),
    Bound(name="L-S", expr=sp.Piecewise((0, sp.Eq(rho, 0)), (c_LS(p, _K_BUDGET) * beta * rho**2, True)),
          kind=Kind.LOWER, quantity=Quantity.LIMINF_E_GAP,
          algorithms=frozenset({Algorithm.N_SAM, Algorithm.M_SAM}), function_class=FunctionClass.STRONGLY_CONVEX,
          step=StepAssumption(StepKind.EVERY_CONSTANT),
          order=Order("Omega", beta * rho**2, "explicit: c(p, K) < 1/2, see lower_constants.c_pK"),
          provenance=Provenance.DERIVED, citation=_CITE.format("L-S"), proof="l_s_floor",
          statement="Two components beta x^2/2 + A x (prob. p) and beta x^2/2 - B x, B = K beta rho, with K = "
                    "sqrt(p/(1-p)) sigma/(beta rho) so the noise variance is exactly sigma^2: for every constant "
                    "eta, liminf E f(x_t) - f* >= c(p, K) beta rho^2 (small steps drift to E x -> rho(1 - 2p), "
                    "large steps pay a variance floor).",
          conditions=(sp.StrictLessThan(p, sp.Rational(1, 2)),), parameters=((p, sp.Rational(1, 10)),)),
)
