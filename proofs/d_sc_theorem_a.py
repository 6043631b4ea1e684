"""D-SC, Theorem A (docs/theory.md section 4): deterministic SAM, beta-smooth mu-strongly convex f.

For eta <= 1/(2 beta), with B(eta) = beta^4 rho^2 eta^2 / (8 mu (1 - beta eta)^2) + beta^3 rho^2 eta^2 / 2:

    f(x+) - f* <= max{(1 - mu eta)(f(x) - f*), B(eta)},     B(eta) <= (kappa + 1) beta^3 rho^2 eta^2 / 2,

and for a constant eta:  f(x_T) - f* <= max{(1 - mu eta)^T Delta, B(eta)}.

Proof.  Case G >= G0(eta) (written (1 - beta eta) G >= beta^2 rho eta / 2): Lemma C (large
gradient) and PL contract by 1 - mu eta (2 - beta eta) <= 1 - mu eta.  Case G < G0: PL gives
f - f* <= G^2/(2 mu) < G0^2/(2 mu), and Lemma C (general) lets f rise by at most
beta^3 rho^2 eta^2 / 2.  The constant-eta bound is an induction on T that uses
1 - mu eta >= 0 (mu eta <= 1, implied by mu <= beta) and B >= (1 - mu eta) B.  kappa = beta/mu.
"""

from pathlib import Path

import sympy as sp

from sambounds.proof import (Branch, Cases, Chain, Claim, Induction, Param, ProofFile, Step, Theorem, case_fact,
                             induction_hypothesis, lemma, load_proof)
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import Delta, G, G_, T, beta, eta, f, f_, f_next, fstar, kappa, mu, rho, s, w

LEMMA_C = load_proof("d_c_lemma_c", Path(__file__).parent)
u = sp.Symbol("u", nonnegative=True)
ETA = Param(eta, 1 / (2 * beta * (1 + w)), w, 1 / (2 * beta * eta) - 1, "0 < eta <= 1/(2 beta)")
MU = Param(mu, 1 / (eta * (1 + u)), u, 1 / (mu * eta) - 1, "mu eta <= 1 (implied by mu <= beta)")
DELTA = ax.definition(Delta, f_[0] - fstar, "Delta = f(x_0) - f*")
ASSUME = {"smooth", "strongly_convex"}

B = beta**4 * rho**2 * eta**2 / (8 * mu * (1 - beta * eta)**2) + beta**3 * rho**2 * eta**2 / 2
SPLIT = (1 - beta * eta) * G - beta**2 * rho * eta / 2
RECURSION = sp.Max((1 - mu * eta) * (f - fstar), B)

one_step = Theorem(
    "one_step",
    Claim(f_next - fstar, "<=", RECURSION),
    Cases(SPLIT, [
        Branch(">=", Chain(f_next - fstar, [
            Step("<=", f - eta * (1 - beta * eta / 2) * G**2 - fstar, "Lemma C, large gradient",
                 [lemma(LEMMA_C.theorem("large_gradient"))]),
            Step("<=", (1 - mu * eta * (2 - beta * eta)) * (f - fstar), "PL (F4), times eta (1 - beta eta/2)",
                 [(ax.pl_inequality(G, f, fstar, mu), eta * (1 - beta * eta / 2))]),
            Step("<=", (1 - mu * eta) * (f - fstar), "f >= f*, 2 - beta eta >= 1",
                 [(ax.lower_bound(f, fstar), mu * eta * (1 - beta * eta))]),
            Step("<=", RECURSION, "max"),
        ]), params=[Param(G, (beta**2 * rho * eta / 2 + s) / (1 - beta * eta), s, SPLIT, "G >= G0(eta)")]),
        Branch("<", Chain(f_next - fstar, [
            Step("<=", f - eta * (1 - beta * eta / 2) * G**2 + beta**3 * rho**2 * eta**2 / 2 - fstar,
                 "Lemma C, general form", [lemma(LEMMA_C.theorem("general"))]),
            Step("<=", f - fstar + beta**3 * rho**2 * eta**2 / 2, "drop -eta (1 - beta eta/2) G^2 <= 0"),
            Step("<=", G**2 / (2 * mu) + beta**3 * rho**2 * eta**2 / 2, "PL (F4): f - f* <= G^2/(2 mu)",
                 [(ax.pl_inequality(G, f, fstar, mu), 1 / (2 * mu))]),
            Step("<=", B, "G < G0(eta): G^2 < G0^2 = beta^4 rho^2 eta^2 / (4 (1 - beta eta)^2)",
                 [(case_fact(SPLIT, "<"), ((1 - beta * eta) * G + beta**2 * rho * eta / 2) / (2 * mu * (1 - beta * eta)**2))]),
            Step("<=", RECURSION, "max"),
        ])),
    ]),
    assumptions=ASSUME, params=[ETA],
    statement="Theorem A: f_{t+1} - f* <= max{(1 - mu eta_t)(f_t - f*), B(eta_t)}, eta_t <= 1/(2 beta)",
)

b_bound = Theorem(
    "B_bound",
    Claim(B, "<=", (kappa + 1) * beta**3 * rho**2 * eta**2 / 2),
    Chain(B, [
        Step("<=", beta**4 * rho**2 * eta**2 / (2 * mu) + beta**3 * rho**2 * eta**2 / 2, "(1 - beta eta)^2 >= 1/4"),
        Step("==", (kappa + 1) * beta**3 * rho**2 * eta**2 / 2, "kappa = beta/mu"),
    ]),
    assumptions=ASSUME, params=[ETA],
    statement="B(eta) <= (kappa + 1) beta^3 rho^2 eta^2 / 2 for eta <= 1/(2 beta)",
)

q = 1 - mu * eta
const_claim = Claim(f_[T] - fstar, "<=", sp.Max(q**T * Delta, B))
constant_eta = Theorem(
    "constant_eta",
    const_claim,
    Induction(T,
              base=Chain(f_[0] - fstar, [
                  Step("==", Delta, "Delta = f(x_0) - f*", [(DELTA, -1)]),
                  Step("<=", sp.Max(Delta, B), "max"),
              ]),
              step=Chain(f_[T + 1] - fstar, [
                  Step("<=", sp.Max(q * (f_[T] - fstar), B), "Theorem A one step at step T",
                       [lemma(one_step, {f: f_[T], f_next: f_[T + 1], G: G_[T]})]),
                  Step("<=", sp.Max(q * sp.Max(q**T * Delta, B), B),
                       "induction hypothesis, times 1 - mu eta >= 0 (max is monotone)",
                       [(induction_hypothesis(const_claim), q)]),
                  Step("<=", sp.Max(q**(T + 1) * Delta, B), "(1 - mu eta) B <= B"),
              ])),
    assumptions=ASSUME, params=[ETA, MU], hypotheses=[DELTA],
    statement="constant eta <= 1/(2 beta): f(x_T) - f* <= max{(1 - mu eta)^T Delta, B(eta)}",
)

PROOF = ProofFile("d_sc_theorem_a", "D-SC: Theorem A (one step, B bound, constant eta)",
                  [one_step, b_bound, constant_eta])
