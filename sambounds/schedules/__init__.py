"""Step-size schedules eta_t, t = 0..T-1.

Generic rules (:mod:`.common`) and the rules the catalog's theorems prescribe
(:mod:`.prescribed`).  Every schedule evaluates through :meth:`Schedule.steps` to a
read-only float64 array of length T with finite, positive entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _validate as v
from ..errors import InvalidParameterError
from .base import MAX_MATERIALIZED_T, Schedule, check_steps
from .common import Constant, Cosine, FromArray, FromCallable, LinearDecay, StepDecay, WarmupDecay
from .prescribed import (ConvexAverage, ConvexMinimum, DecreasingSC, InverseBeta, StochasticNC,
                         StochasticSC, TheoremA, sigma_star_sq)

#: Serializable schedule classes by their ``name`` (read-only: built once from the classes above).
SCHEDULES: dict[str, type[Schedule]] = {
    cls.name: cls for cls in (Constant, Cosine, LinearDecay, StepDecay, WarmupDecay, FromArray,
                              TheoremA, DecreasingSC, ConvexMinimum, ConvexAverage, InverseBeta,
                              StochasticSC, StochasticNC)
}


def schedule_from_dict(data: dict[str, Any]) -> Schedule:
    """Inverse of :meth:`Schedule.to_dict`."""
    if not isinstance(data, Mapping) or "name" not in data:
        raise InvalidParameterError("schedule", data, "a mapping with a 'name' field")
    params = v.mapping("schedule", data, optional=False)
    name = params.pop("name")
    cls = SCHEDULES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise InvalidParameterError("schedule.name", name, f"one of {sorted(SCHEDULES)}")
    try:
        return cls(**params)
    except TypeError as exc:
        raise InvalidParameterError(f"schedule ({name})", params, "the schedule's parameters", str(exc)) from None


__all__ = ["MAX_MATERIALIZED_T", "Schedule", "check_steps", "Constant", "Cosine", "LinearDecay", "StepDecay", "WarmupDecay",
           "FromArray", "FromCallable", "TheoremA", "DecreasingSC", "ConvexMinimum", "ConvexAverage",
           "InverseBeta", "StochasticSC", "StochasticNC", "sigma_star_sq", "SCHEDULES",
           "schedule_from_dict"]
