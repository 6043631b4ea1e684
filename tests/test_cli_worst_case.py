"""`sambounds worst-case` end to end."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

import sambounds
from sambounds.check.witness import RERUN_RTOL, rerun, tolerance
from sambounds.cli import cli, main
from sambounds.errors import InvalidParameterError


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


def test_sam_pep_witness_reruns_from_the_shell_and_a_tampered_one_fails(tmp_path, capsys):
    s = sambounds.Setting.create("sam", "strongly-convex", T=5, beta=1.0, mu=0.1, rho=0.05, eta=0.5, D=1.0)
    wc = sambounds.worst_case(s, measure="f", search_evals=8)
    path = tmp_path / "w.json"
    wc.witness.to_json(path)
    doc = json.loads(path.read_text())
    accuracy = doc["meta"]["solver"]["accuracy"]
    assert 0 < accuracy <= 1e-6  # the slice SDP it came from, as solved
    assert main(["rerun", str(path)]) == 0
    assert "reproduced" in capsys.readouterr().out
    r = rerun(path)
    # the replay agrees to O(sqrt(solver accuracy)), not to the solver tolerance itself
    assert r.matches and r.tolerance == pytest.approx(10 * math.sqrt(accuracy), rel=1e-12)
    # the re-run is judged on both recorded numbers: the attained value and the (exact) PEP value
    assert r.expected == {"value": wc.witness.value, "pep_value": wc.witness.pep_value}
    assert r.rel_error <= r.tolerance
    assert r.rel_error == pytest.approx(max(wc.replay.rel_error, wc.replay.pep_error), rel=1e-9, abs=1e-15)
    for field, change in (("value", lambda d: d["value"] * 1.01),
                          ("pep_value", lambda d: d["pep_value"] * 1.01),
                          ("steps", lambda d: [e * 1.05 for e in d["steps"]])):
        bad = json.loads(path.read_text())
        bad[field] = change(bad)
        (tmp_path / "tampered.json").write_text(json.dumps(bad))
        assert main(["rerun", str(tmp_path / "tampered.json")]) == 1, field
        assert "did not reproduce" in capsys.readouterr().err


def test_rerun_tolerance_per_witness_kind():
    assert tolerance({"kind": "bound-witness"}) == tolerance({"kind": "schedule-witness"}) == RERUN_RTOL == 1e-12
    assert tolerance({"kind": "pep-witness", "meta": {"solver": {"accuracy": 4e-10}}}) == pytest.approx(2e-4)
    # a PEP witness that records no accuracy is held to the default SDP tolerance 1e-9
    assert tolerance({"kind": "pep-witness", "meta": {}}) == pytest.approx(10 * math.sqrt(1e-9))
    with pytest.raises(InvalidParameterError, match="accuracy"):
        tolerance({"kind": "pep-witness", "meta": {"solver": {"accuracy": "tiny"}}})


def test_nonconvex_witness_from_the_shell_reruns_with_its_attained_value(tmp_path, capsys):
    # f(x_T) - f_low <= Delta is the PEP's (upper) value; the witness attains f(x_T) - inf f, less
    out = tmp_path / "w.json"
    res = run(["--algorithm", "gd", "--class", "nonconvex", "--beta", "1", "--eta", "1", "--T", "3",
               "--Delta", "1", "--measure", "f", "--format", "json", "--witness-out", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["kind"] == "upper-bound" and doc["value"] == pytest.approx(1.0, rel=1e-6)
    w = doc["witness"]
    assert w["exact"] is False and w["pep_value"] == doc["value"] and w["value"] == doc["lower"]
    assert w["value"] < 0.5 * w["pep_value"]
    assert main(["rerun", str(out)]) == 0
    assert "reproduced" in capsys.readouterr().out
    bad = json.loads(out.read_text())
    bad["pep_value"] = 0.5 * bad["value"]           # a PEP upper value below what the witness attains
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    assert main(["rerun", str(tmp_path / "bad.json")]) == 1
