"""CI of a research repository: "my SAM optimizer is SAM, and SAM's theory holds for it".

Three tests pass: pytorch-optimizer's SAM follows SAM step by step and respects the derived bound
D-NC under sambounds' attack, and so does the researcher's own MySAM.  The fourth is DELIBERATELY
FAILING: the buggy variant forgets to normalize the perturbation, and the conformance check names
the rule it really follows (USAM), the first step and the probe function where it leaves SAM.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")


def test_pytorch_optimizer_sam_is_sam(sam_assert):
    pytest.importorskip("pytorch_optimizer")
    result = sam_assert.conforms("my_optimizer:pytorch_optimizer_sam", "sam")
    assert result.fit("sam").max_deviation < 1e-6  # float32 rounding of its ||g||; see the summary


def test_pytorch_optimizer_sam_respects_lemma_n(sam_assert):
    """D-NC: sum_t eta_t ||grad f(x_t)||^2 <= 2 Delta + beta^2 rho^2 sum_t eta_t, on every attacked function."""
    pytest.importorskip("pytorch_optimizer")
    from my_optimizer import RHO

    sam_assert.respects("D-NC/schedule", optimizer="my_optimizer:pytorch_optimizer_sam", rho=RHO)


def test_my_sam_is_sam(sam_assert):
    sam_assert.conforms("my_optimizer:my_sam", "sam")


def test_my_buggy_sam_is_sam(sam_assert):
    """DELIBERATELY FAILING: the perturbation is not normalized, so this is USAM, not SAM."""
    sam_assert.conforms("my_optimizer:my_sam_buggy", "sam")
