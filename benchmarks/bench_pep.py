"""Benchmark: sambounds' PEP against PEPit on GD (smooth convex), and SAM at N = 10.

Run:  /tmp/venv/bin/python benchmarks/bench_pep.py
PEPit is the optional extra `bench` (pip install pepit); without it sambounds' own figures
are still printed.  Both sides use Clarabel through cvxpy; each time is the best of
``REPEATS`` runs of "build the program + solve" in this process.
"""

from __future__ import annotations

import time

import sambounds
from sambounds import Setting
from sambounds.pep import sam
from sambounds.pep.methods import Method
from sambounds.pep.problem import build_program, make_spec
from sambounds.pep.solvers import solve

REPEATS = 3


def best_time(fn):
    best, out = float("inf"), None
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best


def ours_gd(N):
    spec = make_spec(Setting.create("gd", "convex", T=N, beta=1.0, eta=1.0, D=1.0), "f")
    return solve(build_program(spec, Method("gd"))).value


def pepit_gd(N):
    from PEPit import PEP
    from PEPit.functions import SmoothConvexFunction

    problem = PEP()
    f = problem.declare_function(SmoothConvexFunction, L=1.0)
    xs = f.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x = x0
    for _ in range(N):
        x = x - f.gradient(x)
    problem.set_performance_metric(f(x) - f(xs))
    return problem.solve(wrapper="cvxpy", solver="CLARABEL", verbose=0)


def main() -> None:
    import importlib.util

    have_pepit = importlib.util.find_spec("PEPit") is not None
    if not have_pepit:
        print("PEPit is not installed (pip install 'sambounds[bench]'): showing sambounds' figures only.\n")
    print("GD, step 1/L, L-smooth convex, ||x0 - x*|| <= 1: f(x_N) - f* (exact: 1/(4N+2))")
    print(f"{'N':>3} {'exact':>12} {'sambounds':>14} {'rel.err':>9} {'time s':>8}"
          + (f" {'PEPit':>14} {'rel.err':>9} {'time s':>8} {'ratio':>6}" if have_pepit else ""))
    for N in (5, 10, 20, 30):
        exact = 1 / (4 * N + 2)
        v, t = best_time(lambda: ours_gd(N))
        line = f"{N:>3} {exact:>12.8f} {v:>14.10f} {abs(v / exact - 1):>9.1e} {t:>8.3f}"
        if have_pepit:
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pv, pt = best_time(lambda: pepit_gd(N))
            line += f" {pv:>14.10f} {abs(pv / exact - 1):>9.1e} {pt:>8.3f} {t / pt:>6.2f}"
        print(line)

    print("\nSAM (normalized), L-smooth convex, beta = 1, rho = 0.1, eta = 0.5, D = 1, N = 10, measure f")
    setting = Setting.create("sam", "convex", T=10, beta=1.0, rho=0.1, eta=0.5, D=1.0)
    spec = make_spec(setting, "f")
    (relaxed, _), t_relax = best_time(lambda: sam.relaxation(spec, tighten=False))
    (tight, bounds), t_tight = best_time(lambda: sam.relaxation(spec, tighten=True))
    c = sam.starting_points(spec, relaxed, None, 0, 0)[2]    # SAM's run on x^2 * mu/2: a feasible slice
    sl, t_slice = best_time(lambda: sam.slice_pep(spec, c))
    t0 = time.perf_counter()
    full = sambounds.worst_case(setting, search_evals=40)
    t_full = time.perf_counter() - t0
    print(f"  relaxation (upper)           {relaxed.value:.8f}   {t_relax:.3f} s")
    print(f"  relaxation + secant cuts     {tight.value:.8f}   {t_tight:.3f} s  ({setting.T - 1} bound SDPs)")
    print(f"  one exact slice              {sl.value:.8f}   {t_slice:.3f} s")
    print(f"  worst_case (relax + search of {full.search['evaluations']} slices + witness): "
          f"upper {full.value:.8f}, lower {full.lower:.8f}, gap {full.gap:.2e}, {t_full:.2f} s")


if __name__ == "__main__":
    main()
