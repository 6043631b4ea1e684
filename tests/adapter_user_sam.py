"""A researcher's own SAM implementations, for the adapter tests (importable as ``adapter_user_sam``).

``sam`` is correct; ``usam``, ``descent_at_x`` and ``flipped`` carry one injected bug each; the
others are bad inputs.  The torch factories import torch lazily.
"""

from __future__ import annotations

import numpy as np

RHO = 0.05


def _make(bug=None, eps=0.0, rho=RHO):
    def factory(eta):
        def step(x, grad_fn, t):
            g = grad_fn(x)
            n = np.linalg.norm(g, axis=-1, keepdims=True)
            if bug == "usam":
                e = rho * g
            else:
                e = np.where(n + eps > 0, rho * g / np.where(n + eps > 0, n + eps, 1.0), 0.0)
            if bug == "flipped":
                e = -e
            gy = grad_fn(x + e)
            return x - eta(t) * (g if bug == "descent-at-x" else gy)
        return step
    return factory


sam = _make()
usam = _make("usam")
descent_at_x = _make("descent-at-x")
flipped = _make("flipped")
sam_eps = _make(eps=1e-8)


def sam_global_norm(eta):
    """Batched but normalizes by the norm of the whole batch (couples the trajectories)."""
    def step(x, grad_fn, t):
        g = grad_fn(x)
        return x - eta(t) * grad_fn(x + RHO * g / np.linalg.norm(g))
    return step


def nan_step(eta):
    def step(x, grad_fn, t):
        return x * np.nan if t == 3 else x - eta(t) * grad_fn(x)
    return step


def raising_factory(eta):
    raise RuntimeError("my optimizer needs a config file")


def not_a_step(eta):
    return 42


def torch_sam(params):
    import torch
    from pytorch_optimizer import SAM

    return SAM(params, torch.optim.SGD, rho=RHO, lr=0.1)


def torch_sgd(params):
    import torch

    return torch.optim.SGD(params, lr=0.1)


def optax_sam(learning_rate):
    import optax

    return optax.contrib.sam(optax.sgd(learning_rate), optax.chain(optax.contrib.normalize(), optax.sgd(RHO)))
