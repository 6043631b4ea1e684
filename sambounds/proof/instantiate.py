"""Substitution of symbols and indexed sequences, used to instantiate proven theorems.

A mapping sends a Symbol to an expression (simultaneously, so ``{a: b, b: a}`` swaps) and an
IndexedBase to another IndexedBase (``eta -> eta``), to a callable ``index -> expression``
(``zc -> lambda k: z[k, i]``) or to a constant expression (``eta -> 1/beta``: the constant
schedule).  Indexed terms are rewritten first, everywhere, including inside sums.
"""

from __future__ import annotations

from typing import Any, Mapping

import sympy as sp


def _indexed_rule(new: Any):
    if isinstance(new, sp.IndexedBase):
        return lambda *idx: new[idx if len(idx) > 1 else idx[0]]
    if callable(new) and not isinstance(new, sp.Basic):
        return new
    value = sp.sympify(new)
    return lambda *idx: value


def instantiate(expr: sp.Expr, mapping: Mapping) -> sp.Expr:
    """Apply ``mapping`` to ``expr`` (see the module docstring)."""
    expr = sp.sympify(expr)
    bases = {k: _indexed_rule(v) for k, v in mapping.items() if isinstance(k, sp.IndexedBase)}
    if bases:
        expr = expr.replace(lambda e: isinstance(e, sp.Indexed) and e.base in bases,
                            lambda e: bases[e.base](*e.indices))
    plain = {k: sp.sympify(v) for k, v in mapping.items() if not isinstance(k, sp.IndexedBase)}
    return expr.xreplace(plain) if plain else expr
