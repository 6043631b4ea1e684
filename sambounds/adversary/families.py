"""Rebuildable function batches: a family name plus JSON-ready parameters.

A :class:`FamilySpec` is how an attack names the functions it runs and how a witness file
stores them: ``FamilySpec("L-SC", {"beta": [1.0], "mu": [0.05], "R": [0.2]}).build()`` gives
the same :class:`~sambounds.functions.base.Objective` in any process, because every parameter
is stored (random data such as rotation matrices are stored as the seed that draws them, and
NumPy's ``default_rng`` streams are stable across platforms).

Parameters are per function, stacked along a leading axis of length F (``"R": [0.2, 0.8]`` is
two L-SC functions); a single function may also give scalars (``"R": 0.2``), and a few
parameters are shared by the batch (``dim``, ``rotation_seed``, the logistic data's sizes and
seed).  Quadratics are given by their spectrum (and a rotation seed) or by explicit Hessians
``H`` (F, d, d); quadratic finite sums (``quadratic-sum``) by spectrum, noise level sigma,
noise shares and rotation seed, or by explicit ``H`` and ``centers``; ``linear-noise`` nests
the spec of its deterministic base family (``{"name": ..., "params": ...}``) and gives its
noise as a two-point level (sigma, p, direction) or explicit ``shifts``.

Each builder also returns a *reference minimizer* ``x_ref`` of shape (F, d): the declared x*
when the family has one, otherwise a known global minimizer (the double well's minimizers are
+-sqrt(2 ln a) per coordinate; a pure trigonometric function is minimized at its centre).
Starting points are placed on rays from ``x_ref`` (:mod:`.attack`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

import numpy as np

from ..errors import InvalidParameterError
from ..functions import (LNC, LS, LSC, DoubleWell, Huber, KappaAdversarial, LinearNoise, LogcoshRidge,
                         LogisticRegression, Quadratic, QuadraticFiniteSum, Trigonometric)
from ..functions.base import Objective


def _quadratic(spectrum=None, rotation_seed=None, center=None, H=None):
    """By spectrum (diagonal, or rotated by the seed's Haar matrices) or by explicit Hessians H."""
    if (spectrum is None) == (H is None):
        raise InvalidParameterError("quadratic parameters", "spectrum" if H is None else "spectrum and H",
                                    "exactly one of spectrum (F, d) and H (F, d, d)")
    if H is not None:
        if rotation_seed is not None:
            raise InvalidParameterError("rotation_seed", rotation_seed, "None with explicit H")
        f = Quadratic(np.asarray(H, dtype=float), center)
    elif rotation_seed is None:
        f = Quadratic.diagonal(np.asarray(spectrum, dtype=float), center)
    else:
        f = Quadratic.rotated(np.asarray(spectrum, dtype=float), int(rotation_seed), center)
    return f, f.x_star


def _lsc(beta, mu, R, dim=1):
    f = LSC(np.asarray(beta, float), np.asarray(mu, float), np.asarray(R, float), dim=int(dim))
    return f, f.x_star


def _lnc(beta, rho, c, dim=1):
    f = LNC(np.asarray(beta, float), np.asarray(rho, float), np.asarray(c, float), dim=int(dim))
    if f.x_star is not None:
        return f, f.x_star
    # c = 1/3 ties the two minima; u = 0 is one of them on every coordinate
    return f, np.zeros((f.n_functions, f.dim))


def _ls(beta, rho, p, K):
    f = LS(np.asarray(beta, float), np.asarray(rho, float), np.asarray(p, float), np.asarray(K, float))
    return f, f.x_star


def _huber(center, delta, scale):
    f = Huber(np.asarray(center, float), np.asarray(delta, float), np.asarray(scale, float))
    return f, f.x_star


def _ridge(A, weights, lam, center=None):
    f = LogcoshRidge(np.asarray(A, float), np.asarray(weights, float), center=center, lam=np.asarray(lam, float))
    return f, f.x_star


def _kappa(mu, b0, c, eps, shift):
    f = KappaAdversarial(*(np.asarray(q, float) for q in (mu, b0, c, eps, shift)))
    return f, f.x_star


def _double_well(a, scale, dim=1):
    a = np.asarray(a, float)
    f = DoubleWell(a, np.asarray(scale, float), dim=int(dim), n_functions=a.size)
    return f, np.broadcast_to(f.minimizer_radius[:, None], (f.n_functions, f.dim)).copy()


def _trig(center, a, b, omega):
    f = Trigonometric(np.asarray(center, float), np.asarray(a, float), np.asarray(b, float),
                      np.asarray(omega, float))
    return f, np.array(f.center, copy=True)


def _logistic(n_samples, dim, n_functions, lam, flip, seed):
    f = LogisticRegression.synthetic(n_samples=int(n_samples), dim=int(dim), n_functions=int(n_functions),
                                     lam=float(lam), flip=float(flip), seed=int(seed))
    if f.x_star is None:
        raise InvalidParameterError("logistic", seed, "data whose minimizer Newton's method finds")
    return f, f.x_star


def _quadratic_sum(spectrum=None, sigma=None, noise=None, rotation_seed=None, center=None, H=None, centers=None,
                   probs=None):
    """By spectrum and noise level (:meth:`QuadraticFiniteSum.with_spectrum`) or by explicit H and centers."""
    if (spectrum is None) == (H is None) or (spectrum is None) != (sigma is None) or (H is None) != (centers is None):
        raise InvalidParameterError("quadratic-sum parameters", "spectrum" if H is None else "H",
                                    "either spectrum and sigma (optionally noise, rotation_seed, center) "
                                    "or H and centers (optionally probs)")
    if H is not None:
        if rotation_seed is not None or noise is not None or center is not None:
            raise InvalidParameterError("quadratic-sum parameters", "rotation_seed/noise/center with H",
                                        "probs only, with explicit H and centers")
        f = QuadraticFiniteSum(np.asarray(H, float), np.asarray(centers, float), probs)
    else:
        if probs is not None:
            raise InvalidParameterError("probs", probs, "None with spectrum (the 2d centers are uniform)")
        f = QuadraticFiniteSum.with_spectrum(np.asarray(spectrum, float), np.asarray(sigma, float), noise=noise,
                                             rotation_seed=None if rotation_seed is None else int(rotation_seed),
                                             center=center)
    return f, f.x_star


def _linear_noise(base, sigma=None, p=0.5, direction=None, shifts=None, probs=None):
    """Any deterministic family plus linear noise: two-point (sigma, p, direction) or explicit shifts."""
    phi, x_ref = FamilySpec.from_dict(base).build()
    if (sigma is None) == (shifts is None):
        raise InvalidParameterError("linear-noise parameters", "sigma" if shifts is None else "sigma and shifts",
                                    "exactly one of sigma (two-point noise) and shifts")
    if shifts is not None:
        f = LinearNoise(phi, np.asarray(shifts, float), probs)
    else:
        f = LinearNoise.two_point(phi, np.asarray(sigma, float), np.asarray(p, float), direction)
    return f, x_ref


def _pep_interpolant(points, gradients, values, beta, sigma, convex):
    """The PEP witness interpolant (one function): beta-smooth, curvature >= sigma; f* = 0 at x* = 0 when convex."""
    from ..pep.interpolant import InterpolatedFunction

    X = np.asarray(points, float)
    f = InterpolatedFunction(X, np.asarray(gradients, float), np.asarray(values, float), float(beta), float(sigma),
                             f_star=0.0 if convex else None, x_star=np.zeros(X.shape[1]) if convex else None)
    return f, np.zeros((1, X.shape[1]))


#: Family name -> builder(**params) -> (Objective, x_ref).  Read-only.
BUILDERS: Mapping[str, Callable[..., tuple[Objective, np.ndarray]]] = MappingProxyType({
    "quadratic": _quadratic,
    "L-SC": _lsc,
    "L-NC": _lnc,
    "L-S": _ls,
    "huber": _huber,
    "logcosh-ridge": _ridge,
    "kappa-adversarial": _kappa,
    "double-well": _double_well,
    "trigonometric": _trig,
    "logistic": _logistic,
    "quadratic-sum": _quadratic_sum,
    "linear-noise": _linear_noise,
    "pep-interpolant": _pep_interpolant,
})


def _plain(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, (np.floating, np.integer)):
        return x.item()
    if isinstance(x, (list, tuple)):
        return [_plain(y) for y in x]
    if isinstance(x, Mapping):   # a nested family (linear-noise's base)
        return {k: _plain(y) for k, y in x.items()}
    return x


@dataclass(frozen=True)
class FamilySpec:
    """A batch of F functions of one family, by name and parameters (JSON-ready)."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.name not in BUILDERS:
            raise InvalidParameterError("family", self.name, f"one of {sorted(BUILDERS)}")
        object.__setattr__(self, "params", MappingProxyType({k: _plain(x) for k, x in dict(self.params).items()}))

    def build(self) -> tuple[Objective, np.ndarray]:
        """The objective and its reference minimizer x_ref, shape (F, d)."""
        try:
            f, x_ref = BUILDERS[self.name](**self.params)
        except TypeError as exc:
            raise InvalidParameterError(f"family {self.name} parameters", dict(self.params),
                                        "the builder's parameters", str(exc)) from None
        return f, np.asarray(x_ref, dtype=float)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "FamilySpec":
        if not isinstance(data, Mapping) or "name" not in data:
            raise InvalidParameterError("family", data, "a mapping with 'name' and 'params'")
        return cls(data["name"], data.get("params", {}))
