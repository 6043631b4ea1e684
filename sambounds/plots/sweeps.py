"""One figure per checked bound: the measured quantity and the bound along the check's rate sweep.

A check that fits a slope (:class:`sambounds.check.report.SlopeFit`) records the sweep it fitted:
the values v_1 < ... < v_n of one variable (T, eta or rho), the measured quantity m_i on the
worst instance and the bound b_i there.  :func:`sweep_figure` draws both on log-log axes; the
measured series is drawn last and on top (a solid line with filled dots) because a bound attained
with equality would otherwise hide it under its own dashes (the bound: thick translucent dashes
with open squares, so that both stay visible where they coincide).  :func:`write_sweep_plots`
writes one PNG per report and says which reports have no sweep to draw.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..errors import InvalidParameterError
from ._canvas import new_figure

#: z-orders: the bound below the measured series, both above the grid
BOUND_ZORDER, MEASURED_ZORDER = 2.0, 3.0

#: axis labels in words; the formula (the quantity's label) goes on a second line
QUANTITY_WORDS = {
    "gap": "suboptimality",
    "dist": "squared distance to x*",
    "grad-avg": "mean squared gradient norm",
    "grad-min": "smallest squared gradient norm",
    "grad-wsum": "step-weighted squared gradient norms",
    "e-gap": "expected suboptimality",
    "e-grad-avg": "mean expected squared gradient norm",
    "e-grad-wsum": "step-weighted expected squared gradient norms",
    "lim-gap": "limiting suboptimality",
    "lim-grad-avg": "long-run mean squared gradient norm",
    "liminf-e-gap": "long-run expected suboptimality",
}
VARIABLE_WORDS = {"T": "horizon T", "eta": "step size eta", "rho": "perturbation radius rho"}


def quantity_label(quantity: str) -> str:
    """'suboptimality\\nf(x_T) - f*' for 'gap': words, then the formula (unknown codes kept as given)."""
    from ..theory.terms import Quantity

    try:
        formula = Quantity(quantity).label
    except ValueError:
        return quantity
    return f"{QUANTITY_WORDS.get(quantity, quantity)}\n{formula}"


def _tick_text(x: float) -> str:
    """Whole numbers in full (1600, not 1.6e+03), others to three significant digits."""
    return f"{int(x)}" if 1 <= abs(x) < 1e7 and float(x).is_integer() else f"{x:.3g}"


def _sparse(values: Iterable[float], most: int = 6) -> list[float]:
    """At most ``most`` of the sweep's values, evenly spread, first and last kept (no crowded labels)."""
    xs = sorted(set(values))
    if len(xs) <= most:
        return xs
    step = (len(xs) - 1) / (most - 1)
    return [xs[round(i * step)] for i in range(most)]


def sweep_figure(report: Any) -> Any | None:
    """The figure of one :class:`~sambounds.check.report.Report`, or None when it has no sweep."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullFormatter

    s = report.slope
    if s is None or not s.x:
        return None
    fig, ax = new_figure(1, 1, width=6.4, height=4.8)
    ax = ax[0, 0]
    ys = [m for m in s.measured if m > 0]
    has_bound = bool(s.bound_values) and all(b == b and b > 0 for b in s.bound_values)
    if has_bound:
        ax.loglog(s.x, s.bound_values, ls="--", lw=3.0, color="tab:orange", alpha=0.75, marker="s", ms=9,
                  mfc="none", mew=1.6, zorder=BOUND_ZORDER, label=f"{report.kind} bound")
        ys += list(s.bound_values)
    ax.loglog(s.x, s.measured, ls="-", lw=1.4, color="tab:blue", marker="o", ms=4.5,
              zorder=MEASURED_ZORDER, label="measured (worst instance)")
    if ys and max(ys) <= min(ys) * (1 + 1e-9):
        # a flat sweep (a bound attained exactly): a near-zero log range cannot be autoscaled
        ax.set_ylim(min(ys) / 2, max(ys) * 2)
    # labelled ticks only at (some of) the swept values and at 1-2-5 steps: minor labels overlap
    ax.xaxis.set_major_locator(FixedLocator(_sparse(s.x)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _tick_text(x)))
    ax.xaxis.set_minor_formatter(NullFormatter())
    if ys and max(ys) / min(ys) < 1e3:
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: _tick_text(y)))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.grid(True, which="major", color="0.9", lw=0.8, zorder=0)
    ax.set_xlabel(VARIABLE_WORDS.get(s.variable, s.variable))
    ax.set_ylabel(quantity_label(report.quantity))
    title = textwrap.fill(f"{report.bound} ({report.algorithms}, {report.function_class}): "
                          f"{report.verdict.value}", 64)
    slope = textwrap.fill(f"slope {s.describe()}", 80)
    ax.set_title(f"{title}\n{slope}", fontsize=9)
    # below the axes, so it covers no data
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    return fig


@dataclass(frozen=True)
class SweepPlots:
    """What :func:`write_sweep_plots` wrote, and the bounds it could not draw with the reason."""

    written: tuple[Path, ...]
    skipped: tuple[tuple[str, str], ...]


def _why_no_plot(report: Any) -> str:
    if report.slope is None:
        return "no rate sweep, checked at fixed sizes only" if report.verdict.value != "not applicable" \
            else "not applicable"
    return "the sweep has no points"


def write_sweep_plots(reports: Iterable[Any], directory: str | Path, *, dpi: int = 110) -> SweepPlots:
    """One PNG per report with a sweep, named after the bound (``/`` -> ``_``), in ``directory`` (created).

    Needs matplotlib (the ``plot`` extra); raises InvalidParameterError naming ``plots`` otherwise.
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise InvalidParameterError("plots", str(directory), "a directory, with matplotlib installed "
                                    "(pip install 'sambounds[plot]')") from None
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    written, skipped = [], []
    for r in reports:
        fig = sweep_figure(r)
        if fig is None:
            skipped.append((r.bound, _why_no_plot(r)))
            continue
        path = out_dir / (r.bound.replace("/", "_") + ".png")
        fig.savefig(path, dpi=dpi)
        written.append(path)
    return SweepPlots(tuple(written), tuple(skipped))

