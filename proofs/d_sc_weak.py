"""D-SC, weak order (docs/theory.md section 4): deterministic SAM, beta-smooth mu-strongly convex f.

For eta <= 1/beta:  f(x+) - f* <= (1 - mu eta)(f(x) - f*) + beta^3 rho^2 eta^2 / 2.

Proof: Lemma C (general form, which needs only convexity) and the PL inequality (F4),
G^2 >= 2 mu (f - f*), give the contraction 1 - mu eta (2 - beta eta) <= 1 - mu eta.
Scalar abstraction as in Lemma C.
"""

from pathlib import Path

from sambounds.proof import Chain, Claim, Param, ProofFile, Step, Theorem, lemma, load_proof
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import G, beta, eta, f, f_next, fstar, mu, rho, w

LEMMA_C = load_proof("d_c_lemma_c", Path(__file__).parent)
ETA = Param(eta, 1 / (beta * (1 + w)), w, 1 / (beta * eta) - 1, "0 < eta <= 1/beta")
NOISE = beta**3 * rho**2 * eta**2 / 2

one_step = Theorem(
    "one_step",
    Claim(f_next - fstar, "<=", (1 - mu * eta) * (f - fstar) + NOISE),
    Chain(f_next - fstar, [
        Step("<=", f - eta * (1 - beta * eta / 2) * G**2 + NOISE - fstar, "Lemma C, general form",
             [lemma(LEMMA_C.theorem("general"))]),
        Step("<=", (1 - mu * eta * (2 - beta * eta)) * (f - fstar) + NOISE, "PL (F4), times eta (1 - beta eta/2)",
             [(ax.pl_inequality(G, f, fstar, mu), eta * (1 - beta * eta / 2))]),
        Step("<=", (1 - mu * eta) * (f - fstar) + NOISE, "f >= f* and 2 - beta eta >= 1",
             [(ax.lower_bound(f, fstar), mu * eta * (1 - beta * eta))]),
    ]),
    assumptions={"smooth", "strongly_convex"}, params=[ETA],
    statement="weak order: f_{t+1} - f* <= (1 - mu eta_t)(f_t - f*) + beta^3 rho^2 eta_t^2 / 2, eta_t <= 1/beta",
)

PROOF = ProofFile("d_sc_weak", "D-SC: weak-order one-step recursion", [one_step])
