"""Adversarial function families of a class, with starting points that respect the initial condition.

Every function built here belongs to the Setting's class for its constants: declared beta <=
beta, declared mu >= mu (strongly convex), declared L <= L (Lipschitz), declared sigma <= sigma
(stochastic), every component beta-smooth (m-SAM) -- :func:`fits` checks it -- and every
starting point satisfies f(x_0) - f* <= Delta and ||x_0 - x*|| <= D (whichever are given).
So a run that exceeds a target is a genuine counterexample for the class.

Families (docs/theory.md sections 5-6; adversarial ones first):

=====================  ===================================================================
class                  families
=====================  ===================================================================
strongly convex        L-SC (the 2-cycle construction, two radii R), rotated quadratics with
                       spectrum in [mu, beta] (linear and log spaced), the kappa-adversarial
                       logcosh ridge (kappa >= 10), a random logcosh ridge + (mu/2)||x||^2
convex                 L-SC with mu = 0, rotated quadratics with spectrum in [0, beta], ridge
nonconvex              L-NC (attracting non-stationary point, c = 0.99 and 0.5, started in
                       its basin when Delta allows), and the convex families
L-Lipschitz nonconvex  logcosh ridges with weights scaled to L
n-SAM / m-SAM          L-S (two components, noise variance exactly sigma^2) for several p,
                       including the p that maximises the floor c(p, K)
=====================  ===================================================================

Every function is a :class:`~sambounds.adversary.families.FamilySpec` of one function
(``Candidate.members``; F = 1, scalar parameters, explicit matrices rather than seeds), the
form a witness stores and rebuilds anywhere; a batch is built from its members' parameters
stacked along the leading axis.  Starts lie on rays from x* (:func:`starts_within`, bisection
by :func:`sambounds.adversary.menu.ray_points`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .families import FamilySpec
from .menu import ray_points
from ..errors import InvalidParameterError
from ..functions import LSC, Quadratic
from ..functions.base import Objective
from ..setting import Algorithm, FunctionClass, Setting

#: declared constants are scaled by this so rounding never exceeds the Setting's
_SHRINK = 1.0 - 1e-12

#: sizes per effort: starting fractions of Delta, random directions, quadratic seeds and dimensions,
#: Monte-Carlo samples per start (stochastic)
SIZES = MappingProxyType({
    "quick": MappingProxyType({"fractions": 6, "directions": 4, "seeds": 2, "dims": (2,), "samples": 256,
                               "confirm": 1024, "shapes": 4}),
    "default": MappingProxyType({"fractions": 16, "directions": 8, "seeds": 6, "dims": (2, 5), "samples": 1000,
                                 "confirm": 4000, "shapes": 12}),
})


#: family names (``Candidate.family`` up to its parenthesised detail), for ``verify_schedule(families=...)``
FAMILIES = ("L-SC", "L-NC", "L-S", "quadratic", "kappa-adversarial ridge", "logcosh ridge", "huber", "quadratic-2d",
            "quadratic-sum")


@dataclass(frozen=True)
class Candidate:
    """A batch of F functions of one family and their starting points (F, S, d).

    ``members[i]`` is function i alone (what a witness stores); ``objective`` is the batch.
    """

    family: str
    members: tuple[FamilySpec, ...]
    objective: Objective
    starts: np.ndarray


def _batch(members: list[FamilySpec]) -> tuple[tuple[FamilySpec, ...], Objective, np.ndarray]:
    """(members, the batch objective, its reference minimizers): every parameter stacked on axis 0."""
    name = members[0].name
    spec = FamilySpec(name, {k: [m.params[k] for m in members] for k in members[0].params})
    f, x_ref = spec.build()
    return tuple(members), f, x_ref


def fits(objective: Objective, setting: Setting, tol: float = 1e-9) -> bool:
    """Whether every function of the batch belongs to the Setting's class for its constants."""
    c = setting.constants
    ok = bool(np.all(objective.beta <= c.beta * (1 + tol)))
    cls = setting.function_class
    if cls is FunctionClass.STRONGLY_CONVEX:
        ok &= objective.mu is not None and bool(np.all(objective.mu >= c.mu * (1 - tol)))
    elif cls is FunctionClass.CONVEX:
        ok &= objective.mu is not None
    elif cls is FunctionClass.LIPSCHITZ_NONCONVEX:
        ok &= objective.L is not None and bool(np.all(objective.L <= c.L * (1 + tol)))
    if setting.algorithm.stochastic:
        sigma = getattr(objective, "sigma", None)
        ok &= sigma is not None and bool(np.all(sigma <= c.sigma * (1 + tol) + 1e-300))
    if setting.algorithm is Algorithm.M_SAM:  # m-SAM's assumption: every component is beta-smooth
        cb = getattr(objective, "component_beta", None)
        ok &= cb is not None and bool(np.all(cb <= c.beta * (1 + tol)))
    return ok


