"""Rate and floor checks: log-log slopes with confidence intervals, compared with order forms.

Fit.  For a sweep v_1 < ... < v_n of one variable (T, eta or rho) and measured values m_i > 0,
ordinary least squares of log m on log v gives the slope b with standard error
se = sqrt(sum r_i^2 / (n - 2) / sum (log v_i - mean)^2); the two-sided ``level`` interval is
b -+ t_{(1+level)/2, n-2} se (t quantile as in :mod:`.stats`).

Expected slope.  The bound's order shape (``bound.order.shape``) is evaluated on the same sweep
with the instance's constants and fitted the same way.  For tilde orders (O~, Theta~) the
measured values are first divided by the bound's log factor bound / shape, so that, e.g., Theorem
A's prescribed step shows its T^(-2) ("about -2 after removing the log factor").

Consistency (tolerance TOL = 0.3 on the slope, for log factors and pre-asymptotic curvature):

- upper bound, shape decreasing in v: the measured must not decay slower: low <= expected + TOL;
  shape increasing in v (a floor in rho or eta): it must vanish at least as fast as v -> 0:
  high >= expected - TOL;
- lower bound: the mirror images (the construction must not decay faster than the shape);
- ``o(1)`` (a claim of convergence with no floor): the slope in T must be significantly
  negative: high < 0.

``paper`` entries (order only) get only this check, on an instance of the matching derived
bound or construction (:func:`check_order`): never a numeric verdict.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Callable

import numpy as np
import sympy as sp

from ..errors import InvalidParameterError
from ..setting import Algorithm, FunctionClass
from ..theory.bound import Bound, compiled
from ..theory.terms import Kind, Quantity, StepKind
from ..adversary.families import FamilySpec
from ..adversary.menu import Budget, budget as budget_for, prescribed_schedule, schedules
from .measure import LIMITS
from .probe import Probe, bound_inputs, evaluate
from .report import Report, SlopeFit, Verdict
from .stats import t_quantile

TOL = 0.3
LEVEL = 0.95


def fit_loglog(x, y, level: float = LEVEL) -> tuple[float, float, float]:
    """(slope, low, high) of log y against log x with a two-sided ``level`` t interval (n >= 3)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lx, ly = np.log(np.asarray(x, dtype=float)), np.log(np.asarray(y, dtype=float))
    n = lx.size
    if n < 3 or not (np.isfinite(lx).all() and np.isfinite(ly).all()):
        raise InvalidParameterError("sweep", n, "at least 3 points with finite, positive values")
    xc = lx - lx.mean()
    sxx = float(xc @ xc)
    b = float(xc @ (ly - ly.mean())) / sxx
    resid = ly - ly.mean() - b * xc
    se = math.sqrt(float(resid @ resid) / (n - 2) / sxx)
    half = t_quantile(0.5 + level / 2, n - 2) * se
    return b, b - half, b + half


def consistent(kind: Kind, symbol: str, expected: float, low: float, high: float) -> bool:
    """The consistency rule of the module docstring."""
    if symbol == "o":
        return high < 0
    decreasing = expected < 0
    if kind is Kind.UPPER:
        return low <= expected + TOL if decreasing else high >= expected - TOL
    return high >= expected - TOL if decreasing else low <= expected + TOL


def _shape_values(bound: Bound, shape: sp.Basic, values: list[dict]) -> np.ndarray:
    out = []
    for vals in values:
        env = bound.resolve(vals)
        env.update({s: np.asarray(vals[s.name], dtype=float) for s in shape.free_symbols
                    if s not in env and s.name in vals})
        args = tuple(sorted(shape.free_symbols, key=lambda s: s.name))
        with np.errstate(all="ignore"):
            out.append(float(np.asarray(compiled(shape, args)(*(env[a] for a in args)), dtype=float)))
    return np.array(out)


def _at(values: dict, index: tuple) -> dict:
    """The per-run inputs of one run: arrays broadcastable to the batch are indexed at ``index``."""
    out = {}
    for k, v in values.items():
        if np.ndim(v) == 0:
            out[k] = v
        else:
            # size-1 axes broadcast: index them at 0
            out[k] = np.asarray(v)[tuple(i if n > 1 else 0 for i, n in zip(index, np.shape(v)))]
    return out


