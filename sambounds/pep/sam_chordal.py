"""Normalized SAM as a chain of small Gram blocks: a PEP whose size grows linearly in T.

Why.  The dense SAM program of :mod:`sambounds.pep.problem` has one Gram matrix over
(x_0, g_t, d_t, h_t) of size k = 3T + 2 and all n(n - 1) ~ 4 T^2 interpolation pairs; since
x_t = x_0 - sum_s eta_s h_s is dense in that basis each pair row has O(T^2) entries, so
the program has O(T^4) entries and a PSD cone of order T^2 variables: it stops at T ~ 17.

Window.  Keep only the interpolation pairs between points at most ``window`` steps apart,
plus every pair with x* (convex classes) - points ordered x_0, y_0, x_1, y_1, ..., x_T, a
pair (p, q) is kept when both lie in the points x_b, y_b, ..., y_{b+w-1}, x_{b+w} of one
block b.  With only those rows the program is *chordal*: block b carries its own Gram
matrix N_b over the vectors

    x_b, then g_s, [d_s], h_s for s = b..b+w-1, then g_{b+w}        (relaxation: with d_s)

(x_{s+1} = x_s - eta_s h_s and y_s are linear combinations of these), consecutive blocks
must agree on the Gram entries of the vectors they share, and each N_b >= 0.

Soundness of the upper value (relaxation).  A SAM run on a function of the class is
feasible for the dense relaxation (:mod:`sambounds.pep.methods`: d_s = rho g_s/||g_s||,
||d_s|| = rho, <d_s, g_s> = rho ||g_s|| >= every secant cut whose box contains ||g_s||).
Its Gram matrix G gives blocks N_b = L_b^T G L_b (L_b: block vectors in the global basis),
which are PSD, agree on shared vectors and meet every kept row, because each kept row is a
row of the dense program.  So the windowed value is >= the dense relaxation's value >= the
worst case: dropping rows only enlarges the feasible set.  It is an upper bound up to the
solver's tolerance, never a lower estimate.

Exactness of a slice, and what is certified below.  Conversely, PSD blocks that agree on
their overlaps along a chain have a common realization (glue block b + 1 onto the vectors
already realized, its new vectors' components orthogonal to everything so far placed in new
coordinates: :func:`sambounds.pep.sam_windowed.realize`), so a solution of the windowed slice
is a set of vectors with ||g_s|| = c_s, y_s = x_s + rho g_s/||g_s||, meeting the kept
interpolation pairs.  The dropped (far) pairs may fail; the slice value is then only an
upper estimate of that slice.  The lower value is therefore *never* the slice value itself:
it is the measure of SAM's run (:func:`sambounds.simulate`, through
:func:`sambounds.pep.witness.replay`) on the constructive interpolant of the realized data,
a function of the class whatever the data (:mod:`sambounds.pep.interpolant`);
:func:`sambounds.pep.sam_windowed.interpolation_violation` reports how far the realized data
are from interpolable over all pairs.

Block counts: k_b = 3w + 2 (relaxation) or 2w + 2 (slice), T - w + 1 blocks, O(w^2) rows per
block: linear in T.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import cvxpy as cp
import numpy as np
import scipy.sparse as sp

from ..errors import InvalidParameterError, SolverError
from ..setting import FunctionClass
from .interpolation import lower_bound_rows, pair_rows, smooth_class
from .problem import Initial, Measure, Spec
from .solvers import DEFAULT_OPTIONS, RESIDUAL_WARNING, check_options, check_solver

#: default window (steps between two points whose interpolation pair is kept)
DEFAULT_WINDOW = 2


@dataclass(frozen=True)
class Block:
    """One Gram block: its basis names, the steps it covers and the points it holds."""

    index: int
    basis: tuple[str, ...]
    steps: tuple[int, ...]
    points: tuple[str, ...]          # "x3", "y3", "x*"

    @property
    def k(self) -> int:
        return len(self.basis)


@dataclass(frozen=True)
class Layout:
    """The chain of blocks of a windowed program ("relax" or "slice")."""

    T: int
    window: int
    kind: str
    blocks: tuple[Block, ...]

    def block_of_step(self, s: int) -> Block:
        """A block holding step s's vectors (g_s, d_s, h_s) and x_s, y_s (s <= T)."""
        return self.blocks[min(s, len(self.blocks) - 1)]


