"""The search against a lower bound: minimize measured/bound of its construction over the constants.

A lower bound claims its construction (or some function) reaches the value at *every* admissible
constant, so a check at a few grid points is evidence at those points only: a claim wrong at an
intermediate step size, a small rho or a large kappa would pass.  This search looks for the
constants where the construction does worst.  A point u of [0, 1]^k decodes to

- beta in [0.25, 4] (log);
- kappa = beta/mu in [1, KAPPA_MAX] (log; constructions whose shape depends on mu: L-SC and the
  GD quadratic);
- beta rho in [10^-3, 1] (log; algorithms with a perturbation);
- eta = c 10^(-2 (1 - u)) with c the largest step of the construction's own grid at those
  constants (the claim's step limit, 0.9 of it when strict, or the top of its free grid):
  a construction sized for c (the L-SC radius grows with eta) stays valid at every smaller step;
  prescribed rules are the rule itself;
- the horizon T in the budget's search range (log; finite-horizon quantities; limits run at the
  budget's long horizon).

The construction is built by :func:`sambounds.check.constructions.point` exactly as on the grid
(its starts, its sizing), with the one step row replaced.  Each candidate scores the best run over
the construction's starts (as on the grid); seeded differential evolution
(:func:`scipy.optimize.differential_evolution`) minimizes it, then Nelder-Mead refines the best
point, as :mod:`.search` does for upper bounds.  Stochastic constructions (L-S) and L-SC-horizon
(whose eta grid is part of the statement) are not searched.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from ..check.measure import CONVERGENCE_RTOL, LIMITS
from ..check.probe import Evaluation, Probe, ProbeRun, evaluate
from ..errors import InvalidParameterError
from ..setting import Algorithm, FunctionClass
from ..theory.bound import Bound
from ..theory.terms import StepKind
from .menu import Budget
from .parametric import log_scale
from .search import corner_population, minimize_box

KAPPA_MAX = 1e3
#: limits: run LIMIT_SETTLE / (eta mu) steps, at least the budget's long horizon and at most
#: LIMIT_T_FACTOR times it; a candidate still unsettled there is not scored (see :func:`score`)
LIMIT_SETTLE, LIMIT_T_FACTOR = 20.0, 2
UNSEARCHED = ("L-S", "L-SC-horizon")
#: the objective's value for a candidate that cannot be built or scored (DE needs finite values)
UNSCORED = 1e6
_KAPPA_SHAPED = ("L-SC", "gd-quadratic")


@dataclass(frozen=True)
class LowerTrial:
    """One scored candidate: its decoded constants, the construction's best ratio, the probe, the run index.

    For limit quantities the run at ``index`` has settled (it agrees with the run at T/2, :func:`score`)."""

    where: dict
    ratio: float
    probe: Probe
    index: tuple
    run: ProbeRun          # the candidate's run and the bound on it, kept so no caller runs it again
    evaluation: Evaluation


@dataclass(frozen=True)
class LowerSearch:
    """The search's outcome: evaluations, best ratio per generation, the weakest candidates (lowest first)."""

    evaluations: int
    per_generation: tuple
    weakest: tuple           # LowerTrial, ascending ratio

    def describe(self, coordinates: tuple[str, ...]) -> str:
        if not self.weakest:
            return f"search: {self.evaluations} candidates over ({', '.join(coordinates)}), none applicable"
        w = self.weakest[0]
        at = ", ".join(f"{k}={val:.4g}" for k, val in w.where.items())
        return (f"search: {self.evaluations} candidates over ({', '.join(coordinates)}) by differential evolution "
                f"+ Nelder-Mead; weakest ratio {w.ratio:.6g} at {at}")


def coordinates(bound: Bound, name: str, algorithm: Algorithm) -> tuple[str, ...]:
    out = ["beta"]
    if name in _KAPPA_SHAPED and bound.function_class is FunctionClass.STRONGLY_CONVEX:
        out.append("kappa")
    if algorithm is not Algorithm.GD:
        out.append("rho")
    if bound.step.kind is not StepKind.PRESCRIBED:
        out.append("eta")
    if bound.quantity not in LIMITS:
        out.append("T")
    return tuple(out)


def searchable(name: str) -> bool:
    return name not in UNSEARCHED


