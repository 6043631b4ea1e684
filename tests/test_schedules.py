"""Schedules: closed forms of each rule, validation, JSON round trip (issue 2, item 5)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sambounds import Constants, InvalidParameterError
from sambounds.schedules import (Constant, ConvexAverage, ConvexMinimum, Cosine, DecreasingSC, FromArray,
                                 FromCallable, InverseBeta, LinearDecay, StepDecay, StochasticNC,
                                 StochasticSC, TheoremA, WarmupDecay, schedule_from_dict, sigma_star_sq)

C = Constants(beta=2.0, mu=0.1, rho=0.05, sigma=0.5, Delta=3.0)


def test_generic_rules_match_their_formulas():
    T = 8
    t = np.arange(T)
    np.testing.assert_allclose(Cosine(0.4, 0.1).steps(T), 0.1 + 0.3 * (1 + np.cos(np.pi * t / T)) / 2, rtol=1e-15)
    np.testing.assert_allclose(LinearDecay(0.4).steps(T), 0.4 * (1 - t / T), rtol=1e-15)
    np.testing.assert_array_equal(StepDecay(0.4, 0.5, 3).steps(T), [0.4] * 3 + [0.2] * 3 + [0.1] * 2)
    np.testing.assert_allclose(WarmupDecay(0.4, 2, "linear").steps(T),
                               [0.2, 0.4] + list(0.4 * (1 - np.arange(6) / 6)), rtol=1e-15)
    np.testing.assert_array_equal(FromCallable(lambda k: 1.0 / (k + 1)).steps(3), [1.0, 0.5, 1.0 / 3])


def test_every_generic_rule_is_positive_at_every_step():
    for schedule in (Cosine(1.0), LinearDecay(1.0), WarmupDecay(1.0, 5), StepDecay(1.0, 0.01, 1)):
        steps = schedule.steps(50)
        assert steps.shape == (50,) and np.all(steps > 0)


def test_theorem_a_rule():
    T = 1000
    N = max(2.0, C.mu**3 * C.Delta * T**2 / (C.beta**4 * C.rho**2))
    expected = min(1 / (2 * C.beta), math.log(N) / (C.mu * T))
    np.testing.assert_allclose(TheoremA().steps(T, C), expected, rtol=1e-15)
    # rho = 0 is the limit N -> infinity: the largest admissible step
    assert TheoremA().steps(T, C.replace(rho=0.0))[0] == 1 / (2 * C.beta)


def test_decreasing_rule_and_its_offset():
    kappa = C.beta / C.mu
    a = max(3, math.ceil(4 * kappa))
    np.testing.assert_allclose(DecreasingSC().steps(5, C), 2 / (C.mu * (np.arange(5) + a)), rtol=1e-15)
    with pytest.raises(InvalidParameterError, match="a=3"):
        DecreasingSC(a=3).steps(5, C)


def test_other_prescribed_rules():
    T = 100
    b, r, D = C.beta, C.rho, C.Delta
    assert ConvexMinimum().steps(T, C)[0] == pytest.approx(min(1 / (2 * b), (4 * D / (3 * b**4 * r**2 * T)) ** (1 / 3)))
    assert ConvexAverage().steps(T, C)[0] == pytest.approx(min(1 / b, math.sqrt(2 * D / (b**3 * r**2 * T))))
    assert InverseBeta().steps(T, C)[0] == 1 / b
    s2 = sigma_star_sq("m-sam", b, r, C.sigma)
    assert s2 == pytest.approx(C.sigma**2 + 2 * b * r * C.sigma)
    N = max(2.0, C.mu**2 * D * T / (b * s2))
    assert StochasticSC("m-sam").steps(T, C)[0] == pytest.approx(min(1 / b, math.log(N) / (C.mu * T)))
    assert StochasticNC("n-sam").steps(T, C)[0] == pytest.approx(min(1 / b, math.sqrt(2 * D / (b * C.sigma**2 * T))))


def test_prescribed_rule_names_the_missing_constant():
    with pytest.raises(InvalidParameterError, match="Delta"):
        TheoremA().steps(10, Constants(beta=1.0, mu=0.1, rho=0.1))
    with pytest.raises(InvalidParameterError, match="constants"):
        TheoremA().steps(10)


@pytest.mark.parametrize("make, name", [
    (lambda: Constant(0.0), "eta"), (lambda: Cosine(-1.0), "eta_max"), (lambda: Cosine(1.0, 2.0), "eta_min"),
    (lambda: StepDecay(1.0, 0.0), "gamma"), (lambda: StepDecay(1.0, 0.5, 0), "every"),
    (lambda: WarmupDecay(1.0, -1), "warmup"), (lambda: WarmupDecay(1.0, 2, "exp"), "decay"),
    (lambda: FromArray([[0.1]]), "values"), (lambda: FromArray([]), "values"),
    (lambda: StochasticSC("sgd"), "variant"), (lambda: FromCallable(3), "fn"),
])
def test_bad_schedule_parameters(make, name):
    with pytest.raises(InvalidParameterError) as info:
        make()
    assert info.value.name == name


def test_callable_returning_nan_is_caught():
    with pytest.raises(InvalidParameterError, match=r"schedule \(callable\)\[2\]"):
        FromCallable(lambda t: math.nan if t == 2 else 0.1).steps(4)


def test_warmup_longer_than_horizon():
    with pytest.raises(InvalidParameterError, match="warmup"):
        WarmupDecay(1.0, 10).steps(10)


@pytest.mark.parametrize("schedule", [Constant(0.1), Cosine(0.3, 0.01), LinearDecay(0.2, 0.01), StepDecay(0.2, 0.5, 2),
                                      WarmupDecay(0.3, 2, "linear"), FromArray([0.1, 0.2, 0.3, 0.1, 0.1]),
                                      TheoremA(), DecreasingSC(), StochasticNC("m-sam")])
def test_json_round_trip(schedule):
    import json

    back = schedule_from_dict(json.loads(json.dumps(schedule.to_dict())))
    assert back == schedule
    np.testing.assert_array_equal(back.steps(5, C), schedule.steps(5, C))


def test_unknown_schedule_name():
    with pytest.raises(InvalidParameterError, match="schedule.name"):
        schedule_from_dict({"name": "adamw"})


def test_constant_step_accessor_is_O1_and_none_for_varying_rules():
    assert Constant(0.3).constant_step(10**12) == 0.3
    assert Cosine(0.3).constant_step(10) is None
    assert DecreasingSC().constant_step(10, C) is None
    assert TheoremA().constant_step(100, C) == TheoremA().steps(100, C)[0]


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(beta=st.floats(0.01, 100.0), T=st.integers(2, 300), warmup=st.integers(1, 50),
       floor=st.floats(0.0, 1.0))
def test_peak_of_warmup_and_cosine_is_exactly_eta_max(beta, T, warmup, floor):
    # a schedule capped at 1/beta must pass the theorems' eta_t <= 1/beta check to the last ulp
    eta_max = 1.0 / beta
    for schedule in (Cosine(eta_max, floor * eta_max), WarmupDecay(eta_max, min(warmup, T - 1), "cosine",
                                                                  floor * eta_max)):
        steps = schedule.steps(T)
        assert steps.max() <= eta_max
    assert Cosine(eta_max, floor * eta_max).steps(T)[0] == eta_max
