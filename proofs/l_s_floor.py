"""L-S (docs/theory.md section 5): the stochastic rho^2 floor of n-SAM and m-SAM.

Construction: f1 = beta x^2/2 + A x (probability p), f2 = beta x^2/2 - B x (probability 1 - p),
p A = (1 - p) B, B = K beta rho, p < 1/2; f = beta x^2/2, sigma^2 = (1 - p) B^2 / p.  Claim:
liminf_t E f(x_t) - f* >= c(p, K) beta rho^2 for every eta > 0, where
c(p, K) = max_{h in (0, 1]} min{(1/2)[(1 - 2p) - 2 (1 - p) q(h)]_+^2, (1 - p) K^2 h^2 / (2p)},
q(h) = (1 + sqrt(h)(1 + K sqrt((1 - p)/p)))^2 / K^2.

The derivation of c(p, K) is not in the paper's abstract; it is reconstructed here and its algebraic steps
are machine-checked.  With a = eta beta and S = K sqrt((1 - p)/p) = sigma/(beta rho):

* model (``noise_mean``, ``variance``, ``mean_function``): E noise = 0, sigma^2 = (1-p) B^2/p, f = beta x^2/2;
* large steps (``variance_floor_nsam``, ``variance_floor_msam``, ``large_step_floor``): every step
  leaves E f(x+) >= beta eta^2 sigma^2 / 2 -- for m-SAM because the two outcomes of the step differ
  by eta (A + B + beta rho (s1 - s2)) with s1 >= s2 (the sign is nondecreasing); and for a >= h this
  is >= (1 - p) K^2 h^2 / (2p) beta rho^2;
* small steps: the drift (``drift_below``, ``drift_inside``, ``drift_above``):
  E[x+ | x] >= (1 - a) x + a rho [(1 - 2p) - 2 (1 - p) 1[x >= K rho]], with the fixed point
  rho (1 - 2p) of the mean map inside the region; the second moment L_t = (E x_t^2)^(1/2) obeys
  L_{t+1} <= ((1 - a)^2 L_t^2 + a^2 S^2 rho^2)^(1/2) + a rho (Minkowski, independent noise), and
  M = rho (1 + sqrt(h)(1 + S)) is invariant for a <= h <= 1 (``second_moment_invariant``);
  Chebyshev: P(x >= K rho) <= M^2/(K rho)^2 = q(h) (``chebyshev_q``); Jensen:
  E f >= (beta/2)(E x)^2;
* the two example values ``example_0_1_40`` (c(0.1, 40) >= 0.234) and ``example_0_25_16``
  (c(0.25, 16) >= 0.0748), each by an explicit h, and ``first_term_le_half`` (c <= 1/2).

Checked numerically, not symbolically: the limit passages (the liminf of a contraction-driven
sequence, the limsup of L_t below the invariant M) and that the supremum over p, K equals 1/2
(approached, e.g. c(0.01, 10^4) ~ 0.478, by evaluation).
"""

import sympy as sp

from sambounds.proof import Chain, Claim, Param, ProofFile, Step, Theorem
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import beta, eta, rho, v, w

p, K, A, B = sp.symbols("p K A B", positive=True)
x = sp.Symbol("x", real=True)
Ef_next, Ex2, Ex_next, Es, En = sp.symbols("Ef_next Ex2 Ex_next Es En", real=True)
D = sp.Symbol("D", real=True)
P_HALF = Param(p, 1 / (2 * (1 + w)), w, 1 / (2 * p) - 1, "0 < p <= 1/2")
A_DEF = Param(A, (1 - p) * B / p, None, None, "p A = (1 - p) B")
B_DEF = Param(B, K * beta * rho, None, None, "B = K beta rho")
SIGMA2 = (1 - p) * B**2 / p

noise_mean = Theorem("noise_mean", Claim(p * A - (1 - p) * B, "==", 0),
                     Chain(p * A - (1 - p) * B, [Step("==", 0, "p A = (1 - p) B")]),
                     params=[A_DEF], statement="E[noise] = p A - (1 - p) B = 0")
