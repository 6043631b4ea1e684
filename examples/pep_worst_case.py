"""Find the worst function for SAM with the performance-estimation SDP, then re-run its witness.

    python examples/pep_worst_case.py [--small]

For normalized SAM on beta-smooth convex functions with ||x_0 - x*|| <= D, T steps of size
1/beta: :func:`sambounds.worst_case` returns a certified upper value (sound relaxation), a lower
value attained by an explicit function (the best exact slice) and the gap between them.  The
witness function is rebuilt from the SDP's solution and simulated again; its JSON file replays
with ``sambounds.check.witness.rerun`` (and ``sambounds rerun``).  GD, for comparison, is exact:
Drori & Teboulle's beta D^2 / (4T + 2).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import sambounds
from sambounds.check.witness import rerun


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="T = 2 and a short search (for the examples test)")
    args = parser.parse_args(argv)
    T = 2 if args.small else 5

    gd = sambounds.Setting.create("gd", "convex", beta=1.0, D=1.0, T=T, eta=1.0)
    wc = sambounds.worst_case(gd, measure="f")
    print(f"GD, T={T}: worst f(x_T) - f* = {wc.value:.6g} (Drori-Teboulle beta D^2/(4T+2) = {1 / (4 * T + 2):.6g})")

    sam = sambounds.Setting.create("sam", "convex", beta=1.0, rho=0.1, D=1.0, T=T, eta=1.0)
    wc = sambounds.worst_case(sam, measure="f", search_evals=8 if args.small else 40)
    print(f"SAM, T={T}, rho=0.1: certified upper {wc.value:.6g}, attained lower {wc.lower:.6g}, gap {wc.gap:.3g} "
          f"({wc.kind})")
    if wc.witness is not None:
        path = Path(tempfile.mkdtemp()) / "sam-worst-case.json"
        wc.witness.to_json(path)
        replay = rerun(path)
        print(f"witness {path}: re-simulated {replay.got['value']:.6g} vs stored {replay.expected['value']:.6g} "
              f"(relative error {replay.rel_error:.1e}, matches={replay.matches})")


if __name__ == "__main__":
    main()
