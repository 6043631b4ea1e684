"""Refute a lower-bound claim with a certified upper bound: the only sound refutation of an "exists".

A lower bound claims that *some* function of the class, at the given constants, forces the
quantity to at least L(constants).  A construction that stays below L refutes that claim only if
the claim is *about that construction* (a catalog entry, whose proof is the construction, or a
user claim that names one); otherwise another function might reach L.  What refutes the bare
existence claim is a statement about *every* function: an upper bound U proved for a class that
contains the claim's class, for every algorithm of the claim, under the same step assumption,
with U(constants) < L(constants) at constants where both apply.  Then no function reaches L there.

Which upper bounds count (:func:`certified_uppers`): catalog entries of kind upper with a number
(not ``paper`` order shapes), provenance ``derived`` (a machine-checked proof in ``proofs/``) or
``literature``, no ``restriction`` to a subclass, quantity equal to the claim's, and a step
assumption that covers the claim's steps (``constant`` or ``schedule`` uppers for constant-step
claims; a prescribed rule only for a claim about the same rule).  For the limit quantities
one more family is derived: if q_T <= U(T) for every T (U's conditions free of T), then
lim q_T <= lim_{T->oo} U(T); every power b^T with |b| < 1 tends to 0, and |b| < 1 becomes a
condition of the derived bound, checked at each grid point like every other condition
(:func:`limit_of`).

Both bounds are evaluated on the same runs (:func:`.probe.evaluate`): each run's own declared
constants, its exact Delta = f(x_0) - f* and D = ||x_0 - x*||, its eta, rho and T, so the two
values are about the same constants.  A refutation needs U + tol < L with the claim's rounding
slack ``tol``.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Iterable

import numpy as np
import sympy as sp

from ..errors import InvalidParameterError
from ..theory import symbols as S
from ..theory.bound import Bound
from ..theory.terms import Kind, Provenance, Quantity, StepKind
from .probe import Evaluation, ProbeRun, evaluate

#: lim quantity -> the finite-horizon quantity whose upper bounds bound it in the limit
LIMIT_OF = {Quantity.LIM_GAP: Quantity.GAP, Quantity.LIM_GRAD_AVG: Quantity.GRAD_AVG,
            Quantity.LIMINF_E_GAP: Quantity.E_GAP}

_CERTIFIED = (Provenance.DERIVED, Provenance.LITERATURE)


@dataclasses.dataclass(frozen=True)
class Refutation:
    """Where a certified upper bound lies below the claim: U(constants) + tol < L(constants)."""

    upper: str        # name of the upper bound (a derived limit says so in its name)
    index: tuple      # (f, s0, k) in the probe's evaluation
    upper_value: float
    claim_value: float

    def describe(self) -> str:
        return (f"refuted by the certified upper bound {self.upper}: at these constants every function of its "
                f"class has the quantity <= {self.upper_value:.6g} < claim {self.claim_value:.6g}")


def _steps_covered(upper: Bound, claim: Bound) -> bool:
    if claim.step.kind is StepKind.PRESCRIBED:
        return upper.step.kind is StepKind.PRESCRIBED and upper.step.rule == claim.step.rule
    if claim.step.kind not in (StepKind.CONSTANT, StepKind.EVERY_CONSTANT):
        return False
    return upper.step.kind in (StepKind.CONSTANT, StepKind.SCHEDULE)


def _applies_to(upper: Bound, claim: Bound) -> bool:
    """Whether ``upper`` speaks about every function and algorithm the claim quantifies over."""
    return (upper.kind is Kind.UPPER and upper.explicit and upper.provenance in _CERTIFIED
            and upper.restriction is None and claim.algorithms <= upper.algorithms
            and upper.function_class.contains(claim.function_class) and _steps_covered(upper, claim))


@functools.lru_cache(maxsize=None)
def limit_of(upper: Bound, quantity: Quantity) -> Bound | None:
    """``upper`` (on q_T at every T) as a bound on lim q_T, or None when that is not derivable here.

    lim_{T->oo} of the expression after every b^T (b free of T) is replaced by 0, with |b| < 1
    added to the conditions; None when a condition mentions T (it might fail for large T), when
    the step is not constant, or when sympy finds no finite limit free of T.
    """
    T = S.T
    if upper.step.kind is not StepKind.CONSTANT or any(T in c.free_symbols for c in upper.all_conditions):
        return None
    powers = [p for p in upper.expr.atoms(sp.Pow) if p.exp == T and T not in p.base.free_symbols]
    expr = upper.expr.xreplace({p: sp.Integer(0) for p in powers})
    try:
        lim = sp.limit(expr, T, sp.oo) if T in expr.free_symbols else expr
    except (NotImplementedError, ValueError, TypeError):
        return None
    if lim.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.Limit) or T in lim.free_symbols:
        return None
    conditions = tuple(upper.conditions) + tuple(sp.Abs(p.base) < 1 for p in powers)
    return dataclasses.replace(upper, name=f"lim_(T->oo) of {upper.name}", expr=lim, quantity=quantity,
                               conditions=conditions)


def certified_uppers(claim: Bound, uppers: Iterable[Bound] | None = None) -> tuple[Bound, ...]:
    """The upper bounds (from ``uppers``, default the catalog) that can refute ``claim``; see the module."""
    if claim.kind is not Kind.LOWER:
        raise InvalidParameterError("claim", claim.name, "a lower bound")
    if uppers is None:
        from ..theory.catalog import catalog

        uppers = tuple(catalog)
    out = []
    for u in uppers:
        if not _applies_to(u, claim):
            continue
        if u.quantity is claim.quantity:
            out.append(u)
        elif LIMIT_OF.get(claim.quantity) is u.quantity:
            derived = limit_of(u, claim.quantity)
            if derived is not None:
                out.append(derived)
    return tuple(out)


def refutation(claim: Bound, ev: Evaluation, run: ProbeRun, uppers: tuple[Bound, ...],
               where: np.ndarray) -> Refutation | None:
    """The largest relative margin (L - tol - U)/L over runs in ``where``, or None where U >= L - tol.

    ``ev`` is the claim evaluated on ``run``; every upper is evaluated on the same run.  An upper
    that needs an input this run cannot supply (e.g. L, sigma) is skipped.
    """
    best = None
    for u in uppers:
        try:
            uev = evaluate(u, run)
        except InvalidParameterError:
            continue
        ok = where & uev.applicable & np.isfinite(uev.value)
        with np.errstate(all="ignore"):
            margin = np.where(ok, (ev.value - ev.tol - uev.value) / np.abs(ev.value), -np.inf)
        if not np.any(margin > 0):
            continue
        idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(margin)), margin.shape))
        if best is None or margin[idx] > best[0]:
            best = (float(margin[idx]), Refutation(u.name, idx, float(uev.value[idx]), float(ev.value[idx])))
    return None if best is None else best[1]
