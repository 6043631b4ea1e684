"""Every PEP witness re-runs: attained value vs PEP value, small-gradient SAM slices, the exact
simplex QP behind the interpolant and the entry-wise accurate Gram factorization."""

from __future__ import annotations

import cvxpy as cp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sambounds
from sambounds import Setting
from sambounds.check.witness import rerun, tolerance
from sambounds.pep import sam
from sambounds.pep.gram import gram_factor
from sambounds.pep.problem import make_spec
from sambounds.pep.simplex_qp import simplex_qp
from sambounds.pep.witness import load, measure_of, run_method

MEASURES = ("f", "dist", "grad", "min-grad")
CLASSES = ("convex", "strongly-convex", "nonconvex")


def setting(alg, cls, *, T=2, beta=1.0, mu=0.2, rho=0.2, eta=0.8, D=None, Delta=None):
    if D is None and Delta is None:
        D, Delta = (None, 1.0) if cls == "nonconvex" else (1.0, None)
    return Setting.create(alg, cls, T=T, beta=beta, mu=mu if cls == "strongly-convex" else None,
                          rho=None if alg == "gd" else rho, eta=eta, D=D, Delta=Delta)


def check_witness(result):
    """The witness re-runs (sambounds.rerun) and its numbers are consistent with the result."""
    w = result.witness
    r = rerun(w.to_dict())
    assert r.matches, (r.rel_error, r.tolerance, r.description)
    tol = tolerance(w.to_dict())
    scale = max(abs(w.value), abs(w.pep_value))
    assert w.value == result.replay.replayed
    if result.lower is not None:
        bound = w.bound
        if result.replay.initial_used <= bound * (1 + 1e-9) or w.algorithm == "sam":
            assert result.lower == w.value
        else:   # GD/USAM witness just outside the initial condition: rescaled onto it, so lower
            assert result.lower < w.value and result.lower == pytest.approx(w.value, rel=1e-6)
    # the PEP's value bounds what the witness attains, and equals it when the PEP is exact
    assert w.value <= w.pep_value + tol * scale
    if w.exact:
        assert abs(w.value - w.pep_value) <= tol * scale
    return r


@pytest.mark.parametrize("alg,cls,measure", [(a, c, m) for a in ("gd", "usam", "sam") for c in CLASSES
                                              for m in MEASURES if not (c == "nonconvex" and m == "dist")])
def test_every_witness_reruns(alg, cls, measure):
    s = setting(alg, cls, T=2 if alg == "sam" else 3)
    result = sambounds.worst_case(s, measure=measure, search_evals=6)
    check_witness(result)
    assert result.witness.exact is (cls != "nonconvex")
    # for the exact PEPs (GD/USAM on convex classes) lower ~ value
    if alg != "sam" and cls != "nonconvex":
        assert result.lower == pytest.approx(result.value, rel=1e-4)


@pytest.mark.parametrize("alg", ("gd", "sam"))
def test_nonconvex_witness_records_what_it_attains(alg):
    # f >= f_low holds only at the points: the PEP's f(x_T) - f_low overstates what the witness
    # attains, f(x_T) - inf f.  Recomputed here with an independent loop and inf f from the data.
    s = setting(alg, "nonconvex", T=3, eta=1.0, rho=0.2, Delta=1.0)
    result = sambounds.worst_case(s, measure="f", initial="function-gap", search_evals=8)
    w = result.witness
    assert not w.exact
    if alg == "gd":
        assert result.kind == "upper-bound" and w.pep_value == result.value
    else:   # the relaxation bounds the slice, whose (upper) value the witness came from
        assert result.kind == "relaxation" and w.pep_value <= result.value * (1 + 1e-6)
    inf_f = float(np.min(w.values - np.sum(w.gradients ** 2, axis=1) / (2 * w.beta)))
    assert w.function().infimum() == pytest.approx(inf_f, abs=1e-12)
    run = run_method(w.function(), alg, w.steps, w.rho, w.x0)
    attained = measure_of(run, "f", inf_f, None)
    assert w.value == pytest.approx(attained, rel=1e-9, abs=1e-12)
    assert result.lower == w.value
    assert w.value < 0.5 * w.pep_value          # the gap this test is about
    assert run["f"][0] - inf_f <= 1.0 * (1 + 1e-6)   # the witness meets f(x_0) - inf f <= Delta
    check_witness(result)


