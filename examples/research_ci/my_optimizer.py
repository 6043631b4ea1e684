"""The researcher's own SAM optimizer for torch (two-step API), and a variant with a bug in it.

``MySAM`` follows Foret et al. (2021): first_step() moves every parameter to
y = x + rho g/||g|| (||g|| over all parameters), second_step() returns to x and takes an SGD
step with the gradient computed at y.  ``my_sam_buggy`` forgets the normalization, which turns
SAM into USAM; sambounds' conformance check catches it (tests/test_my_optimizer.py).
"""

from __future__ import annotations

import torch

RHO = 0.05


class MySAM(torch.optim.Optimizer):
    """SAM with plain SGD as the descent step; ``normalize=False`` is the bug."""

    def __init__(self, params, lr: float = 0.1, rho: float = RHO, normalize: bool = True):
        super().__init__(params, dict(lr=lr, rho=rho, normalize=normalize))

    @torch.no_grad()
    def first_step(self):
        grads = [p.grad for group in self.param_groups for p in group["params"] if p.grad is not None]
        norm = torch.sqrt(sum((g * g).sum() for g in grads))
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                self.state[p]["x"] = p.clone()
                scale = group["rho"] / norm if group["normalize"] else group["rho"]
                p.add_(p.grad * scale if norm > 0 else 0 * p.grad)

    @torch.no_grad()
    def second_step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                p.copy_(self.state[p]["x"])
                p.add_(p.grad, alpha=-group["lr"])

    def step(self, closure=None):
        raise RuntimeError("MySAM takes first_step() / second_step()")


def my_sam(params):
    return MySAM(params)


def my_sam_buggy(params):
    return MySAM(params, normalize=False)


def pytorch_optimizer_sam(params):
    """The third-party implementation: pytorch-optimizer's SAM with SGD as its base optimizer."""
    from pytorch_optimizer import SAM

    return SAM(params, torch.optim.SGD, rho=RHO, lr=0.1)
