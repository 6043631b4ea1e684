"""Divergence handling and bad input: clear errors, flags instead of NaN."""

from __future__ import annotations

import numpy as np
import pytest

from sambounds import InvalidParameterError, Setting, simulate
from sambounds.functions import LS, LSC, FromCallables, Huber, LogisticRegression, Quadratic, XYProduct
from sambounds.schedules import Constant, Cosine


def _all_fields(res):
    out = [res.weighted_grad_sq_sum, res.value_initial, res.value_final, res.x_final]
    for m in (res.gap, res.grad_sq, res.dist_sq):
        if m is not None:
            out += [m.initial, m.final, m.min, m.mean]
    return out


@pytest.mark.parametrize("algorithm", ["sam", "usam", "gd"])
def test_step_above_two_over_beta_is_flagged_not_nan(algorithm):
    q = Quadratic.rotated([[0.5, 1.0, 2.0]], seed=0)
    T = 3000
    s = Setting.create(algorithm, "strongly-convex", beta=2.0, mu=0.5, rho=None if algorithm == "gd" else 0.05,
                       T=T, eta=0.1)
    steps = np.array([np.full(T, 0.5), np.full(T, 1.2)])             # 0.5 < 2/beta < 1.2
    res = simulate(s, q, np.ones((2, 3)), schedules=steps, record_trajectory=True)
    assert not res.diverged[:, :, 0].any() and res.diverged[:, :, 1].all()
    assert np.all(res.diverged_at[:, :, 1] > 0) and np.all(res.diverged_at[:, :, 0] == -1)
    for field in _all_fields(res):
        assert not np.isnan(field).any()
    assert np.all(np.isfinite(res.x_final)) and np.all(np.isfinite(res.trajectory))
    assert np.all(res.gap.final[:, :, 1] == np.inf) and np.all(res.gap.mean[:, :, 1] == np.inf)
    assert np.all(np.isfinite(res.gap.min[:, :, 1]))                 # minimum over the finite prefix
    # the frozen iterate is the last one that passed the check
    t0 = res.diverged_at[0, 0, 1]
    assert np.array_equal(res.trajectory[t0 - 1, 0, 0, 1], res.x_final[0, 0, 1])
    assert np.sum(res.trajectory[t0 - 1, 0, 0, 1] ** 2) <= 1e200
    summary = res.summary()
    assert summary["diverged"] == 2
    assert summary["first_divergence_step"] == int(res.diverged_at[:, :, 1].min())


def test_overflow_of_values_is_flagged_with_its_step():
    f = XYProduct(2.0)
    s = Setting.create("sam", "nonconvex", beta=26.0, rho=0.1, T=200, eta=0.5)
    res = simulate(s, f, np.array([[3.0, -3.0], [1.0, 1.0]]), divergence_threshold=1e300)
    assert res.diverged[0, 0, 0] and not res.diverged[0, 1, 0]
    assert 0 < res.diverged_at[0, 0, 0] < 200
    for field in _all_fields(res):
        assert not np.isnan(field).any()


def test_threshold_flags_runs_leaving_the_ball():
    s = Setting.create("gd", "convex", beta=1.0, T=50, eta=1.0)
    h = Huber(np.zeros((1, 1)), delta=1.0)   # GD on Huber from far: |x| decreases by 1 per step
    res = simulate(s, h, np.array([[5.0], [40.0]]), divergence_threshold=30.0)
    assert res.diverged_at[0, 1, 0] == 0 and res.diverged_at[0, 0, 0] == -1
    assert res.grad_sq.min[0, 1, 0] == np.inf


