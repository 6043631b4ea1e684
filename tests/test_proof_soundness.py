"""False theorems the checker once accepted are now rejected -- by the sympy judge with a reason
naming the step, and by the z3 judge with a counterexample."""

import dataclasses

import pytest
import sympy as sp

from sambounds.errors import ProofError
from sambounds.proof import (Chain, Claim, Induction, Param, ProofFile, Step, Theorem, check_file, check_theorem,
                             expected, load_proof, summed)
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import E, G, T, beta, f, fstar, mu, rho, w
from sambounds.proof.z3_judge import decide

LEMMA_C = load_proof("d_c_lemma_c")
a_ = sp.IndexedBase("a", real=True)
t = sp.Symbol("t", integer=True, nonnegative=True)
i = sp.Symbol("i", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)


def _failed(report):
    assert not report.verified
    return [item for item in report.items if not item.verified]


def _z3_refuted(report):
    return [item for item in report.items if item.z3 == "refuted"]


# ----------------------------------------------------------------------------- induction
def false_at_one():
    """(T - 1)^2 >= 1/2 for every T >= 1: false at T = 1.  The base is proved at T = 0 and the
    step under the param T = 1 + w, so T = 1 itself was never covered."""
    claim = Claim((T - 1) ** 2, ">=", sp.Rational(1, 2))
    proof = Induction(T, base=Chain(sp.Integer(1), [Step(">=", sp.Rational(1, 2), "1 >= 1/2")]),
                      step=Chain(T**2, [Step(">=", sp.Rational(1, 2), "T >= 1")]))
    return Theorem("false_at_one", claim, proof, params=[Param(T, 1 + w, w, T - 1, "T >= 1")])


def test_induction_with_a_param_on_its_variable_is_rejected():
    report = check_theorem(false_at_one(), judge=None)
    failed = _failed(report)
    assert [i.where for i in failed] == ["proof range"]
    assert "restricts the induction variable T" in failed[0].reason and "'T >= 1'" in failed[0].reason


def test_z3_refutes_the_false_induction_claim_at_T_1():
    report = check_theorem(false_at_one())
    refuted = _z3_refuted(report)
    assert [i.where for i in refuted] == ["claim (z3)"]
    assert "T = 1" in refuted[0].z3_detail


# ----------------------------------------------------------------------------- sum range vs index sign
def sum_from_minus_one():
    """sum_{t=-1}^{T} t a_t^2 >= 0 with t declared nonnegative: the t = -1 term is -a_{-1}^2."""
    s = sp.Sum(t * a_[t] ** 2, (t, -1, T))
    return Theorem("sum_from_minus_one", Claim(s, ">=", 0), Chain(s, [Step(">=", 0, "every term t a_t^2 >= 0")]))


def test_sum_outside_its_index_sign_is_rejected():
    failed = _failed(check_theorem(sum_from_minus_one(), judge=None))
    assert [i.where for i in failed] == ["sums"]
    assert "range starts at -1, outside the declared sign of t (nonnegative)" in failed[0].reason


def test_z3_refutes_the_sum_claim_at_a_small_horizon():
    refuted = _z3_refuted(check_theorem(sum_from_minus_one()))
    assert [i.where for i in refuted] == ["claim (z3)"]
    assert "at T = 0" in refuted[0].z3_detail and "a[-1]" in refuted[0].z3_detail


# ----------------------------------------------------------------------------- summed() ranges
A_NONNEG = ax.hypothesis(a_[j], ">=", 0, "a_j >= 0 for every j")


def summed_over(lo, hi):
    """sum_{i=lo}^{hi} a_i >= 0 from a_j >= 0.  For lo = 3, hi = 1 the sum is, by Karr's
    convention, -a_2: the 'theorem' says a_2 <= 0 from a_2 >= 0."""
    s = summed(A_NONNEG, j, i, lo, hi)
    return Theorem("summed", Claim(s.lhs, ">=", 0), Chain(s.lhs, [Step(">=", 0, "summed", [s])]),
                   hypotheses=[A_NONNEG])


def test_reversed_summed_range_is_rejected_by_both_judges():
    report = check_theorem(summed_over(3, 1))
    failed = _failed(report)
    assert [i.where for i in failed] == ["proof step 1"]
    assert failed[0].sympy_verified is False and "range 3..1 is not shown non-empty" in failed[0].reason
    assert failed[0].z3 == "refuted" and "a[2]" in failed[0].z3_detail


def test_empty_summed_range_is_rejected():
    failed = _failed(check_theorem(summed_over(3, 2), judge=None))
    assert "not shown non-empty" in failed[0].reason


def test_summed_range_outside_the_index_sign_is_rejected():
    failed = _failed(check_theorem(summed_over(0, 2), judge=None))
    assert any("outside the declared sign of" in item.reason for item in failed)


def test_a_good_summed_range_checks():
    assert check_theorem(summed_over(1, 3)).verified


# ----------------------------------------------------------------------------- schema instances
def _distance_with(fact):
    th = LEMMA_C.theorem("distance")
    steps = list(th.proof.steps)
    (_, mult), = steps[1].uses
    steps[1] = dataclasses.replace(steps[1], uses=((fact, mult),))
    return dataclasses.replace(th, proof=Chain(th.proof.start, steps))


def _cocoercivity_fact():
    th = LEMMA_C.theorem("distance")
    (fact, _), = th.proof.steps[1].uses
    assert fact.schema[0] == "cocoercivity"
    return fact


