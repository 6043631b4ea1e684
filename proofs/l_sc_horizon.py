"""L-SC/horizon: no constant step size beats c beta^3 rho^2 / (mu^2 T^2) (docs/theory-open-rows.md, s.1).

Class: beta-smooth, mu-strongly convex f : R -> R (mu <= beta), f(x_0) - f* <= Delta with
Delta > beta rho^2 / 2; deterministic SAM with a constant eta > 0; horizon T >= 1.  With

    M = (rho + sqrt(2 Delta/mu + kappa (kappa - 1) rho^2)) / ((kappa + 1) rho)   (> 1 iff Delta > beta rho^2/2),
    eta_0 = ln(M) / (mu (T + ln M)),
    LB = min{ beta rho^2 / 2,  beta^3 rho^2 ln^2(M) / (8 mu^2 (T + ln M)^2) },

for every eta > 0 one of three explicit 1-D functions of the class has f(x_T) - f* >= LB:

* eta <= eta_0 (and eta < 1/beta) -- the *slow* function: L-SC with R = rho (slope beta on
  |x| <= rho, slope mu outside), started at the far point x_0 > R with f(x_0) - f* = Delta.
  Outside the quadratic region the update is exactly z_{t+1} = (1 - mu eta) z_t for
  z = x + rho + (kappa - 1) R (``outer_step``), so z_T = (1 - mu eta)^T z_0 as long as x_t >= R;
  (1 - mu eta)^T >= 1/M (``slow_phase``) keeps z_T >= z_0/M = (kappa + 1) rho, i.e. x_T >= R
  (``slow_iterate``), so f(x_T) - f* >= beta R^2/2 = beta rho^2/2 >= LB (``outer_gap``).
* eta_0 <= eta <= 1/beta -- the *cycle*: f = beta x^2/2 started on its 2-cycle x_0 = c =
  eta beta rho/(2 - eta beta) (f(x_0) = beta c^2/2 <= beta rho^2/2 < Delta); SAM maps c to -c
  and back (l_sc_cycle ``cycle``), so f(x_T) - f* = beta c^2/2 >= beta^3 eta^2 rho^2/8 for every
  T (l_sc_cycle ``limit_gap``, ``limit_gap_lower``) and that is >= LB because eta >= eta_0
  (``regime_fast``).
* eta >= 1/beta (including eta >= 2/beta) -- f = beta x^2/2 started at x_0 = rho: every step
  maps x != 0 to |x+| = (eta beta - 1)|x| + eta beta rho >= rho (``large_step``), so
  f(x_T) - f* >= beta rho^2/2 >= LB for every T (``regime_large``).

Machine-checked here: every step above except the iteration of ``outer_step`` over t < T (an
induction whose hypothesis x_t >= R follows from z_t = (1 - mu eta)^t z_0 >= z_T; it enters
``slow_iterate`` as the stated hypothesis ``z_T = (1 - mu eta)^T z_0``), the closed form of the
far start (f(x) - f* = (mu/2)(x + (kappa - 1) R)^2 - (beta/2)(kappa - 1) R^2 outside R, solved for
f(x_0) - f* = Delta; ``LSC.far_start``) and the sign symmetry of the even functions used.
The check ``sambounds report`` witnesses the whole statement numerically on a grid of eta.
"""

import sympy as sp

from pathlib import Path

from sambounds.proof import Chain, Claim, Param, ProofFile, Step, Theorem, definition_param, lemma, load_proof
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import T, beta, eta, kappa, mu, rho, s, v, w

CYCLE = load_proof("l_sc_cycle", Path(__file__).parent)
R = sp.Symbol("R", positive=True)
r, a = sp.symbols("r a", nonnegative=True)
x = sp.Symbol("x", positive=True)
dy, gap, z_T, z_0 = sp.symbols("dy gap z_T z_0", real=True)
M = sp.Symbol("M", positive=True)
L = sp.log(M)
ETA_0 = L / (mu * (T + L))
LB_FAST = beta**3 * rho**2 * L**2 / (8 * mu**2 * (T + L)**2)
LB = sp.Min(beta * rho**2 / 2, LB_FAST)
CYCLE_GAP = beta**3 * eta**2 * rho**2 / (2 * (2 - eta * beta)**2)

