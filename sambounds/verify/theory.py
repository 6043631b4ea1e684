"""What the theory says about a schedule: catalog theorems, schedule-generic values, floors.

- :func:`theorem_checks`: every catalog bound about the Setting, judged by
  :func:`sambounds.theory.query.query` on the Setting's own schedule (step conditions checked
  entrywise), with the first step t that breaks a schedule-generic step condition named.
- :func:`floors`: the lower bounds no step size can beat for these constants: the catalog's
  lower entries for this Setting, the ones stated for every constant step (judged without a
  schedule), and for n-SAM / m-SAM the L-S floor c(p, K) beta rho^2 maximised over a grid of p
  (each p is a valid construction with noise variance exactly sigma^2, docs/theory.md section 5).
- :func:`certified`: the proven upper values on the verified quantity: catalog entries that
  apply to this schedule (provenance ``derived`` or ``literature``; ``paper`` entries are orders
  only) and the unrolled per-step theorems of :mod:`.recursions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..setting import Algorithm, FunctionClass, Setting
from ..theory.query import evaluate_many, query
from ..theory.results import Entry, QueryResult
from ..theory.terms import Kind, Provenance, Quantity, StepKind
from .quantities import IMPLIED_BY
from .recursions import Recursion, first_violation

#: probabilities p of the rare L-S component tried for the stochastic floor (p < 1/2)
_P_GRID = np.linspace(0.01, 0.49, 97)


@dataclass(frozen=True)
class TheoremCheck:
    """One catalog bound judged on the Setting's schedule."""

    name: str
    kind: str
    quantity: Quantity
    status: str
    value: float | None
    reason: str | None
    step: str
    schedule_generic: bool
    first_failing_t: int | None
    provenance: str
    proof: str | None
    for_setting: bool

    @classmethod
    def of(cls, entry: Entry, steps: np.ndarray | None, constants: dict[str, float]) -> "TheoremCheck":
        b = entry.bound
        generic = b.step.kind is StepKind.SCHEDULE
        t = None
        if generic and b.step.limit is not None and steps is not None:
            limit = b.limit_value(constants)
            if limit is not None:
                t = first_violation(steps, limit, b.step.strict)
        return cls(b.name, b.kind.value, b.quantity, entry.status, entry.value, entry.reason, entry.step, generic, t,
                   b.provenance.value, b.proof, entry.for_setting)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "quantity": self.quantity.value, "status": self.status,
                "value": self.value, "reason": self.reason, "step": self.step,
                "schedule_generic": self.schedule_generic, "first_failing_t": self.first_failing_t,
                "provenance": self.provenance, "proof": self.proof, "for_setting": self.for_setting}


@dataclass(frozen=True)
class Floor:
    """A lower bound on the worst case over the class that no step size in its scope can beat."""

    name: str
    quantity: Quantity
    value: float | None
    status: str
    scope: str
    provenance: str
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "quantity": self.quantity.value, "value": self.value, "status": self.status,
                "scope": self.scope, "provenance": self.provenance, "note": self.note}


@dataclass(frozen=True)
class Certified:
    """A proven upper value on the verified quantity, and where it comes from."""

    source: str
    value: float
    provenance: str
    via: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "value": self.value, "provenance": self.provenance, "via": self.via}


def theorem_checks(setting: Setting) -> tuple[QueryResult, tuple[TheoremCheck, ...]]:
    """Judge the catalog on the Setting (its schedule) and name the first failing step of generic bounds."""
    result = query(setting)
    constants = {k: x for k, x in setting.constants.as_dict().items()}
    constants["rho"] = setting.rho
    steps = setting.steps
    return result, tuple(TheoremCheck.of(e, steps, constants) for e in result.entries)


def floors(setting: Setting, result: QueryResult) -> tuple[Floor, ...]:
    """Lower bounds for these constants: this schedule's, every constant step's, and the best L-S floor."""
    out: dict[str, Floor] = {}
    for e in result.entries:
        if e.bound.kind is Kind.LOWER and e.status in ("applies", "order-only"):
            out[e.name] = _floor(e, _scope(e))
    free = query(setting.replace(schedule=None))
    for e in free.entries:
        b = e.bound
        if b.kind is Kind.LOWER and b.step.kind is StepKind.EVERY_CONSTANT and e.status == "applies" \
                and e.name not in out:
            out[e.name] = _floor(e, "every constant step eta > 0")
    if setting.algorithm is Algorithm.SAM and setting.rho > 0 and not setting.function_class.convex \
            and setting.function_class is not FunctionClass.LIPSCHITZ_NONCONVEX:
        out["L-NC/fixed-point"] = _lnc_floor(setting)
    if setting.algorithm.stochastic and setting.rho > 0 and setting.constants.sigma:
        best = ls_floor(setting)
        if best is not None:
            p, value = best
            out["L-S/best-p"] = Floor("L-S/best-p", Quantity.LIMINF_E_GAP, value, "applies",
                                      "every constant step eta > 0", Provenance.DERIVED.value,
                                      f"c(p, K) beta rho^2 maximised over p in [0.01, 0.49]: p = {p:.3g}, "
                                      f"K = sqrt(p/(1-p)) sigma/(beta rho)")
    return tuple(out.values())


