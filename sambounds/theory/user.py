"""Bring your own bound: build a :class:`~sambounds.theory.bound.Bound` from text, in Python or TOML.

Python::

    from sambounds.theory.user import register_bound
    b = register_bound("2*Delta/(eta*T) + beta**2*rho**2", name="mine/nc", algorithm="sam",
                       function_class="nonconvex", quantity="grad-avg", step="constant", step_limit="1/beta")

TOML (``sambounds check my_bounds.toml``)::

    [[bound]]
    name = "mine/nc"
    expression = "2*Delta/(eta*T) + beta**2*rho**2"
    algorithm = "sam"            # or a list: ["n-sam", "m-sam"]
    class = "nonconvex"
    quantity = "grad-avg"
    kind = "upper"               # default
    step = "constant"            # schedule | constant | every-constant | prescribed
    step_limit = "1/beta"        # eta_t <= step_limit
    conditions = ["rho <= 1"]    # optional
    # rule = "theorem-a"         # the schedule name, for step = "prescribed"
    # construction = "L-SC"      # lower bounds: the construction that should reach it

Expressions are parsed without ``eval`` of arbitrary code: only numbers, the operators
``+ - * / ** ( ) ,`` (and ``< <= > >=`` in conditions), the symbols of
:mod:`sambounds.theory.symbols` and the functions Max, Min, sqrt, log, exp, Abs, ceiling, floor
are accepted.  An unknown symbol, an unparsable expression, a missing or unknown field raises
:class:`~sambounds.errors.InvalidParameterError` naming the field.
"""

from __future__ import annotations

import io
import os
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import sympy as sp
from sympy.parsing.sympy_parser import parse_expr, standard_transformations

from .. import _validate as v
from ..errors import InvalidParameterError
from ..schedules import SCHEDULES, schedule_from_dict
from ..setting import Algorithm, FunctionClass
from . import symbols as S
from .bound import Bound
from .terms import Kind, Order, Provenance, Quantity, StepAssumption, StepKind

_FUNCTIONS = {"Max": sp.Max, "Min": sp.Min, "sqrt": sp.sqrt, "log": sp.log, "exp": sp.exp, "Abs": sp.Abs,
              "ceiling": sp.ceiling, "floor": sp.floor, "Piecewise": sp.Piecewise, "Eq": sp.Eq,
              "True": sp.true}
_OPS = {"+", "-", "*", "/", "**", "(", ")", ",", "<", "<=", ">", ">=", "==", "[", "]"}
_FIELDS = {"name", "expression", "algorithm", "class", "quantity", "kind", "step", "step_limit", "strict",
           "rule", "conditions", "parameters", "restriction", "provenance", "citation", "statement",
           "construction", "order"}
_REQUIRED = ("name", "expression", "algorithm", "class", "quantity")


def _namespace() -> dict[str, Any]:
    return {**S.namespace(), **_FUNCTIONS}


def parse(text: Any, field: str, *, relation: bool = False) -> sp.Basic:
    """Parse a formula (or a relation when ``relation``) with the token whitelist above."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidParameterError(field, text, "a non-empty formula string")
    names = _namespace()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        raise InvalidParameterError(field, text, "a parsable formula", str(exc)) from None
    unknown = []
    for tok in tokens:
        if tok.type == tokenize.NAME and tok.string not in names:
            unknown.append(tok.string)
        elif tok.type == tokenize.OP and tok.string not in _OPS:
            raise InvalidParameterError(field, text, "a formula with + - * / ** ( ) , and comparisons",
                                        f"operator {tok.string!r} is not allowed")
        elif tok.type not in (tokenize.NAME, tokenize.OP, tokenize.NUMBER, tokenize.NEWLINE, tokenize.NL,
                              tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
            raise InvalidParameterError(field, text, "a formula of numbers, symbols and operators",
                                        f"token {tok.string!r} is not allowed")
    if unknown:
        raise InvalidParameterError(field, text, f"a formula in the symbols {sorted(S.ALL)}",
                                    f"unknown symbol(s) {sorted(set(unknown))}")
    glob = {"Integer": sp.Integer, "Float": sp.Float, "Rational": sp.Rational, "Symbol": sp.Symbol,
            "__builtins__": {}}
    # unevaluated first: 10**10**10 would otherwise be computed as an exact integer (a hang)
    unevaluated = {**glob, **{n: getattr(sp, n) for n in ("Add", "Mul", "Pow", "Lt", "Le", "Gt", "Ge", "Eq",
                                                          "Ne", "And", "Tuple")}}
    _check_magnitudes(_parse_expr(text, field, local_dict=names, global_dict=unevaluated, evaluate=False),
                      field, text)
    expr = _parse_expr(text, field, local_dict=names, global_dict=glob, evaluate=True)
    if isinstance(expr, sp.Basic) and expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I):
        raise InvalidParameterError(field, text, "a formula that is real and finite for finite constants",
                                    f"it simplifies to {sp.sstr(expr)}")
    if isinstance(expr, sp.Basic):
        _check_float64(expr, field, text)
    is_rel = isinstance(expr, sp.core.relational.Relational)
    if relation and not is_rel:
        raise InvalidParameterError(field, text, "a relation such as 'rho <= 1'",
                                    "it is not a comparison (or sympy decided it is always true/false)")
    if not relation and (is_rel or not isinstance(expr, sp.Expr)):
        raise InvalidParameterError(field, text, "a formula (not a comparison)")
    return expr


def _parse_expr(text: str, field: str, **options: Any) -> Any:
    """sympy's ``parse_expr`` with the standard transformations; any failure names the field."""
    try:
        return parse_expr(text, transformations=standard_transformations, **options)
    except (SyntaxError, TypeError, ValueError, AttributeError, NameError, ZeroDivisionError, RecursionError,
            MemoryError) as exc:
        raise InvalidParameterError(field, text, "a parsable formula", f"{type(exc).__name__}: {exc}") from None


