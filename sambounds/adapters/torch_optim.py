"""A torch optimizer factory ``params -> optimizer`` driven by the simulator kernel (torch backend).

Why one optimizer per trajectory.  A SAM optimizer normalizes its perturbation over *all* its
parameters, eps_t = rho g/||g|| with ||g|| the global norm.  Giving it a batch of N independent
trajectories as one (N, d) parameter, or as N parameters of one optimizer, would normalize by
the norm of the whole batch and couple the trajectories.  So each trajectory gets its own leaf
parameter p_n of shape (d,) and its own optimizer built by the factory; what is batched is the
function: the gradients of all N trajectories are one call of the family's torch form
(``Objective.map_arrays`` to float64 tensors), ``torch.stack`` of the parameters in, views out.
(``benchmarks/bench_adapters.py`` measures this against sambounds' own torch backend.)

Per step t, with eta_t set as ``group["lr"]`` on every param group of every optimizer:

- two-step API (``first_step`` / ``second_step``, the default when present): grad f(x_t) is put
  in ``p.grad``; ``first_step()`` moves p to y_t; one batched gradient at every y_t is put in
  ``p.grad``; ``second_step()`` gives x_{t+1};
- closure API (``step(closure)``, ``api="closure"``): grad f(x_t) is put in ``p.grad`` (the usual
  ``loss.backward()`` before a SAM step), then ``step(closure)`` with a closure that puts
  grad f(p) in ``p.grad`` and returns f(p) (evaluated for that trajectory alone, since the
  optimizer calls it in the middle of its own step).

Gradients are the families' analytic ones, so the adapter and the reference kernel use the very
same arithmetic.  The last point a gradient was asked for in step t is recorded as y_t.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .spec import OptimizerError, OptimizerSpec, call_factory, check_finite_step


def default_api(spec: OptimizerSpec) -> str:
    """The API the stepper uses: ``spec.options["api"]``, else two-step when the optimizer has it."""
    if spec.options.get("api"):
        return spec.options["api"]
    import torch

    opt = call_factory(spec.factory, [torch.zeros(1, dtype=torch.float64, requires_grad=True)],
                       "a list of torch parameters")
    return "two-step" if all(callable(getattr(opt, m, None)) for m in ("first_step", "second_step")) else "closure"


class TorchStepper:
    """One run of a torch optimizer factory on a (F, S, K, d) batch (see the module docstring)."""

    def __init__(self, spec: OptimizerSpec, objective: Any, shape: tuple, steps: np.ndarray, record: bool):
        import torch

        self.torch, self.spec, self.objective, self.shape = torch, spec, objective, tuple(shape)
        self.record = record
        self.queries: list = []
        F, S, K, d = shape
        self.N = F * S * K
        device = spec.options.get("device", "cpu")
        self.params = [torch.zeros(d, dtype=torch.float64, device=device, requires_grad=True)
                       for _ in range(self.N)]
        self.optimizers = []
        for p in self.params:
            opt = call_factory(spec.factory, [p], "a list of torch parameters")
            if not (hasattr(opt, "param_groups") and callable(getattr(opt, "step", None))):
                raise OptimizerError(spec.label, "a factory params -> torch optimizer (with param_groups and step)",
                                     f"it returned a {type(opt).__name__}")
            self.optimizers.append(opt)
        two_step = all(callable(getattr(self.optimizers[0], m, None)) for m in ("first_step", "second_step"))
        api = spec.options.get("api") or ("two-step" if two_step else "closure")
        if api == "two-step" and not two_step:
            raise OptimizerError(spec.label, "an optimizer with first_step() and second_step() for api='two-step'",
                                 f"{type(self.optimizers[0]).__name__} has no first_step/second_step")
        self.api = api
        self._k = [n % K for n in range(self.N)]
        self._f = [n // (S * K) for n in range(self.N)]

    # -- helpers ---------------------------------------------------------------------------------------
    def _stack(self):
        return self.torch.stack([p.detach() for p in self.params]).reshape(self.shape)

    def _set_grads(self, G) -> None:
        for p, gn in zip(self.params, G.reshape(self.N, -1).unbind(0)):
            p.grad = gn.clone()

    def _user(self, t: int, what: str, fn, *args):
        try:
            return fn(*args)
        except OptimizerError:
            raise
        except Exception as exc:  # noqa: BLE001 - the user's optimizer: say where it failed
            raise OptimizerError(self.spec.label, f"an optimizer whose {what} runs",
                                 f"at step t={t} {what} raised {type(exc).__name__}: {exc}") from None

    def _closure(self, n: int, last: list):
        torch, f, F = self.torch, self.objective, self.shape[0]
        p, i = self.params[n], self._f[n]

        def closure():
            with torch.no_grad():
                z = p.detach().clone()
                value, grad = f.value_and_grad(z.expand(F, 1, -1))  # function i reads row i
                p.grad = grad[i, 0].clone()
                last[n] = z
                return value[i, 0]

        return closure

    # -- one step --------------------------------------------------------------------------------------
    def __call__(self, x: Any, g: Any, t: int, eta: Any) -> Any:
        torch = self.torch
        eta_k = eta.reshape(-1).tolist()
        with torch.no_grad():
            torch._foreach_copy_(self.params, list(x.reshape(self.N, -1).unbind(0)))
        self._set_grads(g)
        for opt, k in zip(self.optimizers, self._k):
            for group in opt.param_groups:
                group["lr"] = eta_k[k]
        if self.api == "two-step":
            for opt in self.optimizers:
                self._user(t, "first_step()", opt.first_step)
            y = self._stack()
            self._set_grads(self.objective.grad(y))
            for opt in self.optimizers:
                self._user(t, "second_step()", opt.second_step)
        else:
            last = [p.detach().clone() for p in self.params]
            for n, opt in enumerate(self.optimizers):
                self._user(t, "step(closure)", opt.step, self._closure(n, last))
            y = torch.stack(last).reshape(self.shape)
        out = self._stack().clone()
        check_finite_step(out.cpu().numpy(), x.cpu().numpy(), g.cpu().numpy(), t, self.shape, self.spec.label)
        if self.record:
            self.queries.append(y.cpu().numpy().copy())
        return out
