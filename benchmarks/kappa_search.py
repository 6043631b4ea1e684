"""The kappa question of Theorem A (docs/theory-open-rows.md, section 2): a worst-function search.

Theorem A allows a steady state of deterministic SAM (constant eta <= 1/(2 beta)) as large as
B(eta) <= (kappa + 1) beta^3 rho^2 eta^2 / 2.  This script searches the 2-D ridge family
``sambounds.functions.KappaAdversarial``,

    f(x) = (b0/2) x1^2 + (mu/2) x2^2 + c logcosh(x1 - eps x2 - s),

(certified constants: beta = lambda_max(diag(b0, mu) + c v v^T), v = (1, -eps); strong convexity
min(b0, mu)) for the largest ratio

    gap / (beta^3 rho^2 eta^2),   gap = max of f - f* over a 2-cycle of SAM (x -> S(S(x)) = x),

over b0, c, eps, s and the radius rho (the logcosh ridge has a length scale, so rho matters),
at kappa = beta/min(b0, mu) in {10, 100, 1e3, 1e4} and eta beta in {0.5, 0.25}.  A 2-cycle is a
legitimate worst case for an upper bound that holds from every x_0: started on it, f(x_T) - f*
equals its gap for every T.  Cycles are found by scipy.optimize.root on S(S(x)) - x from a
grid of starts; the outer maximization is Nelder-Mead from several seeds.  The best point of
each kappa is then re-simulated from x* for 20/(mu eta) steps to report the attracting steady
state as well.

Run:  python benchmarks/kappa_search.py [--quick]
"""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np
from scipy import optimize

from sambounds.functions import KappaAdversarial


def ridge(p: np.ndarray, kappa: float) -> KappaAdversarial:
    """The family member of parameters p = (log b0, log c, eps, s), mu fixed by kappa (b0 >= mu)."""
    b0, c = math.exp(p[0]), math.exp(p[1])
    f = KappaAdversarial(mu=1.0, b0=b0, c=c, eps=float(p[2]), shift=float(p[3]))
    # rescale mu so that beta / min(b0, mu) = kappa exactly: mu enters beta only through the 2x2 matrix
    mu = optimize.brentq(lambda m: _beta(b0, m, c, p[2]) / min(b0, m) - kappa, 1e-12, b0 * (1 - 1e-12)) \
        if _beta(b0, b0, c, p[2]) / b0 < kappa else b0
    return KappaAdversarial(mu=mu, b0=b0, c=c, eps=float(p[2]), shift=float(p[3]))


def _beta(b0: float, mu: float, c: float, eps: float) -> float:
    m = np.array([[b0 + c, -c * eps], [-c * eps, mu + c * eps**2]])
    return float(np.linalg.eigvalsh(m)[-1])


def sam_map(f: KappaAdversarial, rho: float, eta: float):
    def grad(x):
        return np.asarray(f.grad(x[None, :]), dtype=float).reshape(2)

    def step(x):
        g = grad(x)
        n = np.linalg.norm(g)
        y = x + rho * g / n if n > 0 else x
        return x - eta * grad(y)
    return step


def cycle_gaps(f: KappaAdversarial, rho: float, eta: float, starts: np.ndarray) -> float:
    """The largest max(f - f*) over the 2-cycles found from ``starts`` (0 if none converges).

    A cycle counts only if it is a genuine 2-cycle (its two points differ by more than rho/100:
    x* itself is a fixed point) and its gap is far above the rounding of f - f* (1e-10 (|f| + |f*|)).
    """
    S = sam_map(f, rho, eta)
    fstar = float(f.f_star[0])
    best = 0.0
    for x0 in starts:
        sol = optimize.root(lambda x: S(S(x)) - x, x0, method="hybr", tol=1e-13)
        if not sol.success or np.linalg.norm(S(S(sol.x)) - sol.x) > 1e-10 * (1 + np.linalg.norm(sol.x)):
            continue
        if np.linalg.norm(S(sol.x) - sol.x) < rho / 100:
            continue
        for x in (sol.x, S(sol.x)):
            fx = float(f.value(x[None, :])[0])
            if fx - fstar > 1e-10 * (abs(fx) + abs(fstar)):
                best = max(best, fx - fstar)
    return best


def ratio(theta: np.ndarray, kappa: float, eta_beta: float, n_starts: int) -> float:
    # a bounded box: |eps| <= 3, |s| <= 3, 1e-3 <= rho <= 10, b0 and c in [1e-4, 10]
    if abs(theta[2]) > 3 or abs(theta[3]) > 3 or not (-7 < theta[4] < 2.3) or not (-9.2 < theta[0] < 2.3) \
            or not (-9.2 < theta[1] < 2.3):
        return 0.0
    try:
        f = ridge(theta[:4], kappa)
    except (ValueError, Exception):
        return 0.0
    beta = float(f.beta[0])
    rho = math.exp(theta[4])
    eta = eta_beta / beta
    xs = np.asarray(f.x_star[0], dtype=float)
    rng = np.random.default_rng(0)
    scale = np.array([rho, rho * kappa])
    starts = xs + rng.standard_normal((n_starts, 2)) * scale
    gap = cycle_gaps(f, rho, eta, starts)
    return gap / (beta**3 * rho**2 * eta**2)


def steady_state(theta: np.ndarray, kappa: float, eta_beta: float) -> float:
    """Long simulation from x* + rho e_1: the attracting steady state's max gap over the last 1000 steps."""
    f = ridge(theta[:4], kappa)
    beta, mu = float(f.beta[0]), float(f.mu[0])
    rho, eta = math.exp(theta[4]), eta_beta / float(f.beta[0])
    S = sam_map(f, rho, eta)
    x = np.asarray(f.x_star[0], dtype=float) + np.array([rho, 0.0])
    T = int(max(20 / (mu * eta), 5000))
    worst = 0.0
    for t in range(T):
        x = S(x)
        if t >= T - 1000:
            worst = max(worst, float(f.value(x[None, :])[0] - f.f_star[0]))
    return worst / (beta**3 * rho**2 * eta**2)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    kappas = (10.0, 100.0) if args.quick else (10.0, 100.0, 1e3, 1e4)
    eta_betas = (0.5,) if args.quick else (0.5, 0.25)
    seeds = 2 if args.quick else 6
    n_starts = 6 if args.quick else 12
    rng = np.random.default_rng(2026)
    print(f"{'kappa':>8} {'eta*beta':>8} {'cycle ratio':>12} {'steady ratio':>12}  theta = (log b0, log c, eps, s, log rho)")
    for kappa in kappas:
        for eb in eta_betas:
            best = (0.0, None)
            for k in range(seeds):
                th0 = np.array([math.log(rng.uniform(0.05, 1.0)), math.log(rng.uniform(0.05, 1.0)),
                                rng.uniform(0.0, 1.0), rng.uniform(-1.0, 1.0), math.log(rng.uniform(0.01, 1.0))])
                res = optimize.minimize(lambda th: -ratio(th, kappa, eb, n_starts), th0, method="Nelder-Mead",
                                        options={"maxfev": 60 if args.quick else 250, "xatol": 1e-3, "fatol": 1e-4})
                if -res.fun > best[0]:
                    best = (-res.fun, res.x)
            th = best[1]
            steady = steady_state(th, kappa, eb) if th is not None else float("nan")
            print(f"{kappa:8.0f} {eb:8.2f} {best[0]:12.4g} {steady:12.4g}  "
                  f"{np.array2string(th, precision=4) if th is not None else '-'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
