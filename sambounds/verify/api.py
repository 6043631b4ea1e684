"""``verify_schedule``: certify a step-size schedule, refute it with a witness, or say it is undecided.

Example
-------
>>> import sambounds
>>> from sambounds.schedules import Cosine
>>> s = sambounds.Setting.create("sam", "strongly-convex", beta=1, mu=0.1, rho=0.05, Delta=1, T=60,
...                              schedule=Cosine(0.5))
>>> report = sambounds.verify_schedule(s, target=0.05, effort="quick")
>>> report.verdict in ("certified", "refuted", "undecided")
True
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError
from ..executor import get_executor
from ..setting import Setting
from ..theory.schedule_sums import schedule_sums
from . import quantities, witness as wit
from ..adversary.empirical import FamilyResult, run_family
from ..adversary.schedule_families import FAMILIES, SIZES, candidates
from .pep_part import PepEvidence, run_pep
from .recursions import recursions
from .report import Prescribed, ScheduleReport
from .theory import Certified, certified, floors, ls_floor, prescribed, theorem_checks

#: largest horizon the simulated attack accepts (its cost is linear in T)
MAX_T = 10**6
#: relative rounding slack: a value counts as missing the target only above target (1 + SLACK)
SLACK = 1e-9
#: default largest T for the PEP, per effort
PEP_MAX_T = {"quick": 5, "default": 10}


def verify_schedule(setting: Setting, *, target: float, quantity: Any = None, seed: int = 0,
                    effort: str = "default", pep_max_T: int | None = None,
                    families: Sequence[str] | None = None, executor: Any = None) -> ScheduleReport:
    """Does the Setting's schedule reach ``quantity <= target`` provably, fail on some function, or neither?

    Parameters
    ----------
    setting : Setting
        Algorithm, class, constants, horizon T and the schedule to verify (eta_t for t < T).
        The worst case is over the functions of the class and the starts with
        f(x_0) - f* <= Delta and/or ||x_0 - x*|| <= D (whichever the Setting gives).
    target : float
        The value the quantity must not exceed (> 0).
    quantity : str or Quantity, optional
        See :mod:`sambounds.verify.quantities`; default f(x_T) - f* (its expectation for n-SAM /
        m-SAM) on strongly convex f, a gradient-norm quantity otherwise.
    seed : int
        Seeds the random instances and the minibatch draws (same seed: same report).
    effort : {"default", "quick"}
        Size of the attack (starts, instances, Monte-Carlo samples) and of the PEP search.
    pep_max_T : int, optional
        Largest T for which the PEP is run (deterministic algorithms); default 10, or 5 when
        ``effort="quick"``; 0 disables it.
    families : sequence of str, optional
        Restrict the simulated attack to these families (names of :data:`FAMILIES`, e.g.
        ``("L-SC",)``); default: every family of the class.
    executor : None, "local", "dask" or an Executor
        Where the per-family attacks (independent probes, each seeded from ``seed`` and its
        family index) run; see :func:`sambounds.executor.get_executor`.  Default: in-process.

    Returns
    -------
    ScheduleReport
        ``certified`` when a proven upper bound (a ``derived`` or ``literature`` catalog theorem
        applying to this schedule, an unrolled per-step theorem, or the PEP's certified upper
        value) is <= target; else ``refuted`` when a function of the class was found on which
        the quantity exceeds target (1 + 1e-9) (n-SAM / m-SAM: its 99.9% lower confidence
        bound does), with a re-runnable witness; else ``undecided`` with the gap between the
        best certified upper value and the worst value found.

    Raises
    ------
    InvalidParameterError
        Not a Setting, no schedule, T above 10^6, target not a finite number > 0, an unknown
        quantity, effort or family, a negative seed or pep_max_T, no Delta/D to bound the start.
    """
    if not isinstance(setting, Setting):
        raise InvalidParameterError("setting", setting, "a sambounds.Setting")
    if not setting.has_schedule:
        raise InvalidParameterError("schedule", None, "a step-size schedule in the Setting",
                                    "give eta= or schedule= to Setting.create")
    if setting.T > MAX_T:
        raise InvalidParameterError("T", setting.T, f"an integer <= {MAX_T}", "the simulated attack is linear in T")
    target = v.positive("target", target)
    effort = v.choice("effort", effort, sorted(SIZES))
    seed = v.integer("seed", seed, low=0)
    pep_max_T = PEP_MAX_T[effort] if pep_max_T is None else v.integer("pep_max_T", pep_max_T, low=0)
    q = quantities.parse(setting, quantity)
    ex = get_executor(executor)
    wanted = _families(families)
    steps = setting.steps
    notes: list[str] = []

    result, checks = theorem_checks(setting)
    recs = recursions(setting)
    lows = floors(setting, result)
    certs = list(certified(checks, recs, q))

    pres_entry = prescribed(result, q)
    pres_steps = None
    if pres_entry is not None:
        try:
            pres_steps = pres_entry.bound.step.rule.steps(setting.T, setting.constants)
        except InvalidParameterError as exc:
            notes.append(f"the prescribed step of {pres_entry.name} cannot be simulated: {exc}")
    best = ls_floor(setting) if setting.algorithm.stochastic and setting.rho > 0 and setting.constants.sigma else None
    best_p = None if best is None else best[0]
    eta_ref = float(max(steps.max(), pres_steps.max() if pres_steps is not None else 0.0))
    cands, skipped = candidates(setting, eta_ref, effort, seed, best_p)
    notes.extend(skipped)
    if wanted is not None:
        cands = tuple(c for c in cands if c.family.split(" (")[0] in wanted)
        notes.append(f"attack restricted to the families {sorted(wanted)}")
    schedules = steps[None] if pres_steps is None else np.stack([steps, pres_steps])
    samples = SIZES[effort]["samples"]
    fams = tuple(ex.map(_attack_family, [(setting, c, q, schedules, samples, _seed(seed, k))
                                         for k, c in enumerate(cands)]))

    pep = run_pep(setting, q, max_T=pep_max_T, effort=effort) if pep_max_T > 0 else \
        PepEvidence(False, "disabled (pep_max_T = 0)")
    if pep.ran and pep.certified:
        certs.append(Certified(f"PEP {pep.kind} (T={pep.horizon}, measure {pep.measure})", pep.upper, "pep"))
    best_upper = None
    if certs:  # the smallest value; on a tie (within rounding) the first in order: catalog, recursion, PEP
        low = min(c.value for c in certs)
        best_upper = next(c for c in certs if c.value <= low * (1 + 1e-12))
    certs.sort(key=lambda c: c.value)

    worst, source, doc = _worst(setting, q, target, cands, fams, effort, seed, notes)
    if pep.ran and pep.lower_valid and (worst is None or pep.lower > worst):
        worst, source = pep.lower, f"PEP slice witness (T={pep.horizon})"
        doc = None if pep.witness is None else {**pep.witness, "meta": {**pep.witness.get("meta", {}),
                                                                           "target": target, "quantity": q.value}}

    if worst is not None and worst > target * (1 + SLACK):
        verdict = "refuted"
        reason = f"{source} reaches {worst:.6g} > target {target:.6g}"
        if best_upper is not None and best_upper.value < worst * (1 - 1e-6):
            notes.append(f"CONTRADICTION: {best_upper.source} certifies {best_upper.value:.6g} below the value "
                         f"{worst:.6g} found on {source}; please report this")
    elif best_upper is not None and best_upper.value <= target:
        verdict, doc = "certified", None
        reason = f"{best_upper.source} ({best_upper.provenance}) gives {best_upper.value:.6g} <= target {target:.6g}"
    else:
        verdict, doc = "undecided", None
        reason = ("no proven bound on this quantity applies to this schedule" if best_upper is None else
                  f"best proven bound {best_upper.value:.6g} ({best_upper.source}) > target {target:.6g}")
        reason += "" if worst is None else f"; worst found {worst:.6g} ({source}) <= target"
    gap = None if best_upper is None or worst is None or not np.isfinite(worst) else best_upper.value - worst

    pres = None
    if pres_entry is not None:
        sim = [f.prescribed_worst for f in fams if f.prescribed_worst is not None]
        pres = Prescribed(pres_entry.name, pres_entry.step, float(pres_entry.value), max(sim) if sim else None)
    sums = schedule_sums(steps, setting.constants.mu)
    summary = {"describe": setting.schedule.describe(), "eta_min": float(steps.min()), **sums,
               "prod_mu": sums.get("prod_mu"), "wsum_mu": sums.get("wsum_mu")}
    return ScheduleReport(setting, q, target, effort, int(seed), verdict, reason, best_upper, worst, source, gap,
                          summary, checks, recs, tuple(certs), lows, fams, pep, pres, doc, tuple(notes))


def _worst(setting, q, target, cands, fams: tuple[FamilyResult, ...], effort, seed, notes):
    """Re-run the worst instance alone (a fresh stream for n-SAM / m-SAM): its value, source and witness."""
    if not fams:
        return None, None, None
    k = int(np.argmax([f.worst for f in fams]))
    fam, cand = fams[k], cands[k]
    i, s = fam.argmax
    stochastic = setting.algorithm.stochastic
    w = wit.make(setting, cand.members[i], cand.starts[i, s], q, target,
                 samples=SIZES[effort]["confirm"] if stochastic else None,
                 seed=_seed(seed, 10_000) if stochastic else None)
    m = w.measured
    if not stochastic and np.isfinite(fam.worst) and abs(m.value - fam.worst) > 1e-6 * max(abs(fam.worst), 1e-300):
        notes.append(f"the witness re-run gives {m.value:.6g}, the batched run {fam.worst:.6g}")
    label = f"{fam.family} #{i}, start {s}" + (f" ({SIZES[effort]['confirm']} fresh runs, 99.9% lower "
                                                 "confidence bound)" if stochastic else "")
    return m.evidence, label, w.to_dict()


def _attack_family(spec) -> FamilyResult:
    """One probe of the simulated attack (module level: executors pickle it)."""
    setting, cand, q, schedules, samples, seed = spec
    return run_family(setting, cand, q, schedules, samples=samples, seed=seed)


def _families(families: Sequence[str] | None) -> frozenset[str] | None:
    if families is None:
        return None
    if isinstance(families, str) or not isinstance(families, Sequence) or not all(isinstance(f, str) for f in families):
        raise InvalidParameterError("families", families, f"a sequence of names from {list(FAMILIES)}")
    unknown = [f for f in families if f not in FAMILIES]
    if unknown or not families:
        raise InvalidParameterError("families", unknown[0] if unknown else families,
                                    f"a non-empty sequence of names from {list(FAMILIES)}")
    return frozenset(families)


def _seed(seed: int, k: int) -> int:
    return int(np.random.SeedSequence([int(seed), k]).generate_state(1)[0])
