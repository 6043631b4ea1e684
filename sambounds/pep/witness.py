"""Witness functions: the worst function a PEP found, rebuilt explicitly and re-run.

Reconstruction (constructive side of Taylor, Hendrickx & Glineur 2017, Theorem 4).  Factor
the Gram matrix G = P^T P to get points x_i, gradients g_i and values f_i in R^d.  Let sigma
be the curvature lower bound of the class (mu for convex classes, -beta for smooth
nonconvex ones) and L' = beta - sigma > 0.  The shifted data

    gamma_i = g_i - sigma x_i,   phi_i = f_i - sigma ||x_i||^2 / 2

belong to an L'-smooth convex h = f - sigma ||.||^2/2.  Interpolating the conjugate h*
(which is 1/L'-strongly convex) by the largest such function through its data and
conjugating back gives, with s_i = x_i - gamma_i / L' and
kappa_i = ||gamma_i||^2 / (2 L') - phi_i,

    h(x) = min over lambda in the simplex of  (L'/2) ||x - S lambda||^2 - kappa^T lambda,
    grad h(x) = L' (x - S lambda*),

and f = h + sigma ||.||^2/2 is beta-smooth with curvature >= sigma and takes the data
values and gradients exactly when the interpolation conditions hold.  Each evaluation is
a small quadratic program over the simplex (solved, then polished on its support).

The witness is re-run by the project's simulator (:func:`replay`) and, independently, by the
plain loop :func:`run_method` (zero-gradient convention y = x); it is exported as JSON with ``"kind": "pep-witness"``; :func:`replay` rebuilds and re-runs it.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cvxpy as cp
import numpy as np

from ..errors import InvalidParameterError, SolverError
from ..functions.base import Objective

KIND = "pep-witness"


class InterpolatedFunction(Objective):
    """The beta-smooth function with curvature >= sigma through the data (F = 1 function).

    Parameters
    ----------
    points, gradients : arrays (n, d);  values : array (n,)
    beta : smoothness;  sigma : curvature lower bound (mu >= 0, or -beta when nonconvex)
    """

    family = "pep-witness"

    def __init__(self, points, gradients, values, beta: float, sigma: float,
                 f_star: float | None = None, x_star=None):
        X = np.array(points, dtype=float)
        Gd = np.array(gradients, dtype=float)
        fv = np.array(values, dtype=float)
        if X.ndim != 2 or Gd.shape != X.shape or fv.shape != X.shape[:1]:
            raise InvalidParameterError("points", X.shape, "points and gradients (n, d), values (n,)")
        if not (np.isfinite(beta) and beta > 0 and np.isfinite(sigma) and -beta <= sigma < beta):
            raise InvalidParameterError("sigma", sigma, f"a number in [-beta, beta) = [{-beta:g}, {beta:g})",
                                        "the curvature lower bound must leave beta - sigma > 0")
        self.sigma = float(sigma)
        self._declare(n_functions=1, dim=X.shape[1], beta=beta, mu=sigma if sigma >= 0 else None,
                      f_star=f_star, x_star=x_star)
        Lp = beta - sigma
        gamma = Gd - sigma * X
        phi = fv - sigma * np.sum(X * X, axis=1) / 2
        self._Lp = Lp
        self._S = X - gamma / Lp                                              # (n, d)
        self._kappa = -phi + np.sum(gamma * gamma, axis=1) / (2 * Lp)
        n = X.shape[0]
        self._lam = cp.Variable(n, nonneg=True)
        self._x = cp.Parameter(self.dim)
        objective = (Lp / 2) * cp.sum_squares(self._x - self._S.T @ self._lam) - self._kappa @ self._lam
        self._qp = cp.Problem(cp.Minimize(objective), [cp.sum(self._lam) == 1])

    def value(self, x: np.ndarray) -> np.ndarray:
        return self._eval(x)[0]

    def grad(self, x: np.ndarray) -> np.ndarray:
        return self._eval(x)[1]

    def infimum(self) -> float:
        """inf f in closed form (nonconvex case: min over the simplex vertices, see below).

        For sigma < 0, f(x) = min_lambda (L'/2)||x - S lambda||^2 + (sigma/2)||x||^2 - kappa^T lambda;
        minimizing in x first (strongly convex, curvature beta) leaves
        (L' sigma / (2 beta)) ||S lambda||^2 - kappa^T lambda, concave in lambda: its minimum
        over the simplex is at a vertex.  For sigma >= 0 the minimum is that of the data's
        stationary point when there is one; we return the same vertex formula's bound.
        """
        beta = float(self.beta[0])
        if self.sigma < 0:
            return float(np.min(self._Lp * self.sigma / (2 * beta) * np.sum(self._S ** 2, axis=1) - self._kappa))
        if self.f_star is not None:
            return float(self.f_star[0])
        raise InvalidParameterError("f_star", None, "a known minimum value for a convex witness")

    def _eval(self, x: np.ndarray):
        x = np.asarray(x, dtype=float)
        if x.shape[0] != 1 or x.shape[-1] != self.dim:
            raise InvalidParameterError("x", x.shape, f"an array of shape (1, ..., {self.dim})")
        flat = x.reshape(-1, self.dim)
        vals = np.empty(flat.shape[0])
        grads = np.empty_like(flat)
        for r, point in enumerate(flat):
            vals[r], grads[r] = self._one(point)
        return vals.reshape(x.shape[:-1]), grads.reshape(x.shape)

    def _one(self, x: np.ndarray):
        self._x.value = x
        try:
            with warnings.catch_warnings():  # accuracy comes from the KKT polish below
                warnings.simplefilter("ignore")
                self._qp.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
        except cp.error.SolverError as exc:
            raise SolverError("clarabel", "solver_error", f"witness evaluation: {exc}") from None
        if self._lam.value is None:
            raise SolverError("clarabel", self._qp.status, "witness evaluation")
        lam = self._polish(x, np.clip(self._lam.value, 0, None))
        z = self._S.T @ lam
        h = self._Lp / 2 * float(np.sum((x - z) ** 2)) - float(self._kappa @ lam)
        return h + self.sigma / 2 * float(x @ x), self._Lp * (x - z) + self.sigma * x

    def _polish(self, x, lam):
        """Re-solve the KKT system on the support: machine precision instead of IPM tolerance."""
        support = np.flatnonzero(lam > 1e-7 * max(1.0, lam.max()))
        S = self._S[support]
        Q = self._Lp * S @ S.T
        c = -(self._Lp * S @ x + self._kappa[support])
        m = len(support)
        K = np.block([[Q, np.ones((m, 1))], [np.ones((1, m)), np.zeros((1, 1))]])
        sol = np.linalg.lstsq(K, np.concatenate([-c, [1.0]]), rcond=1e-13)[0]
        polished = np.zeros_like(lam)
        polished[support] = sol[:m]
        if np.all(polished >= -1e-12):
            obj = lambda l: self._Lp / 2 * np.sum((x - self._S.T @ l) ** 2) - self._kappa @ l
            if obj(np.clip(polished, 0, None)) <= obj(lam) + 1e-14 * (1 + abs(obj(lam))):
                return np.clip(polished, 0, None) / np.clip(polished, 0, None).sum()
        return lam / lam.sum()


def run_method(objective: Objective, algorithm: str, steps, rho: float, x0) -> dict[str, np.ndarray]:
    """Apply the update rule exactly (PAPER.md section 1) and record the trajectory.

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

    Units are the user's.  ``value`` is the PEP value the run should reproduce.
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
        return {"kind": KIND, "version": 1, "algorithm": self.algorithm, "function_class": self.function_class,
                "constants": {"beta": self.beta, "mu": self.mu, "rho": self.rho},
                "steps": list(self.steps), "measure": self.measure, "initial": self.initial,
                "bound": self.bound, "value": self.value, "x0": self.x0.tolist(),
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
    """Result of re-running a witness: the run, its measure and the agreement with the PEP."""

    value: float
    replayed: float
    rel_error: float
    initial_used: float
    run: dict


def load(source: str | Path | dict) -> Witness:
    """Read a witness from a JSON path, JSON text or an already parsed dict."""
    if isinstance(source, dict):
        doc = source
    else:
        text = str(source)
        if not text.lstrip().startswith("{"):
            try:
                text = Path(text).read_text()
            except OSError as exc:
                raise InvalidParameterError("witness", str(source), "a readable JSON file", str(exc)) from None
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidParameterError("witness", str(source)[:60], "a JSON document", str(exc)) from None
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise InvalidParameterError("witness.kind", doc.get("kind") if isinstance(doc, dict) else doc,
                                    f"'{KIND}'")
    try:
        c = doc["constants"]
        return Witness(doc["algorithm"], doc["function_class"], float(c["beta"]),
                       None if c.get("mu") is None else float(c["mu"]), float(c["rho"]),
                       tuple(float(s) for s in doc["steps"]), doc["measure"], doc["initial"],
                       float(doc["bound"]), float(doc["value"]), np.array(doc["x0"], dtype=float),
                       np.array(doc["points"], dtype=float), np.array(doc["gradients"], dtype=float),
                       np.array(doc["values"], dtype=float), tuple(doc["names"]),
                       None if doc.get("slice_c") is None else tuple(doc["slice_c"]), doc.get("meta", {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidParameterError("witness", "document", "a complete pep-witness document", repr(exc)) from None


def replay(source: str | Path | dict | Witness) -> Replay:
    """Rebuild the witness function, run it with :func:`sambounds.simulate` from x_0 and compare.

    ``initial_used`` is ||x_0 - x*|| (distance) or f(x_0) - inf f (function gap) of the
    rebuilt function: the class constraint the run actually satisfies.
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
    f_star = 0.0 if convex else f.infimum()
    xs = sim.trajectory[:, 0, 0, 0, :]
    values, grads = f.value_and_grad(xs[None])
    run = {"x": xs, "g": grads[0], "f": values[0]}
    replayed = measure_of(run, w.measure, f_star, np.zeros(f.dim))
    used = float(np.linalg.norm(w.x0)) if w.initial == "distance" else float(run["f"][0] - f_star)
    rel = abs(replayed - w.value) / max(abs(w.value), 1e-300)
    return Replay(w.value, replayed, rel, used, run)


def reconstruct(program, solution, spec, *, value: float, slice_c=None, meta=None) -> Witness:
    """Witness from a solved program (normalized) mapped to the user's units.

    ``meta["solver"]`` records how accurately the SDP was solved (status, primal and dual
    residuals, duality gap; normalized units): :func:`sambounds.check.witness.rerun` sizes the
    agreement it demands of a replay from it.
    """
    w, V = np.linalg.eigh(solution.G)
    keep = w > 1e-14 * max(w.max(), 1e-300)
    P = np.sqrt(w[keep])[:, None] * V[:, keep].T                 # (d, k): coordinates of the basis
    pts = [p for p in program.points if p.f is not None]
    ell, beta = spec.length, spec.beta
    X = np.array([P @ p.x.astype(float) for p in pts]) * ell
    Gd = np.array([P @ p.g.astype(float) for p in pts]) * beta * ell
    fv = np.array([solution.F[p.f] for p in pts]) * beta * ell ** 2
    if spec.setting.function_class.convex:   # add x* = 0, g* = 0, f* = 0
        X = np.vstack([X, np.zeros(X.shape[1])])
        Gd = np.vstack([Gd, np.zeros(X.shape[1])])
        fv = np.append(fv, 0.0)
    names = tuple(p.name for p in pts) + (("x*",) if spec.setting.function_class.convex else ())
    s = spec.setting
    bound = s.constants.D if spec.initial.value == "distance" else s.constants.Delta
    return Witness(s.algorithm.value, s.function_class.value, float(s.constants.beta), s.constants.mu,
                   float(s.rho), tuple(float(e) for e in s.steps), spec.measure.value, spec.initial.value,
                   float(bound), float(value), X[0].copy(), X, Gd, fv, names,
                   None if slice_c is None else tuple(float(c) for c in slice_c),
                   {**(meta or {}), "solver": solver_accuracy(solution)})


def solver_accuracy(solution) -> dict[str, Any]:
    """The accuracy record of a solved program that a witness carries (JSON-ready).

    ``accuracy`` = max(primal residual, dual residual, duality gap / max(1, |value|)), the
    quantity :mod:`sambounds.pep.solvers` judges a solve by.
    """
    accuracy = max(solution.primal_residual, solution.dual_residual, solution.gap / max(1.0, abs(solution.value)))
    return {"solver": solution.solver, "status": solution.status,
            "primal_residual": float(solution.primal_residual), "dual_residual": float(solution.dual_residual),
            "duality_gap": float(solution.gap), "accuracy": float(accuracy)}
