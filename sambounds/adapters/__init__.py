"""Adapters: put an outside SAM implementation (torch, optax, NumPy) under sambounds' checks.

================  ==========================================================================
module            concept
================  ==========================================================================
``spec``          :class:`OptimizerSpec`, :func:`resolve`: a factory + framework + options,
                  ``"module:factory"`` loading, framework detection, the optimizer errors
``numpy_step``    a NumPy ``step(x, grad_fn, t)`` per trajectory (or batched)
``torch_optim``   a torch ``params -> optimizer`` factory, two-step or closure API (extra ``torch``)
``optax_tx``      an optax ``learning_rate -> GradientTransformation`` (extra ``jax``)
``run``           the simulator kernel with the optimizer as its update rule
``conformance``   :func:`conform`: which reference rule (SAM / USAM / GD) it follows, how closely
``report``        :class:`ConformanceResult` (per-rule fits, perturbation, summary)
================  ==========================================================================

torch, jax and optax are imported only when an optimizer of that framework is run.
"""

from __future__ import annotations

_LAZY = {
    "OptimizerSpec": "spec", "OptimizerError": "spec", "Schedule": "spec", "resolve": "spec",
    "simulate_optimizer": "run", "conform": "conformance", "ConformanceResult": "report",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sambounds.adapters' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"sambounds.adapters.{module}"), name)


__all__ = sorted(_LAZY)
