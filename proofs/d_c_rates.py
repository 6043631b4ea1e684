"""D-C rates (docs/theory.md section 4): the minimum and average corollaries of Lemma C.

* minimum, constant eta <= 1/(2 beta), T >= 1:
  min_{t<T} G_t^2 <= max{4 Delta/(3 eta T), beta^4 rho^2 eta^2}.
  Proof (derived here; the paper gives only the statement): split on whether the minimum
  G_min = min_{t<T} G_t is above G0(eta) = beta^2 rho eta / (2 (1 - beta eta)).  If it is, every
  step is a "large gradient" step of Lemma C, so f(x_T) <= f(x_0) - T eta (1 - beta eta/2) G_min^2,
  and 1 - beta eta/2 >= 3/4.  If not, G_min^2 < G0^2 <= beta^4 rho^2 eta^2 since 1 - beta eta >= 1/2.
* average, eta = min{1/beta, (2 Delta/(beta^3 rho^2 T))^(1/2)}:
  (1/T) sum_{t<T} G_t^2 <= max{4 beta Delta/T, 2 (2 beta^3 rho^2 Delta/T)^(1/2)},
  from the schedule-generic bound (1/T) sum G_t^2 <= 2 Delta/(eta T) + beta^3 rho^2 eta, split on
  which term of the min is the step size.

The T^(-2/3) choice eta = min{1/(2 beta), (4 Delta/(3 beta^4 rho^2 T))^(1/3)} quoted in docs/theory.md
comes without an explicit bound expression, so it has no theorem here.
"""

from pathlib import Path

import sympy as sp

from sambounds.proof import (Branch, Cases, Chain, Claim, Induction, Param, ProofFile, Step, Theorem, case_fact,
                             induction_hypothesis, lemma, load_proof)
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import Delta, G, G_, T, beta, eta, eta_, f, f_, f_next, fstar, k, q, rho, s, t, v, w

LEMMA_C = load_proof("d_c_lemma_c", Path(__file__).parent)

G_min = sp.Symbol("G_min", nonnegative=True)
ETA = Param(eta, 1 / (2 * beta * (1 + w)), w, 1 / (2 * beta * eta) - 1, "0 < eta <= 1/(2 beta)")
T_POS = Param(T, 1 + v, v, T - 1, "T >= 1")
DELTA = ax.definition(Delta, f_[0] - fstar, "Delta = f(x_0) - f*")
SPLIT = (1 - beta * eta) * G_min - beta**2 * rho * eta / 2          # >= 0  <=>  G_min >= G0(eta)
ABOVE_G0 = Param(G_min, (beta**2 * rho * eta / 2 + s) / (1 - beta * eta), s, SPLIT, "G_min >= G0(eta)")
ASSUME = {"smooth", "convex"}
K = 1 - beta * eta / 2

# ---------------------------------------------------------------------------- every step above G0
decrease_claim = Claim(f_[T], "<=", f_[0] - T * eta * K * G_min**2)
decrease = Theorem(
    "decrease_above_G0",
    decrease_claim,
    Induction(T,
              base=Chain(f_[0], [Step("==", decrease_claim.rhs.subs(T, 0), "T = 0")]),
              step=Chain(f_[T + 1], [
                  Step("<=", f_[T] - eta * K * G_[T]**2, "Lemma C, large gradient, at step T",
                       [lemma(LEMMA_C.theorem("large_gradient"), {f: f_[T], f_next: f_[T + 1], G: G_[T]})]),
                  Step("<=", decrease_claim.rhs - eta * K * G_[T]**2, "induction hypothesis",
                       [induction_hypothesis(decrease_claim)]),
                  Step("<=", decrease_claim.rhs.subs(T, T + 1), "G_T >= G_min"),
              ])),
    assumptions=ASSUME,
    params=[ETA, ABOVE_G0, Param(G_[T], G_min + q, q, G_[T] - G_min, "G_t >= G_min for every t < T")],
    statement="if every G_t >= G_min >= G0(eta): f(x_T) <= f(x_0) - T eta (1 - beta eta/2) G_min^2",
)

