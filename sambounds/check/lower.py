"""Witness a lower bound: run its construction over a grid of constants and demand measured >= bound.

A lower bound states that some function of the class forces the quantity to at least its
value; the catalog ties each one to a construction (:mod:`.constructions`, docs/theory.md sections
3 and 5).  A construction is used only if it belongs to the bound's class and noise model and is
run with the bound's own algorithms (:func:`.constructions.refusal`); otherwise the verdict is
"not applicable" with the reason, never "witnessed".

A bound is **witnessed** when, at every grid point and every step size the bound allows, the
best run of its construction has measured >= bound - tol (for expectations, the one-sided lower
confidence bound of :mod:`.stats` must reach it).  Diverged runs never witness anything: a
measured +inf says nothing about the claim.  It is **violated** (with a witness) when

- a certified upper bound lies below the claim at some grid point (:mod:`.refute`): then no
  function of the class reaches the claim there, whatever construction is tried; or
- the claim is about its construction (a catalog entry, whose proof is the construction, or a
  user claim that names one) and the construction stays below at some grid point after
  convergence (a limit quantity is re-measured at T/2 and must agree to 1e-6 relative; for
  expectations even the upper confidence bound is below).

A user claim that names no construction is an existence claim; when the inferred construction
stays below it and no certified upper bound refutes it, the verdict is **inconclusive** (another
function might reach it), as it is when a limit had not converged or a confidence interval
straddles the bound.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

from ..errors import InvalidParameterError
from ..setting import Algorithm, FunctionClass
from ..theory.bound import Bound
from ..theory.terms import Kind, Provenance, Quantity, StepKind
from .attack import Budget, budget as budget_for
from .refute import Refutation, certified_uppers, refutation
from .refute_pep import pep_refutation, scope
from .constructions import CONSTRUCTIONS, probes as construction_probes, refusal
from .measure import CONVERGENCE_RTOL, LIMITS
from .probe import Probe, evaluate
from .report import Report, Verdict
from .upper import base_fields, order_only_report
from .witness import instance, make_witness



def construction_for(bound: Bound) -> str | None:
    """The construction a catalog lower bound is about, from its quantity and algorithm."""
    q, algs = bound.quantity, bound.algorithms
    if q is Quantity.LIM_GAP and Algorithm.SAM in algs:
        return "L-SC"
    if q is Quantity.LIM_GRAD_AVG and Algorithm.SAM in algs:
        return "L-NC"
    if q is Quantity.LIMINF_E_GAP and (Algorithm.N_SAM in algs or Algorithm.M_SAM in algs):
        return "L-S"
    if q is Quantity.GAP and Algorithm.SAM in algs and bound.step.kind is StepKind.EVERY_CONSTANT:
        return "L-SC-horizon"
    if algs == {Algorithm.GD} and q is Quantity.GAP:
        return "drori-teboulle"
    if algs == {Algorithm.GD} and q is Quantity.DIST:
        return "gd-quadratic"
    if algs == {Algorithm.USAM} and q is Quantity.GAP:
        return "usam-quadratic"
    return None


def _by_pep(bound: Bound, fields: dict, evidence: tuple, otherwise: Verdict, *,
            note: bool = True) -> tuple[Report, None]:
    """Without a usable construction only a PEP certificate can decide an existence claim (:mod:`.refute_pep`).

    ``note``: also say, when there is no certificate below the claim, whether the PEP could have spoken.
    """
    found = pep_refutation(bound)
    if found is not None:
        return Report(check="lower", verdict=Verdict.VIOLATED, evidence=evidence + (found.describe(),),
                      witness=found.to_witness(bound), **fields), None
    if not note:
        return Report(check="lower", verdict=otherwise, evidence=evidence, **fields), None
    why = scope(bound)
    note = (f"no PEP certificate below the claim (settings of sambounds.check.refute_pep)" if why is None
            else f"the PEP cannot decide it ({why})")
    return Report(check="lower", verdict=otherwise, evidence=evidence + (note,), **fields), None


def _rel(found: Refutation) -> float:
    return (found.claim_value - found.upper_value) / abs(found.claim_value)


def _half(probe: Probe) -> Probe:
    T = max(1, probe.T // 2)
    return dataclasses.replace(probe, T=T, steps=probe.steps[:, :T])


def check_lower(bound: Bound, *, quick: bool = True, seed: int = 0, size: Budget | None = None,
                construction: str | None = None, rate: bool = True,
                progress: Callable[[str], None] | None = None, budget: int | None = None) -> Report:
    """Run the bound's construction over the grid; witnessed / violated / inconclusive / not applicable.

    ``construction`` overrides the one inferred from the bound (:func:`construction_for`), e.g. for
    a user-registered lower bound.  ``paper`` (order-only) lower bounds get a rate check
    (:func:`.rates.check_order`).  (:func:`attack_lower` also returns the weakest instance.)
    """
    return attack_lower(bound, quick=quick, seed=seed, size=size, construction=construction, rate=rate,
                        progress=progress, budget=budget)[0]


def attack_lower(bound: Bound, *, quick: bool = True, seed: int = 0, size: Budget | None = None,
                 construction: str | None = None, rate: bool = True,
                 progress: Callable[[str], None] | None = None,
                 budget: int | None = None) -> tuple[Report, tuple | None]:
    """:func:`check_lower`, also returning (probe, index) of the weakest (or failing) instance."""
    order_report = order_only_report(bound, Kind.LOWER, quick=quick, seed=seed, progress=progress)
    if order_report is not None:
        return order_report, None
    size = size or budget_for(quick)
    budget = size.search // 2 if budget is None else budget
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
        raise InvalidParameterError("budget", budget, "an integer >= 0 (0: the grid alone)")
    fields = base_fields(bound)
    name = construction or construction_for(bound)
    if name is None:
        return _by_pep(bound, fields, ("no construction for this quantity and algorithm; name one with "
                                       "construction=",), Verdict.NOT_APPLICABLE)
    if name not in CONSTRUCTIONS:
        raise InvalidParameterError("construction", name, f"one of {list(CONSTRUCTIONS)}")
    why = refusal(bound, name)
    probes = []
    if why is None:
        try:
            probes = construction_probes(bound, name, size, seed)
        except InvalidParameterError as exc:
            why = f"construction {name} cannot run the bound's steps: {exc}"
    for _, probe in probes:
        f, _ = probe.family.build()
        if why is None and not bound.function_class.contains(FunctionClass.parse(f.function_class)):
            why = (f"construction {name} built a {f.function_class} function, outside the bound's class "
                   f"{bound.function_class.value}")
    if why is not None:
        return _by_pep(bound, fields, (why,), Verdict.NOT_APPLICABLE, note=False)
    # a shortfall of the construction refutes the claim only when the claim is about it (module docstring)
    named = construction is not None or bound.provenance is not Provenance.USER
    uppers = certified_uppers(bound)
    refuted = None   # (Refutation, probe)
    weakest = None   # (ratio, probe, index, measured, value)
    failing = None
    unconverged = []
    undecided = []
    points = 0
    diverged = 0
    for label, probe in probes:
        if progress is not None:
            progress(f"{bound.name}: {label}, T={probe.T}, rho={probe.rho:g}")
        run = probe.run()
        ev = evaluate(bound, run)
        app = ev.applicable & (ev.value > 0)
        if uppers:
            found = refutation(bound, ev, run, uppers, app.copy())
            if found is not None and (refuted is None or _rel(found) > _rel(refuted[0])):
                refuted = (found, probe)
        diverged += int((app & ev.diverged).sum())
        app &= ~ev.diverged
        if not app.any():
            continue
        conv = np.ones_like(app)
        if bound.quantity in LIMITS and not probe.stochastic:
            half = evaluate(bound, _half(probe).run())
            with np.errstate(invalid="ignore"):
                conv = np.abs(ev.measured - half.measured) <= CONVERGENCE_RTOL * np.abs(ev.measured) + ev.tol
        ratios = np.where(app, ev.ratio("lower", upper=False), -np.inf)
        for k in range(ratios.shape[2]):
            if not app[:, :, k].any():
                continue
            points += 1
            block = ratios[:, :, k]
            f, s = np.unravel_index(int(np.argmax(block)), block.shape)
            best = float(block[f, s])
            idx = (int(f), int(s), k)
            reached = ev.lower[idx] >= ev.value[idx] - ev.tol[idx]
            # below only when even the upper confidence bound is (deterministic: upper = measured)
            below = ev.upper[idx] < ev.value[idx] - ev.tol[idx]
            if weakest is None or best < weakest[0]:
                weakest = (best, probe, idx, float(ev.measured[idx]), float(ev.value[idx]))
            if not reached and not below:
                undecided.append(f"{label} {probe.schedule_labels[k]}, rho={probe.rho:g}")
            elif not reached:
                if conv[idx]:
                    if failing is None or best < failing[0]:
                        failing = (best, probe, idx, float(ev.measured[idx]), float(ev.value[idx]))
                else:
                    unconverged.append(f"{label} {probe.schedule_labels[k]}, rho={probe.rho:g}")
    from ..adversary.lower_search import coordinates, search_lower, searchable   # adversary imports check

    searched = None
    if failing is None and budget > 0 and searchable(name) and not any(p.stochastic for _, p in probes):
        # the grid found no shortfall: look for one between and beyond its points
        if progress is not None:
            progress(f"{bound.name}: searching the constants of {name} ({budget} candidates)")
        searched = search_lower(bound, name, size=size, budget=budget, seed=seed)
        for trial in searched.weakest:   # scored candidates: a limit's run has settled (lower_search.score)
            run, ev, idx = trial.run, trial.evaluation, trial.index
            if not ev.upper[idx] < ev.value[idx] - ev.tol[idx]:
                continue
            failing = (trial.ratio, trial.probe, idx, float(ev.measured[idx]), float(ev.value[idx]))
            if uppers and refuted is None:
                found = refutation(bound, ev, run, uppers, ev.applicable & (ev.value > 0))
                if found is not None:
                    refuted = (found, trial.probe)
            break
        if searched.weakest and (weakest is None or searched.weakest[0].ratio < weakest[0]):
            t = searched.weakest[0]
            ev = t.evaluation
            weakest = (t.ratio, t.probe, t.index, float(ev.measured[t.index]), float(ev.value[t.index]))
    fields = {**fields, "diverged": diverged}   # every report from here on carries the count
    evidence = [f"construction {name}: {points} (grid point, step size) pairs, best run of each compared",
                "rounding slack 1e-12 (1 + |f(x_0)| + |f*|) + 1e-9 |bound|"]
    if bound.quantity in LIMITS:
        evidence.append(f"limits measured at T = {size.limit_horizon}, convergence checked against T/2 "
                        f"(relative {CONVERGENCE_RTOL:g})")
    if diverged:
        evidence.append(f"{diverged} diverged run(s) excluded: divergence witnesses no lower bound")
    if any(p.stochastic for _, p in probes):
        evidence.append("expectations: one-sided Student-t lower confidence bound (Bonferroni, family-wise 1e-3)")
    if weakest is None:
        return Report(check="lower", verdict=Verdict.NOT_APPLICABLE, evidence=tuple(evidence) + (
            "no grid point satisfied the bound's conditions with a positive value",), **fields), None
    if searched is not None:
        evidence.append(searched.describe(coordinates(bound, name, sorted(bound.algorithms, key=lambda a: a.value)[0])))
    if uppers:
        evidence.append(f"certified upper bounds compared with the claim at every grid point: "
                        f"{', '.join(u.name for u in uppers)}")
    if refuted is not None:
        found, probe = refuted
        ev = evaluate(bound, probe.run())
        idx = found.index
        r = float(ev.ratio("lower", upper=False)[idx])
        return Report(check="lower", verdict=Verdict.VIOLATED, worst_ratio=r,
                      worst=instance(probe, idx, float(ev.measured[idx]), float(ev.value[idx])),
                      evidence=tuple(evidence) + (found.describe(),), instances=points,
                      witness=make_witness(bound, probe, idx, check="lower"), **fields), (probe, idx)
    if failing is not None and not named:
        r, probe, idx, m, v = failing
        evidence.append(f"construction {name} (inferred: the claim names none) stays below the claim "
                        f"(ratio {r:.4g}); that refutes no existence claim, since another function may reach it, "
                        f"and no certified upper bound lies below the claim. Name the construction "
                        f"(construction = \"{name}\") to claim that it reaches the bound")
        found = pep_refutation(bound)
        if found is not None:
            return Report(check="lower", verdict=Verdict.VIOLATED, evidence=tuple(evidence[:-1]) + (found.describe(),),
                          instances=points, witness=found.to_witness(bound), **fields), None
        return Report(check="lower", verdict=Verdict.INCONCLUSIVE, worst_ratio=r, worst=instance(probe, idx, m, v),
                      evidence=tuple(evidence), instances=points, **fields), (probe, idx)
    if failing is not None:
        r, probe, idx, m, v = failing
        return Report(check="lower", verdict=Verdict.VIOLATED, worst_ratio=r, worst=instance(probe, idx, m, v),
                      evidence=tuple(evidence), instances=points,
                      witness=make_witness(bound, probe, idx, check="lower"), **fields), (probe, idx)
    r, probe, idx, m, v = weakest
    if unconverged or undecided:
        if unconverged:
            evidence.append(f"not converged: {', '.join(unconverged[:3])}")
        if undecided:
            evidence.append(f"confidence interval straddles the bound: {', '.join(undecided[:3])}")
        return Report(check="lower", verdict=Verdict.INCONCLUSIVE, worst_ratio=r, worst=instance(probe, idx, m, v),
                      evidence=tuple(evidence), instances=points, **fields), (probe, idx)
    slope = None
    if rate:
        from .rates import rate_of_instance

        slope = rate_of_instance(bound, probe, idx, size, progress=progress)
    return Report(check="lower", verdict=Verdict.WITNESSED, worst_ratio=r, worst=instance(probe, idx, m, v),
                  slope=slope, evidence=tuple(evidence), instances=points, **fields), (probe, idx)
