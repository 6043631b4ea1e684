"""Signs of expressions: the exact, polynomial part of the deciders.

``e = num/den`` over a common denominator, both expanded as polynomials in their
*generators* (symbols, and atoms such as ``exp(.)``, ``sqrt(.)``, ``(1 - mu eta)^T``,
``Sum(.)``, which are first replaced by symbols carrying their sign).  The sign of each
generator comes from sympy's assumptions on symbols (declared by the proof) or is derived
(``exp > 0``, ``log(x) > 0`` when ``x - 1 > 0``, ``sqrt(x) >= 0``, a sum of non-negative terms
is ``>= 0``).  Then, in order:

1. *monomial signs*: every monomial has a coefficient of one sign and is a product of
   generators known ``>= 0`` or of even powers -- so the polynomial has that sign;
2. *factorization*: ``factor_list``; even powers are squares, odd powers must have a sign by (1);
3. *univariate roots*: a polynomial in one symbol ranging over ``[0, oo)`` (or ``R``) has no
   root of odd multiplicity there (exact real-root counting), so it keeps the sign of its
   leading coefficient.

Anything else is ``Sign.UNKNOWN``: never a guess.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import sympy as sp

class Sign(enum.Enum):
    POS = ">0"
    NONNEG = ">=0"
    ZERO = "=0"
    NONPOS = "<=0"
    NEG = "<0"
    UNKNOWN = "?"

    @property
    def nonneg(self) -> bool:
        return self in (Sign.POS, Sign.NONNEG, Sign.ZERO)

    @property
    def nonpos(self) -> bool:
        return self in (Sign.NEG, Sign.NONPOS, Sign.ZERO)

    def flip(self) -> "Sign":
        return {Sign.POS: Sign.NEG, Sign.NEG: Sign.POS, Sign.NONNEG: Sign.NONPOS,
                Sign.NONPOS: Sign.NONNEG}.get(self, self)


@dataclass
class Context:
    """The hypotheses in force (params, in application order) and a per-check cache."""

    params: tuple = ()
    cache: dict = field(default_factory=dict)

    def extended(self, params) -> "Context":
        return Context(tuple(params) + self.params)


_MINMAX = (sp.Max, sp.Min, sp.Abs)
_MAX_FACTOR_TERMS = 80  # larger polynomials are not factored (undecided, never wrongly decided)


def sign(expr: sp.Expr, ctx: Context) -> Sign:
    """Sign of an expression whose params are already applied (see the module docstring)."""
    expr = sp.sympify(expr)
    key = ("sign", expr)
    if key not in ctx.cache:
        ctx.cache[key] = _sign(expr, ctx)
    return ctx.cache[key]


def _quick(expr: sp.Expr, ctx: Context) -> Sign:
    """Sign from the expression tree alone (sum of signed terms, product of signed factors)."""
    if expr.is_number:
        return _sign(expr, ctx)
    if isinstance(expr, sp.Add):
        signs = {_quick(a, ctx) for a in expr.args}
        if all(x.nonneg for x in signs):
            return Sign.POS if Sign.POS in signs else (Sign.NONNEG if signs - {Sign.ZERO} else Sign.ZERO)
        if all(x.nonpos for x in signs):
            return Sign.NEG if Sign.NEG in signs else (Sign.NONPOS if signs - {Sign.ZERO} else Sign.ZERO)
        return Sign.UNKNOWN
    if isinstance(expr, sp.Mul):
        total = Sign.POS
        for a in expr.args:
            sa = _quick(a, ctx)
            if sa is Sign.UNKNOWN:
                return Sign.UNKNOWN
            total = _mul_sign(total, sa)
        return total
    if isinstance(expr, sp.Pow) and expr.exp.is_Integer:
        sb = _quick(expr.base, ctx)
        if expr.exp % 2 == 0:
            return Sign.POS if sb in (Sign.POS, Sign.NEG) else Sign.NONNEG
        return sb if expr.exp > 0 else (sb if sb in (Sign.POS, Sign.NEG) else Sign.UNKNOWN)
    if isinstance(expr, sp.Abs):
        return Sign.NONNEG
    if isinstance(expr, sp.Max) and any(_quick(a, ctx).nonneg for a in expr.args):
        return Sign.POS if any(_quick(a, ctx) is Sign.POS for a in expr.args) else Sign.NONNEG
    if isinstance(expr, _MINMAX):
        return Sign.UNKNOWN
    return _atom_sign(expr, ctx)


def _sign(expr: sp.Expr, ctx: Context) -> Sign:
    quick = _quick(expr, ctx) if not expr.is_number else Sign.UNKNOWN
    if quick is not Sign.UNKNOWN:
        return quick
    if expr.is_number:
        if expr.is_zero:
            return Sign.ZERO
        if expr.is_extended_real and expr.is_positive is not None:
            return Sign.POS if expr.is_positive else Sign.NEG
        return Sign.UNKNOWN
    if expr.has(*_MINMAX):
        from .decide import _eliminate  # max/min elimination lives with the decisions

        ok_ge = _eliminate(expr, [], ctx, strict=False)
        if ok_ge.ok:
            return Sign.NONNEG
        return Sign.NONPOS if _eliminate(-expr, [], ctx, strict=False).ok else Sign.UNKNOWN
    expr = _atomize(_unradical(expr), ctx)
    algebraic = any(a.is_number and not a.is_Rational for a in expr.atoms(sp.Pow))
    num, den = sp.fraction(sp.cancel(sp.together(expr), extension=True) if algebraic
                           else sp.cancel(sp.together(expr)))
    s_den = _poly_sign(sp.expand(den), ctx)
    if s_den not in (Sign.POS, Sign.NEG):
        return Sign.UNKNOWN
    s_num = _poly_sign(sp.expand(num), ctx)
    return s_num if s_den is Sign.POS else s_num.flip()


def _atomize(expr: sp.Expr, ctx: Context) -> sp.Expr:
    """Replace transcendental atoms (exp, log, x^T, sums, indexed terms) by symbols that carry
    their sign, so that polynomial arithmetic never looks inside them."""
    def half_power(a):  # X^(n + 1/2) of a compound X: X^n * sqrt(X), sqrt(X) one generator
        return isinstance(a, sp.Pow) and isinstance(a.base, sp.Add) and a.exp.is_Rational and a.exp.q == 2

    def transcendental(e):
        return [a for a in e.atoms(sp.Function, sp.Indexed, sp.Sum, sp.Pow)
                if not isinstance(a, sp.Pow) or not a.exp.is_number or half_power(a)]


    if not transcendental(expr):
        return expr
    expr = expr.replace(lambda e: isinstance(e, (sp.Pow, sp.exp, sp.log)) and e in set(transcendental(e)),
                        lambda e: _canonical_atom(e, ctx))
    atoms = transcendental(expr)
    inner = {n for a in atoms for n in sp.preorder_traversal(a) if n is not a}
    subs, dummies = {}, {}
    for a in atoms:
        if a in inner:
            continue
        # b^(-T) is 1/(b^T) and X^(n + 1/2) is X^n sqrt(X): one symbol each, so that they cancel
        factor = 1
        if half_power(a):  # X^e = X^(e - 1/2) y for e > 0, X^(e + 1/2) / y for e < 0, y = sqrt(X)
            flip = a.exp < 0
            factor, key = a.base ** (a.exp + (sp.Rational(1, 2) if flip else -sp.Rational(1, 2))), sp.sqrt(a.base)
        else:
            flip = isinstance(a, sp.Pow) and a.exp.could_extract_minus_sign()
            key = a.base ** (-a.exp) if flip else a
        if key not in dummies:
            sa = _atom_sign(key, ctx)
            flags = {Sign.POS: {"positive": True}, Sign.NONNEG: {"nonnegative": True}, Sign.NEG: {"negative": True},
                     Sign.NONPOS: {"nonpositive": True}}.get(sa, {"real": True})
            dummies[key] = sp.Dummy("atom", **flags)
        subs[a] = factor * (1 / dummies[key] if flip else dummies[key])
    return expr.xreplace(subs)


def _canonical_atom(a: sp.Expr, ctx: Context) -> sp.Expr:
    """One form per atom: arguments over a common denominator, ``b^(T+k) = b^k b^T`` and
    ``(n/d)^T = n^T / d^T`` for ``n, d > 0``."""
    if isinstance(a, (sp.exp, sp.log)):
        return a.func(sp.cancel(sp.together(a.args[0])))
    base, e = sp.cancel(sp.together(a.base)), sp.expand(a.exp)
    c, rest = e.as_coeff_Add()
    if c.is_Integer and c != 0 and rest != 0:
        return base**c * _canonical_atom(base**rest, ctx)
    num, den = sp.fraction(base)
    if den != 1 and sign(num, ctx).nonneg and sign(den, ctx) is Sign.POS:
        return sp.Pow(num, e, evaluate=False) / sp.Pow(den, e, evaluate=False)
    return base**e


def _unradical(expr: sp.Expr) -> sp.Expr:
    """Replace each symbol ``x >= 0`` that appears under a fractional power ``p/n`` by ``y^L``
    (``y >= 0`` a new symbol, ``L`` the lcm of the ``n``): a bijection of ``[0, oo)`` that makes
    ``x^(3/2)`` and ``x^(1/2)`` powers of one generator."""
    def split_content(p):
        c, rest = p.base.primitive()
        return c**p.exp * rest**p.exp if c.is_positive and c != 1 else p

    expr = expr.replace(lambda e: isinstance(e, sp.Pow) and isinstance(e.base, sp.Add)
                        and e.exp.is_Rational and not e.exp.is_Integer, split_content)
    lcm: dict = {}
    for p in expr.atoms(sp.Pow):
        b, e = p.args
        if isinstance(b, sp.Symbol) and b.is_nonnegative and e.is_Rational and not e.is_Integer:
            lcm[b] = sp.ilcm(lcm.get(b, 1), e.q)
    if not lcm:
        return expr
    subs = {}
    for b, n in lcm.items():
        y = sp.Dummy(f"{b}_root", positive=True) if b.is_positive else sp.Dummy(f"{b}_root", nonnegative=True)
        subs[b] = y**n
    expr = sp.powdenest(expr.xreplace(subs), force=False)
    return expr.replace(lambda e: isinstance(e, sp.Pow) and isinstance(e.base, sp.Add)
                        and e.exp.is_Rational and not e.exp.is_Integer, split_content)


def _atom_sign(g: sp.Expr, ctx: Context) -> Sign:
    if isinstance(g, (sp.Symbol, sp.Indexed)):
        if g.is_positive:
            return Sign.POS
        if g.is_negative:
            return Sign.NEG
        if g.is_nonnegative:
            return Sign.NONNEG
        if g.is_nonpositive:
            return Sign.NONPOS
        return Sign.UNKNOWN
    if isinstance(g, sp.exp):
        return Sign.POS if g.args[0].is_extended_real is not False else Sign.UNKNOWN
    if isinstance(g, sp.log):
        s = sign(g.args[0] - 1, ctx)
        return {Sign.POS: Sign.POS, Sign.NONNEG: Sign.NONNEG, Sign.ZERO: Sign.ZERO}.get(s, Sign.UNKNOWN)
    if isinstance(g, sp.Pow):
        base, e = g.args
        sb = sign(base, ctx)
        if sb is Sign.POS:
            return Sign.POS
        if sb.nonneg and (e.is_positive or (e.is_Rational and e > 0)):
            return Sign.NONNEG
        if sb.nonneg and e.is_nonnegative:
            return Sign.NONNEG
        return Sign.UNKNOWN
    if isinstance(g, sp.Sum) and len(g.limits) == 1:
        t, lo, hi = g.limits[0]
        if sign(g.function, ctx).nonneg and sign(hi - lo + 1, ctx).nonneg:
            return Sign.NONNEG
        return Sign.UNKNOWN
    if isinstance(g, sp.Abs):
        return Sign.NONNEG
    return Sign.UNKNOWN


def _monomial_sign(poly: sp.Poly, ctx: Context) -> Sign:
    gens = [_atom_sign(g, ctx) for g in poly.gens]
    signs = set()
    strict = False
    for exps, coeff in poly.terms():
        if not coeff.is_real:
            return Sign.UNKNOWN
        s = 1 if coeff > 0 else -1
        all_pos = True
        for k, gs in zip(exps, gens):
            if k == 0:
                continue
            if gs in (Sign.NEG, Sign.NONPOS) and k % 2:
                s = -s
            if gs is Sign.UNKNOWN and k % 2:
                return Sign.UNKNOWN
            if gs not in (Sign.POS, Sign.NEG):
                all_pos = False
        signs.add(s)
        strict = strict or all_pos
    if signs == {1}:
        return Sign.POS if strict else Sign.NONNEG
    if signs == {-1}:
        return Sign.NEG if strict else Sign.NONPOS
    return Sign.UNKNOWN


def _univariate(poly: sp.Poly, ctx: Context) -> Sign:
    if len(poly.gens) != 1 or not isinstance(poly.gens[0], sp.Symbol):
        return Sign.UNKNOWN
    x = poly.gens[0]
    half_line = _atom_sign(x, ctx) in (Sign.POS, Sign.NONNEG)
    if not half_line and _atom_sign(x, ctx) is not Sign.UNKNOWN:
        return Sign.UNKNOWN
    for factor, mult in poly.sqf_list()[1]:
        if mult % 2 == 0:
            continue
        if half_line:
            n = factor.count_roots(0, None) - (1 if factor.eval(0) == 0 else 0)
        else:
            n = factor.count_roots()
        if n:
            return Sign.UNKNOWN
    return Sign.NONNEG if poly.LC() > 0 else Sign.NONPOS


def _poly_sign(expr: sp.Expr, ctx: Context) -> Sign:
    if expr.is_zero:
        return Sign.ZERO
    if expr.is_number:
        return _sign(expr, ctx)
    try:
        poly = sp.Poly(expr)
    except sp.PolynomialError:
        return Sign.UNKNOWN
    s = _monomial_sign(poly, ctx)
    if s is not Sign.UNKNOWN:
        return s
    if len(poly.terms()) > _MAX_FACTOR_TERMS:
        return Sign.UNKNOWN
    coeff, factors = sp.factor_list(expr)
    if len(factors) > 1 or (factors and factors[0][1] > 1):
        total = Sign.POS if coeff > 0 else Sign.NEG
        for f, mult in factors:
            fs = Sign.NONNEG if mult % 2 == 0 else _poly_sign(sp.expand(f), ctx)
            if fs is Sign.UNKNOWN:
                return Sign.UNKNOWN
            total = _mul_sign(total, fs)
        return total
    return _univariate(poly, ctx)


def _mul_sign(a: Sign, b: Sign) -> Sign:
    if Sign.ZERO in (a, b):
        return Sign.ZERO
    neg = (a.nonpos and a is not Sign.ZERO) != (b.nonpos and b is not Sign.ZERO)
    strict = a in (Sign.POS, Sign.NEG) and b in (Sign.POS, Sign.NEG)
    if neg:
        return Sign.NEG if strict else Sign.NONPOS
    return Sign.POS if strict else Sign.NONNEG
