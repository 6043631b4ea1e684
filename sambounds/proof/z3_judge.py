"""The second judge: z3 decides each step in nonlinear real arithmetic over exact rationals.

A step ``prev rel expr`` that uses facts ``F_1..F_n`` under the params ``P`` is translated to z3
and z3 is asked for a counterexample: a point satisfying the sign declarations of the symbols,
every param's hypothesis ``inverse(target) >= 0`` (not its substitution: z3 sees the
hypothesis as stated), every fact, the enclosing case conditions, and ``NOT (prev rel expr)``.

* ``unsat``: **confirmed** -- no such point exists (independently of the sympy judge).
* ``sat`` with an *exact* translation: **refuted**, and z3's model is the counterexample.
* ``sat`` where some atom had to be abstracted (a sum, ``exp``, ``log``, ``x^T`` with a symbolic
  exponent, an unknown function: each becomes a fresh real variable carrying only the signs
  sympy's assumptions give it and, for exp/log, ``exp(x) >= 1 + x``, ``log(x) <= x - 1``):
  **undecided** -- the model may not be a real point.  Likewise ``unknown`` or a timeout.
* an expression z3 cannot take: **unsupported** (undecided, never checked).

Translation: rationals exactly; integer powers as products (negative ones as quotients, with
``base != 0`` as a domain condition); ``b^(p/q)`` as ``s^p`` with a fresh ``s >= 0``, ``s^q = b``;
``Max``/``Min``/``Abs`` as a fresh ``m`` with ``m >= a_i`` (``<=``) for every argument and
``m = a_i`` for some.  Integer symbols are relaxed to reals first; a counterexample at a
non-integer point is re-checked with the integrality constraints before it counts.
Sums with a concrete number of terms are expanded; a sum with a symbolic upper limit
``V + c`` (``c >= 0`` an integer) has its last terms peeled off and is linearized, so that the
same sum written twice is the same variable.  Reference: de Moura & Bjorner, "Z3: an efficient
SMT solver", TACAS 2008; nlsat: Jovanovic & de Moura, IJCAR 2012.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

try:  # z3-solver is a core dependency; a missing install makes every step "unsupported"
    import z3
except ImportError:  # pragma: no cover - exercised only without the dependency
    z3 = None

#: Per-query time limit (milliseconds).
DEFAULT_TIMEOUT_MS = 3000


@dataclass(frozen=True)
class Z3Verdict:
    """``verdict`` is ``confirmed``, ``refuted``, ``undecided`` or ``unsupported``; ``detail``
    is the counterexample (refuted) or why it was not decided."""

    verdict: str
    detail: str = ""


@dataclass(frozen=True)
class Z3Judge:
    """Settings of the second judge: ``timeout_ms`` per query."""

    timeout_ms: int = DEFAULT_TIMEOUT_MS


class Unsupported(Exception):
    pass


class _Translator:
    def __init__(self):
        self.vars: dict = {}
        self.side: list = []
        self.exact = True
        self.abstracted: list = []
        self.named: dict = {}
        self.ints: list = []

    def _var(self, key, atom=None):
        if key in self.vars:
            return self.vars[key]
        v = z3.Real(key)
        self.vars[key] = v
        if atom is not None:
            if atom.is_positive:
                self.side.append(v > 0)
            elif atom.is_nonnegative:
                self.side.append(v >= 0)
            elif atom.is_negative:
                self.side.append(v < 0)
            elif atom.is_nonpositive:
                self.side.append(v <= 0)
        return v

    def _abstract(self, e):
        self.exact = False
        self.abstracted.append(sp.sstr(e))
        return self._var("atom:" + sp.srepr(e), e)

    def _fresh(self, prefix):
        return self._var(f"{prefix}!{len(self.vars)}")

    def tr(self, e):
        e = sp.sympify(e)
        if e.is_Rational:
            return z3.RealVal(f"{e.p}/{e.q}") if e.q != 1 else z3.RealVal(e.p)
        if isinstance(e, (sp.Symbol, sp.Indexed)):
            key = sp.srepr(e)  # two symbols of one name but different assumptions stay apart
            fresh = key not in self.vars
            v = self._var(key, e)
            self.named[sp.sstr(e)] = v
            if fresh and e.is_integer:
                self.ints.append(v)
            return v
        if isinstance(e, sp.Add):
            return z3.Sum([self.tr(a) for a in e.args])
        if isinstance(e, sp.Mul):
            out = self.tr(e.args[0])
            for a in e.args[1:]:
                out = out * self.tr(a)
            return out
        if isinstance(e, sp.Pow):
            return self._pow(e)
        if isinstance(e, (sp.Max, sp.Min, sp.Abs)):
            args = (e.args[0], -e.args[0]) if isinstance(e, sp.Abs) else e.args
            vals = [self.tr(a) for a in args]
            m = self._fresh("max" if not isinstance(e, sp.Min) else "min")
            self.side.extend([(m >= v) if not isinstance(e, sp.Min) else (m <= v) for v in vals])
            self.side.append(z3.Or([m == v for v in vals]))
            return m
        if isinstance(e, sp.exp):
            v = self._abstract(e)
            self.side.extend([v > 0, v >= 1 + self.tr(e.args[0])])
            return v
        if isinstance(e, sp.log):
            arg = self.tr(e.args[0])
            v = self._abstract(e)
            self.side.extend([arg > 0, v <= arg - 1])
            return v
        if isinstance(e, sp.Sum):
            return self._sum(e)
        if e.is_number:
            raise Unsupported(f"number {sp.sstr(e)}")
        return self._abstract(e)

    def _pow(self, e):
        base, ex = e.args
        if ex.is_Integer:
            n = int(ex)
            if n == 0:
                return z3.RealVal(1)
            b = self.tr(base)
            p = b if abs(n) == 1 else b ** abs(n)
            if n > 0:
                return p
            self.side.append(b != 0)
            return 1 / p
        if ex.is_Rational:
            b = self.tr(base)
            s = self._fresh("root")
            self.side.extend([s >= 0, s ** int(ex.q) == b])
            if ex.q % 2 == 0:
                self.side.append(b >= 0)
            p = s if abs(ex.p) == 1 else s ** abs(int(ex.p))
            if ex.p > 0:
                return p
            self.side.append(s != 0)
            return 1 / p
        c, rest = sp.expand(ex).as_coeff_Add()
        if c.is_Integer and c != 0 and rest != 0:  # b^(T + c) = b^c b^T: one atom b^T for every shift
            return self.tr(base**c) * self.tr(sp.Pow(sp.expand(base), rest))
        e = sp.Pow(sp.expand(base), sp.expand(ex))
        v = self._abstract(e)
        if base.is_positive:
            self.side.append(v > 0)
        elif base.is_nonnegative:
            self.side.append(v >= 0)
        return v

    def _sum(self, s):
        if len(s.limits) != 1:
            return self._abstract(s)
        t, lo, hi = s.limits[0]
        length = sp.simplify(hi - lo + 1)
        if length.is_Integer and abs(int(length)) <= 64 and lo.is_Integer:
            return self.tr(expand_sum(s))
        return self.tr(_linear_sums(s))


def expand_sum(s: sp.Sum) -> sp.Expr:
    """The terms of a sum with integer limits, written out (Karr's convention for a reversed
    range: ``Sum(b, (t, lo, hi)) = -Sum(b, (t, hi + 1, lo - 1))``).  Not ``Sum.doit()``, which
    trusts the summation variable's declared sign and sums ``t`` over ``-1..0`` to 0."""
    (t, lo, hi), = s.limits
    lo, hi = int(lo), int(hi)
    if hi >= lo:
        return sp.Add(*[s.function.xreplace({t: sp.Integer(k)}) for k in range(lo, hi + 1)])
    return -sp.Add(*[s.function.xreplace({t: sp.Integer(k)}) for k in range(hi + 1, lo)])


