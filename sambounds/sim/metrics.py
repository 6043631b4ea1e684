"""Streamed per-run metrics with bounded memory (O(runs), independent of T).

Time indexing (the quantities the catalog bounds): a run takes T steps from x_0 and produces
x_1..x_T.  For a per-point quantity q_t = q(x_t):

- ``initial`` = q_0, ``final`` = q_T,
- ``min``  = min over t = 0..T-1 of q_t,
- ``mean`` = (1/T) sum over t = 0..T-1 of q_t,

so ``grad_sq.min`` / ``grad_sq.mean`` are exactly min_t / (1/T) sum_t ||grad f(x_t)||^2 of the
nonconvex and convex rows, and ``gap.final`` is f(x_T) - f* of the strongly convex rows.  The
schedule-generic quantity sum_{t<T} eta_t ||grad f(x_t)||^2 is kept separately.

Diverged runs (see :mod:`.kernel`): a run flagged at step t0 contributes q_0..q_{t0-1} only.
Its ``min`` is the minimum over that finite prefix (the true minimum, since the iterates that
follow are unbounded); ``final``, ``mean`` and the eta-weighted sum are +inf, never NaN, so that
a comparison with any finite bound reports the divergence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class RunMetric:
    """One quantity q(x_t) summarised per run; every field has the batch shape (F, S, K)."""

    initial: np.ndarray
    final: np.ndarray
    min: np.ndarray
    mean: np.ndarray

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k).tolist() for k in ("initial", "final", "min", "mean")}


class Accumulator:
    """Running min, running sum, first and last value of one quantity, for alive runs only.

    Internal to one :func:`~sambounds.sim.kernel.run` call (its state is local to that call).
    """

    def __init__(self, xp: Any, like: Any, T: int) -> None:
        self.xp, self.T = xp, T
        self.inf = xp.zeros_like(like) + float("inf")
        self.initial = self.inf
        self.final = self.inf
        self.min = xp.zeros_like(like) + float("inf")    # its own array: updated in place
        self.sum = xp.zeros_like(like)

    def step(self, t: int, q: Any, alive: Any) -> None:
        """Add q_t (t < T) for the runs that are alive at t; ``alive`` None means every run.

        The kernel hands a new q_t at every step (it writes none of them later), so q_0 is kept as is.
        """
        xp = self.xp
        if t == 0:
            self.initial = q if alive is None else xp.where(alive, q, self.inf)
        if alive is None:
            xp.minimum(self.min, q, out=self.min)
            xp.add(self.sum, q, out=self.sum)
        else:
            self.min = xp.where(alive, xp.minimum(self.min, q), self.min)
            self.sum = xp.where(alive, self.sum + q, self.sum)

    def finish(self, q_T: Any, alive: Any) -> None:
        xp = self.xp
        self.final = xp.where(alive, q_T, self.inf)
        self.sum = xp.where(alive, self.sum, self.inf)

    def result(self, to_numpy) -> RunMetric:
        return RunMetric(*(_frozen(to_numpy(a)) for a in (self.initial, self.final, self.min,
                                                          self.sum / self.T)))


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64, copy=True)
    a.setflags(write=False)
    return a
