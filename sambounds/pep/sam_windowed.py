"""Normalized SAM's worst case on the windowed (chordal) PEP: upper value, best slice, witness.

What each number is (normalized units; :func:`sambounds.worst_case` scales them back):

``value`` (certified, up to the solver's tolerance)
    the windowed relaxation of :mod:`sambounds.pep.sam_chordal`, optionally with secant
    cuts from class-wide gradient bounds B_t (:func:`gradient_bounds`).  Every SAM run on a
    function of the class is feasible for it, so it is an upper bound on the worst case; it
    is >= the dense relaxation of :mod:`sambounds.pep.sam`, with equality at window >= T.
``lower`` (attained)
    never a program's value: the best windowed slice found by the outer search
    (:func:`sambounds.pep.sam.outer_search`) is realized as vectors, its constructive
    interpolant (a function of the class whatever the data) is built, and SAM is run on it
    by the simulator (:func:`sambounds.pep.witness.replay`); ``lower`` is that run's
    measure against the function's own minimizer.  :func:`interpolation_violation` says how
    far the slice's data are from interpolable over *all* pairs (the window drops the far
    ones); when it is at the solver's accuracy the run reproduces the slice value.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..errors import SolverError
from ..schedules import FromArray
from ..setting import Setting
from . import sam
from .problem import Initial, Measure, Spec
from .sam_chordal import ChordalProgram, ChordalSolution, Layout, gradient_norms
from .interpolant import InterpolatedFunction
from .witness import Replay, Witness, replay, run_method


@dataclass(frozen=True)
class WindowedSlice:
    """A solved windowed slice: its norms c, program and solution (normalized)."""

    c: tuple[float, ...]
    program: ChordalProgram
    solution: ChordalSolution

    @property
    def value(self) -> float:
        return self.solution.value


@dataclass(frozen=True)
class WindowedResult:
    """Upper value, search, best slice and its witness (normalized values)."""

    value: float
    relaxation: ChordalSolution
    bounds: tuple[float, ...] | None
    best: WindowedSlice | None
    search: sam.SearchResult
    n_starts: int
    witness: Witness | None = None
    replay: Replay | None = None
    violation: float | None = None      # max violation of condition (I) over all pairs (normalized)
    witness_error: str | None = None
    tree: object | None = None          # the branch and bound's BranchResult, when run


def gradient_bounds(spec: Spec, window: int, solver: str = "clarabel", options: dict | None = None):
    """Sound bounds B_0..B_{T-1} on ||g_t|| (normalized) over every SAM run of the class.

    B_0 = 1 (distance: ||g_0|| <= beta ||x_0 - x*||) or sqrt 2 (function gap:
    ||g_0||^2 <= 2 beta (f(x_0) - f*)); B_t^2 is the windowed relaxation of horizon t for the
    measure ||g_t||^2, itself cut with B_0..B_{t-1} (a SAM run of horizon T is one of
    horizon t followed by more steps).  Each is a relaxation value, raised by the solver's
    relative tolerance so that it covers the true maximum.
    """
    bounds = [1.0 if spec.initial is Initial.DISTANCE else float(np.sqrt(2.0))]
    steps = spec.setting.steps
    for t in range(1, spec.setting.T):
        sub = Setting(spec.setting.algorithm, spec.setting.function_class, spec.setting.constants, t,
                      FromArray(tuple(steps[:t])))
        sub_spec = Spec(sub, Measure.GRAD, spec.initial, spec.length)
        prog = ChordalProgram(sub_spec, window, "relax", box=tuple((0.0, b) for b in bounds),
                              solver=solver, options=options)
        value = prog.solve().value
        bounds.append(float(np.sqrt(max(value, 0.0))) * (1 + 1e-6) + 1e-9)
    return tuple(bounds)


def solve_relaxation(spec: Spec, window: int, solver: str = "clarabel", options: dict | None = None, *,
                     tighten: bool = True):
    """(program, solution, bounds) of the windowed relaxation (with secant cuts when ``tighten``)."""
    bounds = gradient_bounds(spec, window, solver, options) if tighten else None
    box = None if bounds is None else tuple((0.0, b) for b in bounds)
    prog = ChordalProgram(spec, window, "relax", box=box, solver=solver, options=options)
    return prog, prog.solve(), bounds


#: how many of the best slices (and relaxations) are replayed as witness candidates
N_CANDIDATES = 3


def worst_case_windowed(spec: Spec, window: int, *, solver: str = "clarabel", options: dict | None = None,
                        tighten: bool = True, search_evals: int = 40, search_starts: int = 1,
                        seed: int | None = 0, witness: bool = True, branch: int = 0) -> WindowedResult:
    """Relaxation, outer search over windowed slices, optional branch and bound, and the best
    replayed witness.

    ``branch`` > 0 runs :func:`sambounds.pep.sam_branch.branch_and_bound` with that many
    relaxations (secant cuts implied): the upper value becomes the largest leaf's, and the
    N_CANDIDATES largest leaves' relaxations are also turned into slices (the norms of SAM's
    run on their interpolants), which may raise the lower value.

    Witness candidates: the N_CANDIDATES best slices and the largest relaxation's own data.
    Each is replayed (SAM on its interpolant, by the simulator) and the largest replayed value
    wins (the witness's ``slice_c`` says which slice, None for the relaxation's data).  Why not just the best slice: over long horizons SAM's step
    amplifies the data's small errors (rho/||g_t|| per step, see
    :data:`sambounds.pep.sam.MIN_NORM_RATIO`), so a slice's replay can land below (or above)
    its value; only a replayed value is attained, and any of them is a valid lower value.
    """
    T = spec.setting.T
    relax_prog, relaxed, bounds = solve_relaxation(spec, window, solver, options, tighten=tighten or branch > 0)
    slice_prog = ChordalProgram(spec, window, "slice", solver=solver, options=options)
    solved: list[WindowedSlice] = []

    def evaluate(c):
        c = np.asarray(c, dtype=float)
        got = WindowedSlice(tuple(float(x) for x in c), slice_prog, slice_prog.solve(c))
        solved.append(got)
        return got

    rho = float(spec.normalized()[2])
    base = [relaxation_run_norms(spec, relax_prog, relaxed), gradient_norms(relax_prog, relaxed)]
    base += sam.quadratic_norms(spec)
    # constant norms: on GD's worst (Huber-like) convex functions ||g_t|| is constant along the run
    base += [np.full(T, k * rho) for k in (1.0, 3.0)]
    starts = sam.with_perturbations(base, search_starts, seed)
    found = sam.outer_search(spec, starts, solver=solver, options=options, max_evals=search_evals,
                             evaluate=evaluate)
    upper, tree = relaxed.value, None
    relaxations = [(relax_prog, relaxed)]
    if branch > 0:
        from .sam_branch import branch_and_bound

        tree = branch_and_bound(spec, window, bounds, (relax_prog, relaxed), max_programs=branch,
                                solver=solver, options=options)
        upper = min(upper, tree.upper)
        leaves = sorted((lf for lf in tree.leaves if lf.solution is not None), key=lambda lf: -lf.value)
        # only the best leaves seed slices: each seed is a run on an interpolant of 2T + 2 points,
        # the costly step at long horizons (one took 236 s at T = 50)
        for leaf in leaves[:N_CANDIDATES]:
            relaxations.append((leaf.program, leaf.solution))
            try:
                evaluate(relaxation_run_norms(spec, leaf.program, leaf.solution))
            except SolverError:
                pass
    best = max(solved, key=lambda sl: sl.value, default=None)
    found = dataclasses.replace(found, best=best)
    result = WindowedResult(upper, relaxed, bounds, best, found, len(starts), tree=tree)
    if not witness or best is None:
        return result
    candidates = [lambda sl=sl: slice_witness(spec, sl)
                  for sl in sorted(solved, key=lambda sl: -sl.value)[:N_CANDIDATES]]
    candidates += [lambda pr=pr: data_witness(spec, *relaxation_points(spec, *pr), pep_value=pr[1].value,
                                              meta={"formulation": "chordal relaxation", "window": window})
                   for pr in sorted(relaxations, key=lambda pr: -pr[1].value)[:1]]
    replays, errors = [], []
    for make in candidates:
        try:
            replays.append(make())
        except (SolverError, np.linalg.LinAlgError, FloatingPointError) as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    if not replays:
        return dataclasses.replace(result, witness_error=errors[0])
    w, rp, viol = max(replays, key=lambda wr: wr[1].replayed if _meets_initial(spec, wr[1]) else -np.inf)
    return dataclasses.replace(result, witness=w, replay=rp, violation=viol)


def _meets_initial(spec: Spec, rp: Replay) -> bool:
    """Whether a replayed run starts within the initial condition (1e-6 relative, as the API accepts)."""
    c = spec.setting.constants
    bound = c.D if spec.initial is Initial.DISTANCE else c.Delta
    return bool(np.isfinite(rp.replayed) and rp.initial_used <= bound * (1 + 1e-6) + 1e-9)


def relaxation_points(spec: Spec, prog: ChordalProgram, sol: ChordalSolution):
    """(X, Gd, f) of a relaxation's points x_0, x_0 + d_0, x_1, ..., x_T (normalized, no x*)."""
    steps = spec.normalized()[0]
    vec = realize(prog.layout, sol.blocks, steps)
    T = prog.T
    X, Gd, f = [], [], []
    x = vec["x0"]
    for s in range(T):
        X += [x, x + vec[f"d{s}"]]
        Gd += [vec[f"g{s}"], vec[f"h{s}"]]
        f += [sol.F[s], sol.F[T + 1 + s]]
        x = x - steps[s] * vec[f"h{s}"]
    X.append(x), Gd.append(vec[f"g{T}"]), f.append(sol.F[T])
    return np.array(X), np.array(Gd), np.array(f)