def candidates(setting: Setting, eta_ref: float, effort: str, seed: int, best_p: float | None = None
               ) -> tuple[tuple[Candidate, ...], tuple[str, ...]]:
    """The attack families for the Setting, and notes on the ones that cannot be built."""
    size = SIZES[effort]
    c, rho, cls = setting.constants, setting.rho, setting.function_class
    notes: list[str] = []
    if cls in (FunctionClass.NONCONVEX, FunctionClass.LIPSCHITZ_NONCONVEX) and c.Delta is None:
        raise InvalidParameterError("Delta", None, "a finite number >= 0",
                                    "the nonconvex class is measured from f(x_0) - f* <= Delta")
    if c.Delta is None and c.D is None:
        raise InvalidParameterError("Delta", None, "a finite number >= 0 (or give D)",
                                    "the worst case is taken over starts with f(x_0) - f* <= Delta or "
                                    "||x_0 - x*|| <= D")
    rng = np.random.default_rng(seed)
    out: list[Candidate] = list(_parametric(setting, size, seed))
    if setting.algorithm.stochastic:
        if rho > 0 and c.sigma > 0:
            ps = sorted({0.1, 0.25} | ({0.05, 0.4} if effort == "default" else set())
                        | ({round(best_p, 6)} if best_p else set()))
            out.append(_ls(setting, np.array(ps)))
        else:
            notes.append("L-S needs rho > 0 and sigma > 0: no stochastic attack family for these constants")
        return tuple(out), tuple(notes)
    mu = c.mu or 0.0
    if cls.convex:
        # sized for the 2-cycle of the largest step that has one (eta beta < 2)
        etas = np.append(setting.steps, eta_ref)
        cycling = etas[etas * c.beta < 2.0]
        if rho > 0 and cycling.size:
            out.append(_lsc(setting, mu, float(cycling.max()), size))
        else:
            notes.append("L-SC needs rho > 0 and a step with eta beta < 2 (its 2-cycle): skipped")
        out.extend(_quadratics(setting, mu, size, rng))
        if cls is FunctionClass.STRONGLY_CONVEX and c.beta / mu >= 10:
            out.append(_kappa(setting, rng, size))
        if mu < c.beta:
            out.append(_ridge(setting, mu, None, rng, size))
    elif cls is FunctionClass.NONCONVEX:
        if rho > 0:
            out.append(_lnc(setting, size))
        else:
            notes.append("L-NC needs rho > 0: skipped")
        out.extend(_quadratics(setting, 0.0, size, rng))
        out.append(_ridge(setting, 0.0, None, rng, size))
    else:
        out.append(_ridge(setting, 0.0, c.L, rng, size))
    return tuple(out), tuple(notes)


def _parametric(setting: Setting, size, seed: int) -> list[Candidate]:
    """The search's parameterized families (:mod:`.parametric`) at the Setting's constants.

    ``size["shapes"]`` shapes per family from a seeded Latin hypercube over its shape coordinates;
    members that do not fit the Setting's class (e.g. L-S whose noise exceeds sigma) are dropped.
    """
    from scipy.stats import qmc

    from .parametric import Constants, families_for

    c, rho = setting.constants, setting.rho
    if setting.function_class is FunctionClass.LIPSCHITZ_NONCONVEX:
        return []
    consts = Constants(c.beta, c.mu if setting.function_class is FunctionClass.STRONGLY_CONVEX else None, rho,
                       c.sigma if setting.algorithm.stochastic else None)
    r = c.D if c.D is not None else float(np.sqrt(2 * c.Delta / c.beta))
    if not r > 0:   # D = 0 or Delta = 0: every start is x*, where a family's shape parameters change nothing
        return []
    out = []
    for k, fam in enumerate(families_for(setting.function_class, setting.algorithm, rho > 0)):
        shapes = qmc.LatinHypercube(len(fam.coordinates), seed=seed + 31 * k).random(size["shapes"])
        members = []
        for u in shapes:
            try:
                spec = fam.build(u, consts, r).spec
                f1, _ = spec.build()
            except InvalidParameterError:
                continue
            if fits(f1, setting):
                members.append(_single(spec))
        if not members:
            continue
        members_t, f, x_ref = _batch(members)
        d = f.dim
        dirs = np.broadcast_to(np.array([[1.0], [-1.0]]), (f.n_functions, 2, 1)) if d == 1 else \
            np.random.default_rng(seed + 17 * k).standard_normal((f.n_functions, size["directions"], d))
        starts = starts_within(f, x_ref, dirs, _fractions(size["fractions"]), c.Delta, c.D)
        out.append(Candidate(f"{fam.name} (parametric, {len(members)} shapes)", members_t, f, starts))
    return out