#: largest number of decimal digits a constant of a formula may have (|e log10 b| for a power b**e)
MAX_DIGITS = 4000


def _check_magnitudes(expr: sp.Basic, field: str, text: str) -> None:
    """Refuse a numeric power b**e with more than MAX_DIGITS digits (numerator or denominator).

    Walked inner powers first on the unevaluated tree, so every exponent evaluated here is
    already known to be of moderate size (evalf works in floating point, never exactly).
    """
    for node in sp.postorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.base.is_number and node.exp.is_number:
            base, exp = sp.N(abs(node.base), 15), sp.N(abs(node.exp), 15)
            if not (base.is_finite and exp.is_finite) or base == 0 or base == 1:
                continue  # 0**-1, 1**e and non-finite parts: decided (or refused) after evaluation
            digits = exp * abs(sp.log(base, 10))
            if digits > MAX_DIGITS:
                raise InvalidParameterError(field, text, f"a formula whose numbers have at most {MAX_DIGITS} digits",
                                            f"{sp.sstr(node)} has about {sp.N(digits, 3)} digits")


#: largest magnitude of a number a formula may contain: it is evaluated in float64 (numpy)
FLOAT64_MAX = 1.7976931348623157e308


def _check_float64(expr: sp.Basic, field: str, text: str) -> None:
    """Refuse a number that float64 cannot hold (beta**10**400: the exponent overflows when evaluated)."""
    for number in expr.atoms(sp.Number):
        if abs(number) > FLOAT64_MAX:
            raise InvalidParameterError(field, text, f"a formula whose numbers are at most {FLOAT64_MAX:.4g} in size",
                                        f"{sp.sstr(sp.N(number, 3))} is evaluated in float64")


def _choice(field: str, value: Any, parse_fn) -> Any:
    try:
        return parse_fn(value)
    except InvalidParameterError as exc:
        raise InvalidParameterError(field, value, exc.allowed) from None


