"""The lower-bound path confirms nothing false: class, algorithm, steps and constants all the bound's own.

Each test is a claim the old checker WITNESSED (or crashed on) although the construction did not
show it: a nonconvex function "witnessing" a convex claim, SAM "witnessing" a USAM claim, the
attack losing its own extreme step to rounding, a prescribed step crashing the construction.
"""

from __future__ import annotations

import numpy as np
import pytest

from sambounds.check.constructions import CONSTRUCTIONS, refusal, step_rows
from sambounds.check.families import FamilySpec
from sambounds.check.lower import check_lower
from sambounds.check.probe import Probe, evaluate
from sambounds.check.report import Verdict
from sambounds.check.upper import check_upper
from sambounds.errors import InvalidParameterError
from sambounds.theory.user import register_bound

L_NC_FLOOR = "c**2*beta**2*rho**2"   # the L-NC limit of (1/T) sum ||grad f||^2 (docs/theory.md s.5)
L_SC_LIMIT = "beta**3*eta**2*rho**2/(2*(2 - beta*eta)**2)"


def _lower(expr, name, **spec):
    spec.setdefault("kind", "lower")
    return register_bound(expr, name=name, **spec)


def test_nonconvex_construction_never_witnesses_a_convex_claim():
    claim = _lower(L_NC_FLOOR, "false/convex-floor", algorithm="sam", function_class="convex",
                   quantity="lim-grad-avg", step="constant", step_limit="2/beta", strict=True,
                   parameters={"c": "99/100"}, conditions=["c < 1"])
    r = check_lower(claim, construction="L-NC", rate=False)
    assert r.verdict is Verdict.NOT_APPLICABLE
    assert "nonconvex" in r.evidence[0] and "convex" in r.evidence[0]
    # the same statement for the nonconvex class is what L-NC shows
    right = _lower(L_NC_FLOOR, "right/nonconvex-floor", algorithm="sam", function_class="nonconvex",
                   quantity="lim-grad-avg", step="constant", step_limit="2/beta", strict=True,
                   parameters={"c": "99/100"}, conditions=["c < 1"])
    assert check_lower(right, construction="L-NC", rate=False).verdict is Verdict.WITNESSED


def test_a_usam_claim_is_run_with_usam_and_refused():
    # SAM's 2-cycle limit claimed for USAM: USAM on L-SC converges to the minimizer
    claim = _lower(L_SC_LIMIT, "false/usam-cycle", algorithm="usam", function_class="strongly-convex",
                   quantity="lim-gap", step="constant", step_limit="1/beta")
    r = check_lower(claim, construction="L-SC", rate=False)
    assert r.verdict is not Verdict.WITNESSED
    assert r.verdict is Verdict.VIOLATED
    assert r.witness["probe"]["algorithm"] == "usam"
    assert r.worst_ratio < 1e-6


def test_a_claim_for_sam_and_usam_needs_both():
    claim = _lower(L_SC_LIMIT, "false/both", algorithm=["sam", "usam"], function_class="strongly-convex",
                   quantity="lim-gap", step="constant", step_limit="1/beta")
    assert check_lower(claim, construction="L-SC", rate=False).verdict is Verdict.VIOLATED


def test_true_cycle_bound_at_eta_beta_one_and_a_half_is_witnessed():
    # the 2-cycle needs R >= 2 rho/(2 - eta beta) there (proofs/l_sc_cycle.py); the check sizes R so
    claim = _lower(L_SC_LIMIT, "right/cycle-1.5", algorithm="sam", function_class="strongly-convex",
                   quantity="lim-gap", step="constant", step_limit="3/(2*beta)")
    r = check_lower(claim, construction="L-SC", rate=False)
    assert r.verdict is Verdict.WITNESSED, r.evidence
    assert r.worst_ratio == pytest.approx(1.0, rel=1e-6)


@pytest.mark.parametrize("name,cls,stochastic", [(c.name, c.function_class.value, c.stochastic)
                                                 for c in CONSTRUCTIONS.values()])
def test_refusal_follows_class_inclusion(name, cls, stochastic):
    algorithm = "n-sam" if stochastic else "sam"
    for fc, inside in (("nonconvex", True), ("lipschitz-nonconvex", False), ("convex", cls != "nonconvex"),
                       ("strongly-convex", cls == "strongly-convex")):
        claim = _lower("rho**2", f"probe/{name}/{fc}", algorithm=algorithm, function_class=fc,
                       quantity="lim-gap", step="every-constant")
        assert (refusal(claim, name) is None) is inside, (name, fc)
    other = "sam" if stochastic else "n-sam"
    claim = _lower("rho**2", f"probe/{name}/noise", algorithm=other, function_class="nonconvex",
                   quantity="lim-gap", step="every-constant")
    assert refusal(claim, name) is not None


def test_restriction_to_quadratics_refuses_a_piecewise_construction():
    claim = _lower(L_SC_LIMIT, "probe/quadratic-only", algorithm="sam", function_class="strongly-convex",
                   quantity="lim-gap", step="constant", step_limit="1/beta", restriction="quadratic")
    r = check_lower(claim, construction="L-SC", rate=False)
    assert r.verdict is Verdict.NOT_APPLICABLE and "quadratic" in r.evidence[0]


