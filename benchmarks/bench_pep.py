"""Benchmark: sambounds' PEP for GD against the closed forms and PEPit (same solver: Clarabel).

Run:  python benchmarks/bench_pep.py [--quick] [--pepit-max N] [--sam]

Cases (L = 1, ||x_0 - x*|| <= 1, mu = 0.1):
  GD convex, h = 1/L, f(x_N) - f*            exact 1/(4N + 2)               (Drori & Teboulle 2014)
  GD strongly convex, ||x_N - x*||^2         exact max(|1 - h mu|, |1 - h L|)^(2N)
     at h = 1/L and h = 2/(L + mu)           (Taylor, Hendrickx & Glineur 2017)
for N in (1, 2, 5, 10, 20, 30, 50, 100) (``--quick``: N <= 20).  Every figure is printed with
the solver status it came with; sambounds runs ``worst_case`` (witness=False: the PEP alone,
as PEPit computes it), PEPit builds and solves its own program through cvxpy with Clarabel's
defaults.  PEPit runs for N <= ``--pepit-max`` (default 30: it solves the full dense SDP, whose
cost grows like N^6).  Each time is one build + solve in this process.  A last table (not with
``--quick``) gives build + solve time and peak memory (ru_maxrss) of each N = 100 case run alone
in a fresh process.

``--sam`` runs ``benchmarks/bench_pep_sam.py``'s ``main()`` (the SAM part) when that file exists.
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import sys
import time
import warnings
from pathlib import Path

import sambounds
from sambounds import Setting

MU = 0.1
NS = (1, 2, 5, 10, 20, 30, 50, 100)
CASES = (("GD convex, h = 1/L, f(x_N) - f*", "convex", 1.0, "f"),
         ("GD strongly convex, h = 1/L, ||x_N - x*||^2", "strongly-convex", 1.0, "dist"),
         ("GD strongly convex, h = 2/(L + mu), ||x_N - x*||^2", "strongly-convex", 2 / (1 + MU), "dist"))


def exact(cls, h, N):
    if cls == "convex":
        return 1 / (4 * N + 2)
    return max(abs(1 - h * MU), abs(1 - h)) ** (2 * N)


def ours(cls, h, measure, N):
    mu = MU if cls == "strongly-convex" else None
    setting = Setting.create("gd", cls, T=N, beta=1.0, mu=mu, eta=h, D=1.0)
    t0 = time.perf_counter()
    r = sambounds.worst_case(setting, measure, witness=False)
    return r.value, r.solver["status"], r.kind, time.perf_counter() - t0


def pepit(cls, h, measure, N):
    from PEPit import PEP
    from PEPit.functions import SmoothConvexFunction, SmoothStronglyConvexFunction

    t0 = time.perf_counter()
    problem = PEP()
    if cls == "convex":
        f = problem.declare_function(SmoothConvexFunction, L=1.0)
    else:
        f = problem.declare_function(SmoothStronglyConvexFunction, L=1.0, mu=MU)
    xs = f.stationary_point()
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x = x0
    for _ in range(N):
        x = x - h * f.gradient(x)
    problem.set_performance_metric(f(x) - f(xs) if measure == "f" else (x - xs) ** 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = problem.solve(wrapper="cvxpy", solver="CLARABEL", verbose=0)
    status = getattr(getattr(getattr(problem, "wrapper", None), "prob", None), "status", None) or "?"
    return value, str(status), time.perf_counter() - t0


def table(title, cls, h, measure, ns, pepit_max, have_pepit):
    print(f"\n{title}")
    head = f"{'N':>4} {'exact':>12} {'sambounds':>12} {'rel.err':>8} {'status':>18} {'kind':>11} {'time s':>7}"
    if have_pepit:
        head += f" {'PEPit':>12} {'rel.err':>8} {'status':>18} {'time s':>7} {'ratio':>6}"
    print(head)
    for N in ns:
        ex = exact(cls, h, N)
        v, st, kind, t = ours(cls, h, measure, N)
        line = f"{N:>4} {ex:>12.6e} {v:>12.6e} {abs(v / ex - 1):>8.1e} {st:>18} {kind:>11} {t:>7.2f}"
        if have_pepit and N <= pepit_max:
            pv, pst, pt = pepit(cls, h, measure, N)
            line += f" {pv:>12.6e} {abs(pv / ex - 1):>8.1e} {pst:>18} {pt:>7.2f} {t / pt:>6.2f}"
        elif have_pepit:
            line += f" {'(not run: N > --pepit-max)':>40}"
        print(line, flush=True)


MEMORY_PROBE = """
import resource, sys, time
import sambounds
from sambounds import Setting
cls, h, measure = sys.argv[1], float(sys.argv[2]), sys.argv[3]
sambounds.worst_case(Setting.create("gd", "convex", T=1, beta=1.0, eta=1.0, D=1.0), witness=False)  # loads cvxpy
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
s = Setting.create("gd", cls, T=100, beta=1.0, mu=0.1 if cls == "strongly-convex" else None, eta=h, D=1.0)
t0 = time.perf_counter()
r = sambounds.worst_case(s, measure, witness=False)
t = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{t:.2f} {base / 1024:.0f} {peak / 1024:.0f} {r.solver['status']}")
"""


def memory_at_100() -> None:
    """Peak memory of a fresh process that imports sambounds and solves one N = 100 case."""
    import subprocess

    print("\nN = 100 in a fresh process each "
          "(ru_maxrss; 'warm' is after one N = 1 solve: sambounds, cvxpy, Clarabel loaded)")
    print(f"{'case':<52} {'build+solve s':>13} {'warm MB':>8} {'peak MB':>8} {'status':>18}")
    for title, cls, h, measure in CASES:
        out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, cls, repr(h), measure],
                             capture_output=True, text=True, check=True).stdout.split()
        print(f"{title:<52} {float(out[0]):>13.2f} {out[1]:>8} {out[2]:>8} {out[3]:>18}")


def run_sam() -> None:
    path = Path(__file__).with_name("bench_pep_sam.py")
    if not path.exists():
        print("\n--sam: benchmarks/bench_pep_sam.py is not there; nothing to run")
        return
    spec = importlib.util.spec_from_file_location("bench_pep_sam", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N <= 20 only")
    parser.add_argument("--pepit-max", type=int, default=30, help="largest N for PEPit (default 30)")
    parser.add_argument("--sam", action="store_true", help="also run benchmarks/bench_pep_sam.py")
    args = parser.parse_args(argv)
    have_pepit = importlib.util.find_spec("PEPit") is not None
    if not have_pepit:
        print("PEPit is not installed (pip install 'sambounds[bench]'): showing sambounds' figures only.")
    ns = tuple(N for N in NS if N <= 20) if args.quick else NS
    ours("convex", 1.0, "f", 1)                      # warm-up: imports and first-call costs
    if have_pepit:
        pepit("convex", 1.0, "f", 1)
    for title, cls, h, measure in CASES:
        table(title, cls, h, measure, ns, args.pepit_max, have_pepit)
    print(f"\npeak memory of this process (ru_maxrss): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if not args.quick:
        memory_at_100()
    if args.sam:
        run_sam()


if __name__ == "__main__":
    main(sys.argv[1:])
