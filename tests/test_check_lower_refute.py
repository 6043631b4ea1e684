"""A lower-bound claim is refuted only soundly: by a certified upper bound, or by its own construction.

A lower bound is an existence claim.  The construction the checker infers for a user claim is
one function among many: its shortfall alone is no refutation (inconclusive), while a proved upper
bound below the claim is one (violated), and so is the shortfall of a construction the claim names.
"""

from __future__ import annotations

import sympy as sp
import pytest

from sambounds.check.lower import check_lower
from sambounds.check.refute import certified_uppers, limit_of
from sambounds.check.report import Verdict
from sambounds.check.witness import rerun
from sambounds.errors import InvalidParameterError
from sambounds.theory import symbols as S
from sambounds.theory.catalog import catalog
from sambounds.theory.terms import Quantity
from sambounds.theory.user import register_bound


def _claim(expr, name, **kw):
    spec = dict(algorithm="sam", kind="lower", step="constant", step_limit="1/beta")
    spec.update(kw)
    return register_bound(expr, name=name, **spec)


def test_limit_of_a_geometric_rate_is_its_floor_with_the_contraction_as_a_condition():
    derived = limit_of(catalog["D-SC/weak/constant"], Quantity.LIM_GAP)
    b, e, m, r = S.beta, S.eta, S.mu, S.rho
    assert sp.simplify(derived.expr - b**3 * e * r**2 / (2 * m)) == 0
    assert (sp.Abs(1 - e * m) < 1) in derived.conditions
    assert derived.quantity is Quantity.LIM_GAP
    assert sp.simplify(limit_of(catalog["D-NC/constant"], Quantity.LIM_GRAD_AVG).expr - b**2 * r**2) == 0
    # a prescribed rule is a statement at one step size only: no limit is derived from it
    assert limit_of(catalog["D-SC/theorem-a/prescribed"], Quantity.LIM_GAP) is None


def test_only_certified_uppers_for_the_whole_class_count():
    nc = _claim("beta**2*rho**2", "nc", function_class="nonconvex", quantity="lim-grad-avg")
    assert [u.name for u in certified_uppers(nc)] == ["lim_(T->oo) of D-NC/constant"]
    sc_gap = _claim("Delta", "scgap", function_class="strongly-convex", quantity="gap")
    names = {u.name for u in certified_uppers(sc_gap)}
    assert {"D-SC/weak/constant", "D-SC/theorem-a/constant"} <= names
    # restricted to a subclass (d = 1, quadratics), order-only or prescribed: never a refutation of the class
    assert not names & {"D-SC/one-dim", "D-SC/quadratic", "paper/D-SC/rate", "D-SC/theorem-a/prescribed"}
    # an upper bound for strongly convex f says nothing about every convex f
    convex = _claim("Delta", "cgap", function_class="convex", quantity="gap")
    assert not any(u.name.startswith("D-SC") for u in certified_uppers(convex))
    # a claim for USAM is not refuted by SAM's theorems
    assert certified_uppers(_claim("Delta", "u", algorithm="usam", function_class="strongly-convex",
                                   quantity="gap")) == ()
    with pytest.raises(InvalidParameterError, match="lower"):
        certified_uppers(catalog["D-NC/constant"])


def test_a_claim_above_a_proved_upper_bound_is_refuted_with_a_rerunnable_witness(tmp_path):
    # lim (1/T) sum ||grad f||^2 >= 2 beta^2 rho^2: D-NC/constant gives <= beta^2 rho^2 for every f
    claim = _claim("2*beta**2*rho**2", "wrong/nc-floor-x2", function_class="nonconvex", quantity="lim-grad-avg")
    r = check_lower(claim, rate=False)
    assert r.verdict is Verdict.VIOLATED
    assert "refuted by the certified upper bound lim_(T->oo) of D-NC/constant" in r.evidence[-1]
    beta, rho = r.worst["function_constants"]["beta"], r.worst["rho"]
    assert f"<= {beta**2 * rho**2:.6g} < claim {2 * beta**2 * rho**2:.6g}" in r.evidence[-1]
    again = rerun(r.witness)
    assert again.matches


def test_an_unreached_existence_claim_without_a_construction_is_inconclusive_not_violated():
    # L-SC reaches about 0.55 of this; some other function might reach it, and no proved bound is below it
    claim = _claim("beta**3*eta**2*rho**2/4", "open/too-big", function_class="strongly-convex", quantity="lim-gap")
    r = check_lower(claim, rate=False)
    assert r.verdict is Verdict.INCONCLUSIVE
    assert "inferred" in r.evidence[-1] and 'construction = "L-SC"' in r.evidence[-1]
    # naming the construction makes it a claim about L-SC, which its shortfall refutes
    named = check_lower(claim, construction="L-SC", rate=False)
    assert named.verdict is Verdict.VIOLATED and named.worst_ratio < 1


def test_a_finite_horizon_claim_is_refuted_through_the_rate_not_its_limit():
    # f(x_T) - f* >= 2 Delta at every constant step: SAM's linear rate keeps the gap below Delta(1 - eta mu)^T + ...
    claim = register_bound("2*Delta", name="wrong/sc-2Delta", algorithm="sam", function_class="strongly-convex",
                           quantity="gap", kind="lower", step="every-constant")
    r = check_lower(claim, rate=False)
    assert r.verdict is Verdict.VIOLATED
    assert "refuted by the certified upper bound D-SC/" in r.evidence[-1]