def relaxation_run_norms(spec: Spec, prog: ChordalProgram, sol: ChordalSolution) -> np.ndarray:
    """Gradient norms of SAM's own run on the interpolant of the relaxation's data (normalized).

    The relaxation's d_t need not be collinear with g_t, so its norms are often no slice at
    all (an infeasible start).  The interpolant of its points (x_t, g_t), (x_t + d_t, h_t) is
    a function of the class, and SAM's run on it has norms that some function attains: the
    slice through them contains that run, so it is feasible and worth at least the run.
    """
    steps, mu, rho = spec.normalized()
    convex = spec.setting.function_class.convex
    X, Gd, f = _with_minimizer(*relaxation_points(spec, prog, sol), convex)
    fn = InterpolatedFunction(X, Gd, f, 1.0, float(mu) if convex else -1.0)
    run = run_method(fn, "sam", steps, float(rho), X[0])
    return np.linalg.norm(run["g"][:-1], axis=1)


def _with_minimizer(X, Gd, f, convex: bool):
    """Append x* = 0, g* = 0, f* = 0 (convex classes)."""
    if not convex:
        return X, Gd, f
    zero = np.zeros(X.shape[1])
    return np.vstack([X, zero]), np.vstack([Gd, zero]), np.append(f, 0.0)


