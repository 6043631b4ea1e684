"""Refutation witnesses: a function on which the schedule misses the target, as re-runnable JSON.

Format (``"kind": "schedule-witness"``, version 1)::

    {
      "kind": "schedule-witness", "version": 1,
      "setting":  Setting.to_dict() with the schedule as an explicit array ("name": "array"),
      "function": {"family": "L-SC" | "L-NC" | "L-S" | "quadratic" | "kappa-adversarial" | "logcosh-ridge",
                   "params": {...}}          (explicit numbers; see verify.families.build),
      "x0": [...],                           (one starting point, d numbers)
      "quantity": "gap" | "e-gap" | ...,  "target": number,
      "samples": n | null, "seed": int | null,   (n-SAM / m-SAM: n independent runs from x0, seeded)
      "measured": {"value": v | null, "lcb": number | null, "std": number | null, "diverged": int},
      "initial": {"gap": f(x0) - f*, "dist": ||x0 - x*||}
    }

``value`` is the quantity (deterministic) or its sample mean (stochastic; ``lcb`` is the
one-sided 99.9% lower confidence bound of :mod:`.attack`); null means +inf (the run diverged).
The recorded numbers are produced by :func:`evaluate`, the same code path :func:`rerun` takes,
so a re-run on the same platform reproduces them bit for bit.

:func:`rerun` also replays the PEP's witnesses (``"kind": "pep-witness"``, see
:mod:`sambounds.pep.witness`); a verification stores the target in their ``meta``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InvalidParameterError
from ..schedules import FromArray
from ..setting import Setting
from ..sim.api import simulate
from ..theory.terms import Quantity
from .attack import CONFIDENCE, sample_stats
from .families import build
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
    function: dict
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
        return {"kind": KIND, "version": VERSION, "setting": self.setting.to_dict(), "function": self.function,
                "x0": self.x0.tolist(), "quantity": self.quantity.value, "target": self.target,
                "samples": self.samples, "seed": self.seed,
                "measured": {"value": m.value if math.isfinite(m.value) else None,
                             "lcb": None if m.lcb is None or not math.isfinite(m.lcb) else m.lcb,
                             "std": None if m.std is None or not math.isfinite(m.std) else m.std,
                             "diverged": m.diverged, "confidence": CONFIDENCE if m.lcb is not None else None},
                "initial": {"gap": self.initial_gap, "dist": self.initial_dist},
                "rerun": "sambounds.verify.rerun(path)"}

    def to_json(self, path: str | Path | None = None) -> str:
        text = json.dumps(self.to_dict(), indent=1, allow_nan=False)
        if path is not None:
            Path(path).write_text(text)
        return text


@dataclass(frozen=True)
class Rerun:
    """A re-run witness: what was recorded, what the re-run gives, and whether it still misses the target."""

    kind: str
    recorded: float | None
    replayed: float
    rel_error: float
    target: float | None
    misses_target: bool | None
    lcb: float | None = None

    def to_dict(self) -> dict[str, Any]:
        def j(x):
            return x if x is None or math.isfinite(x) else None
        return {"kind": self.kind, "recorded": j(self.recorded), "replayed": j(self.replayed),
                "rel_error": self.rel_error, "target": self.target, "misses_target": self.misses_target,
                "lcb": j(self.lcb)}


def evaluate(setting: Setting, function: dict, x0: np.ndarray, quantity: Quantity, *,
             samples: int | None = None, seed: int | None = None) -> Measured:
    """Run the witness: one deterministic run, or ``samples`` seeded runs from x0 for n-SAM / m-SAM."""
    f = build(function)
    if setting.algorithm.stochastic:
        res = simulate(setting, f, np.repeat(x0[None, :], samples, axis=0), seed=seed)
        mean, std, lcb = sample_stats(measure(res, quantity)[0, :, 0], axis=0)
        return Measured(float(mean), float(lcb), float(std), int(np.asarray(res.diverged).sum()))
    res = simulate(setting, f, x0)
    return Measured(float(measure(res, quantity)[0, 0, 0]), None, None, int(np.asarray(res.diverged).sum()))


def make(setting: Setting, function: dict, x0: np.ndarray, quantity: Quantity, target: float, *,
         samples: int | None = None, seed: int | None = None) -> ScheduleWitness:
    """Build and run a witness (its recorded numbers come from :func:`evaluate`)."""
    explicit = setting.replace(schedule=FromArray(np.array(setting.steps)))
    x0 = np.array(x0, dtype=float).reshape(-1)
    measured = evaluate(explicit, function, x0, quantity, samples=samples, seed=seed)
    f = build(function)
    gap = float(f.value(x0[None, None, :])[0, 0] - f.f_star[0]) if f.f_star is not None else None
    dist = float(np.linalg.norm(x0 - f.x_star[0])) if f.x_star is not None else None
    return ScheduleWitness(explicit, function, x0, quantity, float(target), measured, samples, seed, gap, dist)


def load(source: str | Path | dict) -> dict:
    """A witness document from a path, JSON text or an already parsed dict (not validated beyond JSON)."""
    if isinstance(source, dict):
        return source
    text = str(source)
    if not text.lstrip().startswith("{"):
        try:
            text = Path(text).read_text()
        except OSError as exc:
            raise InvalidParameterError("witness", text, "a readable JSON file", str(exc)) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidParameterError("witness", text[:60], "a JSON document", str(exc)) from None
    if not isinstance(doc, dict):
        raise InvalidParameterError("witness", type(doc).__name__, "a JSON object")
    return doc


def rerun(source: str | Path | dict) -> Rerun:
    """Re-run a witness file and compare with what it recorded.

    ``"schedule-witness"`` documents are re-simulated by :func:`evaluate`; ``"pep-witness"``
    documents are replayed by :func:`sambounds.pep.witness.replay` (their target, if any, is read
    from ``meta.target``).
    """
    doc = load(source)
    kind = doc.get("kind")
    if kind == "pep-witness":
        from ..pep.witness import replay

        rp = replay(doc)
        target = (doc.get("meta") or {}).get("target")
        return Rerun(kind, rp.value, rp.replayed, rp.rel_error, target,
                     None if target is None else bool(rp.replayed > target))
    if kind != KIND:
        raise InvalidParameterError("witness.kind", kind, f"'{KIND}' or 'pep-witness'")
    try:
        setting = Setting.from_dict(doc["setting"])
        quantity = Quantity.parse(doc["quantity"])
        x0 = np.array(doc["x0"], dtype=float)
        target = float(doc["target"])
        recorded = doc["measured"]["value"]
        samples, seed = doc.get("samples"), doc.get("seed")
        function = doc["function"]
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidParameterError("witness", "document", f"a complete {KIND} document", repr(exc)) from None
    m = evaluate(setting, function, x0, quantity, samples=samples, seed=seed)
    recorded = math.inf if recorded is None else float(recorded)
    if recorded == m.value:
        rel = 0.0
    else:
        rel = abs(m.value - recorded) / max(abs(recorded), 1e-300) if math.isfinite(recorded) else math.inf
    return Rerun(kind, recorded, m.value, rel, target, bool(m.evidence > target), m.lcb)
