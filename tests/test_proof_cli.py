"""`sambounds prove`: a table, exit 0 when every proof checks, 1 when one fails, 2 on a user error."""

from sambounds.cli import main

BROKEN = '''
import sympy as sp
from sambounds.proof import Chain, Claim, ProofFile, Step, Theorem
x = sp.Symbol("x", positive=True)
# a sign flipped: x^2 + 1 >= 2x is true, x^2 + 1 >= 3x is not
bad = Theorem("am_gm", Claim(x**2 + 1, ">=", 3 * x), Chain(x**2 + 1, [Step(">=", 3 * x, "square")]))
PROOF = ProofFile("broken_proof", "a broken proof", [bad])
'''


def test_prove_one(capsys):
    assert main(["prove", "d_sc_weak"]) == 0
    out = capsys.readouterr().out
    assert "d_sc_weak" in out and "verified" in out


def test_prove_list(capsys):
    assert main(["prove", "--list"]) == 0
    assert "l_s_floor" in capsys.readouterr().out.split()


def test_prove_failing_directory(tmp_path, capsys):
    (tmp_path / "broken_proof.py").write_text(BROKEN)
    assert main(["prove", "--dir", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "FAILED" in captured.out and "broken_proof" in captured.err


def test_prove_unknown_name(capsys):
    assert main(["prove", "no_such_proof"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: invalid name")


WRONG_COCOERCIVITY = '''
import dataclasses
import sympy as sp
from sambounds.proof import Chain, ProofFile, load_proof
from sambounds.proof.symbols import beta
th = load_proof("d_c_lemma_c").theorem("distance")
steps = list(th.proof.steps)
(fact, mult), = steps[1].uses
D = sp.Symbol("D", nonnegative=True)
steps[1] = dataclasses.replace(steps[1], uses=((dataclasses.replace(fact, rhs=2 * D**2 / beta), mult),))
PROOF = ProofFile("wrong_cocoercivity", "co-coercivity with 2 ||d||^2/beta", [dataclasses.replace(th, proof=Chain(th.proof.start, steps))])
'''


def test_prove_prints_z3_counts(capsys):
    assert main(["prove", "d_sc_weak"]) == 0
    out = capsys.readouterr().out
    assert "z3: 5 confirmed, 0 undecided (0 unsupported), 0 refuted" in out


def test_prove_prints_the_z3_counterexample(tmp_path, capsys):
    (tmp_path / "wrong_cocoercivity.py").write_text(WRONG_COCOERCIVITY)
    assert main(["prove", "--dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    line = [x for x in out.splitlines() if x.startswith("z3 refutes wrong_cocoercivity / distance / proof step 2")]
    assert line and "counterexample: " in line[0] and "D = " in line[0] and "beta = " in line[0]
    assert "1 refuted" in out


def test_prove_without_z3(capsys):
    assert main(["prove", "d_sc_weak", "--no-z3"]) == 0
    out = capsys.readouterr().out
    assert "off" in out and "z3:" not in out
