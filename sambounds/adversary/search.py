"""The search: maximize measured/bound over the candidate space of an upper bound.

For every algorithm of the bound and every :mod:`.parametric` family of its class, the
coordinates of :class:`~.space.Space` are searched by differential evolution
(:func:`scipy.optimize.differential_evolution`, Storn & Price 1997; ``vectorized=True``, so a
whole generation is one list of probes), seeded, started from a Latin-hypercube population plus
the all-extreme corner (largest step, top curvature, ...) and its k one-coordinate-down neighbours, minimizing -ratio; the last quarter of each group's evaluations refines the best point by
Nelder-Mead (:func:`scipy.optimize.minimize`).  ``budget`` is the
total number of candidate evaluations per bound, split evenly over the (algorithm, family)
groups.  For expectations the search climbs on the sample mean of ``replicas`` draws; its best
candidate is then decided by :mod:`.sequential`.

:func:`evaluate` is the one place where independent candidates are run: a list of
:class:`~sambounds.check.probe.Probe` in, a list of :class:`~.history.Trial` out, through a
``mapper`` (builtin :func:`map` by default; any executor's map works, probes are picklable).
"""

from __future__ import annotations

import math
import warnings
from functools import partial
from typing import Callable, Iterable

import numpy as np
from scipy.optimize import differential_evolution, minimize
from scipy.stats import qmc

from ..check.probe import Probe, evaluate as evaluate_probe
from ..errors import InvalidParameterError
from ..setting import Algorithm
from ..theory.bound import Bound
from ..theory.terms import Kind, StepKind
from .history import GroupHistory, SearchResult, Trial, worst_of
from .menu import restriction_filter
from .parametric import families_for
from .space import Horizons, Space

Mapper = Callable[..., Iterable]
#: a diverged run scores this ratio in the search (its ratio is inf; DE needs finite values)
DIVERGED_SCORE = 1e6


def score_probe(bound: Bound, probe: Probe) -> tuple[float, object, bool]:
    """(search ratio, Worst or None, diverged) of one probe: mean ratio for expectations."""
    try:
        ev = evaluate_probe(bound, probe.run())
    except InvalidParameterError:
        return 0.0, None, False
    w = worst_of(ev, probe)
    if w is None:
        return 0.0, None, False
    i = w.index
    diverged = bool(ev.diverged[i])
    r = float(ev.ratio("measured")[i]) if ev.stats is not None else w.ratio
    if not math.isfinite(r):
        r = DIVERGED_SCORE
    return r, w, diverged


def evaluate(bound: Bound, probes: list[Probe], mapper: Mapper = map) -> list[tuple[float, object, bool]]:
    """Score every probe (independent; ``mapper(function, probes)`` runs them)."""
    return list(mapper(partial(score_probe, bound), probes))


def spaces(bound: Bound, *, replicas: int, seed: int, horizons: Horizons, rho: float | None = None,
           optimizer: object = None) -> list[Space]:
    """The (algorithm, family) spaces of an upper bound (empty when nothing of its class is built).

    With an outside ``optimizer`` (at its own ``rho``) only deterministic algorithms are searched
    (an adapted optimizer sees full gradients), GD exactly when rho = 0.
    """
    dim1, quad = restriction_filter(bound)
    out = []
    for algorithm in sorted(bound.algorithms, key=lambda a: a.value):
        # an outside optimizer at rho > 0 is not GD, and one at rho = 0 is scored as GD only
        if optimizer is not None and (algorithm.stochastic or (algorithm is Algorithm.GD) != (rho == 0)):
            continue
        for fam in families_for(bound.function_class, algorithm, algorithm is not Algorithm.GD):
            if dim1 and fam.name in ("quadratic-2d", "quadratic-sum"):
                continue
            if quad and not fam.name.startswith("quadratic"):
                continue
            out.append(Space(bound, algorithm, fam, horizons, replicas, seed, rho, optimizer))
    return out