variance = Theorem("variance", Claim(p * A**2 + (1 - p) * B**2, "==", SIGMA2),
                   Chain(p * A**2 + (1 - p) * B**2, [Step("==", SIGMA2, "p A = (1 - p) B")]),
                   params=[A_DEF], statement="sigma^2 = p A^2 + (1 - p) B^2 = (1 - p) B^2 / p")
mean_f = p * (beta * x**2 / 2 + A * x) + (1 - p) * (beta * x**2 / 2 - B * x)
mean_function = Theorem("mean_function", Claim(mean_f, "==", beta * x**2 / 2),
                        Chain(mean_f, [Step("==", beta * x**2 / 2, "p A = (1 - p) B")]),
                        params=[A_DEF], statement="f = p f1 + (1 - p) f2 = beta x^2 / 2")

# ---------------------------------------------------------------------------- large steps
QUAD = ax.hypothesis(Ef_next, "==", beta / 2 * Ex2, "E f(x+) = (beta/2) E[x+^2] (f = beta x^2/2)")
TWO_POINT = ax.axiom("E[x+^2] >= Var(x+ | x) = p (1 - p) eta^2 (v1 - v2)^2, v1 - v2 = A + B + beta rho (s1 - s2)",
                     Ex2, ">=", p * (1 - p) * eta**2 * (A + B + beta * rho * D)**2, requires={"construction"})
SIGN_ORDER = ax.axiom("s1 - s2 = sign(beta x + A) - sign(beta x - B) >= 0 (sign is nondecreasing)", D, ">=", 0,
                      requires={"construction"})
variance_floor_msam = Theorem(
    "variance_floor_msam",
    Claim(Ef_next, ">=", beta * eta**2 * SIGMA2 / 2),
    Chain(Ef_next, [
        Step("==", beta / 2 * Ex2, "f = beta x^2/2", [QUAD]),
        Step(">=", beta / 2 * p * (1 - p) * eta**2 * (A + B + beta * rho * D)**2, "second moment >= conditional variance",
             [(TWO_POINT, beta / 2)]),
        Step(">=", beta / 2 * p * (1 - p) * eta**2 * (A + B)**2, "s1 >= s2",
             [(SIGN_ORDER, beta / 2 * p * (1 - p) * eta**2 * 2 * (A + B) * beta * rho)]),
        Step("==", beta * eta**2 * SIGMA2 / 2, "p (1 - p)(A + B)^2 = (1 - p) B^2/p = sigma^2"),
    ]),
    assumptions={"construction"}, params=[A_DEF, P_HALF], hypotheses=[QUAD],
    statement="m-SAM on L-S: E f(x+) >= beta eta^2 sigma^2 / 2 after every step",
)
INDEPENDENT = ax.axiom("E[x+^2] >= Var(x+ | x) >= eta^2 Var(noise') = eta^2 sigma^2 (independent descent noise)",
                       Ex2, ">=", eta**2 * SIGMA2, requires={"construction"})
variance_floor_nsam = Theorem(
    "variance_floor_nsam",
    Claim(Ef_next, ">=", beta * eta**2 * SIGMA2 / 2),
    Chain(Ef_next, [Step("==", beta / 2 * Ex2, "f = beta x^2/2", [QUAD]),
                    Step(">=", beta * eta**2 * SIGMA2 / 2, "independent descent noise", [(INDEPENDENT, beta / 2)])]),
    assumptions={"construction"}, hypotheses=[QUAD],
    statement="n-SAM on L-S: E f(x+) >= beta eta^2 sigma^2 / 2 after every step",
)
h = sp.Symbol("h", positive=True)
large_step_floor = Theorem(
    "large_step_floor",
    Claim(beta * eta**2 * SIGMA2 / 2, ">=", (1 - p) * K**2 * h**2 / (2 * p) * beta * rho**2),
    Chain(beta * eta**2 * SIGMA2 / 2, [Step(">=", (1 - p) * K**2 * h**2 / (2 * p) * beta * rho**2, "eta beta >= h")]),
    params=[Param(eta, h * (1 + w) / beta, w, eta * beta / h - 1, "eta beta >= h"), B_DEF, P_HALF],
    statement="for eta beta >= h: beta eta^2 sigma^2 / 2 >= (1 - p) K^2 h^2/(2p) beta rho^2",
)

