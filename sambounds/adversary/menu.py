"""Adversarial instances for an upper bound: families of its class, starts, schedules, constants.

For a bound proved for class C and algorithm A, an attack runs A on

- **functions of C, adversarial first** (:func:`families`): the lower-bound constructions
  (L-SC: curvature beta near the optimum and mu far away; L-NC: an attracting non-stationary
  point), 1-D quadratics at the extreme curvatures beta and mu (the 2-cycle), rotated
  ill-conditioned quadratics (rotation avoids subnormal freezing, docs/theory.md s.7), the
  kappa-adversarial logcosh ridge of docs/theory.md s.6, random logcosh ridges, Huber functions,
  double wells and trigonometric functions (nonconvex), and for n-SAM / m-SAM the stochastic
  construction L-S, quadratic finite sums with exact constant noise (kappa = 1, and rotated
  ill-conditioned), L-NC plus noise (nonconvex) and logistic regression on random data;
- **starting points at several scales** (:func:`starts`): on rays from a minimizer, at exact
  initial gaps f(x_0) - f* = Delta for a grid of Delta (bisection along the ray), plus
  family-specific starts (next to the L-NC fixed point; along the flattest eigenvector of a
  quadratic finite sum);
- **the step sizes the bound allows** (:func:`schedules`): for "any schedule with eta_t <= c":
  constant c, c/4, cosine, linear decay, step decay, warm-up, a random schedule; for a constant
  step with eta <= c: c, c/2, c/10; for a prescribed rule: the rule itself;
- **a grid of constants** (:class:`Budget`): (beta, kappa = beta/mu) pairs, rho (including
  rho = 0, where deterministic SAM is run as GD: the rho = 0 column) and the horizon T.

Every family is built for a target (beta, mu, ...); the probe's class constants are then the
declared extremes of the batch (max beta, min mu, max L, max sigma), so every function belongs
to the class the bound is evaluated for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from ..errors import InvalidParameterError
from ..schedules import Constant, Cosine, LinearDecay, StepDecay, WarmupDecay
from ..setting import Algorithm, Constants, FunctionClass
from ..theory.bound import Bound
from ..theory.terms import StepKind
from .families import FamilySpec

if TYPE_CHECKING:  # check.probe imports the check package, which imports this module
    from ..check.probe import Probe


@dataclass(frozen=True)
class Budget:
    """Sizes of an attack.  :data:`QUICK` is CI-sized, :data:`DEFAULT` is the report's size."""

    name: str
    betas: tuple = (1.0,)
    kappas: tuple = (10.0,)
    rhos: tuple = (0.0, 0.1)
    horizons: tuple = (100,)
    deltas: tuple = (1e-4, 1e-2, 1.0)
    stochastic_deltas: tuple = (1e-2, 1.0)
    directions: int = 2
    replicas: int = 32
    limit_horizon: int = 600
    sweep: tuple = (1, 2, 4, 8)
    sweep_base: int = 200
    #: candidate evaluations of the search per bound (:mod:`.search`; 0: the menu alone)
    search: int = 48
    #: replicas per stochastic candidate while searching, and the cap of the sequential decision
    search_replicas: int = 16
    replicas_cap: int = 512
    #: horizon range of the search (T_lo, T_hi)
    search_horizons: tuple = (10, 400)
    #: horizons at which the PEP's worst function joins the search (:mod:`.pep_attack`)
    pep_horizons: tuple = ()

    def to_dict(self) -> dict[str, Any]:
        return {k: list(x) if isinstance(x, tuple) else x for k, x in self.__dict__.items()}


QUICK = Budget("quick")
DEFAULT = Budget("default", betas=(1.0, 4.0), kappas=(10.0, 100.0), rhos=(0.0, 0.05, 0.3), horizons=(100, 400),
                 deltas=(1e-6, 1e-3, 1e-1, 1.0, 10.0), stochastic_deltas=(1e-3, 0.1, 10.0), directions=3,
                 replicas=32, limit_horizon=2000,
                 sweep=(1, 2, 4, 8), sweep_base=400, search=192, replicas_cap=4096, search_horizons=(10, 1000),
                 pep_horizons=(2, 4))


def budget(quick: bool) -> Budget:
    return QUICK if quick else DEFAULT


