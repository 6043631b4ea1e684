"""The attack itself: the rho = 0 column runs GD, equality cases reach ratio 1, determinism."""

from __future__ import annotations

import numpy as np
import pytest

import sambounds
from sambounds.check.attack import QUICK, ray_points, upper_probes
from sambounds.check.families import FamilySpec
from sambounds.check.lower import check_lower
from sambounds.check.probe import Probe, evaluate
from sambounds.check.report import Verdict
from sambounds.check.runner import report
from sambounds.check.upper import check_upper
from sambounds.errors import InvalidParameterError
from sambounds.functions import Quadratic
from sambounds.theory.catalog import catalog


def test_rho_zero_column_runs_gd_and_matches_the_gd_closed_form():
    bound = catalog["D-NC/inverse-beta"]
    probes = [p for _, p in upper_probes(bound, QUICK, 0)]
    assert {p.algorithm for p in probes if p.rho == 0} == {"gd"}
    assert {p.algorithm for p in probes if p.rho > 0} == {"sam"}
    # GD with eta = 1/beta on beta x^2/2 reaches 0 in one step: (1/T) sum G_t^2 = beta^2 x0^2 / T,
    # exactly the bound 2 beta Delta / T at rho = 0 (Delta = beta x0^2 / 2)
    probe = Probe("gd", 0.0, 20, FamilySpec("quadratic", {"spectrum": [[2.0]]}), np.array([[[0.3]]]),
                  np.full((1, 20), 0.5), {"beta": 2.0})
    ev = evaluate(bound, probe.run())
    assert ev.measured[0, 0, 0] == pytest.approx(4.0 * 0.09 / 20, rel=1e-14)
    assert ev.value[0, 0, 0] == pytest.approx(4.0 * 0.09 / 20, rel=1e-14)
    r = check_upper(bound, rate=False)
    assert r.verdict is Verdict.HOLDS and r.rho0_ratio == pytest.approx(1.0, abs=1e-9)


def test_sam_at_rho_zero_is_gd():
    f = Quadratic.with_spectrum(beta=1.0, mu=0.1, dim=3, seed=2)
    x0 = np.array([[1.0, -2.0, 0.5]])
    sam = sambounds.simulate(sambounds.Setting.create("sam", "strongly-convex", beta=1, mu=0.1, rho=0.0, T=40, eta=0.7),
                             f, x0)
    gd = sambounds.simulate(sambounds.Setting.create("gd", "strongly-convex", beta=1, mu=0.1, T=40, eta=0.7), f, x0)
    assert np.array_equal(sam.x_final, gd.x_final)


def test_ray_points_hit_the_requested_gap_from_below():
    f = Quadratic.with_spectrum(beta=1.0, mu=0.01, dim=4, n_functions=2, seed=0)
    dirs = np.random.default_rng(0).standard_normal((2, 3, 4))
    dirs /= np.linalg.norm(dirs, axis=-1, keepdims=True)
    deltas = np.array([1e-6, 0.3, 50.0])
    x0 = ray_points(f, f.x_star, dirs, deltas)
    gap = f.value(x0)
    target = np.tile(deltas, 3)[None, :]
    assert np.all(gap <= target) and np.allclose(gap, target, rtol=1e-12)


@pytest.mark.parametrize("name", [b.name for b in catalog if b.explicit and b.kind.value == "upper"])
def test_every_explicit_upper_bound_holds_at_ci_sizes(name):
    r = check_upper(catalog[name], rate=False)
    assert r.verdict is Verdict.HOLDS, (r.worst, r.evidence)
    assert r.instances > 0 and r.worst_ratio <= 1 + 1e-9


@pytest.mark.parametrize("name", [b.name for b in catalog if b.explicit and b.kind.value == "lower"])
def test_every_construction_is_witnessed_at_ci_sizes(name):
    r = check_lower(catalog[name], rate=False)
    assert r.verdict is Verdict.WITNESSED, r.evidence
    assert r.worst_ratio >= 1 - 1e-9


def test_same_seed_same_report_and_another_seed_another_attack():
    names = ("S-SC/constant/n-sam", "D-C/average/constant", "L-S")
    bounds = [catalog[n] for n in names]
    a = report(quick=True, seed=5, bounds=bounds).to_dict()
    b = report(quick=True, seed=5, bounds=bounds).to_dict()
    assert a == b
    c = report(quick=True, seed=6, bounds=bounds).to_dict()
    assert c != a  # random directions, rotations and oracle draws follow the seed


def test_check_functions_reject_bad_input():
    with pytest.raises(InvalidParameterError):
        check_upper("D-NC/constant")
    with pytest.raises(InvalidParameterError):
        check_upper(catalog["L-NC"])
    with pytest.raises(InvalidParameterError):
        check_lower(catalog["D-NC/constant"])
    with pytest.raises(InvalidParameterError):
        check_lower(catalog["L-NC"], construction="no-such")
    with pytest.raises(InvalidParameterError):
        report(seed=-1)


def test_prescribed_rules_run_only_from_starts_within_their_delta():
    # a rule computed from Delta is valid only for f(x_0) - f* <= Delta (targets 1 and 10 both present)
    import dataclasses

    from sambounds.check.attack import DEFAULT

    size = dataclasses.replace(DEFAULT, rhos=(0.1,), horizons=(50,), betas=(1.0,), kappas=(10.0,))
    for name in ("D-C/average/prescribed", "D-SC/theorem-a/prescribed"):
        probes = [p for _, p in upper_probes(catalog[name], size, 0)]
        assert {p.fixed["Delta"] for p in probes} == set(size.deltas)
        for p in probes:
            f, _ = p.family.build()
            gap = f.value(p.x0) - f.f_star[:, None]
            assert np.all(gap <= p.fixed["Delta"] * (1 + 1e-12)), (name, p.fixed)