def slice_points(spec: Spec, best: WindowedSlice):
    """(X, Gd, f) of a windowed slice's trajectory x_0, y_0, x_1, ..., x_T (normalized, no x*).

    The trajectory is recomputed from the realized x_0, ghat_s, h_s by SAM's rule itself
    (y_s = x_s + rho ghat_s, x_{s+1} = x_s - eta_s h_s), so only the function data carry the
    solver's error, never the method's steps.
    """
    prog, sol = best.program, best.solution
    steps, _, rho = spec.normalized()
    vec = realize(prog.layout, sol.blocks, steps)
    T = prog.T
    X, Gd, f = [], [], []
    x = vec["x0"]
    for s in range(T):
        X += [x, x + rho * vec[f"g{s}"]]
        Gd += [best.c[s] * vec[f"g{s}"], vec[f"h{s}"]]
        f += [sol.F[s], sol.F[T + 1 + s]]
        x = x - steps[s] * vec[f"h{s}"]
    X.append(x), Gd.append(vec[f"g{T}"]), f.append(sol.F[T])
    return np.array(X), np.array(Gd), np.array(f)


def interpolation_violation(X, Gd, f, sigma: float, convex: bool) -> float:
    """max over all ordered pairs of the violation of condition (I) (beta = 1, normalized).

    Condition (I) of :mod:`sambounds.pep.interpolation` for the pair (i, j), with x* = 0,
    g* = 0, f* = 0 appended for convex classes; for the nonconvex class also the necessary
    f_i >= ||g_i||^2/2 (f_low = 0).  0 means the data are interpolable (up to rounding).
    """
    if convex:
        X, Gd, f = np.vstack([X, np.zeros(X.shape[1])]), np.vstack([Gd, np.zeros(X.shape[1])]), np.append(f, 0.0)
    q = 1 / (2 * (1 - sigma))
    a = X[:, None, :] - X[None, :, :]            # x_i - x_j
    b = Gd[:, None, :] - Gd[None, :, :]          # g_i - g_j
    lhs = (f[:, None] - f[None, :] - np.einsum("jd,ijd->ij", Gd, a) - q * np.sum(b * b, axis=2)
           - q * sigma * np.sum(a * a, axis=2) + 2 * q * sigma * np.sum(b * a, axis=2))
    np.fill_diagonal(lhs, 0.0)
    worst = max(0.0, -float(lhs.min()))
    if not convex:
        worst = max(worst, -float(np.min(f - np.sum(Gd * Gd, axis=1) / 2)))
    return worst


