"""The checker: runs a proof and reports, item by item, what was verified and what was not.

What is checked for a :class:`~sambounds.proof.step.Theorem`:

* every param is a valid change of variables (``value(inverse(target)) == target``);
* every fact a step uses is *available*: an axiom whose function-class assumptions the theorem
  makes and whose side conditions are decided; a hypothesis listed by the theorem; a case
  condition of an enclosing branch; the induction hypothesis inside an induction step; or an
  instance of a theorem that itself checks, whose assumptions the current theorem makes and
  whose hypotheses (params, sign declarations, listed hypotheses) hold for the instance;
* every multiplier of an inequality fact is ``>= 0``;
* every step (identity, or inequality by certificate) is decided by :mod:`.decide`;
* the chain starts at the claim's left side, ends *exactly* (up to algebra) at the claim's
  right side, and its relations compose to the claim's relation;
* case splits cover every sign of the split expression; inductions prove ``T = 0`` and
  ``T -> T + 1``.

Anything that cannot be decided is a failure with its reason -- never a silent pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from .axioms import ASSUMPTIONS, closure
from .decide import Context, certify, is_zero, nonneg
from .instances import expectation_reason, schema_reason, sum_range_reason, sum_reason
from .instantiate import instantiate
from .report import ProofReport, StepReport, TheoremReport
from .second_judge import claim_verdict, identity_verdict, step_verdict
from .z3_judge import Z3Judge, Z3Verdict
from .symbols import T as T_INDEX
from .symbols import k as K_INDEX
from .step import Cases, Chain, Claim, Fact, Induction, ProofFile, Theorem, induction_hypothesis


@dataclass
class _Scope:
    theorem: Theorem
    assumptions: frozenset
    ctx: Context
    memo: dict
    cases: tuple = ()
    ih: Fact | None = None
    items: list = field(default_factory=list)
    judge: Z3Judge | None = None

    def add(self, where, what, why, ok, method="", reason="", z3v: Z3Verdict | None = None):
        if z3v is None:
            self.items.append(StepReport(where, what, why, bool(ok), method, reason))
            return ok
        refuted = z3v.verdict == "refuted"
        if refuted:
            reason = (reason + "; " if reason else "") + f"z3 refutes: {z3v.detail}"
        self.items.append(StepReport(where, what, why, bool(ok) and not refuted, method, reason, z3v.verdict,
                                     z3v.detail, bool(ok)))
        return bool(ok) and not refuted

    def sub(self, **changes) -> "_Scope":
        """The same scope (items shared) with some fields changed."""
        fields = dict(theorem=self.theorem, assumptions=self.assumptions, ctx=self.ctx, memo=self.memo,
                      cases=self.cases, ih=self.ih, items=self.items, judge=self.judge)
        fields.update(changes)
        return _Scope(**fields)


def _s(e) -> str:
    return sp.sstr(e)


def _algebra(ctx: Context) -> Context:
    """Same cache, no params: for comparisons that must hold as written."""
    return Context((), ctx.cache)


# ----------------------------------------------------------------------------- params
def _check_param(p, scope: _Scope, where: str) -> bool:
    if p.is_definition:
        return scope.add(where, f"{_s(p.target)} := {_s(p.value)}", f"definition: {p.text}", True, "definition")
    back = sp.simplify(p.value.xreplace({p.slack: p.inverse}) - p.target)
    ok = back == 0
    return scope.add(where, f"{_s(p.target)} = {_s(p.value)}, {p.slack} = {_s(p.inverse)} >= 0",
                     f"hypothesis: {p.text}", ok, "change of variables",
                     "" if ok else f"value(inverse(target)) - target = {_s(back)} != 0")


# ----------------------------------------------------------------------------- facts
def _fact_available(fact: Fact, scope: _Scope) -> str:
    """'' when ``fact`` may be used here, else the reason it may not."""
    missing = fact.requires - scope.assumptions
    if missing:
        return f"{fact.name} needs assumption(s) {sorted(missing)} that the theorem does not make"
    for cond in fact.side_conditions:
        if not nonneg(cond, scope.ctx).ok:
            return f"side condition {_s(cond)} >= 0 of {fact.name} is not decided"
    if fact.kind == "axiom":
        return schema_reason(fact, scope.ctx) if fact.schema else ""
    if fact.kind == "hypothesis":
        return "" if fact in scope.theorem.hypotheses else f"{fact.name} is not a hypothesis of the theorem"
    if fact.kind == "case":
        return "" if fact in scope.cases else f"{fact.name} is not the condition of an enclosing case"
    if fact.kind == "induction hypothesis":
        if scope.ih is None:
            return "induction hypothesis used outside an induction step"
        same = (fact.rel == scope.ih.rel and sp.simplify(fact.lhs - scope.ih.lhs) == 0
                and sp.simplify(fact.rhs - scope.ih.rhs) == 0)
        return "" if same else "this is not the induction hypothesis of the enclosing induction"
    if fact.kind == "lemma":
        return _lemma_available(fact, scope)
    if fact.kind == "expectation":
        return expectation_reason(fact, lambda inner: _fact_available(inner, scope))
    if fact.kind == "sum":
        return sum_reason(fact, lambda inner: _fact_available(inner, scope), scope.ctx)
    return f"unknown fact kind {fact.kind!r}"


def _lemma_available(fact: Fact, scope: _Scope) -> str:
    source: Theorem = fact.source
    report = check_theorem(source, memo=scope.memo, judge=scope.judge)
    if not report.verified:
        return f"cited theorem {source.name!r} does not check"
    mapping = dict(fact.instance)
    expected = (instantiate(source.claim.lhs, mapping), instantiate(source.claim.rhs, mapping))
    if (fact.lhs, fact.rhs) != expected or fact.rel != source.claim.rel:
        return f"fact does not match an instance of {source.name!r}"
    for old, new in mapping.items():
        probes = [old] if isinstance(old, sp.Symbol) else (
            [old[sp.Symbol("k", integer=True, nonnegative=True)]] if isinstance(old, sp.IndexedBase) else [])
        for probe in probes:
            value = instantiate(probe, mapping)
            for flag, strict in (("is_positive", True), ("is_nonnegative", False)):
                if getattr(probe, flag) and not nonneg(value, scope.ctx, strict=strict).ok:
                    return f"{_s(probe)} -> {_s(value)}: not shown {'>' if strict else '>='} 0"
                if getattr(probe, flag):
                    break
    src_index, cur_index = _sequence_index(source), _sequence_index(scope.theorem)
    for p in source.params:
        if p.is_definition:
            target, value = instantiate(p.target, mapping), instantiate(p.value, mapping)
            target, value = target.xreplace({src_index: cur_index}), value.xreplace({src_index: cur_index})
            if not is_zero(target - value, scope.ctx).ok:
                return f"definition {p.text!r} of {source.name!r} does not hold for this instance"
            continue
        cond = instantiate(p.inverse, mapping)
        if isinstance(p.target, sp.Indexed) and src_index in p.target.indices:
            cond = cond.xreplace({src_index: cur_index})  # "for every t" in both theorems
        if not nonneg(cond, scope.ctx, strict=bool(p.slack.is_positive)).ok:
            return f"hypothesis {p.text!r} of {source.name!r} ({_s(cond)} >= 0) not shown for this instance"
    for h in source.hypotheses:
        inst = Fact(h.name, instantiate(h.lhs, mapping), h.rel, instantiate(h.rhs, mapping), kind=h.kind)
        if inst in scope.theorem.hypotheses:
            continue
        match = [g for g in fact.given if g.rel == inst.rel and is_zero(g.lhs - inst.lhs, _algebra(scope.ctx)).ok
                 and is_zero(g.rhs - inst.rhs, _algebra(scope.ctx)).ok]
        if match:
            reason = _fact_available(match[0], scope)
            if reason:
                return f"given fact for hypothesis {h.name!r} of {source.name!r}: {reason}"
            continue
        decided = is_zero(inst.gap, scope.ctx) if inst.is_identity else nonneg(inst.gap, scope.ctx)
        if not decided.ok:
            return f"hypothesis {h.name!r} of {source.name!r} not available for this instance"
    return ""


def _sequence_index(theorem: Theorem) -> sp.Symbol:
    """The index that params on sequences (``eta[.]``) use in ``theorem``: the induction
    variable of an induction (the index being stepped over), else the universal index ``k``."""
    return theorem.proof.variable if isinstance(theorem.proof, Induction) else K_INDEX


def _check_sequence_params(theorem: Theorem, scope: _Scope) -> bool:
    index = _sequence_index(theorem)
    ok = True
    bound = {lim[0] for e in (theorem.claim.lhs, theorem.claim.rhs) for sm in e.atoms(sp.Sum) for lim in sm.limits}
    for p in theorem.params:
        clash = p.target.free_symbols & bound
        if clash:
            ok = scope.add("param", _s(p.target), "hypothesis vs summation variables", False, "scoping",
                           f"param target uses summation variable(s) {sorted(map(str, clash))}")
        if isinstance(p.target, sp.Indexed):
            bad = [i for i in p.target.indices if i in (K_INDEX, T_INDEX) and i != index]
            if bad:
                ok = scope.add("param", _s(p.target), "hypothesis on a sequence", False, "index",
                               f"index {bad[0]} must be {index} (meaning: for every index)")
    return ok


# ----------------------------------------------------------------------------- bodies
def _compose(rels) -> str | None:
    """``a < b <= c`` gives ``a < c``; ``<`` and ``>`` directions may not mix."""
    kinds = {r[0] for r in rels if r != "=="}
    if len(kinds) > 1:
        return None
    if not kinds:
        return "=="
    direction = kinds.pop()
    return direction if any(r == direction for r in rels) else direction + "="


def _fits(rel: str | None, claim_rel: str) -> bool:
    """Whether a chain relation proves the claim's relation (a strict chain proves a weak claim)."""
    if rel is None:
        return False
    return rel == claim_rel or rel == "==" and claim_rel in ("<=", ">=") or rel + "=" == claim_rel


