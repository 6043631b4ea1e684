"""benchmarks/kappa_search.py: its 2-cycle solver reproduces the quadratic closed form."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

_SPEC = importlib.util.spec_from_file_location("kappa_search", Path(__file__).parents[1] / "benchmarks" / "kappa_search.py")
ks = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(ks)


@pytest.mark.parametrize("eta_beta", [0.5, 0.25])
def test_vanishing_ridge_gives_the_quadratic_two_cycle(eta_beta):
    # c -> 0 leaves diag(b0, mu): the largest 2-cycle gap is the sharp axis' beta^3 eta^2 rho^2/(2 (2 - eta beta)^2)
    theta = np.array([math.log(1.0), math.log(2e-4), 0.1, 0.3, math.log(0.05)])   # smallest c in the box
    r = ks.ratio(theta, 100.0, eta_beta, 12)
    assert r == pytest.approx(1 / (2 * (2 - eta_beta) ** 2), rel=2e-3)   # c = 2e-4 moves beta and the cycle by O(c)


def test_kappa_is_exact_and_the_box_is_enforced():
    f = ks.ridge(np.array([math.log(0.5), math.log(0.5), 0.05, 0.66]), 1000.0)
    assert float(f.beta[0] / f.mu[0]) == pytest.approx(1000.0, rel=1e-9)
    assert ks.ratio(np.array([0.0, 0.0, 10.0, 0.0, 0.0]), 100.0, 0.5, 4) == 0.0   # |eps| > 3: outside the box
