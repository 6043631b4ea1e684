"""Register your own bounds and watch sambounds attack them.

    python examples/my_bound_attacked.py [--small] [--toml examples/my_bounds.toml]

Bounds come from Python (:func:`sambounds.theory.user.register_bound`) or from a TOML file
(``examples/my_bounds.toml``; ``sambounds check my_bounds.toml`` does the same from the shell).
Each is attacked by the checkers (:func:`sambounds.check.upper.check_upper` /
:func:`sambounds.check.lower.check_lower`) over the functions of its class: a correct bound
holds, a wrong one is reported violated with a witness that re-runs to the same numbers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sambounds.check.lower import check_lower
from sambounds.check.upper import check_upper
from sambounds.check.witness import rerun
from sambounds.theory.user import load_bounds, register_bound

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="CI-sized attacks (default: the report's sizes)")
    parser.add_argument("--toml", default=str(HERE / "my_bounds.toml"), help="a TOML file of [[bound]] tables")
    args = parser.parse_args(argv)

    # from Python: a linear rate with no rho^2 term for strongly convex f (wrong: SAM's 2-cycle stays above it)
    mine = [register_bound("Delta*prod_mu", name="mine/sc-no-floor", algorithm="sam",
                           function_class="strongly-convex", quantity="gap", step="schedule", step_limit="1/beta")]
    # from TOML: the examples file holds a correct bound, a wrong one and a lower bound
    mine += [r.bound for r in load_bounds(args.toml)]
    for bound in mine:
        check = check_upper if bound.kind.value == "upper" else check_lower
        report = check(bound, quick=args.small, seed=0, **({"rate": False} if check is check_upper else {}))
        print(f"{bound.name:32s} {bound.kind.value:5s} {report.verdict.value:14s} worst ratio {report.ratio_text}")
        if report.witness is not None:
            replay = rerun(report.witness)
            print(f"{'':32s} witness re-runs: {replay.description} (matches={replay.matches})")


if __name__ == "__main__":
    main()
