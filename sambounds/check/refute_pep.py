"""Refute a finite-horizon lower-bound claim with a PEP certificate: no function of the class reaches it.

The performance-estimation program of :mod:`sambounds.pep` bounds the worst case of a measure over
a whole class (exactly for GD and USAM, as a relaxation for SAM, from above for nonconvex f), and
with ``certificate=True`` its dual multipliers are rationalized and verified in exact arithmetic:
the certified value B is then a theorem, "every function of the class with ||x_0 - x*|| <= D (or
f(x_0) - f* <= Delta) has measure <= B after T steps".  A lower-bound claim L > B at those
constants is false.  This is the second sound refuter of existence claims next to
:mod:`.refute` (catalog upper bounds), and the only one for claims no catalog entry speaks to.

Scope (anything else is skipped, never guessed): a deterministic algorithm (GD, USAM or SAM), a
convex, strongly convex or nonconvex class, a constant (or every-constant) step, the quantities
f(x_T) - f* ("f"), ||x_T - x*||^2 ("dist") and min_{t<T} ||grad f(x_t)||^2 (the PEP's
min_{t<=T'} at T' = T - 1, so that both minimize over x_0..x_{T-1}), and a claim that depends on
exactly one of D and Delta, which fixes the initial condition (the other is not an input of the
claim, so no value of it is assumed).  SAM's relaxation constrains steps with grad f(x_t) != 0
(||y_t - x_t|| = rho); a run that reaches a stationary point stays there (y_t = x_t), which is
harmless where a stationary point ends the measure at 0 (f - f* and min ||grad f||^2 on convex f,
||x_T - x*||^2 on strongly convex f) and not otherwise: SAM claims on f(x_T) - f* or ||x_T - x*||^2 over nonconvex f
and on ||x_T - x*||^2 over convex f are left out.  Constants: beta = 1 (the claims are checked in units of
beta), mu = 0.1 beta for strongly convex classes, rho in :data:`RHOS`, the step at the claim's
limit and at half of it (every-constant claims: :data:`EVERY_ETAS`), T in :data:`HORIZONS`, D or
Delta = 1.  A refutation needs L > B (1 + 1e-9) + 1e-12.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InvalidParameterError, ProofError, SolverError
from ..setting import Algorithm, FunctionClass, Setting
from ..theory.bound import Bound
from ..theory.terms import Kind, Quantity, StepKind

KIND = "pep-refutation"
HORIZONS = (1, 2, 3)
RHOS = (0.1,)
EVERY_ETAS = (0.5, 1.0)
MU_FRACTION = 0.1
REL_SLACK, ABS_SLACK = 1e-9, 1e-12

_MEASURES = {Quantity.GAP: "f", Quantity.DIST: "dist", Quantity.GRAD_MIN: "min-grad"}
_ALGORITHMS = (Algorithm.GD, Algorithm.USAM, Algorithm.SAM)
_CLASSES = (FunctionClass.CONVEX, FunctionClass.STRONGLY_CONVEX, FunctionClass.NONCONVEX)


@dataclass(frozen=True)
class PepRefutation:
    """The claim's value above an exactly verified PEP bound at one setting."""

    setting: Setting          # the PEP's (its T is the claim's T - 1 for min_{t<T})
    measure: str
    initial: str
    certified: Fraction
    claim_value: float
    constants: dict           # the constants the claim was evaluated at (its own T; D or Delta = 1)
    quantity: str             # the claim's quantity label

    def describe(self) -> str:
        s = self.setting
        consts = ", ".join(f"{k}={val:g}" for k, val in self.constants.items()
                           if not (k == "rho" and s.algorithm is Algorithm.GD))
        return (f"refuted by a PEP certificate: every {s.function_class.value} function has {self.quantity} <= "
                f"{float(self.certified):.6g} under {s.algorithm.value} at {consts} (dual multipliers verified "
                f"in exact arithmetic) < claim {self.claim_value:.6g}")

    def to_witness(self, claim: Bound) -> dict[str, Any]:
        """A JSON-ready witness: :func:`sambounds.check.witness.rerun` re-solves and re-verifies it."""
        from ..theory.user import bound_to_spec

        return {"kind": KIND, "version": 1, "bound": bound_to_spec(claim), "setting": self.setting.to_dict(),
                "measure": self.measure, "initial": self.initial, "constants": dict(self.constants),
                "expected": {"certified": str(self.certified), "certified_float": float(self.certified),
                             "claim": self.claim_value}}


