"""D-NC, Lemma N (docs/theory.md section 4): deterministic SAM on a beta-smooth (nonconvex) f.

For eta <= 1/beta and *any* perturbation direction u with ||u|| <= 1 (so also the zero-gradient
convention u = 0):

    f(x+) <= f(x) - (eta/2) G^2 + (eta/2) ||e||^2 <= f(x) - (eta/2) G^2 + eta beta^2 rho^2 / 2,

summed over a schedule with every eta_t <= 1/beta:

    sum_{t<T} eta_t G_t^2 <= 2 Delta + beta^2 rho^2 sum_{t<T} eta_t,

and with eta = 1/beta: (1/T) sum_{t<T} G_t^2 <= 2 beta Delta / T + beta^2 rho^2.

Scalar abstraction: g = grad f(x), e = grad f(y) - g, d = g + e; G = ||g|| >= 0, E = ||e|| >= 0
and ge = <g, e> are real numbers; <g, d> and ||d||^2 are expanded by bilinearity.  The facts
used are the descent lemma (F1), Cauchy-Schwarz <g, e> >= -G E, a square, and (F2) E <= beta rho.
"""

import sympy as sp

from sambounds.proof import Chain, Claim, Induction, Param, ProofFile, Step, Theorem, induction_hypothesis, lemma
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import Delta, E, G, G_, T, beta, eta, eta_, f, f_, f_next, fstar, k, rho, t, w

ge = sp.Symbol("ge", real=True)
gram = ax.Gram({("g", "g"): G**2, ("e", "e"): E**2, ("g", "e"): ge})
g_vec, d_vec = {"g": 1}, {"g": 1, "e": 1}

ETA_LE_INV_BETA = Param(eta, 1 / (beta * (1 + w)), w, 1 / (beta * eta) - 1, "0 < eta <= 1/beta")
ETA_T_LE_INV_BETA = Param(eta_[T], 1 / (beta * (1 + w)), w, 1 / (beta * eta_[T]) - 1,
                          "0 < eta_t <= 1/beta for every t < T (stepped over)")
ETA_K_LE_INV_BETA = Param(eta_[k], 1 / (beta * (1 + w)), w, 1 / (beta * eta_[k]) - 1,
                          "0 < eta_k <= 1/beta for every k < T")
DELTA = ax.definition(Delta, f_[0] - fstar, "Delta = f(x_0) - f*")

# ---------------------------------------------------------------------------- one step, with ||e||
F1 = ax.descent_lemma(f_next, f, eta, gram, g_vec, d_vec)
S1 = f - eta * (1 - beta * eta / 2) * G**2 - eta * (1 - beta * eta) * ge + beta * eta**2 / 2 * E**2
one_step_e = Theorem(
    "one_step_e",
    Claim(f_next, "<=", f - eta / 2 * G**2 + eta / 2 * E**2),
    Chain(f_next, [
        Step("<=", F1.rhs, "descent lemma (F1) with <g,d>, ||d||^2 expanded by bilinearity", [F1]),
        Step("==", S1, "key identity (S1)"),
        Step("<=", f - eta * (1 - beta * eta / 2) * G**2 + eta * (1 - beta * eta) * G * E + beta * eta**2 / 2 * E**2,
             "Cauchy-Schwarz -<g,e> <= G ||e||, times eta (1 - beta eta) >= 0",
             [(ax.cauchy_schwarz(gram, {"g": 1}, {"e": 1}, G, E), eta * (1 - beta * eta))]),
        Step("==", f - eta / 2 * G**2 + eta / 2 * E**2 - eta / 2 * (1 - beta * eta) * (G - E)**2, "complete the square"),
        Step("<=", f - eta / 2 * G**2 + eta / 2 * E**2, "drop -(eta/2)(1 - beta eta)(G - ||e||)^2 <= 0",
             [(ax.square(G - E), eta / 2 * (1 - beta * eta))]),
    ]),
    assumptions={"smooth"}, params=[ETA_LE_INV_BETA],
    statement="Lemma N, first form: f(x+) <= f(x) - (eta/2) G^2 + (eta/2)||e||^2 for eta <= 1/beta, any unit u",
)