def _reshaped(probe: Probe, bound: Bound, variable: str, factor: float, index: tuple, seed: int) -> Probe:
    """The probe with T, eta or rho multiplied by ``factor`` (schedules and constructions rebuilt)."""
    k = index[2]
    if variable == "T":
        T = max(2, int(round(probe.T * factor)))
        row = probe.steps[k]
        if bound.step.kind is StepKind.PRESCRIBED:  # the rule depends on T: recompute it
            steps = prescribed_schedule(bound, dict(probe.constants), probe.rho, T, probe.fixed.get("Delta"))[None, :]
        elif np.all(row == row[0]):
            steps = np.full((1, T), row[0])
        else:
            steps = schedules(bound, dict(probe.constants), T, np.random.default_rng(seed))[0][0][k:k + 1]
        return dataclasses.replace(probe, T=T, steps=steps, schedule_labels=(probe.schedule_labels[k],))
    if variable == "eta":
        # smaller steps need proportionally more of them to reach the same limit (at most 8x)
        T = int(probe.T * min(8.0, max(1.0, 1.0 / factor))) if bound.quantity in LIMITS else probe.T
        return dataclasses.replace(probe, T=T, steps=np.full((1, T), probe.steps[k, 0] * factor),
                                   schedule_labels=(probe.schedule_labels[k],))
    params = dict(probe.family.params)
    scaled = any(n in params for n in ("rho", "R"))
    for n in ("rho", "R"):
        if n in params:
            params[n] = [x * factor for x in params[n]]
    x0 = probe.x0 * factor if scaled else probe.x0
    consts = dict(probe.constants)
    if "sigma" in consts and probe.family.name == "L-S":
        consts["sigma"] *= factor  # L-S noise B = K beta rho scales with rho
    return dataclasses.replace(probe, rho=probe.rho * factor, family=FamilySpec(probe.family.name, params), x0=x0,
                               constants=consts, steps=probe.steps[k:k + 1],
                               schedule_labels=(probe.schedule_labels[k],))


def _sweep(bound: Bound, probe: Probe, index: tuple, variable: str, factors, seed: int,
           normalizer: Bound | None) -> tuple[np.ndarray, np.ndarray, list[dict], tuple]:
    """The variable's values, measured values at ``index`` (log factor removed for tilde orders), the
    inputs used, and (raw measured values, bound values) for plots."""
    xs, ms, vals, bs, raw = [], [], [], [], []
    f, s0, _ = index
    ev_bound = normalizer or bound  # the explicit bound whose step rule and instance are swept
    for fac in factors:
        p = _reshaped(probe, ev_bound, variable, fac, index, seed)
        run = p.run()
        ev = evaluate(ev_bound, run)
        m = float(ev.measured[f, s0, 0])
        raw.append(m)
        if normalizer is not None and normalizer.order.symbol.endswith("~"):
            values = _at(bound_inputs(normalizer, run), (f, s0 * p.replicas, 0))
            shape = _shape_values(normalizer, normalizer.order.shape, [values])[0]
            m *= shape / float(ev.value[f, s0, 0])
        xs.append({"T": p.T, "eta": float(p.steps[0, 0]), "rho": p.rho}[variable])
        ms.append(m)
        bs.append(float(ev.value[f, s0, 0]) if ev_bound.explicit else float("nan"))
        vals.append(_at(bound_inputs(ev_bound, run), (f, s0 * p.replicas, 0)))
    return np.array(xs, dtype=float), np.array(ms), vals, (tuple(raw), tuple(bs))


def _variable(bound: Bound, probe: Probe, index: tuple) -> str | None:
    names = {s.name for s in bound.order.shape.free_symbols}
    constant = bool(np.all(probe.steps[index[2]] == probe.steps[index[2], 0]))
    if "T" in names and bound.quantity not in (Quantity.LIM_GAP, Quantity.LIM_GRAD_AVG, Quantity.LIMINF_E_GAP):
        return "T"
    if "eta" in names and constant:
        return "eta"
    if "rho" in names and probe.rho > 0:
        return "rho"
    return None


