"""rates.py: log-log fits against exact power laws, and the no-floor / floor contrast of docs/theory.md s.2."""

from __future__ import annotations

import numpy as np
import pytest

import sambounds

from sambounds.check.attack import QUICK
from sambounds.check.families import FamilySpec
from sambounds.check.probe import Probe
from sambounds.check.rates import consistent, fit_loglog, rate_of_instance
from sambounds.check.report import Verdict
from sambounds.check.runner import check_bound
from sambounds.errors import InvalidParameterError
from sambounds.theory.catalog import catalog
from sambounds.theory.terms import Kind


def test_fit_recovers_an_exact_power_law():
    x = np.array([10.0, 20, 40, 80, 160])
    b, lo, hi = fit_loglog(x, 3.0 * x ** -1.5)
    assert b == pytest.approx(-1.5, abs=1e-12) and lo == pytest.approx(b, abs=1e-9) and hi == pytest.approx(b, abs=1e-9)


def test_fit_interval_covers_the_true_slope_under_noise():
    rng = np.random.default_rng(0)
    x = np.geomspace(1, 100, 8)
    hits = 0
    for _ in range(200):
        y = x ** 2 * np.exp(rng.normal(0, 0.2, x.size))
        _, lo, hi = fit_loglog(x, y)
        hits += lo <= 2 <= hi
    assert 0.9 <= hits / 200 <= 0.99  # nominal 95%


def test_fit_needs_three_positive_points():
    with pytest.raises(InvalidParameterError):
        fit_loglog([1, 2], [1, 2])
    with pytest.raises(InvalidParameterError):
        fit_loglog([1, 2, 3], [1, 0, 2])


def test_consistency_rules():
    # an upper bound decaying like T^-2: measured decaying like T^-2.1 is fine, like T^-1 is not
    assert consistent(Kind.UPPER, "O", -2.0, -2.2, -2.0)
    assert not consistent(Kind.UPPER, "O", -2.0, -1.2, -0.8)
    # a floor rho^2: a measured floor vanishing like rho^1 contradicts O(rho^2)
    assert consistent(Kind.UPPER, "O", 2.0, 1.9, 2.1) and not consistent(Kind.UPPER, "O", 2.0, 0.9, 1.1)
    # o(1): the slope in T must be significantly negative
    assert consistent(Kind.UPPER, "o", 0.0, -1.0, -0.1) and not consistent(Kind.UPPER, "o", 0.0, -0.1, 0.05)


def test_deterministic_convex_shows_no_rho2_floor_but_nonconvex_does():
    # D-C (convex) with its prescribed step: min_t ||grad f||^2 decays in T, significantly
    no_floor = check_bound(catalog["paper/D-C/no-floor"], quick=True)
    assert no_floor.verdict is Verdict.HOLDS and no_floor.slope.high < 0
    # D-NC: SAM with eta = 1/beta stays at the attracting L-NC point: the average does not decay
    fam = FamilySpec("L-NC", {"beta": [1.0], "rho": [0.1], "c": [0.9]})
    probe = Probe("sam", 0.1, 100, fam, np.array([[[-0.1 + 0.002]]]), np.full((1, 100), 1.0), {"beta": 1.0},
                  schedule_labels=("eta = 1/beta",), start_labels=("near -rho",))
    fit = rate_of_instance(catalog["D-NC/inverse-beta"], probe, (0, 0, 0), QUICK, variable="T")
    assert fit.low > -0.2 and fit.high > -0.05  # flat in T: the rho^2 floor
    assert fit.measured[-1] == pytest.approx(0.81 * 0.01, rel=1e-3)  # c^2 beta^2 rho^2


def test_theorem_a_prescribed_rate_is_minus_two_after_the_log_factor():
    # the 2-cycle instance beta x^2/2 in the class (beta, mu) = (1, 0.1): gap ~ eta_T^2 ~ (ln N_T / T)^2
    bound = catalog["D-SC/theorem-a/prescribed"]
    consts = {"beta": 1.0, "mu": 0.1}
    steps = bound.step.rule.steps(200, sambounds.Constants(beta=1.0, mu=0.1, rho=0.1, Delta=0.5))[None, :]
    probe = Probe("sam", 0.1, 200, FamilySpec("quadratic", {"spectrum": [[1.0]]}), np.array([[[1.0]]]), steps, consts,
                  {"Delta": 0.5}, ("theorem-a",), ("x0 = 1",))
    fit = rate_of_instance(bound, probe, (0, 0, 0), QUICK)
    assert fit.variable == "T" and fit.note.startswith("log factor removed")
    # (2 - eta beta)^2 in the cycle amplitude adds about -0.2 over this pre-asymptotic sweep
    assert fit.slope == pytest.approx(-2.0, abs=0.3) and fit.consistent
    raw = fit_loglog(fit.x, fit.measured)[0]
    assert raw > fit.slope  # the log factor makes the raw decay slower than T^-2


def test_floors_scale_as_rho_squared():
    for name in ("L-NC", "paper/S-SC/floor"):
        r = check_bound(catalog[name], quick=True)
        assert r.slope.variable == "rho" and r.slope.slope == pytest.approx(2.0, abs=0.4), name
