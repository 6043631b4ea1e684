"""L-SC (docs/theory.md section 5): the 2-cycle of deterministic SAM on a strongly convex 1-D function.

Construction: f'(x) = beta x for |x| <= R, f'(x) = sign(x)(beta R + mu (|x| - R)) outside, with
R >= rho (1 + eta beta)(1 + delta), delta >= 0.  With c = eta beta rho / (2 - eta beta):

* ``cycle``: x = c (and, f' being odd, x = -c) is mapped to -c: c - eta beta (c + rho) = -c, for
  0 < eta beta < 2, provided c + rho <= R (``region``: true for eta beta <= 1);
* ``contraction``: for 0 < x <= R - rho (so u = 1 and y = x + rho in the quadratic region),
  x+ + c = (1 - eta beta)(x - c): the cycle attracts with factor |1 - eta beta| < 1 per step;
* ``limit_gap``: on the cycle f - f* = beta c^2 / 2 = beta^3 eta^2 rho^2 / (2 (2 - eta beta)^2);
* ``limit_gap_lower``: that is >= beta^3 eta^2 rho^2 / 8 for eta beta <= 1.

Checked here: the cycle, the local contraction and the two gap statements.  Not checked
symbolically: the global statement "attracts all starts but a countable set" (a finite-time
entry into the quadratic region, argued in docs/theory.md and observed numerically).
"""

import sympy as sp

from sambounds.proof import Chain, Claim, Param, ProofFile, Step, Theorem
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import beta, eta, rho, w

R, x = sp.symbols("R x", positive=True)
delta = sp.Symbol("delta", nonnegative=True)
r = sp.Symbol("r", nonnegative=True)
dy, x_next = sp.symbols("dy x_next", real=True)
c = eta * beta * rho / (2 - eta * beta)

wp = sp.Symbol("w_p", positive=True)
ETA_LT_2 = Param(eta, 2 / (beta * (1 + wp)), wp, 2 / (beta * eta) - 1, "0 < eta beta < 2")
ETA_LE_1 = Param(eta, 1 / (beta * (1 + w)), w, 1 / (beta * eta) - 1, "0 < eta beta <= 1")
R_PARAM = Param(R, rho * (1 + eta * beta) * (1 + delta) + r, r, R - rho * (1 + eta * beta) * (1 + delta),
                "R >= rho (1 + eta beta)(1 + delta)")
REGION_C = ax.hypothesis(c + rho, "<=", R, "c + rho <= R")


def slope(y):
    """The construction's slope on the quadratic region |y| <= R."""
    return ax.axiom("construction: f'(y) = beta y for |y| <= R", dy, "==", beta * y, requires={"construction"},
                    side_conditions=(R - y, R + y))


region = Theorem(
    "region",
    Claim(c + rho, "<=", R),
    Chain(c + rho, [
        Step("<=", rho * (1 + eta * beta), "2/(2 - eta beta) <= 1 + eta beta iff eta beta (1 - eta beta) >= 0"),
        Step("<=", R, "R >= rho (1 + eta beta)(1 + delta)"),
    ]),
    params=[ETA_LE_1, R_PARAM],
    statement="for eta beta <= 1 the ascent point c + rho of the cycle lies in the quadratic region",
)

cycle = Theorem(
    "cycle",
    Claim(c - eta * dy, "==", -c),
    Chain(c - eta * dy, [
        Step("==", c - eta * beta * (c + rho), "u = 1 at x = c > 0, y = c + rho in the quadratic region", [(slope(c + rho), -eta)]),
        Step("==", -c, "algebra: c (1 - eta beta) - eta beta rho = -c"),
    ]),
    assumptions={"construction"}, params=[ETA_LT_2, Param(R, c + rho + r, r, R - c - rho, "c + rho <= R")],
    statement="SAM maps c to -c (and -c to c): a 2-cycle, 0 < eta beta < 2",
)

contraction = Theorem(
    "contraction",
    Claim(x - eta * dy + c, "==", (1 - eta * beta) * (x - c)),
    Chain(x - eta * dy + c, [
        Step("==", x - eta * beta * (x + rho) + c, "u = 1 for x > 0, y = x + rho <= R", [(slope(x + rho), -eta)]),
        Step("==", (1 - eta * beta) * (x - c), "algebra"),
    ]),
    assumptions={"construction"}, params=[ETA_LT_2, Param(R, x + rho + r, r, R - x - rho, "0 < x <= R - rho")],
    statement="x+ + c = (1 - eta beta)(x - c) for 0 < x <= R - rho: the cycle attracts, factor |1 - eta beta| < 1",
)

gap = sp.Symbol("gap", real=True)
GAP = ax.hypothesis(gap, "==", beta * c**2 / 2, "f(+-c) - f* = beta c^2 / 2 (quadratic region)")
limit_gap = Theorem(
    "limit_gap",
    Claim(gap, "==", beta**3 * eta**2 * rho**2 / (2 * (2 - eta * beta)**2)),
    Chain(gap, [Step("==", beta * c**2 / 2, "f = beta x^2/2 on the region", [GAP]),
                Step("==", beta**3 * eta**2 * rho**2 / (2 * (2 - eta * beta)**2), "algebra")]),
    params=[ETA_LT_2], hypotheses=[GAP],
    statement="on the cycle f - f* = beta^3 eta^2 rho^2 / (2 (2 - eta beta)^2)",
)

limit_gap_lower = Theorem(
    "limit_gap_lower",
    Claim(beta**3 * eta**2 * rho**2 / (2 * (2 - eta * beta)**2), ">=", beta**3 * eta**2 * rho**2 / 8),
    Chain(beta**3 * eta**2 * rho**2 / (2 * (2 - eta * beta)**2),
          [Step(">=", beta**3 * eta**2 * rho**2 / 8, "(2 - eta beta)^2 <= 4 for 0 < eta beta <= 1")]),
    params=[ETA_LE_1],
    statement="beta^3 eta^2 rho^2 / (2 (2 - eta beta)^2) >= beta^3 eta^2 rho^2 / 8 for eta beta <= 1",
)

PROOF = ProofFile(
    "l_sc_cycle", "L-SC: the 2-cycle, its contraction factor and limit gap",
    [region, cycle, contraction, limit_gap, limit_gap_lower],
    checked_numerically="global attraction from every start but a countable set (docs/theory.md section 5)",
)
