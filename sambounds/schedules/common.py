"""Generic step-size schedules a practitioner uses: constant, cosine, linear, step, warm-up, arrays.

All are evaluated at t = 0..T-1 and stay strictly positive there (the decaying ones
approach their end value only at t = T).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError
from .base import Schedule, check_steps


@dataclass(frozen=True)
class Constant(Schedule):
    """eta_t = eta."""

    eta: float
    name = "constant"
    varies = False

    def __post_init__(self):
        object.__setattr__(self, "eta", v.positive("eta", self.eta))

    def _raw(self, T, constants):
        return np.float64(self.eta)


@dataclass(frozen=True)
class Cosine(Schedule):
    """eta_t = eta_min + (eta_max - eta_min) (1 + cos(pi t / T)) / 2  (Loshchilov & Hutter, 2017)."""

    eta_max: float
    eta_min: float = 0.0
    name = "cosine"

    def __post_init__(self):
        eta_max = v.positive("eta_max", self.eta_max)
        object.__setattr__(self, "eta_max", eta_max)
        object.__setattr__(self, "eta_min", v.real("eta_min", self.eta_min, low=0.0, high=eta_max,
                                                    allowed=f"a finite number in [0, eta_max = {eta_max:g}]"))

    def _raw(self, T, constants):
        t = np.arange(T)
        # written as a decrease from the peak so that eta_0 = eta_max exactly and no step rounds above it
        # (a theorem's eta_t <= 1/beta must accept a schedule whose peak is 1/beta)
        return self.eta_max - (self.eta_max - self.eta_min) * 0.5 * (1.0 - np.cos(np.pi * t / T))


@dataclass(frozen=True)
class LinearDecay(Schedule):
    """eta_t = eta_0 + (eta_end - eta_0) t / T."""

    eta0: float
    eta_end: float = 0.0
    name = "linear"

    def __post_init__(self):
        object.__setattr__(self, "eta0", v.positive("eta0", self.eta0))
        object.__setattr__(self, "eta_end", v.nonnegative("eta_end", self.eta_end))

    def _raw(self, T, constants):
        return self.eta0 + (self.eta_end - self.eta0) * np.arange(T) / T


@dataclass(frozen=True)
class StepDecay(Schedule):
    """eta_t = eta_0 * gamma^floor(t / every)."""

    eta0: float
    gamma: float = 0.1
    every: int = 30
    name = "step"

    def __post_init__(self):
        object.__setattr__(self, "eta0", v.positive("eta0", self.eta0))
        object.__setattr__(self, "gamma", v.real("gamma", self.gamma, low=0.0, high=1.0, low_open=True))
        object.__setattr__(self, "every", v.positive_int("every", self.every))

    def _raw(self, T, constants):
        # a period past the horizon is one constant phase: clamping keeps the integer division in int64
        return self.eta0 * self.gamma ** (np.arange(T) // min(self.every, T))


@dataclass(frozen=True)
class WarmupDecay(Schedule):
    """Linear warm-up eta_max (t + 1)/W for t < W, then cosine or linear decay to eta_min over the rest."""

    eta_max: float
    warmup: int
    decay: str = "cosine"
    eta_min: float = 0.0
    name = "warmup"

    def __post_init__(self):
        eta_max = v.positive("eta_max", self.eta_max)
        object.__setattr__(self, "eta_max", eta_max)
        if isinstance(self.warmup, bool) or not isinstance(self.warmup, (int, np.integer)) or self.warmup < 0:
            raise InvalidParameterError("warmup", self.warmup, "an integer >= 0")
        object.__setattr__(self, "warmup", int(self.warmup))
        v.choice("decay", self.decay, ("cosine", "linear"))
        object.__setattr__(self, "eta_min", v.real("eta_min", self.eta_min, low=0.0, high=eta_max))

    def _raw(self, T, constants):
        if self.warmup >= T:
            raise InvalidParameterError("warmup", self.warmup, f"an integer < T = {T}")
        W = self.warmup
        # (t + 1)/W first: it is exactly 1 at the last warm-up step, so the peak is eta_max exactly
        warm = self.eta_max * ((np.arange(W) + 1.0) / W) if W else np.empty(0)
        rest = T - W
        tail = Cosine(self.eta_max, self.eta_min) if self.decay == "cosine" \
            else LinearDecay(self.eta_max, self.eta_min)
        return np.concatenate([warm, tail._raw(rest, constants)])


@dataclass(frozen=True, eq=False)
class FromArray(Schedule):
    """A user's explicit step sizes (length must equal T)."""

    values: Any
    name = "array"

    def __post_init__(self):
        arr = v.finite_array("schedule", self.values)
        if arr.ndim != 1 or arr.size == 0:
            raise InvalidParameterError("values", f"array of shape {arr.shape}", "a non-empty 1-D array")
        arr = check_steps(arr, arr.shape[0], name="schedule")
        object.__setattr__(self, "values", arr)

    def _raw(self, T, constants):
        if self.values.shape[0] != T:
            raise InvalidParameterError("schedule", f"array of length {self.values.shape[0]}",
                                        f"a 1-D array of length T = {T}")
        return self.values

    def __eq__(self, other):
        return isinstance(other, FromArray) and np.array_equal(self.values, other.values)

    def __hash__(self):
        return hash(self.values.tobytes())

    def describe(self) -> str:
        return f"array(T={self.values.size}, min={self.values.min():g}, max={self.values.max():g})"


@dataclass(frozen=True)
class FromCallable(Schedule):
    """eta_t = fn(t) for a user function of the integer step index."""

    fn: Callable[[int], float]
    label: str = "callable"
    name = "callable"

    def __post_init__(self):
        if not callable(self.fn):
            raise InvalidParameterError("fn", self.fn, "a callable t -> eta_t")
        v.text("label", self.label)

    def _raw(self, T, constants):
        out = np.empty(T)
        for t in range(T):
            try:
                value = self.fn(t)
            except Exception as exc:  # the user's function failed: say where, keep its exception as the cause
                raise InvalidParameterError(f"schedule[{t}]", None, "a real number returned by fn(t)",
                                            f"fn({t}) raised {type(exc).__name__}: {exc}") from exc
            out[t] = v.real(f"schedule ({self.name})[{t}]", value, low=0.0, low_open=True,
                            allowed="a finite step size > 0")
        return out

    def to_dict(self) -> dict[str, Any]:
        raise InvalidParameterError("schedule", self.label, "a serializable schedule",
                                    "a callable cannot be written to JSON; use FromArray(schedule.steps(T))")


