"""A Bound is data: a sympy formula plus what it bounds, when it holds, and where it comes from.

Evaluation goes through :func:`compiled`, a module-level ``functools`` cache of ``lambdify``
keyed by the expression and its argument symbols, so that a formula is compiled once and then
evaluated on numpy arrays of constants (broadcasting like any numpy expression).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import sympy as sp

from .. import _validate as v
from ..errors import InvalidParameterError
from ..setting import Algorithm, FunctionClass
from . import symbols as S
from .terms import Kind, Order, Provenance, Quantity, StepAssumption, StepKind

#: Proof ids agreed with ``proofs/`` (one file ``proofs/<id>.py`` per derived result).
PROOF_IDS = frozenset({
    "d_nc_lemma_n", "d_c_lemma_c", "d_c_rates", "d_sc_weak", "d_sc_theorem_a", "d_sc_prescribed",
    "d_sc_decreasing", "d_sc_one_dim", "d_sc_quadratic", "s_sc", "s_nc", "l_sc_cycle",
    "l_nc_fixed_point", "l_s_floor", "l_sc_horizon", "d_c_fvalue", "d_nc_lipschitz",
})


@functools.lru_cache(maxsize=1024)
def compiled(expr: sp.Basic, args: tuple[sp.Symbol, ...]) -> Callable[..., Any]:
    """``lambdify(args, expr, "numpy")``, compiled once per (expression, argument tuple)."""
    return sp.lambdify(args, expr, modules="numpy")


@dataclass(frozen=True)
class Bound:
    """One statement of the catalog.

    Parameters
    ----------
    name : str
        Unique id, e.g. ``"D-SC/theorem-a/prescribed"``.
    expr : sympy expression
        The bound, in the symbols of :mod:`sambounds.theory.symbols`.  For ``paper`` entries it
        is the order shape only (no constant is known): such an entry is never numeric.
    kind, quantity : Kind, Quantity
        Upper or lower; what is bounded (a lower bound is on the worst case over the class).
    algorithms : frozenset of Algorithm
        The algorithms it is proved for.
    function_class : FunctionClass
        The class it is proved for (upper: applies to smaller classes; lower: to larger ones).
    step : StepAssumption
        Constant, schedule-generic (eta_t <= limit), every constant, or a prescribed rule.
    order : Order
        ``O`` / ``Omega`` / ``Theta~`` ... form with the hidden constant named.
    provenance : Provenance
        ``paper`` (docs/theory.md s.2), ``derived`` (s.4-5, with ``proof``), ``literature`` (s.3).
    citation, statement : str
        Where the statement is from; one sentence saying what it says.
    conditions : tuple of sympy relations
        Checked before every evaluation; a failing one is reported, never evaluated past.
    proof : str or None
        Proof id (``proofs/<id>.py``) of a ``derived`` entry.
    restriction : str or None
        A subclass the bound holds on only (e.g. "d = 1"); such a bound never counts as a
        guarantee for the Setting's whole class.
    parameters : tuple of (Symbol, expression)
        Construction parameters and their default values (expressions in the constants);
        a caller may override them by name.
    """

    name: str
    expr: sp.Basic
    kind: Kind
    quantity: Quantity
    algorithms: frozenset
    function_class: FunctionClass
    step: StepAssumption
    order: Order
    provenance: Provenance
    citation: str
    statement: str
    conditions: tuple = ()
    proof: str | None = None
    restriction: str | None = None
    parameters: tuple = ()
    _inputs: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidParameterError("name", self.name, "a non-empty string")
        set_ = functools.partial(object.__setattr__, self)
        set_("expr", S.parse(self.expr))
        set_("kind", Kind.parse(self.kind))
        set_("quantity", Quantity.parse(self.quantity))
        set_("provenance", Provenance.parse(self.provenance))
        set_("function_class", FunctionClass.parse(self.function_class))
        algorithms = frozenset(Algorithm.parse(a) for a in self.algorithms)
        if not algorithms:
            raise InvalidParameterError("algorithms", self.algorithms, "a non-empty set of algorithms")
        set_("algorithms", algorithms)
        if not isinstance(self.step, StepAssumption):
            raise InvalidParameterError("step", self.step, "a StepAssumption")
        if not isinstance(self.order, Order):
            raise InvalidParameterError("order", self.order, "an Order")
        conditions = tuple(S.parse(c, f"conditions of {self.name}") for c in self.conditions)
        for cond in conditions:
            if not isinstance(cond, sp.core.relational.Relational):
                raise InvalidParameterError(f"conditions of {self.name}", cond,
                                            "sympy relations that are not decided by the symbols' assumptions")
        set_("conditions", conditions)
        if self.provenance is Provenance.DERIVED and self.proof not in PROOF_IDS:
            raise InvalidParameterError("proof", self.proof, f"one of {sorted(PROOF_IDS)} for a derived bound")
        if self.provenance is not Provenance.DERIVED and self.proof is not None:
            raise InvalidParameterError("proof", self.proof, "None unless provenance is 'derived'")
        params = tuple((S.parse(s, "parameters"), S.parse(d, "parameters")) for s, d in self.parameters)
        set_("parameters", params)
        known = set(S.ALL.values())
        used = set(self.expr.free_symbols).union(*(c.free_symbols for c in self.all_conditions))
        used |= set().union(*(d.free_symbols for _, d in params))
        unknown = sorted(s.name for s in used - known)
        if unknown:
            raise InvalidParameterError("expr", sp.sstr(self.expr), f"a formula in the symbols {sorted(S.ALL)}",
                                        f"unknown symbol(s) {unknown}")
        pnames = {s for s, _ in params}
        inputs = (used - pnames) | set().union(*(d.free_symbols for _, d in params))
        set_("_inputs", tuple(sorted(inputs, key=lambda s: s.name)))

    # ---- description ---------------------------------------------------------------------
    @property
    def explicit(self) -> bool:
        """False for ``paper`` claims: an order shape with an unknown constant, never a number to certify."""
        return self.provenance is not Provenance.PAPER

    @property
    def inputs(self) -> tuple[str, ...]:
        """Names of the values :meth:`evaluate` needs (parameters with defaults excluded)."""
        return tuple(s.name for s in self._inputs)

    @property
    def all_conditions(self) -> tuple:
        """The step condition (eta <= limit, or eta_max <= limit for a schedule) then ``conditions``."""
        eta_symbol = S.eta_max if self.step.kind is StepKind.SCHEDULE else S.eta
        rel = self.step.relation(eta_symbol)
        return ((rel,) if rel is not None else ()) + tuple(self.conditions)

    @property
    def formula(self) -> str:
        """Plain-text formula (parses back with ``sympy.sympify(text, locals=symbols.namespace())``)."""
        return sp.sstr(self.expr)

    @property
    def latex(self) -> str:
        return sp.latex(self.expr)

    def _repr_latex_(self) -> str:
        from ..display import bound_latex

        return bound_latex(self)

    def _repr_html_(self) -> str:
        from ..display import bound_html

        return bound_html(self)

    def describe(self) -> str:
        cmp = "<=" if self.kind is Kind.UPPER else ">="
        return f"{self.quantity.label} {cmp} {self.formula}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (formulas as sympy strings that parse back)."""
        return {
            "name": self.name, "kind": self.kind.value, "quantity": self.quantity.value,
            "quantity_label": self.quantity.label, "formula": self.formula, "latex": self.latex,
            "algorithms": sorted(a.value for a in self.algorithms),
            "function_class": self.function_class.value, "step": self.step.describe(),
            "conditions": [sp.sstr(c) for c in self.all_conditions],
            "order": str(self.order), "hidden_constant": self.order.constant,
            "provenance": self.provenance.value, "explicit": self.explicit, "proof": self.proof,
            "citation": self.citation, "statement": self.statement, "restriction": self.restriction,
            "parameters": {s.name: sp.sstr(d) for s, d in self.parameters},
        }

    # ---- evaluation ------------------------------------------------------------------------
    def resolve(self, values: dict[str, Any]) -> dict[sp.Symbol, np.ndarray]:
        """Numeric arrays for every input and parameter (parameters default from their formulas).

        Raises InvalidParameterError for a missing input, a non-finite / non-real value or
        arrays that do not broadcast together.
        """
        env: dict[sp.Symbol, np.ndarray] = {}
        for sym in self._inputs:
            if values.get(sym.name) is None:
                raise InvalidParameterError(sym.name, None, "a value",
                                            f"bound {self.name} needs {sym.name}")
            env[sym] = v.finite_array(sym.name, values[sym.name])
        for sym, default in self.parameters:
            given = values.get(sym.name)
            if given is not None:
                env[sym] = v.finite_array(sym.name, given)
            else:
                args = tuple(sorted(default.free_symbols, key=lambda s: s.name))
                with np.errstate(all="ignore"):
                    env[sym] = np.asarray(compiled(default, args)(*(env[a] for a in args)), dtype=np.float64)
        v.broadcast({s.name: a for s, a in env.items()})
        return env

    def limit_value(self, values: dict[str, Any]) -> float | None:
        """The step limit for scalar constants, on the float path of :meth:`check` (the lambdified
        expression, never ``sympy.N``, which can round one ulp apart).  None when the bound has no
        limit or a constant of it is missing."""
        limit = self.step.limit
        if limit is None:
            return None
        args = tuple(sorted(limit.free_symbols, key=lambda s: s.name))
        if any(values.get(a.name) is None for a in args):
            return None
        with np.errstate(all="ignore"):  # float64 arguments: 0**-1 is inf (refused by the caller), not a ZeroDivisionError
            return float(compiled(limit, args)(*(np.float64(values[a.name]) for a in args)))

    def step_limit(self, values: dict[str, Any], *, margin: float = 0.0) -> float | None:
        """The largest float step eta <= limit (1 - margin) that the step condition itself admits.

        The limit is computed on the same float path as :meth:`check` (the lambdified
        expression, not ``sympy.N``), and then confirmed by evaluating the step relation
        ``eta <= limit`` (``<`` when strict) exactly as :meth:`check` does, moving down by one
        ulp at a time if the two ever disagree.  So an attack that uses the returned step is
        never refused by its own condition (a limit such as 1/(100 beta) can round one ulp
        apart between sympy and numpy).  None when the bound has no step limit.

        Raises InvalidParameterError when a constant of the limit is missing or the limit is not
        a finite number > 0.
        """
        limit = self.step.limit
        if limit is None:
            return None
        args = tuple(sorted(limit.free_symbols, key=lambda s: s.name))
        for a in args:
            if values.get(a.name) is None:
                raise InvalidParameterError(a.name, None, "a value", f"the step limit of {self.name} needs it")
        vals = [float(values[a.name]) for a in args]
        lim = self.limit_value(values)
        if not np.isfinite(lim) or lim <= 0:
            raise InvalidParameterError(f"step limit of {self.name}", sp.sstr(limit), "a finite number > 0",
                                        f"it evaluates to {lim!r}")
        eta_symbol = S.eta_max if self.step.kind is StepKind.SCHEDULE else S.eta
        rel = self.step.relation(eta_symbol)
        rel_args = tuple(sorted(rel.free_symbols, key=lambda s: s.name))
        admitted = compiled(rel, rel_args)
        env = dict(zip((a.name for a in args), vals))
        eta = lim * (1.0 - margin) if margin else lim
        for _ in range(64):
            env[eta_symbol.name] = eta
            with np.errstate(all="ignore"):
                if bool(admitted(*(env[a.name] for a in rel_args))):
                    return eta
            eta = float(np.nextafter(eta, 0.0))
        raise InvalidParameterError(f"step limit of {self.name}", lim, "a step the step condition admits",
                                    "no float within 64 ulp below the limit is admitted")  # pragma: no cover

    def check_names(self, values: dict[str, Any]) -> None:
        """Refuse a keyword that is no symbol of sambounds (a typo would otherwise be ignored silently)."""
        unknown = sorted(set(values) - set(S.ALL))
        if unknown:
            raise InvalidParameterError(unknown[0], values[unknown[0]], f"a keyword among the symbols {sorted(S.ALL)}",
                                        f"bound {self.name} takes its values by symbol name")

    def check(self, env: dict[sp.Symbol, np.ndarray]) -> list[tuple[str, np.ndarray]]:
        """(condition text, boolean mask where it holds) for the symbols' domains and every condition."""
        results = []
        for sym, val in env.items():
            if sym.is_positive:
                results.append((f"{sym.name} > 0", val > 0))
            elif sym.is_nonnegative:
                results.append((f"{sym.name} >= 0", val >= 0))
        for cond in self.all_conditions:
            args = tuple(sorted(cond.free_symbols, key=lambda s: s.name))
            with np.errstate(all="ignore"):
                mask = np.asarray(compiled(cond, args)(*(env[a] for a in args)), dtype=bool)
            results.append((sp.sstr(cond), mask))
        return results

    def value(self, env: dict[sp.Symbol, np.ndarray]) -> np.ndarray:
        """The formula on resolved arrays, broadcast to the inputs' common shape (no checks)."""
        args = tuple(sorted(self.expr.free_symbols, key=lambda s: s.name))
        with np.errstate(all="ignore"):
            out = compiled(self.expr, args)(*(env[a] for a in args))
        shape = np.broadcast_shapes(*(np.shape(v) for v in env.values())) if env else ()
        return np.broadcast_to(np.asarray(out, dtype=np.float64), shape)

    def evaluate(self, *, check: bool = True, **values: Any) -> float | np.ndarray:
        """Evaluate the bound, broadcasting array inputs.

        With ``check=True`` (default) every condition (step condition included) and every
        symbol's domain must hold for every element, and the result must be finite; otherwise
        InvalidParameterError names the first failing condition and the element.  For masks
        instead of an exception use :func:`sambounds.theory.query.evaluate_many`.
        """
        check = v.boolean("check", check)
        self.check_names(values)
        env = self.resolve(values)
        if check:
            for text, mask in self.check(env):
                bad = ~np.broadcast_to(mask, np.broadcast_shapes(*(np.shape(v) for v in env.values()), mask.shape))
                if bad.any():
                    where = "" if bad.ndim == 0 else f" at index {tuple(int(i) for i in np.argwhere(bad)[0])}"
                    raise InvalidParameterError(f"condition of {self.name}", text, "a condition that holds",
                                                f"fails{where}")
        out = self.value(env)
        if check and not np.isfinite(out).all():
            where = "" if out.ndim == 0 else f" at index {tuple(int(i) for i in np.argwhere(~np.isfinite(out))[0])}"
            raise InvalidParameterError(f"value of {self.name}", "non-finite", "constants for which the bound is "
                                        "finite in float64", f"overflow{where}")
        return float(out) if out.ndim == 0 else np.array(out)
