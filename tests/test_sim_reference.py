"""The batched kernel against a plain one-trajectory reference written here (docs/theory.md section 1).

The reference runs one (function, start, schedule) triple at a time with plain Python/NumPy:
u = g/||g|| (np.linalg.norm, u = 0 when g = 0), the update rules of the table, the metrics as
plain lists.  For n-SAM and m-SAM it reproduces the documented sampling contract
(sambounds.sim.sampling): per step one (F, S, K, b) uniform array (two for n-SAM, ascent first),
indices j(u) = #{k < n-1 : c_k <= u}, evaluated here with an explicit comparison loop.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sambounds import Setting, simulate
from sambounds.functions import LS, DoubleWell, LogcoshRidge, LogisticRegression, Quadratic, Trigonometric


def _single(fn, objective, i, point):
    """Evaluate the batched ``fn`` for function i alone at one point."""
    x = np.zeros((objective.n_functions, 1, objective.dim))
    x[i, 0] = point
    return fn(x)[i, 0]


def _index(u, cum):
    return sum(int(u >= c) for c in cum[:-1])


def reference_run(objective, i, x0, steps, algorithm, rho, uniforms=None, s=0, k=0):
    """One trajectory; ``uniforms[t]`` = the list of (F, S, K, b) arrays drawn at step t."""
    x = np.array(x0, dtype=float)
    gaps, grads, dists, weighted = [], [], [], 0.0
    x_star = None if objective.x_star is None else objective.x_star[i]
    cum = None if uniforms is None else np.cumsum(objective.probs[i])
    for t, eta in enumerate(steps):
        g = _single(objective.grad, objective, i, x)
        grads.append(float(g @ g))
        if x_star is not None:
            dists.append(float((x - x_star) @ (x - x_star)))
        gaps.append(float(_single(objective.value, objective, i, x) - objective.f_star[i]))
        weighted += eta * float(g @ g)
        if algorithm == "gd":
            d = g
        elif algorithm in ("sam", "usam"):
            n = np.linalg.norm(g)
            pert = g if algorithm == "usam" else (g / n if n > 0 else 0 * g)
            d = _single(objective.grad, objective, i, x + rho * pert)
        else:
            draws = uniforms[t]
            ja = [_index(u, cum) for u in draws[0][i, s, k]]
            jd = ja if algorithm == "m-sam" else [_index(u, cum) for u in draws[1][i, s, k]]

            def cgrad(p, js):
                xx = np.zeros((objective.n_functions, 1, objective.dim))
                xx[i, 0] = p
                idx = np.zeros((objective.n_functions, 1, len(js)), dtype=int)
                idx[i, 0] = js
                return objective.component_grad(xx, idx)[i, 0]

            ga = cgrad(x, ja)
            n = np.linalg.norm(ga)
            d = cgrad(x + rho * (ga / n if n > 0 else 0 * ga), jd)
        x = x - eta * d
    g = _single(objective.grad, objective, i, x)
    m = dict(gap_final=float(_single(objective.value, objective, i, x) - objective.f_star[i]),
             gap_min=min(gaps), gap_mean=float(np.mean(gaps)), grad_min=min(grads),
             grad_mean=float(np.mean(grads)), grad_final=float(g @ g), weighted=weighted)
    if x_star is not None:
        m.update(dist_final=float((x - x_star) @ (x - x_star)), dist_min=min(dists), dist_mean=float(np.mean(dists)))
    return x, m


def _objective(kind, F, d, seed):
    rng = np.random.default_rng(seed)
    if kind == "quadratic":
        return Quadratic.rotated(rng.uniform(0.1, 2.0, (F, d)), seed=seed, center=rng.normal(size=(F, d)))
    if kind == "logcosh":
        return LogcoshRidge(rng.normal(size=(F, d + 1, d)) / np.sqrt(d), center=rng.normal(size=(F, d)), lam=0.05)
    if kind == "double-well":
        return DoubleWell(rng.uniform(1.5, 5, F), dim=d)
    return Trigonometric(rng.normal(size=(F, d)), a=0.3, b=0.5, omega=1.3)


def _compare(res, objective, x0, steps, algorithm, rho, uniforms=None):
    F, S, K = res.shape
    for i in range(F):
        for s in range(S):
            for k in range(K):
                x, m = reference_run(objective, i, x0[i, s], steps[k], algorithm, rho, uniforms, s, k)
                np.testing.assert_allclose(res.x_final[i, s, k], x, rtol=1e-12, atol=1e-12)
                fields = [("gap_final", res.gap.final), ("gap_min", res.gap.min), ("gap_mean", res.gap.mean),
                          ("grad_min", res.grad_sq.min), ("grad_mean", res.grad_sq.mean),
                          ("grad_final", res.grad_sq.final), ("weighted", res.weighted_grad_sq_sum)]
                assert (res.dist_sq is None) == ("dist_final" not in m)
                if res.dist_sq is not None:
                    fields += [("dist_final", res.dist_sq.final), ("dist_min", res.dist_sq.min),
                               ("dist_mean", res.dist_sq.mean)]
                for name, got in fields:
                    np.testing.assert_allclose(got[i, s, k], m[name], rtol=1e-12, atol=1e-12, err_msg=name)


@settings(max_examples=30)
@given(algorithm=st.sampled_from(["sam", "usam", "gd"]),
       kind=st.sampled_from(["quadratic", "logcosh", "double-well", "trig"]),
       F=st.integers(1, 3), S=st.integers(1, 3), K=st.integers(1, 2), d=st.integers(1, 4),
       T=st.integers(1, 25), rho=st.floats(0.0, 0.5), seed=st.integers(0, 2**31))
def test_deterministic_batched_step_equals_reference(algorithm, kind, F, S, K, d, T, rho, seed):
    objective = _objective(kind, F, d, seed)
    rng = np.random.default_rng(seed + 1)
    x0 = rng.normal(size=(F, S, d))
    steps = rng.uniform(0.01, 0.6, (K, T)) / objective.beta.max()
    rho = 0.0 if algorithm == "gd" else rho
    setting = Setting.create(algorithm, "nonconvex", beta=1.0, rho=None if algorithm == "gd" else rho, T=T, eta=0.1)
    res = simulate(setting, objective, x0, schedules=steps)
    _compare(res, objective, x0, steps, algorithm, rho)


@settings(max_examples=25)
@given(algorithm=st.sampled_from(["n-sam", "m-sam"]), kind=st.sampled_from(["L-S", "logistic"]),
       S=st.integers(1, 3), K=st.integers(1, 2), b=st.integers(1, 3), T=st.integers(1, 15),
       rho=st.floats(0.0, 0.5), seed=st.integers(0, 2**31))
def test_stochastic_batched_step_equals_reference(algorithm, kind, S, K, b, T, rho, seed):
    if kind == "L-S":
        objective = LS([1.0, 2.0], 0.2, [0.1, 0.3], 3.0)          # different p per function
    else:
        objective = LogisticRegression.synthetic(n_samples=7, dim=3, n_functions=2, seed=seed)
    F, d = objective.n_functions, objective.dim
    rng = np.random.default_rng(seed + 1)
    x0 = rng.normal(size=(F, S, d))
    steps = rng.uniform(0.01, 0.6, (K, T)) / objective.beta.max()
    setting = Setting.create(algorithm, "strongly-convex", beta=1.0, mu=0.5, rho=rho, sigma=1.0, T=T, eta=0.1)
    res = simulate(setting, objective, x0, schedules=steps, seed=seed, batch_size=b)
    gen = np.random.default_rng(seed)
    n_draws = 2 if algorithm == "n-sam" else 1
    uniforms = [[gen.random((F, S, K, b)) for _ in range(n_draws)] for _ in range(T)]
    _compare(res, objective, x0, steps, algorithm, rho, uniforms)


@pytest.mark.parametrize("algorithm", ["sam", "usam", "gd"])
@pytest.mark.parametrize("kind", ["centred-quadratic", "quadratic", "double-well", "trig"])
def test_fixed_batch_over_a_long_horizon_equals_reference(algorithm, kind):
    """Pins simulate on one fixed batch (F = 2, S = 3, K = 3 schedules, d = 5, T = 40) against the plain loop.

    The kinds cover every path of the kernel's buffers: x* = 0 (||x_t - x*||^2 is ||x_t||^2),
    x* != 0, no x* (the divergence region measured from x_0), families that allocate their
    gradients and the quadratic that writes H r into the kernel's buffers; K = 3 gives x_0 a
    layout that is not C-contiguous.  (Over much longer horizons rounding differences of 1e-16
    between any two correct implementations grow past 1e-12 near SAM's 2-cycle and along the
    double well's unstable directions, so the horizon stays moderate.)
    """
    F, S, K, d, T = 2, 3, 3, 5, 40
    if kind == "centred-quadratic":
        objective = Quadratic.rotated(np.linspace(0.1, 1.0, F * d).reshape(F, d), seed=7)
    else:
        objective = _objective(kind, F, d, seed=11)
    rng = np.random.default_rng(12)
    x0 = 3.0 * rng.normal(size=(F, S, d))
    steps = np.stack([np.full(T, 0.3), np.linspace(0.9, 0.05, T), np.full(T, 0.1)]) / objective.beta.max()
    rho = 0.0 if algorithm == "gd" else 0.02
    setting = Setting.create(algorithm, "nonconvex", beta=1.0, rho=None if algorithm == "gd" else rho, T=T, eta=0.1)
    res = simulate(setting, objective, x0, schedules=steps)
    assert res.shape == (F, S, K) and not res.diverged.any()
    paths = {"centred-quadratic": "zero", "quadratic": "nonzero", "double-well": "none", "trig": "nonzero"}
    x_star = objective.x_star
    assert paths[kind] == ("none" if x_star is None else "zero" if not np.any(x_star) else "nonzero")
    _compare(res, objective, x0, steps, algorithm, rho)