def test_version_1_document_is_read_as_an_exact_claim():
    s = setting("gd", "convex", T=2)
    doc = sambounds.worst_case(s, measure="f").witness.to_dict()
    old = {k: v for k, v in doc.items() if k not in ("pep_value", "exact")}
    old["version"], old["value"] = 1, doc["pep_value"]      # version 1 recorded the PEP value
    w = load(old)
    assert w.exact and w.pep_value == w.value == doc["pep_value"]
    assert rerun(old).matches


# normalized SAM slices with small gradient norms: the replay's rho g/||g|| amplifies errors

@pytest.mark.parametrize("kw,measure", [
    (dict(T=6, rho=0.3, eta=0.5, D=1.0), "grad"),
    (dict(T=6, rho=0.3, eta=0.5, D=0.5), "grad"),       # replayed 62% off before
    (dict(T=6, rho=0.3, eta=0.8, D=1.0), "grad"),       # 49% off before
    (dict(T=3, rho=0.585, eta=0.5, Delta=0.56), "f"),   # x_0 ~ 2500 from x*: 4% off before
])
def test_sam_convex_witnesses_reproduce_their_slice(kw, measure):
    s = Setting.create("sam", "convex", beta=1.0, **kw)
    result = sambounds.worst_case(s, measure=measure, search_evals=20)
    r = check_witness(result)
    assert r.rel_error < 1e-5
    # the replayed gradient norms are the slice's c
    norms = np.linalg.norm(result.replay.run["g"][:-1], axis=1)
    assert norms == pytest.approx(np.array(result.slice_c), rel=1e-5)


def test_slice_meets_small_gradient_norms_relatively():
    # ||g_t|| = c_t must hold relative to c_t, not to the solver's absolute accuracy
    s = Setting.create("sam", "convex", T=3, beta=1.0, rho=0.3, eta=0.25, D=1.0)
    c = np.array([1e-4, 2e-3, 5e-4])
    solved = sam.slice_pep(make_spec(s, "grad"), c)
    norms = sam.norms_of(solved, 3)
    assert norms == pytest.approx(c, rel=1e-6)


def test_zero_norm_slice_means_zero_gradient():
    # c_t = 0 is SAM's zero-gradient convention y_t = x_t, which needs g_t = 0
    s = Setting.create("sam", "convex", T=2, beta=1.0, rho=0.3, eta=0.5, D=1.0)
    solved = sam.slice_pep(make_spec(s, "dist"), [0.2, 0.0])
    assert sam.norms_of(solved, 2)[0] == pytest.approx(0.2, rel=1e-6)
    assert sam.norms_of(solved, 2)[1] < 1e-4
    # without the row the slice would be GD's step from x_1 with any gradient: ||x_2|| could grow


def test_outer_search_keeps_norms_above_the_floor():
    s = Setting.create("sam", "convex", T=3, beta=1.0, rho=0.3, eta=0.5, D=1.0)
    spec = make_spec(s, "grad")
    c_min = sam.MIN_NORM_RATIO * spec.normalized()[2]
    found = sam.outer_search(spec, [np.full(3, 1e-9), np.full(3, 0.25)], max_evals=12)
    assert found.best is not None and np.all(np.array(found.best.method.c) >= c_min)


@settings(max_examples=4)
@given(st.sampled_from(("convex", "strongly-convex")), st.floats(0.5, 2.0), st.floats(0.02, 0.5),
       st.floats(0.05, 0.5), st.floats(0.2, 1.9), st.integers(1, 4), st.sampled_from(MEASURES))
def test_sam_witnesses_rerun_random(cls, beta, mu_ratio, rho, eta_beta, T, measure):
    s = Setting.create("sam", cls, T=T, beta=beta, mu=mu_ratio * beta if cls == "strongly-convex" else None,
                       rho=rho, eta=eta_beta / beta, D=1.0)
    check_witness(sambounds.worst_case(s, measure=measure, search_evals=8))


@pytest.mark.slow
@settings(max_examples=40)
@given(st.sampled_from(CLASSES), st.floats(0.3, 3.0), st.floats(0.02, 0.5), st.floats(0.01, 0.6),
       st.floats(0.2, 1.9), st.integers(1, 6), st.sampled_from(MEASURES), st.booleans(), st.floats(0.3, 3.0))
