"""Derived facts are what they claim to be: schema instances, expectations, sums.

A :class:`~sambounds.proof.step.Fact` carries its provenance; each function here rebuilds the
fact from that provenance and returns ``''`` when the fact as written is the rebuilt one, else
the reason it is not.  Nothing is trusted from the fact's own ``lhs``/``rhs``:

* **schema instance** (``fact.schema = (name, arguments)``): the schema of
  :data:`~sambounds.proof.axioms.SCHEMAS` is called again on the arguments, which must pass the
  schema's own checks -- the constants of the function class are the theorem's (``beta``,
  ``mu``, ``rho``, ``f*`` of :mod:`~sambounds.proof.symbols`: co-coercivity with ``beta/2``
  would be the false ``2 ||d||^2/beta``), quantities that name an object (``f(x)``, ``||e||``)
  are symbols, a Gram table defines its symbols, a norm ``N`` of Cauchy-Schwarz satisfies
  ``N >= 0`` and ``N^2 = <a, a>``, Jensen's arguments are two distinct expectation symbols --
  and the fact must have the rebuilt gap (``lhs - rhs`` up to orientation, after ``cancel``),
  function-class requirements and side conditions;
* **expectation** (:func:`~sambounds.proof.step.expected`): the fact is the pointwise fact
  with the random quantities replaced by fresh expectation symbols;
* **sum** (:func:`~sambounds.proof.step.summed`): the fact is the weighted sum of the gap
  over ``lo..hi``, a non-empty range (``hi >= lo``) inside the declared signs of both the
  fact's index and the summation variable.
"""

from __future__ import annotations

import sympy as sp

from ..errors import ProofError
from .axioms import SCHEMAS, Gram
from .decide import Context, is_zero, nonneg
from .symbols import beta, fstar, mu, rho

#: Arguments that must be the theorem's own constants (a different value is a different, false, schema).
_CANONICAL = {"beta": beta, "mu": mu, "rho": rho, "fstar": fstar}
#: Arguments that name one mathematical object (a function value, a norm): a symbol or a sequence term.
_ATOMS = {"descent_lemma": ("f_next", "f"), "perturbation_bound": ("norm_e",), "pl_inequality": ("G", "f"),
          "lipschitz_gradient": ("G",), "lower_bound": ("f",), "one_dim_slopes": ("slope",),
          "jensen_norm": ("mean_norm", "mean_norm_sq"), "expectation_nonneg": ("mean",)}
#: Schemas about norms: these arguments must be declared nonnegative.
_NORMS = {"perturbation_bound": ("norm_e",), "pl_inequality": ("G",), "lipschitz_gradient": ("G",),
          "jensen_norm": ("mean_norm", "mean_norm_sq")}


def _atom(e) -> bool:
    return isinstance(e, (sp.Symbol, sp.Indexed))


def _s(e) -> str:
    return sp.sstr(e)


def _same_gap(fact, rebuilt, ctx: Context) -> bool:
    if fact.is_identity != rebuilt.is_identity:
        return False
    alg = Context((), ctx.cache)
    if fact.is_identity:
        return is_zero(fact.lhs - fact.rhs - (rebuilt.lhs - rebuilt.rhs), alg).ok or \
            is_zero(fact.lhs - fact.rhs + (rebuilt.lhs - rebuilt.rhs), alg).ok
    return is_zero(fact.gap - rebuilt.gap, alg).ok


def schema_reason(fact, ctx: Context) -> str:
    """'' when the schema instance ``fact`` is the schema applied to its recorded arguments."""
    name, args = fact.schema
    schema = SCHEMAS.get(name)
    if schema is None:
        return f"{fact.name}: unknown schema {name!r}"
    args = dict(args)
    for key, value in args.items():
        if key in _CANONICAL and sp.sympify(value) != _CANONICAL[key]:
            return (f"{fact.name}: schema {name} is stated for the function class's constant {key}, "
                    f"got {key} = {_s(value)}")
    for key in _ATOMS.get(name, ()):
        if not _atom(sp.sympify(args[key])):
            return f"{fact.name}: argument {key} = {_s(args[key])} must be a symbol (it names one quantity)"
    for key in _NORMS.get(name, ()):
        if not sp.sympify(args[key]).is_nonnegative:
            return f"{fact.name}: argument {key} = {_s(args[key])} is a norm and must be declared nonnegative"
    gram = args.get("gram")
    if gram is not None:
        problem = gram.problems() if isinstance(gram, Gram) else "not a Gram table"
        if problem:
            return f"{fact.name}: Gram table: {problem}"
    reason = _specific(name, args, ctx)
    if reason:
        return f"{fact.name}: {reason}"
    try:
        rebuilt = schema(**args)
    except (ProofError, TypeError, KeyError) as exc:
        return f"{fact.name}: the recorded arguments do not build schema {name}: {exc}"
    if not _same_gap(fact, rebuilt, ctx):
        return (f"{fact.name}: not an instance of schema {name}: the schema gives "
                f"{_s(rebuilt.lhs)} {rebuilt.rel} {_s(rebuilt.rhs)}, the fact says {_s(fact.lhs)} {fact.rel} {_s(fact.rhs)}")
    if fact.requires != rebuilt.requires:
        return f"{fact.name}: requires {sorted(fact.requires)}, schema {name} requires {sorted(rebuilt.requires)}"
    missing = [c for c in rebuilt.side_conditions if c not in fact.side_conditions]
    if missing:
        return f"{fact.name}: side condition {_s(missing[0])} >= 0 of schema {name} was dropped"
    return ""


