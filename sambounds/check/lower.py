"""Witness a lower bound: run its construction over a grid of constants and demand measured >= bound.

A lower bound states that some function of the class forces the quantity to at least its
value; the catalog ties each one to a construction (PAPER.md section 5 and section 3):

=======================  ==================================================  =====================
construction             function and starts                                 bounds
=======================  ==================================================  =====================
``L-SC``                 1-D, slope beta on |x| <= R, mu outside,             L-SC/limit, L-SC/floor,
                         R = LSC.cycle_radius at eta_max; SAM 2-cycle         SAM/quadratic/two-cycle
``L-NC``                 attracting SAM fixed point at -rho, parameter c;     L-NC
                         starts next to it
``L-S``                  two components, p and K = sqrt(p/(1-p)) sigma/       L-S
                         (beta rho); starts at x* = 0, replicas
``drori-teboulle``       Huber with delta = D/(2T + 1), scale beta, x_0 = D   GD/convex/...-tight
``gd-quadratic``         diag(mu, beta), x_0 = D e_1 and D e_2                GD/strongly-convex/...
``usam-quadratic``       beta x^2/2                                           USAM/quadratic
``L-SC-horizon``         L-SC (R = rho) from its far start, beta x^2/2 on     L-SC/horizon
                         the 2-cycle of each eta (:mod:`.horizon`)
=======================  ==================================================  =====================

A bound is **witnessed** when, at every grid point and every step size the bound allows, the
best run of its construction has measured >= bound - tol (for expectations, the one-sided lower
confidence bound of :mod:`.stats` must reach it).  It is **violated** when the construction
stays below at some grid point after convergence (a limit quantity is re-measured at T/2 and
must agree to 1e-6 relative; for expectations even the upper confidence bound is below), with a
witness; **inconclusive** when a limit had not converged or a confidence interval straddles the bound.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Callable

import numpy as np
import sympy as sp

from ..errors import InvalidParameterError
from ..functions import LSC
from ..setting import Algorithm
from ..theory.bound import Bound
from ..theory.terms import Kind, Quantity, StepKind
from .attack import Budget, budget as budget_for, step_limit
from .families import FamilySpec
from .horizon import horizon_probe
from .measure import LIMITS
from .probe import Probe, evaluate
from .report import Report, Verdict
from .upper import base_fields, order_only_report
from .witness import instance, make_witness

CONSTRUCTIONS = ("L-SC", "L-NC", "L-S", "drori-teboulle", "gd-quadratic", "usam-quadratic", "L-SC-horizon")
#: Relative agreement of a limit measured at T and at T/2 for it to count as converged.
CONVERGENCE_RTOL = 1e-6


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


def _param(bound: Bound, name: str, consts: dict) -> float | None:
    for sym, default in bound.parameters:
        if sym.name == name:
            subs = {s: consts[s.name] for s in default.free_symbols if s.name in consts}
            return float(sp.N(default.subs(subs)))
    return None


def _etas(bound: Bound, consts: dict) -> list[float]:
    beta = consts["beta"]
    kind = bound.step.kind
    if kind is StepKind.CONSTANT:
        lim = step_limit(bound, consts)
        if lim is None:
            return [x / beta for x in (0.1, 0.5, 1.0, 1.5, 1.95)]
        # a strict limit is approached but not reached: the contraction 1 - eta beta must stay < 1
        top = lim * (0.9 if bound.step.strict else 1.0)
        return [top, lim / 2, lim / 10]
    if kind is StepKind.EVERY_CONSTANT:
        return [x / beta for x in (0.05, 0.3, 1.0, 1.5)]
    if kind is StepKind.PRESCRIBED:
        return []
    raise InvalidParameterError("step", kind.value, "a constant, every-constant or prescribed step for a construction")


def construction_probes(bound: Bound, construction: str, size: Budget, seed: int) -> list[tuple[str, Probe]]:
    """The construction's probes over the grid (one probe per grid point; K = step sizes)."""
    if construction not in CONSTRUCTIONS:
        raise InvalidParameterError("construction", construction, f"one of {list(CONSTRUCTIONS)}")
    out = []
    rhos = [r for r in size.rhos if r > 0]
    for beta in size.betas:
        for kappa in size.kappas:
            mu = beta / kappa
            if construction == "L-SC":
                for rho in rhos:
                    consts = {"beta": beta, "mu": mu}
                    etas = _etas(bound, consts)
                    R = LSC.cycle_radius(beta=beta, rho=rho, eta=max(etas))
                    fam = FamilySpec("L-SC", {"beta": [beta], "mu": [mu], "R": [R]})
                    x0 = np.array([[[1e-3 * rho], [0.7 * R], [-3.0 * R]]])
                    out.append(_probe(fam, "sam", rho, size.limit_horizon, x0, etas, consts, seed,
                                      ("near 0", "inside |x| <= R", "in the mu region")))
            elif construction == "L-SC-horizon":
                for rho in rhos:
                    for Delta in (d for d in size.deltas if d >= beta * rho**2):
                        for T in size.horizons:
                            out.append(("L-SC-horizon", horizon_probe(beta=beta, mu=mu, rho=rho, Delta=Delta, T=T,
                                                                      seed=seed)))
            elif construction == "L-NC":
                if kappa != size.kappas[0]:
                    continue
                for rho in rhos:
                    consts = {"beta": beta}
                    c = _param(bound, "c", consts) or 0.99
                    fam = FamilySpec("L-NC", {"beta": [beta], "rho": [rho], "c": [c]})
                    off = 0.25 * min((1 - c) * rho / 2, c * rho)
                    x0 = np.array([[[-rho + off], [-rho - off]]])
                    out.append(_probe(fam, "sam", rho, size.limit_horizon, x0, _etas(bound, consts), consts, seed,
                                      ("-rho + offset", "-rho - offset")))
            elif construction == "L-S":
                if kappa != size.kappas[0]:
                    continue
                for rho in rhos:
                    p = _param(bound, "p", {"beta": beta}) or 0.1
                    for K in (2.0, 16.0):
                        # the bound reads K back from sigma: K = sqrt(p/(1-p)) sigma/(beta rho)
                        fam = FamilySpec("L-S", {"beta": [beta], "rho": [rho], "p": [p], "K": [K]})
                        consts = {"beta": beta, "mu": beta, "sigma": K * beta * rho * math.sqrt((1 - p) / p)}
                        etas = _etas(bound, consts)
                        R = 4 * size.replicas  # rare large components: many replicas
                        for alg in sorted(bound.algorithms, key=lambda a: a.value):
                            out.append((f"L-S K={K:g} ({alg.value})", Probe(
                                alg.value, rho, size.limit_horizon, fam, np.zeros((1, R, 1)),
                                _rows(etas, size.limit_horizon), consts, {}, tuple(f"eta = {e:.4g}" for e in etas),
                                ("x* = 0",), seed, R)))
            elif construction == "drori-teboulle":
                if kappa != size.kappas[0]:
                    continue
                for T in size.horizons:
                    Ds = (1.0, 3.0)
                    fam = FamilySpec("huber", {"center": [[0.0]] * 2, "delta": [D / (2 * T + 1) for D in Ds],
                                               "scale": [beta, beta]})
                    x0 = np.array([[[Ds[0]]], [[Ds[1]]]])
                    out.append(("Drori-Teboulle Huber", Probe("gd", 0.0, T, fam, x0, np.full((1, T), 1.0 / beta),
                                                               {"beta": beta}, {}, ("eta = 1/beta",), ("x0 = D",),
                                                               seed)))
            elif construction == "gd-quadratic":
                for T in size.horizons:
                    consts = {"beta": beta, "mu": mu}
                    fam = FamilySpec("quadratic", {"spectrum": [[mu, beta]]})
                    x0 = np.array([[[1.0, 0.0], [0.0, 1.0]]])
                    out.append(_probe(fam, "gd", 0.0, T, x0, _etas(bound, consts), consts, seed, ("D e_1", "D e_2")))
            elif construction == "usam-quadratic":
                if kappa != size.kappas[0]:
                    continue
                for rho in rhos:
                    for T in size.horizons:
                        consts = {"beta": beta, "mu": beta}
                        fam = FamilySpec("quadratic", {"spectrum": [[beta]]})
                        x0 = np.array([[[1.0], [-0.3]]])
                        out.append(_probe(fam, "usam", rho, T, x0, [0.1 / beta, 0.5 / beta], consts, seed,
                                          ("x0 = 1", "x0 = -0.3")))
    return out


