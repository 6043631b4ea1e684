"""Hypothesis strategies for functions of a class, with the constants they are drawn for.

Each family draws a member of :mod:`sambounds.functions` whose *declared* constants fit the
requested ones: declared beta <= beta, declared mu >= mu (strongly convex), declared L <= L
(Lipschitz), declared sigma <= sigma (stochastic).  A function with smaller smoothness or larger
strong convexity belongs to the class of the requested constants, so every bound proved for
that class must hold on it.  Families whose constants are scaled to the target are scaled by
``1 - 1e-12`` so that rounding never pushes a declared constant above the requested one.

A drawn function comes back as a :class:`Problem`: a :class:`~sambounds.adversary.families.FamilySpec`
(family name + JSON-ready parameters, the format witness files use) and the function it builds.
Its ``repr`` is the spec, so a shrunk counterexample reads like
``quadratic(spectrum=[[1.0]], rotation_seed=None, center=[[0.0]])``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st

from .families import FamilySpec
from .. import _validate as v
from ..errors import IncompatibleSettingError
from ..functions.base import Objective
from ..setting import FunctionClass

#: Scaled constants are multiplied by this so rounding cannot exceed the requested constant.
_SHRINK = 1.0 - 1e-12


@dataclass(frozen=True)
class Problem:
    """A drawn function: the rebuildable family spec and the function it builds.

    Attributes
    ----------
    spec : FamilySpec
        Family name and JSON-ready parameters (:mod:`sambounds.adversary.families`), the same spec a
        witness file stores, so a failing instance can be replayed with ``sambounds rerun``.
    function : Objective
        ``spec.build()[0]`` (a batch of one function).
    """

    spec: FamilySpec
    function: Objective = field(repr=False, compare=False)

    @classmethod
    def of(cls, name: str, **params: Any) -> "Problem":
        spec = FamilySpec(name, params)
        return cls(spec, spec.build()[0])

    @property
    def recipe(self) -> str:
        """``name(param=value, ...)``; ``FamilySpec(name, params).build()`` rebuilds the function."""
        params = ", ".join(f"{k}={_fmt(x)}" for k, x in self.spec.params.items())
        return f"{self.spec.name}({params})"

    def __repr__(self) -> str:
        return self.recipe

    def _repr_pretty_(self, printer, cycle) -> None:  # hypothesis and IPython print the recipe too
        printer.text(self.recipe)


@dataclass(frozen=True)
class Target:
    """The constants a family must fit (validated by :func:`sambounds.testing.strategies.functions`)."""

    beta: float
    mu: float | None = None
    L: float | None = None
    rho: float | None = None
    sigma: float | None = None


def _fmt(value: Any) -> str:
    """Shortest round-trip text of numbers and nested lists (readable recipes)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_fmt(x) for x in value) + "]"
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    return repr(float(value))


def _dims(dim: tuple[int, int]) -> st.SearchStrategy[int]:
    return st.integers(dim[0], dim[1])


def _vector(d: int, scale: float = 2.0) -> st.SearchStrategy[list[float]]:
    return st.lists(st.floats(-scale, scale, allow_nan=False, width=32), min_size=d, max_size=d)


def _fraction(low: float = 0.0, high: float = 1.0) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False)


# ---- strongly convex / convex families ----------------------------------------------------------

@st.composite
def _quadratic(draw, t: Target, dim: tuple[int, int]) -> Problem:
    """Spectrum in [mu, beta] with both ends attained when d >= 2 (axis-aligned or Haar-rotated)."""
    mu = t.mu or 0.0
    d = draw(_dims(dim))
    if d == 1:  # one eigenvalue in [mu, beta], kept > 0 (shrinks to beta)
        lam = [t.beta - (t.beta - mu) * draw(_fraction(0.0, 1.0 if mu > 0 else 0.95))]
    else:
        inner = draw(st.lists(_fraction(), min_size=d - 2, max_size=d - 2))
        lam = sorted([mu, *(mu + (t.beta - mu) * u for u in inner), t.beta])
    seed = draw(st.none() | st.integers(0, 2**16))  # None: axis-aligned (shrinks there)
    return Problem.of("quadratic", spectrum=[lam], rotation_seed=seed, center=[draw(_vector(d))])


@st.composite
def _lsc(draw, t: Target, dim: tuple[int, int]) -> Problem:
    """L-SC with radius R relative to rho (the 2-cycle lives inside |x| <= R when R is large)."""
    d = draw(_dims(dim))
    R = (t.rho if t.rho else 0.1) * (1.0 + 4.0 * draw(_fraction(0.01, 1.0)))
    return Problem.of("L-SC", beta=[t.beta], mu=[t.mu], R=[R], dim=d)


