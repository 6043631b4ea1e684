"""Gram-basis bookkeeping and the matrix form of a performance-estimation program.

A PEP over first-order methods lives in the span of a few vectors (x_0 - x* and the
gradients the method queries).  With x* = 0 as origin, every point and gradient is a
coefficient vector over that basis, every inner product <u, v> is u^T G v for the Gram
matrix G = P^T P >= 0 of the basis, and every constraint is linear in (G, F, t):

    A_r . G + B_r . F + C_r . t + e_r  >= 0   (inequality rows)
    A_r . G + B_r . F + C_r . t + e_r  == 0   (equality rows)
    maximize  A_0 . G + B_0 . F + C_0 . t

F holds the function values of the evaluated points and t an optional epigraph scalar
(for min_t measures).  The same arrays serve the float solve and, with ``exact=True``
(numpy object arrays of :class:`fractions.Fraction`), the exact certificate check.
(Drori & Teboulle 2014; Taylor, Hendrickx & Glineur 2017.)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import scipy.sparse as sp


def num(x, exact: bool):
    """A scalar in the program's number type: exact binary Fraction of a float, or float."""
    if exact:
        return x if isinstance(x, Fraction) else Fraction(x)
    return float(x)


def zeros(shape, exact: bool) -> np.ndarray:
    if exact:
        out = np.empty(shape, dtype=object)
        out.fill(Fraction(0))
        return out
    return np.zeros(shape)


def unit(k: int, i: int, exact: bool) -> np.ndarray:
    u = zeros(k, exact)
    u[i] = num(1, exact)
    return u


@dataclass(frozen=True)
class Point:
    """A point of the trajectory: coordinates x, gradient g (over the basis), value index.

    ``f`` indexes the value vector F; ``None`` means the value is the reference 0
    (f* at x* for convex classes).
    """

    name: str
    x: np.ndarray
    g: np.ndarray
    f: int | None


@dataclass(frozen=True)
class Rows:
    """A block of linear rows A . G + B . F + C . t + e (see the module docstring).

    ``A`` is a dense (m, k, k) array of symmetric matrices, or (float programs built sparse)
    a scipy.sparse (m, k^2) matrix whose row r is vec(A_r); :attr:`A_flat` reads both.
    """

    A: np.ndarray          # (m, k, k), symmetric; or sparse (m, k*k)
    B: np.ndarray          # (m, nF)
    C: np.ndarray          # (m, nt)
    e: np.ndarray          # (m,)
    labels: tuple[str, ...]

    @property
    def m(self) -> int:
        return self.A.shape[0]

    @property
    def sparse(self) -> bool:
        return sp.issparse(self.A)

    @property
    def A_flat(self):
        """(m, k^2): row r is vec(A_r) (sparse csr when the block is sparse)."""
        if self.sparse:
            return self.A.tocsr()
        m, k = self.A.shape[0], self.A.shape[-1]
        return self.A.reshape(m, k * k)

    def take(self, idx: np.ndarray) -> "Rows":
        """The sub-block of the rows ``idx``."""
        A = self.A_flat[idx] if self.sparse else self.A[idx]
        return Rows(A, self.B[idx], self.C[idx], self.e[idx], tuple(self.labels[i] for i in idx))

    @staticmethod
    def stack(blocks, sparse: bool) -> "Rows":
        """Rows of several blocks, in order (sparse: one csr (m, k^2) matrix)."""
        if sparse:
            A = sp.vstack([sp.csr_matrix(b.A_flat) for b in blocks], format="csr")
        else:
            A = np.concatenate([b.A for b in blocks])
        return Rows(A, *(np.concatenate([getattr(b, f) for b in blocks]) for f in ("B", "C", "e")),
                    tuple(lab for b in blocks for lab in b.labels))

    @staticmethod
    def empty(k: int, nF: int, nt: int, exact: bool) -> "Rows":
        return Rows(zeros((0, k, k), exact), zeros((0, nF), exact), zeros((0, nt), exact),
                    zeros(0, exact), ())

    @staticmethod
    def build(A: np.ndarray, k: int, nF: int, nt: int, exact: bool, labels,
              B: np.ndarray | None = None, C: np.ndarray | None = None,
              e: np.ndarray | None = None) -> "Rows":
        m = A.shape[0]
        return Rows(A, zeros((m, nF), exact) if B is None else B,
                    zeros((m, nt), exact) if C is None else C,
                    zeros(m, exact) if e is None else e, tuple(labels))


