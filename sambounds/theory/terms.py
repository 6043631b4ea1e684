"""The vocabulary a Bound is described in: kind, quantity, provenance, order form, step assumption.

Upper bounds hold for every function of the class (and every start with the given Delta or D).
Lower bounds are statements about the worst case over the class: there is a function of the class
(a construction of docs/theory.md section 5, or a tight instance from the literature) on which the
quantity is at least the value.  Hence an upper bound proved for a class applies to every smaller
class, and a lower bound proved with a function of a class applies to every larger class.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..errors import InvalidParameterError
from ..schedules import Schedule
from .symbols import parse


class _Choice(str, enum.Enum):
    @classmethod
    def parse(cls, value: Any):
        if isinstance(value, cls):
            return value
        if isinstance(value, str):  # an array or a list is refused, never compared elementwise
            for member in cls:
                if value == member.value:
                    return member
        raise InvalidParameterError(cls.__name__.lower(), value, f"one of {[m.value for m in cls]}")

    def __str__(self) -> str:
        return self.value


class Kind(_Choice):
    UPPER = "upper"
    LOWER = "lower"


class Provenance(_Choice):
    """Where a statement comes from (docs/theory.md section 0: section 2 = paper, 4-5 = derived,
    3 = literature; ``user`` = registered by a user, an unproven claim that the checkers attack)."""

    PAPER = "paper"
    DERIVED = "derived"
    LITERATURE = "literature"
    USER = "user"


class Quantity(_Choice):
    """What a bound is about.  ``label`` is the mathematical expression it bounds."""

    GAP = "gap"
    GAP_AVG = "gap-avg"
    DIST = "dist"
    GRAD_AVG = "grad-avg"
    GRAD_MIN = "grad-min"
    GRAD_WSUM = "grad-wsum"
    E_GAP = "e-gap"
    E_GRAD_AVG = "e-grad-avg"
    E_GRAD_WSUM = "e-grad-wsum"
    LIM_GAP = "lim-gap"
    LIM_GRAD_AVG = "lim-grad-avg"
    LIMINF_E_GAP = "liminf-e-gap"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Quantity.GAP: "f(x_T) - f*",
    Quantity.GAP_AVG: "(1/T) sum_{t<T} f(x_t) - f*",
    Quantity.DIST: "||x_T - x*||^2",
    Quantity.GRAD_AVG: "(1/T) sum_{t<T} ||grad f(x_t)||^2",
    Quantity.GRAD_MIN: "min_{t<T} ||grad f(x_t)||^2",
    Quantity.GRAD_WSUM: "sum_{t<T} eta_t ||grad f(x_t)||^2",
    Quantity.E_GAP: "E f(x_T) - f*",
    Quantity.E_GRAD_AVG: "(1/T) sum_{t<T} E ||grad f(x_t)||^2",
    Quantity.E_GRAD_WSUM: "sum_{t<T} eta_t E ||grad f(x_t)||^2",
    Quantity.LIM_GAP: "lim_{t->inf} f(x_t) - f*",
    Quantity.LIM_GRAD_AVG: "lim_{T->inf} (1/T) sum_{t<T} ||grad f(x_t)||^2",
    Quantity.LIMINF_E_GAP: "liminf_{t->inf} E f(x_t) - f*",
}

ORDER_SYMBOLS = ("O", "O~", "o", "Omega", "Theta", "Theta~")


@dataclass(frozen=True)
class Order:
    """Order form ``symbol(shape)`` with the hidden constant named.

    For ``paper`` entries the constant is unknown (the abstract gives orders only); for
    ``derived`` and ``literature`` entries the explicit expression is the bound and the order
    form is its simplification, the constant then being an explicit number or factor.
    """

    symbol: str
    shape: sp.Expr
    constant: str

    def __post_init__(self) -> None:
        if self.symbol not in ORDER_SYMBOLS:
            raise InvalidParameterError("order.symbol", self.symbol, f"one of {ORDER_SYMBOLS}")
        object.__setattr__(self, "shape", parse(self.shape, "order.shape"))

    def __str__(self) -> str:
        return f"{self.symbol}({sp.sstr(self.shape)})"

    @property
    def latex(self) -> str:
        head = {"O~": r"\tilde{O}", "Theta~": r"\tilde{\Theta}", "Omega": r"\Omega",
                "Theta": r"\Theta"}.get(self.symbol, self.symbol)
        return rf"{head}\left({sp.latex(self.shape)}\right)"


class StepKind(_Choice):
    """How a bound constrains the step sizes.

    ``schedule``: any schedule with eta_t <= limit for every t (schedule-generic; written in
    the functionals of :mod:`.symbols`).  ``constant``: eta_t = eta for all t, with eta <= limit.
    ``every-constant``: holds for every constant step (the value does not depend on it).
    ``prescribed``: the theorem's own rule (a :mod:`sambounds.schedules` prescribed class).
    ``unspecified``: a paper claim whose step size is not known here.
    """

    SCHEDULE = "schedule"
    CONSTANT = "constant"
    EVERY_CONSTANT = "every-constant"
    PRESCRIBED = "prescribed"
    UNSPECIFIED = "unspecified"


@dataclass(frozen=True)
class StepAssumption:
    """The step-size assumption of a bound (see :class:`StepKind`).

    ``limit`` is an expression in the constants (e.g. ``1/beta``); the step condition is
    eta_t <= limit (eta_t < limit when ``strict``), checked entrywise on the schedule.
    """

    kind: StepKind
    limit: sp.Expr | None = None
    strict: bool = False
    rule: Schedule | None = None

    def __post_init__(self) -> None:
        kind = StepKind.parse(self.kind)
        object.__setattr__(self, "kind", kind)
        if self.limit is not None:
            object.__setattr__(self, "limit", parse(self.limit, "step.limit"))
        if (kind is StepKind.PRESCRIBED) != (self.rule is not None):
            raise InvalidParameterError("step.rule", self.rule,
                                        "a Schedule exactly when the kind is 'prescribed'")
        if self.limit is not None and kind not in (StepKind.SCHEDULE, StepKind.CONSTANT):
            raise InvalidParameterError("step.limit", self.limit, "None unless kind is 'schedule' or 'constant'")

    def relation(self, eta_symbol: sp.Symbol) -> sp.Basic | None:
        """``eta_symbol <= limit`` (or ``<``), or None when there is no limit."""
        if self.limit is None:
            return None
        return sp.StrictLessThan(eta_symbol, self.limit) if self.strict else sp.LessThan(eta_symbol, self.limit)

    def describe(self) -> str:
        cmp = "<" if self.strict else "<="
        if self.kind is StepKind.SCHEDULE:
            return "any schedule" + (f" with eta_t {cmp} {sp.sstr(self.limit)}" if self.limit is not None else "")
        if self.kind is StepKind.CONSTANT:
            return "constant eta" + (f" {cmp} {sp.sstr(self.limit)}" if self.limit is not None else "")
        if self.kind is StepKind.EVERY_CONSTANT:
            return "every constant eta > 0"
        if self.kind is StepKind.PRESCRIBED:
            return f"prescribed: {self.rule.describe()}"
        return "a step size chosen in the paper (not known here)"
