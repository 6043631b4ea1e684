"""Closed forms from the literature that anchor correctness (docs/theory.md section 3), plus the USAM reference.

Symbols follow the catalog: the smoothness constant L of the GD literature is ``beta``, the step
h is ``eta``, the horizon N is ``T`` and the initial distance R is ``D``.
"""

from __future__ import annotations

import sympy as sp

from ...schedules import InverseBeta
from ...setting import Algorithm, FunctionClass
from ..bound import Bound
from ..symbols import D, Delta, T, beta, eta, mu, rho
from ..terms import Kind, Order, Provenance, Quantity, StepAssumption, StepKind

_GD = frozenset({Algorithm.GD})
_DT = ("Y. Drori and M. Teboulle, Performance of first-order methods for smooth convex minimization: "
       "a novel approach, Math. Program. 145 (2014)")
_SC_RATE = ("classical contraction of GD (B. T. Polyak, Introduction to Optimization, 1987); tight on "
            "quadratics, see A. Taylor, J. Hendrickx, F. Glineur, Smooth strongly convex interpolation and "
            "exact worst-case performance of first-order methods, Math. Program. 161 (2017)")
_GD_CONTRACTION = sp.Max(sp.Abs(1 - eta * mu), sp.Abs(1 - eta * beta)) ** (2 * T) * D**2


def _gd(name, expr, kind, quantity, function_class, step, order, citation, statement) -> Bound:
    return Bound(name=name, expr=expr, kind=kind, quantity=quantity, algorithms=_GD, function_class=function_class,
                 step=step, order=order, provenance=Provenance.LITERATURE, citation=citation, statement=statement)


BOUNDS = (
    _gd("GD/convex/drori-teboulle", beta * D**2 / (4 * T + 2), Kind.UPPER, Quantity.GAP, FunctionClass.CONVEX,
        StepAssumption(StepKind.PRESCRIBED, rule=InverseBeta()), Order("Theta", beta * D**2 / T, "explicit: 1/4"),
        _DT, "GD with step 1/beta on beta-smooth convex f: f(x_T) - f* <= beta D^2/(4T + 2) (tight)."),
    _gd("GD/convex/drori-teboulle-tight", beta * D**2 / (4 * T + 2), Kind.LOWER, Quantity.GAP,
        FunctionClass.CONVEX, StepAssumption(StepKind.PRESCRIBED, rule=InverseBeta()),
        Order("Theta", beta * D**2 / T, "explicit: 1/4"), _DT,
        "The Drori-Teboulle bound is attained (a Huber-type function), so it is also a lower bound."),
    _gd("GD/strongly-convex/distance", _GD_CONTRACTION, Kind.UPPER, Quantity.DIST, FunctionClass.STRONGLY_CONVEX,
        StepAssumption(StepKind.CONSTANT), Order("Theta", _GD_CONTRACTION, "explicit: 1"), _SC_RATE,
        "GD with constant step eta: ||x_T - x*||^2 <= max(|1 - eta mu|, |1 - eta beta|)^(2T) D^2 (tight)."),
    _gd("GD/strongly-convex/distance-tight", _GD_CONTRACTION, Kind.LOWER, Quantity.DIST,
        FunctionClass.STRONGLY_CONVEX, StepAssumption(StepKind.CONSTANT), Order("Theta", _GD_CONTRACTION, "explicit: 1"),
        _SC_RATE, "Attained on f = mu x^2/2 or f = beta x^2/2, whichever has the larger |1 - eta lambda|."),
    Bound(name="SAM/quadratic/two-cycle", expr=beta**3 * eta**2 * rho**2 / (2 * (2 - beta * eta) ** 2),
          kind=Kind.LOWER, quantity=Quantity.LIM_GAP, algorithms=frozenset({Algorithm.SAM}),
          function_class=FunctionClass.STRONGLY_CONVEX,
          step=StepAssumption(StepKind.CONSTANT, limit=2 / beta, strict=True),
          order=Order("Theta", beta**3 * eta**2 * rho**2, "explicit: 1/(2 (2 - beta eta)^2)"),
          provenance=Provenance.LITERATURE,
          citation="docs/theory.md section 3 (elementary); the SAM 2-cycle on quadratics is also studied by P. Bartlett, "
                   "P. Long, O. Bousquet, The dynamics of sharpness-aware minimization, JMLR 24 (2023)",
          statement="On f = beta x^2/2 (beta-smooth and mu-strongly convex for every mu <= beta), SAM with "
                    "0 < eta beta < 2 approaches the 2-cycle +-c, c = eta beta rho/(2 - eta beta), where "
                    "f - f* = beta c^2/2."),
    Bound(name="USAM/quadratic", expr=(1 - eta * beta * (1 + rho * beta)) ** (2 * T) * Delta, kind=Kind.LOWER,
          quantity=Quantity.GAP, algorithms=frozenset({Algorithm.USAM}),
          function_class=FunctionClass.STRONGLY_CONVEX, step=StepAssumption(StepKind.CONSTANT),
          order=Order("Theta", (1 - eta * beta * (1 + rho * beta)) ** (2 * T) * Delta, "explicit: 1"),
          provenance=Provenance.LITERATURE,
          citation="elementary closed form; USAM (unnormalized SAM) as in M. Andriushchenko and N. Flammarion, "
                   "Towards understanding sharpness-aware minimization, ICML 2022",
          statement="On f = beta x^2/2, USAM is x_{t+1} = (1 - eta beta (1 + rho beta)) x_t, so f(x_T) - f* = "
                    "(1 - eta beta (1 + rho beta))^(2T) Delta exactly: no rho^2 floor, unlike normalized SAM."),
)
