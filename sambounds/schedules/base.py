"""The Schedule interface: a rule that evaluates to T validated step sizes."""

from __future__ import annotations

import abc
import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .. import _validate as v
from ..errors import InvalidParameterError

if TYPE_CHECKING:  # pragma: no cover
    from ..setting import Constants

#: Largest horizon whose step sizes are stored as an array (10^8 floats = 800 MB).
MAX_MATERIALIZED_T = 10**8


class Schedule(abc.ABC):
    """A step-size rule eta_t, t = 0..T-1.

    Subclasses are frozen dataclasses holding only their parameters; :meth:`steps`
    evaluates them for a horizon T (and, for theorem-prescribed rules, the problem
    constants) and guarantees a read-only float64 array of length T whose entries are
    finite and > 0.
    """

    name: ClassVar[str]
    #: False for rules whose step does not depend on t (their ``_raw`` returns a scalar).
    varies: ClassVar[bool] = True

    def steps(self, T: int, constants: "Constants | None" = None) -> np.ndarray:
        """Evaluate eta_0..eta_{T-1}.

        Raises
        ------
        InvalidParameterError
            If T is not a positive integer, a constant the rule needs is missing, or the
            rule produces a step that is not finite and > 0 (the message names ``schedule[t]``).
        """
        T = v.positive_int("T", T, maximum=MAX_MATERIALIZED_T)
        raw = self._evaluate(T, constants)
        raw = np.broadcast_to(raw, (T,)) if raw.ndim == 0 else raw
        return check_steps(raw, T, name=f"schedule ({self.name})")

    def constant_step(self, T: int, constants: "Constants | None" = None) -> float | None:
        """The step eta when the rule does not vary with t (validated), else None.

        Costs O(1) for constant rules, so a horizon of 10^12 is no problem.
        """
        T = v.positive_int("T", T)
        if self.varies:
            return None
        raw = self._evaluate(T, constants)
        return float(check_steps(raw.reshape(1), 1, name=f"schedule ({self.name})")[0])

    def _evaluate(self, T: int, constants: "Constants | None") -> np.ndarray:
        from ..setting import Constants  # the setting module imports this one

        if constants is not None and not isinstance(constants, Constants):
            raise InvalidParameterError("constants", constants, "a sambounds.Constants instance or None")
        # Prescribed rules use Python floats (beta**4 ...); extreme constants must give a
        # clear error, not an OverflowError from deep inside a formula.
        try:
            with np.errstate(over="raise", divide="raise", invalid="raise"):
                return np.asarray(self._raw(T, constants), dtype=np.float64)
        except (OverflowError, ZeroDivisionError, FloatingPointError) as exc:
            given = constants.as_dict() if constants is not None else None
            raise InvalidParameterError("constants", given, f"values for which the {self.name} rule is finite",
                                        f"evaluating it failed: {exc}") from None

    @abc.abstractmethod
    def _raw(self, T: int, constants: "Constants | None") -> np.ndarray:
        """Unvalidated steps: a scalar for a rule constant in t, else a length-T array."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description that :func:`schedule_from_dict` turns back into this rule."""
        params = {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}
        return {"name": self.name, **params}

    def describe(self) -> str:
        params = ", ".join(f"{k}={x:g}" if isinstance(x, float) else f"{k}={x}"
                           for k, x in self.to_dict().items() if k != "name" and not isinstance(x, list))
        return f"{self.name}({params})"


def check_steps(steps: Any, T: int, *, name: str = "schedule") -> np.ndarray:
    """Validate an explicit step-size array: length T, finite, every entry > 0."""
    arr = v.finite_array(name, steps).copy() if not isinstance(steps, np.ndarray) or steps.dtype.kind not in "iuf" \
        else steps.astype(np.float64, copy=True)
    if arr.ndim != 1 or arr.shape[0] != T:
        raise InvalidParameterError(name, f"array of shape {arr.shape}", f"a 1-D array of length T = {T}")
    bad = np.flatnonzero(~np.isfinite(arr) | (arr <= 0))
    if bad.size:
        t = int(bad[0])
        raise InvalidParameterError(f"{name}[{t}]", float(arr[t]), "a finite step size > 0")
    arr.setflags(write=False)
    return arr


def require(constants: "Constants | None", rule: str, *names: str) -> list[float]:
    """Fetch constants a prescribed rule needs, with an error naming the first missing one."""
    if constants is None:
        raise InvalidParameterError("constants", None, f"the problem constants ({', '.join(names)})",
                                    f"the {rule} step size depends on them")
    values = []
    for n in names:
        x = getattr(constants, n)
        if x is None:
            raise InvalidParameterError(n, None, "a value", f"the {rule} step size depends on {n}")
        values.append(x)
    return values


def _plain(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, tuple):
        return list(x)
    return x