def rate_of_instance(bound: Bound, probe: Probe, index: tuple, size: Budget, *, seed: int = 0,
                     variable: str | None = None, normalizer: Bound | None = None, shape: sp.Basic | None = None,
                     progress: Callable[[str], None] | None = None) -> SlopeFit | None:
    """Fit the slope of the bound's quantity on one instance along a sweep; None when no variable applies."""
    variable = variable or _variable(bound, probe, index)
    if variable is None:
        return None
    if variable == "T":  # start at the largest horizon: the asymptotic regime, not the transient
        factors = tuple(max(1.0, size.sweep_base / probe.T) * x for x in size.sweep)
    else:
        factors = tuple(1.0 / x for x in size.sweep)
    if progress is not None:
        progress(f"{bound.name}: rate in {variable}")
    norm = normalizer if normalizer is not None else (bound if bound.explicit else None)
    xs, ms, vals, bvals = _sweep(bound, probe, index, variable, factors, seed, norm)
    if not (np.all(ms > 0) and np.all(np.isfinite(ms))):
        return None
    order_shape = bound.order.shape if shape is None else shape
    ref = norm or bound
    expected_vals = _shape_values(ref, order_shape, vals) if order_shape.free_symbols else np.ones(len(xs))
    if not (np.all(expected_vals > 0) and np.all(np.isfinite(expected_vals))):
        return None
    expected = fit_loglog(xs, expected_vals)[0]
    try:
        slope, low, high = fit_loglog(xs, ms)
    except InvalidParameterError:
        return None
    ok = consistent(bound.kind, bound.order.symbol, expected, low, high)
    note = "log factor removed" if norm is not None and norm.order.symbol.endswith("~") else ""
    raw, bvals_ = np.array(bvals[0]), np.array(bvals[1])
    if bound.explicit and bound.kind is Kind.UPPER and np.all(raw < 0.1 * bvals_):
        # an instance far below an upper bound cannot contradict its rate
        ok, note = True, (note + "; " if note else "") + "below 0.1x the bound: rate not constraining"
    if bound.order.symbol == "o":
        note = "o(1): slope must be < 0"
    return SlopeFit(variable, slope, low, high, expected, len(xs), LEVEL, ok, note, tuple(xs.tolist()),
                    bvals[0], bvals[1])


# ---- order-only (paper) entries -----------------------------------------------------------------------
def _companion(bound: Bound, quantity: Quantity | None = None) -> Bound | None:
    """The explicit catalog entry whose instances test a paper claim (same kind, quantity and algorithm)."""
    from ..theory.catalog import catalog

    quantity = quantity or bound.quantity
    best = None
    for b in catalog:
        if not b.explicit or b.kind is not bound.kind or b.quantity is not quantity:
            continue
        if not (b.algorithms & bound.algorithms):
            continue
        if not (b.function_class is bound.function_class or b.function_class.contains(bound.function_class)):
            continue
        rank = (b.function_class is bound.function_class, b.step.kind is StepKind.PRESCRIBED)
        if best is None or rank > best[0]:
            best = (rank, b)
    return None if best is None else best[1]


def check_order(bound: Bound, *, quick: bool = True, seed: int = 0, size: Budget | None = None,
                progress: Callable[[str], None] | None = None) -> Report:
    """Rate check of an order-only claim against its order form (never a numeric verdict)."""
    from .upper import base_fields

    size = size or budget_for(quick)
    fields = base_fields(bound)
    shape = bound.order.shape
    names = {s.name for s in shape.free_symbols}
    evidence = [f"order-only ({bound.order}): rate checked, no numeric verdict",
                f"log-log least squares, {int(LEVEL * 100)}% t interval, slope tolerance {TOL}"]
    if bound.kind is Kind.LOWER and "T" in names:
        fit = _best_step_rate(bound, size, seed, progress)
        evidence.append("L-SC with the best of 12 constant steps at each T (a lower bound in T must hold for "
                        "every step size)")
        return _order_report(bound, fit, evidence, fields)
    companion = _companion(bound)
    if companion is None:
        return Report(check="rate", verdict=Verdict.NOT_APPLICABLE,
                      evidence=tuple(evidence) + ("no explicit entry or construction to measure",), **fields)
    if bound.order.symbol == "o" and bound.quantity is Quantity.GRAD_MIN:
        # min_t G_t^2 <= (1/T) sum_t G_t^2: an average that vanishes shows that the minimum has no floor, and
        # unlike the minimum it does not depend on where a transient happens to pass the optimum
        companion = _companion(bound, Quantity.GRAD_AVG) or companion
    if (bound.order.symbol == "o" or "T" in names) and companion.step.kind is StepKind.PRESCRIBED:
        probe = _two_cycle_probe(companion, size, seed)
        evidence.append(f"SAM with the step rule of {companion.name} on beta x^2/2 (its 2-cycle is SAM's largest "
                        f"neighbourhood) from f(x_0) - f* = 0.01, rho = {probe.rho:g}; measured: "
                        f"{companion.quantity.label}")
        fit = rate_of_instance(bound, probe, (0, 0, 0), size, seed=seed, variable="T", normalizer=companion,
                               progress=progress)
        return _order_report(bound, fit, evidence, fields)
    if companion.kind is Kind.LOWER:
        from .lower import attack_lower

        rep, worst = attack_lower(companion, size=size, seed=seed, rate=False, progress=progress)
    else:
        from .upper import attack_upper

        rho_floor = "rho" in names and "T" not in names
        rep, w = attack_upper(companion, size=size, seed=seed, rate=False, progress=progress,
                              families=("L-S", "L-NC") if rho_floor else None,
                              rhos=tuple(r for r in size.rhos if r > 0) if rho_floor or bound.order.symbol == "o"
                              else None)
        worst = None if w is None else (w.probe, w.index)
    evidence.append(f"measured on the worst instance of {companion.name} ({rep.verdict.value})")
    if worst is None:
        return Report(check="rate", verdict=Verdict.INCONCLUSIVE, evidence=tuple(evidence), **fields)
    probe, index = worst
    variable = "T" if (bound.order.symbol == "o" or "T" in names) else "rho"
    fit = rate_of_instance(bound, probe, index, size, seed=seed, variable=variable, normalizer=companion,
                           shape=shape if shape.free_symbols else None, progress=progress)
    return _order_report(bound, fit, evidence, fields)


