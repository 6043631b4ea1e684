"""Benchmark: the torch adapter (a user's SAM optimizer, one per trajectory) vs sambounds' own torch backend.

Workload (defaults): F = 4 rotated quadratics in d = 20 (spectrum in [0.01, 1]), S = 64 starts each
= 256 trajectories, T = 200 steps, rho = 0.05, eta = 0.5, float64 on CPU.

Contenders, all on the same batch, each from the same x_0:
(a) sambounds' own torch backend: ``simulate(..., backend="torch")``, the whole batch one tensor;
(b) the torch adapter with ``pytorch_optimizer.SAM`` (two-step API): one optimizer per trajectory
    (a SAM optimizer normalizes over all its parameters, so a batch of independent trajectories
    cannot share one), the gradients of all trajectories one batched call;
(c) the same through the closure API (``step(closure)``: the optimizer evaluates each trajectory's
    gradient at y_t itself, so that evaluation is not batched);
(d) for reference, the *wrong* shortcut of one pytorch-optimizer SAM over a single (N, d)
    parameter (one global norm over the batch: a different algorithm; timed only to show what
    the per-trajectory design costs).  Its deviation from (a) is printed to show it is wrong.

Prints steps x trajectories per second for each and the ratio to (a).  ``--quick`` shrinks T.
"""

from __future__ import annotations

import argparse
import os
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np
import torch

torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))

from pytorch_optimizer import SAM  # noqa: E402

from sambounds import Setting, simulate  # noqa: E402
from sambounds.adapters import simulate_optimizer  # noqa: E402
from sambounds.functions import Quadratic  # noqa: E402

RHO = 0.05


def pytorch_optimizer_sam(params):
    return SAM(params, torch.optim.SGD, rho=RHO, lr=0.1)


def one_optimizer_for_the_batch(f, x0, eta, T):
    """(d): a single (N, d) parameter; the gradient norm is the batch's (not SAM per trajectory)."""
    H = torch.tensor(f.H)                                         # (F, d, d)
    F, S, d = x0.shape
    p = torch.tensor(x0.reshape(F * S, d), requires_grad=True)
    opt = pytorch_optimizer_sam([p])
    for group in opt.param_groups:
        group["lr"] = eta

    def grad(z):
        return torch.einsum("fij,fsj->fsi", H, z.reshape(F, S, d)).reshape(F * S, d)

    for _ in range(T):
        p.grad = grad(p.detach())
        opt.first_step()
        p.grad = grad(p.detach())
        opt.second_step()
    return p.detach().numpy().reshape(F, S, d)


def timed(fn, repeat=1):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--F", type=int, default=4)
    ap.add_argument("--S", type=int, default=64)
    ap.add_argument("--d", type=int, default=20)
    ap.add_argument("--T", type=int, default=200)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    T = 40 if a.quick else a.T
    f = Quadratic.with_spectrum(beta=1.0, mu=0.01, dim=a.d, n_functions=a.F, seed=0)
    x0 = np.random.default_rng(0).standard_normal((a.F, a.S, a.d))
    setting = Setting.create("sam", "strongly-convex", beta=1.0, mu=0.01, rho=RHO, T=T, eta=0.5)
    N = a.F * a.S
    # correctness column: x_1 after ONE step against (a)'s x_1 (over T steps SAM's 2-cycle dynamics
    # amplify rounding, so a final-iterate difference cannot tell a correct rule from a wrong one)
    one = setting.replace(T=1)
    x1 = simulate(one, f, x0, backend="torch").x_final
    rows = []
    t_ref, ref = timed(lambda: simulate(setting, f, x0, backend="torch"), repeat=3)
    rows.append(("(a) sambounds torch backend (one tensor)", t_ref, 0.0))
    for label, api in (("(b) torch adapter, pytorch_optimizer.SAM, two-step", "two-step"),
                       ("(c) torch adapter, pytorch_optimizer.SAM, closure", "closure")):
        t, res = timed(lambda api=api: simulate_optimizer(pytorch_optimizer_sam, setting, f, x0, api=api))
        got1 = simulate_optimizer(pytorch_optimizer_sam, one, f, x0, api=api).x_final
        rows.append((label, t, float(np.abs(got1 - x1).max())))
    t, xT = timed(lambda: one_optimizer_for_the_batch(f, x0, 0.5, T))
    wrong1 = one_optimizer_for_the_batch(f, x0, 0.5, 1)
    rows.append(("(d) one optimizer over the (N, d) batch [wrong norm]", t, float(np.abs(wrong1 - x1[:, :, 0]).max())))
    print(f"workload: F={a.F} rotated quadratics, d={a.d}, S={a.S} starts -> N={N} trajectories, T={T}, "
          f"rho={RHO}, eta=0.5, float64 CPU, torch {torch.__version__}, {os.environ['OMP_NUM_THREADS']} thread(s)")
    print(f"{'contender':56s} {'seconds':>9s} {'steps x traj / s':>17s} {'ratio to (a)':>13s} {'max |x_1 - x_1(a)|':>19s}")
    for label, t, dev in rows:
        print(f"{label:56s} {t:9.3f} {N * T / t:17.4g} {t / t_ref:13.1f}x {dev:19.3g}")


if __name__ == "__main__":
    main()
