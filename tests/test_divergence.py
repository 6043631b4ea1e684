"""A run is flagged diverged once it leaves the region it started in (sim/kernel.py), not only past 1e100."""

from __future__ import annotations

import numpy as np

from sambounds import Setting, simulate
from sambounds.functions import LSC, Quadratic
from sambounds.sim.kernel import DIVERGENCE_FACTOR


def test_gd_with_eta_three_on_a_parabola_is_flagged_at_the_step_it_leaves_the_region():
    # x_t = (1 - 3)^t: |x_t| = 2^t; the starting scale is max(|x_0|, eta |f'(x_0)|) = 3, so the first t with
    # 2^t > 3 * 1e4 is 15 (with the factor squared, 1e8, it would be 29)
    s = Setting.create("gd", "strongly-convex", beta=1.0, mu=1.0, T=100, eta=1.0)
    res = simulate(s, Quadratic([[1.0]]), np.array([[1.0]]), schedules=np.full((1, 100), 3.0))
    first = int(np.ceil(np.log2(3 * DIVERGENCE_FACTOR)))
    assert first == 15
    assert res.diverged_at[0, 0, 0] == first
    assert res.gap.final[0, 0, 0] == np.inf           # not a gap of 2^200
    assert np.isfinite(res.x_final).all() and abs(res.x_final[0, 0, 0]) == 2.0 ** (first - 1)


def test_sam_just_above_two_over_beta_is_flagged_long_before_overflow():
    beta = 2.0
    s = Setting.create("sam", "strongly-convex", beta=beta, mu=0.5, rho=0.05, T=4000, eta=0.1)
    res = simulate(s, Quadratic.rotated([[0.5, 1.0, beta]], seed=0), np.ones((1, 3)),
                   schedules=np.full((1, 4000), 2.01 / beta))
    t = res.diverged_at[0, 0, 0]
    assert 0 < t < 4000
    assert res.summary()["diverged"] == 1 and res.summary()["first_divergence_step"] == t
    assert np.max(np.abs(res.x_final)) < DIVERGENCE_FACTOR * 10    # frozen where it left, not at 1e87


def test_converging_runs_and_the_two_cycle_are_never_flagged():
    beta, mu, rho = 1.0, 0.1, 0.1
    s = Setting.create("sam", "strongly-convex", beta=beta, mu=mu, rho=rho, T=3000, eta=1.0 / beta)
    starts = np.array([[1e-8, 0.0, 0.0], [0.0, 0.0, 0.0], [3.0, -2.0, 1.0], [1e6, 0.0, 0.0]])
    res = simulate(s, Quadratic.rotated([[mu, 0.5, beta]], seed=1), starts,
                   schedules=np.array([np.full(3000, 1.0 / beta), np.full(3000, 1.9 / beta)]))
    assert (res.diverged_at == -1).all()
    eta = 1.5 / beta                          # L-SC's 2-cycle (docs/theory.md section 5): bounded, not diverged
    lsc = LSC(beta, mu, LSC.cycle_radius(beta=beta, rho=rho, eta=eta))
    s1 = Setting.create("sam", "strongly-convex", beta=beta, mu=mu, rho=rho, T=3000, eta=eta)
    res = simulate(s1, lsc, np.array([[0.0], [1e-3], [2.0]]))
    assert (res.diverged_at == -1).all()
    assert np.all(res.gap.final[0, 1:, 0] > 0)  # it really cycles (x_0 = x* stays: zero gradient, y = x)


def test_simulate_cli_warns_above_two_over_beta_and_names_the_divergence_step():
    from click.testing import CliRunner

    from sambounds.cli import cli

    result = CliRunner().invoke(cli, ["simulate", "--function", "quadratic", "--dim", "3", "--rho", "0.05",
                                       "--eta", "2.5", "-T", "500", "--starts", "4"])
    assert result.exit_code == 0
    assert "above 2/beta" in result.output
    assert "diverged: 4 (first at step" in " ".join(result.output.split())


# ---- stochastic runs: the same relative region, widened by the noise's reach eta_max sigma sqrt(T) ------
def test_stochastic_run_above_two_over_beta_is_flagged_relative_to_its_scale():
    from sambounds.functions import QuadraticFiniteSum

    # n-SAM on a 1-D quadratic finite sum (lambda = 1, sigma = 0.1) with eta = 3: x_t ~ (-2)^t; the scale is
    # max(|x_0|, rho, eta |f'(x_0)|, eta sigma sqrt(T)) = max(1, 0.05, 3, 3) = 3, so the run leaves the region
    # 3e4 at t = 15 (+-1 for the noise), not at t ~ 330 where ||x_t|| would pass the absolute 1e100
    f = QuadraticFiniteSum.with_spectrum([[1.0]], 0.1)
    T = 100
    s = Setting.create("n-sam", "strongly-convex", beta=1.0, mu=1.0, rho=0.05, sigma=0.1, T=T, eta=1.0)
    res = simulate(s, f, np.array([[1.0]]), schedules=np.full((1, T), 3.0), seed=0)
    t = int(res.diverged_at[0, 0, 0])
    assert 14 <= t <= 16, t
    assert np.max(np.abs(res.x_final)) < 3 * DIVERGENCE_FACTOR
    assert res.summary()["first_divergence_step"] == t


def test_noisy_convergent_runs_at_a_realistic_step_are_never_flagged():
    from sambounds.functions import LS, QuadraticFiniteSum

    # started at x* with rho = 0 the deterministic scale is 0 (no distance, no gradient, no radius): only the
    # noise's reach keeps SGD-like runs that wander around x* from being flagged at their first step
    f = QuadraticFiniteSum.with_spectrum([[1.0, 0.1]], 1.0, rotation_seed=0)
    T = 3000
    starts = np.array([[0.0, 0.0], [1e-6, 0.0], [5.0, -5.0]])
    for alg in ("n-sam", "m-sam"):
        for rho in (0.0, 0.1):
            s = Setting.create(alg, "strongly-convex", beta=1.0, mu=0.1, rho=rho, sigma=1.0, T=T, eta=0.5)
            res = simulate(s, f, starts, seed=1, schedules=np.array([np.full(T, 0.5), np.full(T, 1.9)]))
            assert (res.diverged_at == -1).all(), (alg, rho, res.diverged_at)
            assert np.all(res.dist_sq.final[0, 0] > 0)   # it really moved: the noise is there
    # the L-S construction (large noise B, the floor of docs/theory.md section 5) at its own step
    ls = LS(1.0, 0.1, 0.25, 2.0)
    s = Setting.create("n-sam", "nonconvex", beta=1.0, rho=0.1, sigma=float(ls.sigma[0]), T=T, eta=0.1)
    res = simulate(s, ls, np.array([[0.0], [1.0], [-3.0]]), seed=2)
    assert (res.diverged_at == -1).all()


def test_noise_reach_is_eta_max_sigma_sqrt_T_per_function_and_schedule():
    from sambounds.functions import QuadraticFiniteSum
    from sambounds.sim.backends import get_backend
    from sambounds.sim.kernel import noise_reach_sq

    f = QuadraticFiniteSum.with_spectrum([[1.0], [1.0]], [0.5, 2.0])
    steps = np.array([[0.1] * 16, [0.4] + [0.2] * 15])
    got = noise_reach_sq(f, get_backend("numpy"), np.zeros((2, 3, 2)), steps)
    expected = (np.array([0.5, 2.0])[:, None] * np.array([0.1, 0.4])[None, :] * 4.0) ** 2
    assert got.shape == (2, 3, 2) and np.allclose(got, expected[:, None, :], rtol=1e-12)
