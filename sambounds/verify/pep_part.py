"""Worst case by performance estimation for small horizons (deterministic GD, USAM, SAM).

:func:`sambounds.pep.api.worst_case` gives, for the Setting's schedule, a value that is an
upper bound on the worst case over the whole class (exact for GD/USAM on convex classes, the
sound relaxation for normalized SAM) and, where its search finds one, a lower value attained by
an explicit witness function.  Here:

- the upper value counts as *certified* when the solver reports ``optimal`` (not
  ``optimal_inaccurate``: the PEP layer then also checks residuals and duality gap), multiplied by
  1 + :data:`SOLVER_TOL` to cover the solver's tolerance; or, for horizons up to
  :data:`CERTIFY_MAX_T`, when rational dual multipliers prove value * (1 + 1e-6) exactly
  (:mod:`sambounds.pep.certificate`) — the SAM relaxation's optimum is degenerate and Clarabel
  often stops at ``optimal_inaccurate`` there, which the exact certificate makes irrelevant;
- the lower value counts as a refutation only when its witness re-ran with the initial condition
  met (the PEP reports ``lower`` only then) and only one of Delta, D constrains the start (the
  PEP imposes one initial condition).

Quantities: ``gap`` -> measure ``f``, ``dist`` -> ``dist``, ``grad-min`` (min over t < T) -> the
PEP's ``min-grad`` (min over t <= T') at T' = T - 1 with the first T - 1 steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import math

from ..errors import InvalidParameterError, ProofError, SolverError
from ..schedules import FromArray
from ..setting import Setting
from ..theory.terms import Quantity
from .quantities import PEP_MEASURE

#: relative solver tolerance added to the PEP's upper value before it certifies a target
SOLVER_TOL = 1e-6
#: largest PEP horizon for which an exact rational certificate is attempted (a few seconds each)
CERTIFY_MAX_T = 5


@dataclass(frozen=True)
class PepEvidence:
    """What the PEP said (or why it was not run)."""

    ran: bool
    note: str | None
    measure: str | None = None
    horizon: int | None = None
    initial: str | None = None
    kind: str | None = None
    upper: float | None = None
    certified: bool = False
    lower: float | None = None
    lower_valid: bool = False
    status: str | None = None
    warnings: tuple[str, ...] = ()
    witness: dict | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ran": self.ran, "note": self.note, "measure": self.measure, "horizon": self.horizon,
                "initial": self.initial, "kind": self.kind, "upper": self.upper, "certified": self.certified,
                "lower": self.lower, "lower_valid": self.lower_valid, "status": self.status,
                "warnings": list(self.warnings)}


def run_pep(setting: Setting, quantity: Quantity, *, max_T: int, effort: str) -> PepEvidence:
    """Run the PEP when it applies (deterministic, T <= max_T, a PEP measure); else say why not."""
    if setting.algorithm.stochastic:
        return PepEvidence(False, "the PEP covers deterministic algorithms only")
    if quantity not in PEP_MEASURE:
        return PepEvidence(False, f"no PEP measure for {quantity.value}")
    measure, offset = PEP_MEASURE[quantity]
    horizon = setting.T - offset
    if setting.T > max_T:
        return PepEvidence(False, f"T = {setting.T} > pep_max_T = {max_T}")
    if horizon < 1:
        return PepEvidence(False, f"{quantity.value} at T = {setting.T} needs T >= 2 for the PEP")
    c = setting.constants
    if setting.function_class.value == "lipschitz-nonconvex":
        return PepEvidence(False, "no PEP interpolation conditions for the Lipschitz class")
    if c.mu is not None and c.mu >= c.beta:
        return PepEvidence(False, "mu = beta: the PEP needs mu < beta")
    try:
        from ..pep.api import worst_case
    except ImportError as exc:  # the PEP layer is optional at this point of the build
        return PepEvidence(False, f"sambounds.pep.api is not available ({exc})")
    sub = setting if offset == 0 else setting.replace(T=horizon, schedule=FromArray(setting.steps[:horizon]))
    initial = "function-gap" if c.Delta is not None and (c.D is None or not setting.function_class.convex) \
        else "distance"
    if (c.Delta if initial == "function-gap" else c.D) == 0:
        return PepEvidence(False, "the initial condition is 0: the worst case is trivial")
    evals = 8 if effort == "quick" else 24
    notes = []
    try:
        try:
            wc = worst_case(sub, measure=measure, initial=initial, search_evals=evals, seed=0,
                            certificate=horizon <= CERTIFY_MAX_T)
        except ProofError as exc:  # the rounded multipliers did not verify: fall back to the solver's word
            notes.append(f"no exact certificate ({exc})")
            wc = worst_case(sub, measure=measure, initial=initial, search_evals=evals, seed=0)
    except (SolverError, InvalidParameterError) as exc:
        return PepEvidence(False, f"the PEP failed: {exc}", measure, horizon, initial)
    status = wc.solver.get("status")
    both = c.Delta is not None and c.D is not None and setting.function_class.convex
    lower_valid = wc.lower is not None and not both
    if wc.certificate is not None:
        # an exact proof of bound = value (1 + 1e-6); round its float up so it stays a bound
        upper, certified = math.nextafter(float(wc.certificate.bound), math.inf), True
        notes.append("certified by exact rational dual multipliers")
    else:
        upper, certified = wc.value * (1 + SOLVER_TOL), status == "optimal"
    if not certified:
        notes.append(f"solver status {status!r}: the upper value is reported, not used to certify")
    if wc.lower is not None and both:
        notes.append("the PEP imposes one initial condition; its witness is not used with both Delta and D")
    witness = None
    if wc.witness is not None and lower_valid:
        witness = wc.witness.to_dict()
    return PepEvidence(True, "; ".join(notes) or None, measure, horizon, initial, wc.kind,
                       upper, certified, wc.lower, lower_valid, status, tuple(wc.warnings), witness)
