"""Evaluate one catalog bound on 10^6 constant tuples: cached lambdify vs hand-written numpy vs sympy subs/evalf.

Bound: D-SC/theorem-a/prescribed (docs/theory.md section 4, Theorem A with the prescribed step),

    max{ e^(-mu T/(2 beta)) Delta,  beta^4 rho^2/(mu^3 T^2),  (kappa + 1) beta^3 rho^2 ln^2(N_T)/(2 mu^2 T^2) },
    N_T = max{2, mu^3 Delta T^2/(beta^4 rho^2)}.

Run:  python benchmarks/bench_query.py [--n 1000000] [--sample 20] [--repeat 5]
Timings are wall-clock, best of ``repeat``; the sympy figure is per-tuple time on ``sample`` tuples times n.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sympy as sp

from sambounds.theory.bound import compiled
from sambounds.theory.catalog import catalog
from sambounds.theory.query import evaluate_many

NAME = "D-SC/theorem-a/prescribed"


def constants(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    beta = rng.uniform(0.1, 10.0, n)
    return {"beta": beta, "mu": beta * rng.uniform(1e-4, 1.0, n), "rho": rng.uniform(1e-3, 1.0, n),
            "T": rng.integers(1, 10**6, n).astype(np.float64), "Delta": rng.uniform(1e-3, 10.0, n)}


def hand_written(beta, mu, rho, T, Delta):
    N = np.maximum(2.0, mu**3 * Delta * T**2 / (beta**4 * rho**2))
    kappa = beta / mu
    return np.maximum(np.maximum(np.exp(-mu * T / (2 * beta)) * Delta, beta**4 * rho**2 / (mu**3 * T**2)),
                      (kappa + 1) * beta**3 * rho**2 * np.log(N) ** 2 / (2 * mu**2 * T**2))


def best_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    bound = catalog[NAME]
    x = constants(args.n)

    t0 = time.perf_counter()
    first = bound.evaluate(**x)  # compiles (lambdify) on first use, then cached
    t_first = time.perf_counter() - t0
    reference = hand_written(**x)
    assert np.allclose(first, reference, rtol=1e-12, atol=0), "lambdify and hand-written numpy disagree"

    args_syms = tuple(sorted(bound.expr.free_symbols, key=lambda s: s.name))
    raw = compiled(bound.expr, args_syms)
    t_numpy = best_time(lambda: hand_written(**x), args.repeat)
    t_raw = best_time(lambda: raw(*(x[s.name] for s in args_syms)), args.repeat)
    t_eval = best_time(lambda: bound.evaluate(**x), args.repeat)
    t_many = best_time(lambda: evaluate_many(bound, **x), args.repeat)

    sample = {k: v[: args.sample] for k, v in x.items()}
    syms = {s.name: s for s in bound.expr.free_symbols}
    t0 = time.perf_counter()
    sym_values = [float(bound.expr.subs({syms[k]: sp.Float(sample[k][i]) for k in syms}).evalf())
                  for i in range(args.sample)]
    t_sympy = (time.perf_counter() - t0) / args.sample * args.n
    assert np.allclose(sym_values, reference[: args.sample], rtol=1e-9), "sympy evalf disagrees"

    n = args.n
    print(f"bound {NAME}, n = {n:,} constant tuples (best of {args.repeat})")
    print(f"{'method':44s} {'seconds':>10s} {'ratio to hand numpy':>20s}")
    rows = [("hand-written numpy", t_numpy),
            ("lambdify (cached), formula only", t_raw),
            ("Bound.evaluate (checks domains + conditions)", t_eval),
            ("evaluate_many (masks per condition)", t_many),
            ("Bound.evaluate first call (incl. lambdify)", t_first),
            (f"sympy subs/evalf (extrapolated from {args.sample})", t_sympy)]
    for label, t in rows:
        print(f"{label:44s} {t:10.4f} {t / t_numpy:20.2f}")
    print(f"target: 10^6 in < 1 s and <= 3x hand numpy -> Bound.evaluate {t_eval:.3f} s, "
          f"{t_eval / t_numpy:.2f}x; sympy/evaluate = {t_sympy / t_eval:,.0f}x")


if __name__ == "__main__":
    main()
