"""Rewrites applied before a decision: sums into a canonical form, hypotheses as changes of
variables.  Each rewrite is an identity (or, for params, a surjective change of variables),
so deciding the rewritten expression decides the original one.

Sums.  A sum ``Sum(b(t), (t, lo, V + k))`` with an integer ``k >= 0`` is split into
``Sum(b(t), (t, lo, V - 1)) + b(V) + ... + b(V + k)`` (peeling the last terms, which is how an
induction step on the horizon ``V`` reads), then made linear: the body is expanded, split
over ``+`` and factors free of ``t`` move outside.  A sum whose body is a polynomial in ``t``
with no indexed term is evaluated in closed form; an empty sum (``hi = lo - 1``) is 0
(Karr's convention, as sympy uses).
"""

from __future__ import annotations

from typing import Iterable

import sympy as sp


def _peel(body: sp.Expr, t: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    for v in sorted(hi.free_symbols, key=str):
        k = sp.simplify(hi - (v - 1))
        if k.is_Integer and k >= 0:
            return sp.Sum(body, (t, lo, v - 1)) + sp.Add(*[body.subs(t, v + j) for j in range(int(k))])
    return sp.Sum(body, (t, lo, hi))


def _linear(body: sp.Expr, t: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    length = sp.simplify(hi - lo + 1)
    if length.is_Integer and length == 0:
        return sp.Integer(0)
    out = []
    for term in sp.Add.make_args(sp.expand(body)):
        inside, outside = [], []
        for factor in sp.Mul.make_args(term):
            (inside if factor.has(t) else outside).append(factor)
        rest = sp.Mul(*inside)
        coeff = sp.Mul(*outside)
        if not rest.has(sp.Indexed) and rest.is_polynomial(t):
            out.append(coeff * sp.Sum(rest, (t, lo, hi)).doit())
        else:
            out.append(coeff * sp.Sum(rest, (t, lo, hi)))
    return sp.Add(*out)


def normalize_sums(expr: sp.Expr) -> sp.Expr:
    """Canonical form of every single-limit sum in ``expr`` (see the module docstring)."""
    if not expr.has(sp.Sum):
        return expr

    def rewrite(s: sp.Sum) -> sp.Expr:
        if len(s.limits) != 1:
            return s
        t, lo, hi = s.limits[0]
        peeled = _peel(s.function, t, lo, hi)
        return peeled.replace(lambda e: isinstance(e, sp.Sum),
                              lambda e: _linear(e.function, *e.limits[0]))

    return expr.replace(lambda e: isinstance(e, sp.Sum), rewrite)


def apply_params(expr: sp.Expr, params: Iterable) -> sp.Expr:
    """Replace each param's target by its value until none is left.

    Every replacement is an equation that holds at each admissible point (with the slack set to
    ``inverse(target) >= 0``), so the result equals ``expr`` there whatever the order.
    """
    params = tuple(params)
    for _ in range(len(params) + 1):  # a value may mention another param's target
        changed = False
        for p in params:
            if expr.has(p.target):
                expr = expr.xreplace({p.target: p.value})
                changed = True
        if not changed:
            break
    return expr
