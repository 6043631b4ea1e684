"""Rational dual certificates: a numeric worst case turned into an exactly checked proof.

For the maximization  max A_0.G + B_0.F + C_0.t  over rows r (A_r.G + B_r.F + C_r.t + e_r
>= 0, or == 0) and G >= 0, multipliers y (y_r >= 0 on inequality rows) with

    (1) B_0 + sum_r y_r B_r = 0,   C_0 + sum_r y_r C_r = 0          (stationarity in F, t)
    (2) S = -(A_0 + sum_r y_r A_r)  is positive semidefinite

prove  objective <= sum_r y_r e_r  for every feasible point: adding sum_r y_r row_r (>= 0 in
total) to the objective leaves -S.G + sum_r y_r e_r, and S.G >= 0 for PSD S and G.  In words:
the worst case is at most a weighted sum of interpolation inequalities plus a PSD term.

How the rational multipliers are found (Taylor, Hendrickx & Glineur 2017 discuss the dual):
solve the dual once more with the bound relaxed by a relative ``slack`` and the smallest
eigenvalue of S maximized (a margin that survives rounding), round y to fractions, clip
negative inequality multipliers to 0, restore (1) exactly by re-solving it on a set of pivot
multipliers in rational arithmetic, and check (2) by an exact LDL^T factorization.  All
arithmetic in :func:`verify` is in :class:`fractions.Fraction`: nothing numeric is trusted.

The exact program uses the exact binary values of the float constants (beta, mu, eta_t, rho,
D, Delta), so the proof is for those numbers.  One approximation remains: SAM with the
function-gap initial condition has the irrational radius rho / sqrt(Delta / beta) in normalized
units, which is rounded to a float first (the certificate then proves the bound for that radius).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import cvxpy as cp
import numpy as np

from ..errors import ProofError, SolverError
from .gram import Program
from .solvers import check_solver, dual_parts


@dataclass(frozen=True)
class Certificate:
    """Exact multipliers and the bound they prove (normalized and user units)."""

    y_ineq: tuple[Fraction, ...]
    y_eq: tuple[Fraction, ...]
    bound_normalized: Fraction
    bound: Fraction
    labels: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"bound": str(self.bound), "bound_float": float(self.bound),
                "bound_normalized": str(self.bound_normalized),
                "multipliers": {lab: str(y) for lab, y in zip(self.labels, self.y_ineq + self.y_eq) if y != 0}}


def certify(program: Program, exact_program: Program, value: float, *, slack: float = 1e-6,
            solver: str = "clarabel", max_denominator: int = 10 ** 12) -> Certificate:
    """Find rational multipliers proving ``value * (1 + slack)`` (normalized units) and verify them.

    Raises
    ------
    ProofError
        If the rounded multipliers do not verify exactly (try a larger ``slack``).
    SolverError
        If the margin problem cannot be solved.
    """
    y_ineq, y_eq = _margin_dual(program, value * (1 + slack) + 1e-12, solver)
    yi = [max(Fraction(0), Fraction(float(y)).limit_denominator(max_denominator)) for y in y_ineq]
    ye = [Fraction(float(y)).limit_denominator(max_denominator) for y in y_eq]
    yi, ye = _restore_stationarity(exact_program, yi, ye)
    _, _, _, bound = dual_parts(exact_program, _arr(yi), _arr(ye))
    cert = Certificate(tuple(yi), tuple(ye), bound, bound * exact_program.scale,
                       exact_program.ineq.labels + exact_program.eq.labels)
    ok, reason = verify(cert, exact_program)
    if not ok:
        raise ProofError(f"the rounded certificate does not verify: {reason}")
    return cert


def verify(cert: Certificate, exact_program: Program) -> tuple[bool, str]:
    """Check a certificate exactly: signs, stationarity, PSD-ness of S, and the claimed bound."""
    if not exact_program.exact:
        return False, "the program is not exact"
    if len(cert.y_ineq) != exact_program.ineq.m or len(cert.y_eq) != exact_program.eq.m:
        return False, "wrong number of multipliers"
    if any(y < 0 for y in cert.y_ineq):
        return False, "a multiplier of an inequality is negative"
    S, bF, cT, bound = dual_parts(exact_program, _arr(cert.y_ineq), _arr(cert.y_eq))
    if any(v != 0 for v in bF) or any(v != 0 for v in cT):
        return False, "stationarity in the function values fails"
    if bound != cert.bound_normalized or bound * exact_program.scale != cert.bound:
        return False, f"claimed bound {cert.bound_normalized} differs from sum y_r e_r = {bound}"
    if not is_psd(S):
        return False, "S = -(A_0 + sum y_r A_r) is not positive semidefinite"
    return True, "verified"


def is_psd(S) -> bool:
    """Exact PSD test of a symmetric rational matrix by LDL^T with diagonal pivoting.

    Eliminating on the largest remaining diagonal entry d > 0 leaves the Schur complement,
    which is PSD iff the matrix is; when the largest diagonal is 0, a PSD remainder must be 0.
    """
    A = [[Fraction(v) for v in row] for row in S]
    n = len(A)
    if any(A[i][j] != A[j][i] for i in range(n) for j in range(i)):
        return False
    active = list(range(n))
    while active:
        p = max(active, key=lambda i: A[i][i])
        d = A[p][p]
        if d < 0:
            return False
        if d == 0:
            return all(A[i][j] == 0 for i in active for j in active)
        active.remove(p)
        for i in active:
            if A[i][p] != 0:
                r = A[i][p] / d
                for j in active:
                    A[i][j] -= r * A[p][j]
    return True


def _arr(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def _margin_dual(program: Program, bound: float, solver: str):
    """Dual multipliers with sum y e <= bound that maximize the smallest eigenvalue of S."""
    name = check_solver(solver)
    k = program.k
    yi = cp.Variable(program.ineq.m, nonneg=True)
    ye = cp.Variable(program.eq.m) if program.eq.m else None
    s = cp.Variable()
    ob, iq, eq = program.objective, program.ineq, program.eq
    M = ob.A_flat[0].reshape(k, k) + cp.reshape(iq.A_flat.T @ yi, (k, k), order="C")
    bF = ob.B[0] + iq.B.T @ yi
    cT = ob.C[0] + iq.C.T @ yi if program.nt else None
    dual_value = iq.e @ yi
    if ye is not None:
        M = M + cp.reshape(eq.A_flat.T @ ye, (k, k), order="C")
        bF = bF + eq.B.T @ ye
        cT = cT + eq.C.T @ ye if program.nt else None
        dual_value = dual_value + eq.e @ ye
    S = -(M + M.T) / 2
    cons = [bF == 0, dual_value <= bound, S - s * np.eye(k) >> 0, s <= 1]
    if cT is not None:
        cons.append(cT == 0)
    prob = cp.Problem(cp.Maximize(s), cons)
    prob.solve(solver=name)
    if prob.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) or yi.value is None:
        raise SolverError(solver, prob.status, "certificate margin problem")
    return yi.value, (ye.value if ye is not None else np.zeros(0))


def _restore_stationarity(program: Program, yi, ye):
    """Make B_0 + sum y B = 0 and C_0 + sum y C = 0 hold exactly by adjusting pivot multipliers.

    Pivots are chosen among equality multipliers first, then the largest inequality
    multipliers (so that the small exact corrections keep them >= 0).
    """
    iq, eq, ob = program.ineq, program.eq, program.objective
    E = np.concatenate([np.concatenate([iq.B, iq.C], axis=1), np.concatenate([eq.B, eq.C], axis=1)]).T
    y = list(yi) + list(ye)
    target = -np.concatenate([ob.B[0], ob.C[0]])
    residual = [target[r] - sum(E[r, c] * y[c] for c in range(len(y)) if E[r, c] != 0) for r in range(E.shape[0])]
    order = list(range(len(yi), len(y))) + sorted(range(len(yi)), key=lambda c: -y[c])
    rows = [list(E[r]) + [residual[r]] for r in range(E.shape[0])]
    pivots = []
    for c in order:  # Gauss-Jordan on the preferred columns, exact
        r = next((r for r in range(len(pivots), len(rows)) if rows[r][c] != 0), None)
        if r is None:
            continue
        i = len(pivots)
        rows[i], rows[r] = rows[r], rows[i]
        piv = rows[i][c]
        rows[i] = [v / piv for v in rows[i]]
        for j in range(len(rows)):
            if j != i and rows[j][c] != 0:
                f = rows[j][c]
                rows[j] = [a - f * b for a, b in zip(rows[j], rows[i])]
        pivots.append(c)
        if len(pivots) == len(rows):
            break
    if any(row[-1] != 0 for row in rows[len(pivots):]):
        raise ProofError("stationarity in the function values cannot be restored exactly")
    for i, c in enumerate(pivots):
        y[c] += rows[i][-1]
    if any(v < 0 for v in y[:len(yi)]):
        raise ProofError("restoring stationarity made a multiplier negative")
    return y[:len(yi)], y[len(yi):]