def layout(T: int, window: int, kind: str) -> Layout:
    """Blocks b = 0..T-w covering steps b..b+w-1 (one block when T <= window)."""
    if kind not in ("relax", "slice"):
        raise ValueError(f"unknown kind {kind!r}")   # internal
    w = min(int(window), T)
    blocks = []
    for b in range(T - w + 1):
        steps = tuple(range(b, b + w))
        basis = [f"x{b}"]
        for s in steps:
            basis += [f"g{s}"] + ([f"d{s}"] if kind == "relax" else []) + [f"h{s}"]
        basis.append(f"g{b + w}")
        points = [f"x{s}" for s in range(b, b + w + 1)] + [f"y{s}" for s in steps]
        blocks.append(Block(b, tuple(basis), steps, tuple(points)))
    return Layout(T, w, kind, tuple(blocks))


def check_window(window, T: int) -> int:
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise InvalidParameterError("window", window, "an integer >= 1 (steps between kept interpolation pairs)")
    return int(window)


class _Coords:
    """Coefficient vectors of the points of one block over its basis (normalized units).

    ``x[p]`` / ``g[p]`` for the points p = "x<s>", "y<s>" of the block.  A slice's basis holds
    ghat_s = g_s/c_s (a unit vector, so an O(1) variable whatever c_s): g_s = c_s ghat_s and
    y_s = x_s + rho ghat_s; the last gradient g_T is a plain basis vector.
    """

    def __init__(self, block: Block, kind: str, steps, rho: float, c, T: int):
        self.block, self.k = block, block.k
        self.col = {n: i for i, n in enumerate(block.basis)}
        self.x: dict[str, np.ndarray] = {}
        self.g: dict[str, np.ndarray] = {}
        x = self.e(f"x{block.index}")
        for s in block.steps:
            self.x[f"x{s}"], self.g[f"x{s}"] = x, self.grad(s, kind, c, T)
            self.x[f"y{s}"] = x + (self.e(f"d{s}") if kind == "relax" else rho * self.e(f"g{s}"))
            self.g[f"y{s}"] = self.e(f"h{s}")
            x = x - steps[s] * self.e(f"h{s}")
        last = block.index + len(block.steps)
        self.x[f"x{last}"], self.g[f"x{last}"] = x, self.grad(last, kind, c, T)

    def e(self, name: str) -> np.ndarray:
        u = np.zeros(self.k)
        u[self.col[name]] = 1.0
        return u

    def vector(self, name: str) -> np.ndarray:
        """A basis name, or x_s (derived), as a coefficient vector."""
        return self.x[name] if name[0] == "x" else self.e(name)

    def grad(self, s: int, kind: str, c, T: int) -> np.ndarray:
        scale = c[s] if (kind == "slice" and s < T) else 1.0
        return scale * self.e(f"g{s}")


@dataclass(frozen=True)
class _Rows:
    """Rows sum_b <A_rb, N_b> + B_r . F + C_r t + e_r (>= 0 or == 0), in sparse form."""

    M: sp.csr_matrix     # (m, nz): coefficients on z = concat(vec_F(N_b))
    B: np.ndarray        # (m, nF)
    C: np.ndarray        # (m, nt)
    e: np.ndarray        # (m,)
    labels: tuple[str, ...]


def _value_index(name: str, T: int) -> int | None:
    if name == "x*":
        return None
    s = int(name[1:])
    return s if name[0] == "x" else T + 1 + s


