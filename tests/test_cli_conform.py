"""`sambounds conform module:factory`: text and JSON reports, --expect exit status, one-line errors."""

from __future__ import annotations

import json

from sambounds.cli import main


def test_conform_reports_the_match_and_exits_by_expectation(capsys):
    assert main(["conform", "adapter_user_sam:sam", "--framework", "numpy", "--expect", "sam"]) == 0
    out = capsys.readouterr().out
    assert "matches SAM with rho = 0.05 (= n-SAM = m-SAM with full gradients)" in out and "near zero gradients" in out
    assert main(["conform", "adapter_user_sam:usam", "--expect", "sam"]) == 1
    captured = capsys.readouterr()
    assert "matches USAM" in captured.out
    assert "error: adapter_user_sam:usam (numpy) does not follow SAM (match: usam)" in captured.err


def test_conform_json(capsys):
    assert main(["conform", "adapter_user_sam:descent_at_x", "--format", "json", "-T", "20"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["match"] == "gd" and doc["T"] == 20
    assert [f["algorithm"] for f in doc["fits"]] == ["sam", "usam", "gd"]


def test_conform_bad_input_is_one_line(capsys):
    assert main(["conform", "no_such_module_xyz:factory"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: invalid optimizer='no_such_module_xyz:factory'") and err.count("\n") == 1
    assert main(["conform", "adapter_user_sam:raising_factory"]) == 2
    assert "RuntimeError: my optimizer needs a config file" in capsys.readouterr().err
