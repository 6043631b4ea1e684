"""GD's PEP at scale: sparse rows, the iterate basis, the banded solve and its completion,
against closed forms (Drori & Teboulle 2014; Taylor, Hendrickx & Glineur 2017) up to N = 100."""

from __future__ import annotations

import numpy as np
import pytest

import sambounds
from sambounds import Setting
from sambounds.pep.banded import complete_band, solve_banded
from sambounds.pep.interpolation import SmoothClass, pair_rows, pair_rows_sparse
from sambounds.pep.methods import Method
from sambounds.pep.problem import build_program, make_spec
from sambounds.pep.solvers import solve
from sambounds.setting import FunctionClass

MU = 0.1


def sc(N, h, measure="dist"):
    return Setting.create("gd", "strongly-convex", T=N, beta=1.0, mu=MU, eta=h, D=1.0), measure


def convex(N):
    return Setting.create("gd", "convex", T=N, beta=1.0, eta=1.0, D=1.0), "f"


def rate(N, h):
    return max(abs(1 - h * MU), abs(1 - h)) ** (2 * N)


@pytest.mark.parametrize("sigma", [0.0, 0.3, -1.0])
def test_sparse_rows_equal_dense_rows(sigma):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(6, 5)) * (rng.random((6, 5)) < 0.5)
    Gr = rng.normal(size=(6, 5)) * (rng.random((6, 5)) < 0.5)
    pairs = np.array([(i, j) for i in range(6) for j in range(6) if i != j])
    cls = SmoothClass(1.0, sigma, FunctionClass.CONVEX)
    dense = pair_rows(cls, X, Gr, pairs).reshape(len(pairs), -1)
    assert np.max(np.abs(pair_rows_sparse(cls, X, Gr, pairs).toarray() - dense)) < 1e-14


@pytest.mark.parametrize("rank,bw", [(1, 1), (2, 2), (3, 4)])
def test_band_completion_recovers_a_low_rank_gram(rank, bw):
    # a generic rank-r Gram matrix is determined by its band of width >= r
    P = np.random.default_rng(rank).normal(size=(rank, 12))
    G = P.T @ P
    idx = np.arange(12)
    banded = np.where(np.abs(idx[:, None] - idx[None, :]) <= bw, G, 7.0)   # junk off the band
    assert np.max(np.abs(complete_band(banded, bw) - G)) < 1e-9 * np.max(np.abs(G))


def test_iterate_basis_is_the_same_program():
    s, m = sc(6, 1.5)
    spec = make_spec(s, m)
    a = solve(build_program(spec, Method("gd"), basis="gradients")).value
    b = solve(build_program(spec, Method("gd"), basis="iterates")).value
    assert b == pytest.approx(a, rel=1e-7) and a == pytest.approx(rate(6, 1.5), rel=1e-6)


def test_iterate_basis_rows_are_sparse_at_n_100():
    s, m = convex(100)
    program = build_program(make_spec(s, m), Method("gd"), basis="iterates")
    assert program.ineq.sparse and program.ineq.m == 102 * 101 + 1
    # O(1) nonzeros per row (x_i, g_i have <= 2 coordinates), not O(k^2) = 10^4
    assert program.ineq.A.nnz < 40 * program.ineq.m


def test_banded_solve_is_checked_against_every_pair():
    s, m = convex(20)
    program = build_program(make_spec(s, m), Method("gd"), basis="iterates")
    sol = solve_banded(program)
    assert sol is not None and sol.status == "optimal"
    assert sol.value == pytest.approx(1 / 82, rel=1e-6)
    # the multipliers live on the band only, and the completed Gram matrix meets all rows
    assert np.count_nonzero(sol.y_ineq) < program.ineq.m / 4 and sol.primal_residual < 1e-7


def test_unaccepted_band_returns_none_or_an_unverified_bound():
    s, m = sc(12, 2 / (1 + MU))
    program = build_program(make_spec(s, m), Method("gd"), basis="iterates")
    assert solve_banded(program, widths=(1,)) is None
    bound = solve_banded(program, widths=(1,), unverified=True)
    assert bound.primal_residual > 1e-7 and any("attainment not shown" in w for w in bound.warnings)
    assert bound.value >= rate(12, 2 / (1 + MU)) * (1 - 1e-6)      # still an upper bound


@pytest.mark.parametrize("N", [50, 100])
def test_gd_convex_long_horizon(N):
    s, m = convex(N)
    r = sambounds.worst_case(s, m, witness=False)
    assert r.solver["status"] == "optimal" and r.kind == "exact"
    assert r.value == pytest.approx(1 / (4 * N + 2), rel=1e-6)


@pytest.mark.parametrize("N", [50, 100])
def test_gd_strongly_convex_h1_long_horizon(N):
    s, m = sc(N, 1.0)
    r = sambounds.worst_case(s, m, witness=False)
    assert r.solver["status"] == "optimal" and r.kind == "exact"
    assert r.value == pytest.approx(rate(N, 1.0), rel=1e-6)


def test_gd_strongly_convex_optimal_step_n30():
    # the case of the issue: optimal_inaccurate and 1.5e-3 off before
    s, m = sc(30, 2 / (1 + MU))
    r = sambounds.worst_case(s, m)
    assert r.solver["status"] == "optimal" and r.kind == "exact"
    assert r.value == pytest.approx(rate(30, 2 / (1 + MU)), rel=1e-6)
    assert r.lower is not None and r.lower <= r.value


@pytest.mark.slow
def test_gd_strongly_convex_optimal_step_n50():
    s, m = sc(50, 2 / (1 + MU))
    r = sambounds.worst_case(s, m, witness=False)
    assert r.solver["status"] == "optimal" and r.kind == "exact"
    assert r.value == pytest.approx(rate(50, 2 / (1 + MU)), rel=1e-6)


@pytest.mark.slow
def test_scs_witness_at_the_optimal_step():
    s, m = sc(30, 2 / (1 + MU))
    r = sambounds.worst_case(s, m, solver="scs")
    assert r.solver["status"] == "optimal" and r.witness_error is None
    assert r.value == pytest.approx(rate(30, 2 / (1 + MU)), rel=1e-6)
    assert r.lower <= r.value
