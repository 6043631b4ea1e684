"""The methods as trajectories in the Gram basis (normalized units, x* = 0).

One step, t = 0..T-1, with g_t = grad f(x_t) and h_t = grad f(y_t):

=============  =========================================  =============================
method         ascent point y_t                           status in the PEP
=============  =========================================  =============================
GD             x_t  (h_t = g_t)                           linear: exact
USAM           x_t + rho g_t                              linear: exact
SAM slice      x_t + (rho / c_t) g_t, with ||g_t|| = c_t  linear once c is fixed: exact
SAM relaxed    x_t + d_t, ||d_t||^2 = rho^2, <d_t, g_t> >= 0   sound relaxation
=============  =========================================  =============================

and x_{t+1} = x_t - eta_t h_t.  Normalized SAM's step rho g/||g|| is not linear in the Gram
basis.  A *slice* fixes the gradient norms c_t, after which the step is linear and the
program is an exact PEP over the functions whose SAM trajectory has those norms (c_t = 0
is g_t = 0 with the zero-gradient convention y_t = x_t).  The *relaxation* replaces the
direction by any vector d_t of length rho making a non-obtuse angle with g_t, optionally
with the secant cut

    <d_t, g_t> >= rho (a_t + (||g_t||^2 - a_t^2) / (a_t + b_t)),   a_t <= ||g_t|| <= b_t,

valid because <d_t, g_t> = rho ||g_t|| and sqrt is above its secant on [a_t^2, b_t^2].
Soundness when g_t = 0 (true step y_t = x_t, d_t = 0): lift f to f(x + s e) := f(x) with a
new orthogonal direction e; the trajectory is unchanged, grad f(x_t + rho e) = 0, and
d_t = rho e satisfies every row above, so that trajectory stays feasible (for mu > 0, g_t = 0
means x_t = x* and the measure is 0, below any feasible value).

Two bases span the same space for GD (every eta_t != 0): the gradient basis
(x_0, g_0, ..., g_T), in which x_t = x_0 - sum_{s<t} eta_s g_s has t + 1 coordinates, and the
*iterate basis* (x_0, x_1, ..., x_T, g_T), in which g_t = (x_t - x_{t+1}) / eta_t (t < T).  The
change of basis is triangular with diagonal -eta_t, so the PEP's value is the same; in the
iterate basis every point and gradient has at most two coordinates, which makes each
interpolation row O(1) sparse and the rows between nearby points touch only a band of G
(what :mod:`sambounds.pep.banded` exploits).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .gram import Point, num, zeros


@dataclass(frozen=True)
class Method:
    """Which trajectory to build.

    kind : ``"gd"``, ``"usam"``, ``"sam-slice"`` or ``"sam-relax"``.
    rho : perturbation radius in normalized units (USAM: the dimensionless rho * beta).
    c : gradient norms c_0..c_{T-1} of a slice (normalized units).
    box : per-step intervals (a_t, b_t) containing ||g_t|| for the relaxation's secant cut.
    """

    kind: str
    rho: float = 0.0
    c: tuple[float, ...] | None = None
    box: tuple[tuple[float, float], ...] | None = field(default=None)


@dataclass(frozen=True)
class Trajectory:
    """Basis names, evaluated points (without x*), iterate / ascent indices, method rows.

    ``extra_ineq`` / ``extra_eq`` are lists of (A, e, label) meaning A . G + e >= 0 / == 0.
    """

    basis: tuple[str, ...]
    points: tuple[Point, ...]
    iterates: tuple[int, ...]
    ascent: tuple[int, ...]
    extra_ineq: tuple
    extra_eq: tuple


BASES = ("gradients", "iterates")


def build_trajectory(method: Method, steps, exact: bool = False, basis: str = "gradients") -> Trajectory:
    """Points x_0, y_0, x_1, ..., x_T of ``method`` with step sizes ``steps`` (normalized).

    ``basis="iterates"`` (GD with every step nonzero only) uses the iterate basis of the
    module docstring.
    """
    if basis == "iterates":
        return _gd_iterates(steps, exact)
    T = len(steps)
    rho = num(method.rho, exact)
    plan = _plan(method, T)
    names = ["x0"]
    for t in range(T):
        names.append(f"g{t}")
        if plan[t] == "relax":
            names.append(f"d{t}")
        if plan[t] != "same":
            names.append(f"h{t}")
    names.append(f"g{T}")
    k = len(names)
    col = {n: i for i, n in enumerate(names)}

    def e(name):
        u = zeros(k, exact)
        u[col[name]] = num(1, exact)
        return u

    x = e("x0")
    points, iterates, ascent = [], [], []
    extra_ineq, extra_eq = [], []
    for t in range(T):
        g = e(f"g{t}")
        iterates.append(len(points))
        points.append(Point(f"x{t}", x, g, len(points)))
        if plan[t] == "same":
            ascent.append(iterates[-1])
            h = g
            if method.kind == "sam-slice" and rho != 0:    # c_t = 0: SAM's y_t = x_t needs g_t = 0
                extra_eq.append((np.outer(g, g), num(0, exact), f"||g{t}|| = c{t} = 0"))
        else:
            if plan[t] == "usam":
                y = x + rho * g
            elif plan[t] == "slice":
                y = x + (rho / num(method.c[t], exact)) * g
            else:
                d = e(f"d{t}")
                y = x + d
                extra_eq.append((np.outer(d, d), -rho * rho, f"||d{t}||^2 = rho^2"))
                extra_ineq.append((_sym(d, g), num(0, exact), f"<d{t}, g{t}> >= 0"))
                if method.box is not None:
                    extra_ineq.extend(_box_rows(d, g, rho, method.box[t], t, exact))
            h = e(f"h{t}")
            ascent.append(len(points))
            points.append(Point(f"y{t}", y, h, len(points)))
            if plan[t] == "slice":
                c = num(method.c[t], exact)   # written ||g_t||^2 / c_t^2 = 1: an O(1) row whatever c_t
                extra_eq.append((np.outer(g, g) / (c * c), -num(1, exact), f"||g{t}|| = c{t}"))
        x = x - num(steps[t], exact) * h
    iterates.append(len(points))
    points.append(Point(f"x{T}", x, e(f"g{T}"), len(points)))
    return Trajectory(tuple(names), tuple(points), tuple(iterates), tuple(ascent),
                      tuple(extra_ineq), tuple(extra_eq))


def iterate_basis_applies(method: Method, steps) -> bool:
    """Whether the iterate basis spans GD's points (GD, every eta_t != 0)."""
    return method.kind == "gd" and all(s != 0 for s in steps)