@st.composite
def _ridge(draw, t: Target, dim: tuple[int, int]) -> Problem:
    """logcosh ridge sum, weights scaled so beta' = ||A^T diag(w) A|| + mu <= beta (and L' <= L)."""
    mu = t.mu or 0.0
    d, m = draw(_dims(dim)), draw(st.integers(1, 3))
    rows = draw(st.lists(st.lists(st.integers(-9, 9), min_size=d, max_size=d).filter(any), min_size=m, max_size=m))
    A = np.asarray(rows, dtype=float)  # small integer rows: readable and exactly representable
    w = (t.beta - mu) / float(np.linalg.eigvalsh(A.T @ A)[-1]) * _SHRINK
    if t.L is not None:
        w = min(w, t.L / float(np.linalg.norm(A, axis=1).sum()) * _SHRINK)
    return Problem.of("logcosh-ridge", A=[rows], weights=[w], lam=[mu])


@st.composite
def _huber(draw, t: Target, dim: tuple[int, int]) -> Problem:
    """Huber with scale beta; delta capped so that L' = beta delta sqrt(d) <= L."""
    d = draw(_dims(dim))
    delta = draw(_fraction(0.05, 2.0))
    if t.L is not None:
        delta = min(delta, t.L / (t.beta * math.sqrt(d)) * _SHRINK)
    return Problem.of("huber", center=[draw(_vector(d))], delta=[delta], scale=[t.beta])


# ---- nonconvex families -------------------------------------------------------------------------

@st.composite
def _double_well(draw, t: Target, dim: tuple[int, int]) -> Problem:
    """s sum_i (u^2/2 + a e^{-u^2/2}), s chosen so s max{a - 1, 1 + 2 a e^{-3/2}} <= beta."""
    d = draw(_dims(dim))
    a = draw(_fraction(1.5, 6.0))
    s = t.beta / max(a - 1.0, 1.0 + 2.0 * a * math.exp(-1.5)) * _SHRINK
    return Problem.of("double-well", a=[a], scale=[s], dim=d)


@st.composite
def _trigonometric(draw, t: Target, dim: tuple[int, int]) -> Problem:
    """a r^2/2 + b (1 - cos omega r); with L given: a = 0 and omega >= beta sqrt(d)/L so L' <= L."""
    d = draw(_dims(dim))
    omega = draw(_fraction(0.5, 3.0))
    if t.L is not None:
        a = 0.0
        omega = max(omega, t.beta * math.sqrt(d) / t.L)
    else:
        a = t.beta * draw(_fraction(0.0, 0.5))
    b = (t.beta - a) / omega**2 * _SHRINK
    return Problem.of("trigonometric", center=[draw(_vector(d))], a=[a], b=[b], omega=[omega])


@st.composite
def _lnc(draw, t: Target, dim: tuple[int, int]) -> Problem:
    return Problem.of("L-NC", beta=[t.beta], rho=[t.rho], c=[draw(_fraction(0.05, 0.95))], dim=draw(_dims(dim)))


# ---- stochastic -----------------------------------------------------------------------------------

@st.composite
def _ls(draw, t: Target, dim: tuple[int, int]) -> Problem:
    """L-S with K chosen so its noise sqrt((1 - p)/p) K beta rho is at most sigma."""
    p = draw(_fraction(0.05, 0.45))
    K_max = t.sigma / (math.sqrt((1.0 - p) / p) * t.beta * t.rho)
    K = K_max * draw(_fraction(0.1, 1.0)) * _SHRINK
    return Problem.of("L-S", beta=[t.beta], rho=[t.rho], p=[p], K=[K])


@st.composite
def _quadratic_sum(draw, t: Target, dim: tuple[int, int]) -> Problem:
    """Quadratic finite sum with one Hessian (spectrum as for quadratics) and exact noise sigma' <= sigma.

    The noise shares sit on the eigenvectors with lambda >= 1e-3 beta (the centers are at
    sigma/lambda: smaller eigenvalues would need huge or infinite centers); sigma' = sigma u with
    u in [0.1, 1] (shrinks to sigma).
    """
    base = draw(_quadratic(t, dim))
    lam = base.spec.params["spectrum"][0]
    shares = [draw(_fraction()) if x >= 1e-3 * t.beta else 0.0 for x in lam]
    if not any(shares):
        shares[-1] = 1.0   # lam[-1] = beta > 0
    sigma = t.sigma * (1.0 - 0.9 * draw(_fraction())) * _SHRINK
    return Problem.of("quadratic-sum", spectrum=[lam], sigma=[sigma], noise=[shares],
                      rotation_seed=base.spec.params["rotation_seed"], center=base.spec.params["center"])


