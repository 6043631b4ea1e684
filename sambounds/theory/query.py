"""``query``: what the catalog guarantees for a Setting, and ``evaluate_many`` for arrays of constants.

For each bound about the Setting's algorithm and function class, :func:`query` decides, in
this order: the step-size assumption (checked entrywise on the schedule, or the prescribed
rule evaluated), the values the formula needs, the conditions, and only then evaluates.  A
failing step, missing value or failing condition is reported with its reason and the bound is
not evaluated.

Which bounds are about a Setting:

- algorithm: the bound is proved for it; or the Setting is GD and the bound is for deterministic
  SAM or USAM (evaluated at rho = 0, where both are GD); or the Setting is SAM/USAM with rho = 0
  and the bound is a GD reference;
- class: an upper bound proved for a class containing the Setting's class; a lower bound whose
  construction lies in a class contained in the Setting's class (:meth:`FunctionClass.contains`).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import numpy as np
import sympy as sp

from .. import _validate as v
from ..errors import InvalidParameterError
from ..schedules import DecreasingSC, Schedule, check_steps
from ..setting import Algorithm, Setting
from . import symbols as S
from .bound import Bound
from .catalog import Catalog, catalog
from .results import Entry, QueryResult
from .schedule_sums import schedule_sums
from .terms import Kind, StepKind

_DETERMINISTIC_SAM = {Algorithm.SAM, Algorithm.USAM}
#: the keywords of :meth:`Setting.create`, accepted by ``query`` in place of a Setting
_SETTING_FIELDS = frozenset(inspect.signature(Setting.create).parameters)


def query(setting: Setting | None = None, *, extra: Iterable[Bound] = (), params: Mapping[str, Any] | None = None,
          source: Catalog = catalog, **keywords: Any) -> QueryResult:
    """Judge every relevant bound of the catalog (plus ``extra``) for a Setting.

    Parameters
    ----------
    setting : Setting, optional
        The question.  Alternatively pass its fields as keywords (the shortcut of
        :meth:`Setting.create`): ``query(algorithm="sam", function_class="strongly-convex",
        beta=1, mu=0.01, rho=0.05, T=10_000, Delta=1, eta=0.01)``.
    extra : iterable of Bound
        User bounds judged alongside the catalog (nothing is registered globally).
    params : mapping, optional
        Values of construction parameters (``c``, ``p``, ``a``) or problem data outside a
        Setting (``sum_lambda3``), by symbol name.
    source : Catalog
        The catalog to read (default: :data:`sambounds.theory.catalog.catalog`).

    Returns
    -------
    QueryResult

    Raises
    ------
    InvalidParameterError
        Invalid Setting fields, both a Setting and keywords, or non-finite ``params``.
    """
    if setting is None:
        kw = dict(keywords)
        missing = [k for k in ("algorithm", "function_class", "T", "beta") if k not in kw]
        if missing:
            raise InvalidParameterError(missing[0], None, "a value", "query() needs a Setting or its fields")
        unknown = sorted(set(kw) - _SETTING_FIELDS)
        if unknown:
            raise InvalidParameterError(unknown[0], kw[unknown[0]], f"a keyword among {sorted(_SETTING_FIELDS)}",
                                        "query() takes the fields of Setting.create")
        setting = Setting.create(kw.pop("algorithm"), kw.pop("function_class"), **kw)
    elif keywords:
        raise InvalidParameterError(next(iter(keywords)), keywords[next(iter(keywords))],
                                    "absent when a Setting is given", "pass either a Setting or keywords")
    if not isinstance(setting, Setting):
        raise InvalidParameterError("setting", setting, "a sambounds.Setting")
    params = v.mapping("params", params)
    for name in params:
        if name not in S.EXTRA:
            raise InvalidParameterError("params", name, f"one of {sorted(S.EXTRA)}",
                                        "constants and steps come from the Setting")
        params[name] = v.real(f"params.{name}", params[name])
    if not isinstance(source, Catalog):
        raise InvalidParameterError("source", source, "a sambounds Catalog")
    if isinstance(extra, (str, Bound)) or not isinstance(extra, Iterable):
        raise InvalidParameterError("extra", extra, "an iterable of sambounds Bound instances")
    bounds = tuple(source) + tuple(extra)
    for b in bounds:
        if not isinstance(b, Bound):
            raise InvalidParameterError("extra", b, "sambounds Bound instances")
    base = _base_values(setting)
    entries = []
    for b in bounds:
        via = _relevance(b, setting)
        if via is not False:
            entries.append(_judge(b, setting, base, params, via))
    gaps = tuple(g for g in source.gaps if setting.algorithm in g.algorithms
                 and g.function_class is setting.function_class)
    return QueryResult(setting, tuple(entries), gaps)


@dataclass(frozen=True)
class VectorEvaluation:
    """Result of :func:`evaluate_many`.

    ``value`` holds the bound where ``valid`` is True and NaN elsewhere (NaN is only a
    placeholder: read ``valid``).  ``failing`` maps each condition that fails somewhere to the
    mask of elements where it fails (``"value is finite"`` for float64 overflow).
    """

    value: np.ndarray
    valid: np.ndarray
    failing: tuple[tuple[str, np.ndarray], ...]


def evaluate_many(bound: Bound | str, **values: Any) -> VectorEvaluation:
    """Evaluate one bound on arrays of constants (broadcast together), with per-element validity.

    Compiled once per formula (cached ``lambdify``); 10^6 tuples take about 0.2 s on a
    2-core VM, within 2x of hand-written numpy (``benchmarks/bench_query.py``).  ``bound`` may be a catalog name.  Missing
    inputs and non-finite inputs raise InvalidParameterError; conditions are reported as masks.
    """
    b = catalog[bound] if isinstance(bound, str) else bound
    if not isinstance(b, Bound):
        raise InvalidParameterError("bound", bound, "a sambounds Bound or a catalog bound name")
    b.check_names(values)
    env = b.resolve(values)
    checks = b.check(env)
    out = b.value(env)
    valid = np.ones(out.shape, dtype=bool)
    failing = []
    for text, mask in checks:
        ok = np.broadcast_to(mask, out.shape)
        valid &= ok
        if not ok.all():
            failing.append((text, ~ok))
    finite = np.isfinite(out)
    if not finite[valid].all():
        failing.append(("value is finite", valid & ~finite))
    valid &= finite
    return VectorEvaluation(np.where(valid, out, np.nan), valid, tuple(failing))


# ---- internals ------------------------------------------------------------------------------------
def _base_values(setting: Setting) -> dict[str, Any]:
    c = setting.constants
    values: dict[str, Any] = {k: v for k, v in c.as_dict().items()}
    values["rho"] = setting.rho
    values["T"] = float(setting.T)
    return values


def _relevance(b: Bound, s: Setting):
    """False when the bound is not about this Setting; otherwise None or a note on how it applies."""
    if b.kind is Kind.UPPER:
        fits_class = b.function_class.contains(s.function_class)
    else:
        fits_class = s.function_class.contains(b.function_class)
    if not fits_class:
        return False
    if s.algorithm in b.algorithms:
        return None
    if s.algorithm is Algorithm.GD and b.algorithms & _DETERMINISTIC_SAM:
        return "SAM/USAM bound at rho = 0 (both are GD there)"
    if s.rho == 0 and s.algorithm in _DETERMINISTIC_SAM and Algorithm.GD in b.algorithms:
        return f"GD reference ({s.algorithm.value} with rho = 0 is GD)"
    return False


def _judge(b: Bound, s: Setting, base: dict[str, Any], params: dict[str, Any], via) -> Entry:
    values = {**base, **params}
    step, eta, for_setting, problem = _steps(b, s, values)
    if problem is not None:
        status = "needs-step" if isinstance(problem, _NeedsStep) else "fails"
        return Entry(b, status, None, str(problem), (), step, eta, for_setting, via)
    try:
        env = b.resolve(values)
    except InvalidParameterError as exc:
        if exc.value is None:
            return Entry(b, "missing", None, f"needs {exc.name}, which is not given", (), step, eta, for_setting, via)
        return Entry(b, "fails", None, str(exc), (), step, eta, for_setting, via)
    holds = []
    for text, mask in b.check(env):
        if not bool(np.all(mask)):
            return Entry(b, "fails", None, f"condition {text} fails", tuple(holds), step, eta, for_setting, via)
        holds.append(text)
    value = float(b.value(env))
    if not np.isfinite(value):
        return Entry(b, "overflow", None, "the value is not finite in float64 for these constants", tuple(holds),
                     step, eta, for_setting, via)
    if not b.explicit:
        return Entry(b, "order-only", value, f"order only: {b.order}; constant: {b.order.constant}",
                     tuple(holds), step, eta, for_setting, via)
    if b.restriction is not None:
        return Entry(b, "restricted", value, f"holds only for {b.restriction}", tuple(holds), step, eta,
                     for_setting, via)
    return Entry(b, "applies", value, None, tuple(holds), step, eta, for_setting, via)


class _NeedsStep(str):
    """A step problem that only a step size would fix (status ``needs-step``, not ``fails``)."""


def _steps(b: Bound, s: Setting, values: dict[str, Any]):
    """Fill ``values`` with the step quantities the bound needs.

    Returns (step description, constant eta or None, for_setting, problem or None).
    """
    kind = b.step.kind
    own = s.schedule.describe() if s.has_schedule else "none given"
    if kind is StepKind.UNSPECIFIED:
        return b.step.describe(), None, not s.has_schedule, None
    if kind is StepKind.PRESCRIBED:
        rule = _rule_for(b.step.rule, s.schedule)
        try:
            eta, matches = _prescribed(rule, s)
        except InvalidParameterError as exc:
            return f"prescribed {rule.describe()}", None, False, f"the prescribed step cannot be used: {exc}"
        except (OverflowError, ZeroDivisionError):
            return (f"prescribed {rule.describe()}", None, False,
                    "the prescribed step overflows float64 for these constants")
        text = f"prescribed {rule.describe()}" + (f" = {eta:.6g}" if eta is not None else "")
        if isinstance(rule, DecreasingSC):
            values["a"] = float(rule.offset(s.constants))
            text = f"prescribed {rule.name}: eta_t = 2/(mu (t + a)), a = {rule.offset(s.constants)}"
        if eta is not None:
            values["eta"] = eta
        return text, eta, matches or not s.has_schedule, None
    if not s.has_schedule:
        if kind is StepKind.EVERY_CONSTANT:
            return b.step.describe(), None, True, None
        need = "a schedule" if kind is StepKind.SCHEDULE else "a constant step eta"
        return b.step.describe(), None, False, _NeedsStep(f"needs {need}; the Setting has none "
                                                          "(give eta or a schedule)")
    steps = s.steps
    if kind is StepKind.SCHEDULE:
        values.update(schedule_sums(steps, values.get("mu")))
        problem = _entrywise(b, steps, values)
        return f"setting: {own}", None, True, problem
    if not np.all(steps == steps[0]):
        return f"setting: {own}", None, True, f"needs a constant step; the schedule {own} varies"
    values["eta"] = float(steps[0])
    return f"setting: {own}", float(steps[0]), True, None


def _prescribed(rule: Schedule, s: Setting) -> tuple[float | None, bool]:
    """The rule's constant step (None for a varying rule) and whether the Setting runs exactly this rule.

    Constant rules are evaluated as one number (through the rule's scalar formula, validated like
    a length-1 schedule) so that a horizon of 10^12 costs nothing; the decreasing rule is compared
    by its offset a.
    """
    if isinstance(rule, DecreasingSC):
        rule.offset(s.constants)  # validates a (and that mu is there)
        same = isinstance(s.schedule, DecreasingSC) and s.schedule.offset(s.constants) == rule.offset(s.constants)
        return None, same
    eta = rule.constant_step(s.T, s.constants)
    if eta is None:  # a rule that varies with t: evaluate it fully
        steps = rule.steps(s.T, s.constants)
        return None, s.has_schedule and np.array_equal(steps, s.steps)
    return eta, s.has_schedule and bool(np.all(s.steps == eta))


def _rule_for(rule: Schedule, own: Schedule | None) -> Schedule:
    """The Setting's own schedule when it is this rule (e.g. DecreasingSC with a chosen a), else the rule."""
    if own is not None and (own == rule or (isinstance(rule, DecreasingSC) and isinstance(own, DecreasingSC))):
        return own
    return rule


def _entrywise(b: Bound, steps: np.ndarray, values: dict[str, Any]) -> str | None:
    """Check eta_t <= limit for every t; name the first t where it fails."""
    limit = b.step.limit
    bound_value = b.limit_value(values)
    if bound_value is None:
        return None  # no limit, or resolve() reports the missing constant
    bad = steps >= bound_value if b.step.strict else steps > bound_value
    if bad.any():
        t = int(np.argmax(bad))
        cmp = "<" if b.step.strict else "<="
        return (f"step condition eta_t {cmp} {sp.sstr(limit)} = {bound_value:.6g} fails at t = {t} "
                f"(eta_{t} = {steps[t]:.6g})")
    return None