@dataclass(frozen=True)
class Program:
    """A PEP in matrix form (maximization), with the scale back to the user's units.

    ``scale`` multiplies the normalized optimal value into the user's units
    (see :mod:`sambounds.pep.problem` for the normalization).  ``basis_scale`` (k,) and
    ``value_scale`` (nF,) are the expected magnitudes of the basis vectors and values; the
    solver works with G = D Gh D, F = s * Fh (D = diag(basis_scale)) so that Gh and Fh are of
    order 1 (a change of variables: the optimum and the multipliers are unchanged).

    ``pairs`` (n_pairs, 2), when given, are the point indices (i, j) of the interpolation rows,
    which are the first ``len(pairs)`` inequality rows (used to solve on a band of pairs,
    :mod:`sambounds.pep.banded`).
    """

    basis: tuple[str, ...]
    points: tuple[Point, ...]
    ineq: Rows
    eq: Rows
    objective: Rows            # one row
    nt: int
    scale: object
    exact: bool
    basis_scale: np.ndarray | None = None
    value_scale: np.ndarray | None = None
    pairs: np.ndarray | None = None

    @property
    def k(self) -> int:
        return len(self.basis)

    @property
    def n_values(self) -> int:
        return self.objective.B.shape[1]


def pair_value_rows(points: tuple[Point, ...], pairs: np.ndarray, nF: int, exact: bool) -> np.ndarray:
    """B rows with +1 at f_i and -1 at f_j for each pair (points with value 0 contribute nothing)."""
    B = zeros((len(pairs), nF), exact)
    fidx = np.array([-1 if p.f is None else p.f for p in points])
    fi, fj = fidx[pairs[:, 0]], fidx[pairs[:, 1]]
    rows = np.arange(len(pairs))
    B[rows[fi >= 0], fi[fi >= 0]] = num(1, exact)
    B[rows[fj >= 0], fj[fj >= 0]] = num(-1, exact)
    return B


def gram_factor(G: np.ndarray, floor: np.ndarray | None = None) -> np.ndarray:
    """P (r, k) with P^T P = the PSD part of G, every entry accurate to its own scale.

    Why not a plain eigendecomposition: it reproduces G only to rounding times its largest
    entry, and a convex witness under a function-gap condition can have ||x_0 - x*||^2 ~ 1e7
    next to ||g_t||^2 ~ 1e-6 (a flat function), whose interpolation rows then come out wrong
    by 1e-9.  Factoring the equilibrated C = G / (d_i d_j), d_i = max(sqrt(G_ii), floor_i),
    reproduces G_ij to rounding times d_i d_j (the guarantee of a Cholesky factorization).
    ``floor`` (the solver's noise level per basis vector) keeps vectors that are zero up to
    the solver's accuracy from being blown up to O(1) entries of C.  Negative eigenvalues of
    C (solver error) are dropped, so P^T P is positive semidefinite by construction.
    """
    G = (G + G.T) / 2
    d = np.sqrt(np.clip(np.diag(G), 0.0, None))
    if floor is not None:
        d = np.maximum(d, floor)
    d = np.maximum(d, 1e-300)
    w, V = np.linalg.eigh(G / np.outer(d, d))
    keep = w > 1e-15 * max(w.max(), 1e-300)
    return (np.sqrt(w[keep])[:, None] * V[:, keep].T) * d[None, :]
