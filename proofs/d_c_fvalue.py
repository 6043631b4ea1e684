"""D-C, function values (docs/theory-open-rows.md, section 3): deterministic SAM on convex beta-smooth f.

For a constant 0 < eta <= 1/beta, T >= 1, D = ||x_0 - x*||, Delta = f(x_0) - f*:

    (1/T) sum_{t<T} (f(x_t) - f*) <= D^2/(2 eta T) + 2 Delta/T + (beta rho^2/2)(1 + 2 beta eta + 2 beta^2 eta^2),

hence the same bound for min_t f(x_t) - f* and (Jensen) for f at the average iterate.

Proof (derived here).  With z = x - x*, y = x + rho u, d = grad f(y) = g + e:

1. ``distance_fvalue`` -- ||x+ - x*||^2 = ||z||^2 - 2 eta <d, z> + eta^2 ||d||^2 and
   <d, z> = <d, y - x*> - rho <d, u>.  Convexity at y against x*: <d, y - x*> >= f(y) - f*;
   convex smoothness (Nesterov 2018, Thm 2.1.5): f(y) >= f(x) + rho G + ||e||^2/(2 beta);
   <d, u> = G + <e, u> <= G + ||e||.  So <d, z> >= f(x) - f* + ||e||^2/(2 beta) - rho ||e||
   >= f(x) - f* - beta rho^2/2 (a square), and ||d||^2 <= 2 G^2 + 2 ||e||^2 <= 2 G^2 + 2 beta^2 rho^2:
   ||x+ - x*||^2 <= ||z||^2 - 2 eta (f(x) - f*) + eta beta rho^2 + 2 eta^2 G^2 + 2 eta^2 beta^2 rho^2.
2. ``potential`` -- Lemma C (general) times 4 eta absorbs 2 eta^2 G^2 (eta beta <= 1): the
   potential Phi = ||x - x*||^2 + 4 eta (f(x) - f*) satisfies
   Phi_{t+1} <= Phi_t - 2 eta (f(x_t) - f*) + eta beta rho^2 K,  K = 1 + 2 beta eta + 2 beta^2 eta^2.
3. ``telescoped`` / ``average`` -- sum over t < T, Phi_T >= 0.

Scalar abstraction: r2 = ||z||^2, D_d = ||d||, dz = <d, z>, dyx = <d, y - x*>, du = <d, u>,
eu = <e, u>, G = ||g||, E = ||e||, fy = f(y); at G = 0 the convention u = 0 gives y = x, e = 0,
so every fact below holds there too.  Not sharp in rho: the rho^2 term does not vanish as
eta -> 0 (the 2-cycle of beta x^2/2 has only beta^3 eta^2 rho^2/8); see the docs.
"""

from pathlib import Path

import sympy as sp

from sambounds.proof import Chain, Claim, Induction, Param, ProofFile, Step, Theorem, induction_hypothesis, lemma
from sambounds.proof import load_proof
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import Delta, E, G, G_, T, beta, eta, f, f_, f_next, fstar, rho, t, v, w

LEMMA_C = load_proof("d_c_lemma_c", Path(__file__).parent)
general = LEMMA_C.theorem("general")

r2, r2_next, dz, dyx, du, eu, fy = sp.symbols("r2 r2_next dz dyx du eu f_y", real=True)
Dd = sp.Symbol("D_d", nonnegative=True)
D = sp.Symbol("D", nonnegative=True)
r2_ = sp.IndexedBase("r2", real=True)

ETA = Param(eta, 1 / (beta * (1 + w)), w, 1 / (beta * eta) - 1, "0 < eta <= 1/beta")
ASSUME = {"smooth", "convex"}
K = 1 + 2 * beta * eta + 2 * beta**2 * eta**2

