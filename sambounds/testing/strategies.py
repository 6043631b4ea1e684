"""Hypothesis strategies for SAM research CI: consistent constants, functions of a class, starts, schedules.

The building blocks compose into :func:`instances`, which draws a whole problem

    Instance = Setting (algorithm, class, constants, schedule, T) + a function of the class + starts

with the Setting's Delta = max_s f(x_0^s) - f* and D = max_s ||x_0^s - x*|| computed from the
drawn function and starts, so that every bound of the catalog for that Setting must hold on the
instance.  Example::

    from hypothesis import given
    from sambounds.testing import strategies as sst

    @given(sst.instances("sam", "nonconvex", T=(1, 30)))
    def test_lemma_n(inst):
        res = inst.run()
        assert (res.weighted_grad_sq_sum <= 2 * inst.setting.constants.Delta
                + inst.beta**2 * inst.rho**2 * res.steps.sum() + 1e-9).all()

Ranges are given as a number (fixed) or a ``(low, high)`` pair.  Inconsistent requests (mu above
every beta, an empty range, a family that is not in the class, an empty family list) raise
:class:`~sambounds.errors.InvalidParameterError` when the strategy is *built*, never later inside
a test.  Hypothesis shrinks towards the low end of each range, towards dimension 1, one start
at the origin, a constant step, and a family of the class that needs few draws (earlier families
in :data:`FAMILIES` first), so failing examples are small.  The horizon T is drawn before the rest,
so shrinking the other choices never changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st

from .. import _validate as v
from ..errors import IncompatibleSettingError, InvalidParameterError
from ..functions.base import Objective
from ..schedules import Constant, Cosine, FromArray, LinearDecay, Schedule, StepDecay, WarmupDecay
from ..setting import Algorithm, Constants, FunctionClass, Setting
from ..adversary.strategies import FAMILIES, Problem, Target, family_names, problems, resolve_families

SCHEDULE_KINDS = ("constant", "cosine", "linear", "step", "warmup", "array")
#: Non-constant schedules stay below this fraction of eta_max so that rounding inside the
#: schedule formula never lifts a step above the limit a bound's condition checks.
_CEILING = 1.0 - 1e-12


def _range(name: str, value: Any, *, low: float, high: float | None = None, low_open: bool = False) -> tuple[float, float]:
    """A validated closed interval [a, b] inside the parameter's domain."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise InvalidParameterError(name, value, "a number or a (low, high) pair")
        a = v.real(f"{name}[0]", value[0], low=low, high=high, low_open=low_open)
        b = v.real(f"{name}[1]", value[1], low=low, high=high, low_open=low_open)
        if a > b:
            raise InvalidParameterError(name, value, "a (low, high) pair with low <= high")
        return a, b
    x = v.real(name, value, low=low, high=high, low_open=low_open)
    return x, x


def _floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.just(lo) if lo == hi else st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def _int_range(name: str, value: Any, *, low: int = 1) -> tuple[int, int]:
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise InvalidParameterError(name, value, "an integer or a (low, high) pair")
        a, b = (v.positive_int(f"{name}[{i}]", x) for i, x in enumerate(value))
    else:
        a = b = v.positive_int(name, value)
    if a > b or a < low:
        raise InvalidParameterError(name, value, f"integers with {low} <= low <= high")
    return a, b


# ---- constants -----------------------------------------------------------------------------------