def test_a_claim_at_a_prescribed_rule_is_refuted_by_the_upper_bound_at_that_rule():
    # GD at eta = 1/beta: twice Drori-Teboulle's worst case is above their (tight) upper bound
    claim = register_bound("beta*D**2/(2*T + 1)", name="wrong/gd-2dt", algorithm="gd", function_class="convex",
                           quantity="gap", kind="lower", step="prescribed", rule="inverse-beta")
    assert [u.name for u in certified_uppers(claim)] == ["GD/convex/drori-teboulle"]
    r = check_lower(claim, rate=False)
    assert r.verdict is Verdict.VIOLATED
    assert "GD/convex/drori-teboulle" in r.evidence[-1]
    # the tight value itself is witnessed by the construction and not refuted by the bound it equals
    right = register_bound("beta*D**2/(4*T + 2)", name="right/gd-dt", algorithm="gd", function_class="convex",
                           quantity="gap", kind="lower", step="prescribed", rule="inverse-beta")
    assert check_lower(right, rate=False).verdict is Verdict.WITNESSED


def test_cli_check_names_the_refuting_upper_bound_and_says_why_a_shortfall_is_inconclusive(tmp_path):
    from click.testing import CliRunner

    from sambounds.cli import cli

    path = tmp_path / "claims.toml"
    common = 'algorithm = "sam"\nkind = "lower"\nstep = "constant"\nstep_limit = "1/beta"\n'
    path.write_text(
        '[[bound]]\nname = "nc-x2"\nexpression = "2*beta**2*rho**2"\nclass = "nonconvex"\n'
        f'quantity = "lim-grad-avg"\n{common}\n'
        '[[bound]]\nname = "open"\nexpression = "beta**3*eta**2*rho**2/4"\nclass = "strongly-convex"\n'
        f'quantity = "lim-gap"\n{common}')
    out = CliRunner().invoke(cli, ["check", str(path), "--quick"])
    assert out.exit_code != 0
    text = " ".join(out.output.split())
    assert "violated nc-x2" in text and "refuted by the certified upper bound lim_(T->oo) of D-NC/constant" in text
    assert "inconclusive open: construction L-SC (inferred" in text


# ---- PEP certificates: claims no catalog entry speaks to -----------------------------------------

def test_a_claim_no_construction_can_test_is_refuted_by_an_exact_pep_certificate(tmp_path):
    from sambounds.check.witness import save

    # SAM on convex f: no construction for the finite-horizon gap, no catalog upper bound at a constant step
    claim = _claim("beta*D**2/(T + 1)", "wrong/sam-convex", function_class="convex", quantity="gap")
    r = check_lower(claim, rate=False)
    assert r.verdict is Verdict.VIOLATED
    assert r.evidence[-1].startswith("refuted by a PEP certificate") and "exact arithmetic" in r.evidence[-1]
    doc = r.witness
    assert doc["kind"] == "pep-refutation" and doc["setting"]["algorithm"] == "sam"
    # the certificate is a rational number, strictly below the claim at the stored constants
    from fractions import Fraction
    assert Fraction(doc["expected"]["certified"]) < doc["expected"]["claim"]
    again = rerun(save(doc, tmp_path / "refutation.json"))
    assert again.matches and again.misses_target


def test_a_pep_refutation_of_a_claim_that_was_lowered_no_longer_stands():
    claim = _claim("beta*D**2/(T + 1)", "wrong/sam-convex", function_class="convex", quantity="gap")
    doc = check_lower(claim, rate=False).witness
    from sambounds.theory.user import bound_to_spec

    weaker = _claim("beta*D**2/(100*(T + 1))", "weaker", function_class="convex", quantity="gap")
    again = rerun(dict(doc, bound=bound_to_spec(weaker)))
    assert again.matches and not again.misses_target   # the same certificate, but it no longer refutes


def test_gd_at_a_constant_step_twice_drori_teboulle_is_refuted_the_true_value_is_not():
    # no catalog upper bound covers GD at an arbitrary constant step (theirs is at eta = 1/beta); the PEP does
    wrong = _claim("beta*D**2/(2*T + 1)", "wrong/gd", algorithm="gd", function_class="convex", quantity="gap")
    assert not certified_uppers(wrong)
    r = check_lower(wrong, rate=False)
    assert r.verdict is Verdict.VIOLATED and r.witness["kind"] == "pep-refutation"
    # the worst case at eta <= 1/beta is at least beta D^2/(4T + 2): never refuted
    right = _claim("beta*D**2/(4*T + 2)", "right/gd", algorithm="gd", function_class="convex", quantity="gap")
    assert check_lower(right, rate=False).verdict is not Verdict.VIOLATED


def test_the_pep_refuter_states_what_it_cannot_decide():
    from sambounds.check.refute_pep import scope

    assert "stochastic" in scope(_claim("Delta", "s", algorithm="n-sam", function_class="strongly-convex",
                                        quantity="gap"))
    assert "exactly one of D and Delta" in scope(_claim("D**2 + Delta", "both", function_class="convex",
                                                        quantity="gap"))
    assert "no PEP measure" in scope(_claim("beta**2*rho**2", "avg", function_class="nonconvex",
                                            quantity="grad-avg"))
    assert scope(_claim("Delta/T", "ok", function_class="nonconvex", quantity="grad-min")) is None
    # a SAM run that stops at a stationary point keeps its gap (nonconvex) or distance (convex): not covered
    assert "stationary point" in scope(_claim("Delta", "nc-gap", function_class="nonconvex", quantity="gap"))
    assert "stationary point" in scope(_claim("D**2", "c-dist", function_class="convex", quantity="dist"))
    assert scope(_claim("D**2", "gd-dist", algorithm="gd", function_class="convex", quantity="dist")) is None
