"""The pytest plugin and the bound assertions, exercised through pytester (in-process, fast).

Plugin autoloading is disabled in these runs and the plugin is given with ``-p``, so the tests
behave the same whether or not an installed sambounds already registers it by entry point.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from sambounds import Setting
from sambounds.check.families import FamilySpec
from sambounds.check.witness import rerun
from sambounds.errors import InvalidParameterError
from sambounds.testing import BoundAssertionError, assert_respects, assert_witnessed, simulate_run
from sambounds.theory.user import register_bound

pytest_plugins = ["pytester"]

RESEARCH_CI = Path(__file__).resolve().parents[1] / "examples" / "research_ci"
PLUGIN = ("-p", "sambounds.testing.plugin", "-p", "no:cacheprovider")


@pytest.fixture
def isolated(pytester, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    return pytester


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _lsc(beta=1.0, mu=0.05, R=0.2):
    return FamilySpec("L-SC", {"beta": [beta], "mu": [mu], "R": [R]})


def test_research_ci_example_passes_and_fails_as_documented(isolated, tmp_path):
    shutil.copytree(RESEARCH_CI, isolated.path, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", ".hypothesis", ".pytest_cache"))
    witness_dir = tmp_path / "witnesses"
    result = isolated.runpytest_inprocess(*PLUGIN, f"--sambounds-witness-dir={witness_dir}")
    if not _has("torch"):
        result.assert_outcomes(passed=2, failed=1, skipped=1)   # tests/test_my_optimizer.py needs torch
    else:
        # tests/test_my_optimizer.py: pytorch-optimizer's SAM (when installed) and MySAM pass, the buggy
        # MySAM fails on purpose
        third_party = 2 if _has("pytorch_optimizer") else 0
        result.assert_outcomes(passed=3 + third_party, failed=2, skipped=2 - third_party)
        result.stdout.fnmatch_lines([
            "*ConformanceError: my_optimizer:my_sam_buggy (torch) does not follow SAM (it matches USAM): first "
            "deviation from SAM at step t=0 on rotated quadratic [[]function 0, start 0[]]*",
            "FAILED tests/test_my_optimizer.py::test_my_buggy_sam_is_sam*",
        ])
    result.stdout.fnmatch_lines([
        "*violates upper bound my-claim/no-rho-floor: f(x_T) - f[*] measured * vs bound *, measured/bound ratio *",
        "*instance: sam on L-SC(beta=[[]1.0[]], mu=[[]0.05[]], R=[[]0.2[]]) [[]function 0[]], x0=[[]1.0[]], T=1000*",
        "*witness: *witness-my-claim_no-rho-floor.json (replay: sambounds rerun *",
        "FAILED tests/test_my_sam.py::test_claimed_rate_without_rho_floor*",
    ])
    text = result.stdout.str()
    ratio = float(re.search(r"measured/bound ratio ([0-9.e+-]+)", text).group(1))
    assert ratio > 1e6  # the rho^2 floor against a bound that decays geometrically
    path = Path(re.search(r"witness: (\S+\.json)", text).group(1))
    assert path.parent.parent == witness_dir and path.exists()
    replay = rerun(path)  # the witness re-runs to the same numbers
    assert replay.matches and replay.rel_error == 0.0
    assert replay.got["measured"] > replay.got["bound"]


def test_fixtures_are_seeded_per_test_and_by_option(isolated):
    isolated.makepyfile(test_seed="""
        def test_a(sam_seed, sam_catalog):
            print("SEED", sam_seed)
            assert sam_catalog["L-SC/limit"].kind.value == "lower"
    """)
    seeds = []
    for base in ("0", "0", "7"):
        res = isolated.runpytest_inprocess(*PLUGIN, "-s", f"--sambounds-seed={base}")
        res.assert_outcomes(passed=1)
        seeds.append(int(re.search(r"SEED (\d+)", res.stdout.str()).group(1)))
    assert seeds[0] == seeds[1] and seeds[2] == (seeds[0] + 7) % 2**32


def test_sam_simulate_is_the_seeded_simulator(isolated):
    isolated.makepyfile(test_sim="""
        import numpy as np
        from sambounds import Setting
        from sambounds.check.families import FamilySpec
        from sambounds.sim.api import simulate

        def test_same_numbers(sam_simulate, sam_seed):
            spec = FamilySpec("L-S", {"beta": [1.0], "rho": [0.1], "p": [0.2], "K": [2.0]})
            f = spec.build()[0]
            s = Setting.create("n-sam", "strongly-convex", beta=1.0, mu=1.0, rho=0.1, sigma=float(f.sigma[0]),
                               T=30, eta=0.3)
            run = sam_simulate(s, spec, [[0.5]], replicas=4)
            ref = simulate(s, f, np.repeat([[[0.5]]], 4, axis=1), seed=sam_seed)
            assert run.seed == sam_seed and run.x0.shape == (1, 4, 1)
            np.testing.assert_array_equal(run.result.x_final, ref.x_final)
    """)
    isolated.runpytest_inprocess(*PLUGIN).assert_outcomes(passed=1)


def test_unknown_bound_name_is_a_clear_error(isolated):
    isolated.makepyfile(test_bad="""
        from sambounds import Setting
        from sambounds.check.families import FamilySpec

        def test_unknown(sam_simulate, sam_assert):
            s = Setting.create("sam", "strongly-convex", beta=1.0, mu=0.1, rho=0.1, T=5, eta=0.5)
            run = sam_simulate(s, FamilySpec("quadratic", {"spectrum": [[0.1, 1.0]]}), [[1.0, 1.0]])
            sam_assert.respects("D-SC/no-such-bound", run)
    """)
    res = isolated.runpytest_inprocess(*PLUGIN)
    res.assert_outcomes(failed=1)
    res.stdout.fnmatch_lines(["*InvalidParameterError: invalid bound='D-SC/no-such-bound': allowed is a catalog "
                              "bound name (see `sambounds list`)*"])


# ---- the assertions directly -----------------------------------------------------------------------

def test_assert_respects_returns_the_closed_form_ratio_on_the_two_cycle():
    # On L-SC with constant eta the gap is the 2-cycle value beta^3 eta^2 rho^2 / (2 (2 - eta beta)^2),
    # and L-SC/limit is exactly that value: the witnessed ratio is 1 to rounding.
    beta, rho, eta = 1.0, 0.1, 0.5
    s = Setting.create("sam", "strongly-convex", beta=beta, mu=0.05, rho=rho, T=400, eta=eta)
    run = simulate_run(s, _lsc(), [[1.0], [0.3]])
    assert assert_witnessed("L-SC/limit", run) == pytest.approx(1.0, abs=1e-9)
    ratio = assert_respects("D-SC/weak/constant", run)
    expected_gap = beta**3 * eta**2 * rho**2 / (2 * (2 - eta * beta) ** 2)
    # the worst ratio is on the start with the smallest Delta = f(x_0) - f* (each run uses its own Delta)
    weak = (1 - 0.05 * eta) ** 400 * float(run.result.value_initial.min()) \
        + beta**3 * eta * rho**2 * (1 - (1 - 0.05 * eta) ** 400) / (2 * 0.05)
    assert ratio == pytest.approx(expected_gap / weak, rel=1e-6)


def test_assert_witnessed_fails_when_the_run_is_too_short(tmp_path):
    # started at x* = 0 the gradient is 0, so (zero-gradient convention) SAM stays there: gap 0 < the cycle's value
    s = Setting.create("sam", "strongly-convex", beta=1.0, mu=0.05, rho=0.1, T=1, eta=0.5)
    run = simulate_run(s, _lsc(), [[0.0]])
    with pytest.raises(BoundAssertionError) as info:
        assert_witnessed("L-SC/limit", run, witness_dir=tmp_path)
    message = str(info.value)
    assert message.startswith("does not reach lower bound L-SC/limit:") and "measured/bound ratio" in message
    assert info.value.witness is not None and info.value.witness.parent == tmp_path
    doc = json.loads(info.value.witness.read_text())
    assert doc["kind"] == "bound-witness" and doc["check"] == "lower"
    assert rerun(info.value.witness).matches


def test_user_bound_violation_names_everything(tmp_path):
    claim = register_bound("Delta*prod_mu", name="claim", algorithm="sam", function_class="strongly-convex",
                           quantity="gap", step="schedule", step_limit="1/beta")
    s = Setting.create("sam", "strongly-convex", beta=1.0, mu=0.05, rho=0.1, T=300, eta=0.5)
    run = simulate_run(s, _lsc(), [[1.0]], seed=3)
    with pytest.raises(BoundAssertionError) as info:
        assert_respects(claim, run, witness_dir=tmp_path)
    msg = str(info.value)
    gap = 1.0**3 * 0.5**2 * 0.1**2 / (2 * 1.5**2)
    bound = (1 - 0.05 * 0.5) ** 300 * float(run.result.value_initial[0, 0, 0])
    got = float(re.search(r"measured ([0-9.e+-]+)", msg).group(1))
    assert got == pytest.approx(gap, rel=1e-5)
    assert float(re.search(r"ratio ([0-9.e+-]+)", msg).group(1)) == pytest.approx(gap / bound, rel=1e-5)
    assert "L-SC(beta=[1.0], mu=[0.05], R=[0.2])" in msg and "x0=[1.0]" in msg and "seed=3" in msg
    assert str(info.value.witness) in msg


def test_expectations_need_replicas_and_use_a_confidence_bound():
    spec = FamilySpec("L-S", {"beta": [1.0], "rho": [0.1], "p": [0.2], "K": [2.0]})
    sigma = float(spec.build()[0].sigma[0])
    s = Setting.create("n-sam", "strongly-convex", beta=1.0, mu=1.0, rho=0.1, sigma=sigma, T=60, eta=0.5)
    with pytest.raises(InvalidParameterError, match="replicas"):
        assert_respects("S-SC/constant/n-sam", simulate_run(s, spec, [[0.3]]))
    ratio = assert_respects("S-SC/constant/n-sam", simulate_run(s, spec, [[0.3]], replicas=64, seed=1))
    assert 0 < ratio < 1


@pytest.mark.parametrize("bound,run_setting,error", [
    ("L-SC/limit", dict(eta=0.5), "an upper bound"),                 # a lower bound given to assert_respects
    ("paper/D-SC/rate", dict(eta=0.5), "explicit constants"),        # order-only paper claim
    ("D-SC/theorem-a/constant", dict(eta=0.9), "applies"),           # step condition eta <= 1/(2 beta) fails
    ("D-SC/theorem-a/prescribed", dict(eta=0.4), "own step sizes"),  # prescribed rule (0.5 here), another step
    ("S-SC/constant/n-sam", dict(eta=0.5), "bound about sam"),       # wrong algorithm
    (42, dict(eta=0.5), "catalog bound name"),
])
def test_bad_assertion_requests_raise_clear_errors(bound, run_setting, error):
    s = Setting.create("sam", "strongly-convex", beta=1.0, mu=0.05, rho=0.1, T=20, Delta=1.0, **run_setting)
    run = simulate_run(s, _lsc(), [[1.0]])
    with pytest.raises(InvalidParameterError, match=re.escape(error)):
        assert_respects(bound, run)


def test_bad_simulate_run_inputs():
    s = Setting.create("sam", "strongly-convex", beta=1.0, mu=0.05, rho=0.1, T=5, eta=0.5)
    with pytest.raises(InvalidParameterError, match="x0"):
        simulate_run(s, _lsc(), np.zeros((1, 2)))
    with pytest.raises(InvalidParameterError, match="replicas"):
        simulate_run(s, _lsc(), [[1.0]], replicas=0)
    with pytest.raises(InvalidParameterError, match="function"):
        simulate_run(s, "L-SC", [[1.0]])
    with pytest.raises(InvalidParameterError, match="run"):
        assert_respects("D-SC/weak/constant", {"x0": 1})


def test_optimizer_fixtures_conform_and_attack_a_users_step(isolated):
    """sam_conform / sam_assert.conforms / sam_assert.respects(optimizer=...) on a NumPy SAM in the test repo."""
    isolated.makepyfile(my_step="""
        import numpy as np

        def sam(eta):
            def step(x, grad_fn, t):
                g = grad_fn(x)
                n = np.linalg.norm(g, axis=-1, keepdims=True)
                return x - eta(t) * grad_fn(x + 0.05 * g / np.where(n > 0, n, 1.0))
            return step

        def usam(eta):
            return lambda x, grad_fn, t: x - eta(t) * grad_fn(x + 0.05 * grad_fn(x))
    """)
    isolated.makepyfile(test_opt="""
        import pytest
        from sambounds.testing import ConformanceError

        def test_conform(sam_conform, sam_assert):
            assert sam_conform("my_step:sam", framework="numpy").match == "sam"
            sam_assert.conforms("my_step:sam", "sam", framework="numpy")
            with pytest.raises(ConformanceError, match="it matches USAM"):
                sam_assert.conforms("my_step:usam", "sam", framework="numpy")

        def test_bound(sam_assert):
            ratio = sam_assert.respects("D-NC/schedule", optimizer="my_step:sam", rho=0.05, framework="numpy",
                                        batched=True)
            assert 0.9 < ratio <= 1.0 + 1e-9
    """)
    isolated.syspathinsert()
    result = isolated.runpytest_inprocess(*PLUGIN)
    result.assert_outcomes(passed=2)
