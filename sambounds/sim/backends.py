"""Array backends of the simulator: NumPy float64 (default) and torch (optional, CPU or CUDA).

A backend moves arrays in and out, supplies the seeded uniform draws of the stochastic
oracles and silences floating-point warnings inside the kernel (divergence is detected and
reported by the kernel itself, see :mod:`.kernel`).  The arithmetic is shared: the kernel and
the function families use :func:`sambounds.functions._xp.ops`, which dispatches on the array
type.  torch is imported only when the torch backend is asked for.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InvalidParameterError


@dataclass(frozen=True)
class NumpyBackend:
    """float64 NumPy arrays; randomness from a :class:`numpy.random.Generator`."""

    name: str = "numpy"

    def asarray(self, a: np.ndarray) -> np.ndarray:
        return np.array(a, dtype=np.float64, copy=True)

    def to_numpy(self, a: Any) -> np.ndarray:
        return np.asarray(a)

    def generator(self, seed: Any) -> np.random.Generator:
        """``seed``: None, an int, a :class:`numpy.random.SeedSequence` or a Generator (used as is)."""
        if isinstance(seed, np.random.Generator):
            return seed
        try:
            return np.random.default_rng(seed)
        except (TypeError, ValueError) as exc:
            raise InvalidParameterError("seed", seed, "None, an int >= 0, a SeedSequence or a numpy Generator",
                                        str(exc)) from None

    def uniform(self, rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
        return rng.random(shape)

    def cumulative(self, probs: np.ndarray) -> np.ndarray:
        return np.cumsum(probs, axis=1)[:, :-1]

    def searchsorted(self, edges: np.ndarray, u: np.ndarray) -> np.ndarray:
        return np.searchsorted(edges, u, side="right")

    def errstate(self):
        return np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore")

    def objective(self, objective):
        return objective


@dataclass(frozen=True)
class TorchBackend:
    """torch tensors of ``dtype`` on ``device``; randomness from a seeded :class:`torch.Generator`."""

    device: str = "cpu"
    dtype: str = "float64"
    name: str = "torch"

    def __post_init__(self) -> None:
        torch = _torch()
        if self.dtype not in ("float64", "float32"):
            raise InvalidParameterError("dtype", self.dtype, "'float64' or 'float32'")
        try:
            torch.empty(0, device=self.device)
        except (RuntimeError, AssertionError) as exc:
            raise InvalidParameterError("device", self.device, "a torch device available here",
                                        str(exc).splitlines()[0]) from None

    @property
    def torch_dtype(self):
        return getattr(_torch(), self.dtype)

    def asarray(self, a: np.ndarray):
        return _torch().tensor(np.asarray(a), dtype=self.torch_dtype, device=self.device)

    def to_numpy(self, a: Any) -> np.ndarray:
        return a.detach().to("cpu", _torch().float64).numpy()

    def generator(self, seed: Any):
        torch = _torch()
        if isinstance(seed, torch.Generator):
            return seed
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
            raise InvalidParameterError("seed", seed, "None, an int >= 0 or a torch.Generator (torch backend)")
        if seed is None:
            seed = int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
        gen = torch.Generator(device=self.device)
        gen.manual_seed(int(seed))
        return gen

    def uniform(self, rng, shape: tuple[int, ...]):
        return _torch().rand(shape, generator=rng, dtype=self.torch_dtype, device=self.device)

    def cumulative(self, probs: np.ndarray):
        return self.asarray(np.cumsum(probs, axis=1)[:, :-1])

    def searchsorted(self, edges, u):
        flat = _torch().searchsorted(edges.contiguous(), u.reshape(-1).contiguous(), right=True)
        return flat.reshape(u.shape)

    def errstate(self):
        return contextlib.nullcontext()

    def objective(self, objective):
        return objective.map_arrays(self.asarray)


def get_backend(backend: Any, *, device: str | None = None, dtype: str | None = None):
    """Resolve the ``backend`` argument of :func:`~sambounds.sim.api.simulate`."""
    if isinstance(backend, (NumpyBackend, TorchBackend)):
        return backend
    if backend == "numpy":
        if device not in (None, "cpu") or dtype not in (None, "float64"):
            raise InvalidParameterError("device/dtype", (device, dtype), "cpu/float64 for the numpy backend")
        return NumpyBackend()
    if backend == "torch":
        return TorchBackend(device=device or "cpu", dtype=dtype or "float64")
    raise InvalidParameterError("backend", backend, "'numpy' or 'torch'")


def _torch():
    try:
        import torch
    except ImportError:
        raise InvalidParameterError("backend", "torch", "an installed backend",
                                    "torch is not installed; pip install 'sambounds[gpu]'") from None
    return torch
