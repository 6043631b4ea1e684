"""Hostile inputs for every public entry point of sambounds, and the contract each call must keep.

Shared by ``tests/test_fuzz_entry_points.py`` (hypothesis drives the ``random.Random`` through
``st.randoms``, so examples are deterministic under the default profile and shrink) and by
``benchmarks/bench_fuzz.py`` (a seeded ``random.Random``, 10^4 calls and more).

The contract (issue 12): a call either

- returns a well-typed result with no NaN and no infinity (except where a type documents one:
  a diverged run's metrics read +inf and ``diverged`` says so; ``VectorEvaluation.value`` is
  NaN exactly where ``valid`` is False), or
- raises one of the documented errors of :mod:`sambounds.errors` (``SamboundsError`` and its
  subclasses);

never another exception, and it never changes an argument (each is deep-copied before the
call and compared after).  A command of the CLI exits 0, 1 or 2, never with a traceback; on
status 2 it prints exactly one line, ``error: ...``, to stderr.

Each generated call has a few parameters replaced by hostile values (huge integers, NaN, inf,
negative and zero numbers, strings, lists, arrays that do not broadcast, wrong types); about
one call in five is left valid so that the accepted path is exercised too.  Sizes stay tiny
(T <= 8, a handful of starts, PEP horizons of 1 or 2) so that a call costs milliseconds.
"""

from __future__ import annotations

import copy
import contextlib
import dataclasses
import io
import json
import math
import random
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

import numpy as np

from sambounds.errors import SamboundsError

#: the documented errors: everything sambounds raises on purpose derives from SamboundsError
DOCUMENTED = (SamboundsError,)
#: statuses a CLI command may exit with (README: 0 done, 1 a check did not pass, 2 a user error)
CLI_STATUSES = (0, 1, 2)


# ---- hostile values ---------------------------------------------------------------------------------
class _Opaque:
    """An object of no known type (compares equal to its deep copy)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Opaque)

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "<opaque>"


NAN, INF = float("nan"), float("inf")
HOSTILE_REALS: tuple = (
    0, 0.0, -0.0, -1, -1.0, -1e-300, 5e-324, 1e308, 1.7976931348623157e308, 10**400, -(10**400), 2**63,
    NAN, INF, -INF, np.float32("nan"), np.float64(-np.inf), np.int64(-3), True, False, "1", "nan", "", None,
    [1.0], [[1.0], [2.0, 3.0]], np.array([1.0, 2.0]), np.ones((2, 3)), 1 + 1j, {}, (), b"1",
    Fraction(1, 3), Fraction(10**400, 3), Decimal("NaN"), Decimal("1e400"), _Opaque(),
)
HOSTILE_INTS: tuple = (
    0, -1, -5, 10**400, -(10**400), 2**63, 2**64 + 1, 1.5, 3.0, 1e3, NAN, INF, "3", "x", None, True,
    np.int8(-3), np.float64(2.0), [3], (), {}, _Opaque(),
)
HOSTILE_NAMES: tuple = (
    "", " ", "adam", "SAM ", ["sam"], ("gd",), {"sam"}, 1, 0.0, None, b"sam", True, _Opaque(), "x" * 500,
    "sam\n", "strongly_convex", "nan",
)
HOSTILE_BOOLS: tuple = (0, 1, "yes", "true", None, NAN, [True], np.array([True, False]), 2)
HOSTILE_MAPPINGS: tuple = ("x", 1, [("a", 1)], {1: 2}, {"a": NAN}, {"bogus_option": 1}, None, NAN, [], _Opaque())
#: hostile command-line option values (strings: what a shell gives)
HOSTILE_ARGS: tuple = (
    "nan", "NaN", "inf", "-inf", "+inf", "infinity", "-1", "0", "-0", "1e400", "-1e400", "1e-400", "1e308", "x", "",
    " ", "10" * 40, "9" * 400, "[1]", "1/0", "0x10", "1_000", "\u0661", "1,5", "True", "None", "-T", "--",
    "2.5", "1e3",
)


def pick(rng: random.Random, pool: tuple) -> Any:
    """A hostile value (a fresh copy of mutable ones, so a call cannot alter the pool)."""
    return copy.deepcopy(pool[rng.randrange(len(pool))])


def corrupt(rng: random.Random, params: dict[str, Any], pools: dict[str, tuple], *, p_valid: float = 0.2,
            most: int = 2) -> dict[str, Any]:
    """Replace 0 (probability ``p_valid``), 1 or ``most`` of ``params``' values by hostile ones from ``pools``."""
    out = dict(params)
    names = [k for k in pools]
    if not names or rng.random() < p_valid:
        return out
    for name in rng.sample(names, min(len(names), 1 if rng.random() < 0.7 else most)):
        out[name] = pick(rng, pools[name])
    return out


# ---- the contract -------------------------------------------------------------------------------------
class ContractViolation(AssertionError):
    """A call broke the contract: an undocumented exception, a NaN/inf result, a mutated input or a CLI slip."""

    def __init__(self, kind: str, call: "Call", detail: str):
        self.kind = kind
        super().__init__(f"{kind} in {call.entry}: {detail}\n  call: {call.describe()}")


@dataclass
class Call:
    """One call of an entry point: ``fn(*args, **kwargs)`` (or a CLI ``argv`` when ``argv`` is set)."""

    entry: str
    fn: Callable[..., Any] | None = None
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    argv: list[str] | None = None
    files: dict[str, bytes] = field(default_factory=dict)   # written into a temporary folder first
    check_result: Callable[[Any], None] | None = None       # an extra check of an accepted result
    raw: bool = False   # the caller opted out of checks (Bound.evaluate(check=False)): inf is the formula's value

    def describe(self) -> str:
        if self.argv is not None:
            shown = " ".join(repr(a) for a in self.argv)
            files = "".join(f"\n  {name}: {data[:400]!r}" for name, data in self.files.items())
            return f"sambounds {shown}{files}"
        name = getattr(self.fn, "__qualname__", repr(self.fn))
        text = ", ".join([_short(a) for a in self.args] + [f"{k}={_short(x)}" for k, x in self.kwargs.items()])
        return f"{name}({text})"


def _short(x: Any, limit: int = 120) -> str:
    try:
        text = repr(x)
    except Exception:  # noqa: BLE001 - describing a hostile object must not fail
        text = f"<{type(x).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Outcome:
    """What a call did: ``accepted`` (returned, contract kept) or ``refused`` (a documented error)."""

    entry: str
    status: str
    seconds: float
    error: str | None = None


