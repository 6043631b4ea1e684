"""Bring-your-own-bound: parsing, TOML loading, clear errors naming the field, text round trip."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from sambounds.check.report import Verdict
from sambounds.check.runner import check_bound
from sambounds.errors import InvalidParameterError
from sambounds.theory import symbols as S
from sambounds.theory.catalog import catalog
from sambounds.theory.user import bound_from_spec, bound_to_spec, bounds_from_mapping, load_bounds, register_bound

GOOD = dict(name="mine", algorithm="sam", function_class="nonconvex", quantity="grad-avg", step="constant",
            step_limit="1/beta")


def test_registered_bound_is_the_formula_it_was_given():
    b = register_bound("2*Delta/(eta*T) + beta**2*rho**2", **GOOD)
    assert sp.simplify(b.expr - (2 * S.Delta / (S.eta * S.T) + S.beta**2 * S.rho**2)) == 0
    assert b.evaluate(Delta=1.0, eta=0.5, T=10, beta=1.0, rho=0.1) == pytest.approx(0.4 + 0.01)
    assert b.provenance.value == "user" and b.explicit
    assert "user (registered by a user" in b._repr_html_()   # shown as a claim, never as literature


@pytest.mark.parametrize("expression, field, fragment", [
    ("2*Delta/(eta*T) + zeta", "expression", "zeta"),
    ("2*Delta/(eta*T", "expression", "parsable"),
    ("__import__('os').system('true')", "expression", ""),
    ("beta.__class__", "expression", ""),
    ("rho <= 1", "expression", "comparison"),
])
def test_bad_expressions_name_the_field(expression, field, fragment):
    with pytest.raises(InvalidParameterError) as info:
        register_bound(expression, **GOOD)
    assert info.value.name == field and fragment in str(info.value)


@pytest.mark.parametrize("change, field", [
    ({"function_class": "convexish"}, "class"), ({"algorithm": "adam"}, "algorithm"),
    ({"quantity": "loss"}, "quantity"), ({"step": "sometimes"}, "step"),
    ({"step_limit": "1/gamma"}, "step_limit"), ({"kind": "sideways"}, "kind"),
    ({"provenance": "derived"}, "provenance"), ({"provenance": "literature"}, "provenance"),
    ({"conditions": ["rho"]}, "conditions[0]"),
    ({"step": "prescribed", "step_limit": None, "rule": "no-such-rule"}, "schedule.name"),
])
def test_bad_fields_are_named(change, field):
    with pytest.raises(InvalidParameterError) as info:
        register_bound("beta**2*rho**2", **{**GOOD, **change})
    assert info.value.name == field


def test_toml_errors_name_the_entry_and_field(tmp_path):
    base = {"name": "a", "expression": "beta*rho**2", "algorithm": "sam", "class": "nonconvex",
            "quantity": "grad-avg"}
    for missing in ("name", "expression", "algorithm", "class", "quantity"):
        doc = {"bound": [{k: v for k, v in base.items() if k != missing}]}
        with pytest.raises(InvalidParameterError) as info:
            bounds_from_mapping(doc)
        assert info.value.name == f"bound[0].{missing}"
    with pytest.raises(InvalidParameterError) as info:
        bounds_from_mapping({"bound": [base, {**base, "expresion": "1"}]})
    assert info.value.name == "bound[1].expresion"
    with pytest.raises(InvalidParameterError) as info:
        bounds_from_mapping({"bound": [{**base, "expression": "beta*nu"}]})
    assert info.value.name == "bound[0].expression" and "nu" in str(info.value)
    with pytest.raises(InvalidParameterError) as info:
        bounds_from_mapping({"bound": [base, base]})
    assert info.value.name == "bound.name"
    bad = tmp_path / "bad.toml"
    bad.write_text("[[bound]\nname = 1")
    with pytest.raises(InvalidParameterError) as info:
        load_bounds(bad)
    assert info.value.name == "path"
    with pytest.raises(InvalidParameterError):
        load_bounds(tmp_path / "missing.toml")


def test_example_file_loads_and_its_verdicts_are_the_documented_ones():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "examples" / "my_bounds.toml"
    registered = load_bounds(path)
    verdicts = {r.bound.name: check_bound(r.bound, quick=True, construction=r.construction).verdict
                for r in registered}
    assert verdicts == {"mine/nonconvex-constant-step": Verdict.HOLDS, "mine/no-floor": Verdict.VIOLATED,
                        "mine/two-cycle-floor": Verdict.WITNESSED}


@pytest.mark.parametrize("name", catalog.names)
def test_every_catalog_bound_round_trips_through_text(name):
    b = catalog[name]
    again = bound_from_spec(bound_to_spec(b))
    assert again.name == b.name and again.kind is b.kind and again.step.kind is b.step.kind
    assert sp.simplify(again.expr - b.expr) == 0 or sp.srepr(again.expr) == sp.srepr(b.expr)
    values = {k: 0.37 for k in b.inputs}
    values.update({"T": 50, "mu": 0.05, "beta": 1.0, "eta": 0.2, "eta_max": 0.2, "p": 0.1, "c": 0.5, "a": 30})
    try:
        expected = b.evaluate(check=False, **values)
    except InvalidParameterError:
        return
    assert np.allclose(again.evaluate(check=False, **values), expected, rtol=1e-12, equal_nan=True)