def assemble(spec: Spec, lay: Layout, *, rho: float, c=None, box=None):
    """(ineq rows, eq rows, objective row, offsets) of the windowed program, numerically."""
    T = lay.T
    steps, mu, _ = spec.normalized()
    convex = spec.setting.function_class.convex
    cls = smooth_class(spec.setting.function_class, 1.0, mu)
    nF, nt = 2 * T + 1, (1 if spec.measure is Measure.MIN_GRAD else 0)
    offsets = np.cumsum([0] + [blk.k ** 2 for blk in lay.blocks])
    c = np.ones(T) if c is None else np.asarray(c, dtype=float)
    coords = [_Coords(blk, lay.kind, steps, rho, c, T) for blk in lay.blocks]
    ineq, eq = _Builder(offsets, nF, nt), _Builder(offsets, nF, nt)
    done: set = set()
    for blk, co in zip(lay.blocks, coords):
        names = list(blk.points) + (["x*"] if convex else [])
        pairs = [(p, q) for p in names for q in names if p != q and (p, q) not in done]
        done.update(pairs)
        if pairs:
            X = np.stack([co.x.get(p, np.zeros(co.k)) for p in names])
            Gr = np.stack([co.g.get(p, np.zeros(co.k)) for p in names])
            idx = {p: i for i, p in enumerate(names)}
            A = pair_rows(cls, X, Gr, np.array([(idx[p], idx[q]) for p, q in pairs]))
            for (p, q), Ar in zip(pairs, A):
                ineq.add({blk.index: Ar}, {_value_index(p, T): 1.0, _value_index(q, T): -1.0},
                         label=f"interp({p}, {q})")
    if not convex:   # each point's row in the block of its step
        for s in range(T + 1):
            co = coords[lay.block_of_step(s).index]
            for p in (f"x{s}",) + ((f"y{s}",) if s < T else ()):
                ineq.add({co.block.index: lower_bound_rows(1.0, co.g[p][None], np.array([0]))[0]},
                         {_value_index(p, T): 1.0}, label=f"f({p}) >= f_low + ||g||^2/2")
    for s in range(T):
        blk = lay.block_of_step(s)
        co = coords[blk.index]
        if lay.kind == "relax":
            g, d = co.e(f"g{s}"), co.e(f"d{s}")
            eq.add({blk.index: np.outer(d, d)}, e=-rho * rho, label=f"||d{s}||^2 = rho^2")
            ineq.add({blk.index: _sym(d, g)}, label=f"<d{s}, g{s}> >= 0")
            if box is not None:
                a, b = box[s]
                gg = np.outer(g, g)
                ineq.add({blk.index: gg}, e=-a * a, label=f"||g{s}|| >= a{s}")
                ineq.add({blk.index: -gg}, e=b * b, label=f"||g{s}|| <= b{s}")
                if a + b > 0:   # sqrt(u) >= its secant on [a^2, b^2]: <d, g> = rho ||g|| >= rho sec
                    ineq.add({blk.index: _sym(d, g) - (rho / (a + b)) * gg}, e=-rho * a * b / (a + b),
                             label=f"secant cut <d{s}, g{s}>")
        else:
            g = co.e(f"g{s}")
            eq.add({blk.index: np.outer(g, g)}, e=-1.0, label=f"||g{s}|| = c{s}")
    for prev, nxt in zip(coords[:-1], coords[1:]):   # shared vectors: the same Gram entries
        shared = [n for n in nxt.block.basis if n in prev.col or n == f"x{nxt.block.index}"]
        for i, u in enumerate(shared):
            for v in shared[i:]:
                eq.add({prev.block.index: _sym(prev.vector(u), prev.vector(v)),
                        nxt.block.index: -_sym(nxt.e(u), nxt.e(v))},
                       label=f"overlap <{u}, {v}>")
    first, last = coords[0], coords[-1]
    if spec.initial is Initial.DISTANCE:
        ineq.add({0: -np.outer(first.x["x0"], first.x["x0"])}, e=1.0, label="||x0 - x*||^2 <= 1")
    else:
        ineq.add({}, {0: -1.0}, e=1.0, label="f(x0) - f* <= 1")
    obj = _Builder(offsets, nF, nt)
    xT, gT = last.x[f"x{T}"], last.g[f"x{T}"]
    if spec.measure is Measure.F:
        obj.add({}, {T: 1.0}, label="objective")
    elif spec.measure is Measure.DIST:
        obj.add({last.block.index: np.outer(xT, xT)}, label="objective")
    elif spec.measure is Measure.GRAD:
        obj.add({last.block.index: np.outer(gT, gT)}, label="objective")
    else:
        obj.add({}, t=1.0, label="objective")
        for s in range(T + 1):
            co = coords[lay.block_of_step(s).index]
            g = co.g[f"x{s}"]
            ineq.add({co.block.index: np.outer(g, g)}, t=-1.0, label=f"||g{s}||^2 >= t")
    return ineq.rows(), eq.rows(), obj.rows(), offsets


