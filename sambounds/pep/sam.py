"""Normalized SAM: sound relaxation (upper bound) and exact slices with an outer search (lower).

Relaxation.  Every true SAM trajectory is feasible for the relaxed PEP of
:mod:`sambounds.pep.methods` (d_t of length rho, <d_t, g_t> >= 0), so its value bounds the
worst case from above.  It is tightened, soundly, by secant cuts on [0, B_t] where B_t bounds
||g_t|| over the whole class: B_0 = 1 (distance, normalized: ||g_0|| <= beta ||x_0 - x*||) or
sqrt 2 (function gap: ||g_0||^2 <= 2 beta (f(x_0) - f_low)), and B_t^2 is the value of the
relaxed PEP of horizon t for the measure ||grad f(x_t)||^2, itself cut with B_0..B_{t-1}.

Slices.  For fixed norms c (normalized units) the slice PEP is exact: its value is attained
by the interpolating function of its solution (re-run in :mod:`sambounds.pep.witness`), so
every slice value is a lower bound on the worst case.  The outer search maximizes the slice
value over c: it evaluates several starts (the relaxation's norms, GD's worst-case norms,
SAM's runs on 1-D quadratics, seeded perturbations) and runs a pattern search in log c from
the best.  It is a local search: its value is a lower estimate, never a bound from above.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import SolverError
from ..schedules import FromArray
from ..setting import Setting
from .methods import Method
from .problem import DEFAULT_MAX_SIZE, Measure, Spec, build_program
from .solvers import Solution, solve


@dataclass(frozen=True)
class Solved:
    """A solved program with the method that produced it (normalized units)."""

    method: Method
    program: object
    solution: Solution

    @property
    def value(self) -> float:
        return self.solution.value


def gradient_bounds(spec: Spec, solver: str = "clarabel", options: dict | None = None,
                    max_size: int = DEFAULT_MAX_SIZE) -> tuple[float, ...]:
    """Sound bounds B_0..B_{T-1} on ||g_t|| (normalized) over every SAM run of the class."""
    rho = spec.normalized()[2]
    bounds = [1.0 if spec.initial.value == "distance" else float(np.sqrt(2.0))]
    steps = spec.setting.steps
    for t in range(1, spec.setting.T):
        sub = Setting(spec.setting.algorithm, spec.setting.function_class, spec.setting.constants, t,
                      FromArray(tuple(steps[:t])))
        sub_spec = Spec(sub, Measure.GRAD, spec.initial, spec.length)
        method = Method("sam-relax", rho=rho, box=tuple((0.0, b) for b in bounds))
        sol = solve(build_program(sub_spec, method, max_size=max_size), solver, options)
        # the bound must hold for the true value, which the solver may undershoot by its tolerance
        bounds.append(float(np.sqrt(max(sol.value, 0.0))) * (1 + 1e-6) + 1e-9)
    return tuple(bounds)


def relaxation(spec: Spec, solver: str = "clarabel", options: dict | None = None, *, tighten: bool = True,
               max_size: int = DEFAULT_MAX_SIZE) -> tuple[Solved, tuple[float, ...] | None]:
    """The relaxed PEP (sound upper bound), with secant cuts when ``tighten``."""
    rho = spec.normalized()[2]
    bounds = gradient_bounds(spec, solver, options, max_size) if tighten and rho > 0 else None
    box = None if bounds is None else tuple((0.0, b) for b in bounds)
    method = Method("sam-relax", rho=rho, box=box)
    program = build_program(spec, method, max_size=max_size)
    return Solved(method, program, solve(program, solver, options)), bounds


def slice_pep(spec: Spec, c, solver: str = "clarabel", options: dict | None = None,
              max_size: int = DEFAULT_MAX_SIZE) -> Solved:
    """The exact slice ||g_t|| = c_t (normalized); raises SolverError('infeasible') if no function has them."""
    method = Method("sam-slice", rho=spec.normalized()[2], c=tuple(float(x) for x in c))
    program = build_program(spec, method, max_size=max_size)
    return Solved(method, program, solve(program, solver, options))


#: smallest gradient norm a slice may fix, as a fraction of rho (normalized units); see outer_search
MIN_NORM_RATIO = 0.05


@dataclass(frozen=True)
class SearchResult:
    best: Solved | None
    evaluations: int
    misses: int          # slices with no solution (infeasible norms or a failed solve)
    statuses: tuple[str, ...] = ()   # the solver status of each miss


def outer_search(spec: Spec, starts, *, solver: str = "clarabel", options: dict | None = None,
                 max_evals: int = 60, step: float = 0.5, min_step: float = 0.02,
                 max_size: int = DEFAULT_MAX_SIZE, evaluate=None) -> SearchResult:
    """Maximize the slice value over c: evaluate every start, then pattern search in log c
    from the best one with the remaining budget.

    Norms are kept >= c_min = MIN_NORM_RATIO * rho.  Why: a slice is only worth its witness,
    and SAM's step y = x + rho g/||g|| moves by (rho beta/||g||) delta when x moves by delta
    across g, so the replay of a slice amplifies every rounding error by up to
    prod_t (1 + rho beta / c_t).  Observed: slices with rho/c_t ~ 1e3 replay 10-80% away from
    their value even from exactly interpolable data (errors 1e-14 growing 300-fold per step),
    while rho/c_t <= 20 replays to the solver's accuracy.  Any c gives a valid lower estimate;
    the floor only leaves out the ill-conditioned ones.

    An infeasible start is shrunk once by 0.7 (smaller gradient norms are feasible for more
    functions).  Infeasible slices (no function of the class has those norms) and failed
    solves count as -inf, are counted in ``misses`` and their statuses kept; a slice is only
    ever used through its solved value and witness.

    ``evaluate(c)``, when given, replaces the dense :func:`slice_pep` (the windowed slices of
    :mod:`sambounds.pep.sam_windowed`): it returns an object with ``.value`` or raises
    SolverError.
    """
    evals, misses, statuses = 0, 0, []
    c_min = MIN_NORM_RATIO * spec.normalized()[2]

    def value(c):
        nonlocal evals, misses
        evals += 1
        try:
            if evaluate is not None:
                return evaluate(c)
            return slice_pep(spec, c, solver, options, max_size)
        except SolverError as exc:
            if exc.status == "unavailable":
                raise
            misses += 1
            statuses.append(exc.status)
            return None

    best, c_best = None, None
    for start in starts:
        if evals >= max_evals:
            break
        c = np.maximum(np.asarray(start, dtype=float), c_min)
        got = value(c)
        smaller = np.maximum(0.7 * c, c_min)
        if got is None and evals < max_evals and np.any(smaller < c):
            c = smaller
            got = value(c)
        if got is not None and (best is None or got.value > best.value):
            best, c_best = got, c
    h = step
    while best is not None and evals < max_evals and h >= min_step:
        improved = False
        for t in range(len(c_best)):
            for sign in (1, -1):
                if evals >= max_evals:
                    break
                trial = c_best.copy()
                trial[t] = max(trial[t] * np.exp(sign * h), c_min)
                if trial[t] == c_best[t]:
                    continue
                got = value(trial)
                if got is not None and got.value > best.value * (1 + 1e-9) + 1e-12:
                    best, c_best, improved = got, trial, True
                    break
        if not improved:
            h /= 2
    return SearchResult(best, evals, misses, tuple(statuses))


def starting_points(spec: Spec, relaxed: Solved, gd: Solved | None, n_random: int, seed: int | None):
    """Starting norms c (normalized) for the outer search.

    The relaxation's norms, GD's worst-case norms, the norms of SAM's own runs on the
    one-dimensional quadratics lambda x^2/2 (lambda in {mu, (mu + beta)/2, beta}) from
    |x_0| = 1 (normalized), and seeded random perturbations of these.
    """
    T = spec.setting.T
    base = [norms_of(relaxed, T)]
    if gd is not None:
        base.append(norms_of(gd, T))
    return with_perturbations(base + quadratic_norms(spec), n_random, seed)


def quadratic_norms(spec: Spec) -> list[np.ndarray]:
    """Gradient norms of SAM's runs on lambda x^2/2, lambda in {mu, (mu + beta)/2, beta} (normalized)."""
    steps, mu, rho = spec.normalized()
    base = []
    x_0 = 1.0 if spec.initial.value == "distance" else None
    for lam in sorted({max(mu, 1e-3), (mu + 1.0) / 2, 1.0}):
        x = x_0 if x_0 is not None else float(np.sqrt(2.0 / lam))   # lam x^2/2 = Delta (normalized 1)
        c = []
        for eta in steps:
            c.append(abs(lam * x))
            x = x - eta * lam * (x + rho * np.sign(x))
        base.append(np.array(c))
    return base


def with_perturbations(base: list[np.ndarray], n_random: int, seed: int | None) -> list[np.ndarray]:
    """``base`` followed by ``n_random`` seeded log-normal perturbations of its members."""
    rng = np.random.default_rng(seed)
    return base + [base[i % len(base)] * np.exp(rng.normal(0.0, 0.3, len(base[0]))) for i in range(n_random)]


def norms_of(solved: Solved, T: int) -> np.ndarray:
    """Gradient norms ||g_t||, t < T, of a solved program (normalized)."""
    idx = [solved.program.basis.index(f"g{t}") for t in range(T)]
    return np.sqrt(np.maximum(np.diag(solved.solution.G)[idx], 0.0))
