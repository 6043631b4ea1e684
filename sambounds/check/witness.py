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

:func:`rerun` rebuilds the probe, runs the simulator again with the same seed and batch
shapes (the simulator is bit-for-bit reproducible for a given seed and shape), evaluates the
bound and compares.  PEP witnesses (``"kind": "pep-witness"``, :mod:`sambounds.pep.witness`)
are dispatched to their own replay.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InvalidParameterError
from ..theory.bound import Bound
from .probe import Probe, evaluate

KIND = "bound-witness"
#: Relative agreement a re-run must reach (runs are deterministic: the observed error is 0).
RERUN_RTOL = 1e-12


def _json_float(x: float) -> float | str:
    """Finite floats as numbers; inf / nan as the strings "inf" / "nan" (strict JSON, float() reads them)."""
    x = float(x)
    return x if np.isfinite(x) else str(x)


def instance(probe: Probe, index: tuple, measured: float, value: float) -> dict[str, Any]:
    """The run at ``index`` = (f, s0, k) of a probe, spelled out (JSON-ready)."""
    f, s0, k = index
    steps = probe.steps[k]
    constant = bool(np.all(steps == steps[0]))
    return {
        "family": probe.family.name, "function_index": f, "family_params": dict(probe.family.params),
        "algorithm": probe.algorithm, "rho": probe.rho, "T": probe.T, "constants": dict(probe.constants),
        "fixed": dict(probe.fixed), "x0": probe.x0[f, s0 * probe.replicas].tolist(),
        "start": probe.start_labels[s0], "schedule": probe.schedule_labels[k],
        "eta": float(steps[0]) if constant else None,
        "eta_range": [float(steps.min()), float(steps.max())], "seed": probe.seed, "replicas": probe.replicas,
        "measured": _json_float(measured), "bound": _json_float(value),
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
    """Outcome of :func:`rerun`: expected and re-computed numbers, and whether they agree."""

    kind: str
    expected: dict
    got: dict
    rel_error: float
    matches: bool
    description: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _load(source: str | Path | dict) -> dict[str, Any]:
    if isinstance(source, dict):
        return source
    try:
        text = Path(source).read_text()
    except OSError as exc:
        raise InvalidParameterError("witness", str(source), "a readable JSON witness file", str(exc)) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidParameterError("witness", str(source), "a JSON document", str(exc)) from None
    if not isinstance(doc, dict):
        raise InvalidParameterError("witness", str(source), "a JSON object with a 'kind' field")
    return doc


def rerun(source: str | Path | dict) -> Rerun:
    """Re-run a witness file (or parsed dict) and compare with its stored numbers.

    Dispatches on ``"kind"``: ``"bound-witness"`` (this module) or ``"pep-witness"``
    (:func:`sambounds.pep.witness.replay`, agreement to the solver's tolerance 1e-6).
    """
    doc = _load(source)
    kind = doc.get("kind")
    if kind == KIND:
        return _rerun_bound(doc)
    if kind == "pep-witness":
        from ..pep.witness import replay

        r = replay(doc)
        return Rerun("pep-witness", {"value": r.value}, {"value": r.replayed}, float(r.rel_error),
                     bool(r.rel_error <= 1e-6), f"PEP worst case {doc.get('measure', '')} re-simulated")
    raise InvalidParameterError("witness.kind", kind, f"'{KIND}' or 'pep-witness'")


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
