"""Witness reconstruction, JSON round trip and replay (simulator and an independent loop)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import sambounds
from sambounds import Setting
from sambounds.errors import InvalidParameterError
from sambounds.pep.witness import InterpolatedFunction, load, measure_of, replay, run_method


@pytest.fixture(scope="module")
def result():
    s = Setting.create("usam", "strongly-convex", T=4, beta=2.0, mu=0.3, rho=0.2, eta=0.4, Delta=1.5)
    return sambounds.worst_case(s, measure="grad", initial="function-gap")


def test_interpolant_reproduces_data_and_class(result):
    w = result.witness
    f = w.function()
    vals, grads = f.value_and_grad(w.points[None])
    assert vals[0] == pytest.approx(w.values, abs=1e-6)
    assert np.abs(grads[0] - w.gradients).max() < 1e-3 * (1 + np.abs(w.gradients).max())
    # smoothness and strong convexity between random points of the rebuilt function
    rng = np.random.default_rng(0)
    P = w.points[rng.integers(0, len(w.points), 20)] + 0.3 * rng.normal(size=(20, w.points.shape[1]))
    v, g = f.value_and_grad(P[None])
    v, g = v[0], g[0]
    for i in range(20):
        for j in range(20):
            dx, dg = P[i] - P[j], g[i] - g[j]
            assert np.linalg.norm(dg) <= 2.0 * np.linalg.norm(dx) * (1 + 1e-5) + 1e-7
            assert v[i] >= v[j] + g[j] @ dx + 0.3 / 2 * dx @ dx - 1e-6


def test_replay_via_simulator_matches_independent_loop(result):
    w = result.witness
    rp = replay(w)
    assert rp.rel_error == 0.0 and rp.replayed == w.value     # deterministic: the recorded run
    assert rp.pep_error < 1e-4 and rp.exact                     # and it attains the exact PEP value
    loop = run_method(w.function(), w.algorithm, w.steps, w.rho, w.x0)
    assert np.abs(loop["x"] - rp.run["x"]).max() < 1e-9
    assert measure_of(loop, "grad", 0.0, 0.0) == pytest.approx(rp.replayed, rel=1e-9)
    assert rp.initial_used <= 1.5 * (1 + 1e-6)


def test_json_round_trip_and_replay(result, tmp_path):
    path = tmp_path / "w.json"
    result.witness.to_json(path)
    doc = json.loads(path.read_text())
    assert doc["kind"] == "pep-witness" and doc["algorithm"] == "usam"
    for key in ("points", "gradients", "values", "x0", "steps", "value", "constants", "measure"):
        assert key in doc
    w2 = load(path)
    assert np.array_equal(w2.points, result.witness.points)
    assert replay(path).replayed == pytest.approx(result.replay.replayed, rel=1e-9)


def test_load_rejects_other_documents(tmp_path):
    with pytest.raises(InvalidParameterError):
        load({"kind": "something-else"})
    with pytest.raises(InvalidParameterError):
        load('{"kind": "pep-witness"}')
    with pytest.raises(InvalidParameterError):
        load(tmp_path / "missing.json")


def test_nonconvex_interpolant_infimum_is_a_true_lower_bound():
    s = Setting.create("gd", "nonconvex", T=3, beta=1.0, eta=1.0, Delta=1.0)
    w = sambounds.worst_case(s, measure="min-grad").witness
    f = w.function()
    low = f.infimum()
    rng = np.random.default_rng(1)
    P = 3 * rng.normal(size=(200, w.points.shape[1]))
    assert np.all(f.value(P[None])[0] >= low - 1e-9)


def test_zero_gradient_convention_in_loop():
    f = InterpolatedFunction([[0.0], [1.0]], [[0.0], [1.0]], [0.0, 0.5], beta=1.0, sigma=0.5)
    run = run_method(f, "sam", [0.5, 0.5], 0.3, np.array([0.0]))
    assert np.all(run["x"] == 0.0)   # g = 0 at the start: y = x, SAM stays
    moved = run_method(f, "sam", [0.5], 0.3, np.array([1.0]))
    assert moved["x"][1, 0] == pytest.approx(1.0 - 0.5 * 1.3, abs=1e-6)   # f = x^2/2 on the data hull
    with pytest.raises(InvalidParameterError):
        InterpolatedFunction([[0.0]], [[0.0]], [0.0], beta=1.0, sigma=1.0)