T_POS = Param(T, 1 + v, v, T - 1, "T >= 1")
M_GE_1 = Param(L, a, a, L, "M >= 1 (ln M >= 0; M > 1 iff Delta > beta rho^2/2)")
MU = Param(mu, beta / (1 + sp.Symbol("m_u", nonnegative=True)), sp.Symbol("m_u", nonnegative=True), beta / mu - 1,
           "0 < mu <= beta")
X_OUT = Param(x, R + r, r, x - R, "x >= R (outside the quadratic region)")

# ---------------------------------------------------------------------------- the slow function
outer_slope = ax.axiom("construction: f'(y) = beta R + mu (y - R) for y >= R", dy, "==", beta * R + mu * (x + rho - R),
                       requires={"construction"}, side_conditions=(x + rho - R,))
Z = x + rho + (kappa - 1) * R
outer_step = Theorem(
    "outer_step",
    Claim(x - eta * dy + rho + (kappa - 1) * R, "==", (1 - mu * eta) * Z),
    Chain(x - eta * dy + rho + (kappa - 1) * R, [
        Step("==", x - eta * (beta * R + mu * (x + rho - R)) + rho + (kappa - 1) * R,
             "x >= R > 0: u = 1, y = x + rho >= R lies in the slope-mu region", [(outer_slope, -eta)]),
        Step("==", (1 - mu * eta) * Z, "algebra: beta R = mu kappa R"),
    ]),
    assumptions={"construction"}, params=[X_OUT],
    statement="L-SC outside |x| <= R: z = x + rho + (kappa - 1) R contracts exactly, z+ = (1 - mu eta) z",
)

outer_value = ax.axiom("construction: f(x) - f* = beta R^2/2 + beta R (x - R) + mu (x - R)^2/2 for x >= R", gap, "==",
                       beta * R**2 / 2 + beta * R * (x - R) + mu * (x - R)**2 / 2, requires={"construction"},
                       side_conditions=(x - R,))
outer_gap = Theorem(
    "outer_gap",
    Claim(gap, ">=", beta * R**2 / 2),
    Chain(gap, [
        Step("==", beta * R**2 / 2 + beta * R * (x - R) + mu * (x - R)**2 / 2, "f on the slope-mu region",
             [outer_value]),
        Step(">=", beta * R**2 / 2, "x >= R"),
    ]),
    assumptions={"construction"}, params=[X_OUT],
    statement="L-SC: f(x) - f* >= beta R^2/2 for x >= R",
)

q = 1 - mu * eta
slow_phase = Theorem(
    "slow_phase",
    Claim(q**T, ">=", 1 / M),
    Chain(q**T, [
        Step(">=", sp.exp(-mu * eta * T / q), "(1 - x)^T >= exp(-x T/(1 - x)), x = mu eta < 1",
             [ax.exp_lower(mu * eta, T)]),
        Step(">=", 1 / M, "exp increasing: mu eta T/(1 - mu eta) <= ln M iff eta <= eta_0",
             [ax.exp_monotone(-L, -mu * eta * T / q)]),
    ]),
    params=[Param(eta, ETA_0 / (1 + w), w, ETA_0 / eta - 1, "eta <= eta_0 = ln M/(mu (T + ln M))"), T_POS, M_GE_1],
    statement="eta <= eta_0 = ln M/(mu (T + ln M)): (1 - mu eta)^T >= 1/M",
)

Z_T = ax.hypothesis(z_T, "==", q**T * z_0, "z_T = (1 - mu eta)^T z_0 (outer_step iterated: x_t >= R for t < T "
                    "because z_t >= z_T)")
