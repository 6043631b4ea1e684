"""Frozen reports returned by the checker."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StepReport:
    """The verdict on one checked item (a step, a param, a structural requirement)."""

    where: str
    what: str
    justification: str
    verified: bool
    method: str = ""
    reason: str = ""


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

    def summary(self) -> str:
        if self.error:
            return f"{self.id}: FAILED ({self.error})"
        if self.verified:
            return f"{self.id}: verified ({len(self.theorems)} theorems, {self.n_steps} checks)"
        name, item = self.failures[0]
        return f"{self.id}: FAILED in {name} at {item.where}: {item.reason}"