def run_call(call: Call) -> Outcome:
    """Make the call and check the contract; raise :class:`ContractViolation` when it is broken."""
    if call.argv is not None:
        return _run_cli(call)
    before_args, before_kwargs = copy.deepcopy(call.args), copy.deepcopy(call.kwargs)
    start = time.perf_counter()
    try:
        result = call.fn(*call.args, **call.kwargs)
    except DOCUMENTED as exc:
        seconds = time.perf_counter() - start
        _unchanged(call, before_args, before_kwargs)
        message = str(exc)
        if not message or "\n" in message.strip():
            raise ContractViolation("malformed error", call, f"{type(exc).__name__}: {message!r}") from exc
        return Outcome(call.entry, "refused", seconds, f"{type(exc).__name__}: {message}")
    except Exception as exc:  # noqa: BLE001 - this is what the fuzzer looks for
        raise ContractViolation("undocumented exception", call, f"{type(exc).__name__}: {exc}") from exc
    seconds = time.perf_counter() - start
    _unchanged(call, before_args, before_kwargs)
    problem = nonfinite(result)
    if problem and not (call.raw and "nan" not in problem.lower()):
        raise ContractViolation("non-finite result", call, problem)
    if call.check_result is not None:
        try:
            call.check_result(result)
        except DOCUMENTED:
            pass   # the result's own accessors may refuse (e.g. steps beyond the materialized limit)
        except ContractViolation:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ContractViolation("undocumented exception", call,
                                    f"using the result: {type(exc).__name__}: {exc}") from exc
    return Outcome(call.entry, "accepted", seconds)


def _unchanged(call: Call, args: tuple, kwargs: dict) -> None:
    for i, (a, b) in enumerate(zip(args, call.args)):
        if not same(a, b):
            raise ContractViolation("mutated input", call, f"positional argument {i}: {_short(a)} -> {_short(b)}")
    for k in kwargs:
        if not same(kwargs[k], call.kwargs[k]):
            raise ContractViolation("mutated input", call, f"{k}: {_short(kwargs[k])} -> {_short(call.kwargs[k])}")


def same(a: Any, b: Any, depth: int = 0) -> bool:
    """Structural equality that treats NaN as equal to NaN and compares arrays entrywise."""
    if depth > 12:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, np.random.Generator):
        return True   # documented: a Generator passed as a seed is used, and advanced, as is
    if isinstance(a, np.random.SeedSequence):
        return all(same(getattr(a, k), getattr(b, k), depth + 1)
                   for k in ("entropy", "spawn_key", "pool_size", "n_children_spawned"))
    if isinstance(a, np.ndarray):
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        if a.dtype.kind in "fc":
            return bool(np.array_equal(a, b, equal_nan=True))
        if a.dtype.kind == "O":
            return all(same(x, y, depth + 1) for x, y in zip(a.reshape(-1), b.reshape(-1)))
        return bool(np.array_equal(a, b))
    if isinstance(a, (float, np.floating)):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, Decimal):
        return (a.is_nan() and b.is_nan()) or a == b
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], depth + 1) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, depth + 1) for x, y in zip(a, b))
    if isinstance(a, (str, bytes, int, complex, bool, type(None), Fraction, np.generic)):
        return bool(a == b) or (isinstance(a, complex) and a != a and b != b)
    if dataclasses.is_dataclass(a):
        # compare=False fields are caches (Setting._steps), filled on first use by design
        return all(same(getattr(a, f.name), getattr(b, f.name), depth + 1) for f in dataclasses.fields(a) if f.compare)
    if hasattr(a, "__dict__"):
        return same(vars(a), vars(b), depth + 1)
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001
        return True


def nonfinite(result: Any) -> str | None:
    """Where ``result`` holds a NaN or an infinity it does not document (None when it holds none)."""
    from sambounds.check.witness import Rerun
    from sambounds.sim.kernel import RawRun
    from sambounds.theory.query import VectorEvaluation

    seen: set[int] = set()

    def walk(x: Any, where: str, depth: int) -> str | None:
        if depth > 8 or id(x) in seen:
            return None
        if isinstance(x, bool) or x is None or isinstance(x, (str, bytes, int)):
            return None
        if isinstance(x, (float, np.floating)):
            return None if math.isfinite(x) else f"{where} = {x!r}"
        if isinstance(x, np.ndarray):
            if x.dtype.kind in "fc" and not np.isfinite(x).all():
                return f"{where} holds {x[~np.isfinite(x)][0]!r}"
            if x.dtype.kind == "O":
                for i, item in enumerate(x.reshape(-1)[:50]):
                    found = walk(item, f"{where}[{i}]", depth + 1)
                    if found:
                        return found
            return None
        seen.add(id(x))
        if isinstance(x, VectorEvaluation):
            if np.isnan(x.value[~x.valid]).all() and np.isfinite(x.value[x.valid]).all():
                return None
            return f"{where}.value is not finite exactly where valid"
        if isinstance(x, RawRun):
            return _run_nonfinite(x, where)
        if isinstance(x, Rerun):   # documented: infinities (a diverged run) are compared, and must agree
            numbers = [*x.expected.values(), *x.got.values(), x.rel_error]
            return next((f"{where} holds NaN" for y in numbers if isinstance(y, float) and math.isnan(y)), None)
        if isinstance(x, dict):
            for k, item in list(x.items())[:200]:
                found = walk(item, f"{where}[{k!r}]", depth + 1)
                if found:
                    return found
            return None
        if isinstance(x, (list, tuple)):
            for i, item in enumerate(x[:200]):
                found = walk(item, f"{where}[{i}]", depth + 1)
                if found:
                    return found
            return None
        if dataclasses.is_dataclass(x):
            for f in dataclasses.fields(x):
                found = walk(getattr(x, f.name, None), f"{where}.{f.name}", depth + 1)
                if found:
                    return found
        return None

    return walk(result, "result", 0)


def _run_nonfinite(r: Any, where: str) -> str | None:
    """A simulation: NaN nowhere; +inf only in the ``final``/``mean``/sums of runs flagged as diverged."""
    flagged = r.diverged_at >= 0
    for f in dataclasses.fields(r):
        x = getattr(r, f.name)
        arrays = {f.name: x} if isinstance(x, np.ndarray) else (
            {f"{f.name}.{g.name}": getattr(x, g.name) for g in dataclasses.fields(x)}
            if dataclasses.is_dataclass(x) else {})
        for name, a in arrays.items():
            if not isinstance(a, np.ndarray) or a.dtype.kind not in "fc":
                continue
            if np.isnan(a).any():
                return f"{where}.{name} holds NaN"
            bad = ~np.isfinite(a)
            if bad.any():
                if name in ("x_final", "trajectory") or a.shape[:flagged.ndim] != flagged.shape:
                    continue  # iterates of a diverged run are whatever the run reached (the flag says so)
                if (bad & ~flagged.reshape(flagged.shape + (1,) * (a.ndim - flagged.ndim))).any():
                    return f"{where}.{name} holds inf for a run not flagged as diverged"
    return None


