"""Pin catalog constants against an independent computation, so a changed constant is caught.

D-SC/decreasing (docs/theory.md section 4): with eta_t = 2/(mu (t + a)), the proof's one-step
inequality (Theorem A) is e_{t+1} <= max{(1 - mu eta_t) e_t, (kappa + 1) beta^3 rho^2 eta_t^2 / 2}.
Iterating that recursion with equality is the worst sequence the proof allows.  With a tiny
Delta the rho^2 term dominates from the first step and the iterate is C/(T + a - 1)^2 with
C = 2 (kappa + 1) beta^3 rho^2 / mu^2, while the catalog states C/((T + a - 1)(T + a - 2)): the
ratio catalog/recursion is (T + a - 1)/(T + a - 2), so a doubled (or halved) rho^2 constant is
off by a factor 2 and cannot pass.  The recursion is evaluated here in exact rationals, without the
catalog's expression.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from sambounds.theory.catalog import catalog


def _worst_recursion(beta: Fraction, mu: Fraction, rho: Fraction, a: int, Delta: Fraction, T: int) -> Fraction:
    kappa = beta / mu
    e = Delta
    for t in range(T):
        eta = Fraction(2) / (mu * (t + a))
        e = max((1 - mu * eta) * e, (kappa + 1) * beta**3 * rho**2 * eta**2 / 2)
    return e


@pytest.mark.parametrize("beta, mu, rho, T", [
    (Fraction(1), Fraction(1, 10), Fraction(1, 20), 50),
    (Fraction(2), Fraction(1, 2), Fraction(1, 10), 200),
    (Fraction(1), Fraction(1, 100), Fraction(1, 100), 30),
])
def test_d_sc_decreasing_rho_constant_is_what_the_recursion_attains(beta, mu, rho, T):
    a = max(3, -(-4 * beta // mu))           # the catalog's default a = max{3, ceil(4 kappa)}
    Delta = Fraction(1, 10**30)              # the rho^2 term dominates from t = 0
    worst = _worst_recursion(beta, mu, rho, int(a), Delta, T)
    bound = catalog["D-SC/decreasing"].evaluate(beta=float(beta), mu=float(mu), rho=float(rho), T=T,
                                                Delta=float(Delta))
    ratio = bound / float(worst)
    n = T + int(a)
    assert ratio >= 1 - 1e-12                          # the bound is sound for the proof's worst case
    assert ratio == pytest.approx((n - 1) / (n - 2), rel=1e-9)   # and tight: a doubled constant gives ~2


def test_d_sc_decreasing_delta_term_is_what_the_recursion_attains():
    beta, mu, rho, T = Fraction(1), Fraction(1, 4), Fraction(0), 40
    a = 16
    worst = _worst_recursion(beta, mu, rho, a, Fraction(1), T)
    bound = catalog["D-SC/decreasing"].evaluate(beta=1.0, mu=0.25, rho=0.0, T=T, Delta=1.0)
    # with rho = 0 the recursion is the product of (t + a - 2)/(t + a): exactly the catalog's Delta term
    assert bound == pytest.approx(float(worst), rel=1e-12)
