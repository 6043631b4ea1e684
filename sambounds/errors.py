"""Exceptions raised by sambounds.

Every user-facing error is a subclass of :class:`SamboundsError`.  Errors about a bad
input value are also :class:`ValueError` and always name the parameter, the value that
was given and the allowed range, so that a user never has to read a traceback from deep
inside numpy, sympy or cvxpy to learn what went wrong.
"""

from __future__ import annotations

from typing import Any


class SamboundsError(Exception):
    """Base class of every exception sambounds raises on purpose."""


class InvalidParameterError(SamboundsError, ValueError):
    """A parameter is outside its allowed range.

    Attributes
    ----------
    name : str
        The parameter's name as the user knows it (``"beta"``, ``"schedule[3]"``, ...).
    value : Any
        The offending value.
    allowed : str
        A human-readable statement of the allowed range, e.g. ``"a finite number > 0"``.
    """

    def __init__(self, name: str, value: Any, allowed: str, detail: str | None = None):
        self.name = name
        self.value = value
        self.allowed = allowed
        self.detail = detail
        message = f"invalid {name}={_short_repr(value)}: allowed is {allowed}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class IncompatibleSettingError(InvalidParameterError):
    """A constant, function class and algorithm that do not fit together.

    Example: ``sigma`` given for deterministic SAM, or ``L`` missing for the
    L-Lipschitz nonconvex class.
    """


class SolverError(SamboundsError, RuntimeError):
    """A convex solver did not return a usable solution.

    Attributes
    ----------
    solver : str
        Name of the solver that was asked (never silently replaced by another).
    status : str
        The status string the solver reported.
    """

    def __init__(self, solver: str, status: str, detail: str | None = None):
        self.solver = solver
        self.status = status
        message = f"solver {solver} failed with status {status!r}"
        if detail:
            message += f": {detail}"
        super().__init__(message)


class ProofError(SamboundsError, AssertionError):
    """A proof step could not be verified by the checker."""


def _short_repr(value: Any, limit: int = 80) -> str:
    # one line whatever the value: a numpy array's repr spans several, and an error message is one line
    text = " ".join(repr(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
