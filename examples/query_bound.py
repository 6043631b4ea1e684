"""Query the catalog: what does the theory guarantee for deterministic SAM on a strongly convex f?

    python examples/query_bound.py [--T 10000]

Prints, for beta = 1, mu = 0.01, rho = 0.05, Delta = 1: the best proven upper bound on
f(x_T) - f* with the step size it prescribes, the best lower bound (what no step size can beat
on the worst function of the class), and the same question for a constant step eta = 0.5.
"""

from __future__ import annotations

import argparse

import sambounds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--T", type=int, default=10_000, help="horizon")
    parser.add_argument("--small", action="store_true", help="(accepted for the examples test; this example is fast)")
    args = parser.parse_args(argv)

    setting = sambounds.Setting.create("sam", "strongly-convex", beta=1.0, mu=0.01, rho=0.05, Delta=1.0, T=args.T)
    result = sambounds.query(setting)
    print(f"deterministic SAM, strongly convex, T = {setting.T}, no step size fixed:")
    for entry in result.best_upper:
        print(f"  best upper  {entry.name:32s} {entry.bound.quantity.label} <= {entry.value:.4g}  ({entry.step})")
    for entry in result.best_lower:
        print(f"  best lower  {entry.name:32s} {entry.bound.quantity.label} >= {entry.value:.4g}  ({entry.step})")
    for gap in result.gaps:
        print(f"  open row: {gap.note}")

    bound = result.best("gap").bound
    print(f"\n{bound.name}: {bound.describe()}")
    print(f"  LaTeX: {bound.latex}")
    print(f"  proof: proofs/{bound.proof}.py, provenance: {bound.provenance.value}")

    constant = sambounds.query(setting.replace(schedule=sambounds.schedules.Constant(0.5)))
    print("\nwith a constant step eta = 0.5:")
    for entry in constant.applicable:
        cmp = "<=" if entry.bound.kind.value == "upper" else ">="
        print(f"  {entry.name:32s} {entry.bound.quantity.label} {cmp} {entry.value:.4g}")


if __name__ == "__main__":
    main()
