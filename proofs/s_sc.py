"""S-SC (docs/theory.md section 4): n-SAM and m-SAM on a beta-smooth mu-strongly convex f.

Assumptions: unbiased stochastic gradients with variance <= sigma^2 everywhere; n-SAM: the
descent sample is independent of the ascent one (the ascent direction may be any unit vector);
m-SAM: every component l(.; xi) is beta-smooth and the same sample is used.  For eta <= 1/beta:

    E f(x+) <= f(x) - (eta/2) G^2 + eta beta^2 rho^2 / 2 + beta eta^2 sigma_*^2 / 2,
    sigma_*^2 = sigma^2 (n-SAM),  sigma_*^2 = sigma^2 + 2 beta rho sigma (m-SAM);
    constant eta:  E f(x_T) - f* <= (1 - mu eta)^T Delta + beta^2 rho^2/(2 mu) + beta eta sigma_*^2/(2 mu);
    eta = min{1/beta, ln(N)/(mu T)}, N = max{2, mu^2 Delta T/(beta sigma_*^2)}:
    E f(x_T) - f* <= e^(-mu T/beta) Delta + beta sigma_*^2 (1 + ln(N)/2)/(mu^2 T) + beta^2 rho^2/(2 mu).

Scalar abstraction.  Expectations are over the step's samples given x; they are linear
functionals of the pointwise quantities, so they are real symbols with the averaged facts:
n-SAM: E<g, grad l(y; xi')> = <g, d>, E||grad l(y; xi')||^2 <= ||d||^2 + sigma^2, then Lemma N's
argument.  m-SAM: d^ = g + n + e^ with n = grad l(x; xi) - g (E n = 0, E||n||^2 <= sigma^2) and
e^ = grad l(y; xi) - grad l(x; xi) (||e^|| <= beta rho pointwise); E<n, e^> <= beta rho E||n||
(Cauchy-Schwarz and smoothness of the component) and E||n|| <= sigma (Jensen).  Across steps the
one-step bound and PL hold for every x_t, hence in total expectation (``expected``).
"""


import sympy as sp

from sambounds.proof import (Branch, Cases, Chain, Claim, Induction, Param, ProofFile, Step, Theorem, expected,
                             induction_hypothesis, lemma)
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import Delta, E, G, T, beta, eta, f, f_next, fstar, mu, rho, sigma, v, w

ge, Egd, Ege, Ene = sp.symbols("ge Egd Ege Ene", real=True)
Egg, Ee1, Ee2, En1, En2 = sp.symbols("Egg Ee1 Ee2 En1 En2", nonnegative=True)
Ef_, EG2_ = sp.IndexedBase("Ef", real=True), sp.IndexedBase("EG2", nonnegative=True)
u = sp.Symbol("u", nonnegative=True)
N = sp.Symbol("N", positive=True)

ETA = Param(eta, 1 / (beta * (1 + w)), w, 1 / (beta * eta) - 1, "0 < eta <= 1/beta")
MU = Param(mu, beta / (1 + u), u, beta / mu - 1, "0 < mu <= beta")
T_POS = Param(T, 1 + v, v, T - 1, "T >= 1")
N_GE_2 = Param(N, 2 + sp.Symbol("n", nonnegative=True), sp.Symbol("n", nonnegative=True), N - 2, "N >= 2")
DELTA = ax.definition(Delta, Ef_[0] - fstar, "Delta = f(x_0) - f*")
S_N, S_M = sigma**2, sigma**2 + 2 * beta * rho * sigma

# ---------------------------------------------------------------------------- n-SAM, one step
gram = ax.Gram({("g", "g"): G**2, ("e", "e"): E**2, ("g", "e"): ge})
d_vec = {"g": 1, "e": 1}
F1_N = ax.axiom("descent lemma (F1), averaged over the descent sample", f_next, "<=",
                f - eta * Egd + beta * eta**2 / 2 * Egg, requires={"smooth"})
UNBIASED = ax.axiom("unbiased, independent descent sample: E<g, grad l(y; xi')> = <g, d>", Egd, "==",
                    gram.inner({"g": 1}, d_vec), requires={"stochastic"})
VARIANCE = ax.axiom("variance: E||grad l(y; xi')||^2 <= ||d||^2 + sigma^2", Egg, "<=", gram.sq(d_vec) + sigma**2,
                    requires={"stochastic"})
