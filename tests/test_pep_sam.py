"""Normalized SAM: relaxation >= best exact slice >= every simulated instance of the class."""

from __future__ import annotations

import numpy as np
import pytest

import sambounds
from sambounds import Setting
from sambounds.functions import LSC, Quadratic
from sambounds.pep import sam
from sambounds.pep.problem import make_spec
from sambounds.pep.witness import measure_of, run_method

T, BETA, MU, RHO, ETA, D = 4, 1.0, 0.1, 0.2, 0.6, 1.0


@pytest.fixture(scope="module")
def sc_setting():
    return Setting.create("sam", "strongly-convex", T=T, beta=BETA, mu=MU, rho=RHO, eta=ETA, D=D)


@pytest.fixture(scope="module")
def sc_result(sc_setting):
    return sambounds.worst_case(sc_setting, measure="f", search_evals=40, search_starts=1, seed=1)


def random_quadratics(n, d, rng):
    Hs = []
    for _ in range(n):
        Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
        lam = np.concatenate([[MU, BETA], rng.uniform(MU, BETA, d - 2)])
        Hs.append(Q @ np.diag(lam) @ Q.T)
    return Quadratic(np.array(Hs))


def instance_values(setting, f, starts):
    """f(x_T) - f* of SAM on each function / start (sambounds.simulate)."""
    res = sambounds.simulate(setting, f, starts)
    return res.gap.final.ravel()


def unit_starts(rng, n, d):
    x = rng.normal(size=(n, d))
    return D * x / np.linalg.norm(x, axis=1, keepdims=True)


def test_relaxation_above_slice_above_instances(sc_setting, sc_result):
    r = sc_result
    assert r.kind == "relaxation" and r.lower is not None
    assert r.value >= r.lower * (1 - 1e-6)
    rng = np.random.default_rng(0)
    quad = instance_values(sc_setting, random_quadratics(16, 3, rng), unit_starts(rng, 8, 3))
    lsc = LSC.for_sam(beta=BETA, mu=MU, rho=RHO, eta=ETA)
    lsc_vals = instance_values(sc_setting, lsc, np.linspace(-D, D, 41)[:, None])
    worst_instance = max(quad.max(), lsc_vals.max())
    assert worst_instance > 0
    assert r.lower >= worst_instance * (1 - 1e-6)
    assert r.value >= worst_instance


def test_slice_at_an_instance_norms_dominates_it(sc_setting):
    # the slice through a real run's gradient norms contains that run: its value is >= the run's
    spec = make_spec(sc_setting, "f")
    f = LSC.for_sam(beta=BETA, mu=MU, rho=RHO, eta=ETA)
    for x0 in (0.9, -0.35, 1.0):
        run = run_method(f, "sam", sc_setting.steps, RHO, np.array([x0]))
        c = np.linalg.norm(run["g"][:-1], axis=1) / (spec.beta * spec.length)
        solved = sam.slice_pep(spec, c)
        assert solved.value * float(spec.scale()) >= measure_of(run, "f", 0.0, 0.0) * (1 - 1e-6) - 1e-10
        relaxed, _ = sam.relaxation(spec, tighten=False)
        assert relaxed.value >= solved.value * (1 - 1e-7)


def test_sam_witness_reproduces_slice_value(sc_result):
    assert sc_result.replay.pep_error < 1e-4
    assert sc_result.witness.slice_c is not None
    # the witness's gradient norms along the run are the slice's c
    norms = np.linalg.norm(sc_result.replay.run["g"][:-1], axis=1)
    assert norms == pytest.approx(np.array(sc_result.slice_c), rel=1e-3, abs=1e-6)


def test_tightened_relaxation_is_sound_and_not_looser(sc_setting, sc_result):
    tight = sambounds.worst_case(sc_setting, measure="f", tighten=True, witness=False, search_evals=4)
    assert tight.value <= sc_result.value * (1 + 1e-6)
    assert tight.value >= sc_result.lower * (1 - 1e-6)
    # the gradient bounds cover the worst run found
    norms = np.linalg.norm(sc_result.replay.run["g"][:-1], axis=1)
    assert np.all(norms <= np.array(tight.gradient_bounds) * (1 + 1e-6))


def test_convex_sam_gap_reported_and_covers_gd_worst_function():
    s = Setting.create("sam", "convex", T=3, beta=1.0, rho=0.1, eta=0.5, D=1.0)
    r = sambounds.worst_case(s, search_evals=12)
    assert r.gap is not None and r.gap >= -1e-9
    assert r.value >= r.lower * (1 - 1e-7)
    # on GD's worst function (Huber-like, constant gradient along the path) SAM behaves like GD,
    # so SAM's worst case is at least GD's 1/(4 T h + 2)-type value: here 1/(4*3*0.5 + 2) = 1/8
    assert r.lower >= 1 / 8 * (1 - 1e-4)
