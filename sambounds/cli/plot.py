"""`sambounds plot`: write the library's figures to PNG, SVG or PDF (needs the ``plot`` extra).

    sambounds plot figure1 --out fig1.png --rho 0.1
    sambounds plot two-cycle --out cycle.svg --eta 0.8
    sambounds plot rates --out rates.png --beta 1 --mu 0.1 --rho 0.05

Every figure option defaults to the plotting function's own default; only the options given are
passed on, so the Python API and the CLI draw the same figure.
"""

from __future__ import annotations

from typing import Any, Callable

import click

#: (sub-command, module:function, help, options as (name, type, help))
FIGURES = (
    ("figure1", "figures:figure1", "SAM vs GD on f(x, y) = (xy - 1)^2 (in the spirit of the paper's Figure 1).",
     (("rho", float, "perturbation radius"), ("eta", float, "step size"), ("T", int, "number of steps"))),
    ("figure2", "figures:figure2", "Virtual losses SAM descends: quadratic, L-NC, L-S (paper's Figure 2).",
     (("beta", float, "smoothness"), ("rho", float, "perturbation radius"), ("c", float, "L-NC parameter in (0, 1)"),
      ("p", float, "L-S probability in (0, 1/2)"), ("K", float, "L-S noise scale B/(beta rho)"))),
    ("figure6", "figures:figure6", "Simulations on the constructions L-SC, L-NC, L-S (paper's Figure 6).",
     (("beta", float, "smoothness"), ("mu", float, "strong convexity of L-SC"), ("rho", float, "perturbation radius"),
      ("T", int, "steps of the stochastic runs"), ("seeds", int, "independent n-SAM/m-SAM runs"),
      ("p", float, "L-S probability"), ("K", float, "L-S noise scale"), ("eta_stochastic", float, "L-S step"),
      ("seed", int, "random seed"))),
    ("rates", "rates:theorem_a_rates", "Measured f(x_T) - f* vs Theorem A's bound and the 2-cycle lower bound over T "
     "(log-log; SAM with the prescribed step on L-SC).",
     (("beta", float, "smoothness"), ("mu", float, "strong convexity"), ("rho", float, "perturbation radius"),
      ("Delta", float, "f(x_0) - f*"))),
    ("two-cycle", "one_dim:two_cycle", "SAM's 2-cycle on L-SC in 1-D.",
     (("beta", float, "smoothness"), ("mu", float, "strong convexity"), ("rho", float, "perturbation radius"),
      ("eta", float, "step size in (0, 2/beta)"), ("x0", float, "start"), ("T", int, "number of steps"))),
    ("fixed-point", "one_dim:fixed_point", "SAM attracted to a non-stationary point of L-NC in 1-D.",
     (("beta", float, "smoothness"), ("rho", float, "perturbation radius"), ("c", float, "L-NC parameter in (0, 1)"),
      ("eta", float, "step size in (0, 2/beta)"), ("x0", float, "start"), ("T", int, "number of steps"))),
)


def register(group: click.Group) -> None:
    group.add_command(plot_group)


@click.group("plot")
def plot_group() -> None:
    """Write a figure (PNG, SVG or PDF by the --out suffix; no display needed)."""


def _load(target: str) -> Callable[..., Any]:
    import importlib

    module, name = target.split(":")
    return getattr(importlib.import_module(f"sambounds.plots.{module}"), name)


def _write(fig: Any, out: str, dpi: int) -> None:
    from pathlib import Path

    from ..plots import FORMATS, save

    path = Path(out)
    if path.suffix.lower() in FORMATS:   # a bad suffix is save()'s one-line error; no folder made for it
        try:
            path.parent.mkdir(parents=True, exist_ok=True)   # as `report --plots DIR` does
        except OSError as exc:
            from ..errors import InvalidParameterError

            raise InvalidParameterError("out", out, "a file path whose folder exists or can be created",
                                        exc.strerror or str(exc)) from None
    click.echo(f"wrote {save(fig, path, dpi=dpi)}")


def _figure_command(name: str, target: str, doc: str, options: tuple) -> click.Command:
    def run(out: str, dpi: int, **kwargs: Any) -> None:
        given = {k: x for k, x in kwargs.items() if x is not None}
        _write(_load(target)(**given), out, dpi)

    params = [click.Option(["--out"], required=True, help="output file (.png, .svg or .pdf)"),
              click.Option(["--dpi"], type=click.IntRange(20, 1200), default=120, show_default=True,
                           help="resolution of a PNG")]
    params += [click.Option(["--" + opt.replace("_", "-"), opt], type=typ, default=None, help=text)
               for opt, typ, text in options]
    return click.Command(name, callback=run, params=params, help=doc)

for _name, _target, _doc, _options in FIGURES:
    plot_group.add_command(_figure_command(_name, _target, _doc, _options))
