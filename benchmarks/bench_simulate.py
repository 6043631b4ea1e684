"""Benchmark: sambounds.simulate (SAM on rotated quadratics) against hand-written baselines, same run.

Workload (defaults): F = 10 rotated quadratics in d = 100 (spectrum in [0.01, 1]), 1000 starts
each = 10^4 trajectories, T = 1000 steps, rho = 0.05, eta = 0.5.

Baselines
(a) a per-trajectory Python loop in the style of the usual PyTorch SAM optimizer: one trajectory
    at a time, two gradient evaluations per step (first_step: e = rho g/||g||, x += e; second_step:
    x -= e, x -= eta grad(x + e)); timed on a subsample of trajectories and extrapolated;
(b) a hand-written NumPy kernel of the same arithmetic on the whole batch, written as a careful
    person would: preallocated buffers, every operation in place (``np.matmul(..., out=)``,
    ``np.multiply(..., out=)``), no per-step allocation of a batch-sized array, no metrics;
(b+m) the same kernel plus, hand-written in place, everything ``simulate`` reports and checks
    per step: f(x_t) - f*, ||grad f(x_t)||^2, ||x_t - x*||^2 (first, last, min, sum), the
    eta-weighted sum, and the divergence test (non-finite values, ||x_t|| <= threshold, the
    relative region of sambounds.sim.kernel).

Baseline (a) is written twice: with torch installed, exactly the usual torch SAM optimizer
(autograd backward twice, first_step/second_step, torch.optim.SGD as base optimizer); always,
a lean NumPy loop of the same steps (a lower bound on any per-trajectory loop's cost).

``simulate``, (b) and (b+m) are timed ``--repeats`` times, interleaved (simulate, b, b+m,
simulate, ...), and the best of each is reported, so that load from other jobs on a shared
machine hits every contender alike; the ratio simulate / (b) is the figure of merit (target
<= 1.3x).  Both wall time and the process's CPU time (``time.process_time``; BLAS runs on
one thread, so it is the contender's own compute) are kept: on an oversubscribed machine the
wall time also counts the time spent waiting for a core, the CPU time does not.  Before
timing, the script checks that (a), (b), (b+m) and ``simulate`` agree to 1e-12 over 30 steps
(iterates, and the metrics of (b+m)).

Memory: the peak of traced allocations (tracemalloc, which sees NumPy's buffers) of one
``simulate`` call at T and at 4 T on a smaller batch (``--memory-trajectories``), beside the
size of one batch of iterates and of the trajectory a run would store if it kept every x_t.

Prints steps x trajectories per second for each and the ratios.  ``--quick`` shrinks the
workload (T = 200, 2000 trajectories) for a smoke run.  BLAS and torch use one thread unless
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS say otherwise: on a shared machine oversubscribed BLAS
threads make every contender several times slower and the comparison noisy.
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc

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
    """(b): the same arithmetic on the whole batch (X: (F, S, d)), in place, no metrics.

    y = x + rho (g / ||g||) and x <- x - eta grad f(y), each rounded as written (the same
    operations, in the same order, as sambounds.simulate).
    """
    X = X.copy()
    G, Y, D = np.empty_like(X), np.empty_like(X), np.empty_like(X)
    for _ in range(T):
        np.matmul(X, H, out=G)
        _sam_step(X, G, Y, D, H, np.sqrt(np.einsum("fsi,fsi->fs", G, G))[..., None], eta, rho)
    return X


def _sam_step(X, G, Y, D, H, n, eta, rho):
    """x <- x - eta H (x + rho g/||g||) in place (g = H x in G, its norm n; Y, D scratch)."""
    np.divide(G, np.where(n > 0, n, 1.0), out=Y)
    np.multiply(Y, rho, out=Y)
    np.add(X, Y, out=Y)
    np.matmul(Y, H, out=D)
    np.multiply(D, eta, out=D)
    np.subtract(X, D, out=X)


def numpy_kernel_metrics(H, X, eta, rho, T, threshold=1e100, factor=1e4):
    """(b+m): (b) plus every per-step quantity simulate reports and its divergence test, in place.

    The functions are centred quadratics (x* = 0, f* = 0), so f - f* = f and ||x - x*||^2 =
    ||x||^2 (which the threshold test needs anyway).  Returns x_T and, per run, the first / last /
    min / sum of gap, ||g||^2, ||x||^2, sum eta ||g_t||^2 and the step a run was flagged at (-1).
    """
    X = X.copy()
    G, Y, D = np.empty_like(X), np.empty_like(X), np.empty_like(X)
    shape = X.shape[:-1]
    inf = np.full(shape, np.inf)
    first = {k: inf.copy() for k in ("gap", "grad", "dist")}
    low = {k: inf.copy() for k in ("gap", "grad", "dist")}
    total = {k: np.zeros(shape) for k in ("gap", "grad", "dist")}
    weighted = np.zeros(shape)
    flagged = np.full(shape, -1)
    for t in range(T + 1):
        np.matmul(X, H, out=G)
        now = {"gap": 0.5 * np.einsum("fsi,fsi->fs", X, G), "grad": np.einsum("fsi,fsi->fs", G, G),
               "dist": np.einsum("fsi,fsi->fs", X, X)}
        if t == 0:
            scale = np.maximum(np.maximum(now["dist"], eta**2 * now["grad"]), rho**2)
            radius_sq = np.where(scale > 0, scale, 1e-300) * factor**2
        ok = (np.isfinite(now["gap"]) & np.isfinite(now["grad"]) & (now["dist"] <= threshold**2)
              & (now["dist"] <= radius_sq))
        if not ok.all():          # the workload never diverges: stop, as a frozen run would
            flagged[~ok & (flagged < 0)] = t
            break
        if t == T:
            break
        for k, q in now.items():
            if t == 0:
                first[k][...] = q
            np.minimum(low[k], q, out=low[k])
            total[k] += q
        weighted += eta * now["grad"]
        _sam_step(X, G, Y, D, H, np.sqrt(now["grad"])[..., None], eta, rho)
    return X, dict(first=first, last=now, min=low, sum=total, weighted=weighted, flagged=flagged)


def peak_memory(setting, q, x0):
    """Peak traced allocation (bytes) of one simulate call."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    simulate(setting, q, x0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def check_agreement(setting, q, x0, eta, rho):
    """(a), (b), (b+m) and simulate agree to 1e-12 over 30 steps: iterates and (b+m)'s metrics.

    Near SAM's 2-cycle the normalized direction flips, so rounding differences of 1e-16 would
    grow over long horizons; 30 steps compare the arithmetic, not the dynamics' sensitivity.
    """
    T = 30
    res = simulate(setting.replace(T=T), q, x0[:, :5])
    short = res.x_final[:, :, 0]
    assert np.allclose(numpy_kernel(q.H, x0[:, :5], eta, rho, T), short, rtol=0, atol=1e-12)
    assert np.allclose(loop_baseline(q.H[0], x0[0, 0], eta, rho, T), short[0, 0], rtol=0, atol=1e-12)
    x_m, m = numpy_kernel_metrics(q.H, x0[:, :5], eta, rho, T)
    assert np.allclose(x_m, short, rtol=0, atol=1e-12)
    assert (m["flagged"] == res.diverged_at[..., 0]).all()
    close = lambda a, b: np.allclose(a, b[..., 0], rtol=1e-12, atol=1e-14)  # noqa: E731
    for key, metric in (("gap", res.gap), ("grad", res.grad_sq), ("dist", res.dist_sq)):
        assert close(m["first"][key], metric.initial) and close(m["last"][key], metric.final)
        assert close(m["min"][key], metric.min) and close(m["sum"][key] / T, metric.mean)
    assert close(m["weighted"], res.weighted_grad_sq_sum)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="T = 200, 2000 trajectories")
    ap.add_argument("--functions", type=int, default=10)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=5, help="interleaved timings of simulate, (b), (b+m); best kept")
    ap.add_argument("--loop-sample", type=int, default=20, help="trajectories timed for baseline (a)")
    ap.add_argument("--memory-trajectories", type=int, default=1000, help="batch of the memory figure")
    ap.add_argument("--no-loops", action="store_true", help="skip the per-trajectory loops (a) and torch")
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
    print(f"workload: F={F} rotated quadratics, d={d}, {F * S} trajectories, T={T}; "
          f"best of {args.repeats} interleaved repeats")
    check_agreement(setting, q, x0, eta, rho)
    print("agreement over 30 steps (iterates; metrics of (b+m)): within 1e-12")

    best = {"sim": np.inf, "b": np.inf, "bm": np.inf}
    cpu = dict(best)
    contenders = {"sim": lambda: simulate(setting, q, x0), "b": lambda: numpy_kernel(q.H, x0, eta, rho, T),
                  "bm": lambda: numpy_kernel_metrics(q.H, x0, eta, rho, T)}
    for _ in range(args.repeats):
        for key, fn in contenders.items():
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            best[key] = min(best[key], time.perf_counter() - t0)
            cpu[key] = min(cpu[key], time.process_time() - c0)
    rows = [("sambounds.simulate (numpy, with metrics)", best["sim"], cpu["sim"]),
            ("(b) hand-written in-place NumPy kernel, no metrics", best["b"], cpu["b"]),
            ("(b+m) the same with metrics + divergence test", best["bm"], cpu["bm"])]

    t_loop = t_torch_loop = None
    m = args.loop_sample
    if not args.no_loops:
        t0 = time.perf_counter()
        for i in range(m):
            loop_baseline(q.H[i % F], x0[i % F, i // F], eta, rho, T)
        t_loop = (time.perf_counter() - t0) / m * (F * S)
        rows.append((f"(a) per-trajectory NumPy loop (extrapolated from {m})", t_loop, None))
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
            rows.append((f"(a) torch SAM-optimizer loop (extrapolated from {mt})", t_torch_loop, None))
            simulate(setting.replace(T=2), q, x0, backend="torch")      # warm-up
            t0 = time.perf_counter()
            simulate(setting, q, x0, backend="torch")
            rows.insert(1, ("sambounds.simulate (torch cpu float64)", time.perf_counter() - t0, None))
        except ImportError:
            print("torch not installed: no torch figures")
    print(f"{'contender':52s} {'wall':>9s}    {'steps*traj/s':>12s}  {'CPU (best)':>10s}")
    for name, t, c in rows:
        print(f"{name:52s} {t:9.2f} s  {work / t:12.4g}  " + ("" if c is None else f"{c:8.2f} s"))
    if t_torch_loop is not None:
        print(f"speed-up over (a) torch SAM optimizer: {t_torch_loop / best['sim']:8.1f}x   (target >= 100x)")
    if t_loop is not None:
        print(f"speed-up over (a) NumPy loop:          {t_loop / best['sim']:8.1f}x")
    print(f"simulate / (b+m) kernel with metrics:  {best['sim'] / best['bm']:8.2f}x wall  "
          f"{cpu['sim'] / cpu['bm']:6.2f}x CPU")
    print(f"simulate / (b) in-place NumPy kernel:  {best['sim'] / best['b']:8.2f}x wall  "
          f"{cpu['sim'] / cpu['b']:6.2f}x CPU   (target <= 1.3x)")

    S_mem = max(1, args.memory_trajectories // F)
    x_mem = x0[:, :S_mem]
    batch_mb = F * S_mem * d * 8 / 2**20
    peaks = [(t_mem, peak_memory(setting.replace(T=t_mem), q, x_mem)) for t_mem in (T, 4 * T)]
    print(f"memory ({F * S_mem} trajectories, one batch of iterates = {batch_mb:.2f} MiB; "
          f"tracemalloc peak of one simulate call):")
    for t_mem, peak in peaks:
        print(f"  T = {t_mem:5d}: peak {peak / 2**20:8.2f} MiB  (= {peak / 2**20 / batch_mb:5.2f} batches; "
              f"storing every x_t would take {(t_mem + 1) * batch_mb:9.1f} MiB)")
    print(f"  peak(4T) / peak(T) = {peaks[1][1] / peaks[0][1]:.3f}")


if __name__ == "__main__":
    main()
