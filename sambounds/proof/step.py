"""The vocabulary of a machine-checked proof: facts, steps, chains, case splits, inductions.

A proof in ``proofs/<id>.py`` is plain data built from the frozen dataclasses below; the
checker (:mod:`sambounds.proof.checker`) verifies it.  The shapes are:

* :class:`Fact` -- one inequality or identity ``lhs rel rhs`` that may be *used* by a step:
  an axiom instance (descent lemma, Cauchy-Schwarz, ...), a hypothesis of the theorem, a case
  condition, the induction hypothesis, or an instance of an already proven theorem.
* :class:`Step` -- ``previous rel expr``, justified by a named reason and a *certificate*: the
  facts it uses, each with a non-negative multiplier.  For ``a <= b`` the checker forms the
  residual ``b - a - sum_i c_i (rhs_i - lhs_i)`` and decides that it is ``>= 0`` (a
  Positivstellensatz-style certificate, as in Parrilo's SOS proofs or PEP dual certificates).
* :class:`Chain` -- ``start rel_1 e_1 rel_2 e_2 ...``; it proves ``start rel e_n``.
* :class:`Cases` -- a split on the sign of an expression; every branch proves the claim.
* :class:`Induction` -- base case and inductive step over an integer horizon ``T``.
* :class:`Param` -- a hypothesis written as a change of variables onto a non-negative slack
  (``eta = 1/(beta (1 + w))``, ``w >= 0`` encodes ``0 < eta <= 1/beta``), which lets the
  decider turn conditional inequalities into sign questions about polynomials.
* :class:`Theorem` -- a claim, its hypotheses and its proof; :class:`ProofFile` -- the theorems
  of one ``proofs/<id>.py`` file.

Vector quantities enter through *scalar abstractions*: norms and inner products are real
symbols (``G = ||g|| >= 0``, ``ge = <g, e>``), and everything the vectors imply about them
enters as a named fact (Cauchy-Schwarz ``<g, e> >= -||g|| ||e||``, bilinearity of the inner
product, ...).  This is sound: each fact is a true statement about the real numbers the
symbols stand for, so a proof from those facts is a proof about the vectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence, Union

import sympy as sp

from ..errors import ProofError

RELATIONS = ("==", "<=", ">=", "<", ">")
CASE_RELATIONS = (">=", ">", "==", "<", "<=")


def _expr(value: Any, what: str) -> sp.Expr:
    try:
        return sp.sympify(value)
    except (sp.SympifyError, TypeError) as exc:  # pragma: no cover - authoring error
        raise ProofError(f"{what} is not a sympy expression: {value!r} ({exc})") from None


def _rel(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise ProofError(f"{what} must be one of {', '.join(allowed)}, got {value!r}")
    return value


@dataclass(frozen=True)
class Claim:
    """The statement ``lhs rel rhs`` that a theorem asserts (``rel`` in ``==, <=, >=``)."""

    lhs: sp.Expr
    rel: str
    rhs: sp.Expr

    def __post_init__(self) -> None:
        object.__setattr__(self, "lhs", _expr(self.lhs, "claim lhs"))
        object.__setattr__(self, "rhs", _expr(self.rhs, "claim rhs"))
        object.__setattr__(self, "rel", _rel(self.rel, RELATIONS, "claim relation"))

    def subs(self, mapping: Mapping) -> "Claim":
        return Claim(self.lhs.subs(mapping), self.rel, self.rhs.subs(mapping))

    def __str__(self) -> str:
        return f"{sp.sstr(self.lhs)} {self.rel} {sp.sstr(self.rhs)}"


@dataclass(frozen=True)
class Fact:
    """A usable fact ``lhs rel rhs`` with its provenance.

    Parameters
    ----------
    name : str
        How the fact is cited in reports ("descent lemma (F1)", "Cauchy-Schwarz", ...).
    lhs, rel, rhs
        The fact itself.
    kind : str
        ``"axiom"`` (a named mathematical fact taken as known), ``"hypothesis"`` (must be a
        hypothesis of the theorem that uses it), ``"case"`` (added by a case split),
        ``"induction hypothesis"`` or ``"lemma"`` (an instance of a proven theorem).
    requires : frozenset of str
        Function-class assumptions the fact needs (``"smooth"``, ``"convex"``, ...); the
        checker refuses the fact in a theorem that does not assume them.
    side_conditions : tuple of sympy expressions
        Each must be decided ``>= 0`` in the theorem's domain before the fact may be used
        (e.g. ``1 - x >= 0`` for ``(1 - x)^T <= exp(-x T)``).
    source : Theorem or None
        For a lemma instance: the theorem it instantiates (the checker verifies it).
    instance : tuple of (old, new) pairs
        For a lemma instance: the substitution applied to ``source``.
    schema : tuple
        For an instance of a named axiom schema of :mod:`~sambounds.proof.axioms`:
        ``(schema name, arguments)``.  The checker rebuilds the instance from the arguments,
        validates them (canonical constants, Gram consistency) and requires the fact as written
        to equal the rebuilt one, so an edited or hand-made "instance" is refused.
    """

    name: str
    lhs: sp.Expr
    rel: str
    rhs: sp.Expr
    kind: str = "axiom"
    requires: frozenset = frozenset()
    side_conditions: tuple = ()
    source: Any = None
    instance: tuple = ()
    given: tuple = ()
    schema: tuple = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "lhs", _expr(self.lhs, f"fact {self.name!r} lhs"))
        object.__setattr__(self, "rhs", _expr(self.rhs, f"fact {self.name!r} rhs"))
        object.__setattr__(self, "rel", _rel(self.rel, ("==", "<=", ">="), f"fact {self.name!r} relation"))
        object.__setattr__(self, "requires", frozenset(self.requires))
        object.__setattr__(self, "side_conditions",
                           tuple(_expr(c, f"side condition of {self.name!r}") for c in self.side_conditions))

    @property
    def gap(self) -> sp.Expr:
        """The expression the fact asserts to be ``>= 0`` (or ``== 0`` for an identity)."""
        return self.lhs - self.rhs if self.rel == ">=" else self.rhs - self.lhs

    @property
    def is_identity(self) -> bool:
        return self.rel == "=="

    def __str__(self) -> str:
        return f"{self.name}: {sp.sstr(self.lhs)} {self.rel} {sp.sstr(self.rhs)}"


@dataclass(frozen=True)
class Step:
    """One link ``previous rel expr`` of a chain (``rel`` in ``==, <=, >=, <, >``).

    ``uses`` pairs each fact with its multiplier: a non-negative expression for an inequality
    fact, any expression for an identity.  A multiplier may be omitted (``uses=[fact]``), which
    means 1.  With ``gap_i`` the non-negative (or zero) side of fact i, the checker decides
    ``expr - previous - sum c_i gap_i == 0`` for ``==``, ``>= 0`` (``> 0``) for ``<=`` (``<``),
    and ``previous - expr - sum c_i gap_i >= 0`` (``> 0``) for ``>=`` (``>``).
    """

    rel: str
    expr: sp.Expr
    by: str
    uses: tuple = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "rel", _rel(self.rel, RELATIONS, "step relation"))
        object.__setattr__(self, "expr", _expr(self.expr, f"step ({self.by}) expression"))
        pairs = []
        for item in self.uses:
            fact, mult = (item, 1) if isinstance(item, Fact) else item
            if not isinstance(fact, Fact):
                raise ProofError(f"step ({self.by}) uses {fact!r}, which is not a Fact")
            pairs.append((fact, _expr(mult, f"multiplier of {fact.name!r}")))
        object.__setattr__(self, "uses", tuple(pairs))


@dataclass(frozen=True)
class Param:
    """A hypothesis written as a change of variables onto a slack ``>= 0``.

    ``target = value(slack)`` with ``slack >= 0`` ranges over (at least) every point where the
    hypothesis ``inverse(target) >= 0`` holds, because the checker verifies
    ``value(inverse(target)) == target``.  ``target`` is a symbol or an atom such as
    ``eta[T]`` or ``log(N)``.
    """

    target: sp.Expr
    value: sp.Expr
    slack: sp.Symbol | None
    inverse: sp.Expr | None
    text: str

    def __post_init__(self) -> None:
        for name in ("target", "value", "inverse"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, _expr(getattr(self, name), f"param {self.text!r} {name}"))
        if self.slack is None:
            if self.inverse is not None:
                raise ProofError(f"param {self.text!r}: a definition (slack=None) has no inverse")
        elif not (isinstance(self.slack, sp.Symbol) and self.slack.is_nonnegative):
            raise ProofError(f"param {self.text!r}: slack {self.slack!r} must be a nonnegative Symbol")

    @property
    def is_definition(self) -> bool:
        """A definition ``target := value`` (e.g. the update rule), not a hypothesis."""
        return self.slack is None


def definition_param(target: Any, value: Any, text: str) -> Param:
    """``target := value``: a definition the checker substitutes (the algorithm's update rule)."""
    return Param(target, value, None, None, text)


@dataclass(frozen=True)
class Chain:
    """``start rel_1 steps[0].expr rel_2 steps[1].expr ...``."""

    start: sp.Expr
    steps: tuple

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _expr(self.start, "chain start"))
        object.__setattr__(self, "steps", tuple(self.steps))
        if not self.steps:
            raise ProofError("a chain needs at least one step")


