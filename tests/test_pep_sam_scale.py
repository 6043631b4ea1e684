"""The windowed (chordal) SAM PEP: a sound relaxation of the dense one, linear in T, with checked witnesses."""

from __future__ import annotations

import numpy as np
import pytest

import sambounds
from sambounds import Setting
from sambounds.errors import InvalidParameterError
from sambounds.pep import sam, sam_chordal, sam_windowed
from sambounds.pep.problem import make_spec
from sambounds.pep.witness import measure_of, run_method

BETA, MU, RHO, ETA, D = 1.0, 0.1, 0.1, 0.5, 1.0


def setting(T, cls="strongly-convex", **kw):
    if cls == "strongly-convex":
        kw.setdefault("mu", MU)
    if cls != "nonconvex":
        kw.setdefault("D", D)
    return Setting.create("sam", cls, T=T, beta=BETA, rho=RHO, eta=ETA, **kw)


@pytest.mark.parametrize("cls,extra", [("strongly-convex", {}), ("convex", {}), ("nonconvex", {"Delta": 1.0})])
@pytest.mark.parametrize("measure", ["f", "grad", "min-grad"])
def test_full_window_is_the_dense_relaxation(cls, extra, measure):
    # window >= T keeps every pair: the chordal program must be the dense one (an independent assembly)
    spec = make_spec(setting(3, cls, **extra), measure)
    dense, _ = sam.relaxation(spec, tighten=False)
    chordal = sam_chordal.ChordalProgram(spec, 3, "relax").solve()
    assert chordal.value == pytest.approx(dense.value, rel=1e-6, abs=1e-9)


def test_smaller_windows_only_relax():
    spec = make_spec(setting(6), "f")
    values = [sam_chordal.ChordalProgram(spec, w, "relax").solve().value for w in (6, 3, 2, 1)]
    dense, _ = sam.relaxation(spec, tighten=False)
    assert values[0] == pytest.approx(dense.value, rel=1e-6)
    # fewer interpolation pairs = a larger feasible set: the value can only go up
    assert all(b >= a * (1 - 1e-7) for a, b in zip(values, values[1:]))
    assert values[-1] > values[0] * (1 + 1e-4)    # and it does: window 1 drops pairs that matter


def test_realization_reproduces_every_block():
    spec = make_spec(setting(7), "f")
    prog = sam_chordal.ChordalProgram(spec, 2, "relax")
    sol = prog.solve()
    steps = spec.normalized()[0]
    vec = sam_windowed.realize(prog.layout, sol.blocks, steps)
    for blk, N in zip(prog.layout.blocks, sol.blocks):
        V = np.stack([vec[n] for n in blk.basis], axis=1)
        assert np.max(np.abs(V.T @ V - N)) < 1e-6     # the overlaps agree to the solver's accuracy
    # the shared x_b is the previous block's x_{b-1} - eta h_{b-1}: glued, not a new vector
    blk = prog.layout.blocks[3]
    i = blk.basis.index("x3")
    assert np.sum(vec["x3"] ** 2) == pytest.approx(sol.blocks[3][i, i], abs=1e-7)


def test_interpolation_violation_detects_non_interpolable_data():
    rng = np.random.default_rng(0)
    H = np.diag([MU, 0.5, 1.0])
    X = rng.normal(size=(6, 3))
    Gd = X @ H
    f = 0.5 * np.sum(X * Gd, axis=1)
    assert sam_windowed.interpolation_violation(X, Gd, f, MU, True) < 1e-12
    # a gradient of curvature 2 > beta = 1 is not beta-smooth: some pair must fail
    assert sam_windowed.interpolation_violation(X, 2 * Gd, 2 * f, MU, True) > 1e-3
    # values below f* = 0 at x* contradict x* being the minimizer
    assert sam_windowed.interpolation_violation(X, Gd, f - 1.0, MU, True) > 0.5


@pytest.fixture(scope="module")
def windowed5():
    return sambounds.worst_case(setting(5), measure="f", sam_window=2, tighten=True, search_evals=30)


@pytest.fixture(scope="module")
def dense5():
    return sambounds.worst_case(setting(5), measure="f", search_evals=30)


def test_windowed_upper_covers_dense_lower_and_shrinks_the_gap(windowed5, dense5):
    w, d = windowed5, dense5
    assert w.kind == "relaxation" and w.lower is not None and w.solver["status"] == "optimal"
    assert w.value >= w.lower * (1 - 1e-6)
    # sound: never below what the dense search attained with a real function
    assert w.value >= d.lower * (1 - 1e-6)
    # the secant cuts (cheap here) and the feasible start from the relaxation's own interpolant
    gap_new, gap_old = w.gap / w.value, d.gap / d.value
    assert gap_new < 0.5 * gap_old, (gap_new, gap_old)


def test_windowed_witness_rerun_independently(windowed5):
    w = windowed5
    fn = w.witness.function()
    # an independent loop (not the simulator that produced `lower`) on the same function
    run = run_method(fn, "sam", w.setting.steps, RHO, w.witness.x0)
    x_star, f_star = fn.minimum()
    assert measure_of(run, "f", f_star, x_star) == pytest.approx(w.lower, rel=1e-6, abs=1e-12)
    # and the simulator itself
    sim = sambounds.simulate(w.setting, fn, w.witness.x0, record_trajectory=True)
    xT = sim.trajectory[-1, 0, 0, 0]
    assert float(fn.value(xT[None])[0] - f_star) == pytest.approx(w.lower, rel=1e-6, abs=1e-12)
    # the run meets the initial condition and, its data being interpolable, follows the slice's norms
    assert np.linalg.norm(w.witness.x0 - x_star) <= D * (1 + 1e-6)
    assert w.search["interpolation_violation"] < 1e-5
    norms = np.linalg.norm(run["g"][:-1], axis=1)
    assert norms == pytest.approx(np.array(w.slice_c), rel=1e-3, abs=1e-6)