def _gd_iterates(steps, exact: bool) -> Trajectory:
    T = len(steps)
    names = tuple(f"x{t}" for t in range(T + 1)) + (f"g{T}",)
    k = T + 2

    def e(i):
        u = zeros(k, exact)
        u[i] = num(1, exact)
        return u

    points = tuple(Point(f"x{t}", e(t), (e(t) - e(t + 1)) / num(steps[t], exact), t) for t in range(T)) \
        + (Point(f"x{T}", e(T), e(T + 1), T),)
    its = tuple(range(T + 1))
    return Trajectory(names, points, its, its, (), ())


def gram_size(method: Method, T: int) -> tuple[int, int]:
    """(k, n): Gram size and number of evaluated points (without x*) of a trajectory."""
    if method.kind == "sam-slice" and method.rho != 0:
        plan = _plan(method, T)
        moved, relaxed = sum(p != "same" for p in plan), 0
    else:  # O(1): the horizon check runs before anything of length T exists
        moved = 0 if (method.kind == "gd" or method.rho == 0) else T
        relaxed = T if moved and method.kind == "sam-relax" else 0
    return 2 + T + moved + relaxed, T + 1 + moved


def _plan(method: Method, T: int) -> list[str]:
    kind = method.kind
    if kind == "gd" or method.rho == 0:
        return ["same"] * T
    if kind == "usam":
        return ["usam"] * T
    if kind == "sam-slice":
        return ["same" if method.c[t] == 0 else "slice" for t in range(T)]
    if kind == "sam-relax":
        return ["relax"] * T
    raise ValueError(f"unknown method kind {kind!r}")  # internal: kinds come from problem.py


def _box_rows(d, g, rho, box, t, exact):
    a, b = num(box[0], exact), num(box[1], exact)
    gg = np.outer(g, g)
    rows = [(gg, -a * a, f"||g{t}|| >= a{t}"), (-gg, b * b, f"||g{t}|| <= b{t}")]
    if a + b > 0:
        rows.append((_sym(d, g) - (rho / (a + b)) * gg, -rho * a * b / (a + b),
                     f"secant cut <d{t}, g{t}> >= rho sqrt-secant"))
    return rows


def _sym(u, v):
    o = np.outer(u, v)
    return (o + o.T) / 2
