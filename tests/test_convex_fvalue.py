"""D-C/fvalue/average: the average-iterate function-value bound for convex SAM (proofs/d_c_fvalue.py)."""

from __future__ import annotations

import numpy as np
import pytest

import sambounds
from sambounds.check import check_upper
from sambounds.check.report import Verdict
from sambounds.functions import Quadratic
from sambounds.proof import check
from sambounds.theory.catalog import catalog

BOUND = catalog["D-C/fvalue/average"]


def test_proof_verifies():
    assert check("d_c_fvalue").verified


def test_holds_under_attack_and_is_not_vacuous():
    report = check_upper(BOUND, quick=True)
    assert report.verdict is Verdict.HOLDS, report.evidence
    assert 0.3 < report.worst_ratio <= 1.0


def test_two_cycle_stays_below_the_rho_term():
    # beta x^2/2 started on its 2-cycle: every f(x_t) - f* = beta c^2/2, c = eta beta rho/(2 - eta beta);
    # the bound's rho term beta rho^2 (1 + 2 beta eta + 2 beta^2 eta^2)/2 must dominate it (it does, loosely)
    beta, rho, eta, T = 1.0, 0.1, 0.5, 200
    c = eta * beta * rho / (2 - eta * beta)
    s = sambounds.Setting.create("sam", "convex", beta=beta, rho=rho, T=T, eta=eta)
    f = Quadratic.with_spectrum(beta=beta, mu=beta, dim=1, n_functions=1, seed=0)
    res = sambounds.simulate(s, f, np.array([[c]]), schedules=[sambounds.schedules.Constant(eta)])
    avg = float(res.gap.mean.max())
    assert avg == pytest.approx(beta * c**2 / 2, rel=1e-9)
    value = BOUND.evaluate(beta=beta, rho=rho, eta=eta, T=T, D=c, Delta=beta * c**2 / 2)
    assert avg <= value
    assert BOUND.evaluate(beta=beta, rho=0.0, eta=eta, T=T, D=1.0, Delta=0.5) == pytest.approx(1 / (2 * eta * T) + 1 / T)
