"""The simulator against closed forms from the literature (docs/theory.md section 3 and 5)."""

from __future__ import annotations

import numpy as np
import pytest

from sambounds import Setting, simulate
from sambounds.errors import InvalidParameterError
from sambounds.functions import DoubleWell, LSC, Quadratic
from sambounds.sim import normalized


@pytest.mark.parametrize("eta_lam", [0.3, 1.0, 1.5, 1.9])
def test_sam_reaches_the_two_cycle_amplitude(eta_lam):
    lam, rho = 2.5, 0.07
    eta = eta_lam / lam
    T = 4000 if eta_lam == 1.9 else 800
    s = Setting.create("sam", "strongly-convex", beta=lam, mu=lam, rho=rho, T=T, eta=eta)
    starts = np.array([[0.9], [-2.0], [0.013]])
    res = simulate(s, Quadratic.diagonal([lam]), starts)
    c = eta * lam * rho / (2 - eta * lam)
    np.testing.assert_allclose(np.abs(res.x_final[..., 0]), c, rtol=1e-12)
    np.testing.assert_allclose(res.gap.final, lam * c**2 / 2, rtol=1e-12)
    assert not res.diverged.any()


def test_sam_on_lsc_construction_sits_on_the_cycle():
    beta, mu, rho, eta = 2.0, 0.05, 0.1, 0.35
    f = LSC.for_sam(beta=beta, mu=mu, rho=rho, eta=eta)
    s = Setting.create("sam", "strongly-convex", beta=beta, mu=mu, rho=rho, T=3000, eta=eta)
    res = simulate(s, f, np.array([[5.0], [-3.0], [0.02]]))
    predicted = beta**3 * eta**2 * rho**2 / (2 * (2 - eta * beta) ** 2)
    np.testing.assert_allclose(res.gap.final, predicted, rtol=1e-12)


@pytest.mark.parametrize("eta_beta", [1.2, 1.5, 1.9])
def test_sam_on_lsc_for_sam_reaches_the_cycle_beyond_eta_beta_one(eta_beta):
    """1 < eta beta < 2: the ascent points +-(c + rho) = +-2 rho/(2 - eta beta) must lie in |y| <= R."""
    beta, mu, rho = 2.0, 0.05, 0.1
    eta = eta_beta / beta
    c = eta * beta * rho / (2 - eta * beta)            # docs/theory.md section 3: SAM maps c to -c
    f = LSC.for_sam(beta=beta, mu=mu, rho=rho, eta=eta)
    R = float(f.R[0])
    T = 1500                                           # |1 - eta beta|^T <= 0.9^1500: converged
    s = Setting.create("sam", "strongly-convex", beta=beta, mu=mu, rho=rho, T=T, eta=eta)
    starts = np.array([[0.5 * (R - rho)], [-(R - rho)], [1e-3 * rho]])   # inside the attracting region
    res = simulate(s, f, starts, record_trajectory=True)
    x = res.trajectory[:, 0, :, 0, 0]                  # (T + 1, S)
    np.testing.assert_allclose(np.abs(x[-2:]), c, rtol=1e-10)
    assert np.all(np.sign(x[-1]) == -np.sign(x[-2]))   # alternating: the 2-cycle +-c
    y = x + rho * np.sign(x)                           # SAM's ascent point in 1-D (f' has the sign of x)
    assert np.all(np.abs(y) <= R)
    assert np.max(np.abs(y[-1])) == pytest.approx(2 * rho / (2 - eta * beta), rel=1e-10)
    # the first proposed radius rho (1 + eta beta)(1 + delta) leaves c + rho outside: the orbit misses c there
    small = LSC(beta, mu, rho * (1 + eta * beta) * 1.1)
    assert rho * (1 + eta * beta) * 1.1 < c + rho
    off = simulate(s, small, starts[:1])
    assert abs(abs(float(off.x_final[0, 0, 0, 0])) - c) > 1e-3 * c


def test_lsc_cycle_radius_is_papers_below_one_and_needs_eta_beta_below_two():
    rho, delta = 0.1, 0.1
    for eta_beta in (0.2, 0.7, 1.0):
        got = LSC.cycle_radius(beta=2.0, rho=rho, eta=eta_beta / 2.0, delta=delta)
        assert got == pytest.approx(rho * (1 + eta_beta) * (1 + delta), rel=1e-15)
    assert LSC.cycle_radius(beta=2.0, rho=rho, eta=0.75, delta=delta) == pytest.approx(rho * 4 * 1.1, rel=1e-15)
    for eta in (1.0, 1.5, -0.1, float("nan")):
        with pytest.raises(InvalidParameterError, match="eta"):
            LSC.for_sam(beta=2.0, mu=0.1, rho=rho, eta=eta)


def _rotated(seed=0, d=5):
    rng = np.random.default_rng(seed)
    return Quadratic.rotated(rng.uniform(0.1, 2.0, (2, d)), seed=seed, center=rng.normal(size=(2, d))), rng


