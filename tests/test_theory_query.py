"""query(): which bounds are about a Setting, what fails and why, the best bounds, vectorized evaluation."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given
from hypothesis import strategies as st

import sambounds
from sambounds import Setting, schedules
from sambounds.errors import InvalidParameterError
from sambounds.theory.bound import Bound
from sambounds.theory.catalog import catalog
from sambounds.theory.query import evaluate_many, query
from sambounds.theory.symbols import namespace
from sambounds.theory.terms import Kind, Order, StepAssumption

SC = dict(algorithm="sam", function_class="strongly-convex", beta=1.0, mu=0.01, rho=0.05, T=10_000, Delta=1.0)


def test_lazy_top_level_names():
    assert sambounds.query is query and sambounds.catalog is catalog and sambounds.Bound is Bound


def test_keyword_shortcut_equals_setting_form():
    a = query(**SC, eta=0.01)
    b = query(Setting.create("sam", "strongly-convex", beta=1.0, mu=0.01, rho=0.05, T=10_000, Delta=1.0, eta=0.01))
    assert [(e.name, e.status, e.value) for e in a.entries] == [(e.name, e.status, e.value) for e in b.entries]
    with pytest.raises(InvalidParameterError):
        query(Setting.create("sam", "convex", beta=1.0, rho=0.1, T=5), beta=2.0)


def test_failing_step_condition_is_reported_not_evaluated():
    r = query(**SC, eta=0.9)  # 1/(2 beta) < 0.9 <= 1/beta
    e = r.entry("D-SC/theorem-a/constant")
    assert e.status == "fails" and e.value is None and "eta <= 1/(2*beta)" in e.reason
    assert r.entry("D-SC/weak/constant").status == "applies"


def test_schedule_checked_entrywise_names_the_first_bad_step():
    steps = np.full(20, 0.5)
    steps[3] = 1.5
    r = query(Setting.create("sam", "nonconvex", beta=1.0, rho=0.1, T=20, Delta=1.0,
                             schedule=schedules.FromArray(steps)))
    e = r.entry("D-NC/schedule")
    assert e.status == "fails" and "t = 3" in e.reason and e.value is None
    assert r.entry("D-NC/constant").status == "fails" and "varies" in r.entry("D-NC/constant").reason


def test_schedule_generic_value_uses_the_setting_schedule():
    sched = schedules.Cosine(0.8, 0.0)
    s = Setting.create("sam", "nonconvex", beta=1.0, rho=0.1, T=300, Delta=2.0, schedule=sched)
    steps = sched.steps(300)
    e = query(s).entry("D-NC/schedule")
    assert e.status == "applies" and e.value == pytest.approx(2 * 2.0 + 0.1**2 * steps.sum(), rel=1e-12)


def test_missing_constant_and_subclass_restriction_are_reported():
    r = query(**SC, eta=0.01)
    assert r.entry("D-C/distance/constant").status == "missing" and "D" in r.entry("D-C/distance/constant").reason
    one_dim = r.entry("D-SC/one-dim")
    assert one_dim.status == "restricted" and one_dim.value is not None and not one_dim.valid
    quad = query(**SC, eta=0.01, ).entry("D-SC/quadratic")
    assert quad.status == "missing"
    quad = query(Setting.create("sam", "strongly-convex", beta=1.0, mu=0.01, rho=0.05, T=100, Delta=1.0, eta=0.5),
                 params={"sum_lambda3": 2.0}).entry("D-SC/quadratic")
    assert quad.status == "restricted" and quad.value == pytest.approx(0.995**200 + 0.25 * 0.0025 * 2.0 / 2)


def test_best_bounds_are_the_extremes_of_valid_entries():
    r = query(**SC, eta=0.01)
    for best in r.best_upper:
        same = [e.value for e in r.entries if e.valid and e.for_setting and e.bound.kind is Kind.UPPER
                and e.bound.quantity is best.bound.quantity]
        assert best.value == min(same)
    assert r.best("gap").name == "D-SC/theorem-a/constant"
    lower = r.best("lim-gap", "lower")
    assert lower.value == pytest.approx(1 * 0.01**2 * 0.05**2 / (2 * (2 - 0.01) ** 2))
    # paper claims are never among the best, and prescribed steps are listed separately
    assert all(e.bound.explicit for e in r.best_upper + r.best_lower)
    assert {e.name for e in r.best_prescribed} >= {"D-SC/theorem-a/prescribed"}


def test_without_schedule_prescribed_steps_answer_with_which_step():
    r = query(**SC)
    e = r.entry("D-SC/theorem-a/prescribed")
    expected_eta = min(0.5, math.log(max(2.0, 0.01**3 * 1.0 * 1e8 / 0.05**2)) / (0.01 * 1e4))
    assert e.valid and e.eta == pytest.approx(expected_eta) and e.for_setting
    assert r.entry("D-SC/theorem-a/constant").status == "needs-step"  # only a step size is missing
    assert r.best("gap") is not None


def test_open_row_is_reported_as_no_bound_not_an_error():
    r = query(algorithm="sam", function_class="convex", beta=1.0, rho=0.1, T=100, Delta=1.0, D=1.0, eta=0.5)
    assert r.best("gap") is None
    assert any(g.quantity.value == "gap" and "open row" in g.note for g in r.gaps)


def test_class_inclusion_directions():
    names = lambda **kw: {e.name for e in query(**kw).entries}  # noqa: E731
    sc = names(**SC, eta=0.01)
    assert "D-NC/constant" in sc and "L-NC" not in sc  # upper from a larger class; no lower from one
    nc = names(algorithm="sam", function_class="nonconvex", beta=1.0, rho=0.1, T=10, Delta=1.0, eta=0.5)
    assert "L-SC/limit" in nc and "D-SC/weak/constant" not in nc  # lower from a smaller class
    lip = names(algorithm="sam", function_class="lipschitz-nonconvex", beta=1.0, L=1.0, rho=0.1, T=10, Delta=1.0, eta=0.5)
    assert "L-SC/limit" not in lip and "L-NC" not in lip and "D-NC/constant" in lip


def test_gd_setting_gets_sam_bounds_at_rho_zero_and_sam_rho_zero_gets_gd_references():
    r = query(algorithm="gd", function_class="convex", beta=1.0, T=50, Delta=1.0, D=2.0, eta=1.0)
    e = r.entry("D-NC/constant")
    assert e.valid and e.via and e.value == pytest.approx(2.0 / 50)
    dt = r.entry("GD/convex/drori-teboulle")
    assert dt.valid and dt.for_setting and dt.value == pytest.approx(4.0 / 202)
    r0 = query(algorithm="sam", function_class="convex", beta=1.0, rho=0.0, T=50, Delta=1.0, D=2.0, eta=1.0)
    assert r0.entry("GD/convex/drori-teboulle").valid
    assert "GD/convex/drori-teboulle" not in {e.name for e in query(algorithm="sam", function_class="convex",
                                                                   beta=1.0, rho=0.1, T=5, D=1.0).entries}


def test_extra_user_bounds_and_params_without_global_state():
    user = Bound(name="user/loose", expr="10*beta*Delta/T + beta**2*rho**2", kind="upper", quantity="grad-avg",
                 algorithms={"sam"}, function_class="nonconvex", step=StepAssumption("constant", limit="1/beta"),
                 order=Order("O", "1/T", "10"), provenance="literature", citation="user", statement="user bound")
    n = len(catalog)
    r = query(algorithm="sam", function_class="nonconvex", beta=1.0, rho=0.1, T=100, Delta=1.0, eta=1.0, extra=(user,))
    assert r.entry("user/loose").value == pytest.approx(0.1 + 0.01)
    assert len(catalog) == n and "user/loose" not in catalog
    lnc = query(algorithm="sam", function_class="nonconvex", beta=1.0, rho=0.1, T=100, Delta=1.0, eta=1.0,
                params={"c": 0.5}).entry("L-NC")
    assert lnc.value == pytest.approx(0.25 * 0.01)
    with pytest.raises(InvalidParameterError, match="params"):
        query(**SC, params={"beta": 2.0})


def test_decreasing_rule_honours_the_users_offset():
    s = Setting.create("sam", "strongly-convex", beta=1.0, mu=0.1, rho=0.05, T=100, Delta=1.0,
                       schedule=schedules.DecreasingSC(a=60))
    e = query(s).entry("D-SC/decreasing")
    a, kappa = 60, 10.0
    expected = max((a - 1) * (a - 2) * 1.0, 2 * (kappa + 1) * 0.05**2 / 0.01) / ((100 + a - 1) * (100 + a - 2))
    assert e.valid and e.for_setting and e.value == pytest.approx(expected, rel=1e-12)


def test_query_json_round_trips_and_formulas_parse_back():
    r = query(**SC, eta=0.01)
    text = r.to_json()
    data = json.loads(text)
    assert json.dumps(data) == text
    assert Setting.from_dict(data["setting"]) == r.setting
    for d, e in zip(data["entries"], r.entries):
        assert d["name"] == e.name and d["value"] == e.value and d["status"] == e.status
        assert sp.sympify(d["formula"], locals=namespace()) == e.bound.expr


def test_evaluate_many_masks_invalid_elements():
    eta = np.array([0.1, 0.4, 0.6, 0.2])  # 0.6 > 1/(2 beta)
    ev = evaluate_many("D-SC/theorem-a/constant", beta=1.0, mu=0.1, rho=0.05, T=100.0, Delta=1.0, eta=eta)
    assert ev.valid.tolist() == [True, True, False, True]
    assert np.isnan(ev.value[2]) and len(ev.failing) == 1 and ev.failing[0][1].tolist() == [False, False, True, False]
    for i in (0, 1, 3):
        assert ev.value[i] == catalog["D-SC/theorem-a/constant"].evaluate(beta=1.0, mu=0.1, rho=0.05, T=100.0,
                                                                           Delta=1.0, eta=float(eta[i]))


# ---- hypothesis: arbitrary constants in, only the documented error or a valid answer out ------------------
_weird = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.0, -1.0, 1e-300, 1e300, 1.0, 0.5, 1e-3]), st.integers(-5, 10**6))


@given(algorithm=st.sampled_from(["sam", "n-sam", "m-sam", "usam", "gd", "adam"]),
       function_class=st.sampled_from(["strongly-convex", "convex", "lipschitz-nonconvex", "nonconvex"]),
       beta=_weird, mu=_weird, rho=_weird, sigma=_weird, L=_weird, Delta=_weird, D=_weird, eta=_weird,
       T=st.one_of(st.integers(-3, 2000), st.floats(allow_nan=True), st.sampled_from([10**9, 10**12])))
@example(algorithm="sam", function_class="strongly-convex", beta=1e300, mu=1e-300, rho=1e300, sigma=None, L=None,
         Delta=1e300, D=1.0, eta=1e-301, T=10)  # overflow in formulas and in the prescribed rules
@example(algorithm="n-sam", function_class="nonconvex", beta=1.0, mu=None, rho=0.1, sigma=0.0, L=None, Delta=0.0,
         D=None, eta=None, T=10**12)  # a huge horizon without a schedule must not allocate T steps
def test_random_constants_give_the_documented_error_or_a_finite_answer(algorithm, function_class, beta, mu, rho,
                                                                       sigma, L, Delta, D, eta, T):
    if eta is not None and isinstance(T, int) and T > 10**6:
        eta = None  # a length-T schedule array of 10^9 entries is a memory question, not a theory one
    try:
        r = query(algorithm=algorithm, function_class=function_class, beta=beta, mu=mu, rho=rho, sigma=sigma,
                  L=L, Delta=Delta, D=D, eta=eta, T=T)
    except InvalidParameterError:
        return
    json.loads(r.to_json())  # allow_nan=False inside: any NaN/inf would raise here
    for e in r.entries:
        if e.value is not None:
            assert math.isfinite(e.value)
        if e.valid:
            assert e.value >= 0.0
        else:
            assert e.status in ("order-only", "restricted") or e.reason
