"""PEP for GD and USAM against closed forms (Drori & Teboulle 2014; Taylor et al. 2017) and an
independent scalar formulation written here."""

from __future__ import annotations

import warnings

import cvxpy as cp
import numpy as np
import pytest

import sambounds
from sambounds import Setting
from sambounds.pep.methods import Method
from sambounds.pep.problem import build_program, make_spec
from sambounds.pep.solvers import solve


def gd_value(N, *, cls="convex", measure="f", beta=1.0, mu=None, eta=1.0, D=1.0, Delta=None):
    s = Setting.create("gd", cls, T=N, beta=beta, mu=mu, eta=eta, D=D, Delta=Delta)
    spec = make_spec(s, measure)
    return solve(build_program(spec, Method("gd"))).value * float(spec.scale())


@pytest.mark.parametrize("N", [1, 2, 3, 5, 8, 12, 30])
def test_gd_convex_matches_drori_teboulle(N):
    # f(x_N) - f* <= L R^2 / (4N + 2) for step 1/L, tight
    assert gd_value(N) == pytest.approx(1.0 / (4 * N + 2), rel=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("N", range(1, 31))
def test_gd_convex_all_horizons(N):
    assert gd_value(N) == pytest.approx(1.0 / (4 * N + 2), rel=1e-6)


@pytest.mark.parametrize("L,R", [(2.0, 1.5), (0.3, 4.0)])
def test_gd_convex_scales_with_constants(L, R):
    assert gd_value(6, beta=L, eta=1.0 / L, D=R) == pytest.approx(L * R * R / 26, rel=1e-6)


@pytest.mark.parametrize("N,mu,h", [(1, 0.1, 1.0), (5, 0.1, 1.5), (10, 0.05, 0.7), (30, 0.1, 1.0)])
def test_gd_strongly_convex_distance_rate(N, mu, h):
    rate = max(abs(1 - h * mu), abs(1 - h * 1.0)) ** (2 * N)
    assert gd_value(N, cls="strongly-convex", measure="dist", mu=mu, eta=h) == pytest.approx(rate, rel=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("N", [15, 20, 25, 30])
@pytest.mark.parametrize("mu,h", [(0.1, 1.0), (0.1, 1.5), (0.05, 0.7)])
def test_gd_strongly_convex_distance_rate_long(N, mu, h):
    rate = max(abs(1 - h * mu), abs(1 - h)) ** (2 * N)
    assert gd_value(N, cls="strongly-convex", measure="dist", mu=mu, eta=h) == pytest.approx(rate, rel=1e-6)


def test_gd_gradient_and_function_gap_measures():
    # ||grad f(x_T)||^2 from f(x0) - f* <= Delta: compare with the independent scalar PEP below
    s = Setting.create("gd", "convex", T=3, beta=1.0, eta=1.0, Delta=1.0)
    r = sambounds.worst_case(s, measure="grad", initial="function-gap", witness=False)
    assert r.value == pytest.approx(independent_pep("gd", 3, eta=1.0, rho=0.0, measure="grad",
                                                    initial="function-gap"), rel=1e-6)


def test_sam_with_rho_zero_is_gd():
    gd = Setting.create("gd", "convex", T=6, beta=1.0, eta=0.8, D=1.0)
    sam0 = Setting.create("sam", "convex", T=6, beta=1.0, eta=0.8, D=1.0, rho=0.0)
    a = sambounds.worst_case(gd, witness=False).value
    b = sambounds.worst_case(sam0, witness=False)
    # the same program solved separately: equal to the solver's tolerance (1e-8), not to rounding
    assert b.value == pytest.approx(a, rel=1e-7)
    spec = make_spec(sam0, "f")
    relaxed = solve(build_program(spec, Method("sam-relax", rho=0.0))).value
    sliced = solve(build_program(spec, Method("sam-slice", rho=0.0, c=(0.3,) * 6))).value
    assert relaxed == pytest.approx(a, rel=1e-7) and sliced == pytest.approx(a, rel=1e-7)


def independent_pep(alg, T, *, eta, rho, measure="f", initial="distance", L=1.0):
    """A scalar-by-scalar PEP (one cvxpy expression per inequality), smooth convex class,
    in the textbook form f_i >= f_j + <g_j, x_i - x_j> + ||g_i - g_j||^2 / (2L)."""
    dim = 2 * T + 2 if alg == "usam" else T + 2
    G = cp.Variable((dim, dim), PSD=True)
    e = np.eye(dim)
    x = e[0]
    pts = [(np.zeros(dim), np.zeros(dim))]          # x*, g* = 0
    fv = [0.0]
    Fvar = cp.Variable(2 * T + 2)
    col = 1
    last_f = None
    for t in range(T):
        g = e[col]; col += 1
        pts.append((x, g)); fv.append(Fvar[len(fv) - 1])
        if alg == "usam":
            y = x + rho * g
            h = e[col]; col += 1
            pts.append((y, h)); fv.append(Fvar[len(fv) - 1])
        else:
            h = g
        x = x - eta * h
    gT = e[col]
    pts.append((x, gT)); fv.append(Fvar[len(fv) - 1])
    last_f = fv[-1]
    ip = lambda u, v: u @ G @ v
    cons = []
    for i, (xi, gi) in enumerate(pts):
        for j, (xj, gj) in enumerate(pts):
            if i != j:
                cons.append(fv[i] >= fv[j] + ip(gj, xi - xj) + ip(gi - gj, gi - gj) / (2 * L))
    if initial == "distance":
        cons.append(ip(e[0], e[0]) <= 1)
    else:
        cons.append(fv[1] <= 1)
    obj = last_f if measure == "f" else ip(gT, gT)
    prob = cp.Problem(cp.Maximize(obj), cons)
    with warnings.catch_warnings():   # this reference solve may be "inaccurate"; the comparison decides
        warnings.simplefilter("ignore")
        prob.solve(solver="CLARABEL")
    assert prob.status in ("optimal", "optimal_inaccurate")
    return prob.value


@pytest.mark.parametrize("T,eta,rho", [(2, 1.0, 0.5), (4, 0.7, 0.2), (5, 1.2, 1.0)])
def test_usam_matches_independent_formulation(T, eta, rho):
    s = Setting.create("usam", "convex", T=T, beta=1.0, eta=eta, D=1.0, rho=rho)
    ours = sambounds.worst_case(s, witness=False).value
    assert ours == pytest.approx(independent_pep("usam", T, eta=eta, rho=rho), rel=1e-6)


def test_usam_beta_scaling_consistent():
    # USAM's radius is rho * beta in normalized units: (beta, rho, eta) = (2, 0.25, 0.35) is
    # the (1, 0.5, 0.7) problem with f scaled by 2
    a = sambounds.worst_case(Setting.create("usam", "convex", T=4, beta=2.0, eta=0.35, D=1.0, rho=0.25),
                             witness=False).value
    b = independent_pep("usam", 4, eta=0.7, rho=0.5)
    assert a == pytest.approx(2.0 * b, rel=1e-6)


def test_gd_witness_reproduces_value():
    s = Setting.create("gd", "strongly-convex", T=6, beta=1.0, mu=0.2, eta=1.2, D=1.0)
    r = sambounds.worst_case(s, measure="f")
    assert r.exact and r.replay.pep_error < 1e-4
    assert r.lower == pytest.approx(r.value, rel=1e-4)


def test_nonconvex_gd_min_grad_is_upper_bound_with_valid_witness():
    # known rate for GD, h = 1/L, nonconvex: min_t ||g_t||^2 <= 2 L Delta / (T + 1) is valid
    # (sum_t ||g_t||^2 / (2L) <= Delta over T+1 terms is loose); the PEP must be below it
    s = Setting.create("gd", "nonconvex", T=5, beta=1.0, eta=1.0, Delta=1.0)
    r = sambounds.worst_case(s, measure="min-grad")
    assert r.kind == "upper-bound" and not r.exact
    assert r.value <= 2.0 / 5 + 1e-9           # descent lemma bound over the first T gradients
    assert r.replay.initial_used <= 1.0 + 1e-6 and r.lower <= r.value * (1 + 1e-6)
