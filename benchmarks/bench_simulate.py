"""Benchmark: sambounds.simulate (SAM on rotated quadratics) against two baselines, same run.

Workload (defaults): F = 10 rotated quadratics in d = 100 (spectrum in [0.01, 1]), 1000 starts
each = 10^4 trajectories, T = 1000 steps, rho = 0.05, eta = 0.5.

Baselines
(a) a per-trajectory Python loop in the style of the usual PyTorch SAM optimizer: one trajectory
    at a time, two gradient evaluations per step (first_step: e = rho g/||g||, x += e; second_step:
    x -= e, x -= eta grad(x + e)); timed on a subsample of trajectories and extrapolated;
(b) a hand-written NumPy kernel of the same arithmetic on the whole batch, without metrics.

Baseline (a) is written twice: with torch installed, exactly the usual torch SAM optimizer
(autograd backward twice, first_step/second_step, torch.optim.SGD as base optimizer); always,
a lean NumPy loop of the same steps (a lower bound on any per-trajectory loop's cost).

Prints steps x trajectories per second for each and the ratios.  ``--quick`` shrinks the
workload (T = 200, 2000 trajectories) for a smoke run.  BLAS and torch use one thread unless
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS say otherwise: on a shared machine oversubscribed BLAS
threads make every contender several times slower and the comparison noisy.
"""

from __future__ import annotations

import argparse
import os
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np

from sambounds import Setting, simulate
from sambounds.functions import Quadratic


def loop_baseline(H, x0, eta, rho, T):
    """(a): one trajectory, SAM-optimizer style (two gradient evaluations per step)."""
    x = x0.copy()
    for _ in range(T):
        g = H @ x                              # first forward/backward
        e = rho * g / (np.linalg.norm(g) + 1e-12)
        x += e                                 # first_step: climb to the local maximum
        g_adv = H @ x                          # second forward/backward
        x -= e                                 # second_step: back to the original point
        x -= eta * g_adv
    return x


def torch_sam_optimizer_loop(H, x0, eta, rho, T):
    """(a) with torch: the usual SAM optimizer wrapped around SGD, one trajectory."""
    import torch

    Ht = torch.as_tensor(np.array(H))
    p = torch.nn.Parameter(torch.as_tensor(x0.copy()))
    base = torch.optim.SGD([p], lr=eta)

    def closure():
        base.zero_grad()
        loss = 0.5 * p @ (Ht @ p)
        loss.backward()
        return loss

    for _ in range(T):
        closure()
        with torch.no_grad():                  # first_step
            e_w = rho * p.grad / (p.grad.norm() + 1e-12)
            p.add_(e_w)
        closure()
        with torch.no_grad():                  # second_step
            p.sub_(e_w)
        base.step()
    return p.detach().numpy()


def numpy_kernel(H, X, eta, rho, T):
    """(b): the same arithmetic on the whole batch (X: (F, S, d)), no metrics."""
    X = X.copy()
    for _ in range(T):
        G = X @ H
        n = np.sqrt(np.einsum("fsi,fsi->fs", G, G))[..., None]
        X -= eta * ((X + rho * G / np.where(n > 0, n, 1.0)) @ H)
    return X


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="T = 200, 2000 trajectories")
    ap.add_argument("--functions", type=int, default=10)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--loop-sample", type=int, default=20, help="trajectories timed for baseline (a)")
    args = ap.parse_args()
    F, d = args.functions, args.dim
    T, n_traj = (200, 2000) if args.quick else (1000, 10_000)
    S = n_traj // F
    eta, rho = 0.5, 0.05
    rng = np.random.default_rng(0)
    q = Quadratic.rotated(np.broadcast_to(np.linspace(0.01, 1.0, d), (F, d)), seed=1)
    x0 = rng.standard_normal((F, S, d))
    setting = Setting.create("sam", "strongly-convex", beta=1.0, mu=0.01, rho=rho, T=T, eta=eta)
    work = T * F * S
    print(f"workload: F={F} rotated quadratics, d={d}, {F * S} trajectories, T={T}")

    t0 = time.perf_counter()
    res = simulate(setting, q, x0)
    t_sim = time.perf_counter() - t0

    t0 = time.perf_counter()
    numpy_kernel(q.H, x0, eta, rho, T)
    t_kernel = time.perf_counter() - t0

    m = args.loop_sample
    t0 = time.perf_counter()
    for i in range(m):
        loop_baseline(q.H[i % F], x0[i % F, i // F], eta, rho, T)
    t_loop = (time.perf_counter() - t0) / m * (F * S)

    t_torch_loop = None
    try:
        import torch

        torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
        mt = max(2, m // 4)
        torch_sam_optimizer_loop(q.H[0], x0[0, 0], eta, rho, 2)      # warm-up (torch start-up)
        t0 = time.perf_counter()
        for i in range(mt):
            torch_sam_optimizer_loop(q.H[i % F], x0[i % F, i // F], eta, rho, T)
        t_torch_loop = (time.perf_counter() - t0) / mt * (F * S)
        assert np.allclose(torch_sam_optimizer_loop(q.H[0], x0[0, 0], eta, rho, 30),
                           simulate(setting.replace(T=30), q, x0[:, :1]).x_final[0, 0, 0], rtol=0, atol=1e-9)
    except ImportError:
        pass

    # same arithmetic: agreement over a short horizon (near SAM's 2-cycle the normalized
    # direction flips, so rounding differences of 1e-16 grow over long horizons)
    short = simulate(setting.replace(T=30), q, x0[:, :5]).x_final[:, :, 0]
    assert np.allclose(numpy_kernel(q.H, x0[:, :5], eta, rho, 30), short, rtol=0, atol=1e-12)
    assert np.allclose(loop_baseline(q.H[0], x0[0, 0], eta, rho, 30), short[0, 0], rtol=0, atol=1e-12)

    rows = [("sambounds.simulate (numpy, with metrics)", t_sim),
            ("(b) hand-written NumPy kernel (no metrics)", t_kernel),
            (f"(a) per-trajectory NumPy loop (extrapolated from {m})", t_loop)]
    if t_torch_loop is not None:
        rows.append((f"(a) torch SAM-optimizer loop (extrapolated from {max(2, m // 4)})", t_torch_loop))
    try:
        import torch  # noqa: F401

        simulate(setting.replace(T=2), q, x0, backend="torch")      # warm-up
        t0 = time.perf_counter()
        simulate(setting, q, x0, backend="torch")
        rows.insert(1, ("sambounds.simulate (torch cpu float64)", time.perf_counter() - t0))
    except ImportError:
        print("torch not installed: no torch figure")
    for name, t in rows:
        print(f"{name:50s} {t:9.2f} s  {work / t:12.4g} steps*traj/s")
    if t_torch_loop is not None:
        print(f"speed-up over (a) torch SAM optimizer: {t_torch_loop / t_sim:8.1f}x   (target >= 100x)")
    print(f"speed-up over (a) NumPy loop:          {t_loop / t_sim:8.1f}x")
    print(f"time vs (b) NumPy kernel:              {t_sim / t_kernel:8.2f}x   (target <= 2x)")


if __name__ == "__main__":
    main()