def search_upper(bound: Bound, *, budget: int, seed: int = 0, replicas: int = 16,
                 horizons: Horizons = Horizons(), mapper: Mapper = map,
                 progress: Callable[[str], None] | None = None,
                 families: tuple[str, ...] | None = None, pep_horizons: tuple[int, ...] = (),
                 rho: float | None = None, optimizer: object = None) -> SearchResult:
    """Search for the candidate with the largest measured/bound (see the module docstring).

    ``families`` restricts the search to those :mod:`.parametric` family names (``"pep-interpolant"``
    for the PEP's worst functions).  ``pep_horizons``: for each small T, the PEP's worst function
    (:mod:`.pep_attack`) is added as one more candidate (group ``pep``).  ``optimizer`` (an
    :class:`~sambounds.adapters.spec.OptimizerSpec`) runs every candidate through an outside
    implementation at its own radius ``rho`` (rho is then no coordinate; the PEP's functions,
    solved at other radii, are left out).

    Raises
    ------
    InvalidParameterError
        For a bound that is not an explicit upper bound, or a budget < 0.
    """
    if not isinstance(bound, Bound) or bound.kind is not Kind.UPPER or not bound.explicit:
        raise InvalidParameterError("bound", getattr(bound, "name", bound), "an explicit upper bound")
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
        raise InvalidParameterError("budget", budget, "an integer >= 0 (candidate evaluations per bound)")
    method = "scipy differential_evolution (best1bin, Latin-hypercube init + corners), seeded"
    if budget == 0 or bound.step.kind is StepKind.UNSPECIFIED:
        return SearchResult(None, (), 0, method, budget)
    if optimizer is not None and rho is None:
        raise InvalidParameterError("rho", rho, "the outside optimizer's radius (a number >= 0)")
    groups = [g for g in spaces(bound, replicas=replicas, seed=seed, horizons=horizons, rho=rho,
                                optimizer=optimizer)
              if families is None or g.family.name in families]
    pep = _pep_group(bound, pep_horizons, seed, mapper, progress) \
        if pep_horizons and optimizer is None and (families is None or "pep-interpolant" in families) else None
    if not groups and pep is None:
        return SearchResult(None, (), 0, method, budget)
    per_group = max(budget // max(len(groups), 1), 8)
    histories = [] if pep is None else [pep]
    total = 0 if pep is None else pep.evaluations
    for g_index, space in enumerate(groups):
        if progress is not None:
            progress(f"{bound.name}: search {space.name} ({per_group} candidates)")
        h = _search_space(space, per_group, seed + 104729 * g_index, mapper)
        histories.append(h)
        total += h.evaluations
    best = None
    for h in histories:
        if h.best is not None and h.best.worst is not None and (best is None or _key(h.best) > _key(best)):
            best = h.best
    return SearchResult(best, tuple(histories), total, method, budget)


def _pep_group(bound, horizons, seed, mapper, progress) -> GroupHistory | None:
    from .pep_attack import applicable, pep_probes

    if not applicable(bound):
        return None
    if progress is not None:
        progress(f"{bound.name}: PEP worst functions, T in {tuple(horizons)}")
    built = pep_probes(bound, horizons, seed=seed)
    if not built:
        return None
    scores = evaluate(bound, [p for p, _ in built], mapper)
    trials = [Trial("pep", where, r, w, d) for (_, where), (r, w, d) in zip(built, scores)]
    best = None
    for t in trials:
        if t.worst is not None and (best is None or _key(t) > _key(best)):
            best = t
    return GroupHistory("pep", len(trials), tuple(t.ratio for t in trials), best)


def _key(t: Trial) -> tuple:
    # violations first (by relative excess), then the search ratio
    return (t.worst.score[0], t.worst.score[1] if t.worst.score[0] == 1 else t.ratio)


def _search_space(space: Space, n_eval: int, seed: int, mapper: Mapper) -> GroupHistory:
    k = space.dim
    sobol = corner_population(k, n_eval, seed)
    # after the corners, the centre
    sobol[min(k + 1, len(sobol) - 1)] = 0.5
    trials: list[Trial] = []
    per_gen: list[float] = []
    counter = [0]

    def objective(x: np.ndarray) -> np.ndarray:
        cols = x.T if x.ndim == 2 else x[None, :]
        built = [space.decode(u, counter[0] + j) for j, u in enumerate(cols)]
        counter[0] += len(cols)
        todo = [b[0] for b in built if b is not None]
        scores = iter(evaluate(space.bound, todo, mapper))
        out = []
        for b in built:
            if b is None:
                out.append(0.0)
                continue
            r, w, div = next(scores)
            trials.append(Trial(space.name, b[1], r, w, div))
            out.append(-r)
        if len(cols) > 1:
            per_gen.append(max(-min(out), 0.0))
        return np.array(out)

    minimize_box(objective, sobol, n_eval, seed, refine_below=0.0)
    best = None
    for t in trials:
        if t.worst is not None and (best is None or _key(t) > _key(best)):
            best = t
    return GroupHistory(space.name, len(trials), tuple(per_gen), best)


def corner_population(k: int, n_eval: int, seed: int) -> np.ndarray:
    """A DE start population in [0, 1]^k: Latin hypercube, row 0 the all-top corner, rows 1..k that
    corner with one coordinate at its bottom (the extremes where bounds usually break first)."""
    pop = int(max(5, min(max(8, 2 * k), n_eval // 2)))
    init = qmc.LatinHypercube(k, seed=seed).random(pop)
    init[0] = 1.0
    for i in range(min(k, pop - 2)):
        init[1 + i] = 1.0
        init[1 + i, i] = 0.0
    return init


def minimize_box(objective: Callable[[np.ndarray], np.ndarray], init: np.ndarray, n_eval: int, seed: int, *,
                 refine_below: float) -> None:
    """Minimize over [0, 1]^k with about ``n_eval`` calls: three quarters seeded differential evolution
    (vectorized: ``objective`` gets a (k, n) block), the rest Nelder-Mead from DE's best point when its
    value is below ``refine_below``.  The caller records what it needs inside ``objective``."""
    k = init.shape[1]
    n_local = n_eval // 4
    maxiter = max(0, (n_eval - n_local) // len(init) - 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # scipy warns when the budget ends before convergence
        de = differential_evolution(objective, [(0.0, 1.0)] * k, init=init, maxiter=maxiter, seed=seed,
                                    polish=False, vectorized=True, updating="deferred", tol=0.0, atol=0.0)
        if n_local > 0 and de.fun < refine_below:
            start = np.clip(de.x, 0.0, 1.0)
            minimize(lambda x: float(objective(np.clip(x, 0.0, 1.0))[0]), start, method="Nelder-Mead",
                     options={"maxfev": n_local, "initial_simplex": _simplex(start, 0.05), "xatol": 1e-6,
                              "fatol": 0.0})


def _simplex(x: np.ndarray, step: float) -> np.ndarray:
    """A Nelder-Mead start simplex around x inside the unit cube (each vertex moves one coordinate inward)."""
    pts = [x]
    for i in range(len(x)):
        y = x.copy()
        y[i] = y[i] - step if y[i] + step > 1.0 else y[i] + step
        pts.append(y)
    return np.array(pts)
