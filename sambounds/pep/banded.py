"""GD's PEP solved on a band of interpolation pairs, then checked against every pair.

Why: an interior-point SDP with a dense k x k Gram matrix costs O(k^6) per iteration
(k = N + 2; GD strongly convex, N = 40, took 14 s and N = 100 would take hours here).  In the
iterate basis of :mod:`sambounds.pep.methods` the interpolation rows of nearby points (and of
each point with x*) only touch a band of G, so the *dual* of the program restricted to

    P_w = {(i, j): |i - j| <= w} together with every pair involving x*,

    minimize  sum_r y_r e_r   over  y_r >= 0 (rows in P_w and the method's rows),
    s.t.      B_0 + sum_r y_r B_r = 0,  C_0 + sum_r y_r C_r = 0,
              S(y) = -(A_0 + sum_r y_r A_r)  >= 0  (a banded matrix)

is a chordal SDP that Clarabel decomposes into N cliques of size w + 2 (Vandenberghe &
Andersen, "Chordal graphs and semidefinite optimization", Found. Trends Optim. 1 (2015)),
solved in under a second at N = 100.  Two facts make the answer exact and checkable:

upper bound
    y extended by zeros to the rows outside P_w is a dual point of the *full* program, so
    sum_r y_r e_r bounds the full PEP from above (weak duality, :mod:`sambounds.pep.solvers`);
attainment
    the multipliers of S(y) >= 0 and of the stationarity rows are the primal (G, F) on the
    band.  The band of a PSD matrix is completed to a full PSD matrix by the Schur-complement
    recursion G[j, U] = G[j, S] G[S, S]^+ G[S, U] (S the w + 1 indices before j, U those
    before S; Dym & Gohberg 1981; for low-rank data it keeps the rank), and the completed
    (G, F) is checked against *every* interpolation pair.  When it meets them all (relative
    violation <= :data:`ACCEPT`), it is a feasible point of the full program whose objective
    matches the upper bound: the band lost nothing.

If the completion violates some pair, the band is widened (w = 1, 2, 4, 8) and solved again;
:func:`solve_banded` returns ``None`` when no band is accepted (the caller solves the full
program).  Residuals reported are those of the full program.
"""

from __future__ import annotations

import cvxpy as cp
import numpy as np
import scipy.sparse as sp

from ..errors import SolverError
from .gram import Program
from .solvers import (DEFAULT_OPTIONS, RESIDUAL_WARNING, Solution, check_point, check_solver, residuals, run,
                      scaled_rows)

#: the warning that starts the note of a solution whose attainment is not shown
UNVERIFIED = "attainment not shown"
#: band widths tried in turn
WIDTHS = (1, 2, 4, 8)
#: largest relative violation of a non-band pair for which the completion is accepted
ACCEPT = 1e-7
#: Clarabel's tolerances for the banded dual (small and well conditioned: it reaches them with
#: status optimal; at 1e-8 GD convex N = 100 was 7e-6 off the closed form, at 1e-10 6e-7)
BANDED_OPTIONS = {"clarabel": {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10}}


def band_rows(program: Program, w: int) -> np.ndarray:
    """Indices of the inequality rows kept on the band of width ``w``.

    Interpolation rows of pairs (i, j) with |i - j| <= w or with a point without value
    variable (x*), and every row that is not an interpolation row.
    """
    pairs = program.pairs
    star = np.array([p.f is None for p in program.points])
    near = (np.abs(pairs[:, 0] - pairs[:, 1]) <= w) | star[pairs[:, 0]] | star[pairs[:, 1]]
    return np.concatenate([np.flatnonzero(near), np.arange(len(pairs), program.ineq.m)])


def complete_band(G: np.ndarray, bw: int, rcond: float = 1e-12) -> np.ndarray:
    """The PSD completion of the band |a - b| <= bw of G by the Schur-complement recursion.

    Entries outside the band are ignored.  Column j (j > bw) is filled against the bw indices
    S = j - bw .. j - 1 before it: G[j, U] = G[j, S] G[S, S]^+ G[S, U].
    """
    k = G.shape[0]
    idx = np.arange(k)
    out = np.where(np.abs(idx[:, None] - idx[None, :]) <= bw, (G + G.T) / 2, 0.0)
    for j in range(bw + 1, k):
        S, U = idx[j - bw:j], idx[:j - bw]
        coef = np.linalg.lstsq(out[np.ix_(S, S)], out[S, j], rcond=rcond)[0]
        out[j, U] = coef @ out[np.ix_(S, U)]
        out[U, j] = out[j, U]
    return out


