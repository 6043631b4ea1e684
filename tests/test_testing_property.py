"""Property tests with sambounds.testing.strategies: derived bounds hold on generated instances.

The bounds (docs/theory.md section 4) are written out here by hand from the paper's statements and
compared with the simulator's measurements; the catalog's formula for the same bound is also
evaluated through ``query`` and must agree with the hand-written one (two independent paths).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given

from sambounds.testing import strategies as sst
from sambounds.theory.query import query

SLACK = 1e-9  # relative rounding slack: several bounds are attained with equality


def _catalog_value(setting, name: str) -> float:
    entry = query(setting).entry(name)
    assert entry.status == "applies", entry.reason
    return entry.value


@given(sst.instances("sam", "nonconvex", T=(1, 40), rho=(0.0, 0.5)))
def test_lemma_n_schedule_generic_on_nonconvex_instances(inst):
    """D-NC: sum_t eta_t ||grad f(x_t)||^2 <= 2 Delta + beta^2 rho^2 sum_t eta_t for any eta_t <= 1/beta."""
    res = inst.run()
    c = inst.setting.constants
    bound = 2 * c.Delta + c.beta**2 * inst.rho**2 * res.steps.sum()
    assert not res.diverged.any()
    assert np.all(res.weighted_grad_sq_sum <= bound * (1 + SLACK) + SLACK), inst
    assert abs(_catalog_value(inst.setting, "D-NC/schedule") - bound) <= 1e-12 * (1 + bound)


@given(sst.instances("sam", "convex", T=(1, 40), rho=(0.0, 0.5)))
def test_lemma_c_schedule_generic_on_convex_instances(inst):
    """D-C: sum_t eta_t ||grad f(x_t)||^2 <= 2 Delta + beta^3 rho^2 sum_t eta_t^2 for any eta_t <= 1/beta."""
    res = inst.run()
    c = inst.setting.constants
    bound = 2 * c.Delta + c.beta**3 * inst.rho**2 * np.sum(res.steps**2)
    assert np.all(res.weighted_grad_sq_sum <= bound * (1 + SLACK) + SLACK), inst
    assert abs(_catalog_value(inst.setting, "D-C/schedule") - bound) <= 1e-12 * (1 + bound)


@given(sst.instances("sam", "strongly-convex", T=(1, 200), step=0.5, schedule_kinds="constant",
                     kappa=(1.0, 4.0)))
def test_theorem_a_constant_step_on_strongly_convex_instances(inst):
    """Theorem A: f(x_T) - f* <= max{(1 - mu eta)^T Delta, B(eta)} for constant eta <= 1/(2 beta)."""
    res = inst.run()
    c, eta, T = inst.setting.constants, float(inst.setting.steps[0]), inst.setting.T
    B = c.beta**4 * inst.rho**2 * eta**2 / (8 * c.mu * (1 - c.beta * eta) ** 2) + c.beta**3 * inst.rho**2 * eta**2 / 2
    bound = max((1 - c.mu * eta) ** T * c.Delta, B)
    assert np.all(res.gap.final <= bound * (1 + SLACK) + SLACK * 1e-3), inst
    assert abs(_catalog_value(inst.setting, "D-SC/theorem-a/constant") - bound) <= 1e-12 * (1 + bound)