@dataclass(frozen=True)
class Family:
    """A family of functions: the classes it can be drawn for and what it needs from the target."""

    build: Callable[[Target, tuple[int, int]], st.SearchStrategy[Problem]]
    classes: frozenset
    needs: Callable[[Target], str | None]
    stochastic: bool = False


def _needs_nothing(t: Target) -> None:
    return None


def _needs_gap(t: Target) -> str | None:
    return "beta > mu (a spread of curvatures)" if t.beta <= (t.mu or 0.0) else None


def _needs_strong(t: Target) -> str | None:
    return "mu > 0" if not t.mu else None


def _needs_rho(t: Target) -> str | None:
    return "rho > 0" if not t.rho else None


def _needs_noise(t: Target) -> str | None:
    return "rho > 0 and sigma > 0" if not (t.rho and t.sigma) else None


def _needs_sigma(t: Target) -> str | None:
    return "sigma > 0" if not t.sigma else None


_SC, _C = FunctionClass.STRONGLY_CONVEX, FunctionClass.CONVEX
_LNC_CLASS, _NC = FunctionClass.LIPSCHITZ_NONCONVEX, FunctionClass.NONCONVEX

#: Every family by name (read-only); the names are those of :data:`sambounds.adversary.families.BUILDERS`.
#: ``classes``: the classes whose constants it can be fitted to.  Hypothesis shrinks towards the
#: member with the fewest draws, and among equally short ones towards the earlier family.
FAMILIES: MappingProxyType = MappingProxyType({
    "quadratic": Family(_quadratic, frozenset({_SC, _C, _NC}), _needs_nothing),
    "L-SC": Family(_lsc, frozenset({_SC}), _needs_strong),
    "logcosh-ridge": Family(_ridge, frozenset({_SC, _C, _LNC_CLASS, _NC}), _needs_gap),
    "huber": Family(_huber, frozenset({_C, _LNC_CLASS, _NC}), _needs_nothing),
    "double-well": Family(_double_well, frozenset({_NC}), _needs_nothing),
    "trigonometric": Family(_trigonometric, frozenset({_LNC_CLASS, _NC}), _needs_nothing),
    "L-NC": Family(_lnc, frozenset({_NC}), _needs_rho),
    "L-S": Family(_ls, frozenset({_SC, _C, _NC}), _needs_noise, stochastic=True),
    "quadratic-sum": Family(_quadratic_sum, frozenset({_SC, _C, _NC}), _needs_sigma, stochastic=True),
})


def family_names(function_class: FunctionClass | str, *, stochastic: bool = False) -> tuple[str, ...]:
    """Names of the families that can be drawn for a class (deterministic or stochastic ones)."""
    fc = FunctionClass.parse(function_class)
    return tuple(n for n, fam in FAMILIES.items() if fc in fam.classes and fam.stochastic == stochastic)


def resolve_families(function_class: FunctionClass, target: Target, families: Any, *,
                     stochastic: bool) -> tuple[str, ...]:
    """Check requested family names against the class and the target constants.

    Without an explicit list, families whose needs the target does not meet are left out;
    an explicit family that cannot be drawn is an error naming it and the reason.
    """
    allowed = family_names(function_class, stochastic=stochastic)
    kind = "stochastic" if stochastic else "deterministic"
    if families is None:
        names = tuple(n for n in allowed if FAMILIES[n].needs(target) is None)
        if not names:
            reasons = sorted({FAMILIES[n].needs(target) for n in allowed} - {None})
            raise IncompatibleSettingError("families", None, f"constants for which some {kind} family of "
                                           f"{function_class.value} can be drawn ({', '.join(allowed) or 'none'})",
                                           "every family needs " + " or ".join(reasons) if reasons
                                           else "no family is defined")
        return names
    names = v.subset("families", families, sorted(FAMILIES))
    for n in names:
        if n not in allowed:
            raise IncompatibleSettingError("families", n, f"one of {list(allowed)} for the "
                                           f"{function_class.value} class ({kind})")
        why = FAMILIES[n].needs(target)
        if why is not None:
            raise IncompatibleSettingError("families", n, f"a family whose needs are met ({why})")
    return names


def problems(target: Target, names: tuple[str, ...], dim: tuple[int, int]) -> st.SearchStrategy[Problem]:
    """A strategy over the named families (shrinking prefers fewer draws, then earlier families)."""
    return st.one_of(*(FAMILIES[n].build(target, dim) for n in names))