@dataclass(frozen=True)
class Branch:
    """One branch of a case split: ``split rel 0`` holds, and ``proof`` proves the claim.

    ``params`` may rewrite the branch condition as a change of variables; each param's
    hypothesis must be the branch condition up to a positive factor.
    """

    rel: str
    proof: "ProofBody"
    params: tuple = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "rel", _rel(self.rel, CASE_RELATIONS, "branch relation"))
        object.__setattr__(self, "params", tuple(self.params))


@dataclass(frozen=True)
class Cases:
    """A case split on the sign of ``split``; the branches must cover every real value."""

    split: sp.Expr
    branches: tuple

    def __post_init__(self) -> None:
        object.__setattr__(self, "split", _expr(self.split, "case split"))
        object.__setattr__(self, "branches", tuple(self.branches))

    def fact(self, rel: str) -> Fact:
        """The case condition ``split rel 0`` as a usable fact (strictness is dropped)."""
        rel = _rel(rel, CASE_RELATIONS, "case relation")
        weak = {">": ">=", "<": "<="}.get(rel, rel)
        return Fact(f"case {sp.sstr(self.split)} {rel} 0", self.split, weak, 0, kind="case")


def case_fact(split: Any, rel: str) -> Fact:
    """The fact a :class:`Cases` branch ``split rel 0`` provides (usable in that branch only)."""
    return Cases(split, ()).fact(rel)


