"""The ScheduleReport: verdict and evidence of one schedule verification, as data, JSON and rich text."""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..setting import Setting
from ..theory.terms import Quantity
from ..adversary.empirical import CONFIDENCE, FamilyResult
from .pep_part import PepEvidence
from .quantities import IMPLIED_BY
from .recursions import Recursion
from .theory import Certified, Floor, TheoremCheck

VERDICTS = {
    "certified": "a proven upper bound on the quantity meets the target",
    "refuted": "a function of the class on which this schedule misses the target (see witness)",
    "undecided": "no proven bound meets the target and no function found misses it (see gap)",
}


@dataclass(frozen=True)
class Prescribed:
    """The catalog's prescribed step for the same budget: its guarantee and its simulated worst case."""

    name: str
    step: str
    bound: float
    simulated_worst: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "step": self.step, "bound": self.bound,
                "simulated_worst": _num(self.simulated_worst)}


@dataclass(frozen=True)
class ScheduleReport:
    """Result of :func:`sambounds.verify_schedule`.

    Attributes
    ----------
    verdict : {"certified", "refuted", "undecided"}
    best_upper : Certified or None
        The smallest proven upper value on the quantity for this schedule (catalog theorem,
        unrolled per-step theorem or PEP relaxation).
    worst_found : float or None
        The largest value of the quantity found on a function of the class (for n-SAM / m-SAM
        the lower confidence bound of the confirmation run); ``worst_source`` says where.
    gap : float or None
        ``best_upper.value - worst_found`` (None when either is missing): how far apart the
        certified and the attained worst cases are.
    witness : dict or None
        The JSON document of the refuting function (``"kind"`` ``"schedule-witness"`` or
        ``"pep-witness"``); :func:`sambounds.check.witness.rerun` (``sambounds rerun``) re-runs it.
    """

    setting: Setting
    quantity: Quantity
    target: float
    effort: str
    seed: int
    verdict: str
    reason: str
    best_upper: Certified | None
    worst_found: float | None
    worst_source: str | None
    gap: float | None
    schedule: dict
    theorems: tuple[TheoremCheck, ...]
    recursions: tuple[Recursion, ...]
    certified: tuple[Certified, ...]
    floors: tuple[Floor, ...]
    families: tuple[FamilyResult, ...]
    pep: PepEvidence
    prescribed: Prescribed | None
    witness: dict | None
    notes: tuple[str, ...]

    # ---- data ---------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        s = self.setting
        return {
            "verdict": self.verdict, "reason": self.reason, "verdicts": dict(VERDICTS),
            "quantity": self.quantity.value, "quantity_label": self.quantity.label, "target": self.target,
            "setting": {"algorithm": s.algorithm.value, "function_class": s.function_class.value,
                        "constants": s.constants.as_dict(), "T": s.T},
            "schedule": self.schedule, "effort": self.effort, "seed": self.seed,
            "best_upper": None if self.best_upper is None else self.best_upper.to_dict(),
            "worst_found": _num(self.worst_found), "worst_source": self.worst_source, "gap": _num(self.gap),
            "certified": [c.to_dict() for c in self.certified],
            "theorems": [t.to_dict() for t in self.theorems],
            "recursions": [r.to_dict() for r in self.recursions],
            "floors": [f.to_dict() for f in self.floors],
            "empirical": {"families": [f.to_dict() for f in self.families], "confidence": CONFIDENCE,
                          "pep": self.pep.to_dict()},
            "prescribed": None if self.prescribed is None else self.prescribed.to_dict(),
            "witness": self.witness, "notes": list(self.notes),
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), allow_nan=False, **kwargs)

    def write_witness(self, path: str | Path) -> Path:
        """Write the refutation witness as JSON (raises when there is none)."""
        from ..errors import InvalidParameterError

        if self.witness is None:
            raise InvalidParameterError("witness", None, "a refuted verification",
                                        f"the verdict is {self.verdict}: there is no witness to write")
        path = Path(path)
        path.write_text(json.dumps(self.witness, indent=1, allow_nan=False))
        return path

    # ---- text ---------------------------------------------------------------------------------
    def render(self, console: Any = None) -> None:
        """Print the report with rich (tables for theorems, floors and the empirical worst case)."""
        from rich.console import Console

        render(self, console or Console())

    def to_text(self, width: int = 120) -> str:
        from rich.console import Console

        buf = io.StringIO()
        render(self, Console(file=buf, width=width, color_system=None, force_terminal=False))
        return buf.getvalue()

    def __str__(self) -> str:
        return self.to_text()


_STYLE = {"certified": "bold green", "refuted": "bold red", "undecided": "bold yellow", "applies": "green",
          "fails": "red", "needs-step": "magenta", "order-only": "cyan", "missing": "magenta", "restricted": "yellow", "overflow": "red"}