def test_gd_matches_its_linear_recursion_with_a_schedule():
    q, rng = _rotated(1)
    T = 60
    steps = rng.uniform(0.05, 0.9, (3, T))
    s = Setting.create("gd", "strongly-convex", beta=2.0, mu=0.1, T=T, eta=0.1)
    x0 = rng.normal(size=(2, 4, 5))
    res = simulate(s, q, x0, schedules=steps)
    # x_T - x* = Q diag(prod_t (1 - eta_t lambda)) Q^T (x_0 - x*), per schedule k
    w, Q = np.linalg.eigh(q.H)
    factor = np.prod(1 - steps[None, :, :, None] * w[:, None, None, :], axis=2)          # (F, K, d)
    r0 = np.einsum("fji,fsj->fsi", Q, x0 - q.center[:, None])                            # Q^T r0
    expected = np.einsum("fij,fskj->fski", Q, factor[:, None] * r0[:, :, None]) + q.center[:, None, None]
    np.testing.assert_allclose(res.x_final, expected, rtol=1e-12, atol=1e-13)
    np.testing.assert_array_equal(res.steps, steps)


def test_usam_matches_its_linear_recursion():
    q, rng = _rotated(2)
    T, eta, rho = 80, 0.4, 0.3
    s = Setting.create("usam", "strongly-convex", beta=2.0, mu=0.1, rho=rho, T=T, eta=eta)
    x0 = rng.normal(size=(2, 3, 5))
    res = simulate(s, q, x0)
    # x+ - x* = (I - eta H - eta rho H^2)(x - x*)
    M = np.eye(5) - eta * q.H - eta * rho * q.H @ q.H
    expected = np.einsum("fij,fsj->fsi", np.linalg.matrix_power(M, T), x0 - q.center[:, None]) + q.center[:, None]
    np.testing.assert_allclose(res.x_final[:, :, 0], expected, rtol=1e-12, atol=1e-13)


def test_metrics_time_indexing_on_gd_quadratic():
    """gap/grad_sq min and mean run over t = 0..T-1, final is t = T: checked against a recorded trajectory."""
    lam, eta, T = 1.5, 0.3, 7
    s = Setting.create("gd", "strongly-convex", beta=lam, mu=lam, T=T, eta=eta)
    res = simulate(s, Quadratic.diagonal([lam]), np.array([2.0]), record_trajectory=True)
    x = 2.0 * (1 - eta * lam) ** np.arange(T + 1)
    np.testing.assert_allclose(res.trajectory[:, 0, 0, 0, 0], x, rtol=1e-14)
    gsq = (lam * x) ** 2
    gap = lam * x**2 / 2
    np.testing.assert_allclose(res.grad_sq.mean, gsq[:T].mean(), rtol=1e-14)
    np.testing.assert_allclose(res.grad_sq.min, gsq[:T].min(), rtol=1e-14)
    np.testing.assert_allclose(res.grad_sq.final, gsq[T], rtol=1e-14)
    np.testing.assert_allclose(res.gap.initial, gap[0], rtol=1e-14)
    np.testing.assert_allclose(res.gap.final, gap[T], rtol=1e-14)
    np.testing.assert_allclose(res.weighted_grad_sq_sum, eta * gsq[:T].sum(), rtol=1e-14)
    np.testing.assert_allclose(res.dist_sq.mean, (x[:T] ** 2).mean(), rtol=1e-14)
    np.testing.assert_allclose(res.value_final - res.value_initial, gap[T] - gap[0], rtol=1e-14)


def test_zero_gradient_convention_keeps_sam_at_a_stationary_point():
    # 0 is a local maximum of the double well: grad = 0 exactly, so u = 0, y = x and x stays 0
    for algo in ("sam", "usam", "gd"):
        s = Setting.create(algo, "nonconvex", beta=3.0, rho=None if algo == "gd" else 0.1, T=50, eta=0.1)
        res = simulate(s, DoubleWell(4.0, dim=3), np.zeros(3))
        assert np.array_equal(res.x_final, np.zeros((1, 1, 1, 3)))
        assert res.grad_sq.mean[0, 0, 0] == 0.0


def test_safe_normalization_of_tiny_and_huge_gradients():
    for scale in (1e-200, 1e-160, 1.0, 1e160, 1e300):
        g = scale * np.array([[3.0, -4.0], [0.0, 0.0]])
        u = normalized(g)
        np.testing.assert_allclose(u[0], [0.6, -0.8], rtol=1e-15)
        assert np.array_equal(u[1], [0.0, 0.0])
    # SAM with a gradient whose square underflows still takes its full rho step
    s = Setting.create("sam", "strongly-convex", beta=1.0, mu=1.0, rho=0.5, T=1, eta=0.1)
    res = simulate(s, Quadratic.diagonal([1.0]), np.array([1e-170]))
    np.testing.assert_allclose(res.x_final[0, 0, 0, 0], 1e-170 - 0.1 * (1e-170 + 0.5), rtol=1e-15)
