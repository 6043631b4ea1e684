"""Refutation witnesses: a function on which the schedule misses the target, as re-runnable JSON.

Format (``"kind": "schedule-witness"``, version 1)::

    {
      "kind": "schedule-witness", "version": 1,
      "setting":  Setting.to_dict() with the schedule as an explicit array ("name": "array"),
      "function": {"family": "L-SC" | "L-NC" | "L-S" | "quadratic" | "kappa-adversarial" | "logcosh-ridge",
                   "params": {...}}          (a sambounds.adversary.families.FamilySpec of one function),
      "x0": [...],                           (one starting point, d numbers)
      "quantity": "gap" | "e-gap" | ...,  "target": number,
      "samples": n | null, "seed": int | null,   (n-SAM / m-SAM: n independent runs from x0, seeded)
      "measured": {"value": v | null, "lcb": number | null, "std": number | null, "diverged": int},
      "initial": {"gap": f(x0) - f*, "dist": ||x0 - x*||}
    }

``value`` is the quantity (deterministic) or its sample mean (stochastic; ``lcb`` is the
one-sided 99.9% lower confidence bound of :mod:`.attack`); null means +inf (the run diverged).
The recorded numbers are produced by :func:`evaluate`, the same code path a re-run takes, so a
re-run on the same platform reproduces them bit for bit.  Re-running is
:func:`sambounds.check.witness.rerun` (``sambounds rerun FILE``), which dispatches every witness
kind; it reads a document with :func:`from_dict` and replays it with :func:`evaluate`.  A
verification refuted by the PEP stores a ``"pep-witness"`` instead, with the target in its ``meta``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ..adversary.families import FamilySpec
from ..errors import InvalidParameterError
from ..schedules import FromArray
from ..setting import Setting
from ..sim.api import simulate
from ..theory.terms import Quantity
from ..adversary.empirical import CONFIDENCE, sample_stats
from .quantities import measure

KIND = "schedule-witness"
VERSION = 1


@dataclass(frozen=True)
class Measured:
    """The quantity on one witness run (or its sample statistics over ``samples`` seeded runs)."""

    value: float
    lcb: float | None
    std: float | None
    diverged: int

    @property
    def evidence(self) -> float:
        """What is compared with the target: the LCB for expectations, else the value."""
        return self.value if self.lcb is None else self.lcb


@dataclass(frozen=True)
class ScheduleWitness:
    """A function, a start and a schedule on which the quantity exceeds the target."""

    setting: Setting
    function: FamilySpec
    x0: np.ndarray
    quantity: Quantity
    target: float
    measured: Measured
    samples: int | None
    seed: int | None
    initial_gap: float | None
    initial_dist: float | None

    @property
    def misses_target(self) -> bool:
        return self.measured.evidence > self.target

    def to_dict(self) -> dict[str, Any]:
        m = self.measured
        function = {"family": self.function.name, "params": dict(self.function.params)}
        return {"kind": KIND, "version": VERSION, "setting": self.setting.to_dict(), "function": function,
                "x0": self.x0.tolist(), "quantity": self.quantity.value, "target": self.target,
                "samples": self.samples, "seed": self.seed,
                "measured": {"value": m.value if math.isfinite(m.value) else None,
                             "lcb": None if m.lcb is None or not math.isfinite(m.lcb) else m.lcb,
                             "std": None if m.std is None or not math.isfinite(m.std) else m.std,
                             "diverged": m.diverged, "confidence": CONFIDENCE if m.lcb is not None else None},
                "initial": {"gap": self.initial_gap, "dist": self.initial_dist},
                "rerun": "sambounds rerun FILE"}

    def to_json(self, path: str | Path | None = None) -> str:
        text = json.dumps(self.to_dict(), indent=1, allow_nan=False)
        if path is not None:
            Path(path).write_text(text)
        return text


def function_spec(function: FamilySpec | Mapping[str, Any]) -> FamilySpec:
    """The witness's function: a FamilySpec, or its document form ``{"family": name, "params": {...}}``."""
    if isinstance(function, FamilySpec):
        return function
    if not (isinstance(function, Mapping) and isinstance(function.get("params"), Mapping)):
        raise InvalidParameterError("function", function, "{'family': a FamilySpec name, 'params': {...}}")
    return FamilySpec(function.get("family"), function["params"])


def evaluate(setting: Setting, function: FamilySpec | Mapping[str, Any], x0: np.ndarray, quantity: Quantity, *,
             samples: int | None = None, seed: int | None = None) -> Measured:
    """Run the witness: one deterministic run, or ``samples`` seeded runs from x0 for n-SAM / m-SAM."""
    f = function_spec(function).build()[0]
    if setting.algorithm.stochastic:
        res = simulate(setting, f, np.repeat(x0[None, :], samples, axis=0), seed=seed)
        mean, std, lcb = sample_stats(measure(res, quantity)[0, :, 0], axis=0)
        return Measured(float(mean), float(lcb), float(std), int(np.asarray(res.diverged).sum()))
    res = simulate(setting, f, x0)
    return Measured(float(measure(res, quantity)[0, 0, 0]), None, None, int(np.asarray(res.diverged).sum()))


def make(setting: Setting, function: FamilySpec | Mapping[str, Any], x0: np.ndarray, quantity: Quantity,
         target: float, *, samples: int | None = None, seed: int | None = None) -> ScheduleWitness:
    """Build and run a witness (its recorded numbers come from :func:`evaluate`)."""
    explicit = setting.replace(schedule=FromArray(np.array(setting.steps)))
    x0 = np.array(x0, dtype=float).reshape(-1)
    function = function_spec(function)
    measured = evaluate(explicit, function, x0, quantity, samples=samples, seed=seed)
    f = function.build()[0]
    gap = float(f.value(x0[None, None, :])[0, 0] - f.f_star[0]) if f.f_star is not None else None
    dist = float(np.linalg.norm(x0 - f.x_star[0])) if f.x_star is not None else None
    return ScheduleWitness(explicit, function, x0, quantity, float(target), measured, samples, seed, gap, dist)


def from_dict(doc: Mapping[str, Any]) -> ScheduleWitness:
    """The witness a ``"schedule-witness"`` document describes (the inverse of ``to_dict``)."""
    if not isinstance(doc, Mapping) or doc.get("kind") != KIND:
        raise InvalidParameterError("witness.kind", doc.get("kind") if isinstance(doc, Mapping) else doc, f"'{KIND}'")
    try:
        m, initial = doc["measured"], doc.get("initial") or {}
        measured = Measured(_number(m["value"]), _number(m.get("lcb"), None), _number(m.get("std"), None),
                            int(m.get("diverged", 0)))
        return ScheduleWitness(Setting.from_dict(doc["setting"]), function_spec(doc["function"]),
                               np.array(doc["x0"], dtype=float).reshape(-1), Quantity.parse(doc["quantity"]),
                               float(doc["target"]), measured, doc.get("samples"), doc.get("seed"),
                               initial.get("gap"), initial.get("dist"))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidParameterError("witness", "document", f"a complete {KIND} document", repr(exc)) from None


def _number(x: Any, null: float | None = math.inf) -> float | None:
    """A recorded number; JSON null stands for ``null`` (+inf for a diverged value)."""
    return null if x is None else float(x)