# ---- the CLI ------------------------------------------------------------------------------------------
def _run_cli(call: Call) -> Outcome:
    from click.testing import CliRunner

    from sambounds.cli import main

    runner = CliRunner()
    # a hostile argv may name a relative output path ("--out infinity"): it must land in the scratch folder
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        argv = [a.replace("{tmp}", tmp) for a in call.argv]
        for name, data in call.files.items():
            Path(tmp, name).write_bytes(data)
        start = time.perf_counter()
        with runner.isolation() as streams:
            try:
                status = main(argv)
            except SystemExit as exc:   # main never exits itself; a stray sys.exit is a slip
                raise ContractViolation("CLI exit", call, f"SystemExit({exc.code}) escaped main()") from None
            except Exception as exc:  # noqa: BLE001
                raise ContractViolation("undocumented exception", call, f"{type(exc).__name__}: {exc}") from exc
            seconds = time.perf_counter() - start
            out, err = streams[0].getvalue().decode(errors="replace"), streams[1].getvalue().decode(errors="replace")
    if status not in CLI_STATUSES:
        raise ContractViolation("CLI exit", call, f"status {status!r} (allowed {CLI_STATUSES}); stderr: {err[-300:]!r}")
    if "Traceback" in out or "Traceback" in err:
        raise ContractViolation("CLI traceback", call, err[-500:])
    if status == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("error:")]
        # before the error only what a run prints on the way: warnings and "[i/n] ..." progress lines
        others = [line for line in lines[:-1] if not line.startswith(("warning:", "["))]
        if len(errors) != 1 or not lines[-1].startswith("error:") or others:
            raise ContractViolation("CLI error message", call, f"expected one 'error: ...' line, got {err!r}")
        return Outcome(call.entry, "refused", seconds, errors[0])
    if out.lstrip().startswith(("{", "[")) and "--format" in argv and "json" in argv:
        try:
            doc = json.loads(out)
        except ValueError:
            doc = None
        if doc is not None:
            problem = nonfinite(doc)
            if problem:
                raise ContractViolation("non-finite result", call, f"JSON output: {problem}")
    return Outcome(call.entry, "accepted" if status == 0 else "check failed", seconds)


# ---- valid building blocks ----------------------------------------------------------------------------
ALGORITHMS = ("sam", "n-sam", "m-sam", "usam", "gd")
CLASSES = ("strongly-convex", "convex", "lipschitz-nonconvex", "nonconvex")


def setting_kwargs(rng: random.Random, *, algorithms: tuple = ALGORITHMS, classes: tuple = CLASSES,
                   T: tuple[int, int] = (1, 8), schedule: bool = True) -> dict[str, Any]:
    """Keywords of a valid ``Setting.create`` call (algorithm and class included)."""
    from sambounds.schedules import Cosine

    alg, fc = rng.choice(algorithms), rng.choice(classes)
    beta = rng.choice((1.0, 0.5, 2.0))
    kw: dict[str, Any] = {"algorithm": alg, "function_class": fc, "T": rng.randint(*T), "beta": beta,
                          "Delta": 1.0}
    if fc == "strongly-convex":
        kw["mu"] = 0.1 * beta
    if fc == "lipschitz-nonconvex":
        kw["L"] = 1.0
    if fc in ("strongly-convex", "convex"):
        kw["D"] = 1.0
    if alg != "gd":
        kw["rho"] = rng.choice((0.05, 0.0, 0.2))
    if alg in ("n-sam", "m-sam"):
        kw["sigma"] = rng.choice((0.5, 0.0))
    if schedule:
        if rng.random() < 0.7:
            kw["eta"] = rng.choice((0.5, 0.25, 1.0)) / beta
        else:
            kw["schedule"] = Cosine(0.5 / beta)
    return kw


SETTING_POOLS = {
    "algorithm": HOSTILE_NAMES, "function_class": HOSTILE_NAMES, "T": HOSTILE_INTS + (2**53 + 1, 10**12),
    "beta": HOSTILE_REALS, "mu": HOSTILE_REALS, "rho": HOSTILE_REALS, "L": HOSTILE_REALS, "sigma": HOSTILE_REALS,
    "Delta": HOSTILE_REALS, "D": HOSTILE_REALS, "eta": HOSTILE_REALS,
    "schedule": (1, -1.0, NAN, "cosine", [0.5, 0.5], np.array([0.5]), _Opaque(), 10**400),
}


def make_setting(rng: random.Random, **options: Any):
    from sambounds.setting import Setting

    kw = setting_kwargs(rng, **options)
    return Setting.create(kw.pop("algorithm"), kw.pop("function_class"), **kw)


def _constants_values(T: int = 10) -> dict[str, Any]:
    """Values of every catalog symbol at which most conditions hold (beta = 1, mu = 0.1, rho = 0.05, ...)."""
    return {"beta": 1.0, "mu": 0.1, "rho": 0.05, "L": 1.0, "sigma": 0.5, "Delta": 1.0, "D": 1.0, "T": float(T),
            "eta": 0.1, "eta_max": 0.1, "sum_eta": 0.1 * T, "sum_eta2": 0.01 * T, "prod_mu": 0.99**T,
            "wsum_mu": 0.5, "c": 0.5, "p": 0.25, "a": 0.5, "sum_lambda3": 1.0}


# ---- Python entry points ------------------------------------------------------------------------------
def _setting_create(rng: random.Random) -> Call:
    from sambounds.setting import Setting

    kw = corrupt(rng, setting_kwargs(rng), SETTING_POOLS)
    if "eta" in kw and "schedule" in kw and rng.random() < 0.8:
        kw.pop("schedule")
    alg, fc = kw.pop("algorithm"), kw.pop("function_class")

    def use(s):  # an accepted Setting must give its steps (or refuse to materialize them) and round-trip
        s.constant_step, s.has_schedule
        if s.has_schedule and s.T <= 10**6:
            assert np.isfinite(s.steps).all() and (s.steps > 0).all()
        again = Setting.from_dict(s.to_dict()) if not (s.schedule is not None and s.schedule.name == "callable") \
            else s
        assert again == s, (again, s)

    return Call("Setting.create", Setting.create, (alg, fc), kw, check_result=use)


def _setting_from_dict(rng: random.Random) -> Call:
    from sambounds.setting import Setting

    doc = make_setting(rng).to_dict()
    if rng.random() < 0.8:
        doc = _mutate_json(rng, doc)
    return Call("Setting.from_dict", Setting.from_dict, (doc,))


def _query(rng: random.Random) -> Call:
    import sambounds

    kw = corrupt(rng, setting_kwargs(rng, schedule=rng.random() < 0.7), SETTING_POOLS)
    if "eta" in kw and "schedule" in kw:
        kw.pop("schedule")
    roll = rng.random()
    if roll < 0.15:
        kw["params"] = rng.choice(({"c": pick(rng, HOSTILE_REALS)}, {"beta": 1.0}, "c=1", [("c", 1.0)],
                                   {"sum_lambda3": 10**400}, {"c": 0.5}))
    elif roll < 0.25:
        kw["extra"] = pick(rng, ("D-SC/rate", [1], None, 1.0, _Opaque(), ()))
    elif roll < 0.3:
        return Call("query", sambounds.query, (pick(rng, HOSTILE_REALS),), {})
    elif roll < 0.35:
        kw["unknown_keyword"] = 1.0

    def use(r):
        for e in r.entries:
            assert e.value is None or math.isfinite(e.value), e
        r.best_upper, r.best_lower

    return Call("query", sambounds.query, (), kw, check_result=use)


def _bound_values(rng: random.Random, bound) -> dict[str, Any]:
    base = _constants_values(rng.randint(1, 50))
    names = list(bound.inputs) + [s.name for s, _ in bound.parameters]
    values: dict[str, Any] = {}
    for name in names:
        x = base[name]
        roll = rng.random()
        if roll < 0.15:
            x = np.full(3, x) * np.array([1.0, 2.0, 0.5]) if name != "T" else np.array([1.0, 10.0, 100.0])
        elif roll < 0.2:
            x = [[x], [x]]
        values[name] = x
    return values