# ---------------------------------------------------------------------------- one step
one_step = Theorem(
    "one_step",
    Claim(f_next, "<=", f - eta / 2 * G**2 + eta * beta**2 * rho**2 / 2),
    Chain(f_next, [
        Step("<=", f - eta / 2 * G**2 + eta / 2 * E**2, "Lemma N, first form", [lemma(one_step_e)]),
        Step("<=", f - eta / 2 * G**2 + eta * beta**2 * rho**2 / 2, "(F2) ||e|| <= beta rho, so ||e||^2 <= beta^2 rho^2",
             [(ax.perturbation_bound(E, beta, rho), eta / 2 * (E + beta * rho))]),
    ]),
    assumptions={"smooth"}, params=[ETA_LE_INV_BETA],
    statement="Lemma N: f(x+) <= f(x) - (eta/2) G^2 + eta beta^2 rho^2 / 2 for eta <= 1/beta",
)

# ---------------------------------------------------------------------------- telescoped sum
sum_eta_G2 = sp.Sum(eta_[t] * G_[t]**2, (t, 0, T - 1))
sum_eta = sp.Sum(eta_[t], (t, 0, T - 1))
tele_claim = Claim(sum_eta_G2, "<=", 2 * (f_[0] - f_[T]) + beta**2 * rho**2 * sum_eta)
one_step_at_T = lemma(one_step, {f: f_[T], f_next: f_[T + 1], G: G_[T], eta: eta_[T]})
telescoped = Theorem(
    "telescoped",
    tele_claim,
    Induction(T,
              base=Chain(tele_claim.lhs.subs(T, 0), [Step("==", tele_claim.rhs.subs(T, 0), "empty sums, f_0 - f_0 = 0")]),
              step=Chain(tele_claim.lhs.subs(T, T + 1), [
                  Step("==", sum_eta_G2 + eta_[T] * G_[T]**2, "split off the last term"),
                  Step("<=", tele_claim.rhs + eta_[T] * G_[T]**2, "induction hypothesis",
                       [induction_hypothesis(tele_claim)]),
                  Step("<=", tele_claim.rhs.subs(T, T + 1), "Lemma N at step T, times 2", [(one_step_at_T, 2)]),
              ])),
    assumptions={"smooth"}, params=[ETA_T_LE_INV_BETA],
    statement="sum_{t<T} eta_t G_t^2 <= 2 (f(x_0) - f(x_T)) + beta^2 rho^2 sum_{t<T} eta_t",
)

schedule_generic = Theorem(
    "schedule_generic",
    Claim(sum_eta_G2, "<=", 2 * Delta + beta**2 * rho**2 * sum_eta),
    Chain(sum_eta_G2, [
        Step("<=", tele_claim.rhs, "telescoped Lemma N", [lemma(telescoped)]),
        Step("<=", 2 * Delta + beta**2 * rho**2 * sum_eta, "f(x_T) >= f*, Delta = f(x_0) - f*",
             [(ax.lower_bound(f_[T], fstar), 2), (DELTA, -2)]),
    ]),
    assumptions={"smooth"}, params=[ETA_K_LE_INV_BETA], hypotheses=[DELTA],
    statement="schedule-generic: sum_t eta_t G_t^2 <= 2 Delta + beta^2 rho^2 sum_t eta_t (all eta_t <= 1/beta)",
)

# ---------------------------------------------------------------------------- eta = 1/beta, average
sum_G2 = sp.Sum(G_[t]**2, (t, 0, T - 1))
T_POSITIVE = Param(T, 1 + w, w, T - 1, "T >= 1")
average = Theorem(
    "average_eta_inv_beta",
    Claim(sum_G2 / T, "<=", 2 * beta * Delta / T + beta**2 * rho**2),
    Chain(sum_G2 / T, [
        Step("<=", beta / T * (2 * Delta + beta * rho**2 * T),
             "schedule-generic bound with eta_t = 1/beta, times beta/T",
             [(lemma(schedule_generic, {eta_: 1 / beta}), beta / T)]),
        Step("==", 2 * beta * Delta / T + beta**2 * rho**2, "algebra"),
    ]),
    assumptions={"smooth"}, params=[T_POSITIVE], hypotheses=[DELTA],
    statement="eta = 1/beta: (1/T) sum_t G_t^2 <= 2 beta Delta / T + beta^2 rho^2",
)

PROOF = ProofFile(
    "d_nc_lemma_n",
    "D-NC: Lemma N, schedule-generic sum, eta = 1/beta average",
    [one_step_e, one_step, telescoped, schedule_generic, average],
)