def test_false_cocoercivity_factor_is_rejected_by_both_judges():
    good = _cocoercivity_fact()
    D = sp.Symbol("D", nonnegative=True)
    wrong = dataclasses.replace(good, rhs=2 * D**2 / beta)  # 2 ||d||^2/beta instead of ||d||^2/beta
    report = check_theorem(_distance_with(wrong))
    failed = _failed(report)
    assert [i.where for i in failed] == ["proof step 2"]
    assert failed[0].sympy_verified is False and "not an instance of schema cocoercivity" in failed[0].reason
    assert failed[0].z3 == "refuted" and "counterexample" in failed[0].z3_detail
    # the proof file it sits in is not verified
    pf = ProofFile("d_c_lemma_c", "broken", [_distance_with(wrong)])
    assert not check_file(pf).verified


def test_z3_refutes_the_false_cocoercivity_instance_as_an_inequality():
    good = _cocoercivity_fact()
    D = sp.Symbol("D", nonnegative=True)
    v = decide(good.lhs, ">=", 2 * D**2 / beta, [(good.lhs, ">=", good.rhs)])
    assert v.verdict == "refuted" and "D = " in v.detail and "beta = " in v.detail


def test_cocoercivity_with_another_constant_is_rejected():
    good = _cocoercivity_fact()
    args = dict(good.schema[1])
    wrong = ax.cocoercivity(args["gram"], args["dgrad"], args["dx"], beta=beta / 2, where="with beta/2")
    failed = _failed(check_theorem(_distance_with(wrong), judge=None))
    assert "stated for the function class's constant beta" in failed[0].reason


def test_old_scalar_cocoercivity_call_is_an_authoring_error():
    with pytest.raises(ProofError, match="Gram table"):
        ax.cocoercivity(G * E, 2 * E**2, beta)


def test_cauchy_schwarz_with_a_wrong_norm_is_rejected():
    ge = sp.Symbol("ge", real=True)
    gram = ax.Gram({("g", "g"): G**2, ("e", "e"): E**2, ("g", "e"): ge})
    cs = ax.cauchy_schwarz(gram, {"g": 1}, {"e": 1}, G, 2 * E)  # ||e|| is E, not 2E
    th = Theorem("cs", Claim(ge, ">=", -2 * G * E), Chain(ge, [Step(">=", -2 * G * E, "CS", [cs])]))
    failed = _failed(check_theorem(th, judge=None))
    assert "does not square to" in failed[0].reason
    good = ax.cauchy_schwarz(gram, {"g": 1}, {"e": 1}, G, E)
    th = Theorem("cs", Claim(ge, ">=", -G * E), Chain(ge, [Step(">=", -G * E, "CS", [good])]))
    assert check_theorem(th).verified


def test_gram_table_sharing_a_symbol_is_rejected():
    gram = ax.Gram({("g", "g"): G**2, ("e", "e"): E**2, ("g", "e"): G})
    cs = ax.cauchy_schwarz(gram, {"g": 1}, {"e": 1}, G, E, side="upper")
    th = Theorem("cs", Claim(G, "<=", G * E), Chain(G, [Step("<=", G * E, "CS", [cs])]))
    assert "stands for two entries" in _failed(check_theorem(th, judge=None))[0].reason


def test_jensen_and_lower_bound_arguments_are_checked():
    m1, m2 = sp.symbols("m1 m2", nonnegative=True)
    bad_jensen = ax.jensen_norm(m1, m2 / 2)
    th = Theorem("j", Claim(m1**2, "<=", m2 / 2), Chain(m1**2, [Step("<=", m2 / 2, "Jensen", [bad_jensen])]))
    assert "must be a symbol" in _failed(check_theorem(th, judge=None))[0].reason
    bad_lower = ax.lower_bound(f - 1, fstar)  # f - 1 >= f* is not the definition of f*
    th = Theorem("l", Claim(f, ">=", fstar + 1), Chain(f, [Step(">=", fstar + 1, "f*", [bad_lower])]),
                 assumptions={"smooth"})
    assert "must be a symbol" in _failed(check_theorem(th, judge=None))[0].reason


def test_tampered_expectation_is_rejected():
    EG2, Ef = sp.symbols("EG2 Ef", real=True)
    pl = expected(ax.pl_inequality(G, f, fstar, mu), {G**2: EG2, f: Ef})
    tampered = dataclasses.replace(pl, rhs=4 * mu * (Ef - fstar))
    th = Theorem("e", Claim(EG2, ">=", tampered.rhs), Chain(EG2, [Step(">=", tampered.rhs, "PL", [tampered])]),
                 assumptions={"pl"})
    assert "not the pointwise fact" in _failed(check_theorem(th, judge=None))[0].reason
    ok = Theorem("e", Claim(EG2, ">=", pl.rhs), Chain(EG2, [Step(">=", pl.rhs, "PL", [pl])]), assumptions={"pl"})
    assert check_theorem(ok).verified


def test_perturbation_bound_with_another_rho_is_rejected():
    fact = ax.perturbation_bound(E, beta, rho / 2)
    th = Theorem("p", Claim(E, "<=", beta * rho / 2), Chain(E, [Step("<=", beta * rho / 2, "F2", [fact])]),
                 assumptions={"smooth"})
    assert "constant rho" in _failed(check_theorem(th, judge=None))[0].reason
