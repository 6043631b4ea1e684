"""Every derived catalog bound is the statement its proof file proves (or a stated corollary of it).

The catalog's formulas (sambounds/theory/catalog) and the proofs (proofs/<id>.py, checked by
sambounds.proof) were written separately; this test ties them together, so a typo in either one
fails here.  Equality is checked numerically at random admissible points (relative 1e-10), with
schedule sums standing for the proofs' Sum(eta[t]) terms.  A corollary (a constant step, a minimum
below a weighted mean, an unrolled one-step recursion) is derived in the test from the proved
statement, never copied from the catalog.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from sambounds.proof import load_proof
from sambounds.schedules import sigma_star_sq
from sambounds.theory.catalog import catalog
from sambounds.theory.schedule_sums import schedule_sums

RNG = np.random.default_rng(20231127)

SUMS = {"Sum(eta[t], (t, 0, T - 1))": "sum_eta", "Sum(eta[t]**2, (t, 0, T - 1))": "sum_eta2",
        "Sum(lambda[i]**3, (i, 1, n))": "sum_lambda3"}


def rhs(proof: str, key: str) -> sp.Expr:
    """The proved right-hand side, with the proof's sums renamed to the catalog's schedule symbols."""
    expr = load_proof(proof).statements[key].rhs
    swap = {s: sp.Symbol(SUMS[str(s)]) for s in expr.atoms(sp.Sum) if str(s) in SUMS}
    return plain(expr.xreplace(swap))


def plain(expr: sp.Expr) -> sp.Expr:
    """The same expression in assumption-free symbols (the proofs' symbols carry assumptions)."""
    return expr.xreplace({s: sp.Symbol(s.name) for s in expr.free_symbols})


def value(expr: sp.Expr, env: dict[str, float]) -> float:
    names = sorted({s.name for s in expr.free_symbols})
    fn = sp.lambdify([sp.Symbol(n) for n in names], plain(expr), modules="numpy")
    return float(fn(*(env[n] for n in names)))


def sample(eta_cap: float = 1.0) -> dict[str, float]:
    beta = float(RNG.uniform(0.5, 3.0))
    mu = beta * float(RNG.uniform(0.01, 0.9))
    T = int(RNG.integers(5, 400))
    eta = float(RNG.uniform(0.05, eta_cap)) / beta
    env = dict(beta=beta, mu=mu, rho=float(RNG.uniform(0.01, 0.5)), T=T, eta=eta, eta_max=eta, Delta=float(RNG.uniform(0.1, 5)),
               D=float(RNG.uniform(0.1, 3)), sigma=float(RNG.uniform(0.05, 2)), sum_eta=T * eta * 0.7,
               sum_eta2=T * eta**2 * 0.5, sum_lambda3=float(RNG.uniform(0.1, 10)), c=0.99, L=float(RNG.uniform(0.05, 2)),
               a=max(3, math.ceil(4 * beta / mu)) + int(RNG.integers(0, 5)))
    return env


def with_N(env: dict[str, float], variant: str | None) -> dict[str, float]:
    b, m, r, D, T = env["beta"], env["mu"], env["rho"], env["Delta"], env["T"]
    env = dict(env, N_T=max(2.0, m**3 * D * T**2 / (b**4 * r**2)))
    if variant:
        s2 = sigma_star_sq(variant, b, r, env["sigma"])
        env["N"] = max(2.0, m**2 * D * T / (b * s2))
    return env


def const(expr: sp.Expr) -> sp.Expr:
    """A schedule-generic expression at a constant step: sum_eta = T eta, sum_eta2 = T eta^2."""
    T, eta = sp.Symbol("T"), sp.Symbol("eta")
    return expr.subs({sp.Symbol("sum_eta"): T * eta, sp.Symbol("sum_eta2"): T * eta**2})


T_, eta_, beta_, rho_, Delta_ = sp.symbols("T eta beta rho Delta")
ETA_MIN = sp.Min(1 / (2 * beta_), (4 * Delta_ / (3 * beta_**4 * rho_**2 * T_)) ** sp.Rational(1, 3))

def horizon_lb() -> sp.Expr:
    """l_sc_horizon's LB with M = z_0/((kappa + 1) rho) written out from the far start of L-SC (R = rho):
    f(x_0) - f* = (mu/2)(x_0 + (kappa - 1) rho)^2 - (beta/2)(kappa - 1) rho^2 = Delta, z_0 = x_0 + kappa rho."""
    mu, Delta = sp.symbols("mu Delta")
    kappa = beta_ / mu
    x0 = sp.sqrt(2 * Delta / mu + kappa * (kappa - 1) * rho_**2) - (kappa - 1) * rho_
    M = (x0 + kappa * rho_) / ((kappa + 1) * rho_)
    return rhs("l_sc_horizon", "regime_fast").subs(sp.Symbol("M"), M)


# catalog name -> (expected expression built from the proof, eta cap in units of 1/beta, sigma_* variant)
LINKS = {
    "D-NC/schedule": (lambda: rhs("d_nc_lemma_n", "schedule_generic"), 1.0, None),
    "D-NC/schedule-min": (lambda: rhs("d_nc_lemma_n", "schedule_generic") / sp.Symbol("sum_eta"), 1.0, None),
    "D-NC/constant": (lambda: const(rhs("d_nc_lemma_n", "schedule_generic")) / (T_ * eta_), 1.0, None),
    "D-NC/inverse-beta": (lambda: rhs("d_nc_lemma_n", "average_eta_inv_beta"), 1.0, None),
    "D-C/schedule": (lambda: rhs("d_c_lemma_c", "schedule_generic"), 1.0, None),
    "D-C/schedule-min": (lambda: rhs("d_c_lemma_c", "schedule_generic") / sp.Symbol("sum_eta"), 1.0, None),
    "D-C/distance/constant": (lambda: sp.Symbol("D") ** 2 + T_ * (rhs("d_c_lemma_c", "distance") - sp.Symbol("r2")),
                              1.0, None),
    "D-NC/lipschitz/constant": (lambda: rhs("d_nc_lipschitz", "average"), 1.0, None),
    "D-C/fvalue/average": (lambda: rhs("d_c_fvalue", "average"), 1.0, None),
    "D-C/minimum/constant": (lambda: rhs("d_c_rates", "minimum"), 0.5, None),
    "D-C/minimum/prescribed": (lambda: rhs("d_c_rates", "minimum").subs(eta_, ETA_MIN), 1.0, None),
    "D-C/average/constant": (lambda: const(rhs("d_c_lemma_c", "schedule_generic")) / (T_ * eta_), 1.0, None),
    "D-C/average/prescribed": (lambda: rhs("d_c_rates", "average"), 1.0, None),
    "D-SC/theorem-a/constant": (lambda: rhs("d_sc_theorem_a", "constant_eta"), 0.5, None),
    "D-SC/theorem-a/constant-kappa": (
        lambda: sp.Max(sp.Symbol("Delta") * (1 - sp.Symbol("mu") * eta_) ** T_, rhs("d_sc_theorem_a", "B_bound")),
        0.5, None),
    "D-SC/theorem-a/prescribed": (lambda: rhs("d_sc_prescribed", "prescribed"), 1.0, None),
    "D-SC/decreasing": (lambda: rhs("d_sc_decreasing", "decreasing"), 1.0, None),
    "D-SC/one-dim": (lambda: rhs("d_sc_one_dim", "function_value"), 1.0, None),
    "D-SC/quadratic": (lambda: rhs("d_sc_quadratic", "quadratic"), 1.0, None),
    "L-SC/limit": (lambda: rhs("l_sc_cycle", "limit_gap"), 1.0, None),
    "L-SC/floor": (lambda: plain(load_proof("l_sc_cycle").statements["limit_gap_lower"].rhs), 1.0, None),
    "L-SC/horizon": (lambda: horizon_lb(), 1.0, None),
}
for v in ("n-sam", "m-sam"):
    tag = "nsam" if v == "n-sam" else "msam"
    LINKS[f"S-SC/constant/{v}"] = (lambda tag=tag: rhs("s_sc", f"constant_eta_{tag}"), 1.0, v)
    LINKS[f"S-SC/prescribed/{v}"] = (lambda tag=tag: rhs("s_sc", f"prescribed_{tag}"), 1.0, v)
    LINKS[f"S-NC/schedule/{v}"] = (lambda tag=tag: rhs("s_nc", f"schedule_generic_{tag}"), 1.0, v)
    LINKS[f"S-NC/constant/{v}"] = (lambda tag=tag: const(rhs("s_nc", f"schedule_generic_{tag}")) / (T_ * eta_), 1.0, v)
    LINKS[f"S-NC/prescribed/{v}"] = (lambda tag=tag: rhs("s_nc", f"prescribed_{tag}"), 1.0, v)

# Derived entries linked differently (below) or whose statement is checked numerically, not symbolically.
OTHER = {
    "D-SC/weak/schedule": "unrolled one-step recursion: test_weak_order_is_the_unrolled_one_step_statement",
    "D-SC/weak/constant": "unrolled one-step recursion: test_weak_order_is_the_unrolled_one_step_statement",
    "D-C/distance/schedule": "looser than the telescoped one-step statement: test_distance_schedule_dominates",
    "L-NC": "the limit c^2 beta^2 rho^2 is a continuity argument (l_nc_fixed_point says so); fixed point proved",
    "L-S": "c(p, K) is a numerical maximum over h; its ingredients are proved in l_s_floor",
}


def test_every_derived_entry_is_linked():
    derived = {b.name for b in catalog if b.provenance.value == "derived"}
    assert derived == set(LINKS) | set(OTHER)
    for name in derived:
        assert catalog[name].proof is not None


@pytest.mark.parametrize("name", sorted(LINKS))
def test_catalog_formula_is_the_proved_statement(name):
    build, eta_cap, variant = LINKS[name]
    expected = build()
    b = catalog[name]
    for _ in range(5):
        env = with_N(sample(eta_cap), variant)
        names = set(b.inputs) | {sym.name for sym, _ in b.parameters}
        got = b.evaluate(**{k: env[k] for k in names if k in env}, check=False)
        want = value(expected, env)
        assert got == pytest.approx(want, rel=1e-10), (name, env)


def test_weak_order_is_the_unrolled_one_step_statement():
    step = load_proof("d_sc_weak").statements["one_step"]
    f, fstar = sp.Symbol("f"), sp.Symbol("fstar")
    next_gap = sp.lambdify([sp.Symbol(n) for n in ("beta", "eta", "rho", "mu")] + [f],
                           plain(step.rhs).subs(fstar, 0))
    for _ in range(5):
        env = sample()
        steps = RNG.uniform(0.1, 1.0, size=env["T"]) / env["beta"]
        e = env["Delta"]
        for eta in steps:
            e = next_gap(env["beta"], eta, env["rho"], env["mu"], e)
        sums = schedule_sums(steps, env["mu"])
        got = catalog["D-SC/weak/schedule"].evaluate(beta=env["beta"], rho=env["rho"], Delta=env["Delta"],
                                                     eta_max=sums["eta_max"], prod_mu=sums["prod_mu"],
                                                     wsum_mu=sums["wsum_mu"])
        assert got == pytest.approx(e, rel=1e-10)
        e = env["Delta"]
        for _ in range(env["T"]):
            e = next_gap(env["beta"], env["eta"], env["rho"], env["mu"], e)
        got = catalog["D-SC/weak/constant"].evaluate(**{k: env[k] for k in ("beta", "mu", "rho", "eta", "T", "Delta")})
        assert got == pytest.approx(e, rel=1e-10)


def test_distance_schedule_dominates_the_telescoped_statement():
    step = load_proof("d_c_lemma_c").statements["distance"]
    inc = sp.lambdify(sp.symbols("beta eta rho"), plain(step.rhs) - sp.Symbol("r2"))
    for _ in range(5):
        env = sample()
        steps = RNG.uniform(0.05, 1.0, size=env["T"]) / env["beta"]
        proved = env["D"] ** 2 + sum(inc(env["beta"], eta, env["rho"]) for eta in steps)
        catalog_value = catalog["D-C/distance/schedule"].evaluate(beta=env["beta"], rho=env["rho"], D=env["D"],
                                                                  eta_max=float(steps.max()), sum_eta=float(steps.sum()))
        assert catalog_value >= proved * (1 - 1e-12)
