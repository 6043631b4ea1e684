"""Every declared constant of every family, checked by sampling (finite differences, gradient
ratios, grid suprema) and, where the supremum is attained, checked to be tight."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sambounds.functions import (LNC, LS, LSC, DoubleWell, Huber, KappaAdversarial, LinearNoise, LogcoshRidge,
                                 LogisticRegression, LogSumExp, Quadratic, QuadraticFiniteSum, Trigonometric,
                                 XYProduct, sample_constants)

RNG = np.random.default_rng(20230615)


def _families():
    """(objective, points of shape (F, N, d)) pairs spread over the region where the features live."""
    out = []
    q = Quadratic.rotated(RNG.uniform(0.05, 3.0, (3, 5)), seed=1, center=RNG.normal(size=(3, 5)))
    out.append(("quadratic", q, RNG.normal(size=(3, 40, 5)) * 3))
    out.append(("quadratic-chosen", Quadratic.with_spectrum(beta=2.0, mu=0.01, dim=6, n_functions=2, seed=3),
                RNG.normal(size=(2, 40, 6))))
    out.append(("L-SC", LSC.for_sam(beta=2.0, mu=0.2, rho=0.1, eta=0.4, dim=2), RNG.uniform(-1, 1, (1, 200, 2))))
    out.append(("L-NC", LNC([1.0, 2.0], 0.3, [0.5, 0.2], dim=2), RNG.uniform(-1, 0.5, (2, 200, 2))))
    out.append(("L-S", LS([1.0, 3.0], 0.1, [0.1, 0.25], 4.0), RNG.uniform(-2, 2, (2, 100, 1))))
    out.append(("huber", Huber(RNG.normal(size=(2, 3)), delta=[0.5, 1.5], scale=[2.0, 0.7]),
                RNG.normal(size=(2, 200, 3)) * 3))
    out.append(("log-sum-exp", LogSumExp(RNG.normal(size=(2, 4, 3)), center=RNG.normal(size=(2, 3))),
                RNG.normal(size=(2, 200, 3)) * 2))
    out.append(("logcosh", LogcoshRidge(RNG.normal(size=(2, 6, 3)), weights=RNG.uniform(0.5, 2, (2, 6)),
                                        center=RNG.normal(size=3)), RNG.normal(size=(2, 200, 3)) * 2))
    out.append(("kappa-adversarial", KappaAdversarial(mu=[1e-3, 1e-2], eps=[0.05, 0.3]),
                RNG.normal(size=(2, 200, 2)) * 3))
    out.append(("logistic", LogisticRegression.synthetic(n_samples=40, dim=3, n_functions=2, seed=5),
                RNG.normal(size=(2, 100, 3)) * 3))
    out.append(("quadratic-sum", _quadratic_sum(), RNG.normal(size=(2, 60, 4)) * 3))
    out.append(("quadratic-sum-explicit", _explicit_sum(), RNG.normal(size=(2, 60, 3)) * 2))
    out.append(("linear-noise-L-SC", LinearNoise.two_point(LSC([1.0, 2.0], [0.1, 0.5], 0.3), [0.4, 1.0], p=[0.2, 0.5]),
                RNG.uniform(-2, 2, (2, 200, 1))))
    shifts = RNG.normal(size=(2, 5, 2))
    out.append(("linear-noise-L-NC", LinearNoise(LNC([1.0, 2.0], 0.3, [0.5, 0.2], dim=2),
                                                 shifts - shifts.mean(axis=1, keepdims=True)),
                RNG.uniform(-1, 0.5, (2, 200, 2))))
    out.append(("double-well", DoubleWell([2.0, 5.0], [1.0, 0.5], dim=2), RNG.normal(size=(2, 300, 2)) * 2))
    out.append(("trigonometric", Trigonometric(RNG.normal(size=(2, 3)), a=[0.0, 0.5], b=[1.0, 0.8], omega=[2.0, 1.0]),
                RNG.normal(size=(2, 300, 3)) * 3))
    out.append(("trigonometric-convex", Trigonometric(RNG.normal(size=(1, 2)), a=1.0, b=0.3, omega=1.2),
                RNG.normal(size=(1, 300, 2)) * 3))
    out.append(("xy", XYProduct(1.5), RNG.uniform(-1.5, 1.5, (1, 400, 2))))
    return out


def _quadratic_sum():
    """Rotated, ill-conditioned (kappa = 300), noise shares drawn per eigenvector."""
    spectrum = np.array([[0.01, 0.2, 1.0, 3.0], [0.5, 0.5, 0.9, 2.0]])
    return QuadraticFiniteSum.with_spectrum(spectrum, [0.7, 1.3], noise=RNG.uniform(0.1, 1, (2, 4)), rotation_seed=4,
                                            center=RNG.normal(size=(2, 4)))


def _explicit_sum():
    """Explicit PSD Hessians (one singular) and 5 centers with non-uniform probabilities."""
    B = RNG.normal(size=(2, 3, 3))
    H = B @ B.swapaxes(1, 2)
    H[1] = B[1][:, :2] @ B[1][:, :2].T   # rank 2: mu = 0
    p = RNG.uniform(0.1, 1, (2, 5))
    return QuadraticFiniteSum(H, RNG.normal(size=(2, 5, 3)), p / p.sum(axis=1, keepdims=True))


FAMILIES = _families()
IDS = [name for name, _, _ in FAMILIES]


@pytest.mark.parametrize("name,f,pts", FAMILIES, ids=IDS)
def test_gradient_matches_finite_differences_of_value(name, f, pts):
    ev = sample_constants(f, pts, h=1e-6)
    assert np.all(ev.grad_error < 1e-6), ev.grad_error


@pytest.mark.parametrize("name,f,pts", FAMILIES, ids=IDS)
def test_beta_bounds_sampled_curvature_and_gradient_ratios(name, f, pts):
    ev = sample_constants(f, pts)
    tol = 1e-6 * (1 + f.beta)
    assert np.all(ev.hessian_max_abs <= f.beta + tol)
    assert np.all(ev.ratio_max <= f.beta + tol)


@pytest.mark.parametrize("name,f,pts", FAMILIES, ids=IDS)
def test_mu_bounds_sampled_curvature_and_monotonicity(name, f, pts):
    ev = sample_constants(f, pts)
    if f.mu is None:
        # nonconvex families must really be nonconvex somewhere (else they would declare mu)
        assert np.all(ev.hessian_min < -1e-3), ev.hessian_min
        return
    tol = 1e-6 * (1 + f.beta)
    assert np.all(ev.hessian_min >= f.mu - tol)
    assert np.all(ev.monotone_min >= f.mu - tol)


@pytest.mark.parametrize("name,f,pts", FAMILIES, ids=IDS)
def test_f_star_and_x_star(name, f, pts):
    ev = sample_constants(f, pts)
    if f.f_star is not None:
        assert np.all(ev.value_min >= f.f_star - 1e-12 * (1 + np.abs(f.f_star)))
    if f.x_star is not None:
        xs = f.x_star[:, None, :]
        np.testing.assert_allclose(f.value(xs)[:, 0], f.f_star, rtol=1e-13, atol=1e-14)
        assert np.all(np.abs(f.grad(xs)) <= 1e-11 * (1 + f.beta[:, None, None]))


# -- tightness where the declared value is an attained supremum --------------------------------

def test_quadratic_spectrum_is_the_hessian_spectrum():
    q = Quadratic.rotated(RNG.uniform(0.1, 5, (4, 7)), seed=9)
    np.testing.assert_allclose(np.linalg.eigvalsh(q.H), q.spectrum, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(q.beta, q.spectrum.max(axis=1), rtol=0)
    qs = Quadratic.with_spectrum(beta=3.0, mu=0.003, dim=5, spacing="log", seed=2)
    assert qs.beta[0] == 3.0 and qs.mu[0] == 0.003


@pytest.mark.parametrize("f,where", [
    (LSC(2.0, 0.2, 0.5), np.array([[[0.1]], ])),
    (LNC(1.5, 0.3, 0.4), np.array([[[-0.25]]])),
    (LogcoshRidge(RNG.normal(size=(1, 4, 3)), center=[0.5, -1, 2]), np.array([[[0.5, -1, 2]]])),
    (DoubleWell(6.0), np.array([[[0.0]]])),
    (DoubleWell(1.2), np.array([[[math.sqrt(3.0)]]])),
    (Trigonometric(np.zeros((1, 2)), a=0.2, b=1.0, omega=3.0), np.zeros((1, 1, 2))),
    (XYProduct(1.3), np.array([[[1.3, -1.3]]])),
], ids=["L-SC", "L-NC", "logcosh", "double-well-a>3", "double-well-a<3", "trig", "xy-corner"])
def test_beta_is_attained(f, where):
    pts = np.concatenate([where, where + 1e-3], axis=1)
    ev = sample_constants(f, pts, h=1e-6)
    np.testing.assert_allclose(ev.hessian_max_abs, f.beta, rtol=1e-5)


def test_kappa_adversarial_beta_attained_on_ridge_and_mu_approached_far_away():
    f = KappaAdversarial(mu=1e-3, eps=0.2, shift=0.66)
    on_ridge = np.array([[[0.66, 0.0], [0.66 + 0.2 * 1e-4, 1e-4]]])
    np.testing.assert_allclose(sample_constants(f, on_ridge, h=1e-6).hessian_max, f.beta, rtol=1e-6)
    far = np.array([[[40.0, 0.0], [40.0, 1.0]]])
    np.testing.assert_allclose(sample_constants(f, far).hessian_min, f.mu, rtol=1e-4)


def test_lipschitz_constants_by_grid_supremum():
    # Huber: attained once every |x_i - c_i| >= delta
    h = Huber(np.zeros((1, 3)), delta=0.7, scale=1.5)
    grid = np.stack(np.meshgrid(*[np.linspace(-3, 3, 13)] * 3), -1).reshape(1, -1, 3)
    gmax = np.linalg.norm(h.grad(grid), axis=-1).max()
    assert gmax <= h.L[0] * (1 + 1e-12) and gmax == pytest.approx(h.L[0], rel=1e-12)
    # trigonometric with a = 0: attained on omega r = pi/2 (mod pi)
    t = Trigonometric(np.zeros((1, 2)), a=0.0, b=0.8, omega=2.0)
    s = np.linspace(-np.pi, np.pi, 401)
    grid = np.stack(np.meshgrid(s, s), -1).reshape(1, -1, 2)
    gmax = np.linalg.norm(t.grad(grid), axis=-1).max()
    assert gmax <= t.L[0] * (1 + 1e-12) and gmax == pytest.approx(t.L[0], rel=1e-4)
    # (xy - 1)^2 on [-R, R]^2: L and beta attained at the corner (R, -R)
    f = XYProduct(2.0)
    s = np.linspace(-2, 2, 401)
    grid = np.stack(np.meshgrid(s, s), -1).reshape(1, -1, 2)
    gmax = np.linalg.norm(f.grad(grid), axis=-1).max()
    assert gmax <= f.L[0] * (1 + 1e-12) and gmax == pytest.approx(f.L[0], rel=1e-12)
    # log-sum-exp (lam = 0): approached far along the longest row
    B = RNG.normal(size=(1, 5, 3))
    g = LogSumExp(B)
    j = np.argmax(np.linalg.norm(B[0], axis=1))
    far = (50.0 * B[0, j])[None, None, :]
    assert np.linalg.norm(g.grad(far)) == pytest.approx(g.L[0], rel=1e-9)
    pts = RNG.normal(size=(1, 2000, 3)) * 10
    assert np.linalg.norm(g.grad(pts), axis=-1).max() <= g.L[0] * (1 + 1e-12)
    # logcosh ridge (lam = 0): a valid (not necessarily attained) bound
    r = LogcoshRidge(RNG.normal(size=(1, 4, 3)))
    assert np.linalg.norm(r.grad(pts), axis=-1).max() <= r.L[0]


# -- stochastic families: components, noise level -----------------------------------------------

@pytest.mark.parametrize("f", [LS([1.0, 2.0], [0.1, 0.3], [0.2, 0.4], [3.0, 1.5]),
                               LogisticRegression.synthetic(n_samples=25, dim=3, n_functions=2, seed=8),
                               _quadratic_sum(), _explicit_sum(),
                               LinearNoise.two_point(LSC(1.0, 0.1, 0.3), 0.5, p=0.1)],
                         ids=["L-S", "logistic", "quadratic-sum", "quadratic-sum-explicit", "linear-noise"])
def test_components_average_to_f_and_noise_is_bounded_by_sigma(f):
    x = RNG.normal(size=(f.n_functions, 30, f.dim))
    n = f.n_components
    per = np.stack([f.component_grad(x, np.full(x.shape[:-1] + (1,), j)) for j in range(n)])  # (n, F, N, d)
    p = f.probs.T[:, :, None, None]
    mean = np.sum(p * per, axis=0)
    np.testing.assert_allclose(mean, f.grad(x), rtol=1e-12, atol=1e-12)
    var = np.sum(p[..., 0] * np.sum((per - mean) ** 2, axis=-1), axis=0)
    assert np.all(var <= (f.sigma[:, None] ** 2) * (1 + 1e-12))
    # a minibatch of several indices is the mean of its members
    idx = RNG.integers(0, n, size=x.shape[:-1] + (4,))
    manual = np.mean([f.component_grad(x, idx[..., k:k + 1]) for k in range(4)], axis=0)
    np.testing.assert_allclose(f.component_grad(x, idx), manual, rtol=1e-12, atol=1e-13)
    # every component is component_beta-smooth
    y = x + RNG.normal(size=x.shape) * 0.3
    for j in range(n):
        i = np.full(x.shape[:-1] + (1,), j)
        ratio = np.linalg.norm(f.component_grad(x, i) - f.component_grad(y, i), axis=-1) / np.linalg.norm(x - y, axis=-1)
        assert np.all(ratio <= f.component_beta[:, None] * (1 + 1e-9))


def test_ls_noise_is_exactly_sigma_and_logistic_optimum_is_stationary():
    f = LS(1.0, 0.2, 0.25, 2.0)
    B = 2.0 * 0.2
    assert f.sigma[0] ** 2 == pytest.approx(0.75 * B**2 / 0.25, rel=1e-14)
    assert f.floor()[0] == pytest.approx(0.2**2 * 0.25 / 2, rel=1e-14)
    lr = LogisticRegression.synthetic(n_samples=60, dim=4, lam=0.05, seed=2)
    assert np.abs(lr.grad(lr.x_star[:, None, :])).max() < 1e-12
