"""Every proof file in proofs/ checks; its statements are docs/theory.md's expressions; the loader."""

import numpy as np
import pytest
import sympy as sp

from sambounds.errors import InvalidParameterError, ProofError
from sambounds.proof import check, check_all, list_proofs, load_proof, proofs_dir
from sambounds.proof.symbols import Delta, T, beta, eta, f_, fstar, kappa, mu, rho

#: The agreed ids (theory catalog <-> proofs/), one per derived result of docs/theory.md sections 4-5
#: and docs/theory-open-rows.md.
IDS = {"d_nc_lemma_n", "d_c_lemma_c", "d_c_rates", "d_sc_weak", "d_sc_theorem_a", "d_sc_prescribed",
       "d_sc_decreasing", "d_sc_one_dim", "d_sc_quadratic", "s_sc", "s_nc", "l_sc_cycle", "l_nc_fixed_point",
       "l_s_floor", "l_sc_horizon", "d_c_fvalue", "d_nc_lipschitz"}


@pytest.fixture(scope="module")
def reports():
    # the sympy judge alone: both judges over every file is tests/test_z3_judge.py (slow) and a subset there
    return {r.id: r for r in check_all(judge=None)}


def test_one_file_per_id():
    assert set(list_proofs()) == IDS


@pytest.mark.parametrize("name", sorted(IDS))
def test_every_proof_checks(reports, name):
    report = reports[name]
    assert report.verified, report.summary()
    assert report.n_steps > 0 and all(t.verified for t in report.theorems)


def _same(a, b):
    return sp.simplify(a - b) == 0


def test_statements_are_the_paper_expressions():
    """The final claims, compared with docs/theory.md's formulas retyped here."""
    a = sp.Symbol("a", positive=True)
    claim = load_proof("d_sc_decreasing").statements["decreasing"]
    paper = sp.Max((a - 1) * (a - 2) * Delta, 2 * (kappa + 1) * beta**3 * rho**2 / mu**2) / ((T + a - 1) * (T + a - 2))
    assert claim.lhs == f_[T] - fstar and claim.rel == "<=" and _same(claim.rhs, paper)

    claim = load_proof("d_sc_theorem_a").statements["B_bound"]
    assert _same(claim.rhs, (kappa + 1) * beta**3 * rho**2 * eta**2 / 2)

    N = sp.Symbol("N_T", positive=True)
    claim = load_proof("d_sc_prescribed").statements["prescribed"]
    paper = sp.Max(sp.exp(-mu * T / (2 * beta)) * Delta, beta**4 * rho**2 / (mu**3 * T**2),
                   (kappa + 1) * beta**3 * rho**2 * sp.log(N)**2 / (2 * mu**2 * T**2))
    assert _same(claim.rhs, paper)

    G_ = sp.IndexedBase("G", nonnegative=True)
    t = sp.Symbol("t", integer=True, nonnegative=True)
    claim = load_proof("d_nc_lemma_n").statements["average_eta_inv_beta"]
    assert _same(claim.lhs, sp.Sum(G_[t]**2, (t, 0, T - 1)) / T)
    assert _same(claim.rhs, 2 * beta * Delta / T + beta**2 * rho**2)


def test_lemma_n_against_simulation():
    """Independent check of Lemma N: one SAM step on random quadratics with eigenvalues in [-beta, beta]."""
    rng = np.random.default_rng(0)
    b, r = 2.0, 0.3
    for _ in range(200):
        d = 5
        Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
        H = Q @ np.diag(rng.uniform(-b, b, size=d)) @ Q.T
        x = rng.normal(size=d)
        h = rng.uniform(0.01, 1 / b)
        g = H @ x
        y = x + r * g / np.linalg.norm(g)
        x_next = x - h * (H @ y)
        f = lambda z: 0.5 * z @ H @ z  # noqa: E731
        assert f(x_next) <= f(x) - h / 2 * g @ g + h * b**2 * r**2 / 2 + 1e-12


def test_two_cycle_against_simulation():
    """Independent check of L-SC: SAM on beta x^2/2 settles on +-c, c = eta beta rho/(2 - eta beta)."""
    b, r, h = 1.5, 0.2, 0.4
    x = 3.0
    for _ in range(400):
        x = x - h * b * (x + r * np.sign(b * x))
    c = h * b * r / (2 - h * b)
    assert abs(abs(x) - c) < 1e-10


def test_check_by_name_and_directory(tmp_path):
    assert check("d_sc_weak").verified
    assert check("d_sc_weak", directory=proofs_dir(), judge=None).verified


def test_loader_errors(tmp_path):
    with pytest.raises(InvalidParameterError, match="name"):
        load_proof("no_such_proof")
    with pytest.raises(InvalidParameterError, match="directory"):
        list_proofs(tmp_path / "missing")
    (tmp_path / "empty_file.py").write_text("X = 1\n")
    with pytest.raises(ProofError, match="PROOF"):
        load_proof("empty_file", tmp_path)
