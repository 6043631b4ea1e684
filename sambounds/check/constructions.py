"""The lower-bound constructions, what class each belongs to, and the probes that run them.

A lower bound "quantity >= value" for class C and algorithm A says: there is a function of C on
which A forces the quantity to at least the value.  A construction can witness it only if

1. its functions belong to C (:data:`CONSTRUCTIONS` records the smallest class of each; the
   built functions' declared constants are checked again when a probe runs), and obey the
   bound's restriction ("quadratic", "d = 1");
2. it is run with A itself -- every algorithm of the bound, never a stand-in (a construction
   designed for SAM run with USAM must reach the bound as USAM, or it witnesses nothing);
3. its noise model matches A (a stochastic construction for n-SAM / m-SAM, a deterministic one
   for SAM, USAM and GD);
4. its steps are the bound's: a constant grid up to the (exactly admitted) step limit, a grid
   of every constant, or the bound's prescribed rule.

:func:`refusal` says which of these fails, in one line; the lower check then reports "not
applicable" with that line, never "witnessed".

=======================  ==================================================  =================
construction             function and starts                                 smallest class
=======================  ==================================================  =================
``L-SC``                 1-D, slope beta on |x| <= R, mu outside,             strongly convex
                         R = LSC.cycle_radius at the largest step
``L-NC``                 attracting SAM fixed point at -rho, parameter c;     nonconvex
                         starts next to it
``L-S``                  two components, p and K = sqrt(p/(1-p)) sigma/       strongly convex,
                         (beta rho); starts at x* = 0, replicas               stochastic
``drori-teboulle``       Huber with delta = D/(2T + 1), scale beta, x_0 = D   convex
``gd-quadratic``         diag(mu, beta), x_0 = D e_1 and D e_2                strongly convex
``usam-quadratic``       beta x^2/2                                           strongly convex
``L-SC-horizon``         L-SC (R = rho) from its far start and beta x^2/2     strongly convex
                         on each eta's 2-cycle (:mod:`.horizon`)
=======================  ==================================================  =================
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..errors import InvalidParameterError
from ..functions import LSC
from ..setting import Algorithm, FunctionClass
from ..theory.bound import Bound
from ..theory.terms import StepKind
from .attack import Budget, prescribed_schedule, restriction_filter
from .families import FamilySpec
from .horizon import horizon_probe
from .probe import Probe


@dataclass(frozen=True)
class Construction:
    """A construction's class membership: the smallest class, noise, dimension, shape."""

    name: str
    function_class: FunctionClass
    stochastic: bool
    one_dimensional: bool
    quadratic: bool


CONSTRUCTIONS = {c.name: c for c in (
    Construction("L-SC", FunctionClass.STRONGLY_CONVEX, False, True, False),
    Construction("L-NC", FunctionClass.NONCONVEX, False, True, False),
    Construction("L-S", FunctionClass.STRONGLY_CONVEX, True, True, True),
    Construction("drori-teboulle", FunctionClass.CONVEX, False, True, False),
    Construction("gd-quadratic", FunctionClass.STRONGLY_CONVEX, False, False, True),
    Construction("usam-quadratic", FunctionClass.STRONGLY_CONVEX, False, True, True),
    Construction("L-SC-horizon", FunctionClass.STRONGLY_CONVEX, False, True, False),
)}

#: Step grids (in units of 1/beta) when the bound's step has no limit.
_FREE_GRID = (0.1, 0.5, 1.0, 1.5, 1.95)
_EVERY_GRID = (0.05, 0.3, 1.0, 1.5)


def get(name: str) -> Construction:
    if name not in CONSTRUCTIONS:
        raise InvalidParameterError("construction", name, f"one of {list(CONSTRUCTIONS)}")
    return CONSTRUCTIONS[name]


