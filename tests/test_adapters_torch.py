"""The torch adapter: pytorch-optimizer's SAM recognised as SAM (both APIs), D-NC on it, GD exact, bad input.

Needs the ``torch`` extra (torch, pytorch-optimizer); skipped cleanly without it.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("pytorch_optimizer")

import adapter_user_sam as user  # noqa: E402
import sambounds  # noqa: E402
from sambounds.adapters import OptimizerError, conform, simulate_optimizer  # noqa: E402
from sambounds.check.families import FamilySpec  # noqa: E402
from sambounds.testing import assert_respects  # noqa: E402


@pytest.mark.parametrize("api", ["two-step", "closure"])
def test_pytorch_optimizer_sam_is_recognised_as_sam(api):
    r = conform(user.torch_sam, api=api)
    assert r.framework == "torch" and r.api == api and r.T >= 100
    assert r.match == "sam"
    # pytorch-optimizer accumulates ||g|| in float32 (get_global_gradient_norm returns float32): the
    # per-step deviation sits at float32 rounding (~6e-8 per operation), far below any other rule's
    fit = r.fit("sam")
    assert fit.max_deviation < 1e-6 and fit.median_deviation < 1e-7
    assert r.fit("usam").max_deviation > 0.1 and r.fit("gd").max_deviation > 0.01
    assert abs(fit.rho - user.RHO) < 1e-8
    # its perturb_eps = 1e-12: ||y - x|| = rho ||g||/(||g|| + 1e-12)
    assert r.perturbation.eps == pytest.approx(1e-12, rel=0.1)
    assert any("lower precision than float64" in d for d in r.diagnosis())
    assert "stays at x*" in r.perturbation.at_zero


def test_the_float32_gradient_norm_explains_pytorch_optimizers_deviation(monkeypatch):
    """Independent check of the diagnosis: with its ||g|| accumulated in float64 instead, the per-step
    deviation drops from ~1e-7 (float32 rounding) to the size its eps = 1e-12 alone explains."""
    import pytorch_optimizer.optimizer.sam as sam_module

    before = conform(user.torch_sam).fit("sam").max_deviation

    def norm_sq_float64(param_groups, device=None, *, weight_adaptive=False):
        grads = [p.grad for g in param_groups for p in g["params"] if p.grad is not None]
        return torch.stack([(gr * gr).sum() for gr in grads]).sum().reshape(1)

    monkeypatch.setattr(sam_module, "get_global_gradient_norm", norm_sq_float64)
    r = conform(user.torch_sam)
    after = r.fit("sam").max_deviation
    assert before > 3e-8 and after < 1e-8 and after < before / 10
    assert r.fit("sam+eps").max_deviation < 1e-12       # what is left is the eps: SAM + eps to rounding
    assert not any("lower precision" in d for d in r.diagnosis())


def test_pytorch_optimizer_sam_respects_d_nc():
    ratio = assert_respects("D-NC/schedule", optimizer=user.torch_sam, rho=user.RHO)
    assert 0.9 < ratio <= 1.0 + 1e-6  # D-NC is attained with equality at H = beta I, eta = 1/beta


def test_torch_sgd_closure_gives_the_kernels_gd_trajectory():
    """torch.optim.SGD through the closure API: the torch backend's GD trajectory, to rounding."""
    f = FamilySpec("quadratic", {"spectrum": [[0.1, 0.5, 1.0]], "rotation_seed": 1}).build()[0]
    setting = sambounds.Setting.create("gd", "convex", beta=1.0, T=60, eta=0.7)
    x0 = np.random.default_rng(0).standard_normal((2, 3))
    ref = sambounds.simulate(setting, f, x0, record_trajectory=True, backend="torch")
    got = simulate_optimizer(user.torch_sgd, setting, f, x0, record_trajectory=True)
    assert np.abs(got.trajectory - ref.trajectory).max() <= 1e-15
    assert conform(user.torch_sgd).match == "gd"


def test_torch_bad_input_names_the_argument():
    p = [torch.zeros(2, requires_grad=True)]
    with pytest.raises(OptimizerError, match="an optimizer instance was given"):
        conform(torch.optim.SGD(p, lr=0.1))
    with pytest.raises(OptimizerError, match="api='two-step'"):
        conform(user.torch_sgd, api="two-step")


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_torch_adapter_on_cuda():
    r = conform(user.torch_sam, device="cuda")
    assert r.match == "sam"