def _single(spec: FamilySpec) -> FamilySpec:
    """A one-function spec with its per-function parameters unstacked (what :func:`_batch` stacks)."""
    shared = {"dim", "rotation_seed"}
    return FamilySpec(spec.name, {k: (v if k in shared or not isinstance(v, list) else v[0])
                                  for k, v in spec.params.items()})


# ---- starting points -------------------------------------------------------------------------------
def starts_within(f: Objective, x_ref: np.ndarray, directions: np.ndarray, fractions: np.ndarray,
                  Delta: float | None, D: float | None) -> np.ndarray:
    """x_ref + t u with f - f(x_ref) <= frac * Delta and ||t u|| <= frac * D; shape (F, S_dir * n_frac, d).

    ``directions`` has shape (F, S_dir, d).  The Delta condition is met by the bisection of
    :func:`sambounds.adversary.menu.ray_points` (exact: it keeps the end that satisfies it); a
    start farther than frac * D is pulled back to that distance on its ray.
    """
    u = directions / np.linalg.norm(directions, axis=-1, keepdims=True)
    fractions = np.asarray(fractions, dtype=float)
    x0 = None if Delta is None else ray_points(f, x_ref, u, fractions * Delta)
    if D is not None:
        reach = np.tile(fractions * D, u.shape[1])[None, :, None]
        near = x_ref[:, None, :] + reach * np.repeat(u, fractions.size, axis=1)
        if x0 is None:
            return near
        far = np.linalg.norm(x0 - x_ref[:, None, :], axis=-1, keepdims=True) > reach
        x0 = np.where(far, near, x0)
    return x0


def _fractions(n: int) -> np.ndarray:
    return np.geomspace(1.0, 1e-3, n)


def _directions(rng, F: int, S: int, d: int) -> np.ndarray:
    return rng.standard_normal((F, S, d))


# ---- families ---------------------------------------------------------------------------------------
def _lsc(setting: Setting, mu: float, eta: float, size) -> Candidate:
    """L-SC sized for the 2-cycle of step eta (R = :meth:`LSC.cycle_radius`) and 4x wider."""
    beta, rho = setting.constants.beta, setting.rho
    R0 = LSC.cycle_radius(beta=beta, rho=rho, eta=eta)
    members, f, x_ref = _batch([FamilySpec("L-SC", {"beta": beta, "mu": mu, "R": R}) for R in (R0, 4.0 * R0)])
    starts = starts_within(f, x_ref, np.ones((2, 1, 1)), _fractions(size["fractions"]), setting.constants.Delta,
                           setting.constants.D)
    return Candidate("L-SC", members, f, starts)


