"""L-NC (docs/theory.md section 5): an attracting non-stationary fixed point of deterministic SAM.

Construction, for c in (0, 1): f'(x) = beta (x + (1 + c) rho) for x <= -rho;
f'(x) = -beta (x + (1 - c) rho) for -rho <= x <= -(1 - c) rho / 2; f'(x) = beta x beyond.

* ``continuity``: the three pieces agree at -rho (value c beta rho) and at -(1 - c) rho / 2;
* ``fixed_point``: at xbar = -rho, f'(xbar) = c beta rho > 0, so u = 1, y = 0, f'(0) = 0, x+ = xbar;
* ``slope_left`` / ``slope_right``: for x = xbar + e, |e| < m = min{(1 - c) rho/2, c rho},
  f'(x) = beta (c rho - |e|) > 0, so u = 1 and y = e;
* ``attraction_left`` / ``attraction_right``: x+ - xbar = (1 - eta beta)(x - xbar), attracting for
  0 < eta beta < 2; hence |f'(x_t)| -> c beta rho and (1/T) sum G_t^2 -> c^2 beta^2 rho^2
  (continuity of f' and Cesaro means: not checked symbolically);
* ``fixed_point_gradient``: every SAM fixed point has ||grad f|| <= beta rho (grad f(y) = 0 there, (F2)).
"""

import sympy as sp

from sambounds.proof import Chain, Claim, Param, ProofFile, Step, Theorem
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import G, E, beta, eta, rho, s, w

c = sp.Symbol("c", positive=True)
e = sp.Symbol("e", real=True)
gx, dy = sp.symbols("gx dy", real=True)
xbar = -rho
m = sp.Min((1 - c) * rho / 2, c * rho)
C_LT_1 = Param(c, 1 / (1 + w), w, 1 / c - 1, "0 < c <= 1 (c < 1 for a non-empty neighbourhood)")
wp = sp.Symbol("w_p", positive=True)
ETA_LT_2 = Param(eta, 2 / (beta * (1 + wp)), wp, 2 / (beta * eta) - 1, "0 < eta beta < 2")


def piece(k, at):
    if k == 1:
        return ax.axiom("construction, x <= -rho: f'(x) = beta (x + (1 + c) rho)", gx if at is None else dy, "==",
                        beta * ((at if at is not None else xbar + e) + (1 + c) * rho), requires={"construction"},
                        side_conditions=(-rho - (at if at is not None else xbar + e),))
    if k == 2:
        x_ = xbar + e
        return ax.axiom("construction, -rho <= x <= -(1 - c) rho/2: f'(x) = -beta (x + (1 - c) rho)", gx, "==",
                        -beta * (x_ + (1 - c) * rho), requires={"construction"},
                        side_conditions=(x_ + rho, -(1 - c) * rho / 2 - x_))
    return ax.axiom("construction, y >= -(1 - c) rho/2: f'(y) = beta y", dy, "==", beta * at, requires={"construction"},
                    side_conditions=(at + (1 - c) * rho / 2,))


continuity = Theorem(
    "continuity",
    Claim(beta * (-rho + (1 + c) * rho) - (-beta * (-rho + (1 - c) * rho)) + (-beta * (-(1 - c) * rho / 2 + (1 - c) * rho))
          - beta * (-(1 - c) * rho / 2), "==", 0),
    Chain(beta * (-rho + (1 + c) * rho) - (-beta * (-rho + (1 - c) * rho)) + (-beta * (-(1 - c) * rho / 2 + (1 - c) * rho))
          - beta * (-(1 - c) * rho / 2), [Step("==", 0, "algebra")]),
    statement="the pieces of f' agree at -rho and at -(1 - c) rho/2 (f' continuous, slopes +-beta: beta-smooth)",
)

fixed_point = Theorem(
    "fixed_point",
    Claim(xbar - eta * dy, "==", xbar),
    Chain(xbar - eta * dy, [Step("==", xbar, "f'(xbar) = c beta rho > 0: u = 1, y = xbar + rho = 0, f'(0) = 0",
                                 [(piece(3, sp.Integer(0)), -eta)])]),
    assumptions={"construction"}, params=[C_LT_1],
    statement="xbar = -rho is a fixed point of SAM although f'(xbar) = c beta rho != 0",
)


def near(side: str):
    sgn = 1 if side == "right" else -1
    # e ranges over [0, m) (right) or (-m, 0] (left)
    param = Param(e, sgn * m * s / (1 + s), s, sgn * e / (m - sgn * e), f"0 <= {'' if sgn > 0 else '-'}e < m")
    slope_fact = piece(2, None) if sgn > 0 else piece(1, None)
    slope_thm = Theorem(
        f"slope_{side}",
        Claim(gx, ">", 0),
        Chain(gx, [Step("==", beta * (c * rho - sgn * e), "construction", [slope_fact]),
                   Step(">", 0, "|e| < m <= c rho")]),
        assumptions={"construction"}, params=[param, C_LT_1],
        statement=f"f'(xbar + e) = beta (c rho - |e|) > 0 for |e| < m ({side} side)",
    )
    attraction = Theorem(
        f"attraction_{side}",
        Claim((xbar + e) - eta * dy - xbar, "==", (1 - eta * beta) * e),
        Chain((xbar + e) - eta * dy - xbar, [
            Step("==", e - eta * beta * e, "u = 1 (slope > 0), y = xbar + e + rho = e, f'(e) = beta e",
                 [(piece(3, e), -eta)]),
            Step("==", (1 - eta * beta) * e, "algebra"),
        ]),
        assumptions={"construction"}, params=[param, C_LT_1, ETA_LT_2],
        statement=f"x+ - xbar = (1 - eta beta)(x - xbar) near xbar ({side} side)",
    )
    return [slope_thm, attraction]


FIXED = ax.hypothesis(E, "==", G, "at a fixed point grad f(y) = 0, so ||grad f(y) - grad f(x)|| = ||grad f(x)||")
fixed_point_gradient = Theorem(
    "fixed_point_gradient",
    Claim(G, "<=", beta * rho),
    Chain(G, [Step("==", E, "grad f(y) = 0 at a fixed point", [(FIXED, -1)]),
              Step("<=", beta * rho, "(F2)", [ax.perturbation_bound(E, beta, rho)])]),
    assumptions={"smooth"}, hypotheses=[FIXED],
    statement="every SAM fixed point has ||grad f|| <= beta rho, so c < 1 is the full range and D-NC's constant 1 is sharp",
)

PROOF = ProofFile(
    "l_nc_fixed_point", "L-NC: attracting non-stationary fixed point",
    [continuity, fixed_point] + near("right") + near("left") + [fixed_point_gradient],
    checked_numerically="the limits |f'(x_t)| -> c beta rho and (1/T) sum G_t^2 -> c^2 beta^2 rho^2 (continuity, Cesaro)",
)
