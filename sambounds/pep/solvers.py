"""Solve a :class:`~sambounds.pep.gram.Program` with cvxpy and report how well it was solved.

Solvers are chosen by name: ``"clarabel"`` (default), ``"scs"``, ``"mosek"``.  The named
solver is the only one tried: a missing solver or a failed solve raises
:class:`~sambounds.errors.SolverError` carrying the status, never a silent fallback.

Every :class:`Solution` carries the status and three residuals computed here from the
returned primal (G, F, t) and dual (y) points, independently of the solver's own
bookkeeping.  With S(y) = -(A_0 + sum_r y_r A_r):

- primal residual: max violation of the rows and of G >= 0 (its most negative eigenvalue);
- dual residual: max violation of y_ineq >= 0, S(y) >= 0, B_0 + sum_r y_r B_r = 0 and
  C_0 + sum_r y_r C_r = 0 (stationarity in F and t);
- duality gap: |primal objective - sum_r y_r e_r|.

An inaccurate status is a warning on the result; a failed status, or any residual above
:data:`RESIDUAL_FAILURE`, raises :class:`~sambounds.errors.SolverError` with the status.

Weak duality makes sum_r y_r e_r an upper bound on the maximum whenever the dual residual is
0; :mod:`sambounds.pep.certificate` turns that into an exact proof.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any
from dataclasses import dataclass

import cvxpy as cp
import numpy as np
import scipy.sparse as sp

from ..errors import InvalidParameterError, SolverError
from .gram import Program

SOLVERS = {"clarabel": "CLARABEL", "scs": "SCS", "mosek": "MOSEK"}

#: stated explicitly (Clarabel's are its defaults): 1e-9 makes Clarabel end "optimal_inaccurate" on GD
#: convex N >= 20 at the same 1e-8 accuracy it reaches with 1e-8 and status "optimal".  SCS: 1e-8 on
#: the normalized program (objective and, for sparse programs, rows of largest coefficient 1); GD
#: strongly convex, h = 2/(L + mu), N = 30 (iterate basis) ends optimal 1e-11 off the closed form
#: with 1e-7, 1e-8 or 1e-9 alike, in about 20 s.
DEFAULT_OPTIONS = {
    "clarabel": {"tol_gap_abs": 1e-8, "tol_gap_rel": 1e-8, "tol_feas": 1e-8},
    "scs": {"eps_abs": 1e-8, "eps_rel": 1e-8, "max_iters": 100_000},
    "mosek": {},
}

#: residual above which an answer is reported with a warning
RESIDUAL_WARNING = 1e-6
#: residual above which an answer (whatever its status) is a failure: SolverError
RESIDUAL_FAILURE = 1e-3


@dataclass(frozen=True)
class Solution:
    """Primal and dual solution of a PEP (normalized units) with solver diagnostics."""

    value: float
    G: np.ndarray
    F: np.ndarray
    t: np.ndarray
    y_ineq: np.ndarray
    y_eq: np.ndarray
    solver: str
    status: str
    primal_residual: float
    dual_residual: float
    gap: float
    dual_value: float
    solve_time: float
    warnings: tuple[str, ...]

    @property
    def diagnostics(self) -> dict:
        return {"solver": self.solver, "status": self.status, "primal_residual": self.primal_residual,
                "dual_residual": self.dual_residual, "duality_gap": self.gap,
                "solve_time": self.solve_time, "warnings": list(self.warnings)}


def check_solver(solver: str) -> str:
    """Validate a solver name and that it is installed; return the cvxpy name."""
    key = solver.lower() if isinstance(solver, str) else None
    if key not in SOLVERS:
        raise InvalidParameterError("solver", solver, "one of " + ", ".join(repr(s) for s in SOLVERS))
    if SOLVERS[key] not in cp.installed_solvers():
        raise SolverError(key, "unavailable", f"{SOLVERS[key]} is not installed; "
                          f"installed: {', '.join(cp.installed_solvers())}")
    return SOLVERS[key]


def check_options(options) -> dict:
    """Validate ``solver_options``: None or a mapping from option names (str) to values; a copy."""
    if options is None:
        return {}
    if not isinstance(options, Mapping) or not all(isinstance(name, str) for name in options):
        raise InvalidParameterError("solver_options", options,
                                    "None or a dict of solver option names (str) to values")
    return dict(options)


def _first_line(exc: BaseException) -> str | None:
    text = str(exc)
    return text.splitlines()[0] if text else None



def check_point(key: str, status: Any, primal: list, duals: list) -> None:
    """Raise SolverError (with the status) unless every primal and dual part is present and finite."""
    if any(x is None for x in primal):
        raise SolverError(key, str(status), "the solver returned no primal point")
    if any(y is None for y in duals):
        raise SolverError(key, str(status), "the solver returned no dual multipliers")
    if not all(np.all(np.isfinite(np.asarray(x, dtype=float))) for x in primal + duals):
        raise SolverError(key, str(status), "the solver returned a non-finite primal or dual point")

def solve(program: Program, solver: str = "clarabel", options: dict | None = None, *,
          normalize_rows: bool | None = None) -> Solution:
    """Solve ``program`` (a maximization) with the named solver.

    Scaling (a change of units that leaves the optimum and the multipliers unchanged, undone
    on the way back): G = D Gh D and F = s Fh (:class:`~sambounds.pep.gram.Program`), the
    objective divided by its largest coefficient in (Gh, Fh), and with ``normalize_rows``
    (default: sparse programs, i.e. GD in the iterate basis) every row divided by its largest
    coefficient.  Why: a strongly convex PEP's late rows and its objective are of order
    r^(2N) (r the contraction factor; 3.7e-18 at N = 100, h = 2/(L + mu)), far below the
    solver's absolute tolerances; measured on GD strongly convex, h = 2/(L + mu), N = 30 (iterate
    basis): relative error 1.5e-3 (optimal_inaccurate) without, 6e-7 (optimal) with.  In the
    gradient basis, row normalization made the same case worse, hence the default.

    Raises
    ------
    InvalidParameterError
        Unknown solver name.
    SolverError
        Solver not installed; status other than optimal / optimal_inaccurate (the status
        is ``error.status``, e.g. ``"infeasible"``, ``"user_limit"``, ``"solver_error"``);
        an error raised inside the solver (status ``"solver_error"``); an "optimal" answer
        with a NaN or infinite objective, without a primal point or dual multipliers, or with
        residuals above :data:`RESIDUAL_FAILURE` (the reported status is kept on the error).
    InvalidParameterError
        ``solver_options`` not a dict of names, or an option the solver rejects by name.
    """
    if program.exact:
        raise InvalidParameterError("program", "exact", "a float program", "solve the float version")
    name = check_solver(solver)
    key = solver.lower()
    k, nF, nt = program.k, program.n_values, program.nt
    dG = np.ones(k) if program.basis_scale is None else program.basis_scale
    dF = np.ones(nF) if program.value_scale is None else program.value_scale
    DD = np.outer(dG, dG)
    G = cp.Variable((k, k), symmetric=True)     # scaled: the true Gram is D G D
    F = cp.Variable(nF)                         # scaled: the true values are dF * F
    t = cp.Variable(nt) if nt else None
    vecG = cp.vec(G, order="C")
    normalize_rows = program.ineq.sparse if normalize_rows is None else bool(normalize_rows)

    def affine(rows, normalize):
        A, B, C, w = scaled_rows(program, rows, normalize)
        expr = A @ vecG + sp.csr_matrix(B) @ F + rows.e / w
        if nt:
            expr = expr + C @ t
        return expr, w

    ineq_expr, w_ineq = affine(program.ineq, normalize_rows)
    ineq = ineq_expr >= 0
    constraints = [ineq, G >> 0]
    eq = None
    w_eq = np.ones(0)
    if program.eq.m:
        eq_expr, w_eq = affine(program.eq, normalize_rows)
        eq = eq_expr == 0
        constraints.append(eq)
    obj_expr, w_obj = affine(program.objective, True)
    w0 = float(w_obj[0])
    problem = cp.Problem(cp.Maximize(obj_expr[0]), constraints)
    run(problem, key, options)
    status = problem.status
    if status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
        raise SolverError(key, str(status), "the PEP has no usable solution")
    value = problem.value
    if value is not None and np.isfinite(value):
        value = value * w0
    if value is None or not np.isfinite(value):
        raise SolverError(key, str(status), f"the solver reported objective {value!r}: not a usable value")
    check_point(key, status, [G.value, F.value] + ([t.value] if nt else []),
                [ineq.dual_value] + ([eq.dual_value] if eq is not None else []))
    Gv = DD * (G.value + G.value.T) / 2
    Fv = dF * np.asarray(F.value, dtype=float)
    tv = np.asarray(t.value, dtype=float) if nt else np.zeros(0)
    # multipliers of the scaled rows row_r / w_r in the objective / w0: back to ours
    y_ineq = np.asarray(ineq.dual_value, dtype=float).ravel() * w0 / w_ineq
    # cvxpy's multiplier of `expr == 0` enters its Lagrangian with the opposite sign to ours
    y_eq = -np.asarray(eq.dual_value, dtype=float).ravel() * w0 / w_eq if eq is not None else np.zeros(0)
    value = float(value)
    primal, dual, dual_value = residuals(program, Gv, Fv, tv, y_ineq, y_eq)
    gap = abs(value - dual_value)
    worst = max(primal, dual, gap / max(1.0, abs(value)))
    if not np.isfinite(worst) or worst > RESIDUAL_FAILURE:
        raise SolverError(key, str(status), f"residuals up to {worst:.1e} (limit {RESIDUAL_FAILURE:g}): "
                          "no usable solution; raise the iteration limit or tighten the tolerances")
    notes = []
    if status == cp.OPTIMAL_INACCURATE:
        notes.append(f"{key} reported status optimal_inaccurate: the value is approximate")
    if worst > RESIDUAL_WARNING:
        notes.append(f"residuals up to {worst:.1e} exceed {RESIDUAL_WARNING:g}")
    stats = problem.solver_stats
    return Solution(value, Gv, Fv, tv, y_ineq, y_eq, key, status, primal, dual, gap, dual_value,
                    float(stats.solve_time or 0.0), tuple(notes))


def scaled_rows(program: Program, rows, normalize: bool):
    """(A, B, C, w): the rows in the solver's variables (Gh, Fh), each divided by w_r.

    A is sparse (m, k^2) acting on vec(Gh) (row-major), w_r the row's largest coefficient
    when ``normalize`` (1 for an all-zero row), else 1.
    """
    k, nF = program.k, program.n_values
    dG = np.ones(k) if program.basis_scale is None else np.asarray(program.basis_scale, dtype=float)
    dF = np.ones(nF) if program.value_scale is None else np.asarray(program.value_scale, dtype=float)
    A = sp.csr_matrix(rows.A_flat, dtype=float) @ sp.diags(np.outer(dG, dG).ravel())
    B = np.asarray(rows.B, dtype=float) * dF[None]
    C = np.asarray(rows.C, dtype=float)
    w = np.ones(rows.m)
    if normalize and rows.m:
        w = np.asarray(abs(A).max(axis=1).todense()).ravel()
        w = np.maximum(w, np.max(np.abs(B), axis=1, initial=0.0))
        w = np.maximum(w, np.max(np.abs(C), axis=1, initial=0.0))
        w = np.where(w > 0, w, 1.0)
        inv = sp.diags(1.0 / w)
        A, B, C = (inv @ A).tocsr(), B / w[:, None], C / w[:, None]
    return A.tocsr(), B, C, w


def run(problem: cp.Problem, key: str, options, defaults: dict | None = None) -> None:
    """``problem.solve`` with the named solver, its failures turned into SolverError / InvalidParameterError.

    ``defaults`` (the solver's :data:`DEFAULT_OPTIONS` when None) are overridden by ``options``.
    """
    name = SOLVERS[key]
    options = check_options(options)
    opts = {**(DEFAULT_OPTIONS[key] if defaults is None else defaults), **options}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # cvxpy's inaccuracy warning becomes our own, on the result
            problem.solve(solver=name, **opts)
    except cp.error.SolverError as exc:
        raise SolverError(key, "solver_error", _first_line(exc)) from None
    except (TypeError, ValueError) as exc:
        # only a message naming one of the user's options is about the options; any other
        # TypeError/ValueError comes from inside the solver and is a solver failure
        text = _first_line(exc) or type(exc).__name__
        if any(repr(opt) in text or f"'{opt}'" in text for opt in options):
            raise InvalidParameterError("solver_options", options, f"options accepted by {name}", text) from None
        raise SolverError(key, "solver_error", f"{type(exc).__name__} inside the solver: {text}") from None
    except (RuntimeError, ArithmeticError, np.linalg.LinAlgError) as exc:
        raise SolverError(key, "solver_error", f"{type(exc).__name__}: {_first_line(exc)}") from None


def residuals(program: Program, G, F, t, y_ineq, y_eq):
    """(primal residual, dual residual, dual objective) of a candidate primal/dual pair."""
    k = program.k

    def values(rows):
        out = rows.A_flat @ G.ravel() + rows.B @ F + rows.e
        return out + rows.C @ t if program.nt else out

    primal = max(0.0, -float(np.min(values(program.ineq), initial=0.0)),
                 float(np.max(np.abs(values(program.eq)), initial=0.0)),
                 -float(np.linalg.eigvalsh(G)[0]))
    S, bF, cT, dual_value = dual_parts(program, y_ineq, y_eq)
    dual = max(0.0, -float(np.min(y_ineq, initial=0.0)), -float(np.linalg.eigvalsh(S)[0]),
               float(np.max(np.abs(bF), initial=0.0)), float(np.max(np.abs(cT), initial=0.0)))
    return primal, dual, float(dual_value)


def dual_parts(program: Program, y_ineq, y_eq):
    """S(y), F- and t-stationarity residuals and the dual objective sum_r y_r e_r.

    Works for float and exact (Fraction object) arrays alike.
    """
    ob, iq, eq = program.objective, program.ineq, program.eq
    k = program.k
    S, bF, cT, dual_value = ob.A_flat[0].reshape(k, k), ob.B[0], ob.C[0], 0 * ob.e[0]
    if sp.issparse(S):
        S = S.toarray()
    for y, rows in ((y_ineq, iq), (y_eq, eq)):
        if rows.m:  # skipping empty blocks keeps exact arrays free of float zeros
            S = S + ((rows.A_flat.T @ y).reshape(k, k) if rows.sparse else np.tensordot(y, rows.A, axes=1))
            bF, cT, dual_value = bF + y @ rows.B, cT + y @ rows.C, dual_value + y @ rows.e
    return -S, bF, cT, dual_value
