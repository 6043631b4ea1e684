"""A Probe: one batched simulation an attack runs, and a Bound evaluated on every run of it.

A probe is F functions of one family x S starting points x K step-size schedules, run by one
:func:`~sambounds.sim.api.simulate` call, plus the *class constants* of the batch.  Every
function's declared constants must fit them (declared beta <= beta, mu >= mu, L <= L,
sigma <= sigma; a probe that breaks this is refused when it runs), and each function is then
scored with its *own* declared constants: the bound, proved for every member of the class, must
hold on each run with the constants that run's function certifies, and a batch's extremes would
hide a violation on its gentler members.  The exception is a prescribed rule, whose steps were
computed from the class constants: there the class constants are the theorem's.

The bound's inputs per run (broadcast to the batch shape (F, S, K)):

- each function's declared beta, mu, L, sigma (shape (F, 1, 1)), and rho, T (scalars);
- eta (per schedule) when every schedule is constant, and the schedule functionals
  eta_max, sum_eta, sum_eta2, prod_mu, wsum_mu of :mod:`sambounds.theory.schedule_sums`;
- Delta = f(x_0) - f* and D = ||x_0 - x*|| of the run (exact: the tightest admissible values),
  except where the probe *fixes* a value (a prescribed step rule computed from a target Delta
  is evaluated with that target, which is >= the run's f(x_0) - f*);
- sum_lambda3 = sum_i lambda_i^3 for quadratics.

Stochastic probes hold ``replicas`` copies of each start (innermost on the S axis); the
oracle draws are independent across runs, so the copies are i.i.d. samples of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

from ..errors import InvalidParameterError
from ..setting import Algorithm, Constants, Setting
from ..sim.api import SimulationResult, simulate
from ..theory.bound import Bound
from ..theory.terms import StepKind
from ..theory.schedule_sums import schedule_sums
from .families import FamilySpec
from .measure import EXPECTATIONS, measured, ratio, tolerance
from .stats import ALPHA, MeanBounds, mean_bounds


def _frozen(a: Any) -> np.ndarray:
    arr = np.array(a, dtype=np.float64, copy=True)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Probe:
    """One batched run (see the module docstring).

    Attributes
    ----------
    algorithm : str
        ``"sam"``, ``"n-sam"``, ``"m-sam"``, ``"usam"`` or ``"gd"`` (``"gd"`` runs the rho = 0 column
        of a deterministic SAM bound).
    rho : float
    T : int
    family : FamilySpec
    x0 : ndarray (F, S, d)
    steps : ndarray (K, T)
    constants : mapping
        Class constants the bound is evaluated with: beta and optionally mu, L, sigma.
    fixed : mapping
        Bound inputs the attack fixed (e.g. ``{"Delta": 1.0}`` for a prescribed rule).
    schedule_labels, start_labels : tuple of str
        Human-readable names of the K schedules and of the S / replicas starts.
    seed : int
        Seed of the oracle draws (stochastic algorithms).
    replicas : int
        Copies of each start (S = len(start_labels) * replicas).
    optimizer : OptimizerSpec, optional
        An outside implementation (:mod:`sambounds.adapters`) run instead of the built-in rule of
        ``algorithm`` (which then only names the rule the bound is about); its ``"module:factory"``
        is stored, so a witness re-runs against the user's own factory.
    """

    algorithm: str
    rho: float
    T: int
    family: FamilySpec
    x0: np.ndarray
    steps: np.ndarray
    constants: Mapping[str, float]
    fixed: Mapping[str, float] = field(default_factory=dict)
    schedule_labels: tuple = ()
    start_labels: tuple = ()
    seed: int = 0
    replicas: int = 1
    optimizer: Any = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "x0", _frozen(self.x0))
        object.__setattr__(self, "steps", _frozen(self.steps))
        object.__setattr__(self, "constants", MappingProxyType({k: float(x) for k, x in self.constants.items()
                                                                if x is not None}))
        object.__setattr__(self, "fixed", MappingProxyType({k: float(x) for k, x in self.fixed.items()}))
        object.__setattr__(self, "algorithm", Algorithm.parse(self.algorithm).value)
        if self.x0.ndim != 3 or self.steps.ndim != 2 or self.steps.shape[1] != self.T:
            raise InvalidParameterError("probe", (self.x0.shape, self.steps.shape),
                                        "x0 of shape (F, S, d) and steps of shape (K, T)")
        if self.x0.shape[1] % self.replicas:
            raise InvalidParameterError("replicas", self.replicas, f"a divisor of S = {self.x0.shape[1]}")
        K, S0 = self.steps.shape[0], self.x0.shape[1] // self.replicas
        if not self.schedule_labels:
            object.__setattr__(self, "schedule_labels", tuple(f"schedule {k}" for k in range(K)))
        if not self.start_labels:
            object.__setattr__(self, "start_labels", tuple(f"start {s}" for s in range(S0)))
        if len(self.schedule_labels) != K or len(self.start_labels) != S0:
            raise InvalidParameterError("probe labels", (len(self.schedule_labels), len(self.start_labels)),
                                        f"{K} schedule labels and {S0} start labels")

    @property
    def stochastic(self) -> bool:
        return Algorithm.parse(self.algorithm).stochastic

    def setting(self) -> Setting:
        """The Setting handed to the simulator (its class does not matter to the simulator)."""
        algorithm = Algorithm.parse(self.algorithm)
        c = Constants(beta=self.constants["beta"], rho=None if algorithm is Algorithm.GD else self.rho,
                      sigma=self.constants.get("sigma", 0.0) if algorithm.stochastic else None)
        return Setting(algorithm, "nonconvex", c, self.T)

    def run(self) -> "ProbeRun":
        f, x_ref = self.family.build()
        declared = declared_constants(f, Algorithm.parse(self.algorithm), tuple(self.constants))
        within_class(declared, self.constants)
        if self.optimizer is not None:
            from ..adapters.run import simulate_optimizer

            result = simulate_optimizer(self.optimizer, self.setting(), f, self.x0, schedules=self.steps)
        else:
            result = simulate(self.setting(), f, self.x0, seed=self.seed, schedules=self.steps)
        return ProbeRun(self, result, f.f_star, f.x_star, _sum_lambda3(f), declared)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "algorithm": self.algorithm, "rho": self.rho, "T": self.T, "family": self.family.to_dict(),
            "x0": self.x0.tolist(), "steps": self.steps.tolist(), "constants": dict(self.constants),
            "fixed": dict(self.fixed), "schedule_labels": list(self.schedule_labels),
            "start_labels": list(self.start_labels), "seed": self.seed, "replicas": self.replicas,
        }
        if self.optimizer is not None:
            out["optimizer"] = self.optimizer.to_dict()
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Probe":
        try:
            return cls(d["algorithm"], float(d["rho"]), int(d["T"]), FamilySpec.from_dict(d["family"]),
                       np.asarray(d["x0"], dtype=float), np.asarray(d["steps"], dtype=float), d["constants"],
                       d.get("fixed", {}), tuple(d.get("schedule_labels", ())), tuple(d.get("start_labels", ())),
                       int(d.get("seed", 0)), int(d.get("replicas", 1)), _optimizer(d.get("optimizer")))
        except KeyError as exc:
            raise InvalidParameterError(f"probe.{exc.args[0]}", None, "a required field of a probe") from None


def _optimizer(data: Any):
    if data is None:
        return None
    from ..adapters.spec import OptimizerSpec

    return OptimizerSpec.from_dict(data)


def declared_constants(f, algorithm: Algorithm, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Each function's own declared constants, shape (F,), for the class constants in ``names``.

    beta is the smoothness the algorithm's analysis needs: for m-SAM, where every sampled
    component must be beta-smooth, the larger of f's and its components' constants.
    """
    out: dict[str, np.ndarray] = {}
    if "beta" in names:
        beta = np.asarray(f.beta, dtype=np.float64)
        comp = getattr(f, "component_beta", None)
        if algorithm is Algorithm.M_SAM and comp is not None:
            beta = np.maximum(beta, np.asarray(comp, dtype=np.float64).reshape(beta.shape[0], -1).max(axis=1))
        out["beta"] = beta
    for name in ("mu", "L", "sigma"):
        value = getattr(f, name, None)
        if name in names and value is not None:
            out[name] = np.asarray(value, dtype=np.float64)
    return out


