"""Named facts that enter proofs as axioms, each with the hypotheses it needs.

An axiom is a function returning a :class:`~sambounds.proof.step.Fact`: the instance of a
well-known inequality for the expressions given.  ``requires`` lists the function-class
assumptions the fact needs (checked against the theorem's assumptions); ``side_conditions``
are inequalities the checker must decide before the fact can be used.

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

from typing import Mapping

import sympy as sp

from .step import Fact

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


class Gram:
    """Bilinear expansion of inner products from a table of basic inner products.

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

    def inner(self, u: Mapping, v: Mapping) -> sp.Expr:
        return sp.expand(sp.Add(*[sp.sympify(cu) * sp.sympify(cv) * self._table[(a, b)]
                                  for a, cu in u.items() for b, cv in v.items()]))

    def sq(self, u: Mapping) -> sp.Expr:
        return self.inner(u, u)


# ----------------------------------------------------------------- smoothness / convexity
def descent_lemma(f_next, f, eta, inner_g_dir, dir_sq, beta) -> Fact:
    """(F1) ``f(x - eta v) <= f(x) - eta <g, v> + (beta eta^2/2) ||v||^2`` for beta-smooth f."""
    return Fact("descent lemma (F1)", f_next, "<=", f - eta * inner_g_dir + beta * eta**2 / 2 * dir_sq,
                requires={"smooth"})


def perturbation_bound(norm_e, beta, rho) -> Fact:
    """(F2) ``||grad f(x + rho u) - grad f(x)|| <= beta rho`` for ``||u|| <= 1``, beta-smooth f."""
    return Fact("perturbation bound (F2)", norm_e, "<=", beta * rho, requires={"smooth"})


def cocoercivity(inner, norm_sq, beta, where: str = "") -> Fact:
    """(F3) ``<grad f(a) - grad f(b), a - b> >= ||grad f(a) - grad f(b)||^2 / beta``."""
    return Fact("co-coercivity (F3)" + (f" {where}" if where else ""), inner, ">=", norm_sq / beta,
                requires={"smooth", "convex"})


def pl_inequality(G, f, fstar, mu) -> Fact:
    """(F4) ``||grad f(x)||^2 >= 2 mu (f(x) - f*)`` (PL; strong convexity implies it)."""
    return Fact("PL inequality (F4)", G**2, ">=", 2 * mu * (f - fstar), requires={"pl"})


def lower_bound(f, fstar) -> Fact:
    """``f(x) >= f* = inf f``."""
    return Fact("f >= f* (definition of f*)", f, ">=", fstar, requires={"smooth"})


def smooth_gap_upper(gap, beta, dist_sq) -> Fact:
    """``f(x) - f* <= (beta/2) ||x - x*||^2`` at a minimizer x* of a beta-smooth f."""
    return Fact("smoothness at the minimizer", gap, "<=", beta / 2 * dist_sq, requires={"smooth", "convex"})


def strong_convexity_gap_lower(gap, mu, dist_sq) -> Fact:
    """``f(x) - f* >= (mu/2) ||x - x*||^2`` for mu-strongly convex f."""
    return Fact("strong convexity at the minimizer", gap, ">=", mu / 2 * dist_sq, requires={"strongly_convex"})


def one_dim_slopes(slope, y, mu, beta, side: str) -> Fact:
    """1-D with the minimizer at 0 (f'(0) = 0), for ``y >= 0``: ``mu y <= f'(y) <= beta y``
    (``side="lower"|"upper"``); mirrored for ``y <= 0`` (``side="lower-"|"upper-"``):
    ``beta y <= f'(y) <= mu y``.  From (f'(y) - f'(0)) y >= mu y^2 and |f'(y) - f'(0)| <= beta |y|."""
    if side == "lower":
        return Fact("1-D strong convexity: f'(y) >= mu y (y >= 0)", slope, ">=", mu * y,
                    requires={"one_dim", "strongly_convex"}, side_conditions=(y,))
    if side == "upper":
        return Fact("1-D smoothness: f'(y) <= beta y (y >= 0)", slope, "<=", beta * y,
                    requires={"one_dim", "smooth"}, side_conditions=(y,))
    if side == "lower-":
        return Fact("1-D smoothness: f'(y) >= beta y (y <= 0)", slope, ">=", beta * y,
                    requires={"one_dim", "smooth"}, side_conditions=(-y,))
    return Fact("1-D strong convexity: f'(y) <= mu y (y <= 0)", slope, "<=", mu * y,
                requires={"one_dim", "strongly_convex"}, side_conditions=(-y,))


# ----------------------------------------------------------------- elementary inequalities
def cauchy_schwarz(inner, norm_a, norm_b, side: str = "lower") -> Fact:
    """``-||a|| ||b|| <= <a, b> <= ||a|| ||b||`` (``side`` picks which half)."""
    if side == "lower":
        return Fact("Cauchy-Schwarz", inner, ">=", -norm_a * norm_b)
    return Fact("Cauchy-Schwarz", inner, "<=", norm_a * norm_b)


def square(expr) -> Fact:
    """``expr^2 >= 0`` for a real expression."""
    return Fact("square >= 0", sp.sympify(expr) ** 2, ">=", 0)


def exp_upper(x, T) -> Fact:
    """``(1 - x)^T <= exp(-x T)`` for ``0 <= x <= 1``, ``T >= 0`` (from ``1 - x <= e^{-x}``)."""
    return Fact("1 - x <= exp(-x), raised to T", (1 - x) ** T, "<=", sp.exp(-x * T),
                side_conditions=(x, 1 - x, T))


def power_monotone(a, b, T) -> Fact:
    """``a^T <= b^T`` for ``0 <= a <= b``, ``T >= 0``."""
    return Fact("monotonicity of t -> t^T", a**T, "<=", b**T, side_conditions=(a, b - a, T))


def jensen_norm(mean_norm, mean_norm_sq) -> Fact:
    """``(E||n||)^2 <= E||n||^2`` (Jensen, or Cauchy-Schwarz in L2)."""
    return Fact("Jensen", mean_norm**2, "<=", mean_norm_sq)


def expectation_nonneg(expr, what: str) -> Fact:
    """``E[X] >= 0`` for a random variable ``X >= 0`` (monotonicity of expectation)."""
    return Fact(f"E[{what}] >= 0", expr, ">=", 0)


def definition(lhs, rhs, what: str) -> Fact:
    """A definition ``lhs = rhs`` (a hypothesis: list it in the theorem's hypotheses)."""
    return Fact(f"definition of {what}", lhs, "==", rhs, kind="hypothesis")


def hypothesis(lhs, rel, rhs, what: str) -> Fact:
    """A hypothesis ``lhs rel rhs`` (list it in the theorem's hypotheses)."""
    return Fact(what, lhs, rel, rhs, kind="hypothesis")


def axiom(name: str, lhs, rel, rhs, requires=(), side_conditions=()) -> Fact:
    """Any other named fact, stated in the docstring of the proof that uses it."""
    return Fact(name, lhs, rel, rhs, requires=frozenset(requires), side_conditions=tuple(side_conditions))