def test_sam_witnesses_rerun_random_long(cls, beta, mu_ratio, rho, eta_beta, T, measure, gap, size):
    if cls == "nonconvex" and measure == "dist":
        measure = "f"
    if measure == "dist":
        gap = False                     # ||x_T - x*|| is unbounded under f(x_0) - f* <= Delta
    gap = gap or cls == "nonconvex"
    s = Setting.create("sam", cls, T=T, beta=beta, mu=mu_ratio * beta if cls == "strongly-convex" else None,
                       rho=rho, eta=eta_beta / beta, D=None if gap else size, Delta=size if gap else None)
    check_witness(sambounds.worst_case(s, measure=measure, search_evals=20))


# the exact simplex QP behind every witness evaluation

def _phi(U, kappa, L, lam):
    return L / 2 * float(np.sum((U.T @ lam) ** 2)) - float(kappa @ lam)


@pytest.mark.parametrize("seed", range(6))
def test_simplex_qp_matches_clarabel_and_kkt(seed):
    rng = np.random.default_rng(seed)
    for _ in range(20):
        n, d, L = int(rng.integers(1, 16)), int(rng.integers(1, 6)), float(np.exp(rng.normal()))
        U = rng.normal(size=(n, d)) * np.exp(rng.normal(size=(n, 1)))
        if rng.random() < 0.3:
            U[rng.integers(n)] *= 1e3                      # a far point, as x* for a flat witness
        kappa = rng.normal(size=n)
        lam = simplex_qp(U, kappa, L)
        assert lam.min() >= 0 and lam.sum() == pytest.approx(1.0, abs=1e-12)
        var = cp.Variable(n, nonneg=True)
        cp.Problem(cp.Minimize(L / 2 * cp.sum_squares(U.T @ var) - kappa @ var), [cp.sum(var) == 1]).solve(
            solver="CLARABEL")
        scale = 1 + L * np.max(np.sum(U * U, axis=1)) + np.max(np.abs(kappa))
        assert _phi(U, kappa, L, lam) <= _phi(U, kappa, L, np.clip(var.value, 0, None)) + 1e-9 * scale
        grad = L * U @ (U.T @ lam) - kappa                  # KKT: grad >= tau, = tau on the support
        tau = grad[lam > 0].mean()
        assert np.all(grad >= tau - 1e-9 * scale)
        assert np.all(np.abs(grad[lam > 0] - tau) <= 1e-9 * scale)


def test_simplex_qp_returns_the_vertex_of_interpolable_data():
    # at a data point x_j of interpolable data the minimizer is e_j: the interpolant's gradient
    # there is the data's to rounding, even with a point 1e3 away
    rng = np.random.default_rng(3)
    A = rng.normal(size=(4, 4))
    H = A @ A.T / np.linalg.norm(A) ** 2 + 0.1 * np.eye(4)         # 0.1 <= curvature <= 1.1 < L = 2
    X = np.vstack([rng.normal(size=(5, 4)), 1e3 * np.ones(4)])
    Gd, fv = X @ H, 0.5 * np.sum(X * (X @ H), axis=1)
    L = 2.0
    S, kappa = X - Gd / L, np.sum(Gd * Gd, axis=1) / (2 * L) - fv
    for j in range(len(X)):
        lam = simplex_qp(S - X[j], kappa, L)
        assert lam[j] == 1.0
        assert np.abs(L * (X[j] - S.T @ lam) - Gd[j]).max() <= 1e-9 * np.abs(Gd[j]).max()


@pytest.mark.parametrize("seed", range(4))
def test_gram_factor_keeps_small_entries(seed):
    # ||x0||^2 ~ 1e7 next to ||g||^2 ~ 1e-6 (rank deficient, as a witness's Gram matrix is):
    # every entry must come back to its own scale sqrt(G_ii G_jj)
    rng = np.random.default_rng(seed)
    B = rng.normal(size=(3, 5)) * np.array([3e3, 1e-3, 2e-3, 1.0, 1e-2])[None, :]
    G = B.T @ B
    P = gram_factor(G)
    err = np.abs(P.T @ P - G) / np.sqrt(np.outer(np.diag(G), np.diag(G)))
    assert err.max() < 1e-12


def test_gram_factor_drops_noise_vectors():
    # a basis vector at the solver's noise level (negative diagonal) must not distort the others
    G = np.diag([1.0, -2e-10, 1e-10])
    G[0, 1] = G[1, 0] = 1e-9
    P = gram_factor(G, floor=np.array([0.03, 0.03, 0.03]))
    Gp = P.T @ P
    assert Gp[0, 0] == pytest.approx(1.0, abs=1e-8)
    assert np.linalg.eigvalsh(Gp).min() >= -1e-12
