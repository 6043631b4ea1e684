"""Benchmark: the SAM PEP, dense (all interpolation pairs) against windowed + branch and bound.

Run:  python benchmarks/bench_pep_sam.py [--quick]

Setting: normalized SAM, beta = 1, mu = 0.1 (strongly convex), rho = 0.1, eta = 0.5, D = 1,
measure f(x_T) - f*.  For each T, in the same process and with the same slice budget:

- dense: ``worst_case(setting, search_evals=E)`` (the program of :mod:`sambounds.pep.sam`);
  it is refused above its size limit (T >= 18 at the default max_size);
- windowed: ``worst_case(setting, sam_window=2, tighten=True, search_evals=E, sam_branch=B)``
  (:mod:`sambounds.pep.sam_windowed`, :mod:`sambounds.pep.sam_branch`).

``upper`` is the certified value (a relaxation), ``lower`` the replayed witness's value (a
function of the class attains it), ``gap`` = (upper - lower)/upper, status the main program's
solver status, time the wall time of the whole ``worst_case`` call.  The ratio columns compare
the windowed gap and time with the dense ones where both ran.
"""

from __future__ import annotations

import sys
import time

import sambounds
from sambounds import Setting
from sambounds.errors import InvalidParameterError
from sambounds.pep.problem import make_spec
from sambounds.pep.sam_branch import branch_and_bound
from sambounds.pep.sam_windowed import solve_relaxation

SEARCH_EVALS = 20
BRANCH = 30
HORIZONS = (2, 5, 10, 17, 20, 30)
QUICK_HORIZONS = (2, 5, 10, 30)
#: upper value only: each witness candidate is a run on an interpolant of 2T + 2 points, whose
#: evaluations dominate at long horizons (one run took 236 s at T = 50)
UPPER_ONLY = (50, 100)
DENSE_UP_TO = 17


def setting(T: int) -> Setting:
    return Setting.create("sam", "strongly-convex", T=T, beta=1.0, mu=0.1, rho=0.1, eta=0.5, D=1.0)


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def row(r):
    gap = None if r.lower is None else (r.value - r.lower) / r.value
    return r.value, r.lower, gap, r.solver["status"]


def fmt(x, spec=".6g"):
    return "-" if x is None else format(x, spec)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    horizons = QUICK_HORIZONS if "--quick" in argv else HORIZONS
    print("SAM, strongly convex, beta = 1, mu = 0.1, rho = 0.1, eta = 0.5, D = 1, measure f(x_T) - f*")
    print(f"slice budget {SEARCH_EVALS} per T; windowed: window 2, secant cuts, branch and bound of {BRANCH} programs")
    head = (f"{'T':>3} | {'dense upper':>11} {'lower':>11} {'gap':>7} {'status':>8} {'time s':>7} | "
            f"{'wind. upper':>11} {'lower':>11} {'gap':>7} {'status':>8} {'time s':>7} | {'gap ratio':>9} {'time ratio':>10}")
    print(head)
    print("-" * len(head))
    for T in horizons:
        dense = None
        if T <= DENSE_UP_TO:
            try:
                dense, t_dense = timed(lambda: sambounds.worst_case(setting(T), search_evals=SEARCH_EVALS))
            except InvalidParameterError as exc:
                print(f"{T:>3} | dense refused: {exc}")
        new, t_new = timed(lambda: sambounds.worst_case(setting(T), sam_window=2, tighten=True,
                                                        search_evals=SEARCH_EVALS, sam_branch=BRANCH))
        nv, nl, ng, ns = row(new)
        line = f"{T:>3} | "
        if dense is not None:
            dv, dl, dg, ds = row(dense)
            line += f"{dv:>11.6g} {fmt(dl):>11} {fmt(dg, '.2%'):>7} {ds:>8} {t_dense:>7.1f} | "
        else:
            line += f"{'refused (size)':>49} | "
        line += f"{nv:>11.6g} {fmt(nl):>11} {fmt(ng, '.2%'):>7} {ns:>8} {t_new:>7.1f} | "
        if dense is not None and dg is not None and ng is not None:
            line += f"{ng / dg:>9.3f} {t_new / t_dense:>10.2f}"
        print(line, flush=True)
    if "--quick" in argv:
        return
    print(f"\nupper value only (windowed relaxation, secant cuts, branch and bound of {BRANCH} programs):")
    print(f"{'T':>4} {'root upper':>11} {'b&b upper':>11} {'status':>8} {'time s':>7}")
    for T in UPPER_ONLY:
        spec = make_spec(setting(T), "f")

        def upper():
            prog, sol, bounds = solve_relaxation(spec, 2, tighten=True)
            return sol, branch_and_bound(spec, 2, bounds, (prog, sol), max_programs=BRANCH)

        (root, tree), t = timed(upper)
        print(f"{T:>4} {root.value:>11.6g} {tree.upper:>11.6g} {root.status:>8} {t:>7.1f}", flush=True)


if __name__ == "__main__":
    main()
