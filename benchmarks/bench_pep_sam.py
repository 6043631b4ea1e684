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

SEARCH_EVALS = 20
BRANCH = 30
HORIZONS = (2, 5, 10, 17, 20, 30, 50)
QUICK_HORIZONS = (2, 5, 10, 30)
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


if __name__ == "__main__":
    main()