#: Relative slack on "declared constant within the class constant" (the class constants are
#: the batch's extremes, which a family may recompute through a different rounding path).
_CLASS_RTOL = 1e-12


def within_class(declared: Mapping[str, np.ndarray], constants: Mapping[str, float]) -> None:
    """Refuse a probe whose functions are not in the class its bound is evaluated for."""
    for name, value in declared.items():
        c = constants[name]
        bad = value < c * (1 - _CLASS_RTOL) if name == "mu" else value > c * (1 + _CLASS_RTOL) + (
            0.0 if c else _CLASS_RTOL)
        if np.any(bad):
            i = int(np.flatnonzero(bad)[0])
            side = ">=" if name == "mu" else "<="
            raise InvalidParameterError(f"{name}[{i}] of the probe's functions", float(value[i]),
                                        f"{side} the class constant {name} = {c:g}",
                                        "the function is outside the class the bound is checked on")


def _sum_lambda3(f) -> np.ndarray | None:
    spectrum = getattr(f, "spectrum", None)
    return None if spectrum is None else np.sum(np.asarray(spectrum) ** 3, axis=-1)


@dataclass(frozen=True, eq=False)
class ProbeRun:
    """A probe's simulation result and the function data the evaluation needs."""

    probe: Probe
    result: SimulationResult
    f_star: np.ndarray | None
    x_star: np.ndarray | None
    sum_lambda3: np.ndarray | None
    declared: Mapping[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """A bound on every run of a probe; arrays have the reduced shape (F, S0, K).

    For deterministic probes S0 = S.  For stochastic probes the replicas are reduced:
    ``measured`` is the sample mean, ``lower``/``upper`` the one-sided confidence bounds
    (:mod:`.stats`).  Both checks compare ``lower`` with the bound: an upper bound is violated
    only when even the lower confidence bound exceeds it (significant), and a lower bound is
    witnessed only when the lower confidence bound reaches it.  For deterministic probes
    ``lower = upper = measured``.
    """

    measured: np.ndarray
    value: np.ndarray
    applicable: np.ndarray
    tol: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    diverged: np.ndarray
    failing: tuple
    abs_tol: np.ndarray
    stats: MeanBounds | None = None

    def ratio(self, which: str = "measured", *, upper: bool = True) -> np.ndarray:
        """``which`` / bound; for an upper bound after removing the absolute rounding slack first.

        Against an upper bound, a value within ABS_SLACK (1 + |f(x_0)| + |f*|) of 0 is rounding
        noise: it gives ratio 0 rather than a meaningless huge ratio against a bound that underflows
        (e.g. 1e-300).  Against a lower bound the plain ratio is reported (never inflated).
        """
        num = getattr(self, which)
        return ratio(np.maximum(num - self.abs_tol, 0.0) if upper else num, self.value)


def bound_inputs(bound: Bound, run: ProbeRun) -> dict[str, Any]:
    """The values :meth:`Bound.resolve` needs, per run (see the module docstring)."""
    p, res = run.probe, run.result
    values: dict[str, Any] = dict(p.constants)
    # Each function is scored with its own declared constants (a batch's extremes would hide a
    # violation on its gentler members), except under a prescribed rule: its steps were
    # computed from the class constants, and the theorem holds for the rule's own constants.
    own = bound.step.kind is not StepKind.PRESCRIBED
    if own:
        for name, value in run.declared.items():
            if name not in p.fixed:
                values[name] = value.reshape(-1, 1, 1)
    values.update(rho=p.rho, T=float(p.T))
    steps = p.steps
    if np.all(steps == steps[:, :1]):
        values["eta"] = steps[:, 0].reshape(1, 1, -1)
    mus = np.atleast_1d(values["mu"]).ravel() if values.get("mu") is not None else np.array([np.nan])
    table = [[schedule_sums(row, float(mu) if mu > 0 and float(mu * steps.max()) <= 1.0 else None)
              for row in steps] for mu in mus]
    for key in table[0][0]:
        if all(key in s for per_mu in table for s in per_mu):
            values[key] = np.array([[s[key] for s in per_mu] for per_mu in table]).reshape(len(mus), 1, -1)
    if run.f_star is not None:
        values["Delta"] = np.maximum(res.value_initial - np.asarray(run.f_star).reshape(-1, 1, 1), 0.0)
    if run.x_star is not None:
        diff = p.x0 - run.x_star[:, None, :]
        values["D"] = np.sqrt(np.sum(diff * diff, axis=-1))[..., None]
    if run.sum_lambda3 is not None:
        values["sum_lambda3"] = run.sum_lambda3.reshape(-1, 1, 1)
    values.update(p.fixed)
    return values


def evaluate(bound: Bound, run: ProbeRun) -> Evaluation:
    """Measured quantity, bound value, applicability and slack on every run of ``run``.

    Runs where a condition of the bound fails (e.g. the step condition) are marked not
    applicable and listed in ``failing`` (condition text, number of runs).

    Raises
    ------
    InvalidParameterError
        When the bound needs an input that this probe cannot supply (e.g. L for a family
        without a Lipschitz constant, eta for a non-constant schedule).
    """
    p, res = run.probe, run.result
    shape = res.shape
    env = bound.resolve(bound_inputs(bound, run))
    masks = bound.check(env)
    applicable = np.ones(shape, dtype=bool)
    failing = []
    for text, mask in masks:
        m = np.broadcast_to(np.asarray(mask, dtype=bool), shape)
        if not m.all():
            failing.append((text, int((~m).sum())))
        applicable &= m
    with np.errstate(all="ignore"):
        value = np.broadcast_to(bound.value(env), shape)
    finite = np.isfinite(value)
    applicable &= finite
    m = measured(bound, res, run.f_star)
    f_star = 0.0 if run.f_star is None else np.abs(np.asarray(run.f_star)).reshape(-1, 1, 1)
    scale = np.abs(np.where(res.diverged, 0.0, res.value_initial)) + f_star
    tol = tolerance(np.where(finite, value, 0.0), scale)
    abs_tol = tolerance(0.0, scale)
    diverged = res.diverged
    if bound.quantity in EXPECTATIONS and p.stochastic and p.replicas > 1:
        F, S, K = shape
        R = p.replicas

        def fold(a):
            return np.broadcast_to(a, shape).reshape(F, S // R, R, K)

        n_instances = max(1, int(fold(applicable)[:, :, 0, :].sum()))
        stats = mean_bounds(fold(m), axis=2, alpha=_alpha(n_instances))
        return Evaluation(stats.mean, fold(value)[:, :, 0], fold(applicable).all(axis=2), fold(tol).max(axis=2),
                          stats.lower, stats.upper, fold(diverged).any(axis=2), tuple(failing),
                          fold(abs_tol).max(axis=2), stats)
    return Evaluation(m, value, applicable, tol, m, m, diverged, tuple(failing), np.broadcast_to(abs_tol, shape))


def _alpha(n_instances: int) -> float:
    return ALPHA / n_instances