def _rows(etas: list[float], T: int) -> np.ndarray:
    return np.repeat(np.asarray(etas, dtype=float)[:, None], T, axis=1)


def _probe(fam, alg, rho, T, x0, etas, consts, seed, labels) -> tuple[str, Probe]:
    return fam.name, Probe(alg, rho, T, fam, x0, _rows(etas, T), consts, {},
                           tuple(f"eta = {e:.4g}" for e in etas), labels, seed)


def _half(probe: Probe) -> Probe:
    T = max(1, probe.T // 2)
    return dataclasses.replace(probe, T=T, steps=probe.steps[:, :T])


def check_lower(bound: Bound, *, quick: bool = True, seed: int = 0, size: Budget | None = None,
                construction: str | None = None, rate: bool = True,
                progress: Callable[[str], None] | None = None) -> Report:
    """Run the bound's construction over the grid; witnessed / violated / inconclusive / not applicable.

    ``construction`` overrides the one inferred from the bound (:func:`construction_for`), e.g. for
    a user-registered lower bound.  ``paper`` (order-only) lower bounds get a rate check
    (:func:`.rates.check_order`).  (:func:`attack_lower` also returns the weakest instance.)
    """
    return attack_lower(bound, quick=quick, seed=seed, size=size, construction=construction, rate=rate,
                        progress=progress)[0]


def attack_lower(bound: Bound, *, quick: bool = True, seed: int = 0, size: Budget | None = None,
                 construction: str | None = None, rate: bool = True,
                 progress: Callable[[str], None] | None = None) -> tuple[Report, tuple | None]:
    """:func:`check_lower`, also returning (probe, index) of the weakest (or failing) instance."""
    order_report = order_only_report(bound, Kind.LOWER, quick=quick, seed=seed, progress=progress)
    if order_report is not None:
        return order_report, None
    size = size or budget_for(quick)
    fields = base_fields(bound)
    name = construction or construction_for(bound)
    if name is None:
        return Report(check="lower", verdict=Verdict.NOT_APPLICABLE,
                      evidence=("no construction for this quantity and algorithm; name one with construction=",),
                      **fields), None
    probes = construction_probes(bound, name, size, seed)
    weakest = None   # (ratio, probe, index, measured, value)
    failing = None
    unconverged = []
    undecided = []
    points = 0
    for label, probe in probes:
        if progress is not None:
            progress(f"{bound.name}: {label}, T={probe.T}, rho={probe.rho:g}")
        ev = evaluate(bound, probe.run())
        app = ev.applicable & (ev.value > 0)
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
    evidence = [f"construction {name}: {points} (grid point, step size) pairs, best run of each compared",
                "rounding slack 1e-12 (1 + |f(x_0)| + |f*|) + 1e-9 |bound|"]
    if bound.quantity in LIMITS:
        evidence.append(f"limits measured at T = {size.limit_horizon}, convergence checked against T/2 "
                        f"(relative {CONVERGENCE_RTOL:g})")
    if any(p.stochastic for _, p in probes):
        evidence.append("expectations: one-sided Student-t lower confidence bound (Bonferroni, family-wise 1e-3)")
    if weakest is None:
        return Report(check="lower", verdict=Verdict.NOT_APPLICABLE, evidence=tuple(evidence) + (
            "no grid point satisfied the bound's conditions with a positive value",), **fields), None
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
