"""Finite sums with exact noise (QuadraticFiniteSum, LinearNoise): closed forms against literal sums,
the exactness of sigma, the simulator's n-SAM / m-SAM against closed-form expectations, torch, and
the family specs the attack stores.  (Sampled beta / mu / f* / x* checks: test_functions_constants.py.)"""

from __future__ import annotations

import json

import numpy as np
import pytest

import sambounds
from sambounds.check.families import FamilySpec
from sambounds.errors import InvalidParameterError
from sambounds.functions import LNC, LS, LSC, LinearNoise, Quadratic, QuadraticFiniteSum

RNG = np.random.default_rng(77)


def _explicit():
    B = RNG.normal(size=(2, 3, 3))
    H = B @ B.swapaxes(1, 2) + 0.1 * np.eye(3)
    p = RNG.uniform(0.1, 1, (2, 6))
    return H, RNG.normal(size=(2, 6, 3)), p / p.sum(axis=1, keepdims=True)


def _all_component_grads(f, x):
    """(n, F, N, d): grad l_j(x) for every j, one index at a time through the public oracle."""
    return np.stack([f.component_grad(x, np.full(x.shape[:-1] + (1,), j)) for j in range(f.n_components)])


# ---- QuadraticFiniteSum: closed forms against the literal sum ----------------------------------

