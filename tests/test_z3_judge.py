"""The z3 second judge: its translation decides what it should, refutes with a model, and says
undecided (never confirmed, never refuted) where it had to abstract; every proof passes both judges."""

import pytest
import sympy as sp

from sambounds.proof import Z3Judge, check_all, check_file, list_proofs, load_proof
from sambounds.proof.z3_judge import decide

x, y = sp.symbols("x y", positive=True)
r = sp.Symbol("r", real=True)
n = sp.Symbol("n", integer=True, nonnegative=True)


def test_polynomial_truth_and_counterexample():
    assert decide(x**2 + 1, ">=", 2 * x).verdict == "confirmed"
    v = decide(x**2 + 1, ">=", 3 * x)
    assert v.verdict == "refuted"
    value = sp.Rational(v.detail.split("x = ")[1])
    assert value**2 + 1 < 3 * value  # the model is a real counterexample


def test_strictness_is_kept():
    assert decide(r**2, ">=", 0).verdict == "confirmed"
    v = decide(r**2, ">", 0)
    assert v.verdict == "refuted" and "r = 0" in v.detail


def test_sqrt_rational_powers_and_quotients():
    assert decide(sp.sqrt(x), "<=", x, [(x, ">=", 1)]).verdict == "confirmed"
    assert decide(sp.sqrt(x), "<=", x).verdict == "refuted"  # x = 1/4
    assert decide(x ** sp.Rational(3, 2), "==", x * sp.sqrt(x)).verdict == "confirmed"
    assert decide(1 / x, ">=", 1 / (x + y)).verdict == "confirmed"
    assert decide(1 / x, ">=", 1).verdict == "refuted"


def test_max_min_abs_are_exact():
    assert decide(sp.Max(x, y), ">=", (x + y) / 2).verdict == "confirmed"
    assert decide(sp.Min(x, y), "<=", sp.sqrt(x * y)).verdict == "confirmed"
    assert decide(sp.Abs(r), ">=", r).verdict == "confirmed"
    v = decide(sp.Abs(r), "<=", r)
    assert v.verdict == "refuted" and "r = -" in v.detail


def test_integer_symbols_are_rechecked_with_integrality():
    # n (n - 1) >= 0 fails only strictly between 0 and 1: true on the integers
    assert decide(n * (n - 1), ">=", 0).verdict == "confirmed"
    v = decide(n * (n - 2), ">=", 0)
    assert v.verdict == "refuted" and "n = 1" in v.detail


def test_abstracted_atoms_never_refute():
    # exp(x) >= 2 is false at small x, but exp is abstracted: a model is no counterexample
    v = decide(sp.exp(x), ">=", 2)
    assert v.verdict == "undecided" and "exp(x)" in v.detail
    assert decide(sp.exp(x), ">=", 1 + x).verdict == "confirmed"  # from the constraint added with exp
    f = sp.Function("f")
    assert decide(f(x), ">=", 0).verdict == "undecided"


def test_sums_peel_and_expand():
    a = sp.IndexedBase("a", real=True)
    t = sp.Symbol("t", integer=True, nonnegative=True)
    T = sp.Symbol("T", integer=True, nonnegative=True)
    s = sp.Sum(a[t] ** 2, (t, 0, T - 1))
    assert decide(s.subs(T, T + 1), "==", s + a[T] ** 2).verdict == "confirmed"
    assert decide(sp.Sum(a[t], (t, 0, 2)), "==", a[0] + a[1] + a[2]).verdict == "confirmed"
    # a reversed range is minus a sum (Karr), not the terms' sum
    assert decide(sp.Sum(a[t], (t, 3, 1)), "==", -a[2]).verdict == "confirmed"


def test_timeout_is_undecided_not_confirmed():
    # the homogeneous Motzkin form is >= 0 but not a sum of squares; z3 proves it given seconds,
    # not given 1 ms -- and then says so instead of answering
    a, b, c = sp.symbols("a b c", real=True)
    motzkin = a**4 * b**2 + a**2 * b**4 - 3 * a**2 * b**2 * c**2 + c**6
    v = decide(motzkin, ">=", 0, judge=Z3Judge(timeout_ms=1))
    assert v.verdict == "undecided" and "timeout" in v.detail
    assert decide(motzkin, ">=", 0, judge=Z3Judge(timeout_ms=20000)).verdict == "confirmed"
    assert decide(motzkin, ">=", sp.Rational(1, 100), judge=Z3Judge(timeout_ms=20000)).verdict == "refuted"


FAST = ["d_nc_lemma_n", "d_c_lemma_c", "d_sc_weak", "l_s_floor", "l_sc_cycle"]


@pytest.mark.parametrize("name", FAST)
def test_fast_proofs_pass_both_judges(name):
    report = check_file(load_proof(name))
    counts = report.z3_counts
    assert report.verified and report.sympy_verified, report.summary()
    assert counts["refuted"] == 0 and counts["confirmed"] > 0
    assert all(i.z3 in ("confirmed", "undecided", "unsupported", "") for t in report.theorems for i in t.items)


@pytest.mark.slow
def test_every_proof_passes_both_judges():
    reports = check_all()
    assert {r.id for r in reports} == set(list_proofs())
    for report in reports:
        assert report.verified and report.sympy_verified, report.summary()
        assert report.z3_counts["refuted"] == 0, report.id
    total = {k: sum(r.z3_counts[k] for r in reports) for k in ("confirmed", "undecided", "unsupported")}
    assert total["confirmed"] > 10 * (total["undecided"] + total["unsupported"])


def test_a_step_sympy_accepts_but_z3_refutes_does_not_count(monkeypatch):
    """The combination rule, with a first judge made unsound on purpose: the step still fails."""
    from sambounds.proof import Chain, Claim, Step, Theorem, check_theorem
    from sambounds.proof import checker
    from sambounds.proof.decide import Decision

    monkeypatch.setattr(checker, "certify", lambda *args, **kwargs: Decision(True, "accepts anything"))
    th = Theorem("am_gm_wrong", Claim(x**2 + 1, ">=", 3 * x), Chain(x**2 + 1, [Step(">=", 3 * x, "wrong")]))
    report = check_theorem(th)
    step = [i for i in report.items if i.where == "proof step 1"][0]
    assert step.sympy_verified is True and step.z3 == "refuted" and not step.verified
    assert "z3 refutes: counterexample: x = " in step.reason
    assert not report.verified
    assert check_theorem(th, judge=None).verified  # sympy alone (made unsound here) would have passed it
