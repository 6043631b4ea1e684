"""Which quantity a schedule is verified on, and how a simulation run measures it.

A target is a number the quantity must not exceed after the T steps of the Setting.  Only
finite-horizon quantities can be verified (the ``lim`` / ``liminf`` quantities of the catalog's
lower bounds are not observable at a finite T).  Deterministic algorithms are verified on

    gap       f(x_T) - f*                          (strongly convex default)
    dist      ||x_T - x*||^2                       (convex classes: x* exists)
    grad-avg  (1/T) sum_{t<T} ||grad f(x_t)||^2
    grad-min  min_{t<T} ||grad f(x_t)||^2          (convex and nonconvex default)
    grad-wsum sum_{t<T} eta_t ||grad f(x_t)||^2

and the stochastic ones (n-SAM, m-SAM) on the expectations ``e-gap`` (strongly convex
default), ``e-grad-avg`` and ``e-grad-wsum`` (convex and nonconvex default: the catalog's
schedule-generic S-NC bound is about it).

Implication used when collecting certified bounds: min_t q_t <= (1/T) sum_t q_t, so an upper
bound on ``grad-avg`` is also one on ``grad-min``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InvalidParameterError
from ..setting import FunctionClass, Setting
from ..theory.terms import Quantity

DETERMINISTIC = (Quantity.GAP, Quantity.DIST, Quantity.GRAD_AVG, Quantity.GRAD_MIN, Quantity.GRAD_WSUM)
STOCHASTIC = (Quantity.E_GAP, Quantity.E_GRAD_AVG, Quantity.E_GRAD_WSUM)

#: quantity -> quantities whose upper bounds also bound it (with the reason)
IMPLIED_BY = {
    Quantity.GRAD_MIN: ((Quantity.GRAD_AVG, "min_t q_t <= (1/T) sum_t q_t"),),
}

#: quantity -> PEP measure of :func:`sambounds.pep.api.worst_case` and the horizon offset.  The PEP's
#: min-grad is min over t <= T', so min_{t<T} is the PEP at T' = T - 1 with the first T - 1 steps.
PEP_MEASURE = {Quantity.GAP: ("f", 0), Quantity.DIST: ("dist", 0), Quantity.GRAD_MIN: ("min-grad", 1)}


def allowed(setting: Setting) -> tuple[Quantity, ...]:
    """The quantities a schedule can be verified on for this Setting."""
    if setting.algorithm.stochastic:
        return STOCHASTIC
    if setting.function_class.convex:
        return DETERMINISTIC
    return tuple(q for q in DETERMINISTIC if q is not Quantity.DIST)


def default(setting: Setting) -> Quantity:
    """f(x_T) - f* (or its expectation) for strongly convex f; a gradient-norm quantity otherwise."""
    sc = setting.function_class is FunctionClass.STRONGLY_CONVEX
    if setting.algorithm.stochastic:
        return Quantity.E_GAP if sc else Quantity.E_GRAD_WSUM
    return Quantity.GAP if sc else Quantity.GRAD_MIN


def parse(setting: Setting, quantity: Any) -> Quantity:
    """Validate ``quantity`` (a Quantity, its value string, or None for the default) for the Setting."""
    if quantity is None:
        return default(setting)
    choices = allowed(setting)
    names = [q.value for q in choices]
    try:
        q = Quantity.parse(quantity)
    except InvalidParameterError:
        raise InvalidParameterError("quantity", quantity, f"one of {names}") from None
    if q not in choices:
        why = ("limits are not observable at a finite horizon" if q.value.startswith("lim")
               else f"{setting.algorithm.value} on the {setting.function_class.value} class")
        raise InvalidParameterError("quantity", quantity, f"one of {names}", why)
    return q


def measure(result: Any, quantity: Quantity) -> np.ndarray:
    """Per-run value of ``quantity`` from a :class:`~sambounds.sim.api.SimulationResult` (shape (F, S, K)).

    For the expectations the per-run value is one sample; the caller averages over seeds.
    Diverged runs carry +inf (never NaN), so they exceed every finite target, except for
    ``grad-min``: the iterates after the divergence flag are not observed and one of them could
    have a small gradient, so the only value that is certainly <= the true minimum is 0.
    """
    base = {Quantity.E_GAP: Quantity.GAP, Quantity.E_GRAD_AVG: Quantity.GRAD_AVG,
            Quantity.E_GRAD_WSUM: Quantity.GRAD_WSUM}.get(quantity, quantity)
    if base is Quantity.GAP:
        metric = _need(result.gap, "f*")
        out = metric.final
    elif base is Quantity.DIST:
        out = _need(result.dist_sq, "x*").final
    elif base is Quantity.GRAD_AVG:
        out = result.grad_sq.mean
    elif base is Quantity.GRAD_MIN:
        out = result.grad_sq.min
    else:
        out = result.weighted_grad_sq_sum
    out = np.array(out, dtype=np.float64)
    out[np.asarray(result.diverged)] = 0.0 if base is Quantity.GRAD_MIN else np.inf
    return out


def _need(metric: Any, what: str) -> Any:
    if metric is None:  # the attack families all declare f* and x*; a user family might not
        raise InvalidParameterError("functions", None, f"functions that declare {what}",
                                    f"the quantity needs {what}")
    return metric
