"""Frozen reports returned by the checker."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StepReport:
    """The verdict on one checked item (a step, a param, a structural requirement).

    ``verified`` is the combined verdict: the sympy judge accepts (``sympy_verified``) and z3
    does not refute.  ``z3`` is the second judge's verdict (``confirmed``, ``refuted``,
    ``undecided``, ``unsupported``; ``""`` where it was not asked) and ``z3_detail`` its
    counterexample or why it did not decide.
    """

    where: str
    what: str
    justification: str
    verified: bool
    method: str = ""
    reason: str = ""
    z3: str = ""
    z3_detail: str = ""
    sympy_verified: bool | None = None


@dataclass(frozen=True)
class TheoremReport:
    name: str
    statement: str
    claim: str
    verified: bool
    items: tuple

    @property
    def failures(self) -> tuple:
        return tuple(i for i in self.items if not i.verified)

    @property
    def z3_counts(self) -> dict:
        return _count(self.items)


def _count(items) -> dict:
    """``{verdict: number of items}`` over the items the second judge was asked about."""
    out = {"confirmed": 0, "undecided": 0, "unsupported": 0, "refuted": 0}
    for i in items:
        if i.z3:
            out[i.z3] += 1
    return out


@dataclass(frozen=True)
class ProofReport:
    """The verdict on one ``proofs/<id>.py`` file."""

    id: str
    title: str
    verified: bool
    theorems: tuple
    error: str = ""
    checked_numerically: str = ""

    @property
    def n_steps(self) -> int:
        return sum(len(t.items) for t in self.theorems)

    @property
    def failures(self) -> tuple:
        return tuple((t.name, i) for t in self.theorems for i in t.failures)

    @property
    def z3_counts(self) -> dict:
        """Second-judge verdicts over every item it was asked about (steps, chain ends, claims)."""
        return _count([i for t in self.theorems for i in t.items])

    @property
    def sympy_verified(self) -> bool:
        """The first judge's verdict alone (every item accepted by the sympy deciders)."""
        return bool(self.theorems) and all(i.sympy_verified is not False and (i.sympy_verified or i.verified)
                                           for t in self.theorems for i in t.items)

    def summary(self) -> str:
        if self.error:
            return f"{self.id}: FAILED ({self.error})"
        if self.verified:
            return f"{self.id}: verified ({len(self.theorems)} theorems, {self.n_steps} checks)"
        name, item = self.failures[0]
        return f"{self.id}: FAILED in {name} at {item.where}: {item.reason}"