def test_bad_inputs_raise_clear_errors():
    q = Quadratic.diagonal([[1.0, 2.0], [0.5, 1.0]])
    s = Setting.create("sam", "strongly-convex", beta=2.0, mu=0.5, rho=0.1, T=10, eta=0.1)
    with pytest.raises(InvalidParameterError, match="x0"):
        simulate(s, q, np.ones(3))                                   # wrong d
    with pytest.raises(InvalidParameterError, match="x0"):
        simulate(s, q, np.ones((3, 4, 2)))                            # wrong F
    with pytest.raises(InvalidParameterError, match=r"x0\[1\]"):
        simulate(s, q, np.array([0.0, np.nan]))
    with pytest.raises(InvalidParameterError, match=r"x0\[0\]"):
        simulate(s, q, np.array([np.inf, 0.0]))
    with pytest.raises(InvalidParameterError, match="schedules"):
        simulate(s, q, np.ones(2), schedules=np.ones((2, 11)))
    with pytest.raises(InvalidParameterError, match=r"schedules\[1\]\[3\]|schedules\[1\]"):
        bad = np.full((2, 10), 0.1)
        bad[1, 3] = -0.1
        simulate(s, q, np.ones(2), schedules=bad)
    with pytest.raises(InvalidParameterError, match="schedule"):
        simulate(Setting.create("sam", "strongly-convex", beta=2.0, mu=0.5, rho=0.1, T=10), q, np.ones(2))
    with pytest.raises(InvalidParameterError, match="functions"):
        simulate(Setting.create("n-sam", "strongly-convex", beta=2.0, mu=0.5, rho=0.1, sigma=1.0, T=10, eta=0.1),
                 q, np.ones(2))
    with pytest.raises(InvalidParameterError, match="functions"):
        simulate(s, lambda x: x, np.ones(2))
    with pytest.raises(InvalidParameterError, match="backend"):
        simulate(s, q, np.ones(2), backend="jax")
    with pytest.raises(InvalidParameterError, match="batch_size"):
        simulate(s, q, np.ones(2), batch_size=0)
    with pytest.raises(InvalidParameterError, match="seed"):
        simulate(Setting.create("n-sam", "strongly-convex", beta=1.0, mu=1.0, rho=0.1, sigma=1.0, T=3, eta=0.1),
                 LS(1.0, 0.1, 0.2, 2.0), np.ones(1), seed="abc")


def test_schedule_objects_and_inputs_not_mutated():
    q = Quadratic.diagonal([[1.0, 2.0]])
    s = Setting.create("sam", "strongly-convex", beta=2.0, mu=1.0, rho=0.1, T=20, eta=0.1)
    x0 = np.array([[1.0, -1.0], [0.5, 0.5]])
    keep = x0.copy()
    res = simulate(s, q, x0, schedules=[Constant(0.1), Cosine(0.4)])
    assert res.shape == (1, 2, 2) and np.array_equal(x0, keep)
    np.testing.assert_array_equal(res.steps[1], Cosine(0.4).steps(20))


def test_declared_constants_are_validated():
    with pytest.raises(InvalidParameterError, match=r"mu\[0\]"):
        LSC(1.0, 2.0, 0.5)                                            # mu > beta
    with pytest.raises(InvalidParameterError, match=r"mu\[0\]"):
        FromCallables(lambda x: x[..., 0], lambda x: x, dim=1, beta=1.0, mu=1.5)
    with pytest.raises(InvalidParameterError, match="beta"):
        FromCallables(lambda x: x[..., 0], lambda x: x, dim=1, beta=-1.0)
    with pytest.raises(InvalidParameterError, match="H"):
        Quadratic(np.array([[1.0, 0.3], [0.0, 1.0]]))                # not symmetric
    with pytest.raises(InvalidParameterError, match="H"):
        Quadratic(np.diag([1.0, -0.5]))                               # indefinite
    with pytest.raises(InvalidParameterError, match="p"):
        LS(1.0, 0.1, 0.6, 2.0)
    with pytest.raises(InvalidParameterError, match="y"):
        LogisticRegression(np.ones((3, 2)), [1.0, 0.0, -1.0])
    with pytest.raises(InvalidParameterError, match="probs"):
        f = LS(1.0, 0.1, 0.2, 2.0)
        f._declare_components([0.5, 0.6])


def test_custom_objective_runs():
    f = FromCallables(lambda x: 0.5 * np.sum(x * x, axis=-1), lambda x: x, dim=2, beta=1.0, mu=1.0,
                      f_star=0.0, x_star=[0.0, 0.0])
    s = Setting.create("gd", "strongly-convex", beta=1.0, mu=1.0, T=5, eta=0.5)
    res = simulate(s, f, np.array([1.0, 2.0]))
    np.testing.assert_allclose(res.x_final[0, 0, 0], [1 / 32, 2 / 32], rtol=1e-15)
