"""The parts of a schedule verification: recursions, step checks, attack families, quantities, witnesses."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, strategies as st

from sambounds import Setting
from sambounds.errors import InvalidParameterError
from sambounds.schedules import Cosine, FromArray
from sambounds.theory.query import query
from sambounds.theory.terms import Quantity
from sambounds.verify import quantities, recursions, theory
from sambounds.verify.attack import Z, sample_stats
from sambounds.check.families import FamilySpec
from sambounds.check.witness import rerun
from sambounds.verify.families import candidates, fits
from sambounds.verify.witness import make

SC = dict(beta=1.0, mu=0.1, rho=0.05, Delta=1.0)


# ---- recursions ------------------------------------------------------------------------------------
@given(st.lists(st.floats(1e-4, 0.5), min_size=1, max_size=40))
def test_unrolled_theorem_a_equals_the_step_by_step_recursion(etas):
    steps = np.array(etas)
    e = 1.0
    for eta in steps:
        B = 0.05**2 * eta**2 / (8 * 0.1 * (1 - eta) ** 2) + 0.05**2 * eta**2 / 2
        e = max((1 - 0.1 * eta) * e, B)
    assert recursions.theorem_a(steps, beta=1.0, mu=0.1, rho=0.05, Delta=1.0) == pytest.approx(e, rel=1e-12)


@given(st.lists(st.floats(1e-4, 1.0), min_size=1, max_size=40), st.floats(0.0, 2.0))
def test_unrolled_s_sc_equals_the_step_by_step_recursion(etas, sigma2):
    steps = np.array(etas)
    e = 1.0
    for eta in steps:
        e = (1 - 0.1 * eta) * e + eta * 0.05**2 / 2 + eta**2 * sigma2 / 2
    got = recursions.stochastic_sc(steps, beta=1.0, mu=0.1, rho=0.05, Delta=1.0, sigma_star2=sigma2)
    assert got == pytest.approx(e, rel=1e-12)


def test_constant_step_recursions_match_the_catalog():
    s = Setting.create("sam", "strongly-convex", T=50, eta=0.3, **SC)
    (a,) = recursions.recursions(s)
    assert a.value == pytest.approx(query(s).entry("D-SC/theorem-a/constant").value, rel=1e-12)
    n = Setting.create("m-sam", "strongly-convex", T=50, eta=0.3, sigma=0.5, **SC)
    (u,) = recursions.recursions(n)
    catalog_value = query(n).entry("S-SC/constant/m-sam").value
    assert u.name == "S-SC/unrolled/m-sam" and u.value <= catalog_value
    # the catalog's bound replaces the geometric sum (1 - (1 - mu eta)^T)/(mu eta) by 1/(mu eta)
    s2 = 0.5**2 + 2 * 1.0 * 0.05 * 0.5
    q = (1 - 0.1 * 0.3) ** 50
    exact = q * 1.0 + (0.3 * 0.05**2 / 2 + 0.3**2 * s2 / 2) * (1 - q) / (0.1 * 0.3)
    assert u.value == pytest.approx(exact, rel=1e-12)


def test_first_failing_step_is_named_for_recursions_and_schedule_generic_bounds():
    steps = np.full(20, 0.4)
    steps[3] = 0.6   # > 1/(2 beta): Theorem A fails at t = 3
    steps[7] = 1.2   # > 1/beta: the schedule-generic D-C/D-NC/weak bounds fail at t = 7
    s = Setting.create("sam", "strongly-convex", T=20, schedule=FromArray(steps), **SC)
    (a,) = recursions.recursions(s)
    assert not a.applies and a.first_failing_t == 3 and "t = 3" in a.reason
    _, checks = theory.theorem_checks(s)
    weak = next(c for c in checks if c.name == "D-SC/weak/schedule")
    assert weak.status == "fails" and weak.first_failing_t == 7 and "t = 7" in weak.reason


def test_certified_values_use_only_proven_bounds_on_the_quantity_and_its_implications():
    s = Setting.create("sam", "nonconvex", T=40, schedule=Cosine(0.5), beta=1.0, rho=0.05, Delta=1.0)
    _, checks = theory.theorem_checks(s)
    certs = theory.certified(checks, (), Quantity.GRAD_MIN)
    names = {c.source for c in certs}
    assert "D-NC/schedule-min" in names
    assert not any(n.startswith("paper/") for n in names)
    assert all(c.value > 0 for c in certs)
    steps = s.steps
    value = next(c.value for c in certs if c.source == "D-NC/schedule-min")
    assert value == pytest.approx((2 + 0.05**2 * steps.sum()) / steps.sum(), rel=1e-12)


# ---- families --------------------------------------------------------------------------------------
SETTINGS = [
    Setting.create("sam", "strongly-convex", T=10, eta=0.5, beta=2.0, mu=0.02, rho=0.1, Delta=0.5, D=2.0),
    Setting.create("sam", "convex", T=10, eta=0.5, beta=2.0, rho=0.1, D=1.5),
    Setting.create("usam", "strongly-convex", T=10, eta=0.5, beta=2.0, mu=1.0, rho=0.1, Delta=0.5),
    Setting.create("sam", "nonconvex", T=10, eta=0.5, beta=2.0, rho=0.1, Delta=0.3),
    Setting.create("sam", "lipschitz-nonconvex", T=10, eta=0.5, beta=2.0, rho=0.1, L=0.5, Delta=0.3),
    Setting.create("n-sam", "strongly-convex", T=10, eta=0.5, beta=2.0, mu=0.1, rho=0.1, sigma=0.7, Delta=0.5),
    Setting.create("m-sam", "nonconvex", T=10, eta=0.5, beta=2.0, rho=0.1, sigma=0.7, Delta=0.5, D=0.3),
]


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: f"{s.algorithm.value}-{s.function_class.value}")
def test_every_attack_function_is_in_the_class_and_every_start_meets_the_initial_condition(setting):
    cands, _ = candidates(setting, 0.5, "quick", seed=1, best_p=0.2)
    assert cands
    c = setting.constants
    for cand in cands:
        f = cand.objective
        assert fits(f, setting), cand.family
        gap = f.value(cand.starts) - f.f_star[:, None]
        dist = np.linalg.norm(cand.starts - f.x_star[:, None, :], axis=-1)
        if c.Delta is not None:
            assert np.all(gap <= c.Delta * (1 + 1e-12)), cand.family
        if c.D is not None and setting.function_class.convex:
            assert np.all(dist <= c.D * (1 + 1e-12)), cand.family
        # without a distance budget some start uses the whole Delta: the attack is not confined to small starts
        if c.Delta is not None and c.D is None:
            assert np.all(gap.max(axis=1) >= c.Delta * (1 - 1e-9)), cand.family


def test_recipes_rebuild_the_same_functions():
    rng = np.random.default_rng(0)
    for setting in SETTINGS:
        cands, _ = candidates(setting, 0.5, "quick", seed=2, best_p=0.2)
        for cand in cands:
            f = cand.objective
            x = rng.standard_normal((f.n_functions, 3, f.dim))
            assert len(cand.members) == f.n_functions
            for i, member in enumerate(cand.members):
                g = FamilySpec.from_dict(json.loads(json.dumps(member.to_dict()))).build()[0]  # via its JSON form
                assert np.allclose(g.value(x[i:i + 1]), f.value(x)[i:i + 1], rtol=1e-12, atol=1e-14)
                assert np.allclose(g.grad(x[i:i + 1]), f.grad(x)[i:i + 1], rtol=1e-12, atol=1e-14)


def test_ls_noise_matches_sigma_exactly():
    s = SETTINGS[5]
    cands = candidates(s, 0.5, "quick", seed=0, best_p=None)[0]
    (cand,) = [c for c in cands if c.family == "L-S"]
    assert np.allclose(cand.objective.sigma, s.constants.sigma, rtol=1e-11)
    # the search's parametric families join, each member within the class (noise <= sigma)
    extra = [c for c in cands if "parametric" in c.family]
    assert extra and all(fits(c.objective, s) for c in extra)


def test_witness_functions_reject_unknown_families_and_parameters():
    s = Setting.create("sam", "strongly-convex", T=5, eta=0.1, **SC)
    with pytest.raises(InvalidParameterError, match="family"):
        make(s, {"family": "banana", "params": {}}, np.array([1.0]), Quantity.GAP, target=1.0)
    with pytest.raises(InvalidParameterError, match="function"):
        make(s, {"family": "L-SC"}, np.array([1.0]), Quantity.GAP, target=1.0)
    with pytest.raises(InvalidParameterError, match="L-SC"):
        make(s, {"family": "L-SC", "params": {"beta": 1.0}}, np.array([1.0]), Quantity.GAP, target=1.0)


# ---- quantities and statistics ----------------------------------------------------------------------
def test_quantity_defaults_and_rejections():
    sc = Setting.create("sam", "strongly-convex", T=5, eta=0.1, **SC)
    nc = Setting.create("sam", "nonconvex", T=5, eta=0.1, beta=1.0, rho=0.1, Delta=1.0)
    st_ = Setting.create("n-sam", "nonconvex", T=5, eta=0.1, beta=1.0, rho=0.1, sigma=0.1, Delta=1.0)
    assert quantities.parse(sc, None) is Quantity.GAP
    assert quantities.parse(nc, None) is Quantity.GRAD_MIN
    assert quantities.parse(st_, None) is Quantity.E_GRAD_WSUM
    with pytest.raises(InvalidParameterError, match="quantity"):
        quantities.parse(sc, "lim-gap")
    with pytest.raises(InvalidParameterError, match="quantity"):
        quantities.parse(nc, "dist")
    with pytest.raises(InvalidParameterError, match="quantity"):
        quantities.parse(st_, "gap")
    with pytest.raises(InvalidParameterError, match="quantity"):
        quantities.parse(sc, "banana")


def test_lower_confidence_bound_is_the_normal_one_sided_bound():
    x = np.array([[1.0, 2.0, 3.0, 4.0]])
    mean, std, lcb = sample_stats(x, axis=1)
    assert mean[0] == 2.5 and std[0] == pytest.approx(np.std(x, ddof=1))
    assert lcb[0] == pytest.approx(2.5 - 3.090232306167813 * std[0] / 2.0)
    assert Z == pytest.approx(3.090232306167813)
    mean, std, lcb = sample_stats(np.array([[1.0, np.inf]]), axis=1)
    assert np.isinf(mean[0]) and np.isinf(lcb[0])


def test_a_diverging_witness_is_recorded_and_reruns():
    s = Setting.create("sam", "strongly-convex", T=200, eta=10.0, **SC)  # |1 - eta beta| = 9: SAM diverges
    recipe = {"family": "quadratic", "params": {"H": [[1.0]], "center": [0.0]}}
    w = make(s, recipe, np.array([1.0]), Quantity.GAP, target=1.0)
    assert w.measured.diverged == 1 and np.isinf(w.measured.value) and w.misses_target
    doc = w.to_dict()
    assert doc["measured"]["value"] is None
    again = rerun(doc)
    assert np.isinf(again.got["value"]) and again.misses_target and again.rel_error == 0.0 and again.matches


def test_rerun_rejects_other_documents(tmp_path):
    with pytest.raises(InvalidParameterError, match="witness.kind"):
        rerun({"kind": "banana"})
    with pytest.raises(InvalidParameterError, match="witness"):
        rerun(str(tmp_path / "missing.json"))
    with pytest.raises(InvalidParameterError, match="witness"):
        rerun({"kind": "schedule-witness"})


def test_lnc_fixed_point_floor_holds_for_any_schedule():
    steps = np.random.default_rng(0).uniform(0.05, 1.9, 30)  # any steps in (0, 2/beta)
    s = Setting.create("sam", "nonconvex", T=30, schedule=FromArray(steps), beta=1.0, rho=0.1, Delta=1.0)
    result, _ = theory.theorem_checks(s)
    fl = next(f for f in theory.floors(s, result) if f.name == "L-NC/fixed-point")
    assert fl.status == "applies" and fl.value == pytest.approx(0.99**2 * 0.1**2)
    from sambounds.verify.witness import evaluate
    recipe = {"family": "L-NC", "params": {"beta": 1.0, "rho": 0.1, "c": 0.99}}
    got = evaluate(s, recipe, np.array([-0.1]), Quantity.GRAD_MIN)
    assert got.value == pytest.approx(fl.value, rel=1e-12)
    tight = Setting.create("sam", "nonconvex", T=30, schedule=FromArray(steps), beta=1.0, rho=0.1, Delta=1e-6)
    result, _ = theory.theorem_checks(tight)
    fl = next(f for f in theory.floors(tight, result) if f.name == "L-NC/fixed-point")
    assert fl.status == "fails" and "Delta" in fl.note


def test_small_horizon_sam_pep_is_certified_by_an_exact_certificate_even_when_the_solver_is_inaccurate():
    import sambounds
    from sambounds.schedules import Cosine
    from sambounds.theory.terms import Quantity
    from sambounds.verify.pep_part import run_pep

    s = sambounds.Setting.create("sam", "strongly-convex", beta=1.0, mu=0.1, rho=0.05, T=3, schedule=Cosine(0.5),
                                 D=1.0)
    ev = run_pep(s, Quantity.parse("gap"), max_T=10, effort="quick")
    assert ev.ran and ev.certified and "exact rational" in ev.note
    assert ev.lower is not None and ev.lower <= ev.upper
    # the certified value is what the PEP layer's own certificate proves, independently re-verified here
    cert = sambounds.worst_case(s, measure="f", initial="distance", certificate=True, search_evals=1).certificate
    assert ev.upper >= float(cert.bound)
    report = sambounds.verify_schedule(s, target=ev.upper * 1.0001, quantity="gap", effort="quick", seed=0)
    assert report.verdict == "certified"
