"""L-SC/horizon: the lower bound in T for every constant step size (proofs/l_sc_horizon.py).

Checked against the proof (it verifies), against the simulator (per eta the worst function stays
above the bound on a grid that straddles the proof's threshold eta_0), against the closed form
of the far start, and by the rate: min over eta of the worst f(x_T) - f*, divided by the log
factor ln^2(M) (T/(T + ln M))^2, decays as T^-2 (fitted slope within 0.2 of -2).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sambounds.check.horizon import ETA_BETA, horizon_probe, witness_curve, worst_per_eta
from sambounds.check.lower import check_lower, construction_for
from sambounds.check.report import Verdict
from sambounds.errors import InvalidParameterError
from sambounds.functions import LSC
from sambounds.proof import check
from sambounds.theory.catalog import catalog

BOUND = catalog["L-SC/horizon"]
C = dict(beta=1.0, mu=0.1, rho=0.05, Delta=1.0)


def ln_M(beta, mu, rho, Delta):
    """ln M from the far start itself: M = z_0/((kappa + 1) rho), z_0 = x_0 + rho + (kappa - 1) R, R = rho."""
    kappa = beta / mu
    x0 = LSC.far_start(beta=beta, mu=mu, R=rho, Delta=Delta)
    return math.log((x0 + rho + (kappa - 1) * rho) / ((kappa + 1) * rho))


def test_proof_verifies():
    report = check("l_sc_horizon")
    assert report.verified, [i for t in report.theorems for i in t.items if not i.verified]


def test_far_start_has_gap_delta_and_lies_outside_the_region():
    f = LSC(1.0, 0.1, 0.05)
    x0 = LSC.far_start(beta=1.0, mu=0.1, R=0.05, Delta=0.7)
    assert x0 > 0.05
    assert float(f.value(np.array([[[x0]]]))[0, 0]) == pytest.approx(0.7, rel=1e-13)
    with pytest.raises(InvalidParameterError, match="Delta"):
        LSC.far_start(beta=1.0, mu=0.1, R=1.0, Delta=0.1)   # beta R^2/2 = 0.5 > Delta
    with pytest.raises(InvalidParameterError, match="mu"):
        LSC.far_start(beta=1.0, mu=2.0, R=0.05, Delta=1.0)


def test_catalog_value_is_the_proved_statement():
    T = np.array([10.0, 300.0, 5000.0])
    L = ln_M(**C)
    want = np.minimum(C["beta"] * C["rho"] ** 2 / 2,
                      C["beta"] ** 3 * C["rho"] ** 2 * L**2 / (8 * C["mu"] ** 2 * (T + L) ** 2))
    np.testing.assert_allclose(BOUND.evaluate(T=T, **C), want, rtol=1e-12)
    with pytest.raises(InvalidParameterError, match="Delta"):
        BOUND.evaluate(beta=1.0, mu=0.1, rho=1.0, Delta=0.4, T=10)


def test_each_eta_has_a_function_above_the_bound_across_the_threshold():
    T = 300
    L = ln_M(**C)
    eta0_beta = C["beta"] * L / (C["mu"] * (T + L))
    grid = tuple(np.concatenate([eta0_beta * np.geomspace(0.3, 3.0, 25), ETA_BETA]).tolist())
    worst = worst_per_eta(horizon_probe(T=T, eta_beta=grid, **C))
    lb = BOUND.evaluate(T=T, **C)
    assert np.all(worst >= lb * (1 - 1e-9)), (np.array(grid)[worst < lb], worst.min(), lb)
    # the bound is not vacuous: near eta_0 the worst function is within a factor 5 of it
    assert worst.min() <= 5 * lb


def test_check_lower_witnesses_it():
    assert construction_for(BOUND) == "L-SC-horizon"
    report = check_lower(BOUND, quick=True, rate=False)
    assert report.verdict is Verdict.WITNESSED, report.evidence
    assert report.instances >= len(ETA_BETA)


def test_witness_rate_in_T_is_minus_two_after_the_log_factor():
    horizons = np.array([400, 800, 1600, 3200])
    L = ln_M(**C)
    curves = []
    for T in horizons:
        eta0_beta = C["beta"] * L / (C["mu"] * (T + L))
        grid = tuple(np.concatenate([eta0_beta * np.geomspace(0.5, 2.0, 31), ETA_BETA]).tolist())
        curves.append(witness_curve(horizons=[T], eta_beta=grid, **C)[0])
    w = np.array(curves) / (L**2 * (horizons / (horizons + L)) ** 2)
    slope = np.polyfit(np.log(horizons), np.log(w), 1)[0]
    assert abs(slope + 2.0) <= 0.2, slope