# ---- families -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """The constants a family is built for (rho sizes the constructions)."""

    beta: float
    mu: float | None
    rho: float
    dim1_only: bool = False
    quadratic_only: bool = False


def _rand(rng: np.random.Generator, *shape: int) -> list:
    return rng.standard_normal(shape).tolist()


def _kappa_ridge(beta: float, mu: float) -> FamilySpec:
    """The docs/theory.md s.6 ridge scaled so that declared beta = beta and declared mu = mu (to rounding)."""
    b0, c, eps, shift = 0.5, 0.5, 0.05, 0.66
    m = b0 / (beta / mu)
    for _ in range(30):  # fixed point of m = lambda_max(diag(b0, m) + c v v^T) / kappa
        top = np.array([[b0 + c, -c * eps], [-c * eps, m + c * eps**2]])
        m = float(np.linalg.eigvalsh(top)[-1]) / (beta / mu)
    top = np.array([[b0 + c, -c * eps], [-c * eps, m + c * eps**2]])
    s = beta / float(np.linalg.eigvalsh(top)[-1]) * (1 - 1e-12)
    return FamilySpec("kappa-adversarial", {"mu": [s * m], "b0": [s * b0], "c": [s * c], "eps": [eps],
                                            "shift": [shift]})


def _ridge(beta: float, rng: np.random.Generator, m: int = 3, d: int = 3) -> FamilySpec:
    A = rng.standard_normal((m, d))
    top = float(np.linalg.eigvalsh(A.T @ A)[-1])
    A = A * math.sqrt(beta / top * (1 - 1e-12))
    return FamilySpec("logcosh-ridge", {"A": [A.tolist()], "weights": [[1.0] * m], "lam": [0.0]})


def _finite_sums(fc: FunctionClass, target: Target, rho: float, rng: np.random.Generator
                 ) -> list[tuple[str, FamilySpec]]:
    """Finite sums with exact constant noise (:mod:`sambounds.functions.finite_sum`), one sigma per batch.

    The probe evaluates the bound with the batch's largest sigma, so every batch shares one
    noise level; the quadratic ones use sigma = beta rho (noise and perturbation of one size:
    m-SAM's cross term 2 beta rho sigma matters most relative to sigma^2 + beta^2 rho^2).

    - H = beta I (kappa = 1) in d = 16 with 2d equal-norm centers +-a e_i: at eta = 1/beta,
      x_{t+1} is the sampled center minus rho u_t, so for n-SAM E f(x_T) - f* = beta rho^2/2 +
      sigma^2/(2 beta), the S-SC bound with equality, and f(x_T) varies only through
      <c_j - cbar, u_t> (variance a^2/d; none at rho = 0): the confidence bound pins the noise
      and rho constants, where L-S's two-point noise leaves a wide interval.
    - strongly convex: a rotated H with a geometric spectrum from mu to beta, the noise on the
      top eigenvector (where it raises the gap most: eta sigma^2/(2 (2 - eta lambda)) per unit
      share at rho = 0); :func:`starts` adds starts along the bottom eigenvector, where the gap
      decays like (1 - mu eta)^(2T): the kappa of the transient (1 - mu eta)^T Delta.
    - nonconvex: L-NC (c = 0.9) plus symmetric noise sigma = 0.02 beta rho, small against the
      basin of the attracting non-stationary point -rho, so n-SAM and m-SAM still settle there
      and (1/T) sum_t G_t^2 -> c^2 beta^2 rho^2 = 0.81 beta^2 rho^2, S-NC's rho term.
    """
    beta, mu, sigma = target.beta, target.mu, target.beta * rho
    iso_dim = 1 if target.dim1_only else 16
    out = [("finite sum, H = beta I", FamilySpec("quadratic-sum", {"spectrum": [[beta] * iso_dim], "sigma": [sigma]}))]
    if fc is FunctionClass.STRONGLY_CONVEX and not target.dim1_only:
        d = 4
        spectrum = np.geomspace(mu, beta, d)
        spectrum[0], spectrum[-1] = mu, beta
        out.append(("rotated finite sum, mu <= H <= beta", FamilySpec("quadratic-sum", {
            "spectrum": [spectrum.tolist()], "sigma": [sigma], "noise": [np.eye(d)[-1].tolist()],
            "rotation_seed": int(rng.integers(2**31))})))
    if fc is FunctionClass.NONCONVEX and not target.quadratic_only:
        out.append(("L-NC + noise", FamilySpec("linear-noise", {
            "base": {"name": "L-NC", "params": {"beta": [beta], "rho": [rho], "c": [0.9]}},
            "sigma": [0.02 * sigma], "p": [0.5]})))
    return out