Z0_DEF = definition_param(z_0, M * (kappa + 1) * rho, "z_0 = M (kappa + 1) rho (definition of M)")
ETA_SLOW = Param(eta, ETA_0 / (1 + w), w, ETA_0 / eta - 1, "eta <= eta_0 = ln M/(mu (T + ln M))")
slow_iterate = Theorem(
    "slow_iterate",
    Claim(z_T, ">=", (kappa + 1) * rho),
    Chain(z_T, [
        Step("==", q**T * z_0, "outer_step iterated", [Z_T]),
        Step(">=", (kappa + 1) * rho, "slow_phase times z_0 = M (kappa + 1) rho >= 0", [(lemma(slow_phase), z_0)]),
    ]),
    params=[ETA_SLOW, T_POS, M_GE_1, Z0_DEF], hypotheses=[Z_T],
    statement="slow function, eta <= eta_0: z_T >= (kappa + 1) rho, i.e. x_T = z_T - rho - (kappa - 1) R >= R for R = rho",
)

regime_slow = Theorem(
    "regime_slow",
    Claim(beta * rho**2 / 2, ">=", LB),
    Chain(beta * rho**2 / 2, [Step(">=", LB, "min")]),
    params=[M_GE_1],
    statement="slow function, eta <= eta_0: f(x_T) - f* >= beta R^2/2 = beta rho^2/2 >= LB (outer_gap at R = rho)",
)

# ---------------------------------------------------------------------------- the cycle, eta_0 <= eta <= 1/beta
ETA_LE_1 = Param(eta, 1 / (beta * (1 + w)), w, 1 / (beta * eta) - 1, "0 < eta beta <= 1")
ETA_GE_0 = ax.hypothesis(eta, ">=", ETA_0, "eta >= eta_0 = ln M/(mu (T + ln M))")
regime_fast = Theorem(
    "regime_fast",
    Claim(CYCLE_GAP, ">=", LB),
    Chain(CYCLE_GAP, [
        Step(">=", beta**3 * eta**2 * rho**2 / 8, "(2 - eta beta)^2 <= 4 for 0 < eta beta <= 1",
             [lemma(CYCLE.theorem("limit_gap_lower"))]),
        Step(">=", LB_FAST, "eta >= eta_0 >= 0", [(ETA_GE_0, beta**3 * rho**2 * (eta + ETA_0) / 8)]),
        Step(">=", LB, "min"),
    ]),
    params=[ETA_LE_1, T_POS, M_GE_1], hypotheses=[ETA_GE_0],
    statement="cycle of beta x^2/2, eta_0 <= eta <= 1/beta: f(x_T) - f* = beta^3 eta^2 rho^2/(2 (2 - eta beta)^2) >= LB",
)

# ---------------------------------------------------------------------------- large steps, eta >= 1/beta
quad_slope = ax.axiom("construction: f'(y) = beta y (f = beta x^2/2)", dy, "==", beta * (x + rho),
                      requires={"construction"})
ETA_GE_1 = Param(eta, (1 + w) / beta, w, beta * eta - 1, "eta beta >= 1")
large_step = Theorem(
    "large_step",
    Claim(-(x - eta * dy), ">=", rho),
    Chain(-(x - eta * dy), [
        Step("==", (eta * beta - 1) * x + eta * beta * rho, "x > 0: u = 1, y = x + rho", [(quad_slope, eta)]),
        Step(">=", rho, "eta beta >= 1, x > 0"),
    ]),
    assumptions={"construction"}, params=[ETA_GE_1],
    statement="f = beta x^2/2, eta beta >= 1, x > 0: x+ = -((eta beta - 1) x + eta beta rho) <= -rho (mirror for x < 0)",
)

regime_large = Theorem(
    "regime_large",
    Claim(beta * rho**2 / 2, ">=", LB),
    Chain(beta * rho**2 / 2, [Step(">=", LB, "min")]),
    params=[M_GE_1],
    statement="f = beta x^2/2 from x_0 = rho, eta >= 1/beta: |x_T| >= rho, so f(x_T) - f* >= beta rho^2/2 >= LB",
)

PROOF = ProofFile("l_sc_horizon", "L-SC/horizon: a lower bound in T for every constant step size", [
    outer_step, outer_gap, slow_phase, slow_iterate, regime_slow, regime_fast, large_step, regime_large],
    checked_numerically="the iteration of outer_step over t < T (hypothesis of slow_iterate), the far start's closed "
                        "form (LSC.far_start) and the witness on a grid of eta (sambounds report)")
