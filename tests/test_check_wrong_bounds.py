"""The checkers catch deliberately wrong statements, each with a witness that re-runs exactly.

Each wrong statement is a correct catalog bound with one deliberate mistake; the attack must
report it violated, the witness must re-run (from JSON on disk) to the same numbers, and the
same check on the correct statement must hold (so the flag is due to the mistake, not the attack).
"""

from __future__ import annotations

import json

import pytest

from sambounds.check.lower import check_lower
from sambounds.check.report import Verdict
from sambounds.check.upper import check_upper
from sambounds.check.witness import rerun, save
from sambounds.theory.user import register_bound

WRONG_UPPER = {
    # D-NC/inverse-beta without its beta^2 rho^2 floor
    "dropped rho^2": (dict(expression="2*beta*Delta/T", algorithm="sam", function_class="nonconvex",
                           quantity="grad-avg", step="prescribed", rule="inverse-beta"),
                      "2*beta*Delta/T + beta**2*rho**2", {}),
    # Drori-Teboulle with T^2 instead of T
    "wrong power of T": (dict(expression="beta*D**2/(4*T**2 + 2)", algorithm="gd", function_class="convex",
                              quantity="gap", step="prescribed", rule="inverse-beta"),
                         "beta*D**2/(4*T + 2)", {}),
    # D-C average bound with a constant 10x too small
    "constant 10x too small": (dict(expression="(2*Delta/(eta*T) + beta**3*rho**2*eta)/10", algorithm="sam",
                                    function_class="convex", quantity="grad-avg", step="constant",
                                    step_limit="1/beta"),
                               "2*Delta/(eta*T) + beta**3*rho**2*eta", {}),
    # Theorem A's neighbourhood with the kappa dropped: the quadratic constant 1/8 (docs/theory.md s.6),
    # attacked on the kappa-adversarial ridge only
    "missing kappa (ridge)": (dict(expression="Max((1 - mu*eta)**T*Delta, beta**3*rho**2*eta**2/8)",
                                   algorithm="sam", function_class="strongly-convex", quantity="gap",
                                   step="constant", step_limit="1/(2*beta)"),
                              "Max((1 - mu*eta)**T*Delta, (beta/mu + 1)*beta**3*rho**2*eta**2/2)",
                              {"families": ("kappa-adversarial",)}),
}


def _bound(name, spec, expression=None):
    spec = dict(spec)
    if expression is not None:
        spec["expression"] = expression
    expr = spec.pop("expression")
    return register_bound(expr, name=name, **spec)


@pytest.mark.parametrize("label", sorted(WRONG_UPPER))
def test_wrong_upper_bound_is_violated_with_a_witness_that_reruns(label, tmp_path):
    spec, correct, kwargs = WRONG_UPPER[label]
    wrong = _bound(f"wrong/{label}", spec)
    report = check_upper(wrong, rate=False, **kwargs)
    assert report.verdict is Verdict.VIOLATED
    assert report.worst_ratio > 1.0
    assert report.witness is not None
    path = save(report.witness, tmp_path / "w.json")
    doc = json.loads(path.read_text())
    assert doc["kind"] == "bound-witness" and doc["bound"]["expression"]
    again = rerun(path)
    assert again.matches and again.rel_error == 0.0
    assert again.got["measured"] > again.got["bound"] + again.got["tol"]
    assert again.got["ratio"] == pytest.approx(report.worst_ratio, rel=1e-12)
    if label == "missing kappa (ridge)":
        assert doc["instance"]["family"] == "kappa-adversarial"
    fixed = check_upper(_bound(f"right/{label}", spec, correct), rate=False, **kwargs)
    assert fixed.verdict is Verdict.HOLDS, fixed.evidence


def test_lower_bound_above_its_construction_is_violated(tmp_path):
    # twice the L-SC limit beta^3 eta^2 rho^2 / (2 (2 - eta beta)^2)
    too_high = register_bound("beta**3*eta**2*rho**2/(2 - beta*eta)**2", name="wrong/lower", algorithm="sam",
                              function_class="strongly-convex", quantity="lim-gap", kind="lower", step="constant",
                              step_limit="1/beta")
    report = check_lower(too_high, construction="L-SC", rate=False)
    assert report.verdict is Verdict.VIOLATED
    # the construction reaches exactly the true limit: half the claim, to rounding
    assert report.worst_ratio == pytest.approx(0.5, rel=1e-9)
    again = rerun(save(report.witness, tmp_path / "lower.json"))
    assert again.matches and again.got["measured"] < again.got["bound"]
    right = register_bound("beta**3*eta**2*rho**2/(2*(2 - beta*eta)**2)", name="right/lower", algorithm="sam",
                           function_class="strongly-convex", quantity="lim-gap", kind="lower", step="constant",
                           step_limit="1/beta")
    assert check_lower(right, construction="L-SC", rate=False).verdict is Verdict.WITNESSED


def test_tampered_witness_does_not_reproduce(tmp_path):
    spec, _, _ = WRONG_UPPER["constant 10x too small"]
    report = check_upper(_bound("wrong/tamper", spec), rate=False, horizons=(50,))
    doc = dict(report.witness)
    doc["expected"] = dict(doc["expected"], measured=doc["expected"]["measured"] * (1 + 1e-9))
    assert not rerun(doc).matches


def test_divergence_inside_a_claimed_step_range_is_a_violation_with_a_strict_json_witness(tmp_path):
    # "f(x_T) - f* <= Delta for every eta <= 30/beta" is false: GD diverges for eta > 2/beta
    wrong = register_bound("Delta", name="wrong/diverges", algorithm="gd", function_class="strongly-convex",
                           quantity="gap", step="constant", step_limit="30/beta")
    report = check_upper(wrong, rate=False)
    assert report.verdict is Verdict.VIOLATED
    assert any("diverged" in line for line in report.evidence)
    path = save(report.witness, tmp_path / "div.json")  # strict JSON: no bare Infinity
    assert report.witness["expected"]["measured"] == "inf"
    assert rerun(path).matches