def solve_banded(program: Program, solver: str = "clarabel", options: dict | None = None,
                 widths=WIDTHS, *, unverified: bool = False) -> Solution | None:
    """Solve ``program`` (float, with ``pairs``) on bands of pairs; None when no band is accepted.

    With ``unverified`` the widest band's solution is returned instead of None: its value is
    still an upper bound on the full PEP (the dual point is feasible for it), but its completed
    Gram matrix violates some pairs, so attainment is not shown; its ``primal_residual`` is
    that violation and its warnings say so.  ``primal_residual`` is always at least the largest
    relative violation over every pair (absolute residuals of a strongly convex PEP's late rows
    are ~r^(2N) and would hide it).

    Raises SolverError as :func:`sambounds.pep.solvers.solve` does (status on the error).
    """
    check_solver(solver)
    key = solver.lower()
    if program.pairs is None or program.exact:
        raise SolverError(key, "unsupported", "a banded solve needs a float program with interpolation pairs")
    k, nF, nt = program.k, program.n_values, program.nt
    dG = np.ones(k) if program.basis_scale is None else np.asarray(program.basis_scale, dtype=float)
    dF = np.ones(nF) if program.value_scale is None else np.asarray(program.value_scale, dtype=float)
    A_all, B_all, C_all, w_all = scaled_rows(program, program.ineq, True)
    A_eq, B_eq, C_eq, w_eq = scaled_rows(program, program.eq, True)
    A0, B0, C0, w_obj = scaled_rows(program, program.objective, True)
    w0 = float(w_obj[0])
    defaults = {**DEFAULT_OPTIONS[key], **BANDED_OPTIONS.get(key, {})}
    spent = 0.0
    last = None
    for w in widths:
        if w >= len(program.points):
            break
        sel = band_rows(program, w)
        A, B, C, e = A_all[sel], B_all[sel], C_all[sel], program.ineq.e[sel] / w_all[sel]
        y = cp.Variable(len(sel), nonneg=True)
        z = cp.Variable(program.eq.m) if program.eq.m else None
        M = A.T @ y + A0.T.toarray().ravel()
        stat_F = B.T @ y + B0[0]
        stat_t = C.T @ y + C0[0] if nt else None
        dual_obj = e @ y
        if z is not None:
            M, stat_F, dual_obj = M + A_eq.T @ z, stat_F + B_eq.T @ z, dual_obj + (program.eq.e / w_eq) @ z
            stat_t = stat_t + C_eq.T @ z if nt else None
        S = -cp.reshape(M, (k, k), order="C")
        psd = (S + S.T) / 2 >> 0
        cons = [stat_F == 0, psd] + ([stat_t == 0] if nt else [])
        problem = cp.Problem(cp.Minimize(dual_obj), cons)
        run(problem, key, options, defaults)
        spent += float(problem.solver_stats.solve_time or 0.0)
        status = problem.status
        if status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
            raise SolverError(key, str(status), "the banded PEP has no usable solution")
        if problem.value is None or not np.isfinite(problem.value):
            raise SolverError(key, str(status), f"the solver reported objective {problem.value!r}: not a usable value")
        check_point(key, status, [y.value] + ([z.value] if z is not None else []),
                    [psd.dual_value, cons[0].dual_value] + ([cons[2].dual_value] if nt else []))
        pattern = abs(A).sum(axis=0).A1.reshape(k, k) + abs(A0).toarray().reshape(k, k) > 0
        a, b = np.nonzero(pattern | pattern.T)
        Gh = complete_band(np.asarray(psd.dual_value, dtype=float), int(np.max(np.abs(a - b), initial=0)))
        Fh = np.asarray(cons[0].dual_value, dtype=float).ravel()
        th = np.asarray(cons[2].dual_value, dtype=float).ravel() if nt else np.zeros(0)
        rows = A_all @ Gh.ravel() + B_all @ Fh + program.ineq.e / w_all + (C_all @ th if nt else 0.0)
        violation = max(0.0, -float(np.min(rows, initial=0.0)))
        if violation > ACCEPT and not unverified:
            continue
        G, F = np.outer(dG, dG) * Gh, dF * Fh
        y_full = np.zeros(program.ineq.m)
        y_full[sel] = np.asarray(y.value, dtype=float) * w0 / w_all[sel]
        y_eq = np.asarray(z.value, dtype=float) * w0 / w_eq if z is not None else np.zeros(0)
        value = float(problem.value) * w0
        primal, dual, dual_value = residuals(program, G, F, th, y_full, y_eq)
        primal = max(primal, violation)
        ob = program.objective
        primal_value = float(ob.A_flat[0] @ G.ravel() + ob.B[0] @ F + (ob.C[0] @ th if nt else 0.0) + ob.e[0])
        gap = abs(primal_value - value)
        worst = max(primal, dual, gap / max(1.0, abs(value)))
        notes = [f"solved on the band of pairs |i - j| <= {w} plus x* ({len(sel)} of {program.ineq.m} rows); "
                 f"the completed Gram matrix meets every pair to {violation:.1e} (relative)"]
        if violation > ACCEPT:
            notes.append(f"{UNVERIFIED}: the completed Gram matrix violates an interpolation pair by "
                         f"{violation:.1e} (relative); the value is an upper bound (its dual point is feasible)")
        if status == cp.OPTIMAL_INACCURATE:
            notes.append(f"{key} reported status optimal_inaccurate: the value is approximate")
        if worst > RESIDUAL_WARNING:
            notes.append(f"residuals up to {worst:.1e} exceed {RESIDUAL_WARNING:g}")
        last = Solution(value, G, F, th, y_full, y_eq, key, status, primal, dual, gap, dual_value,
                        spent, tuple(notes))
        if violation <= ACCEPT:
            return last
    return last if unverified else None
