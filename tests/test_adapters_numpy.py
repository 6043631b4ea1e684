"""The NumPy adapter and conformance (no extra needed): a researcher's SAM, three injected bugs, bad input."""

from __future__ import annotations

import numpy as np
import pytest

import adapter_user_sam as user
import sambounds
from sambounds.adapters import OptimizerError, conform, simulate_optimizer
from sambounds.check.families import FamilySpec
from sambounds.check.witness import rerun
from sambounds.testing import BoundAssertionError, ConformanceError, assert_conforms, assert_respects
from sambounds.theory.user import register_bound


def _quadratic():
    return FamilySpec("quadratic", {"spectrum": [[0.1, 0.5, 1.0]], "rotation_seed": 1}).build()[0]


def test_numpy_gd_step_reproduces_the_kernel_bit_for_bit():
    """The kernel's step hook: a plain GD step gives exactly the built-in GD trajectory (GD does not amplify)."""
    def gd(eta):
        return lambda x, grad_fn, t: x - eta(t) * grad_fn(x)

    f = _quadratic()
    setting = sambounds.Setting.create("gd", "convex", beta=1.0, T=50, eta=0.7)
    x0 = np.random.default_rng(0).standard_normal((2, 3))
    ref = sambounds.simulate(setting, f, x0, record_trajectory=True)
    got = simulate_optimizer(gd, setting, f, x0, record_trajectory=True, framework="numpy")
    assert np.array_equal(got.trajectory, ref.trajectory)
    assert np.array_equal(got.grad_sq.mean, ref.grad_sq.mean)


def test_researchers_sam_is_recognised_as_sam():
    r = conform(user.sam, framework="numpy")
    assert r.match == "sam" and r.T >= 100
    assert r.fit("sam").max_deviation < 1e-12                 # rounding level at every step
    assert r.fit("usam").max_deviation > 0.1 and r.fit("gd").max_deviation > 0.01
    assert abs(r.fit("sam").rho - user.RHO) < 1e-12          # inferred from ||y - x||
    assert r.perturbation.normalized and r.perturbation.eps is None
    assert {"rotated quadratic", "double well", "trigonometric"} <= set(r.probes)
    assert "matches SAM" in r.summary()


@pytest.mark.parametrize("factory, match, finding", [
    (user.usam, "usam", "not normalized"),
    (user.descent_at_x, "gd", "descent gradient is taken at x_t"),
    (user.flipped, None, "sign is flipped"),
])
def test_each_injected_bug_is_caught_with_step_and_function(factory, match, finding):
    r = conform(factory, framework="numpy")
    assert r.match == match
    assert any(finding in d for d in r.diagnosis())
    first = r.fit("sam").first_exceeding
    assert first is not None and first.step == 0 and first.probe == "rotated quadratic"
    with pytest.raises(ConformanceError, match=r"does not follow SAM .* first deviation from SAM at step t=0 on "
                                               r"rotated quadratic \[function 0, start 0\]"):
        assert_conforms(factory, "sam", framework="numpy")


def test_eps_in_the_normalization_is_measured():
    r = conform(user.sam_eps, framework="numpy")
    assert r.fit("sam+eps").rho == pytest.approx(user.RHO, rel=1e-9)   # inferred through the eps model
    assert r.match == "sam" and r.fit("sam").max_deviation > 1e-6   # the eps-free reference differs
    assert r.perturbation.eps == pytest.approx(1e-8, rel=0.05)
    shrunk = [ratio for g, ratio in r.perturbation.shrink if g < 1e-9]
    assert shrunk and max(shrunk) < 0.2                      # ||y - x|| << rho once ||g|| << eps
    assert r.fit("sam+eps").max_deviation < 1e-12           # SAM with that eps explains every step


def test_batched_step_must_normalize_per_trajectory():
    assert conform(user.sam, framework="numpy", batched=True).match == "sam"
    assert conform(user.sam_global_norm, framework="numpy", batched=True).match is None


def test_bad_input_names_the_argument():
    with pytest.raises(OptimizerError, match="invalid optimizer=42"):
        conform(42)
    with pytest.raises(OptimizerError, match="RuntimeError: my optimizer needs a config file") as e:
        conform(user.raising_factory)
    assert e.value.name == "optimizer"
    with pytest.raises(OptimizerError, match="it returned a int"):
        conform(user.not_a_step, framework="numpy")
    with pytest.raises(OptimizerError, match=r"returned NaN at step t=3 on function 0, start 0"):
        conform(user.nan_step, framework="numpy")
    with pytest.raises(OptimizerError, match="has no attribute 'missing'"):
        conform("adapter_user_sam:missing")
    with pytest.raises(sambounds.InvalidParameterError, match="invalid framework='jaxx'"):
        conform(user.sam, framework="jaxx")
    with pytest.raises(sambounds.InvalidParameterError, match="invalid calls_per_step"):
        conform(user.sam, framework="numpy", calls_per_step=2)
    for bad in (dict(T=0), dict(T=10**9), dict(rho=-1.0), dict(eta=2.5), dict(tol=0.0), dict(seed=-1)):
        with pytest.raises(sambounds.InvalidParameterError, match=f"invalid {next(iter(bad))}="):
            conform(user.sam, framework="numpy", **bad)