def render(r: ScheduleReport, console: Any) -> None:
    from rich.table import Table

    s = r.setting
    consts = ", ".join(f"{k}={x:g}" for k, x in s.constants.as_dict().items())
    sch = r.schedule
    console.print(f"[bold]check-schedule[/bold]: {s.algorithm.value}, {s.function_class.value}, {consts}, T={s.T}")
    console.print(f"schedule {sch['describe']}: eta in [{sch['eta_min']:.4g}, {sch['eta_max']:.4g}], "
                  f"sum eta = {sch['sum_eta']:.4g}, sum eta^2 = {sch['sum_eta2']:.4g}"
                  + (f", prod (1 - mu eta) = {sch['prod_mu']:.4g}" if sch.get("prod_mu") is not None else ""))
    console.print(f"target: {r.quantity.label} <= {r.target:.6g}")
    style = _STYLE[r.verdict]
    console.print(f"verdict: [{style}]{r.verdict.upper()}[/{style}] - {r.reason}")

    t = Table(title="catalog theorems on this schedule (step conditions checked for every t)")
    for col in ("bound", "kind", "quantity", "status", "value", "note"):
        t.add_column(col, overflow="fold")
    relevant = {r.quantity} | {q for q, _ in IMPLIED_BY.get(r.quantity, ())}
    hidden = 0
    for c in r.theorems:
        shown = c.for_setting and (c.quantity in relevant or (c.schedule_generic and c.kind == "upper"))
        if not shown:
            hidden += 1
            continue
        st = _STYLE.get(c.status, "")
        t.add_row(c.name, c.kind, c.quantity.value, f"[{st}]{c.status}[/{st}]", _fmt(c.value), c.reason or "")
    for c in r.recursions:
        st = "green" if c.applies else "red"
        t.add_row(c.name, "upper", c.quantity.value, f"[{st}]{'applies' if c.applies else 'fails'}[/{st}]",
                  _fmt(c.value), c.reason or f"unrolled per-step theorem; {c.condition}")
    console.print(t)
    if hidden:
        console.print(f"({hidden} more catalog entries about other quantities, other step sizes or the paper's "
                      "orders are in the JSON output)")

    if r.floors:
        f = Table(title="floors: lower bounds no step size in their scope can beat")
        for col in ("bound", "quantity", "value", "scope", "note"):
            f.add_column(col, overflow="fold")
        for fl in r.floors:
            f.add_row(fl.name, fl.quantity.value, _fmt(fl.value), fl.scope, fl.note or fl.status)
        console.print(f)

    # the screening numbers are not "the worst found": the verdict's number is the candidate re-measured
    # (fresh runs for expectations), printed once, in the verdict line and the summary below
    e = Table(title=f"attack screening of {r.quantity.value} (simulation; PEP for small T)",
              caption="the verdict's number is the best candidate re-measured: see the summary line")
    for col in ("source", "runs", "largest value (this schedule)", "its lower conf. bound",
                "largest value (prescribed schedule)"):
        e.add_column(col, overflow="fold")
    for fr in r.families:
        runs = f"{fr.n_functions}x{fr.n_starts}" + (f"x{fr.samples}" if fr.samples > 1 else "")
        e.add_row(fr.family, runs, _fmt(fr.worst), _fmt(fr.worst_lcb), _fmt(fr.prescribed_worst))
    if r.pep.ran:
        e.add_row(f"PEP ({r.pep.kind}, T={r.pep.horizon}) upper", "-", _fmt(r.pep.upper),
                  "certified" if r.pep.certified else "not certified", "")
        e.add_row("PEP slices lower (witness)", "-", _fmt(r.pep.lower), "", "")
    console.print(e)
    if r.pep.note:
        console.print(f"PEP: {'' if r.pep.ran else 'not run: '}{r.pep.note}")

    console.print(f"best certified upper: {_fmt(None if r.best_upper is None else r.best_upper.value)}"
                  + (f" ({r.best_upper.source})" if r.best_upper else "")
                  + f"; worst found: {_exact(r.worst_found)}" + (f" ({r.worst_source})" if r.worst_source else "")
                  + (f"; gap: {_fmt(r.gap)}" if r.gap is not None else ""))
    if r.prescribed is not None:
        p = r.prescribed
        console.print(f"prescribed step for the same budget: {p.name}, {p.step}: guarantee {_fmt(p.bound)}, "
                      f"largest simulated value {_fmt(p.simulated_worst)}")
    for n in r.notes:
        console.print(f"note: {n}")


def _exact(x: float | None) -> str:
    """The verdict's number with the digits the verdict line prints (so both read the same)."""
    if x is None:
        return "-"
    return "inf (diverged)" if math.isinf(x) else f"{x:.6g}"


def _fmt(x: float | None) -> str:
    if x is None:
        return "-"
    return "inf (diverged)" if math.isinf(x) else f"{x:.4g}"


def _num(x: float | None) -> float | str | None:
    if x is None or math.isfinite(x):
        return x
    return "inf" if x > 0 else "-inf"
