"""Assertions for research test suites: a run respects an upper bound, a construction witnesses a lower one.

    from sambounds.testing import assert_respects, assert_witnessed, simulate_run

    run = simulate_run(setting, FamilySpec("L-SC", {...}), x0)   # or the plugin's sam_simulate fixture
    assert_respects("D-SC/weak/schedule", run)                   # upper bound: measured <= bound
    assert_witnessed("L-SC/limit", run)                          # lower bound: some run reaches it

Semantics are those of the checkers (:mod:`sambounds.check`), so a test and ``sambounds report``
never disagree:

1. the bound (a :class:`~sambounds.theory.bound.Bound` or a catalog name) must be about the run's
   Setting, as :func:`sambounds.query` judges it (algorithm, class, step-size assumption,
   conditions); otherwise the assertion raises :class:`~sambounds.errors.InvalidParameterError`
   saying why: a bound that does not apply is an error, never a silent pass;
2. the run is evaluated per (function, start, schedule) by :func:`sambounds.check.probe.evaluate`:
   the Setting's class constants (beta, mu, L, sigma), the run's own Delta = f(x_0) - f* and
   D = ||x_0 - x*||, the schedule's functionals, the rounding slack of
   :mod:`sambounds.check.measure`, and for expectations a one-sided Student-t confidence bound
   over the run's replicas (:mod:`sambounds.check.stats`);
3. a failure raises :class:`BoundAssertionError` (an ``AssertionError``) naming the bound, the
   instance, the measured value, the bound value and their ratio, and the path of a witness JSON
   file (:mod:`sambounds.check.witness`) that ``sambounds rerun <file>`` replays.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import _validate as v
from ..adversary.families import FamilySpec
from ..check.measure import EXPECTATIONS
from ..check.probe import Evaluation, Probe, ProbeRun, declared_constants, evaluate, within_class
from ..errors import InvalidParameterError
from ..functions.base import Objective
from ..setting import Setting
from ..sim.api import SimulationResult, simulate
from ..theory.bound import Bound
from ..theory.terms import Kind, StepKind


@dataclass(frozen=True)
class Run:
    """One seeded simulation together with what is needed to evaluate and repeat it.

    Attributes
    ----------
    setting : Setting
        Algorithm, class constants, schedule and T of the run.
    function : Objective
        The F functions that were run.
    spec : FamilySpec or None
        How to rebuild ``function`` (None for a user's own Objective: no re-runnable witness then).
    x0 : ndarray (F, S, d)
        Every start, replicas included (each start repeated ``replicas`` times, innermost).
    seed : int or None
    replicas : int
        Independent copies of each start (for expectations, n-SAM / m-SAM).
    result : SimulationResult
    """

    setting: Setting = field(repr=False)
    function: Objective = field(repr=False)
    spec: FamilySpec | None
    x0: np.ndarray = field(repr=False)
    seed: int | None
    replicas: int
    result: SimulationResult = field(repr=False)

    @property
    def label(self) -> str:
        if self.spec is not None:
            from ..adversary.strategies import Problem

            return Problem(self.spec, self.function).recipe
        return f"{self.function.family} (d={self.function.dim}, not rebuildable)"


def simulate_run(setting: Setting, function: Any, x0: Any, *, seed: int | None = 0, replicas: int = 1,
                 schedules: Any = None, **kwargs: Any) -> Run:
    """Run :func:`sambounds.simulate` and keep its inputs (the plugin's ``sam_simulate`` calls this).

    Parameters
    ----------
    function : FamilySpec, strategies Problem or Objective
        A FamilySpec (or a Problem drawn by :mod:`.strategies`) makes failures re-runnable.
    x0 : array_like
        (d,), (S, d) or (F, S, d) starts.
    replicas : int
        Repeat each start this many times (independent oracle draws): needed to assert a bound on
        an expectation (n-SAM, m-SAM); 32 or more is advisable.
    schedules, kwargs
        Passed to :func:`sambounds.simulate` (``record_trajectory``, ``batch_size``, ...).
    """
    from ..adversary.strategies import Problem

    if not isinstance(setting, Setting):
        raise InvalidParameterError("setting", setting, "a sambounds.Setting")
    spec = None
    if isinstance(function, Problem):
        spec, f = function.spec, function.function
    elif isinstance(function, FamilySpec):
        spec, f = function, function.build()[0]
    elif isinstance(function, Objective):
        f = function
    else:
        raise InvalidParameterError("function", function, "a FamilySpec, a strategies Problem or an Objective")
    replicas = v.positive_int("replicas", replicas)
    starts = v.finite_array("x0", x0)
    if starts.ndim not in (1, 2, 3) or starts.shape[-1] != f.dim:
        raise InvalidParameterError("x0", f"array of shape {starts.shape}", f"shape (d,), (S, d) or (F, S, d), d = {f.dim}")
    starts = np.broadcast_to(starts.reshape((1,) * (3 - starts.ndim) + starts.shape), (f.n_functions,) + starts.shape[-2:]
                             if starts.ndim < 3 else starts.shape)
    starts = np.repeat(starts, replicas, axis=1)
    starts.setflags(write=False)
    result = simulate(setting, f, starts, seed=seed, schedules=schedules, **kwargs)
    return Run(setting, f, spec, starts, seed, replicas, result)


class BoundAssertionError(AssertionError):
    """A run violated an upper bound or did not reach a lower bound.

    ``witness`` is the path of the witness JSON file (None when the function is not rebuildable).
    """

    def __init__(self, message: str, witness: Path | None):
        super().__init__(message)
        self.witness = witness


def resolve_bound(bound: Any) -> Bound:
    """A Bound, or the catalog entry of that name (an unknown name is an error listing where to look)."""
    from ..theory.catalog import catalog

    if isinstance(bound, Bound):
        return bound
    if isinstance(bound, str):
        return catalog[bound]
    raise InvalidParameterError("bound", bound, "a Bound or a catalog bound name (see `sambounds list`)")


def _check_applies(b: Bound, setting: Setting, params: dict | None) -> None:
    """The bound must be about this Setting and its step assumption must hold (as query judges it)."""
    from ..theory.catalog import Catalog, catalog
    from ..theory.query import query

    own = b.name in catalog and catalog[b.name] == b
    source = catalog if own else Catalog(tuple(x for x in catalog if x.name != b.name), catalog.gaps)
    result = query(setting, extra=() if own else (b,), params=params, source=source)
    try:
        entry = result.entry(b.name)
    except KeyError:
        raise InvalidParameterError("bound", b.name, f"a bound about {setting.algorithm.value} on the "
                                    f"{setting.function_class.value} class", "it is proved for "
                                    f"{sorted(a.value for a in b.algorithms)} on {b.function_class.value}") from None
    if entry.status == "order-only":
        raise InvalidParameterError("bound", b.name, "a bound with explicit constants",
                                    "a paper claim states an order only; check its rate with `sambounds report`")
    if entry.status in ("fails", "needs-step", "overflow") or (entry.status == "missing" and "step" in (entry.reason or "")):
        raise InvalidParameterError("bound", b.name, "a bound that applies to the run's Setting",
                                    f"{entry.status}: {entry.reason}")
    if not entry.for_setting:
        raise InvalidParameterError("bound", b.name, "a bound about the run's own step sizes",
                                    f"it is stated for {entry.step}; the run uses "
                                    f"{setting.schedule.describe() if setting.schedule else 'another schedule'}")


def _probe(b: Bound, run: Run) -> Probe:
    c = run.setting.constants
    constants = {k: getattr(c, k) for k in ("beta", "mu", "L", "sigma") if getattr(c, k) is not None}
    # a prescribed step is computed from the Setting's Delta (>= each run's f(x_0) - f*): evaluate with it
    fixed = {"Delta": c.Delta} if b.step.kind is StepKind.PRESCRIBED and c.Delta is not None else {}
    seed = 0 if run.seed is None else run.seed
    return Probe(run.setting.algorithm.value, run.setting.rho, run.setting.T, run.spec, run.x0, run.result.steps,
                 constants, fixed, seed=seed, replicas=run.replicas)


def _evaluate(b: Bound, run: Run, params: dict | None) -> tuple[Probe, Evaluation]:
    _check_applies(b, run.setting, params)
    if b.quantity in EXPECTATIONS and run.replicas < 2:
        raise InvalidParameterError("replicas", run.replicas, "an integer >= 2 (32 or more advisable)",
                                    f"{b.name} bounds an expectation: simulate with replicas=... so it can be "
                                    "estimated with a confidence bound")
    probe = _probe(b, run)
    f = run.function
    spectrum = getattr(f, "spectrum", None)
    sum_lambda3 = None if spectrum is None else np.sum(np.asarray(spectrum) ** 3, axis=-1)
    if params:  # construction parameters (c, p, a, sum_lambda3) are fixed inputs of the bound
        probe = Probe(probe.algorithm, probe.rho, probe.T, probe.family, probe.x0, probe.steps, probe.constants,
                      {**probe.fixed, **{k: float(x) for k, x in params.items()}}, seed=probe.seed,
                      replicas=probe.replicas)
    declared = declared_constants(f, run.setting.algorithm, tuple(probe.constants))
    within_class(declared, probe.constants)
    ev = evaluate(b, ProbeRun(probe, run.result, f.f_star, f.x_star, sum_lambda3, declared))
    if not ev.applicable.any():
        failing = "; ".join(f"{text} fails on {n} run(s)" for text, n in ev.failing) or "the value is not finite"
        raise InvalidParameterError("bound", b.name, "a bound whose conditions hold on the run", failing)
    return probe, ev


def assert_respects(bound: Any, run: Any = None, *, params: dict | None = None,
                    witness_dir: str | Path | None = None, seed: int | None = 0, replicas: int = 1,
                    optimizer: Any = None, rho: float | None = None, framework: str | None = None,
                    quick: bool = True, families: tuple[str, ...] | None = None, **options: Any) -> float:
    """Assert that no run exceeds an upper bound; return the worst ratio measured/bound.

    Parameters
    ----------
    bound : Bound or str
        An upper bound with explicit constants (catalog name or user Bound).
    run : Run or strategies.Instance
        From :func:`simulate_run` / the ``sam_simulate`` fixture, or an Instance (simulated here
        with ``seed`` and ``replicas``).  Omit it when ``optimizer`` is given.
    optimizer : factory, "module:factory" or OptimizerSpec, optional
        A user's own implementation (:mod:`sambounds.adapters`; ``framework`` and adapter
        ``options`` as there).  The bound's checker (:func:`sambounds.check.upper.attack_upper`,
        ``quick`` sizes) then attacks the *optimizer* on every family of the bound's class at the
        optimizer's radius ``rho`` (required; ``families`` restricts the attack to those family
        names of :mod:`sambounds.check.families`): the fixed menu, then the adversary's search
        with rho held at the optimizer's (a quarter of the size's budget: the optimizer runs one
        trajectory at a time), and a violation's witness records
        ``module:factory``, so ``sambounds rerun`` re-runs the user's factory.
    params : dict, optional
        Construction parameters or extra data the bound needs (``c``, ``p``, ``a``, ``sum_lambda3``).
    witness_dir : path, optional
        Where a violation's witness JSON goes (default: a new temporary directory).

    A run violates the bound when measured > bound + tol (deterministic; tol is the rounding slack
    of :mod:`sambounds.check.measure`) or when the lower confidence bound of the mean over its
    replicas exceeds bound + tol (expectations).
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this module's
    b = resolve_bound(bound)
    if b.kind is not Kind.UPPER:
        raise InvalidParameterError("bound", b.name, "an upper bound", "use assert_witnessed for a lower bound")
    if optimizer is not None or run is None:
        if run is not None:
            raise InvalidParameterError("run", type(run).__name__, "None when optimizer is given")
        if optimizer is None:
            raise InvalidParameterError("run", None, "a Run or Instance, or pass optimizer=...")
        return _respects_optimizer(b, optimizer, rho, framework, quick, 0 if seed is None else seed,
                                   witness_dir, families, options)
    r = _as_run(run, seed, replicas)
    probe, ev = _evaluate(b, r, params)
    excess = np.where(ev.applicable, ev.lower - ev.value - ev.tol, -np.inf)
    ratios = np.where(ev.applicable, ev.ratio(), -np.inf)
    if (excess > 0).any():
        i = np.unravel_index(int(np.argmax(excess)), excess.shape)
        raise _failure("violates upper bound", b, r, probe, ev, i, witness_dir, "upper")
    return float(ratios.max())


