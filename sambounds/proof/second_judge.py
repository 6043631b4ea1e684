"""What the second judge (:mod:`.z3_judge`) is asked about a proof.

* **a step** ``prev rel expr``: implied by the facts it uses, the enclosing case conditions and
  the params in force (as hypotheses, not substitutions);
* **a fact it uses**, when the fact is derived: a schema instance must follow from the schema
  rebuilt from its arguments (with the schema's side conditions); a sum of a fact over a
  concrete range must follow from the summed fact at each index of the range (a reversed
  range has no such index, and its sum, by Karr's convention, is minus a sum);
* **the claim itself**, for a theorem that assumes no function class: z3 searches for a
  counterexample under the theorem's params and hypotheses, symbolically and at small values
  (0..3) of the induction variable or of an integer summation limit.  A claim about a function
  class cannot be refuted this way (its symbols are tied by the class), so it is not asked.

The verdict of a step is the worst of these: refuted if any is refuted (with the
counterexample), confirmed only if the step and every derived fact are confirmed.
"""

from __future__ import annotations

import sympy as sp

from .axioms import SCHEMAS
from .step import Induction
from .z3_judge import Z3Judge, Z3Verdict, decide, expand_sum, param_premises

_ORDER = {"refuted": 0, "unsupported": 1, "undecided": 2, "confirmed": 3}


def _worst(verdicts) -> Z3Verdict:
    return min(verdicts, key=lambda v: _ORDER[v.verdict])


def fact_verdict(fact, judge: Z3Judge) -> Z3Verdict:
    """The z3 verdict on a derived fact (schema instance, concrete sum); confirmed for the rest,
    whose truth is the first judge's structural business (hypotheses, lemmas, cases)."""
    if fact.kind == "axiom" and fact.schema:
        name, args = fact.schema
        try:
            rebuilt = SCHEMAS[name](**dict(args))
        except Exception as exc:  # noqa: BLE001 - any failure to rebuild is the first judge's rejection
            return Z3Verdict("unsupported", f"schema {name} does not rebuild: {exc}")
        premises = [(rebuilt.lhs, rebuilt.rel, rebuilt.rhs)] + [(c, ">=", 0) for c in rebuilt.side_conditions]
        v = decide(fact.lhs, fact.rel, fact.rhs, premises, judge)
        return v if v.verdict != "refuted" else Z3Verdict("refuted", f"{fact.name} is not implied by schema {name}: "
                                                          f"{v.detail}")
    if fact.kind == "sum":
        (index, bound), (_, weight), (_, (lo, hi)) = fact.instance
        inner = fact.source
        length = sp.simplify(hi - lo + 1)
        if not (length.is_Integer and lo.is_Integer) or abs(int(length)) > 32:
            return _worst([fact_verdict(inner, judge), Z3Verdict("undecided", "sum over a symbolic range")])
        gap = weight * inner.gap
        terms = [(gap.xreplace({index: i}), ">=", 0) for i in range(int(lo), int(hi) + 1)] if lo.is_Integer else []
        v = decide(expand_sum(fact.lhs), ">=", 0, terms, judge)
        if v.verdict == "refuted":
            return Z3Verdict("refuted", f"{fact.name} over {sp.sstr(lo)}..{sp.sstr(hi)} does not follow from the summed "
                             f"fact at each index of the range: {v.detail}")
        return _worst([v, fact_verdict(inner, judge)])
    if fact.kind == "expectation":
        return fact_verdict(fact.source, judge)
    return Z3Verdict("confirmed")


def step_verdict(prev, step, cases, params, judge: Z3Judge) -> Z3Verdict:
    """The z3 verdict on ``prev step.rel step.expr`` (see the module docstring)."""
    facts = [f for f, _ in step.uses]
    derived = [fact_verdict(f, judge) for f in facts]
    refuted = [v for v in derived if v.verdict == "refuted"]
    if refuted:
        return refuted[0]
    premises = param_premises(params) + [(f.lhs, f.rel, f.rhs) for f in (*facts, *cases)]
    v = decide(prev, step.rel, step.expr, premises, judge)
    return _worst([v, *derived])


def identity_verdict(a, b, judge: Z3Judge) -> Z3Verdict:
    """``a == b`` as written (chain start and end)."""
    return decide(a, "==", b, (), judge)


def claim_verdict(theorem, judge: Z3Judge) -> Z3Verdict | None:
    """z3's search for a counterexample to an assumption-free theorem's claim (None: not asked)."""
    if theorem.assumptions or _uses_meaning(theorem, set()):
        return None
    claim = theorem.claim
    claim_symbols = claim.lhs.free_symbols | claim.rhs.free_symbols
    hyps = [(h.lhs, h.rel, h.rhs) for h in theorem.hypotheses]
    if any((a.free_symbols | sp.sympify(b).free_symbols) - claim_symbols for a, _, b in hyps):
        return None  # a hypothesis "for every index" is not a finite premise
    premises = param_premises(theorem.params) + hyps
    first = decide(claim.lhs, claim.rel, claim.rhs, premises, judge)
    if first.verdict in ("refuted", "confirmed"):
        return first
    n = _small_variable(theorem)
    if n is None:
        return first
    for value in range(4):
        at = {n: sp.Integer(value)}
        sub = [(sp.sympify(a).xreplace(at), r, sp.sympify(b).xreplace(at)) for a, r, b in premises]
        v = decide(claim.lhs.xreplace(at), claim.rel, claim.rhs.xreplace(at), sub, judge)
        if v.verdict == "refuted":
            return Z3Verdict("refuted", f"at {n} = {value}: {v.detail}")
    return first


#: Schemas whose truth rests on what the symbols mean (inner products, expectations).
_MEANING = {"cauchy_schwarz", "jensen_norm", "expectation_nonneg"}


def _facts(body):
    from .step import Cases, Chain
    if isinstance(body, Chain):
        for step in body.steps:
            for fact, _ in step.uses:
                yield fact
    elif isinstance(body, Cases):
        for b in body.branches:
            yield from _facts(b.proof)
    elif isinstance(body, Induction):
        yield from _facts(body.base)
        yield from _facts(body.step)


def _uses_meaning(theorem, seen: set) -> bool:
    """Whether the proof rests on a stated axiom or a schema about what its symbols stand for:
    then a point violating the claim may violate that meaning, and is no counterexample."""
    if id(theorem) in seen:
        return False
    seen.add(id(theorem))
    stack = list(_facts(theorem.proof))
    while stack:
        f = stack.pop()
        if f.kind == "axiom" and (not f.schema or f.schema[0] in _MEANING):
            return True
        if f.kind == "expectation" or (f.kind == "lemma" and _uses_meaning(f.source, seen)):
            return True
        if f.kind == "sum":
            stack.append(f.source)
        stack.extend(f.given)
    return False


def _small_variable(theorem):
    if isinstance(theorem.proof, Induction):
        return theorem.proof.variable
    for e in (theorem.claim.lhs, theorem.claim.rhs):
        for s in e.atoms(sp.Sum):
            for _, lo, hi in s.limits:
                ints = [x for x in (sp.sympify(lo).free_symbols | sp.sympify(hi).free_symbols) if x.is_integer]
                if ints:
                    return sorted(ints, key=str)[0]
    return None
