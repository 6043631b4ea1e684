"""Which outside optimizer to run, and how: :class:`OptimizerSpec` and :func:`resolve`.

An outside SAM implementation enters sambounds as a *factory*, so that sambounds can build one
fresh optimizer per trajectory and drive its step sizes eta_t itself:

==========  =====================================================  ==========================================
framework   factory                                                how eta_t reaches it
==========  =====================================================  ==========================================
``torch``   ``params -> torch.optim.Optimizer`` (two-step API       ``group["lr"] = eta_t`` on every param group
            ``first_step`` / ``second_step``, or ``step(closure)``)  before step t
``optax``   ``learning_rate -> optax.GradientTransformation``      ``learning_rate`` is a schedule count -> eta
``numpy``   ``eta -> step``, ``step(x, grad_fn, t) -> x_next``      ``eta(t)`` (a :class:`Schedule` callable)
==========  =====================================================  ==========================================

A factory may be a Python callable or the text ``"module:factory"`` (``module`` importable,
``factory`` an attribute path in it).  The spec records that text (``ref``) so that a witness
file re-runs against the user's own factory; a callable that cannot be found again by name
(a lambda, a local function) gives a spec without ``ref`` (its witnesses say so).

Only deterministic runs are adapted: the optimizer sees full gradients grad f(x).  Which
minibatch a SAM step uses at y_t (n-SAM vs m-SAM) is decided by the training loop, not by the
optimizer object, so n-SAM and m-SAM coincide with SAM here.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping, Protocol

import numpy as np

from ..errors import InvalidParameterError

FRAMEWORKS = ("torch", "optax", "numpy")


class OptimizerError(InvalidParameterError):
    """The optimizer (factory) given by the user is unusable: always names the argument ``optimizer``."""

    def __init__(self, value: Any, allowed: str, detail: str | None = None, name: str = "optimizer"):
        super().__init__(name, value, allowed, detail)


class Stepper(Protocol):
    """An algorithm step the simulator kernel runs on a (F, S, K, d) batch (``kernel.run(step=...)``).

    ``step(x_t, g_t, t, eta_t) -> x_{t+1}`` with g_t = grad f(x_t) and eta_t of shape (1, 1, K, 1),
    arrays of the stepper's backend.  ``queries`` collects y_t (NumPy, the last gradient query of
    each step) when the stepper was started with ``record=True``.  Built by
    :meth:`OptimizerSpec.start`, one per run (it owns the run's optimizer objects and their state).
    """

    queries: list

    def __call__(self, x: Any, g: Any, t: int, eta: Any) -> Any: ...


@dataclass(frozen=True)
class Schedule:
    """eta_t for t = 0..T-1 as a callable, the form the numpy and optax factories receive.

    ``eta(t)`` is the step size of step t (a Python float for an int t; for an array of counts,
    as optax passes under ``jit``, the array of step sizes).  ``values`` is the whole (T,) array.
    """

    values: np.ndarray

    def __call__(self, t: Any) -> Any:
        if isinstance(t, (int, np.integer)) or (isinstance(t, np.ndarray) and t.ndim == 0
                                                 and np.issubdtype(t.dtype, np.integer)):
            if isinstance(t, bool) or not 0 <= int(t) < len(self.values):
                raise InvalidParameterError("t", t, f"a step index in [0, {len(self.values) - 1}]")
            return float(self.values[int(t)])
        if type(t).__module__.split(".")[0] in ("jax", "jaxlib"):
            import jax.numpy as jnp  # optax passes its (traced) step count

            return jnp.asarray(self.values)[jnp.clip(t, 0, len(self.values) - 1)]
        raise InvalidParameterError("t", t, f"an integer step index in [0, {len(self.values) - 1}]")


@dataclass(frozen=True)
class OptimizerSpec:
    """A user's optimizer factory with its framework and adapter options (see the module docstring).

    Attributes
    ----------
    factory : callable
    framework : {"torch", "optax", "numpy"}
    ref : str or None
        ``"module:factory"`` when the factory can be imported again by that name.
    options : mapping
        torch: ``api`` ("two-step" or "closure"; default two-step when the optimizer has
        ``first_step``/``second_step``), ``device`` ("cpu"); optax: ``calls_per_step`` (update
        calls per SAM step: 2 for ``optax.contrib.sam`` in its default transparent mode);
        numpy: ``batched`` (False: ``step`` gets one trajectory x of shape (d,); True: an array
        (..., d) of independent trajectories).
    """

    factory: Callable = field(repr=False)
    framework: str
    ref: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))

    @property
    def label(self) -> str:
        name = self.ref or getattr(self.factory, "__qualname__", type(self.factory).__name__)
        return f"{name} ({self.framework})"

    def backend(self):
        """The simulator backend the kernel runs on while driving this optimizer."""
        from ..sim.backends import NumpyBackend, TorchBackend

        if self.framework == "torch":
            return TorchBackend(device=self.options.get("device", "cpu"), dtype="float64")
        return NumpyBackend()

    def start(self, objective: Any, shape: tuple, steps: np.ndarray, record: bool = False) -> Stepper:
        """A stepper for one run: a fresh optimizer per trajectory of the (F, S, K, d) batch."""
        if self.framework == "torch":
            from .torch_optim import TorchStepper as cls
        elif self.framework == "optax":
            from .optax_tx import OptaxStepper as cls
        else:
            from .numpy_step import NumpyStepper as cls
        return cls(self, objective, shape, np.asarray(steps, dtype=np.float64), record)

    def to_dict(self) -> dict[str, Any]:
        return {"factory": self.ref, "framework": self.framework, "options": dict(self.options)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "OptimizerSpec":
        if not isinstance(data, Mapping) or not data.get("factory"):
            raise OptimizerError(data, "a recorded 'module:factory' to re-run",
                                 "the witness was made with a factory that cannot be imported by name")
        return resolve(data["factory"], framework=data.get("framework"), **dict(data.get("options") or {}))


def load_factory(ref: str) -> Callable:
    """Import ``"module:attr.path"``; every failure is an :class:`OptimizerError` naming the text."""
    module_name, sep, attr = ref.partition(":")
    if not sep or not module_name or not attr:
        raise OptimizerError(ref, "'module:factory' (an importable module and a callable in it)")
    try:
        obj: Any = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - any import failure is the user's module
        raise OptimizerError(ref, "'module:factory' with an importable module",
                             f"importing {module_name!r} raised {type(exc).__name__}: {exc}") from None
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise OptimizerError(ref, "'module:factory' naming an attribute of the module",
                                 f"{module_name!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    if not callable(obj):
        raise OptimizerError(ref, "a callable factory", f"{attr!r} is a {type(obj).__name__}")
    return obj


def _ref_of(factory: Callable) -> str | None:
    """``module:qualname`` when importing it gives back this very object (a top-level def or class)."""
    module, qual = getattr(factory, "__module__", None), getattr(factory, "__qualname__", None)
    if not module or not qual or "<" in qual or module == "__main__":
        return None
    try:
        return f"{module}:{qual}" if load_factory(f"{module}:{qual}") is factory else None
    except OptimizerError:
        return None


def _is_torch_optimizer(obj: Any) -> bool:
    return hasattr(obj, "param_groups") and callable(getattr(obj, "step", None))


def _is_transformation(obj: Any) -> bool:
    return callable(getattr(obj, "init", None)) and callable(getattr(obj, "update", None))


def call_factory(factory: Callable, arg: Any, what: str) -> Any:
    """``factory(arg)``; an exception inside the user's factory becomes an OptimizerError."""
    try:
        return factory(arg)
    except Exception as exc:  # noqa: BLE001 - the user's code: report it, naming the argument
        raise OptimizerError(getattr(factory, "__qualname__", factory), f"a factory that accepts {what}",
                             f"calling it raised {type(exc).__name__}: {exc}") from None


def detect_framework(factory: Callable) -> str:
    """torch when ``factory([param])`` is a torch optimizer; else optax / numpy from ``factory(eta)``."""
    probe = Schedule(np.full(2, 0.1))
    try:
        import torch
    except ImportError:
        torch = None
    first: Exception | None = None
    if torch is not None:
        try:
            out = factory([torch.zeros(1, dtype=torch.float64, requires_grad=True)])
        except Exception as exc:  # noqa: BLE001 - not a torch factory; tried as the other kinds below
            out, first = None, exc
        if _is_torch_optimizer(out):
            return "torch"
    try:
        out = factory(probe)
    except Exception as exc:  # noqa: BLE001 - the user's code: report it, naming the argument
        shown = first or exc
        raise OptimizerError(getattr(factory, "__qualname__", factory), "a factory that builds an optimizer "
                             "(from a torch parameter list, an optax learning rate or a schedule eta(t))",
                             f"calling it raised {type(shown).__name__}: {shown}") from None
    if _is_transformation(out):
        return "optax"
    if callable(out) and not _is_torch_optimizer(out):
        return "numpy"
    raise OptimizerError(getattr(factory, "__qualname__", factory),
                         "a factory returning a torch optimizer, an optax GradientTransformation or a "
                         "NumPy step(x, grad_fn, t)", f"it returned a {type(out).__name__}")


def resolve(optimizer: Any, framework: str | None = None, **options: Any) -> OptimizerSpec:
    """An :class:`OptimizerSpec` from a spec, a factory callable or ``"module:factory"`` text.

    Raises
    ------
    OptimizerError
        Not a callable, an unknown framework, an import that fails, a factory that raises or
        returns something that is not an optimizer of the framework.
    """
    if isinstance(optimizer, OptimizerSpec):
        if framework is None and not options:
            return optimizer
        optimizer = optimizer.ref or optimizer.factory
    if framework is not None and framework not in FRAMEWORKS:
        raise InvalidParameterError("framework", framework, " or ".join(repr(f) for f in FRAMEWORKS))
    ref = None
    if isinstance(optimizer, str):
        ref, factory = optimizer, load_factory(optimizer)
    elif callable(optimizer) and not _is_torch_optimizer(optimizer) and not _is_transformation(optimizer):
        factory = optimizer
        ref = _ref_of(factory)
    else:
        hint = ""
        if _is_torch_optimizer(optimizer):
            hint = "an optimizer instance was given: pass the factory params -> optimizer instead"
        elif _is_transformation(optimizer):
            hint = "a GradientTransformation was given: pass a factory learning_rate -> transformation"
        raise OptimizerError(optimizer, "a factory (params -> torch optimizer, learning_rate -> optax "
                             "transformation, eta -> NumPy step) or 'module:factory'", hint or None)
    framework = framework or detect_framework(factory)
    known = {"torch": {"api", "device"}, "optax": {"calls_per_step"}, "numpy": {"batched"}}[framework]
    unknown = sorted(set(options) - known)
    if unknown:
        raise InvalidParameterError(unknown[0], options[unknown[0]], f"an option of the {framework} adapter: "
                                    f"{sorted(known)}")
    _check_options(framework, options)
    return OptimizerSpec(factory, framework, ref, options)


def _check_options(framework: str, options: Mapping[str, Any]) -> None:
    api = options.get("api")
    if api is not None and api not in ("two-step", "closure"):
        raise InvalidParameterError("api", api, "'two-step' or 'closure'")
    cps = options.get("calls_per_step", 1)
    if isinstance(cps, bool) or not isinstance(cps, (int, np.integer)) or cps < 1:
        raise InvalidParameterError("calls_per_step", cps, "an integer >= 1")
    if not isinstance(options.get("batched", False), bool):
        raise InvalidParameterError("batched", options["batched"], "True or False")
    if "device" in options and not isinstance(options["device"], str):
        raise InvalidParameterError("device", options["device"], "a torch device name such as 'cpu' or 'cuda'")


def accepts_keyword(fn: Callable, name: str) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


def check_finite_step(x_next: np.ndarray, x: np.ndarray, g: np.ndarray, t: int, shape: tuple,
                      label: str) -> None:
    """NaN from a finite x_t with a finite gradient is the optimizer's fault: say where it appeared.

    (An overflow to +-inf is divergence, flagged by the kernel like for the built-in rules.)
    """
    bad = np.isnan(x_next).any(axis=-1) & np.isfinite(x).all(axis=-1) & np.isfinite(g).all(axis=-1)
    if bad.any():
        f, s, k = (int(i) for i in np.unravel_index(int(np.flatnonzero(bad.reshape(-1))[0]), shape[:3]))
        gn = float(np.linalg.norm(g[f, s, k]))
        raise OptimizerError(label, "an optimizer whose iterates stay numbers (no NaN)",
                             f"it returned NaN at step t={t} on function {f}, start {s}, schedule {k}, from a "
                             f"finite x_t with ||grad f(x_t)|| = {gn:.3g}")
