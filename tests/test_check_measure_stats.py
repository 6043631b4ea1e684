"""measure.py (quantity -> measured array) and stats.py (one-sided t bounds) against closed forms."""

from __future__ import annotations

import numpy as np
import pytest

import sambounds
from sambounds.check.measure import measured, ratio, tolerance
from sambounds.check.stats import mean_bounds, t_quantile
from sambounds.errors import InvalidParameterError
from sambounds.functions import Quadratic
from sambounds.theory.terms import Quantity


def test_measured_quantities_match_gd_closed_form_on_a_1d_quadratic():
    # GD on f = lam x^2/2: x_t = q^t x0, q = 1 - eta lam (an independent closed form)
    lam, eta, T, x0 = 0.7, 0.9, 25, 1.3
    setting = sambounds.Setting.create("gd", "strongly-convex", beta=lam, mu=lam, T=T, eta=eta)
    res = sambounds.simulate(setting, Quadratic.diagonal([[lam]]), np.array([x0]))
    q = 1 - eta * lam
    xs = x0 * q ** np.arange(T + 1)
    g2 = (lam * xs) ** 2
    expect = {
        Quantity.GAP: lam * xs[T] ** 2 / 2, Quantity.E_GAP: lam * xs[T] ** 2 / 2,
        Quantity.DIST: xs[T] ** 2, Quantity.GRAD_AVG: g2[:T].mean(), Quantity.GRAD_MIN: g2[:T].min(),
        Quantity.GRAD_WSUM: eta * g2[:T].sum(), Quantity.LIM_GRAD_AVG: g2[T],
    }
    for q_, value in expect.items():
        assert measured(q_, res, f_star=[0.0])[0, 0, 0] == pytest.approx(value, rel=1e-12), q_


def test_ratio_and_tolerance_conventions():
    r = ratio([0.0, 1.0, np.inf, 2.0], [0.0, 0.0, 1.0, 4.0])
    assert r.tolist() == [0.0, np.inf, np.inf, 0.5]
    assert tolerance(1.0, 0.0) == pytest.approx(1e-12 + 1e-9)


def test_measured_rejects_what_it_cannot_measure():
    with pytest.raises(InvalidParameterError):
        measured("gap", object())
    with pytest.raises(InvalidParameterError):
        measured("not-a-quantity", object())


@pytest.mark.parametrize("nu", [10, 31, 127])
@pytest.mark.parametrize("p", [0.9, 0.99, 0.999])
def test_t_quantile_matches_scipy(p, nu):
    scipy_stats = pytest.importorskip("scipy.stats")
    # the Cornish-Fisher expansion is asymptotic in 1/nu (the checkers use nu >= 31)
    rel = 1e-2 if nu < 30 else 2e-4
    assert t_quantile(p, nu) == pytest.approx(float(scipy_stats.t.ppf(p, nu)), rel=rel)


def test_one_sided_bounds_have_their_coverage():
    # 4000 experiments of 40 normal samples: the lower bound exceeds the true mean ~alpha of the time
    rng = np.random.default_rng(1)
    x = rng.normal(2.0, 3.0, size=(4000, 40))
    b = mean_bounds(x, axis=1, alpha=0.05)
    miss_low = float(np.mean(b.lower > 2.0))
    miss_high = float(np.mean(b.upper < 2.0))
    assert 0.035 < miss_low < 0.065 and 0.035 < miss_high < 0.065
    assert np.all(b.lower <= b.mean) and np.all(b.mean <= b.upper)


def test_mean_bounds_propagate_divergence_and_reject_one_replica():
    b = mean_bounds(np.array([[1.0, np.inf, 2.0]]), axis=1, alpha=0.01)
    assert np.isinf(b.lower[0]) and np.isinf(b.mean[0])
    with pytest.raises(InvalidParameterError):
        mean_bounds(np.ones((3, 1)), axis=1, alpha=0.01)