def _check_chain(chain: Chain, claim: Claim, scope: _Scope, where: str) -> bool:
    alg = _algebra(scope.ctx)
    ok = is_zero(chain.start - claim.lhs, alg).ok
    z3v = identity_verdict(chain.start, claim.lhs, scope.judge) if scope.judge else None
    all_ok = scope.add(f"{where} start", _s(chain.start), "left side of the claim", ok, "identity",
                       "" if ok else f"chain starts at {_s(chain.start)}, claim is about {_s(claim.lhs)}", z3v)
    prev = chain.start
    for k, step in enumerate(chain.steps, 1):
        all_ok &= _check_step(prev, step, scope, f"{where} step {k}")
        prev = step.expr
    rel = _compose([s.rel for s in chain.steps])
    fits = _fits(rel, claim.rel)
    all_ok &= scope.add(f"{where} relations", " ".join(s.rel for s in chain.steps), "composition",
                        fits, "transitivity", "" if fits else f"steps compose to {rel}, claim needs {claim.rel}")
    end = is_zero(prev - claim.rhs, alg)
    z3v = identity_verdict(prev, claim.rhs, scope.judge) if scope.judge else None
    all_ok &= scope.add(f"{where} end", _s(claim.rhs), "right side of the claim as stated", end.ok,
                        "identity", "" if end.ok else f"chain ends at {_s(prev)}, not at the claim: {end.reason}", z3v)
    return all_ok


