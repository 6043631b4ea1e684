"""Values a query returns: one :class:`Entry` per relevant bound, gathered in a :class:`QueryResult`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..setting import Setting
from .bound import Bound
from .catalog import Gap
from ..errors import InvalidParameterError
from .terms import Kind, Quantity, StepKind

#: Entry statuses.  Only ``applies`` is a numeric guarantee for the Setting.
STATUSES = {
    "applies": "holds for this Setting; value is a valid bound",
    "order-only": "a paper claim: the value is the order shape, the constant is unknown",
    "restricted": "holds only on a subclass (see reason); not a guarantee for the whole class",
    "fails": "a condition or the step-size assumption fails (see reason); not evaluated",
    "needs-step": "needs a step size (a constant eta or a schedule) that the Setting does not give; not evaluated",
    "missing": "needs a value the Setting does not give (see reason); not evaluated",
    "overflow": "the value is not finite in float64 for these constants; not reported",
}


@dataclass(frozen=True)
class Entry:
    """One bound, judged for one Setting.

    ``value`` is None unless ``status`` is ``applies``, ``order-only`` or ``restricted``.
    ``for_setting`` is True when the statement concerns the Setting's own step sizes (or, for a
    Setting without a schedule, the step the bound prescribes or every constant step).
    """

    bound: Bound
    status: str
    value: float | None
    reason: str | None
    holds: tuple[str, ...]
    step: str
    eta: float | None
    for_setting: bool
    via: str | None = None

    @property
    def name(self) -> str:
        return self.bound.name

    @property
    def valid(self) -> bool:
        """True when the entry is a numeric, certified-for-this-Setting bound."""
        return self.status == "applies"

    def to_dict(self) -> dict[str, Any]:
        b = self.bound
        return {
            "name": b.name, "kind": b.kind.value, "quantity": b.quantity.value, "quantity_label": b.quantity.label,
            "status": self.status, "value": self.value, "reason": self.reason, "conditions_hold": list(self.holds),
            "step": self.step, "eta": self.eta, "for_setting": self.for_setting, "via": self.via,
            "formula": b.formula, "latex": b.latex, "order": str(b.order), "hidden_constant": b.order.constant,
            "provenance": b.provenance.value, "explicit": b.explicit, "proof": b.proof, "citation": b.citation,
            "restriction": b.restriction, "statement": b.statement,
        }


@dataclass(frozen=True)
class QueryResult:
    """Every bound about the Setting's algorithm and class, judged; plus the best ones per quantity.

    ``best_upper`` holds, per quantity, the valid upper bound with the smallest value and
    ``best_lower`` the valid lower bound with the largest value, among entries with
    ``for_setting`` True.  ``gaps`` lists the open rows of docs/theory.md for this algorithm and class:
    there the catalog has no bound, which is reported, not an error.
    """

    setting: Setting
    entries: tuple[Entry, ...]
    gaps: tuple[Gap, ...]

    def _best(self, kind: Kind) -> tuple[Entry, ...]:
        best: dict[Quantity, Entry] = {}
        for e in self.entries:
            if e.valid and e.for_setting and e.bound.kind is kind:
                cur = best.get(e.bound.quantity)
                better = cur is None or (e.value < cur.value if kind is Kind.UPPER else e.value > cur.value)
                if better:
                    best[e.bound.quantity] = e
        return tuple(best[q] for q in Quantity if q in best)

    @property
    def best_upper(self) -> tuple[Entry, ...]:
        return self._best(Kind.UPPER)

    @property
    def best_lower(self) -> tuple[Entry, ...]:
        return self._best(Kind.LOWER)

    @property
    def best_prescribed(self) -> tuple[Entry, ...]:
        """Per quantity, the smallest valid upper bound among theorems run with their own prescribed step.

        Answers "with which step size": it may differ from the Setting's schedule (see ``step``).
        """
        best: dict[Quantity, Entry] = {}
        for e in self.entries:
            if e.valid and e.bound.kind is Kind.UPPER and e.bound.step.kind is StepKind.PRESCRIBED:
                cur = best.get(e.bound.quantity)
                if cur is None or e.value < cur.value:
                    best[e.bound.quantity] = e
        return tuple(best[q] for q in Quantity if q in best)

    def best(self, quantity: Quantity | str, kind: Kind | str = Kind.UPPER) -> Entry | None:
        """The best valid bound of ``kind`` on ``quantity``, or None (no bound in the catalog)."""
        q, k = Quantity.parse(quantity), Kind.parse(kind)
        return next((e for e in self._best(k) if e.bound.quantity is q), None)

    def entry(self, name: str) -> Entry:
        for e in self.entries:
            if e.name == name:
                return e
        raise KeyError(name)

    @property
    def applicable(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.valid)

    def to_dict(self) -> dict[str, Any]:
        return {
            "setting": _setting_dict(self.setting),
            "entries": [e.to_dict() for e in self.entries],
            "best_upper": {e.bound.quantity.value: {"name": e.name, "value": e.value} for e in self.best_upper},
            "best_lower": {e.bound.quantity.value: {"name": e.name, "value": e.value} for e in self.best_lower},
            "best_prescribed": {e.bound.quantity.value: {"name": e.name, "value": e.value, "step": e.step, "eta": e.eta}
                                for e in self.best_prescribed},
            "gaps": [g.to_dict() for g in self.gaps],
            "statuses": dict(STATUSES),
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), allow_nan=False, **kwargs)


def _setting_dict(setting: Setting) -> dict[str, Any]:
    try:
        return setting.to_dict()
    except InvalidParameterError:  # a callable schedule has no JSON form: describe it instead
        return {**setting.replace(schedule=None).to_dict(), "schedule": setting.schedule.describe()}