def assert_witnessed(lower_bound: Any, run: Any, *, params: dict | None = None,
                     witness_dir: str | Path | None = None, seed: int | None = 0, replicas: int = 1) -> float:
    """Assert that some run reaches a lower bound; return the best ratio measured/bound.

    A lower bound is about the worst case over the class, so it is witnessed when one run of
    the batch (typically a construction) reaches it: measured >= bound - tol, where for
    expectations the *lower* confidence bound of the mean must reach it.  Limits (t -> infinity)
    are measured at the run's horizon T: choose T long enough for the run to settle.
    """
    __tracebackhide__ = True
    b = resolve_bound(lower_bound)
    if b.kind is not Kind.LOWER:
        raise InvalidParameterError("lower_bound", b.name, "a lower bound", "use assert_respects for an upper bound")
    r = _as_run(run, seed, replicas)
    probe, ev = _evaluate(b, r, params)
    reach = np.where(ev.applicable, ev.lower - ev.value + ev.tol, -np.inf)
    i = np.unravel_index(int(np.argmax(reach)), reach.shape)
    if reach[i] < 0:
        raise _failure("does not reach lower bound", b, r, probe, ev, i, witness_dir, "lower")
    return float(ev.ratio(upper=False)[i])


def _respects_optimizer(b: Bound, optimizer: Any, rho: Any, framework: str | None, quick: bool, seed: int,
                        witness_dir: Any, families: tuple[str, ...] | None, options: dict) -> float:
    """The bound's checker on an adapted optimizer (see :func:`assert_respects`)."""
    __tracebackhide__ = True
    from ..adapters.spec import resolve
    from ..check.report import Verdict
    from ..check.upper import attack_upper

    spec = resolve(optimizer, framework, **options)
    if rho is None:
        raise InvalidParameterError("rho", None, "the optimizer's perturbation radius (a number >= 0)",
                                    "the bound is evaluated at the rho the optimizer uses")
    rho = v.real("rho", rho, low=0.0)
    if all(a.stochastic for a in b.algorithms):
        raise InvalidParameterError("bound", b.name, "a bound about a deterministic algorithm (SAM, USAM, GD)",
                                    "an adapted optimizer is run with full gradients")
    report, worst = attack_upper(b, quick=quick, seed=seed, rhos=(rho,), rate=False, optimizer=spec,
                                 families=None if families is None else tuple(families))
    if report.verdict is Verdict.NOT_APPLICABLE or worst is None:
        raise InvalidParameterError("bound", b.name, "a bound the checker can run on the optimizer",
                                    "; ".join(report.evidence))
    if report.verdict is Verdict.VIOLATED:
        f, s0, k = worst.index
        p = worst.probe
        path = _witness(b, p, worst.index, witness_dir, "upper")
        message = (f"violates upper bound {b.name}: {b.quantity.label} measured {worst.measured:.6g} vs bound "
                   f"{worst.value:.6g}, measured/bound ratio {worst.ratio:.6g}\n"
                   f"  instance: {spec.label} on {p.family.name} {dict(p.family.params)} [function {f}], "
                   f"x0={np.round(p.x0[f, s0], 6).tolist()} ({p.start_labels[s0]}), T={p.T}, rho={p.rho:g}, "
                   f"{p.schedule_labels[k]}; class constants {dict(p.constants)}\n"
                   f"  witness: {path} (replay: sambounds rerun {path})")
        raise BoundAssertionError(message, path)
    return float(worst.ratio)