def test_bound_checker_runs_on_the_users_optimizer_and_its_witness_reruns(tmp_path):
    ratio = assert_respects("D-NC/schedule", optimizer="adapter_user_sam:sam", rho=user.RHO, framework="numpy",
                            batched=True)
    assert 0.9 < ratio <= 1.0 + 1e-9                          # D-NC is tight (H = beta I, eta = 1/beta)
    wrong = register_bound("2*Delta", name="wrong/no-rho-term", algorithm="sam", function_class="nonconvex",
                           quantity="grad-wsum", step="schedule", step_limit="1/beta")
    with pytest.raises(BoundAssertionError, match=r"(?s)violates upper bound wrong/no-rho-term.*instance: adapter_user_sam:sam"
                       ) as e:
        assert_respects(wrong, optimizer="adapter_user_sam:sam", rho=user.RHO, framework="numpy", batched=True,
                        witness_dir=tmp_path)
    import json

    doc = json.loads(e.value.witness.read_text())
    assert doc["probe"]["optimizer"]["factory"] == "adapter_user_sam:sam"
    replay = rerun(e.value.witness)
    assert replay.matches and replay.got["measured"] > replay.got["bound"]
    with pytest.raises(sambounds.InvalidParameterError, match="invalid rho=None"):
        assert_respects("D-NC/schedule", optimizer=user.sam, framework="numpy")


def test_adapters_import_no_framework_until_used():
    import subprocess
    import sys

    code = ("import sys, sambounds.adapters.conformance, sambounds.testing.assertions; "
            "print(sorted(m for m in ('torch', 'jax', 'optax', 'pytorch_optimizer') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_schedule_is_the_step_sizes_sambounds_sets():
    from sambounds.adapters import Schedule

    eta = Schedule(np.array([0.5, 0.25]))
    assert eta(0) == 0.5 and eta(np.int64(1)) == 0.25
    with pytest.raises(sambounds.InvalidParameterError, match="invalid t=2"):
        eta(2)
    with pytest.raises(sambounds.InvalidParameterError, match="invalid t=0.5"):
        eta(0.5)


def test_an_optimizer_that_ignores_the_schedule_matches_nothing():
    """sambounds drives eta_t (a cosine from 0.5 to 0.05): a step with its own fixed lr is not SAM."""
    def own_lr(eta):
        def step(x, grad_fn, t):
            g = grad_fn(x)
            return x - 0.5 * grad_fn(x + user.RHO * g / np.linalg.norm(g))
        return step

    r = conform(own_lr, framework="numpy")
    assert r.match is None and r.fit("sam").first_exceeding.step > 0   # eta_0 = 0.5 agrees, later steps not


def test_the_search_attacks_an_outside_optimizer_at_its_own_rho():
    # D-NC x 0.9 is wrong at H = beta I, eta = 1/beta; the search alone (no menu) must find it on the user's SAM
    from sambounds.adapters.spec import resolve
    from sambounds.check.report import Verdict
    from sambounds.check.upper import attack_upper
    from sambounds.theory.catalog import catalog
    from sambounds.theory.user import bound_from_spec, bound_to_spec
    import sympy as sp

    spec = bound_to_spec(catalog["D-NC/constant"])
    spec.update(name="wrong/D-NC x 0.9", expression=sp.sstr(sp.Rational(9, 10) * catalog["D-NC/constant"].expr),
                provenance="literature", proof=None)
    wrong = bound_from_spec(spec)
    optimizer = resolve("adapter_user_sam:sam", "numpy", batched=True)
    r, _ = attack_upper(wrong, rate=False, menu=False, rhos=(user.RHO,), optimizer=optimizer)
    assert r.verdict is Verdict.VIOLATED, r.evidence
    assert r.witness["probe"]["optimizer"]["factory"] == "adapter_user_sam:sam"
    assert r.witness["probe"]["rho"] == user.RHO      # the optimizer's radius, never a searched one
    assert rerun(r.witness).matches
    with pytest.raises(sambounds.InvalidParameterError, match="rhos"):
        attack_upper(wrong, rate=False, rhos=(0.05, 0.1), optimizer=optimizer)