ONE_N = f - eta / 2 * G**2 + eta * beta**2 * rho**2 / 2 + beta * eta**2 * S_N / 2
one_step_n = Theorem(
    "one_step_nsam",
    Claim(f_next, "<=", ONE_N),
    Chain(f_next, [
        Step("<=", F1_N.rhs, "descent lemma (F1), averaged", [F1_N]),
        Step("==", f - eta * gram.inner({"g": 1}, d_vec) + beta * eta**2 / 2 * Egg, "unbiased", [(UNBIASED, -eta)]),
        Step("<=", f - eta * gram.inner({"g": 1}, d_vec) + beta * eta**2 / 2 * (gram.sq(d_vec) + sigma**2), "variance",
             [(VARIANCE, beta * eta**2 / 2)]),
        Step("<=", ONE_N, "Lemma N: Cauchy-Schwarz, complete the square, (F2)",
             [(ax.cauchy_schwarz(gram, {"g": 1}, {"e": 1}, G, E), eta * (1 - beta * eta)), (ax.square(G - E), eta / 2 * (1 - beta * eta)),
              (ax.perturbation_bound(E, beta, rho), eta / 2 * (E + beta * rho))]),
    ]),
    assumptions={"smooth", "stochastic"}, params=[ETA],
    statement="n-SAM one step: E f(x+) <= f(x) - (eta/2) G^2 + eta beta^2 rho^2/2 + beta eta^2 sigma^2/2 (f_next = E f(x+))",
)

# ---------------------------------------------------------------------------- m-SAM, one step
egram = ax.Gram({("g", "g"): G**2, ("g", "n"): 0, ("g", "e"): Ege, ("n", "n"): En2, ("e", "e"): Ee2, ("n", "e"): Ene})
dh = {"g": 1, "n": 1, "e": 1}
F1_M = ax.axiom("descent lemma (F1) along d^ = g + n + e^, averaged (E<g, n> = 0)", f_next, "<=",
                f - eta * egram.inner({"g": 1}, dh) + beta * eta**2 / 2 * egram.sq(dh), requires={"smooth", "stochastic"})
A_ = beta * eta**2 / 2
ONE_M = f - eta / 2 * G**2 + eta * beta**2 * rho**2 / 2 + beta * eta**2 * S_M / 2
one_step_m = Theorem(
    "one_step_msam",
    Claim(f_next, "<=", ONE_M),
    Chain(f_next, [
        Step("<=", F1_M.rhs, "descent lemma (F1), averaged", [F1_M]),
        Step("<=", f - eta / 2 * G**2 + eta / 2 * Ee2 + A_ * (En2 + 2 * Ene),
             "Cauchy-Schwarz and E(G - ||e^||)^2 >= 0, averaged (Lemma N's square)",
             [(ax.axiom("Cauchy-Schwarz, averaged: E<g, e^> >= -G E||e^||", Ege, ">=", -G * Ee1), eta * (1 - beta * eta)),
              (ax.axiom("E (G - ||e^||)^2 >= 0", G**2 - 2 * G * Ee1 + Ee2, ">=", 0), eta / 2 * (1 - beta * eta))]),
        Step("<=", f - eta / 2 * G**2 + eta * beta**2 * rho**2 / 2 + A_ * (En2 + 2 * Ene),
             "(F2) for the sampled component, averaged: E||e^||^2 <= beta^2 rho^2",
             [(ax.axiom("(F2) per component, averaged", Ee2, "<=", beta**2 * rho**2, requires={"component_smooth"}), eta / 2)]),
        Step("<=", ONE_M, "E||n||^2 <= sigma^2, E<n, e^> <= beta rho E||n||, E||n|| <= sigma (Jensen)",
             [(ax.axiom("variance: E||n||^2 <= sigma^2", En2, "<=", sigma**2, requires={"stochastic"}),
               A_ + 2 * A_ * beta * rho / (sigma + En1)),
              (ax.axiom("Cauchy-Schwarz and (F2) per component, averaged", Ene, "<=", beta * rho * En1,
                        requires={"component_smooth"}), 2 * A_),
              (ax.jensen_norm(En1, En2), 2 * A_ * beta * rho / (sigma + En1))]),
    ]),
    assumptions={"smooth", "stochastic", "component_smooth"}, params=[ETA],
    statement="m-SAM one step: E f(x+) <= f(x) - (eta/2) G^2 + eta beta^2 rho^2/2 + beta eta^2 (sigma^2 + 2 beta rho sigma)/2",
)


