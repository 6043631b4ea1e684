"""`sambounds check-schedule` through sambounds.cli.main (exit status, stdout, stderr)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sambounds import Setting
from sambounds.cli import main
from sambounds.schedules import Cosine
from sambounds.verify import rerun, verify_schedule

BASE = ["check-schedule", "--algorithm", "sam", "--class", "strongly-convex", "--beta", "1", "--mu", "0.1",
        "--rho", "0.05", "--Delta", "1", "--T", "60", "--quick"]


def run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_text_report(capsys):
    code, out, err = run(capsys, BASE + ["--schedule", "cosine", "--eta-max", "0.5", "--target", "0.1"])
    # UNDECIDED is not a pass: status 1, as `report` on an inconclusive check, with one line on stderr
    assert code == 1 and err.startswith("error: the schedule is undecided") and err.count("\n") == 1
    assert "verdict: UNDECIDED" in out and "D-SC/theorem-a/unrolled" in out and "L-SC" in out and "gap" in out


def test_eta_is_the_constant_step_and_the_old_peak_spelling_warns(capsys):
    code, out, err = run(capsys, BASE + ["--eta", "0.5", "--target", "0.1", "--format", "json"])
    doc = json.loads(out)
    assert code == 0 and doc["verdict"] == "certified" and doc["schedule"]["describe"] == "constant(eta=0.5)"
    code, out, err = run(capsys, BASE + ["--schedule", "cosine", "--eta", "0.5", "--target", "0.1",
                                         "--format", "json"])
    assert "deprecated; use --eta-max" in err and json.loads(out)["schedule"]["eta_max"] == 0.5
    code, _, err = run(capsys, BASE + ["--eta", "0.5", "--eta-max", "0.5", "--target", "0.1"])
    assert code == 2 and "--eta-max" in err
    code, _, err = run(capsys, BASE + ["--target", "0.1"])
    assert code == 2 and "schedule" in err


def test_json_matches_python(capsys):
    code, out, _ = run(capsys, BASE + ["--schedule", "cosine", "--eta-max", "0.5", "--target", "0.1",
                                       "--format", "json"])
    assert code == 1    # undecided
    data = json.loads(out)
    s = Setting.create("sam", "strongly-convex", T=60, schedule=Cosine(0.5), beta=1.0, mu=0.1, rho=0.05, Delta=1.0)
    assert data == json.loads(verify_schedule(s, target=0.1, effort="quick").to_json())


def test_refuted_writes_a_witness_that_reruns(capsys, tmp_path):
    path = tmp_path / "w.json"
    code, out, err = run(capsys, ["check-schedule", "--algorithm", "sam", "--class", "strongly-convex",
                                  "--beta", "2", "--mu", "0.2", "--rho", "0.1", "--Delta", "1", "--T", "30",
                                  "--schedule", "constant", "--eta", "0.5", "--target", "0.002", "--quick",
                                  "--witness-out", str(path)])
    assert code == 1 and "REFUTED" in out and f"witness written to {path}" in out
    assert err.startswith("error: the schedule is refuted")
    # one "worst" number for the verdict: the verdict line and the summary print the same one
    verdict_value = out.split("verdict: REFUTED")[1].split(" reaches ")[1].split()[0]
    summary = [line for line in out.splitlines() if line.startswith("best certified upper")][0]
    assert f"worst found: {verdict_value} " in summary and out.count("worst") == 1
    again = rerun(path)
    assert again.misses_target and again.rel_error == 0.0 and again.got["value"] >= 2 * 0.1**2 / 2
    # `sambounds rerun` replays schedule witnesses too, to the exact kinds' tolerance 1e-12
    code, out, _ = run(capsys, ["rerun", str(path)])
    assert code == 0 and "reproduced" in out and "still missed" in out
    doc = json.loads(path.read_text())
    doc["measured"]["value"] *= 1 + 1e-9
    (tmp_path / "tampered.json").write_text(json.dumps(doc))
    code, _, err = run(capsys, ["rerun", str(tmp_path / "tampered.json")])
    assert code == 1 and "did not reproduce" in err


def test_no_witness_when_not_refuted(capsys, tmp_path):
    path = tmp_path / "w.json"
    code, _, err = run(capsys, BASE + ["--schedule", "theorem-a", "--target", "1", "--witness-out", str(path)])
    assert code == 0 and "no witness written: the verdict is certified" in err and not path.exists()


def test_schedule_from_files(capsys, tmp_path):
    npy = tmp_path / "steps.npy"
    np.save(npy, np.linspace(0.5, 0.05, 60))
    code, out, _ = run(capsys, BASE + ["--schedule", str(npy), "--target", "1", "--format", "json"])
    assert code == 0 and json.loads(out)["schedule"]["eta_max"] == 0.5
    txt = tmp_path / "steps.txt"
    np.savetxt(txt, np.full(60, 0.25))
    code, out, _ = run(capsys, BASE + ["--schedule", str(txt), "--target", "1", "--format", "json"])
    assert code == 0 and json.loads(out)["schedule"]["sum_eta"] == pytest.approx(15.0)


@pytest.mark.parametrize("extra, message", [
    (["--schedule", "banana", "--target", "1"], "schedule='banana'"),
    (["--schedule", "cosine", "--target", "0"], "target"),
    (["--schedule", "cosine", "--target", "-1"], "target"),
    (["--schedule", "cosine", "--eta-max", "-0.5", "--target", "1"], "eta"),
    (["--schedule", "theorem-a", "--eta", "0.5", "--target", "1"], "eta"),
    (["--schedule", "missing.npy", "--target", "1"], "schedule"),
    (["--schedule", "cosine"], "target"),
])
def test_one_line_errors(capsys, extra, message):
    code, out, err = run(capsys, BASE + extra)
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_bad_files_give_one_line_errors(capsys, tmp_path):
    short = tmp_path / "short.npy"
    np.save(short, np.full(7, 0.1))
    code, _, err = run(capsys, BASE + ["--schedule", str(short), "--target", "1"])
    assert code == 2 and err.count("\n") == 1 and "length T = 60" in err
    bad = tmp_path / "bad.npy"
    values = np.full(60, 0.1)
    values[4] = np.nan
    np.save(bad, values)
    code, _, err = run(capsys, BASE + ["--schedule", str(bad), "--target", "1"])
    assert code == 2 and "schedule[4]" in err
    neg = tmp_path / "neg.csv"
    neg.write_text(",".join(["0.1"] * 59 + ["-0.2"]))
    code, _, err = run(capsys, BASE + ["--schedule", str(neg), "--target", "1"])
    assert code == 2 and "schedule[59]" in err
