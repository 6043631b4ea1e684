"""Interpolation conditions of the smooth function classes, as rows of a Gram-matrix program.

A finite set {(x_i, g_i, f_i)} is *F-interpolable* when some f in the class F has
f(x_i) = f_i and grad f(x_i) = g_i for every i.  A PEP over F is exact when it imposes
conditions that are necessary *and* sufficient for interpolability.

beta-smooth mu-strongly convex, 0 <= mu < beta  (exact)
    Taylor, Hendrickx & Glineur, "Smooth strongly convex interpolation and exact worst-case
    performance of first-order methods", Math. Program. 161 (2017), Theorem 4: the set is
    interpolable iff for all i != j

        f_i >= f_j + <g_j, x_i - x_j>
               + 1/(2(1 - mu/beta)) * ( ||g_i - g_j||^2 / beta + mu ||x_i - x_j||^2
                                        - 2 (mu/beta) <g_j - g_i, x_j - x_i> ).        (I)

beta-smooth, not necessarily convex  (exact)
    f has a beta-Lipschitz gradient iff h = f + (beta/2)||x||^2 is convex and 2 beta-smooth:
    monotonicity of grad h is <grad f(a) - grad f(b), a - b> >= -beta ||a - b||^2, and
    cocoercivity of grad h gives ||grad f(a) - grad f(b)||^2 <= beta^2 ||a - b||^2 back.
    So Theorem 4 (mu = 0, smoothness 2 beta) applied to (x_i, g_i + beta x_i,
    f_i + beta ||x_i||^2 / 2) is exact for this class; rewritten in f it is (I) with
    mu = -beta, i.e.

        f_i >= f_j + <g_i + g_j, x_i - x_j>/2 + ||g_i - g_j||^2/(4 beta) - beta ||x_i - x_j||^2/4,

    (the same inequality PEPit uses for its ``SmoothFunction`` class; the reduction above is
    what makes it exact here).  What is *not* exact in the nonconvex PEP is the lower bound
    f >= f_low: it is imposed only at the evaluated points, see :func:`lower_bound_rows`.

Every condition is linear in the Gram matrix G and the value vector F, so all pairs are
produced at once as arrays (no Python loop over pairs): dense (m, k, k) blocks for small and
exact programs (:func:`pair_rows`), or one scipy.sparse (m, k^2) matrix acting on vec(G)
(:func:`pair_rows_sparse`).  In the iterate basis of GD (:mod:`sambounds.pep.methods`)
every x_i and g_i has at most two coordinates, so each row has O(1) nonzeros and the block
for N = 100 (10,302 rows) holds about 2 * 10^5 numbers instead of 10^8.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..setting import FunctionClass


@dataclass(frozen=True)
class SmoothClass:
    """The class of beta-smooth functions with curvature >= ``sigma``.

    ``sigma = mu >= 0`` is the strongly convex / convex class, ``sigma = -beta`` the smooth
    nonconvex class.  All values are in the program's number type (float or Fraction).
    """

    beta: object
    sigma: object
    function_class: FunctionClass

    @property
    def convex(self) -> bool:
        return self.function_class.convex

    @property
    def citation(self) -> str:
        if self.convex:
            return ("Taylor, Hendrickx & Glineur (2017), Theorem 4: exact interpolation of "
                    "beta-smooth mu-strongly convex functions")
        return ("Taylor, Hendrickx & Glineur (2017), Theorem 4 applied to f + beta||x||^2/2 "
                "(exact interpolation of beta-smooth functions); f >= f_low only at the points "
                "(necessary, not sufficient)")


def smooth_class(function_class: FunctionClass, beta, mu) -> SmoothClass:
    """The :class:`SmoothClass` of a Setting's class in normalized units (``beta`` may be 1)."""
    if function_class.convex:
        return SmoothClass(beta=beta, sigma=mu, function_class=function_class)
    return SmoothClass(beta=beta, sigma=-beta, function_class=function_class)