def _sym(u, v):
    o = np.outer(u, v)
    return (o + o.T) / 2


class _Builder:
    def __init__(self, offsets, nF: int, nt: int):
        self.offsets, self.nF, self.nt = offsets, nF, nt
        self.r, self.cidx, self.val = [], [], []
        self.B, self.C, self.e, self.labels = [], [], [], []

    def add(self, blocks: dict, values: dict | None = None, *, t: float = 0.0, e: float = 0.0, label: str):
        r = len(self.labels)
        for b, A in blocks.items():
            k = A.shape[0]
            ii, jj = np.nonzero(A)
            self.r.append(np.full(len(ii), r))
            self.cidx.append(self.offsets[b] + ii + jj * k)     # vec in column-major ("F") order
            self.val.append(A[ii, jj])
        row = np.zeros(self.nF)
        for f, coef in (values or {}).items():
            if f is not None:
                row[f] += coef
        self.B.append(row)
        self.C.append(np.full(self.nt, t))
        self.e.append(e)
        self.labels.append(label)

    def rows(self) -> _Rows:
        m, nz = len(self.labels), int(self.offsets[-1])
        cat = (lambda parts: np.concatenate(parts)) if self.r else (lambda parts: np.zeros(0))
        M = sp.csr_matrix((cat(self.val), (cat(self.r).astype(int), cat(self.cidx).astype(int))), shape=(m, nz))
        return _Rows(M, np.array(self.B).reshape(m, self.nF), np.array(self.C).reshape(m, self.nt),
                     np.array(self.e, dtype=float), tuple(self.labels))


@dataclass(frozen=True)
class ChordalSolution:
    """A solved windowed program (normalized units)."""

    value: float
    blocks: tuple[np.ndarray, ...]     # N_b
    F: np.ndarray
    status: str
    primal_residual: float
    solve_time: float
    warnings: tuple[str, ...]
    y_ineq: np.ndarray | None = None     # multipliers: d(value)/d(row's constant e_r), >= 0 for inequalities
    y_eq: np.ndarray | None = None       # (the sign convention of sambounds.pep.solvers)
    solver: str = "clarabel"
    dual_residual: float = float("nan")
    dual_value: float = float("nan")

    @property
    def gap(self) -> float:
        return abs(self.value - self.dual_value)

    @property
    def diagnostics(self) -> dict:
        return {"solver": self.solver, "status": self.status, "primal_residual": self.primal_residual,
                "dual_residual": self.dual_residual, "duality_gap": self.gap, "solve_time": self.solve_time,
                "warnings": list(self.warnings), "formulation": "chordal"}