def _check_step(prev, step, scope: _Scope, where: str) -> bool:
    what = f"{step.rel} {_s(step.expr)}"
    z3v = step_verdict(prev, step, scope.cases, scope.ctx.params, scope.judge) if scope.judge else None
    for fact, mult in step.uses:
        reason = _fact_available(fact, scope)
        if reason:
            return scope.add(where, what, step.by, False, "fact availability", reason, z3v)
        if step.rel == "==" and not fact.is_identity:
            return scope.add(where, what, step.by, False, "identity",
                             f"an identity step cannot use the inequality {fact.name}", z3v)
        if not fact.is_identity:
            d = nonneg(mult, scope.ctx)
            if not d.ok:
                return scope.add(where, what, step.by, False, "multiplier sign",
                                 f"multiplier {_s(mult)} of {fact.name} not shown >= 0: {d.reason}", z3v)
    uses = [(f.gap, m) for f, m in step.uses]
    if step.rel == "==":
        d = is_zero(step.expr - prev - sp.Add(*[m * g for g, m in uses]), scope.ctx)
    elif step.rel in ("<=", "<"):
        d = certify(step.expr - prev, uses, scope.ctx, strict=step.rel == "<")
    else:
        d = certify(prev - step.expr, uses, scope.ctx, strict=step.rel == ">")
    return scope.add(where, what, step.by, d.ok, d.method, d.reason, z3v)


