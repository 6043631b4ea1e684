"""Run an adapted optimizer on a batch of functions: the kernel with the optimizer as its step.

:func:`simulate_optimizer` is :func:`sambounds.simulate` with the update rule replaced by the
user's optimizer (:mod:`.spec`): the same metrics, divergence flags and result type, so every
checker that reads a :class:`~sambounds.sim.api.SimulationResult` runs unchanged on user code.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..errors import InvalidParameterError
from ..functions.base import Objective, StochasticObjective
from ..setting import Algorithm, Setting
from ..sim.api import SimulationResult, _schedules, _starts
from ..sim.kernel import RawRun, run
from .spec import OptimizerSpec, resolve


def run_optimizer(spec: OptimizerSpec, functions: Objective, starts: np.ndarray, steps: np.ndarray, *,
                  record: bool = False, threshold: float = 1e100) -> tuple[RawRun, np.ndarray | None]:
    """Run ``spec`` from ``starts`` (F, S, d) with step sizes ``steps`` (K, T).

    Returns the kernel's RawRun and, when ``record``, the recorded y_t (the last gradient query
    of each step) as an array (T, F, S, K, d); the trajectory x_t is ``raw.trajectory``.
    """
    be = spec.backend()
    F, S, d = starts.shape
    K = steps.shape[0]
    obj = be.objective(functions)
    stepper = spec.start(obj, (F, S, K, d), steps, record)
    x_init = np.broadcast_to(starts[:, :, None, :], (F, S, K, d))
    raw = run(obj, be.asarray(x_init), be.asarray(steps), algorithm=Algorithm.SAM, rho=0.0, backend=be,
              threshold=threshold, record=record, step=stepper)
    queries = None
    if record:
        queries = np.stack(stepper.queries) if stepper.queries else np.empty((0, F, S, K, d))
        queries.setflags(write=False)
    return raw, queries


def simulate_optimizer(optimizer: Any, setting: Setting, functions: Objective, x0: Any, *,
                       schedules: Any = None, framework: str | None = None, record_trajectory: bool = False,
                       divergence_threshold: float = 1e100, **options: Any) -> SimulationResult:
    """:func:`sambounds.simulate` with the user's optimizer as the update rule.

    ``setting`` gives T and the step sizes (or ``schedules``); its algorithm and rho only label
    the result (the optimizer has its own rho).  ``optimizer``: a factory, ``"module:factory"``
    or an :class:`OptimizerSpec` (``framework`` and ``options`` as in :func:`.spec.resolve`).
    """
    if not isinstance(setting, Setting):
        raise InvalidParameterError("setting", setting, "a sambounds.Setting")
    if not isinstance(functions, Objective):
        raise InvalidParameterError("functions", functions, "a sambounds.functions Objective")
    if isinstance(functions, StochasticObjective) or setting.algorithm.stochastic:
        raise InvalidParameterError("setting.algorithm", setting.algorithm.value,
                                    "a deterministic algorithm (an adapted optimizer sees full gradients)")
    spec = resolve(optimizer, framework, **options)
    starts = _starts(x0, int(functions.n_functions), int(functions.dim))
    steps = _schedules(setting, schedules)
    raw, _ = run_optimizer(spec, functions, starts, steps, record=record_trajectory,
                           threshold=divergence_threshold)
    fields = {f.name: getattr(raw, f.name) for f in dataclasses.fields(RawRun)}
    F, S = starts.shape[:2]
    return SimulationResult(**fields, setting=setting, steps=steps, shape=(F, S, steps.shape[0]),
                            backend=f"{spec.framework} optimizer {spec.label}", batch_size=1)
