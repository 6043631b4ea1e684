"""Sampled evidence for declared constants: curvature, Lipschitz constant, f*, gradient accuracy.

Used by the test suite on every family and available to users for their own functions
(:class:`~sambounds.functions.custom.FromCallables`).  Evidence is a *lower* estimate of a
supremum (and an upper estimate of an infimum): a declared constant is refuted when the
evidence exceeds it, never proven by it.

- curvature: eigenvalues of the central-difference Hessian (grad(x + h e_i) - grad(x - h e_i))/(2h),
  symmetrised, and the ratios ||grad f(a) - grad f(b)|| / ||a - b|| and
  <grad f(a) - grad f(b), a - b> / ||a - b||^2 over pairs of points (the definitions of
  beta-smoothness and mu-strong convexity; valid also where f is not twice differentiable);
- Lipschitz constant: max ||grad f|| over the points;
- f*: min f over the points;
- gradient accuracy: max |grad f - central difference of f| relative to 1 + ||grad f||.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError
from .base import Objective


@dataclass(frozen=True)
class ConstantsEvidence:
    """Per-function sampled quantities (arrays of shape (F,))."""

    hessian_max_abs: np.ndarray
    hessian_min: np.ndarray
    hessian_max: np.ndarray
    ratio_max: np.ndarray
    monotone_min: np.ndarray
    grad_norm_max: np.ndarray
    value_min: np.ndarray
    grad_error: np.ndarray


def sample_constants(objective: Objective, points: Any, *, h: float = 1e-5) -> ConstantsEvidence:
    """Evidence at ``points`` of shape (F, N, d) (N >= 2); pairs are (points[:, i], points[:, i+1])."""
    x = v.finite_array("points", points, ndim=3)
    F, N, d = x.shape
    if F != objective.n_functions or d != objective.dim or N < 2:
        raise InvalidParameterError("points", f"array of shape {x.shape}",
                                    f"shape ({objective.n_functions}, N >= 2, {objective.dim})")
    h = v.positive("h", h)
    eye = np.eye(d)
    shifted = x[:, :, None, :] + h * eye                      # (F, N, d, d): x + h e_i
    back = x[:, :, None, :] - h * eye
    g_plus = objective.grad(shifted.reshape(F, N * d, d)).reshape(F, N, d, d)
    g_minus = objective.grad(back.reshape(F, N * d, d)).reshape(F, N, d, d)
    hess = (g_plus - g_minus) / (2 * h)
    eig = np.linalg.eigvalsh(0.5 * (hess + np.swapaxes(hess, 2, 3)))
    f_plus = objective.value(shifted.reshape(F, N * d, d)).reshape(F, N, d)
    f_minus = objective.value(back.reshape(F, N * d, d)).reshape(F, N, d)
    fd = (f_plus - f_minus) / (2 * h)
    g = objective.grad(x)
    a, b = x[:, :-1], x[:, 1:]
    ga, gb = g[:, :-1], g[:, 1:]
    dx = a - b
    dist_sq = np.sum(dx * dx, axis=-1)
    ratio = np.linalg.norm(ga - gb, axis=-1) / np.sqrt(dist_sq)
    mono = np.sum((ga - gb) * dx, axis=-1) / dist_sq
    gnorm = np.linalg.norm(g, axis=-1)
    return ConstantsEvidence(
        hessian_max_abs=np.abs(eig).max(axis=(1, 2)), hessian_min=eig.min(axis=(1, 2)),
        hessian_max=eig.max(axis=(1, 2)), ratio_max=ratio.max(axis=1), monotone_min=mono.min(axis=1),
        grad_norm_max=gnorm.max(axis=1), value_min=objective.value(x).min(axis=1),
        grad_error=(np.abs(g - fd).max(axis=-1) / (1 + gnorm)).max(axis=1))