def _covers(rels) -> bool:
    need = {">": {">", ">="}, "==": {"==", ">=", "<="}, "<": {"<", "<="}}
    return all(any(r in ok for r in rels) for ok in need.values())


def _check_cases(cases: Cases, claim: Claim, scope: _Scope, where: str) -> bool:
    rels = [b.rel for b in cases.branches]
    ok = scope.add(f"{where} cover", f"split {_s(cases.split)}: {', '.join(rels)} 0", "case split",
                   _covers(rels), "trichotomy", "" if _covers(rels) else "branches do not cover all signs")
    for b in cases.branches:
        here = f"{where} [{_s(cases.split)} {b.rel} 0]"
        condition = -cases.split if b.rel in ("<", "<=") else cases.split
        for p in b.params:
            if p.is_definition:
                ok &= scope.add(f"{here} param", _s(p.target), "branch param", False, "structure",
                                "a branch param must encode the branch condition, not define a symbol")
                continue
            ok &= _check_param(p, scope, f"{here} param")
            ratio = nonneg(p.inverse / condition, scope.ctx, strict=True) if b.rel != "==" else None
            good = ratio is not None and ratio.ok
            ok &= scope.add(f"{here} param", _s(p.inverse), "param encodes the branch condition", good,
                            "sign of ratio", "" if good else "param hypothesis is not the branch condition "
                            "times a positive factor")
        sub = scope.sub(ctx=scope.ctx.extended(b.params), cases=scope.cases + (cases.fact(b.rel),))
        ok &= _check_body(b.proof, claim, sub, here)
    return ok


def _check_induction(ind: Induction, claim: Claim, scope: _Scope, where: str) -> bool:
    T = ind.variable
    good = isinstance(T, sp.Symbol) and T.is_integer and T.is_nonnegative
    ok = scope.add(f"{where} variable", str(T), "induction on an integer >= 0", good, "assumptions",
                   "" if good else f"{T} must be a Symbol declared integer and nonnegative")
    touching = [p for p in scope.ctx.params if not p.is_definition and T in _outside_indices(p)]
    ok &= scope.add(f"{where} range", f"{T} = 0, 1, 2, ...", "base T=0 and step T->T+1 cover the range of "
                    f"{T}", not touching, "scoping",
                    "" if not touching else f"hypothesis {touching[0].text!r} restricts the induction variable {T} "
                    f"(substitution {_s(touching[0].target)} = {_s(touching[0].value)}): the step would be proved "
                    f"only under it while the base is proved at {T} = 0, so some {T} in the declared range is never "
                    "covered; state the claim for a shifted variable instead")
    base = scope.sub(ih=None)
    ok &= _check_body(ind.base, claim.subs({T: 0}), base, f"{where} base T=0")
    step = scope.sub(ih=induction_hypothesis(claim))
    ok &= _check_body(ind.step, claim.subs({T: T + 1}), step, f"{where} step T->T+1")
    return ok


def _outside_indices(p) -> set:
    """Symbols of a param that occur other than as an index of a sequence term (``eta[T]`` is a
    hypothesis on the term stepped over, not on ``T``)."""
    out = set()
    for e in (p.target, p.value, p.inverse):
        e = e.xreplace({a: sp.Dummy() for a in e.atoms(sp.Indexed)})
        out |= e.free_symbols
    return out