# ---------------------------------------------------------------------------- constant eta, prescribed eta
def constant_eta(one_step: Theorem, s2, variant: str) -> Theorem:
    K = beta**2 * rho**2 / (2 * mu) + beta * eta * s2 / (2 * mu)
    claim = Claim(Ef_[T] - fstar, "<=", (1 - mu * eta)**T * Delta + K)
    step_T = expected(lemma(one_step), {f_next: Ef_[T + 1], f: Ef_[T], G**2: EG2_[T]})
    pl_T = expected(ax.pl_inequality(G, f, fstar, mu), {G**2: EG2_[T], f: Ef_[T]})
    return Theorem(
        f"constant_eta_{variant}",
        claim,
        Induction(T,
                  base=Chain(Ef_[0] - fstar, [Step("==", Delta, "Delta", [(DELTA, -1)]),
                                               Step("<=", claim.rhs.subs(T, 0), "K >= 0")]),
                  step=Chain(Ef_[T + 1] - fstar, [
                      Step("<=", step_T.rhs - fstar, "one step, in total expectation", [step_T]),
                      Step("<=", (1 - mu * eta) * (Ef_[T] - fstar) + eta * beta**2 * rho**2 / 2 + beta * eta**2 * s2 / 2,
                           "PL (F4), in expectation", [(pl_T, eta / 2)]),
                      Step("<=", (1 - mu * eta) * claim.rhs + eta * beta**2 * rho**2 / 2 + beta * eta**2 * s2 / 2,
                           "induction hypothesis, times 1 - mu eta >= 0", [(induction_hypothesis(claim), 1 - mu * eta)]),
                      Step("==", claim.rhs.subs(T, T + 1), "(1 - mu eta) K + mu eta K = K"),
                  ])),
        assumptions=one_step.assumptions | {"strongly_convex"}, params=[ETA, MU], hypotheses=[DELTA],
        statement=f"{variant}: constant eta <= 1/beta: E f(x_T) - f* <= (1 - mu eta)^T Delta + beta^2 rho^2/(2 mu) "
                  "+ beta eta sigma_*^2/(2 mu)",
    )


def prescribed(constant: Theorem, s2, variant: str) -> Theorem:
    L = sp.log(N)
    eta_T = sp.Min(1 / beta, L / (mu * T))
    n_def = ax.definition(N, sp.Max(2, mu**2 * Delta * T / (beta * s2)), "N")
    bound = sp.exp(-mu * T / beta) * Delta + beta * s2 * (1 + L / 2) / (mu**2 * T) + beta**2 * rho**2 / (2 * mu)
    at_eta_T = lemma(constant, {eta: eta_T})
    split = L / (mu * T) - 1 / beta
    return Theorem(
        f"prescribed_{variant}",
        Claim(Ef_[T] - fstar, "<=", bound),
        Cases(split, [
            Branch(">=", Chain(Ef_[T] - fstar, [
                Step("<=", at_eta_T.rhs, "constant-eta bound at eta_T", [at_eta_T]),
                Step("==", (1 - mu / beta)**T * Delta + beta**2 * rho**2 / (2 * mu) + s2 / (2 * mu), "eta_T = 1/beta here"),
                Step("<=", sp.exp(-mu * T / beta) * Delta + beta**2 * rho**2 / (2 * mu) + s2 / (2 * mu),
                     "(1 - x)^T <= e^(-x T)", [(ax.exp_upper(mu / beta, T), Delta)]),
                Step("<=", bound, "1/beta <= ln(N)/(mu T) here"),
            ]), params=[Param(L, mu * T * (1 + w) / beta, w, beta * L / (mu * T) - 1, "ln(N)/(mu T) >= 1/beta")]),
            Branch("<", Chain(Ef_[T] - fstar, [
                Step("<=", at_eta_T.rhs, "constant-eta bound at eta_T", [at_eta_T]),
                Step("==", (1 - L / T)**T * Delta + beta**2 * rho**2 / (2 * mu) + beta * s2 * L / (2 * mu**2 * T),
                     "eta_T = ln(N)/(mu T) here"),
                Step("<=", Delta / N + beta**2 * rho**2 / (2 * mu) + beta * s2 * L / (2 * mu**2 * T),
                     "(1 - x)^T <= e^(-x T) = 1/N", [(ax.exp_upper(L / T, T), Delta)]),
                Step("<=", beta * s2 / (mu**2 * T) + beta**2 * rho**2 / (2 * mu) + beta * s2 * L / (2 * mu**2 * T),
                     "N >= mu^2 Delta T/(beta sigma_*^2)", [(n_def, -beta * s2 / (mu**2 * T * N))]),
                Step("<=", bound, "e^(-mu T/beta) Delta >= 0"),
            ]), params=[Param(L, mu * T / (beta * (1 + w)), w, mu * T / (beta * L) - 1, "ln(N)/(mu T) < 1/beta")]),
        ]),
        assumptions=constant.assumptions, params=[MU, T_POS, N_GE_2], hypotheses=[n_def, DELTA],
        statement=f"{variant}: eta = min{{1/beta, ln(N)/(mu T)}}: E f(x_T) - f* <= e^(-mu T/beta) Delta "
                  "+ beta sigma_*^2 (1 + ln(N)/2)/(mu^2 T) + beta^2 rho^2/(2 mu)",
    )


constant_n, constant_m = constant_eta(one_step_n, S_N, "nsam"), constant_eta(one_step_m, S_M, "msam")
prescribed_n, prescribed_m = prescribed(constant_n, S_N, "nsam"), prescribed(constant_m, S_M, "msam")

PROOF = ProofFile("s_sc", "S-SC: n-SAM and m-SAM, one step, constant and prescribed eta",
                  [one_step_n, one_step_m, constant_n, constant_m, prescribed_n, prescribed_m])
