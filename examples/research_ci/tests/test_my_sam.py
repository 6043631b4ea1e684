"""CI of a research repository: "SAM with my schedule respects the theory".

Two tests pass (a derived upper bound over hypothesis-generated instances, and the 2-cycle
lower bound witnessed on its construction).  The third is DELIBERATELY FAILING: it asserts a
claimed rate without the rho^2 term, and sambounds refutes it with a re-runnable witness.
"""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings

from sambounds import Setting
from sambounds.check.families import FamilySpec
from sambounds.testing import assert_respects
from sambounds.testing import strategies as sst
from sambounds.theory.user import register_bound

from my_sam import warmup_cosine


@settings(max_examples=20, deadline=None, derandomize=True)  # CI: the same examples every run
@given(sst.instances("sam", "nonconvex", T=(2, 40), rho=(0.0, 0.3)))
def test_my_schedule_respects_lemma_n(instance):
    """D-NC (Lemma N): sum_t eta_t ||grad f(x_t)||^2 <= 2 Delta + beta^2 rho^2 sum_t eta_t."""
    setting = instance.setting
    mine = setting.replace(schedule=warmup_cosine(setting.T, setting.constants.beta))
    assert_respects("D-NC/schedule", dataclasses.replace(instance, setting=mine))


def test_two_cycle_is_witnessed(sam_simulate, sam_assert):
    """L-SC: with a constant step SAM settles on a 2-cycle at f - f* = beta^3 eta^2 rho^2 / (2 (2 - eta beta)^2)."""
    setting = Setting.create("sam", "strongly-convex", beta=1.0, mu=0.05, rho=0.1, T=400, eta=0.5)
    run = sam_simulate(setting, FamilySpec("L-SC", {"beta": [1.0], "mu": [0.05], "R": [0.2]}), [[1.0], [0.3]])
    # witnessed() already fails unless the limit is reached (within the checkers' rounding slack);
    # the ratio also tells that the construction sits exactly on the bound, not above it.
    ratio = sam_assert.witnessed("L-SC/limit", run)
    assert abs(ratio - 1.0) < 1e-6


# A claimed rate with no rho^2 floor: f(x_T) - f* <= prod_t (1 - mu eta_t) Delta.
CLAIM = register_bound("Delta*prod_mu", name="my-claim/no-rho-floor", algorithm="sam",
                       function_class="strongly-convex", quantity="gap", step="schedule", step_limit="1/beta",
                       statement="my schedule converges linearly to the optimum (no rho^2 term)")


def test_claimed_rate_without_rho_floor(sam_simulate, sam_assert):
    """DELIBERATELY FAILING: SAM's 2-cycle on L-SC keeps f - f* of order rho^2, above the claim."""
    setting = Setting.create("sam", "strongly-convex", beta=1.0, mu=0.05, rho=0.1, T=1000, Delta=1.0,
                             schedule=warmup_cosine(1000, 1.0))
    run = sam_simulate(setting, FamilySpec("L-SC", {"beta": [1.0], "mu": [0.05], "R": [0.2]}), [[1.0]])
    sam_assert.respects(CLAIM, run)
