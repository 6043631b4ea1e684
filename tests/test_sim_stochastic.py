"""n-SAM / m-SAM: sampling semantics, the L-S stochastic floor, reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from sambounds import Setting, simulate
from sambounds.functions import LS

BETA, RHO, P, K = 1.0, 1.0, 0.25, 2.0


def _setting(algorithm, T, eta, rho=RHO):
    return Setting.create(algorithm, "strongly-convex", beta=BETA, mu=BETA, rho=rho, sigma=1.0, T=T, eta=eta)


@pytest.mark.parametrize("algorithm", ["n-sam", "m-sam"])
def test_sampling_semantics_decoded_from_the_trajectory(algorithm):
    """On L-S each step reveals (ascent sample, descent sample): m-SAM must reuse it, n-SAM must not.

    With x in (-A/beta, B/beta) the ascent sign is +1 for component 1 and -1 for component 2, so
    (x_t - x_{t+1})/eta - beta x_t = beta rho u_j + s_j' takes four distinct values
    (s_1 = A, s_2 = -B), one per pair (j, j').
    """
    f = LS(BETA, RHO, P, K)
    A, B, eta = f.A[0], f.B[0], 0.01
    T, S = 400, 100
    res = simulate(_setting(algorithm, T, eta), f, np.full((S, 1), RHO * (1 - 2 * P)), seed=7,
                   record_trajectory=True)
    x = res.trajectory[:, 0, :, 0, 0]                                   # (T + 1, S)
    assert np.all((x > -A / BETA) & (x < B / BETA))
    D = (x[:-1] - x[1:]) / eta - BETA * x[:-1]
    pairs = {(1, 1): BETA * RHO + A, (1, 2): BETA * RHO - B, (2, 1): -BETA * RHO + A, (2, 2): -BETA * RHO - B}
    keys = list(pairs)
    values = np.array([pairs[k] for k in keys])
    which = np.argmin(np.abs(D[..., None] - values), axis=-1)
    assert np.abs(D - values[which]).max() < 1e-9
    freq = np.bincount(which.ravel(), minlength=4) / which.size
    q = np.array([P, 1 - P])
    if algorithm == "m-sam":
        expected = np.array([P, 0.0, 0.0, 1 - P])
    else:
        expected = np.array([q[j - 1] * q[jj - 1] for j, jj in keys])
    tol = 5 * np.sqrt(expected * (1 - expected) / which.size) + 1e-12
    assert np.all(np.abs(freq - expected) <= tol), (freq, expected)


def _stationary_gap(algorithm, eta):
    """Exact stationary E f for the linear dynamics x+ = (1 - eta beta) x - eta (beta rho s + xi)."""
    f = LS(BETA, RHO, P, K)
    A, B = f.A[0], f.B[0]
    mean = RHO * (1 - 2 * P)
    if algorithm == "n-sam":      # ascent sign s and descent noise xi independent
        noise = BETA**2 * RHO**2 * 4 * P * (1 - P) + f.sigma[0] ** 2
    else:                         # (s, xi) = (+1, A) w.p. p, (-1, -B) w.p. 1 - p
        noise = P * (BETA * RHO + A) ** 2 + (1 - P) * (BETA * RHO + B) ** 2 - (BETA * RHO * (1 - 2 * P)) ** 2
    var = eta * noise / (BETA * (2 - eta * BETA))
    return BETA * (mean**2 + var) / 2


@pytest.mark.parametrize("algorithm", ["n-sam", "m-sam"])
def test_ls_stochastic_floor(algorithm):
    """E f - f* sits near beta rho^2 (1 - 2p)^2/2 for small eta (docs/theory.md section 5), SGD does not."""
    f = LS(BETA, RHO, P, K)
    eta, T, R = 1e-3, 8000, 400
    x0 = np.full((R, 1), RHO * (1 - 2 * P))
    res = simulate(_setting(algorithm, T, eta), f, x0, seed=11)
    per_run = res.gap.mean[0, :, 0]
    mean, half = per_run.mean(), 4 * per_run.std(ddof=1) / np.sqrt(R)
    assert abs(mean - _stationary_gap(algorithm, eta)) <= half, (mean, half, _stationary_gap(algorithm, eta))
    floor = f.floor()[0]
    assert abs(mean - floor) <= 0.06 * floor
    sgd = simulate(_setting(algorithm, 3000, eta, rho=0.0), f, np.zeros((50, 1)), seed=11)
    assert sgd.gap.mean.mean() < 0.1 * floor


def test_same_seed_bit_identical_other_seed_differs_generator_accepted():
    f = LS([1.0, 2.0], 0.3, [0.2, 0.4], 3.0)
    s = _setting("n-sam", 200, 0.05)
    x0 = np.linspace(-1, 1, 6)[:, None]
    a = simulate(s, f, x0, seed=123, batch_size=2)
    b = simulate(s, f, x0, seed=123, batch_size=2)
    c = simulate(s, f, x0, seed=124, batch_size=2)
    assert np.array_equal(a.x_final, b.x_final) and np.array_equal(a.gap.mean, b.gap.mean)
    assert not np.array_equal(a.x_final, c.x_final)
    gen = np.random.default_rng(123)
    d = simulate(s, f, x0, seed=gen, batch_size=2)
    assert np.array_equal(a.x_final, d.x_final)
    e = simulate(s, f, x0, seed=gen, batch_size=2)             # the generator advanced
    assert not np.array_equal(a.x_final, e.x_final)


def test_deterministic_sam_ignores_the_finite_sum_noise():
    """SAM on a StochasticObjective uses the full gradient: no randomness, seed irrelevant."""
    f = LS(BETA, RHO, P, K)
    s = Setting.create("sam", "strongly-convex", beta=1.0, mu=1.0, rho=0.1, T=300, eta=0.5)
    a, b = simulate(s, f, np.array([1.0]), seed=1), simulate(s, f, np.array([1.0]), seed=2)
    assert np.array_equal(a.x_final, b.x_final)
    c = 0.5 * 0.1 / (2 - 0.5)
    np.testing.assert_allclose(abs(a.x_final[0, 0, 0, 0]), c, rtol=1e-12)