def register_bound(expression: str, *, name: str, algorithm: str | Iterable[str], function_class: str,
                   quantity: str, kind: str = "upper", step: str = "schedule", step_limit: str | None = None,
                   strict: bool = False, rule: str | Mapping | None = None, conditions: Iterable[str] = (),
                   parameters: Mapping[str, str] | None = None, restriction: str | None = None,
                   provenance: str = "user", citation: str = "user-registered bound",
                   statement: str = "", order: Mapping[str, str] | None = None) -> Bound:
    """Build a Bound from text (see the module docstring); every error names its field.

    ``provenance`` defaults to ``"user"`` (the user's claim, with explicit constants; where it comes
    from goes in ``citation``); ``"paper"`` makes it order-only.  ``"derived"`` (a proof in
    ``proofs/``) and ``"literature"`` (the catalog's anchors) are reserved for catalog entries.
    """
    v.text("name", name, empty=False)
    citation = v.text("citation", citation)
    statement = v.text("statement", statement)
    if restriction is not None:
        v.text("restriction", restriction, allowed="a string or absent")
    expr = parse(expression, "expression")
    if isinstance(algorithm, str):
        algs = [algorithm]
    elif isinstance(algorithm, (list, tuple, set, frozenset)):
        algs = list(algorithm)
    else:
        algs = []
    if not algs:
        raise InvalidParameterError("algorithm", algorithm, f"one or more of {[a.value for a in Algorithm]}")
    algs = [_choice("algorithm", a, Algorithm.parse) for a in algs]
    fc = _choice("class", function_class, FunctionClass.parse)
    q = _choice("quantity", quantity, Quantity.parse)
    k = _choice("kind", kind, Kind.parse)
    prov = _choice("provenance", provenance, Provenance.parse)
    if prov in (Provenance.DERIVED, Provenance.LITERATURE):
        raise InvalidParameterError("provenance", provenance, "'user' or 'paper' for a user bound",
                                    f"'{prov.value}' is reserved for catalog entries (docs/theory.md section 0)")
    sk = _choice("step", step, StepKind.parse)
    limit = None if step_limit is None else parse(step_limit, "step_limit")
    sched = None
    if sk is StepKind.PRESCRIBED:
        if rule is None:
            raise InvalidParameterError("rule", None, f"a schedule name of {sorted(SCHEDULES)} for step = 'prescribed'")
        sched = schedule_from_dict(dict(rule) if isinstance(rule, Mapping) else {"name": rule})
    elif rule is not None:
        raise InvalidParameterError("rule", rule, "absent unless step = 'prescribed'")
    if limit is not None and sk not in (StepKind.SCHEDULE, StepKind.CONSTANT):
        raise InvalidParameterError("step_limit", step_limit, "absent unless step is 'schedule' or 'constant'")
    if not isinstance(strict, bool):
        raise InvalidParameterError("strict", strict, "true or false")
    if isinstance(conditions, str):
        conditions = [conditions]
    if not isinstance(conditions, (list, tuple)):
        raise InvalidParameterError("conditions", conditions, "a relation string or a list of them")
    conds = tuple(parse(c, f"conditions[{i}]", relation=True) for i, c in enumerate(conditions))
    params = tuple((_param_symbol(pn), parse(d, f"parameters.{pn}"))
                   for pn, d in v.mapping("parameters", parameters).items())
    if order is None:
        order_obj = Order("O" if k is Kind.UPPER else "Omega", expr, "explicit (user-registered)")
    else:
        order = v.mapping("order", order)
        order_obj = Order(order.get("symbol", "O"), parse(order.get("shape", expression), "order.shape"),
                          v.text("order.constant", order.get("constant", "unknown")))
    try:
        return Bound(name=name, expr=expr, kind=k, quantity=q, algorithms=frozenset(algs), function_class=fc,
                     step=StepAssumption(sk, limit=limit, strict=strict, rule=sched), order=order_obj,
                     provenance=prov, citation=citation, statement=statement, conditions=conds,
                     restriction=restriction, parameters=params)
    except InvalidParameterError as exc:
        if exc.name == "expr":
            raise InvalidParameterError("expression", expression, exc.allowed, exc.detail) from None
        raise


def _bad_param(name: str):
    raise InvalidParameterError(f"parameters.{name}", name, f"one of the parameter symbols {sorted(S.EXTRA)}")


@dataclass(frozen=True)
class Registered:
    """A bound from a TOML file, with the construction a lower bound names (if any)."""

    bound: Bound
    construction: str | None = None


def bounds_from_mapping(doc: Mapping[str, Any], source: str = "<mapping>") -> tuple[Registered, ...]:
    """The ``[[bound]]`` tables of a parsed TOML document."""
    if not isinstance(doc, Mapping):
        raise InvalidParameterError("document", doc, f"a TOML document (a table) in {source}")
    entries = doc.get("bound")
    if not isinstance(entries, list) or not entries:
        raise InvalidParameterError("bound", entries, f"one or more [[bound]] tables in {source}")
    out = []
    for i, e in enumerate(entries):
        where = f"bound[{i}]"
        if not isinstance(e, Mapping):
            raise InvalidParameterError(where, e, "a table of fields")
        extra = sorted(set(e) - _FIELDS)
        if extra:
            raise InvalidParameterError(f"{where}.{extra[0]}", e[extra[0]], f"one of the fields {sorted(_FIELDS)}")
        for key in _REQUIRED:
            if key not in e:
                raise InvalidParameterError(f"{where}.{key}", None, "a value (required field)")
        kwargs = {k: e[k] for k in ("kind", "step", "step_limit", "strict", "rule", "conditions", "parameters",
                                    "restriction", "provenance", "citation", "statement", "order") if k in e}
        try:
            b = register_bound(e["expression"], name=e["name"], algorithm=e["algorithm"], function_class=e["class"],
                               quantity=e["quantity"], **kwargs)
        except InvalidParameterError as exc:
            raise InvalidParameterError(f"{where}.{exc.name}", exc.value, exc.allowed, exc.detail) from None
        construction = e.get("construction")
        if construction is not None and not isinstance(construction, str):
            raise InvalidParameterError(f"{where}.construction", construction, "a construction name")
        out.append(Registered(b, construction))
    names = [r.bound.name for r in out]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InvalidParameterError("bound.name", dup[0], "names unique within the file")
    return tuple(out)


