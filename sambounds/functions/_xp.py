"""A small array namespace so that one function definition runs on NumPy arrays, torch tensors and JAX arrays.

NumPy and torch agree on arithmetic operators, ``@``, indexing and most elementwise functions
but not on reduction keywords (``axis`` vs ``dim``) and a few names.  Function families and the
simulator call :func:`ops` on their input and use only the methods below, so that the same
formula is evaluated in float64 NumPy (the default) or in torch on CPU/CUDA.  torch is imported
only when a tensor is actually seen.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np


class NumpyOps:
    """The NumPy implementation (also the reference semantics for :class:`TorchOps`).

    ``xp`` is the array module; jax.numpy follows NumPy's API, so :class:`JaxOps` is this class
    with ``xp = jax.numpy``.
    """

    name = "numpy"

    def __init__(self, xp: Any = np) -> None:
        self.xp = xp
        for fn in ("exp", "log", "log1p", "tanh", "cos", "sin", "abs", "sign", "sqrt", "where",
                   "maximum", "minimum", "logaddexp", "isfinite", "zeros_like"):
            setattr(self, fn, getattr(xp, fn))

    def sum(self, x, axis, keepdims=False):
        return self.xp.sum(x, axis=axis, keepdims=keepdims)

    def max(self, x, axis, keepdims=False):
        return self.xp.max(x, axis=axis, keepdims=keepdims)

    def stack(self, arrays):
        """Stack along a new last axis."""
        return self.xp.stack(arrays, axis=-1)

    def sumsq(self, x):
        """sum_i x_i^2 over the last axis (one pass, no temporary)."""
        return self.xp.einsum("...i,...i->...", x, x)

    def vdot(self, a, b):
        """sum_i a_i b_i over the last axis."""
        return self.xp.einsum("...i,...i->...", a, b)

    def take(self, p, idx):
        """``p[f, idx[f, ...]]`` for a per-function table ``p`` of shape (F, n, ...)."""
        f = self.xp.arange(p.shape[0]).reshape((-1,) + (1,) * (idx.ndim - 1))
        return p[f, idx]

    def empty_like(self, x, contiguous=False):
        """An uninitialised array of x's shape and dtype: x's memory layout, or C order if ``contiguous``.

        Keeping x's layout keeps the simulator's reductions (sums over the last axis, whose
        rounding depends on the strides) the same as on freshly allocated results.
        """
        return self.xp.empty(x.shape, dtype=x.dtype) if contiguous else self.xp.empty_like(x)

    def add(self, a, b, out=None):
        """a + b (into ``out`` when given)."""
        return self.xp.add(a, b, out=out)

    def sub(self, a, b, out=None):
        """a - b (into ``out`` when given)."""
        return self.xp.subtract(a, b, out=out)

    def mul(self, a, b, out=None):
        """a * b (into ``out`` when given)."""
        return self.xp.multiply(a, b, out=out)

    def div(self, a, b, out=None):
        """a / b (into ``out`` when given)."""
        return self.xp.divide(a, b, out=out)

    def matmul(self, a, b, out=None):
        """a @ b, batched over the leading axes (into ``out`` when given)."""
        return self.xp.matmul(a, b, out=out)

    def contiguous(self, a) -> bool:
        """Whether ``a.reshape`` is a view of ``a`` (so writing into the reshaped array writes into ``a``)."""
        return bool(a.flags.c_contiguous)

    def put(self, dst, src, where):
        """dst[where] = src[where] in place (``where`` broadcasts against ``dst``); returns dst."""
        self.xp.copyto(dst, src, where=where)
        return dst


class TorchOps:
    """The same methods on torch tensors (torch is imported lazily)."""

    name = "torch"

    def __init__(self) -> None:
        import torch

        self.torch = torch
        for fn in ("exp", "log", "log1p", "tanh", "cos", "sin", "abs", "sign", "sqrt", "where",
                   "maximum", "minimum", "logaddexp", "isfinite", "zeros_like"):
            setattr(self, fn, getattr(torch, fn))

    def sum(self, x, axis, keepdims=False):
        return self.torch.sum(x, dim=axis, keepdim=keepdims)

    def max(self, x, axis, keepdims=False):
        return self.torch.amax(x, dim=axis, keepdim=keepdims)

    def stack(self, arrays):
        return self.torch.stack(arrays, dim=-1)

    def sumsq(self, x):
        return self.torch.sum(x * x, dim=-1)

    def vdot(self, a, b):
        return self.torch.sum(a * b, dim=-1)

    def take(self, p, idx):
        f = self.torch.arange(p.shape[0], device=idx.device).reshape((-1,) + (1,) * (idx.ndim - 1))
        return p[f, idx]

    def empty_like(self, x, contiguous=False):
        if contiguous:
            return self.torch.empty(tuple(x.shape), dtype=x.dtype, device=x.device)
        return self.torch.empty_like(x)

    def add(self, a, b, out=None):
        return self.torch.add(a, b, out=out)

    def sub(self, a, b, out=None):
        return self.torch.sub(a, b, out=out)

    def mul(self, a, b, out=None):
        return self.torch.mul(a, b, out=out)

    def div(self, a, b, out=None):
        return self.torch.div(a, b, out=out)

    def matmul(self, a, b, out=None):
        return self.torch.matmul(a, b, out=out)

    def contiguous(self, a) -> bool:
        return bool(a.is_contiguous())

    def put(self, dst, src, where):
        return dst.copy_(self.torch.where(where, src, dst))


class JaxOps(NumpyOps):
    """The same methods on JAX arrays (and tracers under ``jit`` / ``vmap``), jax imported lazily.

    Used by the optax adapter, whose opaque mode needs gradients it can trace.
    """

    name = "jax"

    def __init__(self) -> None:
        import jax.numpy as jnp

        super().__init__(jnp)

    def _pure(self, fn, a, b, out):
        if out is not None:
            raise TypeError("JAX arrays are immutable: out must be None")  # pragma: no cover
        return fn(a, b)

    def add(self, a, b, out=None):
        return self._pure(self.xp.add, a, b, out)

    def sub(self, a, b, out=None):
        return self._pure(self.xp.subtract, a, b, out)

    def mul(self, a, b, out=None):
        return self._pure(self.xp.multiply, a, b, out)

    def div(self, a, b, out=None):
        return self._pure(self.xp.divide, a, b, out)

    def matmul(self, a, b, out=None):
        return self._pure(self.xp.matmul, a, b, out)


_NUMPY = NumpyOps()


def ops(x: Any) -> Any:
    """The namespace matching ``x``: NumPy input, a torch tensor, or a JAX array / tracer."""
    if isinstance(x, np.ndarray) or np.isscalar(x):
        return _NUMPY
    module = type(x).__module__
    if module.startswith("torch"):
        return _torch_ops()
    if module.startswith(("jax", "jaxlib")):
        return _jax_ops()
    return _NUMPY


@functools.lru_cache(maxsize=1)
def _jax_ops() -> JaxOps:
    """One JaxOps per process (built on first use, immutable afterwards)."""
    return JaxOps()


@functools.lru_cache(maxsize=1)
def _torch_ops() -> TorchOps:
    """One TorchOps per process (built on first use, immutable afterwards)."""
    return TorchOps()


def lead(p: Any, x: Any) -> Any:
    """View a per-function parameter ``p`` of shape (F, *core) as (F, 1, ..., 1, *core).

    ``x`` is a point batch of shape (F, *batch, d); one singleton axis is inserted per batch
    axis so that ``p`` broadcasts against ``x`` (core = (d,)), against ``x[..., None]``
    (core = (d, d) or (n, d)) or, with core = (), against the values of shape (F, *batch).
    """
    n_batch = x.ndim - 2
    return p.reshape((p.shape[0],) + (1,) * n_batch + tuple(p.shape[1:]))