# ---------------------------------------------------------------------------- small steps: drift
UPDATE_MEAN = ax.hypothesis(Ex_next, "==", (1 - eta * beta) * x - eta * beta * rho * Es - eta * En,
                            "E[x+ | x] = x - eta (beta (x + rho E[s]) + E[noise]) (linearity)")
NOISE0 = ax.hypothesis(En, "==", 0, "E[noise] = 0")
ETA_LE = Param(eta, 1 / (beta * (1 + v)), v, 1 / (beta * eta) - 1, "0 < eta beta <= 1")


def drift(region: str, es_value, indicator):
    es = ax.hypothesis(Es, "==", es_value, f"E[s | x] = {es_value} ({region})")
    bound = (1 - eta * beta) * x + eta * beta * rho * ((1 - 2 * p) - 2 * (1 - p) * indicator)
    return Theorem(
        f"drift_{region}",
        Claim(Ex_next, ">=", bound),
        Chain(Ex_next, [
            Step("==", (1 - eta * beta) * x - eta * beta * rho * es_value, "mean of the step, E[noise] = 0",
                 [UPDATE_MEAN, (NOISE0, -eta), (es, -eta * beta * rho)]),
            Step(">=", bound, "compare E[s | x] with 2p - 1 + 2 (1 - p) 1[x >= K rho]"),
        ]),
        params=[P_HALF, ETA_LE], hypotheses=[UPDATE_MEAN, NOISE0, es],
        statement=f"{region}: E[x+ | x] >= (1 - eta beta) x + eta beta rho [(1 - 2p) - 2 (1 - p) 1[x >= K rho]]",
    )


drift_below = drift("below", -1, 0)                    # x <= -A/beta: both ascent signs are -1
drift_inside = drift("inside", 2 * p - 1, 0)           # -A/beta < x < B/beta: s = +1 w.p. p, -1 w.p. 1 - p
drift_above = drift("above", 1, 1)                     # x >= B/beta = K rho: both signs are +1
mean_map = Theorem(
    "mean_map_fixed_point",
    Claim((1 - eta * beta) * x + eta * beta * rho * (1 - 2 * p) - rho * (1 - 2 * p), "==",
          (1 - eta * beta) * (x - rho * (1 - 2 * p))),
    Chain((1 - eta * beta) * x + eta * beta * rho * (1 - 2 * p) - rho * (1 - 2 * p),
          [Step("==", (1 - eta * beta) * (x - rho * (1 - 2 * p)), "algebra")]),
    statement="inside the region the mean map contracts by 1 - eta beta towards rho (1 - 2p)",
)