def _two_cycle_probe(companion: Bound, size: Budget, seed: int) -> Probe:
    beta, rho, Delta, T = 1.0, max(size.rhos), 0.01, size.sweep_base
    consts = {"beta": beta}
    if companion.function_class is FunctionClass.STRONGLY_CONVEX:
        consts["mu"] = beta / size.kappas[0]
    steps = prescribed_schedule(companion, consts, rho, T, Delta)[None, :]
    return Probe(Algorithm.SAM.value, rho, T, FamilySpec("quadratic", {"spectrum": [[beta]]}),
                 np.array([[[np.sqrt(2 * Delta / beta)]]]), steps, consts, {"Delta": Delta},
                 (companion.step.rule.name,), ("Delta = 0.01",), seed)


def _order_report(bound: Bound, fit: SlopeFit | None, evidence: list, fields: dict) -> Report:
    if fit is None:
        return Report(check="rate", verdict=Verdict.INCONCLUSIVE, evidence=tuple(evidence) + ("no usable sweep",),
                      **fields)
    return Report(check="rate", verdict=Verdict.HOLDS if fit.consistent else Verdict.VIOLATED, slope=fit,
                  evidence=tuple(evidence), instances=fit.points, **fields)


def _best_step_rate(bound: Bound, size: Budget, seed: int, progress) -> SlopeFit | None:
    """min over constant steps of f(x_T) - f* on L-SC, as a function of T (the Omega(1/T^2) mechanism)."""
    beta, kappa, rho = size.betas[0], size.kappas[-1], max(size.rhos)
    mu = beta / kappa
    etas = np.geomspace(1e-3, 1.0, 12) / beta
    R = 2.2 * rho
    fam = FamilySpec("L-SC", {"beta": [beta], "mu": [mu], "R": [R]})
    x0 = np.array([[[10.0 * R]]])
    xs, ms = [], []
    for fac in size.sweep:
        T = size.horizons[-1] * fac
        if progress is not None:
            progress(f"{bound.name}: best constant step at T={T}")
        p = Probe(Algorithm.SAM.value, rho, T, fam, x0, np.repeat(etas[:, None], T, axis=1), {"beta": beta, "mu": mu},
                  {}, (), ("far in the mu region",), seed)
        run = p.run()
        gap = run.result.value_final[0, 0] - float(run.f_star[0])
        xs.append(T)
        ms.append(float(np.min(gap)))
    xs, ms = np.array(xs, float), np.array(ms)
    if not np.all(ms > 0):
        return None
    slope, low, high = fit_loglog(xs, ms)
    expected = -2.0
    return SlopeFit("T", slope, low, high, expected, len(xs), LEVEL,
                    consistent(Kind.LOWER, bound.order.symbol, expected, low, high), "best of 12 constant steps",
                    tuple(xs.tolist()), tuple(ms.tolist()))
