"""Conformance: which reference rule an outside SAM implementation follows, and how closely.

:func:`conform` runs the adapted optimizer (:mod:`.spec`) on probe functions with a step-size
schedule set by sambounds, records x_t and y_t (the last point whose gradient it asked for in
step t), and compares every step with the reference rules of the kernel applied to the
optimizer's *own* x_t (docs/theory.md section 1; g = grad f(x_t)):

- SAM:  x_{t+1} = x_t - eta_t grad f(x_t + rho g/||g||)   (= n-SAM = m-SAM with full gradients)
- USAM: x_{t+1} = x_t - eta_t grad f(x_t + rho g)
- GD:   x_{t+1} = x_t - eta_t g

The per-step deviation of rule A at step t is ||x_{t+1} - x_{t+1}^A|| / max(||x_{t+1} - x_t||,
||x_{t+1}^A - x_t||, 1e-9 (1 + ||x_t||)): 0 for an exact match, about 1e-16 at rounding level, O(1)
for another rule (the floor keeps converged runs, whose steps vanish, from dividing rounding by
nothing).  It is one-step on purpose: SAM's dynamics near its 2-cycle amplify rounding differences
(a free-running trajectory of an exact implementation drifts to ~1e-2 after ~60 steps on a
rotated quadratic), so a trajectory comparison cannot tell a bug from rounding; the free-run
deviation is reported too, for information.  rho is the one given, or inferred per rule
(SAM: the median of ||y_t - x_t||; USAM: the median of ||y_t - x_t|| / ||g||).

Probes: a rotated quadratic (d = 4, spectrum 0.1..1) and two nonconvex families (a double well
and a trigonometric function, beta = 1) decide the match; a near-zero-gradient probe (one
step from starts with ||g|| from 1e-2 down to 1e-14) measures the normalization: an
implementation computing rho g/(||g|| + eps) has ||y - x|| = rho ||g||/(||g|| + eps) < rho,
from which eps is estimated; a start at the minimizer (g = 0 exactly) shows what the optimizer
does there (SAM's convention: y = x).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _validate as v
from ..check.families import FamilySpec
from ..errors import InvalidParameterError
from ..schedules import Cosine
from ..setting import Algorithm
from ..sim.kernel import deterministic_direction, run as kernel_run
from ..sim.backends import NumpyBackend
from .report import ConformanceResult, Deviation, Perturbation, RuleFit
from .run import run_optimizer
from .spec import OptimizerError, OptimizerSpec, resolve

RULES = ("sam", "usam", "gd")
#: steps shorter than RESOLUTION (1 + ||x_t||) are compared on that scale: float64 iterates carry
#: about 1e-16 ||x_t|| of rounding, so the per-step deviation stays at or below ~1e-6 from rounding
RESOLUTION = 1e-9
#: per-step deviation at or below which a rule is "matched" (rounding is ~1e-16; an eps of 1e-12
#: in a normalization moves a step by ~1e-12/||g||)
DEFAULT_TOL = 1e-6


@dataclass(frozen=True)
class _Probe:
    name: str
    spec: FamilySpec
    x0: np.ndarray
    deciding: bool


def probes(seed: int = 0) -> tuple[_Probe, ...]:
    """The probe functions and starts (see the module docstring); beta = 1 for every family."""
    rng = np.random.default_rng(seed)
    quad = FamilySpec("quadratic", {"spectrum": [[0.1, 0.3, 0.6, 1.0]], "rotation_seed": int(rng.integers(2**31))})
    a = 4.0
    well = FamilySpec("double-well", {"a": [a], "scale": [1.0 / max(a - 1, 1 + 2 * a * math.exp(-1.5))], "dim": 3})
    trig = FamilySpec("trigonometric", {"center": [[0.0, 0.0, 0.0]], "a": [0.1], "b": [0.9 / 4], "omega": [2.0]})
    f_quad, x_star = quad.build()
    d = f_quad.dim
    u = rng.standard_normal((4, d))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    # near-zero gradients: ||g|| = ||H (x - x*)|| from about 1e-2 down to 1e-14
    scales = np.array([1e-2, 1e-6, 1e-10, 1e-12, 1e-13, 1e-14])
    near = x_star[0] + scales[:, None] * u[np.arange(len(scales)) % 4] / 0.5
    return (
        _Probe("rotated quadratic", quad, rng.standard_normal((1, 3, d)) * 2.0, True),
        _Probe("double well", well, rng.standard_normal((1, 3, 3)) * 1.5, True),
        _Probe("trigonometric", trig, rng.uniform(-2.5, 2.5, (1, 3, 3)), True),
        _Probe("near-zero gradients", quad, near[None], False),
    )


def _spread(a: np.ndarray) -> tuple[float, float, float]:
    """(min, median, max), (nan, nan, nan) for no data."""
    if a.size == 0:
        return (math.nan, math.nan, math.nan)
    return (float(a.min()), float(np.median(a)), float(a.max()))


def _norm(a: np.ndarray) -> np.ndarray:
    return np.sqrt(np.einsum("...i,...i->...", a, a))


@dataclass(frozen=True)
class _Run:
    probe: _Probe
    x: np.ndarray       # (T + 1, F, S, d)
    y: np.ndarray       # (T, F, S, d)
    g: np.ndarray       # (T, F, S, d)
    steps: np.ndarray   # (T,)
    alive: np.ndarray   # (T, F, S): step t was taken from a non-diverged x_t
    function: Any


def _run_probe(spec: OptimizerSpec, probe: _Probe, steps: np.ndarray) -> _Run:
    f, _ = probe.spec.build()
    raw, y = run_optimizer(spec, f, probe.x0, steps[None, :], record=True)
    x = np.asarray(raw.trajectory)[..., 0, :]                       # (T + 1, F, S, d)
    T = steps.shape[0]
    div = raw.diverged_at[..., 0]
    t = np.arange(T)[:, None, None]
    alive = (div < 0) | (t < div - 1)
    g = f.grad(np.moveaxis(x[:-1], 0, 1))                            # (F, T, S, d)
    return _Run(probe, x, y[..., 0, :], np.moveaxis(g, 1, 0), steps, alive, f)


def _step_deviation(r: _Run, algorithm: Algorithm, rho: float, eps: float = 0.0) -> np.ndarray:
    """Per-step deviation (T, F, S) of the recorded x_{t+1} from rule ``algorithm`` applied to x_t.

    ``eps`` > 0 (SAM only): the normalization rho g/(||g|| + eps) of the implementation instead of
    the reference's rho g/||g||.
    """
    xt = np.moveaxis(r.x[:-1], 0, 1)                                 # (F, T, S, d)
    g = np.moveaxis(r.g, 0, 1)
    with np.errstate(all="ignore"):
        if eps > 0:
            direction = r.function.grad(xt + rho * g / (_norm(g)[..., None] + eps))
        else:
            direction = deterministic_direction(r.function, algorithm, xt, g, rho)
        pred = xt - r.steps[None, :, None, None] * direction
        pred = np.moveaxis(pred, 1, 0)
        got = r.x[1:]
        # a step below RESOLUTION (1 + ||x_t||) is at the resolution of float64 iterates (a few ulp of
        # x_t over a vanishing step would read as a large relative deviation)
        scale = np.maximum(np.maximum(_norm(got - r.x[:-1]), _norm(pred - r.x[:-1])),
                           RESOLUTION * (1 + _norm(r.x[:-1])))
        dev = _norm(got - pred) / scale
    return np.where(r.alive, np.nan_to_num(dev, nan=np.inf), 0.0)


def _infer_rho(runs: list[_Run], algorithm: str, eps: float = 0.0) -> float:
    """SAM: median ||y - x|| (times (||g|| + eps)/||g|| once an eps is known); USAM: median ||y - x||/||g||."""
    radius, gain = [], []
    for r in runs:
        rr, gn = _norm(r.y - r.x[:-1]), _norm(r.g)
        ok = r.alive & (gn > 1e-6)
        radius.append(rr[ok] * (gn[ok] + eps) / gn[ok])
        gain.append(rr[ok] / gn[ok])
    vals = np.concatenate(gain if algorithm == "usam" else radius)
    return float(np.median(vals)) if vals.size else 0.0


def _fit(runs: list[_Run], algorithm: str, rho: float, tol: float, eps: float = 0.0) -> RuleFit:
    alg = Algorithm.parse(algorithm)
    worst = first = None
    devs = []
    for r in runs:
        dev = _step_deviation(r, alg, rho, eps)
        devs.append(dev[r.alive])
        i = np.unravel_index(int(np.argmax(dev)), dev.shape)
        if worst is None or dev[i] > worst.value:
            worst = Deviation(r.probe.name, int(i[1]), int(i[2]), int(i[0]), float(dev[i]))
        above = np.argwhere(dev > tol)
        if above.size and first is None:
            t, fi, s = (int(j) for j in above[np.argmin(above[:, 0])])
            first = Deviation(r.probe.name, fi, s, t, float(dev[t, fi, s]))
    allv = np.concatenate(devs) if devs else np.zeros(0)
    return RuleFit(algorithm, rho, float(allv.max(initial=0.0)), float(np.median(allv)) if allv.size else 0.0,
                   worst, first)


def _perturbation(runs: list[_Run], near: _Run | None, rho: float, at_zero: str) -> Perturbation:
    radius, cos, gain, gnorm = [], [], [], []
    for r in runs:
        d, gn = r.y - r.x[:-1], _norm(r.g)
        rr = _norm(d)
        ok = r.alive & (gn > 1e-6)
        radius.append(rr[ok] / rho if rho > 0 else rr[ok])
        gnorm.append(gn[ok])
        with np.errstate(all="ignore"):
            c = np.einsum("...i,...i->...", d, r.g) / (rr * gn)
        cos.append(c[ok & (rr > 0)])
        gain.append(rr[ok] / (gn[ok] * rho) if rho > 0 else rr[ok])
    cat = [np.concatenate(a) for a in (radius, cos, gain)]
    spread = _spread(cat[0])
    cosine = _spread(cat[1])[::2]
    gains = _spread(cat[2])[::2]
    shrink, eps = (), None
    if near is not None and rho > 0 and spread[1] >= 0.9 * spread[2] > 0:
        # only a normalized perturbation (radius about constant) has a radius to shrink from; its
        # full radius is the largest one seen (an eps shrinks every other one a little)
        gn = _norm(near.g[0]).reshape(-1)
        rr = _norm(near.y[0] - near.x[0]).reshape(-1) / (rho * max(spread[2], 1.0))
        shrink = tuple((float(a), float(b)) for a, b in sorted(zip(gn, rr)))
        # rr = ||g||/(||g|| + eps)  =>  eps = ||g|| (1/rr - 1), where the shrink is well above rounding
        est = [a * (1 / b - 1) for a, b in zip(gn, rr) if 0 < b < 1 - 1e-3 and a > 0]
        eps = float(np.median(est)) if est else None
    residual = None
    if cat[0].size and rho > 0:
        # what is left of ||y - x||/rho - 1 once the eps model ||g||/(||g|| + eps) is divided out
        g_all = np.concatenate(gnorm)
        model = g_all / (g_all + (eps or 0.0))
        residual = float(np.max(np.abs(cat[0] / model - 1)))
    return Perturbation(spread, cosine, gains, shrink, eps, at_zero, residual)


def _at_zero(spec: OptimizerSpec, steps: np.ndarray) -> str:
    """One step from the minimizer of the rotated quadratic, where g = 0 exactly."""
    f, x_star = probes()[0].spec.build()
    try:
        raw, y = run_optimizer(spec, f, x_star[:, None, :], steps[None, :1], record=True)
    except OptimizerError as exc:
        return f"error: {exc.detail or exc}"
    moved = float(_norm(np.asarray(raw.trajectory)[1] - x_star[:, None, None, :]).max())
    r = float(_norm(y[0] - x_star[:, None, None, :]).max())
    return (f"stays at x* (||x_1 - x*|| = {moved:.3g}, ||y - x|| = {r:.3g})" if moved == 0 and r == 0 else
            f"moves: ||y - x|| = {r:.3g}, ||x_1 - x*|| = {moved:.3g} (SAM's convention is y = x, x_1 = x*)")


def conform(optimizer: Any, *, framework: str | None = None, rho: float | None = None, T: int = 120,
            eta: float = 0.5, tol: float = DEFAULT_TOL, seed: int = 0, **options: Any) -> ConformanceResult:
    """Run ``optimizer`` beside the reference kernel and report which rule it matches (module docstring).

    Parameters
    ----------
    optimizer : factory, "module:factory" or OptimizerSpec
        See :mod:`sambounds.adapters.spec` (``framework`` and adapter ``options`` likewise).
    rho : float, optional
        The optimizer's perturbation radius; inferred from ||y - x|| when omitted.
    T : int
        Steps per deciding probe (>= 1; 120 by default).
    eta : float
        Peak of the cosine schedule eta_t from ``eta`` down to ``eta``/10 that sambounds sets
        (so an optimizer that ignores the step sizes it is given matches nothing).
    tol : float
        Per-step deviation up to which a rule counts as matched.
    seed : int
        Seeds the probes' rotation and starts.
    """
    spec = resolve(optimizer, framework, **options)
    T = v.positive_int("T", T, maximum=100_000)  # every step is a Python call per trajectory
    eta = v.real("eta", eta, low=0.0, low_open=True, high=2.0, high_open=True,
                 allowed="a number in (0, 2) (a step size for beta = 1)")
    tol = v.positive("tol", tol)
    rho_given = rho is not None
    if rho_given:
        rho = v.real("rho", rho, low=0.0)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidParameterError("seed", seed, "an integer >= 0")
    steps = Cosine(eta, eta / 10).steps(T)
    all_probes = probes(int(seed))
    runs = [_run_probe(spec, p, steps) for p in all_probes if p.deciding]
    near = _run_probe(spec, next(p for p in all_probes if not p.deciding), steps[:1])
    fits = tuple(_fit(runs, a, rho if rho_given else _infer_rho(runs, a), tol) for a in RULES)
    ok = [f for f in fits if f.max_deviation <= tol]
    match = min(ok, key=lambda f: f.max_deviation).algorithm if ok else None
    if match is not None and any(f.algorithm == "gd" for f in ok) and fits[0].rho == 0:
        match = "gd"  # SAM and USAM with rho = 0 are GD: name the rule without a perturbation
    # the radius is shown relative to the matched rule's rho (USAM's rho is a gain, not a radius)
    rho_sam = rho if rho_given else next((f.rho for f in fits if f.algorithm == (match or "sam")))
    at_zero = _at_zero(spec, steps)
    pert = _perturbation(runs, near, rho_sam, at_zero)
    if pert.eps is not None:
        if not rho_given:  # the median radius sits slightly below rho by the eps: infer rho again with it
            rho_sam = _infer_rho(runs, "sam", pert.eps)
            pert = dataclasses.replace(_perturbation(runs, near, rho_sam, at_zero), eps=pert.eps)
        with_eps = dataclasses.replace(_fit(runs, "sam", rho_sam, tol, pert.eps), eps=pert.eps)
        fits = fits + (with_eps,)
        if match is None and with_eps.max_deviation <= tol:
            match = "sam"   # SAM up to its eps: the finding and the sam+eps row say so
    traj = None
    if match is not None:
        traj = _free_run_deviation(runs, Algorithm.parse(match), next(f.rho for f in fits if f.algorithm == match))
    api = None
    if spec.framework == "torch":
        from .torch_optim import default_api

        api = default_api(spec)
    return ConformanceResult(spec.label, spec.framework, api, T, rho if rho_given else None, rho_given, match, fits,
                             pert, traj, tol, tuple(p.name for p in all_probes))


def _free_run_deviation(runs: list[_Run], algorithm: Algorithm, rho: float) -> float:
    be = NumpyBackend()
    worst = 0.0
    for r in runs:
        x0 = r.x[0]
        F, S, d = x0.shape
        raw = kernel_run(r.function, np.broadcast_to(x0[:, :, None, :], (F, S, 1, d)).copy(), r.steps[None, :],
                         algorithm=algorithm, rho=rho, backend=be, record=True)
        ref = np.asarray(raw.trajectory)[..., 0, :]
        worst = max(worst, float(np.abs(ref - r.x).max()))
    return worst