def families(function_class: FunctionClass, algorithm: Algorithm, target: Target,
             rng: np.random.Generator) -> list[tuple[str, FamilySpec]]:
    """(label, family) pairs of the class, adversarial first (see the module docstring)."""
    beta, mu, rho = target.beta, target.mu, target.rho
    out: list[tuple[str, FamilySpec]] = []
    fc = function_class
    if algorithm.stochastic:
        rho_noise = rho if rho > 0 else 0.1
        out.append(("L-S", FamilySpec("L-S", {"beta": [beta] * 4, "rho": [rho_noise] * 4,
                                              "p": [0.1, 0.1, 0.25, 0.4], "K": [1.0, 8.0, 2.0, 0.5]})))
        if fc is not FunctionClass.LIPSCHITZ_NONCONVEX:
            out.extend(_finite_sums(fc, target, rho_noise, rng))
        if not target.dim1_only and not target.quadratic_only and fc is not FunctionClass.LIPSCHITZ_NONCONVEX:
            lam = beta / 10.0 if mu is None else mu
            out.append(("logistic", FamilySpec("logistic", {"n_samples": 16, "dim": 3, "n_functions": 2,
                                                            "lam": lam, "flip": 0.1,
                                                            "seed": int(rng.integers(2**31))})))
        return out
    sc_mu = mu if fc is FunctionClass.STRONGLY_CONVEX else beta / 20.0
    if fc is FunctionClass.LIPSCHITZ_NONCONVEX:
        if not target.quadratic_only:
            out.append(("trigonometric (a = 0)", FamilySpec("trigonometric", {
                "center": [[0.0]] * 2, "a": [0.0, 0.0], "b": [beta, beta / 4], "omega": [1.0, 2.0]})))
            out.append(("huber", FamilySpec("huber", {"center": [[0.0]] * 2, "delta": [0.1, 1.0],
                                                      "scale": [beta, beta]})))
        return out
    # L-SC: curvature beta on |x| <= R, mu outside; R sized for the 2-cycle of eta beta <= 1
    R = [2.2 * rho, 6.0 * rho] if rho > 0 else [0.1, 1.0]
    if not target.quadratic_only:
        out.append(("L-SC", FamilySpec("L-SC", {"beta": [beta, beta], "mu": [sc_mu, sc_mu], "R": R})))
    one_d = [[beta], [mu]] if fc is FunctionClass.STRONGLY_CONVEX else [[beta]]
    out.append(("quadratic 1-D", FamilySpec("quadratic", {"spectrum": one_d})))
    if fc is not FunctionClass.STRONGLY_CONVEX and rho > 0 and not target.quadratic_only:
        out.append(("L-NC", FamilySpec("L-NC", {"beta": [beta] * 3, "rho": [rho] * 3, "c": [0.5, 0.9, 0.99]}))
                   if fc is FunctionClass.NONCONVEX else ("L-SC (convex)", FamilySpec("L-SC", {
                       "beta": [beta], "mu": [beta / 1000.0], "R": [2.2 * rho]})))
    if target.dim1_only:
        return out
    low = mu if fc is FunctionClass.STRONGLY_CONVEX else 0.0
    spec = [np.linspace(low, beta, 4).tolist(), np.geomspace(max(low, beta * 1e-3), beta, 4).tolist()]
    spec[1][0] = low
    out.append(("rotated quadratic d = 4", FamilySpec("quadratic", {"spectrum": spec,
                                                                    "rotation_seed": int(rng.integers(2**31))})))
    if target.quadratic_only:
        return out
    if fc is FunctionClass.STRONGLY_CONVEX:
        out.append(("kappa-adversarial ridge", _kappa_ridge(beta, mu)))
    else:
        out.append(("logcosh ridge", _ridge(beta, rng)))
        out.append(("huber", FamilySpec("huber", {"center": [_rand(rng, 2)], "delta": [0.3], "scale": [beta]})))
    if fc is FunctionClass.NONCONVEX:
        a = 4.0
        scale = beta / max(a - 1, 1 + 2 * a * math.exp(-1.5)) * (1 - 1e-12)
        out.append(("double well", FamilySpec("double-well", {"a": [a], "scale": [scale], "dim": 2})))
        out.append(("trigonometric", FamilySpec("trigonometric", {"center": [[0.0, 0.0]], "a": [beta / 10],
                                                                  "b": [beta * 0.9 / 4], "omega": [2.0]})))
    return out


