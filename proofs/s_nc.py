"""S-NC (docs/theory.md section 4): n-SAM / m-SAM on a beta-smooth (nonconvex) f.

For every eta_t <= 1/beta:

    sum_t eta_t E G_t^2 <= 2 Delta + beta^2 rho^2 sum_t eta_t + beta sigma_*^2 sum_t eta_t^2,

and with eta = min{1/beta, (2 Delta/(beta sigma_*^2 T))^(1/2)}:

    (1/T) sum_t E G_t^2 <= max{4 beta Delta/T, 2 (2 beta sigma_*^2 Delta/T)^(1/2)} + beta^2 rho^2,

with sigma_*^2 = sigma^2 (n-SAM) or sigma^2 + 2 beta rho sigma (m-SAM).  Proof: the one-step
bounds of S-SC (which need only smoothness), in total expectation, telescoped; for the
prescribed step size, (1/T) sum E G_t^2 <= 2 Delta/(eta T) + beta^2 rho^2 + beta sigma_*^2 eta, split
on which term of the min is eta (derived here).
"""

from pathlib import Path

import sympy as sp

from sambounds.proof import (Branch, Cases, Chain, Claim, Induction, Param, ProofFile, Step, Theorem, expected,
                             induction_hypothesis, lemma, load_proof)
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import Delta, G, T, beta, eta, eta_, f, f_next, fstar, k, rho, sigma, t, v, w

S_SC = load_proof("s_sc", Path(__file__).parent)
Ef_, EG2_ = sp.IndexedBase("Ef", real=True), sp.IndexedBase("EG2", nonnegative=True)
DELTA = ax.definition(Delta, Ef_[0] - fstar, "Delta = f(x_0) - f*")
ETA_T = Param(eta_[T], 1 / (beta * (1 + w)), w, 1 / (beta * eta_[T]) - 1, "0 < eta_t <= 1/beta for every t < T")
ETA_K = Param(eta_[k], 1 / (beta * (1 + w)), w, 1 / (beta * eta_[k]) - 1, "0 < eta_k <= 1/beta for every k < T")
VARIANTS = {"nsam": (S_SC.theorem("one_step_nsam"), sigma**2),
            "msam": (S_SC.theorem("one_step_msam"), sigma**2 + 2 * beta * rho * sigma)}


def theorems(variant: str):
    one_step, s2 = VARIANTS[variant]
    sum_eG = sp.Sum(eta_[t] * EG2_[t], (t, 0, T - 1))
    sum_eta, sum_eta2 = sp.Sum(eta_[t], (t, 0, T - 1)), sp.Sum(eta_[t]**2, (t, 0, T - 1))
    tele = Claim(sum_eG, "<=", 2 * (Ef_[0] - Ef_[T]) + beta**2 * rho**2 * sum_eta + beta * s2 * sum_eta2)
    step_T = expected(lemma(one_step, {eta: eta_[T]}), {f_next: Ef_[T + 1], f: Ef_[T], G**2: EG2_[T]})
    telescoped = Theorem(
        f"telescoped_{variant}",
        tele,
        Induction(T,
                  base=Chain(tele.lhs.subs(T, 0), [Step("==", tele.rhs.subs(T, 0), "empty sums")]),
                  step=Chain(tele.lhs.subs(T, T + 1), [
                      Step("==", sum_eG + eta_[T] * EG2_[T], "split off the last term"),
                      Step("<=", tele.rhs + eta_[T] * EG2_[T], "induction hypothesis", [induction_hypothesis(tele)]),
                      Step("<=", tele.rhs.subs(T, T + 1), "one step in total expectation, times 2", [(step_T, 2)]),
                  ])),
        assumptions=one_step.assumptions, params=[ETA_T],
        statement=f"{variant}: sum_t eta_t E G_t^2 <= 2 (f(x_0) - E f(x_T)) + beta^2 rho^2 sum eta_t + beta sigma_*^2 sum eta_t^2",
    )
    generic_rhs = 2 * Delta + beta**2 * rho**2 * sum_eta + beta * s2 * sum_eta2
    generic = Theorem(
        f"schedule_generic_{variant}",
        Claim(sum_eG, "<=", generic_rhs),
        Chain(sum_eG, [
            Step("<=", tele.rhs, "telescoped", [lemma(telescoped)]),
            Step("<=", generic_rhs, "E f(x_T) >= f*, Delta = f(x_0) - f*", [(ax.lower_bound(Ef_[T], fstar), 2), (DELTA, -2)]),
        ]),
        assumptions=one_step.assumptions, params=[ETA_K], hypotheses=[DELTA],
        statement=f"{variant}: sum_t eta_t E G_t^2 <= 2 Delta + beta^2 rho^2 sum_t eta_t + beta sigma_*^2 sum_t eta_t^2",
    )
    eta_star = sp.sqrt(2 * Delta / (beta * s2 * T))
    eta_p = sp.Min(1 / beta, eta_star)
    bound = sp.Max(4 * beta * Delta / T, 2 * sp.sqrt(2 * beta * s2 * Delta / T)) + beta**2 * rho**2
    per_T = 2 * Delta / (eta_p * T) + beta**2 * rho**2 + beta * s2 * eta_p
    inst = lemma(generic, {eta_: eta_p})
    sum_G = sp.Sum(EG2_[t], (t, 0, T - 1))
    ratio = sp.sqrt(2 * beta * Delta / (s2 * T))                          # = beta * eta_star
    prescribed = Theorem(
        f"prescribed_{variant}",
        Claim(sum_G / T, "<=", bound),
        Cases(ratio - 1, [  # ratio = beta eta*: the split is eta* - 1/beta up to the factor beta
            Branch(">=", Chain(sum_G / T, [
                Step("<=", per_T, "schedule-generic bound with constant eta, divided by eta T", [(inst, 1 / (eta_p * T))]),
                Step("==", 2 * beta * Delta / T + beta**2 * rho**2 + s2, "eta = 1/beta here"),
                Step("<=", bound, "sigma_*^2 <= 2 beta Delta/T here"),
            ]), params=[Param(Delta, s2 * T * (1 + w)**2 / (2 * beta), w, ratio - 1, "1/beta <= eta*")]),
            Branch("<", Chain(sum_G / T, [
                Step("<=", per_T, "schedule-generic bound with constant eta, divided by eta T", [(inst, 1 / (eta_p * T))]),
                Step("==", 2 * sp.sqrt(2 * beta * s2 * Delta / T) + beta**2 * rho**2, "eta = eta* here: equal terms"),
                Step("<=", bound, "max"),
            ]), params=[Param(Delta, s2 * T / (2 * beta * (1 + w)**2), w, 1 / ratio - 1, "eta* < 1/beta")]),
        ]),
        assumptions=one_step.assumptions, params=[Param(T, (1 + v)**2, v, sp.sqrt(T) - 1, "T >= 1")], hypotheses=[DELTA],
        statement=f"{variant}: eta = min{{1/beta, (2 Delta/(beta sigma_*^2 T))^(1/2)}}: (1/T) sum E G_t^2 <= "
                  "max{4 beta Delta/T, 2 (2 beta sigma_*^2 Delta/T)^(1/2)} + beta^2 rho^2",
    )
    return [telescoped, generic, prescribed]


PROOF = ProofFile("s_nc", "S-NC: schedule-generic and prescribed bounds for n-SAM and m-SAM",
                  theorems("nsam") + theorems("msam"))
