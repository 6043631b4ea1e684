"""Witness functions: the worst function a PEP found, rebuilt explicitly and re-run.

The data (points, gradients, values) come from the PEP's Gram matrix
(:func:`~sambounds.pep.gram.gram_factor`); the function is their constructive interpolant
(:class:`~sambounds.pep.interpolant.InterpolatedFunction`).

A witness records two numbers:

``value``
    what the witness function attains: the measure of the simulator's run on it, with the
    function's own minimum (inf f, in closed form, for the nonconvex class; f* = 0 at x* = 0
    for convex classes).  A re-run must reproduce it.
``pep_value``
    the PEP's value it was reconstructed from.  ``exact`` says whether that value is attained
    by the class's worst function (convex classes: Theorem 4 makes the PEP exact), in which
    case the run must reproduce it too; otherwise (nonconvex class: f >= f_low holds only at
    the points) it is an upper bound, and the run must stay below it.

The witness is re-run by the project's simulator (:func:`replay`) and, independently, by the
plain loop :func:`run_method` (zero-gradient convention y = x); it is exported as JSON with
``"kind": "pep-witness"``, which :func:`sambounds.check.witness.rerun` replays.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._io import read_json_object
from ..errors import InvalidParameterError
from ..functions.base import Objective
from .gram import gram_factor
from .interpolant import InterpolatedFunction

__all__ = ["Witness", "Replay", "InterpolatedFunction", "reconstruct", "replay", "load", "run_method",
           "measure_of", "KIND"]

KIND = "pep-witness"


def run_method(objective: Objective, algorithm: str, steps, rho: float, x0) -> dict[str, np.ndarray]:
    """Apply the update rule exactly (docs/theory.md section 1) and record the trajectory.

    ``algorithm``: ``"gd"``, ``"usam"`` (y = x + rho g) or ``"sam"`` (y = x + rho g/||g||,
    y = x when g = 0; the norm is taken after scaling by max|g_i| so it cannot underflow).
    Returns x (T+1, d), g (T+1, d), f (T+1,).
    """
    x = np.array(x0, dtype=float)
    xs, gs, fs = [], [], []
    for eta in steps:
        g = objective.grad(x[None])[0]
        xs.append(x), gs.append(g), fs.append(objective.value(x[None])[0])
        if algorithm == "gd":
            y = x
        elif algorithm == "usam":
            y = x + rho * g
        else:
            scale = np.max(np.abs(g))
            y = x if scale == 0 else x + rho * (g / scale) / np.linalg.norm(g / scale)
        h = g if y is x else objective.grad(y[None])[0]
        x = x - eta * h
    xs.append(x), gs.append(objective.grad(x[None])[0]), fs.append(objective.value(x[None])[0])
    return {"x": np.array(xs), "g": np.array(gs), "f": np.array(fs)}


def measure_of(run: dict[str, np.ndarray], measure: str, f_star: float, x_star) -> float:
    """The PEP measure evaluated on a simulated trajectory."""
    if measure == "f":
        return float(run["f"][-1] - f_star)
    if measure == "dist":
        return float(np.sum((run["x"][-1] - x_star) ** 2))
    if measure == "grad":
        return float(np.sum(run["g"][-1] ** 2))
    return float(np.min(np.sum(run["g"] ** 2, axis=1)))


@dataclass(frozen=True)
class Witness:
    """An explicit worst function (data of the interpolant) and the run it must reproduce.

    Units are the user's.  ``value``: what the simulator measures on the function (the number
    a re-run reproduces); ``pep_value``: the PEP's value, attained when ``exact``, an upper
    bound on ``value`` otherwise (see the module docstring).
    """

    algorithm: str
    function_class: str
    beta: float
    mu: float | None
    rho: float
    steps: tuple[float, ...]
    measure: str
    initial: str
    bound: float                       # D or Delta
    value: float
    pep_value: float
    exact: bool
    x0: np.ndarray
    points: np.ndarray
    gradients: np.ndarray
    values: np.ndarray
    names: tuple[str, ...]
    slice_c: tuple[float, ...] | None = None
    meta: dict = field(default_factory=dict)

    @property
    def sigma(self) -> float:
        return (self.mu or 0.0) if self.function_class != "nonconvex" else -self.beta

    def function(self) -> InterpolatedFunction:
        convex = self.function_class != "nonconvex"
        return InterpolatedFunction(self.points, self.gradients, self.values, self.beta, self.sigma,
                                    f_star=0.0 if convex else None,
                                    x_star=np.zeros(self.points.shape[1]) if convex else None)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": KIND, "version": 2, "algorithm": self.algorithm, "function_class": self.function_class,
                "constants": {"beta": self.beta, "mu": self.mu, "rho": self.rho},
                "steps": list(self.steps), "measure": self.measure, "initial": self.initial,
                "bound": self.bound, "value": self.value, "pep_value": self.pep_value, "exact": self.exact,
                "x0": self.x0.tolist(),
                "x_star": [0.0] * self.points.shape[1] if self.function_class != "nonconvex" else None,
                "f_star": 0.0 if self.function_class != "nonconvex" else None,
                "points": self.points.tolist(), "gradients": self.gradients.tolist(),
                "values": self.values.tolist(), "names": list(self.names),
                "slice_c": None if self.slice_c is None else list(self.slice_c), "meta": self.meta}

    def to_json(self, path: str | Path | None = None) -> str:
        text = json.dumps(self.to_dict(), indent=1)
        if path is not None:
            Path(path).write_text(text)
        return text


@dataclass(frozen=True)
class Replay:
    """Result of re-running a witness: the run, its measure and its agreement with the record.

    Errors are relative to the witness's scale max(|value|, |pep_value|) (a nonconvex
    witness may attain far less than its PEP value, e.g. 0 for a constant function).

    ``rel_error``: |replayed - value|;  ``pep_error``: |replayed - pep_value| when ``exact``,
    else the excess max(0, replayed - pep_value) of the run over the PEP's upper value.
    """

    value: float
    pep_value: float
    exact: bool
    replayed: float
    rel_error: float
    pep_error: float
    initial_used: float
    run: dict


def load(source: str | Path | dict) -> Witness:
    """Read a witness from a JSON path, JSON text or an already parsed dict.

    A version-1 document (no ``pep_value``) recorded the PEP value as ``value`` and claimed
    it attained: it is read with ``pep_value = value`` and ``exact = True``.
    """
    doc = read_json_object(source, "witness")
    if doc.get("kind") != KIND:
        raise InvalidParameterError("witness.kind", doc.get("kind"), f"'{KIND}'")
    try:
        c = doc["constants"]
        exact = doc.get("exact", True)
        if not isinstance(exact, bool):
            raise InvalidParameterError("witness.exact", exact, "true or false")
        return Witness(doc["algorithm"], doc["function_class"], float(c["beta"]),
                       None if c.get("mu") is None else float(c["mu"]), float(c["rho"]),
                       tuple(float(s) for s in doc["steps"]), doc["measure"], doc["initial"],
                       float(doc["bound"]), float(doc["value"]), float(doc.get("pep_value", doc["value"])), exact,
                       np.array(doc["x0"], dtype=float),
                       np.array(doc["points"], dtype=float), np.array(doc["gradients"], dtype=float),
                       np.array(doc["values"], dtype=float), tuple(doc["names"]),
                       None if doc.get("slice_c") is None else tuple(doc["slice_c"]), doc.get("meta", {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidParameterError("witness", "document", "a complete pep-witness document", repr(exc)) from None


def replay(source: str | Path | dict | Witness) -> Replay:
    """Rebuild the witness function, run it with :func:`sambounds.simulate` from x_0 and compare.

    The measure uses the function's own minimum, never the declared one: the minimizer
    x_hat and min f of the interpolant (:meth:`InterpolatedFunction.minimum`, convex classes;
    x_hat = 0 up to the solver's accuracy) or inf f in closed form
    (:meth:`InterpolatedFunction.infimum`, nonconvex class).  ``initial_used`` is
    ||x_0 - x_hat|| (distance) or f(x_0) - min f (function gap) of the rebuilt function: the
    class constraint the run actually satisfies.  ``run`` carries ``x_star`` and ``f_star``.
    """
    from ..schedules import FromArray
    from ..setting import Constants, Setting
    from ..sim.api import simulate

    w = source if isinstance(source, Witness) else load(source)
    f = w.function()
    convex = w.function_class != "nonconvex"
    setting = Setting(w.algorithm, w.function_class,
                      Constants(beta=w.beta, mu=w.mu, rho=None if w.algorithm == "gd" else w.rho),
                      len(w.steps), FromArray(tuple(w.steps)))
    sim = simulate(setting, f, w.x0, record_trajectory=True)
    if convex:
        x_star, f_star = f.minimum()
        origin = np.zeros(f.dim)
        f_origin = float(f.value(origin[None])[0])
        if f_origin <= f_star:        # the declared x* = 0 is a minimizer (exactly, no tolerance)
            x_star, f_star = origin, f_origin
    else:
        x_star, f_star = np.zeros(f.dim), f.infimum()
    xs = sim.trajectory[:, 0, 0, 0, :]
    values, grads = f.value_and_grad(xs[None])
    run = {"x": xs, "g": grads[0], "f": values[0], "x_star": x_star, "f_star": f_star}
    replayed = measure_of(run, w.measure, f_star, x_star)
    used = float(np.linalg.norm(w.x0 - x_star)) if w.initial == "distance" else float(run["f"][0] - f_star)
    return Replay(w.value, w.pep_value, w.exact, replayed, *_errors(replayed, w), used, run)


def _errors(replayed: float, w: Witness) -> tuple[float, float]:
    """(rel_error, pep_error) of a replay (see :class:`Replay`)."""
    scale = max([abs(v) for v in (w.value, w.pep_value) if np.isfinite(v)] + [1e-300])
    rel = abs(replayed - w.value) / scale if np.isfinite(w.value) else np.inf
    pep = (abs(replayed - w.pep_value) if w.exact else max(0.0, replayed - w.pep_value)) / scale
    return float(rel), float(pep)


def reconstruct(program, solution, spec, *, pep_value: float, exact: bool, slice_c=None,
                meta=None) -> tuple[Witness, Replay]:
    """Witness from a solved program (normalized) mapped to the user's units, and its run.

    The Gram matrix is factored G = P^T P entry-wise accurately (:func:`gram_factor`), with
    basis vectors below 1e3 sqrt(eps) times their scale in the solve (eps: the solver's
    residual) treated as zero: the solver meets its rows to eps in its scaled variables, so
    Gram entries carry noise ~ eps d_i d_j and a vector whose squared norm is within 1e6 times
    that noise is indistinguishable from 0.  The witness's ``value`` is the measure of the
    simulator's run on the rebuilt function (that run is returned too); ``pep_value`` and
    ``exact`` are recorded as given.

    ``meta["solver"]`` records how accurately the SDP was solved (status, primal and dual
    residuals, duality gap; normalized units): :func:`sambounds.check.witness.rerun` sizes the
    agreement it demands of a replay from it.
    """
    eps = max(solution.primal_residual, solution.dual_residual, 1e-16)
    scale = np.ones(program.k) if program.basis_scale is None else np.asarray(program.basis_scale, dtype=float)
    P = gram_factor(solution.G, 1e3 * np.sqrt(eps) * scale)    # (d, k): coordinates of the basis
    pts = [p for p in program.points if p.f is not None]
    ell, beta = spec.length, spec.beta
    X = np.array([P @ p.x.astype(float) for p in pts]) * ell
    Gd = np.array([P @ p.g.astype(float) for p in pts]) * beta * ell
    fv = np.array([solution.F[p.f] for p in pts]) * beta * ell ** 2
    if spec.setting.function_class.convex:   # add x* = 0, g* = 0, f* = 0
        fv = _minimizer_at_origin(X, Gd, fv, float(beta), float(spec.setting.constants.mu or 0.0))
        X = np.vstack([X, np.zeros(X.shape[1])])
        Gd = np.vstack([Gd, np.zeros(X.shape[1])])
        fv = np.append(fv, 0.0)
    names = tuple(p.name for p in pts) + (("x*",) if spec.setting.function_class.convex else ())
    s = spec.setting
    bound = s.constants.D if spec.initial.value == "distance" else s.constants.Delta
    draft = Witness(s.algorithm.value, s.function_class.value, float(s.constants.beta), s.constants.mu,
                    float(s.rho), tuple(float(e) for e in s.steps), spec.measure.value, spec.initial.value,
                    float(bound), float("nan"), float(pep_value), bool(exact), X[0].copy(), X, Gd, fv, names,
                    None if slice_c is None else tuple(float(c) for c in slice_c),
                    {**(meta or {}), "solver": solver_accuracy(solution)})
    run = replay(draft)
    witness = dataclasses.replace(draft, value=run.replayed)
    rel, pep = _errors(run.replayed, witness)
    return witness, dataclasses.replace(run, value=run.replayed, rel_error=rel, pep_error=pep)


def _minimizer_at_origin(X, Gd, fv, beta: float, mu: float) -> np.ndarray:
    """Values raised just enough that x* = 0 (g* = 0, f* = 0) is an exact minimizer of the interpolant.

    For a convex class (curvature mu >= 0, L' = beta - mu) the interpolant's minimizer is 0
    exactly when every point satisfies condition (I) against x*:

        kappa_i = ||g_i - mu x_i||^2 / (2 L') - (f_i - mu ||x_i||^2 / 2) <= 0

    (for mu > 0 these are the optimality conditions of lambda = e_* in the QP of
    :meth:`InterpolatedFunction.minimum`; for mu = 0, min f = -max kappa_i).  A solver's
    answer meets them only to its tolerance, and then the function's minimizer is not 0: its
    run, measured against x* = 0, could exceed what any function of the class attains (seen:
    lower 6.0034e-6 above the exact 5.9019e-6).  Raising f_i by twice the violation (a few
    times the solver's accuracy) makes the declared x*, f* the function's own, in the
    interpolant's own floating-point arithmetic (checked, and repeated until it holds).  Twice,
    not once: kappa_i = 0 exactly for many points at once (a quadratic worst case) stalls the
    active-set evaluations of the interpolant on ties.
    """
    fv = np.array(fv, dtype=float)
    for _ in range(4):
        f = InterpolatedFunction(np.vstack([X, np.zeros(X.shape[1])]), np.vstack([Gd, np.zeros(X.shape[1])]),
                                 np.append(fv, 0.0), beta, mu)
        kappa = f._kappa[:-1]
        late = kappa > 0
        if not np.any(late):
            return fv
        fv[late] = np.nextafter(fv[late] + 2 * kappa[late], np.inf)   # mirrored: no exact ties
    return fv


def solver_accuracy(solution) -> dict[str, Any]:
    """The accuracy record of a solved program that a witness carries (JSON-ready).

    ``accuracy`` = max(primal residual, dual residual, duality gap / max(1, |value|)), the
    quantity :mod:`sambounds.pep.solvers` judges a solve by.
    """
    accuracy = max(solution.primal_residual, solution.dual_residual, solution.gap / max(1.0, abs(solution.value)))
    return {"solver": solution.solver, "status": solution.status,
            "primal_residual": float(solution.primal_residual), "dual_residual": float(solution.dual_residual),
            "duality_gap": float(solution.gap), "accuracy": float(accuracy)}
