"""verify_schedule: the three verdicts, with numbers checked against closed forms written here."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import sambounds
from sambounds import Setting
from sambounds.schedules import Cosine, LinearDecay, TheoremA
from sambounds.verify import rerun, verify_schedule

SC = dict(beta=1.0, mu=0.1, rho=0.05, Delta=1.0)


def theorem_a_loop(steps, beta, mu, rho, Delta):
    """Theorem A's per-step recursion e_{t+1} = max{(1 - mu eta_t) e_t, B(eta_t)}, one step at a time."""
    e = Delta
    for eta in steps:
        B = beta**4 * rho**2 * eta**2 / (8 * mu * (1 - beta * eta) ** 2) + beta**3 * rho**2 * eta**2 / 2
        e = max((1 - mu * eta) * e, B)
    return e


def s_sc_loop(steps, beta, mu, rho, sigma2, Delta):
    e = Delta
    for eta in steps:
        e = (1 - mu * eta) * e + eta * beta**2 * rho**2 / 2 + beta * eta**2 * sigma2 / 2
    return e


def test_theorem_a_prescribed_step_is_certified_against_its_own_bound():
    T = 80
    s = Setting.create("sam", "strongly-convex", T=T, schedule=TheoremA(), **SC)
    # Theorem A's prescribed step and bound, written out independently of the catalog
    beta, mu, rho, Delta = SC["beta"], SC["mu"], SC["rho"], SC["Delta"]
    N = max(2.0, mu**3 * Delta * T**2 / (beta**4 * rho**2))
    eta = min(1 / (2 * beta), math.log(N) / (mu * T))
    bound = max(math.exp(-mu * T / (2 * beta)) * Delta, beta**4 * rho**2 / (mu**3 * T**2),
                (beta / mu + 1) * beta**3 * rho**2 * math.log(N) ** 2 / (2 * mu**2 * T**2))
    assert s.steps[0] == pytest.approx(eta, rel=1e-15)
    r = verify_schedule(s, target=bound, effort="quick")
    assert r.verdict == "certified" and r.witness is None
    assert r.best_upper.value <= bound
    sources = {c.source: c.value for c in r.certified}
    assert sources["D-SC/theorem-a/prescribed"] == pytest.approx(bound, rel=1e-12)
    assert sources["D-SC/theorem-a/constant"] == pytest.approx(max((1 - mu * eta) ** T * Delta, theorem_a_loop(
        [eta], beta, mu, rho, 0.0)), rel=1e-12)
    # the attack never exceeds a certified bound (else the catalog would be wrong)
    assert r.worst_found <= r.best_upper.value
    assert r.prescribed is not None and r.prescribed.name == "D-SC/theorem-a/prescribed"


def test_one_over_beta_on_lsc_is_refuted_by_the_two_cycle_and_the_witness_reruns(tmp_path):
    beta, rho = 2.0, 0.1
    eta = 1 / beta
    s = Setting.create("sam", "strongly-convex", T=30, eta=eta, beta=beta, mu=0.2, rho=rho, Delta=1.0)
    floor = beta**3 * eta**2 * rho**2 / 8
    r = verify_schedule(s, target=0.9 * floor, effort="quick", families=("L-SC",))
    assert r.verdict == "refuted"
    w = r.witness
    assert w["kind"] == "schedule-witness" and w["function"]["family"] == "L-SC"
    # SAM's 2-cycle +-c, c = eta beta rho/(2 - eta beta) (docs/theory.md s.3): f = beta c^2/2 on the cycle
    c = eta * beta * rho / (2 - eta * beta)
    assert w["measured"]["value"] == pytest.approx(beta * c**2 / 2, rel=1e-12)
    assert w["measured"]["value"] > w["target"] == pytest.approx(0.9 * floor)
    assert w["initial"]["gap"] <= 1.0
    again = rerun(r.write_witness(tmp_path / "w.json"))
    assert again.got["value"] == w["measured"]["value"] and again.rel_error == 0.0 and again.misses_target
    assert json.loads((tmp_path / "w.json").read_text()) == w
    # with every family the verdict is the same (a rotated quadratic cycles on its top eigenvector too)
    assert verify_schedule(s, target=0.9 * floor, effort="quick").verdict == "refuted"


def test_undecided_reports_the_gap_between_certified_and_found():
    s = Setting.create("sam", "strongly-convex", T=60, schedule=Cosine(0.5), **SC)
    r = verify_schedule(s, target=0.1, effort="quick")
    assert r.verdict == "undecided" and r.witness is None
    upper = theorem_a_loop(s.steps, **SC)
    assert {c.source: c.value for c in r.certified}["D-SC/theorem-a/unrolled"] == pytest.approx(upper, rel=1e-12)
    assert r.worst_found <= 0.1 < r.best_upper.value
    assert r.gap == pytest.approx(r.best_upper.value - r.worst_found) and r.gap > 0
    assert "gap" in r.to_text() and r.to_dict()["gap"] == r.gap


