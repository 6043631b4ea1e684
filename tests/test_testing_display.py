"""Jupyter renderings (sambounds.display): well-formed LaTeX and HTML for every catalog bound."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from sambounds.display import QUANTITY_LATEX, bound_html, bound_latex
from sambounds.theory.catalog import catalog
from sambounds.theory.terms import Quantity

BOUNDS = list(catalog)


def _balanced(text: str) -> bool:
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif ch == "}" and (i == 0 or text[i - 1] != "\\"):
            depth -= 1
        if depth < 0:
            return False
    return depth == 0


def test_every_quantity_has_latex():
    assert set(QUANTITY_LATEX) == {q.value for q in Quantity}


@pytest.mark.parametrize("bound", BOUNDS, ids=[b.name for b in BOUNDS])
def test_bound_latex_is_display_math_with_the_right_relation(bound):
    tex = bound_latex(bound)
    assert tex.startswith("$$") and tex.endswith("$$") and tex.count("$") == 4
    assert _balanced(tex)
    assert len(re.findall(r"\\left\b", tex)) == len(re.findall(r"\\right\b", tex))
    assert QUANTITY_LATEX[bound.quantity.value] in tex
    assert (r"\;\le\;" in tex) == (bound.kind.value == "upper")
    assert (r"\;\ge\;" in tex) == (bound.kind.value == "lower")
    # schedule functionals are written out, never as sympy's subscripted names
    assert not re.search(r"sum_\{\\eta|prod_\{\\mu|wsum_\{|eta_\{max", tex)


@pytest.mark.parametrize("bound", BOUNDS, ids=[b.name for b in BOUNDS])
def test_bound_html_is_well_formed_and_escaped(bound):
    page = bound_html(bound)
    root = ET.fromstring(page)  # raises on unbalanced tags or a raw '<' / '&'
    assert root.tag == "table"
    text = "".join(root.itertext())
    assert bound.name in text and bound.statement in text and bound.provenance.value in text
    if bound.proof:
        assert f"proofs/{bound.proof}.py" in text
    assert r"\(" in text and r"\)" in text
