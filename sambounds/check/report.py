"""Report: the verdict of one check on one bound, with its evidence.

Verdicts
--------
``holds``
    Upper bound: no instance of the attack exceeded it (beyond the rounding slack, or, for
    expectations, significantly).  Not a proof: "the attack did not break it".
    Order-only (``paper``) entry: the fitted rate is consistent with the order form.
``violated``
    Upper bound: an instance exceeded it; lower bound: its construction stayed below it (after
    convergence); order-only entry: the fitted rate contradicts the order form.  A violation
    carries a witness (:mod:`.witness`) that re-runs to the same numbers.
``witnessed``
    Lower bound: its construction reached it at every grid point.
``not applicable``
    No instance satisfied the bound's conditions (or no attack exists for its class/quantity).
``inconclusive``
    The runs could not decide (e.g. a limit that had not converged, too few applicable runs).
"""

from __future__ import annotations

import enum
import html
import json
from dataclasses import dataclass, field
from typing import Any


class Verdict(str, enum.Enum):
    HOLDS = "holds"
    VIOLATED = "violated"
    WITNESSED = "witnessed"
    NOT_APPLICABLE = "not applicable"
    INCONCLUSIVE = "inconclusive"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class SlopeFit:
    """A log-log least-squares slope with its two-sided confidence interval (see :mod:`.rates`)."""

    variable: str
    slope: float
    low: float
    high: float
    expected: float
    points: int
    level: float
    consistent: bool
    note: str = ""
    x: tuple = ()
    measured: tuple = ()
    bound_values: tuple = ()

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}

    def describe(self) -> str:
        note = f"; {self.note}" if self.note else ""
        return (f"{self.slope:+.2f} [{self.low:+.2f}, {self.high:+.2f}] vs {self.expected:+.2f} "
                f"(in {self.variable}{note})")


@dataclass(frozen=True)
class Report:
    """Outcome of one check (upper, lower or rate) of one bound.

    Attributes
    ----------
    bound : str
        The bound's name.
    check : str
        ``"upper"``, ``"lower"`` or ``"rate"``.
    verdict : Verdict
    algorithms, function_class, kind, provenance, quantity : str
        Copied from the bound for display.
    worst_ratio : float or None
        Upper: max measured/bound over applicable instances.  Lower: min measured/bound over
        the grid (the construction's weakest point).
    worst : dict or None
        The instance attaining ``worst_ratio``: family, constants, x_0, schedule, seed,
        measured and bound values.
    rho0_ratio : float or None
        Worst ratio on the rho = 0 column (deterministic SAM bounds are run as GD there).
    slope : SlopeFit or None
        Rate evidence: fitted slope vs the one the order form predicts.
    evidence : tuple of str
        Human-readable lines: instance counts, methods, failing conditions, divergences.
    instances : int
        Applicable (instance, schedule) pairs tested.
    diverged : int
        Runs of the check flagged as diverged (:mod:`sambounds.sim.kernel`) among those the
        bound's conditions admit (upper) or on the construction's grid (lower); 0 for rates.
    witness : dict or None
        JSON-ready witness (violations only); ``sambounds rerun`` replays it.
    search : dict or None
        The adversary's search (:class:`sambounds.adversary.history.SearchResult`): budget, best
        ratio and where (family, parameters, constants), per-group history; and the sequential
        decision of a stochastic candidate.
    """

    bound: str
    check: str
    verdict: Verdict
    algorithms: str
    function_class: str
    kind: str
    provenance: str
    quantity: str
    worst_ratio: float | None = None
    worst: dict | None = None
    rho0_ratio: float | None = None
    slope: SlopeFit | None = None
    evidence: tuple = ()
    instances: int = 0
    diverged: int = 0
    witness: dict | None = field(default=None, repr=False)
    search: dict | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "bound": self.bound, "check": self.check, "verdict": self.verdict.value, "algorithms": self.algorithms,
            "function_class": self.function_class, "kind": self.kind, "provenance": self.provenance,
            "quantity": self.quantity, "worst_ratio": _num(self.worst_ratio), "worst": self.worst,
            "rho0_ratio": _num(self.rho0_ratio), "slope": None if self.slope is None else self.slope.to_dict(),
            "evidence": list(self.evidence), "instances": self.instances, "diverged": self.diverged,
            "witness": self.witness,
            "search": self.search,
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    @property
    def where_text(self) -> str:
        """Where the worst ratio was reached: family and its parameters."""
        if not self.worst:
            return "-"
        params = self.worst.get("family_params") or {}
        short = ", ".join(f"{k}={_short(v)}" for k, v in params.items() if not isinstance(v, (list, dict))
                          or _scalar_list(v))
        return f"{self.worst.get('family')}" + (f" ({short})" if short else "")

    @property
    def ratio_text(self) -> str:
        return "-" if self.worst_ratio is None else f"{self.worst_ratio:.4g}"

    @property
    def slope_text(self) -> str:
        return "-" if self.slope is None else self.slope.describe()

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                       for k, v in (("bound", self.bound), ("check", self.check), ("verdict", self.verdict.value),
                                    ("algorithms", self.algorithms), ("class", self.function_class),
                                    ("kind", self.kind), ("provenance", self.provenance),
                                    ("worst ratio", self.ratio_text), ("slope", self.slope_text),
                                    ("instances", self.instances)))
        ev = "".join(f"<li>{html.escape(e)}</li>" for e in self.evidence)
        return f"<table>{rows}</table><ul>{ev}</ul>"

    def _repr_latex_(self) -> str:
        name = self.bound.replace("_", r"\_")
        return (rf"$\text{{{name}}}$: \textbf{{{self.verdict.value}}}, "
                rf"worst ratio {self.ratio_text}, slope {self.slope_text}")


def _num(x: float | None) -> float | str | None:
    if x is None:
        return None
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    return x


def _scalar_list(v: Any) -> bool:
    return isinstance(v, list) and len(v) == 1 and not isinstance(v[0], (list, dict))


def _short(v: Any) -> str:
    if _scalar_list(v):
        v = v[0]
    return f"{v:.4g}" if isinstance(v, float) else str(v)
