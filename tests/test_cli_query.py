"""`sambounds query` and `sambounds list` through sambounds.cli.main (exit status, stdout, stderr)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sambounds.cli import main
from sambounds.theory.catalog import catalog
from sambounds.theory.query import query

BASE = ["query", "--algorithm", "sam", "--class", "strongly-convex", "--beta", "1", "--mu", "0.01", "--rho", "0.05",
        "--T", "10000", "--Delta", "1"]


def run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_query_text_lists_bounds_and_best(capsys):
    code, out, err = run(capsys, BASE + ["--eta", "0.01"])
    assert code == 0 and err == ""
    assert "D-SC/theorem-a/prescribed" in out and "best valid bounds" in out and "L-SC/limit" in out


def test_without_a_step_the_rows_that_only_need_one_say_so(capsys):
    code, out, _ = run(capsys, BASE)
    r = query(algorithm="sam", function_class="strongly-convex", beta=1.0, mu=0.01, rho=0.05, T=10_000, Delta=1.0)
    needs = [e for e in r.entries if e.status == "needs-step"]
    assert code == 0 and len(needs) >= 10
    # each of them applies once a step is given (they failed only for want of one)
    with_step = query(algorithm="sam", function_class="strongly-convex", beta=1.0, mu=0.01, rho=0.05, T=10_000,
                      Delta=1.0, eta=0.01)
    assert all(with_step.entry(e.name).status != "needs-step" for e in needs)
    assert out.count("needs a step size") == len(needs)
    assert not any(e.status == "fails" and "has none" in (e.reason or "") for e in r.entries)


def test_eta_above_two_over_beta_says_no_bound_applies(capsys):
    code, out, _ = run(capsys, BASE + ["--eta", "3"])
    assert code == 0
    assert "eta = 3 above 2/beta = 2: no bound applies" in " ".join(out.split())
    assert "best valid bounds for this Setting" not in out   # no empty table


def test_query_json_parses_round_trips_and_matches_python(capsys):
    code, out, _ = run(capsys, BASE + ["--eta", "0.01", "--format", "json"])
    assert code == 0
    data = json.loads(out)
    assert json.loads(json.dumps(data)) == data
    expected = query(algorithm="sam", function_class="strongly-convex", beta=1.0, mu=0.01, rho=0.05, T=10_000,
                     Delta=1.0, eta=0.01)
    assert data == json.loads(expected.to_json())
    assert data["best_upper"]["gap"]["name"] == "D-SC/theorem-a/constant"


def test_query_with_a_schedule_and_a_file(capsys, tmp_path):
    code, out, _ = run(capsys, BASE + ["--schedule", "cosine", "--format", "json"])
    assert code == 0 and json.loads(out)["setting"]["schedule"]["name"] == "cosine"
    path = tmp_path / "steps.npy"
    np.save(path, np.full(10000, 0.2))
    code, out, _ = run(capsys, BASE + ["--schedule", str(path), "--format", "json"])
    entries = {e["name"]: e for e in json.loads(out)["entries"]}
    assert code == 0 and entries["D-SC/theorem-a/constant"]["status"] == "applies"
    assert entries["D-SC/theorem-a/constant"]["eta"] == 0.2


def test_query_latex(capsys):
    code, out, _ = run(capsys, BASE + ["--format", "latex"])
    assert code == 0 and r"\begin{align*}" in out and r"\end{align*}" in out and r"\max" in out


@pytest.mark.parametrize("fmt", ["text", "json", "latex"])
def test_list_formats(capsys, fmt):
    code, out, err = run(capsys, ["list", "--format", fmt])
    assert code == 0 and err == ""
    if fmt == "json":
        data = json.loads(out)
        assert [d["name"] for d in data] == list(catalog.names)
        assert json.loads(json.dumps(data)) == data
    else:
        assert "L-S" in out


@pytest.mark.parametrize("argv, needle", [
    (["--beta", "-1"], "beta"),
    (["--eta", "0.01", "--schedule", "cosine"], "eta"),
    (["--schedule", "zigzag"], "schedule"),
    (["--schedule", "missing-file.npy"], "schedule"),
    (["--param", "c"], "param"),
    (["--param", "beta=2"], "params"),
    (["--sigma", "1"], "sigma"),  # sigma for deterministic SAM
    (["--eta", "nan"], "eta"),
])
def test_user_errors_print_one_line_and_exit_nonzero(capsys, argv, needle):
    args = list(BASE)
    if argv[0] == "--beta":
        args[args.index("--beta") + 1] = argv[1]
        argv = []
    code, out, err = run(capsys, args + argv)
    assert code != 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in err