def constants(function_class: FunctionClass | str = "strongly-convex", algorithm: Algorithm | str = "sam", *,
              beta: Any = (0.5, 4.0), mu: Any = None, kappa: Any = (1.0, 100.0), rho: Any = (0.0, 0.5),
              sigma: Any = (0.0, 1.0), L: Any = (1.0, 10.0), Delta: Any = (0.0, 10.0),
              D: Any = None) -> st.SearchStrategy[Constants]:
    """Constants that fit the class and algorithm (as :class:`~sambounds.Setting` requires).

    Parameters
    ----------
    function_class, algorithm
        Decide which constants are drawn: mu only for strongly convex (as ``mu`` or via
        ``kappa = beta/mu``), L only for lipschitz-nonconvex, sigma only for n-SAM / m-SAM,
        rho for every algorithm but GD.
    beta, mu, kappa, rho, sigma, L, Delta, D
        A number or a ``(low, high)`` range.  ``mu`` (absolute) wins over ``kappa`` when given;
        its range must meet beta's: mu_low <= beta_high.  ``D=None`` leaves D out.
    """
    fc, alg = FunctionClass.parse(function_class), Algorithm.parse(algorithm)
    b_lo, b_hi = _range("beta", beta, low=0.0, low_open=True)
    mu_rng = kappa_rng = None
    if fc is FunctionClass.STRONGLY_CONVEX:
        if mu is not None:
            mu_rng = _range("mu", mu, low=0.0, low_open=True)
            if mu_rng[0] > b_hi:
                raise IncompatibleSettingError("mu", mu, f"values <= beta (beta <= {b_hi:g} here)",
                                               "mu cannot exceed the smoothness constant beta")
        else:
            kappa_rng = _range("kappa", kappa, low=1.0)
    elif mu not in (None, 0, 0.0):
        raise IncompatibleSettingError("mu", mu, f"absent for the {fc.value} class")
    rho_rng = None if alg is Algorithm.GD else _range("rho", rho, low=0.0)
    sigma_rng = _range("sigma", sigma, low=0.0) if alg.stochastic else None
    L_rng = _range("L", L, low=0.0, low_open=True) if fc is FunctionClass.LIPSCHITZ_NONCONVEX else None
    Delta_rng = None if Delta is None else _range("Delta", Delta, low=0.0)
    D_rng = None if D is None else _range("D", D, low=0.0)

    @st.composite
    def draw_constants(draw) -> Constants:
        mu_value = None
        if mu_rng is not None:
            b = draw(_floats(max(b_lo, mu_rng[0]), b_hi))
            mu_value = draw(_floats(mu_rng[0], min(mu_rng[1], b)))
        else:
            b = draw(_floats(b_lo, b_hi))
            if kappa_rng is not None:
                mu_value = b / draw(_floats(*kappa_rng))
        if fc is FunctionClass.CONVEX:
            mu_value = None
        pick = (lambda r: None if r is None else draw(_floats(*r)))
        return Constants(beta=b, mu=mu_value, rho=pick(rho_rng), L=pick(L_rng), sigma=pick(sigma_rng),
                         Delta=pick(Delta_rng), D=pick(D_rng))

    return draw_constants()


# ---- schedules -----------------------------------------------------------------------------------

def schedules(T: int, eta_max: float, kinds: Any = None) -> st.SearchStrategy[Schedule]:
    """Step-size schedules for horizon T with every step eta_t in (0, eta_max].

    ``kinds`` is a subset of :data:`SCHEDULE_KINDS` (default: all; ``warmup`` needs T >= 2 and
    ``array`` T <= 500).  Constant steps may equal eta_max exactly (bounds are often tight
    there); the others stay below eta_max (1 - 1e-12) so that rounding inside their formulas
    cannot exceed it.
    """
    T = v.positive_int("T", T)
    eta_max = v.positive("eta_max", eta_max)
    kinds = _kinds(kinds, T)
    top = eta_max * _CEILING
    frac = st.floats(0.05, 1.0, allow_nan=False)
    options = {
        "constant": frac.map(lambda u: Constant(eta_max * u)),
        "cosine": st.builds(lambda u, w: Cosine(top * u, top * u * w), frac, st.floats(0.0, 1.0)),
        "linear": st.builds(lambda u, w: LinearDecay(top * u, top * u * w), frac, st.floats(0.0, 1.0)),
        "step": st.builds(lambda u, g, e: StepDecay(top * u, g, e), frac, st.floats(0.1, 0.9),
                          st.integers(1, T)),
        "warmup": st.builds(lambda u, w, dec, lo: WarmupDecay(top * u, w, dec, top * u * lo), frac,
                            st.integers(0, max(T - 1, 0)), st.sampled_from(("cosine", "linear")),
                            st.floats(0.0, 1.0)),
        "array": st.lists(st.floats(0.01, 1.0, allow_nan=False), min_size=T, max_size=T).map(
            lambda us: FromArray([top * u for u in us])),
    }
    return st.one_of(*(options[k] for k in kinds))


