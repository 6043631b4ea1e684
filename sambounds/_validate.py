"""Small validators shared by every module that takes user input.

Each returns the cleaned value (a Python float/int or a read-only float64 array) or
raises :class:`~sambounds.errors.InvalidParameterError` naming the parameter.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from .errors import InvalidParameterError


def real(name: str, value: Any, *, low: float | None = None, high: float | None = None,
         low_open: bool = False, high_open: bool = False, allowed: str | None = None) -> float:
    """Validate a finite real scalar in ``[low, high]`` (ends optionally open)."""
    desc = allowed or _interval(low, high, low_open, high_open)
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value.item()
        else:
            raise InvalidParameterError(name, value, desc, "not a real number")
    x = float(value)
    if not math.isfinite(x):
        raise InvalidParameterError(name, value, desc, "not finite")
    if low is not None and (x < low or (low_open and x == low)):
        raise InvalidParameterError(name, value, desc)
    if high is not None and (x > high or (high_open and x == high)):
        raise InvalidParameterError(name, value, desc)
    return x


def positive(name: str, value: Any) -> float:
    return real(name, value, low=0.0, low_open=True)


def nonnegative(name: str, value: Any) -> float:
    return real(name, value, low=0.0)


def positive_int(name: str, value: Any, *, maximum: int | None = None) -> int:
    """Validate an integer >= 1 (a float equal to an integer is rejected: T=10.5 or 1e3 is ambiguous)."""
    allowed = "an integer >= 1" + (f" and <= {maximum}" if maximum is not None else "")
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise InvalidParameterError(name, value, allowed, "not an integer")
    n = int(value)
    if n < 1 or (maximum is not None and n > maximum):
        raise InvalidParameterError(name, value, allowed)
    return n


def finite_array(name: str, value: Any, *, ndim: int | None = None, shape: tuple | None = None) -> np.ndarray:
    """Copy ``value`` into a read-only float64 array, checking finiteness and shape."""
    try:
        arr = np.array(value, dtype=np.float64, copy=True)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(name, value, "an array of finite real numbers", str(exc)) from None
    if ndim is not None and arr.ndim != ndim:
        raise InvalidParameterError(name, value, f"an array with {ndim} dimension(s)",
                                    f"got shape {arr.shape}")
    if shape is not None and arr.shape != tuple(shape):
        raise InvalidParameterError(name, value, f"an array of shape {tuple(shape)}",
                                    f"got shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise InvalidParameterError(f"{name}[{', '.join(map(str, index))}]", arr[index],
                                    "a finite real number")
    arr.setflags(write=False)
    return arr


def _interval(low, high, low_open, high_open) -> str:
    if low is None and high is None:
        return "a finite real number"
    if high is None:
        return f"a finite number {'>' if low_open else '>='} {low:g}"
    if low is None:
        return f"a finite number {'<' if high_open else '<='} {high:g}"
    return f"a finite number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