def certified_bound(setting: Setting, measure: str, initial: str) -> Fraction:
    """The exactly verified PEP bound on ``measure`` over the setting's class (raises when there is none)."""
    from ..pep.api import worst_case

    w = worst_case(setting, measure, initial, witness=False, certificate=True, search_evals=1)
    return w.certificate.bound


def claim_inputs(claim: Bound, constants: dict) -> dict:
    """The constants ``claim`` is a function of (it refuses names it does not use)."""
    return {k: val for k, val in constants.items() if k in claim.inputs}


def refutes(claim_value: float, certified: Fraction) -> bool:
    """L > B (1 + REL_SLACK) + ABS_SLACK: the claim is above the certified bound beyond rounding."""
    return claim_value > float(certified) * (1 + REL_SLACK) + ABS_SLACK


def scope(claim: Bound) -> str | None:
    """Why the PEP cannot speak to ``claim`` (None when it can)."""
    if claim.kind is not Kind.LOWER:
        return "not a lower bound"
    if not claim.explicit:
        return "an order-only claim"
    if claim.quantity not in _MEASURES:
        return f"quantity {claim.quantity.value} has no PEP measure"
    if not claim.algorithms <= set(_ALGORITHMS):
        return "a stochastic algorithm"
    if claim.function_class not in _CLASSES:
        return f"class {claim.function_class.value} has no PEP"
    if claim.step.kind not in (StepKind.CONSTANT, StepKind.EVERY_CONSTANT):
        return f"step {claim.step.kind.value}"
    if Algorithm.SAM in claim.algorithms and (
            (claim.function_class is FunctionClass.NONCONVEX and claim.quantity is not Quantity.GRAD_MIN)
            or (claim.function_class is FunctionClass.CONVEX and claim.quantity is Quantity.DIST)):
        return ("SAM's PEP constrains runs with grad f(x_t) != 0; a run that stops at a stationary point keeps a "
                "positive value of this measure, which that program does not cover")
    if ("D" in claim.inputs) == ("Delta" in claim.inputs):
        return "the claim must depend on exactly one of D and Delta (the initial condition)"
    return None


def _etas(claim: Bound, values: dict[str, float]) -> tuple[float, ...]:
    if claim.step.kind is StepKind.EVERY_CONSTANT:
        return EVERY_ETAS
    try:
        limit = claim.step_limit(values)
    except InvalidParameterError:
        return ()
    if limit is None or not math.isfinite(limit) or limit <= 0:
        return EVERY_ETAS
    # a strict limit is not attained: stay just inside it
    top = limit * (1 - 1e-9) if claim.step.strict else limit
    return (top, top / 2)


def pep_refutation(claim: Bound) -> PepRefutation | None:
    """The first setting (see the module docstring) where a PEP certificate lies below the claim."""
    if scope(claim) is not None:
        return None
    measure = _MEASURES[claim.quantity]
    initial = "distance" if "D" in claim.inputs else "function-gap"
    start = {"D": 1.0} if initial == "distance" else {"Delta": 1.0}
    for alg in sorted(claim.algorithms, key=_ALGORITHMS.index):
        for rho in (RHOS if alg is not Algorithm.GD else (0.0,)):
            base = {"beta": 1.0, "rho": rho, **start}
            if claim.function_class is FunctionClass.STRONGLY_CONVEX:
                base["mu"] = MU_FRACTION
            for eta in _etas(claim, base):
                for T in HORIZONS:
                    pep_T = T - 1 if claim.quantity is Quantity.GRAD_MIN else T
                    if pep_T < 1:
                        continue
                    values = {**base, "eta": eta, "T": T}
                    try:
                        target = claim.evaluate(**claim_inputs(claim, values))
                    except InvalidParameterError:
                        continue   # a condition of the claim fails here: it claims nothing
                    if not target > 0:
                        continue
                    kw = {k: val for k, val in base.items() if k != "rho" or alg is not Algorithm.GD}
                    try:
                        setting = Setting.create(alg.value, claim.function_class.value, T=pep_T, eta=eta, **kw)
                        bound = certified_bound(setting, measure, initial)
                    except (InvalidParameterError, SolverError, ProofError):
                        continue   # no certified number here; a refutation needs one
                    if refutes(float(target), bound):
                        return PepRefutation(setting, measure, initial, bound, float(target), values,
                                             claim.quantity.label)
    return None