def _bound_pools(bound) -> dict[str, tuple]:
    names = list(bound.inputs) + [s.name for s, _ in bound.parameters]
    arrays = (np.ones(4), np.ones((2, 5)), np.array([1.0, NAN, 1.0]), np.array(["1.0"]), np.array([True]),
              np.zeros(0), [1.0, "x"], [[1.0], [1.0, 2.0]], np.array([1, 2], dtype=object))
    return {n: HOSTILE_REALS + arrays for n in names}


def _bound_evaluate(rng: random.Random) -> Call:
    from sambounds.theory.catalog import catalog

    b = rng.choice(list(catalog))
    values = corrupt(rng, _bound_values(rng, b), _bound_pools(b))
    roll = rng.random()
    if roll < 0.05:
        values["check"] = pick(rng, HOSTILE_BOOLS)
    elif roll < 0.1:
        values["check"] = False   # documented: no conditions, the raw formula (it may overflow to inf)
    elif roll < 0.15:
        values[rng.choice(("x", "Beta", "eta_min", "t"))] = 1.0
    elif roll < 0.2 and values:
        values.pop(rng.choice(list(values)))
    return Call("Bound.evaluate", b.evaluate, (), values, raw=values.get("check") is False)


def _evaluate_many(rng: random.Random) -> Call:
    from sambounds.theory.catalog import catalog
    from sambounds.theory.query import evaluate_many

    b = rng.choice(list(catalog))
    values = corrupt(rng, _bound_values(rng, b), _bound_pools(b))
    target: Any = b if rng.random() < 0.5 else b.name
    if rng.random() < 0.1:
        target = pick(rng, HOSTILE_NAMES + ("D-SC/nope", "paper/D-SC/rate "))
    return Call("evaluate_many", evaluate_many, (target,), values)


_SCHEDULE_ARGS: dict[str, dict[str, Any]] = {
    "constant": {"eta": 0.5}, "cosine": {"eta_max": 0.5, "eta_min": 0.01}, "linear": {"eta0": 0.5, "eta_end": 0.0},
    "step": {"eta0": 0.5, "gamma": 0.5, "every": 2}, "warmup": {"eta_max": 0.5, "warmup": 1, "decay": "linear",
                                                                "eta_min": 0.0},
    "array": {"values": [0.5, 0.4, 0.3]}, "theorem-a": {}, "decreasing-sc": {}, "convex-min": {}, "convex-avg": {},
    "inverse-beta": {}, "stochastic-sc": {}, "stochastic-nc": {},
}


def _schedule_steps(rng: random.Random) -> Call:
    from sambounds.schedules import SCHEDULES, FromCallable
    from sambounds.setting import Constants

    name = rng.choice(sorted(SCHEDULES) + ["callable"])
    T = rng.choice((1, 2, 3, 5, 8))
    constants = Constants(beta=1.0, mu=0.1, rho=0.05, sigma=0.5, Delta=1.0, D=1.0, L=1.0)
    pools: dict[str, tuple] = {"T": HOSTILE_INTS + (10**9, 2**53)}
    if name == "callable":
        fns = (lambda t: 0.5 / (t + 1), lambda t: NAN, lambda t: -1.0, lambda t: "0.5", lambda t: [0.5],
               lambda t: 10**400, lambda t: 1 / t, lambda t: None, lambda t: np.float32(0.5))
        fn = fns[0] if rng.random() < 0.3 else rng.choice(fns)

        def make():
            return FromCallable(fn)
    else:
        cls = SCHEDULES[name]
        params = dict(_SCHEDULE_ARGS.get(name, {}))
        if name == "array":
            params["values"] = [0.5] * T if rng.random() < 0.7 else params["values"]
        fields = [f.name for f in dataclasses.fields(cls)]
        params = corrupt(rng, params, {k: HOSTILE_REALS for k in fields})
        params = {k: x for k, x in params.items() if k in fields}

        def make():
            return cls(**params)
    given = constants if rng.random() < 0.8 else pick(rng, (None, {"beta": 1.0}, Constants(beta=1.0), 1.0))
    args = corrupt(rng, {"T": T}, pools, p_valid=0.7)

    def call(T, constants):
        s = make()
        steps = s.steps(T, constants)
        eta = s.constant_step(T, constants)
        return steps, eta, s.to_dict() if name != "callable" else None

    return Call(f"schedules.{name}", call, (), {"T": args["T"], "constants": given})


def _schedule_from_dict(rng: random.Random) -> Call:
    from sambounds.schedules import schedule_from_dict

    name = rng.choice(sorted(_SCHEDULE_ARGS))
    doc = {"name": name, **_SCHEDULE_ARGS[name]}
    doc = _mutate_json(rng, doc) if rng.random() < 0.8 else doc
    return Call("schedule_from_dict", schedule_from_dict, (doc,))


def _objective(rng: random.Random, stochastic: bool):
    from sambounds import functions as fn

    if stochastic:
        return fn.LS(1.0, 0.05, 0.25, 2.0) if rng.random() < 0.5 else \
            fn.QuadraticFiniteSum.random(n_functions=1, n_components=3, dim=2, beta=1.0, mu=0.1, seed=0) \
            if hasattr(fn.QuadraticFiniteSum, "random") else fn.LS(1.0, 0.05, 0.25, 2.0)
    return rng.choice((lambda: fn.Quadratic.diagonal([[1.0, 0.1]]), lambda: fn.Huber(np.zeros(2), delta=1.0),
                       lambda: fn.LSC(1.0, 0.1, 0.05, dim=2)))()


def _simulate(rng: random.Random) -> Call:
    from sambounds.sim.api import simulate

    setting = make_setting(rng)
    f = _objective(rng, setting.algorithm.stochastic)
    if rng.random() < 0.05:
        f = _objective(rng, not setting.algorithm.stochastic)
    d = f.dim
    T = setting.T
    kwargs: dict[str, Any] = {"x0": np.random.default_rng(rng.randrange(100)).standard_normal((2, d)),
                              "seed": rng.randrange(5), "batch_size": 1, "backend": "numpy",
                              "record_trajectory": rng.random() < 0.2}
    if rng.random() < 0.2:
        kwargs["schedules"] = np.full((2, T), 0.3)
    if rng.random() < 0.1:
        kwargs["divergence_threshold"] = 1e6
    pools = {
        "x0": HOSTILE_REALS + (np.ones((3, d + 1)), np.full((2, d), NAN), np.ones((2, 2, d)), np.ones((1, 0, d)),
                               [[1.0, "2"]] if d == 2 else [["1"]], np.full((2, d), 1e308), np.ones((0, d))),
        "seed": HOSTILE_INTS + (-1, np.random.SeedSequence(0), np.random.default_rng(0)),
        "schedules": HOSTILE_REALS + (np.ones((2, T + 1)), -np.ones((1, T)), np.full((1, T), NAN), [[0.5] * T, [0.5]],
                                      ["cosine"], [], np.zeros((0, T)), [0.5] * T),
        "batch_size": HOSTILE_INTS + (10**9,),
        "backend": HOSTILE_NAMES + ("jax", "cupy", "torch", "torch"),
        "device": ("tpu", 1, ["cpu"]), "dtype": ("float16", "int", 1, np.float32),
        "record_trajectory": HOSTILE_BOOLS,
        "divergence_threshold": HOSTILE_REALS,
    }
    kwargs = corrupt(rng, kwargs, pools)
    if rng.random() < 0.05:
        setting = pick(rng, HOSTILE_REALS)
    if rng.random() < 0.05:
        f = pick(rng, HOSTILE_REALS)
    x0 = kwargs.pop("x0")

    def use(res):
        s = res.summary()
        json.dumps(s, allow_nan=False)

    return Call("simulate", simulate, (setting, f, x0), kwargs, check_result=use)