@dataclass(frozen=True)
class Induction:
    """Induction on the integer ``variable`` (``T >= 0``): ``base`` proves the claim at 0,
    ``step`` proves it at ``T + 1`` and may use :func:`induction_hypothesis` (the claim at T).

    Params of the theorem whose target is indexed by ``variable`` (``eta[T]``) state the
    hypothesis for the index being stepped over, i.e. for every ``t < T``.
    """

    variable: sp.Symbol
    base: "ProofBody"
    step: "ProofBody"


ProofBody = Union[Chain, Cases, Induction]


def induction_hypothesis(claim: Claim) -> Fact:
    """The induction hypothesis for ``claim`` (valid only inside an induction step)."""
    return Fact("induction hypothesis", claim.lhs, claim.rel, claim.rhs, kind="induction hypothesis")


@dataclass(frozen=True)
class Theorem:
    """A claim with its hypotheses and proof.

    Parameters
    ----------
    name : str
        Identifier inside its proof file (``"one_step"``, ``"schedule_generic"``).
    claim : Claim
        The statement; its right side is the expression as written in docs/theory.md.
    proof : Chain | Cases | Induction
    assumptions : frozenset of str
        Function-class assumptions (see :data:`sambounds.proof.axioms.ASSUMPTIONS`).
    params : tuple of Param
        Hypotheses on the constants, as changes of variables.
    hypotheses : tuple of Fact
        Further hypotheses (definitions such as ``Delta = f_0 - f*``, conditions that are not
        parametrized).  Every fact of kind ``"hypothesis"`` a step uses must be listed here.
    statement : str
        The statement in words, as in docs/theory.md.
    """

    name: str
    claim: Claim
    proof: ProofBody
    assumptions: frozenset = frozenset()
    params: tuple = ()
    hypotheses: tuple = ()
    statement: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "assumptions", frozenset(self.assumptions))
        object.__setattr__(self, "params", tuple(self.params))
        object.__setattr__(self, "hypotheses", tuple(self.hypotheses))