def _lnc(setting: Setting, size) -> Candidate:
    """L-NC for c = 0.99 and 0.5, started near its fixed point -rho when f(-rho) - f* <= Delta."""
    beta, rho, Delta = setting.constants.beta, setting.rho, setting.constants.Delta
    cs = np.array([0.99, 0.5])
    members, f, x_ref = _batch([FamilySpec("L-NC", {"beta": beta, "rho": rho, "c": float(c)}) for c in cs])
    rays = starts_within(f, x_ref, np.array([[[1.0], [-1.0]]] * 2), _fractions(size["fractions"] // 2 or 1),
                         Delta, None)
    offsets = np.linspace(-0.2, 0.2, 5)[None, :, None] * (np.minimum((1 - cs) / 2, cs) * rho)[:, None, None]
    near = -rho + offsets
    gap = f.value(near) - f.f_star[:, None]
    near = np.where((gap <= Delta)[..., None], near, rays[:, :1, :])  # outside the budget: reuse a valid start
    return Candidate("L-NC", members, f, np.concatenate([near, rays], axis=1))


def _quadratics(setting: Setting, mu: float, size, rng) -> list[Candidate]:
    """Rotated quadratics with spectrum from mu to beta (linear and log spaced), stored as explicit H."""
    beta = setting.constants.beta
    out = []
    spacings = ("linear", "log") if mu > 0 else ("linear",)
    for d in size["dims"]:
        for spacing in spacings:
            q = Quadratic.with_spectrum(beta=beta, mu=mu, dim=d, n_functions=size["seeds"],
                                        seed=int(rng.integers(2**31)), spacing=spacing)
            members, f, x_ref = _batch([FamilySpec("quadratic", {"H": q.H[i], "center": q.center[i]})
                                        for i in range(q.n_functions)])
            starts = starts_within(f, x_ref, _directions(rng, f.n_functions, size["directions"], d),
                                   np.array([1.0, 0.1]), setting.constants.Delta, setting.constants.D)
            out.append(Candidate(f"quadratic (d={d}, {spacing} spectrum)", members, f, starts))
    return out


def _kappa(setting: Setting, rng, size) -> Candidate:
    """The docs/theory.md section 6 ridge, b0 = c = r beta/2 with r fitted so that declared beta <= beta."""
    beta, mu = setting.constants.beta, setting.constants.mu
    eps, shift = 0.05, 0.66

    def top(r):
        M = np.array([[r * beta / 2 + r * beta / 2, -r * beta / 2 * eps],
                      [-r * beta / 2 * eps, mu + r * beta / 2 * eps**2]])
        return np.linalg.eigvalsh(M)[-1]

    lo, hi = 0.0, 1.0
    for _ in range(100):  # largest r with lambda_max <= beta (lambda_max increases with r)
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if top(mid) <= beta * _SHRINK else (lo, mid)
    params = {"mu": mu, "b0": lo * beta / 2, "c": lo * beta / 2, "eps": eps, "shift": shift}
    members, f, x_ref = _batch([FamilySpec("kappa-adversarial", params)])
    starts = starts_within(f, x_ref, _directions(rng, 1, size["directions"], 2), np.array([1.0, 0.1]),
                           setting.constants.Delta, setting.constants.D)
    return Candidate("kappa-adversarial ridge", members, f, starts)


def _ridge(setting: Setting, lam: float, L: float | None, rng, size) -> Candidate:
    """sum_j w logcosh(a_j^T x) + (lam/2)||x||^2 with w scaled to beta (and to L when given)."""
    beta = setting.constants.beta
    m, d = 3, 2
    A = rng.standard_normal((m, d))
    w = (beta - lam) / float(np.linalg.eigvalsh(A.T @ A)[-1]) * _SHRINK
    if L is not None:
        w = min(w, L / float(np.linalg.norm(A, axis=1).sum()) * _SHRINK)
    params = {"A": A, "weights": w, "center": [0.0] * d, "lam": lam}
    members, f, x_ref = _batch([FamilySpec("logcosh-ridge", params)])
    starts = starts_within(f, x_ref, _directions(rng, 1, size["directions"], d), np.array([1.0, 0.1]),
                           setting.constants.Delta, None if L is not None else setting.constants.D)
    return Candidate("logcosh ridge", members, f, starts)


def _ls(setting: Setting, ps: np.ndarray) -> Candidate:
    """L-S with K = sqrt(p/(1-p)) sigma/(beta rho): noise variance exactly sigma^2; starts within Delta / D."""
    c = setting.constants
    beta, rho, sigma = c.beta, setting.rho, c.sigma
    Ks = np.sqrt(ps / (1 - ps)) * sigma / (beta * rho) * _SHRINK
    members, f, _ = _batch([FamilySpec("L-S", {"beta": beta, "rho": rho, "p": float(p), "K": float(K)})
                            for p, K in zip(ps, Ks)])
    radius = np.inf
    if c.Delta is not None:
        radius = np.sqrt(2 * c.Delta / beta) * _SHRINK
    if c.D is not None:
        radius = min(radius, c.D)
    points = np.stack([np.full_like(ps, radius), np.full_like(ps, -radius), np.minimum(rho * (1 - 2 * ps), radius)],
                      axis=1)[..., None]
    return Candidate("L-S", members, f, points)
