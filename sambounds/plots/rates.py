"""Measured quantity vs bound over the horizon T (log-log), with an upper and a lower bound drawn.

For each horizon T the Setting is re-evaluated at T (a prescribed schedule is recomputed for
that T), the function is simulated, and the bounds are judged exactly as the assertions and
checkers judge them (:mod:`sambounds.testing.assertions`: the Setting's class constants, each
run's own Delta, the rounding slack).  Plotted per T: the run with the largest measured/upper
ratio (its measured value and its upper bound) and the lower bound at the same run.  The
default figure is Theorem A's prescribed step on the construction L-SC: measured gap, the
upper bound and the 2-cycle lower bound all fall like T^-2 up to log factors.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import _validate as v
from ..adversary.families import FamilySpec
from ..errors import InvalidParameterError
from ..functions import LSC
from ..schedules import TheoremA
from ..setting import Setting
from ._canvas import new_figure


def measured_vs_T(setting: Setting, function: Any, x0: Any, *, upper: Any, lower: Any = None,
                  Ts: Sequence[int] = (10, 30, 100, 300, 1000, 3000), params: dict | None = None) -> dict[str, np.ndarray]:
    """The numbers behind :func:`bound_vs_T`: arrays ``T``, ``measured``, ``upper`` and ``lower`` (NaN-free;
    ``lower`` is None without a lower bound)."""
    from ..testing.assertions import _evaluate, resolve_bound, simulate_run

    up = resolve_bound(upper)
    lo = None if lower is None else resolve_bound(lower)
    if up.kind.value != "upper" or (lo is not None and lo.kind.value != "lower"):
        raise InvalidParameterError("upper/lower", (up.name, None if lo is None else lo.name),
                                    "an upper bound and (optionally) a lower bound")
    Ts = [v.positive_int(f"Ts[{i}]", T) for i, T in enumerate(Ts)]
    if len(Ts) < 2 or sorted(set(Ts)) != Ts:
        raise InvalidParameterError("Ts", Ts, "at least two increasing horizons")
    rows = []
    for T in Ts:
        run = simulate_run(setting.replace(T=T), function, x0)
        _, ev = _evaluate(up, run, params)
        ratios = np.where(ev.applicable, ev.ratio(), -np.inf)
        i = np.unravel_index(int(np.argmax(ratios)), ratios.shape)
        low = np.nan
        if lo is not None:
            _, ev_lo = _evaluate(lo, run, params)
            low = float(ev_lo.value[i])
        rows.append((T, float(ev.measured[i]), float(ev.value[i]), low))
    T_, m_, u_, l_ = (np.array(c) for c in zip(*rows))
    return {"T": T_, "measured": m_, "upper": u_, "lower": None if lo is None else l_,
            "upper_name": up.name, "lower_name": None if lo is None else lo.name, "quantity": up.quantity.label}


def bound_vs_T(setting: Setting, function: Any, x0: Any, *, upper: Any, lower: Any = None,
               Ts: Sequence[int] = (10, 30, 100, 300, 1000, 3000), params: dict | None = None) -> Any:
    """Log-log figure of the measured quantity and the bounds over T (see the module docstring)."""
    d = measured_vs_T(setting, function, x0, upper=upper, lower=lower, Ts=Ts, params=params)
    fig, ax = new_figure(1, 1, width=6.4, height=4.6)
    a = ax[0, 0]
    a.loglog(d["T"], d["upper"], "-", color="C3", lw=2, label=f"upper: {d['upper_name']}")
    if d["lower"] is not None:
        a.loglog(d["T"], d["lower"], "--", color="C2", lw=2, label=f"lower: {d['lower_name']}")
    a.loglog(d["T"], np.maximum(d["measured"], 1e-300), "o", color="C0", ms=7, label="measured (worst run)")
    slope = np.polyfit(np.log(d["T"]), np.log(np.maximum(d["measured"], 1e-300)), 1)[0]
    a.set(xlabel="horizon T", ylabel=d["quantity"],
          title=f"{setting.algorithm.value}, {setting.function_class.value}: measured slope {slope:+.2f}")
    a.grid(True, which="both", alpha=0.3)
    a.legend(fontsize="small")
    return fig


def theorem_a_rates(*, beta: float = 1.0, mu: float = 0.1, rho: float = 0.05, Delta: float = 1.0,
                    Ts: Sequence[int] = (10, 30, 100, 300, 1000, 3000)) -> Any:
    """The default rates figure: Theorem A's prescribed step on L-SC, with the 2-cycle lower bound."""
    setting = Setting.create("sam", "strongly-convex", beta=beta, mu=mu, rho=rho, Delta=Delta, T=Ts[0],
                             schedule=TheoremA())
    # L-SC sized for the largest prescribed step 1/(2 beta)
    R = LSC.cycle_radius(beta=beta, rho=rho, eta=0.5 / v.positive("beta", beta))
    spec = FamilySpec("L-SC", {"beta": [beta], "mu": [mu], "R": [R]})
    x0 = [[_start(beta, mu, R, v.positive("Delta", Delta))]]
    return bound_vs_T(setting, spec, x0, upper="D-SC/theorem-a/prescribed", lower="L-SC/limit", Ts=Ts)


def _start(beta: float, mu: float, R: float, Delta: float) -> float:
    """The u > 0 with phi(u) = Delta on L-SC: beta u^2/2 = Delta inside |u| <= R, and beyond
    phi(u) = beta R^2/2 + beta R (u - R) + mu (u - R)^2/2 (so the start attains the Setting's Delta)."""
    if 2 * Delta / beta <= R * R:
        return float(np.sqrt(2 * Delta / beta))
    c = beta * R * R / 2 - Delta
    s = (-beta * R + np.sqrt((beta * R) ** 2 - 2 * mu * c)) / mu  # s = u - R solves mu s^2/2 + beta R s + c = 0
    return float(R + s)