def pair_rows(cls: SmoothClass, X: np.ndarray, Gr: np.ndarray, pairs: np.ndarray):
    """Condition (I) for every ordered pair (i, j) in ``pairs``.

    Parameters
    ----------
    X, Gr : arrays (n, k)
        Coordinates of the points x_i and gradients g_i in the Gram basis (row i is the
        coefficient vector of point i), of the program's number type.
    pairs : int array (m, 2)
        Rows (i, j), i != j.

    Returns
    -------
    A : array (m, k, k)
        Symmetric matrices such that condition (I) for the pair r = (i, j) reads
        A_r . G + f_i - f_j >= 0  (A . G = trace(A G)).
    """
    i, j = pairs[:, 0], pairs[:, 1]
    a = X[i] - X[j]                      # x_i - x_j
    b = Gr[i] - Gr[j]                    # g_i - g_j
    gj = Gr[j]
    beta, sigma = cls.beta, cls.sigma
    q = 1 / (2 * (1 - sigma / beta))
    # f_i - f_j - <g_j, a> - q/beta ||b||^2 - q sigma ||a||^2 + q (2 sigma/beta) <b, a> >= 0
    A = -_sym(gj, a) - (q / beta) * _outer(b, b) - (q * sigma) * _outer(a, a) \
        + (q * 2 * sigma / beta) * _sym(b, a)
    return A


def pair_rows_sparse(cls: SmoothClass, X: np.ndarray, Gr: np.ndarray, pairs: np.ndarray) -> sp.csr_matrix:
    """Condition (I) for every pair, as one sparse (m, k^2) matrix: row r is vec(A_r) of :func:`pair_rows`.

    The same bilinear terms as :func:`pair_rows`, each written u v^T + v u^T over the nonzero
    coordinates of u and v only (float programs).
    """
    X, Gr = sp.csr_matrix(np.asarray(X, dtype=float)), sp.csr_matrix(np.asarray(Gr, dtype=float))
    i, j = pairs[:, 0], pairs[:, 1]
    a, b, gj = (X[i] - X[j]).tocsr(), (Gr[i] - Gr[j]).tocsr(), Gr[j].tocsr()
    beta, sigma = float(cls.beta), float(cls.sigma)
    q = 1 / (2 * (1 - sigma / beta))
    k = X.shape[1]
    terms = [(-0.5, gj, a), (-0.5, a, gj), (-q / beta, b, b), (-q * sigma, a, a),
             (q * sigma / beta, b, a), (q * sigma / beta, a, b)]
    parts = [_outer_coo(c, u, v, k) for c, u, v in terms if c != 0]
    rows = np.concatenate([p[0] for p in parts])
    cols = np.concatenate([p[1] for p in parts])
    vals = np.concatenate([p[2] for p in parts])
    out = sp.csr_matrix((vals, (rows, cols)), shape=(len(pairs), k * k))
    out.sum_duplicates()
    out.eliminate_zeros()
    return out


def _outer_coo(c: float, U: sp.csr_matrix, V: sp.csr_matrix, k: int):
    """(row, column of vec, value) of c * vec(u_r v_r^T) for every row r of U, V: all at once."""
    nu, nv = np.diff(U.indptr), np.diff(V.indptr)
    counts = nu * nv
    r = np.repeat(np.arange(U.shape[0]), counts)
    offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    iu = U.indptr[r] + offset // np.maximum(nv[r], 1)
    iv = V.indptr[r] + offset % np.maximum(nv[r], 1)
    return r, U.indices[iu] * k + V.indices[iv], c * U.data[iu] * V.data[iv]


def lower_bound_rows(beta, Gr: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Necessary conditions of inf f >= f_low (= 0 in the program) at the points ``idx``.

    If f is beta-smooth and f >= f_low everywhere, then for every point
    f_low <= f(x_i - g_i/beta) <= f_i - ||g_i||^2/(2 beta) (descent lemma), so

        f_i - f_low - ||g_i||^2 / (2 beta) >= 0.

    These finitely many conditions do not guarantee that some beta-smooth function bounded
    below by f_low interpolates the data (Rubbens & Hendrickx, "A constraint-based approach
    to function interpolation", 2024, discuss such lower-bound conditions): the nonconvex
    PEP value is therefore a sound upper bound, not necessarily attained.

    Returns the matrices A_i (len(idx), k, k) of the rows A_i . G + f_i >= 0.
    """
    g = Gr[idx]
    return -(1 / (2 * beta)) * _outer(g, g)


def _outer(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return u[:, :, None] * v[:, None, :]


def _sym(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Symmetric matrix of the bilinear form <u, v> in the Gram basis."""
    o = _outer(u, v)
    return (o + o.transpose(0, 2, 1)) / 2
