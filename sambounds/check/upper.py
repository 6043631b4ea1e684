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
from .attack import Budget, budget as budget_for, upper_probes
from .probe import Evaluation, Probe, evaluate
from .report import Report, Verdict
from .witness import instance, make_witness

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Worst:
    """The instance with the largest ratio seen so far (probe, index (f, s0, k), evaluation numbers)."""

    score: tuple
    ratio: float
    probe: Probe
    index: tuple
    measured: float
    value: float
    tol: float
    lower: float


def base_fields(bound: Bound) -> dict:
    return dict(bound=bound.name, algorithms=",".join(sorted(a.value for a in bound.algorithms)),
                function_class=bound.function_class.value, kind=bound.kind.value,
                provenance=bound.provenance.value, quantity=bound.quantity.value)


def check_upper(bound: Bound, *, quick: bool = True, seed: int = 0, size: Budget | None = None,
                families: tuple[str, ...] | None = None, horizons: tuple[int, ...] | None = None,
                rhos: tuple[float, ...] | None = None, rate: bool = True,
                progress: Progress | None = None) -> Report:
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
    """
    return attack_upper(bound, quick=quick, seed=seed, size=size, families=families, horizons=horizons, rhos=rhos,
                        rate=rate, progress=progress)[0]


def attack_upper(bound: Bound, *, quick: bool = True, seed: int = 0, size: Budget | None = None,
                 families: tuple[str, ...] | None = None, horizons: tuple[int, ...] | None = None,
                 rhos: tuple[float, ...] | None = None, rate: bool = True,
                 progress: Progress | None = None, optimizer: Any = None) -> tuple[Report, Worst | None]:
    """:func:`check_upper`, also returning the worst instance (its probe and index) or None.

    ``optimizer`` (an :class:`~sambounds.adapters.spec.OptimizerSpec`) runs an outside
    implementation on every probe instead of the built-in rule; only probes at the radii
    ``rhos`` (the optimizer's own rho) of a deterministic algorithm are run then.
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
        probes = list(upper_probes(bound, size, seed, family_names=families, horizons=horizons, rhos=rhos))
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
    evidence = [f"{instances} applicable (function, start, schedule) instances over {len(probes)} probes",
                "rounding slack 1e-12 (1 + |f(x_0)| + |f*|) + 1e-9 |bound|"]
    if stats_method:
        evidence.append(f"expectations: {stats_method}")
    if diverged:
        evidence.append(f"{diverged} runs diverged within the bound's conditions")
    evidence += [f"condition {t} failed on {n} runs (excluded)" for t, n in sorted(failing.items())]
    evidence += sorted(f"skipped: {m}" for m in missing)
    if worst is None:
        return Report(check="upper", verdict=Verdict.NOT_APPLICABLE, evidence=tuple(evidence), **fields), None
    violated = worst.score[0] == 1
    slope = None
    if rate and not violated:
        from .rates import rate_of_instance

        slope = rate_of_instance(bound, worst.probe, worst.index, size, progress=progress)
    witness = make_witness(bound, worst.probe, worst.index, check="upper") if violated else None
    if rho0 is not None:
        evidence.append(f"rho = 0 column (SAM run as GD): worst ratio {rho0:.4g}")
    return Report(check="upper", verdict=Verdict.VIOLATED if violated else Verdict.HOLDS,
                  worst_ratio=worst.ratio, worst=instance(worst.probe, worst.index, worst.measured, worst.value),
                  rho0_ratio=rho0, slope=slope, evidence=tuple(evidence), instances=instances, witness=witness,
                  **fields), worst


def _worst_of(ev: Evaluation, probe: Probe) -> Worst | None:
    """The applicable run that most exceeds the bound; without an excess, the one with the largest ratio.

    ``score`` orders candidates across probes: (1, relative excess) for a violation, (0, ratio)
    otherwise.
    """
    app = ev.applicable
    if not app.any():
        return None
    excess = np.where(app, ev.lower - ev.value - ev.tol, -np.inf)
    ratios = np.where(app, ev.ratio("lower"), -np.inf)
    if (excess > 0).any():
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(excess > 0, excess / (np.abs(ev.value) + ev.tol), -np.inf)
        i = np.unravel_index(int(np.argmax(rel)), rel.shape)
        score = (1, float(rel[i]))
    else:
        i = np.unravel_index(int(np.argmax(ratios)), ratios.shape)
        score = (0, float(ratios[i]))
    idx = tuple(int(j) for j in i)
    return Worst(score, float(ratios[i]), probe, idx, float(ev.measured[i]), float(ev.value[i]),
                 float(ev.tol[i]), float(ev.lower[i]))


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