def _kinds(kinds: Any, T: int) -> tuple[str, ...]:
    if kinds is None:
        return tuple(k for k in SCHEDULE_KINDS if not (k == "warmup" and T < 2) and not (k == "array" and T > 500))
    kinds = v.subset("kinds", kinds, SCHEDULE_KINDS)
    if "warmup" in kinds and T < 2:
        raise InvalidParameterError("kinds", "warmup", f"a kind usable at T = {T}", "warm-up needs T >= 2")
    return kinds


# ---- functions and starts ------------------------------------------------------------------------

def functions(function_class: FunctionClass | str, *, beta: float, mu: float | None = None,
              L: float | None = None, rho: float | None = None, sigma: float | None = None,
              dim: Any = (1, 3), families: Any = None, stochastic: bool = False) -> st.SearchStrategy[Problem]:
    """Functions of a class whose declared constants fit the given ones (see :mod:`.families`).

    ``families`` restricts the draw to names of :data:`~sambounds.testing.families.FAMILIES`;
    by default every family of the class whose needs the constants meet (L-NC needs rho > 0,
    L-SC needs mu > 0, ...).  ``stochastic=True`` draws finite sums for n-SAM / m-SAM.
    """
    fc = FunctionClass.parse(function_class)
    target = _target(fc, beta=beta, mu=mu, L=L, rho=rho, sigma=sigma, stochastic=stochastic)
    dims = _int_range("dim", dim)
    names = resolve_families(fc, target, families, stochastic=stochastic)
    return problems(target, names, dims)


def _target(fc: FunctionClass, *, beta, mu, L, rho, sigma, stochastic: bool) -> Target:
    beta = v.positive("beta", beta)
    if fc is FunctionClass.STRONGLY_CONVEX:
        if mu is None:
            raise IncompatibleSettingError("mu", None, "a value", "the strongly-convex class needs mu")
        mu = v.real("mu", mu, low=0.0, high=beta, low_open=True,
                    allowed=f"a finite number in (0, beta] = (0, {beta:g}]")
    elif fc is FunctionClass.CONVEX:
        if mu not in (None, 0, 0.0):
            raise IncompatibleSettingError("mu", mu, "absent or 0 for the convex class")
        mu = 0.0
    elif mu is not None:
        raise IncompatibleSettingError("mu", mu, f"absent for the {fc.value} class")
    if fc is FunctionClass.LIPSCHITZ_NONCONVEX:
        if L is None:
            raise IncompatibleSettingError("L", None, "a value", "the lipschitz-nonconvex class needs L")
        L = v.positive("L", L)
    elif L is not None:
        L = v.positive("L", L)
    rho = None if rho is None else v.nonnegative("rho", rho)
    if stochastic and sigma is None:
        raise IncompatibleSettingError("sigma", None, "a value", "stochastic functions need the noise level sigma")
    sigma = None if sigma is None else v.nonnegative("sigma", sigma)
    return Target(beta=beta, mu=mu, L=L, rho=rho, sigma=sigma)


def starting_points(dim: int, *, scale: float = 2.0, count: Any = (1, 3)) -> st.SearchStrategy[np.ndarray]:
    """Starts as an (S, d) array with entries in [-scale, scale] (shrinking towards 0 and S = 1)."""
    d = v.positive_int("dim", dim)
    scale = v.positive("scale", scale)
    lo, hi = _int_range("count", count)
    entry = st.floats(-scale, scale, allow_nan=False, width=32)
    return st.integers(lo, hi).flatmap(
        lambda S: st.lists(st.lists(entry, min_size=d, max_size=d), min_size=S, max_size=S)).map(
        lambda rows: _readonly(np.array(rows, dtype=np.float64)))


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