def test_gradient_bounds_cover_the_run(windowed5):
    norms = np.linalg.norm(windowed5.replay.run["g"][:-1], axis=1)
    assert np.all(norms <= np.array(windowed5.gradient_bounds) * (1 + 1e-6))


def test_horizon_30_relaxation_and_slice_solve():
    spec = make_spec(setting(30), "f")
    prog, relaxed, _ = sam_windowed.solve_relaxation(spec, 2, tighten=False)
    assert relaxed.status == "optimal" and prog.size["blocks"] == 29 and prog.size["block_k"] == 8
    slice_prog = sam_chordal.ChordalProgram(spec, 2, "slice")
    c = sam.quadratic_norms(spec)[1]            # SAM on a 1-D quadratic: some function has these norms
    best = sam_windowed.WindowedSlice(tuple(c), slice_prog, slice_prog.solve(c))
    assert relaxed.value >= best.value * (1 - 1e-7)
    w, rp, viol = sam_windowed.slice_witness(spec, best)
    assert rp.replayed <= relaxed.value * float(spec.scale()) * (1 + 1e-6)
    assert rp.replayed > 0


@pytest.mark.slow
def test_worst_case_at_horizon_30():
    r = sambounds.worst_case(setting(30), measure="f", sam_window=2, tighten=True, search_evals=20)
    assert r.solver["status"] == "optimal" and r.lower is not None
    assert r.value >= r.lower * (1 - 1e-6) and r.lower > 0


@pytest.mark.parametrize("bad", [0, -1, 2.0, "2", True])
def test_bad_window(bad):
    with pytest.raises(InvalidParameterError, match="sam_window"):
        sambounds.worst_case(setting(3), sam_window=bad)


def test_windowed_size_check_is_linear_and_refuses_before_work():
    with pytest.raises(InvalidParameterError, match="windowed"):
        sambounds.worst_case(setting(10 ** 6), sam_window=2)


def test_branch_and_bound_stays_above_exact_slices_and_closes_the_gap():
    from sambounds.errors import SolverError

    spec = make_spec(setting(2), "f")
    # independent lower values: exact slices (window >= T keeps every pair) on a grid of norms
    exact = sam_chordal.ChordalProgram(spec, 2, "slice")
    grid = np.exp(np.linspace(np.log(0.05), np.log(1.0), 8))
    values = []
    for a in grid:
        for b in grid:
            try:
                values.append(exact.solve(np.array([a, b])).value)
            except SolverError:
                pass
    assert len(values) > 10
    r = sambounds.worst_case(setting(2), measure="f", sam_window=2, sam_branch=12, search_evals=10)
    root = r.search["branch"]["root_value"]
    assert r.value <= root * (1 + 1e-9)
    assert r.value >= max(values) * (1 - 1e-6)
    assert r.value >= r.lower * (1 - 1e-6)
    # the dense program's gap here is 4-6 %; splitting the norms' boxes closes it to < 1 %
    assert r.gap / r.value < 1e-2


def test_branch_needs_the_window():
    with pytest.raises(InvalidParameterError, match="sam_branch"):
        sambounds.worst_case(setting(3), sam_branch=5)


def test_bad_solver_option_names_the_option():
    with pytest.raises(InvalidParameterError, match="solver_options"):
        sambounds.worst_case(setting(2), sam_window=2, solver_options={"no_such_option": 1}, search_evals=1)


def test_multipliers_certify_the_relaxation_value():
    # weak duality with multipliers checked here (not the solver's word): dual value ~ primal value
    spec = make_spec(setting(6), "f")
    sol = sam_chordal.ChordalProgram(spec, 2, "relax").solve()
    d = sol.diagnostics
    assert d["dual_residual"] < 1e-6 and d["duality_gap"] < 1e-6
    assert sol.dual_value == pytest.approx(sol.value, rel=1e-6)


def test_cli_windowed_worst_case():
    import json

    from click.testing import CliRunner

    from sambounds.cli import cli

    out = CliRunner().invoke(cli, ["worst-case", "--algorithm", "sam", "--class", "strongly-convex", "--beta", "1",
                                   "--mu", "0.1", "--rho", "0.1", "--eta", "0.5", "--T", "4", "--D", "1",
                                   "--sam-window", "2", "--search-evals", "6", "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert doc["search"]["window"] == 2 and doc["solver"]["formulation"] == "chordal"
    assert doc["value"] >= doc["lower"] > 0


def test_window_is_for_sam_only():
    gd = Setting.create("gd", "convex", T=3, beta=1.0, eta=1.0, D=1.0)
    with pytest.raises(InvalidParameterError, match="sam_window"):
        sambounds.worst_case(gd, sam_window=2)


def test_full_window_is_refused_like_the_dense_program():
    # window >= T is the dense program: its size is refused at the same horizons
    with pytest.raises(InvalidParameterError, match="windowed"):
        sambounds.worst_case(setting(30), sam_window=30)
