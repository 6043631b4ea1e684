"""Rich display in Jupyter: LaTeX and HTML renderings of a Bound (a checker's Report renders itself).

Jupyter calls ``_repr_latex_`` / ``_repr_html_`` on the last value of a cell.  The classes
delegate to the pure functions here (one home for presentation, no state)::

    class Bound:
        def _repr_latex_(self) -> str:
            from ..display import bound_latex
            return bound_latex(self)

        def _repr_html_(self) -> str:
            from ..display import bound_html
            return bound_html(self)

HTML output escapes every text field; formulas are placed in ``\\( ... \\)`` so the notebook's
MathJax renders them, with the plain sympy text as the tooltip.
"""

from __future__ import annotations

import html
from typing import Any

import sympy as sp

#: LaTeX of each quantity a bound is about (keys: :class:`sambounds.theory.terms.Quantity` values).
QUANTITY_LATEX = {
    "gap": r"f(x_T) - f^\star",
    "dist": r"\|x_T - x^\star\|^2",
    "grad-avg": r"\frac{1}{T}\sum_{t<T} \|\nabla f(x_t)\|^2",
    "grad-min": r"\min_{t<T} \|\nabla f(x_t)\|^2",
    "grad-wsum": r"\sum_{t<T} \eta_t \|\nabla f(x_t)\|^2",
    "e-gap": r"\mathbb{E} f(x_T) - f^\star",
    "e-grad-avg": r"\frac{1}{T}\sum_{t<T} \mathbb{E}\|\nabla f(x_t)\|^2",
    "e-grad-wsum": r"\sum_{t<T} \eta_t \mathbb{E}\|\nabla f(x_t)\|^2",
    "lim-gap": r"\lim_{t\to\infty} f(x_t) - f^\star",
    "lim-grad-avg": r"\lim_{T\to\infty} \frac{1}{T}\sum_{t<T} \|\nabla f(x_t)\|^2",
    "liminf-e-gap": r"\liminf_{t\to\infty} \mathbb{E} f(x_t) - f^\star",
}


#: The schedule functionals of :mod:`sambounds.theory.symbols` written out (sympy prints ``sum_{\eta}``).
SYMBOL_LATEX = {
    "eta_max": r"\max_{t<T} \eta_t",
    "sum_eta": r"\Big(\sum_{t<T} \eta_t\Big)",
    "sum_eta2": r"\Big(\sum_{t<T} \eta_t^2\Big)",
    "prod_mu": r"\Big(\prod_{t<T} (1 - \mu \eta_t)\Big)",
    "wsum_mu": r"\Big(\sum_{t<T} \eta_t^2 \prod_{t<s<T} (1 - \mu \eta_s)\Big)",
    "sum_lambda3": r"\Big(\sum_i \lambda_i^3\Big)",
}


def latex(expr: Any) -> str:
    """sympy LaTeX with the schedule functionals written as sums and products."""
    names = {s: SYMBOL_LATEX[s.name] for s in sp.sympify(expr).free_symbols if s.name in SYMBOL_LATEX}
    return sp.latex(expr, symbol_names=names)


def _relation(bound: Any) -> str:
    q = bound.quantity.value
    cmp = r"\le" if bound.kind.value == "upper" else r"\ge"
    return rf"{QUANTITY_LATEX.get(q, sp.latex(sp.Symbol(q)))} \;{cmp}\; {latex(bound.expr)}"


def _conditions_latex(bound: Any) -> str:
    parts = [latex(c) for c in bound.all_conditions]
    return r",\; ".join(parts)


def bound_latex(bound: Any) -> str:
    r"""Display-math LaTeX: ``$$ Q \le formula \quad (conditions) $$`` with the bound's name and order.

    A lower bound (a statement about the worst case over the class) reads ``Q \ge formula``.
    """
    cond = _conditions_latex(bound)
    tail = rf"\qquad \text{{if }} {cond}" if cond else ""
    name = bound.name.replace("_", r"\_")
    order = bound.order
    head = {"O~": r"\tilde{O}", "Theta~": r"\tilde{\Theta}", "Omega": r"\Omega", "Theta": r"\Theta"}
    order_tex = rf"{head.get(order.symbol, order.symbol)}\left({latex(order.shape)}\right)"
    return rf"$$\text{{{name}}}:\quad {_relation(bound)}{tail}\qquad \left[{order_tex}\right]$$"


def bound_html(bound: Any) -> str:
    """An HTML table of every field a reader needs: statement, formula, step, conditions, provenance."""
    d = bound.to_dict()
    esc = html.escape
    rows = [
        ("statement", esc(d["statement"])),
        ("bound", rf'<span title="{esc(bound.describe())}">\({esc(_relation(bound))}\)</span>'),
        ("kind", esc(d["kind"]) + (" (on the worst case over the class)" if d["kind"] == "lower" else "")),
        ("quantity", esc(d["quantity_label"])),
        ("algorithms", esc(", ".join(d["algorithms"]))),
        ("class", esc(d["function_class"]) + (f" (only {esc(d['restriction'])})" if d["restriction"] else "")),
        ("step size", esc(d["step"])),
        ("conditions", esc("; ".join(d["conditions"])) or "none"),
        ("order", rf"\({esc(bound.order.latex)}\), hidden constant: {esc(d['hidden_constant'])}"),
        ("provenance", esc(d["provenance"]) + (f", proof <code>proofs/{esc(d['proof'])}.py</code>"
                                                if d["proof"] else "")
         + (" (registered by a user: a claim the checkers attack, not a proven bound)"
            if d["provenance"] == "user" else "")),
        ("citation", esc(d["citation"])),
    ]
    if d["parameters"]:
        rows.append(("parameters", esc(", ".join(f"{k} = {x}" for k, x in d["parameters"].items()))))
    body = "".join(f'<tr><th style="text-align:left">{k}</th><td style="text-align:left">{x}</td></tr>'
                   for k, x in rows)
    return (f'<table class="sambounds-bound"><caption style="text-align:left"><b>{esc(d["name"])}</b>'
            f"</caption>{body}</table>")
