"""Catalog formulas against independent computations: SAM/GD/USAM iterated here, closed forms, rho = 0.

The update rules are written out in this file (not imported from sambounds.sim) so that the
check is independent of the library's simulator.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from sambounds.theory import symbols as S
from sambounds.theory.catalog import catalog
from sambounds.theory.lower_constants import c_pK
from sambounds.theory.schedule_sums import schedule_sums
from sambounds.theory.terms import Kind, Provenance, StepKind

SLACK = 1e-10


def sam_run(H, x0, steps, rho, unnormalized=False):
    """SAM (or USAM) on f(x) = x^T H x / 2; returns iterates x_0..x_T and gradients at x_0..x_{T-1}."""
    xs, gs = [x0], []
    x = x0
    for eta in steps:
        g = H @ x
        n = np.linalg.norm(g)
        y = x + rho * g if unnormalized else (x if n == 0 else x + rho * g / n)
        gs.append(g)
        x = x - eta * (H @ y)
        xs.append(x)
    return np.array(xs), np.array(gs)


def rotated_quadratic(rng, d, mu, beta):
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    lam = np.concatenate([[mu, beta], rng.uniform(mu, beta, d - 2)])
    return Q @ np.diag(lam) @ Q.T, lam


def measured(H, xs, gs, steps):
    f = 0.5 * np.einsum("ti,ij,tj->t", xs, H, xs)
    G2 = np.sum(gs**2, axis=1)
    return {"gap": f[-1], "dist": float(xs[-1] @ xs[-1]), "grad-avg": G2.mean(), "grad-min": G2.min(),
            "grad-wsum": float(np.dot(steps, G2)), "Delta": f[0], "D": float(np.linalg.norm(xs[0]))}


@pytest.mark.parametrize("rho", [0.0, 0.05, 0.3])
@pytest.mark.parametrize("eta_scale", [0.3, 0.5, 1.0])
def test_deterministic_upper_bounds_hold_on_sam_runs_on_quadratics(rho, eta_scale):
    """Every applicable deterministic upper bound holds on SAM (rho = 0: exact GD) on rotated quadratics."""
    rng = np.random.default_rng(int(rho * 100) + int(eta_scale * 10))
    beta, mu, T = 2.0, 0.05, 60
    for trial in range(4):
        H, lam = rotated_quadratic(rng, 5, mu, beta)
        x0 = rng.normal(size=5) * 3
        for steps in (np.full(T, eta_scale / beta), eta_scale / beta * rng.uniform(0.2, 1.0, T)):
            xs, gs = sam_run(H, x0, steps, rho)
            m = measured(H, xs, gs, steps)
            values = {"beta": beta, "mu": mu, "rho": rho, "T": float(T), "Delta": m["Delta"], "D": m["D"],
                      "sum_lambda3": float(np.sum(lam**3)), **schedule_sums(steps, mu)}
            constant = bool(np.all(steps == steps[0]))
            if constant:
                values["eta"] = float(steps[0])
            checked = 0
            for b in catalog.select(algorithm="sam", kind="upper", provenance="derived"):
                if b.step.kind is StepKind.PRESCRIBED or b.quantity.value not in m:
                    continue
                if b.step.kind is StepKind.CONSTANT and not constant:
                    continue
                if b.restriction and "d = 1" in b.restriction:
                    continue
                env = b.resolve(values)
                if not all(np.all(mask) for _, mask in b.check(env)):
                    continue
                bound = float(b.value(env))
                assert m[b.quantity.value] <= bound * (1 + SLACK) + 1e-14, (b.name, m[b.quantity.value], bound)
                checked += 1
            assert checked >= 5


def test_prescribed_bounds_hold_on_sam_runs_with_their_own_step():
    from sambounds import Constants, schedules

    rng = np.random.default_rng(7)
    beta, mu, rho, T = 1.0, 0.02, 0.1, 400
    H, _ = rotated_quadratic(rng, 4, mu, beta)
    x0 = rng.normal(size=4)
    Delta = 0.5 * x0 @ H @ x0
    c = Constants(beta=beta, mu=mu, rho=rho, Delta=Delta)
    for name, rule in [("D-SC/theorem-a/prescribed", schedules.TheoremA()),
                       ("D-SC/decreasing", schedules.DecreasingSC()),
                       ("D-C/minimum/prescribed", schedules.ConvexMinimum()),
                       ("D-C/average/prescribed", schedules.ConvexAverage()),
                       ("D-NC/inverse-beta", schedules.InverseBeta())]:
        steps = rule.steps(T, c)
        xs, gs = sam_run(H, x0, steps, rho)
        m = measured(H, xs, gs, steps)
        b = catalog[name]
        extra = {"a": float(rule.offset(c))} if name == "D-SC/decreasing" else {}
        bound = b.evaluate(beta=beta, mu=mu, rho=rho, T=float(T), Delta=Delta, **extra)
        assert m[b.quantity.value] <= bound * (1 + SLACK), name


@pytest.mark.parametrize("eta_beta", [0.1, 0.5, 1.0, 1.5, 1.9])
def test_two_cycle_matches_iterated_sam_map(eta_beta):
    """On f = beta x^2/2 the SAM iterates reach +-c, c = eta beta rho/(2 - eta beta); gap beta c^2/2."""
    beta, rho = 3.0, 0.2
    eta = eta_beta / beta
    x = 1.234
    for _ in range(5000):
        x = x - eta * beta * (x + rho * np.sign(x))
    gap = beta * x**2 / 2
    c = eta * beta * rho / (2 - eta * beta)
    assert abs(x) == pytest.approx(c, rel=1e-9)
    lit = catalog["SAM/quadratic/two-cycle"].evaluate(beta=beta, eta=eta, rho=rho)
    assert gap == pytest.approx(lit, rel=1e-9)
    if eta_beta <= 1.0:
        assert gap == pytest.approx(catalog["L-SC/limit"].evaluate(beta=beta, eta=eta, rho=rho), rel=1e-9)
        assert gap >= catalog["L-SC/floor"].evaluate(beta=beta, eta=eta, rho=rho) * (1 - 1e-12)


def test_l_nc_attracting_point_forces_the_gradient_floor():
    beta, rho, c = 2.0, 0.1, 0.8

    def fprime(u):
        if u <= -rho:
            return beta * (u + (1 + c) * rho)
        if u <= -(1 - c) * rho / 2:
            return -beta * (u + (1 - c) * rho)
        return beta * u

    eta = 0.7 / beta
    x = -rho + 0.3 * min((1 - c) * rho / 2, c * rho)
    grads = []
    for _ in range(400):
        g = fprime(x)
        grads.append(g * g)
        y = x + rho * np.sign(g)
        x = x - eta * fprime(y)
    assert x == pytest.approx(-rho, abs=1e-12)
    floor = catalog["L-NC"].evaluate(beta=beta, rho=rho, eta=eta, c=c)
    assert grads[-1] == pytest.approx(floor, rel=1e-9)
    assert np.mean(grads[200:]) == pytest.approx(floor, rel=1e-9)


def test_usam_quadratic_closed_form_and_gd_contraction():
    beta, mu, rho, T = 2.0, 0.1, 0.3, 25
    for eta in (0.05, 0.3, 0.9):
        xs, _ = sam_run(np.array([[beta]]), np.array([1.5]), np.full(T, eta), rho, unnormalized=True)
        gap = beta * xs[-1, 0] ** 2 / 2
        Delta = beta * 1.5**2 / 2
        assert gap == pytest.approx(catalog["USAM/quadratic"].evaluate(beta=beta, eta=eta, rho=rho, T=T, Delta=Delta),
                                    rel=1e-10)
        # GD (rho = 0) on mu x^2/2 and beta x^2/2: the worse of the two attains the contraction bound
        worst = max(sam_run(np.array([[lam]]), np.array([1.5]), np.full(T, eta), 0.0)[0][-1, 0] ** 2
                    for lam in (mu, beta))
        bound = catalog["GD/strongly-convex/distance"].evaluate(beta=beta, mu=mu, eta=eta, T=T, D=1.5)
        assert worst == pytest.approx(bound, rel=1e-10)


def test_c_pk_matches_paper_values_and_a_dense_grid():
    # docs/theory.md quotes 3 significant digits (truncated): c(0.1, 40) = 0.234, c(0.25, 16) = 0.0748
    assert 0.234 <= c_pK(0.1, 40) < 0.235
    assert 0.0748 <= c_pK(0.25, 16) < 0.0749
    h = np.linspace(0, 1, 400_001)[1:]
    for p, K in [(0.1, 40), (0.25, 16), (0.3, 5), (0.05, 200)]:
        q = (1 + np.sqrt(h) * (1 + K * np.sqrt((1 - p) / p))) ** 2 / K**2
        grid = np.max(np.minimum(0.5 * np.maximum((1 - 2 * p) - 2 * (1 - p) * q, 0) ** 2,
                                 (1 - p) * K**2 * h**2 / (2 * p)))
        value = c_pK(p, K)
        assert value >= grid * (1 - 1e-9)  # the crossing is the maximum: no grid point beats it
        assert value == pytest.approx(grid, rel=1e-3)  # the grid only approaches the crossing
    out = c_pK(np.array([0.1, 0.25, 0.6]), np.array([40.0, 16.0, 1.0]))
    assert out.shape == (3,) and np.isnan(out[2])
    assert c_pK(0.2, 0.0) == 0.0
    assert np.all(c_pK(0.1, np.array([10.0, 20.0, 40.0, 80.0])) <= 0.5)


# ---- rho = 0: every SAM bound is a GD / SGD statement ------------------------------------------------------
def _sam_family():
    return [b for b in catalog if b.explicit and b.algorithms & {"sam", "n-sam", "m-sam"} and S.rho in b.expr.free_symbols]


def test_every_sam_lower_bound_vanishes_at_rho_zero():
    values = {"beta": 1.0, "mu": 0.1, "rho": 0.0, "eta": 0.5, "T": 100.0, "Delta": 1.0, "sigma": 1.0}
    lowers = [b for b in _sam_family() if b.kind is Kind.LOWER]
    assert {b.name for b in lowers} >= {"L-SC/limit", "L-SC/floor", "L-NC", "L-S", "SAM/quadratic/two-cycle"}
    for b in lowers:
        assert b.evaluate(**values) == 0.0, b.name  # GD converges on these classes: no floor


@pytest.mark.parametrize("bound", [b for b in _sam_family() if b.kind is Kind.UPPER], ids=lambda b: b.name)
def test_every_sam_upper_bound_at_rho_zero_drops_its_rho_terms(bound):
    """At rho = 0 each bound is its GD/SGD part: finite, and no larger than at any rho > 0."""
    vals = {"beta": 1.0, "mu": 0.1, "eta": 0.4, "T": 100.0, "Delta": 1.0, "D": 1.0, "sigma": 0.5,
            "sum_lambda3": 1.2, **schedule_sums(np.full(100, 0.4), 0.1)}
    at0 = bound.evaluate(**vals, rho=0.0)
    assert np.isfinite(at0)
    assert at0 <= bound.evaluate(**vals, rho=1e-3) * (1 + 1e-12)
    # continuity at 0: the Piecewise limits (rho^2 ln^2 N -> 0) agree with small rho
    assert bound.evaluate(**vals, rho=1e-150) == pytest.approx(at0, rel=1e-9, abs=1e-300)


def test_rho_zero_reduces_to_the_literature_gd_and_sgd_forms():
    beta, mu, eta, T, Delta, D, sigma = sp.symbols("beta mu eta T Delta D sigma", positive=True)
    sub = {S.beta: beta, S.mu: mu, S.eta: eta, S.T: T, S.Delta: Delta, S.D: D, S.sigma: sigma, S.rho: 0}
    forms = {
        "D-NC/inverse-beta": 2 * beta * Delta / T,  # GD descent lemma with eta = 1/beta
        "D-NC/constant": 2 * Delta / (eta * T),
        "D-C/distance/constant": D**2,  # GD is non-expansive for eta <= 2/beta
        "D-SC/theorem-a/constant": (1 - mu * eta) ** T * Delta,  # GD under PL (Karimi et al., 2016)
        "D-SC/weak/constant": (1 - mu * eta) ** T * Delta,
        "S-SC/constant/n-sam": (1 - mu * eta) ** T * Delta + beta * eta * sigma**2 / (2 * mu),  # SGD under PL
        "S-SC/constant/m-sam": (1 - mu * eta) ** T * Delta + beta * eta * sigma**2 / (2 * mu),
        "S-NC/constant/n-sam": 2 * Delta / (eta * T) + beta * eta * sigma**2,  # SGD, smooth nonconvex
        "S-NC/constant/m-sam": 2 * Delta / (eta * T) + beta * eta * sigma**2,
    }
    s = sp.Symbol("s", positive=True)  # s = 1 - mu eta > 0, so sympy can drop Max(0, ...) with a decay term
    for name, form in forms.items():
        expr = catalog[name].expr.subs(sub)
        assert sp.simplify((expr - form).subs(mu, (1 - s) / eta)) == 0, name
    # numerically: the rho = 0 bounds sit above the tight GD worst cases of the literature
    b, m, e, n, R = 1.0, 0.1, 0.5, 40, 1.0
    gd_sc_gap_worst = (1 - e * m) ** (2 * n)  # ratio attained on f = mu x^2/2 (step <= 1/beta)
    assert catalog["D-SC/theorem-a/constant"].evaluate(beta=b, mu=m, rho=0.0, eta=e, T=n, Delta=1.0) >= gd_sc_gap_worst
    gd_dist = catalog["GD/strongly-convex/distance"].evaluate(beta=b, mu=1e-300, eta=e, T=n, D=R)
    assert catalog["D-C/distance/constant"].evaluate(beta=b, rho=0.0, eta=e, T=n, D=R) == pytest.approx(gd_dist)


def test_derived_entries_name_a_proof_and_literature_entries_cite():
    for b in catalog:
        if b.provenance is Provenance.DERIVED:
            assert b.proof and "docs/theory.md" in b.citation
        else:
            assert b.proof is None and b.citation