def refusal(bound: Bound, name: str) -> str | None:
    """Why construction ``name`` cannot witness ``bound`` (one line), or None when it may."""
    c = get(name)
    fc = bound.function_class
    if not fc.contains(c.function_class):
        return (f"construction {name} is {c.function_class.value}, outside the bound's class {fc.value}: "
                "its functions are not in the class the bound is stated for")
    dim1, quad = restriction_filter(bound)
    if quad and not c.quadratic:
        return f"the bound is restricted to quadratics and construction {name} is not a quadratic"
    if dim1 and not c.one_dimensional:
        return f"the bound is restricted to d = 1 and construction {name} is not one-dimensional"
    for alg in bound.algorithms:
        if alg.stochastic != c.stochastic:
            kind = "stochastic" if c.stochastic else "deterministic"
            return f"construction {name} is {kind}, and the bound's algorithm {alg.value} is not"
    if bound.step.kind not in (StepKind.CONSTANT, StepKind.EVERY_CONSTANT, StepKind.PRESCRIBED):
        return (f"a construction runs constant steps or a prescribed rule; the bound's step is "
                f"'{bound.step.describe()}'")
    return None


def step_rows(bound: Bound, constants: dict[str, float], rho: float, T: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """The steps the bound allows, as rows (K, T), and their labels.

    Constant with a limit: the limit itself (0.9 of it when strict: a contraction 1 - eta beta
    must stay < 1), half and a tenth of it, the top step admitted on the condition's own float
    path (:meth:`Bound.step_limit`).  Every constant or no limit: a grid in units of 1/beta.
    Prescribed: the rule computed for the construction's constants.

    Raises InvalidParameterError (one line) when a prescribed rule needs a value the construction
    does not fix (Delta), or when a bound's step is no constant or prescribed rule.
    """
    beta = constants["beta"]
    kind = bound.step.kind
    if kind is StepKind.CONSTANT:
        top = bound.step_limit(constants, margin=0.1 if bound.step.strict else 0.0)
        etas = [x / beta for x in _FREE_GRID] if top is None else [top, top / 2, top / 10]
    elif kind is StepKind.EVERY_CONSTANT:
        etas = [x / beta for x in _EVERY_GRID]
    elif kind is StepKind.PRESCRIBED:
        try:
            steps = prescribed_schedule(bound, constants, rho, T, None)
        except InvalidParameterError as exc:
            raise InvalidParameterError("step", bound.step.rule.name, "a prescribed rule a construction can run",
                                        f"the rule needs {exc.name}, which a construction does not fix") from None
        return np.asarray(steps, dtype=float)[None, :], (bound.step.rule.name,)
    else:
        raise InvalidParameterError("step", bound.step.describe(), "a constant, every-constant or prescribed step "
                                    "for a construction")
    rows = np.repeat(np.asarray(etas, dtype=float)[:, None], T, axis=1)
    return rows, tuple(f"eta = {e:.4g}" for e in etas)


def parameter(bound: Bound, name: str, constants: dict[str, float], default: float) -> float:
    """The bound's construction parameter ``name`` (its default formula), or ``default`` if it has none."""
    for sym, formula in bound.parameters:
        if sym.name == name:
            subs = {s: constants[s.name] for s in formula.free_symbols if s.name in constants}
            return float(sp.N(formula.subs(subs)))
    return default


def probes(bound: Bound, name: str, size: Budget, seed: int) -> list[tuple[str, Probe]]:
    """The construction's probes: one per (algorithm of the bound, grid point); K = step sizes.

    Every probe runs the bound's own algorithm (GD at rho = 0; the others at every rho > 0 of
    the grid).  Callers check :func:`refusal` first.
    """
    get(name)
    out: list[tuple[str, Probe]] = []
    positive = [r for r in size.rhos if r > 0]
    one_kappa = name in ("L-NC", "L-S", "drori-teboulle", "usam-quadratic")
    for alg in sorted(bound.algorithms, key=lambda a: a.value):
        rhos = [0.0] if alg is Algorithm.GD else positive
        for beta in size.betas:
            for kappa in size.kappas[:1] if one_kappa else size.kappas:
                for rho in rhos:
                    out.extend(point(bound, name, alg, beta, beta / kappa, rho, size, seed))
    return out


def point(bound: Bound, name: str, alg: Algorithm, beta: float, mu: float, rho: float, size: Budget,
          seed: int) -> list[tuple[str, Probe]]:
    """The construction's probes at one point of constants (one per horizon of ``size`` for finite T)."""
    a = alg.value
    if name == "L-SC-horizon":
        # its own grid of every constant eta (horizon.ETA_BETA); the class Delta is fixed, Delta > beta rho^2/2
        return [("L-SC-horizon", horizon_probe(beta=beta, mu=mu, rho=rho, Delta=Delta, T=T, seed=seed))
                for Delta in size.deltas if Delta >= beta * rho**2 for T in size.horizons]
    if name == "L-SC":
        consts = {"beta": beta, "mu": mu}
        T = size.limit_horizon
        rows, labels = step_rows(bound, consts, rho, T)
        top = float(rows.max())
        R = LSC.cycle_radius(beta=beta, rho=rho, eta=top) if rho > 0 else 1.0
        fam = FamilySpec("L-SC", {"beta": [beta], "mu": [mu], "R": [R]})
        x0 = np.array([[[1e-3 * max(rho, 1e-3)], [0.7 * R], [-3.0 * R]]])
        return [("L-SC", Probe(a, rho, T, fam, x0, rows, consts, {}, labels,
                               ("near 0", "inside |x| <= R", "in the mu region"), seed))]
    if name == "L-NC":
        consts = {"beta": beta}
        r = rho if rho > 0 else 0.1
        c = parameter(bound, "c", consts, 0.99)
        fam = FamilySpec("L-NC", {"beta": [beta], "rho": [r], "c": [c]})
        off = 0.25 * min((1 - c) * r / 2, c * r)
        T = size.limit_horizon
        rows, labels = step_rows(bound, consts, rho, T)
        x0 = np.array([[[-r + off], [-r - off]]])
        return [("L-NC", Probe(a, rho, T, fam, x0, rows, consts, {}, labels, ("-rho + offset", "-rho - offset"),
                               seed))]
    if name == "L-S":
        p = parameter(bound, "p", {"beta": beta}, 0.1)
        out = []
        for K in (2.0, 16.0):
            # the bound reads K back from sigma: K = sqrt(p/(1-p)) sigma/(beta rho)
            fam = FamilySpec("L-S", {"beta": [beta], "rho": [rho], "p": [p], "K": [K]})
            consts = {"beta": beta, "mu": beta, "sigma": K * beta * rho * math.sqrt((1 - p) / p)}
            T = size.limit_horizon
            rows, labels = step_rows(bound, consts, rho, T)
            R = 4 * size.replicas  # rare large components: many replicas
            out.append((f"L-S K={K:g} ({a})", Probe(a, rho, T, fam, np.zeros((1, R, 1)), rows, consts, {}, labels,
                                                    ("x* = 0",), seed, R)))
        return out
    out = []
    for T in size.horizons:
        if name == "drori-teboulle":
            Ds = (1.0, 3.0)
            fam = FamilySpec("huber", {"center": [[0.0]] * 2, "delta": [D / (2 * T + 1) for D in Ds],
                                       "scale": [beta, beta]})
            consts = {"beta": beta}
            rows, labels = step_rows(bound, consts, rho, T)
            out.append(("Drori-Teboulle Huber", Probe(a, rho, T, fam, np.array([[[Ds[0]]], [[Ds[1]]]]), rows,
                                                       consts, {}, labels, ("x0 = D",), seed)))
        elif name == "gd-quadratic":
            consts = {"beta": beta, "mu": mu}
            fam = FamilySpec("quadratic", {"spectrum": [[mu, beta]]})
            rows, labels = step_rows(bound, consts, rho, T)
            out.append(("gd-quadratic", Probe(a, rho, T, fam, np.array([[[1.0, 0.0], [0.0, 1.0]]]), rows, consts,
                                              {}, labels, ("D e_1", "D e_2"), seed)))
        else:  # usam-quadratic
            consts = {"beta": beta, "mu": beta}
            fam = FamilySpec("quadratic", {"spectrum": [[beta]]})
            if bound.step.kind is StepKind.CONSTANT and bound.step.limit is None:
                etas = [0.1 / beta, 0.5 / beta]
                rows = np.repeat(np.asarray(etas)[:, None], T, axis=1)
                labels = tuple(f"eta = {e:.4g}" for e in etas)
            else:
                rows, labels = step_rows(bound, consts, rho, T)
            out.append(("usam-quadratic", Probe(a, rho, T, fam, np.array([[[1.0], [-0.3]]]), rows, consts, {},
                                                labels, ("x0 = 1", "x0 = -0.3"), seed)))
    return out