def class_constants(f, algorithm: Algorithm, function_class: FunctionClass) -> dict[str, float]:
    """The class constants of a built batch: max declared beta (and component beta for m-SAM), min mu..."""
    beta = float(np.max(f.beta))
    if algorithm is Algorithm.M_SAM and getattr(f, "component_beta", None) is not None:
        beta = max(beta, float(np.max(f.component_beta)))
    out = {"beta": beta}
    if function_class is FunctionClass.STRONGLY_CONVEX:
        out["mu"] = float(np.min(f.mu))
    if f.L is not None:
        out["L"] = float(np.max(f.L))
    # the noise level only for stochastic algorithms (a PEP interpolant's "sigma" is its curvature floor)
    if algorithm.stochastic and getattr(f, "sigma", None) is not None:
        out["sigma"] = float(np.max(f.sigma))
    return out


# ---- starting points ----------------------------------------------------------------------------------
def ray_points(f, x_ref: np.ndarray, directions: np.ndarray, deltas: np.ndarray) -> np.ndarray:
    """x_0 = x_ref + s u with f(x_0) - f(x_ref) = Delta (or the largest value <= Delta the ray reaches).

    ``directions`` (F, n, d) unit vectors; returns (F, n * len(deltas), d).  Bisection on s
    keeps the lower end, so f(x_0) - f* <= Delta always (the intermediate value theorem needs
    no convexity).
    """
    F, n, d = directions.shape
    m = len(deltas)
    u = np.repeat(directions, m, axis=1)                           # (F, n m, d)
    target = np.tile(np.asarray(deltas, dtype=float), n)[None, :]  # (1, n m)
    f_ref = f.value(x_ref[:, None, :])                             # (F, 1)

    def gap(s):
        with np.errstate(all="ignore"):
            return f.value(x_ref[:, None, :] + s[..., None] * u) - f_ref

    lo = np.zeros((F, n * m))
    hi = np.ones((F, n * m))
    # at most 2^30 away: on a bounded (e.g. periodic) f the gap can stay <= Delta at every doubling, and at
    # |x| ~ 2^80 a float64 step of size eta ||grad f|| is below the ulp, so x_t freezes while ||grad f|| does not
    for _ in range(30):
        g = gap(hi)
        low = np.isfinite(g) & (g <= target)
        if not low.any():
            break
        lo = np.where(low, hi, lo)
        hi = np.where(low, hi * 2.0, hi)
    for _ in range(100):
        mid = (lo + hi) / 2
        g = gap(mid)
        ok = np.isfinite(g) & (g <= target)
        lo, hi = np.where(ok, mid, lo), np.where(ok, hi, mid)
    return x_ref[:, None, :] + lo[..., None] * u


def starts(family: FamilySpec, f, x_ref: np.ndarray, deltas, n_directions: int,
           rng: np.random.Generator) -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    """Starting points (F, S, d), their labels and Delta targets (NaN for family-specific starts)."""
    F, d = f.n_functions, f.dim
    if d == 1:
        dirs = np.broadcast_to(np.array([[1.0], [-1.0]]), (F, 2, 1))
    else:
        g = rng.standard_normal((F, n_directions, d))
        dirs = g / np.linalg.norm(g, axis=-1, keepdims=True)
    names = [f"ray {i}" for i in range(dirs.shape[1])]
    if family.name == "quadratic-sum" and d > 1:
        if np.all(f.spectrum[:, 0] == f.spectrum[:, -1]):
            # H = lambda I: f is isotropic about x*, so further rays repeat the first one
            dirs, names = dirs[:, :1], names[:1]
        else:
            # a random ray puts little of Delta on the flattest direction; this one puts all of it there
            dirs = np.concatenate([dirs, np.linalg.eigh(f.H)[1][:, None, :, 0]], axis=1)
            names.append("lambda_min eigenvector")
    x0 = ray_points(f, x_ref, dirs, np.asarray(deltas, dtype=float))
    labels = [f"{name}, Delta <= {dl:g}" for name in names for dl in deltas]
    targets = [float(dl) for _ in range(dirs.shape[1]) for dl in deltas]
    if family.name == "L-NC":
        c = np.asarray(family.params["c"], dtype=float)
        r = np.asarray(family.params["rho"], dtype=float)
        near = -r + 0.25 * np.minimum((1 - c) * r / 2, c * r)
        x0 = np.concatenate([x0, np.broadcast_to(near[:, None, None], (F, 1, d))], axis=1)
        labels.append("next to the L-NC fixed point -rho")
        targets.append(math.nan)
    return x0, tuple(labels), np.array(targets)


