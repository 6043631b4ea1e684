"""The Setting: one validated value that every layer of sambounds consumes.

A Setting is

    algorithm (SAM | n-SAM | m-SAM | USAM | GD)
  + function class (beta-smooth, plus mu-strongly convex | convex | L-Lipschitz nonconvex | nonconvex)
  + constants (beta, mu, rho, L, sigma, Delta, D)
  + a step-size schedule eta_t, t = 0..T-1, and the horizon T.

The algorithms (docs/theory.md section 1), with g = grad f(x_t):

=========  ==============================================  ==========================================
name       ascent point y_t                                descent
=========  ==============================================  ==========================================
``sam``    x_t + rho g/||g||   (y_t = x_t when g = 0)      x_{t+1} = x_t - eta_t grad f(y_t)
``n-sam``  x_t + rho g/||g||, g = grad l(x_t; xi_t)        x_{t+1} = x_t - eta_t grad l(y_t; xi'_t), xi' independent
``m-sam``  as n-SAM                                        x_{t+1} = x_t - eta_t grad l(y_t; xi_t), same sample
``usam``   x_t + rho g                                     as SAM
``gd``     x_t                                             x_{t+1} = x_t - eta_t g
=========  ==============================================  ==========================================

Stochastic algorithms (n-SAM, m-SAM) need the variance bound sigma (sigma = 0 is allowed);
deterministic ones must not be given one.  GD has no perturbation: rho must be absent or 0.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _validate as v
from .errors import IncompatibleSettingError, InvalidParameterError
from .schedules import MAX_MATERIALIZED_T, Constant, Schedule


#: Largest horizon: every integer up to 2^53 is exact in float64, where the bounds are evaluated.
MAX_T = 2**53


class Algorithm(str, enum.Enum):
    """The SAM family and its two references (docs/theory.md section 1)."""

    SAM = "sam"
    N_SAM = "n-sam"
    M_SAM = "m-sam"
    USAM = "usam"
    GD = "gd"

    @property
    def stochastic(self) -> bool:
        """True for the algorithms that sample a component per step (n-SAM, m-SAM)."""
        return self in (Algorithm.N_SAM, Algorithm.M_SAM)

    @property
    def normalized(self) -> bool:
        """True when the ascent step is rho g/||g|| (practical SAM)."""
        return self in (Algorithm.SAM, Algorithm.N_SAM, Algorithm.M_SAM)

    @classmethod
    def parse(cls, value: Any) -> "Algorithm":
        return _parse_enum(cls, "algorithm", value)

    def __str__(self) -> str:
        return self.value


class FunctionClass(str, enum.Enum):
    """beta-smooth functions, refined by one curvature / Lipschitz assumption."""

    STRONGLY_CONVEX = "strongly-convex"
    CONVEX = "convex"
    LIPSCHITZ_NONCONVEX = "lipschitz-nonconvex"
    NONCONVEX = "nonconvex"

    @property
    def convex(self) -> bool:
        return self in (FunctionClass.STRONGLY_CONVEX, FunctionClass.CONVEX)

    def contains(self, other: "FunctionClass") -> bool:
        """Whether every function of ``other`` belongs to this class.

        strongly convex ⊂ convex ⊂ nonconvex and L-Lipschitz nonconvex ⊂ nonconvex, so a
        bound proved for a larger class applies to a smaller one.
        """
        chains = {
            FunctionClass.STRONGLY_CONVEX: {FunctionClass.STRONGLY_CONVEX},
            FunctionClass.CONVEX: {FunctionClass.CONVEX, FunctionClass.STRONGLY_CONVEX},
            FunctionClass.LIPSCHITZ_NONCONVEX: {FunctionClass.LIPSCHITZ_NONCONVEX},
            FunctionClass.NONCONVEX: set(FunctionClass),
        }
        return other in chains[self]

    @classmethod
    def parse(cls, value: Any) -> "FunctionClass":
        return _parse_enum(cls, "function_class", value)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Constants:
    """Problem constants, each validated on its own.

    beta > 0 (smoothness); 0 <= mu <= beta (strong convexity); rho >= 0 (perturbation radius);
    L > 0 (Lipschitz constant of f); sigma >= 0 (gradient-noise standard deviation);
    Delta = f(x_0) - f* >= 0; D = ||x_0 - x*|| >= 0.  ``None`` means "not given".
    Whether a constant is required or forbidden depends on the class and algorithm and is
    checked by :class:`Setting`.
    """

    beta: float
    mu: float | None = None
    rho: float | None = None
    L: float | None = None
    sigma: float | None = None
    Delta: float | None = None
    D: float | None = None

    def __post_init__(self) -> None:
        beta = v.positive("beta", self.beta)
        object.__setattr__(self, "beta", beta)
        checks = {
            "mu": lambda x: v.real("mu", x, low=0.0, high=beta,
                                   allowed=f"a finite number in [0, beta] = [0, {beta:g}]"),
            "rho": lambda x: v.nonnegative("rho", x),
            "L": lambda x: v.positive("L", x),
            "sigma": lambda x: v.nonnegative("sigma", x),
            "Delta": lambda x: v.nonnegative("Delta", x),
            "D": lambda x: v.nonnegative("D", x),
        }
        for name, check in checks.items():
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, check(value))

    @property
    def kappa(self) -> float | None:
        """Condition number beta/mu (None unless mu > 0)."""
        return self.beta / self.mu if self.mu else None

    def as_dict(self, *, drop_none: bool = True) -> dict[str, float | None]:
        d = dataclasses.asdict(self)
        return {k: x for k, x in d.items() if x is not None} if drop_none else d

    def replace(self, **changes: Any) -> "Constants":
        return _replace(self, changes)


@dataclass(frozen=True)
class Setting:
    """Algorithm + function class + constants + schedule + horizon, validated together.

    Parameters
    ----------
    algorithm : Algorithm or str
        ``"sam"``, ``"n-sam"``, ``"m-sam"``, ``"usam"`` or ``"gd"``.
    function_class : FunctionClass or str
        ``"strongly-convex"``, ``"convex"``, ``"lipschitz-nonconvex"`` or ``"nonconvex"``.
    constants : Constants
    T : int
        Horizon (number of steps), >= 1.
    schedule : Schedule, optional
        Step sizes eta_0..eta_{T-1}.  ``None`` means "not fixed": a query then reports each
        theorem's prescribed step size.  A number is accepted as a constant step size.

    Raises
    ------
    InvalidParameterError
        For any value outside its range; :class:`IncompatibleSettingError` (a subclass) when
        a constant does not fit the class or algorithm.
    """

    algorithm: Algorithm
    function_class: FunctionClass
    constants: Constants
    T: int
    schedule: Schedule | None = None
    _steps: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)
    _eta: float | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        algorithm = Algorithm.parse(self.algorithm)
        function_class = FunctionClass.parse(self.function_class)
        object.__setattr__(self, "algorithm", algorithm)
        object.__setattr__(self, "function_class", function_class)
        if not isinstance(self.constants, Constants):
            raise InvalidParameterError("constants", self.constants, "a sambounds.Constants instance")
        object.__setattr__(self, "T", v.positive_int("T", self.T, maximum=MAX_T))
        _check_fit(algorithm, function_class, self.constants)
        schedule = self.schedule
        if schedule is not None and not isinstance(schedule, Schedule):
            schedule = Constant(v.positive("eta", schedule))
            object.__setattr__(self, "schedule", schedule)
        if schedule is not None:
            eta = schedule.constant_step(self.T, self.constants)
            if eta is not None:  # materialized on demand: a constant rule at T = 10^12 costs nothing
                object.__setattr__(self, "_eta", eta)
            elif self.T > MAX_MATERIALIZED_T:
                raise InvalidParameterError("T", self.T, f"an integer <= {MAX_MATERIALIZED_T} for a schedule "
                                            f"that varies with t", "its steps are materialized as an array")
            else:
                object.__setattr__(self, "_steps", schedule.steps(self.T, self.constants))

    @classmethod
    def create(cls, algorithm: Algorithm | str, function_class: FunctionClass | str, *, T: int,
               beta: float, mu: float | None = None, rho: float | None = None, L: float | None = None,
               sigma: float | None = None, Delta: float | None = None, D: float | None = None,
               eta: float | None = None, schedule: Schedule | None = None) -> "Setting":
        """Keyword shortcut: ``Setting.create("sam", "strongly-convex", beta=1, mu=0.01, rho=0.05, T=100)``.

        ``eta`` (a constant step) and ``schedule`` are mutually exclusive.
        """
        if eta is not None and schedule is not None:
            raise InvalidParameterError("eta", eta, "absent when schedule is given",
                                        "give either a constant eta or a schedule")
        constants = Constants(beta=beta, mu=mu, rho=rho, L=L, sigma=sigma, Delta=Delta, D=D)
        if eta is not None:
            schedule = Constant(v.positive("eta", eta))
        return cls(algorithm, function_class, constants, T, schedule)

    @property
    def steps(self) -> np.ndarray:
        """The evaluated schedule eta_0..eta_{T-1} (read-only float64 array of length T)."""
        if self._steps is None and self._eta is not None:
            if self.T > MAX_MATERIALIZED_T:
                raise InvalidParameterError("T", self.T, f"an integer <= {MAX_MATERIALIZED_T} to materialize "
                                            "the steps", f"use constant_step (= {self._eta:g}) instead")
            steps = np.full(self.T, self._eta)
            steps.setflags(write=False)
            object.__setattr__(self, "_steps", steps)  # cache: the Setting is immutable
        if self._steps is None:
            raise InvalidParameterError("schedule", None, "a step-size schedule",
                                        "this Setting has no schedule; give eta= or schedule=")
        return self._steps

    @property
    def constant_step(self) -> float | None:
        """The step eta when the schedule is constant in t (None otherwise or without a schedule)."""
        if self._eta is not None:
            return self._eta
        if self._steps is not None and np.all(self._steps == self._steps[0]):
            return float(self._steps[0])
        return None

    @property
    def has_schedule(self) -> bool:
        return self._steps is not None or self._eta is not None

    @property
    def rho(self) -> float:
        """The perturbation radius (0 for GD or when not given)."""
        return self.constants.rho or 0.0

    def replace(self, **changes: Any) -> "Setting":
        """A copy with some fields changed, validated again."""
        return _replace(self, changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "algorithm": self.algorithm.value,
            "function_class": self.function_class.value,
            "constants": self.constants.as_dict(),
            "T": self.T,
            "schedule": None if self.schedule is None else self.schedule.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Setting":
        from .schedules import schedule_from_dict

        data = v.mapping("setting", data, optional=False)
        try:
            schedule = data.get("schedule")
            constants = v.mapping("setting.constants", data["constants"], optional=False)
            unknown = sorted(set(constants) - {f.name for f in dataclasses.fields(Constants)})
            if unknown:
                raise InvalidParameterError(f"setting.constants.{unknown[0]}", constants[unknown[0]],
                                            "one of beta, mu, rho, L, sigma, Delta, D")
            return cls(data["algorithm"], data["function_class"], Constants(**constants),
                       data["T"], None if schedule is None else schedule_from_dict(schedule))
        except KeyError as exc:
            raise InvalidParameterError(str(exc.args[0]), None, "a required field of a Setting") from None
        except TypeError as exc:  # Constants(**constants) without beta
            raise InvalidParameterError("setting.constants.beta", None, "a required field of a Setting's constants",
                                        str(exc)) from None


def _replace(value: Any, changes: dict[str, Any]) -> Any:
    """``dataclasses.replace`` with an unknown field name reported as an InvalidParameterError."""
    names = {f.name for f in dataclasses.fields(value) if f.init}
    unknown = sorted(set(changes) - names)
    if unknown:
        raise InvalidParameterError(unknown[0], changes[unknown[0]], f"a field among {sorted(names)}")
    return dataclasses.replace(value, **changes)


def _check_fit(algorithm: Algorithm, function_class: FunctionClass, c: Constants) -> None:
    def require(name: str, why: str) -> None:
        if getattr(c, name) is None:
            raise IncompatibleSettingError(name, None, "a value", why)

    def forbid(name: str, why: str) -> None:
        if getattr(c, name) is not None:
            raise IncompatibleSettingError(name, getattr(c, name), "absent (None)", why)

    if function_class is FunctionClass.STRONGLY_CONVEX:
        require("mu", "the strongly-convex class needs mu")
        if c.mu == 0.0:
            raise IncompatibleSettingError("mu", c.mu, f"a finite number in (0, beta] = (0, {c.beta:g}]",
                                           "mu = 0 is the convex class")
    elif function_class is FunctionClass.CONVEX:
        if c.mu not in (None, 0.0):
            raise IncompatibleSettingError("mu", c.mu, "absent or 0 for the convex class",
                                           "use function_class='strongly-convex' for mu > 0")
    else:
        forbid("mu", f"the {function_class.value} class has no strong convexity")
    if function_class is FunctionClass.LIPSCHITZ_NONCONVEX:
        require("L", "the lipschitz-nonconvex class needs the Lipschitz constant L")

    if algorithm.stochastic:
        require("sigma", f"{algorithm.value} is stochastic and needs the noise level sigma (0 is allowed)")
    else:
        forbid("sigma", f"{algorithm.value} is deterministic; use n-sam or m-sam for stochastic SAM")
    if algorithm is Algorithm.GD:
        if c.rho not in (None, 0.0):
            raise IncompatibleSettingError("rho", c.rho, "absent or 0 for gd",
                                           "GD has no perturbation; use sam or usam")
    elif c.rho is None:
        raise IncompatibleSettingError("rho", None, "a finite number >= 0",
                                       f"{algorithm.value} needs the perturbation radius rho")


def _parse_enum(cls: type[enum.Enum], name: str, value: Any):
    if isinstance(value, cls):
        return value
    choices = ", ".join(repr(m.value) for m in cls)
    if isinstance(value, str):
        key = value.strip().lower().replace("_", "-")
        for member in cls:
            if member.value == key:
                return member
    raise InvalidParameterError(name, value, f"one of {choices}")