def certified(checks: tuple[TheoremCheck, ...], recursions: tuple[Recursion, ...],
              quantity: Quantity) -> tuple[Certified, ...]:
    """Proven upper values on ``quantity`` for this schedule (catalog entries first, then recursions)."""
    wanted = {quantity: None, **{q: why for q, why in IMPLIED_BY.get(quantity, ())}}
    out = []
    for c in checks:
        if c.kind == "upper" and c.status == "applies" and c.for_setting and c.quantity in wanted \
                and c.provenance in (Provenance.DERIVED.value, Provenance.LITERATURE.value):
            out.append(Certified(c.name, float(c.value), c.provenance, wanted[c.quantity]))
    for r in recursions:
        if r.applies and r.quantity in wanted:
            out.append(Certified(r.name, float(r.value), r.provenance, wanted[r.quantity]))
    return tuple(out)


def prescribed(result: QueryResult, quantity: Quantity) -> Entry | None:
    """The catalog's best guarantee on ``quantity`` with a theorem's own prescribed step (or None)."""
    wanted = {quantity} | {q for q, _ in IMPLIED_BY.get(quantity, ())}
    entries = [e for e in result.entries if e.valid and e.bound.kind is Kind.UPPER
               and e.bound.step.kind is StepKind.PRESCRIBED and e.bound.quantity in wanted]
    return min(entries, key=lambda e: e.value) if entries else None


def _lnc_floor(setting: Setting, c: float = 0.99) -> Floor:
    """L-NC started at its fixed point x_0 = -rho: y_0 = 0, grad f(0) = 0, so x_t = -rho for every t and
    every schedule; min_t and the average of ||grad f(x_t)||^2 are then c^2 beta^2 rho^2 (docs/theory.md s.5)."""
    from ..functions import LNC

    beta, rho, Delta = setting.constants.beta, setting.rho, setting.constants.Delta
    f = LNC(beta, rho, c)
    needs = float(f.value(np.array([[[-rho]]]))[0, 0] - f.f_star[0])
    scope = "every schedule (x_0 = -rho is a SAM fixed point whatever the steps)"
    if Delta is None or Delta < needs:
        return Floor("L-NC/fixed-point", Quantity.GRAD_MIN, None, "fails", scope, Provenance.DERIVED.value,
                     f"needs Delta >= f(-rho) - f* = {needs:.6g} (c = {c})")
    return Floor("L-NC/fixed-point", Quantity.GRAD_MIN, c**2 * beta**2 * rho**2, "applies", scope,
                 Provenance.DERIVED.value, f"c = {c}; the same value bounds grad-avg from below")


def _scope(e: Entry) -> str:
    kind = e.bound.step.kind
    if kind is StepKind.UNSPECIFIED:
        return "the paper's claim (order only; its step size is not known here)"
    if kind is StepKind.EVERY_CONSTANT:
        return "every constant step eta > 0"
    if kind is StepKind.CONSTANT:
        return f"this constant step (eta = {e.eta:.6g})" if e.eta is not None else "a constant step"
    return e.step


def _floor(e: Entry, scope: str) -> Floor:
    note = e.reason if e.status != "applies" else None
    return Floor(e.name, e.bound.quantity, e.value, e.status, scope, e.bound.provenance.value, note)


def ls_floor(setting: Setting) -> tuple[float, float] | None:
    """(p, c(p, K(p)) beta rho^2) maximising the L-S floor over the p grid, K(p) = sqrt(p/(1-p)) sigma/(beta rho)."""
    c = setting.constants
    ev = evaluate_many("L-S", beta=c.beta, rho=setting.rho, sigma=c.sigma, p=_P_GRID)
    if not ev.valid.any():
        return None
    i = int(np.argmax(np.where(ev.valid, ev.value, -np.inf)))
    return float(_P_GRID[i]), float(ev.value[i])