def assert_conforms(optimizer: Any, algorithm: str = "sam", *, framework: str | None = None,
                    rho: float | None = None, **kwargs: Any):
    """Assert that an implementation follows ``algorithm`` ("sam", "usam" or "gd") step by step.

    Runs :func:`sambounds.adapters.conform` (``kwargs`` go there) and returns its result; raises
    :class:`ConformanceError` with the readable summary (the matched rule, the first step and
    probe function where the expected rule's deviation exceeds the tolerance, the findings).
    """
    __tracebackhide__ = True
    from ..adapters.conformance import RULES, conform

    if algorithm not in RULES:
        raise InvalidParameterError("algorithm", algorithm, f"one of {list(RULES)}")
    result = conform(optimizer, framework=framework, rho=rho, **kwargs)
    if result.match != algorithm:
        fit = result.fit(algorithm)
        where = fit.first_exceeding.describe() if fit.first_exceeding else "nowhere above tolerance"
        got = "no reference rule" if result.match is None else result.match.upper()
        raise ConformanceError(f"{result.optimizer} does not follow {algorithm.upper()} (it matches {got}): "
                               f"first deviation from {algorithm.upper()} at {where}\n{result.summary()}", result)
    return result


class ConformanceError(AssertionError):
    """An implementation does not follow the expected reference rule; ``result`` is the ConformanceResult."""

    def __init__(self, message: str, result: Any):
        super().__init__(message)
        self.result = result


