"""D-C, Lemma C (docs/theory.md section 4): deterministic SAM on a convex beta-smooth f.

For eta <= 1/beta, with G0(eta) = beta^2 rho eta / (2 (1 - beta eta)):

    f(x+) <= f(x) - eta (1 - beta eta/2) G^2 + (beta^3 rho^2 eta^2 / 2) * 1[G < G0(eta)],

proved as its two halves: ``large_gradient`` (when (1 - beta eta) G >= beta^2 rho eta / 2, i.e.
G >= G0; written multiplied out so that eta = 1/beta, G0 = oo, is covered) and ``general``
(always).  Consequences: the schedule-generic bound
sum_t eta_t G_t^2 <= 2 Delta + beta^3 rho^2 sum_t eta_t^2 (all eta_t <= 1/beta), and the
distance recursion ||x_{t+1} - x*||^2 <= ||x_t - x*||^2 + eta beta rho^2 / (2 - beta eta).

Scalar abstraction: G = ||g||, E = ||e||, ge = <g, e> as in Lemma N.  Co-coercivity (F3) at
a = y, b = x reads <e, rho u> >= ||e||^2/beta; with u = g/G and multiplied by G >= 0 it becomes
rho <g, e> >= G ||e||^2 / beta (both sides vanish when G = 0, where u = 0 and e = 0).  For the
distance: z = x - x*, D = ||d||, dz = <d, z>, du = <d, u> with ||u|| <= 1, grad f(x*) = 0.
"""

import sympy as sp

from sambounds.proof import Chain, Claim, Induction, Param, ProofFile, Step, Theorem, induction_hypothesis, lemma
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import Delta, E, G, G_, T, beta, eta, eta_, f, f_, f_next, fstar, k, rho, t, w

ge = sp.Symbol("ge", real=True)
gram = ax.Gram({("g", "g"): G**2, ("e", "e"): E**2, ("g", "e"): ge})
d_vec = {"g": 1, "e": 1}

ETA = Param(eta, 1 / (beta * (1 + w)), w, 1 / (beta * eta) - 1, "0 < eta <= 1/beta")
ETA_T = Param(eta_[T], 1 / (beta * (1 + w)), w, 1 / (beta * eta_[T]) - 1,
              "0 < eta_t <= 1/beta for every t < T (stepped over)")
ETA_K = Param(eta_[k], 1 / (beta * (1 + w)), w, 1 / (beta * eta_[k]) - 1, "0 < eta_k <= 1/beta for every k < T")
DELTA = ax.definition(Delta, f_[0] - fstar, "Delta = f(x_0) - f*")
ASSUME = {"smooth", "convex"}

F1 = ax.descent_lemma(f_next, f, eta, gram, {"g": 1}, d_vec)
# (F3) at a = y, b = x: grad f(y) - grad f(x) = e, y - x = rho u = (rho/G) g; times G >= 0
F3 = ax.cocoercivity(gram, {"e": 1}, {"g": rho / G}, scale=G, where="at a = y, b = x, times G")
S1 = f - eta * (1 - beta * eta / 2) * G**2 - eta * (1 - beta * eta) * ge + beta * eta**2 / 2 * E**2
BRACKET = f - eta * (1 - beta * eta / 2) * G**2 + eta * E**2 * (beta * eta / 2 - (1 - beta * eta) * G / (beta * rho))

bracket = Theorem(
    "one_step_bracket",
    Claim(f_next, "<=", BRACKET),
    Chain(f_next, [
        Step("<=", F1.rhs, "descent lemma (F1), bilinearity", [F1]),
        Step("==", S1, "key identity (S1)"),
        Step("<=", f - eta * (1 - beta * eta / 2) * G**2 - eta * (1 - beta * eta) * G * E**2 / (beta * rho)
             + beta * eta**2 / 2 * E**2,
             "co-coercivity (F3): <g,e> >= G ||e||^2/(beta rho), times eta (1 - beta eta)",
             [(F3, eta * (1 - beta * eta) / rho)]),
        Step("==", BRACKET, "collect ||e||^2"),
    ]),
    assumptions=ASSUME, params=[ETA],
    statement="f(x+) <= f(x) - eta(1 - beta eta/2) G^2 + eta ||e||^2 [beta eta/2 - (1 - beta eta) G/(beta rho)]",
)

LARGE_G = ax.hypothesis((1 - beta * eta) * G, ">=", beta**2 * rho * eta / 2, "G >= G0(eta), multiplied by 1 - beta eta")
large_gradient = Theorem(
    "large_gradient",
    Claim(f_next, "<=", f - eta * (1 - beta * eta / 2) * G**2),
    Chain(f_next, [
        Step("<=", BRACKET, "Lemma C bracket form", [lemma(bracket)]),
        Step("<=", f - eta * (1 - beta * eta / 2) * G**2,
             "the bracket is <= 0 when G >= G0: it equals -(1/(beta rho)) [(1 - beta eta) G - beta^2 rho eta/2]",
             [(LARGE_G, eta * E**2 / (beta * rho))]),
    ]),
    assumptions=ASSUME, params=[ETA], hypotheses=[LARGE_G],
    statement="Lemma C, G >= G0(eta): f(x+) <= f(x) - eta (1 - beta eta/2) G^2",
)