EXPAND = ax.axiom("x+ - x* = (x - x*) - eta d, expanded by bilinearity", r2_next, "==", r2 - 2 * eta * dz + eta**2 * Dd**2)
SHIFT = ax.axiom("bilinearity: x - x* = (y - x*) - rho u", dz, "==", dyx - rho * du)
CONVEX_Y = ax.axiom("convexity at y against x*: f* >= f(y) + <d, x* - y>", dyx, ">=", fy - fstar, requires={"convex"})
SMOOTH_CONVEX = ax.axiom("convex beta-smooth: f(y) >= f(x) + <g, y - x> + ||grad f(y) - g||^2/(2 beta) "
                         "(Nesterov 2018, Thm 2.1.5), <g, rho u> = rho G", fy, ">=", f + rho * G + E**2 / (2 * beta),
                         requires={"smooth", "convex"})
D_U = ax.axiom("bilinearity: <d, u> = <g, u> + <e, u> = G + <e, u>", du, "==", G + eu)
CS = ax.axiom("Cauchy-Schwarz with ||u|| <= 1", eu, "<=", E)
D_SQ = ax.axiom("||g + e||^2 <= 2 ||g||^2 + 2 ||e||^2", Dd**2, "<=", 2 * G**2 + 2 * E**2)
F2 = ax.perturbation_bound(E, beta, rho)

DIST_RHS = r2 - 2 * eta * (f - fstar) + eta * beta * rho**2 + 2 * eta**2 * G**2 + 2 * eta**2 * beta**2 * rho**2
distance_fvalue = Theorem(
    "distance_fvalue",
    Claim(r2_next, "<=", DIST_RHS),
    Chain(r2_next, [
        Step("==", r2 - 2 * eta * dz + eta**2 * Dd**2, "expand ||x - x* - eta d||^2", [EXPAND]),
        Step("==", r2 - 2 * eta * (dyx - rho * du) + eta**2 * Dd**2, "x - x* = y - x* - rho u", [(SHIFT, -2 * eta)]),
        Step("<=", r2 - 2 * eta * (fy - fstar - rho * du) + eta**2 * Dd**2, "convexity at y", [(CONVEX_Y, 2 * eta)]),
        Step("<=", r2 - 2 * eta * (f + rho * G + E**2 / (2 * beta) - fstar - rho * du) + eta**2 * Dd**2,
             "convex smoothness between x and y", [(SMOOTH_CONVEX, 2 * eta)]),
        Step("==", r2 - 2 * eta * (f - fstar + E**2 / (2 * beta) - rho * eu) + eta**2 * Dd**2, "<d, u> = G + <e, u>",
             [(D_U, 2 * eta * rho)]),
        Step("<=", r2 - 2 * eta * (f - fstar + E**2 / (2 * beta) - rho * E) + eta**2 * Dd**2, "<e, u> <= ||e||",
             [(CS, 2 * eta * rho)]),
        Step("<=", r2 - 2 * eta * (f - fstar) + eta * beta * rho**2 + eta**2 * Dd**2,
             "||e||^2/(2 beta) - rho ||e|| = (||e|| - beta rho)^2/(2 beta) - beta rho^2/2",
             [(ax.square(E - beta * rho), eta / beta)]),
        Step("<=", r2 - 2 * eta * (f - fstar) + eta * beta * rho**2 + 2 * eta**2 * G**2 + 2 * eta**2 * E**2,
             "||d||^2 <= 2 G^2 + 2 ||e||^2", [(D_SQ, eta**2)]),
        Step("<=", DIST_RHS, "(F2) ||e|| <= beta rho", [(F2, 2 * eta**2 * (E + beta * rho))]),
    ]),
    assumptions=ASSUME, params=[ETA],
    statement="||x+ - x*||^2 <= ||x - x*||^2 - 2 eta (f(x) - f*) + eta beta rho^2 + 2 eta^2 G^2 + 2 eta^2 beta^2 rho^2",
)

