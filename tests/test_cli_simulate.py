"""`sambounds simulate` from the shell (through click's runner and main())."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sambounds.cli import cli, main


def _json(*args):
    result = CliRunner().invoke(cli, ["simulate", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_output_reports_the_sam_cycle_on_a_quadratic():
    out = _json("--function", "quadratic", "--dim", "3", "--beta", "2", "--mu", "0.5", "--rho", "0.1",
                "--eta", "0.4", "-T", "600", "--starts", "5")
    assert out["runs"] == 5 and out["diverged"] == 0
    c = 0.4 * 2 * 0.1 / (2 - 0.4 * 2)                    # 2-cycle along the top eigenvector (beta = 2)
    for key in ("min", "max"):
        assert abs(out["metrics"]["gap.final"][key] - 2 * c**2 / 2) < 1e-12
    assert out["setting"]["function_class"] == "strongly-convex"


def test_stochastic_and_divergence_reported():
    out = _json("--function", "l-s", "--algorithm", "m-sam", "--rho", "0.5", "--eta", "0.01", "-T", "50")
    assert out["setting"]["constants"]["sigma"] > 0
    out = _json("--function", "quadratic", "--eta", "3", "-T", "2000", "--starts", "3")
    assert out["diverged"] == 3 and out["first_divergence_step"] > 0
    assert out["metrics"]["gap.final"]["max"] is None     # no surviving run to summarise


def test_text_table_and_user_errors(capsys):
    result = CliRunner().invoke(cli, ["simulate", "--function", "double-well", "-T", "20"])
    assert result.exit_code == 0 and "grad_sq.mean" in result.output and "runs: 16" in result.output
    assert main(["simulate", "--rho", "-1"]) == 2
    assert "invalid rho=-1.0" in capsys.readouterr().err
    assert main(["simulate", "--function", "quadratic", "--algorithm", "n-sam"]) != 0
    assert "finite-sum" in capsys.readouterr().err