def _function_families(rng: random.Random) -> Call:
    from sambounds import functions as fn

    makers = {
        "Quadratic.diagonal": (fn.Quadratic.diagonal, {"spectrum": [[1.0, 0.1]]}),
        "Quadratic.with_spectrum": (fn.Quadratic.with_spectrum, {"beta": 1.0, "mu": 0.1, "dim": 2, "seed": 0}),
        "Huber": (fn.Huber, {"center": np.zeros(2), "delta": 1.0, "scale": 1.0}),
        "LSC": (fn.LSC, {"beta": 1.0, "mu": 0.1, "R": 0.05, "dim": 2}),
        "LNC": (fn.LNC, {"beta": 1.0, "rho": 0.05, "c": 0.5, "dim": 1}),
        "LS": (fn.LS, {"beta": 1.0, "rho": 0.05, "p": 0.25, "K": 2.0}),
    }
    name = rng.choice(sorted(makers))
    make, params = makers[name]
    pools = {k: HOSTILE_REALS + (np.ones((2, 3, 4)), [[1.0, 2.0], [3.0]]) for k in params}
    params = corrupt(rng, params, pools, p_valid=0.1)

    def call(**kw):
        f = make(**kw)
        x = np.zeros((f.n_functions, 1, f.dim))
        return f.value(x), f.grad(x)

    return Call(f"functions.{name}", call, (), params)


VERIFY_FAMILIES = ("L-SC", "quadratic", "huber", "L-NC", "L-S")


def _verify_schedule(rng: random.Random) -> Call:
    from sambounds.verify.api import verify_schedule

    setting = make_setting(rng, algorithms=("sam", "usam", "gd", "n-sam"), T=(1, 6))
    fams = {"strongly-convex": ("L-SC", "quadratic"), "convex": ("huber",), "nonconvex": ("L-NC",),
            "lipschitz-nonconvex": ("L-NC",)}[setting.function_class.value]
    if setting.algorithm.stochastic:
        fams = ("L-S",) if setting.function_class.value in ("nonconvex", "strongly-convex") else fams
    kwargs: dict[str, Any] = {"target": rng.choice((0.1, 1e-3, 10.0)), "seed": rng.randrange(3), "effort": "quick",
                              "pep_max_T": rng.choice((0, 0, 0, 1)), "families": [rng.choice(fams)]}
    pools = {"target": HOSTILE_REALS, "seed": HOSTILE_INTS, "effort": HOSTILE_NAMES + ("slow",),
             "pep_max_T": HOSTILE_INTS, "families": (0.0, "L-SC", [1], ["nope"], [], (), None, _Opaque(), {"L-SC"}),
             "quantity": HOSTILE_NAMES + ("gap", "grad-min", "dist", "nope"), "executor": (1, "thread", _Opaque())}
    kwargs = corrupt(rng, kwargs, pools)
    if kwargs.get("families") is None:   # every family of the class: correct but slow; keep one
        kwargs["families"] = [fams[0]]
    return Call("verify_schedule", verify_schedule, (setting,), kwargs)


def _worst_case(rng: random.Random) -> Call:
    from sambounds.pep.api import worst_case

    setting = make_setting(rng, algorithms=("gd", "usam", "sam"), classes=("convex", "strongly-convex", "nonconvex"),
                           T=(1, 2), schedule=True)
    if rng.random() < 0.15:
        big = rng.choice((10**4, 10**8, 2**53))
        setting = setting.replace(T=big) if setting.schedule.name == "constant" else setting
    kwargs: dict[str, Any] = {"measure": rng.choice(("f", "dist", "grad", "min-grad")), "search_evals": 2,
                              "witness": rng.random() < 0.3}
    pools = {"measure": HOSTILE_NAMES + ("F", "gap"), "initial": HOSTILE_NAMES + ("distance", "function-gap"),
             "solver": HOSTILE_NAMES + (["clarabel"], "cvxopt", "CLARABEL"),
             "solver_options": HOSTILE_MAPPINGS + ({"max_iter": "x"}, {"max_iter": -1}, {"tol_gap_abs": NAN}),
             "witness": HOSTILE_BOOLS, "certificate": HOSTILE_BOOLS, "tighten": HOSTILE_BOOLS,
             "search_evals": HOSTILE_INTS + (10**6,), "search_starts": HOSTILE_INTS, "seed": HOSTILE_INTS + (-1,),
             "max_size": HOSTILE_INTS + (10, 1)}
    kwargs = corrupt(rng, kwargs, pools)
    if setting.T > 2:   # a large horizon must be refused by the default max_size; a raised one is a memory bomb
        kwargs.pop("max_size", None)
    elif isinstance(kwargs.get("max_size"), int) and kwargs["max_size"] > 10**9:
        kwargs["max_size"] = 10**9   # T <= 2: harmless, but keep the test's memory bounded whatever the value
    for name in ("search_evals", "search_starts"):   # a valid large budget is slow, not wrong
        if isinstance(kwargs.get(name), int) and not isinstance(kwargs[name], bool) and 3 < kwargs[name] < 10**5 + 1:
            kwargs[name] = 2
    if rng.random() < 0.05:
        setting = pick(rng, HOSTILE_REALS)
    return Call("worst_case", worst_case, (setting,), kwargs)


def _check_bound(rng: random.Random) -> Call:
    from sambounds.check.runner import check_bound
    from sambounds.theory.catalog import catalog

    # a rate check at quick sizes takes 0.2 s; an upper or lower attack about 3 s: those now and then
    name = "paper/D-SC/rate" if rng.random() < 0.85 else rng.choice(("D-NC/constant", "L-SC/floor"))
    bound: Any = catalog[name] if rng.random() < 0.9 else pick(rng, HOSTILE_NAMES)
    kwargs: dict[str, Any] = {"quick": True, "seed": rng.randrange(3), "budget": 0, "replicas": 2}
    pools = {"quick": HOSTILE_BOOLS, "seed": HOSTILE_INTS, "budget": HOSTILE_INTS, "replicas": HOSTILE_INTS,
             "construction": HOSTILE_NAMES + ("L-SC", "L-NC", "nope")}
    kwargs = corrupt(rng, kwargs, pools)
    if kwargs.get("quick") is not True:
        kwargs["quick"] = True if rng.random() < 0.8 else kwargs.get("quick")
    for name, cap in (("budget", 0), ("replicas", 4)):   # valid large budgets are slow, not wrong
        x = kwargs.get(name)
        if isinstance(x, int) and not isinstance(x, bool) and x > cap:
            kwargs[name] = cap
    return Call("check_bound", check_bound, (bound,), kwargs)


