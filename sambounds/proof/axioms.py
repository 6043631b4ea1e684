"""Named facts that enter proofs as axioms, each with the hypotheses it needs.

An axiom is a function returning a :class:`~sambounds.proof.step.Fact`: the instance of a
well-known inequality for the expressions given.  ``requires`` lists the function-class
assumptions the fact needs (checked against the theorem's assumptions); ``side_conditions``
are inequalities the checker must decide before the fact can be used.

Each schema records its arguments in the fact (``Fact.schema``); the checker rebuilds the
instance from them and refuses a fact that differs (:mod:`~sambounds.proof.instances`), and z3
checks that the fact as written follows from the rebuilt one.  :func:`axiom` makes a *stated*
axiom instead: trusted as written, stated in the proof file's docstring.

Scalar abstraction.  Vectors (``g = grad f(x)``, ``d = grad f(y)``, ``e = d - g``, ``u``) are
represented by their norms and inner products, which are real symbols.  Inner products of
linear combinations are expanded by bilinearity with :class:`Gram`; what the geometry says
about them enters through the facts below (Cauchy-Schwarz, co-coercivity, ...).

Facts of docs/theory.md section 4 (notation g, d, e, G, u as there):

* (F1) descent lemma, beta-smooth f: ``f(x+) <= f(x) - eta <g, d> + (beta eta^2/2) ||d||^2``;
* (F2) perturbation bound, beta-smooth f: ``||e|| = ||grad f(x + rho u) - grad f(x)|| <= beta rho``;
* (F3) co-coercivity, convex beta-smooth f: ``<grad f(a) - grad f(b), a - b> >= ||.||^2/beta``
  (Nesterov, *Lectures on Convex Optimization*, 2018, Thm 2.1.5);
* (F4) Polyak-Lojasiewicz, mu-strongly convex f: ``||grad f||^2 >= 2 mu (f - f*)``.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import Mapping

import sympy as sp

from ..errors import ProofError
from .step import Fact
from .symbols import beta as BETA
from .symbols import fstar as FSTAR
from .symbols import mu as MU
from .symbols import rho as RHO

#: Function-class assumptions a theorem may state, with their meaning.
ASSUMPTIONS = {
    "smooth": "f is beta-smooth (grad f is beta-Lipschitz) and bounded below by f*",
    "convex": "f is convex",
    "strongly_convex": "f is mu-strongly convex (implies convex and PL)",
    "pl": "f satisfies the Polyak-Lojasiewicz inequality with constant mu",
    "one_dim": "f is a function of one real variable",
    "quadratic": "f(x) = (1/2)(x - x*)^T H (x - x*) with mu I <= H <= beta I",
    "stochastic": "unbiased stochastic gradients with variance <= sigma^2 everywhere",
    "component_smooth": "every component l(.; xi) is beta-smooth (m-SAM)",
    "construction": "f is the explicit construction stated in the theorem",
    "lipschitz": "f is L-Lipschitz: ||grad f(x)|| <= L everywhere",
}

_IMPLIES = {"strongly_convex": {"convex", "pl"}, "quadratic": {"smooth", "strongly_convex"}}


def closure(assumptions) -> frozenset:
    """The assumptions together with everything they imply."""
    out = set(assumptions)
    changed = True
    while changed:
        changed = False
        for a in list(out):
            extra = _IMPLIES.get(a, set()) - out
            if extra:
                out |= extra
                changed = True
    return frozenset(out)


def _vec(u) -> tuple:
    """A linear combination ``{label: coefficient}`` as a hashable, ordered tuple of pairs."""
    if isinstance(u, tuple):
        u = dict(u)
    if not isinstance(u, Mapping):
        raise ProofError(f"a vector is a mapping {{label: coefficient}}, got {u!r}")
    return tuple(sorted((str(k), sp.sympify(v)) for k, v in u.items()))


class Gram:
    """Bilinear expansion of inner products from a table of basic inner products.

    The table *defines* the scalar symbols: ``("g", "e"): ge`` says that ``ge`` stands for
    ``<g, e>``.  :meth:`problems` checks that the table can be such a definition (each entry a
    distinct symbol, a diagonal entry possibly ``N**2`` for a norm ``N >= 0``, an off-diagonal
    one possibly 0 for orthogonal vectors), so that schema instances built on it are true.

    >>> G, E, ge = sp.symbols("G E ge", real=True)
    >>> gram = Gram({("g", "g"): G**2, ("e", "e"): E**2, ("g", "e"): ge})
    >>> d = {"g": 1, "e": 1}
    >>> gram.inner({"g": 1}, d)
    G**2 + ge
    """

    def __init__(self, table: Mapping):
        self._table = {}
        for (a, b), value in table.items():
            self._table[(a, b)] = self._table[(b, a)] = sp.sympify(value)
        self.items = tuple(sorted(((a, b), sp.sympify(v)) for (a, b), v in table.items()))

    def __eq__(self, other) -> bool:
        return isinstance(other, Gram) and self.items == other.items

    def __hash__(self) -> int:
        return hash(self.items)

    def __repr__(self) -> str:
        return f"Gram({dict(self.items)!r})"

    def inner(self, u, v) -> sp.Expr:
        u, v = dict(u), dict(v)
        missing = [(a, b) for a in u for b in v if (a, b) not in self._table]
        if missing:
            raise ProofError(f"the Gram table has no entry for <{missing[0][0]}, {missing[0][1]}>")
        return sp.expand(sp.Add(*[sp.sympify(cu) * sp.sympify(cv) * self._table[(a, b)]
                                  for a, cu in u.items() for b, cv in v.items()]))

    def sq(self, u) -> sp.Expr:
        return self.inner(u, u)

    def problems(self) -> str:
        """'' when the table can define its symbols (see the class docstring), else why not."""
        seen = set()
        for (a, b), value in self.items:
            base = value.base if (a == b and isinstance(value, sp.Pow) and value.exp == 2) else value
            if a != b and value == 0:
                continue
            if not isinstance(base, (sp.Symbol, sp.Indexed)):
                return f"<{a}, {b}> = {sp.sstr(value)} is not a symbol (nor a norm squared)"
            if base is not value and not base.is_nonnegative:
                return f"<{a}, {a}> = {sp.sstr(value)}: the norm {base} is not declared nonnegative"
            if base in seen:
                return f"symbol {base} stands for two entries of the Gram table"
            seen.add(base)
        return ""


def _instance(fact: Fact, name: str, **args) -> Fact:
    """``fact`` with its schema record (rebuilt and compared by the checker)."""
    return dataclasses.replace(fact, schema=(name, tuple(args.items())))


# ----------------------------------------------------------------- smoothness / convexity
def descent_lemma(f_next, f, eta, gram: Gram, g, v, beta=BETA) -> Fact:
    """(F1) ``f(x - eta v) <= f(x) - eta <g, v> + (beta eta^2/2) ||v||^2`` for beta-smooth f,
    ``g = grad f(x)``; the inner products are expanded in ``gram``."""
    g, v = _vec(g), _vec(v)
    fact = Fact("descent lemma (F1)", f_next, "<=", f - eta * gram.inner(g, v) + beta * eta**2 / 2 * gram.sq(v),
                requires={"smooth"})
    return _instance(fact, "descent_lemma", f_next=f_next, f=f, eta=eta, gram=gram, g=g, v=v, beta=beta)


def perturbation_bound(norm_e, beta=BETA, rho=RHO) -> Fact:
    """(F2) ``||grad f(x + rho u) - grad f(x)|| <= beta rho`` for ``||u|| <= 1``, beta-smooth f."""
    fact = Fact("perturbation bound (F2)", norm_e, "<=", beta * rho, requires={"smooth"})
    return _instance(fact, "perturbation_bound", norm_e=norm_e, beta=beta, rho=rho)


def cocoercivity(gram: Gram, dgrad, dx, scale=1, beta=BETA, where: str = "") -> Fact:
    """(F3) ``<grad f(a) - grad f(b), a - b> >= ||grad f(a) - grad f(b)||^2 / beta`` for convex
    beta-smooth f (Nesterov 2018, Thm 2.1.5), times ``scale >= 0`` (a side condition).

    ``dgrad`` and ``dx`` are the vectors ``grad f(a) - grad f(b)`` and ``a - b`` as linear
    combinations of the labels of ``gram``: the instance is
    ``scale <dgrad, dx> >= scale ||dgrad||^2 / beta`` with both sides expanded in ``gram``.
    """
    if not isinstance(gram, Gram):
        raise ProofError("cocoercivity(gram, dgrad, dx, ...) takes a Gram table and two vectors "
                         f"(got {type(gram).__name__} for gram)")
    dgrad, dx, scale = _vec(dgrad), _vec(dx), sp.sympify(scale)
    fact = Fact("co-coercivity (F3)" + (f" {where}" if where else ""), scale * gram.inner(dgrad, dx), ">=",
                scale * gram.sq(dgrad) / beta, requires={"smooth", "convex"}, side_conditions=(scale,))
    return _instance(fact, "cocoercivity", gram=gram, dgrad=dgrad, dx=dx, scale=scale, beta=beta, where=where)


def pl_inequality(G, f, fstar=FSTAR, mu=MU) -> Fact:
    """(F4) ``||grad f(x)||^2 >= 2 mu (f(x) - f*)`` (PL; strong convexity implies it)."""
    fact = Fact("PL inequality (F4)", G**2, ">=", 2 * mu * (f - fstar), requires={"pl"})
    return _instance(fact, "pl_inequality", G=G, f=f, fstar=fstar, mu=mu)


def lipschitz_gradient(G, L) -> Fact:
    """``||grad f(x)|| <= L`` for an L-Lipschitz f."""
    return _instance(Fact("L-Lipschitz f: ||grad f|| <= L", G, "<=", L, requires={"lipschitz"}),
                     "lipschitz_gradient", G=G, L=L)


def lower_bound(f, fstar=FSTAR) -> Fact:
    """``f(x) >= f* = inf f``."""
    return _instance(Fact("f >= f* (definition of f*)", f, ">=", fstar, requires={"smooth"}),
                     "lower_bound", f=f, fstar=fstar)


def smooth_gap_upper(gap, beta, dist_sq) -> Fact:
    """``f(x) - f* <= (beta/2) ||x - x*||^2`` at a minimizer x* of a beta-smooth f."""
    fact = Fact("smoothness at the minimizer", gap, "<=", beta / 2 * dist_sq, requires={"smooth", "convex"})
    return _instance(fact, "smooth_gap_upper", gap=gap, beta=beta, dist_sq=dist_sq)


def strong_convexity_gap_lower(gap, mu, dist_sq) -> Fact:
    """``f(x) - f* >= (mu/2) ||x - x*||^2`` for mu-strongly convex f."""
    fact = Fact("strong convexity at the minimizer", gap, ">=", mu / 2 * dist_sq, requires={"strongly_convex"})
    return _instance(fact, "strong_convexity_gap_lower", gap=gap, mu=mu, dist_sq=dist_sq)


def one_dim_slopes(slope, y, mu, beta, side: str) -> Fact:
    """1-D with the minimizer at 0 (f'(0) = 0), for ``y >= 0``: ``mu y <= f'(y) <= beta y``
    (``side="lower"|"upper"``); mirrored for ``y <= 0`` (``side="lower-"|"upper-"``):
    ``beta y <= f'(y) <= mu y``.  From (f'(y) - f'(0)) y >= mu y^2 and |f'(y) - f'(0)| <= beta |y|."""
    if side == "lower":
        fact = Fact("1-D strong convexity: f'(y) >= mu y (y >= 0)", slope, ">=", mu * y,
                    requires={"one_dim", "strongly_convex"}, side_conditions=(y,))
    elif side == "upper":
        fact = Fact("1-D smoothness: f'(y) <= beta y (y >= 0)", slope, "<=", beta * y,
                    requires={"one_dim", "smooth"}, side_conditions=(y,))
    elif side == "lower-":
        fact = Fact("1-D smoothness: f'(y) >= beta y (y <= 0)", slope, ">=", beta * y,
                    requires={"one_dim", "smooth"}, side_conditions=(-y,))
    elif side == "upper-":
        fact = Fact("1-D strong convexity: f'(y) <= mu y (y <= 0)", slope, "<=", mu * y,
                    requires={"one_dim", "strongly_convex"}, side_conditions=(-y,))
    else:
        raise ProofError(f"side must be one of lower, upper, lower-, upper-, got {side!r}")
    return _instance(fact, "one_dim_slopes", slope=slope, y=y, mu=mu, beta=beta, side=side)


# ----------------------------------------------------------------- elementary inequalities
def cauchy_schwarz(gram: Gram, a, b, norm_a, norm_b, side: str = "lower") -> Fact:
    """``-||a|| ||b|| <= <a, b> <= ||a|| ||b||`` (``side`` picks which half).

    ``a``, ``b`` are linear combinations of the labels of ``gram``; the checker verifies
    ``norm_a >= 0`` and ``norm_a^2 = <a, a>`` (likewise for ``b``).
    """
    if not isinstance(gram, Gram):
        raise ProofError("cauchy_schwarz(gram, a, b, norm_a, norm_b, side) takes a Gram table and two vectors "
                         f"(got {type(gram).__name__} for gram)")
    if side not in ("lower", "upper"):
        raise ProofError(f"side must be 'lower' or 'upper', got {side!r}")
    a, b = _vec(a), _vec(b)
    inner = gram.inner(a, b)
    fact = (Fact("Cauchy-Schwarz", inner, ">=", -norm_a * norm_b) if side == "lower"
            else Fact("Cauchy-Schwarz", inner, "<=", norm_a * norm_b))
    return _instance(fact, "cauchy_schwarz", gram=gram, a=a, b=b, norm_a=norm_a, norm_b=norm_b, side=side)


def square(expr) -> Fact:
    """``expr^2 >= 0`` for a real expression."""
    return _instance(Fact("square >= 0", sp.sympify(expr) ** 2, ">=", 0), "square", expr=expr)


def exp_upper(x, T) -> Fact:
    """``(1 - x)^T <= exp(-x T)`` for ``0 <= x <= 1``, ``T >= 0`` (from ``1 - x <= e^{-x}``)."""
    fact = Fact("1 - x <= exp(-x), raised to T", (1 - x) ** T, "<=", sp.exp(-x * T), side_conditions=(x, 1 - x, T))
    return _instance(fact, "exp_upper", x=x, T=T)


def exp_lower(x, T) -> Fact:
    """``(1 - x)^T >= exp(-x T/(1 - x))`` for ``0 <= x < 1``, ``T >= 0``.

    From ``ln(1/(1 - x)) <= 1/(1 - x) - 1 = x/(1 - x)`` (``ln y <= y - 1`` at ``y = 1/(1 - x)``).
    The side condition ``1 - x >= 0`` is decided on the theorem's domain; x = 1 itself makes the
    right side undefined, so a theorem using this fact must keep x < 1 (its params do).
    """
    x, T = sp.sympify(x), sp.sympify(T)
    fact = Fact("1 - x >= exp(-x/(1 - x)), raised to T", (1 - x) ** T, ">=", sp.exp(-x * T / (1 - x)),
                side_conditions=(x, 1 - x, T))
    return _instance(fact, "exp_lower", x=x, T=T)


def exp_monotone(a, b) -> Fact:
    """``exp(a) <= exp(b)`` for ``a <= b`` (exp is increasing)."""
    a, b = sp.sympify(a), sp.sympify(b)
    fact = Fact("exp is increasing", sp.exp(a), "<=", sp.exp(b), side_conditions=(b - a,))
    return _instance(fact, "exp_monotone", a=a, b=b)


def power_monotone(a, b, T) -> Fact:
    """``a^T <= b^T`` for ``0 <= a <= b``, ``T >= 0``."""
    fact = Fact("monotonicity of t -> t^T", a**T, "<=", b**T, side_conditions=(a, b - a, T))
    return _instance(fact, "power_monotone", a=a, b=b, T=T)


def jensen_norm(mean_norm, mean_norm_sq) -> Fact:
    """``(E||n||)^2 <= E||n||^2`` (Jensen, or Cauchy-Schwarz in L2).

    Both arguments must be the symbols standing for the two expectations (distinct, ``>= 0``):
    the schema says nothing about any other expression.
    """
    return _instance(Fact("Jensen", mean_norm**2, "<=", mean_norm_sq), "jensen_norm",
                     mean_norm=mean_norm, mean_norm_sq=mean_norm_sq)


def expectation_nonneg(mean, variable, what: str = "") -> Fact:
    """``E[X] >= 0`` for a random variable ``X >= 0`` (monotonicity of expectation): ``mean`` is the
    symbol for ``E[X]``; ``X = variable`` must be decided ``>= 0`` (a side condition)."""
    fact = Fact(f"E[{what or sp.sstr(variable)}] >= 0", mean, ">=", 0, side_conditions=(variable,))
    return _instance(fact, "expectation_nonneg", mean=mean, variable=variable, what=what)


def definition(lhs, rhs, what: str) -> Fact:
    """A definition ``lhs = rhs`` (a hypothesis: list it in the theorem's hypotheses)."""
    return Fact(f"definition of {what}", lhs, "==", rhs, kind="hypothesis")


def hypothesis(lhs, rel, rhs, what: str) -> Fact:
    """A hypothesis ``lhs rel rhs`` (list it in the theorem's hypotheses)."""
    return Fact(what, lhs, rel, rhs, kind="hypothesis")


def axiom(name: str, lhs, rel, rhs, requires=(), side_conditions=()) -> Fact:
    """Any other named fact, stated in the docstring of the proof that uses it (trusted as
    stated: the report lists it as a stated axiom, and no schema check applies)."""
    return Fact(name, lhs, rel, rhs, requires=frozenset(requires), side_conditions=tuple(side_conditions))


#: The schemas, by the name recorded in an instance (read-only: nothing registers at run time).
SCHEMAS = MappingProxyType({f.__name__: f for f in (
    descent_lemma, perturbation_bound, cocoercivity, pl_inequality, lipschitz_gradient, lower_bound,
    smooth_gap_upper, strong_convexity_gap_lower, one_dim_slopes, cauchy_schwarz, square, exp_upper, exp_lower,
    exp_monotone, power_monotone, jensen_norm, expectation_nonneg)})
