"""The candidate space of an upper bound: a point u of [0, 1]^k -> one probe within the bound's assumptions.

For a bound, an algorithm A of the bound and a :class:`~.parametric.Parametric` family P, the
coordinates are (in this order)

- the constants within the bound's conditions: beta in [0.25, 4] (log), kappa = beta/mu in
  [1, 10^4] (log; strongly convex class), beta rho in [10^-3, 1] (log; rho > 0 for SAM-type
  algorithms, so a refutation never rests on rho = 0; an outside optimizer's own rho instead,
  fixed), sigma / (beta rho) in [10^-2, 10^2]
  (log; stochastic families whose noise is free);
- the step: a constant eta = c 10^(-2 (1 - u)) with c the bound's step limit (or 2/beta when it
  has none; snapped to c at the top, see :func:`~.parametric.log_scale`); a prescribed rule is
  the rule itself, evaluated for the candidate's own constants (and its exact initial gap
  Delta when the rule reads Delta);
- the horizon T in [T_lo, T_hi] (log; limit quantities run at the budget's long horizon);
- the start distance r from the reference minimizer, on a log scale around the family's
  length scale (rho for the constructions sized by rho, 1/sqrt(beta) otherwise);
- P's shape coordinates.

The probe of a point has one function (F = 1), one start (times the replicas for stochastic
algorithms) and one schedule, and it is evaluated with the *declared* constants of that
function (:func:`~.menu.class_constants`), so a violation is a counterexample of the class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..check.measure import LIMITS
from ..check.probe import Probe
from ..errors import InvalidParameterError
from ..setting import Algorithm, FunctionClass
from ..theory.bound import Bound
from ..theory.terms import StepKind
from .menu import class_constants, prescribed_schedule, rule_needs_delta, step_limit
from .parametric import Constants, Parametric, log_scale


@dataclass(frozen=True)
class Horizons:
    """Horizon range of the search (T_lo, T_hi) and the long horizon of limit quantities."""

    low: int = 10
    high: int = 1000
    limit: int = 2000


@dataclass(frozen=True)
class Space:
    """The coordinates of one (bound, algorithm, family) search and the decoder u -> (probe, where)."""

    bound: Bound
    algorithm: Algorithm
    family: Parametric
    horizons: Horizons
    replicas: int
    seed: int
    #: an outside optimizer's own radius: rho is then no coordinate (the optimizer fixes it)
    rho: float | None = None
    #: an :class:`~sambounds.adapters.spec.OptimizerSpec` run on every candidate instead of the built-in rule
    optimizer: Any = None

    @property
    def name(self) -> str:
        return f"{self.algorithm.value}/{self.family.name}"

    @property
    def coordinates(self) -> tuple[str, ...]:
        out = ["beta"]
        if self.bound.function_class is FunctionClass.STRONGLY_CONVEX:
            out.append("kappa")
        if self.algorithm is not Algorithm.GD and self.rho is None:
            out.append("rho")
        if self.algorithm.stochastic and self.family.name == "quadratic-sum":
            out.append("sigma")
        if self.bound.step.kind is not StepKind.PRESCRIBED:
            out.append("eta")
        if self.bound.quantity not in LIMITS:
            out.append("T")
        out.append("start")
        return tuple(out) + tuple(self.family.coordinates)

    @property
    def dim(self) -> int:
        return len(self.coordinates)

    def decode(self, u: np.ndarray, index: int = 0) -> tuple[Probe, dict] | None:
        """The probe of point u and where it is (family, parameters, constants); None if not buildable.

        ``index`` salts the oracle seed, so distinct candidates draw independent noise.
        """
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        named = dict(zip(self.coordinates, u))
        beta = log_scale(named["beta"], 0.25, 4.0)
        mu = beta / log_scale(named["kappa"], 1.0, 1e4) if "kappa" in named else None
        rho = (log_scale(named["rho"], 1e-3, 1.0) / beta if "rho" in named
               else 0.0 if self.algorithm is Algorithm.GD or self.rho is None else self.rho)
        sigma = beta * rho * log_scale(named["sigma"], 1e-2, 1e2) if "sigma" in named else None
        T = (self.horizons.limit if "T" not in named
             else int(round(log_scale(named["T"], self.horizons.low, self.horizons.high))))
        scale = rho if self.family.scale == "rho" else 1.0 / math.sqrt(beta)
        r = scale * log_scale(named["start"], 1e-2, 1e2)
        shape = u[len(self.coordinates) - len(self.family.coordinates):]
        try:
            built = self.family.build(shape, Constants(beta, mu, rho, sigma), r)
            f, x_ref = built.spec.build()
        except InvalidParameterError:
            return None
        consts = class_constants(f, self.algorithm, self.bound.function_class)
        x0 = (x_ref[0] + built.x0)[None, None, :]
        R = self.replicas if self.algorithm.stochastic else 1
        x0 = np.repeat(x0, R, axis=1)
        steps, label, fixed = self._steps(named, consts, rho, T, f, x0[0, :1])
        if steps is None:
            return None
        probe = Probe(self.algorithm.value, rho, T, built.spec, x0, steps[None, :], consts, fixed,
                      schedule_labels=(label,), start_labels=(f"||x_0 - x_ref|| = {r:.4g}",),
                      seed=self.seed + 7919 * index, replicas=R, optimizer=self.optimizer)
        where = {"family": self.family.name, "algorithm": self.algorithm.value, "params": built.params,
                 "constants": consts, "rho": rho, "T": T, "schedule": label, "start_distance": r,
                 "u": [float(x) for x in u]}
        return probe, where

    def _steps(self, named, consts, rho, T, f, x0):
        kind = self.bound.step.kind
        if kind is StepKind.PRESCRIBED:
            delta = None
            if rule_needs_delta(self.bound, consts, rho, T):
                delta = float(np.asarray(f.value(x0[None]))[0, 0] - float(np.asarray(f.f_star).reshape(-1)[0]))
                if not delta > 0:
                    return None, "", {}
            try:
                steps = prescribed_schedule(self.bound, consts, rho, T, delta)
            except InvalidParameterError:
                return None, "", {}
            return (np.asarray(steps, dtype=float), self.bound.step.rule.name,
                    {} if delta is None else {"Delta": delta})
        lim = step_limit(self.bound, consts)
        top = lim if lim is not None else 2.0 / consts["beta"] * (1 - 1e-9)
        eta = log_scale(named["eta"], top * 1e-2, top)
        return np.full(T, eta), f"eta = {eta:.6g}", {}