# ---- user bounds (TOML) ---------------------------------------------------------------------------------
TOML_TEMPLATE: dict[str, str] = {
    "name": '"mine/fuzz"', "expression": '"2*Delta/(eta*T) + beta**2*rho**2"', "algorithm": '"sam"',
    "class": '"nonconvex"', "quantity": '"grad-avg"', "kind": '"upper"', "step": '"constant"',
    "step_limit": '"1/beta"', "citation": '"fuzz"',
}
HOSTILE_TOML: tuple = (
    "3", "1.5", "nan", "inf", "-inf", "[1, 2]", "{a = 1}", "true", '""', '"1/0"', '"nan"', '"oo"', '"zoo"',
    '"beta**10**400"', '"10**400"', '"x +"', "\"__import__('os')\"", '"beta >"', '"1e400*beta"', '"-1"', '"Max()"',
    '"log(0)"', '"sqrt(-1)"', '"I"', '"nan > 0"', '"beta > 0"', '["1/0"]', '"eta*T*"', '"exp(10**6)"',
    '"Delta/(eta*T) - oo"', '"E"', '"pi*beta"', '"beta**beta**beta**beta"', '"T**-1000"', '["sam", 1]',
    '"lower"', '"prescribed"', '"schedule"', '"1/(beta - 1)"', '"zoo*0"', '{name = "cosine"}', '"  "',
)
TOML_FIELDS_EXTRA = ("conditions", "parameters", "rule", "strict", "construction", "order", "restriction",
                     "provenance", "statement")


def toml_text(rng: random.Random) -> str:
    """A [[bound]] document, usually with one field hostile, missing, unknown or syntactically broken."""
    fields = dict(TOML_TEMPLATE)
    roll = rng.random()
    if roll < 0.15:
        pass
    elif roll < 0.55:
        fields[rng.choice(sorted(fields))] = rng.choice(HOSTILE_TOML)
    elif roll < 0.7:
        fields[rng.choice(TOML_FIELDS_EXTRA)] = rng.choice(HOSTILE_TOML)
    elif roll < 0.8:
        fields.pop(rng.choice(sorted(fields)))
    elif roll < 0.85:
        fields["bogus"] = "1"
    else:
        return rng.choice((
            "", "[[bound]]", "[[bound]]\nname = ", "not toml at all", "[bound]\nname = 'x'\n", "bound = 3\n",
            "[[bound]]\nname = 'a'\nname = 'b'\n", "\x00\x01", "[[bound]]\nexpression = '''\n",
            "[[bound]]\n" + "\n".join(f"{k} = {x}" for k, x in TOML_TEMPLATE.items()) * 2,
        ))
    return "[[bound]]\n" + "\n".join(f"{k} = {x}" for k, x in fields.items()) + "\n"


def _load_bounds(rng: random.Random) -> Call:
    from sambounds.theory.user import load_bounds

    if rng.random() < 0.1:
        path = pick(rng, (None, 1, b"x.toml", "/nonexistent/bounds.toml", "/", _Opaque(), ""))
        return Call("load_bounds", load_bounds, (path,))
    raw = toml_text(rng).encode()
    if rng.random() < 0.05:
        raw = b"\xff\xfe[[bound]]\n\x80"
    directory = Path(tempfile.mkdtemp(prefix="fuzz-toml-"))
    path = directory / "bounds.toml"
    path.write_bytes(raw)
    values = _constants_values(rng.randint(1, 20))

    def call(p):
        try:
            loaded = load_bounds(p)
            return tuple(r.bound.evaluate(check=False, **{k: values[k] for k in r.bound.inputs})
                         if rng.random() < 0.5 else r.bound.to_dict() for r in loaded)
        finally:
            path.unlink(missing_ok=True)
            directory.rmdir()

    return Call("load_bounds", call, (str(path),))


def _bounds_from_mapping(rng: random.Random) -> Call:
    from sambounds.theory.user import bounds_from_mapping

    doc = {"bound": [{k: json.loads(x) if x.startswith('"') else x for k, x in TOML_TEMPLATE.items()}]}
    doc = _mutate_json(rng, doc) if rng.random() < 0.85 else doc
    return Call("bounds_from_mapping", bounds_from_mapping, (doc,))


def _mutate_json(rng: random.Random, doc: Any) -> Any:
    """``doc`` with one nested value replaced by a hostile one, deleted, or a key added."""
    doc = copy.deepcopy(doc)
    paths: list[tuple] = []

    def collect(x: Any, path: tuple) -> None:
        paths.append(path)
        if isinstance(x, dict):
            for k, item in x.items():
                collect(item, path + (k,))
        elif isinstance(x, list) and len(x) < 50:
            for i, item in enumerate(x):
                collect(item, path + (i,))

    collect(doc, ())
    path = rng.choice(paths)
    pool = HOSTILE_REALS + HOSTILE_NAMES + ({"name": 1}, [[]], [1, "a"], -1, 10**400)
    if not path:
        return pick(rng, pool)
    parent = doc
    for k in path[:-1]:
        parent = parent[k]
    roll = rng.random()
    if roll < 0.15 and isinstance(parent, dict):
        del parent[path[-1]]
    elif roll < 0.2 and isinstance(parent, dict):
        parent["bogus"] = 1
    else:
        parent[path[-1]] = pick(rng, pool)
    return doc


# ---- witnesses (rerun) ----------------------------------------------------------------------------------
_WITNESSES: dict[str, dict] = {}


def witnesses(*, refutation: bool = False) -> dict[str, dict]:
    """One real witness of each kind (built once per process, tiny sizes).

    ``refutation`` adds a PEP refutation of a lower-bound claim (its check takes some 15 s: the
    benchmark builds it, the test suite does not).
    """
    if _WITNESSES and (not refutation or "pep-refutation" in _WITNESSES):
        return _WITNESSES
    if _WITNESSES:
        _refutation()
        return _WITNESSES
    import sambounds
    from sambounds.check.runner import check_bound
    from sambounds.theory.user import register_bound

    gd = sambounds.Setting.create("gd", "convex", T=1, beta=1.0, eta=1.0, D=1.0)
    _WITNESSES["pep"] = sambounds.worst_case(gd).witness.to_dict()
    s = sambounds.Setting.create("sam", "strongly-convex", T=3, beta=1.0, mu=0.1, rho=0.05, eta=0.5, Delta=1.0)
    r = sambounds.verify_schedule(s, target=1e-3, effort="quick", pep_max_T=0, families=["L-SC"])
    if r.witness is not None:
        _WITNESSES["schedule"] = r.witness if isinstance(r.witness, dict) else r.witness.to_dict()
    wrong = register_bound("Delta/(eta*T)/1000", name="fuzz/too-small", algorithm="sam", function_class="nonconvex",
                           quantity="grad-avg", step="constant", step_limit="1/beta")
    rep = check_bound(wrong, quick=True, seed=0, budget=0)
    if rep.witness is not None:
        _WITNESSES["bound"] = rep.witness
    if refutation:
        _refutation()
    return _WITNESSES


def _refutation() -> None:
    from sambounds.check.runner import check_bound
    from sambounds.theory.user import register_bound

    claim = register_bound("beta*D**2/(2*T + 1)", name="fuzz/gd-too-high", algorithm="gd", kind="lower",
                           function_class="convex", quantity="gap", step="constant", step_limit="1/beta")
    rep = check_bound(claim, quick=True, seed=0)
    if rep.witness is not None and rep.witness.get("kind") == "pep-refutation":
        _WITNESSES["pep-refutation"] = rep.witness


def warm_up() -> None:
    """One-time costs outside any call's timing: the witnesses, and importing torch and matplotlib (seconds)."""
    witnesses(refutation=True)
    for module in ("torch", "matplotlib.pyplot"):
        try:
            __import__(module)
        except ImportError:
            pass