@dataclass(frozen=True)
class ProofFile:
    """The theorems of one ``proofs/<id>.py`` file, in dependency order."""

    id: str
    title: str
    theorems: tuple
    checked_numerically: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "theorems", tuple(self.theorems))
        names = [t.name for t in self.theorems]
        if len(set(names)) != len(names):
            raise ProofError(f"proof file {self.id!r} has duplicate theorem names: {names}")

    @property
    def statements(self) -> dict:
        """``{theorem name: Claim}``: the statements this file proves (for the catalog)."""
        return {t.name: t.claim for t in self.theorems}

    def theorem(self, name: str) -> Theorem:
        for t in self.theorems:
            if t.name == name:
                return t
        raise ProofError(f"proof file {self.id!r} has no theorem {name!r}")


def lemma(theorem: Theorem, mapping: Mapping | None = None, name: str | None = None,
          given: Sequence[Fact] = ()) -> Fact:
    """An instance of a proven ``theorem`` as a usable fact.

    ``mapping`` sends symbols to expressions and IndexedBase objects to an IndexedBase, a
    callable ``index -> expression`` or a constant.  The checker verifies the theorem, that
    the current theorem has its assumptions, and that the instantiated hypotheses hold: each is
    a hypothesis of the current theorem, is decided, or is one of the ``given`` facts (modus
    ponens; each given fact must itself be available where the lemma is used).
    """
    from .instantiate import instantiate

    mapping = dict(mapping or {})
    claim = theorem.claim
    lhs, rhs = instantiate(claim.lhs, mapping), instantiate(claim.rhs, mapping)
    return Fact(name or f"lemma {theorem.name}", lhs, claim.rel, rhs, kind="lemma",
                requires=theorem.assumptions, source=theorem, instance=tuple(mapping.items()), given=tuple(given))


def summed(fact: Fact, index: sp.Symbol, bound: sp.Symbol, lo: Any, hi: Any, weight: Any = 1) -> Fact:
    """``sum_{bound=lo}^{hi} weight (rhs - lhs) >= 0`` from ``fact`` proven for a generic ``index``.

    The checker verifies ``fact`` (with ``index`` free, hence for every index in its declared
    sign), ``weight >= 0`` and ``lo <= hi`` with ``lo`` inside the declared signs of ``index``
    and ``bound``; summing non-negative terms over a non-empty range gives a non-negative sum.
    (A reversed range is not a sum of those terms: by Karr's convention
    ``Sum(b, (t, lo, hi)) = -Sum(b, (t, hi + 1, lo - 1))`` when ``hi < lo - 1``.)
    """
    if fact.is_identity:
        raise ProofError("summed() takes an inequality fact")
    gap = _expr(weight, "weight") * fact.gap
    body = gap.xreplace({index: bound})
    lo, hi = _expr(lo, "lower limit"), _expr(hi, "upper limit")
    return Fact(f"sum over {bound} of ({fact.name})", sp.Sum(body, (bound, lo, hi)), ">=", 0, kind="sum",
                source=fact, instance=((index, bound), ("weight", _expr(weight, "weight")), ("range", (lo, hi))))


def expected(fact: Fact, means: Mapping, name: str | None = None) -> Fact:
    """The expectation of an inequality that holds pointwise (for every outcome).

    ``means`` maps each random quantity of ``fact`` (a symbol, or a monomial such as ``G**2``)
    to the symbol for its expectation; every other symbol is deterministic.  The checker
    verifies that ``fact`` is available and affine in the random quantities (so that linearity
    and monotonicity of expectation give the mapped inequality) and that no random quantity is
    left over.
    """
    means = {sp.sympify(k): sp.sympify(v) for k, v in means.items()}
    lhs, rhs = fact.lhs.xreplace(means), fact.rhs.xreplace(means)
    return Fact(name or f"expectation of ({fact.name})", lhs, fact.rel, rhs, kind="expectation",
                source=fact, instance=tuple(means.items()))
