"""Attack an upper bound: run every instance of :mod:`.attack` and look for measured > bound.

Deterministic runs: violated when measured > bound + tol for some applicable run (tol: the
rounding slack of :mod:`.measure`).  Expectations (n-SAM, m-SAM): violated when the one-sided
lower confidence bound of the mean over replicas exceeds bound + tol (:mod:`.stats`: Student-t,
family-wise level ALPHA with a Bonferroni correction), so a correct bound is reported violated
with probability at most ALPHA.  The worst ratio reported is max measured/bound (the sample mean
for expectations).
"""

from __future__ import annotations

from dataclasses import dataclass
import dataclasses
from typing import Any, Callable

import numpy as np

from ..errors import InvalidParameterError
from ..theory.bound import Bound
from ..theory.terms import Kind, StepKind
from ..adversary.menu import Budget, budget as budget_for, upper_probes
from ..adversary.history import Worst, worst_of as _worst_of
from .probe import Probe, evaluate
from .report import Report, Verdict
from .witness import instance, make_witness

Progress = Callable[[str], None]


def base_fields(bound: Bound) -> dict:
    return dict(bound=bound.name, algorithms=",".join(sorted(a.value for a in bound.algorithms)),
                function_class=bound.function_class.value, kind=bound.kind.value,
                provenance=bound.provenance.value, quantity=bound.quantity.value)


#: the default search budget for an outside optimizer is the size's budget divided by this
OPTIMIZER_BUDGET_DIVISOR = 4


def check_upper(bound: Bound, *, quick: bool = True, seed: int = 0, size: Budget | None = None,
                families: tuple[str, ...] | None = None, horizons: tuple[int, ...] | None = None,
                rhos: tuple[float, ...] | None = None, rate: bool = True,
                progress: Progress | None = None, budget: int | None = None, replicas: int | None = None,
                mapper: Callable = map, menu: bool = True) -> Report:
    """Attack an explicit upper bound and report holds / violated / not applicable.

    (:func:`attack_upper` does the same and also returns the worst instance.)

    Parameters
    ----------
    bound : Bound
        An upper bound with explicit constants (``paper`` entries go to :func:`.rates.check_order`).
    quick, size : the attack's sizes (:data:`.attack.QUICK` / :data:`.attack.DEFAULT`, or a Budget).
    seed : int
        Seeds every random choice (directions, rotations, schedules, oracle draws): the same seed
        gives the same report.
    families, horizons, rhos : optional restrictions of the attack (family names of
        :mod:`.families`, horizons T, radii rho).
    rate : bool
        Also fit the rate of the worst instance (:mod:`.rates`).
    progress : callable, optional
        Called with a short text per probe.
    budget : int, optional
        Candidate evaluations of the adversary's search (:mod:`sambounds.adversary.search`); the
        size's ``search`` when omitted, 0 for the fixed menu alone.
    replicas : int, optional
        Cap of the sequential replicas deciding a stochastic candidate (the size's ``replicas_cap``).
    mapper : callable
        ``mapper(function, probes)`` runs the search's independent candidates (builtin map).
    menu : bool
        Also run the fixed menu of :mod:`sambounds.adversary.menu` (False: the search alone).
    """
    return attack_upper(bound, quick=quick, seed=seed, size=size, families=families, horizons=horizons, rhos=rhos,
                        rate=rate, progress=progress, budget=budget, replicas=replicas, mapper=mapper,
                        menu=menu)[0]


