"""Confidence statements for expectations: one-sided Student-t bounds with a Bonferroni correction.

For R i.i.d. replicas X_1..X_R of a run's quantity (the same start, independent oracle draws),
the one-sided (1 - alpha) bounds on E X are

    mean -+ t_{1-alpha, R-1} s / sqrt(R),   s^2 = sum (X_i - mean)^2 / (R - 1),

(Student, 1908).  They rely on the central limit theorem (the checkers use R >= 32 replicas).
A check that tests m instances at family-wise level alpha uses alpha/m per instance (Bonferroni),
so that a correct bound is reported violated with probability at most alpha in total.

The t quantile is computed from the normal quantile z by the Cornish-Fisher expansion
(Abramowitz & Stegun 26.7.5), accurate to 1e-2 relative for nu >= 10 and 2e-4 for nu >= 30
(the checkers use at least 32 replicas); the normal quantile comes from :class:`statistics.NormalDist`.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError

#: Family-wise level of every expectation check (one-sided).
ALPHA = 1e-3


def t_quantile(p: float, nu: int) -> float:
    """The p-quantile of Student's t with nu degrees of freedom (Cornish-Fisher, A&S 26.7.5)."""
    p = v.real("p", p, low=0.5, high=1.0, high_open=True)
    nu = v.positive_int("nu", nu)
    z = NormalDist().inv_cdf(p)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / nu + g2 / nu**2 + g3 / nu**3 + g4 / nu**4


@dataclass(frozen=True)
class MeanBounds:
    """Per-instance sample mean and one-sided confidence bounds on E X (arrays)."""

    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    replicas: int
    alpha: float

    @property
    def method(self) -> str:
        return (f"one-sided Student-t, {self.replicas} replicas, level 1 - {self.alpha:.2g} per instance "
                f"(Bonferroni over instances)")


def mean_bounds(samples: np.ndarray, *, axis: int, alpha: float) -> MeanBounds:
    """One-sided (1 - alpha) confidence bounds on the mean along ``axis`` (R >= 2 replicas).

    Infinite samples (diverged runs) make the mean and both bounds +inf.
    """
    x = np.asarray(samples, dtype=np.float64)
    R = x.shape[axis]
    R = v.positive_int("replicas", R)
    if R < 2:
        raise InvalidParameterError("replicas", R, "at least 2 replicas for a confidence bound")
    alpha = v.real("alpha", alpha, low=0.0, high=0.5, low_open=True, high_open=True)
    with np.errstate(invalid="ignore"):
        mean = x.mean(axis=axis)
        sd = x.std(axis=axis, ddof=1)
    half = t_quantile(1.0 - alpha, R - 1) * sd / np.sqrt(R)
    inf = ~np.isfinite(x).all(axis=axis)
    mean = np.where(inf, np.inf, mean)
    lower = np.where(inf, np.inf, mean - half)
    upper = np.where(inf, np.inf, mean + half)
    return MeanBounds(mean, lower, upper, R, alpha)
