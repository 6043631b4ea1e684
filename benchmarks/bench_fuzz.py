"""Hostile inputs against every public entry point, at scale (issue 12): >= 10^4 generated calls.

The generator and the contract are ``tests/fuzz_cases.py`` (the hypothesis test
``tests/test_fuzz_entry_points.py`` drives the same generator with fewer examples).  Each entry
point gets its own seeded ``random.Random`` (seed and entry name), so a run is reproducible and
adding an entry point does not change the others' inputs.

Printed per entry point: calls tried; accepted (a clean result, or a CLI check that ran and did
not pass: exit 1); refused with a documented error (SamboundsError, or CLI exit 2 with one line);
undocumented exceptions; NaN/inf returned; inputs mutated; other contract slips (a multi-line
error, a traceback, a foreign exit status); the longest call.  Exit status 1 when any of the
four violation columns is non-zero or a call took 10 s or more.

Run:  python benchmarks/bench_fuzz.py [--scale 1.0] [--seed 0] [--show 5]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import fuzz_cases as fc  # noqa: E402

#: calls per entry point at --scale 1 (cheap entry points get more; about 10,600 in all)
CALLS = {
    "Setting.create": 800, "Setting.from_dict": 700, "query": 700, "Bound.evaluate": 800, "evaluate_many": 700,
    "schedules": 800, "schedule_from_dict": 600, "functions": 600, "simulate": 800, "load_bounds": 600,
    "bounds_from_mapping": 600, "check_bound": 100, "rerun": 500, "verify_schedule": 200, "worst_case": 300,
    "cli query": 200, "cli list": 60, "cli simulate": 200, "cli worst-case": 200, "cli check": 150,
    "cli check-schedule": 120, "cli report": 100, "cli prove": 60, "cli conform": 150, "cli rerun": 200,
    "cli plot": 60, "cli": 100,
}
LIMIT_S = 10.0
KINDS = {"undocumented exception": "undocumented", "non-finite result": "nan/inf", "mutated input": "mutated"}


def run(entry: str, n: int, seed: int, examples: list[str]) -> dict:
    rng = random.Random(f"{seed}/{entry}")
    counts: Counter = Counter()
    longest = 0.0
    for _ in range(n):
        call = fc.draw(entry, rng)
        start = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                outcome = fc.run_call(call)
            counts["refused" if outcome.status == "refused" else "accepted"] += 1
        except fc.ContractViolation as exc:
            counts[KINDS.get(exc.kind, "other")] += 1
            examples.append(str(exc))
        longest = max(longest, time.perf_counter() - start)
    return {"tried": n, **counts, "max_s": longest}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every entry point's number of calls")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=5, help="violations to print in full")
    args = ap.parse_args()
    fc.warm_up()   # witnesses built, torch and matplotlib imported: once, outside the timings
    cols = ("tried", "accepted", "refused", "undocumented", "nan/inf", "mutated", "other")
    print(f"{'entry point':22s} " + " ".join(f"{c:>12s}" for c in cols) + f" {'max s/call':>11s}")
    total: Counter = Counter()
    longest = 0.0
    examples: list[str] = []
    t0 = time.perf_counter()
    for entry in fc.ENTRY_POINTS:
        n = max(1, round(CALLS[entry] * args.scale))
        row = run(entry, n, args.seed, examples)
        longest = max(longest, row["max_s"])
        total.update({c: row.get(c, 0) for c in cols})
        print(f"{entry:22s} " + " ".join(f"{row.get(c, 0):12d}" for c in cols) + f" {row['max_s']:11.3f}", flush=True)
    print(f"{'total':22s} " + " ".join(f"{total[c]:12d}" for c in cols) + f" {longest:11.3f}")
    print(f"wall time {time.perf_counter() - t0:.0f} s, seed {args.seed}, scale {args.scale:g}")
    for text in examples[: args.show]:
        print("\n" + text)
    bad = sum(total[c] for c in ("undocumented", "nan/inf", "mutated", "other"))
    if bad or longest >= LIMIT_S:
        print(f"\nFAIL: {bad} contract violation(s), longest call {longest:.2f} s (limit {LIMIT_S:g} s)")
        return 1
    print(f"\nOK: 0 undocumented exceptions, 0 NaN/inf, 0 mutated inputs, longest call {longest:.2f} s < {LIMIT_S:g} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