# ---------------------------------------------------------------------------- second moment, Chebyshev
S, r = sp.symbols("S r", nonnegative=True)
a_ = sp.Symbol("a", positive=True)
M = rho * (1 + r * (1 + S))
sqrt_h = Param(r, 1 / (1 + v), v, 1 / r - 1, "0 < h = r^2 <= 1")
a_le_h = Param(a_, r**2 / (1 + w), w, r**2 / a_ - 1, "0 < a = eta beta <= h")
second_moment_invariant = Theorem(
    "second_moment_invariant",
    Claim((1 - a_)**2 * M**2 + a_**2 * S**2 * rho**2, "<=", (M - a_ * rho)**2),
    Chain((1 - a_)**2 * M**2 + a_**2 * S**2 * rho**2, [Step("<=", (M - a_ * rho)**2, "polynomial inequality")]),
    params=[a_le_h, sqrt_h],
    statement="M = rho (1 + sqrt(h)(1 + S)) satisfies ((1 - a)^2 M^2 + a^2 S^2 rho^2)^(1/2) + a rho <= M for a <= h <= 1",
)
moment_positive = Theorem(
    "second_moment_margin",
    Claim(M - a_ * rho, ">=", 0),
    Chain(M - a_ * rho, [Step(">=", 0, "a <= 1")]),
    params=[a_le_h, sqrt_h],
    statement="M - a rho >= 0, so the square root step above is monotone",
)
q_h = (1 + r * (1 + K * sp.sqrt((1 - p) / p)))**2 / K**2
chebyshev_q = Theorem(
    "chebyshev_q",
    Claim(M**2 / (K * rho)**2, "==", q_h),
    Chain(M**2 / (K * rho)**2, [Step("==", q_h, "S = K sqrt((1 - p)/p), r = sqrt(h)")]),
    params=[Param(S, K * sp.sqrt((1 - p) / p), None, None, "S = sigma/(beta rho) = K sqrt((1 - p)/p)")],
    statement="Chebyshev: P(x >= K rho) <= M^2 / (K rho)^2 = q(h)",
)


# ---------------------------------------------------------------------------- the examples, c <= 1/2
def c_at(p_val, K_val, h_val):
    q_val = (1 + sp.sqrt(h_val) * (1 + K_val * sp.sqrt((1 - p_val) / p_val)))**2 / K_val**2
    first = sp.Max(0, (1 - 2 * p_val) - 2 * (1 - p_val) * q_val)**2 / 2
    return sp.Min(first, (1 - p_val) * K_val**2 * h_val**2 / (2 * p_val))


def example(name, p_val, K_val, h_val, value):
    expr = c_at(p_val, K_val, h_val)
    return Theorem(name, Claim(expr, ">=", value), Chain(expr, [Step(">=", value, "exact arithmetic at this h")]),
                   statement=f"c({p_val}, {K_val}) >= {value}: the min at h = {h_val} (c is a max over h)")


qv = sp.Symbol("q", nonnegative=True)
first_term_le_half = Theorem(
    "first_term_le_half",
    Claim(((1 - 2 * p) - 2 * (1 - p) * qv)**2 / 2, "<=", sp.Rational(1, 2)),
    Chain(((1 - 2 * p) - 2 * (1 - p) * qv)**2 / 2,
          [Step("<=", (1 - 2 * p)**2 / 2, "0 <= (1 - 2p) - 2 (1 - p) q <= 1 - 2p when the bracket is positive"),
           Step("<=", sp.Rational(1, 2), "0 < 1 - 2p <= 1")]),
    params=[Param(qv, (1 - 2 * p) / (2 * (1 - p) * (1 + w)), w, (1 - 2 * p) / (2 * (1 - p) * qv) - 1,
                  "the bracket (1 - 2p) - 2 (1 - p) q is >= 0 (else the first term is 0)"),
            Param(p, 1 / (2 * (1 + v)), v, 1 / (2 * p) - 1, "0 < p <= 1/2")],
    statement="the first term of c(p, K) is <= 1/2, so c(p, K) <= 1/2",
)

PROOF = ProofFile(
    "l_s_floor", "L-S: stochastic floor mechanics (drift, variance floor) and c(p, K)",
    [noise_mean, variance, mean_function, variance_floor_msam, variance_floor_nsam, large_step_floor,
     drift_below, drift_inside, drift_above, mean_map, second_moment_invariant, moment_positive, chebyshev_q,
     example("example_0_1_40", sp.Rational(1, 10), 40, sp.Rational(7552, 100000)**2, sp.Rational(234, 1000)),
     example("example_0_25_16", sp.Rational(1, 4), 16, sp.Rational(1396, 100000), sp.Rational(748, 10000)),
     first_term_le_half],
    checked_numerically="limit passages (liminf of the drift recursion, limsup of the second moment) and "
                        "sup_{p,K} c(p, K) = 1/2 (approached numerically)",
)