def _rerun(rng: random.Random) -> Call:
    from sambounds.check.witness import rerun

    docs = witnesses()
    doc = copy.deepcopy(docs[rng.choice(sorted(docs))])
    if rng.random() < 0.85:
        doc = _mutate_json(rng, doc)
    if rng.random() < 0.1:
        doc = pick(rng, ("{", "[]", "null", "not json", "{\"kind\": \"pep-witness\"}", 1, None, b"{}"))
    return Call("rerun", rerun, (doc,))


# ---- CLI commands -------------------------------------------------------------------------------------
def _argv_pairs(pairs: list[tuple[str, str]], rng: random.Random, *, p_valid: float = 0.2) -> list[str]:
    """``--opt value`` pairs with some values hostile, some options dropped, maybe an unknown one added."""
    pairs = list(pairs)
    roll = rng.random()
    if roll >= p_valid and pairs:
        for _ in range(1 if rng.random() < 0.7 else 2):
            i = rng.randrange(len(pairs))
            opt, value = pairs[i]
            action = rng.random()
            if action < 0.75:
                pairs[i] = (opt, rng.choice(HOSTILE_ARGS))
            elif action < 0.85:
                pairs.pop(i)
                if not pairs:
                    break
            elif action < 0.92:
                pairs.append((opt, value))   # given twice
            else:
                pairs.append(("--" + rng.choice(("bogus", "etta", "t", "beta-")), "1"))
    argv: list[str] = []
    for opt, value in pairs:
        argv += [opt] if value is None else [opt, value]
    return argv


def _setting_pairs(rng: random.Random, kw: dict[str, Any]) -> list[tuple[str, str]]:
    names = {"algorithm": "--algorithm", "function_class": "--class", "beta": "--beta", "mu": "--mu", "rho": "--rho",
             "L": "--L", "sigma": "--sigma", "Delta": "--Delta", "D": "--D", "T": "--T", "eta": "--eta"}
    return [(names[k], f"{x:g}" if isinstance(x, float) else str(x)) for k, x in kw.items() if k in names]


def _cli_query(rng: random.Random) -> Call:
    kw = setting_kwargs(rng, schedule=False, T=(1, 10**6))
    pairs = _setting_pairs(rng, kw)
    roll = rng.random()
    if roll < 0.3:
        pairs.append(("--eta", "0.1"))
    elif roll < 0.5:
        pairs.append(("--schedule", rng.choice(("cosine", "linear", "step", "warmup", "theorem-a", "nope"))))
        if rng.random() < 0.5:
            pairs.append(("--eta-max", "0.5"))
    if rng.random() < 0.2:
        pairs.append(("--param", rng.choice(("c=0.5", "c=nan", "c", "=1", "x=1", "c=1e400", "sum_lambda3=inf"))))
    pairs.append(("--format", rng.choice(("text", "json", "latex"))))
    files: dict[str, bytes] = {}
    if rng.random() < 0.15:   # a schedule read from a file of T steps, well or badly formed
        T = int(kw["T"])
        name, data = rng.choice((
            ("s.txt", " ".join(["0.1"] * min(T, 1000)).encode()), ("s.txt", b"nan 0.1"), ("s.txt", b""),
            ("s.csv", b"0.1,x"), ("s.txt", b"\xff\xfe\x00"), ("s.npy", _npy(np.full(min(T, 1000), 0.1))),
            ("s.npy", _npy(np.ones((2, 2)))), ("s.npy", b"not an npy file"), ("s.npy", _npy(np.array(["a"]))),
            ("s.csv", b"-1"), ("s.txt", b"1e400")))
        files[name] = data
        pairs = [p for p in pairs if p[0] != "--eta"] + [("--schedule", "{tmp}/" + name)]
    return Call("cli query", argv=["query"] + _argv_pairs(pairs, rng), files=files)


def _npy(a: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, a)
    return buffer.getvalue()


def _cli_list(rng: random.Random) -> Call:
    return Call("cli list", argv=["list"] + _argv_pairs([("--format", rng.choice(("text", "json", "latex")))], rng))


def _cli_simulate(rng: random.Random) -> Call:
    from sambounds.cli.simulate import FUNCTIONS

    alg = rng.choice(ALGORITHMS)
    fun = rng.choice(("l-s", "logistic")) if alg in ("n-sam", "m-sam") and rng.random() < 0.8 else rng.choice(FUNCTIONS)
    pairs = [("--function", fun), ("--algorithm", alg), ("-T", str(rng.randint(1, 8))), ("--dim", "2"),
             ("--starts", "2"), ("--beta", "1"), ("--mu", "0.1"), ("--rho", "0.05"), ("--seed", "0"),
             ("--radius", "1"), ("--batch-size", "1"), ("--format", rng.choice(("text", "json")))]
    if rng.random() < 0.05:
        pairs.append(("--backend", "torch"))
    if rng.random() < 0.4:
        pairs.append(("--eta", rng.choice(("0.5", "2.5", "0.01"))))
    argv = _argv_pairs(pairs, rng)
    return Call("cli simulate", argv=["simulate"] + _cap_sizes(argv, {"-T": 2000, "--dim": 64, "--starts": 64,
                                                                        "--batch-size": 10**4}))


def _cap_sizes(argv: list[str], caps: dict[str, int]) -> list[str]:
    """Valid but expensive sizes (T = 10^40 steps, 10^6 dimensions) are a user's choice, not an error: cap them."""
    out = list(argv)
    for i in range(len(out) - 1):
        if out[i] in caps:
            try:
                n = int(out[i + 1])
            except ValueError:
                continue
            if n > caps[out[i]]:
                out[i + 1] = str(caps[out[i]])
    return out


def _cli_worst_case(rng: random.Random) -> Call:
    kw = setting_kwargs(rng, algorithms=("gd", "usam", "sam"), classes=("convex", "strongly-convex", "nonconvex"),
                        T=(1, 2), schedule=False)
    kw["eta"] = 0.5
    pairs = _setting_pairs(rng, kw) + [("--measure", rng.choice(("f", "dist", "grad", "min-grad"))),
                                       ("--search-evals", "2"), ("--format", rng.choice(("text", "json")))]
    if rng.random() < 0.1:
        pairs.append(("--witness-out", rng.choice(("{tmp}/w.json", "/nonexistent/dir/w.json", "{tmp}"))))
    argv = _argv_pairs(pairs, rng)
    if "--T" in argv and rng.random() < 0.1:
        argv[argv.index("--T") + 1] = rng.choice(("100000000", "9007199254740993", "1000000"))
    return Call("cli worst-case", argv=["worst-case"] + _cap_sizes(argv, {"--search-evals": 3}))


def _cli_check(rng: random.Random) -> Call:
    files = {"b.toml": toml_text(rng).encode()}
    path = rng.choice(("{tmp}/b.toml",) * 8 + ("{tmp}/missing.toml", "{tmp}", "/nonexistent/b.toml"))
    if rng.random() < 0.05:
        files["b.toml"] = b"\xff\xfe\x80[[bound]]"
    pairs = [("--budget", "0"), ("--replicas", "2"), ("--seed", "0"), ("--format", rng.choice(("text", "json")))]
    argv = _argv_pairs(pairs, rng, p_valid=0.6) + ["--quick"]   # default sizes: correct, but seconds per call
    argv += [] if "--budget" in argv else ["--budget", "0"]       # so is the default search
    return Call("cli check", argv=["check", path] + _cap_sizes(argv, {"--budget": 0, "--replicas": 4}), files=files)


