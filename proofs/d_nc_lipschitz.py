"""D-NC with an L-Lipschitz f (docs/theory-open-rows.md, section 4): what the assumption buys.

For a beta-smooth, L-Lipschitz (||grad f|| <= L) f, constant 0 < eta <= 1/beta, T >= 1:

    (1/T) sum_{t<T} G_t^2 <= min{ L^2, 2 Delta/(eta T) + beta^2 rho^2 }.

Proof: every G_t <= L gives sum_t G_t^2 <= T L^2 (``sum_bound``, induction on T); Lemma N
summed with eta_t = eta gives the second term (d_nc_lemma_n ``schedule_generic``).  Lemma N's
error ||e||^2 could also be bounded by (||d|| + ||g||)^2 <= 4 L^2, which never beats the
trivial L^2: the floor becomes min(beta^2 rho^2, L^2) and no rate improves.  The matching lower
bound (L-NC with curvature min(beta, L/(c rho)), derivative clipped at +-L) is argued in the docs.
"""

from pathlib import Path

import sympy as sp

from sambounds.proof import Chain, Claim, Induction, Param, ProofFile, Step, Theorem, induction_hypothesis, lemma
from sambounds.proof import load_proof
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import Delta, G_, T, beta, eta, eta_, f_, fstar, rho, t, v, w

LEMMA_N = load_proof("d_nc_lemma_n", Path(__file__).parent)
L = sp.Symbol("L", positive=True)
sum_G2 = sp.Sum(G_[t]**2, (t, 0, T - 1))

tele = Claim(sum_G2, "<=", T * L**2)
sum_bound = Theorem(
    "sum_bound",
    tele,
    Induction(T,
              base=Chain(sum_G2.subs(T, 0), [Step("==", 0, "empty sum")]),
              step=Chain(sum_G2.subs(T, T + 1), [
                  Step("==", sum_G2 + G_[T]**2, "split off the last term"),
                  Step("<=", T * L**2 + G_[T]**2, "induction hypothesis", [induction_hypothesis(tele)]),
                  Step("<=", (T + 1) * L**2, "G_T <= L, times G_T + L >= 0",
                       [(ax.lipschitz_gradient(G_[T], L), G_[T] + L)]),
              ])),
    assumptions={"lipschitz"},
    statement="L-Lipschitz f: sum_{t<T} G_t^2 <= T L^2",
)

DELTA = ax.definition(Delta, f_[0] - fstar, "Delta = f(x_0) - f*")
ETA = Param(eta, 1 / (beta * (1 + w)), w, 1 / (beta * eta) - 1, "0 < eta <= 1/beta")
AVG = sp.Min(L**2, 2 * Delta / (eta * T) + beta**2 * rho**2)
average = Theorem(
    "average",
    Claim(sum_G2 / T, "<=", AVG),
    Chain(sum_G2 / T, [
        Step("<=", AVG, "both bounds: sum_bound / T, and Lemma N summed with eta_t = eta, divided by eta T",
             [(lemma(sum_bound), 1 / T), (lemma(LEMMA_N.theorem("schedule_generic"), {eta_: eta}), 1 / (eta * T))]),
    ]),
    assumptions={"smooth", "lipschitz"}, params=[ETA, Param(T, 1 + v, v, T - 1, "T >= 1")], hypotheses=[DELTA],
    statement="L-Lipschitz, eta <= 1/beta: (1/T) sum_t G_t^2 <= min{L^2, 2 Delta/(eta T) + beta^2 rho^2}",
)

PROOF = ProofFile("d_nc_lipschitz", "D-NC with an L-Lipschitz f: the floor min(beta^2 rho^2, L^2)",
                  [sum_bound, average])
