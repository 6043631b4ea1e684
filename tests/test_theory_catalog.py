"""The catalog as data: completeness, evaluation at valid constants, conditions, LaTeX, parsing back."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from sambounds import schedules
from sambounds.errors import InvalidParameterError
from sambounds.theory.bound import PROOF_IDS, Bound
from sambounds.theory.catalog import Catalog, catalog
from sambounds.theory.schedule_sums import schedule_sums
from sambounds.theory.symbols import namespace
from sambounds.theory.terms import Kind, Order, Provenance, Quantity, StepAssumption, StepKind

BETA, MU, T = 2.0, 0.1, 50
STEPS = np.full(T, 0.4 / BETA)


def valid_values() -> dict[str, float]:
    """Constants that satisfy every catalog condition (eta = 0.4/beta <= 1/(2 beta))."""
    sums = schedule_sums(STEPS, MU)
    return {"beta": BETA, "mu": MU, "rho": 0.05, "eta": 0.4 / BETA, "T": float(T), "Delta": 1.0, "D": 1.5,
            "sigma": 0.3, "L": 3.0, "sum_lambda3": 2.5, **sums}


@pytest.mark.parametrize("bound", catalog, ids=lambda b: b.name)
def test_every_entry_evaluates_at_valid_constants(bound):
    value = bound.evaluate(**valid_values())
    assert np.isfinite(value) and value >= 0.0


def test_catalog_covers_paper_sections_and_every_proof_id():
    by_prov = {p: [b for b in catalog if b.provenance is p] for p in Provenance}
    assert len(by_prov[Provenance.PAPER]) >= 8
    assert {b.proof for b in by_prov[Provenance.DERIVED]} == set(PROOF_IDS)
    names = set(catalog.names)
    for required in ("D-NC/inverse-beta", "D-C/minimum/constant", "D-C/average/prescribed", "D-C/distance/schedule",
                     "D-SC/weak/schedule", "D-SC/theorem-a/constant", "D-SC/theorem-a/prescribed", "D-SC/decreasing",
                     "D-SC/one-dim", "D-SC/quadratic", "S-SC/constant/n-sam", "S-SC/prescribed/m-sam",
                     "S-NC/schedule/n-sam", "S-NC/prescribed/m-sam", "L-SC/limit", "L-NC", "L-S",
                     "GD/convex/drori-teboulle", "GD/strongly-convex/distance", "SAM/quadratic/two-cycle"):
        assert required in names
    assert all(not b.explicit for b in by_prov[Provenance.PAPER])
    assert all(b.explicit for b in by_prov[Provenance.DERIVED] + by_prov[Provenance.LITERATURE])
    assert by_prov[Provenance.USER] == []   # "user" marks bounds registered outside the catalog
    # the open row is recorded, not silently absent
    assert any(g.quantity is Quantity.GAP and g.function_class.value == "convex" for g in catalog.gaps)


def test_catalog_is_immutable_and_looked_up_by_name():
    assert isinstance(catalog.bounds, tuple)
    b = catalog["L-SC/limit"]
    assert b.kind is Kind.LOWER and b.proof == "l_sc_cycle"
    with pytest.raises(InvalidParameterError, match="no-such"):
        catalog["no-such"]
    n = len(catalog)
    bigger = catalog.with_bounds([_user_bound("user/one")])
    assert len(bigger) == n + 1 and len(catalog) == n and "user/one" not in catalog
    with pytest.raises(InvalidParameterError, match="already"):
        Catalog((b, b))
    with pytest.raises(Exception):
        catalog.bounds = ()


def _user_bound(name: str, expr="2*beta*Delta/T") -> Bound:
    return Bound(name=name, expr=expr, kind="upper", quantity="grad-avg",
                 algorithms={"sam"}, function_class="nonconvex", step=StepAssumption("constant", limit="1/beta"),
                 order=Order("O", "1/T", "C"), provenance="literature", citation="test", statement="test")


def test_bound_validation_names_the_field():
    with pytest.raises(InvalidParameterError, match="unknown symbol"):
        _user_bound("x", expr="beta*omega_user")
    with pytest.raises(InvalidParameterError, match="proof"):
        Bound(name="x", expr=sp.Integer(1), kind="upper", quantity="gap", algorithms={"sam"},
              function_class="convex", step=StepAssumption("constant"), order=Order("O", 1, "C"),
              provenance="derived", citation="", statement="", proof="not_an_id")
    with pytest.raises(InvalidParameterError, match="kind"):
        _user_bound("x").__class__(**{**_fields(_user_bound("x")), "kind": "sideways"})


def _fields(b: Bound) -> dict:
    import dataclasses

    return {f.name: getattr(b, f.name) for f in dataclasses.fields(b) if f.init}


@pytest.mark.parametrize("bound", [b for b in catalog if b.step.limit is not None], ids=lambda b: b.name)
def test_step_condition_rejects_too_large_steps(bound):
    values = valid_values()
    too_big = 2.5 / BETA  # above every limit in the catalog (1/(2 beta), 1/beta, 2/beta)
    values["eta" if bound.step.kind is StepKind.CONSTANT else "eta_max"] = too_big
    with pytest.raises(InvalidParameterError, match="condition"):
        bound.evaluate(**values)


@pytest.mark.parametrize("name, change", [
    ("D-SC/decreasing", {"a": 2.0}),  # a >= 3
    ("D-SC/decreasing", {"a": 3.0, "mu": 0.5, "beta": 1.0}),  # a >= 4 kappa = 8
    ("L-NC", {"c": 1.5}),
    ("L-S", {"p": 0.6}),
    ("D-C/minimum/prescribed", {"Delta": 0.0}),
    ("D-SC/theorem-a/prescribed", {"beta": -1.0}),  # symbol domain
    ("D-NC/constant", {"T": 0.0}),
])
def test_conditions_reject_invalid_constants(name, change):
    with pytest.raises(InvalidParameterError):
        catalog[name].evaluate(**{**valid_values(), **change})


def test_missing_and_non_finite_inputs_are_named():
    values = valid_values()
    del values["Delta"]
    with pytest.raises(InvalidParameterError, match="Delta"):
        catalog["D-NC/inverse-beta"].evaluate(**values)
    with pytest.raises(InvalidParameterError, match=r"rho\[1\]"):
        catalog["D-NC/inverse-beta"].evaluate(**{**valid_values(), "rho": [0.1, np.nan]})


def test_evaluate_broadcasts_arrays():
    b = catalog["D-SC/theorem-a/prescribed"]
    rho = np.array([[0.0], [0.01], [0.1]])
    T_ = np.array([[10.0, 100.0, 1000.0, 10000.0]])
    out = b.evaluate(beta=1.0, mu=0.01, rho=rho, T=T_, Delta=1.0)
    assert out.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            assert out[i, j] == b.evaluate(beta=1.0, mu=0.01, rho=float(rho[i, 0]), T=float(T_[0, j]), Delta=1.0)


@pytest.mark.parametrize("bound", catalog, ids=lambda b: b.name)
def test_latex_renders_and_formula_parses_back(bound):
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")
    # mathtext has no cases environment: render each Piecewise through its general branch
    general = bound.expr.replace(sp.Piecewise, lambda *args: args[-1][0])
    for tex in (sp.latex(general), bound.order.latex, *(sp.latex(c) for c in bound.all_conditions)):
        assert tex.strip()
        parser.parse(f"${tex}$")
    assert bound.latex.count("{") == bound.latex.count("}")
    assert sp.sympify(bound.formula, locals=namespace()) == bound.expr


def test_theorem_a_prescribed_matches_hand_written_numpy():
    rng = np.random.default_rng(0)
    n = 2000
    beta = rng.uniform(0.1, 10, n)
    mu = beta * rng.uniform(1e-4, 1, n)
    rho = rng.uniform(0, 1, n) * (rng.random(n) > 0.1)
    T_ = rng.integers(1, 10**6, n).astype(float)
    Delta = rng.uniform(0, 10, n)
    N = np.maximum(2.0, mu**3 * Delta * T_**2 / (beta**4 * np.where(rho > 0, rho, 1.0) ** 2))
    kappa = beta / mu
    third = np.where(rho > 0, (kappa + 1) * beta**3 * rho**2 * np.log(N) ** 2 / (2 * mu**2 * T_**2), 0.0)
    expected = np.maximum.reduce([np.exp(-mu * T_ / (2 * beta)) * Delta, beta**4 * rho**2 / (mu**3 * T_**2), third])
    got = catalog["D-SC/theorem-a/prescribed"].evaluate(beta=beta, mu=mu, rho=rho, T=T_, Delta=Delta)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)


def _rule_eta(rule, **constants) -> float:
    from sambounds import Constants

    c = Constants(**{k: v for k, v in constants.items() if k != "T"})
    return float(rule.steps(int(constants["T"]), c)[0])


@pytest.mark.parametrize("beta,mu,rho,T_,Delta,sigma", [
    (1.0, 0.01, 0.05, 10_000, 1.0, 0.5), (3.0, 0.3, 0.2, 50, 2.0, 2.0), (1.0, 1e-3, 1e-3, 10**6, 0.1, 1e-3)])
def test_prescribed_closed_forms_dominate_the_constant_step_bound_at_the_rule(beta, mu, rho, T_, Delta, sigma):
    """Each prescribed closed form is the constant-step theorem evaluated (then simplified) at the rule's eta."""
    base = dict(beta=beta, mu=mu, rho=rho, T=float(T_), Delta=Delta, sigma=sigma)
    pairs = [("D-SC/theorem-a/prescribed", "D-SC/theorem-a/constant", schedules.TheoremA(), True),
             ("D-C/minimum/prescribed", "D-C/minimum/constant", schedules.ConvexMinimum(), False),
             ("D-C/average/prescribed", "D-C/average/constant", schedules.ConvexAverage(), False),
             ("D-NC/inverse-beta", "D-NC/constant", schedules.InverseBeta(), False),
             ("S-SC/prescribed/n-sam", "S-SC/constant/n-sam", schedules.StochasticSC("n-sam"), True),
             ("S-SC/prescribed/m-sam", "S-SC/constant/m-sam", schedules.StochasticSC("m-sam"), True),
             ("S-NC/prescribed/m-sam", "S-NC/constant/m-sam", schedules.StochasticNC("m-sam"), False)]
    for prescribed, constant, rule, needs_mu in pairs:
        consts = {k: v for k, v in base.items() if needs_mu or k != "mu"}
        eta = _rule_eta(rule, **consts)
        closed = catalog[prescribed].evaluate(**base)
        at_rule = catalog[constant].evaluate(**base, eta=eta)
        assert closed >= at_rule * (1 - 1e-12), (prescribed, closed, at_rule)
        if constant in ("D-C/minimum/constant", "D-C/average/constant", "D-NC/constant"):
            assert closed == pytest.approx(at_rule, rel=1e-12)  # the corollary is an equality there