def _cli_check_schedule(rng: random.Random) -> Call:
    kw = setting_kwargs(rng, algorithms=("sam", "usam", "gd", "n-sam"), schedule=False, T=(1, 6))
    pairs = _setting_pairs(rng, kw) + [("--target", rng.choice(("0.1", "10"))),
                                       ("--pep-max-T", "0"), ("--format", rng.choice(("text", "json")))]
    pairs.append(rng.choice((("--eta", "0.5"), ("--schedule", "cosine"), ("--schedule", "linear"),
                             ("--schedule", "theorem-a"), ("--schedule", "warmup"))))
    argv = _argv_pairs(pairs, rng) + ["--quick"]
    return Call("cli check-schedule", argv=["check-schedule"] + _cap_sizes(argv, {"--T": 6, "--pep-max-T": 1}))


def _cli_report(rng: random.Random) -> Call:
    name = rng.choice(("paper/D-SC/rate", "D-SC/theorem-a/prescribed", "nope", "", "paper/D-SC/rate "))
    pairs = [("--budget", "0"), ("--replicas", "2"), ("--bound", name), ("--seed", "0"),
             ("--format", rng.choice(("text", "json")))]
    if rng.random() < 0.1:
        pairs.append(("--out", rng.choice(("{tmp}/r.json", "/nonexistent/dir/r.json", "{tmp}"))))
    if rng.random() < 0.05:
        pairs.append(("--executor", rng.choice(("thread", "1"))))
    argv = _argv_pairs(pairs, rng) + ["--quick"]
    argv += [] if "--budget" in argv else ["--budget", "0"]
    if "--bound" not in argv:   # the whole catalog: correct but minutes long
        argv += ["--bound", "nope"]
    return Call("cli report", argv=["report"] + _cap_sizes(argv, {"--budget": 0, "--replicas": 4}))


def _cli_prove(rng: random.Random) -> Call:
    roll = rng.random()
    if roll < 0.3:
        argv = ["prove", "--list"]
    elif roll < 0.4:
        argv = ["prove", "l_sc_cycle"] + ([] if rng.random() < 0.5 else ["--no-z3"])   # a short proof, both judges
    else:
        argv = ["prove", rng.choice(("nope", "", "../etc/passwd", "d_sc_one_dim.py", "x" * 300, "-1"))]
        argv += _argv_pairs([("--z3-timeout", "1000"), ("--dir", "{tmp}")], rng, p_valid=0.0)
    return Call("cli prove", argv=argv)


def _cli_conform(rng: random.Random) -> Call:
    factory = rng.choice(("nonexistent_module:factory", "math:sqrt", "json:dumps", "", ":", "a:b:c", "math",
                          "sambounds:__version__", "math:nope", "builtins:len", "fractions:Fraction",
                          # the tests' own NumPy optimizers: a correct SAM, one returning NaN, one raising, a non-step
                          "adapter_user_sam:sam_global_norm", "adapter_user_sam:nan_step",
                          "adapter_user_sam:raising_factory", "adapter_user_sam:not_a_step"))
    pairs = [("--framework", "numpy"), ("-T", "3"), ("--eta", "0.5"), ("--rho", "0.05"), ("--seed", "0")]
    return Call("cli conform", argv=["conform", factory] + _cap_sizes(_argv_pairs(pairs, rng), {"-T": 10}))


def _cli_rerun(rng: random.Random) -> Call:
    docs = witnesses()
    doc = _mutate_json(rng, docs[rng.choice(sorted(docs))]) if rng.random() < 0.9 else \
        docs[rng.choice(sorted(docs))]
    try:
        data = json.dumps(doc).encode()
    except (TypeError, ValueError):
        data = repr(doc).encode()
    if rng.random() < 0.15:
        data = rng.choice((b"", b"{", b"[]", b"null", b"\xff\xfe", b'{"kind": 1}', b"NaN"))
    path = rng.choice(("{tmp}/w.json",) * 8 + ("{tmp}/missing.json", "{tmp}"))
    argv = ["rerun", path] + _argv_pairs([("--format", rng.choice(("text", "json")))], rng, p_valid=0.8)
    return Call("cli rerun", argv=argv, files={"w.json": data})


def _cli_plot(rng: random.Random) -> Call:
    fig = rng.choice(("two-cycle", "fixed-point", "figure1", "rates", "figure2"))
    pairs = [("--out", rng.choice(("{tmp}/f.png",) * 5 + ("{tmp}/f.bmp", "{tmp}/f", "/nonexistent/f.png", "{tmp}")))]
    if fig in ("two-cycle", "fixed-point", "figure1"):
        pairs += [("--T", "5"), ("--rho", "0.05"), ("--eta", "0.5")]
    else:
        pairs += [("--rho", "0.05"), ("--beta", "1")]
    argv = _argv_pairs(pairs, rng)
    return Call("cli plot", argv=["plot", fig] + _cap_sizes(argv, {"--T": 50}))


def _cli_toplevel(rng: random.Random) -> Call:
    return Call("cli (no command)", argv=rng.choice(([], ["--version"], ["nope"], ["--help"], ["-h"], ["query"],
                                                    ["worst-case", "--help"], ["--bogus"])))


#: entry point -> builder of one random call; ``COST`` says which are expensive per call
ENTRY_POINTS: dict[str, Callable[[random.Random], Call]] = {
    "Setting.create": _setting_create, "Setting.from_dict": _setting_from_dict, "query": _query,
    "Bound.evaluate": _bound_evaluate, "evaluate_many": _evaluate_many, "schedules": _schedule_steps,
    "schedule_from_dict": _schedule_from_dict, "functions": _function_families, "simulate": _simulate,
    "verify_schedule": _verify_schedule, "worst_case": _worst_case, "load_bounds": _load_bounds,
    "bounds_from_mapping": _bounds_from_mapping, "check_bound": _check_bound, "rerun": _rerun,
    "cli query": _cli_query, "cli list": _cli_list, "cli simulate": _cli_simulate, "cli worst-case": _cli_worst_case,
    "cli check": _cli_check, "cli check-schedule": _cli_check_schedule, "cli report": _cli_report,
    "cli prove": _cli_prove, "cli conform": _cli_conform, "cli rerun": _cli_rerun, "cli plot": _cli_plot,
    "cli": _cli_toplevel,
}
#: entry points whose accepted calls take around a second (the test gives them fewer examples)
EXPENSIVE = frozenset({"verify_schedule", "check_bound", "cli check", "cli check-schedule", "cli report", "cli prove", "cli plot",
                       "cli rerun", "rerun", "cli conform", "cli list"})


def draw(entry: str, rng: random.Random) -> Call:
    """One random call of ``entry``."""
    return ENTRY_POINTS[entry](rng)


__all__ = ["Call", "ContractViolation", "DOCUMENTED", "ENTRY_POINTS", "EXPENSIVE", "Outcome", "draw", "nonfinite",
           "run_call", "same", "warm_up", "witnesses"]
