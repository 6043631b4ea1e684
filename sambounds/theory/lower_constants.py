"""The constant c(p, K) of the stochastic lower-bound construction L-S (docs/theory.md section 5).

L-S: two components f1 = beta x^2/2 + A x (probability p) and f2 = beta x^2/2 - B x
(probability 1 - p), p A = (1 - p) B, B = K beta rho, p < 1/2, so f = beta x^2/2 and the
gradient noise has variance sigma^2 = (1 - p) B^2 / p.  For every constant eta > 0, n-SAM and
m-SAM satisfy liminf_t E f(x_t) - f* >= c(p, K) beta rho^2 with

    c(p, K) = max_{h in (0, 1]} min{ a(h), b(h) },
    a(h) = (1/2) [(1 - 2p) - 2 (1 - p) q(h)]_+^2,      b(h) = (1 - p) K^2 h^2 / (2 p),
    q(h) = (1 + sqrt(h) (1 + K sqrt((1 - p)/p)))^2 / K^2.

q increases with h, so a is non-increasing and b is increasing: the maximum of min{a, b} is
at their crossing (or at h = 1 when a(1) >= b(1)).  :func:`c_pK` finds the crossing by
bisection and returns b at the left end of the final bracket, where a >= b; the result is
therefore never above the true maximum (a lower bound stays a lower bound) and is within
about 1e-15 relative of it.  The paper quotes c(0.1, 40) = 0.234 and c(0.25, 16) = 0.0748.
"""

from __future__ import annotations

import numpy as np
from sympy.utilities.lambdify import implemented_function

_BISECTIONS = 64


def _a(h: np.ndarray, p: np.ndarray, K: np.ndarray) -> np.ndarray:
    q = (1.0 + np.sqrt(h) * (1.0 + K * np.sqrt((1.0 - p) / p))) ** 2 / K**2
    return 0.5 * np.maximum((1.0 - 2.0 * p) - 2.0 * (1.0 - p) * q, 0.0) ** 2


def _b(h: np.ndarray, p: np.ndarray, K: np.ndarray) -> np.ndarray:
    return (1.0 - p) * K**2 * h**2 / (2.0 * p)


def c_pK(p, K) -> np.ndarray | float:
    """c(p, K) of construction L-S, vectorized over broadcastable ``p`` and ``K``.

    Parameters
    ----------
    p : array_like
        Probability of the rare component, 0 < p < 1/2.
    K : array_like
        B / (beta rho) >= 0.  K = 0 (no noise) gives 0, the limit of c(p, K) as K -> 0.

    Returns
    -------
    float or ndarray
        NaN where p or K is outside its range (the catalog's conditions reject those
        before evaluation; :func:`c_pK` itself is total so that it can sit inside a
        vectorized formula).
    """
    p_arr, K_arr = np.broadcast_arrays(np.asarray(p, dtype=np.float64), np.asarray(K, dtype=np.float64))
    valid = (p_arr > 0) & (p_arr < 0.5) & (K_arr >= 0) & np.isfinite(K_arr)
    pv = np.where(valid, p_arr, 0.25)
    Kv = np.where(valid & (K_arr > 0), K_arr, 1.0)
    lo = np.zeros_like(pv)
    hi = np.ones_like(pv)
    with np.errstate(over="ignore", invalid="ignore"):
        top_wins = _a(hi, pv, Kv) >= _b(hi, pv, Kv)
        for _ in range(_BISECTIONS):
            mid = 0.5 * (lo + hi)
            a_ge_b = _a(mid, pv, Kv) >= _b(mid, pv, Kv)
            lo = np.where(a_ge_b, mid, lo)
            hi = np.where(a_ge_b, hi, mid)
        value = np.where(top_wins, _b(np.ones_like(pv), pv, Kv), _b(lo, pv, Kv))
    value = np.where(K_arr == 0, 0.0, value)
    value = np.where(valid, value, np.nan)
    return value.item() if value.ndim == 0 else value


#: c(p, K) as a sympy function: prints as ``c_LS(p, K)``, lambdifies to :func:`c_pK`.
c_LS = implemented_function("c_LS", c_pK)