@pytest.mark.parametrize("schedule", [Cosine(0.5), LinearDecay(0.5)], ids=["cosine", "linear"])
def test_cosine_and_linear_get_a_verdict_with_evidence_for_deterministic_sam(schedule):
    s = Setting.create("sam", "strongly-convex", T=100, schedule=schedule, **SC)
    r = verify_schedule(s, target=0.01, effort="quick")
    assert r.verdict in ("certified", "refuted", "undecided")
    names = {f.family.split(" (")[0] for f in r.families}
    assert {"L-SC", "quadratic", "kappa-adversarial ridge", "logcosh ridge"} <= names
    assert all(f.n_functions * f.n_starts >= 2 for f in r.families)
    unrolled = next(x for x in r.recursions if x.name == "D-SC/theorem-a/unrolled")
    assert unrolled.applies and unrolled.value == pytest.approx(theorem_a_loop(s.steps, **SC), rel=1e-12)
    generic = {t.name: t for t in r.theorems if t.schedule_generic and t.status == "applies"}
    assert generic["D-C/schedule"].value == pytest.approx(2 * SC["Delta"] + SC["beta"] ** 3 * SC["rho"] ** 2
                                                          * float(np.sum(s.steps**2)), rel=1e-12)
    assert r.best_upper is not None and r.worst_found is not None and r.worst_found <= r.best_upper.value
    data = json.loads(r.to_json())
    assert data["verdict"] == r.verdict and data["empirical"]["families"]


@pytest.mark.parametrize("schedule", [Cosine(0.5), LinearDecay(0.5)], ids=["cosine", "linear"])
def test_cosine_and_linear_get_a_verdict_with_evidence_for_n_sam(schedule):
    s = Setting.create("n-sam", "strongly-convex", T=100, schedule=schedule, beta=1.0, mu=0.1, rho=0.1,
                       sigma=1.0, Delta=1.0)
    r = verify_schedule(s, target=2.0, effort="quick")
    upper = s_sc_loop(s.steps, 1.0, 0.1, 0.1, 1.0, 1.0)
    assert {c.source: c.value for c in r.certified}["S-SC/unrolled/n-sam"] == pytest.approx(upper, rel=1e-12)
    assert r.verdict == "certified" and upper <= 2.0
    ls = next(f for f in r.families if f.family == "L-S")
    assert ls.samples > 100 and ls.worst_lcb < ls.worst
    # the certified bound holds on the construction: even the sample mean stays below it
    assert ls.worst < upper
    assert any(f.name.startswith("L-S") and f.value > 0 for f in r.floors)


def test_n_sam_refuted_with_confidence_and_same_seed_same_report():
    s = Setting.create("n-sam", "strongly-convex", T=100, schedule=Cosine(0.5), beta=1.0, mu=0.1, rho=0.1,
                       sigma=1.0, Delta=1.0)
    r = verify_schedule(s, target=0.005, effort="quick", seed=3)
    assert r.verdict == "refuted"
    w = r.witness
    # the worst instance is a stochastic family with exact noise sigma (L-S or the search's quadratic finite sum)
    assert w["function"]["family"] in ("L-S", "quadratic-sum") and w["samples"] >= 1000
    assert w["measured"]["lcb"] > 0.005 and w["measured"]["lcb"] < w["measured"]["value"]
    again = rerun(w)
    assert again.got["value"] == w["measured"]["value"] and again.got["lcb"] == w["measured"]["lcb"]
    assert again.misses_target and again.matches
    assert verify_schedule(s, target=0.005, effort="quick", seed=3).to_dict() == r.to_dict()


def test_small_horizon_runs_the_pep_and_its_upper_value_dominates_every_instance():
    s = Setting.create("sam", "strongly-convex", T=4, schedule=LinearDecay(0.5), **SC)
    r = verify_schedule(s, target=10.0, effort="quick", pep_max_T=4)
    assert r.pep.ran and r.pep.measure == "f" and r.pep.horizon == 4
    assert r.pep.upper >= max(f.worst for f in r.families)
    if r.pep.lower is not None:
        assert r.pep.lower <= r.pep.upper
    assert r.verdict == "certified"


def test_a_pep_slice_witness_refutes_and_reruns():
    s = Setting.create("sam", "strongly-convex", T=5, schedule=LinearDecay(0.5), **SC)
    # the smooth ridge alone stays below the target; the PEP's worst function does not
    r = verify_schedule(s, target=0.6, effort="quick", pep_max_T=5, families=("logcosh ridge",))
    assert max(f.worst for f in r.families) < 0.6
    assert r.pep.ran and r.pep.lower_valid and r.pep.lower > 0.6
    assert r.verdict == "refuted" and r.worst_found == r.pep.lower and r.worst_source.startswith("PEP")
    assert r.witness["kind"] == "pep-witness" and r.witness["meta"]["target"] == 0.6
    again = rerun(r.witness)
    assert again.misses_target and again.matches and again.rel_error < 1e-3


def test_exported_lazily_from_the_package():
    assert sambounds.verify_schedule is verify_schedule


@pytest.mark.slow
@pytest.mark.parametrize("algorithm, cls, consts", [
    ("sam", "strongly-convex", SC),
    ("sam", "convex", dict(beta=1.0, rho=0.05, Delta=1.0)),
    ("sam", "nonconvex", dict(beta=1.0, rho=0.05, Delta=1.0)),
    ("m-sam", "strongly-convex", dict(beta=1.0, mu=0.1, rho=0.1, sigma=0.5, Delta=1.0)),
])
@pytest.mark.parametrize("schedule", [Cosine(0.5), LinearDecay(0.5)], ids=["cosine", "linear"])
def test_default_effort_never_finds_a_value_above_a_certified_bound(algorithm, cls, consts, schedule):
    for T in (8, 300):
        s = Setting.create(algorithm, cls, T=T, schedule=schedule, **consts)
        r = verify_schedule(s, target=1e-9, seed=1)
        assert not any("CONTRADICTION" in n for n in r.notes)
        if r.best_upper is not None and r.worst_found is not None:
            assert r.worst_found <= r.best_upper.value * (1 + 1e-9)
        if r.pep.ran and r.pep.upper is not None:
            assert all(f.worst <= r.pep.upper for f in r.families)