class ChordalProgram:
    """A windowed relaxation or slice of one spec, built and solved for given data.

    Why no cvxpy Parameters: compiling this program once with its c-dependent coefficients
    as a Parameter (DPP) and re-solving with ``warm_start=True`` was measured on the
    relaxation at T = 30, window 2: 10.6 s for the first solve (10.4 s compiling), 0.18 s per re-solve, against 0.27 s
    for building and solving it afresh with constant sparse coefficients.  The fresh build is
    linear in T and Clarabel has no primal-dual warm start through cvxpy, so each slice is
    rebuilt.
    """

    def __init__(self, spec: Spec, window: int, kind: str, *, box=None, solver: str = "clarabel",
                 options: dict | None = None):
        self.spec, self.kind = spec, kind
        self.T = spec.setting.T
        self.layout = layout(self.T, check_window(window, self.T), kind)
        self.rho = float(spec.normalized()[2])
        self.box = box
        self.solver_key = solver.lower() if isinstance(solver, str) else solver
        self.solver_name = check_solver(solver)
        self.user_options = check_options(options)
        self.options = {**DEFAULT_OPTIONS[self.solver_key], **self.user_options}

    @property
    def size(self) -> dict:
        """Blocks, their order k, and the number of scalar variables (all linear in T)."""
        ks = [blk.k for blk in self.layout.blocks]
        return {"blocks": len(ks), "block_k": max(ks), "gram_entries": sum(k * (k + 1) // 2 for k in ks)}

    def solve(self, c=None) -> ChordalSolution:
        """Solve for the slice norms ``c`` (normalized, all > 0; a relaxation takes none).

        Raises SolverError with the solver's status when it does not end optimal /
        optimal_inaccurate, or when the returned point violates the rows by more than 1e-3.
        """
        if self.kind == "slice":
            c = np.asarray(c, dtype=float)
            if c.shape != (self.T,) or not np.all(np.isfinite(c)) or np.any(c <= 0):
                raise InvalidParameterError("c", c, f"{self.T} finite gradient norms > 0 (normalized)")
        ineq, eq, obj, _ = assemble(self.spec, self.layout, rho=self.rho, c=c, box=self.box)
        Ns = [cp.Variable((blk.k, blk.k), symmetric=True) for blk in self.layout.blocks]
        Fv = cp.Variable(2 * self.T + 1)
        tv = cp.Variable(obj.C.shape[1]) if obj.C.shape[1] else None
        z = cp.hstack([cp.vec(N, order="F") for N in Ns])

        def affine(rows):
            expr = rows.M @ z + rows.B @ Fv + rows.e
            return expr + rows.C @ tv if tv is not None else expr

        cons = [affine(ineq) >= 0, affine(eq) == 0] + [N >> 0 for N in Ns]
        problem = cp.Problem(cp.Maximize(cp.sum(affine(obj))), cons)
        t0 = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")   # the inaccuracy warning becomes a note on the result
                problem.solve(solver=self.solver_name, **self.options)
        except cp.error.SolverError as exc:
            raise SolverError(self.solver_key, "solver_error", str(exc).splitlines()[0] if str(exc) else None) from None
        except (TypeError, ValueError) as exc:
            # as in sambounds.pep.solvers: only a message naming a user's option is about the options
            text = (str(exc).splitlines() or [type(exc).__name__])[0]
            if any(f"'{opt}'" in text for opt in self.user_options):
                raise InvalidParameterError("solver_options", self.user_options,
                                            f"options accepted by {self.solver_name}", text) from None
            raise SolverError(self.solver_key, "solver_error", f"{type(exc).__name__} inside the solver: {text}") from None
        except (RuntimeError, ArithmeticError, np.linalg.LinAlgError) as exc:
            raise SolverError(self.solver_key, "solver_error", f"{type(exc).__name__}: {exc}") from None
        elapsed = time.perf_counter() - t0
        status = problem.status
        if status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
            raise SolverError(self.solver_key, str(status), "the windowed SAM PEP has no usable solution")
        value = problem.value
        if value is None or not np.isfinite(value) or any(N.value is None for N in Ns) or Fv.value is None:
            raise SolverError(self.solver_key, str(status), f"the solver reported objective {value!r}")
        blocks = tuple((N.value + N.value.T) / 2 for N in Ns)
        zv = np.concatenate([N.ravel(order="F") for N in blocks])
        F = np.asarray(Fv.value, dtype=float)
        t = np.asarray(tv.value, dtype=float) if tv is not None else np.zeros(0)
        viol = [0.0] + [-float(np.linalg.eigvalsh(N)[0]) for N in blocks]
        for rows, is_ineq in ((ineq, True), (eq, False)):
            r = rows.M @ zv + rows.B @ F + rows.e + (rows.C @ t if len(t) else 0.0)
            viol.append(float(np.max(-r if is_ineq else np.abs(r), initial=0.0)))
        primal = max(viol)
        if not np.isfinite(primal) or primal > 1e-3:
            raise SolverError(self.solver_key, str(status), f"primal residual {primal:.1e} (limit 1e-3)")
        notes = []
        if status == cp.OPTIMAL_INACCURATE:
            notes.append(f"{self.solver_key} reported status optimal_inaccurate: the value is approximate")
        duals = [None if con.dual_value is None else np.asarray(con.dual_value, dtype=float).ravel()
                 for con in cons[:2]]
        if duals[1] is not None:
            duals[1] = -duals[1]     # cvxpy's multiplier of `expr == 0` has the opposite sign to ours
        dual, dual_value = _dual_check(self.layout, (ineq, eq, obj), *duals)
        if np.isfinite(dual) and dual > RESIDUAL_WARNING:
            notes.append(f"dual residual {dual:.1e} exceeds {RESIDUAL_WARNING:g}")
        return ChordalSolution(float(value), blocks, F, str(status), primal, elapsed, tuple(notes), *duals,
                               solver=self.solver_key, dual_residual=dual, dual_value=dual_value)


def _dual_check(lay: Layout, rows, y_ineq, y_eq) -> tuple[float, float]:
    """(dual residual, dual objective sum_r y_r e_r) of the multipliers, computed here.

    Lagrangian value + sum_r y_r row_r: weak duality bounds the maximum by sum_r y_r e_r when
    y_ineq >= 0, the F- and t-stationarity B_0 + sum_r y_r B_r = 0 (and C) hold and every
    block of S = -(A_0 + sum_r y_r A_r) is PSD; the residual is the largest violation.
    """
    ineq, eq, obj = rows
    if y_ineq is None or y_eq is None:
        return float("nan"), float("nan")
    A = obj.M.toarray().ravel() + ineq.M.T @ y_ineq + eq.M.T @ y_eq
    bF = obj.B[0] + ineq.B.T @ y_ineq + eq.B.T @ y_eq
    cT = obj.C[0] + ineq.C.T @ y_ineq + eq.C.T @ y_eq
    worst = [0.0, -float(np.min(y_ineq, initial=0.0)), float(np.max(np.abs(bF), initial=0.0)),
             float(np.max(np.abs(cT), initial=0.0))]
    offset = 0
    for blk in lay.blocks:
        S = -A[offset:offset + blk.k ** 2].reshape(blk.k, blk.k, order="F")
        worst.append(-float(np.linalg.eigvalsh((S + S.T) / 2)[0]))
        offset += blk.k ** 2
    return max(worst), float(y_ineq @ ineq.e + y_eq @ eq.e)


def gradient_norms(prog: "ChordalProgram", sol: ChordalSolution) -> np.ndarray:
    """||g_s||, s < T, of a solved relaxation (normalized)."""
    out = []
    for s in range(prog.T):
        blk = prog.layout.block_of_step(s)
        i = blk.basis.index(f"g{s}")
        out.append(np.sqrt(max(sol.blocks[blk.index][i, i], 0.0)))
    return np.array(out)
