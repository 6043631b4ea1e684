"""The adversary's search refutes deliberately wrong bounds that are wrong only off the fixed menu.

Each wrong statement is a known-tight (or nearly tight) bound with one deliberate mistake.  The
search runs *alone* (``menu=False``), so the catch is the search's; the test asserts the verdict,
that the witness re-runs from JSON to the same numbers, the instance class that caught it, that
the run did not diverge, and that rho > 0 when the claim is about SAM-type algorithms.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp

from sambounds.adversary.parametric import FAMILIES, log_scale
from sambounds.adversary.search import search_upper
from sambounds.adversary.sequential import decide, stages
from sambounds.adversary.space import Horizons
from sambounds.check.probe import Probe
from sambounds.check.report import Verdict
from sambounds.check.upper import check_upper
from sambounds.check.witness import rerun, save
from sambounds.errors import InvalidParameterError
from sambounds.adversary.families import FamilySpec
from sambounds.theory.catalog import catalog
from sambounds.theory.user import bound_from_spec, bound_to_spec, register_bound


def scaled(name: str, factor: str):
    """The catalog bound ``name`` with its whole right-hand side multiplied by ``factor``."""
    spec = bound_to_spec(catalog[name])
    spec.update(name=f"wrong/{name} x {factor}", expression=sp.sstr(sp.Rational(factor) * catalog[name].expr),
                provenance="literature", proof=None)
    return bound_from_spec(spec)


WRONG = {
    # D-NC/constant is attained at H = beta I, eta = 1/beta (2-cycle at +-rho, grad^2 = beta^2 rho^2)
    "D-NC x 0.9": (lambda: scaled("D-NC/constant", "9/10"), {"quadratic"}),
    # Drori-Teboulle: Huber with delta = D/(2T + 1) attains beta D^2/(4T + 2)
    "Drori-Teboulle x 0.9": (lambda: scaled("GD/convex/drori-teboulle", "9/10"), {"huber"}),
    # S-SC for n-SAM: equality on H = beta I with exact noise at eta = 1/beta
    "S-SC n-SAM x 0.9": (lambda: scaled("S-SC/constant/n-sam", "9/10"), {"quadratic-sum", "L-S"}),
    # the 2-cycle limit claimed as an upper bound on 1-D quadratics, 10 % low
    "2-cycle x 0.9": (lambda: register_bound(
        "9*beta**3*eta**2*rho**2/(20*(2 - beta*eta)**2)", name="wrong/two-cycle x 0.9", algorithm="sam",
        function_class="strongly-convex", quantity="lim-gap", step="constant", step_limit="2/beta", strict=True,
        restriction="quadratic f, d = 1"), {"quadratic"}),
    # S-SC n-SAM with its rho^2 constant 1/2 -> 2/5 (scaled by 0.8)
    "S-SC rho^2 x 0.8": (lambda: register_bound(
        "Delta*(1 - eta*mu)**T + 2*beta**2*rho**2/(5*mu) + beta*eta*sigma**2/(2*mu)", name="wrong/S-SC rho^2 x 0.8",
        algorithm="n-sam", function_class="strongly-convex", quantity="e-gap", step="constant",
        step_limit="1/beta"), {"quadratic-sum", "L-S"}),
    # 10 % below GD's tight worst case, claimed for USAM with a small radius
    "USAM below Drori-Teboulle": (lambda: register_bound(
        "9*beta*D**2/(10*(4*T + 2))", name="wrong/USAM below DT", algorithm="usam", function_class="convex",
        quantity="gap", step="prescribed", rule="inverse-beta", conditions=["beta*rho <= 1/10"]), {"huber"}),
    # a small-step stochastic floor claimed 20x too small
    "small-step floor / 20": (lambda: register_bound(
        "Delta*(1 - eta*mu)**T + beta**2*rho**2/(2*mu) + beta*eta*sigma**2/(40*mu)", name="wrong/small-step floor",
        algorithm="n-sam", function_class="strongly-convex", quantity="e-gap", step="constant",
        step_limit="1/(100*beta)"), {"quadratic-sum", "L-S"}),
}


@pytest.mark.parametrize("label", sorted(WRONG))
def test_search_alone_refutes_wrong_bound_with_rerunnable_witness(label, tmp_path):
    make, classes = WRONG[label]
    bound = make()
    report = check_upper(bound, rate=False, quick=True, menu=False)
    assert report.verdict is Verdict.VIOLATED, report.evidence
    assert report.witness is not None
    inst = report.witness["instance"]
    assert inst["family"] in classes, inst["family"]
    assert math.isfinite(float(inst["measured"])) and float(inst["measured"]) > float(inst["bound"]) > 0
    sam_type = any(a.value != "gd" for a in bound.algorithms)
    if sam_type:
        assert inst["rho"] > 0
    if label == "USAM below Drori-Teboulle":
        assert 0 < inst["constants"]["beta"] * inst["rho"] <= 0.1
    if label == "small-step floor / 20":
        assert inst["eta"] <= 1 / (100 * inst["constants"]["beta"]) * (1 + 1e-12)
    path = save(report.witness, tmp_path / "w.json")
    again = rerun(path)
    assert again.matches and again.rel_error == 0.0
    assert again.got["lower"] > again.got["bound"] + again.got["tol"]
    assert json.loads(path.read_text())["probe"]["family"]["name"] == inst["family"]


@pytest.mark.parametrize("name,family", [("D-NC/constant", "quadratic"), ("S-SC/constant/n-sam", None)])
def test_correct_tight_bound_holds_under_the_search(name, family):
    report = check_upper(catalog[name], rate=False, quick=True, menu=False)
    assert report.verdict is Verdict.HOLDS, report.evidence
    assert report.search is not None and report.search["evaluations"] > 0
    assert report.search["best"]["ratio"] >= 0.99
    if family:
        assert report.search["best"]["where"]["family"] == family


def test_search_reaches_drori_teboulle_and_records_where():
    # the tight instance is Huber with delta / D = 1/(2T + 1); the search must find it within 1 %
    result = search_upper(catalog["GD/convex/drori-teboulle"], budget=192, seed=0)
    assert result.best.ratio >= 0.99
    where = result.best.where
    assert where["family"] == "huber"
    assert where["params"]["delta / D"] == pytest.approx(1 / (2 * where["T"] + 1), rel=0.15)
    doc = result.to_dict()
    assert doc["evaluations"] == result.evaluations <= 192 + 8 * len(doc["groups"])
    assert all(len(g["best_per_generation"]) >= 1 for g in doc["groups"])
    # seeded: the same seed gives the same search
    assert search_upper(catalog["GD/convex/drori-teboulle"], budget=48, seed=3).to_dict() == \
        search_upper(catalog["GD/convex/drori-teboulle"], budget=48, seed=3).to_dict()


def test_every_parametric_family_declares_the_constants_it_is_built_for():
    rng = np.random.default_rng(0)
    from sambounds.adversary.parametric import Constants

    for fam in FAMILIES:
        for _ in range(5):
            u = rng.uniform(size=len(fam.coordinates))
            c = Constants(beta=2.0, mu=0.02, rho=0.1, sigma=0.3)
            built = fam.build(u, c, 0.7)
            f, _ = built.spec.build()
            assert float(np.max(f.beta)) <= 2.0 * (1 + 1e-12)
            if fam.name not in ("huber", "L-NC"):     # convex / nonconvex families carry mu = 0 or none
                assert float(np.min(f.mu)) >= 0.02 * (1 - 1e-12)


def test_log_scale_reaches_its_ends_exactly():
    assert log_scale(0.0, 0.01, 1.0) == 0.01 and log_scale(1.0, 0.01, 1.0) == 1.0
    assert 0.01 < log_scale(0.5, 0.01, 1.0) < 1.0


def test_sequential_decision_grows_replicas_and_separates():
    # f = x^2/2 with exact noise sigma at eta = 1: E f(x_T) = rho^2/2 + sigma^2/2 exactly (n-SAM, H = I)
    probe = Probe("n-sam", 0.1, 50, FamilySpec("quadratic-sum", {"spectrum": [[1.0] * 4], "sigma": [0.2]}),
                  np.full((1, 2, 4), 0.5), np.full((1, 50), 1.0), {"beta": 1.0, "mu": 1.0, "sigma": 0.2}, replicas=2)
    true = register_bound("beta*rho**2/2 + sigma**2/(2*beta) + Delta*(1 - eta*mu)**T", name="t/exact",
                          algorithm="n-sam", function_class="strongly-convex", quantity="e-gap", step="constant")
    low = register_bound("(beta*rho**2/2 + sigma**2/(2*beta))/2", name="t/half", algorithm="n-sam",
                         function_class="strongly-convex", quantity="e-gap", step="constant")
    high = register_bound("2*(beta*rho**2/2 + sigma**2/(2*beta)) + Delta", name="t/double", algorithm="n-sam",
                          function_class="strongly-convex", quantity="e-gap", step="constant")
    assert decide(low, probe, cap=512).verdict == "violated"
    d = decide(high, probe, cap=512)
    assert d.verdict == "holds" and d.separated and d.replicas == 512   # "holds" never stops before HOLD_MIN
    exact = decide(true, probe, cap=128)
    assert exact.verdict in ("holds", "inconclusive") and exact.replicas == 128 and not exact.separated
    assert stages(32, 4096) == (32, 128, 512, 2048, 4096)
    with pytest.raises(InvalidParameterError, match="replicas"):
        stages(32, 8)


def test_search_rejects_bad_budget():
    with pytest.raises(InvalidParameterError, match="budget"):
        search_upper(catalog["D-NC/constant"], budget=-1)
    with pytest.raises(InvalidParameterError, match="bound"):
        search_upper(catalog["L-SC/limit"], budget=8)
    assert search_upper(catalog["D-NC/constant"], budget=0).best is None


def test_search_space_respects_horizons():
    result = search_upper(catalog["D-C/average/constant"], budget=16, seed=1, horizons=Horizons(5, 20, 40))
    assert all(5 <= g["best"]["where"]["T"] <= 20 for g in result.to_dict()["groups"] if g["best"])


def test_pep_worst_function_joins_the_search_and_its_witness_reruns(tmp_path):
    # the exact GD PEP's worst function attains Drori-Teboulle; 0.9 x the bound is refuted on it
    bound = scaled("GD/convex/drori-teboulle", "9/10")
    from dataclasses import replace as dc_replace
    from sambounds.adversary.menu import QUICK

    size = dc_replace(QUICK, pep_horizons=(2,))
    report = check_upper(bound, rate=False, size=size, menu=False, families=("pep-interpolant",))
    assert report.verdict is Verdict.VIOLATED
    assert report.witness["instance"]["family"] == "pep-interpolant"
    assert report.worst_ratio == pytest.approx(10 / 9, rel=1e-6)
    again = rerun(save(report.witness, tmp_path / "w.json"))
    assert again.matches and again.rel_error == 0.0
    exact = check_upper(catalog["GD/convex/drori-teboulle"], rate=False, size=size, menu=False,
                        families=("pep-interpolant",))
    assert exact.verdict is Verdict.HOLDS and exact.search["best"]["ratio"] >= 0.999


def test_pep_candidate_with_a_delta_rule_is_scored_and_rate_fitted():
    # a prescribed rule computed from Delta: the PEP candidate carries that Delta, so the rate sweep can rerun it
    from dataclasses import replace as dc_replace
    from sambounds.adversary.menu import QUICK

    size = dc_replace(QUICK, pep_horizons=(2,))
    report = check_upper(catalog["D-SC/decreasing"], size=size, menu=False, families=("pep-interpolant",))
    assert report.verdict is Verdict.HOLDS and report.worst["family"] == "pep-interpolant"
    assert report.worst["fixed"] == {"Delta": 1.0} and 0 < report.worst_ratio <= 1