general = Theorem(
    "general",
    Claim(f_next, "<=", f - eta * (1 - beta * eta / 2) * G**2 + beta**3 * rho**2 * eta**2 / 2),
    Chain(f_next, [
        Step("<=", BRACKET, "Lemma C bracket form", [lemma(bracket)]),
        Step("<=", f - eta * (1 - beta * eta / 2) * G**2 + beta * eta**2 / 2 * E**2,
             "drop -(1 - beta eta) G ||e||^2 eta/(beta rho) <= 0"),
        Step("<=", f - eta * (1 - beta * eta / 2) * G**2 + beta**3 * rho**2 * eta**2 / 2,
             "(F2) ||e||^2 <= beta^2 rho^2", [(ax.perturbation_bound(E, beta, rho), beta * eta**2 / 2 * (E + beta * rho))]),
    ]),
    assumptions=ASSUME, params=[ETA],
    statement="Lemma C, any G: f(x+) <= f(x) - eta (1 - beta eta/2) G^2 + beta^3 rho^2 eta^2 / 2",
)

# ---------------------------------------------------------------------------- schedule-generic
sum_eta_G2 = sp.Sum(eta_[t] * G_[t]**2, (t, 0, T - 1))
sum_eta2 = sp.Sum(eta_[t]**2, (t, 0, T - 1))
tele = Claim(sum_eta_G2, "<=", 2 * (f_[0] - f_[T]) + beta**3 * rho**2 * sum_eta2)
telescoped = Theorem(
    "telescoped",
    tele,
    Induction(T,
              base=Chain(tele.lhs.subs(T, 0), [Step("==", tele.rhs.subs(T, 0), "empty sums")]),
              step=Chain(tele.lhs.subs(T, T + 1), [
                  Step("==", sum_eta_G2 + eta_[T] * G_[T]**2, "split off the last term"),
                  Step("<=", tele.rhs + eta_[T] * G_[T]**2, "induction hypothesis", [induction_hypothesis(tele)]),
                  Step("<=", tele.rhs.subs(T, T + 1),
                       "Lemma C (general) at step T, times 2; eta (1 - beta eta/2) >= eta/2",
                       [(lemma(general, {f: f_[T], f_next: f_[T + 1], G: G_[T], eta: eta_[T]}), 2)]),
              ])),
    assumptions=ASSUME, params=[ETA_T],
    statement="sum_{t<T} eta_t G_t^2 <= 2 (f(x_0) - f(x_T)) + beta^3 rho^2 sum_{t<T} eta_t^2",
)

schedule_generic = Theorem(
    "schedule_generic",
    Claim(sum_eta_G2, "<=", 2 * Delta + beta**3 * rho**2 * sum_eta2),
    Chain(sum_eta_G2, [
        Step("<=", tele.rhs, "telescoped Lemma C", [lemma(telescoped)]),
        Step("<=", 2 * Delta + beta**3 * rho**2 * sum_eta2, "f(x_T) >= f*, Delta = f(x_0) - f*",
             [(ax.lower_bound(f_[T], fstar), 2), (DELTA, -2)]),
    ]),
    assumptions=ASSUME, params=[ETA_K], hypotheses=[DELTA],
    statement="schedule-generic: sum_t eta_t G_t^2 <= 2 Delta + beta^3 rho^2 sum_t eta_t^2 (eta_t <= 1/beta)",
)

# ---------------------------------------------------------------------------- distance recursion
r2, r2_next, D, dz, du, zu = sp.symbols("r2 r2_next D dz du zu", real=True)
D = sp.Symbol("D", nonnegative=True)
dist_gram = ax.Gram({("z", "z"): r2, ("d", "d"): D**2, ("d", "z"): dz, ("d", "u"): du, ("z", "u"): zu,
                     ("u", "u"): sp.Symbol("uu", nonnegative=True)})
EXPAND = ax.axiom("x+ - x* = (x - x*) - eta d, expanded by bilinearity", r2_next, "==",
                  dist_gram.sq({"z": 1, "d": -eta}))
F3_STAR = ax.cocoercivity(dist_gram, {"d": 1}, {"z": 1, "u": rho},
                          where="at a = y = x + rho u, b = x* (grad f(x*) = 0)")
CS_U = ax.axiom("Cauchy-Schwarz with ||u|| <= 1", du, "<=", D)
SHIFT = beta * rho / (2 - beta * eta)
distance = Theorem(
    "distance",
    Claim(r2_next, "<=", r2 + eta * beta * rho**2 / (2 - beta * eta)),
    Chain(r2_next, [
        Step("==", r2 - 2 * eta * dz + eta**2 * D**2, "expand ||x - x* - eta d||^2", [EXPAND]),
        Step("<=", r2 - 2 * eta * (D**2 / beta - rho * du) + eta**2 * D**2,
             "co-coercivity (F3) at y and x*: <d, x - x*> >= ||d||^2/beta - rho <d, u>", [(F3_STAR, 2 * eta)]),
        Step("<=", r2 - 2 * eta * D**2 / beta + 2 * eta * rho * D + eta**2 * D**2, "<d, u> <= ||d||",
             [(CS_U, 2 * eta * rho)]),
        Step("==", r2 + eta * beta * rho**2 / (2 - beta * eta) - eta * (2 - beta * eta) / beta * (D - SHIFT)**2,
             "complete the square in ||d||"),
        Step("<=", r2 + eta * beta * rho**2 / (2 - beta * eta), "drop the square",
             [(ax.square(D - SHIFT), eta * (2 - beta * eta) / beta)]),
    ]),
    assumptions=ASSUME, params=[ETA],
    statement="distance: ||x_{t+1} - x*||^2 <= ||x_t - x*||^2 + eta beta rho^2 / (2 - beta eta), eta <= 1/beta",
)

PROOF = ProofFile(
    "d_c_lemma_c",
    "D-C: Lemma C, schedule-generic sum, distance recursion",
    [bracket, large_gradient, general, telescoped, schedule_generic, distance],
)
