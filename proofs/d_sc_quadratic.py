"""D-SC, the kappa-free bound for quadratics (docs/theory.md section 4).

f(x) = (1/2)(x - x*)^T H (x - x*), mu I <= H <= beta I with eigenvalues lambda_i, eta <= 1/beta:

    f(x_T) - f* <= (1 - mu eta)^(2T) Delta + (eta^2 rho^2 / 2) sum_i lambda_i^3.

Scalar abstraction (derived here).  In the eigenbasis, with z = x - x*, g = H z and
u = g/||g||: u_i = c z_i with c = lambda_i/||H z|| >= 0 (u = 0 when g = 0, c = 0), |u_i| <= 1,
and one SAM step reads z_i+ = (1 - eta lambda_i) z_i - eta rho lambda_i u_i.  Per coordinate this
is the 1-D argument: |z_i+| <= max{(1 - eta lambda_i)|z_i|, eta rho lambda_i}, squared and iterated,
then max{a, b} <= a + b and (1 - eta lambda_i)^(2T) <= (1 - eta mu)^(2T).  Summing
(lambda_i / 2) z_{T,i}^2 over i (f - f* = (1/2) sum_i lambda_i z_i^2) gives the claim.
"""

from pathlib import Path

import sympy as sp

from sambounds.proof import (Branch, Cases, Chain, Claim, Induction, Param, ProofFile, Step, Theorem,
                             definition_param, induction_hypothesis, lemma, load_proof, summed)
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import Delta, T, beta, eta, f_, fstar, k, mu, rho, s, w

ONE_DIM = load_proof("d_sc_one_dim", Path(__file__).parent)
square_of_max = ONE_DIM.theorem("square_of_max")
A, a, b = sp.symbols("A a b", nonnegative=True)

lam = sp.Symbol("lambda", positive=True)
z = sp.Symbol("z", real=True)
c = sp.Symbol("c", nonnegative=True)
zc_, c_ = sp.IndexedBase("zc", real=True), sp.IndexedBase("c", nonnegative=True)
mv = sp.Symbol("m_v", nonnegative=True)
ASSUME = {"quadratic"}
U_BOUND = ax.axiom("|u_i| = c |z_i| <= ||u|| = 1", c * sp.Abs(z), "<=", 1)

ETA_LAM = Param(eta, 1 / (lam * (1 + w)), w, 1 / (lam * eta) - 1, "eta lambda <= 1")
MU_LAM = Param(mu, lam / (1 + mv), mv, lam / mu - 1, "0 < mu <= lambda")
step_expr = (1 - eta * lam) * z - eta * rho * lam * c * z
ONE = sp.Max((1 - eta * lam) * sp.Abs(z), eta * rho * lam)

coord_abs = Theorem(
    "coordinate_one_step",
    Claim(sp.Abs(step_expr), "<=", ONE),
    Cases(z, [
        Branch(">=", Chain(sp.Abs(step_expr), [
            Step("<=", ONE, "u_i = c z_i >= 0, c z_i <= 1, eta lambda <= 1", [(U_BOUND, eta * rho * lam)]),
        ]), params=[Param(z, s, s, z, "z_i >= 0")]),
        Branch("<", Chain(sp.Abs(step_expr), [
            Step("<=", ONE, "mirror image", [(U_BOUND, eta * rho * lam)]),
        ]), params=[Param(z, -s, s, -z, "z_i < 0")]),
    ]),
    assumptions=ASSUME, params=[ETA_LAM],
    statement="per coordinate: |z_i+| <= max{(1 - eta lambda_i)|z_i|, eta rho lambda_i}",
)

coord_sq = Theorem(
    "coordinate_one_step_squared",
    Claim(step_expr**2, "<=", sp.Max((1 - eta * lam)**2 * z**2, eta**2 * rho**2 * lam**2)),
    Chain(step_expr**2, [
        Step("<=", sp.Max((1 - eta * lam)**2 * z**2, eta**2 * rho**2 * lam**2), "square the one-step bound",
             [lemma(square_of_max, {A: sp.Abs(step_expr), a: (1 - eta * lam) * sp.Abs(z), b: eta * rho * lam},
                    given=[lemma(coord_abs)])]),
    ]),
    assumptions=ASSUME, params=[ETA_LAM],
    statement="per coordinate, squared",
)

q = 1 - eta * lam
it_claim = Claim(zc_[T]**2, "<=", sp.Max(q**(2 * T) * zc_[0]**2, eta**2 * rho**2 * lam**2))
UPDATE_T = definition_param(zc_[T + 1], q * zc_[T] - eta * rho * lam * c_[T] * zc_[T], "SAM step in coordinate i")
UPDATE_K = definition_param(zc_[k + 1], q * zc_[k] - eta * rho * lam * c_[k] * zc_[k], "SAM step in coordinate i")
coord_iterate = Theorem(
    "coordinate_iterate",
    it_claim,
    Induction(T,
              base=Chain(zc_[0]**2, [Step("<=", it_claim.rhs.subs(T, 0), "max")]),
              step=Chain(zc_[T + 1]**2, [
                  Step("<=", sp.Max(q**2 * zc_[T]**2, eta**2 * rho**2 * lam**2), "one step at step T",
                       [lemma(coord_sq, {z: zc_[T], c: c_[T]})]),
                  Step("<=", sp.Max(q**2 * it_claim.rhs, eta**2 * rho**2 * lam**2), "induction hypothesis, times q^2",
                       [(induction_hypothesis(it_claim), q**2)]),
                  Step("<=", it_claim.rhs.subs(T, T + 1), "q^2 <= 1"),
              ])),
    assumptions=ASSUME, params=[ETA_LAM, UPDATE_T],
    statement="per coordinate: z_{T,i}^2 <= max{(1 - eta lambda_i)^(2T) z_{0,i}^2, eta^2 rho^2 lambda_i^2}",
)

