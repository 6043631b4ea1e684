"""Reproduce, in the spirit of Si & Yun (NeurIPS 2023), Figures 1, 2 and 6 (needs the ``plot`` extra).

    python examples/paper_figures.py --out figures/ [--small] [--format png|svg]

- figure1: SAM vs GD on f(x, y) = (xy - 1)^2: SAM drifts to the flattest minimizer and keeps moving;
- figure2: the virtual losses SAM, n-SAM and m-SAM descend in 1-D;
- figure6: simulations on the lower-bound constructions L-SC, L-NC, L-S with their floors;
plus the two 1-D failure modes on their own (two-cycle, fixed-point).
The same figures come from the shell: ``sambounds plot figure1 --out figure1.png``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sambounds import plots


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="figures", help="output directory (created if missing)")
    parser.add_argument("--format", choices=("png", "svg", "pdf"), default="png")
    parser.add_argument("--small", action="store_true", help="short runs (for the examples test)")
    args = parser.parse_args(argv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    figures = {
        "figure1": plots.figure1(T=300 if args.small else 2000),
        "figure2": plots.figure2(),
        "figure6": plots.figure6(T=200, seeds=20) if args.small else plots.figure6(),
        "two-cycle": plots.two_cycle(),
        "fixed-point": plots.fixed_point(),
    }
    for name, fig in figures.items():
        print(f"wrote {plots.save(fig, out / f'{name}.{args.format}')}")


if __name__ == "__main__":
    main()
