"""Run every check: one bound (:func:`check_bound`) or the whole catalog (:func:`report`).

``report(quick=..., seed=...)`` attacks every catalog entry (plus any ``extra`` bounds) with
the same seed and returns a :class:`CatalogReport`.  Everything random is drawn from the seed,
so the same seed gives an identical report (timings are kept outside the reports, in
:attr:`CatalogReport.seconds`, and excluded from :meth:`CatalogReport.to_dict` unless asked).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .. import _validate as v
from ..errors import InvalidParameterError
from ..executor import Executor, get_executor
from ..theory.bound import Bound
from ..theory.terms import Kind
from ..adversary.menu import budget as budget_for
from .lower import check_lower
from .report import Report, Verdict
from .upper import check_upper

Progress = Callable[[str], None]


def check_bound(bound: Bound, *, quick: bool = True, seed: int = 0, construction: str | None = None,
                progress: Progress | None = None, budget: int | None = None,
                replicas: int | None = None) -> Report:
    """Upper bounds are attacked (:func:`.upper.check_upper`; ``budget`` search candidates and a
    sequential ``replicas`` cap, the size's defaults when None), lower bounds witnessed
    (:func:`.lower.check_lower`, whose search over the constants gets half of ``budget``), order-only
    entries rate-checked (:func:`.rates.check_order`)."""
    if not isinstance(bound, Bound):
        raise InvalidParameterError("bound", bound, "a sambounds Bound")
    if bound.kind is Kind.UPPER:
        return check_upper(bound, quick=quick, seed=seed, progress=progress, budget=budget, replicas=replicas)
    return check_lower(bound, quick=quick, seed=seed, construction=construction, progress=progress,
                       budget=None if budget is None else v.integer("budget", budget, low=0) // 2)


@dataclass(frozen=True)
class CatalogReport:
    """The reports of one run over many bounds."""

    reports: tuple
    seed: int
    size: str
    seconds: tuple = ()

    @property
    def counts(self) -> dict[str, int]:
        out = {v.value: 0 for v in Verdict}
        for r in self.reports:
            out[r.verdict.value] += 1
        return out

    @property
    def ok(self) -> bool:
        """No violation and no inconclusive check."""
        return all(r.verdict not in (Verdict.VIOLATED, Verdict.INCONCLUSIVE) for r in self.reports)

    def to_dict(self, *, timings: bool = False) -> dict[str, Any]:
        out = {"seed": self.seed, "size": self.size, "budget": budget_for(self.size == "quick").to_dict(),
               "counts": self.counts, "reports": [r.to_dict() for r in self.reports]}
        if timings:
            out["seconds"] = {r.bound: t for r, t in zip(self.reports, self.seconds)}
            out["total_seconds"] = sum(self.seconds)
        return out

    def to_json(self, *, timings: bool = False, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(timings=timings), **kwargs)


def report(*, quick: bool = False, seed: int = 0, bounds: Iterable[Bound] | None = None,
           extra: Iterable[Bound] = (), progress: Callable[[str, int, int], None] | None = None,
           budget: int | None = None, replicas: int | None = None, executor: Any = None) -> CatalogReport:
    """Check every catalog bound (or ``bounds``) and ``extra`` ones; see the module docstring.

    One probe per bound, run through ``executor`` (:func:`sambounds.executor.get_executor`:
    in-process by default, ``"dask"`` or a :class:`~sambounds.executor.DaskExecutor` for a
    cluster).  Every bound is checked with the report's ``seed`` (its own draws derive from it and
    from the bound), so the report does not depend on the executor or the worker count.
    ``budget`` and ``replicas`` go to every upper-bound attack (:func:`check_bound`).
    ``progress(text, done, total)`` is called as probes complete.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidParameterError("seed", seed, "an integer >= 0")
    if bounds is None:
        from ..theory.catalog import catalog

        bounds = tuple(catalog)
    todo = tuple(bounds) + tuple(extra)
    size = budget_for(quick)
    specs = [ProbeSpec(b, bool(quick), seed, None, budget, replicas) for b in todo]
    return run_probes(specs, size.name, seed, get_executor(executor), progress)


@dataclass(frozen=True)
class ProbeSpec:
    """One independent probe of a report: check ``bound`` at these sizes with this seed.

    ``budget`` and ``replicas``: the adversary's search candidates and sequential cap (None: the
    size's defaults).
    """

    bound: Bound
    quick: bool
    seed: int
    construction: str | None
    budget: int | None = None
    replicas: int | None = None


def run_probe(spec: ProbeSpec) -> tuple[Report, float]:
    """The probe's report and its wall time (a module-level function: executors pickle it)."""
    t0 = time.perf_counter()
    r = check_bound(spec.bound, quick=spec.quick, seed=spec.seed, construction=spec.construction,
                    budget=spec.budget, replicas=spec.replicas)
    return r, time.perf_counter() - t0


def run_probes(specs: list[ProbeSpec], size: str, seed: int, executor: Executor,
               progress: Callable[[str, int, int], None] | None = None) -> CatalogReport:
    """Run the probes through ``executor``; the rows keep the order of ``specs``."""
    def tick(i, done: int, total: int) -> None:
        if progress is not None:
            progress("started" if i is None else f"done: {specs[i].bound.name}", done, total)

    out = executor.map(run_probe, specs, progress=tick)
    return CatalogReport(tuple(r for r, _ in out), seed, size, tuple(t for _, t in out))


def write_plots(result: CatalogReport, directory: str | Path) -> list[Path]:
    """One PNG per bound with a rate sweep (:func:`sambounds.plots.sweeps.write_sweep_plots`).

    Needs matplotlib (the ``plot`` extra); raises InvalidParameterError naming ``plots`` otherwise.
    """
    from ..plots.sweeps import write_sweep_plots

    return list(write_sweep_plots(result.reports, directory).written)
