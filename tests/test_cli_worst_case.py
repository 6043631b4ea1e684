"""`sambounds worst-case` end to end."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sambounds.cli import cli, main


def run(args):
    return CliRunner().invoke(cli, ["worst-case", *args])


def test_gd_json_value_and_witness(tmp_path):
    out = tmp_path / "w.json"
    res = run(["--algorithm", "gd", "--class", "convex", "--beta", "1", "--eta", "1", "--T", "4", "--D", "1",
               "--measure", "f", "--format", "json", "--witness-out", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert abs(doc["value"] - 1 / 18) < 1e-7 and doc["exact"] is True
    assert doc["solver"]["status"].startswith("optimal") and doc["witness"]["kind"] == "pep-witness"
    assert abs(doc["lower"] - 1 / 18) < 1e-5
    assert json.loads(out.read_text())["kind"] == "pep-witness"


def test_sam_text_reports_upper_lower_gap():
    res = run(["--algorithm", "sam", "--class", "convex", "--beta", "1", "--rho", "0.1", "--eta", "0.5",
               "--T", "3", "--D", "1", "--search-evals", "10"])
    assert res.exit_code == 0, res.output
    assert "certified upper" in res.output and "lower" in res.output and "gap" in res.output


def test_sam_json_has_lower_and_gap():
    res = run(["--algorithm", "sam", "--class", "strongly-convex", "--beta", "1", "--mu", "0.1", "--rho", "0.1",
               "--eta", "0.5", "--T", "3", "--D", "1", "--format", "json", "--search-evals", "10"])
    doc = json.loads(res.output)
    assert doc["kind"] == "relaxation" and doc["value"] >= doc["lower"] > 0
    assert abs(doc["gap"] - (doc["value"] - doc["lower"])) < 1e-12


def test_user_errors_are_one_line(capsys):
    code = main(["worst-case", "--algorithm", "gd", "--class", "convex", "--beta", "1", "--eta", "1", "--T", "4"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error:") and "Delta" in err and len(err.strip().splitlines()) == 1
    code = main(["worst-case", "--algorithm", "gd", "--class", "convex", "--beta", "-1", "--eta", "1",
                 "--T", "4", "--D", "1"])
    assert code == 2 and "beta" in capsys.readouterr().err
