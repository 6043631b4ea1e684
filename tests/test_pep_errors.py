"""Bad input to the PEP layer: clear sambounds errors, never a deep traceback."""

from __future__ import annotations

import pytest

import sambounds
from sambounds import Setting
from sambounds.errors import IncompatibleSettingError, InvalidParameterError, SolverError
from sambounds.pep import sam
from sambounds.pep.problem import make_spec


def gd(**kw):
    base = dict(T=5, beta=1.0, eta=1.0, D=1.0)
    base.update(kw)
    return Setting.create("gd", "convex", **base)


def test_missing_initial_constant_names_it():
    with pytest.raises(IncompatibleSettingError) as e:
        sambounds.worst_case(gd(D=None))
    assert e.value.name == "Delta"
    with pytest.raises(IncompatibleSettingError) as e:
        sambounds.worst_case(gd(), initial="function-gap")
    assert e.value.name == "Delta"


def test_zero_radius_is_rejected():
    with pytest.raises(InvalidParameterError) as e:
        sambounds.worst_case(gd(D=0.0))
    assert e.value.name == "D" and "> 0" in e.value.allowed


def test_distance_initial_condition_needs_a_minimizer():
    s = Setting.create("gd", "nonconvex", T=3, beta=1.0, eta=1.0, D=1.0, Delta=1.0)
    with pytest.raises(IncompatibleSettingError) as e:
        sambounds.worst_case(s, initial="distance")
    assert e.value.name == "initial"
    with pytest.raises(IncompatibleSettingError):
        sambounds.worst_case(s, measure="dist")


def test_distance_measure_from_a_function_gap_needs_strong_convexity():
    # a flat convex function can put x* arbitrarily far from x_0: the worst case is +inf
    s = Setting.create("gd", "convex", T=3, beta=1.0, eta=1.0, Delta=1.0)
    with pytest.raises(IncompatibleSettingError) as e:
        sambounds.worst_case(s, measure="dist")
    assert e.value.name == "initial" and "strong convexity" in str(e.value)
    # with mu > 0, f(x_0) - f* >= mu ||x_0 - x*||^2 / 2 bounds it: ||x_T - x*||^2 <= (2 Delta / mu) rate
    sc = Setting.create("gd", "strongly-convex", T=3, beta=1.0, mu=0.5, eta=1.0, Delta=1.0)
    r = sambounds.worst_case(sc, measure="dist", witness=False)
    assert 0 < r.value <= 2 * 1.0 / 0.5 * (1 - 0.5) ** 6 * (1 + 1e-6)


def test_infeasible_slice_carries_status():
    # ||g_0|| <= beta ||x_0 - x*|| <= 1: a slice demanding ||g_0|| = 1.5 has no function
    s = Setting.create("sam", "convex", T=3, beta=1.0, eta=0.5, rho=0.1, D=1.0)
    with pytest.raises(SolverError) as e:
        sam.slice_pep(make_spec(s, "f"), [1.5, 0.5, 0.2])
    assert e.value.status == "infeasible" and e.value.solver == "clarabel"


def test_horizon_too_large_names_the_size():
    # GD's sparse program: T = 200 has m*k = 40,602 * 202 = 8.2e6 > 4e6 (T = 100: 1.05e6, admitted)
    with pytest.raises(InvalidParameterError) as e:
        sambounds.worst_case(gd(T=200))
    assert e.value.name == "T" and e.value.value == 200
    assert "k = 202" in str(e.value) and "max_size" in str(e.value)
    # the limit is a parameter
    with pytest.raises(InvalidParameterError):
        sambounds.worst_case(gd(T=5), max_size=100)


@pytest.mark.parametrize("solver,options,status", [("clarabel", {"max_iter": 1}, "user_limit"),
                                                    ("scs", {"max_iters": 5}, "optimal_inaccurate")])
def test_iteration_limit_failure_carries_status(solver, options, status):
    with pytest.raises(SolverError) as e:
        sambounds.worst_case(gd(), solver=solver, solver_options=options)
    assert e.value.status == status and e.value.solver == solver


def test_unknown_and_unavailable_solvers():
    with pytest.raises(InvalidParameterError) as e:
        sambounds.worst_case(gd(), solver="cplex")
    assert e.value.name == "solver"
    import cvxpy as cp
    if "MOSEK" not in cp.installed_solvers():
        with pytest.raises(SolverError) as e:
            sambounds.worst_case(gd(), solver="mosek")
        assert e.value.status == "unavailable"


def test_unsupported_settings():
    with pytest.raises(IncompatibleSettingError):
        sambounds.worst_case(Setting.create("n-sam", "convex", T=3, beta=1.0, eta=1.0, D=1.0, rho=0.1, sigma=0.1))
    with pytest.raises(IncompatibleSettingError) as e:
        sambounds.worst_case(Setting.create("gd", "strongly-convex", T=3, beta=1.0, mu=1.0, eta=1.0, D=1.0))
    assert e.value.name == "mu"
    with pytest.raises(InvalidParameterError):
        sambounds.worst_case(gd(), measure="loss")
    with pytest.raises(InvalidParameterError):
        sambounds.worst_case(Setting.create("gd", "convex", T=3, beta=1.0, D=1.0))  # no schedule
    with pytest.raises(InvalidParameterError):
        sambounds.worst_case(gd(), search_evals=0)


def test_scs_by_name_agrees():
    a = sambounds.worst_case(gd(), witness=False)
    b = sambounds.worst_case(gd(), solver="scs", witness=False)
    assert b.solver["solver"] == "scs" and b.value == pytest.approx(a.value, rel=1e-5)
