"""D-SC, the kappa-free 1-D bound (docs/theory.md section 4).

f : R -> R beta-smooth and mu-strongly convex, minimizer x*, z = x - x*, eta <= 1/beta:

    |x+ - x*| <= max{(1 - mu eta)|x - x*|, eta beta rho},
    f(x_T) - f* <= max{kappa (1 - mu eta)^(2T) Delta, beta^3 rho^2 eta^2 / 2}.

Scalar abstraction.  In 1-D the ascent direction is u = sign(f'(x)) = sign(z) (0 at z = 0, the
zero-gradient convention), so y - x* = z + rho u sign(z) with u in [0, 1] (u = 1 if z != 0,
u = 0 if z = 0), and d = f'(y) satisfies the slope bounds mu (y - x*) <= d <= beta (y - x*) for
y >= x* (mirrored below x*).  The update is x+ - x* = z - eta d.

Proof (derived here).  For z >= 0: z - eta d <= z - eta mu (z + rho u) <= (1 - mu eta) z and
eta d - z <= eta beta (z + rho u) - z <= eta beta rho u <= eta beta rho (eta beta <= 1); z < 0 is
the mirror image.  Squaring (lemma ``square_of_max``), iterating (induction on T) and
f - f* <= (beta/2) z^2, (mu/2) z_0^2 <= Delta give the bound on f(x_T) - f*.
"""

import sympy as sp

from sambounds.proof import (Branch, Cases, Chain, Claim, Induction, Param, ProofFile, Step, Theorem,
                             definition_param, induction_hypothesis, lemma)
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import Delta, T, beta, eta, f_, fstar, k, kappa, mu, rho, s, w

z, d = sp.symbols("z d", real=True)
u = sp.Symbol("u", nonnegative=True)
mv = sp.Symbol("m_v", nonnegative=True)
z_, d_ = sp.IndexedBase("z", real=True), sp.IndexedBase("d", real=True)
A, a, b = sp.symbols("A a b", nonnegative=True)

ETA = Param(eta, 1 / (beta * (1 + w)), w, 1 / (beta * eta) - 1, "0 < eta <= 1/beta")
MU = Param(mu, beta / (1 + mv), mv, beta / mu - 1, "0 < mu <= beta")
U_LE_1 = ax.axiom("|u| <= 1", u, "<=", 1)
DELTA = ax.definition(Delta, f_[0] - fstar, "Delta = f(x_0) - f*")
ASSUME = {"one_dim", "smooth", "strongly_convex"}
q = 1 - mu * eta

# ---------------------------------------------------------------------------- a max lemma
H_MAX = ax.hypothesis(A, "<=", sp.Max(a, b), "A <= max{a, b}")
square_of_max = Theorem(
    "square_of_max",
    Claim(A**2, "<=", sp.Max(a**2, b**2)),
    Cases(a - b, [
        Branch(">=", Chain(A**2, [
            Step("<=", a**2, "A <= max{a, b} = a, squared (A, a >= 0)", [(H_MAX, A + a)]),
            Step("<=", sp.Max(a**2, b**2), "max"),
        ]), params=[Param(a, b + s, s, a - b, "a >= b")]),
        Branch("<", Chain(A**2, [
            Step("<=", b**2, "A <= max{a, b} = b, squared (A, b >= 0)", [(H_MAX, A + b)]),
            Step("<=", sp.Max(a**2, b**2), "max"),
        ]), params=[Param(a, b - s, s, b - a, "a < b")]),
    ]),
    hypotheses=[H_MAX],
    statement="0 <= A <= max{a, b} with a, b >= 0 implies A^2 <= max{a^2, b^2}",
)

# ---------------------------------------------------------------------------- one step
ONE_STEP_RHS = sp.Max(q * sp.Abs(z), eta * beta * rho)
one_step_abs = Theorem(
    "one_step_abs",
    Claim(sp.Abs(z - eta * d), "<=", ONE_STEP_RHS),
    Cases(z, [
        Branch(">=", Chain(sp.Abs(z - eta * d), [
            Step("<=", ONE_STEP_RHS, "slopes mu (z + rho u) <= d <= beta (z + rho u) above x*, u <= 1, eta beta <= 1",
                 [(ax.one_dim_slopes(d, z + rho * u, mu, beta, "lower"), eta),
                  (ax.one_dim_slopes(d, z + rho * u, mu, beta, "upper"), eta), (U_LE_1, eta * beta * rho)]),
        ]), params=[Param(z, s, s, z, "x >= x*")]),
        Branch("<", Chain(sp.Abs(z - eta * d), [
            Step("<=", ONE_STEP_RHS, "mirror image: beta (z - rho u) <= d <= mu (z - rho u) below x*",
                 [(ax.one_dim_slopes(d, z - rho * u, mu, beta, "upper-"), eta),
                  (ax.one_dim_slopes(d, z - rho * u, mu, beta, "lower-"), eta), (U_LE_1, eta * beta * rho)]),
        ]), params=[Param(z, -s, s, -z, "x < x*")]),
    ]),
    assumptions=ASSUME, params=[ETA],
    statement="1-D: |x+ - x*| <= max{(1 - mu eta)|x - x*|, eta beta rho}, eta <= 1/beta",
)

