"""Best ratio measured/bound found by the adversary's search vs the old fixed menu, side by side.

Known-tight upper bounds (docs/theory.md: D-NC at H = beta I, eta = 1/beta; Drori-Teboulle's Huber;
the n-SAM S-SC bound with exact noise; the 2-cycle limit, claimed as an upper bound on 1-D
quadratics) should reach ratio 1; the deliberately wrong ones (tests/test_adversary_search.py)
should exceed 1.  For each bound: the menu alone (``budget=0``), then the search alone
(``menu=False``) with ``--budget`` candidates, each with its wall time; the ratio is the report's
worst ratio (for expectations: the lower confidence bound over the mean, so <= the mean ratio).

Lower bounds (``--lower``): the construction's grid alone (``budget=0``) against grid + search
over the constants (:mod:`sambounds.adversary.lower_search`, ``budget // 2`` candidates), the
weakest ratio measured/bound of each (witnessed when >= 1): the tight catalog entries must stay
at 1, the claims inflated only off the grid (small rho, large kappa, large beta) must drop below.

Run:  python benchmarks/bench_adversary.py [--budget 48] [--quick/--default] [--seed 0] [--lower]
"""

from __future__ import annotations

import argparse
import time

import sympy as sp

from sambounds.check.lower import check_lower
from sambounds.check.upper import check_upper
from sambounds.theory.catalog import catalog
from sambounds.theory.user import bound_from_spec, bound_to_spec, register_bound


def scaled(name: str, factor: str):
    spec = bound_to_spec(catalog[name])
    spec.update(name=f"{name} x {factor}", expression=sp.sstr(sp.Rational(factor) * catalog[name].expr),
                provenance="literature", proof=None)
    return bound_from_spec(spec)


def two_cycle(factor: str):
    return register_bound(f"({factor})*beta**3*eta**2*rho**2/(2*(2 - beta*eta)**2)", name=f"2-cycle x {factor}",
                          algorithm="sam", function_class="strongly-convex", quantity="lim-gap", step="constant",
                          step_limit="2/beta", strict=True, restriction="quadratic f, d = 1")


def bounds():
    yield "tight", catalog["D-NC/constant"]
    yield "tight", catalog["GD/convex/drori-teboulle"]
    yield "tight", catalog["S-SC/constant/n-sam"]
    yield "tight", two_cycle("1")
    yield "wrong", scaled("GD/convex/drori-teboulle", "9/10")
    yield "wrong", two_cycle("9/10")
    yield "wrong", register_bound("Delta*(1 - eta*mu)**T + 2*beta**2*rho**2/(5*mu) + beta*eta*sigma**2/(2*mu)",
                                  name="S-SC rho^2 x 0.8", algorithm="n-sam", function_class="strongly-convex",
                                  quantity="e-gap", step="constant", step_limit="1/beta")
    yield "wrong", register_bound("9*beta*D**2/(10*(4*T + 2))", name="USAM 0.9 DT, beta rho <= 0.1",
                                  algorithm="usam", function_class="convex", quantity="gap", step="prescribed",
                                  rule="inverse-beta", conditions=["beta*rho <= 1/10"])
    yield "wrong", register_bound("Delta*(1 - eta*mu)**T + beta**2*rho**2/(2*mu) + beta*eta*sigma**2/(40*mu)",
                                  name="floor/20, eta <= 1/(100 beta)", algorithm="n-sam",
                                  function_class="strongly-convex", quantity="e-gap", step="constant",
                                  step_limit="1/(100*beta)")


def inflated(factor: str, name: str):
    limit = sp.sstr(catalog["L-SC/limit"].expr)
    return register_bound(f"({limit})*({factor})", name=name, algorithm="sam", function_class="strongly-convex",
                          quantity="lim-gap", kind="lower", step="constant", step_limit="1/beta")


def lower_bounds():
    for name in ("L-SC/limit", "L-SC/floor", "L-NC", "GD/strongly-convex/distance-tight", "USAM/quadratic"):
        yield "tight", catalog[name], None
    yield "wrong", inflated("1 + 100*Max(0, 1/100 - beta*rho)", "L-SC limit, x2 at beta rho < 0.01"), "L-SC"
    yield "wrong", inflated("1 + Max(0, beta/mu - 200)/100", "L-SC limit, inflated at kappa > 200"), "L-SC"
    yield "wrong", inflated("1 + Max(0, beta - 2)", "L-SC limit, inflated at beta > 2"), "L-SC"


def lower_table(quick: bool, budget: int, seed: int) -> None:
    print(f"{'lower bound':38s} {'kind':5s} | {'grid ratio':>11s} {'verdict':>12s} {'s':>6s} | "
          f"{'search ratio':>12s} {'verdict':>12s} {'s':>6s}")
    for kind, b, construction in lower_bounds():
        t0 = time.perf_counter()
        g = check_lower(b, quick=quick, seed=seed, rate=False, budget=0, construction=construction)
        t1 = time.perf_counter()
        s = check_lower(b, quick=quick, seed=seed, rate=False, budget=budget // 2, construction=construction)
        t2 = time.perf_counter()
        print(f"{b.name[:38]:38s} {kind:5s} | {g.worst_ratio or 0:11.6g} {g.verdict.value:>12s} {t1 - t0:6.1f} | "
              f"{s.worst_ratio or 0:12.6g} {s.verdict.value:>12s} {t2 - t1:6.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=int, default=48)
    ap.add_argument("--default", action="store_true", help="default sizes instead of quick")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lower", action="store_true", help="the lower-bound table instead of the upper-bound one")
    args = ap.parse_args()
    quick = not args.default
    if args.lower:
        print(f"sizes: {'quick' if quick else 'default'}, lower-bound search {args.budget // 2} candidates, "
              f"seed {args.seed}")
        lower_table(quick, args.budget, args.seed)
        return
    print(f"sizes: {'quick' if quick else 'default'}, search budget {args.budget} candidates, seed {args.seed}")
    print(f"{'bound':38s} {'kind':5s} | {'menu ratio':>11s} {'verdict':>9s} {'s':>6s} | "
          f"{'search ratio':>12s} {'verdict':>9s} {'s':>6s} | {'search/menu':>11s}  found on")
    for kind, b in bounds():
        t0 = time.perf_counter()
        m = check_upper(b, quick=quick, seed=args.seed, rate=False, budget=0)
        t1 = time.perf_counter()
        s = check_upper(b, quick=quick, seed=args.seed, rate=False, budget=args.budget, menu=False)
        t2 = time.perf_counter()
        mr, sr = m.worst_ratio or 0.0, s.worst_ratio or 0.0
        print(f"{b.name[:38]:38s} {kind:5s} | {mr:11.6g} {m.verdict.value:>9s} {t1 - t0:6.1f} | "
              f"{sr:12.6g} {s.verdict.value:>9s} {t2 - t1:6.1f} | {sr / mr if mr else float('inf'):11.4g}  "
              f"{s.where_text}")


if __name__ == "__main__":
    main()
