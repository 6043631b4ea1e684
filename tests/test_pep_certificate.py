"""Rational dual certificates, verified in exact arithmetic."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

import sambounds
from sambounds import Setting
from sambounds.pep.certificate import certify, is_psd, verify
from sambounds.pep.methods import Method
from sambounds.pep.problem import build_program, make_spec
from sambounds.pep.solvers import solve


def programs(setting, measure="f", method=Method("gd")):
    spec = make_spec(setting, measure)
    return build_program(spec, method), build_program(spec, method, exact=True)


@pytest.mark.parametrize("T", [1, 2, 4])
def test_gd_certificate_verifies_and_is_tight(T):
    s = Setting.create("gd", "convex", T=T, beta=1.0, eta=1.0, D=1.0)
    prog, exact = programs(s)
    cert = certify(prog, exact, solve(prog).value)
    assert verify(cert, exact) == (True, "verified")
    exact_value = Fraction(1, 4 * T + 2)
    assert exact_value <= cert.bound <= exact_value * (1 + Fraction(1, 10 ** 5))


def test_perturbed_certificates_are_rejected():
    s = Setting.create("gd", "convex", T=2, beta=1.0, eta=1.0, D=1.0)
    prog, exact = programs(s)
    cert = certify(prog, exact, solve(prog).value)
    labels = exact.ineq.labels
    # 1) a smaller claimed bound
    lower = dataclasses.replace(cert, bound_normalized=cert.bound_normalized * Fraction(99, 100),
                                bound=cert.bound * Fraction(99, 100))
    assert verify(lower, exact)[0] is False
    # 2) an interpolation multiplier changed: stationarity in F breaks
    yi = list(cert.y_ineq)
    j = max(range(len(yi)), key=lambda i: yi[i] if labels[i].startswith("interp") else -1)
    yi[j] *= Fraction(999, 1000)
    assert verify(dataclasses.replace(cert, y_ineq=tuple(yi)), exact)[1].startswith("stationarity")
    # 3) the initial-condition multiplier lowered (stationarity intact, bound recomputed): S not PSD
    yi = list(cert.y_ineq)
    k = labels.index("||x0 - x*||^2 <= 1")
    yi[k] -= Fraction(1, 1000)
    bound = cert.bound_normalized - Fraction(1, 1000)
    bad = dataclasses.replace(cert, y_ineq=tuple(yi), bound_normalized=bound, bound=bound * exact.scale)
    assert verify(bad, exact) == (False, "S = -(A_0 + sum y_r A_r) is not positive semidefinite")
    # 4) a negative multiplier
    yi = list(cert.y_ineq)
    yi[0] = Fraction(-1, 10 ** 9)
    assert verify(dataclasses.replace(cert, y_ineq=tuple(yi)), exact)[0] is False


def test_strongly_convex_and_usam_certificates():
    s = Setting.create("gd", "strongly-convex", T=3, beta=1.0, mu=Fraction(1, 10).__float__(), eta=1.0, D=1.0)
    prog, exact = programs(s, "dist")
    cert = certify(prog, exact, solve(prog).value)
    assert verify(cert, exact)[0] and float(cert.bound) == pytest.approx(0.9 ** 6, rel=1e-5)
    r = sambounds.worst_case(Setting.create("usam", "convex", T=3, beta=1.0, eta=0.5, rho=0.3, D=1.0),
                             certificate=True, witness=False)
    assert r.certificate is not None and r.value <= float(r.certificate.bound) <= r.value * (1 + 1e-5)


def test_is_psd_exact():
    assert is_psd([[Fraction(1), Fraction(1)], [Fraction(1), Fraction(1)]])
    assert not is_psd([[Fraction(1), Fraction(1)], [Fraction(1), Fraction(1) - Fraction(1, 10 ** 30)]])
    assert not is_psd([[0, 1], [1, 0]])
    assert is_psd([[0, 0], [0, 0]])
    assert not is_psd([[1, 2], [0, 1]])   # not symmetric


def test_sam_relaxation_upper_bound_is_certified():
    # the relaxation has equality rows (||d_t||^2 = rho^2) with free multipliers
    s = Setting.create("sam", "convex", T=2, beta=1.0, rho=0.25, eta=0.5, D=1.0)
    r = sambounds.worst_case(s, certificate=True, search_evals=6)
    assert r.value <= float(r.certificate.bound) <= r.value * (1 + 1e-5)
    assert float(r.certificate.bound) >= r.lower


def test_inaccurate_sam_relaxation_is_still_certified_exactly():
    # Clarabel stops the SAM relaxation at 'optimal_inaccurate' (a degenerate optimum: rank-2
    # Gram matrix, residuals stalling near 4e-9 > 1e-9); the status alone cannot certify, the
    # rational dual certificate can: it proves value * (1 + 1e-6) for the relaxation's exact program
    from sambounds.schedules import Cosine

    s = Setting.create("sam", "strongly-convex", beta=1.0, mu=0.1, rho=0.05, T=3, schedule=Cosine(0.5), D=1.0)
    r = sambounds.worst_case(s, measure="f", witness=False, certificate=True, search_evals=2)
    assert r.kind == "relaxation"
    assert r.value <= float(r.certificate.bound) <= r.value * (1 + 2e-6)
    # and it bounds every slice the search found (each attained by a function of the class)
    assert r.lower is None or r.lower <= float(r.certificate.bound)