def test_extreme_step_is_admitted_by_the_bounds_own_condition():
    # 1/(100 beta): sympy's N and numpy's float path differ by one ulp at beta = 0.1 (and 12 % of betas)
    import sympy as sp
    from sambounds.theory import symbols as S
    naive = float(sp.N(sp.sympify("1/(100*beta)", locals=S.namespace()).subs(S.beta, 0.1)))
    assert naive > (1 / 100) / 0.1, "the rounding case this test is about"
    for beta in (0.1, 0.6176588294147073, 3.0, 7.0, 1.0 / 3.0, 11.0):
        claim = _lower("beta**3*eta**2*rho**2/8", "probe/small-step", algorithm="sam",
                       function_class="strongly-convex", quantity="lim-gap", step="constant",
                       step_limit="1/(100*beta)")
        rows, _ = step_rows(claim, {"beta": beta, "mu": beta / 10}, 0.1, 5)
        top = float(rows.max())
        env = claim.resolve({"beta": beta, "mu": beta / 10, "rho": 0.1, "eta": top})
        assert all(bool(np.all(mask)) for _, mask in claim.check(env)), beta
        assert top == pytest.approx(1 / (100 * beta), rel=1e-15)
        # and the attack of an upper bound with the same limit keeps its top step
        from sambounds.check.attack import step_limit
        up = register_bound("Delta", name="probe/small-step-up", algorithm="gd", function_class="convex",
                            quantity="gap", step="constant", step_limit="1/(100*beta)")
        eta = step_limit(up, {"beta": beta})
        env = up.resolve({"beta": beta, "eta": eta, "Delta": 1.0})
        assert all(bool(np.all(mask)) for _, mask in up.check(env))


def test_prescribed_step_with_a_construction_runs_the_rule():
    claim = _lower(L_SC_LIMIT, "right/prescribed-cycle", algorithm="sam", function_class="strongly-convex",
                   quantity="lim-gap", step="prescribed", rule="inverse-beta")
    r = check_lower(claim, construction="L-SC", rate=False)
    assert r.verdict is Verdict.WITNESSED, r.evidence
    assert r.worst_ratio == pytest.approx(1.0, rel=1e-6)


def test_prescribed_rule_that_needs_delta_is_one_clear_line():
    claim = _lower(L_SC_LIMIT, "probe/prescribed-delta", algorithm="sam", function_class="strongly-convex",
                   quantity="lim-gap", step="prescribed", rule="theorem-a")
    r = check_lower(claim, construction="L-SC", rate=False)
    assert r.verdict is Verdict.NOT_APPLICABLE
    assert len(r.evidence) == 1 and "Delta" in r.evidence[0]


def test_unknown_construction_is_a_clear_error():
    claim = _lower(L_SC_LIMIT, "probe/unknown", algorithm="sam", function_class="strongly-convex",
                   quantity="lim-gap", step="constant", step_limit="1/beta")
    with pytest.raises(InvalidParameterError, match="construction"):
        check_lower(claim, construction="L-XX")


def _mixed_sigma_probe():
    # two exact-noise quadratic sums in one batch: sigma 0.01 and 1
    fam = FamilySpec("quadratic-sum", {"spectrum": [[1.0], [1.0]], "sigma": [0.01, 1.0]})
    return Probe("n-sam", 0.0, 200, fam, np.full((2, 64, 1), 0.0), np.full((1, 200), 0.01),
                 {"beta": 1.0, "mu": 1.0, "sigma": 1.0}, replicas=64, seed=3)


def test_each_function_of_a_batch_is_scored_with_its_own_constants():
    # "E f(x_T) - f* <= beta eta sigma^2/(2 mu) / 20" is false on every function; scored with
    # the batch's largest sigma it would look true on the sigma = 0.01 function
    claim = register_bound("beta*eta*sigma**2/(2*mu)/20", name="false/small-step-floor", algorithm="n-sam",
                           function_class="strongly-convex", quantity="e-gap", step="constant",
                           step_limit="1/beta")
    run = _mixed_sigma_probe().run()
    np.testing.assert_allclose(run.declared["sigma"], [0.01, 1.0])
    ev = evaluate(claim, run)
    np.testing.assert_allclose(ev.value[:, 0, 0], [0.01 * 0.01 ** 2 / 2 / 20, 0.01 / 2 / 20], rtol=1e-12)


def test_a_probe_whose_functions_leave_the_class_is_refused():
    fam = FamilySpec("quadratic", {"spectrum": [[0.5, 2.0]]})
    probe = Probe("sam", 0.1, 10, fam, np.ones((1, 1, 2)), np.full((1, 10), 0.1), {"beta": 1.0, "mu": 0.5})
    with pytest.raises(InvalidParameterError, match="outside the class"):
        probe.run()


def test_upper_check_still_holds_on_a_true_bound_with_per_function_constants():
    # D-NC's schedule-generic statement on a batch with several betas
    from sambounds import catalog
    r = check_upper(catalog["D-NC/constant"], rate=False)
    assert r.verdict is Verdict.HOLDS, r.evidence


def test_schedule_verification_reads_the_limit_on_the_same_float_path():
    from sambounds.verify.recursions import first_violation
    b = register_bound("Delta", name="probe/verify-limit", algorithm="gd", function_class="convex",
                       quantity="gap", step="schedule", step_limit="1/(100*beta)")
    lim = b.limit_value({"beta": 0.1})
    env = b.resolve({"beta": 0.1, "eta_max": lim, "Delta": 1.0})
    assert all(bool(np.all(mask)) for _, mask in b.check(env))
    assert first_violation(np.full(4, lim), lim) is None
    assert first_violation(np.full(4, lim), lim, strict=True) == 0
