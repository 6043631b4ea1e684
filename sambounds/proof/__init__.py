"""Machine-checked proofs of sambounds' explicit-constant theorems.

A proof file ``proofs/<id>.py`` states theorems of docs/theory.md sections 4-5 as sympy claims and
proves them by chains of identities and inequalities, each justified by named facts; the
checker verifies every step exactly (see :mod:`sambounds.proof.checker`), and z3 judges every
step again, independently (see :mod:`sambounds.proof.z3_judge`).

>>> from sambounds.proof import check
>>> check("d_nc_lemma_n").verified   # doctest: +SKIP
True
"""

from __future__ import annotations

import os

from .checker import check_file, check_theorem
from .loader import list_proofs, load_proof, proofs_dir
from .report import ProofReport, StepReport, TheoremReport
from .z3_judge import Z3Judge, Z3Verdict
from .step import (Branch, Cases, Chain, Claim, Fact, Induction, Param, ProofFile, Step, Theorem, case_fact,
                   definition_param, expected, induction_hypothesis, lemma, summed)


def check(name: str, directory: str | os.PathLike | None = None, judge: Z3Judge | None = Z3Judge()) -> ProofReport:
    """Load ``proofs/<name>.py`` and check it (``judge``: the z3 settings, ``None`` for sympy alone)."""
    return check_file(load_proof(name, directory), judge=judge)


def check_all(directory: str | os.PathLike | None = None, judge: Z3Judge | None = Z3Judge()) -> list[ProofReport]:
    """Check every proof file; theorems cited across files are checked once."""
    memo: dict = {}
    return [check_file(load_proof(n, directory), memo, judge) for n in list_proofs(directory)]


__all__ = ["check", "check_all", "check_file", "check_theorem", "list_proofs", "load_proof", "proofs_dir",
           "ProofReport", "TheoremReport", "StepReport", "Z3Judge", "Z3Verdict", "Branch", "Cases", "Chain", "Claim", "Fact",
           "Induction", "Param", "ProofFile", "Step", "Theorem", "case_fact", "definition_param", "induction_hypothesis",
           "lemma", "summed", "expected"]
