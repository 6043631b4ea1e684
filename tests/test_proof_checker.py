"""The checker catches broken proofs: flipped signs, wrong constants, misused facts, gaps."""

import dataclasses

import pytest
import sympy as sp

from sambounds.errors import ProofError
from sambounds.proof import (Branch, Cases, Chain, Claim, Induction, Param, Step, Theorem, case_fact, check_theorem,
                             induction_hypothesis, lemma, load_proof)
from sambounds.proof import axioms as ax
from sambounds.proof.symbols import E, G, T, beta, eta, f, f_next, rho, w

LEMMA_N = load_proof("d_nc_lemma_n")
LEMMA_C = load_proof("d_c_lemma_c")


def _failures(theorem):
    report = check_theorem(theorem)
    assert not report.verified
    return report.failures


def _replace_step(theorem, index, **changes):
    steps = list(theorem.proof.steps)
    steps[index] = dataclasses.replace(steps[index], **changes)
    return dataclasses.replace(theorem, proof=Chain(theorem.proof.start, steps))


def test_real_proof_checks():
    assert check_theorem(LEMMA_N.theorem("one_step_e")).verified


def test_flipped_sign_in_a_step_is_caught():
    th = LEMMA_N.theorem("one_step_e")
    step = th.proof.steps[2]  # the Cauchy-Schwarz step: + eta (1 - beta eta) G ||e||
    broken = _replace_step(th, 2, expr=step.expr.subs(G * E, -G * E))
    where = [i.where for i in _failures(broken)]
    assert "proof step 3" in where


def test_wrong_constant_is_caught_even_with_a_matching_claim():
    th = LEMMA_N.theorem("one_step")
    sharper = f - eta / 2 * G**2 + eta * beta**2 * rho**2 / 4
    broken = _replace_step(dataclasses.replace(th, claim=Claim(f_next, "<=", sharper)), 1, expr=sharper)
    failed = _failures(broken)
    assert [i.where for i in failed] == ["proof step 2"]
    assert failed[0].reason.startswith(("cannot show", "negative at a sample point"))


def test_chain_must_end_at_the_claim():
    th = LEMMA_N.theorem("one_step")
    broken = dataclasses.replace(th, claim=Claim(f_next, "<=", f - eta / 2 * G**2 + eta * beta**2 * rho**2))
    assert [i.where for i in _failures(broken)] == ["proof end"]


def test_axiom_needing_convexity_is_refused_without_it():
    th = LEMMA_C.theorem("one_step_bracket")
    failed = _failures(dataclasses.replace(th, assumptions=frozenset({"smooth"})))
    assert any("convex" in i.reason for i in failed)


def test_negative_multiplier_is_refused():
    th = LEMMA_N.theorem("one_step_e")
    fact, mult = th.proof.steps[2].uses[0]
    broken = _replace_step(th, 2, uses=((fact, -mult),))
    assert any(i.method == "multiplier sign" for i in _failures(broken))


def test_lemma_outside_its_hypotheses_is_refused():
    # Lemma N needs eta <= 1/beta; citing it for eta = 2/beta must fail
    one_step = LEMMA_N.theorem("one_step")
    inst = lemma(one_step, {eta: 2 / beta})
    th = Theorem("bad", Claim(f_next, "<=", inst.rhs), Chain(f_next, [Step("<=", inst.rhs, "Lemma N", [inst])]),
                 assumptions={"smooth"})
    assert any("hypothesis" in i.reason for i in _failures(th))


def test_undecidable_step_fails_loudly():
    a, b = sp.symbols("a b", real=True)
    th = Theorem("u", Claim(a * b, "<=", a**2 + b**2), Chain(a * b, [Step("<=", a**2 + b**2, "true but undecided")]))
    failed = _failures(th)
    assert failed[0].reason.startswith("cannot show") and not failed[0].verified


def test_hypothesis_must_be_declared():
    a = sp.Symbol("a", real=True)
    h = ax.hypothesis(a, "<=", 1, "a <= 1")
    th = Theorem("h", Claim(a, "<=", 1), Chain(a, [Step("<=", 1, "hyp", [h])]))
    assert any("not a hypothesis" in i.reason for i in _failures(th))
    assert check_theorem(dataclasses.replace(th, hypotheses=(h,))).verified


def test_induction_hypothesis_only_inside_the_step():
    a = sp.IndexedBase("a", real=True)
    claim = Claim(a[T], "<=", 1)
    ih = induction_hypothesis(claim)
    th = Theorem("i", claim, Chain(a[T], [Step("<=", 1, "IH", [ih])]))
    assert any("outside an induction step" in i.reason for i in _failures(th))


def test_induction_checks_base_and_step():
    a = sp.IndexedBase("a", real=True)
    claim = Claim(a[T], "<=", T)
    grow = ax.hypothesis(a[T + 1], "<=", a[T] + 1, "a_{T+1} <= a_T + 1")
    start = ax.hypothesis(a[0], "<=", 0, "a_0 <= 0")
    proof = Induction(T, base=Chain(a[0], [Step("<=", 0, "a_0", [start])]),
                      step=Chain(a[T + 1], [Step("<=", a[T] + 1, "growth", [grow]),
                                            Step("<=", T + 1, "IH", [induction_hypothesis(claim)])]))
    good = Theorem("ind", claim, proof, hypotheses=(grow, start))
    assert check_theorem(good).verified
    # a wrong base (a_0 <= 1 only) breaks it
    weak = ax.hypothesis(a[0], "<=", 1, "a_0 <= 1")
    bad = Theorem("ind", claim, dataclasses.replace(proof, base=Chain(a[0], [Step("<=", 0, "a_0", [weak])])),
                  hypotheses=(grow, weak))
    assert [i.where for i in _failures(bad)] == ["proof base T=0 step 1"]


def test_cases_must_cover_every_sign():
    a = sp.Symbol("a", real=True)
    branch = Branch(">=", Chain(sp.Abs(a), [Step("==", a, "a >= 0", [])]), params=[Param(a, w, w, a, "a >= 0")])
    th = Theorem("c", Claim(sp.Abs(a), "==", a), Cases(a, [branch]))
    assert any(i.method == "trichotomy" for i in _failures(th))


def test_case_fact_only_in_its_branch():
    a = sp.Symbol("a", real=True)
    th = Theorem("c", Claim(a, ">=", 0), Chain(a, [Step(">=", 0, "case", [case_fact(a, ">=")])]))
    assert any("enclosing case" in i.reason for i in _failures(th))


def test_param_must_be_a_change_of_variables():
    wrong = Param(eta, 1 / (beta * (1 + w)), w, beta * eta - 1, "wrong inverse")
    th = dataclasses.replace(LEMMA_N.theorem("one_step_e"), params=(wrong,))
    assert any(i.method == "change of variables" for i in _failures(th))


def test_authoring_errors_are_proof_errors():
    with pytest.raises(ProofError):
        Step("~", 1, "bad relation")
    with pytest.raises(ProofError):
        Chain(1, [])
    with pytest.raises(ProofError):
        Param(eta, 1, sp.Symbol("z", real=True), eta, "slack must be >= 0")
