"""The small quadratic program behind every witness evaluation, solved exactly by active sets.

    minimize  phi(lambda) = (L/2) ||U^T lambda||^2 - kappa^T lambda   over the simplex
              lambda >= 0, sum(lambda) = 1,

with U (n, d) and n the number of interpolated points (a few tens).  Why not an interior
point method: the witness's gradients are L U^T lambda*, and they must match the PEP's data to
rounding, not to a solver tolerance.  An IPM's answer is accurate to its tolerance relative to
the largest objective coefficient, which for data far from the origin of U (a convex witness
whose x_0 lies thousands of units from x*) leaves errors of 1e-5 in the gradients.

Method: the primal active-set method for convex quadratic programs (Nocedal & Wright,
*Numerical Optimization*, 2nd ed., Algorithm 16.3), started at the best vertex.  On the face
spanned by the free indices F it solves the equality-constrained problem

    L U_F U_F^T p - nu 1 = -grad_F,   1^T p = 0       (grad = L U U^T lambda - kappa),

and when that system is inconsistent (phi unbounded below on the face's affine hull; U_F U_F^T
is singular as soon as |F| > d + 1) it follows the least-squares residual instead, a direction
with U_F^T p = 0, 1^T p = 0 and grad^T p < 0 along which phi decreases linearly.  Either step
is cut at the first index that reaches 0, which then leaves F.  At a face minimizer the
multipliers grad_i - tau (tau the common value of grad on F) of the indices outside F decide:
all >= 0 is optimal (the KKT conditions of the simplex QP), otherwise the most negative one
joins F.  phi strictly decreases between faces, so no face repeats: the method is finite.

U^T lambda is unique over the minimizers (phi is strictly convex in U^T lambda), so the
gradient L U^T lambda* is too, whatever lambda* is picked among them.
"""

from __future__ import annotations

import numpy as np

from ..errors import SolverError

#: relative tolerance of the optimality test and of the face solves (a few ulps of the data)
RTOL = 1e-13


def simplex_qp(U: np.ndarray, kappa: np.ndarray, L: float, *, max_iter: int | None = None) -> np.ndarray:
    """lambda* minimizing (L/2) ||U^T lambda||^2 - kappa^T lambda over the simplex.

    Raises
    ------
    SolverError
        Status ``"iteration_limit"`` if the active-set method has not converged after
        ``max_iter`` (default 50 n + 10) steps (it is finite in exact arithmetic; Bland's
        smallest-index rule for entering and leaving indices guards against cycling on ties).
    """
    U = np.asarray(U, dtype=float)
    kappa = np.asarray(kappa, dtype=float)
    n = len(kappa)
    max_iter = 50 * n + 10 if max_iter is None else max_iter
    lam = np.zeros(n)
    lam[int(np.argmin(L / 2 * np.sum(U * U, axis=1) - kappa))] = 1.0
    free = lam > 0
    at_minimum = True                                      # a vertex minimizes its own face
    for _ in range(max_iter):
        v = U.T @ lam
        grad = L * (U @ v) - kappa
        scale = L * np.linalg.norm(U, axis=1) * max(np.linalg.norm(v), 1e-300) + np.abs(kappa) + 1e-300
        F = np.flatnonzero(free)
        if at_minimum:                                     # multipliers of the indices outside F
            tau = float(np.mean(grad[F]))
            late = np.flatnonzero(~free & (grad - tau < -RTOL * (scale + abs(tau))))
            if len(late) == 0:
                return lam
            free[late[0]] = True
            at_minimum = False
            continue
        step, bounded = _face_step(U[F], grad[F], lam[F], scale[F], L)
        if step is None:
            at_minimum = True
            continue
        p = np.zeros(n)
        p[F] = step
        shrinking = np.flatnonzero(p < 0)
        ratios = lam[shrinking] / -p[shrinking]
        alpha = float(ratios.min())
        if bounded and alpha >= 1.0:
            lam = lam + p
            at_minimum = True
        else:
            lam = lam + alpha * p
            lam[shrinking[int(np.flatnonzero(ratios == alpha)[0])]] = 0.0
        lam = np.clip(lam, 0.0, None)
        lam /= lam.sum()
        free &= lam > 0
    raise SolverError("active-set", "iteration_limit", f"witness evaluation: no convergence in {max_iter} steps")


def _face_step(U_F: np.ndarray, grad_F: np.ndarray, lam_F: np.ndarray, scale_F: np.ndarray, L: float):
    """(step, bounded) on the face F, or (None, True) when the point already minimizes it.

    Parametrize the face by a reference index r (the largest weight) and the weights mu of
    the others: lambda = e_r + sum_i mu_i (e_i - e_r), U^T lambda = u_r + W mu with
    W = [u_i - u_r].  phi moves along a step dmu by -(grad_i - grad_r)^T dmu to first order
    and by (L/2) ||W dmu||^2 to second, so the face minimizer solves
    L W^T W dmu = -(grad_others - grad_r) (through the SVD of W: only differences of the
    u_i enter, never the large coordinates themselves).  A null vector of W with a nonzero
    slope makes phi unbounded on the affine hull: that direction is returned (``bounded`` False).
    """
    m = len(grad_F)
    if m == 1:
        return None, True
    r = int(np.argmax(lam_F))
    others = np.array([i for i in range(m) if i != r])
    W = (U_F[others] - U_F[r]).T                           # (d, m - 1)
    slope = grad_F[others] - grad_F[r]                     # d phi / d mu
    tol = RTOL * (float(np.max(scale_F)) + 1e-300)
    _, sv, Vt = np.linalg.svd(W, full_matrices=True)
    rank = int(np.sum(sv > 1e-12 * (sv[0] if sv.size else 0.0)))
    null = Vt[rank:]                                       # W @ null.T = 0
    flat_slope = null @ slope
    if null.shape[0] and np.max(np.abs(flat_slope)) > tol * (m ** 0.5):
        dmu = -null.T @ flat_slope                         # linear decrease along the null space
        bounded = False
    else:
        Vr, sr = Vt[:rank], sv[:rank]
        dmu = -Vr.T @ ((Vr @ slope) / sr ** 2) / L         # -(L W^T W)^+ slope
        bounded = True
    size = float(np.max(np.abs(dmu), initial=0.0))
    if size <= 1e-15 or (bounded and abs(float(slope @ dmu)) <= tol * size):
        return None, True
    step = np.zeros(m)
    step[others] = dmu
    step[r] = -dmu.sum()
    return step, bounded