def _as_run(run: Any, seed: int | None, replicas: int) -> Run:
    from .strategies import Instance

    if isinstance(run, Run):
        return run
    if isinstance(run, Instance):
        return simulate_run(run.setting, run.problem, run.x0, seed=seed, replicas=replicas)
    raise InvalidParameterError("run", type(run).__name__, "a sambounds.testing Run (from sam_simulate or "
                                "simulate_run) or a strategies Instance")


def _failure(what: str, b: Bound, r: Run, probe: Probe, ev: Evaluation, index: tuple, witness_dir: Any,
             check: str) -> BoundAssertionError:
    f, s0, k = (int(j) for j in index)
    got, value = float(ev.measured[index]), float(ev.value[index])
    ratio = float(ev.ratio(upper=check != "lower")[index])
    x0 = r.x0[f, s0 * r.replicas]
    steps = r.result.steps[k]
    schedule = (r.setting.schedule.describe() if r.setting.schedule is not None and r.result.steps.shape[0] == 1
                else f"schedule {k}: eta in [{steps.min():.6g}, {steps.max():.6g}]")
    consts = ", ".join(f"{name}={x:.6g}" for name, x in r.setting.constants.as_dict().items())
    estimate = "" if ev.stats is None else (f" (mean of {r.replicas} replicas; one-sided confidence "
                                            f"interval [{ev.lower[index]:.6g}, {ev.upper[index]:.6g}])")
    path = _witness(b, probe, (f, s0, k), witness_dir, check) if r.spec is not None else None
    where = (f"witness: {path} (replay: sambounds rerun {path})" if path is not None else
             "witness: none (the function is not a FamilySpec family; pass a FamilySpec or a strategies "
             "Problem to get a re-runnable witness)")
    message = (f"{what} {b.name}: {b.quantity.label} measured {got:.6g}{estimate} vs bound {value:.6g}, "
               f"measured/bound ratio {ratio:.6g}\n"
               f"  instance: {r.setting.algorithm.value} on {r.label} [function {f}], x0={np.round(x0, 6).tolist()}, "
               f"T={r.setting.T}, rho={r.setting.rho:g}, {schedule}, seed={r.seed}; class constants {consts}\n"
               f"  {where}")
    return BoundAssertionError(message, path)


def _witness(b: Bound, probe: Probe, index: tuple, witness_dir: Any, check: str) -> Path:
    from ..check.witness import make_witness, save

    folder = Path(witness_dir) if witness_dir is not None else Path(tempfile.mkdtemp(prefix="sambounds-witness-"))
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in b.name)
    path = folder / f"witness-{safe}.json"
    n = 1
    while path.exists():  # never overwrite an earlier witness of the same bound
        n += 1
        path = folder / f"witness-{safe}-{n}.json"
    return save(make_witness(b, probe, index, check=check), path)