def test_value_and_component_gradients_are_the_literal_finite_sum():
    H, c, p = _explicit()
    f = QuadraticFiniteSum(H, c, p)
    x = RNG.normal(size=(2, 20, 3)) * 2
    # written directly from l_j(x) = (1/2)(x - c_j)^T H (x - c_j), grad l_j = H (x - c_j)
    r = x[:, None, :, :] - c[:, :, None, :]                      # (F, n, N, d)
    hr = np.einsum("fde,fnke->fnkd", H, r)
    literal = np.einsum("fn,fnk->fk", p, 0.5 * np.sum(r * hr, axis=-1))
    np.testing.assert_allclose(f.value(x), literal, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.moveaxis(_all_component_grads(f, x), 0, 1), hr, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(f.grad(x), np.einsum("fn,fnkd->fkd", p, hr), rtol=1e-12, atol=1e-12)
    # x* = cbar minimizes; f* is the literal sum there
    cbar = np.einsum("fn,fnd->fd", p, c)
    np.testing.assert_allclose(f.x_star, cbar, rtol=1e-14)
    r0 = cbar[:, None, :] - c
    f_star = np.einsum("fn,fn->f", p, 0.5 * np.einsum("fnd,fde,fne->fn", r0, H, r0))
    np.testing.assert_allclose(f.f_star, f_star, rtol=1e-12)
    # beta, mu, component beta from an independent eigensolve
    lam = np.linalg.eigvalsh(H)
    np.testing.assert_allclose(f.beta, lam[:, -1], rtol=1e-12)
    np.testing.assert_allclose(f.component_beta, lam[:, -1], rtol=1e-12)
    np.testing.assert_allclose(f.mu, lam[:, 0], rtol=1e-10)


@pytest.mark.parametrize("make", [
    lambda: QuadraticFiniteSum(*_explicit()),
    lambda: QuadraticFiniteSum.with_spectrum([[1e-3, 0.1, 1.0, 5.0]], 0.8, noise=[1, 2, 0, 3], rotation_seed=2),
    lambda: LinearNoise.two_point(LSC(2.0, 0.1, 0.4), [0.6], p=0.15),
    lambda: LinearNoise(LNC(1.0, 0.2, 0.5, dim=3), np.array([[1.0, 0, 0], [0, -2.0, 0], [-2.0, 2.0, 0]]),
                        [0.5, 0.25, 0.25]),
], ids=["explicit", "with_spectrum", "two-point L-SC", "L-NC shifts"])
def test_sigma_is_the_exact_noise_at_every_point(make):
    f = make()
    x = RNG.normal(size=(f.n_functions, 50, f.dim)) * 5
    per = _all_component_grads(f, x)
    p = f.probs.T[:, :, None]
    var = np.sum(p * np.sum((per - f.grad(x)) ** 2, axis=-1), axis=0)           # (F, N)
    np.testing.assert_allclose(var, np.broadcast_to(f.sigma[:, None] ** 2, var.shape), rtol=1e-10)


def test_with_spectrum_places_the_noise_on_the_chosen_eigenvectors():
    lam = np.array([[0.01, 0.3, 2.0], [1.0, 1.5, 4.0]])  # distinct: eigenvectors unique
    w = np.array([[0.0, 1.0, 3.0], [1.0, 0.0, 0.0]])
    f = QuadraticFiniteSum.with_spectrum(lam, [0.5, 2.0], noise=w, rotation_seed=11, center=[1.0, -2.0, 0.5])
    np.testing.assert_allclose(np.linalg.eigvalsh(f.H), lam, rtol=1e-12, atol=1e-14)
    assert f.beta.tolist() == [2.0, 4.0] and f.mu.tolist() == [0.01, 1.0]
    np.testing.assert_allclose(f.sigma, [0.5, 2.0], rtol=1e-13)
    shares = w / w.sum(axis=1, keepdims=True)
    # f* = (sigma^2/2) sum_i w_i / lambda_i
    np.testing.assert_allclose(f.f_star, [0.5**2 / 2 * np.sum(shares[0] / lam[0]), 2.0**2 / 2 * shares[1, 0] / 1.0],
                               rtol=1e-12)
    np.testing.assert_allclose(f.x_star, np.broadcast_to([1.0, -2.0, 0.5], (2, 3)), atol=1e-15)
    # the noise of component j, projected on the eigenvectors: variance share w_i along q_i, nothing else
    _, Q = np.linalg.eigh(f.H)
    noise = _all_component_grads(f, f.x_star[:, None, :])[:, :, 0, :]       # (n, F, d) at x*: grad f = 0
    proj = np.einsum("nfd,fdi->nfi", noise, Q)                               # coordinates on the eigenvectors
    np.testing.assert_allclose(np.mean(proj**2, axis=0) / f.sigma[:, None] ** 2, shares, atol=1e-12)


def test_quadratic_finite_sum_rotation_matches_rotated_quadratic():
    # the same seed gives the same Haar rotation as Quadratic.rotated (one helper draws both)
    lam = RNG.uniform(0.1, 2, (3, 4))
    f = QuadraticFiniteSum.with_spectrum(lam, 1.0, rotation_seed=5)
    np.testing.assert_allclose(f.H, Quadratic.rotated(lam, 5).H, rtol=1e-14, atol=1e-15)


def test_zero_noise_is_a_deterministic_quadratic():
    f = QuadraticFiniteSum.with_spectrum([0.5, 1.0], 0.0)
    assert f.sigma[0] == 0.0 and f.f_star[0] == 0.0
    x = RNG.normal(size=(1, 4, 2))
    np.testing.assert_allclose(f.component_grad(x, RNG.integers(0, 4, (1, 4, 3))), f.grad(x), rtol=0, atol=0)


# ---- LinearNoise -------------------------------------------------------------------------------

def test_linear_noise_is_the_base_function_with_two_point_shifts():
    base = LSC([1.0, 3.0], [0.1, 0.2], [0.3, 0.5])
    p, sigma = np.array([0.1, 0.4]), np.array([0.5, 2.0])
    f = LinearNoise.two_point(base, sigma, p=p)
    x = RNG.normal(size=(2, 30, 1))
    np.testing.assert_array_equal(f.value(x), base.value(x))
    np.testing.assert_array_equal(f.grad(x), base.grad(x))
    for name in ("beta", "mu", "f_star", "x_star"):
        np.testing.assert_array_equal(getattr(f, name), getattr(base, name))
    np.testing.assert_array_equal(f.component_beta, base.beta)
    # A = sigma sqrt((1 - p)/p) with probability p, -B = -sigma sqrt(p/(1 - p)) otherwise (L-S's pattern)
    np.testing.assert_allclose(f.shifts[:, :, 0], np.stack([sigma * np.sqrt((1 - p) / p),
                                                            -sigma * np.sqrt(p / (1 - p))], axis=1), rtol=1e-14)
    np.testing.assert_allclose(f.probs, np.stack([p, 1 - p], axis=1), rtol=0)
    np.testing.assert_allclose(f.sigma, sigma, rtol=1e-14)


def test_two_point_noise_on_a_quadratic_is_the_ls_construction():
    # L-S is beta x^2/2 with shifts A (prob p), -B; LinearNoise on the same quadratic has the same oracle
    ls = LS(1.5, 0.2, 0.25, 3.0)
    f = LinearNoise.two_point(Quadratic.diagonal([[1.5]]), ls.sigma, p=0.25)
    x = RNG.normal(size=(1, 40, 1))
    idx = RNG.integers(0, 2, (1, 40, 5))
    np.testing.assert_allclose(f.component_grad(x, idx), ls.component_grad(x, idx), rtol=1e-13, atol=1e-15)


# ---- the simulator against closed-form expectations ---------------------------------------------

@pytest.mark.parametrize("algorithm", ["n-sam", "m-sam"])
def test_at_eta_one_over_beta_and_rho_zero_every_run_lands_at_the_noise_floor(algorithm):
    # H = beta I, eta = 1/beta: x_{t+1} = c_j exactly, so f(x_T) - f* = beta a^2/2 = sigma^2/(2 beta) on every run
    beta, sigma = 2.0, 0.7
    f = QuadraticFiniteSum.with_spectrum([beta] * 5, sigma)
    s = sambounds.Setting.create(algorithm, "strongly-convex", beta=beta, mu=beta, rho=0.0, sigma=sigma, T=15,
                                 eta=1 / beta)
    res = sambounds.simulate(s, f, RNG.normal(size=(9, 5)), seed=3)
    np.testing.assert_allclose(res.gap.final, sigma**2 / (2 * beta), rtol=1e-12)


def test_n_sam_attains_the_s_sc_bound_in_expectation_at_kappa_one():
    # eta = 1/beta, H = beta I: x_{t+1} - x* = (c_j - cbar) - rho u_t with j independent of u_t, so
    # E f(x_T) - f* = beta rho^2/2 + sigma^2/(2 beta) = S-SC/constant/n-sam's limit (kappa = 1)
    beta, sigma, rho = 2.0, 0.7, 0.3
    f = QuadraticFiniteSum.with_spectrum([beta] * 5, sigma)
    s = sambounds.Setting.create("n-sam", "strongly-convex", beta=beta, mu=beta, rho=rho, sigma=sigma, T=20,
                                 eta=1 / beta)
    gap = sambounds.simulate(s, f, np.ones((20000, 5)), seed=1).gap.final.ravel()
    expected = beta * rho**2 / 2 + sigma**2 / (2 * beta)
    bound = sambounds.catalog["S-SC/constant/n-sam"].evaluate(beta=beta, mu=beta, rho=rho, sigma=sigma, eta=1 / beta,
                                                            T=20, Delta=float(f.value(np.ones((1, 1, 5)))[0, 0]
                                                                             - f.f_star[0]))
    assert float(bound) == pytest.approx(expected, rel=1e-12)
    assert abs(gap.mean() - expected) < 5 * gap.std() / np.sqrt(gap.size)


def test_sgd_on_a_rotated_ill_conditioned_sum_matches_the_linear_recursion():
    # rho = 0 (n-SAM = SGD): per eigendirection z_i(t+1) = q_i z_i(t) - eta xi_i, q_i = 1 - eta lambda_i,
    # E xi_i^2 = sigma^2 w_i, so E f(x_T) - f* = sum_i lambda_i/2 [q_i^(2T) z_i(0)^2
    #                                              + eta^2 sigma^2 w_i (1 - q_i^(2T))/(1 - q_i^2)]
    lam, w, sigma, eta, T = np.array([0.02, 0.2, 1.0]), np.array([0.2, 0.3, 0.5]), 0.6, 0.8, 60
    f = QuadraticFiniteSum.with_spectrum(lam, sigma, noise=w, rotation_seed=9)
    _, Q = np.linalg.eigh(f.H[0])
    z0 = np.array([3.0, -1.0, 0.5])
    s = sambounds.Setting.create("n-sam", "strongly-convex", beta=1.0, mu=0.02, rho=0.0, sigma=sigma, T=T, eta=eta)
    gap = sambounds.simulate(s, f, np.broadcast_to(Q @ z0, (20000, 3)), seed=4).gap.final.ravel()
    q = 1 - eta * lam
    expected = np.sum(lam / 2 * (q ** (2 * T) * z0**2 + eta**2 * sigma**2 * w * (1 - q ** (2 * T)) / (1 - q**2)))
    assert abs(gap.mean() - expected) < 5 * gap.std() / np.sqrt(gap.size)


# ---- torch --------------------------------------------------------------------------------------

def test_torch_oracles_match_numpy():
    torch = pytest.importorskip("torch")
    fams = [QuadraticFiniteSum(*_explicit()), LinearNoise.two_point(LSC([1.0, 2.0], 0.1, 0.3, dim=3), 0.5, p=0.3)]
    for f in fams:
        g = f.map_arrays(torch.tensor)   # copies: the frozen NumPy arrays stay untouched
        assert isinstance(g.shifts if isinstance(g, LinearNoise) else g.H, torch.Tensor)
        if isinstance(f, LinearNoise):
            assert isinstance(g.base._beta, torch.Tensor) and isinstance(f.base._beta, np.ndarray)
        x = RNG.normal(size=(2, 7, 3))
        idx = RNG.integers(0, f.n_components, (2, 7, 4))
        xt, it = torch.as_tensor(x), torch.as_tensor(idx)
        np.testing.assert_allclose(g.value(xt).numpy(), f.value(x), rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(g.grad(xt).numpy(), f.grad(x), rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(g.component_grad(xt, it).numpy(), f.component_grad(x, idx), rtol=1e-13,
                                   atol=1e-14)


@pytest.mark.parametrize("algorithm", ["n-sam", "m-sam"])
def test_torch_backend_runs_the_finite_sums(algorithm):
    pytest.importorskip("torch")
    f = QuadraticFiniteSum.with_spectrum([2.0] * 4, 0.7)
    s = sambounds.Setting.create(algorithm, "strongly-convex", beta=2.0, mu=2.0, rho=0.0, sigma=0.7, T=10, eta=0.5)
    res = sambounds.simulate(s, f, RNG.normal(size=(5, 4)), seed=2, backend="torch")
    assert res.backend == "torch"
    np.testing.assert_allclose(res.gap.final, 0.7**2 / 4, rtol=1e-12)
    g = LinearNoise.two_point(LSC(1.0, 0.1, 0.3), 0.2, p=0.25)
    s2 = sambounds.Setting.create(algorithm, "strongly-convex", beta=1.0, mu=0.1, rho=0.05, sigma=0.2, T=30, eta=0.5)
    a = sambounds.simulate(s2, g, np.full((6, 1), 0.4), seed=2, backend="torch")
    b = sambounds.simulate(s2, g, np.full((6, 1), 0.4), seed=2, backend="torch")
    np.testing.assert_array_equal(a.x_final, b.x_final)
    assert np.all(np.isfinite(a.gap.final)) and np.all(a.gap.final >= 0)


# ---- specs the attack stores --------------------------------------------------------------------

def test_specs_rebuild_the_same_functions_and_are_json_ready():
    spec = FamilySpec("quadratic-sum", {"spectrum": [[0.1, 1.0]], "sigma": [0.3], "noise": [[1.0, 0.0]],
                                        "rotation_seed": 7})
    f, x_ref = spec.build()
    g = QuadraticFiniteSum.with_spectrum([[0.1, 1.0]], 0.3, noise=[1.0, 0.0], rotation_seed=7)
    np.testing.assert_array_equal(f.H, g.H)
    np.testing.assert_array_equal(f.centers, g.centers)
    np.testing.assert_array_equal(x_ref, g.x_star)
    H, c, p = _explicit()
    f2, _ = FamilySpec("quadratic-sum", {"H": H, "centers": c, "probs": p}).build()
    np.testing.assert_allclose(f2.sigma, QuadraticFiniteSum(H, c, p).sigma, rtol=0)
    nested = FamilySpec("linear-noise", {"base": {"name": "L-NC", "params": {"beta": np.array([1.0]), "rho": [0.1],
                                                                            "c": [0.5]}},
                                         "sigma": [0.01], "p": [0.5]})
    doc = json.loads(json.dumps(nested.to_dict()))    # numpy inside the nested base became plain lists
    h, x_ref = FamilySpec.from_dict(doc).build()
    assert isinstance(h, LinearNoise) and h.base.family == "L-NC"
    np.testing.assert_array_equal(x_ref, h.base.x_star)


@pytest.mark.parametrize("name,params,fragment", [
    ("quadratic-sum", {"spectrum": [[1.0]]}, "quadratic-sum parameters"),
    ("quadratic-sum", {"spectrum": [[1.0]], "sigma": [0.1], "H": [[[1.0]]], "centers": [[[0.0]]]},
     "quadratic-sum parameters"),
    ("quadratic-sum", {"H": [[[1.0]]], "centers": [[[0.0]]], "rotation_seed": 3}, "quadratic-sum parameters"),
    ("quadratic-sum", {"spectrum": [[1.0]], "sigma": [0.1], "probs": [1.0]}, "probs"),
    ("linear-noise", {"base": {"name": "L-SC", "params": {"beta": 1.0, "mu": 0.1, "R": 0.2}}},
     "linear-noise parameters"),
    ("linear-noise", {"base": {"name": "L-S", "params": {"beta": 1.0, "rho": 0.1, "p": 0.2, "K": 1.0}},
                      "sigma": [0.1]}, "base"),
])
def test_bad_spec_parameters_name_the_problem(name, params, fragment):
    with pytest.raises(InvalidParameterError) as info:
        FamilySpec(name, params).build()
    assert fragment in str(info.value)


# ---- validation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("build,fragment", [
    (lambda: QuadraticFiniteSum(np.eye(2), np.zeros((3, 3))), "centers"),
    (lambda: QuadraticFiniteSum(np.eye(2), np.zeros((3, 2)), [0.5, 0.5]), "probs"),
    (lambda: QuadraticFiniteSum(np.eye(2), np.zeros((2, 2)), [1.5, -0.5]), "probs"),
    (lambda: QuadraticFiniteSum(np.eye(2), np.zeros((2, 2)), [0.5, 0.6]), "probs"),
    (lambda: QuadraticFiniteSum(-np.eye(2), np.zeros((2, 2))), "H[0]"),
    (lambda: QuadraticFiniteSum(np.eye(2), [[0.0, np.nan]]), "centers"),
    (lambda: QuadraticFiniteSum.with_spectrum([1.0, -1.0], 0.1), "spectrum"),
    (lambda: QuadraticFiniteSum.with_spectrum([1.0, 2.0], -0.1), "sigma"),
    (lambda: QuadraticFiniteSum.with_spectrum([1.0, 2.0], 0.1, noise=[1.0, -1.0]), "noise"),
    (lambda: QuadraticFiniteSum.with_spectrum([1.0, 2.0], 0.1, noise=[0.0, 0.0]), "noise"),
    (lambda: QuadraticFiniteSum.with_spectrum([1.0, 2.0], 0.1, noise=[1.0, 1.0, 1.0]), "noise"),
    (lambda: QuadraticFiniteSum.with_spectrum([0.0, 2.0], 0.1), "noise"),   # equal shares include lambda = 0
    (lambda: QuadraticFiniteSum.with_spectrum([1.0, 2.0], 0.1, center=[0.0, 1.0, 2.0]), "center"),
    # noise at sigma/lambda = 1e82 from the center: the rotated H's rounding swamps the requested sigma
    (lambda: QuadraticFiniteSum.with_spectrum([0.0, 5.4e-83, 1.0], 1.0, noise=[0, 1, 0], rotation_seed=0), "noise[0]"),
    (lambda: LinearNoise(LS(1.0, 0.1, 0.2, 1.0), [[1.0], [-1.0]]), "base"),
    (lambda: LinearNoise("quadratic", [[1.0], [-1.0]]), "base"),
    (lambda: LinearNoise(LSC(1.0, 0.1, 0.3), [[1.0], [1.0]]), "shifts[0]"),
    (lambda: LinearNoise(LSC(1.0, 0.1, 0.3), [[1.0, 0.0], [-1.0, 0.0]]), "shifts"),
    (lambda: LinearNoise.two_point(LSC(1.0, 0.1, 0.3), 0.1, p=1.0), "p"),
    (lambda: LinearNoise.two_point(LSC(1.0, 0.1, 0.3, dim=2), 0.1, direction=[0.0, 0.0]), "direction"),
    (lambda: LinearNoise.two_point(LSC(1.0, 0.1, 0.3, dim=2), 0.1, direction=[1.0, 0.0, 0.0]), "direction"),
])
def test_bad_input_raises_invalid_parameter_naming_it(build, fragment):
    with pytest.raises(InvalidParameterError) as info:
        build()
    assert fragment in str(info.value)


def test_inputs_are_not_mutated():
    H, c, p = _explicit()
    copies = [a.copy() for a in (H, c, p)]
    QuadraticFiniteSum(H, c, p)
    for a, b in zip((H, c, p), copies):
        np.testing.assert_array_equal(a, b)
    shifts = np.array([[1.0], [-1.0 + 1e-15]])
    before = shifts.copy()
    f = LinearNoise(LSC(1.0, 0.1, 0.3), shifts)
    np.testing.assert_array_equal(shifts, before)
    assert abs(f.shifts[0, :, 0].sum()) < 1e-16      # the rounding residue was removed from the copy
