"""The PEP's worst function as an attack candidate: solve, rebuild the interpolant, re-simulate.

For a small horizon T the performance-estimation problem (:func:`sambounds.pep.api.worst_case`)
gives the worst function of the class for GD and USAM exactly (convex classes) and, for
normalized SAM, the best function of its slice programs.  The witness's interpolating function
(:class:`~sambounds.pep.interpolant.InterpolatedFunction`: beta-smooth with curvature >= mu, or
>= -beta for the nonconvex class, by construction) is stored as a ``pep-interpolant``
:class:`~.families.FamilySpec` and re-simulated as an ordinary probe, so its ratio is measured
like any other candidate and a violation is a re-runnable witness.

Instances: beta = 1, mu = beta/10 (strongly convex), rho = beta/10 (SAM, USAM), the bound's
extreme step (its limit, or its prescribed rule), D = 1 when the bound reads D, else Delta = 1.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from ..check.probe import Probe
from ..errors import InvalidParameterError, SolverError
from ..schedules import FromArray
from ..setting import Algorithm, FunctionClass, Setting
from ..theory.bound import Bound
from ..theory.terms import Quantity, StepKind
from .families import FamilySpec
from .menu import class_constants, prescribed_schedule, step_limit

#: bound quantity -> PEP measure
MEASURES = {Quantity.GAP: "f", Quantity.DIST: "dist", Quantity.GRAD_MIN: "min-grad"}
PEP_ALGORITHMS = (Algorithm.GD, Algorithm.USAM, Algorithm.SAM)


def applicable(bound: Bound) -> bool:
    """Whether the PEP attack has a program for this bound (algorithm, class, quantity, step)."""
    return (bound.quantity in MEASURES and bound.function_class is not FunctionClass.LIPSCHITZ_NONCONVEX
            and any(a in PEP_ALGORITHMS for a in bound.algorithms)
            and bound.step.kind in (StepKind.CONSTANT, StepKind.SCHEDULE, StepKind.PRESCRIBED))


def pep_probes(bound: Bound, horizons: Iterable[int], *, seed: int = 0, sam_evals: int = 8
               ) -> list[tuple[Probe, dict]]:
    """(probe, where) of the PEP worst function for each horizon and PEP-able algorithm of the bound."""
    if not applicable(bound):
        return []
    fc = bound.function_class
    beta = 1.0
    mu = beta / 10 if fc is FunctionClass.STRONGLY_CONVEX else None
    uses_D = "D" in bound.inputs
    out = []
    for alg in sorted((a for a in bound.algorithms if a in PEP_ALGORITHMS), key=lambda a: a.value):
        rho = 0.0 if alg is Algorithm.GD else beta / 10
        consts = {"beta": beta} if mu is None else {"beta": beta, "mu": mu}
        for T in horizons:
            try:
                steps = _steps(bound, consts, rho, T, None if uses_D else 1.0)
                setting = Setting.create(alg, fc, T=T, beta=beta, mu=mu, rho=None if alg is Algorithm.GD else rho,
                                         schedule=FromArray(steps), D=1.0 if uses_D else None,
                                         Delta=None if uses_D else 1.0)
                from ..pep.api import worst_case

                wc = worst_case(setting, MEASURES[bound.quantity], seed=seed, search_evals=sam_evals)
            except (InvalidParameterError, SolverError):
                continue
            w = wc.witness
            if w is None:
                continue
            spec = FamilySpec("pep-interpolant", {
                "points": w.points, "gradients": w.gradients, "values": w.values, "beta": w.beta,
                "sigma": w.sigma, "convex": fc is not FunctionClass.NONCONVEX})
            f, _ = spec.build()
            # a rule computed from Delta = 1 is scored with that Delta (>= the witness's own gap), as the menu does
            fixed = {"Delta": 1.0} if bound.step.kind is StepKind.PRESCRIBED and not uses_D else {}
            probe = Probe(alg.value, rho, T, spec, np.asarray(w.x0, float)[None, None, :], steps[None, :],
                          class_constants(f, alg, fc), fixed, schedule_labels=("PEP step",),
                          start_labels=("PEP x_0",), seed=seed)
            out.append((probe, {"family": "pep-interpolant", "algorithm": alg.value, "params": {
                "pep_value": float(wc.value), "pep_kind": wc.kind, "points": int(w.points.shape[0])},
                "constants": dict(probe.constants), "rho": rho, "T": T, "schedule": "PEP step",
                "start_distance": float(np.linalg.norm(w.x0))}))
    return out


def _steps(bound: Bound, consts: dict, rho: float, T: int, Delta: float | None) -> np.ndarray:
    if bound.step.kind is StepKind.PRESCRIBED:
        return np.asarray(prescribed_schedule(bound, consts, rho, T, Delta), dtype=float)
    lim = step_limit(bound, consts)
    return np.full(T, lim if lim is not None else 1.0 / consts["beta"])
