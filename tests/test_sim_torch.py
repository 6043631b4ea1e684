"""The torch backend against the NumPy backend (skipped when torch is not installed)."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from sambounds import Setting, simulate  # noqa: E402
from sambounds.functions import (LNC, LS, LSC, DoubleWell, Huber, KappaAdversarial, LogcoshRidge,  # noqa: E402
                                 LogisticRegression, LogSumExp, Quadratic, Trigonometric, XYProduct)

RNG = np.random.default_rng(3)
FAMILIES = [
    Quadratic.rotated(RNG.uniform(0.1, 2, (2, 4)), seed=1, center=RNG.normal(size=(2, 4))),
    LSC(2.0, 0.1, 0.3, dim=4), LNC(1.0, 0.2, 0.4, dim=4), LS([1.0, 2.0], 0.2, [0.1, 0.3], 2.0),
    Huber(RNG.normal(size=(2, 4)), 0.5), LogSumExp(RNG.normal(size=(2, 3, 4)), lam=0.1),
    LogcoshRidge(RNG.normal(size=(2, 5, 4)), lam=0.05), KappaAdversarial(),
    LogisticRegression.synthetic(n_samples=20, dim=4, n_functions=2, seed=2), DoubleWell(3.0, dim=4),
    Trigonometric(RNG.normal(size=(2, 4))), XYProduct(2.0),
]


@pytest.mark.parametrize("f", FAMILIES, ids=[f.family for f in FAMILIES])
@pytest.mark.parametrize("algorithm", ["sam", "usam", "gd"])
def test_torch_cpu_float64_matches_numpy(f, algorithm):
    s = Setting.create(algorithm, "nonconvex", beta=1.0, rho=None if algorithm == "gd" else 0.1, T=40, eta=0.1)
    x0 = RNG.normal(size=(3, f.dim)) * 0.5
    steps = np.array([np.full(40, 0.2), np.linspace(0.3, 0.01, 40)]) / f.beta.max()
    a = simulate(s, f, x0, schedules=steps)
    b = simulate(s, f, x0, schedules=steps, backend="torch")
    assert b.backend == "torch"
    np.testing.assert_allclose(b.x_final, a.x_final, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(b.grad_sq.mean, a.grad_sq.mean, rtol=1e-12, atol=1e-13)
    np.testing.assert_array_equal(b.diverged_at, a.diverged_at)


@pytest.mark.parametrize("algorithm", ["n-sam", "m-sam"])
def test_torch_stochastic_is_reproducible_and_reaches_the_ls_floor(algorithm):
    f = LS(1.0, 1.0, 0.25, 2.0)
    s = Setting.create(algorithm, "strongly-convex", beta=1.0, mu=1.0, rho=1.0, sigma=1.0, T=1500, eta=2e-3)
    x0 = np.full((200, 1), 0.5)
    short = s.replace(T=50)
    first, again = (simulate(short, f, x0, seed=5, backend="torch") for _ in range(2))
    assert np.array_equal(first.x_final, again.x_final)
    assert not np.array_equal(first.x_final, simulate(short, f, x0, seed=6, backend="torch").x_final)
    a = simulate(s, f, x0, seed=5, backend="torch")
    assert abs(a.gap.mean.mean() - f.floor()[0]) < 0.1 * f.floor()[0]


def test_torch_divergence_flags_and_float32():
    q = Quadratic.diagonal([[1.0, 3.0]])
    s = Setting.create("sam", "strongly-convex", beta=3.0, mu=1.0, rho=0.1, T=500, eta=0.9)
    a = simulate(s, q, np.ones(2))
    b = simulate(s, q, np.ones(2), backend="torch")
    assert a.diverged_at[0, 0, 0] == b.diverged_at[0, 0, 0] > 0
    c = simulate(s.replace(schedule=0.1), q, np.ones(2), backend="torch", dtype="float32")
    np.testing.assert_allclose(c.x_final, simulate(s.replace(schedule=0.1), q, np.ones(2)).x_final, rtol=1e-5, atol=1e-6)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_torch_cuda_matches_numpy():
    f = FAMILIES[0]
    s = Setting.create("sam", "strongly-convex", beta=2.0, mu=0.1, rho=0.1, T=100, eta=0.2)
    x0 = RNG.normal(size=(5, 4))
    a = simulate(s, f, x0)
    b = simulate(s, f, x0, backend="torch", device="cuda")
    np.testing.assert_allclose(b.x_final, a.x_final, rtol=1e-10, atol=1e-12)