def _specific(name: str, args: dict, ctx: Context) -> str:
    if name == "cauchy_schwarz":
        gram: Gram = args["gram"]
        for vec, norm in ((args["a"], args["norm_a"]), (args["b"], args["norm_b"])):
            norm = sp.sympify(norm)
            if not nonneg(norm, Context((), ctx.cache)).ok:
                return f"norm {_s(norm)} is not shown >= 0"
            if not is_zero(norm**2 - gram.sq(vec), Context((), ctx.cache)).ok:
                return f"norm {_s(norm)} does not square to <v, v> = {_s(gram.sq(vec))}"
    if name == "jensen_norm" and sp.sympify(args["mean_norm"]) == sp.sympify(args["mean_norm_sq"]):
        return "E||n|| and E||n||^2 must be two different symbols"
    if name == "expectation_nonneg" and sp.sympify(args["variable"]).has(sp.sympify(args["mean"])):
        return "the expectation symbol occurs in the random variable"
    return ""


def expectation_reason(fact, available) -> str:
    """'' when ``fact`` is the expectation of its source fact (see the module docstring);
    ``available(inner)`` says whether the pointwise fact may be used here."""
    inner = fact.source
    means = dict(fact.instance)
    if (fact.lhs, fact.rel, fact.rhs) != (inner.lhs.xreplace(means), inner.rel, inner.rhs.xreplace(means)):
        return "the fact is not the pointwise fact with the expectations substituted"
    pointwise = inner.lhs.free_symbols | inner.rhs.free_symbols | inner.lhs.atoms(sp.Indexed) | inner.rhs.atoms(sp.Indexed)
    values = list(means.values())
    for m in values:
        if not _atom(m):
            return f"expectation {_s(m)} must be a symbol"
        if m in pointwise:
            return f"expectation symbol {_s(m)} already occurs in the pointwise fact"
    if len(set(values)) != len(values):
        return "two random quantities are given the same expectation symbol"
    reason = available(inner)
    if reason:
        return f"fact in expectation: {reason}"
    dummies = {k: sp.Dummy("X") for k in means}
    randoms = set().union(*[k.free_symbols for k in means])
    for side in (inner.lhs, inner.rhs):
        e = sp.expand(side).xreplace(dummies)
        if e.free_symbols & randoms:
            return "a random quantity is left after taking expectations (not affine in the declared ones)"
        try:
            degree = sp.Poly(e, *dummies.values()).total_degree()
        except sp.PolynomialError:
            return "the fact is not polynomial in the random quantities"
        if degree > 1:
            return "the fact is not affine in the random quantities"
    return ""


def _at_least(e: sp.Expr, c: int, ctx: Context) -> bool:
    """``e >= c``; for an integer-valued ``e`` it suffices that ``e > c - 1``."""
    if e.is_integer:
        return nonneg(e - c + 1, ctx, strict=True).ok
    return nonneg(e - c, ctx).ok


def _within_sign(symbol: sp.Symbol, lo: sp.Expr, ctx: Context) -> str:
    """'' when ``lo`` (the smallest value ``symbol`` takes in a range) respects ``symbol``'s sign."""
    if not symbol.is_integer:
        return f"summation variable {symbol} is not declared integer"
    if not sp.sympify(lo).is_integer:
        return f"lower limit {_s(lo)} of {symbol} is not an integer"
    if symbol.is_positive and not _at_least(lo, 1, ctx):
        return f"range starts at {_s(lo)}, outside the declared sign of {symbol} (positive)"
    if symbol.is_nonnegative and not _at_least(lo, 0, ctx):
        return f"range starts at {_s(lo)}, outside the declared sign of {symbol} (nonnegative)"
    if symbol.is_negative or symbol.is_nonpositive:
        return f"summation variable {symbol} is declared nonpositive; sums run upwards from a lower limit"
    return ""


def sum_reason(fact, available, ctx: Context) -> str:
    """'' when ``fact`` is the sum of its source fact over a non-empty range inside the signs of
    the fact's index and of the summation variable (see the module docstring)."""
    inner = fact.source
    (index, bound), (_, weight), (_, (lo, hi)) = fact.instance
    body = (weight * inner.gap).xreplace({index: bound})
    if (fact.lhs, fact.rel, fact.rhs) != (sp.Sum(body, (bound, lo, hi)), ">=", 0):
        return "the fact is not the weighted sum of the summed fact's gap"
    if bound in inner.lhs.free_symbols | inner.rhs.free_symbols | weight.free_symbols:
        return f"summation variable {bound} already occurs in the summed fact"
    if bound in lo.free_symbols | hi.free_symbols:
        return f"summation variable {bound} occurs in its own limits"
    if not _at_least(hi - lo, 0, ctx):
        return f"range {_s(lo)}..{_s(hi)} is not shown non-empty (hi - lo = {_s(hi - lo)} >= 0 undecided): " \
               "a reversed range is minus a sum, an empty one proves nothing"
    for symbol in (index, bound):
        reason = _within_sign(symbol, lo, ctx)
        if reason:
            return reason
    reason = available(inner)
    if reason:
        return f"summed fact: {reason}"
    if not nonneg(weight, ctx).ok:
        return f"weight {_s(weight)} of the sum not shown >= 0"
    return ""


def sum_range_reason(exprs, ctx: Context) -> str:
    """'' when every sum written in ``exprs`` starts inside its index's declared sign.

    The deciders read the sign of a summation variable from its declaration (``t >= 0``), so a
    sum from ``-1`` with ``t`` declared nonnegative would be decided about terms it does not have.
    """
    seen = set()
    for e in exprs:
        for s in sp.sympify(e).atoms(sp.Sum):
            for t, lo, _ in s.limits:
                if (t, lo) in seen:
                    continue
                seen.add((t, lo))
                reason = _within_sign(t, lo, ctx)
                if reason:
                    return f"{_s(s)}: {reason}"
    return ""
