"""The empirical worst case: the simulator on the class's adversarial families with this schedule.

Every family of :mod:`.families` is run with the Setting's schedule and, side by side in the
same array program, with the catalog's prescribed schedule for the same budget (K = 2
schedules).  Deterministic algorithms: the worst value is the largest measured quantity over
functions and starts.  n-SAM / m-SAM: each start is repeated n times with independent
minibatch draws; per (function, start) the sample mean and a one-sided lower confidence bound

    LCB = mean - z_{0.999} s / sqrt(n)       (normal approximation of the sample mean, level 99.9%)

are formed, never the raw mean alone.  The worst (function, start) by mean is then re-run
alone on a fresh stream (:mod:`.witness`), so the selection does not bias the confirmed value.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

from ..setting import Setting
from ..sim.api import simulate
from ..theory.terms import Quantity
from .schedule_families import Candidate

#: one-sided confidence level of the stochastic lower confidence bounds
CONFIDENCE = 0.999
Z = NormalDist().inv_cdf(CONFIDENCE)


@dataclass(frozen=True)
class FamilyResult:
    """Worst values found on one family (per schedule: this one, and the prescribed one if run)."""

    family: str
    n_functions: int
    n_starts: int
    samples: int
    worst: float
    worst_lcb: float | None
    diverged: int
    prescribed_worst: float | None
    argmax: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        return {"family": self.family, "n_functions": self.n_functions, "n_starts": self.n_starts,
                "samples": self.samples, "worst": _json(self.worst), "worst_lcb": _json(self.worst_lcb),
                "diverged": self.diverged, "prescribed_worst": _json(self.prescribed_worst),
                "argmax": {"function": self.argmax[0], "start": self.argmax[1]}}


def sample_stats(values: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, sample standard deviation, lower confidence bound) along ``axis``; inf samples give inf."""
    n = values.shape[axis]
    with np.errstate(invalid="ignore"):
        mean = values.mean(axis=axis)
        std = values.std(axis=axis, ddof=1) if n > 1 else np.zeros_like(mean)
        lcb = mean - Z * std / np.sqrt(n)
    finite = np.isfinite(mean)
    return mean, np.where(finite, std, np.inf), np.where(finite, lcb, mean)


def run_family(setting: Setting, cand: Candidate, quantity: Quantity, schedules: np.ndarray, *, samples: int,
               seed: int) -> FamilyResult:
    """Simulate one family with every schedule row and summarise its worst values."""
    from ..verify.quantities import measure  # verify's package imports this module

    starts = cand.starts
    if setting.algorithm.stochastic:
        starts = np.repeat(starts, samples, axis=1)
    res = simulate(setting, cand.objective, starts, seed=seed, schedules=schedules)
    q = measure(res, quantity)                                      # (F, S * n, K)
    F, S = cand.starts.shape[:2]
    diverged = int(np.asarray(res.diverged)[..., 0].sum())
    if setting.algorithm.stochastic:
        mean, _, lcb = sample_stats(q.reshape(F, S, samples, -1), axis=2)
        i, s = np.unravel_index(int(np.argmax(mean[..., 0])), (F, S))
        worst, worst_lcb = float(mean[i, s, 0]), float(lcb[i, s, 0])
        pres = float(mean[..., 1].max()) if q.shape[-1] > 1 else None
    else:
        i, s = np.unravel_index(int(np.argmax(q[..., 0])), (F, S))
        worst, worst_lcb = float(q[i, s, 0]), None
        pres = float(q[..., 1].max()) if q.shape[-1] > 1 else None
    return FamilyResult(cand.family, F, S, samples if setting.algorithm.stochastic else 1, worst, worst_lcb,
                        diverged, pres, (int(i), int(s)))


def _json(x: float | None) -> float | str | None:
    if x is None or np.isfinite(x):
        return x
    return "inf" if x > 0 else "-inf"