def slice_witness(spec: Spec, best: WindowedSlice) -> tuple[Witness, Replay, float]:
    """The slice's interpolant in user units, SAM's run on it, and the data's violation of (I)."""
    meta = {"solver": best.program.solver_key, "status": best.solution.status,
            "primal_residual": best.solution.primal_residual, "formulation": "chordal",
            "window": best.program.layout.window, "accuracy": max(best.solution.primal_residual, 1e-9)}
    return data_witness(spec, *slice_points(spec, best), pep_value=best.value, slice_c=best.c, meta=meta)


def data_witness(spec: Spec, X, Gd, f, *, pep_value: float, slice_c=None, meta=None):
    """(witness, replay, violation) for normalized trajectory data x_0, y_0, ..., x_T.

    The witness is the constructive interpolant of the data (a function of the class whatever
    the data), in user units; the replay is SAM's run on it by the simulator, measured against
    the function's own minimizer; ``violation`` is :func:`interpolation_violation` of the data.
    """
    s = spec.setting
    convex = s.function_class.convex
    mu = float(s.constants.mu or 0.0) / spec.beta
    violation = interpolation_violation(X, Gd, f, mu if convex else -1.0, convex)
    ell, beta = spec.length, spec.beta
    X, Gd, f = _with_minimizer(X * ell, Gd * beta * ell, f * beta * ell ** 2, convex)
    names = tuple(n for t in range(s.T) for n in (f"x{t}", f"y{t}")) + (f"x{s.T}",) + (("x*",) if convex else ())
    bound = s.constants.D if spec.initial is Initial.DISTANCE else s.constants.Delta
    c_user = None if slice_c is None else tuple(float(c) * beta * ell for c in slice_c)
    accuracy = {**(meta or {}), "interpolation_violation": violation}
    draft = Witness(s.algorithm.value, s.function_class.value, float(s.constants.beta), s.constants.mu,
                    float(s.rho), tuple(float(e) for e in s.steps), spec.measure.value, spec.initial.value,
                    float(bound), float("nan"), pep_value * float(spec.scale()), False, X[0].copy(), X, Gd, f,
                    names, c_user, {"solver": accuracy})
    run = replay(draft)
    w = dataclasses.replace(draft, value=run.replayed)
    # the run is the record: agreement with itself is exact (pep_error was measured against pep_value)
    return w, dataclasses.replace(run, value=run.replayed, rel_error=0.0), violation


def realize(lay: Layout, Ns, steps) -> dict[str, np.ndarray]:
    """Vectors for every basis name whose Gram matrices are the blocks N_b (chain gluing).

    Block 0 is factored; block b + 1's shared vectors V are those already realized
    (x_{b+1} = x_b - eta_b h_b among them) and its new vectors are V Z + W, where
    V^T V Z = (their cross Gram entries) and W, in new coordinates orthogonal to all earlier
    ones, factors the Schur complement (its negative eigenvalues, solver noise, are dropped).
    """
    vecs: dict[str, np.ndarray] = {}
    dim = 0
    for blk, N in zip(lay.blocks, Ns):
        b = blk.index
        if b > 0:
            vecs[f"x{b}"] = vecs[f"x{b - 1}"] - steps[b - 1] * vecs[f"h{b - 1}"]
        N = (N + N.T) / 2
        old = [i for i, n in enumerate(blk.basis) if n in vecs]
        new = [i for i in range(blk.k) if i not in old]
        V = np.stack([vecs[blk.basis[i]] for i in old], axis=1) if old else np.zeros((dim, 0))
        cross = N[np.ix_(old, new)]
        Z = np.linalg.lstsq(V.T @ V, cross, rcond=1e-12)[0] if old else np.zeros((0, len(new)))
        S = N[np.ix_(new, new)] - cross.T @ Z
        w, U = np.linalg.eigh((S + S.T) / 2)
        keep = w > 1e-14 * max(1.0, float(np.abs(w).max(initial=0.0)))
        R = np.sqrt(w[keep])[:, None] * U[:, keep].T           # (r, len(new))
        r = R.shape[0]
        Wn = np.vstack([V @ Z, R])
        for name in vecs:
            vecs[name] = np.concatenate([vecs[name], np.zeros(r)])
        dim += r
        for col, i in enumerate(new):
            vecs[blk.basis[i]] = Wn[:, col]
    return vecs


__all__ = ["WindowedResult", "WindowedSlice", "realize", "gradient_bounds", "interpolation_violation", "slice_points",
           "slice_witness", "data_witness", "relaxation_points", "relaxation_run_norms", "solve_relaxation", "worst_case_windowed"]