def test_schedule_sums_match_a_direct_loop():
    rng = np.random.default_rng(1)
    steps = rng.uniform(0.01, 0.5, 200)
    mu = 0.7
    sums = schedule_sums(steps, mu)
    w = 0.0
    for e in steps:
        w = (1 - mu * e) * w + e * e
    assert sums["wsum_mu"] == pytest.approx(w, rel=1e-12)
    assert sums["prod_mu"] == pytest.approx(np.prod(1 - mu * steps), rel=1e-12)
    assert sums["sum_eta"] == pytest.approx(steps.sum()) and sums["eta_max"] == steps.max()
    assert "prod_mu" not in schedule_sums(steps, 10.0)  # mu eta_t > 1: the product is not a contraction


def test_weak_order_schedule_form_equals_constant_form_on_constant_steps():
    values = valid_values()
    a = catalog["D-SC/weak/schedule"].evaluate(**values)
    b = catalog["D-SC/weak/constant"].evaluate(**values)
    assert a == pytest.approx(b, rel=1e-10)


def test_paper_claims_are_order_only_with_named_constant():
    for b in catalog.select(provenance="paper"):
        assert b.order.constant and b.step.kind is StepKind.UNSPECIFIED
        assert b.to_dict()["explicit"] is False


def test_select_filters():
    sc = catalog.select(algorithm="sam", function_class="strongly-convex", kind="upper", provenance="derived")
    assert sc and all(b.name.startswith("D-SC") for b in sc)
    assert all(Quantity.E_GAP is b.quantity for b in catalog.select(algorithm="m-sam", function_class="strongly-convex",
                                                                        kind="upper"))