def _body_exprs(body):
    """Every expression a proof body writes (chain points, case splits, facts used)."""
    if isinstance(body, Chain):
        yield body.start
        for step in body.steps:
            yield step.expr
            for fact, mult in step.uses:
                yield from (fact.lhs, fact.rhs, mult)
    elif isinstance(body, Cases):
        yield body.split
        for b in body.branches:
            yield from _body_exprs(b.proof)
    elif isinstance(body, Induction):
        yield from _body_exprs(body.base)
        yield from _body_exprs(body.step)


def _check_sum_ranges(theorem: Theorem, scope: _Scope) -> bool:
    exprs = [theorem.claim.lhs, theorem.claim.rhs, *_body_exprs(theorem.proof)]
    reason = sum_range_reason(exprs, scope.ctx)
    if not reason:
        return True
    return scope.add("sums", "summation ranges", "every range inside its index's declared sign", False, "scoping",
                     reason)


def _check_body(body, claim: Claim, scope: _Scope, where: str) -> bool:
    if isinstance(body, Chain):
        return _check_chain(body, claim, scope, where)
    if isinstance(body, Cases):
        return _check_cases(body, claim, scope, where)
    if isinstance(body, Induction):
        return _check_induction(body, claim, scope, where)
    return scope.add(where, repr(body), "proof body", False, "structure", "not a Chain, Cases or Induction")


# ----------------------------------------------------------------------------- entry points
def check_theorem(theorem: Theorem, memo: dict | None = None, judge: Z3Judge | None = Z3Judge()) -> TheoremReport:
    """Check one theorem (and, through ``memo``, every theorem it cites, once).

    ``judge``: the settings of the second judge, z3 (``None``: sympy alone).  An item counts as
    verified when sympy accepts it and z3 does not refute it.
    """
    memo = {} if memo is None else memo
    key = id(theorem)
    if key in memo:
        cached = memo[key][1]
        if cached is None:
            return TheoremReport(theorem.name, theorem.statement, str(theorem.claim), False,
                                 (StepReport("cite", theorem.name, "", False, "structure", "circular citation"),))
        return cached
    memo[key] = (theorem, None)
    unknown = theorem.assumptions - set(ASSUMPTIONS)
    scope = _Scope(theorem, closure(theorem.assumptions), Context(theorem.params), memo, judge=judge)
    ok = scope.add("assumptions", ", ".join(sorted(theorem.assumptions)), "function class",
                   not unknown, "known names", f"unknown assumption(s) {sorted(unknown)}" if unknown else "")
    for p in theorem.params:
        ok &= _check_param(p, scope, "param")
    ok &= _check_sequence_params(theorem, scope)
    try:
        ok &= _check_sum_ranges(theorem, scope)
        ok &= _check_body(theorem.proof, theorem.claim, scope, "proof")
    except (sp.PolynomialError, sp.SympifyError, TypeError, ValueError, RecursionError) as exc:
        ok = scope.add("proof", "", "", False, "exception", f"{type(exc).__name__}: {exc}")
    z3v = claim_verdict(theorem, judge) if judge else None
    if z3v is not None:
        ok &= scope.add("claim (z3)", str(theorem.claim), "z3 searches for a counterexample to the claim", True,
                        "z3 only", "", z3v)
    report = TheoremReport(theorem.name, theorem.statement, str(theorem.claim), bool(ok), tuple(scope.items))
    memo[key] = (theorem, report)
    return report


def check_file(pf: ProofFile, memo: dict | None = None, judge: Z3Judge | None = Z3Judge()) -> ProofReport:
    """Check every theorem of a proof file, in order (``judge``: see :func:`check_theorem`)."""
    memo = {} if memo is None else memo
    reports = tuple(check_theorem(t, memo, judge) for t in pf.theorems)
    return ProofReport(pf.id, pf.title, all(r.verified for r in reports) and bool(reports), reports,
                       "" if reports else "the file proves no theorem", pf.checked_numerically)

