"""Bad input to a schedule verification: every error names the parameter."""

from __future__ import annotations

import numpy as np
import pytest

from sambounds import Setting
from sambounds.errors import InvalidParameterError
from sambounds.schedules import Cosine, FromArray, schedule_from_dict
from sambounds.verify import verify_schedule

SC = dict(beta=1.0, mu=0.1, rho=0.05, Delta=1.0)


def setting(**kw):
    return Setting.create("sam", "strongly-convex", **{"T": 10, "schedule": Cosine(0.5), **SC, **kw})


@pytest.mark.parametrize("values, name", [
    ([0.1, 0.1, np.nan, 0.1], r"schedule\[2\]"),
    ([0.1, np.inf, 0.1, 0.1], r"schedule\[1\]"),
    ([0.1, 0.1, 0.1, -0.1], r"schedule\[3\]"),
    ([0.1, 0.0, 0.1, 0.1], r"schedule\[1\]"),
])
def test_non_finite_or_non_positive_steps(values, name):
    with pytest.raises(InvalidParameterError, match=name):
        FromArray(values)


def test_wrong_length():
    with pytest.raises(InvalidParameterError, match="schedule") as err:
        setting(T=5, schedule=FromArray([0.1, 0.2, 0.3]))
    assert "length T = 5" in str(err.value)


def test_unknown_schedule_name():
    with pytest.raises(InvalidParameterError, match="schedule.name"):
        schedule_from_dict({"name": "banana"})


@pytest.mark.parametrize("target", [0.0, -1.0, np.nan, np.inf, "1", None])
def test_target_must_be_a_finite_positive_number(target):
    with pytest.raises(InvalidParameterError, match="target"):
        verify_schedule(setting(), target=target, effort="quick")


@pytest.mark.parametrize("kw, name", [
    ({"effort": "huge"}, "effort"),
    ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"),
    ({"pep_max_T": -2}, "pep_max_T"),
    ({"quantity": "lim-gap"}, "quantity"),
    ({"families": ("banana",)}, "families"),
    ({"families": "L-SC"}, "families"),
])
def test_bad_options(kw, name):
    with pytest.raises(InvalidParameterError, match=name):
        verify_schedule(setting(), target=1.0, **kw)


def test_setting_must_have_a_schedule_and_a_start_budget():
    with pytest.raises(InvalidParameterError, match="setting"):
        verify_schedule("sam", target=1.0)
    bare = Setting.create("sam", "strongly-convex", T=10, **SC)
    with pytest.raises(InvalidParameterError, match="schedule"):
        verify_schedule(bare, target=1.0)
    no_budget = Setting.create("sam", "strongly-convex", T=10, eta=0.1, beta=1.0, mu=0.1, rho=0.05)
    with pytest.raises(InvalidParameterError, match="Delta"):
        verify_schedule(no_budget, target=1.0, effort="quick")
    nc = Setting.create("sam", "nonconvex", T=10, eta=0.1, beta=1.0, rho=0.05, D=1.0)
    with pytest.raises(InvalidParameterError, match="Delta"):
        verify_schedule(nc, target=1.0, effort="quick")


def test_inputs_are_not_mutated():
    steps = np.linspace(0.5, 0.1, 10)
    before = steps.copy()
    s = setting(schedule=FromArray(steps))
    verify_schedule(s, target=1.0, effort="quick", pep_max_T=0)
    assert np.array_equal(steps, before)