# ---- whole instances ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Instance:
    """A Setting, a function of its class, and starting points, consistent with each other.

    ``setting.constants.Delta`` = max over starts of f(x_0) - f* (None when f* is unknown) and
    ``setting.constants.D`` = max ||x_0 - x*|| (None when x* is unknown); the other constants are
    the drawn ones, which the function's declared constants fit.
    """

    setting: Setting = field(repr=False)
    problem: Problem
    x0: np.ndarray = field(repr=False)

    @property
    def function(self) -> Objective:
        return self.problem.function

    @property
    def beta(self) -> float:
        return self.setting.constants.beta

    @property
    def rho(self) -> float:
        return self.setting.rho

    def run(self, **kwargs: Any):
        """``sambounds.simulate(self.setting, self.function, self.x0, **kwargs)``."""
        from ..sim.api import simulate

        return simulate(self.setting, self.function, self.x0, **kwargs)

    def __repr__(self) -> str:
        s = self.setting
        consts = ", ".join(f"{k}={x!r}" for k, x in s.constants.as_dict().items())
        sched = _schedule_text(s.schedule)
        return (f"Instance({s.algorithm.value}, {s.function_class.value}, {consts}, T={s.T}, "
                f"schedule={sched}, function={self.problem!r}, x0={self.x0.tolist()!r})")

    def _repr_pretty_(self, printer, cycle) -> None:  # what hypothesis prints for a failing example
        printer.text(repr(self))


def _schedule_text(schedule: Schedule | None) -> str:
    """Exact parameters (round-trip floats) so a printed counterexample can be rebuilt; arrays summarised."""
    if schedule is None:
        return "none"
    data = schedule.to_dict()
    if any(isinstance(x, list) for x in data.values()):
        return schedule.describe()
    return f"{data.pop('name')}(" + ", ".join(f"{k}={x!r}" for k, x in data.items()) + ")"


def instances(algorithm: Algorithm | str = "sam", function_class: FunctionClass | str = "strongly-convex", *,
              T: Any = (1, 50), beta: Any = (0.5, 4.0), mu: Any = None, kappa: Any = (1.0, 100.0),
              rho: Any = (0.0, 0.5), sigma: Any = (0.0, 1.0), L: Any = (1.0, 10.0), dim: Any = (1, 3),
              starts: Any = (1, 3), x0_scale: float = 2.0, step: float = 1.0, schedule_kinds: Any = None,
              families: Any = None) -> st.SearchStrategy[Instance]:
    """Whole problems: constants, a function of the class fitting them, starts, and a schedule.

    Parameters
    ----------
    step : float
        Every step satisfies eta_t <= step / beta (1.0: the eta_t <= 1/beta of most theorems).
    schedule_kinds : subset of :data:`SCHEDULE_KINDS`, optional
        Restrict the schedules (default: all that fit T).
    families : names of :data:`~sambounds.testing.families.FAMILIES`, optional
        Restrict the functions (checked against the class; stochastic algorithms use the
        stochastic families).
    Other parameters are as in :func:`constants` and :func:`starting_points`.
    """
    fc, alg = FunctionClass.parse(function_class), Algorithm.parse(algorithm)
    consts = constants(fc, alg, beta=beta, mu=mu, kappa=kappa, rho=rho, sigma=sigma, L=L, Delta=None)
    T_rng = _int_range("T", T)
    dims = _int_range("dim", dim)
    count = _int_range("starts", starts)
    x0_scale = v.positive("x0_scale", x0_scale)
    step = v.positive("step", step)
    if schedule_kinds is not None:
        _kinds(schedule_kinds, T_rng[1])
    _check_families_possible(fc, alg, families, rho=rho, sigma=sigma)

    @st.composite
    def draw_instance(draw) -> Instance:
        # T is drawn first: a test's claim is often about the horizon alone, and a choice drawn
        # before the others keeps its value while the shrinker simplifies everything after it
        # (the family, the dimension, the starts); drawn last, T would be re-read from shifted
        # choices whenever the family changes, and shrinking could stop at a later family.
        T_value = draw(st.integers(*T_rng))
        c = draw(consts)
        target = Target(beta=c.beta, mu=c.mu if fc is FunctionClass.STRONGLY_CONVEX else None, L=c.L,
                        rho=c.rho, sigma=c.sigma)
        if fc is FunctionClass.CONVEX:
            target = Target(beta=c.beta, mu=0.0, L=c.L, rho=c.rho, sigma=c.sigma)
        names = resolve_families(fc, target, families, stochastic=alg.stochastic)
        problem = draw(problems(target, names, dims))
        f = problem.function
        x0 = draw(starting_points(f.dim, scale=x0_scale, count=count))
        kinds = None if schedule_kinds is None else tuple(k for k in _as_tuple(schedule_kinds)
                                                          if not (k == "warmup" and T_value < 2)) or ("constant",)
        sched = draw(schedules(T_value, step / c.beta, kinds))
        setting = Setting(alg, fc, c.replace(**_start_constants(f, x0)), T_value, sched)
        return Instance(setting, problem, x0)

    return draw_instance()


