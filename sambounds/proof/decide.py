"""Deciders: identities, inequalities from facts, max/min elimination.

Every function here is *sound*: it answers "yes" only with a reason that is a proof, and says
"undecided" otherwise -- never "yes" by sampling or floating point (sampling is used only to
skip attempts that cannot succeed).

Identity ``e == 0``: after the rewrites of :mod:`~sambounds.proof.normalize`, ``cancel`` or
``simplify`` reaches 0.  Inequality ``e >= 0`` from facts ``g_i >= 0`` with multipliers
``c_i >= 0``: the residual ``e - sum c_i g_i`` has a sign by :mod:`~sambounds.proof.signs`.

``Max``, ``Min`` and ``Abs`` (``|a| = max(a, -a)``) are eliminated exactly: an expression
``c M + r`` linear in ``M = max(a_1..a_k)`` is ``>= 0`` iff every ``c a_i + r >= 0`` when
``c <= 0``, and if some ``c a_i + r >= 0`` when ``c >= 0`` (symmetrically for ``min``); the
"for all" eliminations go first, and any subset of the facts may serve each branch.  An atom
whose arguments are ordered under the hypotheses is replaced by its extreme argument.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from typing import Any

import sympy as sp

from .normalize import apply_params, normalize_sums
from .signs import _MINMAX, Context, Sign, _atomize, _quick, sign

__all__ = ["Context", "Decision", "Sign", "certify", "is_zero", "nonneg", "prepare", "resolve", "sign"]

@dataclass(frozen=True)
class Decision:
    """The outcome of one decision: ``ok`` with the method that proved it, or the reason not.

    ``why`` is a string or a zero-argument callable returning one: failure messages quote
    large expressions, and printing them is only paid for when a message is read.
    """

    ok: bool
    method: str
    why: Any = ""

    @property
    def reason(self) -> str:
        return self.why() if callable(self.why) else self.why


def _short(expr: sp.Expr, limit: int = 300) -> str:
    text = sp.sstr(expr)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def prepare(expr: sp.Expr, ctx: Context) -> sp.Expr:
    """Sums in canonical form, params substituted."""
    return apply_params(normalize_sums(sp.sympify(expr)), ctx.params)


def resolve(expr: sp.Expr, ctx: Context) -> sp.Expr:
    """Replace every max/min whose arguments are ordered under the params by that argument."""
    if expr.has(sp.Max, sp.Min):
        expr = expr.replace(lambda e: isinstance(e, (sp.Max, sp.Min)), lambda e: _resolve(e, ctx))
    return expr


def _resolve(m: sp.Expr, ctx: Context) -> sp.Expr:
    """Replace ``max``/``min`` by the argument that dominates all others, when decidable."""
    pick_max = isinstance(m, sp.Max)
    for a in m.args:
        if all(b is a or (sign(a - b if pick_max else b - a, ctx).nonneg) for b in m.args):
            return a
    return m


def is_zero(expr: sp.Expr, ctx: Context) -> Decision:
    """Decide ``expr == 0`` identically (under the params of ``ctx``)."""
    e = prepare(expr, ctx)
    if e == 0 or sp.cancel(sp.together(e)) == 0:
        return Decision(True, "cancel")
    if e.has(sp.Max, sp.Min):
        e = resolve(e, ctx)
        if e == 0 or sp.cancel(sp.together(e)) == 0:
            return Decision(True, "max/min resolution + cancel")
    if sp.simplify(e) == 0:
        return Decision(True, "simplify")
    return Decision(False, "identity", lambda: f"simplify does not reach 0: {_short(sp.simplify(e))}")


def nonneg(expr: sp.Expr, ctx: Context, strict: bool = False) -> Decision:
    """Decide ``expr >= 0`` (``> 0`` when ``strict``) under the params of ``ctx``."""
    return _eliminate(prepare(expr, ctx), [], ctx, strict)


def certify(diff: sp.Expr, uses, ctx: Context, strict: bool = False) -> Decision:
    """Decide ``diff >= 0`` from facts: ``uses`` is a list of ``(gap, multiplier)`` where each
    ``gap >= 0`` (or ``== 0``) is a fact and each multiplier of an inequality fact is known
    ``>= 0``.  Per branch of the max/min elimination any subset of the facts may be used."""
    gaps = [(prepare(g, ctx), prepare(m, ctx)) for g, m in uses]
    return _eliminate(prepare(diff, ctx), gaps, ctx, strict=strict)


def _argwise(expr: sp.Expr, gaps, ctx: Context, strict: bool):
    """``max(b_1..b_n) - max(a_1..a_n) >= 0`` when every ``b_i - a_i >= 0`` (max is monotone in
    each argument; same for min).  Returns None when ``expr`` is not of this shape or a pair fails."""
    terms = sp.Add.make_args(expr)
    if strict or len(terms) != 2:
        return None
    pos = [t for t in terms if isinstance(t, (sp.Max, sp.Min))]
    neg = [-t for t in terms if isinstance(-t, (sp.Max, sp.Min))]
    if len(pos) != 1 or len(neg) != 1 or type(pos[0]) is not type(neg[0]) or len(pos[0].args) != len(neg[0].args):
        return None
    b_args, a_args = list(pos[0].args), list(neg[0].args)
    pairs = []
    for a in a_args:  # pair identical arguments first, the rest in order
        if a in b_args:
            b_args.remove(a)
        else:
            pairs.append(a)
    for a, b in zip(pairs, b_args):
        if not _eliminate(b - a, gaps, ctx, strict).ok:
            return None
    return Decision(True, "argument-wise max/min monotonicity")


def _split_linear(expr: sp.Expr, m: sp.Expr, ctx: Context):
    """``expr = c m + r`` with the sign of ``c``, or None when ``m`` is not linear."""
    z = sp.Dummy("m")
    ez = expr.xreplace({m: z})
    c = sp.diff(ez, z)
    r = _expand_outside(ez - c * z)
    if c.has(z) or r.has(z):
        return None
    return c, r, sign(c, ctx)


def _expand_outside(expr: sp.Expr) -> sp.Expr:
    """``expand`` that leaves the arguments of max/min/abs atoms untouched, so that the same
    atom coming from a step and from a fact stays one atom."""
    atoms = {a: sp.Dummy("a") for a in expr.atoms(*_MINMAX)}
    back = {d: a for a, d in atoms.items()}
    return sp.expand(expr.xreplace(atoms), power_exp=False, power_base=False, log=False).xreplace(back)


def _eliminate(expr: sp.Expr, gaps, ctx: Context, strict: bool) -> Decision:
    found = list(expr.atoms(*_MINMAX))
    inner = {n for b in found for n in sp.preorder_traversal(b) if n is not b and isinstance(n, _MINMAX)}
    top = [a for a in found if a not in inner]  # structurally, not as sympy's has() matches sub-lattices
    if not top:
        return _with_facts(expr, gaps, ctx, strict)
    quick = _quick(expr, ctx)
    if quick is Sign.POS or (not strict and quick.nonneg):
        return Decision(True, "sign of terms")
    pairwise = _argwise(expr, gaps, ctx, strict)
    if pairwise is not None:
        return pairwise
    # first try the facts before any case of the elimination is chosen (every nonempty subset)
    for subset in _subsets(len(gaps), empty=False):
        whole = _eliminate(_expand_outside(expr - sp.Add(*[gaps[i][1] * gaps[i][0] for i in subset])), [], ctx, strict)
        if whole.ok:
            return Decision(True, f"certificate ({len(subset)} fact(s)) + {whole.method}")
    # "for all" eliminations go first: max(P) - max(Q) >= 0 iff for all q some p works.
    candidates = []
    for m in top:
        split = _split_linear(expr, m, ctx)
        if split is None:
            resolved = resolve(expr, ctx)
            if resolved != expr:
                return _eliminate(resolved, gaps, ctx, strict)
            return Decision(False, "max/min elimination",
                            f"{sp.sstr(m)} does not enter linearly (inside another function)")
        c, r, sc = split
        if not (sc.nonneg or sc.nonpos):
            return Decision(False, "max/min elimination",
                            f"sign of the coefficient {sp.sstr(c)} of {sp.sstr(m)} is undecided")
        is_max = not isinstance(m, sp.Min)
        candidates.append((not (sc.nonpos if is_max else sc.nonneg), m, c, r, is_max))
    _, m, c, r, is_max = min(candidates, key=lambda item: item[0])
    if isinstance(m, sp.Abs):
        args = (m.args[0], -m.args[0])
    else:
        args = m.args
    universal = (sign(c, ctx).nonpos if is_max else sign(c, ctx).nonneg)
    outcomes = []
    if not universal and _quick(m, ctx).nonneg:  # c m >= 0 already: r >= 0 is enough
        d = _eliminate(r, gaps, ctx, strict)
        if d.ok:
            return Decision(True, f"drop max/min >= 0 + {d.method}")
    if not universal:  # try first the arguments that leave the fewest unknowns behind
        args = sorted(args, key=lambda a: len((c * a + r).free_symbols) + len((c * a + r).atoms(sp.Function, sp.Pow)))
    for a in args:
        d = _eliminate(c * a + r, gaps, ctx, strict)
        if universal and not d.ok:
            return Decision(False, d.method, lambda m=m, a=a, d=d: f"branch {_short(m)} = {_short(a)}: {d.reason}")
        if not universal and d.ok:
            return Decision(True, f"max/min elimination + {d.method}")
        outcomes.append(d)
    if universal:
        return Decision(True, "max/min elimination + " + "/".join(sorted({d.method for d in outcomes})))
    return Decision(False, "max/min elimination",
                    lambda: "no argument of " + _short(m) + " works: " + outcomes[-1].reason)


def _refuted(expr: sp.Expr, ctx: Context) -> bool:
    """True when ``expr`` is negative at a sample point of the decider's own model (symbols
    with their declared signs, transcendental atoms as independent signed symbols).  Then no
    rule above can show ``expr >= 0``, so the (costly) exact attempt is skipped: this only
    ever turns an attempt into a failure, never into a success."""
    model = _atomize(expr, ctx)
    free = sorted(model.free_symbols, key=str)
    if not free or len(free) > 40:
        return False
    rng = random.Random(len(free))  # fixed seed: reproducible runs
    for _ in range(3):
        point = {}
        for x in free:
            if x.is_positive:
                point[x] = sp.Rational(rng.randint(1, 40), 10)
            elif x.is_nonnegative:
                point[x] = sp.Rational(rng.randint(0, 40), 10)
            elif x.is_negative:
                point[x] = -sp.Rational(rng.randint(1, 40), 10)
            elif x.is_nonpositive:
                point[x] = -sp.Rational(rng.randint(0, 40), 10)
            else:
                point[x] = sp.Rational(rng.randint(-40, 40), 10)
        try:
            value = complex(model.xreplace(point).evalf(30))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if abs(value.imag) < 1e-20 and value.real < -1e-12 * (1 + abs(value.real)):
            return True
    return False


def _subsets(n: int, empty: bool = True):
    """Index subsets, largest first (the certificate as written is tried first)."""
    return [s for k in range(n, -1 if empty else 0, -1) for s in itertools.combinations(range(n), k)]


def _with_facts(expr: sp.Expr, gaps, ctx: Context, strict: bool) -> Decision:
    first = None
    for subset in _subsets(len(gaps)):
        residual = expr - sp.Add(*[gaps[i][1] * gaps[i][0] for i in subset])
        if residual.has(*_MINMAX):
            d = _eliminate(residual, [], ctx, strict)
        elif _refuted(residual, ctx):
            d = Decision(False, "sign of residual", lambda r=residual: f"negative at a sample point: {_short(r)}")
        else:
            s = sign(residual, ctx)
            ok = s is Sign.POS or (not strict and s.nonneg)
            d = Decision(ok, "sign of residual",
                         "" if ok else lambda r=residual: f"cannot show {_short(r)} {'>' if strict else '>='} 0")
        if d.ok:
            return Decision(True, d.method if not subset else f"certificate ({len(subset)} fact(s)) + {d.method}")
        first = first or d
    return first
