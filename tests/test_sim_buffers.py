"""The simulator's preallocated buffers (sim/kernel.py) change no result and leak into nothing a caller holds."""

from __future__ import annotations

import numpy as np
import pytest

from sambounds import Setting, simulate
from sambounds.functions import DoubleWell, Quadratic
from sambounds.functions.custom import FromCallables
from sambounds.setting import Algorithm
from sambounds.sim.backends import NumpyBackend
from sambounds.sim.kernel import run

RNG = np.random.default_rng(21)
F, S, K, d = 2, 3, 2, 4
CENTRED = Quadratic.rotated(RNG.uniform(0.2, 2.0, (F, d)), seed=3)
SHIFTED = Quadratic.rotated(RNG.uniform(0.2, 2.0, (F, d)), seed=4, center=RNG.normal(size=(F, d)))


def _plain(q, x):
    """f and grad f of a quadratic written out: r = x - c, H r by einsum, f = r . H r / 2."""
    r = x - q.center[:, None, None, :]
    g = np.einsum("fij,fskj->fski", q.H, r)
    return 0.5 * np.einsum("fski,fski->fsk", r, g), g


@pytest.mark.parametrize("q", [CENTRED, SHIFTED], ids=["centred", "shifted"])
def test_quadratic_writes_its_gradient_into_a_contiguous_out_and_leaves_x_alone(q):
    x = RNG.normal(size=(F, S, K, d))
    x_copy = x.copy()
    out, work = np.full_like(x, np.nan), np.full_like(x, np.nan)
    f, g = q.value_and_grad_into(x, out, work)
    f_ref, g_ref = _plain(q, x)
    assert g is out
    np.testing.assert_allclose(g, g_ref, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(f, f_ref, rtol=1e-13, atol=1e-14)
    assert np.array_equal(x, x_copy)
    out2 = np.full_like(x, np.nan)
    assert q.grad_into(x, out2, work) is out2 and np.array_equal(out2, g)
    f_alloc, g_alloc = q.value_and_grad(x)               # the allocating path: the same numbers
    assert np.array_equal(g_alloc, g) and np.array_equal(f_alloc, f) and np.array_equal(q.grad(x), g)


def test_quadratic_returns_a_new_gradient_when_out_is_not_contiguous():
    x = RNG.normal(size=(F, S, K, d))
    out = np.full((F, S, d, K), np.nan).swapaxes(-1, -2)      # x's shape, but reshape would copy
    f, g = SHIFTED.value_and_grad_into(x, out)
    assert g is not out and np.isnan(out).all()
    np.testing.assert_allclose(g, _plain(SHIFTED, x)[1], rtol=1e-13, atol=1e-14)


def test_a_family_without_an_into_path_is_evaluated_as_before():
    f = FromCallables(lambda x: 0.5 * np.sum(x * x, axis=-1), lambda x: 2.0 * x, dim=d, beta=2.0, n_functions=F)
    x = RNG.normal(size=(F, S, K, d))
    out = np.zeros_like(x)
    g = f.grad_into(x, out)
    assert g is not out and np.array_equal(g, 2.0 * x) and not out.any()
    value, g2 = f.value_and_grad_into(x, out)
    assert np.array_equal(value, 0.5 * np.sum(x * x, axis=-1)) and np.array_equal(g2, 2.0 * x)


def test_an_outside_step_gets_fresh_x_and_g_it_may_keep():
    """An adapted optimizer may store the x_t and g_t it is handed (momentum, lookahead): never the kernel's buffers."""
    seen = []

    def step(x, g, t, eta):
        seen.append((x, g))
        return x - eta * g

    T = 6
    x0 = RNG.normal(size=(F, S, 1, d))
    raw = run(SHIFTED, x0.copy(), np.full((1, T), 0.3), algorithm=Algorithm.SAM, rho=0.0, backend=NumpyBackend(),
              step=step)
    assert len(seen) == T
    for x, g in seen:                      # each stored g is still grad f at the x stored beside it
        np.testing.assert_allclose(g, _plain(SHIFTED, x)[1], rtol=1e-13, atol=1e-14)
    for i in range(T):
        for j in range(i + 1, T):
            assert not np.shares_memory(seen[i][1], seen[j][1])
            assert not np.shares_memory(seen[i][0], seen[j][0])
    np.testing.assert_allclose(raw.x_final, seen[-1][0] - 0.3 * seen[-1][1], rtol=1e-15, atol=0)


@pytest.mark.parametrize("algorithm", ["sam", "usam", "gd"])
def test_the_kernel_never_writes_into_the_starting_points_it_is_given(algorithm):
    x0 = RNG.normal(size=(F, S, K, d))
    x0_copy = x0.copy()
    run(SHIFTED, x0, np.full((K, 20), 0.3), algorithm=Algorithm(algorithm), rho=0.0 if algorithm == "gd" else 0.1,
        backend=NumpyBackend())
    assert np.array_equal(x0, x0_copy)


@pytest.mark.parametrize("objective", [CENTRED, DoubleWell(np.array([2.0, 3.0]), dim=d)],
                         ids=["quadratic", "double-well"])
def test_a_diverging_run_leaves_its_neighbours_bit_for_bit_unchanged(objective):
    """Runs share the kernel's buffers; a run frozen at its divergence step must not disturb the others."""
    T = 120
    steps = np.stack([np.full(T, 0.4), np.full(T, 10.0)]) / objective.beta.max()
    setting = Setting.create("sam", "nonconvex", beta=1.0, rho=0.05, T=T, eta=0.1)
    x0 = RNG.normal(size=(F, S, d))
    both = simulate(setting, objective, x0, schedules=steps, record_trajectory=True)
    assert not both.diverged[..., 0].any() and both.diverged[..., 1].all()
    alone = simulate(setting, objective, x0, schedules=np.stack([steps[0], steps[0]]))
    assert not alone.diverged.any()
    for name in ("x_final", "weighted_grad_sq_sum", "value_final"):
        assert np.array_equal(getattr(both, name)[:, :, 0], getattr(alone, name)[:, :, 0]), name
    for metric in ("gap", "grad_sq", "dist_sq"):
        a, b = getattr(both, metric), getattr(alone, metric)
        if a is not None:
            for field in ("initial", "final", "min", "mean"):
                assert np.array_equal(getattr(a, field)[:, :, 0], getattr(b, field)[:, :, 0]), (metric, field)
    # the diverged runs are frozen at their last good iterate x_{t0 - 1}
    traj = both.trajectory
    for i in range(F):
        for s in range(S):
            t0 = both.diverged_at[i, s, 1]
            assert np.array_equal(both.x_final[i, s, 1], traj[t0 - 1, i, s, 1])
            assert np.array_equal(traj[-1, i, s, 1], traj[t0 - 1, i, s, 1])
