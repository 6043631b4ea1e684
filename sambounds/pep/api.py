"""``sambounds.worst_case``: the worst function of a class for a fixed number of steps.

What the numbers mean
---------------------
GD, USAM on convex / strongly convex classes
    ``value`` is the exact PEP value (Taylor, Hendrickx & Glineur 2017: the interpolation
    conditions are necessary and sufficient), up to solver tolerance; ``lower`` is the
    measure of the re-run witness, a real function of the class.
normalized SAM
    ``value`` is the sound relaxation (a certified upper bound on the worst case over the
    class, up to solver tolerance); ``lower`` is the best exact slice found by the outer
    search, re-run on its witness; ``gap = value - lower``.
nonconvex class
    f >= f_low is imposed only at the points (necessary conditions), so ``value`` is an upper
    bound (``exact=False``, kind ``"upper-bound"``); ``lower`` is what the witness attains: the
    measure of its run with its own inf f (which is >= f_low, and may be far above it, e.g.
    for the constant function that makes f(x_T) - f_low = Delta).

In every case ``lower`` is a re-run witness's measure taken against the witness function's own
minimizer (never the declared x* = 0, which an SDP solved to a tolerance misses slightly), so
it is attained by a function of the class; when the witness starts slightly outside the initial
condition, GD and USAM runs are rescaled onto it (f -> c^2 f(./c)); SAM's are reported (with a
note) only within 1e-6 of it.
The witness records that attained value (what a re-run reproduces) and the PEP value
separately (:mod:`sambounds.pep.witness`).  If the witness step fails after the program
solved, the value stands and ``witness_error`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _validate as v
from ..errors import IncompatibleSettingError, InvalidParameterError, SolverError
from ..setting import Algorithm, Setting
from . import sam
from .certificate import Certificate, certify
from .methods import Method, iterate_basis_applies
from .banded import UNVERIFIED, WIDTHS, solve_banded
from .problem import DEFAULT_MAX_SIZE, build_program, make_spec, program_size
from .solvers import SOLVERS, check_solver, solve
from .witness import Replay, Witness, reconstruct

__all__ = ["worst_case", "WorstCase"]

#: most slice SDPs the SAM outer search may be asked for (each one is a solve of >= 10 ms)
MAX_SEARCH_EVALS = 100_000


@dataclass(frozen=True)
class WorstCase:
    """Result of :func:`worst_case` (user units)."""

    setting: Setting
    measure: str
    initial: str
    value: float
    lower: float | None
    exact: bool
    kind: str                                  # "exact", "relaxation" or "upper-bound"
    witness: Witness | None
    replay: Replay | None
    solver: dict
    certificate: Certificate | None = None
    slice_c: tuple[float, ...] | None = None
    gradient_bounds: tuple[float, ...] | None = None
    search: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    witness_error: str | None = None           # why the witness step failed (the value stands)

    @property
    def gap(self) -> float | None:
        return None if self.lower is None else self.value - self.lower

    def to_dict(self, *, witness: bool = True) -> dict[str, Any]:
        out = {"setting": self.setting.to_dict(), "measure": self.measure, "initial": self.initial,
               "value": self.value, "lower": self.lower, "gap": self.gap, "exact": self.exact,
               "kind": self.kind, "solver": self.solver, "warnings": list(self.warnings),
               "slice_c": None if self.slice_c is None else list(self.slice_c),
               "gradient_bounds": None if self.gradient_bounds is None else list(self.gradient_bounds),
               "search": self.search, "witness_error": self.witness_error,
               "replay": None if self.replay is None else {"value": self.replay.replayed,
                                                           "pep_value": self.replay.pep_value,
                                                           "pep_error": self.replay.pep_error,
                                                           "initial_used": self.replay.initial_used},
               "certificate": None if self.certificate is None else self.certificate.to_dict()}
        if witness:
            out["witness"] = None if self.witness is None else self.witness.to_dict()
        return out


def worst_case(setting: Setting, measure: str = "f", initial: str | None = None, *,
               solver: str = "clarabel", solver_options: dict | None = None,
               witness: bool = True, certificate: bool = False, tighten: bool = False,
               search_evals: int = 40, search_starts: int = 1, seed: int | None = 0,
               max_size: int = DEFAULT_MAX_SIZE, sam_window: int | None = None, sam_branch: int = 0) -> WorstCase:
    """Worst case of ``measure`` after T steps of the setting's method over its function class.

    Parameters
    ----------
    setting : Setting
        Algorithm ``gd``, ``usam`` or ``sam``; class ``convex``, ``strongly-convex`` (mu < beta)
        or ``nonconvex``; a schedule; D and/or Delta for the initial condition.
    measure : {"f", "dist", "grad", "min-grad"}
        f(x_T) - f*, ||x_T - x*||^2, ||grad f(x_T)||^2, min_{t <= T} ||grad f(x_t)||^2.
    initial : {"distance", "function-gap"}, optional
        ||x_0 - x*|| <= D (default when D is given and the class is convex) or f(x_0) - f* <= Delta.
    solver : {"clarabel", "scs", "mosek"}
        Used for every SDP; never replaced by another.
    witness : bool
        Rebuild the worst function and re-run it (for SAM: the best slice's).
    certificate : bool
        Rationalize the dual multipliers of the main program and verify them exactly
        (practical for T up to about 8).
    tighten : bool
        SAM only: add the secant cuts with class-wide gradient bounds (T - 1 extra SDPs).
    search_evals, search_starts, seed : SAM outer search budget (slice SDPs, <= 10^5), extra random
        starts, and their seed (None or an integer >= 0).
    solver_options : mapping, optional
        Keyword options passed to the solver (string keys).
    max_size : int
        Refuse programs with m * k^2 above this (InvalidParameterError names T and the size),
        checked from T alone before anything of size T is built.
    sam_window : int, optional
        SAM only: solve the windowed chordal program of :mod:`sambounds.pep.sam_windowed`
        (interpolation pairs between points at most ``sam_window`` steps apart and with x*;
        size linear in T, so T = 30 and beyond solve) instead of the dense one.  ``value`` is
        still a certified upper bound (a relaxation of the dense relaxation); ``lower`` is the
        best replayed run among the top slices' (and the relaxation's) interpolants (None when
        ``witness`` is False: a windowed slice's value is not known to be attained).
        ``max_size`` then bounds the windowed program's size (linear in T, see
        :func:`_check_windowed_horizon`).
    sam_branch : int
        With ``sam_window``: solve up to this many relaxations in a branch and bound on the
        gradient norms (:mod:`sambounds.pep.sam_branch`; 0 = off, implies the secant cuts).
        The upper value is the largest leaf's (still certified: the leaves cover every run's
        norms) and the best leaves also seed slices for the lower value.

    Raises
    ------
    InvalidParameterError, IncompatibleSettingError
        Bad or incompatible input (see :func:`sambounds.pep.problem.make_spec`).
    SolverError
        The solver failed on the main program (the status is on the exception).  A failure
        of the witness step alone does not raise: the value stands, ``witness`` and ``lower``
        are None and ``witness_error`` says why.
    """
    if not isinstance(setting, Setting):
        raise InvalidParameterError("setting", setting, "a sambounds.Setting")
    if not isinstance(solver, str):
        raise InvalidParameterError("solver", solver, "one of " + ", ".join(repr(s) for s in SOLVERS))
    solver_options = v.mapping("solver_options", solver_options)
    max_size = v.positive_int("max_size", max_size)
    witness = v.boolean("witness", witness)
    certificate = v.boolean("certificate", certificate)
    tighten = v.boolean("tighten", tighten)
    search_evals = v.positive_int("search_evals", search_evals, maximum=MAX_SEARCH_EVALS)
    search_starts = v.integer("search_starts", search_starts, low=0, high=MAX_SEARCH_EVALS)
    seed = None if seed is None else v.integer("seed", seed, low=0)
    windowed = sam_window is not None and setting.algorithm is Algorithm.SAM
    if sam_window is not None:
        sam_window = v.integer("sam_window", sam_window, low=1)
        if setting.algorithm is not Algorithm.SAM:
            raise IncompatibleSettingError("sam_window", sam_window, "None for gd and usam",
                                           "the windowed program is normalized SAM's (gd and usam are exact)")
    sam_branch = v.integer("sam_branch", sam_branch, low=0, high=MAX_SEARCH_EVALS)
    if sam_branch and sam_window is None:
        raise InvalidParameterError("sam_branch", sam_branch, "0 unless sam_window is given",
                                    "the branch and bound runs on the windowed program")
    if windowed:
        _check_windowed_horizon(setting, sam_window, max_size)
    else:
        _check_horizon(setting, max_size)
    spec = make_spec(setting, measure, initial)
    check_solver(solver)
    try:
        scale = float(spec.scale())
    except OverflowError:  # beta D^2 (or Delta) beyond float64: the program's units cannot be expressed
        c = spec.setting.constants
        raise InvalidParameterError("D" if spec.initial.value == "distance" else "Delta",
                                    c.D if spec.initial.value == "distance" else c.Delta,
                                    "a value whose scale beta*D^2 (or Delta) is finite in float64") from None
    alg = spec.setting.algorithm
    convex = spec.setting.function_class.convex
    notes: list[str] = []
    steps, mu, rho = spec.normalized()
    search_info: dict = {}
    bounds = None
    if windowed and rho > 0:
        return _windowed(spec, sam_window, solver, solver_options, tighten=tighten, search_evals=search_evals,
                         search_starts=search_starts, seed=seed, witness=witness, branch=sam_branch)
    if alg is Algorithm.SAM and rho > 0:
        main, bounds = sam.relaxation(spec, solver, solver_options, tighten=tighten, max_size=max_size)
        gd = _solve_method(spec.setting.replace(algorithm=Algorithm.GD,
                                                constants=spec.setting.constants.replace(rho=None)),
                           spec, solver, solver_options, max_size, basis="gradients")
        starts = sam.starting_points(spec, main, gd, search_starts, seed)
        found = sam.outer_search(spec, starts, solver=solver, options=solver_options,
                                 max_evals=search_evals, max_size=max_size)
        search_info = {"evaluations": found.evaluations, "misses": found.misses, "starts": len(starts),
                       "miss_statuses": {st: found.statuses.count(st) for st in sorted(set(found.statuses))}}
        witness_source = found.best
        kind = "relaxation"
        if found.best is None:
            notes.append("the outer search found no solvable slice: no lower estimate")
    else:
        main = _solve_method(spec.setting, spec, solver, solver_options, max_size)
        witness_source = main
        unverified = any(note.startswith(UNVERIFIED) for note in main.solution.warnings)
        kind = "exact" if convex and not unverified else "upper-bound"
    value = main.value * scale
    notes.extend(main.solution.warnings)
    w = rp = None
    lower = None
    slice_c = None
    witness_error = None
    if witness_source is not None:
        src_value = witness_source.value * scale
        if witness_source.method.c is not None:
            slice_c = tuple(float(c) * spec.beta * spec.length for c in witness_source.method.c)
        if witness:
            try:
                w, rp = reconstruct(witness_source.program, witness_source.solution, spec, pep_value=src_value,
                                    exact=convex, slice_c=slice_c)
            except (SolverError, np.linalg.LinAlgError, FloatingPointError) as exc:
                # the SDP solved: its value stands; only the explicit function is missing
                witness_error = f"{type(exc).__name__}: {exc}"
                notes.append(f"the witness could not be built ({witness_error}): no lower estimate; "
                             "the value is the solved program's")
        elif convex:
            lower = src_value
        if rp is not None:
            lower = _lower_from_replay(rp, spec, notes)
            if rp.pep_error > 1e-3:
                notes.append(f"the witness reproduces the PEP value only to {rp.pep_error:.1e} (relative)"
                             if rp.exact else f"the witness's run exceeds the PEP's upper value by "
                             f"{rp.pep_error:.1e} (relative)")
    if lower is not None and lower > value * (1 + 1e-6) + 1e-12:
        notes.append(f"the lower estimate {lower:.10g} exceeds the value {value:.10g}: the value is below the "
                     "true worst case by more than the solver's accuracy suggests")
    cert = None
    if certificate:
        exact_program = build_program(spec, main.method, exact=True, max_size=max_size)
        cert = certify(main.program, exact_program, main.value, solver=solver)
    return WorstCase(spec.setting, spec.measure.value, spec.initial.value, value, lower,
                     exact=(kind == "exact"), kind=kind, witness=w, replay=rp,
                     solver=main.solution.diagnostics, certificate=cert, slice_c=slice_c,
                     gradient_bounds=None if bounds is None else tuple(b * spec.beta * spec.length for b in bounds),
                     search=search_info, warnings=tuple(notes), witness_error=witness_error)


def _lower_from_replay(rp: Replay, spec, notes: list[str]) -> float | None:
    """The lower estimate a re-run witness proves, or None (with a note).

    ``rp.replayed`` is measured against the witness's own minimizer, so it is attained by a
    function of the class started from ``rp.initial_used``.  When that exceeds the bound
    (D or Delta) by more than rounding, GD and USAM are rescaled: f_c(x) = c^2 f(x/c) is in the
    same class, its run is c times the original one and every measure scales by c^2, so with
    c = D/D_used (distance) or c^2 = Delta/Delta_used (function gap) it meets the bound exactly
    and attains replayed * c^2.  Normalized SAM's step rho g/||g|| is not homogeneous: no
    rescaling; a SAM witness within 1e-6 (relative) of the bound is reported with a note.
    """
    c = spec.setting.constants
    bound = c.D if spec.initial.value == "distance" else c.Delta
    used = rp.initial_used
    if used <= bound * (1 + 1e-9):
        return rp.replayed
    if spec.setting.algorithm in (Algorithm.GD, Algorithm.USAM) and np.isfinite(used) and used > 0:
        ratio = bound / used
        factor = ratio ** 2 if spec.initial.value == "distance" else ratio
        notes.append(f"the witness starts at {spec.initial.value} {used:.10g} > {bound:g}: its run is rescaled by "
                     f"{factor:.10g} to meet the bound")
        return rp.replayed * factor
    if used <= bound * (1 + 1e-6) + 1e-9:
        notes.append(f"the SAM witness starts at {spec.initial.value} {used:.10g}, above {bound:g} by "
                     f"{used / bound - 1:.1e} (relative, within the solver's accuracy)")
        return rp.replayed
    notes.append(f"the witness needs {spec.initial.value} {used:.6g} > {bound:g}: its run is not a lower bound")
    return None


def _check_horizon(setting: Setting, max_size: int) -> None:
    """Refuse, before any work, a horizon whose smallest program is over ``max_size``.

    GD's program is contained in every method's (:func:`sambounds.pep.methods.gram_size`: a
    SAM or USAM step only adds Gram columns and points): k = T + 2 Gram columns, n = T + 1
    points plus x* on the convex classes, m = n (n - 1) interpolation rows, dense size m k^2.
    Checking it in closed form costs O(1); building the steps or the trajectory first is O(T)
    (T = 10^8 used to take 30 s and 650 MB before the refusal).  GD's program is sparse (size
    m*k, :data:`sambounds.pep.problem.DEFAULT_MAX_SIZE`), the smallest any method has.
    """
    T = setting.T
    k = T + 2
    n = T + 1 + (1 if setting.function_class.convex else 0)
    _, size = program_size(k, n, sparse=True)
    if size > max_size:
        raise InvalidParameterError("T", T, f"a horizon whose program fits max_size = {max_size:,}",
                                    f"even GD's sparse program at T = {T:,} has m*k = {size:.3g} "
                                    f"(k = {k:,}, n = {n:,} points); raise max_size or lower T")


def _check_windowed_horizon(setting: Setting, window: int, max_size: int) -> None:
    """Refuse, from T alone, a windowed SAM program whose size m * k^2 exceeds ``max_size``.

    The analogue of the dense size: its T - w + 1 blocks (w = min(window, T)) have k = 3w + 2
    vectors and at most n (n - 1) interpolation rows on their n = 2w + 2 points (x* included),
    so m * k^2 <= (T - w + 1) n (n - 1) k^2: linear in T (window 2 at T = 30: 55,680).  With
    window >= T it is the dense program's size, refused alike.
    """
    T, w = setting.T, min(window, setting.T)
    k, n = 3 * w + 2, 2 * w + 2
    size = (T - w + 1) * n * (n - 1) * k * k
    if size > max_size:
        raise InvalidParameterError("T", T, f"a horizon whose windowed program fits max_size = {max_size:,}",
                                    f"sam_window = {window} at T = {T:,} has m*k^2 = {size:,} "
                                    f"({T - w + 1:,} blocks of order {k}); raise max_size or lower T")


def _windowed(spec, window, solver, options, *, tighten, search_evals, search_starts, seed, witness,
              branch) -> WorstCase:
    """Normalized SAM on the windowed program (see :mod:`sambounds.pep.sam_windowed`)."""
    from . import sam_windowed

    res = sam_windowed.worst_case_windowed(spec, window, solver=solver, options=options, tighten=tighten,
                                           search_evals=search_evals, search_starts=search_starts, seed=seed,
                                           witness=witness, branch=branch)
    scale = float(spec.scale())
    notes = list(res.relaxation.warnings)
    lower = None
    if res.best is None:
        notes.append("the outer search found no solvable slice: no lower estimate")
    elif res.witness_error is not None:
        notes.append(f"the witness could not be built ({res.witness_error}): no lower estimate")
    elif res.replay is not None:
        lower = _lower_from_replay(res.replay, spec, notes)
        if res.violation is not None and res.violation > 1e-5:
            notes.append(f"the witness's data violate interpolation by {res.violation:.1e} (normalized) on "
                         "pairs outside the window: the lower value is SAM's run on their interpolant (a function "
                         "of the class), not the slice's value")
    value = res.value * scale
    if lower is not None and lower > value * (1 + 1e-6) + 1e-12:
        notes.append(f"the lower estimate {lower:.10g} exceeds the value {value:.10g}: the value is below the "
                     "true worst case by more than the solver's accuracy suggests")
    search = {"evaluations": res.search.evaluations, "misses": res.search.misses, "starts": res.n_starts,
              "miss_statuses": {st: res.search.statuses.count(st) for st in sorted(set(res.search.statuses))},
              "window": window, "interpolation_violation": res.violation}
    if res.tree is not None:
        search["branch"] = {"programs": res.tree.programs, "leaves": len(res.tree.leaves),
                            "pruned_infeasible": res.tree.pruned, "inherited": res.tree.inherited,
                            "root_value": res.relaxation.value * scale}
    # the slice the reported witness comes from (None: the relaxation's own data won)
    c = res.witness.slice_c if res.witness is not None else (
        None if res.best is None else tuple(x * spec.beta * spec.length for x in res.best.c))
    bounds = None if res.bounds is None else tuple(b * spec.beta * spec.length for b in res.bounds)
    return WorstCase(spec.setting, spec.measure.value, spec.initial.value, value, lower, exact=False,
                     kind="relaxation", witness=res.witness, replay=res.replay, solver=res.relaxation.diagnostics,
                     certificate=None, slice_c=c, gradient_bounds=bounds, search=search, warnings=tuple(notes),
                     witness_error=res.witness_error)


#: largest Gram order for which a full (dense-PSD) solve is attempted when no band is accepted:
#: its interior-point iterations cost O(k^6) (GD strongly convex, k = 42: 14 s here)
FULL_SOLVE_MAX_K = 52


def _solve_method(setting: Setting, spec, solver, options, max_size, basis: str | None = None) -> sam.Solved:
    """GD / USAM (or SAM with rho = 0, which is GD) as one exact program.

    GD with Clarabel (unless ``basis`` says otherwise) is built in the iterate basis and solved
    on a band of pairs, checked against every pair (:mod:`sambounds.pep.banded`).  When no band
    is accepted and the Gram order is at most :data:`FULL_SOLVE_MAX_K`, the full program is
    solved: in the iterate basis for a strongly convex class (its rows, normalized, are what
    make h = 2/(L + mu) accurate), in the gradient basis otherwise (on the convex class the
    iterates are all of order ||x_0 - x*|| while their differences are of order 1/N, and the
    full solve in the iterate basis loses 2e-5 at N = 30).  Past that order the widest band's
    upper bound is returned with a warning that attainment is not shown.  Other solvers solve
    the full program in the iterate basis (SCS, GD strongly convex, h = 2/(L + mu), N = 30:
    optimal to 1e-11 in 19 s; in the gradient basis optimal_inaccurate, 2.4e-4 off, in 264 s).
    """
    sub = make_spec(setting, spec.measure, spec.initial)
    kind = {Algorithm.GD: "gd", Algorithm.USAM: "usam", Algorithm.SAM: "gd"}[setting.algorithm]
    method = Method(kind, rho=sub.normalized()[2] if kind == "usam" else 0.0)
    if basis is None:
        basis = "iterates" if iterate_basis_applies(method, sub.setting.steps) else "gradients"
    program = build_program(sub, method, max_size=max_size, basis=basis)
    solution = None
    if basis == "iterates" and solver.lower() == "clarabel":
        # when the full solve is affordable, only the cheap bands are worth trying first
        widths = (1, 2) if program.k <= FULL_SOLVE_MAX_K else WIDTHS
        solution = solve_banded(program, solver, options, widths)
        if solution is None and program.k > FULL_SOLVE_MAX_K:
            solution = solve_banded(program, solver, options, unverified=True)
        elif solution is None and not (sub.setting.constants.mu or 0.0) > 0:
            program = build_program(sub, method, max_size=max_size, basis="gradients")
    if solution is None:
        solution = solve(program, solver, options)
    return sam.Solved(method, program, solution)