one_step_sq = Theorem(
    "one_step_squared",
    Claim((z - eta * d)**2, "<=", sp.Max(q**2 * z**2, eta**2 * beta**2 * rho**2)),
    Chain((z - eta * d)**2, [
        Step("<=", sp.Max(q**2 * z**2, eta**2 * beta**2 * rho**2), "square the one-step bound",
             [lemma(square_of_max, {A: sp.Abs(z - eta * d), a: q * sp.Abs(z), b: eta * beta * rho},
                    given=[lemma(one_step_abs)])]),
    ]),
    assumptions=ASSUME, params=[ETA, MU],
    statement="1-D: (x+ - x*)^2 <= max{(1 - mu eta)^2 (x - x*)^2, eta^2 beta^2 rho^2}",
)

# ---------------------------------------------------------------------------- iterate
it_claim = Claim(z_[T]**2, "<=", sp.Max(q**(2 * T) * z_[0]**2, eta**2 * beta**2 * rho**2))
UPDATE = definition_param(z_[T + 1], z_[T] - eta * d_[T], "x_{t+1} - x* = x_t - x* - eta f'(y_t)")
UPDATE_K = definition_param(z_[k + 1], z_[k] - eta * d_[k], "x_{k+1} - x* = x_k - x* - eta f'(y_k)")
iterate = Theorem(
    "iterate",
    it_claim,
    Induction(T,
              base=Chain(z_[0]**2, [Step("<=", sp.Max(z_[0]**2, eta**2 * beta**2 * rho**2), "max")]),
              step=Chain(z_[T + 1]**2, [
                  Step("<=", sp.Max(q**2 * z_[T]**2, eta**2 * beta**2 * rho**2), "one step, squared, at step T",
                       [lemma(one_step_sq, {z: z_[T], d: d_[T]})]),
                  Step("<=", sp.Max(q**2 * it_claim.rhs, eta**2 * beta**2 * rho**2),
                       "induction hypothesis, times (1 - mu eta)^2", [(induction_hypothesis(it_claim), q**2)]),
                  Step("<=", it_claim.rhs.subs(T, T + 1), "(1 - mu eta)^2 <= 1"),
              ])),
    assumptions=ASSUME, params=[ETA, MU, UPDATE],
    statement="1-D: (x_T - x*)^2 <= max{(1 - mu eta)^(2T) (x_0 - x*)^2, eta^2 beta^2 rho^2}",
)

BOUND = sp.Max(kappa * q**(2 * T) * Delta, beta**3 * rho**2 * eta**2 / 2)
value = Theorem(
    "function_value",
    Claim(f_[T] - fstar, "<=", BOUND),
    Chain(f_[T] - fstar, [
        Step("<=", beta / 2 * z_[T]**2, "smoothness at the minimizer", [ax.smooth_gap_upper(f_[T] - fstar, beta, z_[T]**2)]),
        Step("<=", beta / 2 * it_claim.rhs, "iterate bound", [(lemma(iterate), beta / 2)]),
        Step("<=", BOUND, "strong convexity: (mu/2)(x_0 - x*)^2 <= Delta",
             [(ax.strong_convexity_gap_lower(f_[0] - fstar, mu, z_[0]**2), kappa * q**(2 * T)),
              (DELTA, -kappa * q**(2 * T))]),
    ]),
    assumptions=ASSUME, params=[ETA, MU, UPDATE_K], hypotheses=[DELTA],
    statement="1-D: f(x_T) - f* <= max{kappa (1 - mu eta)^(2T) Delta, beta^3 rho^2 eta^2 / 2}",
)

PROOF = ProofFile("d_sc_one_dim", "D-SC: kappa-free bound in one dimension",
                  [square_of_max, one_step_abs, one_step_sq, iterate, value])
