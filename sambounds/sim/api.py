"""``simulate``: run SAM (or n-SAM, m-SAM, USAM, GD) on a batch of functions, starts and schedules.

Example
-------
>>> import numpy as np, sambounds
>>> from sambounds.functions import Quadratic
>>> setting = sambounds.Setting.create("sam", "strongly-convex", beta=1.0, mu=0.1, rho=0.05, T=200, eta=0.5)
>>> f = Quadratic.diagonal([[1.0, 0.1]])
>>> res = sambounds.simulate(setting, f, np.array([1.0, 1.0]))
>>> res.shape
(1, 1, 1)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError
from ..functions.base import Objective, StochasticObjective
from ..schedules import Schedule, check_steps
from ..setting import Setting
from .backends import get_backend
from .kernel import RawRun, run


#: largest minibatch: each step draws F*S*K*b component indices at once
MAX_BATCH = 10**6


@dataclass(frozen=True)
class SimulationResult(RawRun):
    """Per-run metrics and divergence flags of one :func:`simulate` call.

    The batch shape is ``shape = (F, S, K)``: F functions x S starting points x K schedules.
    Every per-run array has that shape; ``x_final`` has shape (F, S, K, d) and ``trajectory``
    (when recorded) (T + 1, F, S, K, d) with ``trajectory[t]`` = x_t.

    Metrics (time indexing in :mod:`sambounds.sim.metrics`: ``min``/``mean`` over t = 0..T-1,
    ``final`` at t = T):

    - ``gap``: f(x_t) - f* (None when the functions declare no f*);
    - ``grad_sq``: ||grad f(x_t)||^2 (the full gradient, also for n-SAM / m-SAM);
    - ``dist_sq``: ||x_t - x*||^2 (None when no x* is declared);
    - ``weighted_grad_sq_sum``: sum_{t<T} eta_t ||grad f(x_t)||^2 (the schedule-generic quantity);
    - ``value_initial``, ``value_final``: f(x_0), f(x_T) (for telescoped checks f(x_0) - f(x_T)).

    ``diverged[i]`` is True when run i was flagged at step ``diverged_at[i]`` (-1 otherwise);
    its ``final``, ``mean`` and weighted sum are +inf and its ``min`` covers the steps before
    the flag.  No field ever holds NaN.
    """

    # the per-run arrays are the kernel's RawRun fields; the call's context is added here
    setting: Setting
    steps: np.ndarray
    shape: tuple[int, int, int]
    backend: str
    batch_size: int

    @property
    def diverged(self) -> np.ndarray:
        """Boolean array of shape (F, S, K): the run was flagged as diverged."""
        return self.diverged_at >= 0

    @property
    def n_runs(self) -> int:
        return int(np.prod(self.shape))

    def summary(self) -> dict[str, Any]:
        """Aggregates over all runs: for each metric field, min / median / max over the non-diverged runs."""
        ok = ~self.diverged
        rows: dict[str, Any] = {}
        named = {"gap": self.gap, "grad_sq": self.grad_sq, "dist_sq": self.dist_sq}
        for name, metric in named.items():
            if metric is None:
                continue
            for field in ("initial", "final", "min", "mean"):
                rows[f"{name}.{field}"] = _spread(getattr(metric, field)[ok])
        rows["weighted_grad_sq_sum"] = _spread(self.weighted_grad_sq_sum[ok])
        return {
            "setting": self.setting.to_dict(),
            "shape": list(self.shape),
            "runs": self.n_runs,
            "diverged": int(self.diverged.sum()),
            "first_divergence_step": int(self.diverged_at[self.diverged].min()) if self.diverged.any() else None,
            "metrics": rows,
        }


def simulate(setting: Setting, functions: Objective, x0: Any, *, seed: Any = None,
             schedules: Any = None, batch_size: int = 1, backend: str = "numpy", device: str | None = None,
             dtype: str | None = None, record_trajectory: bool = False,
             divergence_threshold: float = 1e100) -> SimulationResult:
    """Run ``setting.algorithm`` for ``setting.T`` steps on every (function, start, schedule) triple.

    Parameters
    ----------
    setting : Setting
        Gives the algorithm, rho, T and (unless ``schedules`` is given) the step sizes
        ``setting.steps``.  Its function class and constants are not imposed on ``functions``:
        the simulator runs the algorithm on whatever it is given.
    functions : Objective
        A batch of F functions of dimension d (:mod:`sambounds.functions`).  n-SAM and m-SAM
        need a :class:`~sambounds.functions.base.StochasticObjective` (a finite sum).
    x0 : array_like
        Starting points, shape (d,) (one start), (S, d) (S starts shared by all functions) or
        (F, S, d) (per function).  Must be finite.
    seed : None, int, SeedSequence or Generator
        Seeds the minibatch draws of n-SAM / m-SAM (validated, then ignored, by deterministic algorithms).  The
        same integer seed gives bit-identical results; a Generator is used (and advanced) as is.
    schedules : array_like (K, T), or a sequence of Schedule, optional
        K step-size schedules run side by side (default: the setting's schedule, K = 1).
    batch_size : int
        Minibatch size b of the stochastic oracle (n-SAM, m-SAM).
    backend : {"numpy", "torch"}
        NumPy float64 (default) or torch (``device``: "cpu" / "cuda", ``dtype``: "float64" / "float32").
    record_trajectory : bool
        Keep every iterate (memory (T + 1) F S K d floats); off by default.
    divergence_threshold : float
        A run whose ||x_t|| exceeds it (or whose f(x_t) or gradient overflows) is flagged as diverged.

    Returns
    -------
    SimulationResult

    Raises
    ------
    InvalidParameterError
        Mismatched shapes, non-finite x0, a setting without a schedule and no ``schedules``, a
        deterministic objective for a stochastic algorithm, or an unknown backend.
    """
    if not isinstance(setting, Setting):
        raise InvalidParameterError("setting", setting, "a sambounds.Setting")
    if not isinstance(functions, Objective):
        raise InvalidParameterError("functions", functions, "a sambounds.functions Objective")
    algorithm = setting.algorithm
    if algorithm.stochastic and not isinstance(functions, StochasticObjective):
        raise InvalidParameterError("functions", getattr(functions, "family", functions),
                                    "a StochasticObjective (a finite sum with component gradients)",
                                    f"{algorithm.value} samples components at every step")
    F, d = int(functions.n_functions), int(functions.dim)
    starts = _starts(x0, F, d)
    steps = _schedules(setting, schedules)
    batch_size = v.positive_int("batch_size", batch_size, maximum=MAX_BATCH)
    threshold = v.positive("divergence_threshold", divergence_threshold)
    record_trajectory = v.boolean("record_trajectory", record_trajectory)
    if not type(seed).__module__.startswith("torch"):  # a torch.Generator is the torch backend's to check
        seed = v.seed("seed", seed)  # checked for every algorithm: a bad seed is a bug even where unused
    be = get_backend(backend, device=device, dtype=dtype)
    K = steps.shape[0]
    S = starts.shape[1]
    x_init = np.broadcast_to(starts[:, :, None, :], (F, S, K, d))
    raw = run(be.objective(functions), be.asarray(x_init), be.asarray(steps), algorithm=algorithm,
              rho=setting.rho, backend=be, rng=be.generator(seed) if algorithm.stochastic else None,
              batch_size=batch_size, threshold=threshold, record=record_trajectory)
    fields = {f.name: getattr(raw, f.name) for f in dataclasses.fields(RawRun)}
    return SimulationResult(**fields, setting=setting, steps=steps, shape=(F, S, K), backend=be.name,
                            batch_size=batch_size)


def _starts(x0: Any, F: int, d: int) -> np.ndarray:
    """x0 as an (F, S, d) float64 array (validated, copied)."""
    arr = v.finite_array("x0", x0)
    if arr.ndim not in (1, 2, 3) or arr.shape[-1] != d:
        raise InvalidParameterError("x0", f"array of shape {arr.shape}",
                                    f"shape (d,), (S, d) or (F, S, d) with d = {d}, F = {F}")
    if arr.ndim == 3 and arr.shape[0] != F:
        raise InvalidParameterError("x0", f"array of shape {arr.shape}",
                                    f"shape (F, S, d) with F = {F} functions (or (S, d) shared)")
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim == 2:
        arr = np.broadcast_to(arr[None], (F,) + arr.shape)
    if arr.shape[1] == 0:
        raise InvalidParameterError("x0", f"array of shape {arr.shape}", "at least one starting point")
    return np.ascontiguousarray(arr)


def _schedules(setting: Setting, schedules: Any) -> np.ndarray:
    """The (K, T) array of step sizes, each row validated (finite, > 0, length T)."""
    T = setting.T
    if schedules is None:
        return setting.steps[None, :]
    if isinstance(schedules, Schedule):
        schedules = [schedules]
    if isinstance(schedules, Sequence) and schedules and all(isinstance(s, Schedule) for s in schedules):
        rows = [s.steps(T, setting.constants) for s in schedules]
    else:
        arr = v.finite_array("schedules", schedules)
        if arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != 2 or arr.shape[1] != T or arr.shape[0] == 0:
            raise InvalidParameterError("schedules", f"array of shape {arr.shape}",
                                        f"an array of shape (K, T) with T = {T}, or a list of Schedules")
        rows = [check_steps(row, T, name=f"schedules[{k}]") for k, row in enumerate(arr)]
    steps = np.stack(rows)
    steps.setflags(write=False)
    return steps


def _spread(a: np.ndarray) -> dict[str, float | None]:
    if a.size == 0:
        return {"min": None, "median": None, "max": None}
    return {"min": float(a.min()), "median": float(np.median(a)), "max": float(a.max())}
