"""D-SC, decreasing schedule (docs/theory.md section 4): eta_t = 2/(mu (t + a)), a >= max{3, 4 kappa}.

    f(x_T) - f* <= max{(a - 1)(a - 2) Delta, 2 (kappa + 1) beta^3 rho^2 / mu^2} / ((T + a - 1)(T + a - 2)).

Since mu <= beta, kappa >= 1 and a >= 4 kappa already gives a >= 4 > 3; the proof uses a >= 4 kappa.
eta_t <= 2/(mu a) <= 1/(2 beta), so Theorem A applies at every step.

Induction (derived here).  Base: Delta = (a - 1)(a - 2) Delta / ((a - 1)(a - 2)).  Step: by
Theorem A, f_{t+1} - f* <= max{(1 - mu eta_t)(f_t - f*), B(eta_t)} with 1 - mu eta_t = (t + a - 2)/(t + a) >= 0.
First term: (t + a - 2)/(t + a) * C/((t + a - 1)(t + a - 2)) = C/((t + a)(t + a - 1)), exactly the claim at
t + 1.  Second term: B(eta_t) <= (kappa + 1) beta^3 rho^2 eta_t^2 / 2 = 2 (kappa + 1) beta^3 rho^2/(mu^2 (t + a)^2)
<= C/(t + a)^2 <= C/((t + a)(t + a - 1)): a rational-function inequality in t and a.
"""

from pathlib import Path

import sympy as sp

from sambounds.proof import Chain, Claim, Induction, Param, ProofFile, Step, Theorem, induction_hypothesis, lemma, load_proof
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import Delta, G, G_, T, beta, eta, f, f_, f_next, fstar, kappa, mu, rho, w

THEOREM_A = load_proof("d_sc_theorem_a", Path(__file__).parent)
a = sp.Symbol("a", positive=True)
u = sp.Symbol("u", nonnegative=True)
A_PARAM = Param(a, 4 * beta / mu + w, w, a - 4 * beta / mu, "a >= 4 kappa (hence a >= 4 > 3)")
MU = Param(mu, beta / (1 + u), u, beta / mu - 1, "0 < mu <= beta")
DELTA = ax.definition(Delta, f_[0] - fstar, "Delta = f(x_0) - f*")

C = sp.Max((a - 1) * (a - 2) * Delta, 2 * (kappa + 1) * beta**3 * rho**2 / mu**2)
claim = Claim(f_[T] - fstar, "<=", C / ((T + a - 1) * (T + a - 2)))
eta_T = 2 / (mu * (T + a))
one_step = lemma(THEOREM_A.theorem("one_step"), {eta: eta_T, f: f_[T], f_next: f_[T + 1], G: G_[T]})
b_bound = lemma(THEOREM_A.theorem("B_bound"), {eta: eta_T})

decreasing = Theorem(
    "decreasing",
    claim,
    Induction(T,
              base=Chain(f_[0] - fstar, [
                  Step("==", Delta, "Delta = f(x_0) - f*", [(DELTA, -1)]),
                  Step("<=", claim.rhs.subs(T, 0), "max"),
              ]),
              step=Chain(f_[T + 1] - fstar, [
                  Step("<=", one_step.rhs, "Theorem A at step T with eta_T = 2/(mu (T + a))", [one_step]),
                  Step("<=", sp.Max((1 - mu * eta_T) * claim.rhs, one_step.rhs.args[1]
                                    if one_step.rhs.args[0].has(f_[T]) else one_step.rhs.args[0]),
                       "induction hypothesis, times 1 - mu eta_T >= 0", [(induction_hypothesis(claim), 1 - mu * eta_T)]),
                  Step("<=", sp.Max((1 - mu * eta_T) * claim.rhs, (kappa + 1) * beta**3 * rho**2 * eta_T**2 / 2),
                       "B(eta) <= (kappa + 1) beta^3 rho^2 eta^2 / 2", [b_bound]),
                  Step("<=", claim.rhs.subs(T, T + 1), "rational-function inequality in T and a"),
              ])),
    assumptions={"smooth", "strongly_convex"}, params=[A_PARAM, MU], hypotheses=[DELTA],
    statement="eta_t = 2/(mu (t + a)), a >= max{3, 4 kappa}: f(x_T) - f* <= "
              "max{(a-1)(a-2) Delta, 2 (kappa+1) beta^3 rho^2/mu^2} / ((T+a-1)(T+a-2))",
)

PROOF = ProofFile("d_sc_decreasing", "D-SC: decreasing schedule eta_t = 2/(mu (t + a))", [decreasing])