def _as_tuple(x: Any) -> tuple:
    return (x,) if isinstance(x, str) else tuple(x)


def _check_families_possible(fc: FunctionClass, alg: Algorithm, families: Any, *, rho: Any, sigma: Any) -> None:
    """Fail at build time when no family can ever be drawn (e.g. n-SAM with sigma fixed at 0)."""
    names = family_names(fc, stochastic=alg.stochastic)
    if families is not None:
        resolve_families(fc, Target(beta=1.0, mu=0.5 if fc is FunctionClass.STRONGLY_CONVEX else 0.0,
                                    L=1.0, rho=1.0, sigma=1.0), families, stochastic=alg.stochastic)
        names = _as_tuple(families)
    if not names:
        raise IncompatibleSettingError("algorithm", alg.value, "an algorithm with families for the "
                                       f"{fc.value} class")
    rho_hi = 0.0 if alg is Algorithm.GD else _range("rho", rho, low=0.0)[1]
    sigma_hi = _range("sigma", sigma, low=0.0)[1] if alg.stochastic else None
    probe = Target(beta=1.0, mu=0.5, L=1.0, rho=rho_hi, sigma=sigma_hi)
    if all(FAMILIES[n].needs(probe) is not None for n in names):
        needs = sorted({FAMILIES[n].needs(probe) for n in names})
        no_noise = sigma_hi is not None and sigma_hi == 0   # then sigma is what no family can do without
        raise IncompatibleSettingError("sigma" if no_noise else "rho", sigma if no_noise else rho,
                                       " or ".join(needs), f"no family of {fc.value} for {alg.value} "
                                       "can be drawn otherwise")


def _start_constants(f: Objective, x0: np.ndarray) -> dict[str, float | None]:
    """Delta = max_s f(x0_s) - f*, D = max_s ||x0_s - x*|| for a batch of one function."""
    pts = x0[None, :, :]
    Delta = D = None
    if f.f_star is not None:
        gaps = np.asarray(f.value(pts))[0] - f.f_star[0]
        Delta = max(float(gaps.max()), 0.0)
    if f.x_star is not None:
        D = float(np.sqrt(((x0 - f.x_star[0]) ** 2).sum(axis=-1)).max())
    return {"Delta": Delta, "D": D}


def settings(algorithm: Algorithm | str = "sam", function_class: FunctionClass | str = "strongly-convex", *,
             T: Any = (1, 100), step: float = 1.0, schedule_kinds: Any = None, **ranges: Any) -> st.SearchStrategy[Setting]:
    """Settings with a schedule (eta_t <= step/beta) and constants from :func:`constants` (``**ranges``)."""
    consts = constants(function_class, algorithm, **ranges)
    T_rng = _int_range("T", T)
    step = v.positive("step", step)
    if schedule_kinds is not None:
        _kinds(schedule_kinds, T_rng[1])

    @st.composite
    def draw_setting(draw) -> Setting:
        T_value = draw(st.integers(*T_rng))   # first, as in instances(): shrinking keeps T aligned
        c = draw(consts)
        kinds = None if schedule_kinds is None else tuple(k for k in _as_tuple(schedule_kinds)
                                                          if not (k == "warmup" and T_value < 2)) or ("constant",)
        return Setting(algorithm, function_class, c, T_value, draw(schedules(T_value, step / c.beta, kinds)))

    return draw_setting()


__all__ = ["constants", "schedules", "functions", "starting_points", "instances", "settings", "Instance",
           "Problem", "SCHEDULE_KINDS", "FAMILIES"]
