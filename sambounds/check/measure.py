"""What a bound's quantity is on a simulated run, and when measured and bound "agree".

Quantity -> measured per run (arrays of the batch shape (F, S, K) of a
:class:`~sambounds.sim.api.SimulationResult`; time indexing of :mod:`sambounds.sim.metrics`):

=====================================  =====================================================
quantity                               measured
=====================================  =====================================================
``gap``, ``e-gap``                     f(x_T) - f*  (computed as ``value_final - f_star``)
``lim-gap``, ``liminf-e-gap``          f(x_T) - f* at a long horizon T (the checkers confirm
                                       convergence by comparing with T/2)
``gap-avg``                            (1/T) sum_{t<T} f(x_t) - f*  (the functions' declared f*)
``dist``                               ||x_T - x*||^2
``grad-avg``, ``e-grad-avg``           (1/T) sum_{t<T} ||grad f(x_t)||^2
``grad-min``                           min_{t<T} ||grad f(x_t)||^2
``grad-wsum``, ``e-grad-wsum``         sum_{t<T} eta_t ||grad f(x_t)||^2
``lim-grad-avg``                       ||grad f(x_T)||^2 at a long horizon (a convergent
                                       sequence has the same Cesaro limit)
=====================================  =====================================================

Expectations (``e-*``, ``liminf-e-*``) are measured per run; the checkers turn replicas into a
one-sided confidence bound (:mod:`.stats`), never a raw mean.

Rounding slack.  Several catalog bounds are attained with equality (D-NC at H = beta I,
eta = 1/beta; the Drori-Teboulle function; L-S for n-SAM), so a comparison must allow for
floating-point error.  f(x_T) - f* is a difference of numbers of size |f(x_0)| + |f*| at most
(for a descent-like run), and every quantity is a sum of at most T + 1 such roundings, so

    tol = ABS_SLACK * (1 + |f(x_0)| + |f*|) + REL_SLACK * |bound|,

with ABS_SLACK = 1e-12 and REL_SLACK = 1e-9.  An upper bound is violated when
measured > bound + tol; a lower bound is reached when measured >= bound - tol.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InvalidParameterError
from ..sim.api import SimulationResult
from ..theory.bound import Bound
from ..theory.terms import Quantity

ABS_SLACK = 1e-12
REL_SLACK = 1e-9

_GAP = {Quantity.GAP, Quantity.E_GAP, Quantity.LIM_GAP, Quantity.LIMINF_E_GAP}
_AVG = {Quantity.GRAD_AVG, Quantity.E_GRAD_AVG}
_WSUM = {Quantity.GRAD_WSUM, Quantity.E_GRAD_WSUM}
#: Quantities that are expectations over the oracle's randomness.
EXPECTATIONS = frozenset({Quantity.E_GAP, Quantity.E_GRAD_AVG, Quantity.E_GRAD_WSUM, Quantity.LIMINF_E_GAP})
#: Quantities that are limits t -> infinity (measured at a long horizon).
LIMITS = frozenset({Quantity.LIM_GAP, Quantity.LIM_GRAD_AVG, Quantity.LIMINF_E_GAP})
#: Relative agreement of a limit measured at T and at T/2 for it to count as converged.
CONVERGENCE_RTOL = 1e-6


def quantity_of(bound_or_quantity: Bound | Quantity | str) -> Quantity:
    if isinstance(bound_or_quantity, Bound):
        return bound_or_quantity.quantity
    return Quantity.parse(bound_or_quantity)


def measured(bound: Bound | Quantity | str, result: SimulationResult, f_star: Any = None) -> np.ndarray:
    """The bound's quantity on every run of ``result``, shape (F, S, K).

    Parameters
    ----------
    bound : Bound, Quantity or str
        What to measure (a Bound's :attr:`~sambounds.theory.bound.Bound.quantity`).
    result : SimulationResult
    f_star : array_like (F,), optional
        The functions' f*.  Needed for the gap quantities (the simulator's result does not
        carry the functions); when omitted, ``result.gap.final`` is used.

    Raises
    ------
    InvalidParameterError
        When the quantity needs f* or x* and the functions declare none.

    Diverged runs measure +inf (the simulator's convention), so they violate any finite upper
    bound and reach any lower bound; the checkers report divergence separately.
    """
    q = quantity_of(bound)
    if not isinstance(result, SimulationResult):
        raise InvalidParameterError("result", result, "a sambounds SimulationResult")
    if q in _GAP:
        if f_star is not None:
            fs = np.asarray(f_star, dtype=np.float64).reshape(-1, 1, 1)
            with np.errstate(invalid="ignore"):
                return np.where(result.diverged, np.inf, result.value_final - fs)
        if result.gap is None:
            raise InvalidParameterError("functions", "no f*", "functions that declare f*",
                                        f"the quantity {q.label} needs f*")
        return result.gap.final
    if q is Quantity.GAP_AVG:
        if result.gap is None:
            raise InvalidParameterError("functions", "no f*", "functions that declare f*",
                                        f"the quantity {q.label} needs f*")
        return result.gap.mean
    if q is Quantity.DIST:
        if result.dist_sq is None:
            raise InvalidParameterError("functions", "no x*", "functions that declare x*",
                                        f"the quantity {q.label} needs x*")
        return result.dist_sq.final
    if q in _AVG:
        return result.grad_sq.mean
    if q is Quantity.GRAD_MIN:
        return result.grad_sq.min
    if q in _WSUM:
        return result.weighted_grad_sq_sum
    if q is Quantity.LIM_GRAD_AVG:
        return result.grad_sq.final
    raise InvalidParameterError("quantity", q, "a quantity the checkers can measure")  # pragma: no cover


def tolerance(bound_value: Any, value_scale: Any) -> np.ndarray:
    """Rounding slack ABS_SLACK (1 + value_scale) + REL_SLACK |bound| (see the module docstring)."""
    return ABS_SLACK * (1.0 + np.abs(value_scale)) + REL_SLACK * np.abs(bound_value)


def ratio(measured_value: Any, bound_value: Any) -> np.ndarray:
    """measured / bound with the conventions 0/0 = 0 and x/0 = inf (x > 0)."""
    m = np.asarray(measured_value, dtype=np.float64)
    b = np.asarray(bound_value, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = m / b
    r = np.where(b == 0, np.where(m > 0, np.inf, 0.0), r)
    return np.where(np.isposinf(m), np.inf, r)