def _linear_sums(s: sp.Sum) -> sp.Expr:
    """Peel the last terms of ``Sum(b, (t, lo, V + c))`` down to ``V - 1`` and split it over the
    terms of ``b`` with ``t``-free factors outside; the sums left are canonical atoms."""
    t, lo, hi = s.limits[0]
    body = s.function
    extra = sp.Integer(0)
    for v in sorted(hi.free_symbols, key=str):
        c = sp.simplify(hi - (v - 1))
        if c.is_Integer and c > 0:
            extra = sp.Add(*[body.xreplace({t: v - 1 + j}) for j in range(1, int(c) + 1)])
            hi = v - 1
            break
    k = sp.Symbol("k_sum", integer=True)
    out = []
    for term in sp.Add.make_args(sp.expand(body.xreplace({t: k}))):
        inside = sp.Mul(*[f for f in sp.Mul.make_args(term) if f.has(k)])
        outside = sp.Mul(*[f for f in sp.Mul.make_args(term) if not f.has(k)])
        atom = sp.Sum(inside, (k, lo, hi))
        if not inside.has(sp.Indexed) and inside.is_polynomial(k):
            atom = atom.doit()
        else:
            atom = sp.Function("SUM")(inside, lo, hi)  # an opaque atom: abstracted by the translator
        out.append(outside * atom)
    return sp.Add(*out) + extra


