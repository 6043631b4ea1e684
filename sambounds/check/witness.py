"""Witnesses: a violation (or a construction's run) as a JSON file that re-runs to the same numbers.

A bound witness (``"kind": "bound-witness"``) stores

- the bound itself, as text that rebuilds it (:func:`sambounds.theory.user.bound_to_spec`), so a
  deliberately wrong or user-registered statement re-runs without any catalog;
- the whole probe that found it (:class:`~.probe.Probe`: the function family and its
  parameters, every x_0, every schedule, the class constants, the seed and the algorithm), and
  the index (function f, start s, schedule k) of the instance, also spelled out readably under
  ``"instance"``;
- the expected numbers: measured value, bound value, ratio (and the confidence bounds for
  expectations).

:func:`rerun` is the one re-run of every witness kind the project writes (``sambounds rerun
FILE``): bound witnesses (this module), schedule witnesses (``"kind": "schedule-witness"``,
:mod:`sambounds.verify.witness`), PEP witnesses (``"kind": "pep-witness"``,
:mod:`sambounds.pep.witness`) and PEP refutations of lower bounds (``"kind": "pep-refutation"``,
:mod:`.refute_pep`: the certificate is re-solved and verified again), each compared with the tolerance its kind documents
(:func:`tolerance`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import _validate as v
from .._io import read_json_object
from ..errors import InvalidParameterError
from ..theory.bound import Bound
from ..setting import Algorithm
from .probe import Probe, declared_constants, evaluate

KIND = "bound-witness"
#: Relative agreement a re-run of a bound or schedule witness must reach: both re-simulate with the
#: recorded seed and batch shapes, which the simulator reproduces bit for bit (observed error 0).
RERUN_RTOL = 1e-12
#: A PEP witness must replay to PEP_SQRT_FACTOR * sqrt(accuracy) relative (see :func:`tolerance`).
PEP_SQRT_FACTOR = 10.0
#: The accuracy assumed for a PEP witness that records none: the default SDP tolerance of
#: :data:`sambounds.pep.solvers.DEFAULT_OPTIONS` (1e-9).
PEP_DEFAULT_ACCURACY = 1e-9


def _json_float(x: float) -> float | str:
    """Finite floats as numbers; inf / nan as the strings "inf" / "nan" (strict JSON, float() reads them)."""
    x = float(x)
    return x if np.isfinite(x) else str(x)


def instance(probe: Probe, index: tuple, measured: float, value: float) -> dict[str, Any]:
    """The run at ``index`` = (f, s0, k) of a probe, spelled out (JSON-ready)."""
    f, s0, k = index
    steps = probe.steps[k]
    constant = bool(np.all(steps == steps[0]))
    built, _ = probe.family.build()
    own = declared_constants(built, Algorithm.parse(probe.algorithm), tuple(probe.constants))
    return {
        "family": probe.family.name, "function_index": f, "family_params": dict(probe.family.params),
        "algorithm": probe.algorithm, "rho": probe.rho, "T": probe.T, "constants": dict(probe.constants),
        "function_constants": {name: float(value[f]) for name, value in own.items()},
        "fixed": dict(probe.fixed), "x0": probe.x0[f, s0 * probe.replicas].tolist(),
        "start": probe.start_labels[s0], "schedule": probe.schedule_labels[k],
        "eta": float(steps[0]) if constant else None,
        "eta_range": [float(steps.min()), float(steps.max())], "seed": probe.seed, "replicas": probe.replicas,
        "measured": _json_float(measured), "bound": _json_float(value),
        **({"optimizer": probe.optimizer.to_dict()["factory"]} if probe.optimizer is not None else {}),
    }


def make_witness(bound: Bound, probe: Probe, index: tuple, *, check: str) -> dict[str, Any]:
    """A JSON-ready witness of ``bound`` at ``index`` of ``probe`` (numbers from a fresh evaluation)."""
    from ..theory.user import bound_to_spec

    ev = evaluate(bound, probe.run())
    i = tuple(index)
    up = check == "upper"
    expected = {"measured": ev.measured[i], "bound": ev.value[i], "ratio": ev.ratio(upper=up)[i],
                "lower": ev.lower[i], "upper": ev.upper[i], "tol": ev.tol[i]}
    expected = {k: _json_float(x) for k, x in expected.items()}
    return {"kind": KIND, "version": 1, "check": check, "bound": bound_to_spec(bound), "probe": probe.to_dict(),
            "index": list(i), "instance": instance(probe, i, float(expected["measured"]), float(expected["bound"])),
            "expected": expected}


def save(witness: dict[str, Any], path: str | Path) -> Path:
    """Write a witness as JSON (floats round-trip exactly through their shortest repr)."""
    path = Path(path)
    path.write_text(json.dumps(witness, indent=1, allow_nan=False))
    return path


@dataclass(frozen=True)
class Rerun:
    """Outcome of :func:`rerun`: expected and re-computed numbers, and whether they agree.

    ``matches``: every compared number agrees to ``tolerance`` (relative; infinities must agree
    too).  For refutations (schedule witnesses, PEP witnesses that carry a target)
    ``target`` and ``misses_target`` say whether the re-run still exceeds the target.
    """

    kind: str
    expected: dict
    got: dict
    rel_error: float
    matches: bool
    description: str
    tolerance: float = RERUN_RTOL
    target: float | None = None
    misses_target: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["expected"] = {k: _json_value(x) for k, x in self.expected.items()}
        out["got"] = {k: _json_value(x) for k, x in self.got.items()}
        out["rel_error"] = _json_value(self.rel_error)
        return out


def _json_value(x: Any) -> Any:
    return _json_float(x) if isinstance(x, float) else x


KINDS = (KIND, "schedule-witness", "pep-witness", "pep-refutation")


def tolerance(doc: dict[str, Any]) -> float:
    """The relative agreement a re-run of this witness document must reach.

    - ``"bound-witness"`` and ``"schedule-witness"``: :data:`RERUN_RTOL` = 1e-12.  Both are
      re-simulated with their recorded seeds and batch shapes, which reproduce bit for bit.
    - ``"pep-witness"``: ``PEP_SQRT_FACTOR * sqrt(eps)`` with eps the solver accuracy the
      witness records (``meta.solver.accuracy`` = max(primal residual, dual residual, relative
      duality gap) of the SDP it was reconstructed from; :data:`PEP_DEFAULT_ACCURACY` when it
      records none).  The run must reproduce the witness's attained ``value`` and, when the
      PEP is exact, its ``pep_value`` (else stay below it); see
      :class:`sambounds.pep.witness.Replay`.  The witness function interpolates points and
      gradients factored out of the solver's Gram matrix G: interpolation conditions violated
      by eps perturb an L-smooth interpolant's gradients by O(sqrt(L eps)), so the replayed
      measure agrees with the PEP value only to O(sqrt(eps)) in the worst case.  Over 360
      random witnesses (GD, USAM, SAM; three classes; T <= 6; measures f, dist, grad,
      min-grad) the error stayed below 0.13 sqrt(eps) (at most 7e-6 relative); the factor 10
      leaves room for the worst case and still rejects a value changed by 0.1% at eps <= 1e-9.
    """
    kind = doc.get("kind")
    if kind != "pep-witness":
        return RERUN_RTOL
    solver = (doc.get("meta") or {}).get("solver") or {}
    eps = solver.get("accuracy", PEP_DEFAULT_ACCURACY)
    if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not math.isfinite(eps) or eps < 0:
        raise InvalidParameterError("witness.meta.solver.accuracy", eps, "a finite number >= 0")
    return PEP_SQRT_FACTOR * math.sqrt(max(float(eps), 1e-300))


def rerun(source: str | Path | dict) -> Rerun:
    """Re-run a witness file (a path, JSON text or parsed dict) and compare with its stored numbers.

    Dispatches on ``"kind"``: ``"bound-witness"`` (re-simulate the probe, re-evaluate the
    bound), ``"schedule-witness"`` (:func:`sambounds.verify.witness.evaluate` on the stored
    function, start and schedule) or ``"pep-witness"`` (:func:`sambounds.pep.witness.replay`).
    ``matches`` uses the kind's :func:`tolerance`.
    """
    doc = read_json_object(source, "witness")
    kind = doc.get("kind")
    if kind == KIND:
        return _rerun_bound(doc)
    if kind == "schedule-witness":
        return _rerun_schedule(doc)
    if kind == "pep-witness":
        return _rerun_pep(doc)
    if kind == "pep-refutation":
        return _rerun_pep_refutation(doc)
    raise InvalidParameterError("witness.kind", kind, " or ".join(repr(k) for k in KINDS))


def _rel(got: float, expected: float) -> float:
    """Relative difference; two equal values (infinities included) differ by 0, inf vs finite by inf."""
    if got == expected:
        return 0.0
    if not (math.isfinite(got) and math.isfinite(expected)):
        return math.inf
    return abs(got - expected) / max(abs(expected), 1e-300)


def _rerun_pep(doc: dict[str, Any]) -> Rerun:
    from ..pep.witness import replay

    tol = tolerance(doc)
    r = replay(doc)
    target = (doc.get("meta") or {}).get("target")
    # the run must reproduce the attained value, and the PEP value: equal to it when the PEP is
    # exact, above it otherwise (both relative to the witness's scale, see pep.witness.Replay)
    rel = max(r.rel_error, r.pep_error)
    claim = "attained by the PEP" if r.exact else "below the PEP's upper value"
    return Rerun("pep-witness", {"value": r.value, "pep_value": r.pep_value}, {"value": r.replayed}, rel,
                 bool(rel <= tol),
                 f"PEP worst case {doc.get('measure', '')} of {doc.get('algorithm', '')}, T={len(r.run['x']) - 1}, "
                 f"re-simulated ({claim})", tol, target, None if target is None else bool(r.replayed > target))


def _rerun_pep_refutation(doc: dict[str, Any]) -> Rerun:
    """Re-solve and re-verify the PEP certificate; the refutation stands when the claim is still above it."""
    from ..setting import Setting
    from ..theory.user import bound_from_spec
    from .refute_pep import certified_bound, claim_inputs, refutes

    try:
        claim = bound_from_spec(doc["bound"])
        setting = Setting.from_dict(doc["setting"])
        measure, initial = doc["measure"], doc["initial"]
        inputs = claim_inputs(claim, v.mapping("witness.constants", doc["constants"], optional=False))
        expected = float(doc["expected"]["certified_float"])
    except KeyError as exc:
        raise InvalidParameterError(f"witness.{exc.args[0]}", None, "a field of a PEP refutation") from None
    bound = certified_bound(setting, measure, initial)
    target = claim.evaluate(**inputs)
    rel = _rel(float(bound), expected)
    # a re-solve may round its multipliers differently: compare at the certificate's own slack
    tol = 1e-5
    return Rerun("pep-refutation", {"certified": expected, "claim": float(doc["expected"]["claim"])},
                 {"certified": float(bound), "claim": float(target)}, rel, bool(rel <= tol),
                 f"PEP certificate for {measure} of {setting.algorithm.value} over {setting.function_class.value} f, "
                 f"T={setting.T}, re-solved and verified exactly: the claim must stay above it", tol, float(target),
                 refutes(float(target), bound))


def _rerun_schedule(doc: dict[str, Any]) -> Rerun:
    from ..verify.witness import evaluate, from_dict

    w = from_dict(doc)
    m = evaluate(w.setting, w.function, w.x0, w.quantity, samples=w.samples, seed=w.seed)
    expected, got = {"value": w.measured.value}, {"value": m.value}
    if w.measured.lcb is not None:
        expected["lcb"], got["lcb"] = w.measured.lcb, m.lcb
    rel = max(_rel(got[k], expected[k]) for k in expected)
    s = w.setting
    desc = (f"{s.algorithm.value} with {s.schedule.describe()}, T={s.T}, on {w.function.name} "
            f"from x0: {w.quantity.value} vs target {w.target:g}")
    return Rerun("schedule-witness", expected, got, rel, bool(rel <= RERUN_RTOL), desc, RERUN_RTOL, w.target,
                 bool(m.evidence > w.target))


def _rerun_bound(doc: dict[str, Any]) -> Rerun:
    from ..theory.user import bound_from_spec

    try:
        bound = bound_from_spec(doc["bound"])
        probe = Probe.from_dict(doc["probe"])
        i = tuple(int(j) for j in doc["index"])
        expected = {k: float(x) for k, x in doc["expected"].items()}
    except KeyError as exc:
        raise InvalidParameterError(f"witness.{exc.args[0]}", None, "a field of a bound witness") from None
    ev = evaluate(bound, probe.run())
    try:
        up = doc.get("check", "upper") == "upper"
        got = {k: float(x[i]) for k, x in (("measured", ev.measured), ("bound", ev.value),
                                            ("ratio", ev.ratio(upper=up)), ("lower", ev.lower),
                                            ("upper", ev.upper), ("tol", ev.tol))}
    except IndexError:
        raise InvalidParameterError("witness.index", list(i), f"an index into the batch {ev.measured.shape}") from None
    errs = [abs(got[k] - expected[k]) / max(abs(expected[k]), 1e-300)
            for k in ("measured", "bound") if np.isfinite(expected[k])]
    same_inf = all(np.isfinite(got[k]) == np.isfinite(expected[k]) for k in ("measured", "bound"))
    rel = max(errs, default=0.0)
    inst = doc.get("instance", {})
    desc = (f"{bound.name} ({doc.get('check', '?')}): {inst.get('family', probe.family.name)} "
            f"#{inst.get('function_index', i[0])}, {inst.get('schedule', '')}, T={probe.T}, rho={probe.rho:g}")
    return Rerun(KIND, expected, got, rel, bool(same_inf and rel <= RERUN_RTOL), desc)
