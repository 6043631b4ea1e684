"""D-SC, Theorem A with the prescribed step size (docs/theory.md section 4).

With N_T = max{2, mu^3 Delta T^2 / (beta^4 rho^2)} and eta_T = min{1/(2 beta), ln(N_T)/(mu T)},
constant over the T steps, T >= 1 and mu <= beta:

    f(x_T) - f* <= max{ e^(-mu T/(2 beta)) Delta,  beta^4 rho^2 / (mu^3 T^2),
                        (kappa + 1) beta^3 rho^2 ln^2(N_T) / (2 mu^2 T^2) }.

Proof (derived here): Theorem A's constant-eta bound max{(1 - mu eta)^T Delta, B(eta)}, with
(1 - x)^T <= e^(-x T) and B(eta) <= (kappa + 1) beta^3 rho^2 eta^2 / 2, split on which term of
the min is eta_T.  If eta_T = 1/(2 beta): the first term is <= e^(-mu T/(2 beta)) Delta and
B(1/(2 beta)) = (kappa + 1) beta rho^2 / 8 <= the third term because 1/(2 beta) <= ln(N_T)/(mu T).
If eta_T = ln(N_T)/(mu T): the first term is <= e^(-ln N_T) Delta = Delta/N_T <= the second term
because N_T >= mu^3 Delta T^2/(beta^4 rho^2), and B(eta_T) <= the third term.
"""

from pathlib import Path

import sympy as sp

from sambounds.proof import Branch, Cases, Chain, Claim, Param, ProofFile, Step, Theorem, lemma, load_proof
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import Delta, T, beta, eta, f_, fstar, kappa, mu, rho, v, w

THEOREM_A = load_proof("d_sc_theorem_a", Path(__file__).parent)
constant_eta, b_bound = THEOREM_A.theorem("constant_eta"), THEOREM_A.theorem("B_bound")

N = sp.Symbol("N_T", positive=True)
u = sp.Symbol("u", nonnegative=True)
L = sp.log(N)
ETA_T = sp.Min(1 / (2 * beta), L / (mu * T))
N_DEF = ax.definition(N, sp.Max(2, mu**3 * Delta * T**2 / (beta**4 * rho**2)), "N_T")
DELTA = ax.definition(Delta, f_[0] - fstar, "Delta = f(x_0) - f*")
MU = Param(mu, beta / (1 + u), u, beta / mu - 1, "0 < mu <= beta")
T_POS = Param(T, 1 + v, v, T - 1, "T >= 1")
N_GE_2 = Param(N, 2 + sp.Symbol("n", nonnegative=True), sp.Symbol("n", nonnegative=True), N - 2,
               "N_T >= 2 (implied by the definition of N_T)")


def B(step):
    return beta**4 * rho**2 * step**2 / (8 * mu * (1 - beta * step)**2) + beta**3 * rho**2 * step**2 / 2


BOUND = sp.Max(sp.exp(-mu * T / (2 * beta)) * Delta, beta**4 * rho**2 / (mu**3 * T**2),
               (kappa + 1) * beta**3 * rho**2 * L**2 / (2 * mu**2 * T**2))
A_AT_ETA_T = lemma(constant_eta, {eta: ETA_T})
SPLIT = L / (mu * T) - 1 / (2 * beta)
eta_b = L / (mu * T)

P = beta**4 * rho**2 / (mu**3 * T**2)
delta_over_n = Theorem(
    "delta_over_N",
    Claim(Delta / N, "<=", P),
    Chain(Delta / N, [Step("<=", P, "N_T >= mu^3 Delta T^2/(beta^4 rho^2)", [(N_DEF, -P / N)])]),
    params=[T_POS], hypotheses=[N_DEF],
    statement="Delta / N_T <= beta^4 rho^2 / (mu^3 T^2)",
)

prescribed = Theorem(
    "prescribed",
    Claim(f_[T] - fstar, "<=", BOUND),
    Cases(SPLIT, [
        Branch(">=", Chain(f_[T] - fstar, [
            Step("<=", A_AT_ETA_T.rhs, "Theorem A, constant eta = eta_T", [A_AT_ETA_T]),
            Step("==", sp.Max((1 - mu / (2 * beta))**T * Delta, B(1 / (2 * beta))), "eta_T = 1/(2 beta) in this case"),
            Step("<=", sp.Max(sp.exp(-mu * T / (2 * beta)) * Delta, B(1 / (2 * beta))), "(1 - x)^T <= e^(-x T)",
                 [(ax.exp_upper(mu / (2 * beta), T), Delta)]),
            Step("<=", BOUND, "B(1/(2 beta)) = (kappa + 1) beta rho^2 / 8 <= third term, as ln(N_T)/(mu T) >= 1/(2 beta)"),
        ]), params=[Param(L, mu * T * (1 + w) / (2 * beta), w, 2 * beta * L / (mu * T) - 1, "ln(N_T)/(mu T) >= 1/(2 beta)")]),
        Branch("<", Chain(f_[T] - fstar, [
            Step("<=", A_AT_ETA_T.rhs, "Theorem A, constant eta = eta_T", [A_AT_ETA_T]),
            Step("==", sp.Max((1 - L / T)**T * Delta, B(eta_b)), "eta_T = ln(N_T)/(mu T) in this case"),
            Step("<=", sp.Max(Delta / N, B(eta_b)), "(1 - x)^T <= e^(-x T) = 1/N_T",
                 [(ax.exp_upper(L / T, T), Delta)]),
            Step("<=", sp.Max(P, B(eta_b)), "Delta/N_T <= beta^4 rho^2/(mu^3 T^2)", [lemma(delta_over_n)]),
            Step("<=", sp.Max(P, (kappa + 1) * beta**3 * rho**2 * eta_b**2 / 2),
                 "B(eta) <= (kappa + 1) beta^3 rho^2 eta^2 / 2", [lemma(b_bound, {eta: eta_b})]),
            Step("<=", BOUND, "max"),
        ]), params=[Param(L, mu * T / (2 * beta * (1 + w)), w, mu * T / (2 * beta * L) - 1, "ln(N_T)/(mu T) < 1/(2 beta)")]),
    ]),
    assumptions={"smooth", "strongly_convex"}, params=[MU, T_POS, N_GE_2], hypotheses=[N_DEF, DELTA],
    statement="prescribed eta_T = min{1/(2 beta), ln(N_T)/(mu T)}: f(x_T) - f* <= max{e^(-mu T/(2 beta)) Delta, "
              "beta^4 rho^2/(mu^3 T^2), (kappa + 1) beta^3 rho^2 ln^2(N_T)/(2 mu^2 T^2)}",
)

PROOF = ProofFile("d_sc_prescribed", "D-SC: Theorem A with the prescribed step size", [delta_over_n, prescribed])