_REL = {"==": lambda a, b: a == b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
        "<": lambda a, b: a < b, ">": lambda a, b: a > b}


def _model_text(model, named: dict) -> str:
    parts = []
    for key in sorted(named):
        val = model.eval(named[key], model_completion=True)
        text = val.as_fraction() if z3.is_rational_value(val) else val.as_decimal(12)
        parts.append(f"{key} = {text}")
    return ", ".join(parts)


def param_premises(params) -> list:
    """The params as premises: a definition ``target == value``, a hypothesis as stated,
    ``inverse(target) >= 0`` (``> 0`` for a positive slack)."""
    out = []
    for p in params:
        if p.is_definition:
            out.append((p.target, "==", p.value))
        else:
            out.append((p.inverse, ">" if p.slack.is_positive else ">=", 0))
    return out


def decide(lhs, rel: str, rhs, premises=(), judge: Z3Judge | None = None) -> Z3Verdict:
    """Is ``lhs rel rhs`` implied by ``premises`` (``(lhs, rel, rhs)`` triples, e.g. from
    :func:`param_premises`) and the symbols' declared signs?  See the module docstring."""
    if z3 is None:
        return Z3Verdict("unsupported", "z3-solver is not installed")
    judge = judge or Z3Judge()
    tr = _Translator()
    try:
        hyps = []
        for a, r, b in premises:
            hyps.append(_REL[r](tr.tr(a), tr.tr(b)))
        goal = _REL[rel](tr.tr(lhs), tr.tr(rhs))
    except (Unsupported, z3.Z3Exception, TypeError, ValueError, RecursionError) as exc:
        return Z3Verdict("unsupported", f"z3: unsupported ({type(exc).__name__}: {exc})")
    solver = z3.Solver()
    solver.set("timeout", int(judge.timeout_ms))
    solver.add(*tr.side, *hyps, z3.Not(goal))
    result = solver.check()
    if result == z3.sat and tr.ints:
        model = solver.model()
        if not all(_is_int(model.eval(v, model_completion=True)) for v in tr.ints):
            solver.add(*[v == z3.ToReal(z3.Int(f"int!{i}")) for i, v in enumerate(tr.ints)])
            result = solver.check()
    if result == z3.unsat:
        return Z3Verdict("confirmed")
    if result == z3.sat:
        text = _model_text(solver.model(), tr.named)
        if tr.exact:
            return Z3Verdict("refuted", f"counterexample: {text}")
        return Z3Verdict("undecided", "a counterexample exists only with "
                         + ", ".join(sorted(set(tr.abstracted))[:3]) + " treated as free variables")
    return Z3Verdict("undecided", f"z3: {solver.reason_unknown() or 'unknown'} (timeout {judge.timeout_ms} ms)")


def _is_int(val) -> bool:
    return z3.is_rational_value(val) and val.denominator_as_long() == 1