PHI = r2 + 4 * eta * (f - fstar)
PHI_NEXT = r2_next + 4 * eta * (f_next - fstar)
potential = Theorem(
    "potential",
    Claim(PHI_NEXT, "<=", PHI - 2 * eta * (f - fstar) + eta * beta * rho**2 * K),
    Chain(PHI_NEXT, [
        Step("<=", DIST_RHS + 4 * eta * (f_next - fstar), "distance_fvalue", [lemma(distance_fvalue)]),
        Step("<=", DIST_RHS + 4 * eta * (f - eta * (1 - beta * eta / 2) * G**2 + beta**3 * rho**2 * eta**2 / 2 - fstar),
             "Lemma C (general), times 4 eta", [(lemma(general), 4 * eta)]),
        Step("<=", PHI - 2 * eta * (f - fstar) + eta * beta * rho**2 * K,
             "2 eta^2 G^2 - 4 eta^2 (1 - beta eta/2) G^2 = -2 eta^2 (1 - beta eta) G^2 <= 0"),
    ]),
    assumptions=ASSUME, params=[ETA],
    statement="Phi = ||x - x*||^2 + 4 eta (f(x) - f*): Phi_{t+1} <= Phi_t - 2 eta (f(x_t) - f*) + eta beta rho^2 "
              "(1 + 2 beta eta + 2 beta^2 eta^2)",
)

sum_f = sp.Sum(f_[t], (t, 0, T - 1))
PHI_0 = r2_[0] + 4 * eta * (f_[0] - fstar)
tele = Claim(2 * eta * (sum_f - T * fstar), "<=",
             PHI_0 - r2_[T] - 4 * eta * (f_[T] - fstar) + T * eta * beta * rho**2 * K)
telescoped = Theorem(
    "telescoped",
    tele,
    Induction(T,
              base=Chain(tele.lhs.subs(T, 0), [Step("==", tele.rhs.subs(T, 0), "empty sum")]),
              step=Chain(tele.lhs.subs(T, T + 1), [
                  Step("==", 2 * eta * (sum_f - T * fstar) + 2 * eta * (f_[T] - fstar), "split off the last term"),
                  Step("<=", tele.rhs + 2 * eta * (f_[T] - fstar), "induction hypothesis",
                       [induction_hypothesis(tele)]),
                  Step("<=", tele.rhs.subs(T, T + 1), "potential at step T",
                       [lemma(potential, {r2: r2_[T], r2_next: r2_[T + 1], f: f_[T], f_next: f_[T + 1], G: G_[T]})]),
              ])),
    assumptions=ASSUME, params=[ETA],
    statement="2 eta sum_{t<T} (f(x_t) - f*) <= Phi_0 - Phi_T + T eta beta rho^2 (1 + 2 beta eta + 2 beta^2 eta^2)",
)

DELTA = ax.definition(Delta, f_[0] - fstar, "Delta = f(x_0) - f*")
D_DEF = ax.definition(D**2, r2_[0], "D^2 = ||x_0 - x*||^2")
R2_T = ax.axiom("||x_T - x*||^2 >= 0", r2_[T], ">=", 0)
AVG = D**2 / (2 * eta * T) + 2 * Delta / T + beta * rho**2 * K / 2
average = Theorem(
    "average",
    Claim((sum_f - T * fstar) / T, "<=", AVG),
    Chain((sum_f - T * fstar) / T, [
        Step("<=", (PHI_0 - r2_[T] - 4 * eta * (f_[T] - fstar) + T * eta * beta * rho**2 * K) / (2 * eta * T),
             "telescoped, divided by 2 eta T", [(lemma(telescoped), 1 / (2 * eta * T))]),
        Step("<=", AVG, "||x_T - x*||^2 >= 0, f(x_T) >= f*, D^2 = ||x_0 - x*||^2, Delta = f(x_0) - f*",
             [(R2_T, 1 / (2 * eta * T)), (ax.lower_bound(f_[T], fstar), 2 / T), (D_DEF, -1 / (2 * eta * T)),
              (DELTA, -2 / T)]),
    ]),
    assumptions=ASSUME, params=[ETA, Param(T, 1 + v, v, T - 1, "T >= 1")], hypotheses=[DELTA, D_DEF],
    statement="(1/T) sum_{t<T} (f(x_t) - f*) <= D^2/(2 eta T) + 2 Delta/T + (beta rho^2/2)(1 + 2 beta eta + 2 beta^2 eta^2)",
)

PROOF = ProofFile("d_c_fvalue", "D-C: function values of deterministic SAM on convex f (average iterate)",
                  [distance_fvalue, potential, telescoped, average])