coord_bound = Theorem(
    "coordinate_bound",
    Claim(zc_[T]**2, "<=", (1 - eta * mu)**(2 * T) * zc_[0]**2 + eta**2 * rho**2 * lam**2),
    Chain(zc_[T]**2, [
        Step("<=", it_claim.rhs, "coordinate iterate", [lemma(coord_iterate)]),
        Step("<=", q**(2 * T) * zc_[0]**2 + eta**2 * rho**2 * lam**2, "max{a, b} <= a + b for a, b >= 0"),
        Step("<=", (1 - eta * mu)**(2 * T) * zc_[0]**2 + eta**2 * rho**2 * lam**2,
             "(1 - eta lambda)^(2T) <= (1 - eta mu)^(2T), mu <= lambda",
             [(ax.power_monotone(1 - eta * lam, 1 - eta * mu, 2 * T), zc_[0]**2)]),
    ]),
    assumptions=ASSUME, params=[ETA_LAM, MU_LAM, UPDATE_K],
    statement="per coordinate: z_{T,i}^2 <= (1 - eta mu)^(2T) z_{0,i}^2 + eta^2 rho^2 lambda_i^2",
)

# ---------------------------------------------------------------------------- sum over coordinates
i, j = sp.symbols("i j", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
z_, cc_, lam_ = sp.IndexedBase("z", real=True), sp.IndexedBase("cz", nonnegative=True), sp.IndexedBase("lambda", positive=True)
lv = sp.Symbol("l_v", nonnegative=True)
GAP_T = ax.definition(f_[T] - fstar, sp.Sum(lam_[i] * z_[T, i]**2, (i, 1, n)) / 2, "f(x_T) - f* (quadratic)")
DELTA = ax.definition(Delta, sp.Sum(lam_[i] * z_[0, i]**2, (i, 1, n)) / 2, "Delta = f(x_0) - f* (quadratic)")
per_coordinate = lemma(coord_bound, {zc_: lambda t_: z_[t_, j], c_: lambda t_: cc_[t_, j], lam: lam_[j]})
quadratic = Theorem(
    "quadratic",
    Claim(f_[T] - fstar, "<=", (1 - mu * eta)**(2 * T) * Delta + eta**2 * rho**2 / 2 * sp.Sum(lam_[i]**3, (i, 1, n))),
    Chain(f_[T] - fstar, [
        Step("==", sp.Sum(lam_[i] * z_[T, i]**2, (i, 1, n)) / 2, "f - f* = (1/2) sum_i lambda_i z_i^2", [GAP_T]),
        Step("<=", sp.Sum(lam_[i] * ((1 - eta * mu)**(2 * T) * z_[0, i]**2 + eta**2 * rho**2 * lam_[i]**2), (i, 1, n)) / 2,
             "per-coordinate bound, weighted by lambda_i/2 and summed", [summed(per_coordinate, j, i, 1, n, lam_[j] / 2)]),
        Step("==", (1 - mu * eta)**(2 * T) * Delta + eta**2 * rho**2 / 2 * sp.Sum(lam_[i]**3, (i, 1, n)),
             "linearity of the sum; Delta = (1/2) sum_i lambda_i z_{0,i}^2", [(DELTA, -(1 - mu * eta)**(2 * T))]),
    ]),
    assumptions=ASSUME,
    params=[Param(lam_[j], beta / (1 + lv), lv, beta / lam_[j] - 1, "lambda_j <= beta for every j"),
            Param(mu, lam_[j] / (1 + mv), mv, lam_[j] / mu - 1, "mu <= lambda_j for every j"),
            Param(eta, 1 / (beta * (1 + w)), w, 1 / (beta * eta) - 1, "0 < eta <= 1/beta"),
            definition_param(z_[k + 1, j], (1 - eta * lam_[j]) * z_[k, j] - eta * rho * lam_[j] * cc_[k, j] * z_[k, j],
                             "SAM step, coordinate j")],
    hypotheses=[GAP_T, DELTA],
    statement="quadratic: f(x_T) - f* <= (1 - mu eta)^(2T) Delta + (eta^2 rho^2 / 2) sum_i lambda_i^3",
)

PROOF = ProofFile("d_sc_quadratic", "D-SC: kappa-free bound for quadratics",
                  [coord_abs, coord_sq, coord_iterate, coord_bound, quadratic])