def load_bounds(path: str | Path) -> tuple[Registered, ...]:
    """Read user bounds from a TOML file (see the module docstring)."""
    try:
        import tomllib
    except ImportError:  # Python 3.10: the tomli backport (declared for python_version < '3.11')
        import tomli as tomllib

    if not isinstance(path, (str, os.PathLike)):
        raise InvalidParameterError("path", path, "a path (str or os.PathLike) to a TOML file")
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidParameterError("path", str(path), "a readable TOML file (UTF-8)", str(exc)) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidParameterError("path", str(path), "a valid TOML file", str(exc)) from None
    return bounds_from_mapping(doc, str(path))


# ---- text round trip (witness files) --------------------------------------------------------------------
def bound_to_spec(bound: Bound) -> dict[str, Any]:
    """Everything needed to rebuild ``bound`` as text (see :func:`bound_from_spec`)."""
    st = bound.step
    return {
        "name": bound.name, "expression": sp.sstr(bound.expr), "kind": bound.kind.value,
        "quantity": bound.quantity.value, "algorithms": sorted(a.value for a in bound.algorithms),
        "class": bound.function_class.value, "provenance": bound.provenance.value, "proof": bound.proof,
        "step": {"kind": st.kind.value, "limit": None if st.limit is None else sp.sstr(st.limit),
                 "strict": st.strict, "rule": None if st.rule is None else st.rule.to_dict()},
        "conditions": [sp.sstr(c) for c in bound.conditions],
        "parameters": {s.name: sp.sstr(d) for s, d in bound.parameters}, "restriction": bound.restriction,
        "order": {"symbol": bound.order.symbol, "shape": sp.sstr(bound.order.shape),
                  "constant": bound.order.constant},
        "citation": bound.citation, "statement": bound.statement,
    }


def bound_from_spec(spec: Mapping[str, Any]) -> Bound:
    """Rebuild a Bound from :func:`bound_to_spec` output (catalog provenance and proof kept)."""
    try:
        st = spec["step"]
        rule = None if st.get("rule") is None else schedule_from_dict(st["rule"])
        limit = None if st.get("limit") is None else parse(st["limit"], "bound.step.limit")
        return Bound(name=spec["name"], expr=parse(spec["expression"], "bound.expression"), kind=spec["kind"],
                     quantity=spec["quantity"], algorithms=spec["algorithms"], function_class=spec["class"],
                     step=StepAssumption(st["kind"], limit=limit, strict=bool(st.get("strict")), rule=rule),
                     order=Order(spec["order"]["symbol"], parse(spec["order"]["shape"], "bound.order.shape"),
                                 spec["order"]["constant"]),
                     provenance=spec["provenance"], citation=spec.get("citation", ""),
                     statement=spec.get("statement", ""),
                     conditions=tuple(parse(c, f"bound.conditions[{i}]", relation=True)
                                      for i, c in enumerate(spec.get("conditions", ()))),
                     proof=spec.get("proof"), restriction=spec.get("restriction"),
                     parameters=tuple((_param_symbol(k), parse(v, f"bound.parameters.{k}"))
                                      for k, v in spec.get("parameters", {}).items()))
    except KeyError as exc:
        raise InvalidParameterError(f"bound.{exc.args[0]}", None, "a field of a bound description") from None
    except (TypeError, AttributeError) as exc:
        raise InvalidParameterError("bound", spec.get("name"), "a complete bound description", str(exc)) from None


def _param_symbol(name: str) -> sp.Symbol:
    if name not in S.EXTRA:
        _bad_param(name)
    return S.EXTRA[name]
