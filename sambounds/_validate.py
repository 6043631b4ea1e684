"""Small validators shared by every module that takes user input.

Each returns the cleaned value (a Python float/int/bool/str, a dict, or a read-only float64
array) or raises :class:`~sambounds.errors.InvalidParameterError` naming the parameter, the
value and the allowed range.  They never let a Python or numpy exception through: an integer
too large for float64 (``10**400``), an array that is not rectangular or a wrong type all
become an InvalidParameterError.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any, Iterable

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
    try:
        x = float(value)
    except (OverflowError, ValueError, TypeError):  # 10**400, a Fraction beyond float64
        raise InvalidParameterError(name, value, desc, "not representable as a float64") from None
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


def integer(name: str, value: Any, *, low: int | None = None, high: int | None = None) -> int:
    """Validate an integer in ``[low, high]`` (a float, even 3.0, and a bool are rejected)."""
    parts = ([f">= {low}"] if low is not None else []) + ([f"<= {high:,}"] if high is not None else [])
    allowed = "an integer" + (" " + " and ".join(parts) if parts else "")
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise InvalidParameterError(name, value, allowed, "not an integer")
    n = int(value)
    if (low is not None and n < low) or (high is not None and n > high):
        raise InvalidParameterError(name, value, allowed)
    return n


def positive_int(name: str, value: Any, *, maximum: int | None = None) -> int:
    """Validate an integer >= 1 (a float equal to an integer is rejected: T=10.5 or 1e3 is ambiguous)."""
    return integer(name, value, low=1, high=maximum)


def boolean(name: str, value: Any) -> bool:
    """Validate True or False (numpy's bool too); 0, 1, "yes" are rejected as ambiguous."""
    if not isinstance(value, (bool, np.bool_)):
        raise InvalidParameterError(name, value, "True or False")
    return bool(value)


def text(name: str, value: Any, *, allowed: str = "a string", empty: bool = True) -> str:
    """Validate a string (non-empty after stripping unless ``empty``)."""
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise InvalidParameterError(name, value, allowed if empty else "a non-empty string")
    return value


def choice(name: str, value: Any, choices: Iterable[str]) -> str:
    """Validate one of the strings ``choices`` (a list, a number or None is rejected, never hashed)."""
    options = tuple(choices)
    if not isinstance(value, str) or value not in options:
        raise InvalidParameterError(name, value, "one of " + ", ".join(repr(c) for c in options))
    return value


def subset(name: str, value: Any, universe: Iterable[str]) -> tuple[str, ...]:
    """Validate one name or a non-empty sequence of names, each one of ``universe``.

    A single string is a one-element subset; a number, a mapping or None is rejected (never
    iterated), as is an element that is not a string of ``universe``.  Order is kept.
    """
    options = tuple(universe)
    if isinstance(value, str):
        names: tuple = (value,)
    elif isinstance(value, (list, tuple)):
        names = tuple(value)
    else:
        raise InvalidParameterError(name, value, f"a name or a non-empty list of names from {list(options)}")
    if not names:
        raise InvalidParameterError(name, value, f"a non-empty subset of {list(options)}")
    for n in names:
        choice(name, n, options)
    return names


def seed(name: str, value: Any) -> Any:
    """Validate a random seed: None, an integer >= 0, a numpy SeedSequence or Generator (returned as is)."""
    if value is None or isinstance(value, (np.random.SeedSequence, np.random.Generator)):
        return value
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)) or value < 0:
        raise InvalidParameterError(name, value, "None, an integer >= 0, a numpy SeedSequence or Generator")
    return int(value)


def mapping(name: str, value: Any, *, optional: bool = True) -> dict:
    """Copy a mapping with string keys into a new dict (None gives {} when ``optional``)."""
    if value is None and optional:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise InvalidParameterError(name, value, "a mapping with string keys" + (" or None" if optional else ""))
    return dict(value)


def broadcast(arrays: Mapping[str, Any]) -> tuple[int, ...]:
    """The common numpy broadcast shape of named arrays, or an error listing each one's shape."""
    shapes = {k: np.shape(a) for k, a in arrays.items()}
    try:
        return np.broadcast_shapes(*shapes.values())
    except ValueError:
        listed = ", ".join(f"{k}: {s}" for k, s in shapes.items() if s != ())
        raise InvalidParameterError("shapes", listed, "arrays that broadcast together (numpy rules)") from None


def finite_array(name: str, value: Any, *, ndim: int | None = None, shape: tuple | None = None) -> np.ndarray:
    """Copy ``value`` into a read-only float64 array, checking finiteness and shape."""
    arr = _real_array(name, value)
    if ndim is not None and arr.ndim != ndim:
        raise InvalidParameterError(name, value, f"an array with {ndim} dimension(s)",
                                    f"got shape {arr.shape}")
    if shape is not None and arr.shape != tuple(shape):
        raise InvalidParameterError(name, value, f"an array of shape {tuple(shape)}",
                                    f"got shape {arr.shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0]) if arr.ndim else ()
        where = f"{name}[{', '.join(map(str, index))}]" if index else name
        raise InvalidParameterError(where, float(arr[index]), "a finite real number")
    arr.setflags(write=False)
    return arr


def _real_array(name: str, value: Any) -> np.ndarray:
    """A float64 copy of an array of real numbers.

    Strings ("1.5"), complex numbers and booleans are refused instead of being parsed or
    silently truncated by ``np.array(..., dtype=float)``; a ragged nested list is refused
    with numpy's reason.
    """
    allowed = "an array of finite real numbers"
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidParameterError(name, value, allowed, str(exc)) from None
    kind = raw.dtype.kind
    if kind == "O":
        items = raw.reshape(-1)
        if not all(isinstance(x, (numbers.Real, np.floating, np.integer)) and not isinstance(x, (bool, np.bool_))
                   for x in items):
            raise InvalidParameterError(name, value, allowed, "an entry is not a real number")
    elif kind not in "iuf":
        raise InvalidParameterError(name, value, allowed, f"entries of dtype {raw.dtype} are not real numbers")
    try:
        return np.array(raw, dtype=np.float64, copy=True)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidParameterError(name, value, allowed, str(exc)) from None


def _interval(low, high, low_open, high_open) -> str:
    if low is None and high is None:
        return "a finite real number"
    if high is None:
        return f"a finite number {'>' if low_open else '>='} {low:g}"
    if low is None:
        return f"a finite number {'<' if high_open else '<='} {high:g}"
    return f"a finite number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