def attack_upper(bound: Bound, *, quick: bool = True, seed: int = 0, size: Budget | None = None,
                 families: tuple[str, ...] | None = None, horizons: tuple[int, ...] | None = None,
                 rhos: tuple[float, ...] | None = None, rate: bool = True,
                 progress: Progress | None = None, budget: int | None = None, replicas: int | None = None,
                 mapper: Callable = map, menu: bool = True, optimizer: Any = None) -> tuple[Report, Worst | None]:
    """:func:`check_upper`, also returning the worst instance (its probe and index) or None.

    ``optimizer`` (an :class:`~sambounds.adapters.spec.OptimizerSpec`) runs an outside
    implementation on every menu probe and every search candidate instead of the built-in rule;
    only probes at the radius ``rhos`` (one value: the optimizer's own rho) of a deterministic
    algorithm are run then, and the search holds rho at that value (its default budget is the
    size's divided by :data:`OPTIMIZER_BUDGET_DIVISOR`).
    """
    order_report = order_only_report(bound, Kind.UPPER, quick=quick, seed=seed, progress=progress)
    if order_report is not None:
        return order_report, None
    size = size or budget_for(quick)
    fields = base_fields(bound)
    if bound.step.kind is StepKind.UNSPECIFIED:
        return Report(check="upper", verdict=Verdict.NOT_APPLICABLE, evidence=("no step size to run",),
                      **fields), None
    try:
        probes = list(upper_probes(bound, size, seed, family_names=families, horizons=horizons, rhos=rhos)) \
            if menu else []
        if optimizer is not None:
            probes = [(label, dataclasses.replace(p, optimizer=optimizer)) for label, p in probes
                      if not p.stochastic and p.rho in (rhos or ())]
    except InvalidParameterError as exc:
        return Report(check="upper", verdict=Verdict.NOT_APPLICABLE, evidence=(str(exc),), **fields), None
    worst: Worst | None = None
    rho0 = None
    instances = diverged = 0
    failing: dict[str, int] = {}
    missing: set[str] = set()
    stats_method = None
    for label, probe in probes:
        if progress is not None:
            progress(f"{bound.name}: {label}, T={probe.T}, rho={probe.rho:g}")
        run = probe.run()
        try:
            ev = evaluate(bound, run)
        except InvalidParameterError as exc:
            missing.add(str(exc))
            continue
        for text, n in ev.failing:
            failing[text] = failing.get(text, 0) + n
        if not ev.applicable.any():
            continue
        if ev.stats is not None:
            stats_method = ev.stats.method
        instances += int(ev.applicable.sum())
        diverged += int((ev.diverged & ev.applicable).sum())
        cand = _worst_of(ev, probe)
        if cand is not None and (worst is None or cand.score > worst.score):
            worst = cand
        if probe.rho == 0 and cand is not None:
            rho0 = cand.ratio if rho0 is None else max(rho0, cand.ratio)
    if optimizer is not None and (rhos is None or len(set(rhos)) != 1):
        raise InvalidParameterError("rhos", rhos, "one radius (the outside optimizer's own rho)")
    if optimizer is not None and budget is None:
        # an outside optimizer runs one trajectory at a time, about 100x slower per candidate
        budget = max(8, size.search // OPTIMIZER_BUDGET_DIVISOR)
    found = _search(bound, size, seed, families, budget, replicas, mapper, progress,
                    None if optimizer is None else float(rhos[0]), optimizer)
    search_doc, inconclusive = None, False
    if found is not None:
        result, cand, decision = found
        search_doc = result.to_dict()
        if decision is not None:
            search_doc["sequential"] = decision.to_dict()
            inconclusive = decision.verdict == "inconclusive"
        if cand is not None and (worst is None or cand.score > worst.score):
            worst = cand
    fields = {**fields, "diverged": diverged}   # every report from here on carries the count
    evidence = [f"{instances} applicable (function, start, schedule) instances over {len(probes)} probes",
                "rounding slack 1e-12 (1 + |f(x_0)| + |f*|) + 1e-9 |bound|"]
    if stats_method:
        evidence.append(f"expectations: {stats_method}")
    if found is not None:
        result, _, decision = found
        evidence.append(_search_line(result))
        if decision is not None:
            evidence.append(decision.describe())
    if diverged:
        evidence.append(f"{diverged} runs diverged within the bound's conditions")
    evidence += [f"condition {t} failed on {n} runs (excluded)" for t, n in sorted(failing.items())]
    evidence += sorted(f"skipped: {m}" for m in missing)
    if worst is None:
        return Report(check="upper", verdict=Verdict.NOT_APPLICABLE, evidence=tuple(evidence), **fields), None
    violated = worst.score[0] == 1
    verdict = Verdict.VIOLATED if violated else Verdict.INCONCLUSIVE if inconclusive else Verdict.HOLDS
    slope = None
    if rate and not violated:
        from .rates import rate_of_instance

        slope = rate_of_instance(bound, worst.probe, worst.index, size, progress=progress)
    witness = make_witness(bound, worst.probe, worst.index, check="upper") if violated else None
    if rho0 is not None:
        evidence.append(f"rho = 0 column (SAM run as GD): worst ratio {rho0:.4g}")
    return Report(check="upper", verdict=verdict, search=search_doc,
                  worst_ratio=worst.ratio, worst=instance(worst.probe, worst.index, worst.measured, worst.value),
                  rho0_ratio=rho0, slope=slope, evidence=tuple(evidence), instances=instances, witness=witness,
                  **fields), worst


def _search(bound, size, seed, families, budget, replicas, mapper, progress, rho=None, optimizer=None):
    """(SearchResult, its best as a Worst or None, sequential Decision or None), or None without a search.

    A stochastic expectation candidate is decided by sequential replicas (its Worst is the
    deciding stage's run, so a witness re-runs that stage); any other candidate is its own Worst.
    """
    from ..adversary.parametric import FAMILIES
    from ..adversary.search import search_upper
    from ..adversary.sequential import decide
    from ..adversary.space import Horizons
    from .measure import EXPECTATIONS, LIMITS

    n = size.search if budget is None else budget
    if n == 0 or (families is not None and not ({p.name for p in FAMILIES} | {"pep-interpolant"}) & set(families)):
        return None
    lo, hi = size.search_horizons
    result = search_upper(bound, budget=n, seed=seed, replicas=size.search_replicas,
                          horizons=Horizons(lo, hi, size.limit_horizon), mapper=mapper, progress=progress,
                          families=families, pep_horizons=tuple(size.pep_horizons), rho=rho,
                          optimizer=optimizer)
    best = result.best
    if best is None or best.worst is None:
        return result, None, None
    w = best.worst
    if bound.quantity in LIMITS and w.score[0] == 1:
        return result, _confirm_limit(bound, w), None
    if not (w.probe.stochastic and bound.quantity in EXPECTATIONS):
        return result, w, None
    decision = decide(bound, w.probe, cap=size.replicas_cap if replicas is None else replicas)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = (decision.lower - decision.value - decision.tol) / (abs(decision.value) + decision.tol)
        ratio = decision.lower / decision.value if decision.value > 0 else float("inf")
    score = (1, float(rel)) if decision.verdict == "violated" else (0, float(ratio))
    cand = Worst(score, float(ratio), decision.probe, decision.index, decision.mean, decision.value, decision.tol,
                 decision.lower)
    return result, cand, decision


def _confirm_limit(bound: Bound, w: Worst) -> Worst:
    """A limit (t -> infinity) exceeded at horizon T counts only if it is still exceeded at 4T by about as much.

    A transient that has not died out at T would otherwise refute a true limit bound.  The excess
    is kept when the ratio at 4T exceeds 1 and moved by less than half its distance from 1 (then
    the 4T probe is the witness); otherwise the candidate is reported by its smaller ratio, unviolated.
    """
    from dataclasses import replace

    p = w.probe
    longer = replace(p, T=4 * p.T, steps=np.repeat(p.steps[:, -1:], 4 * p.T, axis=1))
    w4 = _worst_of(evaluate(bound, longer.run()), longer)
    if w4 is not None and w4.score[0] == 1 and abs(w4.ratio - w.ratio) < (w4.ratio - 1) / 2:
        return w4
    ratio = w.ratio if w4 is None else min(w.ratio, w4.ratio)
    return replace(w, score=(0, ratio), ratio=ratio)


def _search_line(result) -> str:
    best = result.best
    if best is None:
        return f"search: {result.evaluations} candidates ({result.method}), none applicable"
    w = best.where
    params = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in w["params"].items())
    return (f"search: {result.evaluations} candidates ({result.method}); best ratio {best.ratio:.6g} on "
            f"{w['family']} ({params}), {w['algorithm']}, rho={w['rho']:.4g}, T={w['T']}, {w['schedule']}")


def order_only_report(bound: Bound, kind: Kind, *, quick: bool, seed: int,
                      progress: Callable[[str], None] | None) -> Report | None:
    """Check that ``bound`` is a Bound of ``kind``; an order-only claim gets its rate check here.

    Returns the rate Report of an order-only ('paper') claim, None for an explicit bound (which the
    caller attacks numerically).
    """
    if not isinstance(bound, Bound):
        raise InvalidParameterError("bound", bound, "a sambounds Bound")
    if bound.kind is not kind:
        caller = "check_upper" if kind is Kind.UPPER else "check_lower"
        raise InvalidParameterError("bound.kind", bound.kind.value, f"'{kind.value}' for {caller}")
    if bound.explicit:
        return None
    from .rates import check_order

    return check_order(bound, quick=quick, seed=seed, progress=progress)
