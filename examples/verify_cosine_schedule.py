"""Verify a cosine schedule for deterministic SAM on strongly convex functions.

    python examples/verify_cosine_schedule.py [--small]

Three views of the same question, "does SAM with eta_t = cosine(eta_max = 1/(2 beta)) reach
f(x_T) - f* <= target?":

1. the theory: which catalog theorems apply to this schedule and what they guarantee
   (:func:`sambounds.query`; schedule-generic bounds are evaluated on the schedule's sums);
2. the verdict of :func:`sambounds.verify_schedule`: certified (a proven bound meets the target),
   refuted (a witness function misses it; the witness re-runs) or undecided (with the gap);
3. an independent spot check with the testing helpers: the schedule on the construction L-SC
   respects the schedule-generic bound D-SC/weak/schedule (:func:`sambounds.testing.assert_respects`).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import sambounds
from sambounds.check.families import FamilySpec
from sambounds.schedules import Cosine
from sambounds.testing import assert_respects, simulate_run
from sambounds.check.witness import rerun


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="quick attack sizes (for the examples test)")
    args = parser.parse_args(argv)

    beta, mu, rho, T = 1.0, 0.1, 0.05, 60 if args.small else 400
    setting = sambounds.Setting.create("sam", "strongly-convex", beta=beta, mu=mu, rho=rho, Delta=1.0, T=T,
                                       schedule=Cosine(eta_max=0.5 / beta))
    print(f"setting: {setting.algorithm.value}, {setting.function_class.value}, beta={beta}, mu={mu}, rho={rho}, "
          f"T={T}, schedule {setting.schedule.describe()}")

    print("\n1. theorems that apply to this schedule:")
    for entry in sambounds.query(setting).applicable:
        if entry.bound.quantity.value == "gap" and entry.for_setting:
            print(f"   {entry.name:28s} f(x_T) - f* <= {entry.value:.4g}")

    for target in (0.05, 1e-6):
        report = sambounds.verify_schedule(setting, target=target, effort="quick" if args.small else "default",
                                           pep_max_T=0 if args.small else None)
        print(f"\n2. target {target:g}: {report.verdict.upper()} - {report.reason}")
        if report.verdict == "refuted":
            path = report.write_witness(Path(tempfile.mkdtemp()) / "cosine-witness.json")
            replay = rerun(path)
            print(f"   witness {path} re-runs: recorded {replay.expected['value']:.6g}, "
                  f"replayed {replay.got['value']:.6g} (relative error {replay.rel_error:.1e}), "
                  f"still misses the target: {replay.misses_target}")

    run = simulate_run(setting, FamilySpec("L-SC", {"beta": [beta], "mu": [mu], "R": [0.2]}), [[1.0], [0.1]])
    ratio = assert_respects("D-SC/weak/schedule", run)
    print(f"\n3. L-SC with this schedule respects D-SC/weak/schedule: worst measured/bound = {ratio:.3g}")


if __name__ == "__main__":
    main()