MIN_BOUND = sp.Max(4 * Delta / (3 * eta * T), beta**4 * rho**2 * eta**2)
drop = 1 / (T * eta * K)
minimum = Theorem(
    "minimum",
    Claim(G_min**2, "<=", MIN_BOUND),
    Cases(SPLIT, [
        Branch(">=", Chain(G_min**2, [
            Step("<=", 4 * Delta / (3 * eta * T),
                 "T eta (1 - beta eta/2) G_min^2 <= f(x_0) - f(x_T) <= Delta, and 1 - beta eta/2 >= 3/4",
                 [(lemma(decrease), drop), (ax.lower_bound(f_[T], fstar), drop), (DELTA, -drop)]),
            Step("<=", MIN_BOUND, "max"),
        ]), params=[ABOVE_G0]),
        Branch("<", Chain(G_min**2, [
            Step("<=", beta**4 * rho**2 * eta**2 / (4 * (1 - beta * eta)**2), "G_min < G0(eta), squared",
                 [(case_fact(SPLIT, "<"), ((1 - beta * eta) * G_min + beta**2 * rho * eta / 2) / (1 - beta * eta)**2)]),
            Step("<=", beta**4 * rho**2 * eta**2, "1 - beta eta >= 1/2"),
            Step("<=", MIN_BOUND, "max"),
        ])),
    ]),
    assumptions=ASSUME, params=[ETA, T_POS, Param(G_[k], G_min + q, q, G_[k] - G_min, "G_min = min_{k<T} G_k")],
    hypotheses=[DELTA],
    statement="minimum, constant eta <= 1/(2 beta): min_t G_t^2 <= max{4 Delta/(3 eta T), beta^4 rho^2 eta^2}",
)

# ---------------------------------------------------------------------------- average, prescribed eta
ETA_STAR = sp.sqrt(2 * Delta / (beta**3 * rho**2 * T))
ETA_AVG = sp.Min(1 / beta, ETA_STAR)
AVG_BOUND = sp.Max(4 * beta * Delta / T, 2 * sp.sqrt(2 * beta**3 * rho**2 * Delta / T))
sum_G2 = sp.Sum(G_[t]**2, (t, 0, T - 1))
per_T = 2 * Delta / (ETA_AVG * T) + beta**3 * rho**2 * ETA_AVG
generic = lemma(LEMMA_C.theorem("schedule_generic"), {eta_: ETA_AVG})
RATIO = sp.sqrt(2 * Delta / (beta * rho**2 * T))                     # = beta * ETA_STAR
average = Theorem(
    "average",
    Claim(sum_G2 / T, "<=", AVG_BOUND),
    Cases(ETA_STAR - 1 / beta, [
        Branch(">=", Chain(sum_G2 / T, [
            Step("<=", per_T, "schedule-generic bound of Lemma C with constant eta, divided by eta T",
                 [(generic, 1 / (ETA_AVG * T))]),
            Step("==", 2 * beta * Delta / T + beta**2 * rho**2, "eta = 1/beta in this case"),
            Step("<=", 4 * beta * Delta / T, "beta^2 rho^2 <= 2 beta Delta / T in this case"),
            Step("<=", AVG_BOUND, "max"),
        ]), params=[Param(Delta, beta * rho**2 * T * (1 + w)**2 / 2, w, RATIO - 1, "1/beta <= eta*")]),
        Branch("<", Chain(sum_G2 / T, [
            Step("<=", per_T, "schedule-generic bound of Lemma C with constant eta, divided by eta T",
                 [(generic, 1 / (ETA_AVG * T))]),
            Step("==", 2 * sp.sqrt(2 * beta**3 * rho**2 * Delta / T), "eta = eta* in this case: both terms equal"),
            Step("<=", AVG_BOUND, "max"),
        ]), params=[Param(Delta, beta * rho**2 * T / (2 * (1 + w)**2), w, 1 / RATIO - 1, "eta* < 1/beta")]),
    ]),
    assumptions=ASSUME, params=[Param(T, (1 + v)**2, v, sp.sqrt(T) - 1, "T >= 1")], hypotheses=[DELTA],
    statement="average: eta = min{1/beta, (2 Delta/(beta^3 rho^2 T))^(1/2)} gives "
              "(1/T) sum G_t^2 <= max{4 beta Delta/T, 2 (2 beta^3 rho^2 Delta/T)^(1/2)}",
)

PROOF = ProofFile("d_c_rates", "D-C: minimum and average rates from Lemma C", [decrease, minimum, average])
