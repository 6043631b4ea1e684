"""Values that flow out of the adversary: the worst instance, search trials, the search's history.

:class:`Worst` is the instance with the largest ratio measured/bound of an attack (menu or
search); :func:`worst_of` picks it from one probe's :class:`~sambounds.check.probe.Evaluation`.
:class:`Trial` is one evaluated candidate of the search (where it is: family and parameters),
:class:`GroupHistory` the best ratio per generation of one (algorithm, family) search, and
:class:`SearchResult` everything the search returns (JSON-ready through ``to_dict``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # the check package imports this module
    from ..check.probe import Evaluation, Probe


@dataclass(frozen=True)
class Worst:
    """The instance with the largest ratio seen so far (probe, index (f, s0, k), evaluation numbers)."""

    score: tuple
    ratio: float
    probe: Probe
    index: tuple
    measured: float
    value: float
    tol: float
    lower: float


def worst_of(ev: Evaluation, probe: Probe) -> Worst | None:
    """The applicable run that most exceeds the bound; without an excess, the one with the largest ratio.

    ``score`` orders candidates across probes: (1, relative excess) for a violation, (0, ratio)
    otherwise.
    """
    app = ev.applicable
    if not app.any():
        return None
    excess = np.where(app, ev.lower - ev.value - ev.tol, -np.inf)
    ratios = np.where(app, ev.ratio("lower"), -np.inf)
    if (excess > 0).any():
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(excess > 0, excess / (np.abs(ev.value) + ev.tol), -np.inf)
        i = np.unravel_index(int(np.argmax(rel)), rel.shape)
        score = (1, float(rel[i]))
    else:
        i = np.unravel_index(int(np.argmax(ratios)), ratios.shape)
        score = (0, float(ratios[i]))
    idx = tuple(int(j) for j in i)
    return Worst(score, float(ratios[i]), probe, idx, float(ev.measured[i]), float(ev.value[i]),
                 float(ev.tol[i]), float(ev.lower[i]))



def _num(x: float) -> float | str:
    x = float(x)
    return x if np.isfinite(x) else str(x)


@dataclass(frozen=True)
class Trial:
    """One evaluated candidate: where it is and what it reached.

    ``ratio`` is measured/bound (the sample mean for expectations, so the search climbs on the
    estimate); ``worst`` is the candidate as a :class:`Worst` (confidence-bound ratio, violation
    score) or None when no run of it satisfied the bound's conditions.
    """

    group: str
    where: dict
    ratio: float
    worst: Worst | None
    diverged: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "where": self.where, "ratio": _num(self.ratio), "diverged": self.diverged}


@dataclass(frozen=True)
class GroupHistory:
    """The search over one (algorithm, family): evaluations and best ratio after each generation."""

    group: str
    evaluations: int
    best_per_generation: tuple
    best: Trial | None

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "evaluations": self.evaluations,
                "best_per_generation": [_num(x) for x in self.best_per_generation],
                "best": None if self.best is None else self.best.to_dict()}


@dataclass(frozen=True)
class SearchResult:
    """What :func:`sambounds.adversary.search.search_upper` returns.

    ``best`` is the candidate with the largest violation score (else ratio) over every group;
    ``groups`` the per-group histories; ``method`` names the optimizer and its settings.
    """

    best: Trial | None
    groups: tuple
    evaluations: int
    method: str
    budget: int

    @property
    def best_ratio(self) -> float | None:
        return None if self.best is None else self.best.ratio

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "budget": self.budget, "evaluations": self.evaluations,
                "best": None if self.best is None else self.best.to_dict(),
                "groups": [g.to_dict() for g in self.groups]}
