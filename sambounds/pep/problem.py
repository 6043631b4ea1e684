"""Assemble a PEP: trajectory + interpolation + initial condition + performance measure.

Normalization (why: the 1e-6 agreement with closed forms needs every Gram entry of order 1).
Take x* = 0, g* = 0, f* = 0 (convex classes) or f_low = 0 (nonconvex) analytically, and
measure lengths in a unit ell and gradients in beta * ell, so that beta = 1:

    ell = D                     for the initial condition ||x_0 - x*|| <= D,
    ell = sqrt(Delta / beta)    for f(x_0) - f* <= Delta.

In these units the step is eta_t beta, mu becomes mu/beta, SAM's radius rho/ell, USAM's
(dimensionless) radius rho beta, a slice's gradient norms c_t/(beta ell), and the
measures scale back by

    f(x_T) - f*: beta ell^2,   ||x_T - x*||^2: ell^2,   ||grad f||^2: beta^2 ell^2.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .. import _validate as v
from ..errors import IncompatibleSettingError, InvalidParameterError
from ..setting import Algorithm, FunctionClass, Setting
from .gram import Point, Program, Rows, num, pair_value_rows, zeros
from .interpolation import lower_bound_rows, pair_rows, pair_rows_sparse, smooth_class
from .methods import Method, build_trajectory, gram_size, iterate_basis_applies

#: default bound on a program's size: m * k^2 (interpolation rows times Gram entries) for a dense
#: program, m * k for a sparse one (GD in the iterate basis, whose rows have O(1) nonzeros each;
#: its rows and solves are O(m) in memory).  GD T = 100 (convex: n = 102 points, k = 102, m = 10,302)
#: has sparse size 1.05e6 and is admitted; measured (benchmarks/bench_pep.py, BENCHMARKS.md; fresh
#: process, after a warm-up solve at 237 MB): GD convex N = 100 builds and solves in 0.16 s with a peak
#: of 267 MB (+30 MB), GD strongly convex h = 1/L in 0.30 s, 274 MB (issue 15: 2.9 GB when dense).
#: Dense programs keep the old limit (SAM's relaxation at T of about 17; 4e6 doubles, 32 MB a block).
DEFAULT_MAX_SIZE = 4_000_000


class Measure(str, enum.Enum):
    """Performance measure at the last iterate x_T (or over the iterates for min-grad)."""

    F = "f"                  # f(x_T) - f*
    DIST = "dist"            # ||x_T - x*||^2
    GRAD = "grad"            # ||grad f(x_T)||^2
    MIN_GRAD = "min-grad"    # min_{0 <= t <= T} ||grad f(x_t)||^2

    @classmethod
    def parse(cls, value) -> "Measure":
        return _parse(cls, "measure", value)


class Initial(str, enum.Enum):
    """Initial condition: ||x_0 - x*|| <= D, or f(x_0) - f* <= Delta."""

    DISTANCE = "distance"
    FUNCTION_GAP = "function-gap"

    @classmethod
    def parse(cls, value) -> "Initial":
        return _parse(cls, "initial", value)


@dataclass(frozen=True)
class Spec:
    """A validated PEP question: setting, measure, initial condition and unit length."""

    setting: Setting
    measure: Measure
    initial: Initial
    length: float

    @property
    def beta(self) -> float:
        return self.setting.constants.beta

    def scale(self, exact: bool = False):
        """Factor from normalized to user units for the measure."""
        beta, c = num(self.beta, exact), self.setting.constants
        if self.initial is Initial.DISTANCE:
            ell2 = num(c.D, exact) ** 2
        else:
            ell2 = num(c.Delta, exact) / beta
        return {Measure.F: beta * ell2, Measure.DIST: ell2}.get(self.measure, beta * beta * ell2)

    def normalized(self, exact: bool = False):
        """(steps, mu, rho) in normalized units (see module docstring)."""
        s = self.setting
        beta = num(self.beta, exact)
        steps = [num(eta, exact) * beta for eta in s.steps]
        mu = num(s.constants.mu or 0.0, exact) / beta
        rho = num(s.rho, exact)
        if s.algorithm is Algorithm.USAM:
            rho = rho * beta
        elif s.algorithm is Algorithm.SAM:
            rho = rho / num(self.length, exact) if self.initial is Initial.DISTANCE or not exact \
                else Fraction(float(s.rho) / self.length)
        return steps, mu, rho


def make_spec(setting: Setting, measure="f", initial=None) -> Spec:
    """Validate the combination and pick the unit length.

    Raises
    ------
    InvalidParameterError / IncompatibleSettingError
        Algorithm not in {gd, usam, sam}; class lipschitz-nonconvex; mu = beta; no schedule;
        missing, zero or class-incompatible initial constant; dist measure on nonconvex, or
        on the convex class (mu = 0) from a function gap (unbounded).
    """
    if not isinstance(setting, Setting):
        raise InvalidParameterError("setting", setting, "a sambounds.Setting")
    if setting.algorithm not in (Algorithm.GD, Algorithm.USAM, Algorithm.SAM):
        raise IncompatibleSettingError("algorithm", setting.algorithm.value, "one of 'gd', 'usam', 'sam'",
                                       "the PEP covers deterministic methods")
    if setting.function_class is FunctionClass.LIPSCHITZ_NONCONVEX:
        raise IncompatibleSettingError("function_class", setting.function_class.value,
                                       "'strongly-convex', 'convex' or 'nonconvex'",
                                       "no interpolation conditions are implemented for it")
    c = setting.constants
    if c.mu is not None and c.mu >= c.beta:
        raise IncompatibleSettingError("mu", c.mu, f"a number < beta = {c.beta:g} for the PEP",
                                       "mu = beta leaves only quadratics beta||x - x*||^2/2")
    setting.steps  # raises a clear error when there is no schedule
    measure = Measure.parse(measure)
    convex = setting.function_class.convex
    if initial is None:
        initial = Initial.DISTANCE if (convex and c.D is not None) else Initial.FUNCTION_GAP
    initial = Initial.parse(initial)
    if initial is Initial.DISTANCE:
        if not convex:
            raise IncompatibleSettingError("initial", initial.value, "'function-gap' for the nonconvex class",
                                           "a nonconvex function need not have a minimizer x*")
        if c.D is None:
            raise IncompatibleSettingError("D", None, "a finite number > 0", "initial='distance' needs D")
        length = v.positive("D", c.D)
    else:
        if c.Delta is None:
            raise IncompatibleSettingError("Delta", None, "a finite number > 0",
                                           "initial='function-gap' needs Delta" +
                                           ("" if convex else " (the nonconvex class has no x*)"))
        length = math.sqrt(v.positive("Delta", c.Delta) / c.beta)
    if measure is Measure.DIST and not convex:
        raise IncompatibleSettingError("measure", measure.value, "'f', 'grad' or 'min-grad' for nonconvex",
                                       "a nonconvex function need not have a minimizer x*")
    if measure is Measure.DIST and initial is Initial.FUNCTION_GAP and not (c.mu or 0.0) > 0:
        raise IncompatibleSettingError("initial", initial.value, "'distance' for measure 'dist' on the convex class",
                                       "f(x_0) - f* <= Delta does not bound ||x_T - x*|| without strong convexity "
                                       "(a flat function's minimizer can be arbitrarily far): the worst case is +inf")
    return Spec(setting, measure, initial, length)


def build_program(spec: Spec, method: Method, *, exact: bool = False,
                  max_size: int = DEFAULT_MAX_SIZE, basis: str = "auto", sparse: bool | None = None) -> Program:
    """The PEP of ``method`` (normalized units) for ``spec``, in matrix form.

    Rows: interpolation (I) for every ordered pair of points (x* = 0 included for convex
    classes), the nonconvex lower-bound rows, the method's own rows (SAM), the initial
    condition, and for min-grad the epigraph rows ||g_t||^2 >= t.  ``method.rho``,
    ``method.c`` and ``method.box`` are already normalized.

    ``basis``: ``"gradients"`` (the default, ``"auto"``) or ``"iterates"`` (GD with nonzero
    steps, see :mod:`sambounds.pep.methods`; what :func:`sambounds.worst_case` uses for GD with
    Clarabel, through :mod:`sambounds.pep.banded`).  ``sparse``: store the interpolation rows as
    one scipy.sparse matrix (default: float programs in the iterate basis); the program is the same.
    """
    steps_check = spec.setting.steps
    if basis == "auto":
        basis = "gradients"
    if basis not in ("gradients", "iterates") or \
            (basis == "iterates" and not iterate_basis_applies(method, steps_check)):
        raise InvalidParameterError("basis", basis, "'auto', 'gradients', or 'iterates' (GD with nonzero steps)")
    sparse = (basis == "iterates" and not exact) if sparse is None else bool(sparse)
    if sparse and exact:
        raise InvalidParameterError("sparse", sparse, "False for an exact program (Fraction arrays are dense)")
    check_size(spec, method, max_size, sparse=sparse)
    steps, mu, _ = spec.normalized(exact)
    traj = build_trajectory(method, steps, exact, basis=basis)
    k, nF = len(traj.basis), len(traj.points)
    nt = 1 if spec.measure is Measure.MIN_GRAD else 0
    one = num(1, exact)
    convex = spec.setting.function_class.convex
    points = traj.points
    if convex:  # x* = 0, g* = 0, f* = 0, appended as the last point
        points = points + (Point("x*", zeros(k, exact), zeros(k, exact), None),)

    def rows(A, labels, **kw):
        return Rows.build(A, k, nF, nt, exact, labels, **kw)

    def consts(values):
        out = zeros(len(values), exact)
        out[:] = list(values)
        return out

    X = np.stack([p.x for p in points])
    Gr = np.stack([p.g for p in points])
    n = len(points)
    ii, jj = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    pairs = np.stack([ii.ravel(), jj.ravel()], axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    cls = smooth_class(spec.setting.function_class, one, mu)
    interp = pair_rows_sparse(cls, X, Gr, pairs) if sparse else pair_rows(cls, X, Gr, pairs)
    ineq = [rows(interp, [f"interp({points[i].name}, {points[j].name})" for i, j in pairs],
                 B=pair_value_rows(points, pairs, nF, exact))]
    if not convex:
        idx = np.arange(nF)
        B = zeros((nF, nF), exact)
        B[idx, idx] = one
        ineq.append(rows(lower_bound_rows(one, Gr, idx),
                         [f"f({points[i].name}) >= f_low + ||g||^2/2" for i in idx], B=B))
    if traj.extra_ineq:
        ineq.append(rows(np.stack([A for A, _, _ in traj.extra_ineq]), [lab for _, _, lab in traj.extra_ineq],
                         e=consts([e for _, e, _ in traj.extra_ineq])))
    eq = rows(np.stack([A for A, _, _ in traj.extra_eq]), [lab for _, _, lab in traj.extra_eq],
              e=consts([e for _, e, _ in traj.extra_eq])) if traj.extra_eq else Rows.empty(k, nF, nt, exact)

    x0, last = points[traj.iterates[0]], points[traj.iterates[-1]]
    if spec.initial is Initial.DISTANCE:
        ineq.append(rows(-np.outer(x0.x, x0.x)[None], ["||x0 - x*||^2 <= 1"], e=consts([one])))
    else:
        B = zeros((1, nF), exact)
        B[0, x0.f] = -one
        ineq.append(rows(zeros((1, k, k), exact), ["f(x0) - f* <= 1"], B=B, e=consts([one])))

    A0, B0, C0 = zeros((1, k, k), exact), zeros((1, nF), exact), zeros((1, nt), exact)
    if spec.measure is Measure.F:
        B0[0, last.f] = one
    elif spec.measure is Measure.DIST:
        A0[0] = np.outer(last.x, last.x)
    elif spec.measure is Measure.GRAD:
        A0[0] = np.outer(last.g, last.g)
    else:
        C0[0, 0] = one
        its = [points[i] for i in traj.iterates]
        C = zeros((len(its), 1), exact)
        C[:, 0] = -one
        ineq.append(rows(np.stack([np.outer(p.g, p.g) for p in its]),
                         [f"||g{p.name[1:]}||^2 >= t" for p in its], C=C))
    objective = rows(A0, ["objective"], B=B0, C=C0)
    ineq_rows = Rows.stack(ineq, sparse)
    basis_scale = value_scale = None
    if not exact:
        basis_scale, value_scale = _geometric_scaling(spec, method, traj, steps, mu)
    return Program(traj.basis, points, ineq_rows, eq, objective, nt, spec.scale(exact), exact,
                   basis_scale, value_scale, pairs)


def _geometric_scaling(spec, method, traj, steps, mu):
    """Expected magnitudes: ||g_t|| ~ s_t, f(x_t) - f* ~ s_t^2 with s_t = prod_{u<t} r_u.

    r_u is the worst contraction of one step on the quadratics of the class (curvature
    lambda in {mu, 1}): |1 - eta lambda| for GD, |1 - eta lambda (1 + rho lambda)| for USAM
    (concave in lambda, so the endpoints suffice).  Without it, late Gram entries of a
    strongly convex PEP are ~r^(2t) and the solver's absolute accuracy swamps them.  SAM does
    not contract to 0 (its O(rho) cycles), so it is left unscaled; so are convex classes (r = 1).

    A SAM slice knows its gradient norms exactly: g_t is scaled by c_t, so that the solver's
    variable for ||g_t||^2 is 1.  Without it a slice with a small c_t (say 1e-4) meets its
    constraint ||g_t||^2 = c_t^2 only to the solver's absolute accuracy, i.e. not at all in
    relative terms, and the replayed SAM step rho g_t/||g_t|| then leaves the slice.
    """
    k = len(traj.basis)
    lams = np.array([mu, 1.0]) if spec.setting.function_class is FunctionClass.STRONGLY_CONVEX else None
    s = np.ones(spec.setting.T + 1)
    if lams is not None and method.kind in ("gd", "usam"):
        rho = method.rho if method.kind == "usam" else 0.0
        r = np.array([np.max(np.abs(1 - eta * lams * (1 + rho * lams))) for eta in steps])
        s[1:] = np.maximum(np.cumprod(np.clip(r, 1e-3, None)), 1e-8)
    basis_scale = np.ones(k)
    for i, name in enumerate(traj.basis):
        t = None if name == "x0" else int(name[1:])
        if t is not None:
            basis_scale[i] = s[t]
        if method.kind == "sam-slice" and name[0] == "g" and t < len(method.c) and method.c[t] > 0:
            basis_scale[i] = method.c[t]
    value_scale = np.array([s[int(p.name[1:])] ** 2 for p in traj.points])
    return basis_scale, value_scale


def check_size(spec: Spec, method: Method, max_size: int, sparse: bool = False) -> None:
    """Refuse programs whose size (m * k^2 dense, m * k sparse) exceeds ``max_size`` (with the numbers)."""
    _check(spec.setting.T, method, spec.setting.function_class.convex, max_size, sparse)


def program_size(k: int, n: int, sparse: bool) -> tuple[int, int]:
    """(m, size) for a Gram matrix of order k and n points: m = n (n - 1) rows, size as in DEFAULT_MAX_SIZE."""
    m = n * (n - 1)
    return m, m * k * (1 if sparse else k)


def _check(T: int, method: Method, convex: bool, max_size: int, sparse: bool = False) -> None:
    k, n = gram_size(method, T)
    n += 1 if convex else 0
    m, size = program_size(k, n, sparse)
    if size > max_size:
        what = "m*k" if sparse else "m*k^2"
        raise InvalidParameterError(
            "T", T, f"a horizon whose program fits max_size = {max_size:,}",
            f"{method.kind} with T = {T} gives a Gram matrix of size k = {k}, n = {n} points and "
            f"m = {m:,} interpolation rows, {what} = {size:,}; raise max_size or lower T")


def _parse(cls, name, value):
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        key = value.strip().lower().replace("_", "-")
        for member in cls:
            if member.value == key:
                return member
    raise InvalidParameterError(name, value, "one of " + ", ".join(repr(m.value) for m in cls))
