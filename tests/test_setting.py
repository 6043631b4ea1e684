"""Setting and Constants: validation at construction (issue 2, item 4)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sambounds import (Algorithm, Constants, FunctionClass, IncompatibleSettingError,
                       InvalidParameterError, Setting)
from sambounds.schedules import Constant, Cosine, FromArray


def sc(**kw):
    base = dict(beta=1.0, mu=0.1, rho=0.05, T=10, Delta=1.0, eta=0.1)
    base.update(kw)
    return Setting.create("sam", "strongly-convex", **base)


def test_valid_setting_round_trips_through_dict():
    s = sc()
    assert s.algorithm is Algorithm.SAM and s.function_class is FunctionClass.STRONGLY_CONVEX
    assert s.steps.shape == (10,) and np.all(s.steps == 0.1)
    assert Setting.from_dict(s.to_dict()) == s


def test_steps_are_read_only():
    with pytest.raises(ValueError):
        sc().steps[0] = 1.0


@pytest.mark.parametrize("kw, name", [
    (dict(beta=0.0), "beta"), (dict(beta=-1.0), "beta"), (dict(beta=math.nan), "beta"),
    (dict(beta=math.inf), "beta"), (dict(mu=2.0), "mu"), (dict(mu=-0.1), "mu"), (dict(rho=-0.01), "rho"),
    (dict(rho=math.nan), "rho"), (dict(T=0), "T"), (dict(T=2.5), "T"), (dict(T=10.0), "T"),
    (dict(T=True), "T"), (dict(Delta=-1.0), "Delta"), (dict(Delta=math.inf), "Delta"),
    (dict(eta=0.0), "eta"), (dict(eta=-0.1), "eta"), (dict(eta=math.nan), "eta"), (dict(beta="1"), "beta"),
])
def test_invalid_values_name_the_parameter(kw, name):
    with pytest.raises(InvalidParameterError) as info:
        sc(**kw)
    assert info.value.name == name
    assert name in str(info.value) and "allowed" in str(info.value)


def test_mu_above_beta_names_the_range():
    with pytest.raises(InvalidParameterError, match=r"mu=2.0.*\[0, beta\] = \[0, 1\]"):
        sc(mu=2.0)


@pytest.mark.parametrize("values, name", [
    ([0.1] * 9, "schedule"), ([0.1] * 11, "schedule"),
    ([0.1] * 9 + [0.0], "schedule[9]"), ([0.1, -0.1] + [0.1] * 8, "schedule[1]"),
])
def test_bad_schedule_arrays(values, name):
    with pytest.raises(InvalidParameterError) as info:
        Setting.create("sam", "convex", beta=1, rho=0.1, T=10, schedule=FromArray(values))
    assert info.value.name == name


def test_non_finite_schedule_entry():
    with pytest.raises(InvalidParameterError, match=r"schedule\[3\]"):
        FromArray([0.1, 0.1, 0.1, math.inf])


@pytest.mark.parametrize("algorithm, cls, kw, name", [
    ("sam", "convex", dict(rho=0.1, sigma=1.0), "sigma"),          # sigma for deterministic SAM
    ("n-sam", "convex", dict(rho=0.1), "sigma"),                   # stochastic without sigma
    ("sam", "strongly-convex", dict(rho=0.1), "mu"),               # strongly convex without mu
    ("sam", "strongly-convex", dict(rho=0.1, mu=0.0), "mu"),
    ("sam", "convex", dict(rho=0.1, mu=0.5), "mu"),
    ("sam", "nonconvex", dict(rho=0.1, mu=0.5), "mu"),
    ("sam", "lipschitz-nonconvex", dict(rho=0.1), "L"),
    ("gd", "convex", dict(rho=0.1), "rho"),
    ("sam", "convex", dict(), "rho"),
])
def test_incompatible_class_and_algorithm(algorithm, cls, kw, name):
    with pytest.raises(IncompatibleSettingError) as info:
        Setting.create(algorithm, cls, beta=1.0, T=5, **kw)
    assert info.value.name == name


@pytest.mark.parametrize("field, value", [("algorithm", "adam"), ("function_class", "concave")])
def test_unknown_names_list_the_choices(field, value):
    kw = dict(algorithm="sam", function_class="convex")
    kw[field] = value
    with pytest.raises(InvalidParameterError, match="one of"):
        Setting(kw["algorithm"], kw["function_class"], Constants(beta=1, rho=0.1), 5)


def test_eta_and_schedule_are_exclusive():
    with pytest.raises(InvalidParameterError, match="eta"):
        Setting.create("sam", "convex", beta=1, rho=0.1, T=5, eta=0.1, schedule=Cosine(0.5))


def test_plain_number_schedule_becomes_constant():
    s = Setting("gd", "convex", Constants(beta=2.0), 4, 0.25)
    assert s.schedule == Constant(0.25)
    assert s.rho == 0.0


def test_enum_parsing_is_lenient_about_case_and_underscores():
    s = Setting("N_SAM", "Strongly_Convex", Constants(beta=1, mu=0.5, rho=0.1, sigma=0.0), 3)
    assert s.algorithm is Algorithm.N_SAM and s.algorithm.stochastic
    assert not s.has_schedule
    with pytest.raises(InvalidParameterError, match="schedule"):
        s.steps


def test_class_inclusion():
    assert FunctionClass.NONCONVEX.contains(FunctionClass.STRONGLY_CONVEX)
    assert FunctionClass.CONVEX.contains(FunctionClass.STRONGLY_CONVEX)
    assert not FunctionClass.STRONGLY_CONVEX.contains(FunctionClass.CONVEX)
    assert not FunctionClass.LIPSCHITZ_NONCONVEX.contains(FunctionClass.CONVEX)


def test_user_array_is_not_mutated_or_aliased():
    values = np.full(5, 0.1)
    schedule = FromArray(values)
    values[0] = 100.0
    s = Setting.create("sam", "convex", beta=1, rho=0.1, T=5, schedule=schedule)
    assert s.steps[0] == 0.1


numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 10**6),
                    st.sampled_from([0.0, -0.0, 1e308, -1e-308, 5e-324]), st.none())


@given(beta=numbers, mu=numbers, rho=numbers, sigma=numbers, Delta=numbers, T=st.one_of(numbers, st.integers(-5, 50)),
       eta=numbers, algorithm=st.sampled_from([a.value for a in Algorithm]),
       cls=st.sampled_from([c.value for c in FunctionClass]))
def test_random_constants_give_a_valid_setting_or_the_documented_error(beta, mu, rho, sigma, Delta, T, eta,
                                                                       algorithm, cls):
    try:
        s = Setting.create(algorithm, cls, beta=beta, mu=mu, rho=rho, sigma=sigma, Delta=Delta, T=T, eta=eta)
    except InvalidParameterError as exc:
        assert exc.name and "allowed" in str(exc)
        return
    c = s.constants
    assert c.beta > 0 and math.isfinite(c.beta)
    if c.mu is not None:
        assert 0 <= c.mu <= c.beta
    assert isinstance(s.T, int) and s.T >= 1
    if s.has_schedule:
        assert s.steps.shape == (s.T,) and np.all(np.isfinite(s.steps)) and np.all(s.steps > 0)


def test_huge_horizon_with_constant_step_is_cheap_and_varying_schedule_is_refused():
    s = Setting.create("sam", "convex", beta=1, rho=0.1, T=10**12, eta=0.5)
    assert s.constant_step == 0.5 and s.has_schedule
    with pytest.raises(InvalidParameterError, match="T=1000000000000"):
        s.steps
    with pytest.raises(InvalidParameterError, match="T="):
        Setting.create("sam", "convex", beta=1, rho=0.1, T=10**12, schedule=Cosine(0.5))


def test_prescribed_rule_with_extreme_constants_gives_a_clear_error():
    from sambounds.schedules import TheoremA

    with pytest.raises(InvalidParameterError, match="constants"):
        Setting.create("sam", "strongly-convex", beta=1e300, mu=1e-300, rho=1e-300, Delta=1e300, T=10,
                       schedule=TheoremA())