# ---- schedules ----------------------------------------------------------------------------------------
def step_limit(bound: Bound, constants: dict[str, float]) -> float | None:
    """The attack's extreme step: the bound's limit (1e-9 inside a strict one), always admitted.

    See :meth:`Bound.step_limit`: the value is computed on the float path of the bound's own
    step condition, so the attack never loses its top step to a rounding difference.
    """
    return bound.step_limit(constants, margin=1e-9 if bound.step.strict else 0.0)


def schedules(bound: Bound, constants: dict[str, float], T: int, rng: np.random.Generator
              ) -> list[tuple[np.ndarray, tuple[str, ...], dict[str, float]]]:
    """Groups of (steps (K, T), labels, fixed inputs) the bound allows (see the module docstring).

    A prescribed rule that depends on Delta is one group per Delta (its ``fixed`` input); every
    other kind is one group.  The unspecified steps of ``paper`` entries give no group.
    """
    kind = bound.step.kind
    beta = constants["beta"]
    lim = step_limit(bound, constants)
    if kind is StepKind.SCHEDULE:
        c = lim if lim is not None else 1.0 / beta
        rules = [("constant c", Constant(c)), ("constant c/4", Constant(c / 4)), ("cosine from c", Cosine(c)),
                 ("linear decay from c", LinearDecay(c)), ("step decay from c", StepDecay(c, 0.5, max(1, T // 4))),
                 ("warm-up then cosine", WarmupDecay(c, max(1, T // 10)))]
        rows = [r.steps(T) for _, r in rules] + [c * rng.uniform(0.05, 1.0, T)]
        return [(np.stack(rows), tuple(n for n, _ in rules) + ("random in (0.05 c, c]",), {})]
    if kind is StepKind.CONSTANT:
        etas = [lim, lim / 2, lim / 10] if lim is not None else [x / beta for x in (0.1, 0.5, 1.0, 1.5, 1.95)]
        return [(np.repeat(np.array(etas)[:, None], T, axis=1), tuple(f"eta = {e:.4g}" for e in etas), {})]
    if kind is StepKind.EVERY_CONSTANT:
        etas = [x / beta for x in (0.05, 0.3, 1.0, 1.5)]
        return [(np.repeat(np.array(etas)[:, None], T, axis=1), tuple(f"eta = {e:.4g}" for e in etas), {})]
    if kind is StepKind.PRESCRIBED:
        return []  # built per Delta by prescribed_schedule
    return []


def prescribed_schedule(bound: Bound, constants: dict[str, float], rho: float, T: int, Delta: float | None
                        ) -> np.ndarray:
    """The bound's prescribed rule evaluated for the class constants (and Delta when given)."""
    c = Constants(beta=constants["beta"], mu=constants.get("mu"), rho=rho, L=constants.get("L"),
                  sigma=constants.get("sigma"), Delta=Delta)
    return bound.step.rule.steps(T, c)


def rule_needs_delta(bound: Bound, constants: dict[str, float], rho: float, T: int) -> bool:
    """Whether the prescribed rule reads Delta (it then raises without it)."""
    try:
        prescribed_schedule(bound, constants, rho, T, None)
    except InvalidParameterError as exc:
        return exc.name == "Delta"
    return False


# ---- probes -------------------------------------------------------------------------------------------
def restriction_filter(bound: Bound) -> tuple[bool, bool]:
    """(1-D only, quadratics only) from the bound's restriction text; unknown text raises."""
    text = (bound.restriction or "").lower()
    if not text:
        return False, False
    dim1, quad = "d = 1" in text or "one-dimensional" in text, "quadratic" in text
    if not (dim1 or quad):
        raise InvalidParameterError("restriction", bound.restriction,
                                    "a restriction the attack can build ('d = 1' or 'quadratic')")
    return dim1, quad


def _constant_pairs(size: Budget, fc: FunctionClass) -> list[tuple[float, float | None]]:
    """(beta, kappa) grid points: the i-th beta with the i-th kappa (cycled), kappa None off the SC class."""
    if fc is not FunctionClass.STRONGLY_CONVEX:
        return [(beta, None) for beta in size.betas]
    n = max(len(size.betas), len(size.kappas))
    return [(size.betas[i % len(size.betas)], size.kappas[i % len(size.kappas)]) for i in range(n)]


def upper_probes(bound: Bound, size: Budget, seed: int, *, family_names: tuple[str, ...] | None = None,
                 horizons: tuple[int, ...] | None = None, rhos: tuple[float, ...] | None = None
                 ) -> Iterator[tuple[str, Probe]]:
    """Every (family label, probe) of the attack on ``bound`` (deterministic given ``seed``)."""
    rng = np.random.default_rng(seed)
    dim1, quad = restriction_filter(bound)
    fc = bound.function_class
    for algorithm in sorted(bound.algorithms, key=lambda a: a.value):
        alg_rhos = (0.0,) if algorithm is Algorithm.GD else (rhos or size.rhos)
        for beta, kappa in _constant_pairs(size, fc):
            mu = None if kappa is None else beta / kappa
            for rho in alg_rhos:
                run_alg = Algorithm.GD if (rho == 0 and algorithm in (Algorithm.SAM, Algorithm.USAM)) \
                    else algorithm
                target = Target(beta, mu, rho, dim1, quad)
                for label, spec in families(fc, algorithm, target, rng):
                    if family_names is not None and spec.name not in family_names:
                        continue
                    f, x_ref = spec.build()
                    consts = class_constants(f, algorithm, fc)
                    deltas = size.stochastic_deltas if algorithm.stochastic else size.deltas
                    x0, start_labels, targets = starts(spec, f, x_ref, deltas, size.directions, rng)
                    R = size.replicas if algorithm.stochastic else 1
                    if R > 1:
                        x0 = np.repeat(x0, R, axis=1)
                    for T in horizons or size.horizons:
                        yield from _probes_at(bound, run_alg, rho, T, spec, label, f, x0, start_labels, targets,
                                              consts, R, rng, seed)


def _probes_at(bound, algorithm, rho, T, spec, label, f, x0, start_labels, targets, consts, R, rng, seed):
    from ..check.probe import Probe

    common = dict(algorithm=algorithm.value, rho=rho, T=T, family=spec, constants=consts, seed=seed, replicas=R)
    if bound.step.kind is StepKind.PRESCRIBED:
        if rule_needs_delta(bound, consts, rho, T):
            # the rule is computed from Delta: one probe per target, run from the starts with that target
            grouped = x0.reshape(f.n_functions, len(start_labels), R, f.dim)
            for delta in np.unique(targets[np.isfinite(targets)]):
                keep = np.flatnonzero(targets == delta)
                try:
                    steps = prescribed_schedule(bound, consts, rho, T, float(delta))[None, :]
                except InvalidParameterError:
                    continue
                yield label, Probe(x0=grouped[:, keep].reshape(f.n_functions, -1, f.dim), steps=steps,
                                   fixed={"Delta": float(delta)},
                                   schedule_labels=(f"{bound.step.rule.name} (Delta = {delta:g})",),
                                   start_labels=tuple(start_labels[i] for i in keep), **common)
            return
        steps = prescribed_schedule(bound, consts, rho, T, None)[None, :]
        yield label, Probe(x0=x0, steps=steps, schedule_labels=(bound.step.rule.name,), start_labels=start_labels,
                           **common)
        return
    for steps, labels, fixed in schedules(bound, consts, T, rng):
        yield label, Probe(x0=x0, steps=steps, fixed=fixed, schedule_labels=labels, start_labels=start_labels,
                           **common)
