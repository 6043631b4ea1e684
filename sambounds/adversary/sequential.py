"""Sequential replicas: grow the sample of a stochastic candidate until it decides against the bound.

For one candidate run (F = 1 function, one start, K schedules) of an expectation bound, stage j
re-runs it with R_j = R_0 4^j i.i.d. replicas (a fresh oracle stream per stage) up to the cap, and
forms the one-sided Student-t bounds (:mod:`sambounds.check.stats`) at level alpha/(K J) per
(schedule, stage) -- Bonferroni over the K instances and the J stages that may be looked at, so
the whole procedure is wrong with probability at most alpha:

- ``violated`` as soon as the lower confidence bound exceeds bound + tol;
- ``holds`` as soon as the upper confidence bound is below bound - tol (separated) with at least
  HOLD_MIN replicas (the t-interval needs the rare noise components sampled: heavy-tailed
  candidates such as L-S with small p otherwise look separated on too few hits), or at the cap
  without a suggestive excess (not separated: the numbers say so);
- ``inconclusive`` at the cap when the bound is exceeded at the suggestive level SUGGESTIVE = 0.01
  (one-sided, one instance) but not at the family-wise level: more replicas are needed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..check.measure import measured
from ..check.probe import Probe, evaluate
from ..check.stats import ALPHA, mean_bounds
from ..errors import InvalidParameterError
from ..theory.bound import Bound

#: one-sided level at which an excess at the cap is called suggestive (inconclusive), not ignored
SUGGESTIVE = 0.01
#: fewest replicas from which "holds" may stop early: a noise component of probability ~1 % (L-S with
#: small p) is then sampled ~5 times, so a t-interval on a mean it dominates is not trusted on 0 or 1 hits
HOLD_MIN = 512


@dataclass(frozen=True)
class Decision:
    """The outcome of :func:`decide`: verdict, the deciding stage's numbers and probe."""

    verdict: str
    replicas: int
    stages: int
    mean: float
    lower: float
    upper: float
    value: float
    tol: float
    probe: Probe
    index: tuple
    separated: bool

    def describe(self) -> str:
        how = "separated" if self.separated else "at the cap, not separated"
        return (f"sequential replicas: {self.verdict} ({how}) after {self.stages} stages, R = {self.replicas}: "
                f"mean {self.mean:.6g}, confidence [{self.lower:.6g}, {self.upper:.6g}] vs bound {self.value:.6g}")

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("verdict", "replicas", "stages", "mean", "lower", "upper", "value",
                                               "tol", "separated")}


def stages(start: int, cap: int) -> tuple[int, ...]:
    """R_0, 4 R_0, ... up to the cap (the cap itself is the last stage)."""
    if start < 2 or cap < start:
        raise InvalidParameterError("replicas", cap, f"an integer >= {max(start, 2)}")
    out = [start]
    while out[-1] * 4 < cap:
        out.append(out[-1] * 4)
    if out[-1] != cap:
        out.append(cap)
    return tuple(out)


def decide(bound: Bound, probe: Probe, *, cap: int, start: int = 32, alpha: float = ALPHA) -> Decision:
    """Run ``probe``'s (single) start with growing replicas until it decides (module docstring)."""
    if probe.x0.shape[0] != 1 or probe.x0.shape[1] != probe.replicas:
        raise InvalidParameterError("probe", probe.x0.shape, "one function and one start (times its replicas)")
    plan = stages(min(start, cap), cap)
    K = probe.steps.shape[0]
    level = alpha / (K * len(plan))
    last = None
    for j, R in enumerate(plan):
        p = replace(probe, x0=np.repeat(probe.x0[:, :1], R, axis=1), replicas=R, seed=probe.seed + 1000003 * (j + 1))
        run = p.run()
        ev = evaluate(bound, run)
        m = np.broadcast_to(measured(bound, run.result, run.f_star), run.result.shape)
        st = mean_bounds(m.reshape(1, 1, R, K), axis=2, alpha=level)
        app = ev.applicable[0, 0]
        if not app.any():
            raise InvalidParameterError("probe", "no applicable schedule", "a candidate within the bound's conditions")
        value, tol = ev.value[0, 0], ev.tol[0, 0]
        excess = np.where(app, st.lower[0, 0] - value - tol, -np.inf)
        k = int(np.argmax(np.where(app, st.mean[0, 0] / np.where(value > 0, value, np.inf), -np.inf)))
        if excess.max() > 0:
            k = int(np.argmax(excess))
            return _decision("violated", p, k, st, value, tol, j + 1, True)
        last = (p, k, st, value, tol, m.reshape(1, 1, R, K))
        if R >= min(HOLD_MIN, cap) and bool(np.all(~app | (st.upper[0, 0] < value - tol))):
            return _decision("holds", p, k, st, value, tol, j + 1, True)
    p, k, st, value, tol, samples = last
    weak = mean_bounds(samples, axis=2, alpha=SUGGESTIVE).lower[0, 0, k]
    verdict = "inconclusive" if weak > value[k] + tol[k] else "holds"
    return _decision(verdict, p, k, st, value, tol, len(plan), False)


def _decision(verdict, p, k, st, value, tol, n_stages, separated) -> Decision:
    return Decision(verdict, p.replicas, n_stages, float(st.mean[0, 0, k]), float(st.lower[0, 0, k]),
                    float(st.upper[0, 0, k]), float(value[k]), float(tol[k]), p, (0, 0, k), separated)