def decode(bound: Bound, name: str, algorithm: Algorithm, size: Budget, u: np.ndarray,
           seed: int) -> tuple[Probe, dict] | None:
    """The construction's probe at point u (one step row), or None where it cannot be built."""
    from ..check.constructions import point

    named = dict(zip(coordinates(bound, name, algorithm), np.clip(np.asarray(u, dtype=float), 0.0, 1.0)))
    beta = log_scale(named["beta"], 0.25, 4.0)
    kappa = log_scale(named["kappa"], 1.0, KAPPA_MAX) if "kappa" in named else size.kappas[0]
    rho = log_scale(named["rho"], 1e-3, 1.0) / beta if "rho" in named else 0.0
    where = {"beta": beta, "rho": rho}
    if "kappa" in named:
        where["kappa"] = kappa
    sized = size
    if "T" in named:
        lo, hi = size.search_horizons
        T = int(round(log_scale(named["T"], lo, hi)))
        sized = dataclasses.replace(size, horizons=(T,))
        where["T"] = T
    try:
        built = point(bound, name, algorithm, beta, beta / kappa, rho, sized, seed)
    except InvalidParameterError:
        return None
    if not built:
        return None
    _, probe = built[0]
    eta = float(probe.steps.max())
    if "eta" in named:
        eta *= 10 ** (-2 * (1 - float(named["eta"])))
        where["eta"] = eta
    T = probe.T
    if bound.quantity in LIMITS:
        # a limit is read after the transient: about 1/(eta mu) steps (1/(eta beta) without mu)
        curvature = beta / kappa if "kappa" in named or name in _KAPPA_SHAPED else beta
        T = int(min(LIMIT_T_FACTOR * size.limit_horizon,
                    max(size.limit_horizon, math.ceil(LIMIT_SETTLE / (eta * curvature)))))
    if "eta" in named or T != probe.T:
        steps = np.full((1, T), eta) if "eta" in named else np.repeat(probe.steps[:, :1], T, axis=1)
        if "eta" not in named and not np.all(probe.steps == probe.steps[:, :1]):
            return None   # a prescribed rule that varies in t is not stretched to another horizon
        labels = (f"eta = {eta:.6g}",) if "eta" in named else probe.schedule_labels
        probe = dataclasses.replace(probe, T=T, steps=steps, schedule_labels=labels)
    return probe, where


def score(bound: Bound, probe: Probe) -> tuple[float, tuple | None, ProbeRun | None, Evaluation | None]:
    """(min over step rows of the best run's measured/bound, its index, the run, the evaluation).

    The ratio is inf and the index None where nothing applies, every run diverged or (limits) no
    run settled."""
    try:
        run = probe.run()
        ev = evaluate(bound, run)
    except InvalidParameterError:
        return math.inf, None, None, None
    app = ev.applicable & (ev.value > 0) & ~ev.diverged
    if bound.quantity in LIMITS and app.any():
        # an unsettled run says nothing about the limit: it must agree with the run at T/2
        T2 = max(1, probe.T // 2)
        half = evaluate(bound, dataclasses.replace(probe, T=T2, steps=probe.steps[:, :T2]).run())
        with np.errstate(invalid="ignore"):
            app &= np.abs(ev.measured - half.measured) <= CONVERGENCE_RTOL * np.abs(ev.measured) + ev.tol
    if not app.any():
        return math.inf, None, run, ev
    ratios = np.where(app, ev.ratio("lower", upper=False), -np.inf)
    best, where = math.inf, None
    for k in range(ratios.shape[2]):
        block = ratios[:, :, k]
        if not np.isfinite(block).any():
            continue
        f, s = np.unravel_index(int(np.argmax(block)), block.shape)
        if block[f, s] < best:
            best, where = float(block[f, s]), (int(f), int(s), k)
    return best, where, run, ev


def search_lower(bound: Bound, name: str, *, size: Budget, budget: int, seed: int = 0,
                 keep: int = 3) -> LowerSearch:
    """Minimize the construction's ratio over the coordinates of every algorithm of the bound."""
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
        raise InvalidParameterError("budget", budget, "an integer >= 0 (0: no search)")
    trials: list[LowerTrial] = []
    per_gen: list[float] = []
    algs = sorted(bound.algorithms, key=lambda a: a.value)
    if budget == 0 or not searchable(name):
        return LowerSearch(0, (), ())
    share = max(8, budget // len(algs))
    for i, alg in enumerate(algs):
        _search_one(bound, name, alg, size, share, seed + 104729 * i, trials, per_gen)
    trials.sort(key=lambda t: t.ratio)
    return LowerSearch(len(trials), tuple(per_gen), tuple(trials[:keep]))


def _search_one(bound, name, alg, size, n_eval, seed, trials, per_gen) -> None:
    init = corner_population(len(coordinates(bound, name, alg)), n_eval, seed)

    def objective(x: np.ndarray) -> np.ndarray:
        cols = x.T if x.ndim == 2 else x[None, :]
        out = []
        for u in cols:
            built = decode(bound, name, alg, size, u, seed)
            if built is None:
                out.append(UNSCORED)
                continue
            probe, where = built
            r, idx, run, ev = score(bound, probe)
            if idx is None:
                out.append(UNSCORED)
                continue
            trials.append(LowerTrial(where, r, probe, idx, run, ev))
            out.append(r)
        if len(cols) > 1:
            per_gen.append(min(out))
        return np.array(out)

    minimize_box(objective, init, n_eval, seed, refine_below=UNSCORED)
